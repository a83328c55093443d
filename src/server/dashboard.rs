//! The testbed dashboard at `/__testbed/`: a server-rendered page over the admin helpers — a
//! namespace's virtual clock, scenarios, live journal, scorecard and the fixture customers.
//!
//! Log in with `GET /__testbed/?token=…` (the link the server prints) or the login form: the
//! token goes into an HttpOnly, SameSite=Strict cookie and the browser is sent back to
//! `/__testbed/`, so the token leaves the address bar. Forms post to `/__testbed/ui/…` and are
//! redirected back (post/redirect/get); a post needs the cookie and must come from the
//! dashboard's own origin. The journal table polls `/__testbed/ui/journal-rows` once a second
//! and prepends the new rows, rendered by the same template as the page.

use askama::Template;
use axum::Router;
use axum::extract::rejection::QueryRejection;
use axum::extract::{Form, FromRequestParts, Path, Query, RawQuery, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, HeaderValue, StatusCode, header};
use axum::response::{Html, IntoResponse, Redirect, Response};
use axum::routing::{get, post};
use serde::Deserialize;
use serde_json::{Value, json};

use super::admin::{
    self, ADMIN_COOKIE, PREFIX, SetClock, apply_set_clock, cookie, parse_duration, presented_token,
    same_token,
};
use super::auth::jwt::random_token;
use super::dangerous::{Fault, KINDS, Match, Scenario, ScenarioSpec};
use super::state::AppState;
use crate::testbed::journal::{self, Entry, Filter, Summary, Verdict};
use crate::testbed::{DEFAULT_NAMESPACE, Namespace, check_name};

/// Where the dashboard's own endpoints live.
const UI: &str = "/__testbed/ui";
/// A one-shot message for the page after a form post.
const FLASH_COOKIE: &str = "testbed_flash";
/// Journal rows on the page, and at most per live update.
const PAGE_ROWS: usize = 100;
const LIVE_ROWS: usize = 200;
/// A row's detail shows this much of the (masked) response body.
const DETAIL_RESPONSE_CHARS: usize = 2000;

/// The dashboard's routes, merged next to the admin API (outside the protocol layer).
pub fn routes() -> Router<AppState> {
    Router::new()
        .route(PREFIX, get(add_slash))
        .route(&format!("{PREFIX}/"), get(page))
        .route(&format!("{UI}/login"), post(login_submit))
        .route(&format!("{UI}/logout"), post(logout))
        .route(&format!("{UI}/journal-rows"), get(journal_rows))
        .route(&format!("{UI}/clock/advance"), post(clock_advance))
        .route(&format!("{UI}/clock/set"), post(clock_set))
        .route(&format!("{UI}/clock/reset"), post(clock_reset))
        .route(&format!("{UI}/scenarios/rsp-code"), post(add_rsp_code))
        .route(&format!("{UI}/scenarios/json"), post(add_json))
        .route(&format!("{UI}/scenarios/{{id}}/toggle"), post(toggle))
        .route(&format!("{UI}/scenarios/{{id}}/delete"), post(delete))
}

// ---------------------------------------------------------------------------------------------
// Access: the cookie, the same-origin check, the response headers.

/// Whether a request comes from the dashboard's own origin: its `Origin` (or, without one,
/// `Sec-Fetch-Site`, then `Referer`) names the `Host` it was sent to or the configured public
/// URL. A request with none of them (a script, not a browser) passes; it still needs the cookie.
pub fn same_origin(headers: &HeaderMap, public_url: Option<&str>) -> bool {
    let get = |name: header::HeaderName| headers.get(name).and_then(|v| v.to_str().ok());
    let host = get(header::HOST);
    let ours = |origin: &str| {
        let origin = origin.trim_end_matches('/');
        let authority = origin
            .strip_prefix("http://")
            .or_else(|| origin.strip_prefix("https://"));
        let by_host = matches!((authority, host), (Some(a), Some(h)) if a.eq_ignore_ascii_case(h));
        let by_public = public_url.is_some_and(|p| origin_of(p).eq_ignore_ascii_case(origin));
        by_host || by_public
    };
    if let Some(origin) = get(header::ORIGIN) {
        return ours(origin);
    }
    if let Some(site) = headers.get("sec-fetch-site").and_then(|v| v.to_str().ok()) {
        return site == "same-origin" || site == "none";
    }
    if let Some(referer) = get(header::REFERER) {
        return ours(origin_of(referer));
    }
    true
}

/// `scheme://authority` of a URL.
fn origin_of(url: &str) -> &str {
    let start = url.find("://").map_or(0, |i| i + 3);
    let end = url[start..].find('/').map_or(url.len(), |i| start + i);
    &url[..end]
}

