//! Namespaces: parallel clients of one server each get their own tokens, consents, quotas,
//! scenarios, clock and journal; resetting or deleting one leaves the others (and `default`)
//! alone.

use std::collections::HashSet;

use mydata_testbed::config::ServerConfig;
use reqwest::{Method, StatusCode};
use serde_json::json;

use crate::helpers::*;

async fn accounts(app: &TestApp, token: &str) -> Answer {
    app.call("은행-001", token, "user-consent", json!({"limit": "10"}))
        .await
}

/// The tran ids in a namespace's journal.
async fn journaled_trans(app: &TestApp, ns: &str) -> HashSet<String> {
    app.journal(ns, "limit=1000")
        .await
        .iter()
        .filter_map(|e| e["tran_id"].as_str().map(str::to_owned))
        .collect()
}

#[tokio::test]
async fn two_namespaces_in_parallel_do_not_interfere() {
    let app = spawn_testbed().await;
    let flow = |name: &'static str| {
        let app = &app;
        async move {
            let ns = app.in_namespace(name);
            let t = ns.login("C001", None, false).await;
            let answer = accounts(&ns, &t.access).await;
            assert_eq!(answer.rsp_code(), "00000", "{name}");
            let trans = vec![tran_of(&answer)];
            (ns, t, trans)
        }
    };
    let ((a, ta, mut trans_a), (b, tb, mut trans_b)) = tokio::join!(flow("ci-a"), flow("ci-b"));

    // Tokens belong to the namespace that issued them.
    let (cross_a, cross_b) = tokio::join!(accounts(&a, &tb.access), accounts(&b, &ta.access));
    assert_eq!(cross_a.rsp_code(), "40101", "B's token in A");
    assert_eq!(cross_b.rsp_code(), "40101", "A's token in B");
    trans_a.push(tran_of(&cross_a));
    trans_b.push(tran_of(&cross_b));

    // Scenarios of A stay in A.
    app.add_scenario("ci-a", json!({"kind": "rsp_code", "code": "50005"}))
        .await;
    let (in_a, in_b) = tokio::join!(accounts(&a, &ta.access), accounts(&b, &tb.access));
    assert_eq!((in_a.rsp_code(), in_b.rsp_code()), ("50005", "00000"));
    trans_a.push(tran_of(&in_a));
    trans_b.push(tran_of(&in_b));
    app.admin_ok(Method::DELETE, "/namespaces/ci-a/scenarios", None)
        .await;

    // Clocks are independent.
    app.advance_ns("ci-a", "3h").await;
    let (in_a, in_b) = tokio::join!(accounts(&a, &ta.access), accounts(&b, &tb.access));
    assert_eq!(in_a.body["search_timestamp"], "20261125130000");
    assert_eq!(in_b.body["search_timestamp"], "20261125100000");
    trans_a.push(tran_of(&in_a));
    trans_b.push(tran_of(&in_b));

    // Journals are separate.
    let (journal_a, journal_b) =
        tokio::join!(journaled_trans(&app, "ci-a"), journaled_trans(&app, "ci-b"));
    for t in &trans_a {
        assert!(journal_a.contains(t) && !journal_b.contains(t), "{t}");
    }
    for t in &trans_b {
        assert!(journal_b.contains(t) && !journal_a.contains(t), "{t}");
    }
    let b_before = app.journal("ci-b", "limit=1000").await.len();

    // Resetting A forgets its tokens, scenarios, clock and journal; B is untouched.
    app.add_scenario("ci-a", json!({"kind": "maintenance"}))
        .await;
    let view = app
        .admin_ok(Method::POST, "/namespaces/ci-a/reset", None)
        .await;
    assert_eq!(view["token_pairs_issued"], 0);
    assert_eq!(view["live_consents"], 0);
    assert_eq!(view["scenarios"], 0);
    assert_eq!(view["journal"]["entries"], 0);
    assert_eq!(view["clock"]["offset_seconds"], 0);
    assert_eq!(accounts(&a, &ta.access).await.rsp_code(), "40101");
    assert_eq!(accounts(&b, &tb.access).await.rsp_code(), "00000");
    assert_eq!(
        app.journal("ci-b", "limit=1000").await.len(),
        b_before + 1,
        "B's journal kept its entries"
    );

    // Deleting A: gone from the list, B lives on.
    let (status, _) = app.admin(Method::DELETE, "/namespaces/ci-a", None).await;
    assert_eq!(status, StatusCode::NO_CONTENT);
    let (status, _) = app.admin(Method::DELETE, "/namespaces/ci-a", None).await;
    assert_eq!(status, StatusCode::NOT_FOUND, "already gone");
    let list = app.admin_ok(Method::GET, "/namespaces", None).await;
    let names: Vec<&str> = list["namespaces"]
        .as_array()
        .expect("namespaces")
        .iter()
        .filter_map(|n| n["name"].as_str())
        .collect();
    assert_eq!(names, ["default", "ci-b"]);
    assert_eq!(accounts(&b, &tb.access).await.rsp_code(), "00000");
    let b_view = app.admin_ok(Method::GET, "/namespaces/ci-b", None).await;
    assert_eq!(b_view["token_pairs_issued"], 1);
    assert_eq!(b_view["clock"]["dtime"], "20261125100000");

    // Nobody used the default namespace.
    let default = app.admin_ok(Method::GET, "/namespaces/default", None).await;
    assert_eq!(default["journal"]["entries"], 0, "{default}");
    assert_eq!(default["token_pairs_issued"], 0);
    assert_eq!(default["scenarios"], 0);
    assert_eq!(default["clock"]["offset_seconds"], 0);
    assert_eq!(
        accounts(&app, &tb.access).await.rsp_code(),
        "40101",
        "B's token is not valid in default"
    );
}

#[tokio::test]
async fn namespace_names_are_checked_and_their_number_bounded() {
    let app = spawn_app_with(ServerConfig {
        max_namespaces: 3,
        ..testbed_config()
    })
    .await;
    // A bad name in the header: 40002, echoing the tran id.
    let tran = tran_id();
    let answer = app
        .send(
            app.client
                .get(app.url("/v1/bank/accounts"))
                .query(&[("org_code", BANK_ORG), ("limit", "10")])
                .header("x-api-tran-id", &tran)
                .header("x-api-type", "user-consent")
                .header("x-testbed-namespace", "no/slashes")
                .bearer_auth("whatever"),
            Some(&tran),
        )
        .await;
    assert_eq!(
        (answer.status, answer.rsp_code()),
        (StatusCode::BAD_REQUEST, "40002"),
        "{}",
        answer.body
    );
    let (status, body) = app.admin(Method::GET, "/namespaces/bad!name", None).await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");

    // default + two more.
    for name in ["n1", "n2"] {
        app.admin_ok(Method::GET, &format!("/namespaces/{name}"), None)
            .await;
    }
    let (status, body) = app.admin(Method::GET, "/namespaces/n3", None).await;
    assert_eq!(status, StatusCode::TOO_MANY_REQUESTS, "{body}");
    assert_eq!(body["error"], "too_many_namespaces");
    let n3 = app.in_namespace("n3");
    let refused = n3.authorize(&ci_of(&app, "C001"), &[]).await;
    assert_eq!(refused.rsp_code(), "40002", "{}", refused.body);
    app.admin_ok(Method::DELETE, "/namespaces/n1", None).await;
    let n3 = app.in_namespace("n3");
    n3.login("C001", None, false).await;
}
