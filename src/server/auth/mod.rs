//! 개별인증 (individual authentication, reference §2.2): the authorize endpoint, the provider's own
//! login and consent web pages, and the token and revoke endpoints.
//!
//! The web pages are the testbed's stand-in for a provider's login: the user picks a test
//! customer (whose CI must match the operator's `x-user-ci`), chooses the assets to consent and the
//! consent particulars, and is redirected to the operator with a code. Scripts can skip the browser
//! by posting the consent form directly (a testbed convenience; see the README).

pub mod jwt;
pub mod store;
pub mod token;

use std::collections::{BTreeSet, HashMap};

use askama::Template;
use axum::Extension;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{Query, State};
use axum::http::{HeaderMap, StatusCode, Uri, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use chrono::NaiveDate;
use serde::Serialize;

use self::store::{Consent, ConsentKey, PendingAuth};
use self::token::TokenRequest;
use super::error::{AnsweredCode, ApiLabel, OAuthError};
use super::extract::check_tran_id;
use super::middleware::{Ns, TRAN_ID, json_response};
use super::state::AppState;
use crate::spec::types::parse_date;
use crate::spec::{ApiEntry, Location};
use crate::testbed::{NAMESPACE_PARAM, Namespace};

/// The login page of the provider (not part of the standard: each provider has its own).
pub const LOGIN_PATH: &str = "/oauth/2.0/login";
/// Where the consent form posts.
pub const CONSENT_PATH: &str = "/oauth/2.0/consent";

type Params = HashMap<String, String>;

/// Parses urlencoded pairs; a repeated parameter is an error (RFC 6749 §3.1), except `allow_repeat`.
fn parse_pairs(
    raw: &[u8],
    allow_repeat: &[&str],
) -> Result<(Params, Vec<(String, String)>), String> {
    let mut single = HashMap::new();
    let mut repeated = Vec::new();
    for (k, v) in form_urlencoded::parse(raw) {
        if allow_repeat.contains(&k.as_ref()) {
            repeated.push((k.into_owned(), v.into_owned()));
        } else if single.insert(k.to_string(), v.into_owned()).is_some() {
            return Err(format!("{k} is given twice"));
        }
    }
    Ok((single, repeated))
}

/// The urlencoded form of a token or revoke request; an unreadable (e.g. oversized) body or
/// another content type is an OAuth `invalid_request`.
fn form_body(
    headers: &HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Result<Params, OAuthError> {
    let body =
        body.map_err(|e| OAuthError::new("invalid_request", format!("unreadable body: {e}")))?;
    let ct = headers
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("");
    if !ct.starts_with("application/x-www-form-urlencoded") {
        return Err(OAuthError::new(
            "invalid_request",
            "the body must be application/x-www-form-urlencoded (§1.1)",
        ));
    }
    parse_pairs(&body, &[])
        .map(|(p, _)| p)
        .map_err(|e| OAuthError::new("invalid_request", e))
}

/// Checks an auth API's parameters (form, query and header) against its spec entry.
fn check_params(entry: &ApiEntry, params: &Params, headers: &HeaderMap) -> Result<(), String> {
    for p in &entry.request {
        let value = match p.location {
            Location::Header => headers.get(&p.name).map(|v| v.to_str().unwrap_or("\u{0}")),
            _ => params.get(&p.name).map(String::as_str),
        };
        match value {
            None if p.required => {
                return Err(format!("{} is required ({})", p.name, entry.reference));
            }
            None => {}
            Some(v) => {
                p.ty.check(v)
                    .map_err(|e| format!("{} must be {e}", p.name))?
            }
        }
    }
    Ok(())
}

fn labelled(mut res: Response, entry: &ApiEntry) -> Response {
    res.extensions_mut()
        .insert(ApiLabel(entry.api_id.as_str().into()));
    res
}

fn spec_entry<'a>(app: &'a AppState, id: &str) -> &'a ApiEntry {
    app.spec
        .auth_api(id)
        .expect("spec check: every 개별인증 API is in auth.json")
}

/// 302 to the operator's redirect_uri with the given query parameters.
fn redirect_to(redirect_uri: &str, pairs: &[(&str, &str)]) -> Response {
    let mut q = form_urlencoded::Serializer::new(String::new());
    for (k, v) in pairs {
        q.append_pair(k, v);
    }
    let sep = if redirect_uri.contains('?') { '&' } else { '?' };
    let location = format!("{redirect_uri}{sep}{}", q.finish());
    (StatusCode::FOUND, [(header::LOCATION, location)]).into_response()
}