fn token_ok(app: &AppState, token: &str) -> bool {
    same_token(token, app.settings.admin_token.expose())
}

/// Extractor for the dashboard's posts: same origin, and the admin cookie.
#[derive(Debug, Clone, Copy)]
pub struct UiWrite;

impl FromRequestParts<AppState> for UiWrite {
    type Rejection = Response;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, Response> {
        if !same_origin(&parts.headers, app.settings.public_url.as_deref()) {
            return Err(refused());
        }
        match cookie(&parts.headers, ADMIN_COOKIE) {
            Some(t) if token_ok(app, t) => Ok(UiWrite),
            _ => Err(see_other(&format!("{PREFIX}/"), None)),
        }
    }
}

fn refused() -> Response {
    hardened(
        (
            StatusCode::FORBIDDEN,
            "refused: a dashboard form must be posted from the dashboard's own origin",
        )
            .into_response(),
        None,
    )
}

/// No caching, no framing, no foreign scripts (the page's own inline script carries `nonce`).
fn hardened(mut res: Response, nonce: Option<&str>) -> Response {
    let h = res.headers_mut();
    let script = nonce.map_or_else(|| "'none'".to_owned(), |n| format!("'nonce-{n}'"));
    let csp = format!(
        "default-src 'none'; script-src {script}; style-src 'unsafe-inline'; connect-src 'self'; \
         form-action 'self'; frame-ancestors 'none'; base-uri 'none'"
    );
    let pairs = [
        (header::CACHE_CONTROL, "no-store".to_owned()),
        (header::X_FRAME_OPTIONS, "DENY".to_owned()),
        (header::X_CONTENT_TYPE_OPTIONS, "nosniff".to_owned()),
        (header::REFERRER_POLICY, "same-origin".to_owned()),
        (header::CONTENT_SECURITY_POLICY, csp),
    ];
    for (name, value) in pairs {
        if let Ok(v) = HeaderValue::from_str(&value) {
            h.insert(name, v);
        }
    }
    res
}

fn render(t: &impl Template, status: StatusCode, nonce: Option<&str>) -> Response {
    let res = match t.render() {
        Ok(html) => (status, Html(html)).into_response(),
        Err(e) => {
            tracing::error!(error = %e, "dashboard template rendering failed");
            (
                StatusCode::INTERNAL_SERVER_ERROR,
                Html("template error".to_owned()),
            )
                .into_response()
        }
    };
    hardened(res, nonce)
}

/// 303 to `location`, optionally with cookies to set.
fn see_other(location: &str, cookies: Option<Vec<String>>) -> Response {
    let mut res = Redirect::to(location).into_response();
    for c in cookies.unwrap_or_default() {
        if let Ok(v) = HeaderValue::from_str(&c) {
            res.headers_mut().append(header::SET_COOKIE, v);
        }
    }
    hardened(res, None)
}

fn cookie_attrs(app: &AppState) -> &'static str {
    let https = app
        .settings
        .public_url
        .as_deref()
        .is_some_and(|u| u.starts_with("https://"));
    if https {
        "; Path=/__testbed; HttpOnly; SameSite=Strict; Secure"
    } else {
        "; Path=/__testbed; HttpOnly; SameSite=Strict"
    }
}

/// The page of a namespace (the default one is the bare URL).
fn page_url(ns: &str, anchor: &str) -> String {
    let q = if ns == DEFAULT_NAMESPACE || check_name(ns).is_err() {
        String::new()
    } else {
        format!("?ns={ns}")
    };
    format!("{PREFIX}/{q}{anchor}")
}

/// Back to the page after a post, with a message for it.
fn back(app: &AppState, ns: &str, anchor: &str, outcome: Result<String, String>) -> Response {
    let (kind, text) = match outcome {
        Ok(t) => ("ok", t),
        Err(t) => ("error", t),
    };
    let text: String = text.chars().take(400).collect();
    let value: String =
        form_urlencoded::byte_serialize(format!("{kind}:{text}").as_bytes()).collect();
    let flash = format!("{FLASH_COOKIE}={value}; Max-Age=60{}", cookie_attrs(app));
    see_other(&page_url(ns, anchor), Some(vec![flash]))
}

/// A message left by the last post.
struct Flash {
    ok: bool,
    text: String,
}

fn read_flash(headers: &HeaderMap) -> Option<Flash> {
    let raw = cookie(headers, FLASH_COOKIE)?;
    let decoded: String = form_urlencoded::parse(format!("f={raw}").as_bytes())
        .next()
        .map(|(_, v)| v.into_owned())?;
    let (kind, text) = decoded.split_once(':')?;
    Some(Flash {
        ok: kind == "ok",
        text: text.to_owned(),
    })
}

