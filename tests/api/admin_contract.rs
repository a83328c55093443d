//! The admin API's contract: the OpenAPI document the server serves (`GET /openapi.json`, whose
//! admin part is `specs/testbed/admin.openapi.json`) and the routes under `/__testbed/` agree.
//!
//! The operations come from the document, never from a list of paths written here: every
//! documented admin operation is called without the token and with a wrong one (it exists and is
//! guarded: 401 `{error, message}`), every GET with each documented credential (2xx, body valid
//! against the documented schema), every documented request example is sent (accepted with a
//! documented status and shape), the methods a documented path does not list answer 405, and
//! paths below the documented ones (the document's own segment names and some plausible others)
//! answer 404, so a route the document leaves out is found too.
//! The dashboard (`/__testbed/` and its forms under `/__testbed/ui/`) is pages, like the provider's
//! login page, and not part of the document.

use std::collections::BTreeSet;

use mydata_testbed::config::ServerConfig;
use mydata_testbed::fixtures::Secret;
use reqwest::{Method, StatusCode};
use serde_json::{Value, json};

use crate::helpers::*;

const TOKEN: &str = "contract-admin-token-0123456789";
/// The namespace the tests work in.
const NS: &str = "contract";
/// Path segments probed besides the document's own: the admin API's names (so a route left out
/// of the document is found) and plausible names of routes not yet documented.
const PLAUSIBLE: [&str; 39] = [
    "catalogue",
    "customers",
    "namespaces",
    "reset",
    "clock",
    "advance",
    "scenarios",
    "journal",
    "summary",
    "1",
    "contract",
    "undocumented",
    "catalog",
    "customer",
    "namespace",
    "scenario",
    "entries",
    "clocks",
    "set",
    "enable",
    "disable",
    "toggle",
    "quota",
    "quotas",
    "tokens",
    "consents",
    "events",
    "stream",
    "export",
    "import",
    "config",
    "settings",
    "stats",
    "metrics",
    "fixtures",
    "clients",
    "providers",
    "findings",
    "openapi.json",
];
const METHODS: [&str; 7] = ["get", "put", "post", "delete", "patch", "head", "options"];

async fn spawn_admin_app() -> TestApp {
    spawn_app_with(ServerConfig {
        admin_token: Some(Secret::new(TOKEN)),
        ..ServerConfig::default()
    })
    .await
}

async fn openapi(app: &TestApp) -> Value {
    app.client
        .get(app.url("/openapi.json"))
        .send()
        .await
        .expect("GET /openapi.json")
        .json()
        .await
        .expect("the document is JSON")
}

/// A documented admin operation.
#[derive(Debug, Clone)]
struct Op {
    path: String,
    method: String,
    op: Value,
    /// Path-item and operation parameters, resolved.
    params: Vec<Value>,
}

impl Op {
    fn label(&self) -> String {
        format!("{} {}", self.method.to_uppercase(), self.path)
    }

    fn http_method(&self) -> Method {
        self.method.to_uppercase().parse().expect("an HTTP method")
    }

    /// The documented statuses of the answers, as numbers.
    fn statuses(&self) -> BTreeSet<u16> {
        self.op["responses"]
            .as_object()
            .unwrap_or_else(|| panic!("{} documents its responses", self.label()))
            .keys()
            .map(|s| {
                s.parse()
                    .unwrap_or_else(|_| panic!("{}: status {s}", self.label()))
            })
            .collect()
    }

    fn success_statuses(&self) -> BTreeSet<u16> {
        self.statuses()
            .into_iter()
            .filter(|s| (200..300).contains(s))
            .collect()
    }
}

/// Follows `$ref`s (`#/components/...`) to the value they name.
fn resolve<'a>(doc: &'a Value, mut v: &'a Value) -> &'a Value {
    for _ in 0..16 {
        match v.get("$ref").and_then(Value::as_str) {
            Some(r) => {
                let pointer = r
                    .strip_prefix('#')
                    .unwrap_or_else(|| panic!("{r} is a local $ref"));
                v = doc
                    .pointer(pointer)
                    .unwrap_or_else(|| panic!("{r} resolves"));
            }
            None => return v,
        }
    }
    panic!("a $ref cycle")
}

