//! The contract: the route table derived from the spec is kept under a golden file, every spec
//! API has a route, and the OpenAPI document describes every route.

use mydata_testbed::server::route_table;

use crate::helpers::*;

#[tokio::test]
async fn the_route_table_matches_the_golden_file() {
    let app = spawn_app().await;
    let table: String = route_table(&app.state)
        .iter()
        .map(|r| {
            format!(
                "{:<5} {:<42} {:<24} {}",
                r.method, r.path, r.api_id, r.scope
            )
            .trim_end()
            .to_owned()
                + "\n"
        })
        .collect();
    insta::assert_snapshot!("route_table", table);
}

#[tokio::test]
async fn every_api_of_the_spec_answers_on_its_route() {
    let app = spawn_app().await;
    for row in route_table(&app.state)
        .iter()
        .filter(|r| r.path.starts_with("/v1/"))
    {
        let tran = tran_id();
        let req = app
            .client
            .request(row.method.parse().expect("method"), app.url(&row.path))
            .header("x-api-tran-id", &tran);
        let answer = app.send(req, Some(&tran)).await;
        // Without x-api-type the request is refused at the header step: the route exists.
        assert_eq!(
            answer.rsp_code(),
            "40002",
            "{} {}: {}",
            row.method,
            row.path,
            answer.body
        );
    }
}

#[tokio::test]
async fn the_openapi_document_describes_every_route() {
    let app = spawn_app().await;
    let doc: serde_json::Value = app
        .client
        .get(app.url("/openapi.json"))
        .send()
        .await
        .expect("get")
        .json()
        .await
        .expect("json");
    assert_eq!(doc["openapi"], "3.1.0");
    for row in route_table(&app.state) {
        let op = &doc["paths"][&row.path][row.method.to_lowercase()];
        assert!(
            op.is_object(),
            "{} {} is in the OpenAPI document",
            row.method,
            row.path
        );
    }
}
