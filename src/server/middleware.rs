//! The protocol layer around every route: picks the request's namespace, renders pending
//! [`ApiError`]s and [`OAuthError`]s with the spec's HTTP status, echoes `x-api-tran-id` on every
//! response (errors included, §1.4.1), applies the namespace's wire-level scenarios, records the
//! call in the namespace's journal with its grade, and writes one access-log line per request.

use std::borrow::Cow;
use std::collections::HashMap;
use std::sync::{Arc, Mutex};
use std::time::Instant;

use axum::body::{Body, Bytes};
use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::{IntoResponse, Response};
use serde_json::json;

use super::auth::store::Consent;
use super::dangerous::{self, Facts, RequestScenario, SCENARIO_HEADER};
use super::error::{AnsweredCode, ApiError, ApiLabel, PendingApiError, PendingOAuthError};
use super::state::AppState;
use crate::spec::ApiEntry;
use crate::testbed::journal::{Draft, Finding, FindingKind, RequestText};
use crate::testbed::{NAMESPACE_HEADER, NAMESPACE_PARAM, Namespace};

/// The header every response echoes.
pub const TRAN_ID: &str = "x-api-tran-id";

/// The content type of every JSON response (§1.1).
pub const JSON_UTF8: &str = "application/json; charset=UTF-8";

/// Route path → API label, for the access log.
pub type Labels = Arc<HashMap<String, Arc<str>>>;

/// Builds a JSON response with the standard's content type.
pub fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    let body = Bytes::from(body);
    let mut res = Response::new(axum::body::Body::from(body.clone()));
    *res.status_mut() = status;
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_UTF8));
    res.extensions_mut().insert(BodyCopy(body));
    res
}

/// Response extension: the body of a JSON answer, shared (not copied) for the journal.
#[derive(Debug, Clone)]
pub struct BodyCopy(pub Bytes);

/// Truncates to at most `max` UTF-8 bytes on a character boundary (AH(n) counts bytes).
pub fn truncate_bytes(s: &str, max: usize) -> &str {
    if s.len() <= max {
        return s;
    }
    let mut end = max;
    while !s.is_char_boundary(end) {
        end -= 1;
    }
    &s[..end]
}

/// Request extension: the namespace the request is in.
#[derive(Debug, Clone)]
pub struct Ns(pub Arc<Namespace>);

/// What the handler learnt about a call (who, which asset, what the caller did wrong that the
/// server tolerates), for the journal and for scenario matching.
#[derive(Debug, Clone, Default)]
pub struct CallFacts {
    /// The consent of the calling token (customer, client, industry), shared.
    pub consent: Option<Arc<Consent>>,
    /// The API called, shared.
    pub api: Option<Arc<ApiEntry>>,
    pub asset: Option<String>,
    pub findings: Vec<Finding>,
    /// Scenarios that decided the answer, by id.
    pub scenarios: Vec<String>,
}

/// Request extension: where handlers leave their [`CallFacts`].
#[derive(Debug, Clone, Default)]
pub struct FactsSlot(pub Arc<Mutex<CallFacts>>);

impl FactsSlot {
    pub fn update(&self, f: impl FnOnce(&mut CallFacts)) {
        f(&mut self.0.lock().unwrap_or_else(|e| e.into_inner()));
    }
    fn take(&self) -> CallFacts {
        std::mem::take(&mut *self.0.lock().unwrap_or_else(|e| e.into_inner()))
    }
}

/// What the journal keeps of an `Authorization` value: the scheme and the token's last 8
/// characters (enough to tell tokens apart in a journal, and a bearer token is the biggest thing
/// an entry would otherwise retain).
fn authorization_kept(v: &[u8]) -> Cow<'_, [u8]> {
    const KEEP: usize = 8;
    match v.iter().position(|b| *b == b' ') {
        Some(sp) if v.len() - sp - 1 > KEEP => {
            Cow::Owned([&v[..=sp], "…".as_bytes(), &v[v.len() - KEEP..]].concat())
        }
        _ => Cow::Borrowed(v),
    }
}

