//! Planted deviations: for each check of the conformance client, a wiremock provider that breaks
//! exactly that rule, and a report that contains exactly that deviation.
//!
//! The provider ([`mock::Provider`]) serves 은행-001 and 은행-004 of the bank industry as the
//! standard says; `correct_provider_has_no_deviation` proves it. Every other test plants one
//! deviation ([`mock::Plant`]) and asserts that the report's deviations all belong to the one
//! check that owns it, with the expected verdict, in the expected cases.

mod mock;

use std::collections::{BTreeMap, BTreeSet};
use std::sync::{Arc, LazyLock};
use std::time::Duration;

use mydata_testbed::conformance::model::{Outcome, Report, Severity, Verdict};
use mydata_testbed::conformance::run::{CheckConfig, IndustryCredentials, run};
use mydata_testbed::source::Source;
use mydata_testbed::spec::Spec;
use wiremock::matchers::any;
use wiremock::{Mock, MockServer};

use mock::{ORG_CODE, Plant, Provider};

static SPEC: LazyLock<Arc<Spec>> = LazyLock::new(|| {
    Arc::new(Spec::load(&Source::embedded_specs(), "v1").expect("the embedded v1 spec loads"))
});

/// Starts a provider with this plant and runs the conformance check against it.
async fn check(plant: Plant) -> Report {
    check_with(plant, Duration::from_secs(5), Duration::ZERO).await
}

async fn check_with(plant: Plant, timeout: Duration, slow: Duration) -> Report {
    let server = MockServer::start().await;
    Mock::given(any())
        .respond_with(Provider::new(plant, slow))
        .mount(&server)
        .await;
    let creds = IndustryCredentials {
        org_code: ORG_CODE.to_owned(),
        access_token: Some("TOKEN-A".to_owned()),
        second_access_token: Some("TOKEN-B".to_owned()),
        list_only_access_token: Some("TOKEN-LIST".to_owned()),
        expired_access_token: Some("TOKEN-EXPIRED".to_owned()),
    };
    let cfg = CheckConfig {
        target: server.uri(),
        spec_version: "v1".into(),
        industries: BTreeMap::from([("bank".to_owned(), creds)]),
        apis: vec!["은행-001".into(), "은행-004".into()],
        only_checks: vec![],
        skip_checks: vec![],
        client: None,
        login: None,
        allow_revoke: false,
        timeout,
        run_timeout: Duration::from_secs(120),
        concurrency: 4,
        rate: None,
        max_body: 1 << 20,
        unmask: false,
        baseline: None,
    };
    run(SPEC.clone(), cfg, &|_, _| {})
        .await
        .expect("the run completes")
}

/// Every deviation of a report, one line each, for failure messages.
fn summary(report: &Report) -> String {
    let mut lines = Vec::new();
    for c in &report.cases {
        if let Outcome::Skip { reason } = &c.outcome {
            lines.push(format!("SKIP {}: {reason}", c.case_id));
        }
        for d in &c.deviations {
            lines.push(format!(
                "{} {:?}/{:?} {} [{}] {} (expected {}, actual {}) {}",
                c.outcome.label(),
                d.verdict,
                d.severity,
                d.check_id,
                c.case_id,
                d.title,
                d.expected,
                d.actual,
                d.pointer.as_deref().unwrap_or("")
            ));
        }
    }
    lines.join("\n")
}

/// The report holds deviations of check `id` only, all with `verdict`, found by exactly the
/// cases of `kinds`; no case is skipped, and every other case passes.
fn assert_only(report: &Report, id: &str, verdict: Verdict, kinds: &[&str]) {
    let all = summary(report);
    let deviations: Vec<_> = report.cases.iter().flat_map(|c| &c.deviations).collect();
    let ids: BTreeSet<&str> = deviations.iter().map(|d| d.check_id.as_str()).collect();
    assert_eq!(
        ids,
        BTreeSet::from([id]),
        "exactly one check finds the plant:\n{all}"
    );
    assert!(
        deviations.iter().all(|d| d.verdict == verdict),
        "every deviation is a {verdict:?}:\n{all}"
    );
    let found: BTreeSet<&str> = report
        .cases
        .iter()
        .filter(|c| !c.deviations.is_empty())
        .map(|c| c.kind.as_str())
        .collect();
    assert_eq!(
        found,
        kinds.iter().copied().collect(),
        "the cases that find it:\n{all}"
    );
    let expected_outcome = match verdict {
        Verdict::Fail => Outcome::Fail,
        Verdict::Warn => Outcome::Warn,
    };
    for c in &report.cases {
        let want = if c.deviations.is_empty() {
            &Outcome::Pass
        } else {
            &expected_outcome
        };
        assert_eq!(&c.outcome, want, "{}:\n{all}", c.case_id);
    }
    assert_eq!(report.totals.skip, 0, "{all}");
}

