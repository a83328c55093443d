//! Every bank API (은행-001..010, IRP-001..004, 정보제공-공통-001/002) served for every fixture
//! asset it applies to, each answer validated against the spec by the helpers.

use std::collections::BTreeSet;

use mydata_testbed::spec::Serve;
use serde_json::{Value, json};

use crate::helpers::*;

fn ymd(d: chrono::NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// Calls an API for one asset with the parameters its spec entry asks for, walking every page.
async fn read_all_pages(app: &TestApp, api_id: &str, token: &str, key: Value) -> Vec<Value> {
    let entry = app.entry(api_id).clone();
    let today = app.clock.today();
    let mut params = key;
    if entry.takes("from_date") {
        params["from_date"] = json!(ymd(today - chrono::Months::new(60) + chrono::Days::new(1)));
        params["to_date"] = json!(ymd(today));
    }
    if entry.takes("limit") {
        params["limit"] = json!("500");
    }
    let mut pages = Vec::new();
    loop {
        let answer = app
            .call_entry(&entry, token, "user-search", params.clone())
            .await;
        assert_eq!(
            answer.rsp_code(),
            "00000",
            "{api_id} {params}: {}",
            answer.body
        );
        let next = answer
            .body
            .get("next_page")
            .and_then(Value::as_str)
            .map(str::to_owned);
        pages.push(answer.body);
        match next {
            Some(n) => params["next_page"] = json!(n),
            None => return pages,
        }
    }
}

#[tokio::test]
async fn every_bank_api_serves_every_asset_it_applies_to() {
    let app = spawn_app().await;
    let mut served: BTreeSet<String> = BTreeSet::new();
    let customers: Vec<String> = app
        .state
        .fixtures
        .customers
        .iter()
        .map(|c| c.id.clone())
        .collect();
    for customer in customers {
        let Some(holding) = app.state.fixtures.holding(BANK, &customer) else {
            continue;
        };
        let tokens = app.login(&customer, None, false).await;
        for entry in app.state.spec.industry_apis(BANK) {
            match &entry.serve {
                Serve::Asset { asset_key, .. } => {
                    for asset in holding
                        .assets
                        .iter()
                        .filter(|a| a.apis.contains_key(&entry.api_id))
                    {
                        if asset.state != mydata_testbed::fixtures::AssetState::Normal {
                            continue;
                        }
                        let mut key = json!({});
                        for k in asset_key {
                            if let Some(v) = asset.key_value(k) {
                                key[k] = json!(v);
                            }
                        }
                        let pages = read_all_pages(&app, &entry.api_id, &tokens.access, key).await;
                        assert!(!pages.is_empty());
                        served.insert(entry.api_id.clone());
                    }
                }
                Serve::List { .. } | Serve::Apis | Serve::Consents => {
                    read_all_pages(&app, &entry.api_id, &tokens.access, json!({})).await;
                    served.insert(entry.api_id.clone());
                }
                _ => {}
            }
        }
    }
    let all: BTreeSet<String> = app
        .state
        .spec
        .industry_apis(BANK)
        .map(|e| e.api_id.clone())
        .collect();
    assert_eq!(served, all, "every bank API was served from some fixture");
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
