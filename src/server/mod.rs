//! The information-provider server: a router built from the spec, run on a listener until a
//! shutdown future completes (tests pass `127.0.0.1:0` and a oneshot).

pub mod admin;
pub mod auth;
pub mod dangerous;
pub mod dashboard;
pub mod error;
pub mod extract;
pub mod middleware;
pub mod provide;
pub mod state;

use std::collections::HashMap;
use std::future::Future;
use std::sync::Arc;

use axum::Router;
use axum::extract::State;
use axum::http::{StatusCode, Uri, header};
use axum::response::{IntoResponse, Response};
use axum::routing::{MethodRouter, get, post};
use tokio::net::TcpListener;

use self::error::{ApiError, RspCodeName};
use self::extract::InfoCall;
use self::state::AppState;
use crate::spec::{Method, Serve};

/// One row of the route table derived from the spec (the contract golden file renders these).
#[derive(Debug, Clone, PartialEq, Eq, serde::Serialize)]
pub struct RouteRow {
    pub method: &'static str,
    pub path: String,
    pub api_id: String,
    pub scope: String,
}

/// The route table the server registers, in spec order.
pub fn route_table(state: &AppState) -> Vec<RouteRow> {
    let spec = &state.spec;
    spec.auth
        .iter()
        .chain(spec.apis.iter().filter(|e| {
            e.industry
                .as_deref()
                .is_some_and(|i| state.fixtures.provider(i).is_some())
        }))
        .map(|e| RouteRow {
            method: match e.method {
                Method::GET => "GET",
                Method::POST => "POST",
            },
            path: e.full_path(spec.version()),
            api_id: e.label(),
            scope: e.scope.clone().unwrap_or_default(),
        })
        .collect()
}

async fn info(State(app): State<AppState>, call: InfoCall) -> Result<Response, ApiError> {
    provide::provide(&app, &call)
}

async fn info_wrong_method() -> ApiError {
    ApiError::new(
        RspCodeName::MethodNotAllowed,
        "this API does not accept that HTTP method (§1.1)",
    )
}

/// Unknown paths: 40003 when the path exists under another version, else 40401 (§5.2 step 2).
async fn fallback(State(app): State<AppState>, uri: Uri) -> ApiError {
    let path = uri.path();
    let mut segs = path.trim_start_matches('/').splitn(2, '/');
    let (first, rest) = (segs.next().unwrap_or(""), segs.next().unwrap_or(""));
    let is_version =
        first.len() > 1 && first.starts_with('v') && first[1..].bytes().all(|b| b.is_ascii_digit());
    // The exact route did not match; a known path under another version segment is 40003.
    if is_version
        && app
            .spec
            .apis
            .iter()
            .any(|e| path_matches(e.path.trim_start_matches('/'), rest))
    {
        return ApiError::new(
            RspCodeName::BadVersion,
            format!(
                "version {first} is not served; this provider implements {} (§1.1)",
                app.spec.version()
            ),
        );
    }
    ApiError::new(RspCodeName::NoSuchApi, format!("no API at {path}"))
}

/// Whether a concrete path matches a spec path template (`cards/{card_id}/approval-domestic`).
fn path_matches(template: &str, path: &str) -> bool {
    let (t, p): (Vec<&str>, Vec<&str>) = (template.split('/').collect(), path.split('/').collect());
    t.len() == p.len()
        && t.iter()
            .zip(&p)
            .all(|(t, p)| (t.starts_with('{') && !p.is_empty()) || t == p)
}

async fn openapi(State(app): State<AppState>) -> Response {
    (
        [(header::CONTENT_TYPE, middleware::JSON_UTF8)],
        app.openapi.to_vec(),
    )
        .into_response()
}

/// Builds the router: one route per spec entry of the providers served, the auth endpoints and
/// pages, `/openapi.json`, and the protocol middleware around all of them.
pub fn router(state: AppState) -> Router {
    let spec = state.spec.clone();
    let mut labels: HashMap<String, Arc<str>> = HashMap::new();
    let mut router: Router<AppState> = Router::new();

    for entry in spec.apis.iter().filter(|e| {
        e.industry
            .as_deref()
            .is_some_and(|i| state.fixtures.provider(i).is_some())
    }) {
        let path = entry.full_path(spec.version());
        let mr: MethodRouter<AppState> = match entry.method {
            Method::GET => get(info),
            Method::POST => post(info),
        };
        labels.insert(path.clone(), entry.label().into());
        router = router.route(
            &path,
            mr.fallback(info_wrong_method)
                .layer(axum::Extension(entry.clone())),
        );
    }

    let mut auth_paths: Vec<(String, MethodRouter<AppState>)> = Vec::new();
    for entry in &spec.auth {
        let mr: MethodRouter<AppState> = match entry.serve {
            Serve::Authorize => get(auth::authorize),
            Serve::Token => post(auth::token),
            Serve::Revoke => post(auth::revoke),
            _ => continue,
        };
        if !auth_paths.iter().any(|(p, _)| p == &entry.path) {
            labels.insert(entry.path.clone(), entry.api_id.as_str().into());
            auth_paths.push((entry.path.clone(), mr));
        }
    }
    for (path, mr) in auth_paths {
        router = router.route(&path, mr.fallback(auth::method_not_allowed));
    }
    router = router
        .route(
            auth::LOGIN_PATH,
            get(auth::login_page).post(auth::login_submit),
        )
        .route(auth::CONSENT_PATH, post(auth::consent_submit))
        .route("/openapi.json", get(openapi))
        .route("/healthz", get(|| async { (StatusCode::OK, "ok") }))
        .fallback(fallback);

    let labels = Arc::new(labels);
    // The testbed's own routes stay outside the protocol layer: no namespace, no journal.
    router
        .layer(axum::middleware::from_fn_with_state(
            (state.clone(), labels),
            middleware::protocol,
        ))
        .merge(admin::routes())
        .merge(dashboard::routes())
        .with_state(state)
}

/// Serves until `shutdown` completes, then lets in-flight requests finish.
pub async fn run(
    listener: TcpListener,
    state: AppState,
    shutdown: impl Future<Output = ()> + Send + 'static,
) -> std::io::Result<()> {
    axum::serve(listener, router(state))
        .with_graceful_shutdown(shutdown)
        .await
}