/// The biggest response body the journal keeps.
const JOURNAL_BODY_MAX: usize = 64 * 1024;

/// Paths that never enter a journal (probes).
fn unjournaled(path: &str) -> bool {
    path == "/healthz"
}

/// The namespace a request names (header, else query parameter), or why it cannot have it.
fn namespace_of(app: &AppState, req: &Request) -> Result<Arc<Namespace>, ApiError> {
    let from_header = req.headers().get(NAMESPACE_HEADER).map(|v| {
        v.to_str()
            .map(str::to_owned)
            .map_err(|_| format!("{NAMESPACE_HEADER} is not visible ASCII"))
    });
    let name = match from_header {
        Some(n) => Some(n.map_err(ApiError::bad_header)?),
        None => req
            .uri()
            .query()
            .filter(|q| q.contains(NAMESPACE_PARAM))
            .and_then(|q| {
                form_urlencoded::parse(q.as_bytes())
                    .find(|(k, _)| k == NAMESPACE_PARAM)
                    .map(|(_, v)| v.into_owned())
            }),
    };
    match name {
        None => Ok(app.namespaces.default_ns().clone()),
        Some(n) => app
            .namespaces
            .get_or_create(&n)
            .map_err(|e| ApiError::bad_header(format!("{NAMESPACE_HEADER}: {e}"))),
    }
}

/// Renders an [`ApiError`] as the spec's body with the table's HTTP status.
fn render_api_error(app: &AppState, err: &ApiError) -> (Response, String) {
    let row = app.spec.rsp(err.code.code());
    let status = row
        .and_then(|r| StatusCode::from_u16(r.http).ok())
        .unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
    let base = row.map(|r| r.msg.as_str()).unwrap_or("오류");
    let msg = if err.detail.is_empty() {
        base.to_owned()
    } else {
        format!("{base}: {}", err.detail)
    };
    let msg = truncate_bytes(&msg, 450).to_owned();
    let body = json!({ "rsp_code": err.code.code(), "rsp_msg": msg });
    (json_response(status, body.to_string().into_bytes()), msg)
}

