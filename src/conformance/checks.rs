//! The checks of a conformance run: a static registry (stable id, severity, the clause of the
//! standard it enforces) and the rules that turn one exchange into [`Deviation`]s.
//!
//! Expectations of negative cases are data ([`Expect`]): the HTTP statuses and rsp_codes the
//! standard calls for, and the codes implementations plausibly use instead. A different but
//! plausible code is a WARN; a different HTTP status (or a success where a refusal belongs) FAILs.

use serde_json::Value;

use super::client::Sent;
use super::model::{Deviation, Severity, Verdict};
use crate::spec::validate::{Rule, validate_response};
use crate::spec::{ApiEntry, Spec};

/// One check of the registry.
#[derive(Debug, Clone, Copy)]
pub struct CheckDef {
    pub id: &'static str,
    pub severity: Severity,
    pub clause: &'static str,
    pub description: &'static str,
}

macro_rules! checks {
    ($( $id:literal, $sev:ident, $clause:literal, $desc:literal; )*) => {
        /// Every check, by stable id.
        pub const CHECKS: &[CheckDef] = &[ $( CheckDef { id: $id, severity: Severity::$sev, clause: $clause, description: $desc }, )* ];
    };
}

checks! {
    "transport", High, "§1.1", "the target answers every request: no timeout, refusal or reset";
    "json_body", High, "§1.1", "answers are JSON objects, errors included (no HTML error pages)";
    "content_type_json", Low, "§1.1", "answers carry Content-Type application/json; charset=UTF-8";
    "tran_id_echo", High, "§1.4.1", "x-api-tran-id is echoed on every response, errors included";
    "positive_success", High, "§5.1", "a valid request answers HTTP 200 with rsp_code 00000 (or 00001)";
    "response_schema_conformance", Medium, "§3 field tables, §1.3", "response fields are present, typed and within length";
    "values_are_strings", Low, "§1.3", "every value is a JSON string";
    "count_matches_list", High, "§1.5", "a *_cnt field equals the length of its list";
    "code_values", Low, "§3.19", "code fields hold values of the standard's code tables";
    "pagination_chain", High, "§1.6", "next_page walks every item once: no duplicates, no gaps, no next_page on the last page, URL-safe cursors";
    "pagination_limit_respected", Medium, "§1.6", "a page holds at most limit items";
    "search_timestamp_semantics", Medium, "§1.7", "search_timestamp on page 1 only; 00001 carries no data";
    "tran_id_required", High, "§1.4.1, §5.1", "a missing or malformed x-api-tran-id answers 400 / 40002";
    "api_type_required", High, "§1.4.2, §5.1", "a missing or unknown x-api-type answers 400 / 40002";
    "token_required", Critical, "§1.4, §5.1", "a request without a token is refused (40002 or 40101)";
    "token_tampered_rejected", Critical, "§2.1, §5.1", "a tampered token answers 401 / 40101";
    "token_expired_rejected", Critical, "§2.1, §5.1", "an expired token answers 401 / 40101";
    "token_revoked_rejected", Critical, "§2.2.5, §5.1", "a revoked token answers 401 / 40101";
    "scope_enforced", High, "§2.4, §5.1", "an API outside the token's scope answers 401 / 40104";
    "cross_customer_asset_rejected", Critical, "§2.1 rule 7, §5.1", "another customer's asset answers 404 / 40402, never data";
    "unknown_asset_rejected", High, "§3.1, §5.1", "an unknown asset answers 404 / 40402";
    "limit_over_max_rejected", Medium, "§1.6, §5.1", "limit 501 answers 400 / 40001";
    "period_from_after_to_rejected", Medium, "§1.8, §5.1", "from after to answers 400 / 40001";
    "period_too_old_rejected", High, "§1.8, §5.1", "a period starting more than five years back answers 403 / 40304";
    "period_scheduled_window_rejected", Medium, "§1.8, §5.1", "a scheduled call over 32 days (4 months for month APIs) answers 400 / 40004";
    "org_code_checked", Medium, "§3.1, §5.1", "another provider's org_code answers 403 / 40303";
    "method_not_allowed", Low, "§1.1, §5.1", "a wrong method answers 405 / 40501";
    "unknown_path", Low, "§5.1", "an unknown path answers 404 / 40401";
    "version_checked", Low, "§1.1, §5.1", "an unserved version answers 400 / 40003";
    "oauth_bad_client_rejected", High, "§2.2.3, §2.5", "a wrong client_secret answers 400 invalid_client";
    "oauth_code_reuse_rejected", Critical, "§2.1 rule 5, §2.5", "a reused authorization code answers 400 invalid_grant";
    "oauth_redirect_mismatch_rejected", High, "§2.1 rule 5, §2.5", "a redirect_uri other than the authorize request's answers 400 invalid_grant";
}