/// The severity every deviation of the report carries.
fn severity(report: &Report) -> Severity {
    let s: BTreeSet<Severity> = report
        .cases
        .iter()
        .flat_map(|c| &c.deviations)
        .map(|d| d.severity)
        .collect();
    assert_eq!(s.len(), 1, "{}", summary(report));
    *s.first().expect("one severity")
}

#[tokio::test]
async fn correct_provider_has_no_deviation() {
    let report = check(Plant::Correct).await;
    let all = summary(&report);
    assert_eq!(report.totals.deviations, 0, "{all}");
    assert_eq!(report.totals.fail + report.totals.warn, 0, "{all}");
    assert_eq!(report.totals.skip, 0, "{all}");
    assert_eq!(report.totals.pass, report.totals.cases);
    // Both APIs, every case the plan has for them without login or revoke.
    let kinds: BTreeSet<&str> = report.cases.iter().map(|c| c.kind.as_str()).collect();
    for k in [
        "positive",
        "paging",
        "search_timestamp",
        "missing_tran_id",
        "malformed_tran_id",
        "missing_api_type",
        "bad_api_type",
        "no_token",
        "tampered_token",
        "expired_token",
        "wrong_scope",
        "cross_customer",
        "unknown_asset",
        "limit_over_max",
        "from_after_to",
        "too_old",
        "scheduled_window",
        "wrong_org_code",
        "wrong_method",
        "unknown_path",
        "wrong_version",
    ] {
        assert!(kinds.contains(k), "the plan has a {k} case: {kinds:?}");
    }
    let apis: BTreeSet<&str> = report.cases.iter().map(|c| c.api_id.as_str()).collect();
    assert_eq!(apis, BTreeSet::from(["은행-001", "은행-004"]));
}