/// Every operation of the document under `/__testbed`.
fn admin_operations(doc: &Value) -> Vec<Op> {
    let mut ops = Vec::new();
    for (path, item) in doc["paths"].as_object().expect("paths") {
        if !path.starts_with("/__testbed") {
            continue;
        }
        let shared: Vec<Value> = item["parameters"]
            .as_array()
            .map(|a| a.iter().map(|p| resolve(doc, p).clone()).collect())
            .unwrap_or_default();
        for method in METHODS {
            let Some(op) = item.get(method) else {
                continue;
            };
            let mut params = shared.clone();
            params.extend(
                op["parameters"]
                    .as_array()
                    .map(|a| {
                        a.iter()
                            .map(|p| resolve(doc, p).clone())
                            .collect::<Vec<_>>()
                    })
                    .unwrap_or_default(),
            );
            ops.push(Op {
                path: path.clone(),
                method: method.to_owned(),
                op: op.clone(),
                params,
            });
        }
    }
    assert!(
        ops.len() >= 10,
        "the document describes the admin API (found {} operations under /__testbed)",
        ops.len()
    );
    ops
}

/// The path with its parameters filled in: `{ns}` and `{id}` (each documented as a path
/// parameter); any other parameter means this test must learn a value for it.
fn concrete(op: &Op, id: u64) -> String {
    let mut path = op.path.clone();
    let names: Vec<String> = path
        .split('/')
        .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
        .map(str::to_owned)
        .collect();
    for name in names {
        assert!(
            op.params
                .iter()
                .any(|p| p["in"] == "path" && p["name"] == name && p["required"] == true),
            "{}: `{{{name}}}` is documented as a required path parameter",
            op.label()
        );
        let value = match name.as_str() {
            "ns" => NS.to_owned(),
            "id" => id.to_string(),
            other => panic!("{}: no test value for `{{{other}}}`", op.label()),
        };
        path = path.replace(&format!("{{{name}}}"), &value);
    }
    path
}

/// Whether a concrete path matches a documented path template (`/scenarios/{id}`).
fn template_matches(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| t == p || (t.starts_with('{') && !p.is_empty()))
}

/// How one documented security scheme presents the admin token.
#[derive(Debug, Clone)]
enum Credential {
    Header(String),
    Cookie(String),
    Bearer,
}

/// The credentials an operation documents, from its `security` and the document's schemes.
fn credentials(doc: &Value, op: &Op) -> Vec<(String, Credential)> {
    let security = op.op["security"]
        .as_array()
        .unwrap_or_else(|| panic!("{} documents its security", op.label()));
    let mut out = Vec::new();
    for requirement in security {
        for name in requirement.as_object().expect("a requirement").keys() {
            let scheme = &doc["components"]["securitySchemes"][name];
            let cred = match (scheme["type"].as_str(), scheme["in"].as_str()) {
                (Some("http"), _) if scheme["scheme"] == "bearer" => Credential::Bearer,
                (Some("apiKey"), Some("header")) => {
                    Credential::Header(scheme["name"].as_str().expect("name").to_owned())
                }
                (Some("apiKey"), Some("cookie")) => {
                    Credential::Cookie(scheme["name"].as_str().expect("name").to_owned())
                }
                _ => panic!("{}: security scheme {name} is {scheme}", op.label()),
            };
            out.push((name.clone(), cred));
        }
    }
    assert!(!out.is_empty(), "{} needs a credential", op.label());
    out
}

fn with_token(
    req: reqwest::RequestBuilder,
    cred: &Credential,
    token: &str,
) -> reqwest::RequestBuilder {
    match cred {
        Credential::Bearer => req.bearer_auth(token),
        Credential::Header(name) => req.header(name.as_str(), token),
        Credential::Cookie(name) => req.header("cookie", format!("{name}={token}")),
    }
}

/// The JSON schema of the documented answer with this status; `None` for a body-less answer.
fn response_schema<'a>(doc: &'a Value, op: &'a Op, status: u16) -> Option<&'a Value> {
    let response = op.op["responses"]
        .get(status.to_string())
        .unwrap_or_else(|| {
            panic!(
                "{} answered {status}, which it does not document ({:?})",
                op.label(),
                op.statuses()
            )
        });
    resolve(doc, response)["content"]["application/json"]
        .get("schema")
        .map(|s| resolve(doc, s))
}

