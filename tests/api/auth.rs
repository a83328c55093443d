//! 개별인증-001..004 (reference §2.2) through the real HTTP endpoints.

use chrono::TimeDelta;
use reqwest::StatusCode;
use serde_json::json;

use crate::helpers::*;

#[tokio::test]
async fn the_whole_individual_auth_flow_ends_in_a_token_that_reads_bank_data() {
    let app = spawn_app().await;
    let tokens = app.login("C001", None, true).await;
    assert_eq!(
        tokens.scope,
        "bank.list bank.deposit bank.invest bank.prepaid"
    );
    let answer = app
        .call(
            "은행-001",
            &tokens.access,
            "user-consent",
            json!({"limit": "10"}),
        )
        .await;
    assert_eq!(answer.rsp_code(), "00000");
}

#[tokio::test]
async fn authorize_redirects_to_the_providers_login_page() {
    let app = spawn_app().await;
    let answer = app.authorize(&ci_of(&app, "C001"), &[]).await;
    assert_eq!(answer.status, StatusCode::FOUND);
    assert!(
        answer
            .location()
            .starts_with(&format!("{}/oauth/2.0/login?request_id=", app.base)),
        "{}",
        answer.location()
    );
    let page = app
        .client
        .get(answer.location())
        .send()
        .await
        .expect("login page");
    assert_eq!(page.status(), StatusCode::OK);
    let html = page.text().await.expect("html");
    assert!(
        html.contains("김민준") && html.contains("x-user-ci 일치"),
        "the matching customer is marked"
    );
}

#[tokio::test]
async fn authorize_answers_json_for_an_unknown_client_or_redirect_uri() {
    let app = spawn_app().await;
    let ci = ci_of(&app, "C001");
    for (k, v) in [
        ("client_id", "nosuchclient"),
        ("redirect_uri", "https://evil.example/cb"),
    ] {
        let answer = app.authorize(&ci, &[(k, v)]).await;
        assert_eq!(answer.status, StatusCode::BAD_REQUEST, "{k}");
        assert_eq!(answer.error(), "invalid_request");
        assert_eq!(answer.body["state"], "st4te");
        assert!(answer.body["api_tran_id"].is_string());
    }
}

#[tokio::test]
async fn authorize_redirects_other_errors_back_to_the_operator() {
    let app = spawn_app().await;
    let ci = ci_of(&app, "C001");
    type Case<'a> = (&'a str, &'a [(&'a str, &'a str)], &'a str);
    let cases: [Case<'_>; 4] = [
        ("", &[], "invalid_request"),
        (
            &ci,
            &[("response_type", "token")],
            "unsupported_response_type",
        ),
        (&ci, &[("org_code", "NOTOURS001")], "invalid_request"),
        (&ci, &[("app_scheme", "other://x")], "invalid_request"),
    ];
    for (ci, overrides, error) in cases {
        let answer = app.authorize(ci, overrides).await;
        assert_eq!(answer.status, StatusCode::FOUND, "{overrides:?}");
        assert!(answer.location().starts_with(REDIRECT_URI));
        let q = answer.location_query();
        assert_eq!(
            q.get("error").map(String::as_str),
            Some(error),
            "{overrides:?}"
        );
        assert_eq!(q.get("state").map(String::as_str), Some("st4te"));
        assert!(q.contains_key("api_tran_id"));
    }
}

#[tokio::test]
async fn a_customer_whose_ci_differs_from_x_user_ci_is_an_unauthorized_user() {
    let app = spawn_app().await;
    let rid = app.begin_login("C001").await;
    let form = [
        ("request_id", rid.as_str()),
        ("customer_id", "C002"),
        ("action", "login"),
    ];
    let answer = app
        .send(
            app.client.post(app.url("/oauth/2.0/login")).form(&form),
            None,
        )
        .await;
    assert_eq!(answer.status, StatusCode::FOUND);
    assert_eq!(
        answer.location_query().get("error").map(String::as_str),
        Some("unauthorized_user")
    );
}

