//! Every API id of the catalogue (reference §3.2), for every industry: routed, served for every
//! fixture asset or customer entry it applies to (each answer validated against the spec by the
//! helpers), refused without its scope; and the industry rules beyond "serve the fixture".

use std::collections::BTreeSet;

use chrono::TimeDelta;
use mydata_testbed::fixtures::AssetState;
use mydata_testbed::server::route_table;
use mydata_testbed::spec::{ApiEntry, Location, Serve};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

fn ymd(d: chrono::NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// The widest legal parameters for an API (five years, 500 a page) around the given keys.
fn params_for(app: &TestApp, entry: &ApiEntry, key: Value) -> Value {
    let today = app.clock.today();
    let mut p = key;
    for param in entry
        .request
        .iter()
        .filter(|p| p.location != Location::Header)
    {
        let name = param.name.as_str();
        if p.get(name).is_some() || ["org_code", "next_page", "search_timestamp"].contains(&name) {
            continue;
        }
        let v = match name {
            "from_date" => ymd(today - chrono::Months::new(60) + chrono::Days::new(1)),
            "to_date" => ymd(today),
            "from_month" => (today - chrono::Months::new(59)).format("%Y%m").to_string(),
            "to_month" => today.format("%Y%m").to_string(),
            "limit" => "500".into(),
            _ if param.required => param.ty.sample(),
            _ => continue,
        };
        p[name] = json!(v);
    }
    p
}

/// Calls an API with `params`, following `next_page` to the end; every page must be 00000.
async fn read_all_pages(app: &TestApp, entry: &ApiEntry, token: &str, mut params: Value) -> usize {
    let mut pages = 0;
    loop {
        let answer = app
            .call_entry(entry, token, "user-search", params.clone())
            .await;
        assert_eq!(
            answer.rsp_code(),
            "00000",
            "{} {params}: {}",
            entry.label(),
            answer.body
        );
        pages += 1;
        match answer.body.get("next_page").and_then(Value::as_str) {
            Some(n) => params["next_page"] = json!(n),
            None => return pages,
        }
        assert!(pages < 200, "paging terminates");
    }
}

fn served_industries(app: &TestApp) -> Vec<String> {
    let spec = &app.state.spec;
    spec.industries()
        .into_iter()
        .filter(|i| app.state.fixtures.provider(i).is_some())
        .map(str::to_owned)
        .collect()
}

#[tokio::test]
async fn the_catalogue_has_every_api_id_and_each_has_a_route() {
    let app = spawn_app().await;
    let ids: BTreeSet<&str> = app
        .state
        .spec
        .apis
        .iter()
        .map(|e| e.api_id.as_str())
        .collect();
    // The late-v1 catalogue (§3.2) has 76 API ids.
    assert_eq!(ids.len(), 76, "{ids:?}");
    let routes = route_table(&app.state);
    for e in app.state.spec.apis.iter() {
        let path = e.full_path(app.state.spec.version());
        assert!(
            routes
                .iter()
                .any(|r| r.path == path && r.api_id == e.label()),
            "{} has no route at {path}",
            e.label()
        );
    }
    assert_eq!(served_industries(&app).len(), 11, "a provider per industry");
}

#[tokio::test]
async fn every_api_of_every_industry_serves_its_fixtures() {
    assert_every_api_served(&spawn_app().await).await;
}

#[tokio::test]
async fn every_api_of_v2_is_served_under_its_version() {
    let config = mydata_testbed::config::ServerConfig {
        spec_version: "v2".into(),
        ..Default::default()
    };
    let app = spawn_app_with(config).await;
    let v2: Vec<_> = app
        .state
        .spec
        .apis
        .iter()
        .filter(|e| e.version.as_deref() == Some("v2"))
        .collect();
    assert!(v2.len() >= 25, "the §3.18 additions: {}", v2.len());
    assert!(
        v2.iter()
            .all(|e| !e.path_confirmed && e.full_path("v1").starts_with("/v2/"))
    );
    assert_every_api_served(&app).await;
}

async fn assert_every_api_served(app: &TestApp) {
    let mut served: BTreeSet<(String, String)> = BTreeSet::new();
    let customers: Vec<String> = app
        .state
        .fixtures
        .customers
        .iter()
        .map(|c| c.id.clone())
        .collect();
    for industry in served_industries(app) {
        for customer in &customers {
            let Some(holding) = app.state.fixtures.holding(&industry, customer) else {
                continue;
            };
            let tokens = app.login_at(&industry, customer, None, false).await;
            let entries: Vec<ApiEntry> = app
                .state
                .spec
                .industry_apis(&industry)
                .map(|e| (**e).clone())
                .collect();
            for entry in &entries {
                let keys: Vec<Value> = match &entry.serve {
                    Serve::Asset { asset_key, .. } => holding
                        .assets
                        .iter()
                        .filter(|a| {
                            a.apis.contains_key(&entry.api_id) && a.state == AssetState::Normal
                        })
                        .map(|a| {
                            let mut key = json!({});
                            for k in asset_key {
                                if let Some(v) = a.key_value(k) {
                                    key[k] = json!(v);
                                }
                            }
                            key
                        })
                        .collect(),
                    Serve::Customer { .. }
                        if !holding.customer_apis.contains_key(&entry.api_id) =>
                    {
                        vec![]
                    }
                    _ => vec![json!({})],
                };
                for key in keys {
                    read_all_pages(app, entry, &tokens.access, params_for(app, entry, key)).await;
                    served.insert((industry.clone(), entry.api_id.clone()));
                }
            }
        }
    }
    let all: BTreeSet<(String, String)> = served_industries(app)
        .into_iter()
        .flat_map(|i| {
            app.state
                .spec
                .industry_apis(&i)
                .map(|e| (i.clone(), e.api_id.clone()))
                .collect::<Vec<_>>()
        })
        .collect();
    let missing: Vec<_> = all.difference(&served).collect();
    assert!(missing.is_empty(), "APIs no fixture serves: {missing:?}");
}

#[tokio::test]
async fn every_api_refuses_a_token_without_its_scope() {
    let app = spawn_app().await;
    let industries = served_industries(&app);
    let customers: Vec<String> = app
        .state
        .fixtures
        .customers
        .iter()
        .map(|c| c.id.clone())
        .collect();
    let first_customer = |industry: &str| {
        customers
            .iter()
            .find(|c| app.state.fixtures.holding(industry, c).is_some())
            .cloned()
            .expect("a customer")
    };
    let bank_token = app
        .login_at(BANK, &first_customer(BANK), Some(&[]), false)
        .await;
    for industry in &industries {
        let customer = first_customer(industry);
        // Consent to nothing: the token carries the industry's list scope only (§2.4).
        let list_only = app.login_at(industry, &customer, Some(&[]), false).await;
        assert_eq!(list_only.scope, format!("{industry}.list"));
        let other = if industry == BANK {
            app.login_at("card", &first_customer("card"), Some(&[]), false)
                .await
        } else {
            bank_token.clone()
        };
        let entries: Vec<ApiEntry> = app
            .state
            .spec
            .industry_apis(industry)
            .map(|e| (**e).clone())
            .collect();
        for entry in &entries {
            let mut key = json!({});
            if let Serve::Asset { asset_key, .. } = &entry.serve {
                for k in asset_key {
                    key[k] = json!(entry.param(k).expect("key param").ty.sample());
                }
            }
            let params = params_for(&app, entry, key);
            if entry.is_list_scope() {
                // The list scope is in every token of the industry: only another industry's
                // token lacks it, and that token is not valid here at all.
                let answer = app
                    .call_entry(entry, &other.access, "user-search", params)
                    .await;
                assert_eq!(
                    answer.rsp_code(),
                    "40101",
                    "{} with another industry's token",
                    entry.label()
                );
            } else {
                let answer = app
                    .call_entry(entry, &list_only.access, "user-search", params)
                    .await;
                assert_eq!(
                    (answer.status, answer.rsp_code()),
                    (StatusCode::UNAUTHORIZED, "40104"),
                    "{}",
                    entry.label()
                );
            }
        }
    }
}

#[tokio::test]
async fn invest_apis_answer_50010_around_the_market_open() {
    let app = spawn_app().await;
    let invest = app.login_at("invest", "C001", None, false).await;
    let bank = app.login("C001", None, false).await;
    let list = app
        .state
        .spec
        .api("invest", "금투-001")
        .expect("spec")
        .clone();
    assert_eq!(
        app.call_entry(
            &list,
            &invest.access,
            "user-refresh",
            json!({"limit": "10"})
        )
        .await
        .rsp_code(),
        "00000"
    );
    // The test clock stands at Wednesday 10:00 KST; 08:55 on Thursday is inside the open window.
    app.advance(TimeDelta::hours(22) + TimeDelta::minutes(55));
    let answer = app
        .call_entry(
            &list,
            &invest.access,
            "user-refresh",
            json!({"limit": "10"}),
        )
        .await;
    assert_eq!(
        (answer.status, answer.rsp_code()),
        (StatusCode::INTERNAL_SERVER_ERROR, "50010")
    );
    assert_eq!(
        app.call(
            "은행-001",
            &bank.access,
            "user-refresh",
            json!({"limit": "10"})
        )
        .await
        .rsp_code(),
        "00000",
        "banks are not affected"
    );
    app.advance(TimeDelta::minutes(20));
    assert_eq!(
        app.call_entry(
            &list,
            &invest.access,
            "user-refresh",
            json!({"limit": "10"})
        )
        .await
        .rsp_code(),
        "00000"
    );
}

#[tokio::test]
async fn cards_are_addressed_by_card_id_in_the_path() {
    let app = spawn_app().await;
    let card = |id: &str| app.state.spec.api("card", id).expect("spec").clone();
    let tokens = app.login_at("card", "C001", None, false).await;
    let basic = card("카드-002");
    let own = app
        .call_entry(
            &basic,
            &tokens.access,
            "user-consent",
            json!({"card_id": "TCC0014829135701"}),
        )
        .await;
    assert_eq!(own.rsp_code(), "00000");
    let others = app
        .call_entry(
            &basic,
            &tokens.access,
            "user-consent",
            json!({"card_id": "TCC0036641382051"}),
        )
        .await;
    assert_eq!(
        (others.status, others.rsp_code()),
        (StatusCode::NOT_FOUND, "40402"),
        "another customer's card"
    );
    let c5 = app.login_at("card", "C005", None, false).await;
    let cancelled = app
        .call_entry(
            &basic,
            &c5.access,
            "user-consent",
            json!({"card_id": "TCC0058863574201"}),
        )
        .await;
    assert_eq!(
        (cancelled.status, cancelled.rsp_code()),
        (StatusCode::FORBIDDEN, "40305"),
        "a cancelled card"
    );
}

#[tokio::test]
async fn card_bills_are_filtered_by_month_and_the_scheduled_window_is_three_months() {
    let app = spawn_app().await;
    let bills = app
        .state
        .spec
        .api("card", "카드-004")
        .expect("spec")
        .clone();
    let tokens = app.login_at("card", "C001", None, true).await;
    let today = app.clock.today();
    let month = |back: u32| {
        (today - chrono::Months::new(back))
            .format("%Y%m")
            .to_string()
    };
    let answer = app
        .call_entry(
            &bills,
            &tokens.access,
            "user-search",
            json!({"from_month": month(2), "to_month": month(1), "limit": "100"}),
        )
        .await;
    let list = answer.body["bill_list"].as_array().expect("bills");
    assert!(!list.is_empty());
    for b in list {
        let m = b["charge_month"].as_str().expect("charge_month");
        assert!(m >= month(2).as_str() && m <= month(1).as_str(), "{m}");
    }
    let four = json!({"from_month": month(3), "to_month": month(0), "limit": "100"});
    assert_eq!(
        app.call_entry(&bills, &tokens.access, "scheduled", four)
            .await
            .rsp_code(),
        "40004"
    );
    let three = json!({"from_month": month(2), "to_month": month(0), "limit": "100"});
    assert_eq!(
        app.call_entry(&bills, &tokens.access, "scheduled", three)
            .await
            .rsp_code(),
        "00000"
    );
}

#[tokio::test]
async fn customer_level_items_are_consented_on_the_consent_page() {
    let app = spawn_app().await;
    let rid = app.begin_login_at("card", "C001").await;
    let form = [
        ("request_id", rid.as_str()),
        ("customer_id", "C001"),
        ("action", "login"),
    ];
    let page = app
        .client
        .post(app.url("/oauth/2.0/login"))
        .form(&form)
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    for scope in ["card.point", "card.bill"] {
        assert!(
            page.contains("name=\"scope\" id=\"scope-")
                && page.contains(&format!("value=\"{scope}\"")),
            "{scope}"
        );
    }
    // Without the card.point item, points are refused; the cards themselves still answer.
    let answer = app
        .post_consent(
            &rid,
            "C001",
            &["TCC0014829135701"],
            false,
            &[("scope", "card.bill")],
        )
        .await;
    let code = answer.location_query()["code"].clone();
    let token = app.exchange_at(&app.org("card"), &code).await.body["access_token"]
        .as_str()
        .expect("token")
        .to_owned();
    let points = app
        .state
        .spec
        .api("card", "카드-003")
        .expect("spec")
        .clone();
    assert_eq!(
        app.call_entry(&points, &token, "user-consent", json!({}))
            .await
            .rsp_code(),
        "40104"
    );
    let bills = app
        .state
        .spec
        .api("card", "카드-006")
        .expect("spec")
        .clone();
    assert_eq!(
        app.call_entry(&bills, &token, "user-consent", json!({}))
            .await
            .rsp_code(),
        "00000"
    );
}
