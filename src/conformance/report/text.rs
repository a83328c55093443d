//! The human report: cases grouped by API (as Schemathesis groups by operation), each deviation
//! told hurl-style (`expected:` / `actual:` lines and a curl line to reproduce it), then a
//! per-check summary table and the totals (house style 2.6).
//!
//! Output is deterministic: cases keep the `Report`'s order, and grouping by API is stable (a group
//! sits where its first case sits).

use std::fmt::Write as _;

use crate::conformance::model::{CaseResult, Deviation, Outcome, Report, Severity, Verdict};

/// ANSI styles, or nothing when colour is off.
#[derive(Clone, Copy)]
pub(crate) struct Palette {
    color: bool,
}

const RESET: &str = "\x1b[0m";
const BOLD: &str = "\x1b[1m";
const DIM: &str = "\x1b[2m";
const RED: &str = "\x1b[31m";
const GREEN: &str = "\x1b[32m";
const YELLOW: &str = "\x1b[33m";
const BLUE: &str = "\x1b[34m";
const CYAN: &str = "\x1b[36m";
const BOLD_RED: &str = "\x1b[1;31m";

impl Palette {
    pub(crate) fn plain() -> Self {
        Palette { color: false }
    }

    fn paint(self, style: &str, s: &str) -> String {
        if self.color && !s.is_empty() {
            format!("{style}{s}{RESET}")
        } else {
            s.to_owned()
        }
    }

    fn outcome(self, o: &Outcome) -> String {
        let style = match o {
            Outcome::Pass => GREEN,
            Outcome::Fail => BOLD_RED,
            Outcome::Warn => YELLOW,
            Outcome::Skip { .. } => CYAN,
        };
        self.paint(style, o.label())
    }

    fn severity(self, s: Severity) -> String {
        let style = match s {
            Severity::Critical => BOLD_RED,
            Severity::High => RED,
            Severity::Medium => YELLOW,
            Severity::Low => BLUE,
        };
        self.paint(style, s.as_str())
    }
}

/// Renders the report for a terminal; `color` adds ANSI styles.
pub fn text(report: &Report, color: bool) -> String {
    let p = Palette { color };
    let mut out = String::new();
    header(&mut out, report, p);
    for (industry, api_id, cases) in group_by_api(&report.cases) {
        let _ = writeln!(
            out,
            "\n{}",
            p.paint(BOLD, &format!("{industry} · {api_id}"))
        );
        for (i, case) in cases.iter().enumerate() {
            // A blank line after a case that told deviations, so the next case line stands out.
            if i > 0 && !cases[i - 1].deviations.is_empty() {
                out.push('\n');
            }
            case_block(&mut out, case, p);
        }
    }
    if report.cases.is_empty() {
        out.push_str("\nno cases ran\n");
    }
    checks_table(&mut out, report, p);
    totals(&mut out, report, p);
    out
}

fn header(out: &mut String, r: &Report, p: Palette) {
    let _ = writeln!(out, "{}", p.paint(BOLD, "MyData conformance report"));
    let _ = writeln!(out, "  target:  {}", r.target);
    let _ = writeln!(out, "  spec:    {}", r.spec_version);
    let _ = writeln!(
        out,
        "  started: {} (took {})",
        r.started,
        duration(r.elapsed_ms)
    );
    let _ = writeln!(out, "  tool:    {}", r.tool);
    if !r.industries.is_empty() {
        let _ = writeln!(out, "  industries: {}", r.industries.join(", "));
    }
}

/// Cases grouped by `(industry, api_id)`, groups in order of their first case.
pub(crate) fn group_by_api(cases: &[CaseResult]) -> Vec<(&str, &str, Vec<&CaseResult>)> {
    let mut groups: Vec<(&str, &str, Vec<&CaseResult>)> = Vec::new();
    for c in cases {
        match groups
            .iter_mut()
            .find(|(i, a, _)| *i == c.industry && *a == c.api_id)
        {
            Some((_, _, members)) => members.push(c),
            None => groups.push((&c.industry, &c.api_id, vec![c])),
        }
    }
    groups
}

fn case_block(out: &mut String, c: &CaseResult, p: Palette) {
    let _ = write!(out, "  {}  {}  ", p.outcome(&c.outcome), c.case_id);
    match &c.outcome {
        Outcome::Skip { reason } => {
            let _ = write!(out, "{}\n        skipped: {reason}", p.paint(DIM, &c.title));
        }
        _ => {
            let title = format!("{} ({})", c.title, duration(c.elapsed_ms));
            let _ = write!(out, "{}", p.paint(DIM, &title));
        }
    }
    out.push('\n');
    for d in &c.deviations {
        out.push('\n');
        deviation_block(out, d, 6, p);
    }
}