/// A small JSON Schema (2020-12 subset) check: `$ref`, `type`, `required`, `properties`,
/// `additionalProperties`, `items`, `enum`, `const`, `allOf`/`anyOf`/`oneOf`/`not` and numeric
/// and length bounds. Formats and patterns are not checked.
fn check(doc: &Value, schema: &Value, v: &Value, at: &str, errors: &mut Vec<String>) {
    let schema = resolve(doc, schema);
    let Some(s) = schema.as_object() else {
        return;
    };
    let mut fail = |m: String| errors.push(format!("{at}: {m}"));
    if let Some(t) = s.get("type") {
        let types: Vec<&str> = match t {
            Value::String(t) => vec![t.as_str()],
            Value::Array(a) => a.iter().filter_map(Value::as_str).collect(),
            _ => vec![],
        };
        let ok = types.iter().any(|t| match *t {
            "object" => v.is_object(),
            "array" => v.is_array(),
            "string" => v.is_string(),
            "integer" => v.is_i64() || v.is_u64(),
            "number" => v.is_number(),
            "boolean" => v.is_boolean(),
            "null" => v.is_null(),
            _ => false,
        });
        if !ok {
            fail(format!("expected {t}, got {v}"));
            return;
        }
    }
    if let Some(c) = s.get("const")
        && c != v
    {
        fail(format!("expected {c}, got {v}"));
    }
    if let Some(Value::Array(e)) = s.get("enum")
        && !e.contains(v)
    {
        fail(format!("{v} is not one of {}", Value::Array(e.clone())));
    }
    if let Some(n) = v.as_f64() {
        if let Some(min) = s.get("minimum").and_then(Value::as_f64)
            && n < min
        {
            fail(format!("{n} < minimum {min}"));
        }
        if let Some(max) = s.get("maximum").and_then(Value::as_f64)
            && n > max
        {
            fail(format!("{n} > maximum {max}"));
        }
    }
    if let Some(obj) = v.as_object() {
        if let Some(Value::Array(req)) = s.get("required") {
            for r in req.iter().filter_map(Value::as_str) {
                if !obj.contains_key(r) {
                    fail(format!("required property `{r}` is missing"));
                }
            }
        }
        let props = s.get("properties").and_then(Value::as_object);
        for (k, val) in obj {
            match props.and_then(|p| p.get(k)) {
                Some(ps) => check(doc, ps, val, &format!("{at}/{k}"), errors),
                None => match s.get("additionalProperties") {
                    Some(Value::Bool(false)) => {
                        errors.push(format!("{at}: property `{k}` is not documented"));
                    }
                    Some(ap @ Value::Object(_)) => {
                        check(doc, ap, val, &format!("{at}/{k}"), errors);
                    }
                    _ => {}
                },
            }
        }
    }
    if let Some(items) = v.as_array() {
        if let Some(is) = s.get("items") {
            for (i, item) in items.iter().enumerate() {
                check(doc, is, item, &format!("{at}/{i}"), errors);
            }
        }
        if let Some(min) = s.get("minItems").and_then(Value::as_u64)
            && (items.len() as u64) < min
        {
            errors.push(format!("{at}: fewer than {min} items"));
        }
        if let Some(max) = s.get("maxItems").and_then(Value::as_u64)
            && (items.len() as u64) > max
        {
            errors.push(format!("{at}: more than {max} items"));
        }
    }
    let passes = |sub: &Value| {
        let mut e = Vec::new();
        check(doc, sub, v, at, &mut e);
        e.is_empty()
    };
    if let Some(Value::Array(all)) = s.get("allOf") {
        for sub in all {
            check(doc, sub, v, at, errors);
        }
    }
    if let Some(Value::Array(any)) = s.get("anyOf")
        && !any.iter().any(passes)
    {
        errors.push(format!("{at}: matches none of anyOf"));
    }
    if let Some(Value::Array(one)) = s.get("oneOf") {
        let n = one.iter().filter(|sub| passes(sub)).count();
        if n != 1 {
            errors.push(format!("{at}: matches {n} of oneOf, not exactly one"));
        }
    }
    if let Some(not) = s.get("not")
        && passes(not)
    {
        errors.push(format!("{at}: matches the `not` schema"));
    }
}