/// Whether a token can travel in a cookie as it is (cookie-octets, RFC 6265 §4.1.1).
fn cookie_safe(token: &str) -> bool {
    token
        .bytes()
        .all(|b| (0x21..=0x7e).contains(&b) && !b"\",;\\".contains(&b))
}

// ---------------------------------------------------------------------------------------------
// Login.

#[derive(Template)]
#[template(path = "dashboard_login.html")]
struct LoginPage {
    error: Option<String>,
    ns: String,
}

fn login_page(ns: &str, error: Option<String>, status: StatusCode) -> Response {
    let page = LoginPage {
        error,
        ns: ns.to_owned(),
    };
    render(&page, status, None)
}

/// Checks a token; on success, the cookie and a 303 to the page (the token leaves the URL).
fn log_in(app: &AppState, token: &str, ns: &str) -> Response {
    if !token_ok(app, token) {
        return login_page(
            ns,
            Some("그 토큰은 관리 토큰이 아닙니다 (the admin token is wrong)".to_owned()),
            StatusCode::UNAUTHORIZED,
        );
    }
    if !cookie_safe(token) {
        return login_page(
            ns,
            Some(
                "이 토큰은 쿠키에 담을 수 없습니다: 공백, 쉼표, 세미콜론, 따옴표가 없는 토큰으로 서버를 시작하세요 (--admin-token)"
                    .to_owned(),
            ),
            StatusCode::BAD_REQUEST,
        );
    }
    let set = format!("{ADMIN_COOKIE}={token}{}", cookie_attrs(app));
    see_other(&page_url(ns, ""), Some(vec![set]))
}

#[derive(Debug, Default, Deserialize)]
struct LoginForm {
    #[serde(default)]
    token: String,
    #[serde(default)]
    ns: String,
}

async fn login_submit(
    State(app): State<AppState>,
    headers: HeaderMap,
    Form(f): Form<LoginForm>,
) -> Response {
    if !same_origin(&headers, app.settings.public_url.as_deref()) {
        return refused();
    }
    log_in(&app, f.token.trim(), &f.ns)
}

async fn logout(_: UiWrite, State(app): State<AppState>) -> Response {
    let attrs = cookie_attrs(&app);
    see_other(
        &format!("{PREFIX}/"),
        Some(vec![
            format!("{ADMIN_COOKIE}=; Max-Age=0{attrs}"),
            format!("{FLASH_COOKIE}=; Max-Age=0{attrs}"),
        ]),
    )
}

async fn add_slash(RawQuery(q): RawQuery) -> Response {
    let to = match q {
        Some(q) => format!("{PREFIX}/?{q}"),
        None => format!("{PREFIX}/"),
    };
    hardened(Redirect::to(&to).into_response(), None)
}

// ---------------------------------------------------------------------------------------------
// The page.

#[derive(Debug, Default, Deserialize)]
struct PageQuery {
    #[serde(default)]
    ns: Option<String>,
    #[serde(default)]
    token: Option<String>,
    #[serde(default)]
    api_id: Option<String>,
    #[serde(default)]
    customer: Option<String>,
    #[serde(default)]
    verdict: Option<String>,
}

/// The journal filters of the page and of its live updates; empty means any.
#[derive(Debug, Clone, Default)]
struct JournalFilter {
    api_id: String,
    customer: String,
    verdict: String,
}

impl JournalFilter {
    fn new(api_id: Option<String>, customer: Option<String>, verdict: Option<String>) -> Self {
        let clean = |s: Option<String>| s.map(|s| s.trim().to_owned()).unwrap_or_default();
        let verdict = clean(verdict);
        JournalFilter {
            api_id: clean(api_id),
            customer: clean(customer),
            verdict: if verdict.parse::<Verdict>().is_ok() {
                verdict
            } else {
                String::new()
            },
        }
    }

    fn filter(&self, after: Option<u64>, limit: usize) -> Filter {
        let some = |s: &str| Some(s.to_owned()).filter(|s| !s.is_empty());
        Filter {
            customer: some(&self.customer),
            api_id: some(&self.api_id),
            client_id: None,
            verdict: self.verdict.parse().ok(),
            after,
            limit: Some(limit),
        }
    }

    fn is_empty(&self) -> bool {
        self.api_id.is_empty() && self.customer.is_empty() && self.verdict.is_empty()
    }
}

struct NsItem {
    name: String,
    selected: bool,
    entries: usize,
    scenarios: usize,
}

struct ClockInfo {
    now: String,
    dtime: String,
    today: String,
    weekday: String,
    offset: String,
    shifted: bool,
}

