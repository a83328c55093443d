//! `spawn_app()` and `TestApp`: the real server on 127.0.0.1:0 with a fixed clock, and named
//! helpers that refer to APIs by id, never by path. Every response a helper receives is checked
//! against the spec with the validator the conformance client uses, and for its
//! `x-api-tran-id` echo, so every test also tests conformance.

use std::collections::HashMap;
use std::sync::atomic::{AtomicU64, Ordering};

use chrono::{DateTime, TimeDelta, Utc};
use mydata_testbed::clock::Clock;
use mydata_testbed::config::ServerConfig;
use mydata_testbed::server::state::AppState;
use mydata_testbed::spec::validate::{validate_oauth_response, validate_response};
use mydata_testbed::spec::{ApiEntry, Method};
use reqwest::StatusCode;
use reqwest::header::HeaderMap;
use serde_json::{Value, json};
use tokio::sync::oneshot;

pub const BANK: &str = "bank";
pub const BANK_ORG: &str = "TBBANK0001";
pub const CLIENT_ID: &str = "tbdemoapp";
pub const CLIENT_SECRET: &str = "tbdemosecret0001";
pub const REDIRECT_URI: &str = "http://localhost:8080/callback";
pub const APP_SCHEME: &str = "tbdemo://mydata";
/// The customer whose deposit account has more than 1,200 transactions.
pub const LONG_HISTORY_CUSTOMER: &str = "C002";
pub const LONG_HISTORY_ACCOUNT: &str = "110573920164";

/// A Wednesday morning in Korea, so a week's scheduled limit is easy to reason about.
pub fn test_instant() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-25T01:00:00Z")
        .expect("valid instant")
        .to_utc()
}

pub struct TestApp {
    pub base: String,
    pub client: reqwest::Client,
    pub state: AppState,
    pub clock: Clock,
    _shutdown: oneshot::Sender<()>,
}

/// An answer from the server, already checked for its tran-id echo.
#[derive(Debug)]
pub struct Answer {
    pub status: StatusCode,
    pub headers: HeaderMap,
    pub body: Value,
}

impl Answer {
    pub fn rsp_code(&self) -> &str {
        self.body["rsp_code"].as_str().unwrap_or("<none>")
    }
    pub fn error(&self) -> &str {
        self.body["error"].as_str().unwrap_or("<none>")
    }
    pub fn location(&self) -> String {
        self.headers
            .get("location")
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default()
            .to_owned()
    }
    /// The query parameters of the Location header.
    pub fn location_query(&self) -> HashMap<String, String> {
        let loc = self.location();
        let query = loc.split_once('?').map(|(_, q)| q).unwrap_or("");
        url_pairs(query)
    }
}

pub fn url_pairs(query: &str) -> HashMap<String, String> {
    form_urlencoded::parse(query.as_bytes())
        .into_owned()
        .collect()
}

/// A token pair from 개별인증-002.
#[derive(Debug, Clone)]
pub struct Tokens {
    pub access: String,
    pub refresh: String,
    pub scope: String,
}

pub async fn spawn_app() -> TestApp {
    spawn_app_with(ServerConfig::default()).await
}

pub async fn spawn_app_with(config: ServerConfig) -> TestApp {
    let clock = Clock::fixed(test_instant());
    let mut config = config;
    config.bind = "127.0.0.1:0".parse().expect("addr");
    if config.signing_key.is_none() {
        config.signing_key = Some(mydata_testbed::fixtures::Secret::new(
            "test-signing-key-0123456789abcdefghij",
        ));
    }
    let state = config
        .build_state(clock.clone())
        .expect("the test server builds");
    let listener = tokio::net::TcpListener::bind(config.bind)
        .await
        .expect("bind");
    let addr = listener.local_addr().expect("addr");
    let (tx, rx) = oneshot::channel::<()>();
    let served = state.clone();
    tokio::spawn(async move {
        mydata_testbed::server::run(listener, served, async {
            let _ = rx.await;
        })
        .await
        .expect("server runs");
    });
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .expect("client");
    TestApp {
        base: format!("http://{addr}"),
        client,
        state,
        clock,
        _shutdown: tx,
    }
}

