//! The testbed's scenarios (deliberate faults), created through the admin API in a namespace or
//! sent for one request in `x-testbed-scenario`: each kind does what it says to the calls it
//! matches, and nothing to the others.

use std::time::{Duration, Instant};

use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

const C001_DEPOSIT: &str = "110482913570";
const C001_SAVINGS: &str = "210482913581";

fn basic(account: &str) -> Value {
    json!({ "account_num": account })
}

/// A namespace handle and a token of `customer` with all of their bank assets.
async fn ns_login(app: &TestApp, ns: &str, customer: &str, scheduled: bool) -> (TestApp, Tokens) {
    let handle = app.in_namespace(ns);
    let tokens = handle.login(customer, None, scheduled).await;
    (handle, tokens)
}

async fn accounts(app: &TestApp, token: &str) -> Answer {
    app.call("은행-001", token, "user-consent", json!({"limit": "10"}))
        .await
}

async fn deposit(app: &TestApp, token: &str, account: &str) -> Answer {
    app.call("은행-002", token, "user-consent", basic(account))
        .await
}

#[tokio::test]
async fn rsp_code_scenarios_answer_the_code_with_the_tables_status() {
    let app = shared_testbed();
    let (ns, t) = ns_login(&app, "scn-rsp", "C001", false).await;
    for (code, status) in [
        ("50005", StatusCode::INTERNAL_SERVER_ERROR),
        ("40302", StatusCode::FORBIDDEN),
    ] {
        let id = app
            .add_scenario("scn-rsp", json!({"kind": "rsp_code", "code": code}))
            .await;
        // `call` also checks the status against the rsp_code table.
        let answer = accounts(&ns, &t.access).await;
        assert_eq!((answer.status, answer.rsp_code()), (status, code));
        let entry = app.last_entry("scn-rsp").await;
        assert_eq!(entry["scenarios"], json!([id.to_string()]));
        assert_eq!(
            entry["verdict"], "pass",
            "an answer the testbed forced is not the app's fault: {entry}"
        );
        app.admin_ok(
            Method::DELETE,
            &format!("/namespaces/scn-rsp/scenarios/{id}"),
            None,
        )
        .await;
    }
    assert_eq!(accounts(&ns, &t.access).await.rsp_code(), "00000");
}

#[tokio::test]
async fn fixed_latency_delays_the_answer_by_at_least_its_ms() {
    let app = shared_testbed();
    let (ns, t) = ns_login(&app, "scn-slow", "C001", false).await;
    app.add_scenario(
        "scn-slow",
        json!({"kind": "latency", "ms": 150, "match": {"api_id": "은행-001"}}),
    )
    .await;
    let started = Instant::now();
    let answer = accounts(&ns, &t.access).await;
    let took = started.elapsed();
    assert_eq!(answer.rsp_code(), "00000", "latency keeps the answer");
    assert!(took >= Duration::from_millis(150), "took {took:?}");
    let entry = app.last_entry("scn-slow").await;
    assert!(
        entry["latency_us"].as_u64().expect("latency_us") >= 150_000,
        "{entry}"
    );
}

/// The documented draw of a seeded latency scenario (splitmix64 of `seed ^ n`, n = 0, 1, ...).
fn seeded_draw(seed: u64, n: u64, lo: u64, hi: u64) -> u64 {
    let mut z = (seed ^ n).wrapping_add(0x9E37_79B9_7F4A_7C15);
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    lo + (z ^ (z >> 31)) % (hi - lo + 1)
}