#[tokio::test]
async fn cancelling_the_consent_redirects_with_access_denied() {
    let app = spawn_app().await;
    let rid = app.begin_login("C001").await;
    let form = [
        ("request_id", rid.as_str()),
        ("customer_id", "C001"),
        ("action", "cancel"),
    ];
    let answer = app
        .send(
            app.client.post(app.url("/oauth/2.0/consent")).form(&form),
            None,
        )
        .await;
    assert_eq!(
        answer.location_query().get("error").map(String::as_str),
        Some("access_denied")
    );
}

#[tokio::test]
async fn a_code_is_single_use_and_its_replay_revokes_the_tokens() {
    let app = spawn_app().await;
    let code = app.code_for("C001", None, false).await;
    let first = app.exchange(&code).await;
    assert_eq!(first.status, StatusCode::OK);
    let access = first.body["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    let replay = app.exchange(&code).await;
    assert_eq!(
        (replay.status, replay.error()),
        (StatusCode::BAD_REQUEST, "invalid_grant")
    );
    let answer = app
        .call("은행-001", &access, "user-consent", json!({"limit": "10"}))
        .await;
    assert_eq!(
        answer.rsp_code(),
        "40101",
        "tokens issued with a replayed code are revoked"
    );
}

#[tokio::test]
async fn a_code_expires_after_ten_minutes() {
    let app = spawn_app().await;
    let code = app.code_for("C001", None, false).await;
    app.advance(TimeDelta::seconds(601));
    let answer = app.exchange(&code).await;
    assert_eq!(answer.error(), "invalid_grant");
}

#[tokio::test]
async fn the_token_endpoint_rejects_bad_clients_redirects_and_grant_types() {
    let app = spawn_app().await;
    let code = app.code_for("C001", None, false).await;
    let base = |secret: &'static str, redirect: &'static str, grant: &'static str| {
        vec![
            ("org_code", BANK_ORG),
            ("grant_type", grant),
            ("client_id", CLIENT_ID),
            ("client_secret", secret),
            ("redirect_uri", redirect),
        ]
    };
    let mut form = base("wrongsecret", REDIRECT_URI, "authorization_code");
    form.push(("code", &code));
    let answer = app.token_request(&form).await;
    assert_eq!(
        (answer.status, answer.error()),
        (StatusCode::BAD_REQUEST, "invalid_client")
    );

    let mut form = base(
        CLIENT_SECRET,
        "https://demo.mydata.example/callback",
        "authorization_code",
    );
    form.push(("code", &code));
    assert_eq!(
        app.token_request(&form).await.error(),
        "invalid_grant",
        "redirect_uri must match the authorize request"
    );

    let answer = app
        .token_request(&base(CLIENT_SECRET, REDIRECT_URI, "password_x"))
        .await;
    assert_eq!(answer.error(), "unsupported_grant_type");

    let answer = app
        .token_request(&[("grant_type", "authorization_code")])
        .await;
    assert_eq!(answer.error(), "invalid_request", "missing parameters");

    let wrong_method = app
        .send(app.client.get(app.url("/oauth/2.0/token")), None)
        .await;
    assert_eq!(
        (wrong_method.status, wrong_method.error()),
        (StatusCode::METHOD_NOT_ALLOWED, "method_not_allowed")
    );
}

#[tokio::test]
async fn refresh_issues_a_new_access_token_and_retires_the_old_one() {
    let app = spawn_app().await;
    let tokens = app.login("C001", None, false).await;
    let answer = app.refresh(&tokens.refresh).await;
    assert_eq!(answer.status, StatusCode::OK, "{}", answer.body);
    assert!(
        answer.body.get("refresh_token").is_none(),
        "refresh keeps the refresh token (§2.2.4)"
    );
    let fresh = answer.body["access_token"].as_str().expect("token");
    assert_eq!(
        app.call("은행-001", fresh, "user-refresh", json!({"limit": "5"}))
            .await
            .rsp_code(),
        "00000"
    );
    assert_eq!(
        app.call(
            "은행-001",
            &tokens.access,
            "user-refresh",
            json!({"limit": "5"})
        )
        .await
        .rsp_code(),
        "40101"
    );
    let not_refresh = app.refresh(fresh).await;
    assert_eq!(
        not_refresh.error(),
        "invalid_grant",
        "an access token is no refresh token"
    );
}

