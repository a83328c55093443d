//! Cursor paging (reference §1.6) through all pages of the account with more than 1,200
//! transactions: no duplicates, no gaps, counts equal page lengths, the last page has no cursor.

use std::collections::HashSet;

use serde_json::{Value, json};

use crate::helpers::*;

fn ymd(d: chrono::NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

async fn walk(app: &TestApp, token: &str, limit: usize) -> (Vec<Value>, usize) {
    let today = app.clock.today();
    let mut params = json!({
        "account_num": LONG_HISTORY_ACCOUNT,
        "from_date": ymd(today - chrono::Months::new(60) + chrono::Days::new(1)),
        "to_date": ymd(today),
        "limit": limit.to_string(),
    });
    let mut all = Vec::new();
    let mut pages = 0;
    loop {
        let answer = app
            .call("은행-004", token, "user-search", params.clone())
            .await;
        assert_eq!(answer.rsp_code(), "00000", "{}", answer.body);
        let list = answer.body["trans_list"]
            .as_array()
            .expect("trans_list")
            .clone();
        assert_eq!(
            answer.body["trans_cnt"],
            list.len().to_string().as_str(),
            "count = items in this page"
        );
        assert!(list.len() <= limit);
        pages += 1;
        all.extend(list);
        match answer.body.get("next_page").and_then(Value::as_str) {
            Some(cursor) => {
                assert!(
                    cursor
                        .bytes()
                        .all(|b| b.is_ascii_alphanumeric() || b == b'-' || b == b'_'),
                    "URL-safe cursor"
                );
                params["next_page"] = json!(cursor);
            }
            None => return (all, pages),
        }
        assert!(pages < 100, "paging terminates");
    }
}

#[tokio::test]
async fn every_page_of_the_long_history_account_is_served_once() {
    let app = spawn_app().await;
    let tokens = app.login(LONG_HISTORY_CUSTOMER, None, false).await;
    let holding = app
        .state
        .fixtures
        .holding(BANK, LONG_HISTORY_CUSTOMER)
        .expect("a bank customer");
    let stored = holding
        .asset(LONG_HISTORY_ACCOUNT)
        .and_then(|a| a.apis["은행-004"]["trans_list"].as_array().map(Vec::len))
        .expect("the long-history account");
    assert!(
        stored > 1200,
        "the fixture has more than 1,200 transactions ({stored})"
    );

    for limit in [500, 97] {
        let (all, pages) = walk(&app, &tokens.access, limit).await;
        assert_eq!(all.len(), stored, "no gaps with limit {limit}");
        assert_eq!(pages, stored.div_ceil(limit));
        let ids: HashSet<&str> = all
            .iter()
            .map(|t| t["trans_no"].as_str().expect("trans_no"))
            .collect();
        assert_eq!(ids.len(), all.len(), "no duplicates with limit {limit}");
        let times: Vec<&str> = all
            .iter()
            .map(|t| t["trans_dtime"].as_str().expect("dtime"))
            .collect();
        assert!(
            times.windows(2).all(|w| w[0] >= w[1]),
            "newest first across pages"
        );
    }
}

#[tokio::test]
async fn search_timestamp_appears_on_the_first_page_only() {
    let app = spawn_app().await;
    let tokens = app.login("C007", None, false).await;
    let first = app
        .call(
            "은행-001",
            &tokens.access,
            "user-consent",
            json!({"limit": "5"}),
        )
        .await;
    assert!(first.body["search_timestamp"].is_string());
    let cursor = first.body["next_page"]
        .as_str()
        .expect("C007 has more than five accounts")
        .to_owned();
    let second = app
        .call(
            "은행-001",
            &tokens.access,
            "user-consent",
            json!({"limit": "5", "next_page": cursor}),
        )
        .await;
    assert_eq!(second.rsp_code(), "00000");
    assert!(
        second.body.get("search_timestamp").is_none(),
        "pages 2..n carry no search_timestamp (§1.5)"
    );
}

#[tokio::test]
async fn a_cursor_only_continues_the_query_that_issued_it() {
    let app = spawn_app().await;
    let tokens = app.login(LONG_HISTORY_CUSTOMER, None, false).await;
    let today = app.clock.today();
    let params = |from: chrono::NaiveDate| json!({"account_num": LONG_HISTORY_ACCOUNT, "from_date": ymd(from), "to_date": ymd(today), "limit": "10"});
    let first = app
        .call(
            "은행-004",
            &tokens.access,
            "user-search",
            params(today - chrono::Days::new(300)),
        )
        .await;
    let mut other = params(today - chrono::Days::new(200));
    other["next_page"] = first.body["next_page"].clone();
    let answer = app
        .call("은행-004", &tokens.access, "user-search", other)
        .await;
    assert_eq!(
        answer.rsp_code(),
        "40001",
        "a cursor from another period is refused"
    );
}
