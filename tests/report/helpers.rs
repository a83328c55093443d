//! The sample report every test renders, and the redaction applied before snapshotting.

use mydata_testbed::conformance::model::{
    BaselineDiff, CaseResult, CheckSummary, Deviation, Exchange, Outcome, Report, RequestRecord,
    ResponseRecord, Severity, Totals, Verdict,
};

const TARGET: &str = "https://mydata.provider.example";

/// Replaces values that change from run to run with placeholders, like uv's `uv_snapshot!`
/// filters: `127.0.0.1:<port>` (a spawned server) becomes `127.0.0.1:[PORT]`. Add a rule here
/// when a snapshot starts to carry another volatile value (a run's real start time, a tran id).
pub fn redact(s: &str) -> String {
    redact_port_after(s, "127.0.0.1:")
}

fn redact_port_after(s: &str, prefix: &str) -> String {
    let mut out = String::with_capacity(s.len());
    let mut rest = s;
    while let Some(i) = rest.find(prefix) {
        let (head, tail) = rest.split_at(i + prefix.len());
        out.push_str(head);
        let digits = tail.bytes().take_while(u8::is_ascii_digit).count();
        if digits > 0 {
            out.push_str("[PORT]");
        }
        rest = &tail[digits..];
    }
    out.push_str(rest);
    out
}

fn headers(pairs: &[(&str, &str)]) -> Vec<(String, String)> {
    pairs
        .iter()
        .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
        .collect()
}

fn get(path_and_query: &str, with_token: bool, tran_id: &str) -> RequestRecord {
    let mut h = vec![("x-api-tran-id", tran_id), ("x-api-type", "user-search")];
    if with_token {
        h.insert(0, ("authorization", "Bearer ****"));
    }
    RequestRecord {
        method: "GET".to_owned(),
        url: format!("{TARGET}{path_and_query}"),
        headers: headers(&h),
        body: None,
    }
}

fn curl(req: &RequestRecord) -> String {
    let mut line = format!("curl -i -X {} '{}'", req.method, req.url);
    for (k, v) in &req.headers {
        line.push_str(&format!(" -H '{k}: {v}'"));
    }
    line
}

fn exchange(
    request: RequestRecord,
    status: u16,
    resp_headers: &[(&str, &str)],
    body: &str,
    elapsed_ms: u64,
) -> Exchange {
    let curl = curl(&request);
    Exchange {
        request,
        response: Some(ResponseRecord {
            status,
            headers: headers(resp_headers),
            body: body.to_owned(),
            truncated: false,
        }),
        transport_error: None,
        elapsed_ms,
        curl,
    }
}

#[allow(clippy::too_many_arguments)]
fn deviation(
    case: &CaseResult,
    check_id: &str,
    severity: Severity,
    verdict: Verdict,
    clause: &str,
    title: &str,
    expected: &str,
    actual: &str,
    pointer: Option<&str>,
    evidence: Exchange,
) -> Deviation {
    Deviation {
        check_id: check_id.to_owned(),
        api_id: case.api_id.clone(),
        case_id: case.case_id.clone(),
        severity,
        verdict,
        clause: clause.to_owned(),
        title: title.to_owned(),
        expected: expected.to_owned(),
        actual: actual.to_owned(),
        pointer: pointer.map(str::to_owned),
        evidence,
    }
}

fn case(
    case_id: &str,
    industry: &str,
    api_id: &str,
    kind: &str,
    title: &str,
    outcome: Outcome,
    elapsed_ms: u64,
) -> CaseResult {
    CaseResult {
        case_id: case_id.to_owned(),
        industry: industry.to_owned(),
        api_id: api_id.to_owned(),
        kind: kind.to_owned(),
        title: title.to_owned(),
        outcome,
        deviations: Vec::new(),
        exchanges: 1,
        elapsed_ms,
    }
}

fn check(
    id: &str,
    severity: Severity,
    clause: &str,
    description: &str,
    counts: [usize; 3],
) -> CheckSummary {
    CheckSummary {
        id: id.to_owned(),
        severity,
        clause: clause.to_owned(),
        description: description.to_owned(),
        passed: counts[0],
        failed: counts[1],
        warned: counts[2],
    }
}