fn redirect_error(p: &PendingLike, error: &str, description: &str) -> Response {
    redirect_to(
        &p.redirect_uri,
        &[
            ("error", error),
            ("error_description", description),
            ("state", &p.state),
            ("api_tran_id", &p.api_tran_id),
        ],
    )
}

struct PendingLike {
    redirect_uri: String,
    state: String,
    api_tran_id: String,
}

/// 개별인증-001 `GET /oauth/2.0/authorize` (§2.2.2).
pub async fn authorize(
    State(app): State<AppState>,
    Extension(Ns(ns)): Extension<Ns>,
    headers: HeaderMap,
    uri: Uri,
) -> Response {
    let entry = spec_entry(&app, "개별인증-001");
    labelled(authorize_inner(&app, &ns, entry, &headers, &uri), entry)
}

fn authorize_inner(
    app: &AppState,
    ns: &Namespace,
    entry: &ApiEntry,
    headers: &HeaderMap,
    uri: &Uri,
) -> Response {
    let tran_id = headers
        .get(TRAN_ID)
        .and_then(|v| v.to_str().ok())
        .unwrap_or("")
        .to_owned();
    let params = match parse_pairs(uri.query().unwrap_or("").as_bytes(), &[]) {
        Ok((p, _)) => p,
        Err(e) => {
            return OAuthError {
                api_tran_id: Some(tran_id),
                ..OAuthError::new("invalid_request", e)
            }
            .into_response();
        }
    };
    let get = |k: &str| params.get(k).cloned().unwrap_or_default();
    let state = get("state");
    // An unknown client or unregistered redirect_uri cannot be redirected to: answer JSON (§2.2.2).
    let client = app.fixtures.clients.get(&get("client_id"));
    let Some(client) = client.filter(|c| c.redirect_uris.contains(&get("redirect_uri"))) else {
        let why = if client.is_none() {
            "unknown client_id"
        } else {
            "redirect_uri is not registered for this client"
        };
        return OAuthError {
            state: Some(state).filter(|s| !s.is_empty()),
            api_tran_id: Some(tran_id).filter(|s| !s.is_empty()),
            ..OAuthError::new("invalid_request", why)
        }
        .into_response();
    };
    let back = PendingLike {
        redirect_uri: get("redirect_uri"),
        state: state.clone(),
        api_tran_id: tran_id.clone(),
    };
    if params.get("response_type").is_some_and(|r| r != "code") {
        return redirect_error(
            &back,
            "unsupported_response_type",
            "response_type must be code",
        );
    }
    if let Err(e) = check_params(entry, &params, headers) {
        return redirect_error(&back, "invalid_request", &e);
    }
    if let Err(e) = check_tran_id(&app.spec, Some(&tran_id)) {
        return redirect_error(&back, "invalid_request", &e);
    }
    let Some(provider) = app.fixtures.provider_by_org(&get("org_code")) else {
        return redirect_error(
            &back,
            "invalid_request",
            "org_code is not a provider served here",
        );
    };
    if get("app_scheme") != client.app_scheme {
        return redirect_error(
            &back,
            "invalid_request",
            "app_scheme is not the one registered for this client",
        );
    }
    let ci = headers
        .get("x-user-ci")
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let pending = PendingAuth {
        client_id: client.client_id.clone(),
        redirect_uri: back.redirect_uri,
        state,
        api_tran_id: tran_id,
        ci,
        industry: provider.industry.clone(),
        expires: ns.clock.now() + chrono::TimeDelta::seconds(app.settings.lifetimes.code as i64),
    };
    let id = app.grantor(ns).begin(pending);
    let base = public_base(app, headers);
    let ns_param = ns_query(ns).replace('?', "&");
    Redirect::to(&format!("{base}{LOGIN_PATH}?request_id={id}{ns_param}"))
        .into_response()
        .with_status(StatusCode::FOUND)
}

trait WithStatus {
    fn with_status(self, s: StatusCode) -> Self;
}
impl WithStatus for Response {
    fn with_status(mut self, s: StatusCode) -> Self {
        *self.status_mut() = s;
        self
    }
}