static SERIAL: AtomicU64 = AtomicU64::new(1);

/// A fresh, well-formed x-api-tran-id: the operator's org code, `M`, a 14-digit serial (§1.4.1).
pub fn tran_id() -> String {
    format!("TBAPP00001M{:014}", SERIAL.fetch_add(1, Ordering::Relaxed))
}

pub fn ci_of(app: &TestApp, customer: &str) -> String {
    app.state
        .fixtures
        .customer(customer)
        .expect("customer exists")
        .ci
        .clone()
}

impl TestApp {
    pub fn entry(&self, api_id: &str) -> &ApiEntry {
        self.state
            .spec
            .api(BANK, api_id)
            .unwrap_or_else(|| panic!("{api_id} is in the bank spec"))
    }

    pub fn url(&self, path: &str) -> String {
        format!("{}{path}", self.base)
    }

    pub fn advance(&self, by: TimeDelta) {
        self.clock.advance(by);
    }

    /// Sends a request and checks the tran-id echo (§1.4.1: every response, errors included).
    pub async fn send(&self, req: reqwest::RequestBuilder, tran: Option<&str>) -> Answer {
        let res = req.send().await.expect("the server answers");
        let status = res.status();
        let headers = res.headers().clone();
        let text = res.text().await.expect("a body");
        if let Some(t) = tran {
            assert_eq!(
                headers.get("x-api-tran-id").and_then(|v| v.to_str().ok()),
                Some(t),
                "x-api-tran-id echo"
            );
        }
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text).unwrap_or(Value::String(text))
        };
        Answer {
            status,
            headers,
            body,
        }
    }

    /// Calls an information-provision API of the bank by id with its spec method; `params` go to
    /// the query (GET) or the JSON body (POST). The answer is validated against the spec.
    pub async fn call(&self, api_id: &str, token: &str, api_type: &str, params: Value) -> Answer {
        let entry = self
            .state
            .spec
            .api(BANK, api_id)
            .unwrap_or_else(|| panic!("{api_id} is in the bank spec"))
            .clone();
        self.call_entry(&entry, token, api_type, params).await
    }

    /// An information API request for an entry: `org_code` defaulted to the industry's provider,
    /// path parameters moved into the path, the rest as query (GET) or JSON body (POST).
    fn info_builder(&self, entry: &ApiEntry, params: Value) -> reqwest::RequestBuilder {
        let mut params = params;
        if params.get("org_code").is_none() {
            let industry = entry.industry.as_deref().unwrap_or(BANK);
            params["org_code"] = json!(self.org(industry));
        }
        // Path parameters (`{card_id}`) move from the parameters into the path.
        let mut path = entry.full_path(self.state.spec.version());
        for p in entry
            .request
            .iter()
            .filter(|p| p.location == mydata_testbed::spec::Location::Path)
        {
            let value = params.as_object_mut().and_then(|o| o.remove(&p.name));
            let value = value.as_ref().and_then(Value::as_str).unwrap_or("MISSING");
            path = path.replace(&format!("{{{}}}", p.name), value);
        }
        let url = self.url(&path);
        match entry.method {
            Method::GET => {
                let pairs: Vec<(String, String)> = params
                    .as_object()
                    .expect("params object")
                    .iter()
                    .map(|(k, v)| {
                        let v = v
                            .as_str()
                            .map(str::to_owned)
                            .unwrap_or_else(|| v.to_string());
                        (k.clone(), v)
                    })
                    .collect();
                self.client.get(url).query(&pairs)
            }
            Method::POST => self.client.post(url).json(&params),
        }
    }

    pub async fn call_entry(
        &self,
        entry: &ApiEntry,
        token: &str,
        api_type: &str,
        params: Value,
    ) -> Answer {
        let tran = tran_id();
        let req = self.info_builder(entry, params);
        let req = req
            .header("x-api-tran-id", &tran)
            .header("x-api-type", api_type)
            .bearer_auth(token);
        let answer = self.send(req, Some(&tran)).await;
        self.assert_conforms(entry, &answer);
        answer
    }

    /// Checks an information API answer against the spec: status from the rsp_code table,
    /// body fields, types and counts.
    pub fn assert_conforms(&self, entry: &ApiEntry, answer: &Answer) {
        let spec = &self.state.spec;
        let violations = validate_response(spec, entry, &answer.body);
        assert!(
            violations.is_empty(),
            "{} answer breaks the spec: {violations:#?}\nbody: {}",
            entry.api_id,
            answer.body
        );
        let row = spec.rsp(answer.rsp_code()).expect("rsp_code in the table");
        assert_eq!(
            answer.status.as_u16(),
            row.http,
            "HTTP status of rsp_code {}",
            row.code
        );
        assert_eq!(
            answer
                .headers
                .get("content-type")
                .and_then(|v| v.to_str().ok()),
            Some("application/json; charset=UTF-8")
        );
    }

    /// 개별인증-001 as the operator server calls it.
    pub async fn authorize(&self, ci: &str, overrides: &[(&str, &str)]) -> Answer {
        let tran = tran_id();
        let mut q: HashMap<&str, &str> = HashMap::from([
            ("org_code", BANK_ORG),
            ("response_type", "code"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", REDIRECT_URI),
            ("app_scheme", APP_SCHEME),
            ("state", "st4te"),
        ]);
        for (k, v) in overrides {
            q.insert(k, v);
        }
        let q: Vec<(&str, &str)> = q.into_iter().filter(|(_, v)| !v.is_empty()).collect();
        let path = self
            .state
            .spec
            .auth_api("개별인증-001")
            .expect("spec")
            .path
            .clone();
        let mut req = self
            .client
            .get(self.url(&path))
            .query(&q)
            .header("x-api-tran-id", &tran);
        if !ci.is_empty() {
            req = req.header("x-user-ci", ci);
        }
        self.send(req, Some(&tran)).await
    }

    /// Starts an authorize request for a customer and returns the login page's request id.
    pub async fn begin_login(&self, customer: &str) -> String {
        self.begin_login_at(BANK, customer).await
    }

    /// The same at another industry's provider.
    pub async fn begin_login_at(&self, industry: &str, customer: &str) -> String {
        let org = self.org(industry);
        let answer = self
            .authorize(&ci_of(self, customer), &[("org_code", &org)])
            .await;
        assert_eq!(
            answer.status,
            StatusCode::FOUND,
            "authorize redirects to the login page: {:?}",
            answer.body
        );
        let q = answer.location_query();
        q.get("request_id")
            .cloned()
            .expect("login page carries request_id")
    }

    /// The org_code of an industry's provider.
    pub fn org(&self, industry: &str) -> String {
        self.state
            .fixtures
            .provider(industry)
            .expect("a provider")
            .org_code
            .clone()
    }

    /// Posts the consent form directly (the documented script path) and returns the redirect.
    pub async fn post_consent(
        &self,
        request_id: &str,
        customer: &str,
        assets: &[&str],
        scheduled: bool,
        extra: &[(&str, &str)],
    ) -> Answer {
        let mut form: Vec<(&str, &str)> = vec![
            ("request_id", request_id),
            ("customer_id", customer),
            ("action", "consent"),
        ];
        form.extend(assets.iter().map(|a| ("asset", *a)));
        if scheduled {
            form.push(("is_scheduled", "true"));
        }
        form.extend_from_slice(extra);
        self.send(
            self.client.post(self.url("/oauth/2.0/consent")).form(&form),
            None,
        )
        .await
    }

    /// authorize → consent (the given assets, or all of the customer's) → a code.
    pub async fn code_for(
        &self,
        customer: &str,
        assets: Option<&[&str]>,
        scheduled: bool,
    ) -> String {
        self.code_for_at(BANK, customer, assets, scheduled).await
    }

    /// The same at another industry's provider; "all" includes the customer-level items.
    pub async fn code_for_at(
        &self,
        industry: &str,
        customer: &str,
        assets: Option<&[&str]>,
        scheduled: bool,
    ) -> String {
        let rid = self.begin_login_at(industry, customer).await;
        let all: Vec<String> = self.asset_ids_at(industry, customer);
        let chosen: Vec<&str> = match assets {
            Some(a) => a.to_vec(),
            None => all.iter().map(String::as_str).collect(),
        };
        let scopes = if assets.is_none() {
            self.customer_scopes_at(industry, customer)
        } else {
            Vec::new()
        };
        let extra: Vec<(&str, &str)> = scopes.iter().map(|s| ("scope", s.as_str())).collect();
        let answer = self
            .post_consent(&rid, customer, &chosen, scheduled, &extra)
            .await;
        assert_eq!(answer.status, StatusCode::FOUND);
        let q = answer.location_query();
        assert!(
            answer.location().starts_with(REDIRECT_URI),
            "back to the operator: {}",
            answer.location()
        );
        assert_eq!(q.get("state").map(String::as_str), Some("st4te"));
        q.get("code")
            .cloned()
            .unwrap_or_else(|| panic!("a code in {}", answer.location()))
    }

    pub fn customer_scopes_at(&self, industry: &str, customer: &str) -> Vec<String> {
        let holding = self.state.fixtures.holding(industry, customer);
        holding
            .map(|h| h.customer_scopes.iter().cloned().collect())
            .unwrap_or_default()
    }

    pub fn asset_ids(&self, customer: &str) -> Vec<String> {
        self.asset_ids_at(BANK, customer)
    }

    pub fn asset_ids_at(&self, industry: &str, customer: &str) -> Vec<String> {
        let holding = self.state.fixtures.holding(industry, customer);
        holding
            .map(|h| h.assets.iter().map(|a| a.id.clone()).collect())
            .unwrap_or_default()
    }

    /// POST to the token endpoint; success bodies are validated against 개별인증-002/003.
    pub async fn token_request(&self, form: &[(&str, &str)]) -> Answer {
        let tran = tran_id();
        let path = self
            .state
            .spec
            .auth_api("개별인증-002")
            .expect("spec")
            .path
            .clone();
        let answer = self
            .send(
                self.client
                    .post(self.url(&path))
                    .header("x-api-tran-id", &tran)
                    .form(form),
                Some(&tran),
            )
            .await;
        if answer.status == StatusCode::OK {
            let grant = form
                .iter()
                .find(|(k, _)| *k == "grant_type")
                .map(|(_, v)| *v);
            let id = if grant == Some("refresh_token") {
                "개별인증-003"
            } else {
                "개별인증-002"
            };
            let entry = self.state.spec.auth_api(id).expect("spec");
            let v = validate_oauth_response(entry, &answer.body);
            assert!(v.is_empty(), "{id} answer breaks the spec: {v:#?}");
        } else {
            assert!(
                answer.body["error"].is_string(),
                "OAuth errors carry `error`: {}",
                answer.body
            );
        }
        answer
    }

    pub async fn exchange(&self, code: &str) -> Answer {
        self.exchange_at(BANK_ORG, code).await
    }

    pub async fn exchange_at(&self, org: &str, code: &str) -> Answer {
        self.token_request(&[
            ("org_code", org),
            ("grant_type", "authorization_code"),
            ("code", code),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("redirect_uri", REDIRECT_URI),
        ])
        .await
    }

    pub async fn refresh(&self, refresh_token: &str) -> Answer {
        self.token_request(&[
            ("org_code", BANK_ORG),
            ("grant_type", "refresh_token"),
            ("refresh_token", refresh_token),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
        ])
        .await
    }

    pub async fn revoke(&self, token: &str, secret: &str) -> Answer {
        let tran = tran_id();
        let path = self
            .state
            .spec
            .auth_api("개별인증-004")
            .expect("spec")
            .path
            .clone();
        let form = [
            ("org_code", BANK_ORG),
            ("token", token),
            ("client_id", CLIENT_ID),
            ("client_secret", secret),
        ];
        self.send(
            self.client
                .post(self.url(&path))
                .header("x-api-tran-id", &tran)
                .form(&form),
            Some(&tran),
        )
        .await
    }

    /// The whole individual-auth flow for a customer: a token pair.
    pub async fn login(&self, customer: &str, assets: Option<&[&str]>, scheduled: bool) -> Tokens {
        self.login_at(BANK, customer, assets, scheduled).await
    }

    /// The same at another industry's provider.
    pub async fn login_at(
        &self,
        industry: &str,
        customer: &str,
        assets: Option<&[&str]>,
        scheduled: bool,
    ) -> Tokens {
        let code = self
            .code_for_at(industry, customer, assets, scheduled)
            .await;
        let answer = self.exchange_at(&self.org(industry), &code).await;
        assert_eq!(answer.status, StatusCode::OK, "token: {}", answer.body);
        Tokens {
            access: answer.body["access_token"]
                .as_str()
                .expect("access_token")
                .to_owned(),
            refresh: answer.body["refresh_token"]
                .as_str()
                .expect("refresh_token")
                .to_owned(),
            scope: answer.body["scope"].as_str().expect("scope").to_owned(),
        }
    }
}

