//! The testbed's admin API under `/__testbed/`: namespaces, their virtual clocks, scenarios and
//! journals, and the customers the fixtures hold. Every route needs the admin token (given at
//! start-up or generated and printed once) as `Authorization: Bearer`, `x-testbed-admin-token`,
//! or the dashboard's cookie. These routes are outside the standard: they answer
//! `{error, message}`, never an `rsp_code`, and are not journaled.

use std::sync::Arc;

use axum::extract::rejection::PathRejection;
use axum::extract::{FromRequestParts, Path, Query, State};
use axum::http::request::Parts;
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{get, post};
use axum::{Json, Router};
use chrono::{DateTime, NaiveDateTime, TimeDelta};
use serde::Deserialize;
use serde_json::{Value, json};

use super::dangerous::{self, Fault, Scenario, ScenarioSpec};
use super::state::AppState;
use crate::clock::kst;
use crate::testbed::journal::{self, Filter, FindingKind, UnusedScopes};
use crate::testbed::{Namespace, NamespaceError};

/// Where the admin API and the dashboard live.
pub const PREFIX: &str = "/__testbed";
/// The header that may carry the admin token.
pub const ADMIN_HEADER: &str = "x-testbed-admin-token";
/// The dashboard's cookie holding the admin token.
pub const ADMIN_COOKIE: &str = "testbed_admin";

/// An admin API failure: an HTTP status and a sentence.
#[derive(Debug)]
pub struct AdminError {
    pub status: StatusCode,
    pub error: &'static str,
    pub message: String,
}

impl AdminError {
    pub fn new(status: StatusCode, error: &'static str, message: impl Into<String>) -> Self {
        AdminError {
            status,
            error,
            message: message.into(),
        }
    }
    pub fn bad_request(message: impl Into<String>) -> Self {
        Self::new(StatusCode::BAD_REQUEST, "bad_request", message)
    }
    pub fn not_found(message: impl Into<String>) -> Self {
        Self::new(StatusCode::NOT_FOUND, "not_found", message)
    }
}

impl IntoResponse for AdminError {
    fn into_response(self) -> Response {
        let mut res = (
            self.status,
            Json(json!({ "error": self.error, "message": self.message })),
        )
            .into_response();
        res.headers_mut()
            .insert(header::CACHE_CONTROL, "no-store".parse().expect("valid"));
        res
    }
}

impl From<NamespaceError> for AdminError {
    fn from(e: NamespaceError) -> Self {
        match e {
            NamespaceError::BadName(m) => AdminError::bad_request(m),
            NamespaceError::TooMany(_) => AdminError::new(
                StatusCode::TOO_MANY_REQUESTS,
                "too_many_namespaces",
                e.to_string(),
            ),
        }
    }
}

type AdminResult<T = Response> = Result<T, AdminError>;

/// The admin token from the request: bearer, header or cookie.
pub fn presented_token(headers: &HeaderMap) -> Option<String> {
    let bearer = headers
        .get(header::AUTHORIZATION)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.strip_prefix("Bearer "))
        .map(str::to_owned);
    let own = headers
        .get(ADMIN_HEADER)
        .and_then(|v| v.to_str().ok())
        .map(str::to_owned);
    let cookie = cookie(headers, ADMIN_COOKIE).map(str::to_owned);
    bearer.or(own).or(cookie)
}

/// The value of one cookie of the request.
pub fn cookie<'a>(headers: &'a HeaderMap, name: &str) -> Option<&'a str> {
    headers
        .get_all(header::COOKIE)
        .iter()
        .filter_map(|v| v.to_str().ok())
        .flat_map(|v| v.split(';'))
        .filter_map(|c| c.trim().split_once('='))
        .find(|(k, _)| *k == name)
        .map(|(_, v)| v)
}

/// Compares without an early exit, so timing does not reveal how much of a guess was right.
pub fn same_token(given: &str, expected: &str) -> bool {
    let (a, b) = (given.as_bytes(), expected.as_bytes());
    a.len() == b.len() && a.iter().zip(b).fold(0u8, |acc, (x, y)| acc | (x ^ y)) == 0
}

/// Extractor: the request carries the admin token.
#[derive(Debug, Clone, Copy)]
pub struct Admin;