fn public_base(app: &AppState, headers: &HeaderMap) -> String {
    if let Some(url) = &app.settings.public_url {
        return url.trim_end_matches('/').to_owned();
    }
    // Only a plausible host[:port] goes into the redirect (no quotes or markup from a client).
    let host = headers
        .get(header::HOST)
        .and_then(|h| h.to_str().ok())
        .filter(|h| {
            !h.is_empty()
                && h.bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b".-:[]".contains(&b))
        })
        .unwrap_or("localhost");
    format!("http://{host}")
}

fn pending(ns: &Namespace, id: &str) -> Option<PendingAuth> {
    let inner = ns.auth.read();
    inner
        .pending
        .get(id)
        .filter(|p| p.expires > ns.clock.now())
        .cloned()
}

/// The query that keeps the provider's own pages in the request's namespace (`""` for default).
fn ns_query(ns: &Namespace) -> String {
    if ns.is_default() {
        String::new()
    } else {
        let q = form_urlencoded::Serializer::new(String::new())
            .append_pair(NAMESPACE_PARAM, &ns.name)
            .finish();
        format!("?{q}")
    }
}

fn page_error(message: &str) -> Response {
    let body = format!(
        "<!doctype html><html lang=\"ko\"><meta charset=\"utf-8\"><title>요청 오류</title><body style=\"font-family:sans-serif;max-width:560px;margin:40px auto\"><h1>요청을 처리할 수 없습니다</h1><p>{}</p></body></html>",
        html_escape(message)
    );
    (StatusCode::BAD_REQUEST, Html(body)).into_response()
}

fn html_escape(s: &str) -> String {
    s.replace('&', "&amp;")
        .replace('<', "&lt;")
        .replace('>', "&gt;")
        .replace('"', "&quot;")
}

fn render(t: impl Template) -> Response {
    match t.render() {
        Ok(html) => Html(html).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "template rendering failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html("template error".to_owned()),
            )
                .into_response()
        }
    }
}

struct CustomerRow {
    id: String,
    name: String,
    note: String,
    matches: bool,
}

#[derive(Template)]
#[template(path = "login.html")]
struct LoginPage {
    provider: String,
    client_name: String,
    request_id: String,
    customers: Vec<CustomerRow>,
    ns_query: String,
}

/// The provider's login page: pick a test customer.
pub async fn login_page(
    State(app): State<AppState>,
    Extension(Ns(ns)): Extension<Ns>,
    Query(q): Query<HashMap<String, String>>,
) -> Response {
    let id = q.get("request_id").cloned().unwrap_or_default();
    let Some(p) = pending(&ns, &id) else {
        return page_error("인증 요청이 없거나 만료되었습니다 (10분). 앱에서 다시 시작하세요.");
    };
    let row = |c: &crate::fixtures::Customer| CustomerRow {
        id: c.id.clone(),
        name: c.name.clone(),
        note: c.note.clone(),
        matches: c.ci == p.ci,
    };
    // A synthetic customer (serve --synthetic) is offered when the operator's CI names one.
    let synthetic = app.fixtures.synthetic_customer_by_ci(&p.ci);
    let customers = synthetic
        .iter()
        .chain(&app.fixtures.customers)
        .map(row)
        .collect();
    render(LoginPage {
        provider: provider_name(&app, &p.industry),
        client_name: client_name(&app, &p.client_id),
        request_id: id,
        customers,
        ns_query: ns_query(&ns),
    })
}

fn provider_name(app: &AppState, industry: &str) -> String {
    app.fixtures
        .provider(industry)
        .map(|p| p.name.clone())
        .unwrap_or_default()
}

fn client_name(app: &AppState, client_id: &str) -> String {
    app.fixtures
        .clients
        .get(client_id)
        .map(|c| c.name.clone())
        .unwrap_or_default()
}

struct ScopeRow {
    scope: String,
    label: String,
}

struct AssetRow {
    id: String,
    label: String,
    scopes: String,
    closed: bool,
}

#[derive(Template)]
#[template(path = "consent.html")]
struct ConsentPage {
    provider: String,
    client_name: String,
    request_id: String,
    customer_id: String,
    customer_name: String,
    assets: Vec<AssetRow>,
    items: Vec<ScopeRow>,
    today: String,
    end_date: String,
    max_end_date: String,
    ns_query: String,
}

fn as_back(p: &PendingAuth) -> PendingLike {
    PendingLike {
        redirect_uri: p.redirect_uri.clone(),
        state: p.state.clone(),
        api_tran_id: p.api_tran_id.clone(),
    }
}

