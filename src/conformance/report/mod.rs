//! Renderers of a [`Report`]: they only read it (house style 2.6).
//!
//! - [`text()`]: for a terminal, grouped by API, hurl-style `expected` / `actual` lines with a
//!   curl line to reproduce each deviation, then a per-check summary and the totals.
//! - [`json()`]: the `Report` itself, pretty-printed, for other tools.
//! - [`junit()`]: JUnit XML for CI, one testsuite per industry and one testcase per case.
//! - [`html()`]: one self-contained page with client-side filters, for people.
//!
//! Every renderer is deterministic (it keeps the `Report`'s order) and returns a `String` that
//! ends in a newline, ready to write as is.

pub mod html;
pub mod json;
pub mod junit;
pub mod text;

pub use html::html;
pub use json::json;
pub use junit::junit;
pub use text::text;

use super::model::Report;

/// The run's industries in the report's order, then any others its cases name (first seen first).
fn industries(report: &Report) -> Vec<&str> {
    let mut all: Vec<&str> = Vec::new();
    let named = report.industries.iter().map(String::as_str);
    for i in named.chain(report.cases.iter().map(|c| c.industry.as_str())) {
        if !all.contains(&i) {
            all.push(i);
        }
    }
    all
}
