//! The conformance client against our own server: every API the server serves, zero FAIL and
//! zero WARN. This one test keeps server, client and spec consistent with each other.

use std::time::Duration;

use mydata_testbed::conformance::model::Outcome;
use mydata_testbed::conformance::run::{CheckConfig, run, testbed_login};

use crate::helpers::*;

#[tokio::test]
async fn check_finds_no_deviation_in_our_own_server() {
    let app = spawn_app().await;
    let (industries, login) = testbed_login(&app.state.fixtures, &[]);
    let cfg = CheckConfig {
        target: app.base.clone(),
        spec_version: "v1".into(),
        industries,
        apis: vec![],
        only_checks: vec![],
        skip_checks: vec![],
        client: Some(login.client.clone()),
        login: Some(login),
        allow_revoke: true,
        timeout: Duration::from_secs(10),
        run_timeout: Duration::from_secs(300),
        concurrency: 8,
        rate: None,
        max_body: 4 << 20,
        unmask: false,
        baseline: None,
    };
    let report = run(app.state.spec.clone(), cfg, &|_, _| {})
        .await
        .expect("the run completes");
    let bad: Vec<String> = report
        .cases
        .iter()
        .filter(|c| matches!(c.outcome, Outcome::Fail | Outcome::Warn))
        .map(|c| {
            let d = c.deviations.first();
            format!(
                "{} {}: {} (expected {}, actual {}) {}",
                c.outcome.label(),
                c.case_id,
                d.map_or("", |d| &d.title),
                d.map_or("", |d| &d.expected),
                d.map_or("", |d| &d.actual),
                d.and_then(|d| d.pointer.clone()).unwrap_or_default()
            )
        })
        .collect();
    let skipped: Vec<String> = report
        .cases
        .iter()
        .filter_map(|c| match &c.outcome {
            Outcome::Skip { reason } => Some(format!("{}: {reason}", c.case_id)),
            _ => None,
        })
        .collect();
    assert!(
        bad.is_empty(),
        "{} deviating cases:\n{}",
        bad.len(),
        bad.join("\n")
    );
    assert_eq!(report.totals.fail + report.totals.warn, 0);
    assert!(report.totals.pass > 500, "{:?}", report.totals);
    // A skip is only acceptable where the fixtures give one customer alone an asset of a kind.
    let unexplained: Vec<&String> = skipped
        .iter()
        .filter(|s| !s.contains("no second customer's asset"))
        .collect();
    assert!(
        unexplained.is_empty(),
        "every other case runs against our server:\n{}",
        skipped.join("\n")
    );
    assert!(
        report
            .cases
            .iter()
            .filter(|c| c.kind == "positive")
            .all(|c| c.outcome == Outcome::Pass),
        "every API answers a valid request"
    );
}

fn check_binary(args: &[&str]) -> std::process::Output {
    std::process::Command::new(env!("CARGO_BIN_EXE_mydata-testbed"))
        .arg("check")
        .args(args)
        .env("MYDATA_LOG", "error")
        .output()
        .expect("the binary runs")
}

#[test]
fn check_exits_2_with_a_message_when_it_cannot_run() {
    let out = check_binary(&[
        "--target",
        "http://127.0.0.1:9",
        "--industry",
        "bank=TBBANK0001",
        "--access-token",
        "bank=T",
        "--timeout",
        "2",
    ]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("cannot be reached"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    let out = check_binary(&["--target", "http://127.0.0.1:9", "--industry", "bank"]);
    assert_eq!(out.status.code(), Some(2));
    assert!(
        String::from_utf8_lossy(&out.stderr).contains("org_code"),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

#[tokio::test]
async fn check_exits_1_on_deviations_and_a_baseline_accepts_known_ones() {
    use wiremock::matchers::any;
    use wiremock::{Mock, MockServer, ResponseTemplate};
    // A provider that answers every request 200 with an empty object: deviations everywhere.
    let bad = MockServer::start().await;
    Mock::given(any())
        .respond_with(ResponseTemplate::new(200).set_body_string("{}"))
        .mount(&bad)
        .await;
    let dir = tempfile::tempdir().expect("tempdir");
    let baseline = dir.path().join("baseline.json");
    let junit = dir.path().join("junit.xml");
    let args = [
        "--target",
        &bad.uri(),
        "--industry",
        "bank=TBBANK0001",
        "--access-token",
        "bank=SOMETOKEN",
        "--api",
        "은행-001",
        "--quiet",
    ];
    let first = tokio::task::spawn_blocking({
        let mut a: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        a.extend([
            "--write-baseline".into(),
            baseline.display().to_string(),
            "--report-junit".into(),
            junit.display().to_string(),
        ]);
        move || check_binary(&a.iter().map(String::as_str).collect::<Vec<_>>())
    })
    .await
    .expect("join");
    assert_eq!(
        first.status.code(),
        Some(1),
        "{}",
        String::from_utf8_lossy(&first.stderr)
    );
    assert!(
        std::fs::read_to_string(&junit)
            .expect("junit written")
            .contains("<testsuite")
    );
    let again = tokio::task::spawn_blocking({
        let mut a: Vec<String> = args.iter().map(|s| s.to_string()).collect();
        a.extend(["--baseline".into(), baseline.display().to_string()]);
        move || check_binary(&a.iter().map(String::as_str).collect::<Vec<_>>())
    })
    .await
    .expect("join");
    assert_eq!(
        again.status.code(),
        Some(0),
        "known deviations do not fail: {}",
        String::from_utf8_lossy(&again.stdout)
    );

    // Against our own server every known deviation is gone: the baseline lists them as fixed.
    let app = spawn_app().await;
    let base = app.base.clone();
    let out = tokio::task::spawn_blocking(move || {
        check_binary(&[
            "--target",
            &base,
            "--login",
            "testbed",
            "--industry",
            "bank",
            "--api",
            "은행-001",
            "--baseline",
            &baseline.display().to_string(),
            "--report-json",
            &dir.path().join("r.json").display().to_string(),
        ])
    })
    .await
    .expect("join");
    assert_eq!(
        out.status.code(),
        Some(0),
        "{}",
        String::from_utf8_lossy(&out.stdout)
    );
    let text = String::from_utf8_lossy(&out.stdout);
    assert!(
        text.contains("fixed"),
        "the text report lists fixed deviations: {text}"
    );
}