impl FromRequestParts<AppState> for Admin {
    type Rejection = AdminError;

    async fn from_request_parts(parts: &mut Parts, app: &AppState) -> Result<Self, AdminError> {
        match presented_token(&parts.headers) {
            Some(t) if same_token(&t, app.settings.admin_token.expose()) => Ok(Admin),
            Some(_) => Err(AdminError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                "the admin token is wrong",
            )),
            None => Err(AdminError::new(
                StatusCode::UNAUTHORIZED,
                "unauthorized",
                format!(
                    "the admin API needs the admin token (Authorization: Bearer <token> or {ADMIN_HEADER}); it was printed at start-up or set with --admin-token"
                ),
            )),
        }
    }
}

/// The routes, to be merged outside the protocol layer.
pub fn routes() -> Router<AppState> {
    let ns = |p: &str| format!("{PREFIX}/namespaces/{{ns}}{p}");
    Router::new()
        .route(&format!("{PREFIX}/catalogue"), get(catalogue))
        .route(&format!("{PREFIX}/customers"), get(customers))
        .route(&format!("{PREFIX}/namespaces"), get(list_namespaces))
        .route(&ns(""), get(get_namespace).delete(delete_namespace))
        .route(&ns("/reset"), post(reset_namespace))
        .route(&ns("/clock"), get(get_clock).put(set_clock))
        .route(&ns("/clock/advance"), post(advance_clock))
        .route(
            &ns("/scenarios"),
            get(list_scenarios)
                .post(create_scenario_route)
                .delete(clear_scenarios),
        )
        .route(
            &ns("/scenarios/{id}"),
            get(get_scenario)
                .patch(patch_scenario)
                .delete(delete_scenario),
        )
        .route(&ns("/journal"), get(get_journal).delete(clear_journal))
        .route(&ns("/journal/summary"), get(get_summary))
        .route(&format!("{PREFIX}/{{*rest}}"), axum::routing::any(unknown))
}

/// Anything else under the prefix: the admin API's own 404, not the standard's 40401 (and not
/// journaled or touched by a namespace's scenarios).
async fn unknown(uri: axum::http::Uri) -> AdminError {
    AdminError::not_found(format!(
        "no testbed route {}; see the `testbed` tag of /openapi.json",
        uri.path()
    ))
}

fn namespace(app: &AppState, name: &str) -> AdminResult<Arc<Namespace>> {
    Ok(app.namespaces.get_or_create(name)?)
}

/// The clock of a namespace as the API shows it.
pub fn clock_view(ns: &Namespace) -> Value {
    let now = ns.clock.now_kst();
    json!({
        "now": now.to_rfc3339(),
        "dtime": ns.clock.dtime(),
        "today": now.format("%Y%m%d").to_string(),
        "weekday": now.format("%A").to_string(),
        "offset_seconds": ns.clock.offset().num_seconds(),
    })
}

/// A namespace's particulars.
pub fn namespace_view(ns: &Namespace) -> Value {
    let (pairs, consents) = {
        let auth = ns.auth.read();
        (auth.pairs.len(), auth.current.len())
    };
    json!({
        "name": &*ns.name,
        "clock": clock_view(ns),
        "scenarios": ns.scenarios.list().len(),
        "journal": {
            "entries": ns.journal.len(),
            "capacity": ns.journal.capacity(),
            "last_seq": ns.journal.last_seq(),
        },
        "token_pairs_issued": pairs,
        "live_consents": consents,
    })
}

async fn list_namespaces(_: Admin, State(app): State<AppState>) -> Json<Value> {
    let list: Vec<Value> = app
        .namespaces
        .list()
        .iter()
        .map(|n| namespace_view(n))
        .collect();
    Json(json!({ "namespaces": list }))
}

async fn get_namespace(
    _: Admin,
    State(app): State<AppState>,
    Path(name): Path<String>,
) -> AdminResult<Json<Value>> {
    let ns = namespace(&app, &name)?;
    Ok(Json(namespace_view(&ns)))
}

async fn delete_namespace(
    _: Admin,
    State(app): State<AppState>,
    Path(name): Path<String>,
) -> AdminResult {
    if app.namespaces.delete(&name) {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(AdminError::not_found(format!("no namespace {name}")))
    }
}