/// Copies a directory tree (the repository's fixtures into a scratch directory, say).
pub fn copy_dir(from: &std::path::Path, to: &std::path::Path) {
    std::fs::create_dir_all(to).unwrap_or_else(|e| panic!("mkdir {}: {e}", to.display()));
    for entry in std::fs::read_dir(from).unwrap_or_else(|e| panic!("read {}: {e}", from.display()))
    {
        let entry = entry.expect("a dir entry");
        let target = to.join(entry.file_name());
        if entry.file_type().expect("file type").is_dir() {
            copy_dir(&entry.path(), &target);
        } else {
            std::fs::copy(entry.path(), &target)
                .unwrap_or_else(|e| panic!("copy {}: {e}", entry.path().display()));
        }
    }
}

// ---------------------------------------------------------------------------------------------
// Testbed controls: namespaces, the admin API, scenarios and the journal.
// ---------------------------------------------------------------------------------------------

/// The admin token of servers built from [`testbed_config`].
pub const ADMIN_TOKEN: &str = "testbed-admin-token-0123456789";

/// A server configuration with a known admin token.
pub fn testbed_config() -> ServerConfig {
    ServerConfig {
        admin_token: Some(mydata_testbed::fixtures::Secret::new(ADMIN_TOKEN)),
        ..ServerConfig::default()
    }
}