/// One test per planted deviation: the plant, the check that must find it, its verdict, and the
/// kinds of the cases that must report it.
macro_rules! planted {
    ($( $(#[$meta:meta])* $name:ident: $plant:ident => $check:literal, $verdict:ident, [$($kind:literal),* $(,)?]; )*) => {
        $(
            $(#[$meta])*
            #[tokio::test]
            async fn $name() {
                let report = check(Plant::$plant).await;
                assert_only(&report, $check, Verdict::$verdict, &[$($kind),*]);
            }
        )*
    };
}

planted! {
    missing_echo_on_errors: EchoMissingOnErrors => "tran_id_echo", Fail, [
        "malformed_tran_id", "missing_api_type", "bad_api_type", "no_token", "tampered_token",
        "expired_token", "wrong_scope", "cross_customer", "unknown_asset", "limit_over_max",
        "from_after_to", "too_old", "scheduled_window", "wrong_org_code", "wrong_method",
        "unknown_path", "wrong_version",
    ];
    missing_echo_on_success: EchoMissingOnSuccess => "tran_id_echo", Fail, ["positive", "paging", "search_timestamp"];
    another_tran_id_echoed: EchoAnotherId => "tran_id_echo", Fail, [
        "positive", "paging", "search_timestamp", "malformed_tran_id", "missing_api_type",
        "bad_api_type", "no_token", "tampered_token", "expired_token", "wrong_scope",
        "cross_customer", "unknown_asset", "limit_over_max", "from_after_to", "too_old",
        "scheduled_window", "wrong_org_code", "wrong_method", "unknown_path", "wrong_version",
    ];
    valid_small_limit_refused: RefuseSmallLimit => "positive_success", Fail, ["paging"];
    required_field_missing: MissingRegDate => "response_schema_conformance", Fail, ["positive", "paging", "search_timestamp"];
    count_missing: MissingCount => "response_schema_conformance", Fail, ["positive", "paging", "search_timestamp"];
    date_in_the_wrong_format: DateWithDashes => "response_schema_conformance", Fail, ["positive", "paging", "search_timestamp"];
    text_over_its_length: ProdNameTooLong => "response_schema_conformance", Fail, ["positive", "paging", "search_timestamp"];
    number_where_a_string_belongs: AmountAsNumber => "values_are_strings", Warn, ["positive", "paging"];
    count_as_a_number: CountAsNumber => "values_are_strings", Warn, ["positive", "paging", "search_timestamp"];
    count_is_the_total_not_the_page: CountIsTotal => "count_matches_list", Fail, ["paging"];
    code_outside_the_table: AccountStatus07 => "code_values", Warn, ["positive", "paging", "search_timestamp"];
    item_repeated_across_pages: DuplicateAcrossPages => "pagination_chain", Fail, ["paging"];
    next_page_on_the_last_page_loops: NextPageLoops => "pagination_chain", Fail, ["paging"];
    cursor_not_url_safe: CursorNotUrlSafe => "pagination_chain", Fail, ["paging"];
    page_larger_than_limit: PageOverLimit => "pagination_limit_respected", Fail, ["paging"];
    search_timestamp_on_later_pages: TimestampOnLaterPages => "search_timestamp_semantics", Warn, ["paging"];
    no_search_timestamp_on_the_first_page: NoSearchTimestamp => "search_timestamp_semantics", Fail, ["search_timestamp"];
    up_to_date_answer_carries_data: UpToDateWithData => "search_timestamp_semantics", Fail, ["search_timestamp"];
    missing_tran_id_served: MissingTranIdServed => "tran_id_required", Fail, ["missing_tran_id"];
    malformed_tran_id_served: MalformedTranIdServed => "tran_id_required", Fail, ["malformed_tran_id"];
    missing_api_type_served: MissingApiTypeServed => "api_type_required", Fail, ["missing_api_type"];
    unknown_api_type_served: UnknownApiTypeServed => "api_type_required", Fail, ["bad_api_type"];
    request_without_token_served: NoTokenServed => "token_required", Fail, ["no_token"];
    tampered_token_accepted: TamperedTokenServed => "token_tampered_rejected", Fail, ["tampered_token"];
    expired_token_accepted: ExpiredTokenServed => "token_expired_rejected", Fail, ["expired_token"];
    scope_not_enforced: ScopeIgnored => "scope_enforced", Fail, ["wrong_scope"];
    unknown_asset_with_a_plausible_other_code: UnknownAsset40403 => "unknown_asset_rejected", Warn, ["unknown_asset"];
    limit_over_max_clamped: LimitOverMaxClamped => "limit_over_max_rejected", Fail, ["limit_over_max"];
    from_after_to_served: FromAfterToServed => "period_from_after_to_rejected", Fail, ["from_after_to"];
    too_old_refused_with_another_status: TooOldAs40001 => "period_too_old_rejected", Fail, ["too_old"];
    scheduled_window_ignored: ScheduledWindowIgnored => "period_scheduled_window_rejected", Fail, ["scheduled_window"];
    wrong_rsp_code_with_another_status: OrgCodeAs40001 => "org_code_checked", Fail, ["wrong_org_code"];
    wrong_rsp_code_with_the_same_status: OrgCodeAs40301 => "org_code_checked", Warn, ["wrong_org_code"];
    wrong_method_answered_not_found: WrongMethodAs404 => "method_not_allowed", Fail, ["wrong_method"];
    unknown_path_answered_forbidden: UnknownPathAs403 => "unknown_path", Fail, ["unknown_path"];
    unserved_version_served: VersionIgnored => "version_checked", Fail, ["wrong_version"];
    html_error_page: HtmlErrorPage => "json_body", Fail, ["unknown_path"];
    not_declared_as_json: TextPlain => "content_type_json", Warn, [
        "positive", "paging", "search_timestamp", "missing_tran_id", "malformed_tran_id",
        "missing_api_type", "bad_api_type", "no_token", "tampered_token", "expired_token",
        "wrong_scope", "cross_customer", "unknown_asset", "limit_over_max", "from_after_to",
        "too_old", "scheduled_window", "wrong_org_code", "wrong_method", "unknown_path",
        "wrong_version",
    ];
}

/// The cross-customer leak is the one critical finding: customer A's token reads B's account.
#[tokio::test]
async fn cross_customer_leak_is_critical() {
    let report = check(Plant::CrossCustomerLeak).await;
    assert_only(
        &report,
        "cross_customer_asset_rejected",
        Verdict::Fail,
        &["cross_customer"],
    );
    assert_eq!(severity(&report), Severity::Critical);
    let d = &report
        .cases
        .iter()
        .find(|c| c.kind == "cross_customer")
        .expect("the case")
        .deviations[0];
    assert_eq!(d.api_id, "은행-004");
    assert!(d.title.contains("leak"), "{}", d.title);
    // The evidence holds the leaked data, with B's account number masked.
    let body = &d.evidence.response.as_ref().expect("a response").body;
    assert!(body.contains("trans_list"), "{body}");
    assert!(!body.contains("2000000000001"), "masked: {body}");
}

/// An answer that never comes within the timeout is a transport deviation of that case only.
#[tokio::test]
async fn answer_slower_than_the_timeout() {
    let report = check_with(
        Plant::SlowUnknownPath,
        Duration::from_secs(2),
        Duration::from_secs(4),
    )
    .await;
    assert_only(&report, "transport", Verdict::Fail, &["unknown_path"]);
}

/// Severities follow the registry: a token accepted without checks is critical, a number where a
/// string belongs is low.
#[tokio::test]
async fn severities_follow_the_registry() {
    let expired = check(Plant::ExpiredTokenServed).await;
    assert_eq!(severity(&expired), Severity::Critical);
    let d = &expired
        .cases
        .iter()
        .find(|c| c.kind == "expired_token")
        .expect("the case")
        .deviations[0];
    assert!(d.actual.contains("HTTP 200"), "{}", d.actual);
    let number = check(Plant::AmountAsNumber).await;
    assert_eq!(severity(&number), Severity::Low);
}