async fn reset_namespace(
    _: Admin,
    State(app): State<AppState>,
    Path(name): Path<String>,
) -> AdminResult<Json<Value>> {
    let ns = namespace(&app, &name)?;
    ns.reset();
    Ok(Json(namespace_view(&ns)))
}

async fn get_clock(
    _: Admin,
    State(app): State<AppState>,
    Path(name): Path<String>,
) -> AdminResult<Json<Value>> {
    let ns = namespace(&app, &name)?;
    Ok(Json(clock_view(&ns)))
}

/// `PUT clock`: `{"now": RFC 3339}`, `{"dtime": "YYYYMMDDhhmmss"}` (Korean time) or
/// `{"reset": true}` (back to the server's clock).
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct SetClock {
    #[serde(default)]
    pub now: Option<String>,
    #[serde(default)]
    pub dtime: Option<String>,
    #[serde(default)]
    pub reset: bool,
}

/// Sets a namespace clock; the error names the accepted forms.
pub fn apply_set_clock(ns: &Namespace, body: &SetClock) -> AdminResult<()> {
    match (body.reset, &body.now, &body.dtime) {
        (true, None, None) => ns.clock.reset(),
        (false, Some(now), None) => {
            let at = DateTime::parse_from_rfc3339(now).map_err(|e| {
                AdminError::bad_request(format!(
                    "now must be RFC 3339 like 2026-12-01T09:00:00+09:00: {e}"
                ))
            })?;
            ns.clock.set(at.to_utc());
        }
        (false, None, Some(d)) => {
            let at = NaiveDateTime::parse_from_str(d, "%Y%m%d%H%M%S")
                .ok()
                .and_then(|t| t.and_local_timezone(kst()).single())
                .ok_or_else(|| {
                    AdminError::bad_request("dtime must be YYYYMMDDhhmmss (Korean time)")
                })?;
            ns.clock.set(at.to_utc());
        }
        _ => {
            return Err(AdminError::bad_request(
                "give exactly one of now (RFC 3339), dtime (YYYYMMDDhhmmss) or reset: true",
            ));
        }
    }
    Ok(())
}

async fn set_clock(
    _: Admin,
    State(app): State<AppState>,
    Path(name): Path<String>,
    body: Result<Json<SetClock>, axum::extract::rejection::JsonRejection>,
) -> AdminResult<Json<Value>> {
    let Json(body) = body.map_err(|e| AdminError::bad_request(e.body_text()))?;
    let ns = namespace(&app, &name)?;
    apply_set_clock(&ns, &body)?;
    Ok(Json(clock_view(&ns)))
}

/// `POST clock/advance`: `{"by": "7d"}` (units s, m, h, d, w; negative goes back) or
/// `{"seconds": 604800}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Advance {
    #[serde(default)]
    pub by: Option<String>,
    #[serde(default)]
    pub seconds: Option<i64>,
}

/// Parses `7d`, `-90m`, `3600s`, `2h`, `1w`.
pub fn parse_duration(s: &str) -> Result<TimeDelta, String> {
    let s = s.trim();
    let split = s
        .find(|c: char| c.is_ascii_alphabetic())
        .ok_or_else(|| format!("`{s}` has no unit (s, m, h, d or w)"))?;
    let (n, unit) = s.split_at(split);
    let n: i64 = n
        .trim()
        .parse()
        .map_err(|_| format!("`{s}` does not start with a whole number"))?;
    let secs = match unit {
        "s" => 1,
        "m" => 60,
        "h" => 3600,
        "d" => 86_400,
        "w" => 604_800,
        _ => return Err(format!("`{unit}` is not a unit (s, m, h, d or w)")),
    };
    n.checked_mul(secs)
        .filter(|t| t.abs() <= 100 * 366 * 86_400)
        .map(TimeDelta::seconds)
        .ok_or_else(|| format!("`{s}` is too far (at most 100 years)"))
}

