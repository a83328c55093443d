//! Bank behaviour beyond "serve the fixture": consent flags in lists, minus and foreign-currency
//! accounts, period filters, the API list. (Every bank API for every fixture asset is covered by
//! industries::every_api_of_every_industry_serves_its_fixtures.)

use serde_json::json;

use crate::helpers::*;

fn ymd(d: chrono::NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

#[tokio::test]
async fn the_account_list_marks_consented_and_left_out_accounts() {
    let app = spawn_app().await;
    let tokens = app.login("C001", Some(&["110482913570"]), false).await;
    let answer = app
        .call(
            "은행-001",
            &tokens.access,
            "user-consent",
            json!({"limit": "50"}),
        )
        .await;
    let list = answer.body["account_list"]
        .as_array()
        .expect("list")
        .clone();
    assert_eq!(answer.body["account_cnt"], list.len().to_string().as_str());
    let consented: Vec<&str> = list
        .iter()
        .filter(|a| a["is_consent"] == "true")
        .map(|a| a["account_num"].as_str().expect("num"))
        .collect();
    assert_eq!(consented, vec!["110482913570"]);
    assert!(
        list.iter().any(|a| a["is_consent"] == "false"),
        "left-out assets are listed, not consented"
    );
    let seq = list
        .iter()
        .find(|a| a["account_num"] == "310482913592")
        .expect("installment savings listed");
    assert_eq!(seq["seqno"], "1");
    assert_eq!(seq["account_type"], "1003");
}

#[tokio::test]
async fn a_minus_account_is_served_by_both_deposit_and_loan_apis() {
    let app = spawn_app().await;
    let tokens = app.login("C004", None, false).await;
    assert!(
        tokens.scope.contains("bank.deposit") && tokens.scope.contains("bank.loan"),
        "{}",
        tokens.scope
    );
    let list = app
        .call(
            "은행-001",
            &tokens.access,
            "user-consent",
            json!({"limit": "50"}),
        )
        .await;
    let minus = list.body["account_list"]
        .as_array()
        .expect("list")
        .iter()
        .find(|a| a["is_minus"] == "true")
        .expect("a minus account")
        .clone();
    let num = minus["account_num"].as_str().expect("num");
    for api in ["은행-002", "은행-003", "은행-008", "은행-009"] {
        let answer = app
            .call(
                api,
                &tokens.access,
                "user-consent",
                json!({"account_num": num}),
            )
            .await;
        assert_eq!(answer.rsp_code(), "00000", "{api}");
    }
    let foreign = list.body["account_list"]
        .as_array()
        .expect("list")
        .iter()
        .find(|a| a["is_foreign_deposit"] == "true")
        .expect("a foreign-currency deposit")
        .clone();
    let detail = app
        .call(
            "은행-003",
            &tokens.access,
            "user-consent",
            json!({"account_num": foreign["account_num"]}),
        )
        .await;
    assert_eq!(detail.body["detail_list"][0]["currency_code"], "USD");
}

#[tokio::test]
async fn transactions_are_filtered_by_the_requested_period() {
    let app = spawn_app().await;
    let tokens = app.login(LONG_HISTORY_CUSTOMER, None, false).await;
    let today = app.clock.today();
    let (from, to) = (
        ymd(today - chrono::Days::new(60)),
        ymd(today - chrono::Days::new(30)),
    );
    let answer = app
        .call(
            "은행-004",
            &tokens.access,
            "user-search",
            json!({"account_num": LONG_HISTORY_ACCOUNT, "from_date": from, "to_date": to, "limit": "500"}),
        )
        .await;
    let list = answer.body["trans_list"].as_array().expect("list");
    assert!(!list.is_empty());
    for t in list {
        let day = &t["trans_dtime"].as_str().expect("dtime")[..8];
        assert!(
            day >= from.as_str() && day <= to.as_str(),
            "{day} outside {from}..{to}"
        );
    }
}

#[tokio::test]
async fn the_apis_list_is_rendered_from_the_spec() {
    let app = spawn_app().await;
    let tokens = app.login("C001", None, false).await;
    let answer = app
        .call(
            "정보제공-공통-001",
            &tokens.access,
            "user-consent",
            json!({}),
        )
        .await;
    assert_eq!(answer.body["version"], "v1");
    let uris: Vec<&str> = answer.body["api_list"]
        .as_array()
        .expect("list")
        .iter()
        .map(|a| a["api_uri"].as_str().expect("uri"))
        .collect();
    assert!(uris.contains(&"/v1/bank/accounts/deposit/transactions"));
    assert_eq!(answer.body["api_cnt"], uris.len().to_string().as_str());
    assert_eq!(uris.len(), app.state.spec.industry_apis(BANK).count());
}
