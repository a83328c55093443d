//! Every rsp_code the server produces (reference §5.1), each from the request that should cause
//! it, with the table's HTTP status, the `{rsp_code, rsp_msg}` body and the tran-id echo.

use chrono::TimeDelta;
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

fn ymd(d: chrono::NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// The closed account of the fixtures and its owner.
const CLOSED: (&str, &str) = ("C005", "110886357431");

/// Sends 은행-001 with hand-picked headers (None = header absent).
async fn accounts_with_headers(
    app: &TestApp,
    tran: Option<&str>,
    api_type: Option<&str>,
    auth: Option<&str>,
) -> Answer {
    let entry = app.entry("은행-001").clone();
    let mut req = app
        .client
        .get(app.url(&entry.full_path("v1")))
        .query(&[("org_code", BANK_ORG), ("limit", "10")]);
    if let Some(t) = tran {
        req = req.header("x-api-tran-id", t);
    }
    if let Some(t) = api_type {
        req = req.header("x-api-type", t);
    }
    if let Some(a) = auth {
        req = req.header("authorization", a);
    }
    let answer = app.send(req, tran).await;
    app.assert_conforms(&entry, &answer);
    answer
}

#[tokio::test]
async fn headers_missing_or_malformed_answer_40002() {
    let app = spawn_app().await;
    let t = app.login("C001", None, false).await;
    let bearer = format!("Bearer {}", t.access);
    let good = tran_id();
    let cases = [
        (
            None,
            Some("user-consent"),
            Some(bearer.as_str()),
            "no x-api-tran-id",
        ),
        (
            Some("SHORT123"),
            Some("user-consent"),
            Some(bearer.as_str()),
            "tran id too short",
        ),
        (
            Some("tbapp00001m00000000000001"),
            Some("user-consent"),
            Some(bearer.as_str()),
            "lower-case tran id",
        ),
        (
            Some("TBAPP00001X00000000000001"),
            Some("user-consent"),
            Some(bearer.as_str()),
            "unknown creator kind",
        ),
        (
            Some(good.as_str()),
            None,
            Some(bearer.as_str()),
            "no x-api-type",
        ),
        (
            Some(good.as_str()),
            Some("regular"),
            Some(bearer.as_str()),
            "x-api-type not of the standard",
        ),
        (
            Some(good.as_str()),
            Some("user-consent"),
            None,
            "no Authorization",
        ),
        (
            Some(good.as_str()),
            Some("user-consent"),
            Some(t.access.as_str()),
            "Authorization without Bearer",
        ),
    ];
    for (tran, api_type, auth, why) in cases {
        let answer = accounts_with_headers(&app, tran, api_type, auth).await;
        assert_eq!(
            (answer.status, answer.rsp_code()),
            (StatusCode::BAD_REQUEST, "40002"),
            "{why}: {}",
            answer.body
        );
    }
}

#[tokio::test]
async fn invalid_tokens_answer_40101() {
    let app = spawn_app().await;
    let t = app.login("C001", None, false).await;
    let mut tampered = t.access.clone();
    let mid = tampered.len() / 2;
    tampered.replace_range(
        mid..mid + 1,
        if &tampered[mid..mid + 1] == "A" {
            "B"
        } else {
            "A"
        },
    );
    for token in [tampered.as_str(), "not-a-jwt", t.refresh.as_str()] {
        let answer = app
            .call("은행-001", token, "user-consent", json!({"limit": "10"}))
            .await;
        assert_eq!(
            (answer.status, answer.rsp_code()),
            (StatusCode::UNAUTHORIZED, "40101"),
            "{token}"
        );
    }
    app.advance(TimeDelta::days(91));
    let expired = app
        .call(
            "은행-001",
            &t.access,
            "user-consent",
            json!({"limit": "10"}),
        )
        .await;
    assert_eq!(
        expired.rsp_code(),
        "40101",
        "an access token lives at most 90 days"
    );
}

#[tokio::test]
async fn a_consent_past_its_end_date_answers_40106_though_the_token_lives_on() {
    let app = spawn_app().await;
    let rid = app.begin_login("C001").await;
    let end = ymd(app.clock.today() + chrono::Days::new(3));
    let answer = app
        .post_consent(
            &rid,
            "C001",
            &["110482913570"],
            false,
            &[("end_date", &end)],
        )
        .await;
    let code = answer.location_query()["code"].clone();
    let token = app.exchange(&code).await.body["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    app.advance(TimeDelta::days(3));
    assert_eq!(
        app.call("은행-001", &token, "user-consent", json!({"limit": "5"}))
            .await
            .rsp_code(),
        "00000",
        "the end date itself is still inside the consent"
    );
    app.advance(TimeDelta::days(1));
    let answer = app
        .call("은행-001", &token, "user-consent", json!({"limit": "5"}))
        .await;
    assert_eq!(
        (answer.status, answer.rsp_code()),
        (StatusCode::UNAUTHORIZED, "40106")
    );
}

#[tokio::test]
async fn a_missing_scope_answers_40104_and_a_left_out_asset_40105() {
    let app = spawn_app().await;
    let t = app.login("C001", Some(&["110482913570"]), false).await;
    let invest = app
        .call(
            "은행-005",
            &t.access,
            "user-consent",
            json!({"account_num": "520048291357"}),
        )
        .await;
    assert_eq!(
        (invest.status, invest.rsp_code()),
        (StatusCode::UNAUTHORIZED, "40104")
    );
    let left_out = app
        .call(
            "은행-002",
            &t.access,
            "user-consent",
            json!({"account_num": "210482913581"}),
        )
        .await;
    assert_eq!(
        (left_out.status, left_out.rsp_code()),
        (StatusCode::UNAUTHORIZED, "40105")
    );
}

#[tokio::test]
async fn bad_parameters_answer_40001() {
    let app = spawn_app().await;
    let t = app.login(LONG_HISTORY_CUSTOMER, None, false).await;
    let today = app.clock.today();
    let tx = |extra: Value| {
        let mut p = json!({"account_num": LONG_HISTORY_ACCOUNT, "from_date": ymd(today - chrono::Days::new(10)), "to_date": ymd(today), "limit": "10"});
        for (k, v) in extra.as_object().expect("object") {
            if v.is_null() {
                p.as_object_mut().expect("object").remove(k);
            } else {
                p[k] = v.clone();
            }
        }
        p
    };
    let cases = [
        (tx(json!({"limit": "501"})), "limit over 500"),
        (tx(json!({"limit": "0"})), "limit zero"),
        (tx(json!({"limit": null})), "limit missing"),
        (tx(json!({"limit": 10})), "a number where a string belongs"),
        (tx(json!({"from_date": "2024-01-01"})), "bad date format"),
        (
            tx(json!({"from_date": ymd(today), "to_date": ymd(today - chrono::Days::new(1))})),
            "from after to",
        ),
        (
            tx(json!({"next_page": "bm90LWEtY3Vyc29y"})),
            "a cursor we never issued",
        ),
        (
            tx(json!({"account_num": "1105-7392"})),
            "account number with a hyphen",
        ),
    ];
    for (params, why) in cases {
        let answer = app.call("은행-004", &t.access, "user-search", params).await;
        assert_eq!(
            (answer.status, answer.rsp_code()),
            (StatusCode::BAD_REQUEST, "40001"),
            "{why}: {}",
            answer.body
        );
    }
    let not_json = app
        .send(
            app.client
                .post(app.url("/v1/bank/accounts/deposit/basic"))
                .header("x-api-tran-id", tran_id())
                .header("x-api-type", "user-consent")
                .bearer_auth(&t.access)
                .body("{not json"),
            None,
        )
        .await;
    assert_eq!(not_json.rsp_code(), "40001");
}

#[tokio::test]
async fn another_providers_org_code_answers_40303() {
    let app = spawn_app().await;
    let t = app.login("C001", None, false).await;
    let answer = app
        .call(
            "은행-001",
            &t.access,
            "user-consent",
            json!({"org_code": "OTHER00001", "limit": "5"}),
        )
        .await;
    assert_eq!(
        (answer.status, answer.rsp_code()),
        (StatusCode::FORBIDDEN, "40303")
    );
}

#[tokio::test]
async fn periods_break_the_rules_with_40304_and_40004() {
    let app = spawn_app().await;
    let t = app.login(LONG_HISTORY_CUSTOMER, None, true).await;
    let today = app.clock.today();
    let call = |api_type: &'static str, from: chrono::NaiveDate, to: chrono::NaiveDate| {
        let t = t.access.clone();
        let app = &app;
        async move {
            app.call(
                "은행-004",
                &t,
                api_type,
                json!({"account_num": LONG_HISTORY_ACCOUNT, "from_date": ymd(from), "to_date": ymd(to), "limit": "10"}),
            )
            .await
        }
    };
    let too_old = call(
        "user-search",
        today - chrono::Months::new(60) - chrono::Days::new(1),
        today,
    )
    .await;
    assert_eq!(
        (too_old.status, too_old.rsp_code()),
        (StatusCode::FORBIDDEN, "40304")
    );
    let five_years = call("user-search", today - chrono::Months::new(60), today).await;
    assert_eq!(
        five_years.rsp_code(),
        "00000",
        "exactly five years back is allowed"
    );
    let refresh_13m = call("user-refresh", today - chrono::Months::new(13), today).await;
    assert_eq!(
        (refresh_13m.status, refresh_13m.rsp_code()),
        (StatusCode::BAD_REQUEST, "40004")
    );
    let scheduled_32d = call("scheduled", today - chrono::Days::new(31), today).await;
    assert_eq!(
        scheduled_32d.rsp_code(),
        "40004",
        "a scheduled call covers at most 31 days"
    );
    let scheduled_31d = call("scheduled", today - chrono::Days::new(30), today).await;
    assert_eq!(scheduled_31d.rsp_code(), "00000");
}

#[tokio::test]
async fn loan_transactions_allow_three_months_for_scheduled_calls() {
    let app = spawn_app().await;
    let t = app.login("C003", None, true).await;
    let params = |from: chrono::NaiveDate, to: chrono::NaiveDate| json!({"account_num": "7220664138227", "from_date": ymd(from), "to_date": ymd(to), "limit": "10"});
    let today = app.clock.today();
    let three_months = params(today - chrono::Months::new(3) + chrono::Days::new(1), today);
    let answer = app
        .call("은행-010", &t.access, "scheduled", three_months)
        .await;
    assert_eq!(
        answer.rsp_code(),
        "00000",
        "은행-010 is a §6.2 exception: {}",
        answer.body
    );
    let over = params(today - chrono::Months::new(3), today);
    app.advance(TimeDelta::days(7));
    let answer = app.call("은행-010", &t.access, "scheduled", over).await;
    assert_eq!(answer.rsp_code(), "40004", "{}", answer.body);
    let deposit = json!({"account_num": "110664138205", "from_date": ymd(today - chrono::Months::new(3) + chrono::Days::new(1)), "to_date": ymd(today), "limit": "10"});
    assert_eq!(
        app.call("은행-004", &t.access, "scheduled", deposit)
            .await
            .rsp_code(),
        "40004",
        "deposits keep the 31-day rule"
    );
}

#[tokio::test]
async fn scheduled_calls_need_a_scheduled_consent_40301() {
    let app = spawn_app().await;
    let t = app.login("C001", None, false).await;
    let answer = app
        .call("은행-001", &t.access, "scheduled", json!({"limit": "10"}))
        .await;
    assert_eq!(
        (answer.status, answer.rsp_code()),
        (StatusCode::FORBIDDEN, "40301")
    );
}

#[tokio::test]
async fn a_second_scheduled_call_in_the_week_answers_42901_until_next_week() {
    let app = spawn_app().await;
    let t = app.login("C001", None, true).await;
    let basic = |n: &'static str| json!({"account_num": n});
    assert_eq!(
        app.call("은행-002", &t.access, "scheduled", basic("110482913570"))
            .await
            .rsp_code(),
        "00000"
    );
    let second = app
        .call("은행-002", &t.access, "scheduled", basic("110482913570"))
        .await;
    assert_eq!(
        (second.status, second.rsp_code()),
        (StatusCode::TOO_MANY_REQUESTS, "42901")
    );
    assert_eq!(
        app.call("은행-002", &t.access, "scheduled", basic("210482913581"))
            .await
            .rsp_code(),
        "00000",
        "the limit is per asset"
    );
    assert_eq!(
        app.call("은행-002", &t.access, "user-refresh", basic("110482913570"))
            .await
            .rsp_code(),
        "00000",
        "customer-initiated calls are not limited"
    );
    // 2026-11-25 is a Wednesday; the next week starts on Sunday 2026-11-29.
    app.advance(TimeDelta::days(4));
    assert_eq!(
        app.call("은행-002", &t.access, "scheduled", basic("110482913570"))
            .await
            .rsp_code(),
        "00000"
    );
}

#[tokio::test]
async fn later_pages_of_a_scheduled_query_do_not_count_against_the_week() {
    let app = spawn_app().await;
    let t = app.login("C007", None, true).await;
    let first = app
        .call("은행-001", &t.access, "scheduled", json!({"limit": "3"}))
        .await;
    let next = first.body["next_page"]
        .as_str()
        .expect("C007 has more than 3 accounts")
        .to_owned();
    let second = app
        .call(
            "은행-001",
            &t.access,
            "scheduled",
            json!({"limit": "3", "next_page": next}),
        )
        .await;
    assert_eq!(second.rsp_code(), "00000");
    let again = app
        .call("은행-001", &t.access, "scheduled", json!({"limit": "3"}))
        .await;
    assert_eq!(again.rsp_code(), "42901");
}

#[tokio::test]
async fn unknown_and_other_customers_assets_answer_40402_and_closed_ones_40305() {
    let app = spawn_app().await;
    let t = app.login("C001", None, false).await;
    for num in ["999999999999", LONG_HISTORY_ACCOUNT] {
        let answer = app
            .call(
                "은행-002",
                &t.access,
                "user-consent",
                json!({"account_num": num}),
            )
            .await;
        assert_eq!(
            (answer.status, answer.rsp_code()),
            (StatusCode::NOT_FOUND, "40402"),
            "{num}"
        );
    }
    let fund_as_deposit = app
        .call(
            "은행-002",
            &t.access,
            "user-consent",
            json!({"account_num": "520048291357"}),
        )
        .await;
    assert_eq!(
        fund_as_deposit.rsp_code(),
        "40402",
        "a fund is not a deposit account"
    );

    let (owner, closed) = CLOSED;
    let t = app.login(owner, None, false).await;
    let answer = app
        .call(
            "은행-002",
            &t.access,
            "user-consent",
            json!({"account_num": closed}),
        )
        .await;
    assert_eq!(
        (answer.status, answer.rsp_code()),
        (StatusCode::FORBIDDEN, "40305")
    );
}

#[tokio::test]
async fn an_unchanged_dataset_answers_00001_with_no_data() {
    let app = spawn_app().await;
    let t = app.login("C001", None, false).await;
    let first = app
        .call(
            "은행-001",
            &t.access,
            "user-refresh",
            json!({"limit": "10"}),
        )
        .await;
    let st = first.body["search_timestamp"]
        .as_str()
        .expect("search_timestamp on page 1")
        .to_owned();
    let again = app
        .call(
            "은행-001",
            &t.access,
            "user-refresh",
            json!({"limit": "10", "search_timestamp": st}),
        )
        .await;
    assert_eq!((again.status, again.rsp_code()), (StatusCode::OK, "00001"));
    assert_eq!(
        again.body.as_object().map(|o| o.len()),
        Some(2),
        "only rsp_code and rsp_msg: {}",
        again.body
    );
    let full = app
        .call(
            "은행-001",
            &t.access,
            "user-refresh",
            json!({"limit": "10", "search_timestamp": "0"}),
        )
        .await;
    assert_eq!(full.rsp_code(), "00000", "0 asks for everything");
    let basic = app
        .call(
            "은행-002",
            &t.access,
            "user-refresh",
            json!({"account_num": "110482913570", "search_timestamp": st}),
        )
        .await;
    assert_eq!(basic.rsp_code(), "00001");
    // A new consent changes the list (is_consent), so the list is no longer up to date.
    app.advance(TimeDelta::seconds(5));
    let t2 = app.login("C001", Some(&["110482913570"]), false).await;
    let changed = app
        .call(
            "은행-001",
            &t2.access,
            "user-refresh",
            json!({"limit": "10", "search_timestamp": st}),
        )
        .await;
    assert_eq!(changed.rsp_code(), "00000");
}

#[tokio::test]
async fn unknown_paths_wrong_methods_and_versions_answer_40401_40501_40003() {
    let app = spawn_app().await;
    let t = app.login("C001", None, false).await;
    let tran = tran_id();
    let send = |method: reqwest::Method, path: &str| {
        app.client
            .request(method, app.url(path))
            .header("x-api-tran-id", &tran)
            .header("x-api-type", "user-consent")
            .bearer_auth(&t.access)
    };
    let unknown = app
        .send(
            send(reqwest::Method::GET, "/v1/bank/nothing-here"),
            Some(&tran),
        )
        .await;
    assert_eq!(
        (unknown.status, unknown.rsp_code()),
        (StatusCode::NOT_FOUND, "40401")
    );
    let wrong_method = app
        .send(
            send(reqwest::Method::GET, "/v1/bank/accounts/deposit/basic"),
            Some(&tran),
        )
        .await;
    assert_eq!(
        (wrong_method.status, wrong_method.rsp_code()),
        (StatusCode::METHOD_NOT_ALLOWED, "40501")
    );
    let put = app
        .send(send(reqwest::Method::PUT, "/v1/bank/accounts"), Some(&tran))
        .await;
    assert_eq!(put.rsp_code(), "40501");
    let version = app
        .send(send(reqwest::Method::GET, "/v9/bank/accounts"), Some(&tran))
        .await;
    assert_eq!(
        (version.status, version.rsp_code()),
        (StatusCode::BAD_REQUEST, "40003")
    );
    for a in [&unknown, &wrong_method, &version] {
        assert!(a.body["rsp_msg"].is_string());
        assert_eq!(
            a.headers.get("content-type").and_then(|v| v.to_str().ok()),
            Some("application/json; charset=UTF-8")
        );
    }
}

#[tokio::test]
async fn parameters_an_api_does_not_declare_change_nothing() {
    let app = spawn_app().await;
    let t = app.login("C001", None, true).await;
    // An undeclared next_page does not make a scheduled call a "later page" (§6.1)...
    let basic = json!({"account_num": "110482913570"});
    assert_eq!(
        app.call("은행-002", &t.access, "scheduled", basic.clone())
            .await
            .rsp_code(),
        "00000"
    );
    let mut sneaky = basic.clone();
    sneaky["next_page"] = json!("x");
    assert_eq!(
        app.call("은행-002", &t.access, "scheduled", sneaky)
            .await
            .rsp_code(),
        "42901"
    );
    // ...and undeclared month parameters do not replace the date-period rules (§1.8).
    let today = app.clock.today();
    let window = json!({
        "account_num": "110482913570", "from_date": ymd(today - chrono::Days::new(60)), "to_date": ymd(today),
        "limit": "10", "from_month": today.format("%Y%m").to_string(), "to_month": today.format("%Y%m").to_string()
    });
    assert_eq!(
        app.call("은행-004", &t.access, "scheduled", window)
            .await
            .rsp_code(),
        "40004"
    );
}

#[tokio::test]
async fn a_cursor_cannot_be_edited_to_another_page() {
    use base64::Engine;
    let app = spawn_app().await;
    let t = app.login(LONG_HISTORY_CUSTOMER, None, false).await;
    let today = app.clock.today();
    let params = json!({"account_num": LONG_HISTORY_ACCOUNT, "from_date": ymd(today - chrono::Days::new(300)), "to_date": ymd(today), "limit": "10"});
    let first = app
        .call("은행-004", &t.access, "user-search", params.clone())
        .await;
    let cursor = first.body["next_page"]
        .as_str()
        .expect("a cursor")
        .to_owned();
    let engine = base64::engine::general_purpose::URL_SAFE_NO_PAD;
    let mut bytes = engine.decode(&cursor).expect("base64");
    bytes[3] = bytes[3].wrapping_add(10);
    let mut edited = params.clone();
    edited["next_page"] = json!(engine.encode(bytes));
    assert_eq!(
        app.call("은행-004", &t.access, "user-search", edited)
            .await
            .rsp_code(),
        "40001"
    );
}

#[tokio::test]
async fn revoke_leaves_another_providers_token_alone() {
    let app = spawn_app().await;
    let card = app.login_at("card", "C001", None, false).await;
    // Revoking through the bank's org_code: 200 (RFC 7009), but the card token lives on.
    assert_eq!(
        app.revoke(&card.access, CLIENT_SECRET).await.rsp_code(),
        "00000"
    );
    let cards = app
        .state
        .spec
        .api("card", "카드-001")
        .expect("spec")
        .clone();
    assert_eq!(
        app.call_entry(&cards, &card.access, "user-consent", json!({"limit": "10"}))
            .await
            .rsp_code(),
        "00000"
    );
}