async fn advance_clock(
    _: Admin,
    State(app): State<AppState>,
    Path(name): Path<String>,
    body: Result<Json<Advance>, axum::extract::rejection::JsonRejection>,
) -> AdminResult<Json<Value>> {
    let Json(body) = body.map_err(|e| AdminError::bad_request(e.body_text()))?;
    let by = match (&body.by, body.seconds) {
        (Some(by), None) => parse_duration(by).map_err(AdminError::bad_request)?,
        (None, Some(s)) if s.abs() <= 100 * 366 * 86_400 => TimeDelta::seconds(s),
        _ => {
            return Err(AdminError::bad_request(
                "give by (like \"7d\", \"-2h\") or seconds (at most 100 years)",
            ));
        }
    };
    let ns = namespace(&app, &name)?;
    ns.clock.advance(by);
    Ok(Json(clock_view(&ns)))
}

async fn list_scenarios(
    _: Admin,
    State(app): State<AppState>,
    Path(name): Path<String>,
) -> AdminResult<Json<Value>> {
    let ns = namespace(&app, &name)?;
    let list: Vec<Value> = ns.scenarios.list().iter().map(|s| s.view()).collect();
    Ok(Json(json!({ "scenarios": list })))
}

/// Creates a scenario in a namespace: validates it, runs it once if it is an action (revoke a
/// token, expire a consent), and lists it.
pub fn create_scenario(
    app: &AppState,
    ns: &Namespace,
    spec: ScenarioSpec,
) -> AdminResult<Arc<Scenario>> {
    dangerous::validate(&app.spec, &spec).map_err(AdminError::bad_request)?;
    let applied = match &spec.fault {
        Fault::RevokeToken { token } => Some(revoke_now(ns, &spec, token.as_deref())?),
        Fault::ExpireConsent {} => Some(expire_now(ns, &spec)),
        _ => None,
    };
    Ok(ns.scenarios.add(spec, applied, ns.clock.dtime()))
}

/// The pairs of live consents a scenario's match names.
fn matching_pairs(auth: &crate::server::auth::store::Inner, spec: &ScenarioSpec) -> Vec<u64> {
    let m = &spec.matcher;
    let ok = |want: &Option<String>, got: &str| want.as_deref().is_none_or(|w| w == got);
    let mut ids: Vec<u64> = auth
        .current
        .iter()
        .filter(|(k, _)| {
            ok(&m.customer, &k.customer)
                && ok(&m.client_id, &k.client_id)
                && ok(&m.industry, &k.industry)
        })
        .map(|(_, id)| *id)
        .collect();
    ids.sort_unstable();
    ids
}

fn revoke_now(ns: &Namespace, spec: &ScenarioSpec, token: Option<&str>) -> AdminResult<String> {
    let mut auth = ns.auth.write();
    let pairs = match token {
        Some(t) => {
            let pair = auth
                .by_value
                .get(t)
                .and_then(|jti| auth.tokens.get(jti))
                .map(|r| r.pair)
                .ok_or_else(|| {
                    AdminError::bad_request(format!(
                        "namespace {} never issued that token",
                        ns.name
                    ))
                })?;
            vec![pair]
        }
        None => matching_pairs(&auth, spec),
    };
    for id in &pairs {
        auth.testbed_revoke_pair(*id);
    }
    Ok(format!("revoked {} token pair(s)", pairs.len()))
}

fn expire_now(ns: &Namespace, spec: &ScenarioSpec) -> String {
    let yesterday = ns.clock.today() - chrono::Days::new(1);
    let mut auth = ns.auth.write();
    let pairs = matching_pairs(&auth, spec);
    for id in &pairs {
        if let Some(pair) = auth.pairs.get_mut(id) {
            let mut consent = (*pair.consent).clone();
            consent.end_date = yesterday;
            consent.testbed_expired = true;
            pair.consent = Arc::new(consent);
        }
    }
    format!(
        "ended {} consent(s) on {}",
        pairs.len(),
        yesterday.format("%Y%m%d")
    )
}

async fn create_scenario_route(
    _: Admin,
    State(app): State<AppState>,
    Path(name): Path<String>,
    body: Result<Json<ScenarioSpec>, axum::extract::rejection::JsonRejection>,
) -> AdminResult {
    let Json(spec) = body.map_err(|e| AdminError::bad_request(e.body_text()))?;
    let ns = namespace(&app, &name)?;
    let s = create_scenario(&app, &ns, spec)?;
    Ok((StatusCode::CREATED, Json(s.view())).into_response())
}

