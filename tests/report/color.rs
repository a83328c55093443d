//! The text report colours only when asked to.

use mydata_testbed::conformance::report;

use crate::helpers::sample_report;

#[test]
fn text_report_with_color_carries_ansi_escapes() {
    let out = report::text(&sample_report(), true);
    assert!(out.contains("\x1b["), "colour on: ANSI escapes expected");
}

#[test]
fn text_report_without_color_carries_no_escape_at_all() {
    let out = report::text(&sample_report(), false);
    assert!(!out.contains('\x1b'), "colour off: no ANSI escape expected");
}

#[test]
fn colored_text_report_reads_the_same_once_escapes_are_stripped() {
    let colored = report::text(&sample_report(), true);
    assert_eq!(strip_ansi(&colored), report::text(&sample_report(), false));
}

/// Removes `ESC [ … m` sequences, the only kind the renderer writes.
fn strip_ansi(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut chars = s.chars();
    while let Some(c) = chars.next() {
        if c == '\x1b' {
            for c in chars.by_ref() {
                if c == 'm' {
                    break;
                }
            }
        } else {
            out.push(c);
        }
    }
    out
}
