//! The results of a conformance run as plain data: what every check found, with evidence.
//! Renderers (text, JSON, JUnit, HTML) only read these types; nothing here does IO.
//!
//! Deviations are data, not errors (house style 2.1): a run that finds forty deviations succeeded.

use serde::{Deserialize, Serialize};

/// How bad a deviation is (Schemathesis's scale, plus Critical for data leaks).
#[derive(
    Debug,
    Clone,
    Copy,
    PartialEq,
    Eq,
    PartialOrd,
    Ord,
    Hash,
    Serialize,
    Deserialize,
    clap::ValueEnum,
)]
#[serde(rename_all = "lowercase")]
pub enum Severity {
    Low,
    Medium,
    High,
    Critical,
}

impl Severity {
    pub fn as_str(self) -> &'static str {
        match self {
            Severity::Low => "low",
            Severity::Medium => "medium",
            Severity::High => "high",
            Severity::Critical => "critical",
        }
    }
}

/// How a case ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[serde(tag = "outcome", rename_all = "lowercase")]
pub enum Outcome {
    /// Every check held.
    Pass,
    /// At least one deviation with verdict `Fail`.
    Fail,
    /// Only deviations the standard leaves room for (a plausible but different code, a number
    /// where a string belongs).
    Warn,
    /// The case could not run here, and why (no second customer's token, no revoke allowed...).
    Skip { reason: String },
}

impl Outcome {
    pub fn label(&self) -> &'static str {
        match self {
            Outcome::Pass => "PASS",
            Outcome::Fail => "FAIL",
            Outcome::Warn => "WARN",
            Outcome::Skip { .. } => "SKIP",
        }
    }
}

/// Whether a deviation fails its case or only warns.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Fail,
    Warn,
}

/// A request as sent (secrets masked unless the run asked otherwise).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RequestRecord {
    pub method: String,
    pub url: String,
    pub headers: Vec<(String, String)>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub body: Option<String>,
}

/// A response as received (bounded in size; masked likewise).
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct ResponseRecord {
    pub status: u16,
    pub headers: Vec<(String, String)>,
    pub body: String,
    /// True when the body was longer than the run's limit and cut.
    pub truncated: bool,
}

/// One request/response pair, with how long it took and how to reproduce it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Exchange {
    pub request: RequestRecord,
    /// `None` when no response came (timeout, refused, reset): `transport_error` says why.
    pub response: Option<ResponseRecord>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub transport_error: Option<String>,
    pub elapsed_ms: u64,
    /// A curl command line that sends the same request.
    pub curl: String,
}

/// One way the target departs from the standard.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Deviation {
    /// Stable id of the check that found it (`tran_id_echo`, `rsp_code_conformance`...).
    pub check_id: String,
    pub api_id: String,
    pub case_id: String,
    pub severity: Severity,
    pub verdict: Verdict,
    /// The clause of the standard the check enforces (`§1.4.1`).
    pub clause: String,
    pub title: String,
    pub expected: String,
    pub actual: String,
    /// JSON pointer into the response body, for schema deviations.
    #[serde(skip_serializing_if = "Option::is_none")]
    pub pointer: Option<String>,
    pub evidence: Exchange,
}

impl Deviation {
    /// What identifies a deviation across runs (for baselines and deduplication).
    pub fn fingerprint(&self) -> String {
        format!(
            "{}|{}|{}|{}",
            self.check_id,
            self.api_id,
            self.case_id,
            self.pointer.as_deref().unwrap_or("")
        )
    }
}

/// One case of the plan and how it ended.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CaseResult {
    /// Stable id: `<industry>.<api_id>.<kind>[.<detail>]`.
    pub case_id: String,
    pub industry: String,
    pub api_id: String,
    /// `positive`, `paging`, `search_timestamp`, or a negative kind (`missing_tran_id`...).
    pub kind: String,
    /// What the case checks, in a sentence.
    pub title: String,
    #[serde(flatten)]
    pub outcome: Outcome,
    pub deviations: Vec<Deviation>,
    /// The requests the case made (also for passing cases, so a report can show them).
    pub exchanges: usize,
    pub elapsed_ms: u64,
}

/// A check of the registry and what it found over the run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CheckSummary {
    pub id: String,
    pub severity: Severity,
    pub clause: String,
    pub description: String,
    pub passed: usize,
    pub failed: usize,
    pub warned: usize,
}

/// Totals of a run.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct Totals {
    pub cases: usize,
    pub pass: usize,
    pub fail: usize,
    pub warn: usize,
    pub skip: usize,
    pub deviations: usize,
}

/// Known deviations from a baseline file that did not occur this time.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct BaselineDiff {
    /// Fingerprints of deviations the baseline accepts (they do not fail the run).
    pub known: Vec<String>,
    /// Fingerprints in the baseline that no longer happen.
    pub fixed: Vec<String>,
}

/// A whole run.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Report {
    pub tool: String,
    pub target: String,
    pub spec_version: String,
    /// RFC 3339 start time.
    pub started: String,
    pub elapsed_ms: u64,
    pub industries: Vec<String>,
    pub totals: Totals,
    /// Sorted by severity (worst first), then API id, then case id: deterministic output.
    pub cases: Vec<CaseResult>,
    pub checks: Vec<CheckSummary>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub baseline: Option<BaselineDiff>,
}

impl Report {
    /// Deviations that fail the run: verdict `Fail`, at or above `fail_on`, and not accepted by
    /// the baseline. The exit code is decided from this one number (0 when none, else 1).
    pub fn failing(&self, fail_on: Severity) -> Vec<&Deviation> {
        let known: std::collections::HashSet<&str> = self
            .baseline
            .iter()
            .flat_map(|b| b.known.iter().map(String::as_str))
            .collect();
        self.cases
            .iter()
            .flat_map(|c| &c.deviations)
            .filter(|d| d.verdict == Verdict::Fail && d.severity >= fail_on)
            .filter(|d| !known.contains(d.fingerprint().as_str()))
            .collect()
    }
}