/// The middleware function; see the module docs.
pub async fn protocol(
    State((app, labels)): State<(AppState, Labels)>,
    mut req: Request,
    next: Next,
) -> Response {
    let started = Instant::now();
    let tran_id = req.headers().get(TRAN_ID).cloned();
    let method = req.method().clone();
    let path = req.uri().path().to_owned();
    let route_label = req
        .extensions()
        .get::<MatchedPath>()
        .and_then(|m| labels.get(m.as_str()).cloned());

    let ns = match namespace_of(&app, &req) {
        Ok(ns) => ns,
        Err(e) => {
            let (mut res, _) = render_api_error(&app, &e);
            if let Some(t) = tran_id {
                res.headers_mut().insert(TRAN_ID, t);
            }
            return res;
        }
    };
    let own = match req.headers().get(SCENARIO_HEADER).map(|v| {
        v.to_str()
            .map_err(|_| format!("{SCENARIO_HEADER} is not visible ASCII"))
            .and_then(dangerous::parse_header)
            .and_then(|s| dangerous::validate(&app.spec, &s).map(|()| s))
    }) {
        None => None,
        Some(Ok(s)) => Some(Arc::new(s)),
        Some(Err(why)) => {
            let (mut res, _) = render_api_error(&app, &ApiError::bad_header(why));
            if let Some(t) = tran_id {
                res.headers_mut().insert(TRAN_ID, t);
            }
            return res;
        }
    };
    let journal_on = ns.journal.enabled() && !unjournaled(&path);
    let draft_in = journal_on.then(|| {
        let h = |name: &str| req.headers().get(name).map(HeaderValue::as_bytes);
        let auth = h(header::AUTHORIZATION.as_str()).map(authorization_kept);
        Draft {
            request: RequestText::new(
                method.as_str(),
                &path,
                [
                    req.uri().query().map(str::as_bytes),
                    h(TRAN_ID),
                    h("x-api-type"),
                    auth.as_deref(),
                ],
            ),
            ..Draft::default()
        }
    });
    let slot = FactsSlot::default();
    req.extensions_mut().insert(slot.clone());
    req.extensions_mut().insert(Ns(ns.clone()));
    if let Some(own) = &own {
        req.extensions_mut().insert(RequestScenario(own.clone()));
    }

    let mut res = next.run(req).await;

    let mut code: Option<&'static str> = res.extensions().get::<AnsweredCode>().map(|c| c.0);
    let mut rsp_msg = None;
    let mut caller: Option<Finding> = None;
    if let Some(PendingApiError(err)) = res.extensions_mut().remove::<PendingApiError>() {
        let (rendered, msg) = render_api_error(&app, &err);
        let ext = std::mem::take(res.extensions_mut());
        res = rendered;
        *res.extensions_mut() = ext;
        code = Some(err.code.code());
        caller = err.caller.map(|k| Finding::new(k, msg.clone()));
        rsp_msg = Some(msg);
    } else if let Some(PendingOAuthError(err)) = res.extensions_mut().remove::<PendingOAuthError>()
    {
        let status = app
            .spec
            .oauth_status(err.error)
            .and_then(|s| StatusCode::from_u16(s).ok())
            .unwrap_or(StatusCode::BAD_REQUEST);
        let description = truncate_bytes(&err.description, 450);
        let mut body = json!({ "error": err.error, "error_description": description });
        if let Some(s) = err.state {
            body["state"] = s.into();
        }
        if let Some(t) = err.api_tran_id {
            body["api_tran_id"] = t.into();
        }
        let ext = std::mem::take(res.extensions_mut());
        res = json_response(status, body.to_string().into_bytes());
        *res.extensions_mut() = ext;
        code = Some(err.error);
        rsp_msg = Some(format!("{}: {description}", err.error));
    }
    if let Some(t) = &tran_id {
        res.headers_mut().insert(TRAN_ID, t.clone());
    }

    let label = res
        .extensions()
        .get::<ApiLabel>()
        .map(|l| l.0.clone())
        .or(route_label);
    let mut facts = slot.take();
    // Whether a scenario decided the answer (a forced code), rather than only the wire around it.
    let forced = !facts.scenarios.is_empty();
    let mut dropped = false;

    // Wire-level scenarios: latency, a bare 5xx, a dropped connection, a cut body. Probes stay
    // out of them, so `mydata-testbed health` keeps telling the truth.
    if (own.is_some() || ns.scenarios.any()) && !unjournaled(&path) {
        let wire = dangerous::transport(
            &ns.scenarios,
            own.as_deref(),
            &Facts {
                api_id: label.as_deref(),
                industry: facts.consent.as_deref().map(|c| c.key.industry.as_str()),
                customer: facts.consent.as_deref().map(|c| c.key.customer.as_str()),
                client_id: facts.consent.as_deref().map(|c| c.key.client_id.as_str()),
                asset: facts.asset.as_deref(),
            },
        );
        if !wire.is_empty() {
            facts.scenarios.extend(wire.applied.iter().cloned());
            if let Some(d) = wire.delay {
                tokio::time::sleep(d).await;
            }
            if let Some(status) = wire.status {
                let status =
                    StatusCode::from_u16(status).unwrap_or(StatusCode::INTERNAL_SERVER_ERROR);
                res = (
                    status,
                    format!(
                        "testbed: injected HTTP {} (scenario {})",
                        status.as_u16(),
                        wire.applied.join(", ")
                    ),
                )
                    .into_response();
                code = None;
            } else if wire.drop {
                res = dropped_connection();
                code = None;
                dropped = true;
            } else if let Some(cut) = wire.truncate {
                res = truncated(res, cut).await;
            }
        }
    }

    // A dropped connection answered nothing: status 0 in the journal and the log.
    let status = if dropped { 0 } else { res.status().as_u16() };
    if let Some(mut draft) = draft_in {
        let graded = label.is_some();
        if graded {
            if let Some(f) = caller {
                draft.findings.push(f);
            } else if !forced
                && (400..500).contains(&status)
                && let Some(c) = code
            {
                let why = format!(
                    "refused with {c}: {}",
                    rsp_msg.as_deref().unwrap_or_default()
                );
                draft
                    .findings
                    .push(Finding::new(FindingKind::Rejected, why));
            }
            draft.findings.append(&mut facts.findings);
        }
        let response = if dropped {
            (None, res)
        } else if let Some(BodyCopy(b)) = res.extensions_mut().remove::<BodyCopy>() {
            // A JSON answer built here: its body is at hand (a cut one is taken from the wire).
            let fits = b.len() <= JOURNAL_BODY_MAX;
            (fits.then_some(b), res)
        } else {
            keep_body(res).await
        };
        if dropped {
            rsp_msg = Some("connection dropped by a testbed scenario; no answer was sent".into());
        }
        res = response.1;
        draft.at_ms = ns.clock.now().timestamp_millis();
        draft.api_id = label.clone();
        draft.graded = graded;
        draft.status = status;
        draft.rsp_code = code.map(Cow::Borrowed).or_else(|| {
            response
                .0
                .as_ref()
                .and_then(|b| serde_json::from_slice::<serde_json::Value>(b).ok())
                .and_then(|v| v["rsp_code"].as_str().map(|c| Cow::Owned(c.to_owned())))
        });
        draft.rsp_msg = rsp_msg;
        draft.latency_us = started.elapsed().as_micros() as u64;
        draft.consent = facts.consent;
        draft.api = facts.api;
        draft.scenarios = facts.scenarios;
        draft.response = response.0;
        ns.journal.record(draft);
    }

    tracing::info!(
        target: "mydata_testbed::access",
        api_id = label.as_deref().unwrap_or("-"),
        rsp_code = code.unwrap_or("-"),
        status,
        latency_us = started.elapsed().as_micros() as u64,
        namespace = &*ns.name,
        %method,
        path,
        "request"
    );
    res
}