#[tokio::test]
async fn seeded_random_latency_replays_the_same_delays_in_each_namespace() {
    let (lo, hi, seed) = (5, 60, 7);
    let app = shared_testbed();
    let expected: Vec<u64> = (0..4).map(|n| seeded_draw(seed, n, lo, hi)).collect();
    assert!(
        expected.iter().any(|d| *d != expected[0]),
        "the draws vary: {expected:?}"
    );
    let run = |name: &'static str| {
        let app = &app;
        async move {
            let (ns, t) = ns_login(app, name, "C001", false).await;
            let id = app
                .add_scenario(
                    name,
                    json!({"kind": "latency", "min_ms": lo, "max_ms": hi, "seed": seed,
                           "match": {"api_id": "은행-001"}}),
                )
                .await;
            for _ in 0..4 {
                assert_eq!(accounts(&ns, &t.access).await.rsp_code(), "00000");
            }
            let mut entries = app.journal(name, "api_id=은행-001").await;
            entries.reverse();
            let scenario = app
                .admin_ok(
                    Method::GET,
                    &format!("/namespaces/{name}/scenarios/{id}"),
                    None,
                )
                .await;
            (entries, scenario["hits"].as_u64())
        }
    };
    let (a, b) = tokio::join!(run("scn-seed-a"), run("scn-seed-b"));
    for (entries, hits) in [a, b] {
        assert_eq!(hits, Some(4));
        assert_eq!(entries.len(), 4);
        for (entry, ms) in entries.iter().zip(&expected) {
            let took = entry["latency_us"].as_u64().expect("latency_us");
            assert!(
                took >= ms * 1000,
                "draw {ms} ms of the seeded sequence, journal says {took} µs"
            );
        }
    }
}

