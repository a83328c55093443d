//! The browsable report: one self-contained HTML page (inline CSS and a little JS, no external
//! assets) rendered by askama from `templates/report.html`.
//!
//! The page shows the run's header and totals, filter controls (outcome, severity, industry, free
//! text) that show and hide cases client-side, every case as a collapsible row grouped by API, and
//! for each deviation its expected/actual values, the evidence (request and response, escaped) and
//! the curl line. Without JavaScript everything is simply shown.

use askama::Template;

use super::industries;
use super::text::{duration, group_by_api, verdict};
use crate::conformance::model::{
    BaselineDiff, CaseResult, CheckSummary, Deviation, Exchange, Outcome, Report, Severity,
};

/// Renders the report as a self-contained HTML page, ending in a newline.
pub fn html(report: &Report) -> String {
    let page = Page {
        r: report,
        elapsed: duration(report.elapsed_ms),
        industries: industries(report),
        groups: group_by_api(&report.cases)
            .into_iter()
            .map(|(industry, api_id, cases)| Group {
                industry,
                api_id,
                cases: cases.into_iter().map(case_view).collect(),
            })
            .collect(),
        checks: &report.checks,
        baseline: report.baseline.as_ref(),
    };
    let mut out = page
        .render()
        .expect("the report template renders: it only formats strings and numbers");
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

#[derive(Template)]
#[template(path = "report.html")]
struct Page<'a> {
    r: &'a Report,
    elapsed: String,
    industries: Vec<&'a str>,
    groups: Vec<Group<'a>>,
    checks: &'a [CheckSummary],
    baseline: Option<&'a BaselineDiff>,
}

struct Group<'a> {
    industry: &'a str,
    api_id: &'a str,
    cases: Vec<CaseView<'a>>,
}

struct CaseView<'a> {
    c: &'a CaseResult,
    /// `pass`, `fail`, `warn` or `skip`: the CSS class and the filter value.
    outcome: &'static str,
    reason: Option<&'a str>,
    /// The worst deviation's severity, if any.
    worst: Option<&'static str>,
    /// 0 without deviations, else 1 (low) to 4 (critical): what the severity filter compares.
    rank: u8,
    /// Lower-cased text the free-text filter searches.
    search: String,
    elapsed: String,
    deviations: Vec<DeviationView<'a>>,
}

struct DeviationView<'a> {
    d: &'a Deviation,
    verdict: &'static str,
    request: String,
    response: Option<String>,
}

fn case_view(c: &CaseResult) -> CaseView<'_> {
    let worst = c.deviations.iter().map(|d| d.severity).max();
    let reason = match &c.outcome {
        Outcome::Skip { reason } => Some(reason.as_str()),
        _ => None,
    };
    let mut search = vec![
        c.case_id.as_str(),
        c.industry.as_str(),
        c.api_id.as_str(),
        c.kind.as_str(),
        c.title.as_str(),
        reason.unwrap_or(""),
    ];
    for d in &c.deviations {
        search.extend([d.check_id.as_str(), d.title.as_str(), d.clause.as_str()]);
    }
    CaseView {
        c,
        outcome: match c.outcome {
            Outcome::Pass => "pass",
            Outcome::Fail => "fail",
            Outcome::Warn => "warn",
            Outcome::Skip { .. } => "skip",
        },
        reason,
        worst: worst.map(Severity::as_str),
        rank: worst.map_or(0, |s| match s {
            Severity::Low => 1,
            Severity::Medium => 2,
            Severity::High => 3,
            Severity::Critical => 4,
        }),
        search: search.join(" ").to_lowercase(),
        elapsed: duration(c.elapsed_ms),
        deviations: c
            .deviations
            .iter()
            .map(|d| DeviationView {
                d,
                verdict: verdict(d.verdict),
                request: request_text(&d.evidence),
                response: response_text(&d.evidence),
            })
            .collect(),
    }
}

/// `METHOD url`, the headers, and the body (pretty-printed when it is JSON).
fn request_text(e: &Exchange) -> String {
    let r = &e.request;
    let mut out = format!("{} {}", r.method, r.url);
    for (k, v) in &r.headers {
        out.push_str(&format!("\n{k}: {v}"));
    }
    if let Some(body) = &r.body {
        out.push_str("\n\n");
        out.push_str(&pretty(body));
    }
    out
}

/// `HTTP status`, the headers and the body; `None` when no response came.
fn response_text(e: &Exchange) -> Option<String> {
    let r = e.response.as_ref()?;
    let mut out = format!("HTTP {}", r.status);
    for (k, v) in &r.headers {
        out.push_str(&format!("\n{k}: {v}"));
    }
    if !r.body.is_empty() {
        out.push_str("\n\n");
        out.push_str(&pretty(&r.body));
    }
    if r.truncated {
        out.push_str("\n… (body truncated)");
    }
    Some(out)
}

/// JSON re-indented for reading (key order kept); anything else as it came.
fn pretty(body: &str) -> String {
    serde_json::from_str::<serde_json::Value>(body)
        .ok()
        .and_then(|v| serde_json::to_string_pretty(&v).ok())
        .unwrap_or_else(|| body.to_owned())
}