fn assert_valid(doc: &Value, schema: &Value, body: &Value, what: &str) {
    let mut errors = Vec::new();
    check(doc, schema, body, "", &mut errors);
    assert!(
        errors.is_empty(),
        "{what}: the body breaks its documented schema:\n  {}\nbody: {body}",
        errors.join("\n  ")
    );
}

/// Sends a request and reads the body as JSON (`Null` when empty, a string when not JSON).
async fn send(req: reqwest::RequestBuilder) -> (StatusCode, Value) {
    let res = req.send().await.expect("the server answers");
    let status = res.status();
    let text = res.text().await.expect("a body");
    let body = if text.is_empty() {
        Value::Null
    } else {
        serde_json::from_str(&text).unwrap_or(Value::String(text))
    };
    (status, body)
}

/// Checks a 2xx answer against the operation's documented answers.
fn assert_documented_success(doc: &Value, op: &Op, status: StatusCode, body: &Value, what: &str) {
    assert!(
        op.success_statuses().contains(&status.as_u16()),
        "{what}: answered {status} (documented: {:?}); body {body}",
        op.statuses()
    );
    match response_schema(doc, op, status.as_u16()) {
        Some(schema) => assert_valid(doc, schema, body, what),
        None => assert_eq!(body, &Value::Null, "{what}: a documented empty answer"),
    }
}

/// The documented request examples of an operation (JSON bodies).
fn examples(doc: &Value, op: &Op) -> Vec<(String, Value)> {
    let Some(body) = op.op.get("requestBody") else {
        return Vec::new();
    };
    let media = &resolve(doc, body)["content"]["application/json"];
    let mut out: Vec<(String, Value)> = media["examples"]
        .as_object()
        .map(|m| {
            m.iter()
                .map(|(k, e)| (k.clone(), resolve(doc, e)["value"].clone()))
                .collect()
        })
        .unwrap_or_default();
    if let Some(e) = media.get("example") {
        out.push(("example".into(), e.clone()));
    }
    assert!(
        !out.is_empty(),
        "{}: a request body is documented with at least one example",
        op.label()
    );
    for (name, value) in &out {
        assert_valid(
            doc,
            &media["schema"],
            value,
            &format!("{} example {name}", op.label()),
        );
    }
    out
}

/// Creates a scenario in the test namespace from the first documented example; returns its id.
async fn create_scenario(app: &TestApp, doc: &Value, ops: &[Op]) -> u64 {
    let op = ops
        .iter()
        .find(|o| {
            o.method == "post"
                && o.op["requestBody"]["content"]["application/json"]["schema"]["$ref"]
                    .as_str()
                    .is_some_and(|r| r.ends_with("/TestbedScenarioSpec"))
        })
        .expect("an operation creates scenarios from a TestbedScenarioSpec");
    let (_, example) = examples(doc, op).remove(0);
    let (status, body) = send(
        app.client
            .post(app.url(&concrete(op, 0)))
            .bearer_auth(TOKEN)
            .json(&example),
    )
    .await;
    assert_documented_success(doc, op, status, &body, &op.label());
    body["id"].as_u64().expect("a created scenario has an id")
}