#[tokio::test]
async fn revoke_answers_200_and_then_the_token_is_rejected_with_40101() {
    let app = spawn_app().await;
    let tokens = app.login("C001", None, false).await;
    let answer = app.revoke(&tokens.access, CLIENT_SECRET).await;
    assert_eq!(
        (answer.status, answer.rsp_code()),
        (StatusCode::OK, "00000")
    );
    assert_eq!(
        app.call(
            "은행-001",
            &tokens.access,
            "user-refresh",
            json!({"limit": "5"})
        )
        .await
        .rsp_code(),
        "40101"
    );
    assert_eq!(
        app.refresh(&tokens.refresh).await.error(),
        "invalid_grant",
        "revoke retires the refresh token too"
    );
    let again = app.revoke(&tokens.access, CLIENT_SECRET).await;
    assert_eq!(
        (again.status, again.rsp_code()),
        (StatusCode::OK, "00000"),
        "revoking twice is fine (RFC 7009)"
    );
    let bad_client = app.revoke(&tokens.access, "wrongsecret").await;
    assert_eq!(bad_client.error(), "invalid_client");
}

#[tokio::test]
async fn a_new_consent_revokes_the_previous_token_pair() {
    let app = spawn_app().await;
    let old = app.login("C001", None, false).await;
    let new = app.login("C001", Some(&["110482913570"]), false).await;
    assert_eq!(new.scope, "bank.list bank.deposit");
    assert_eq!(
        app.call(
            "은행-001",
            &old.access,
            "user-consent",
            json!({"limit": "5"})
        )
        .await
        .rsp_code(),
        "40101"
    );
    assert_eq!(app.refresh(&old.refresh).await.error(), "invalid_grant");
    assert_eq!(
        app.call(
            "은행-001",
            &new.access,
            "user-consent",
            json!({"limit": "5"})
        )
        .await
        .rsp_code(),
        "00000"
    );
}

#[tokio::test]
async fn a_customer_without_bank_assets_consents_to_the_list_scope_only() {
    let app = spawn_app().await;
    let tokens = app.login("C008", None, false).await;
    assert_eq!(tokens.scope, "bank.list");
    let answer = app
        .call(
            "은행-001",
            &tokens.access,
            "user-consent",
            json!({"limit": "10"}),
        )
        .await;
    assert_eq!(answer.body["account_cnt"], "0");
    assert_eq!(answer.body["account_list"], json!([]));
}

#[tokio::test]
async fn consent_particulars_are_reported_by_the_consents_api() {
    let app = spawn_app().await;
    let rid = app.begin_login("C001").await;
    let end = (app.clock.today() + chrono::Days::new(90))
        .format("%Y%m%d")
        .to_string();
    let answer = app
        .post_consent(
            &rid,
            "C001",
            &["110482913570"],
            true,
            &[("end_date", &end), ("purpose", "가계부 서비스")],
        )
        .await;
    let code = answer.location_query().get("code").cloned().expect("code");
    let token = app.exchange(&code).await.body["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    let answer = app
        .call("정보제공-공통-002", &token, "user-consent", json!({}))
        .await;
    assert_eq!(answer.body["is_scheduled"], "true");
    assert_eq!(answer.body["fnd_cycle"], "1/w");
    assert_eq!(answer.body["end_date"], end.as_str());
    assert_eq!(answer.body["purpose"], "가계부 서비스");
}