/// A fixed run over two industries: a Critical FAIL, a FAIL with two deviations (one with a JSON
/// pointer), a WARN, two PASSes and two SKIPs, with a baseline that knows one deviation and saw
/// another fixed. Cases are in the order `run` sorts them (FAIL, WARN, PASS, SKIP; worst first).
pub fn sample_report() -> Report {
    let accounts = "/v1/bank/accounts?org_code=0000000000&search_timestamp=0&limit=500";

    // A request without a token that the target served anyway: a Critical data leak.
    let mut no_token = case(
        "bank.은행-002.no_token",
        "bank",
        "은행-002",
        "no_token",
        "a request without a token is refused",
        Outcome::Fail,
        41,
    );
    let req = get(accounts, false, "1234567890M00000000000001");
    no_token.deviations.push(deviation(
        &no_token,
        "token_required",
        Severity::Critical,
        Verdict::Fail,
        "§1.4, §5.1",
        "a request without a token was answered with data",
        "HTTP 401 with rsp_code 40101 (or HTTP 400 / 40002)",
        "HTTP 200 with rsp_code 00000",
        None,
        exchange(
            req,
            200,
            &[("content-type", "application/json; charset=UTF-8"), ("x-api-tran-id", "1234567890M00000000000001")],
            r#"{"rsp_code":"00000","rsp_msg":"성공","search_timestamp":"20250301090000","account_cnt":"1","account_list":[{"account_num":"1002123456789","is_consent":"true","prod_name":"<자유> 입출금 & 저축"}]}"#,
            38,
        ),
    ));

    // A positive request whose answer breaks two rules.
    let mut positive = case(
        "bank.은행-002.positive",
        "bank",
        "은행-002",
        "positive",
        "a valid request answers 200 / 00000 with the spec's fields",
        Outcome::Fail,
        52,
    );
    let req = get(accounts, true, "1234567890M00000000000002");
    let body = r#"{"rsp_code":"00000","rsp_msg":"성공","search_timestamp":"20250301090000","account_cnt":"1","account_list":[{"account_num":"1002-1234-5678-9012-3456-78","is_consent":"true"}]}"#;
    let ex = exchange(
        req,
        200,
        &[("content-type", "application/json; charset=UTF-8")],
        body,
        47,
    );
    positive.deviations.push(deviation(
        &positive,
        "tran_id_echo",
        Severity::High,
        Verdict::Fail,
        "§1.4.1",
        "x-api-tran-id is not echoed",
        "x-api-tran-id: 1234567890M00000000000002",
        "(header missing)",
        None,
        ex.clone(),
    ));
    positive.deviations.push(deviation(
        &positive,
        "response_schema_conformance",
        Severity::Medium,
        Verdict::Fail,
        "§3 field tables, §1.3",
        "account_num is longer than the spec allows",
        "a string of at most 20 characters",
        "\"1002-1234-5678-9012-3456-78\" (26 characters)",
        Some("/account_list/0/account_num"),
        ex,
    ));

    // A plausible but different rsp_code: the standard leaves room, so only a warning.
    let mut missing_tran_id = case(
        "card.카드-001.missing_tran_id",
        "card",
        "카드-001",
        "missing_tran_id",
        "a missing x-api-tran-id answers 400 / 40002",
        Outcome::Warn,
        29,
    );
    let mut req = get("/v1/card/cards?org_code=0000000001&limit=500", true, "");
    req.headers.retain(|(k, _)| k != "x-api-tran-id");
    missing_tran_id.deviations.push(deviation(
        &missing_tran_id,
        "tran_id_required",
        Severity::High,
        Verdict::Warn,
        "§1.4.1, §5.1",
        "a missing x-api-tran-id answered a different rsp_code",
        "rsp_code 40002",
        "rsp_code 40001 (HTTP 400)\nrsp_msg: 필수 헤더 누락",
        None,
        exchange(
            req,
            400,
            &[("content-type", "application/json; charset=UTF-8")],
            r#"{"rsp_code":"40001","rsp_msg":"필수 헤더 누락"}"#,
            27,
        ),
    ));

    let cases = vec![
        no_token,
        positive,
        missing_tran_id,
        case(
            "bank.은행-001.positive",
            "bank",
            "은행-001",
            "positive",
            "a valid request answers 200 / 00000 with the spec's fields",
            Outcome::Pass,
            35,
        ),
        case(
            "card.카드-001.positive",
            "card",
            "카드-001",
            "positive",
            "a valid request answers 200 / 00000 with the spec's fields",
            Outcome::Pass,
            1210,
        ),
        case(
            "bank.token_revoked",
            "bank",
            "은행-001",
            "token_revoked",
            "a revoked token answers 401 / 40101",
            Outcome::Skip {
                reason: "the target declares no token revocation endpoint".to_owned(),
            },
            0,
        ),
        case(
            "card.카드-001.cross_customer_asset",
            "card",
            "카드-001",
            "cross_customer_asset",
            "another customer's asset answers 404 / 40402, never data",
            Outcome::Skip {
                reason: "no second customer's credentials (--customer2)".to_owned(),
            },
            0,
        ),
    ];

    let known = cases[2].deviations[0].fingerprint();
    Report {
        tool: "mydata-testbed 0.1.0".to_owned(),
        target: TARGET.to_owned(),
        spec_version: "v1".to_owned(),
        started: "2025-03-01T00:00:00Z".to_owned(),
        elapsed_ms: 2345,
        industries: vec!["bank".to_owned(), "card".to_owned()],
        totals: Totals {
            cases: 7,
            pass: 2,
            fail: 2,
            warn: 1,
            skip: 2,
            deviations: 4,
        },
        cases,
        checks: vec![
            check(
                "token_required",
                Severity::Critical,
                "§1.4, §5.1",
                "a request without a token is refused (40002 or 40101)",
                [0, 1, 0],
            ),
            check(
                "tran_id_echo",
                Severity::High,
                "§1.4.1",
                "x-api-tran-id is echoed on every response, errors included",
                [3, 1, 0],
            ),
            check(
                "tran_id_required",
                Severity::High,
                "§1.4.1, §5.1",
                "a missing or malformed x-api-tran-id answers 400 / 40002",
                [0, 0, 1],
            ),
            check(
                "response_schema_conformance",
                Severity::Medium,
                "§3 field tables, §1.3",
                "response fields are present, typed and within length",
                [2, 1, 0],
            ),
            check(
                "values_are_strings",
                Severity::Low,
                "§1.3",
                "every value is a JSON string",
                [3, 0, 0],
            ),
        ],
        baseline: Some(BaselineDiff {
            known: vec![known],
            fixed: vec![
                "values_are_strings|은행-001|bank.은행-001.positive|/account_cnt".to_owned(),
            ],
        }),
    }
}