/// A standard API call in the test namespace, so the journal and summary have something in them.
async fn journal_something(app: &TestApp) {
    let tran = tran_id();
    let (status, body) = send(
        app.client
            .get(app.url("/v1/bank/accounts"))
            .header("x-testbed-namespace", NS)
            .header("x-api-tran-id", &tran)
            .query(&[("org_code", BANK_ORG)]),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
}

#[tokio::test]
async fn every_documented_admin_operation_exists_and_needs_the_token() {
    let app = spawn_admin_app().await;
    let doc = openapi(&app).await;
    for op in admin_operations(&doc) {
        assert_eq!(
            op.op["tags"],
            json!(["testbed"]),
            "{} is tagged",
            op.label()
        );
        let url = app.url(&concrete(&op, 1));
        for (what, req) in [
            ("no token", app.client.request(op.http_method(), &url)),
            (
                "a wrong token",
                app.client
                    .request(op.http_method(), &url)
                    .bearer_auth("not-the-admin-token-0000"),
            ),
        ] {
            let (status, body) = send(req).await;
            let label = format!("{} with {what}", op.label());
            assert_eq!(status, StatusCode::UNAUTHORIZED, "{label}: {body}");
            assert!(
                body["error"].is_string() && body["message"].is_string(),
                "{label}: answers {{error, message}}, got {body}"
            );
            let schema = response_schema(&doc, &op, 401).expect("401 has a JSON body");
            assert_valid(&doc, schema, &body, &label);
        }
    }
}

#[tokio::test]
async fn documented_reads_answer_their_documented_shape_with_every_credential() {
    let app = spawn_admin_app().await;
    let doc = openapi(&app).await;
    let ops = admin_operations(&doc);
    let id = create_scenario(&app, &doc, &ops).await;
    journal_something(&app).await;
    let gets: Vec<&Op> = ops.iter().filter(|o| o.method == "get").collect();
    assert!(gets.len() >= 5, "{} GET operations", gets.len());
    for op in gets {
        let url = app.url(&concrete(op, id));
        for (scheme, cred) in credentials(&doc, op) {
            let req = with_token(app.client.get(&url), &cred, TOKEN);
            let (status, body) = send(req).await;
            let what = format!("{} with {scheme}", op.label());
            assert_documented_success(&doc, op, status, &body, &what);
            assert!(body.is_object(), "{what}: a JSON object, got {body}");
        }
        // Every documented query parameter is understood (a sample value of its type).
        let query: Vec<(String, String)> = op
            .params
            .iter()
            .filter(|p| p["in"] == "query")
            .map(|p| {
                let s = &p["schema"];
                let value = match (s["enum"].get(0), s["type"].as_str()) {
                    (Some(e), _) => e.as_str().map(str::to_owned).unwrap_or(e.to_string()),
                    (None, Some("integer")) => s["minimum"].as_u64().unwrap_or(1).to_string(),
                    (None, Some("boolean")) => "true".to_owned(),
                    _ => "x".to_owned(),
                };
                (p["name"].as_str().expect("name").to_owned(), value)
            })
            .collect();
        if !query.is_empty() {
            let (status, body) = send(app.client.get(&url).bearer_auth(TOKEN).query(&query)).await;
            let what = format!("{} with {query:?}", op.label());
            assert_documented_success(&doc, op, status, &body, &what);
        }
    }
}

#[tokio::test]
async fn documented_examples_and_writes_answer_as_documented() {
    let app = spawn_admin_app().await;
    let doc = openapi(&app).await;
    let ops = admin_operations(&doc);
    let id = create_scenario(&app, &doc, &ops).await;
    let writes: Vec<&Op> = ops.iter().filter(|o| o.method != "get").collect();
    // Every documented example is accepted with a documented status and shape.
    for op in writes.iter().filter(|o| o.op.get("requestBody").is_some()) {
        for (name, example) in examples(&doc, op) {
            let req = app
                .client
                .request(op.http_method(), app.url(&concrete(op, id)))
                .bearer_auth(TOKEN)
                .json(&example);
            let (status, body) = send(req).await;
            let what = format!("{} example {name}", op.label());
            assert_documented_success(&doc, op, status, &body, &what);
        }
    }
    // Then the writes without a body, the most specific path first (so the namespace goes last).
    let mut plain: Vec<&&Op> = writes
        .iter()
        .filter(|o| o.op.get("requestBody").is_none())
        .collect();
    plain.sort_by_key(|o| std::cmp::Reverse(o.path.len()));
    assert!(!plain.is_empty());
    for op in plain {
        let req = app
            .client
            .request(op.http_method(), app.url(&concrete(op, id)))
            .bearer_auth(TOKEN);
        let (status, body) = send(req).await;
        assert_documented_success(&doc, op, status, &body, &op.label());
    }
}

#[tokio::test]
async fn the_documented_admin_routes_are_the_served_ones() {
    let app = spawn_admin_app().await;
    let doc = openapi(&app).await;
    let ops = admin_operations(&doc);
    let paths: BTreeSet<&str> = ops.iter().map(|o| o.path.as_str()).collect();
    for path in &paths {
        let documented: BTreeSet<&str> = ops
            .iter()
            .filter(|o| o.path == *path)
            .map(|o| o.method.as_str())
            .collect();
        let sample = ops.iter().find(|o| o.path == *path).expect("an operation");
        let url = app.url(&concrete(sample, 1));
        for method in METHODS {
            // HEAD is answered wherever GET is (HTTP semantics).
            if documented.contains(method) || (method == "head" && documented.contains("get")) {
                continue;
            }
            let m: Method = method.to_uppercase().parse().expect("method");
            let (status, body) = send(app.client.request(m, &url).bearer_auth(TOKEN)).await;
            assert_eq!(
                status,
                StatusCode::METHOD_NOT_ALLOWED,
                "{} {path} is not documented, so it must not be served: {body}",
                method.to_uppercase()
            );
        }
    }
    // Paths next to the documented ones are not served. A path with no route answers 404 to
    // any method; with a route it would answer 401 (admin routes check the token first), 405
    // (another method) or something else. Probes: below every documented path and its
    // prefixes, every literal segment the document uses and some plausible others.
    let mut words: BTreeSet<&str> = paths
        .iter()
        .flat_map(|p| p.split('/'))
        .filter(|s| !s.is_empty() && !s.starts_with('{'))
        .collect();
    words.extend(PLAUSIBLE);
    let mut prefixes: BTreeSet<String> = BTreeSet::new();
    for op in &ops {
        let concrete = concrete(op, 1);
        let segs: Vec<&str> = concrete.split('/').collect();
        for n in 2..=segs.len() {
            prefixes.insert(segs[..n].join("/"));
        }
    }
    let mut probes: BTreeSet<String> = prefixes
        .iter()
        .flat_map(|p| words.iter().map(move |w| format!("{p}/{w}")))
        .collect();
    // A probe a documented template matches (`scenarios/7` is `scenarios/{id}`) is not a probe.
    probes.retain(|probe| !paths.iter().any(|t| template_matches(t, probe)));
    assert!(probes.len() > 100, "{} probes", probes.len());
    for probe in &probes {
        let (status, body) = send(app.client.get(app.url(probe))).await;
        assert_eq!(
            status,
            StatusCode::NOT_FOUND,
            "{probe} is not documented, so nothing may be served there: {body}"
        );
    }
}

#[tokio::test]
async fn the_standard_operations_document_the_testbed_headers_the_server_reads() {
    let app = spawn_admin_app().await;
    let doc = openapi(&app).await;
    let (status, catalogue) = send(
        app.client
            .get(app.url("/__testbed/catalogue"))
            .bearer_auth(TOKEN),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    let wanted = [
        catalogue["namespace_header"]
            .as_str()
            .expect("namespace_header"),
        catalogue["scenario_header"]
            .as_str()
            .expect("scenario_header"),
    ];
    let mut standard = 0;
    for (path, item) in doc["paths"].as_object().expect("paths") {
        if path.starts_with("/__testbed") {
            continue;
        }
        for (method, op) in item.as_object().expect("item") {
            let headers: Vec<&str> = op["parameters"]
                .as_array()
                .map(|a| {
                    a.iter()
                        .map(|p| resolve(&doc, p))
                        .filter(|p| p["in"] == "header" && p["required"] == false)
                        .filter_map(|p| p["name"].as_str())
                        .collect()
                })
                .unwrap_or_default();
            for h in wanted {
                assert!(
                    headers.contains(&h),
                    "{method} {path} documents the optional {h} header"
                );
            }
            standard += 1;
        }
    }
    assert!(standard > 70, "{standard} standard operations");

    // And the server reads them: a namespace named by the header exists afterwards, and the
    // scenario header shapes the answer.
    let tran = tran_id();
    let (status, body) = send(
        app.client
            .get(app.url("/v1/bank/accounts"))
            .header(wanted[0], "contract-header")
            .header(wanted[1], "rsp_code=50001")
            .header("x-api-tran-id", &tran),
    )
    .await;
    assert_eq!(status, StatusCode::BAD_REQUEST, "{body}");
    let (status, list) = send(
        app.client
            .get(app.url("/__testbed/namespaces"))
            .bearer_auth(TOKEN),
    )
    .await;
    assert_eq!(status, StatusCode::OK);
    assert!(
        list["namespaces"]
            .as_array()
            .expect("namespaces")
            .iter()
            .any(|n| n["name"] == "contract-header"),
        "{list}"
    );
    let (status, body) = send(
        app.client
            .get(app.url("/v1/bank/accounts"))
            .header(wanted[1], "no-such-form"),
    )
    .await;
    assert_eq!(
        status,
        StatusCode::BAD_REQUEST,
        "a malformed {} is 40002: {body}",
        wanted[1]
    );
    assert_eq!(body["rsp_code"], "40002");
}