async fn clear_scenarios(
    _: Admin,
    State(app): State<AppState>,
    Path(name): Path<String>,
) -> AdminResult {
    namespace(&app, &name)?.scenarios.clear();
    Ok(StatusCode::NO_CONTENT.into_response())
}

async fn get_scenario(
    _: Admin,
    State(app): State<AppState>,
    path: Result<Path<(String, u64)>, PathRejection>,
) -> AdminResult<Json<Value>> {
    let Path((name, id)) = path.map_err(|e| AdminError::bad_request(e.body_text()))?;
    let ns = namespace(&app, &name)?;
    ns.scenarios
        .get(id)
        .map(|s| Json(s.view()))
        .ok_or_else(|| AdminError::not_found(format!("no scenario {id} in {name}")))
}

/// `PATCH scenarios/{id}`: `{"enabled": bool}`.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Toggle {
    pub enabled: bool,
}

async fn patch_scenario(
    _: Admin,
    State(app): State<AppState>,
    path: Result<Path<(String, u64)>, PathRejection>,
    body: Result<Json<Toggle>, axum::extract::rejection::JsonRejection>,
) -> AdminResult<Json<Value>> {
    let Path((name, id)) = path.map_err(|e| AdminError::bad_request(e.body_text()))?;
    let Json(t) = body.map_err(|e| AdminError::bad_request(e.body_text()))?;
    let ns = namespace(&app, &name)?;
    ns.scenarios
        .set_enabled(id, t.enabled)
        .map(|s| Json(s.view()))
        .ok_or_else(|| AdminError::not_found(format!("no scenario {id} in {name}")))
}

async fn delete_scenario(
    _: Admin,
    State(app): State<AppState>,
    path: Result<Path<(String, u64)>, PathRejection>,
) -> AdminResult {
    let Path((name, id)) = path.map_err(|e| AdminError::bad_request(e.body_text()))?;
    let ns = namespace(&app, &name)?;
    if ns.scenarios.remove(id) {
        Ok(StatusCode::NO_CONTENT.into_response())
    } else {
        Err(AdminError::not_found(format!("no scenario {id} in {name}")))
    }
}

/// Journal query parameters: the [`Filter`]'s fields plus `unmask=true` to see secrets. (Spelt
/// out rather than flattened: serde's flatten loses the number types of a query string.)
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct JournalQuery {
    pub customer: Option<String>,
    pub api_id: Option<String>,
    pub client_id: Option<String>,
    pub verdict: Option<journal::Verdict>,
    pub after: Option<u64>,
    pub limit: Option<usize>,
    #[serde(default)]
    pub unmask: bool,
}

impl JournalQuery {
    pub fn filter(&self) -> Filter {
        Filter {
            customer: self.customer.clone().filter(|s| !s.is_empty()),
            api_id: self.api_id.clone().filter(|s| !s.is_empty()),
            client_id: self.client_id.clone().filter(|s| !s.is_empty()),
            verdict: self.verdict,
            after: self.after,
            limit: self.limit,
        }
    }
}

async fn get_journal(
    _: Admin,
    State(app): State<AppState>,
    Path(name): Path<String>,
    query: Result<Query<JournalQuery>, axum::extract::rejection::QueryRejection>,
) -> AdminResult<Json<Value>> {
    let Query(q) = query.map_err(|e| AdminError::bad_request(e.body_text()))?;
    let ns = namespace(&app, &name)?;
    let entries: Vec<Value> = ns
        .journal
        .query(&q.filter())
        .iter()
        .map(|e| journal::view(e, &app.masker, q.unmask))
        .collect();
    Ok(Json(json!({
        "namespace": &*ns.name,
        "enabled": ns.journal.enabled(),
        "last_seq": ns.journal.last_seq(),
        "entries": entries,
    })))
}

async fn clear_journal(
    _: Admin,
    State(app): State<AppState>,
    Path(name): Path<String>,
) -> AdminResult {
    namespace(&app, &name)?.journal.clear();
    Ok(StatusCode::NO_CONTENT.into_response())
}