/// The real server with the admin API on [`ADMIN_TOKEN`].
pub async fn spawn_testbed() -> TestApp {
    spawn_app_with(testbed_config()).await
}

/// One testbed server (admin token [`ADMIN_TOKEN`], default settings) shared by the tests that
/// keep to namespaces of their own, as parallel CI jobs would: it runs on its own thread for the
/// whole test binary, so building the state is paid once. Tests on it must use namespace names no
/// other test uses, never the default namespace, and never move `clock` (the server's clock,
/// under every namespace's); they move their namespace's clock with the admin API.
pub fn shared_testbed() -> TestApp {
    static SHARED: std::sync::OnceLock<(String, AppState, Clock)> = std::sync::OnceLock::new();
    let (base, state, clock) = SHARED
        .get_or_init(|| {
            let (tx, rx) = std::sync::mpsc::channel();
            std::thread::spawn(move || {
                let rt = tokio::runtime::Builder::new_multi_thread()
                    .worker_threads(2)
                    .enable_all()
                    .build()
                    .expect("a runtime for the shared server");
                rt.block_on(async move {
                    let app = spawn_testbed().await;
                    tx.send((app.base.clone(), app.state.clone(), app.clock.clone()))
                        .expect("the first test waits for the shared server");
                    // Serve until the test binary exits.
                    std::future::pending::<()>().await;
                    drop(app);
                });
            });
            rx.recv_timeout(std::time::Duration::from_secs(60))
                .expect("the shared server starts")
        })
        .clone();
    let client = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(std::time::Duration::from_secs(20))
        .build()
        .expect("client");
    TestApp {
        base,
        client,
        state,
        clock,
        _shutdown: oneshot::channel().0,
    }
}