/// Checks the chosen customer against the authorize request (CI match, customer of this
/// provider) and returns the answer to send when the check fails.
fn reject_customer(app: &AppState, p: &PendingAuth, customer_id: &str) -> Option<Response> {
    match app.fixtures.customer(customer_id) {
        Some(c) if c.ci == p.ci => {}
        Some(_) => {
            return Some(redirect_error(
                &as_back(p),
                "unauthorized_user",
                "the authenticated customer's CI differs from x-user-ci",
            ));
        }
        None => return Some(page_error("선택한 고객이 없습니다.")),
    }
    if app.fixtures.holding(&p.industry, customer_id).is_none() {
        return Some(redirect_error(
            &as_back(p),
            "unauthorized_user",
            "the customer is not a customer of this provider",
        ));
    }
    None
}

/// The login form: authenticate the chosen customer, then show the consent page.
pub async fn login_submit(
    State(app): State<AppState>,
    Extension(Ns(ns)): Extension<Ns>,
    body: Bytes,
) -> Response {
    let Ok((form, _)) = parse_pairs(&body, &[]) else {
        return page_error("잘못된 요청입니다.");
    };
    let id = form.get("request_id").cloned().unwrap_or_default();
    let Some(p) = pending(&ns, &id) else {
        return page_error("인증 요청이 없거나 만료되었습니다 (10분). 앱에서 다시 시작하세요.");
    };
    if form.get("action").map(String::as_str) == Some("cancel") {
        ns.auth.write().pending.remove(&id);
        return redirect_error(&as_back(&p), "access_denied", "the customer cancelled");
    }
    let customer_id = form.get("customer_id").cloned().unwrap_or_default();
    if let Some(res) = reject_customer(&app, &p, &customer_id) {
        return res;
    }
    let holding = app
        .fixtures
        .holding(&p.industry, &customer_id)
        .expect("checked above");
    let assets = holding
        .assets
        .iter()
        .map(|a| AssetRow {
            id: a.id.clone(),
            label: if a.label.is_empty() {
                a.id.clone()
            } else {
                a.label.clone()
            },
            scopes: a.scopes.iter().cloned().collect::<Vec<_>>().join(" "),
            closed: a.state == crate::fixtures::AssetState::Closed,
        })
        .collect();
    let items = holding
        .customer_scopes
        .iter()
        .map(|scope| {
            let names: Vec<&str> = app
                .spec
                .industry_apis(&p.industry)
                .filter(|e| e.scope.as_deref() == Some(scope.as_str()))
                .map(|e| e.name.as_str())
                .collect();
            ScopeRow {
                scope: scope.clone(),
                label: names.join(", "),
            }
        })
        .collect();
    let today = ns.clock.today();
    let max_end = app.spec.common.limits.consent_max_duration.after(today);
    render(ConsentPage {
        ns_query: ns_query(&ns),
        items,
        provider: provider_name(&app, &p.industry),
        client_name: client_name(&app, &p.client_id),
        request_id: id,
        customer_name: app
            .fixtures
            .customer(&customer_id)
            .map(|c| c.name.clone())
            .unwrap_or_default(),
        customer_id,
        assets,
        today: today.format("%Y-%m-%d").to_string(),
        end_date: max_end.format("%Y-%m-%d").to_string(),
        max_end_date: max_end.format("%Y-%m-%d").to_string(),
    })
}

fn parse_form_date(s: &str) -> Option<NaiveDate> {
    parse_date(s).or_else(|| NaiveDate::parse_from_str(s, "%Y-%m-%d").ok())
}

