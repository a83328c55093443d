//! The machine report: the [`Report`] serialized as pretty JSON, for other tools (house style 2.6).
//! Its shape is the model's serde shape (`src/conformance/model.rs`), nothing added.

use crate::conformance::model::Report;

/// Renders the report as pretty-printed JSON, ending in a newline.
pub fn json(report: &Report) -> String {
    let mut out = serde_json::to_string_pretty(report)
        .expect("a Report serializes: plain data with string keys");
    out.push('\n');
    out
}