/// The registry entry of a check id.
pub fn def(id: &str) -> &'static CheckDef {
    CHECKS
        .iter()
        .find(|c| c.id == id)
        .unwrap_or_else(|| panic!("check `{id}` is in the registry"))
}

/// What a negative case expects back.
#[derive(Debug, Clone, Copy)]
pub struct Expect {
    /// HTTP statuses the standard allows.
    pub statuses: &'static [u16],
    /// rsp_codes (or OAuth `error`s) the standard calls for.
    pub codes: &'static [&'static str],
}

/// Collects the deviations of one case.
pub struct Findings<'a> {
    pub case_id: &'a str,
    pub api_id: &'a str,
    pub enabled: &'a dyn Fn(&str) -> bool,
    pub out: Vec<Deviation>,
}

impl Findings<'_> {
    /// Records a deviation of check `id` (when that check is on).
    #[allow(clippy::too_many_arguments)] // the fields of one deviation, in the order they print
    pub fn add(
        &mut self,
        id: &str,
        verdict: Verdict,
        title: impl Into<String>,
        expected: impl Into<String>,
        actual: impl Into<String>,
        pointer: Option<String>,
        sent: &Sent,
    ) {
        if !(self.enabled)(id) {
            return;
        }
        let d = def(id);
        // Text from the target reaches terminals: control characters are shown, not obeyed.
        let clean = |t: String| -> String {
            t.chars()
                .map(|c| if c.is_control() { '\u{FFFD}' } else { c })
                .collect()
        };
        let (title, expected, actual) = (
            clean(title.into()),
            clean(expected.into()),
            clean(actual.into()),
        );
        let dev = Deviation {
            check_id: d.id.to_owned(),
            api_id: self.api_id.to_owned(),
            case_id: self.case_id.to_owned(),
            severity: d.severity,
            verdict,
            clause: d.clause.to_owned(),
            title,
            expected,
            actual,
            pointer,
            evidence: sent.exchange.clone(),
        };
        // Deduplicate on (check, api, case, pointer).
        if !self
            .out
            .iter()
            .any(|o| o.fingerprint() == dev.fingerprint())
        {
            self.out.push(dev);
        }
    }

    /// The checks every exchange gets: an answer came, it echoes the tran id, it is JSON.
    /// Returns the JSON body when there is one.
    pub fn basics<'s>(&mut self, sent: &'s Sent, tran_id: Option<&str>) -> Option<&'s Value> {
        let Some(status) = sent.status else {
            let why = sent.exchange.transport_error.clone().unwrap_or_default();
            self.add(
                "transport",
                Verdict::Fail,
                "no answer",
                "an HTTP response",
                why,
                None,
                sent,
            );
            return None;
        };
        if let Some(t) = tran_id {
            let echoed = sent.header("x-api-tran-id");
            if echoed != Some(t) {
                let actual =
                    echoed.map_or("no x-api-tran-id header".to_owned(), |e| format!("\"{e}\""));
                self.add(
                    "tran_id_echo",
                    Verdict::Fail,
                    "x-api-tran-id not echoed",
                    format!("\"{t}\""),
                    actual,
                    None,
                    sent,
                );
            }
        }
        match &sent.json {
            Some(v @ Value::Object(_)) => {
                let ct = sent.header("content-type").unwrap_or("");
                if !ct.to_ascii_lowercase().starts_with("application/json") {
                    self.add(
                        "content_type_json",
                        Verdict::Warn,
                        "not declared as JSON",
                        "application/json; charset=UTF-8",
                        format!("\"{ct}\""),
                        None,
                        sent,
                    );
                }
                Some(v)
            }
            _ => {
                let ct = sent.header("content-type").unwrap_or("no content type");
                let head: String = sent.text.chars().take(80).collect();
                let actual = if sent.exchange.response.as_ref().is_some_and(|r| r.truncated) {
                    "a body over the size limit".to_owned()
                } else {
                    format!("HTTP {status}, {ct}: {head:?}")
                };
                self.add(
                    "json_body",
                    Verdict::Fail,
                    "the answer is not a JSON object",
                    "a JSON object",
                    actual,
                    None,
                    sent,
                );
                None
            }
        }
    }

    /// A valid request: 200 with 00000/00001 and a body that matches the spec.
    pub fn success(&mut self, spec: &Spec, entry: &ApiEntry, sent: &Sent, tran_id: &str) -> bool {
        let Some(body) = self.basics(sent, Some(tran_id)) else {
            return false;
        };
        let code = body.get("rsp_code").and_then(Value::as_str).unwrap_or("");
        let status = sent.status.unwrap_or(0);
        if status != 200 || !matches!(code, "00000" | "00001") {
            let msg = body.get("rsp_msg").and_then(Value::as_str).unwrap_or("");
            let actual = format!("HTTP {status}, rsp_code {code:?} {msg}");
            self.add(
                "positive_success",
                Verdict::Fail,
                "a valid request was refused",
                "HTTP 200, rsp_code 00000",
                actual,
                None,
                sent,
            );
            return false;
        }
        self.schema(spec, entry, body, sent);
        true
    }

    /// Response schema rules, each violation mapped to its check and verdict.
    pub fn schema(&mut self, spec: &Spec, entry: &ApiEntry, body: &Value, sent: &Sent) {
        // Data on a 00001 answer is one deviation of search_timestamp_semantics (§1.7), not one
        // unknown field per data field.
        let up_to_date = body.get("rsp_code").and_then(Value::as_str) == Some("00001");
        let violations = validate_response(spec, entry, body);
        if up_to_date && violations.iter().any(|v| v.rule == Rule::Unknown) {
            let keys: Vec<&String> = body
                .as_object()
                .map(|o| o.keys().collect())
                .unwrap_or_default();
            self.add(
                "search_timestamp_semantics",
                Verdict::Fail,
                "00001 carries data",
                "only rsp_code and rsp_msg",
                format!("{keys:?}"),
                None,
                sent,
            );
        }
        for v in violations
            .into_iter()
            .filter(|v| !(up_to_date && v.rule == Rule::Unknown))
        {
            let (id, verdict, title) = match v.rule {
                Rule::Missing => (
                    "response_schema_conformance",
                    Verdict::Fail,
                    "a required field is missing",
                ),
                Rule::Format | Rule::Shape => (
                    "response_schema_conformance",
                    Verdict::Fail,
                    "a value breaks its type",
                ),
                Rule::Unknown => (
                    "response_schema_conformance",
                    Verdict::Warn,
                    "a field the spec does not define",
                ),
                Rule::NotString => (
                    "values_are_strings",
                    Verdict::Warn,
                    "a value that is not a JSON string",
                ),
                Rule::Count => (
                    "count_matches_list",
                    Verdict::Fail,
                    "a count differs from its list",
                ),
                Rule::Code => (
                    "code_values",
                    Verdict::Warn,
                    "a code outside the standard's code table",
                ),
            };
            self.add(
                id,
                verdict,
                title,
                v.expected,
                v.actual,
                Some(v.pointer),
                sent,
            );
        }
    }

    /// A negative case: the answer must be one of the expected refusals.
    pub fn refusal(
        &mut self,
        id: &str,
        sent: &Sent,
        tran_id: Option<&str>,
        expect: Expect,
        oauth: bool,
    ) {
        let Some(body) = self.basics(sent, tran_id) else {
            return;
        };
        let status = sent.status.unwrap_or(0);
        let code_field = if oauth { "error" } else { "rsp_code" };
        let code = body.get(code_field).and_then(Value::as_str).unwrap_or("");
        let expected = format!(
            "HTTP {}, {code_field} {}",
            join(expect.statuses),
            expect.codes.join(" or ")
        );
        let actual = format!("HTTP {status}, {code_field} {code:?}");
        if (200..300).contains(&status) {
            let title = if oauth {
                "accepted where the standard refuses"
            } else {
                "answered with data where the standard refuses"
            };
            self.add(id, Verdict::Fail, title, expected, actual, None, sent);
        } else if !expect.statuses.contains(&status) {
            self.add(
                id,
                Verdict::Fail,
                "refused with another HTTP status",
                expected,
                actual,
                None,
                sent,
            );
        } else if !expect.codes.contains(&code) {
            self.add(
                id,
                Verdict::Warn,
                "refused with a different but plausible code",
                expected,
                actual,
                None,
                sent,
            );
        }
    }
}

fn join(statuses: &[u16]) -> String {
    statuses
        .iter()
        .map(u16::to_string)
        .collect::<Vec<_>>()
        .join(" or ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn check_ids_are_unique_and_clauses_cited() {
        let mut ids: Vec<&str> = CHECKS.iter().map(|c| c.id).collect();
        ids.sort_unstable();
        ids.dedup();
        assert_eq!(ids.len(), CHECKS.len());
        assert!(CHECKS.iter().all(|c| c.clause.starts_with('§')));
    }
}