impl ClockInfo {
    fn of(ns: &Namespace) -> Self {
        let now = ns.clock.now_kst();
        let secs = ns.clock.offset().num_seconds();
        let (sign, abs) = if secs < 0 { ("-", -secs) } else { ("+", secs) };
        let offset = if secs == 0 {
            "0 (서버 시계)".to_owned()
        } else {
            format!(
                "{sign}{}d {:02}:{:02}:{:02} ({secs}s)",
                abs / 86_400,
                abs % 86_400 / 3600,
                abs % 3600 / 60,
                abs % 60
            )
        };
        ClockInfo {
            now: now.format("%Y-%m-%d %H:%M:%S %:z").to_string(),
            dtime: ns.clock.dtime(),
            today: now.format("%Y%m%d").to_string(),
            weekday: now.format("%A").to_string(),
            offset,
            shifted: secs != 0,
        }
    }
}

struct ScenarioRow {
    id: u64,
    kind: &'static str,
    params: String,
    matcher: String,
    enabled: bool,
    hits: u64,
    applied: String,
    note: String,
    created: String,
    action: bool,
}

impl ScenarioRow {
    fn of(s: &Scenario) -> Self {
        let mut params = serde_json::to_value(&s.spec.fault).unwrap_or_default();
        if let Some(o) = params.as_object_mut() {
            o.remove("kind");
        }
        let matcher = serde_json::to_value(&s.spec.matcher).unwrap_or_default();
        ScenarioRow {
            id: s.id,
            kind: s.spec.fault.kind(),
            params: pairs(&params),
            matcher: match pairs(&matcher) {
                m if m.is_empty() => "모든 호출 (any call)".to_owned(),
                m => m,
            },
            enabled: s.enabled(),
            hits: s.hits(),
            applied: s.applied.clone().unwrap_or_default(),
            note: s.spec.note.clone(),
            created: s.created.clone(),
            action: s.spec.fault.is_action(),
        }
    }
}

