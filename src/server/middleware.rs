//! The protocol layer around every route: renders pending [`ApiError`]s and [`OAuthError`]s with
//! the spec's HTTP status, echoes `x-api-tran-id` on every response (errors included, §1.4.1),
//! and writes one access-log line per request (API id, rsp_code, latency).

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Instant;

use axum::extract::{MatchedPath, Request, State};
use axum::http::{HeaderValue, StatusCode, header};
use axum::middleware::Next;
use axum::response::Response;
use serde_json::json;

use super::error::{AnsweredCode, ApiLabel, PendingApiError, PendingOAuthError};
use super::state::AppState;

/// The header every response echoes.
pub const TRAN_ID: &str = "x-api-tran-id";

/// The content type of every JSON response (§1.1).
pub const JSON_UTF8: &str = "application/json; charset=UTF-8";

/// Route path → API label, for the access log.
pub type Labels = Arc<HashMap<String, Arc<str>>>;

/// Builds a JSON response with the standard's content type.
pub fn json_response(status: StatusCode, body: Vec<u8>) -> Response {
    let mut res = Response::new(axum::body::Body::from(body));
    *res.status_mut() = status;
    res.headers_mut()
        .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_UTF8));
    res
}

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

/// The middleware function; see the module docs.
pub async fn protocol(
    State((app, labels)): State<(AppState, Labels)>,
    req: Request,
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

    let mut res = next.run(req).await;

    let mut code: Option<&'static str> = res.extensions().get::<AnsweredCode>().map(|c| c.0);
    if let Some(PendingApiError(err)) = res.extensions_mut().remove::<PendingApiError>() {
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
        let body = json!({ "rsp_code": err.code.code(), "rsp_msg": truncate_bytes(&msg, 450) });
        let ext = std::mem::take(res.extensions_mut());
        res = json_response(status, body.to_string().into_bytes());
        *res.extensions_mut() = ext;
        code = Some(err.code.code());
    } else if let Some(PendingOAuthError(err)) = res.extensions_mut().remove::<PendingOAuthError>()
    {
        let status = app
            .spec
            .oauth_status(err.error)
            .and_then(|s| StatusCode::from_u16(s).ok())
            .unwrap_or(StatusCode::BAD_REQUEST);
        let mut body = json!({ "error": err.error, "error_description": truncate_bytes(&err.description, 450) });
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
    }
    if let Some(t) = tran_id {
        res.headers_mut().insert(TRAN_ID, t);
    }

    let label = res
        .extensions()
        .get::<ApiLabel>()
        .map(|l| l.0.clone())
        .or(route_label);
    tracing::info!(
        target: "mydata_testbed::access",
        api_id = label.as_deref().unwrap_or("-"),
        rsp_code = code.unwrap_or("-"),
        status = res.status().as_u16(),
        latency_us = started.elapsed().as_micros() as u64,
        %method,
        path,
        "request"
    );
    res
}