/// The `x-api-tran-id` an answer echoed (the one the request sent).
pub fn tran_of(answer: &Answer) -> String {
    answer
        .headers
        .get("x-api-tran-id")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned()
}

/// The finding kinds of a journal entry.
pub fn finding_kinds(entry: &Value) -> Vec<String> {
    entry["findings"]
        .as_array()
        .map(|list| {
            list.iter()
                .filter_map(|f| f["kind"].as_str().map(str::to_owned))
                .collect()
        })
        .unwrap_or_default()
}

/// The journal entry that carried this `x-api-tran-id` (the newest if several did).
pub fn entry_with_tran<'a>(entries: &'a [Value], tran: &str) -> &'a Value {
    entries
        .iter()
        .find(|e| e["tran_id"] == tran)
        .unwrap_or_else(|| panic!("no journal entry with tran id {tran} in {entries:#?}"))
}

impl TestApp {
    /// A handle on the same server whose client names `name` in `x-testbed-namespace` on every
    /// request (authorize, consent form, token, APIs). Its `clock` is the namespace's virtual
    /// clock (created now if need be), so `clock.today()` is the namespace's today; move it
    /// with the admin API. A name the server refuses still gets a handle (with the server's
    /// clock), to test the refusal. Keep the original `TestApp` alive: it owns the server.
    pub fn in_namespace(&self, name: &str) -> TestApp {
        let mut headers = HeaderMap::new();
        headers.insert(
            "x-testbed-namespace",
            name.parse()
                .expect("a namespace name that fits in a header"),
        );
        let client = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(std::time::Duration::from_secs(20))
            .default_headers(headers)
            .build()
            .expect("client");
        let clock = self
            .state
            .namespaces
            .get_or_create(name)
            .map_or_else(|_| self.clock.clone(), |ns| ns.clock.clone());
        TestApp {
            base: self.base.clone(),
            client,
            state: self.state.clone(),
            clock,
            // The server stops when the original handle drops; this sender's receiver is gone.
            _shutdown: oneshot::channel().0,
        }
    }

