//! The journal grades the calling app: a deliberately bad client leaves each finding kind, a
//! well-behaved one passes; filters, masking, the summary, the ring's bound and the admin
//! token are checked too.

use std::collections::{BTreeMap, BTreeSet};

use chrono::NaiveDate;
use mydata_testbed::config::ServerConfig;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

const C001_DEPOSIT: &str = "110482913570";

fn ymd(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

async fn accounts(app: &TestApp, token: &str) -> Answer {
    app.call("은행-001", token, "user-consent", json!({"limit": "10"}))
        .await
}

/// The last four characters of a secret, as masking keeps them.
fn tail(s: &str) -> &str {
    &s[s.len() - 4..]
}

#[tokio::test]
async fn a_well_behaved_client_passes_and_its_calls_are_recorded_in_full() {
    let app = shared_testbed();
    let ns = app.in_namespace("jr-good");
    let t = ns.login("C001", None, false).await;
    let answer = accounts(&ns, &t.access).await;
    let journal = app.journal("jr-good", "").await;
    let entry = entry_with_tran(&journal, &tran_of(&answer));
    assert_eq!(entry["verdict"], "pass", "{entry}");
    assert_eq!(entry["findings"], json!([]));
    for (field, value) in [
        ("method", json!("GET")),
        ("path", json!("/v1/bank/accounts")),
        ("api_id", json!("은행-001")),
        ("api_type", json!("user-consent")),
        ("status", json!(200)),
        ("rsp_code", json!("00000")),
        ("customer", json!("C001")),
        ("client_id", json!(CLIENT_ID)),
        ("industry", json!("bank")),
        ("at", json!("20261125100000")),
        ("scenarios", json!([])),
    ] {
        assert_eq!(entry[field], value, "{field}: {entry}");
    }
    assert!(entry["latency_us"].is_u64());
    assert_eq!(entry["response"]["rsp_code"], "00000");
    // The whole individual-auth flow was by the book too.
    for e in &journal {
        assert_eq!(e["verdict"], "pass", "{e}");
    }
    let graded: BTreeSet<&str> = journal
        .iter()
        .filter_map(|e| e["api_id"].as_str())
        .collect();
    assert!(
        graded.contains("개별인증-001") && graded.contains("개별인증-002"),
        "{graded:?}"
    );
}

/// Sends 은행-001 with hand-picked headers; the journal entry it left.
async fn accounts_with(app: &TestApp, ns: &str, token: &str, headers: &[(&str, &str)]) -> Value {
    app.call_with(
        "은행-001",
        token,
        "user-consent",
        json!({"limit": "10"}),
        headers,
    )
    .await;
    app.last_entry(ns).await
}

/// Asserts an entry's findings and verdict.
fn assert_graded(entry: &Value, kinds: &[&str], verdict: &str, why: &str) {
    assert_eq!(finding_kinds(entry), kinds, "{why}: {entry}");
    assert_eq!(entry["verdict"], verdict, "{why}: {entry}");
}

#[tokio::test]
async fn each_bad_habit_of_a_client_is_tagged_with_its_finding() {
    let app = shared_testbed();
    let name = "jr-bad";
    let ns = app.in_namespace(name);
    let c1 = ns.login("C001", None, true).await;
    let c5 = ns.login("C005", None, false).await;
    let c7 = ns.login("C007", None, false).await;
    let today = ns.clock.today();

    // §1.4.1: the transaction id.
    let e = accounts_with(&ns, name, &c1.access, &[("x-api-tran-id", "")]).await;
    assert_graded(&e, &["tran_id_malformed"], "fail", "no tran id");
    let e = accounts_with(&ns, name, &c1.access, &[("x-api-tran-id", "SHORT123")]).await;
    assert_graded(&e, &["tran_id_malformed"], "fail", "short tran id");
    let reused = tran_id();
    let first = accounts_with(&ns, name, &c1.access, &[("x-api-tran-id", &reused)]).await;
    assert_graded(&first, &[], "pass", "first use of a tran id");
    let again = accounts_with(&ns, name, &c1.access, &[("x-api-tran-id", &reused)]).await;
    assert_graded(&again, &["tran_id_reused"], "warn", "second use");
    assert_eq!(
        again["rsp_code"], "00000",
        "a reused tran id is only a warning"
    );

    // §1.4.2: the API type.
    let e = accounts_with(&ns, name, &c1.access, &[("x-api-type", "regular")]).await;
    assert_graded(&e, &["api_type_invalid"], "fail", "unknown x-api-type");
    let e = accounts_with(&ns, name, &c1.access, &[("x-api-type", "")]).await;
    assert_graded(&e, &["api_type_invalid"], "fail", "no x-api-type");

    // §1.8: periods.
    let window = |from: NaiveDate| json!({"account_num": C001_DEPOSIT, "from_date": ymd(from), "to_date": ymd(today), "limit": "10"});
    let long = ns
        .call(
            "은행-004",
            &c1.access,
            "scheduled",
            window(today - chrono::Days::new(31)),
        )
        .await;
    assert_eq!(long.rsp_code(), "40004");
    let e = app.last_entry(name).await;
    assert_graded(&e, &["api_type_period"], "fail", "32 days, scheduled");
    let old = ns
        .call(
            "은행-004",
            &c1.access,
            "user-search",
            window(today - chrono::Months::new(60) - chrono::Days::new(1)),
        )
        .await;
    assert_eq!(old.rsp_code(), "40304");
    let e = app.last_entry(name).await;
    assert_graded(
        &e,
        &["api_type_period"],
        "fail",
        "more than five years back",
    );

    // §2.6 and §6.1: scheduled transmission.
    let e = ns
        .call("은행-001", &c5.access, "scheduled", json!({"limit": "10"}))
        .await;
    assert_eq!(e.rsp_code(), "40301");
    let e = app.last_entry(name).await;
    assert_graded(
        &e,
        &["scheduled_not_consented"],
        "fail",
        "scheduled under a non-scheduled consent",
    );
    let basic = json!({"account_num": C001_DEPOSIT});
    for (code, kinds, verdict) in [
        ("00000", &[][..], "pass"),
        ("42901", &["scheduled_weekly_repeat"][..], "fail"),
    ] {
        let answer = ns
            .call("은행-002", &c1.access, "scheduled", basic.clone())
            .await;
        assert_eq!(answer.rsp_code(), code);
        let e = app.last_entry(name).await;
        assert_graded(&e, kinds, verdict, "scheduled calls in one week");
    }
    let np = app
        .add_scenario(
            name,
            json!({"kind": "np_time", "windows": ["0030:0530"], "match": {"api_id": "은행-003"}}),
        )
        .await;
    let outside = ns
        .call("은행-003", &c1.access, "scheduled", basic.clone())
        .await;
    assert_eq!(outside.rsp_code(), "50009");
    let e = app.last_entry(name).await;
    assert_graded(&e, &["scheduled_outside_window"], "fail", "10:00");
    app.admin_ok(
        Method::DELETE,
        &format!("/namespaces/{name}/scenarios/{np}"),
        None,
    )
    .await;

    // §1.6: paging.
    let page1 = ns
        .call(
            "은행-001",
            &c7.access,
            "user-consent",
            json!({"limit": "5"}),
        )
        .await;
    let (st, cursor) = (
        page1.body["search_timestamp"].clone(),
        page1.body["next_page"].clone(),
    );
    assert!(st.is_string() && cursor.is_string(), "{}", page1.body);
    let page2 = ns
        .call(
            "은행-001",
            &c7.access,
            "user-consent",
            json!({"limit": "5", "next_page": cursor, "search_timestamp": st}),
        )
        .await;
    assert_eq!(page2.rsp_code(), "00000", "tolerated, but noted");
    let e = app.last_entry(name).await;
    assert_graded(
        &e,
        &["paging_timestamp_on_later_page"],
        "warn",
        "search_timestamp on page 2",
    );
    let over = ns
        .call(
            "은행-001",
            &c1.access,
            "user-consent",
            json!({"limit": "501"}),
        )
        .await;
    assert_eq!(over.rsp_code(), "40001");
    let e = app.last_entry(name).await;
    assert_graded(&e, &["paging_limit_over"], "fail", "limit 501");

    // §2.1: a token the app revoked itself, used again.
    assert_eq!(
        ns.revoke(&c5.access, CLIENT_SECRET).await.rsp_code(),
        "00000"
    );
    assert_eq!(accounts(&ns, &c5.access).await.rsp_code(), "40101");
    let e = app.last_entry(name).await;
    assert_graded(&e, &["token_reused"], "fail", "a revoked token");

    // §5.1: anything else refused for the caller's mistake.
    let unknown = ns
        .call(
            "은행-002",
            &c1.access,
            "user-consent",
            json!({"account_num": "999999999999"}),
        )
        .await;
    assert_eq!(unknown.rsp_code(), "40402");
    let e = app.last_entry(name).await;
    assert_graded(&e, &["rejected"], "fail", "an asset that does not exist");
    let code = ns.code_for("C009", None, false).await;
    let bad_secret = ns
        .token_request(&[
            ("org_code", BANK_ORG),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", CLIENT_ID),
            ("client_secret", "notthesecret0000"),
            ("redirect_uri", REDIRECT_URI),
        ])
        .await;
    assert_eq!(bad_secret.error(), "invalid_client", "{}", bad_secret.body);
    let e = app.last_entry(name).await;
    assert_eq!(e["api_id"], "개별인증-002");
    assert_graded(&e, &["rejected"], "fail", "a wrong client secret");

    // §2.4: scopes asked for and never needed show in the summary only.
    let summary = app
        .admin_ok(
            Method::GET,
            &format!("/namespaces/{name}/journal/summary"),
            None,
        )
        .await;
    let unused = summary["unused_scopes"].as_array().expect("unused_scopes");
    let c1_unused = unused
        .iter()
        .find(|u| u["customer"] == "C001")
        .unwrap_or_else(|| panic!("C001 asked for more than it used: {summary}"));
    let scopes: Vec<&str> = c1_unused["scopes"]
        .as_array()
        .expect("scopes")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    assert!(scopes.contains(&"bank.invest"), "{scopes:?}");
    assert!(
        !scopes.contains(&"bank.list") && !scopes.contains(&"bank.deposit"),
        "used scopes are not listed: {scopes:?}"
    );
    assert!(
        unused.iter().all(|u| u["customer"] != "C005"),
        "a revoked consent is no longer live: {unused:?}"
    );

    // Every finding kind of the catalogue was produced.
    let catalogue = app.admin_ok(Method::GET, "/catalogue", None).await;
    let all: BTreeSet<&str> = catalogue["finding_kinds"]
        .as_array()
        .expect("finding kinds")
        .iter()
        .filter_map(|k| k["kind"].as_str())
        .collect();
    let seen: BTreeSet<&str> = summary["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .filter_map(|f| f["kind"].as_str())
        .collect();
    assert_eq!(seen, all);
    assert_eq!(all.len(), 12);
}

#[tokio::test]
async fn the_summary_counts_verdicts_findings_and_unused_scopes() {
    let app = shared_testbed();
    let name = "jr-sum";
    let ns = app.in_namespace(name);
    let t = ns.login("C001", Some(&[C001_DEPOSIT]), false).await;
    assert_eq!(t.scope, "bank.list bank.deposit");
    accounts(&ns, &t.access).await;
    let basic = json!({"account_num": C001_DEPOSIT});
    ns.call("은행-002", &t.access, "user-consent", basic.clone())
        .await;
    ns.call_with(
        "은행-002",
        &t.access,
        "user-consent",
        basic.clone(),
        &[("x-api-tran-id", "SHORT")],
    )
    .await;
    let path = format!("/namespaces/{name}/journal/summary");
    let summary = app.admin_ok(Method::GET, &path, None).await;
    assert_eq!(summary["namespace"], name);
    assert_eq!(
        summary["unused_scopes"],
        json!([]),
        "every scope was used: {summary}"
    );
    assert_eq!(
        summary["findings"],
        json!([{"kind": "tran_id_malformed", "clause": "§1.4.1", "severity": "fail", "count": 1}])
    );

    // The counts agree with the journal's graded entries.
    let journal = app.journal(name, "limit=1000").await;
    let graded: Vec<&Value> = journal.iter().filter(|e| e["api_id"].is_string()).collect();
    let mut verdicts: BTreeMap<&str, u64> = [("pass", 0), ("warn", 0), ("fail", 0)].into();
    for e in &graded {
        *verdicts
            .get_mut(e["verdict"].as_str().expect("verdict"))
            .expect("known") += 1;
    }
    assert_eq!(summary["calls"], graded.len());
    assert_eq!(summary["verdicts"], json!(verdicts));
    assert_eq!(verdicts["fail"], 1);
    let calls = graded.len() as f64;
    let score = ((calls - 1.0) * 1000.0 / calls).round() / 10.0;
    assert_eq!(summary["score"].as_f64(), Some(score));
    let deposit = summary["by_api"]
        .as_array()
        .expect("by_api")
        .iter()
        .find(|r| r["api_id"] == "은행-002")
        .expect("a row for 은행-002");
    assert_eq!(
        deposit,
        &json!({"api_id": "은행-002", "calls": 2, "pass": 1, "warn": 0, "fail": 1})
    );
    assert_eq!(summary["journal_capacity"], 1000);

    // A consent that used nothing: all of its scopes are unused.
    let other = ns.login("C005", None, false).await;
    let summary = app.admin_ok(Method::GET, &path, None).await;
    let unused = &summary["unused_scopes"];
    assert_eq!(unused.as_array().map(Vec::len), Some(1), "{summary}");
    assert_eq!(unused[0]["customer"], "C005");
    assert_eq!(unused[0]["industry"], "bank");
    let scopes: Vec<&str> = unused[0]["scopes"]
        .as_array()
        .expect("scopes")
        .iter()
        .filter_map(Value::as_str)
        .collect();
    let asked: Vec<&str> = other.scope.split(' ').collect();
    assert_eq!(scopes, asked);
    let counted = summary["findings"]
        .as_array()
        .expect("findings")
        .iter()
        .find(|f| f["kind"] == "scope_unused")
        .expect("scope_unused counted");
    assert_eq!(counted["count"], asked.len());
    assert_eq!(counted["severity"], "warn");
}

#[tokio::test]
async fn journal_filters_select_by_customer_api_client_verdict_and_sequence() {
    let app = shared_testbed();
    let name = "jr-filter";
    let ns = app.in_namespace(name);
    let c1 = ns.login("C001", None, false).await;
    let c5 = ns.login("C005", None, false).await;
    let a1 = accounts(&ns, &c1.access).await;
    let a5 = accounts(&ns, &c5.access).await;
    let bad = ns
        .call(
            "은행-002",
            &c1.access,
            "user-consent",
            json!({"account_num": "999999999999"}),
        )
        .await;
    let d5 = ns
        .call(
            "은행-002",
            &c5.access,
            "user-consent",
            json!({"account_num": "110886357420"}),
        )
        .await;
    assert_eq!(d5.rsp_code(), "00000");
    let trans = |entries: &[Value]| -> BTreeSet<String> {
        entries
            .iter()
            .filter_map(|e| e["tran_id"].as_str().map(str::to_owned))
            .collect()
    };

    let c1_only = app.journal(name, "customer=C001").await;
    assert!(c1_only.iter().all(|e| e["customer"] == "C001"));
    let got = trans(&c1_only);
    assert!(got.contains(&tran_of(&a1)) && got.contains(&tran_of(&bad)));
    assert!(!got.contains(&tran_of(&a5)) && !got.contains(&tran_of(&d5)));

    let deposits = app.journal(name, "api_id=은행-002").await;
    assert_eq!(trans(&deposits), [tran_of(&bad), tran_of(&d5)].into());

    let both = app.journal(name, "customer=C005&api_id=은행-002").await;
    assert_eq!(trans(&both), [tran_of(&d5)].into());

    let failing = app.journal(name, "verdict=fail").await;
    assert_eq!(trans(&failing), [tran_of(&bad)].into());
    assert!(app.journal(name, "verdict=warn").await.is_empty());

    assert_eq!(
        app.journal(name, &format!("client_id={CLIENT_ID}&api_id=은행-001"))
            .await
            .len(),
        2
    );
    assert!(app.journal(name, "client_id=someoneelse").await.is_empty());

    let everything = app.journal(name, "limit=1000").await;
    let seq_of = |tran: &str| {
        entry_with_tran(&everything, tran)["seq"]
            .as_u64()
            .expect("seq")
    };
    let after = app
        .journal(name, &format!("after={}", seq_of(&tran_of(&a5))))
        .await;
    assert_eq!(trans(&after), [tran_of(&bad), tran_of(&d5)].into());
    assert!(
        after
            .iter()
            .all(|e| e["seq"].as_u64() > Some(seq_of(&tran_of(&a5))))
    );
    let newest = app.journal(name, "limit=2").await;
    assert_eq!(
        newest
            .iter()
            .map(|e| e["tran_id"].clone())
            .collect::<Vec<_>>(),
        [json!(tran_of(&d5)), json!(tran_of(&bad))],
        "newest first"
    );

    let (status, body) = app
        .admin(
            Method::GET,
            &format!("/namespaces/{name}/journal?verdict=maybe"),
            None,
        )
        .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    // Clearing empties the journal; sequence numbers keep counting.
    let last_seq = seq_of(&tran_of(&d5));
    let (status, _) = app
        .admin(Method::DELETE, &format!("/namespaces/{name}/journal"), None)
        .await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    assert!(app.journal(name, "").await.is_empty());
    accounts(&ns, &c1.access).await;
    let fresh = app.journal(name, "").await;
    assert_eq!(fresh.len(), 1);
    assert!(fresh[0]["seq"].as_u64() > Some(last_seq));
}

#[tokio::test]
async fn secrets_are_masked_unless_unmask_is_asked_for() {
    let app = shared_testbed();
    let name = "jr-mask";
    let ns = app.in_namespace(name);
    let t = ns.login("C001", None, false).await;
    let answer = accounts(&ns, &t.access).await;
    let tran = tran_of(&answer);
    let listed: Vec<String> = answer.body["account_list"]
        .as_array()
        .expect("accounts")
        .iter()
        .filter_map(|a| a["account_num"].as_str().map(str::to_owned))
        .collect();
    assert!(listed.contains(&C001_DEPOSIT.to_owned()));

    let masked = app.journal(name, "").await;
    let entry = entry_with_tran(&masked, &tran);
    assert_eq!(
        entry["authorization"],
        format!("Bearer ****{}", tail(&t.access))
    );
    let shown: Vec<&str> = entry["response"]["account_list"]
        .as_array()
        .expect("the response is kept")
        .iter()
        .filter_map(|a| a["account_num"].as_str())
        .collect();
    assert_eq!(shown.len(), listed.len());
    for (shown, real) in shown.iter().zip(&listed) {
        assert_eq!(*shown, format!("****{}", tail(real)));
    }
    let token_entry = masked
        .iter()
        .find(|e| e["api_id"] == "개별인증-002")
        .expect("the token exchange");
    let access = token_entry["response"]["access_token"]
        .as_str()
        .expect("token");
    assert!(
        access.starts_with("****") && !access.contains(&t.access[..20]),
        "{access}"
    );
    let rendered = serde_json::to_string(&masked).expect("json");
    assert!(
        !rendered.contains(&t.access) && !rendered.contains(C001_DEPOSIT),
        "no secret anywhere in the masked journal"
    );

    let unmasked = app.journal(name, "unmask=true").await;
    let entry = entry_with_tran(&unmasked, &tran);
    // The journal never keeps a bearer token whole: its last 8 characters tell tokens apart.
    assert_eq!(
        entry["authorization"],
        format!("Bearer …{}", &t.access[t.access.len() - 8..])
    );
    assert_eq!(
        entry["response"]["account_list"][0]["account_num"],
        listed[0]
    );
}

#[tokio::test]
async fn the_journal_keeps_journal_size_entries_and_size_zero_keeps_none() {
    let ring = spawn_app_with(ServerConfig {
        journal_size: 5,
        ..testbed_config()
    })
    .await;
    let ns = ring.in_namespace("jr-ring");
    let t = ns.login("C001", None, false).await;
    let mut trans = Vec::new();
    for _ in 0..7 {
        trans.push(tran_of(&accounts(&ns, &t.access).await));
    }
    let body = ring
        .admin_ok(Method::GET, "/namespaces/jr-ring/journal?limit=1000", None)
        .await;
    let entries = body["entries"].as_array().expect("entries");
    assert_eq!(entries.len(), 5);
    let kept: Vec<&str> = entries
        .iter()
        .filter_map(|e| e["tran_id"].as_str())
        .collect();
    let newest: Vec<&str> = trans.iter().rev().take(5).map(String::as_str).collect();
    assert_eq!(kept, newest, "the newest five, newest first");
    let last_seq = body["last_seq"].as_u64().expect("last_seq");
    assert!(last_seq >= 7 + 3, "the login flow counted too: {last_seq}");
    assert_eq!(entries[0]["seq"], last_seq);
    let view = ring
        .admin_ok(Method::GET, "/namespaces/jr-ring", None)
        .await;
    assert_eq!(
        view["journal"],
        json!({"entries": 5, "capacity": 5, "last_seq": last_seq})
    );

    let off = spawn_app_with(ServerConfig {
        journal_size: 0,
        ..testbed_config()
    })
    .await;
    let ns = off.in_namespace("jr-off");
    let t = ns.login("C001", None, false).await;
    assert_eq!(accounts(&ns, &t.access).await.rsp_code(), "00000");
    let body = off
        .admin_ok(Method::GET, "/namespaces/jr-off/journal", None)
        .await;
    assert_eq!(body["enabled"], false);
    assert_eq!(body["entries"], json!([]));
    assert_eq!(body["last_seq"], 0);
    let summary = off
        .admin_ok(Method::GET, "/namespaces/jr-off/journal/summary", None)
        .await;
    assert_eq!(summary["calls"], 0);
    assert_eq!(summary["journal_capacity"], 0);
}

#[tokio::test]
async fn the_admin_api_needs_the_admin_token() {
    let app = shared_testbed();
    let routes = [
        (Method::GET, "/catalogue"),
        (Method::GET, "/customers"),
        (Method::GET, "/namespaces"),
        (Method::GET, "/namespaces/jr-auth"),
        (Method::GET, "/namespaces/jr-auth/journal"),
        (Method::GET, "/namespaces/jr-auth/journal/summary"),
        (Method::DELETE, "/namespaces/jr-auth/journal"),
        (Method::POST, "/namespaces/jr-auth/reset"),
        (Method::GET, "/namespaces/jr-auth/clock"),
        (Method::POST, "/namespaces/jr-auth/clock/advance"),
        (Method::POST, "/namespaces/jr-auth/scenarios"),
        (Method::PATCH, "/namespaces/jr-auth/scenarios/1"),
    ];
    for (method, path) in routes {
        for token in [None, Some("wrong-token-0123456789abcdef"), Some("")] {
            let body = matches!(method, Method::POST | Method::PATCH)
                .then(|| json!({"kind": "drop", "by": "1d", "enabled": false}));
            let (status, answer) = app.admin_as(token, method.clone(), path, body).await;
            assert_eq!(
                status,
                StatusCode::UNAUTHORIZED,
                "{method} {path} with {token:?}"
            );
            assert_eq!(answer["error"], "unauthorized");
            assert!(answer["message"].is_string());
        }
    }
    let scenarios = app
        .admin_ok(Method::GET, "/namespaces/jr-auth/scenarios", None)
        .await;
    assert_eq!(scenarios["scenarios"], json!([]), "nothing was created");
    assert_eq!(
        app.admin_ok(Method::GET, "/namespaces/jr-auth/clock", None)
            .await["offset_seconds"],
        0,
        "nothing was moved"
    );

    // The token also works as its own header and as the dashboard's cookie.
    for (header, value) in [
        ("x-testbed-admin-token", ADMIN_TOKEN.to_owned()),
        ("cookie", format!("testbed_admin={ADMIN_TOKEN}")),
    ] {
        let res = app
            .client
            .get(app.url("/__testbed/catalogue"))
            .header(header, &value)
            .send()
            .await
            .expect("an answer");
        assert_eq!(res.status(), StatusCode::OK, "{header}");
    }

    let catalogue = app.admin_ok(Method::GET, "/catalogue", None).await;
    assert_eq!(
        catalogue["scenario_kinds"].as_array().map(Vec::len),
        Some(11)
    );
    assert_eq!(catalogue["namespace_header"], "x-testbed-namespace");
    assert_eq!(catalogue["scenario_header"], "x-testbed-scenario");
    assert!(
        catalogue["rsp_codes"]
            .as_array()
            .expect("codes")
            .iter()
            .any(|c| c["code"] == "50009" && c["http"] == 500)
    );
    let customers = app.admin_ok(Method::GET, "/customers", None).await;
    let c001 = customers["customers"]
        .as_array()
        .expect("customers")
        .iter()
        .find(|c| c["id"] == "C001")
        .expect("C001");
    let bank = c001["providers"]
        .as_array()
        .expect("providers")
        .iter()
        .find(|p| p["industry"] == "bank")
        .expect("a bank holding");
    assert!(
        bank["assets"]
            .as_array()
            .expect("assets")
            .iter()
            .any(|a| a["key"]["account_num"] == C001_DEPOSIT)
    );

    // The admin API is not journaled.
    let before =
        app.admin_ok(Method::GET, "/namespaces/jr-auth", None).await["journal"]["last_seq"].clone();
    assert_eq!(before, 0);
}