/// `a=1 b=x` from a flat JSON object (nested values as JSON).
fn pairs(v: &Value) -> String {
    v.as_object()
        .map(|o| {
            o.iter()
                .map(|(k, v)| match v {
                    Value::String(s) => format!("{k}={s}"),
                    other => format!("{k}={other}"),
                })
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default()
}

struct CodeOption {
    code: String,
    http: u16,
    msg: String,
}

struct CustomerView {
    id: String,
    name: String,
    note: String,
    holdings: Vec<HoldingView>,
}

struct HoldingView {
    industry: String,
    org_code: String,
    items: String,
    assets: Vec<AssetView>,
}

struct AssetView {
    id: String,
    label: String,
    state: String,
    key: String,
}

/// The customers as [`admin::customers_view`] lists them.
fn customers(app: &AppState) -> Vec<CustomerView> {
    #[derive(Deserialize)]
    struct C {
        id: String,
        name: String,
        #[serde(default)]
        note: String,
        providers: Vec<H>,
    }
    #[derive(Deserialize)]
    struct H {
        industry: String,
        org_code: String,
        #[serde(default)]
        customer_items: Vec<String>,
        assets: Vec<A>,
    }
    #[derive(Deserialize)]
    struct A {
        id: String,
        #[serde(default)]
        label: String,
        #[serde(default)]
        state: String,
        #[serde(default)]
        key: Value,
    }
    let mut all = admin::customers_view(app);
    let list: Vec<C> = serde_json::from_value(all["customers"].take()).unwrap_or_default();
    list.into_iter()
        .map(|c| CustomerView {
            id: c.id,
            name: c.name,
            note: c.note,
            holdings: c
                .providers
                .into_iter()
                .map(|h| HoldingView {
                    industry: h.industry,
                    org_code: h.org_code,
                    items: h.customer_items.join(" "),
                    assets: h
                        .assets
                        .into_iter()
                        .map(|a| AssetView {
                            id: a.id,
                            label: a.label,
                            state: a.state,
                            key: pairs(&a.key),
                        })
                        .collect(),
                })
                .collect(),
        })
        .collect()
}

/// The scorecard as the page shows it.
struct Score {
    calls: usize,
    pass: usize,
    warn: usize,
    fail: usize,
    score: String,
    findings: Vec<FindingCountView>,
    by_api: Vec<journal::ApiCount>,
    unused: Vec<journal::UnusedScopes>,
    capacity: usize,
}

struct FindingCountView {
    kind: &'static str,
    clause: &'static str,
    severity: &'static str,
    count: usize,
}

impl Score {
    fn of(s: Summary) -> Self {
        let v = |k: &str| s.verdicts.get(k).copied().unwrap_or(0);
        Score {
            calls: s.calls,
            pass: v("pass"),
            warn: v("warn"),
            fail: v("fail"),
            score: format!("{:.1}", s.score),
            findings: s
                .findings
                .iter()
                .map(|f| FindingCountView {
                    kind: f.kind.name(),
                    clause: f.clause,
                    severity: f.severity.name(),
                    count: f.count,
                })
                .collect(),
            by_api: s.by_api,
            unused: s.unused_scopes,
            capacity: s.journal_capacity,
        }
    }

    fn live(&self) -> Value {
        json!({
            "calls": self.calls,
            "pass": self.pass,
            "warn": self.warn,
            "fail": self.fail,
            "score": self.score,
        })
    }
}

/// One journal row (secrets masked in the detail, as the admin API masks them).
struct JournalRow {
    seq: u64,
    at: String,
    at_short: String,
    method: String,
    path: String,
    api_id: String,
    customer: String,
    status: u16,
    rsp_code: String,
    rsp_msg: String,
    verdict: &'static str,
    findings: Vec<FindingView>,
    scenarios: Vec<String>,
    scenarios_attr: String,
    detail: String,
}

struct FindingView {
    kind: &'static str,
    clause: &'static str,
    severity: &'static str,
    message: String,
}

impl JournalRow {
    fn of(e: &Entry, app: &AppState) -> Self {
        let d = &e.draft;
        let mut view = journal::view(e, &app.masker, false);
        if let Some(o) = view.as_object_mut() {
            o.remove("findings");
            if let Some(r) = o.get_mut("response") {
                let text = r.to_string();
                if text.chars().count() > DETAIL_RESPONSE_CHARS {
                    let cut: String = text.chars().take(DETAIL_RESPONSE_CHARS).collect();
                    *r = Value::String(format!(
                        "{cut}… ({} bytes; the admin API's journal has it all)",
                        text.len()
                    ));
                }
            }
        }
        let at = d.at();
        let at_short = match at.len() {
            14 => format!(
                "{}-{} {}:{}:{}",
                &at[4..6],
                &at[6..8],
                &at[8..10],
                &at[10..12],
                &at[12..14]
            ),
            _ => at.clone(),
        };
        JournalRow {
            seq: e.seq,
            at,
            at_short,
            method: d.request.method().to_owned(),
            path: d.request.path().to_owned(),
            api_id: d.api_id.as_deref().unwrap_or_default().to_owned(),
            customer: d.customer().unwrap_or_default().to_owned(),
            status: d.status,
            rsp_code: d.rsp_code.as_deref().unwrap_or_default().to_owned(),
            rsp_msg: d.rsp_msg.clone().unwrap_or_default(),
            verdict: e.verdict.name(),
            findings: d
                .findings
                .iter()
                .map(|f| FindingView {
                    kind: f.kind.name(),
                    clause: f.clause,
                    severity: f.severity.name(),
                    message: f.message.clone(),
                })
                .collect(),
            scenarios: d.scenarios.clone(),
            scenarios_attr: d.scenarios.join(" "),
            detail: serde_json::to_string_pretty(&view).unwrap_or_default(),
        }
    }
}

#[derive(Template)]
#[template(path = "dashboard.html")]
struct DashboardPage {
    ns: String,
    namespaces: Vec<NsItem>,
    clock: ClockInfo,
    scenarios: Vec<ScenarioRow>,
    kinds: &'static [&'static str],
    codes: Vec<CodeOption>,
    apis: Vec<String>,
    customers: Vec<CustomerView>,
    filter: JournalFilter,
    filtered: bool,
    rows: Vec<JournalRow>,
    last_seq: u64,
    journal_on: bool,
    journal_len: usize,
    page_rows: usize,
    score: Score,
    flash: Option<Flash>,
    nonce: String,
}

#[derive(Template)]
#[template(path = "dashboard_rows.html")]
struct RowsFragment {
    rows: Vec<JournalRow>,
}

/// The APIs a scenario can match: those of the industries served, by label.
fn api_labels(app: &AppState) -> Vec<String> {
    app.spec
        .apis
        .iter()
        .filter(|e| {
            e.industry
                .as_deref()
                .is_some_and(|i| app.fixtures.provider(i).is_some())
        })
        .map(|e| e.label())
        .collect()
}

async fn page(
    State(app): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<PageQuery>, QueryRejection>,
) -> Response {
    let q = query.map(|Query(q)| q).unwrap_or_default();
    let name =
        q.ns.clone()
            .map(|n| n.trim().to_owned())
            .filter(|n| !n.is_empty())
            .unwrap_or_else(|| DEFAULT_NAMESPACE.to_owned());
    if let Some(token) = q.token.as_deref() {
        return log_in(&app, token.trim(), &name);
    }
    match presented_token(&headers) {
        Some(t) if token_ok(&app, &t) => {}
        Some(_) => {
            return login_page(
                &name,
                Some(
                    "저장된 토큰이 맞지 않습니다 (서버가 새 토큰으로 다시 시작했나요?)".to_owned(),
                ),
                StatusCode::UNAUTHORIZED,
            );
        }
        None => return login_page(&name, None, StatusCode::OK),
    }
    let ns = match app.namespaces.get_or_create(&name) {
        Ok(ns) => ns,
        Err(e) => return back(&app, DEFAULT_NAMESPACE, "", Err(e.to_string())),
    };
    let flash = read_flash(&headers);
    let had_flash = flash.is_some();
    let filter = JournalFilter::new(q.api_id, q.customer, q.verdict);
    let nonce = random_token(12);
    let page = DashboardPage {
        ns: ns.name.to_string(),
        namespaces: app
            .namespaces
            .list()
            .iter()
            .map(|n| NsItem {
                name: n.name.to_string(),
                selected: n.name == ns.name,
                entries: n.journal.len(),
                scenarios: n.scenarios.list().len(),
            })
            .collect(),
        clock: ClockInfo::of(&ns),
        scenarios: ns
            .scenarios
            .list()
            .iter()
            .map(|s| ScenarioRow::of(s))
            .collect(),
        kinds: &KINDS,
        codes: app
            .spec
            .rsp_codes()
            .filter(|r| r.code != "00000")
            .map(|r| CodeOption {
                code: r.code.clone(),
                http: r.http,
                msg: r.msg.clone(),
            })
            .collect(),
        apis: api_labels(&app),
        customers: customers(&app),
        filtered: !filter.is_empty(),
        last_seq: ns.journal.last_seq(),
        rows: ns
            .journal
            .query(&filter.filter(None, PAGE_ROWS))
            .iter()
            .map(|e| JournalRow::of(e, &app))
            .collect(),
        filter,
        journal_on: ns.journal.enabled(),
        journal_len: ns.journal.len(),
        page_rows: PAGE_ROWS,
        score: Score::of(admin::summary(&ns)),
        flash,
        nonce: nonce.clone(),
    };
    let mut res = render(&page, StatusCode::OK, Some(&nonce));
    if had_flash
        && let Ok(v) =
            HeaderValue::from_str(&format!("{FLASH_COOKIE}=; Max-Age=0{}", cookie_attrs(&app)))
    {
        res.headers_mut().append(header::SET_COOKIE, v);
    }
    res
}

#[derive(Debug, Default, Deserialize)]
struct RowsQuery {
    #[serde(default)]
    ns: Option<String>,
    #[serde(default)]
    after: Option<u64>,
    #[serde(default)]
    api_id: Option<String>,
    #[serde(default)]
    customer: Option<String>,
    #[serde(default)]
    verdict: Option<String>,
}

/// The live update: rows newer than `after` (as HTML, newest first), the newest sequence number
/// and the scorecard's counts.
async fn journal_rows(
    State(app): State<AppState>,
    headers: HeaderMap,
    query: Result<Query<RowsQuery>, QueryRejection>,
) -> Response {
    let json_res =
        |status: StatusCode, v: Value| hardened((status, axum::Json(v)).into_response(), None);
    if !presented_token(&headers).is_some_and(|t| token_ok(&app, &t)) {
        return json_res(
            StatusCode::UNAUTHORIZED,
            json!({"error": "unauthorized", "message": "log in to the dashboard again"}),
        );
    }
    let Ok(Query(q)) = query else {
        return json_res(
            StatusCode::BAD_REQUEST,
            json!({"error": "bad_request", "message": "ns, after, api_id, customer, verdict"}),
        );
    };
    let name = q.ns.as_deref().unwrap_or(DEFAULT_NAMESPACE);
    let Some(ns) = app.namespaces.get(name) else {
        return json_res(StatusCode::OK, json!({"last_seq": 0, "html": ""}));
    };
    // Read before the query: every entry up to it is in the query's snapshot.
    let before = ns.journal.last_seq();
    let filter = JournalFilter::new(q.api_id, q.customer, q.verdict);
    let entries = ns.journal.query(&filter.filter(q.after, LIVE_ROWS));
    let last_seq = entries.first().map_or(before, |e| e.seq.max(before));
    let html = if entries.is_empty() {
        String::new()
    } else {
        let rows = entries.iter().map(|e| JournalRow::of(e, &app)).collect();
        match (RowsFragment { rows }).render() {
            Ok(h) => h,
            Err(e) => {
                tracing::error!(error = %e, "dashboard rows rendering failed");
                return json_res(
                    StatusCode::INTERNAL_SERVER_ERROR,
                    json!({"error": "template", "message": "rows could not be rendered"}),
                );
            }
        }
    };
    // The scorecard only moves with new entries (it reads the whole journal: not every second).
    let score = if q.after.is_some_and(|a| before <= a) {
        Value::Null
    } else {
        Score::of(admin::summary(&ns)).live()
    };
    json_res(
        StatusCode::OK,
        json!({ "last_seq": last_seq, "html": html, "score": score }),
    )
}

// ---------------------------------------------------------------------------------------------
// Forms.

#[derive(Debug, Default, Deserialize)]
struct NsForm {
    #[serde(default)]
    ns: String,
}

#[derive(Debug, Default, Deserialize)]
struct AdvanceForm {
    #[serde(default)]
    ns: String,
    #[serde(default)]
    by: String,
}

#[derive(Debug, Default, Deserialize)]
struct SetForm {
    #[serde(default)]
    ns: String,
    #[serde(default)]
    at: String,
}

#[derive(Debug, Default, Deserialize)]
struct RspCodeForm {
    #[serde(default)]
    ns: String,
    #[serde(default)]
    code: String,
    #[serde(default)]
    api_id: String,
    #[serde(default)]
    customer: String,
    #[serde(default)]
    asset: String,
    #[serde(default)]
    note: String,
    #[serde(default)]
    enabled: Option<String>,
}

#[derive(Debug, Default, Deserialize)]
struct JsonForm {
    #[serde(default)]
    ns: String,
    #[serde(default)]
    spec: String,
}

#[derive(Debug, Default, Deserialize)]
struct ToggleForm {
    #[serde(default)]
    ns: String,
    #[serde(default)]
    enabled: String,
}

/// The namespace a form names (the default one when it names none).
fn form_ns(app: &AppState, name: &str) -> Result<std::sync::Arc<Namespace>, String> {
    let name = match name.trim() {
        "" => DEFAULT_NAMESPACE,
        n => n,
    };
    app.namespaces
        .get_or_create(name)
        .map_err(|e| e.to_string())
}

/// Runs a form's action on its namespace and goes back to the page.
fn act(
    app: &AppState,
    ns: &str,
    anchor: &str,
    f: impl FnOnce(&Namespace) -> Result<String, String>,
) -> Response {
    match form_ns(app, ns) {
        Ok(n) => {
            let outcome = f(&n);
            back(app, &n.name, anchor, outcome)
        }
        Err(e) => back(app, DEFAULT_NAMESPACE, anchor, Err(e)),
    }
}

fn clock_now(ns: &Namespace) -> String {
    ClockInfo::of(ns).now
}

async fn clock_advance(
    _: UiWrite,
    State(app): State<AppState>,
    Form(f): Form<AdvanceForm>,
) -> Response {
    act(&app, &f.ns, "#clock", |ns| {
        let by = parse_duration(&f.by)?;
        ns.clock.advance(by);
        Ok(format!(
            "시계를 {} 옮겼습니다: {}",
            f.by.trim(),
            clock_now(ns)
        ))
    })
}

async fn clock_set(_: UiWrite, State(app): State<AppState>, Form(f): Form<SetForm>) -> Response {
    act(&app, &f.ns, "#clock", |ns| {
        let at = f.at.trim().to_owned();
        let body = if at.contains('T') || at.contains('-') {
            SetClock {
                now: Some(at),
                dtime: None,
                reset: false,
            }
        } else {
            SetClock {
                now: None,
                dtime: Some(at),
                reset: false,
            }
        };
        apply_set_clock(ns, &body).map_err(|e| e.message)?;
        Ok(format!("시계를 맞췄습니다: {}", clock_now(ns)))
    })
}

async fn clock_reset(_: UiWrite, State(app): State<AppState>, Form(f): Form<NsForm>) -> Response {
    act(&app, &f.ns, "#clock", |ns| {
        let body = SetClock {
            now: None,
            dtime: None,
            reset: true,
        };
        apply_set_clock(ns, &body).map_err(|e| e.message)?;
        Ok(format!("서버 시계로 돌아왔습니다: {}", clock_now(ns)))
    })
}

fn added(s: &Scenario) -> String {
    let state = if s.enabled() {
        "켜짐 (on)"
    } else {
        "꺼짐 (off)"
    };
    match &s.applied {
        Some(a) => format!(
            "시나리오 #{} {} 추가, {state}: {a}",
            s.id,
            s.spec.fault.kind()
        ),
        None => format!("시나리오 #{} {} 추가, {state}", s.id, s.spec.fault.kind()),
    }
}

async fn add_rsp_code(
    _: UiWrite,
    State(app): State<AppState>,
    Form(f): Form<RspCodeForm>,
) -> Response {
    let opt = |s: &str| Some(s.trim().to_owned()).filter(|s| !s.is_empty());
    let spec = ScenarioSpec {
        fault: Fault::RspCode {
            code: f.code.trim().to_owned(),
        },
        matcher: Match {
            api_id: opt(&f.api_id),
            customer: opt(&f.customer),
            asset: opt(&f.asset),
            ..Match::default()
        },
        enabled: f.enabled.is_some(),
        note: f.note.trim().to_owned(),
    };
    let app2 = app.clone();
    act(&app, &f.ns, "#scenarios", move |ns| {
        admin::create_scenario(&app2, ns, spec)
            .map(|s| added(&s))
            .map_err(|e| e.message)
    })
}

async fn add_json(_: UiWrite, State(app): State<AppState>, Form(f): Form<JsonForm>) -> Response {
    let app2 = app.clone();
    act(&app, &f.ns, "#scenarios", move |ns| {
        let spec: ScenarioSpec = serde_json::from_str(f.spec.trim())
            .map_err(|e| format!("시나리오 JSON을 읽을 수 없습니다: {e}"))?;
        admin::create_scenario(&app2, ns, spec)
            .map(|s| added(&s))
            .map_err(|e| e.message)
    })
}

async fn toggle(
    _: UiWrite,
    State(app): State<AppState>,
    Path(id): Path<u64>,
    Form(f): Form<ToggleForm>,
) -> Response {
    let on = f.enabled == "true";
    act(&app, &f.ns, "#scenarios", |ns| {
        ns.scenarios
            .set_enabled(id, on)
            .map(|s| {
                let state = if s.enabled() {
                    "켰습니다 (on)"
                } else {
                    "껐습니다 (off)"
                };
                format!("시나리오 #{id}를 {state}")
            })
            .ok_or_else(|| format!("시나리오 #{id}가 없습니다"))
    })
}

async fn delete(
    _: UiWrite,
    State(app): State<AppState>,
    Path(id): Path<u64>,
    Form(f): Form<NsForm>,
) -> Response {
    act(&app, &f.ns, "#scenarios", |ns| {
        if ns.scenarios.remove(id) {
            Ok(format!("시나리오 #{id}를 지웠습니다"))
        } else {
            Err(format!("시나리오 #{id}가 없습니다"))
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn headers(pairs: &[(&'static str, &str)]) -> HeaderMap {
        let mut h = HeaderMap::new();
        for (k, v) in pairs {
            h.insert(*k, HeaderValue::from_str(v).expect("a header value"));
        }
        h
    }

    #[test]
    fn only_the_dashboards_own_origin_may_post() {
        let host = ("host", "127.0.0.1:8080");
        assert!(same_origin(
            &headers(&[host, ("origin", "http://127.0.0.1:8080")]),
            None
        ));
        assert!(!same_origin(
            &headers(&[host, ("origin", "http://evil.example")]),
            None
        ));
        assert!(!same_origin(&headers(&[host, ("origin", "null")]), None));
        assert!(!same_origin(
            &headers(&[host, ("sec-fetch-site", "cross-site")]),
            None
        ));
        assert!(!same_origin(
            &headers(&[host, ("referer", "https://evil.example/x")]),
            None
        ));
        assert!(same_origin(
            &headers(&[host, ("referer", "http://127.0.0.1:8080/__testbed/")]),
            None
        ));
        assert!(same_origin(
            &headers(&[
                ("host", "10.0.0.5:8080"),
                ("origin", "https://testbed.example")
            ]),
            Some("https://testbed.example/base")
        ));
        assert!(same_origin(&headers(&[host]), None), "scripts send none");
    }

    #[test]
    fn flash_messages_survive_the_cookie() {
        let value: String =
            form_urlencoded::byte_serialize("error:시나리오 #3; \"x\"".as_bytes()).collect();
        assert!(cookie_safe(&value), "{value}");
        let h = headers(&[("cookie", &format!("a=b; {FLASH_COOKIE}={value}"))]);
        let f = read_flash(&h).expect("a flash");
        assert!(!f.ok);
        assert_eq!(f.text, "시나리오 #3; \"x\"");
    }

    #[test]
    fn a_token_with_separators_is_not_cookie_safe() {
        assert!(cookie_safe("abcDEF012-_.~+/="));
        assert!(!cookie_safe("abc;def"));
        assert!(!cookie_safe("abc def"));
    }
}