    /// An admin API request with the admin token; the answer's status and JSON body (Null if
    /// empty).
    pub async fn admin(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        self.admin_as(Some(ADMIN_TOKEN), method, path, body).await
    }

    /// The same with any (or no) bearer token.
    pub async fn admin_as(
        &self,
        token: Option<&str>,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> (StatusCode, Value) {
        let mut req = self
            .client
            .request(method, self.url(&format!("/__testbed{path}")));
        if let Some(t) = token {
            req = req.bearer_auth(t);
        }
        if let Some(b) = body {
            req = req.json(&b);
        }
        let res = req.send().await.expect("the admin API answers");
        let status = res.status();
        let text = res.text().await.expect("a body");
        let body = if text.is_empty() {
            Value::Null
        } else {
            serde_json::from_str(&text)
                .unwrap_or_else(|e| panic!("admin answers are JSON ({e}): {text}"))
        };
        (status, body)
    }

    /// An admin request that must succeed (2xx); its body.
    pub async fn admin_ok(
        &self,
        method: reqwest::Method,
        path: &str,
        body: Option<Value>,
    ) -> Value {
        let what = format!("{method} {path}");
        let (status, body) = self.admin(method, path, body).await;
        assert!(status.is_success(), "{what}: {status} {body}");
        body
    }

    /// Creates a scenario in a namespace; its id.
    pub async fn add_scenario(&self, ns: &str, scenario: Value) -> u64 {
        let (status, body) = self
            .admin(
                reqwest::Method::POST,
                &format!("/namespaces/{ns}/scenarios"),
                Some(scenario.clone()),
            )
            .await;
        assert_eq!(status, StatusCode::CREATED, "{scenario} → {body}");
        body["id"].as_u64().expect("a scenario id")
    }

    /// Moves a namespace's clock (`"7d"`, `"2h"`, `"-1d"`); the clock view.
    pub async fn advance_ns(&self, ns: &str, by: &str) -> Value {
        self.admin_ok(
            reqwest::Method::POST,
            &format!("/namespaces/{ns}/clock/advance"),
            Some(json!({ "by": by })),
        )
        .await
    }

    /// A namespace's journal entries (newest first) for a query string such as
    /// `customer=C001&verdict=fail`.
    pub async fn journal(&self, ns: &str, query: &str) -> Vec<Value> {
        let body = self
            .admin_ok(
                reqwest::Method::GET,
                &format!("/namespaces/{ns}/journal?{query}"),
                None,
            )
            .await;
        body["entries"].as_array().expect("entries").clone()
    }

    /// A namespace's newest journal entry.
    pub async fn last_entry(&self, ns: &str) -> Value {
        self.journal(ns, "limit=1")
            .await
            .into_iter()
            .next()
            .unwrap_or_else(|| panic!("namespace {ns} has journaled something"))
    }

    /// The request `call` would send, without sending it: the builder and its tran id. `headers`
    /// are added; an `x-api-tran-id` or `x-api-type` among them replaces the default one, and
    /// an empty value leaves that header out.
    pub fn info_request(
        &self,
        api_id: &str,
        token: &str,
        api_type: &str,
        params: Value,
        headers: &[(&str, &str)],
    ) -> (reqwest::RequestBuilder, Option<String>) {
        let mut req = self.info_builder(self.entry(api_id), params);
        let own = |name: &str| headers.iter().find(|(k, _)| k.eq_ignore_ascii_case(name));
        let tran = match own("x-api-tran-id") {
            Some((_, v)) => (!v.is_empty()).then(|| (*v).to_owned()),
            None => Some(tran_id()),
        };
        if let Some(t) = &tran {
            req = req.header("x-api-tran-id", t);
        }
        let api_type = own("x-api-type").map_or(api_type, |(_, v)| *v);
        if !api_type.is_empty() {
            req = req.header("x-api-type", api_type);
        }
        req = req.bearer_auth(token);
        for (k, v) in headers {
            if !k.eq_ignore_ascii_case("x-api-tran-id") && !k.eq_ignore_ascii_case("x-api-type") {
                req = req.header(*k, *v);
            }
        }
        (req, tran)
    }

    /// `call` with extra headers (see [`TestApp::info_request`]). JSON answers carrying an
    /// `rsp_code` are checked against the spec and for the tran-id echo; anything else (a bare
    /// 5xx, a cut body) is returned as a string body for the test to judge.
    pub async fn call_with(
        &self,
        api_id: &str,
        token: &str,
        api_type: &str,
        params: Value,
        headers: &[(&str, &str)],
    ) -> Answer {
        let (req, tran) = self.info_request(api_id, token, api_type, params, headers);
        let answer = self.send(req, None).await;
        if answer.body.get("rsp_code").is_some() {
            if let Some(t) = &tran {
                assert_eq!(&tran_of(&answer), t, "x-api-tran-id echo");
            }
            self.assert_conforms(self.entry(api_id), &answer);
        }
        answer
    }
}
