//! A namespace's virtual clock (the server's clock plus the namespace's offset, moved through the
//! admin API) drives token expiry, the weekly scheduled limit, consent end dates,
//! `search_timestamp` and the fixtures' relative dates, in that namespace only.

use chrono::{NaiveDate, NaiveDateTime};
use mydata_testbed::config::ServerConfig;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

const C001_DEPOSIT: &str = "110482913570";

fn ymd(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

async fn clock(app: &TestApp, ns: &str) -> Value {
    app.admin_ok(Method::GET, &format!("/namespaces/{ns}/clock"), None)
        .await
}

async fn accounts(app: &TestApp, token: &str) -> Answer {
    app.call("은행-001", token, "user-consent", json!({"limit": "10"}))
        .await
}

#[tokio::test]
async fn the_clock_api_reads_sets_advances_and_resets() {
    let app = shared_testbed();
    let ns = "clk-api";
    let path = format!("/namespaces/{ns}/clock");
    let advance = format!("/namespaces/{ns}/clock/advance");
    let now = clock(&app, ns).await;
    assert_eq!(now["dtime"], "20261125100000");
    assert_eq!(now["today"], "20261125");
    assert_eq!(now["weekday"], "Wednesday");
    assert_eq!(now["offset_seconds"], 0);
    assert_eq!(now["now"], "2026-11-25T10:00:00+09:00");

    let steps = [
        (json!({"by": "2h"}), "20261125120000", 7_200),
        (json!({"seconds": -3600}), "20261125110000", 3_600),
        (json!({"by": "-60m"}), "20261125100000", 0),
        (json!({"by": "1w"}), "20261202100000", 604_800),
        (json!({"by": "-7d"}), "20261125100000", 0),
    ];
    for (body, dtime, offset) in steps {
        let view = app
            .admin_ok(Method::POST, &advance, Some(body.clone()))
            .await;
        assert_eq!(view["dtime"], dtime, "{body}");
        assert_eq!(view["offset_seconds"], offset, "{body}");
    }
    let sets = [
        (json!({"dtime": "20261231235959"}), "20261231235959"),
        (json!({"now": "2026-11-25T03:00:00Z"}), "20261125120000"),
        (
            json!({"now": "2027-01-01T09:00:00+09:00"}),
            "20270101090000",
        ),
        (json!({"reset": true}), "20261125100000"),
    ];
    for (body, dtime) in sets {
        let view = app.admin_ok(Method::PUT, &path, Some(body.clone())).await;
        assert_eq!(view["dtime"], dtime, "{body}");
        assert_eq!(clock(&app, ns).await["dtime"], dtime, "it stays set");
    }
    assert_eq!(clock(&app, ns).await["offset_seconds"], 0);

    let bad_advances = [
        json!({"by": "7"}),
        json!({"by": "7y"}),
        json!({"by": "seven days"}),
        json!({"by": "999999999999d"}),
        json!({}),
        json!({"by": "1d", "seconds": 1}),
        json!({"seconds": 9_999_999_999_i64}),
        json!({"by": "1d", "later": true}),
    ];
    for body in bad_advances {
        let (status, answer) = app.admin(Method::POST, &advance, Some(body.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        assert!(answer["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    let bad_sets = [
        json!({"dtime": "2026"}),
        json!({"dtime": "20261345000000"}),
        json!({"now": "yesterday"}),
        json!({"now": "2026-11-25T03:00:00Z", "reset": true}),
        json!({"now": "2026-11-25T03:00:00Z", "dtime": "20261125120000"}),
        json!({}),
        json!({"reset": false}),
    ];
    for body in bad_sets {
        let (status, answer) = app.admin(Method::PUT, &path, Some(body.clone())).await;
        assert_eq!(status, StatusCode::BAD_REQUEST, "{body}: {answer}");
        assert!(answer["message"].as_str().is_some_and(|m| !m.is_empty()));
    }
    assert_eq!(
        clock(&app, ns).await["dtime"],
        "20261125100000",
        "refused changes change nothing"
    );
}

#[tokio::test]
async fn an_access_token_expires_on_its_namespace_clock_only() {
    let app = spawn_app_with(ServerConfig {
        access_token_ttl: 3600,
        ..testbed_config()
    })
    .await;
    let ns = app.in_namespace("clk-ttl");
    let t = ns.login("C001", None, false).await;
    let default = app.login("C001", None, false).await;
    assert_eq!(accounts(&ns, &t.access).await.rsp_code(), "00000");

    app.advance_ns("clk-ttl", "2h").await;
    let expired = accounts(&ns, &t.access).await;
    assert_eq!(
        (expired.status, expired.rsp_code()),
        (StatusCode::UNAUTHORIZED, "40101")
    );
    let entry = entry_with_tran(&app.journal("clk-ttl", "").await, &tran_of(&expired)).clone();
    assert_eq!(finding_kinds(&entry), ["token_reused"], "{entry}");
    assert_eq!(
        accounts(&app, &default.access).await.rsp_code(),
        "00000",
        "the default namespace's clock did not move"
    );

    // The refresh token lives longer; the new access token works on the moved clock.
    let refreshed = ns.refresh(&t.refresh).await;
    assert_eq!(refreshed.status, StatusCode::OK, "{}", refreshed.body);
    let access = refreshed.body["access_token"].as_str().expect("a token");
    assert_eq!(accounts(&ns, access).await.rsp_code(), "00000");
}

#[tokio::test]
async fn the_weekly_scheduled_limit_resets_when_the_namespace_clock_moves_a_week() {
    let app = shared_testbed();
    let ns = app.in_namespace("clk-week");
    let t = ns.login("C001", None, true).await;
    let basic = json!({"account_num": C001_DEPOSIT});
    let call = || ns.call("은행-002", &t.access, "scheduled", basic.clone());
    assert_eq!(call().await.rsp_code(), "00000");
    let again = call().await;
    assert_eq!(
        (again.status, again.rsp_code()),
        (StatusCode::TOO_MANY_REQUESTS, "42901")
    );
    let entry = entry_with_tran(&app.journal("clk-week", "").await, &tran_of(&again)).clone();
    assert_eq!(
        finding_kinds(&entry),
        ["scheduled_weekly_repeat"],
        "{entry}"
    );

    app.advance_ns("clk-week", "7d").await;
    let next_week = call().await;
    assert_eq!(next_week.rsp_code(), "00000", "{}", next_week.body);
}

#[tokio::test]
async fn a_consent_ends_when_the_namespace_clock_passes_its_end_date() {
    let app = shared_testbed();
    let ns = app.in_namespace("clk-end");
    let rid = ns.begin_login("C001").await;
    let end = ymd(ns.clock.today() + chrono::Days::new(6));
    let consent = ns
        .post_consent(&rid, "C001", &[C001_DEPOSIT], false, &[("end_date", &end)])
        .await;
    let code = consent.location_query()["code"].clone();
    let token = ns.exchange(&code).await.body["access_token"]
        .as_str()
        .expect("a token")
        .to_owned();
    assert_eq!(accounts(&ns, &token).await.rsp_code(), "00000");
    app.advance_ns("clk-end", "7d").await;
    let ended = accounts(&ns, &token).await;
    assert_eq!(
        (ended.status, ended.rsp_code()),
        (StatusCode::UNAUTHORIZED, "40106"),
        "{}",
        ended.body
    );
}

#[tokio::test]
async fn search_timestamp_follows_the_namespace_clock() {
    let app = shared_testbed();
    let moved = app.in_namespace("clk-ts");
    let still = app.in_namespace("clk-ts-still");
    let tm = moved.login("C001", None, false).await;
    let ts = still.login("C001", None, false).await;
    let view = app.advance_ns("clk-ts", "3h").await;
    assert_eq!(view["dtime"], "20261125130000");
    let answer = accounts(&moved, &tm.access).await;
    assert_eq!(answer.body["search_timestamp"], "20261125130000");
    let answer = accounts(&still, &ts.access).await;
    assert_eq!(answer.body["search_timestamp"], "20261125100000");
}

/// The newest transaction of C001's deposit account in the last 30 days of a namespace.
async fn newest_transaction(app: &TestApp, token: &str) -> NaiveDateTime {
    let today = app.clock.today();
    let answer = app
        .call(
            "은행-004",
            token,
            "user-search",
            json!({"account_num": C001_DEPOSIT, "from_date": ymd(today - chrono::Days::new(30)),
                   "to_date": ymd(today), "limit": "5"}),
        )
        .await;
    assert_eq!(answer.rsp_code(), "00000", "{}", answer.body);
    let dtime = answer.body["trans_list"][0]["trans_dtime"]
        .as_str()
        .expect("a transaction");
    NaiveDateTime::parse_from_str(dtime, "%Y%m%d%H%M%S").expect("a DTIME")
}

#[tokio::test]
async fn fixture_dates_follow_the_namespace_today() {
    let app = shared_testbed();
    let moved = app.in_namespace("clk-fix");
    let still = app.in_namespace("clk-fix-still");
    let tm = moved.login("C001", None, false).await;
    let ts = still.login("C001", None, false).await;
    app.advance_ns("clk-fix", "7d").await;
    assert_eq!(
        ymd(moved.clock.today()),
        "20261202",
        "the handle reads the namespace clock"
    );
    let (then, now) = tokio::join!(
        newest_transaction(&still, &ts.access),
        newest_transaction(&moved, &tm.access)
    );
    assert_eq!(
        then.format("%Y%m%d%H%M%S").to_string(),
        "20261120090012",
        "`@today-5d 09:00:12` on 2026-11-25"
    );
    assert_eq!(now - then, chrono::TimeDelta::days(7));
}