/// Scopes each live consent asked for that no journaled call of the app needed (§2.4).
pub fn unused_scopes(ns: &Namespace) -> Vec<UnusedScopes> {
    let used = journal::scopes_used(&ns.journal.all());
    let auth = ns.auth.read();
    let mut out: Vec<UnusedScopes> = auth
        .current
        .values()
        .filter_map(|id| auth.pairs.get(id))
        .filter_map(|pair| {
            let k = &pair.consent.key;
            let used = used.get(&(k.customer.clone(), k.client_id.clone(), k.industry.clone()));
            let scopes: Vec<String> = pair
                .consent
                .scope
                .split(' ')
                .filter(|s| !s.is_empty() && used.is_none_or(|u| !u.contains(*s)))
                .map(str::to_owned)
                .collect();
            (!scopes.is_empty()).then(|| UnusedScopes {
                customer: k.customer.clone(),
                client_id: k.client_id.clone(),
                industry: k.industry.clone(),
                scopes,
            })
        })
        .collect();
    out.sort_by(|a, b| (&a.customer, &a.industry).cmp(&(&b.customer, &b.industry)));
    out
}

/// The app's scorecard for a namespace.
pub fn summary(ns: &Namespace) -> journal::Summary {
    journal::summarize(
        &ns.name,
        &ns.journal.all(),
        unused_scopes(ns),
        ns.journal.capacity(),
    )
}

async fn get_summary(
    _: Admin,
    State(app): State<AppState>,
    Path(name): Path<String>,
) -> AdminResult<Json<journal::Summary>> {
    let ns = namespace(&app, &name)?;
    Ok(Json(summary(&ns)))
}

/// What the testbed can do and grade: scenario kinds, finding kinds, the rsp_code table.
async fn catalogue(_: Admin, State(app): State<AppState>) -> Json<Value> {
    let findings: Vec<Value> = FindingKind::ALL
        .iter()
        .map(|k| json!({ "kind": k, "clause": k.clause(), "severity": k.severity() }))
        .collect();
    let codes: Vec<Value> = app
        .spec
        .rsp_codes()
        .map(|r| json!({ "code": r.code, "http": r.http, "msg": r.msg }))
        .collect();
    Json(json!({
        "scenario_kinds": dangerous::KINDS,
        "finding_kinds": findings,
        "rsp_codes": codes,
        "scenario_header": dangerous::SCENARIO_HEADER,
        "namespace_header": crate::testbed::NAMESPACE_HEADER,
    }))
}

/// The customers of the fixtures and their assets per provider.
pub fn customers_view(app: &AppState) -> Value {
    let list: Vec<Value> = app
        .fixtures
        .customers
        .iter()
        .map(|c| {
            let holdings: Vec<Value> = app
                .fixtures
                .providers
                .iter()
                .filter_map(|p| {
                    let h = app.fixtures.holding(&p.industry, &c.id)?;
                    let assets: Vec<Value> = h
                        .assets
                        .iter()
                        .map(|a| {
                            json!({
                                "id": a.id,
                                "label": a.label,
                                "state": format!("{:?}", a.state).to_lowercase(),
                                "key": a.key,
                            })
                        })
                        .collect();
                    Some(json!({
                        "industry": p.industry,
                        "org_code": p.org_code,
                        "assets": assets,
                        "customer_items": h.customer_scopes,
                    }))
                })
                .collect();
            json!({ "id": c.id, "name": c.name, "note": c.note, "providers": holdings })
        })
        .collect();
    json!({ "customers": list })
}

async fn customers(_: Admin, State(app): State<AppState>) -> Json<Value> {
    Json(customers_view(&app))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn durations_parse_with_units_and_signs() {
        assert_eq!(parse_duration("7d"), Ok(TimeDelta::days(7)));
        assert_eq!(parse_duration("-90m"), Ok(TimeDelta::minutes(-90)));
        assert_eq!(parse_duration("1w"), Ok(TimeDelta::weeks(1)));
        assert!(parse_duration("7").is_err());
        assert!(parse_duration("7y").is_err());
        assert!(parse_duration("999999999999d").is_err());
    }

    #[test]
    fn token_comparison_needs_the_whole_token() {
        assert!(same_token("abcdefgh", "abcdefgh"));
        assert!(!same_token("abcdefgX", "abcdefgh"));
        assert!(!same_token("abc", "abcdefgh"));
    }
}