/// One deviation, hurl-style, every line indented by `indent` spaces.
pub(crate) fn deviation_block(out: &mut String, d: &Deviation, indent: usize, p: Palette) {
    let pad = " ".repeat(indent);
    let (mark, style) = match d.verdict {
        Verdict::Fail => ("✗", BOLD_RED),
        Verdict::Warn => ("!", YELLOW),
    };
    let _ = writeln!(
        out,
        "{pad}{} {}",
        p.paint(style, mark),
        p.paint(BOLD, &d.title)
    );
    field(out, &pad, "expected", &d.expected);
    field(out, &pad, "actual", &d.actual);
    if let Some(ptr) = &d.pointer {
        field(out, &pad, "pointer", ptr);
    }
    let _ = writeln!(
        out,
        "{pad}  {:<9} {} · {} · {} ({})",
        "check:",
        d.check_id,
        p.severity(d.severity),
        d.clause,
        verdict(d.verdict)
    );
    if let Some(err) = &d.evidence.transport_error {
        field(out, &pad, "transport", err);
    }
    let _ = writeln!(out, "{pad}  {}", p.paint(DIM, "Reproduce with:"));
    let _ = writeln!(out, "{pad}    {}", d.evidence.curl);
}

/// `  name:     value`, continuation lines aligned under the value.
fn field(out: &mut String, pad: &str, name: &str, value: &str) {
    let label = format!("{name}:");
    let mut lines = value.lines();
    let first = lines.next().unwrap_or("");
    let _ = writeln!(out, "{pad}  {label:<9} {first}");
    for line in lines {
        let _ = writeln!(out, "{pad}  {:<9} {line}", "");
    }
}

pub(crate) fn verdict(v: Verdict) -> &'static str {
    match v {
        Verdict::Fail => "fail",
        Verdict::Warn => "warn",
    }
}

fn checks_table(out: &mut String, r: &Report, p: Palette) {
    if r.checks.is_empty() {
        return;
    }
    let headers = ["check", "severity", "clause", "passed", "failed", "warned"];
    let rows: Vec<[String; 6]> = r
        .checks
        .iter()
        .map(|c| {
            [
                c.id.clone(),
                c.severity.as_str().to_owned(),
                c.clause.clone(),
                c.passed.to_string(),
                c.failed.to_string(),
                c.warned.to_string(),
            ]
        })
        .collect();
    let mut widths = headers.map(|h| h.chars().count());
    for row in &rows {
        for (w, cell) in widths.iter_mut().zip(row) {
            *w = (*w).max(cell.chars().count());
        }
    }
    let _ = writeln!(out, "\n{}", p.paint(BOLD, "Checks"));
    let line = |cells: [&str; 6]| {
        let mut s = String::from(" ");
        for (i, (cell, w)) in cells.iter().zip(widths).enumerate() {
            // Text columns align left, counts right.
            if i < 3 {
                let _ = write!(s, " {cell:<w$}");
            } else {
                let _ = write!(s, " {cell:>w$}");
            }
        }
        s.trim_end().to_owned()
    };
    let _ = writeln!(out, "{}", p.paint(DIM, &line(headers)));
    for (row, check) in rows.iter().zip(&r.checks) {
        let mut cells = line([&row[0], &row[1], &row[2], &row[3], &row[4], &row[5]]);
        if p.color {
            // Colour after padding, so the escapes don't upset the alignment.
            if check.failed > 0 {
                cells = p.paint(RED, &cells);
            } else if check.warned > 0 {
                cells = p.paint(YELLOW, &cells);
            }
        }
        let _ = writeln!(out, "{cells}");
    }
}

fn totals(out: &mut String, r: &Report, p: Palette) {
    let t = &r.totals;
    let _ = writeln!(
        out,
        "\ncases: {}, pass: {}, fail: {}, warn: {}, skip: {}; deviations: {}",
        t.cases,
        p.paint(GREEN, &t.pass.to_string()),
        if t.fail > 0 {
            p.paint(BOLD_RED, &t.fail.to_string())
        } else {
            t.fail.to_string()
        },
        if t.warn > 0 {
            p.paint(YELLOW, &t.warn.to_string())
        } else {
            t.warn.to_string()
        },
        t.skip,
        t.deviations
    );
    if let Some(b) = &r.baseline {
        let _ = writeln!(
            out,
            "baseline: {} known (accepted), {} fixed",
            b.known.len(),
            p.paint(GREEN, &b.fixed.len().to_string())
        );
        for f in &b.fixed {
            let _ = writeln!(out, "  fixed: {f}");
        }
    }
}

/// `850 ms` under a second, `12.3 s` above.
pub(crate) fn duration(ms: u64) -> String {
    if ms < 1000 {
        format!("{ms} ms")
    } else {
        format!("{}.{} s", ms / 1000, (ms % 1000) / 100)
    }
}