/// A response whose body fails at once, so the server closes the connection without an answer.
fn dropped_connection() -> Response {
    let stream = futures_util::stream::once(async {
        Err::<Bytes, std::io::Error>(std::io::Error::new(
            std::io::ErrorKind::ConnectionAborted,
            "testbed: connection dropped by a scenario",
        ))
    });
    Response::new(Body::from_stream(stream))
}

/// The same response with its body cut after `cut` bytes (`usize::MAX`: half), well framed.
async fn truncated(res: Response, cut: usize) -> Response {
    let (mut parts, body) = res.into_parts();
    let bytes = axum::body::to_bytes(body, usize::MAX)
        .await
        .unwrap_or_default();
    let n = if cut == usize::MAX {
        bytes.len() / 2
    } else {
        cut.min(bytes.len())
    };
    parts.headers.remove(header::CONTENT_LENGTH);
    // The journal records what was sent: the cut body, not the handler's copy of the whole.
    parts.extensions.remove::<BodyCopy>();
    Response::from_parts(parts, Body::from(bytes.slice(..n)))
}

/// Takes a copy of a small response body for the journal (shared, not copied) and rebuilds the
/// response around it.
async fn keep_body(res: Response) -> (Option<Bytes>, Response) {
    use axum::body::HttpBody;
    let small = res
        .body()
        .size_hint()
        .exact()
        .is_some_and(|n| n as usize <= JOURNAL_BODY_MAX);
    if !small {
        return (None, res);
    }
    let (parts, body) = res.into_parts();
    match axum::body::to_bytes(body, JOURNAL_BODY_MAX).await {
        Ok(bytes) => (
            Some(bytes.clone()),
            Response::from_parts(parts, Body::from(bytes)),
        ),
        Err(_) => (None, Response::from_parts(parts, Body::empty())),
    }
}