/// The consent form: record the consent in a code and send the customer back to the operator.
pub async fn consent_submit(
    State(app): State<AppState>,
    Extension(Ns(ns)): Extension<Ns>,
    body: Bytes,
) -> Response {
    let Ok((form, repeated)) = parse_pairs(&body, &["asset", "scope"]) else {
        return page_error("잘못된 요청입니다.");
    };
    let id = form.get("request_id").cloned().unwrap_or_default();
    let Some(p) = pending(&ns, &id) else {
        return page_error("인증 요청이 없거나 만료되었습니다 (10분). 앱에서 다시 시작하세요.");
    };
    let back = as_back(&p);
    if form.get("action").map(String::as_str) == Some("cancel") {
        ns.auth.write().pending.remove(&id);
        return redirect_error(&back, "access_denied", "the customer cancelled");
    }
    let customer_id = form.get("customer_id").cloned().unwrap_or_default();
    if let Some(res) = reject_customer(&app, &p, &customer_id) {
        return res;
    }
    let holding = app
        .fixtures
        .holding(&p.industry, &customer_id)
        .expect("checked above");
    let mut assets = BTreeSet::new();
    let mut scopes = BTreeSet::new();
    for (name, value) in &repeated {
        if name == "scope" {
            if !holding.customer_scopes.contains(value) {
                let why = format!("scope {value} is not one the customer has data for");
                return redirect_error(&back, "invalid_request", &why);
            }
            scopes.insert(value.clone());
            continue;
        }
        let asset_id = value;
        let Some(a) = holding.asset(asset_id) else {
            return redirect_error(
                &back,
                "invalid_request",
                &format!("asset {asset_id} is not the customer's"),
            );
        };
        assets.insert(a.id.clone());
        scopes.extend(a.scopes.iter().cloned());
    }
    let today = ns.clock.today();
    let max_end = app.spec.common.limits.consent_max_duration.after(today);
    let end_date = match form.get("end_date").map(|s| parse_form_date(s)) {
        None => max_end,
        Some(Some(d)) if d >= today && d <= max_end => d,
        Some(_) => {
            return redirect_error(
                &back,
                "invalid_request",
                "end_date must be a date from today to one year ahead (§2.6)",
            );
        }
    };
    let period = form
        .get("period")
        .and_then(|s| parse_form_date(s))
        .unwrap_or(max_end);
    let is_scheduled = form
        .get("is_scheduled")
        .is_some_and(|v| v == "true" || v == "on");
    let cycle = is_scheduled.then(|| "1/w".to_owned());
    let purpose = form
        .get("purpose")
        .cloned()
        .filter(|s| !s.is_empty())
        .unwrap_or_else(|| "맞춤형 금융서비스 제공".into());
    // The particulars are served by 정보제공-공통-002: they must fit the types it gives them.
    let particulars = [
        ("purpose", purpose.clone()),
        ("period", period.format("%Y%m%d").to_string()),
    ];
    if let Some(consents) = app.spec.api(&p.industry, "정보제공-공통-002") {
        for (name, value) in &particulars {
            if let Some(f) = consents.field(name)
                && let Err(expected) = f.ty.check(value)
            {
                return redirect_error(
                    &back,
                    "invalid_request",
                    &format!("{name} must be {expected}"),
                );
            }
        }
    }
    let consent = Consent {
        key: ConsentKey {
            customer: customer_id,
            client_id: p.client_id.clone(),
            industry: p.industry.clone(),
        },
        scope: scope_string(&app, &p.industry, &scopes),
        assets,
        is_scheduled,
        fnd_cycle: cycle.clone(),
        add_cycle: cycle,
        end_date,
        purpose,
        period,
        created: String::new(),
        testbed_expired: false,
    };
    let code = app.grantor(&ns).issue_code(&p, consent);
    ns.auth.write().pending.remove(&id);
    redirect_to(
        &p.redirect_uri,
        &[
            ("code", &code),
            ("state", &p.state),
            ("api_tran_id", &p.api_tran_id),
        ],
    )
}

/// The token scope: the industry's list scope, always (§2.4), then the consented scopes in the
/// order the spec lists them.
fn scope_string(app: &AppState, industry: &str, chosen: &BTreeSet<String>) -> String {
    let mut out: Vec<&str> = Vec::new();
    for e in app.spec.industry_apis(industry) {
        if let Some(s) = e.scope.as_deref()
            && (e.is_list_scope() || chosen.contains(s))
            && !out.contains(&s)
        {
            out.push(s);
        }
    }
    out.sort_by_key(|s| !s.ends_with(".list"));
    out.join(" ")
}

/// The token response (§2.2.3, §2.2.4); every value a string (§1.3).
#[derive(Serialize)]
struct TokenBody {
    token_type: &'static str,
    access_token: String,
    expires_in: String,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    refresh_token_expires_in: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    scope: Option<String>,
}