#[tokio::test]
async fn http_status_answers_a_bare_5xx() {
    let app = shared_testbed();
    let (ns, t) = ns_login(&app, "scn-gw", "C001", false).await;
    let id = app
        .add_scenario(
            "scn-gw",
            json!({"kind": "http_status", "status": 503, "match": {"api_id": "은행-001"}}),
        )
        .await;
    let answer = ns
        .call_with(
            "은행-001",
            &t.access,
            "user-consent",
            json!({"limit": "10"}),
            &[],
        )
        .await;
    assert_eq!(answer.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(
        answer.body.is_string(),
        "a plain-text body, not the standard's JSON: {}",
        answer.body
    );
    let entry = app.last_entry("scn-gw").await;
    assert_eq!(entry["status"], 503);
    assert_eq!(entry["rsp_code"], Value::Null);
    assert_eq!(entry["scenarios"], json!([id.to_string()]));
    // Calls the scenario does not match are untouched.
    assert_eq!(
        deposit(&ns, &t.access, C001_DEPOSIT).await.rsp_code(),
        "00000"
    );
}

/// Sends a request that should get no answer and checks that none came: no status line, a
/// transport error.
async fn assert_no_answer(req: reqwest::RequestBuilder) {
    let outcome = tokio::time::timeout(Duration::from_secs(10), req.send())
        .await
        .expect("the dropped call ends within 10 s");
    match outcome {
        Ok(res) => panic!("a dropped connection gives no answer, got {}", res.status()),
        Err(e) => assert!(!e.is_timeout() && e.status().is_none(), "{e:?}"),
    }
}

#[tokio::test]
async fn drop_closes_the_connection_without_an_answer() {
    let app = shared_testbed();
    let (ns, t) = ns_login(&app, "scn-drop", "C001", false).await;
    let id = app
        .add_scenario(
            "scn-drop",
            json!({"kind": "drop", "match": {"api_id": "은행-001"}}),
        )
        .await;
    let (req, _) = ns.info_request(
        "은행-001",
        &t.access,
        "user-consent",
        json!({"limit": "10"}),
        &[],
    );
    assert_no_answer(req).await;
    let entry = app.last_entry("scn-drop").await;
    assert_eq!(entry["scenarios"], json!([id.to_string()]));
    // The server lives on.
    assert_eq!(
        deposit(&ns, &t.access, C001_DEPOSIT).await.rsp_code(),
        "00000"
    );
}

#[tokio::test]
async fn truncate_cuts_the_json_body() {
    let app = shared_testbed();
    let (ns, t) = ns_login(&app, "scn-cut", "C001", false).await;
    let params = basic(C001_DEPOSIT);
    let whole = ns
        .call_with("은행-002", &t.access, "user-consent", params.clone(), &[])
        .await;
    assert_eq!(whole.rsp_code(), "00000");
    let full_len = whole.body.to_string().len();
    let raw_len = |a: &Answer| a.body.as_str().map(str::len).expect("a non-JSON body");

    let id = app
        .add_scenario(
            "scn-cut",
            json!({"kind": "truncate", "match": {"api_id": "은행-002"}}),
        )
        .await;
    let half = ns
        .call_with("은행-002", &t.access, "user-consent", params.clone(), &[])
        .await;
    assert_eq!(half.status, StatusCode::OK, "the status line is kept");
    assert!(
        raw_len(&half) < full_len && raw_len(&half) > 0,
        "cut: {}",
        half.body
    );
    app.admin_ok(
        Method::DELETE,
        &format!("/namespaces/scn-cut/scenarios/{id}"),
        None,
    )
    .await;
    app.add_scenario(
        "scn-cut",
        json!({"kind": "truncate", "bytes": 10, "match": {"api_id": "은행-002"}}),
    )
    .await;
    let ten = ns
        .call_with("은행-002", &t.access, "user-consent", params, &[])
        .await;
    assert_eq!(raw_len(&ten), 10, "{}", ten.body);
}

#[tokio::test]
async fn quota_after_answers_42901_after_n_calls() {
    let app = shared_testbed();
    let (ns, t) = ns_login(&app, "scn-quota", "C001", false).await;
    let id = app
        .add_scenario(
            "scn-quota",
            json!({"kind": "quota_after", "calls": 2, "match": {"api_id": "은행-001"}}),
        )
        .await;
    let mut codes = Vec::new();
    for _ in 0..4 {
        codes.push(accounts(&ns, &t.access).await.rsp_code().to_owned());
    }
    assert_eq!(codes, ["00000", "00000", "42901", "42901"]);
    let refused = app.last_entry("scn-quota").await;
    assert_eq!(refused["status"], 429);
    assert_eq!(refused["scenarios"], json!([id.to_string()]));
    assert_eq!(
        deposit(&ns, &t.access, C001_DEPOSIT).await.rsp_code(),
        "00000",
        "other APIs keep their quota"
    );
}

#[tokio::test]
async fn maintenance_answers_50008_inside_its_window_on_the_namespace_clock() {
    let app = shared_testbed();
    // 2026-11-25 10:00 KST on both namespace clocks; one is set back to 09:00.
    let window =
        json!({"kind": "maintenance", "from": "20261125093000", "until": "20261125103000"});
    let (inside, t_in) = ns_login(&app, "scn-maint-in", "C001", false).await;
    let (before, t_before) = ns_login(&app, "scn-maint-before", "C001", false).await;
    app.admin_ok(
        Method::PUT,
        "/namespaces/scn-maint-before/clock",
        Some(json!({"dtime": "20261125090000"})),
    )
    .await;
    app.add_scenario("scn-maint-in", window.clone()).await;
    app.add_scenario("scn-maint-before", window).await;

    let answer = accounts(&inside, &t_in.access).await;
    assert_eq!(
        (answer.status, answer.rsp_code()),
        (StatusCode::INTERNAL_SERVER_ERROR, "50008")
    );
    assert_eq!(
        accounts(&before, &t_before.access).await.rsp_code(),
        "00000",
        "09:00 is before the window"
    );
    app.advance_ns("scn-maint-in", "1h").await;
    assert_eq!(
        accounts(&inside, &t_in.access).await.rsp_code(),
        "00000",
        "11:00 is after the window"
    );
    // An open-ended window is maintenance whenever it is.
    app.add_scenario("scn-maint-in", json!({"kind": "maintenance"}))
        .await;
    assert_eq!(accounts(&inside, &t_in.access).await.rsp_code(), "50008");
}

#[tokio::test]
async fn np_time_refuses_scheduled_calls_outside_its_windows() {
    let app = shared_testbed();
    // 01:30 on the namespace clock: inside the night window.
    let ns = app.in_namespace("scn-np");
    app.admin_ok(
        Method::PUT,
        "/namespaces/scn-np/clock",
        Some(json!({"dtime": "20261125013000"})),
    )
    .await;
    let t = ns.login("C001", None, true).await;
    app.add_scenario(
        "scn-np",
        json!({"kind": "np_time", "windows": ["0030:0530"]}),
    )
    .await;
    let inside = ns
        .call("은행-002", &t.access, "scheduled", basic(C001_DEPOSIT))
        .await;
    assert_eq!(inside.rsp_code(), "00000", "{}", inside.body);
    let entry = entry_with_tran(&app.journal("scn-np", "").await, &tran_of(&inside)).clone();
    assert_eq!(entry["verdict"], "pass", "{entry}");

    // 10:00: outside it.
    app.advance_ns("scn-np", "510m").await;
    let outside = ns
        .call("은행-002", &t.access, "scheduled", basic(C001_SAVINGS))
        .await;
    assert_eq!(
        (outside.status, outside.rsp_code()),
        (StatusCode::INTERNAL_SERVER_ERROR, "50009")
    );
    let entry = entry_with_tran(&app.journal("scn-np", "").await, &tran_of(&outside)).clone();
    assert_eq!(
        finding_kinds(&entry),
        ["scheduled_outside_window"],
        "{entry}"
    );
    assert_eq!(entry["verdict"], "fail");
    assert_eq!(
        ns.call("은행-002", &t.access, "user-refresh", basic(C001_SAVINGS))
            .await
            .rsp_code(),
        "00000",
        "customer-initiated calls are not bound to np_time"
    );
}

#[tokio::test]
async fn revoke_token_refuses_the_next_call_and_grades_only_the_reuse() {
    let app = shared_testbed();
    let (ns, t) = ns_login(&app, "scn-revoke", "C001", false).await;
    let other = ns.login("C005", None, false).await;
    let (status, created) = app
        .admin(
            Method::POST,
            "/namespaces/scn-revoke/scenarios",
            Some(json!({"kind": "revoke_token", "match": {"customer": "C001"}})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["applied"], "revoked 1 token pair(s)");

    let first = accounts(&ns, &t.access).await;
    assert_eq!(
        (first.status, first.rsp_code()),
        (StatusCode::UNAUTHORIZED, "40101")
    );
    let second = accounts(&ns, &t.access).await;
    assert_eq!(second.rsp_code(), "40101");
    let journal = app.journal("scn-revoke", "").await;
    let first = entry_with_tran(&journal, &tran_of(&first));
    let second = entry_with_tran(&journal, &tran_of(&second));
    assert!(
        !finding_kinds(first).contains(&"token_reused".to_owned()),
        "the app could not know before the first refusal: {first}"
    );
    assert_eq!(
        first["verdict"], "pass",
        "the first refusal is the testbed's doing: {first}"
    );
    assert_eq!(first["scenarios"], json!([created["id"].to_string()]));
    assert_eq!(finding_kinds(second), ["token_reused"], "{second}");
    assert_eq!(
        accounts(&ns, &other.access).await.rsp_code(),
        "00000",
        "another customer's token lives on"
    );

    // One token by value; a token the namespace never issued is refused.
    let (status, created) = app
        .admin(
            Method::POST,
            "/namespaces/scn-revoke/scenarios",
            Some(json!({"kind": "revoke_token", "token": other.access})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(accounts(&ns, &other.access).await.rsp_code(), "40101");
    let (status, refused) = app
        .admin(
            Method::POST,
            "/namespaces/scn-revoke/scenarios",
            Some(json!({"kind": "revoke_token", "token": "not-a-token-of-ours"})),
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);
    assert!(
        refused["message"]
            .as_str()
            .is_some_and(|m| m.contains("never issued")),
        "{refused}"
    );
}

#[tokio::test]
async fn expire_consent_answers_40106_for_the_matching_consents() {
    let app = shared_testbed();
    let (ns, t) = ns_login(&app, "scn-expire", "C001", false).await;
    let other = ns.login("C005", None, false).await;
    let (status, created) = app
        .admin(
            Method::POST,
            "/namespaces/scn-expire/scenarios",
            Some(json!({"kind": "expire_consent", "match": {"customer": "C001"}})),
        )
        .await;
    assert_eq!(status, StatusCode::CREATED, "{created}");
    assert_eq!(created["applied"], "ended 1 consent(s) on 20261124");
    let answer = accounts(&ns, &t.access).await;
    assert_eq!(
        (answer.status, answer.rsp_code()),
        (StatusCode::UNAUTHORIZED, "40106")
    );
    // The first 40106 is how the app learns of the scenario: named, not graded. Calling on
    // after being told is the app's fault.
    let first = app.last_entry("scn-expire").await;
    assert_eq!(
        (&first["verdict"], &first["scenarios"]),
        (&json!("pass"), &json!(["expire_consent"])),
        "{first}"
    );
    assert_eq!(accounts(&ns, &t.access).await.rsp_code(), "40106");
    let again = app.last_entry("scn-expire").await;
    assert_eq!(again["verdict"], "fail", "{again}");
    assert_eq!(accounts(&ns, &other.access).await.rsp_code(), "00000");
}

#[tokio::test]
async fn close_asset_closes_one_asset_until_the_scenario_goes() {
    let app = shared_testbed();
    let (ns, t) = ns_login(&app, "scn-close", "C001", false).await;
    let (status, refused) = app
        .admin(
            Method::POST,
            "/namespaces/scn-close/scenarios",
            Some(json!({"kind": "close_asset"})),
        )
        .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "close_asset needs an asset"
    );
    assert!(
        refused["message"]
            .as_str()
            .is_some_and(|m| m.contains("match.asset")),
        "{refused}"
    );
    let id = app
        .add_scenario(
            "scn-close",
            json!({"kind": "close_asset", "match": {"asset": C001_DEPOSIT}}),
        )
        .await;
    let closed = deposit(&ns, &t.access, C001_DEPOSIT).await;
    assert_eq!(
        (closed.status, closed.rsp_code()),
        (StatusCode::FORBIDDEN, "40305")
    );
    let entry = app.last_entry("scn-close").await;
    assert_eq!(
        entry["verdict"], "pass",
        "an asset the testbed closed is not the app's fault: {entry}"
    );
    assert_eq!(entry["scenarios"], json!([id.to_string()]));
    assert_eq!(
        deposit(&ns, &t.access, C001_SAVINGS).await.rsp_code(),
        "00000"
    );
    assert_eq!(
        accounts(&ns, &t.access).await.rsp_code(),
        "00000",
        "the list still answers"
    );
    app.admin_ok(
        Method::DELETE,
        &format!("/namespaces/scn-close/scenarios/{id}"),
        None,
    )
    .await;
    assert_eq!(
        deposit(&ns, &t.access, C001_DEPOSIT).await.rsp_code(),
        "00000",
        "reopened"
    );
}

#[tokio::test]
async fn the_scenario_header_applies_to_its_request_only() {
    let app = shared_testbed();
    let (ns, t) = ns_login(&app, "scn-header", "C001", false).await;
    let with = |h: &'static str| {
        let (ns, token) = (&ns, t.access.clone());
        async move {
            ns.call_with(
                "은행-001",
                &token,
                "user-consent",
                json!({"limit": "10"}),
                &[("x-testbed-scenario", h)],
            )
            .await
        }
    };
    let forced = with("rsp_code=40305").await;
    assert_eq!(
        (forced.status, forced.rsp_code()),
        (StatusCode::FORBIDDEN, "40305")
    );
    assert_eq!(with("maintenance").await.rsp_code(), "50008");
    assert_eq!(
        with(r#"{"kind": "rsp_code", "code": "50005"}"#)
            .await
            .rsp_code(),
        "50005"
    );
    for (h, at_least) in [("latency=60", 60), ("latency=20-40", 20)] {
        let started = Instant::now();
        assert_eq!(with(h).await.rsp_code(), "00000");
        assert!(started.elapsed() >= Duration::from_millis(at_least), "{h}");
    }
    let gateway = with("http_status=503").await;
    assert_eq!(gateway.status, StatusCode::SERVICE_UNAVAILABLE);
    assert!(gateway.body.is_string());
    let json_gateway = with(r#"{"kind": "http_status", "status": 502}"#).await;
    assert_eq!(json_gateway.status, StatusCode::BAD_GATEWAY);
    let whole = accounts(&ns, &t.access).await.body.to_string().len();
    let half = with("truncate").await;
    let half = half.body.as_str().expect("not JSON").len();
    assert!(half > 0 && half < whole, "{half} of {whole}");
    assert_eq!(
        with("truncate=10").await.body.as_str().map(str::len),
        Some(10)
    );
    let (req, _) = ns.info_request(
        "은행-001",
        &t.access,
        "user-consent",
        json!({"limit": "10"}),
        &[("x-testbed-scenario", "drop")],
    );
    assert_no_answer(req).await;
    assert_eq!(
        accounts(&ns, &t.access).await.rsp_code(),
        "00000",
        "the next request without the header is normal"
    );
    for bad in [
        "explode",
        "rsp_code=00000",
        "rsp_code=12345",
        "http_status=404",
        "latency=abc",
        r#"{"kind": "quota_after", "calls": 3}"#,
        r#"{"kind": "revoke_token"}"#,
        r#"{"kind": "nonsense"}"#,
    ] {
        let answer = with(bad).await;
        assert_eq!(
            (answer.status, answer.rsp_code()),
            (StatusCode::BAD_REQUEST, "40002"),
            "{bad}: {}",
            answer.body
        );
    }
    assert!(
        app.admin_ok(Method::GET, "/namespaces/scn-header/scenarios", None)
            .await["scenarios"]
            .as_array()
            .is_some_and(Vec::is_empty),
        "the header creates no scenario"
    );
}

#[tokio::test]
async fn scenarios_match_by_api_customer_asset_client_and_industry() {
    let app = shared_testbed();
    let (ns, c1) = ns_login(&app, "scn-match", "C001", false).await;
    let c5 = ns.login("C005", None, false).await;
    let fail = |m: Value| json!({"kind": "rsp_code", "code": "50005", "match": m});
    let clear = || app.admin_ok(Method::DELETE, "/namespaces/scn-match/scenarios", None);

    app.add_scenario("scn-match", fail(json!({"api_id": "은행-002"})))
        .await;
    assert_eq!(accounts(&ns, &c1.access).await.rsp_code(), "00000");
    assert_eq!(
        deposit(&ns, &c1.access, C001_DEPOSIT).await.rsp_code(),
        "50005"
    );
    clear().await;

    app.add_scenario("scn-match", fail(json!({"customer": "C005"})))
        .await;
    assert_eq!(accounts(&ns, &c1.access).await.rsp_code(), "00000");
    assert_eq!(accounts(&ns, &c5.access).await.rsp_code(), "50005");
    clear().await;

    app.add_scenario("scn-match", fail(json!({"asset": C001_SAVINGS})))
        .await;
    assert_eq!(
        deposit(&ns, &c1.access, C001_DEPOSIT).await.rsp_code(),
        "00000"
    );
    assert_eq!(
        deposit(&ns, &c1.access, C001_SAVINGS).await.rsp_code(),
        "50005"
    );
    clear().await;

    app.add_scenario("scn-match", fail(json!({"client_id": "someoneelse"})))
        .await;
    app.add_scenario("scn-match", fail(json!({"industry": "card"})))
        .await;
    assert_eq!(accounts(&ns, &c1.access).await.rsp_code(), "00000");
    clear().await;
    app.add_scenario(
        "scn-match",
        fail(json!({"client_id": CLIENT_ID, "industry": "bank", "customer": "C001"})),
    )
    .await;
    assert_eq!(accounts(&ns, &c1.access).await.rsp_code(), "50005");
    assert_eq!(accounts(&ns, &c5.access).await.rsp_code(), "00000");
}

#[tokio::test]
async fn a_disabled_scenario_does_nothing_until_enabled_again() {
    let app = shared_testbed();
    let (ns, t) = ns_login(&app, "scn-toggle", "C001", false).await;
    let id = app
        .add_scenario("scn-toggle", json!({"kind": "rsp_code", "code": "50005"}))
        .await;
    let path = format!("/namespaces/scn-toggle/scenarios/{id}");
    assert_eq!(accounts(&ns, &t.access).await.rsp_code(), "50005");
    let off = app
        .admin_ok(Method::PATCH, &path, Some(json!({"enabled": false})))
        .await;
    assert_eq!(off["enabled"], false);
    assert_eq!(accounts(&ns, &t.access).await.rsp_code(), "00000");
    let shown = app.admin_ok(Method::GET, &path, None).await;
    assert_eq!(
        (shown["enabled"].clone(), shown["hits"].clone()),
        (json!(false), json!(1))
    );
    app.admin_ok(Method::PATCH, &path, Some(json!({"enabled": true})))
        .await;
    assert_eq!(accounts(&ns, &t.access).await.rsp_code(), "50005");

    let (status, _) = app
        .admin(
            Method::PATCH,
            "/namespaces/scn-toggle/scenarios/999",
            Some(json!({"enabled": false})),
        )
        .await;
    assert_eq!(status, StatusCode::NOT_FOUND);
    let (status, _) = app
        .admin(Method::PATCH, &path, Some(json!({"enabled": "no"})))
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST);

    // Created disabled: listed, inert.
    app.admin_ok(Method::DELETE, &path, None).await;
    let (status, _) = app.admin(Method::GET, &path, None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "deleted");
    app.add_scenario(
        "scn-toggle",
        json!({"kind": "rsp_code", "code": "50005", "enabled": false, "note": "later"}),
    )
    .await;
    assert_eq!(accounts(&ns, &t.access).await.rsp_code(), "00000");
    let list = app
        .admin_ok(Method::GET, "/namespaces/scn-toggle/scenarios", None)
        .await;
    assert_eq!(list["scenarios"][0]["note"], "later");
    assert_eq!(list["scenarios"][0]["enabled"], false);
}

#[tokio::test]
async fn invalid_scenarios_are_refused_with_a_reason() {
    let app = shared_testbed();
    let cases = [
        (json!({"kind": "rsp_code", "code": "00000"}), "00000"),
        (json!({"kind": "rsp_code", "code": "12345"}), "12345"),
        (json!({"kind": "latency"}), "latency"),
        (
            json!({"kind": "latency", "min_ms": 50, "max_ms": 10}),
            "latency",
        ),
        (json!({"kind": "latency", "ms": 999_999}), "latency"),
        (json!({"kind": "http_status", "status": 404}), "500"),
        (json!({"kind": "truncate", "bytes": 0}), "bytes"),
        (json!({"kind": "maintenance", "from": "tomorrow"}), "DTIME"),
        (json!({"kind": "np_time", "windows": []}), "window"),
        (json!({"kind": "np_time", "windows": ["25:00"]}), "hhmm"),
        (json!({"kind": "close_asset"}), "match.asset"),
        (
            json!({"kind": "drop", "match": {"api_id": "은행-999"}}),
            "은행-999",
        ),
        (json!({"kind": "explode"}), "explode"),
        (json!({"kind": "drop", "colour": "red"}), "colour"),
        (
            json!({"kind": "expire_consent", "macth": {"customer": "C001"}}),
            "macth",
        ),
        (json!({"kind": "truncate", "byte": 10}), "byte"),
        (json!({"code": "50005"}), "kind"),
    ];
    for (scenario, hint) in cases {
        let (status, body) = app
            .admin(
                Method::POST,
                "/namespaces/scn-bad/scenarios",
                Some(scenario.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{scenario}: {body}");
        assert_eq!(body["error"], "bad_request");
        let message = body["message"].as_str().unwrap_or_default();
        assert!(
            message.contains(hint),
            "{scenario}: the message names `{hint}`: {message}"
        );
    }
    let list = app
        .admin_ok(Method::GET, "/namespaces/scn-bad/scenarios", None)
        .await;
    assert_eq!(list["scenarios"], json!([]));
}