/// 개별인증-002/003 `POST /oauth/2.0/token`.
pub async fn token(
    State(app): State<AppState>,
    Extension(Ns(ns)): Extension<Ns>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let form = match form_body(&headers, body) {
        Ok(f) => f,
        Err(e) => return e.into_response(),
    };
    let (entry, refresh) = match form.get("grant_type").map(String::as_str) {
        Some("authorization_code") => (spec_entry(&app, "개별인증-002"), false),
        Some("refresh_token") => (spec_entry(&app, "개별인증-003"), true),
        Some(other) => {
            let e = OAuthError::new(
                "unsupported_grant_type",
                format!("grant_type {other} is not supported"),
            );
            return labelled(e.into_response(), spec_entry(&app, "개별인증-002"));
        }
        None => {
            let e = OAuthError::new("invalid_request", "grant_type is required");
            return labelled(e.into_response(), spec_entry(&app, "개별인증-002"));
        }
    };
    labelled(
        token_inner(&app, &ns, entry, refresh, &headers, &form),
        entry,
    )
}

fn token_inner(
    app: &AppState,
    ns: &Namespace,
    entry: &ApiEntry,
    refresh: bool,
    headers: &HeaderMap,
    form: &Params,
) -> Response {
    if let Err(e) = check_params(entry, form, headers).and_then(|_| {
        check_tran_id(
            &app.spec,
            headers.get(TRAN_ID).and_then(|v| v.to_str().ok()),
        )
        .map(|_| ())
    }) {
        return OAuthError::new("invalid_request", e).into_response();
    }
    let get = |k: &str| form.get(k).cloned().unwrap_or_default();
    let req = if refresh {
        TokenRequest::RefreshToken {
            org_code: get("org_code"),
            refresh_token: get("refresh_token"),
            client_id: get("client_id"),
            client_secret: get("client_secret"),
        }
    } else {
        TokenRequest::AuthorizationCode {
            org_code: get("org_code"),
            code: get("code"),
            client_id: get("client_id"),
            client_secret: get("client_secret"),
            redirect_uri: get("redirect_uri"),
        }
    };
    match app.grantor(ns).grant(req) {
        Ok(g) => {
            let body = TokenBody {
                token_type: "Bearer",
                access_token: g.access_token,
                expires_in: g.expires_in.to_string(),
                refresh_token: g.refresh.as_ref().map(|r| r.0.clone()),
                refresh_token_expires_in: g.refresh.as_ref().map(|r| r.1.to_string()),
                scope: g.refresh.is_some().then_some(g.scope),
            };
            let bytes = serde_json::to_vec(&body).expect("token body serializes");
            let mut res = json_response(StatusCode::OK, bytes);
            res.headers_mut().insert(
                header::CACHE_CONTROL,
                header::HeaderValue::from_static("no-store"),
            );
            res
        }
        Err(e) => e.into_response(),
    }
}

/// 개별인증-004 `POST /oauth/2.0/revoke` (§2.2.5).
pub async fn revoke(
    State(app): State<AppState>,
    Extension(Ns(ns)): Extension<Ns>,
    headers: HeaderMap,
    body: Result<Bytes, BytesRejection>,
) -> Response {
    let entry = spec_entry(&app, "개별인증-004");
    let res = match form_body(&headers, body) {
        Err(e) => e.into_response(),
        Ok(form) => {
            let checked = check_params(entry, &form, &headers).and_then(|_| {
                check_tran_id(
                    &app.spec,
                    headers.get(TRAN_ID).and_then(|v| v.to_str().ok()),
                )
                .map(|_| ())
            });
            let get = |k: &str| form.get(k).cloned().unwrap_or_default();
            match checked {
                Err(e) => OAuthError::new("invalid_request", e).into_response(),
                Ok(()) => match app.grantor(&ns).revoke(
                    &get("org_code"),
                    &get("token"),
                    &get("client_id"),
                    &get("client_secret"),
                ) {
                    Err(e) => e.into_response(),
                    Ok(()) => {
                        let msg = app
                            .spec
                            .rsp("00000")
                            .map(|r| r.msg.as_str())
                            .unwrap_or_default();
                        let body = serde_json::json!({ "rsp_code": "00000", "rsp_msg": msg });
                        let mut res = json_response(StatusCode::OK, body.to_string().into_bytes());
                        res.extensions_mut().insert(AnsweredCode("00000"));
                        res
                    }
                },
            }
        }
    };
    labelled(res, entry)
}

/// A wrong method on an auth endpoint (§2.5 `method_not_allowed`).
pub async fn method_not_allowed() -> Response {
    OAuthError::new(
        "method_not_allowed",
        "this endpoint does not accept that HTTP method",
    )
    .into_response()
}
