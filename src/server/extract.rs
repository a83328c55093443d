//! Extractors that carry the protocol of the information-provision APIs, in the evaluation order
//! of reference §5.2: headers (40002), token (40101) and consent expiry (40106), scope (40104),
//! parameters (40001) and `org_code` (40303). A handler that takes an [`InfoCall`] knows all of
//! these hold.

use std::collections::HashMap;
use std::sync::Arc;

use axum::body::Bytes;
use axum::extract::{FromRequest, FromRequestParts, RawPathParams, Request};
use axum::http::{HeaderMap, Method, header};
use serde_json::Value;

use super::auth::jwt::TokenKind;
use super::auth::store::Consent;
use super::dangerous::{Fault, RequestScenario, ScenarioSpec};
use super::error::{ApiError, RspCodeName};
use super::middleware::{FactsSlot, Ns, TRAN_ID};
use super::state::AppState;
use crate::spec::{ApiEntry, ApiType, Location, Spec};
use crate::testbed::journal::FindingKind;
use crate::testbed::{DayData, Namespace};

/// A validated call to an information-provision API.
#[derive(Debug)]
pub struct InfoCall {
    pub entry: Arc<ApiEntry>,
    pub api_type: ApiType,
    pub consent: Arc<Consent>,
    /// Request parameters (query or JSON body), all strings, validated against the spec.
    pub params: HashMap<String, String>,
    /// The namespace the call is in: its clock, quotas and scenarios.
    pub ns: Arc<Namespace>,
    /// The fixtures as of the namespace's today.
    pub data: Arc<DayData>,
    /// The request's own scenario (`x-testbed-scenario`).
    pub own_scenario: Option<Arc<ScenarioSpec>>,
    /// Where the handler leaves what the journal should know.
    pub facts: FactsSlot,
}

impl InfoCall {
    pub fn param(&self, name: &str) -> Option<&str> {
        self.params.get(name).map(String::as_str)
    }
}

/// Checks an `x-api-tran-id` value against the layout of §1.4.1: 25 upper-case letters and
/// digits, the creator's org code (10), the creator kind (`M`, `S`, ...) and a serial (14).
pub fn check_tran_id(spec: &Spec, value: Option<&str>) -> Result<String, String> {
    let rule = &spec.common.tran_id;
    let v = value.ok_or("x-api-tran-id is missing (§1.4.1)")?;
    let upper_alnum = v
        .bytes()
        .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit());
    if v.len() != rule.length || !upper_alnum {
        return Err(format!(
            "x-api-tran-id must be {} upper-case letters and digits (AN({})), got {} characters (§1.4.1)",
            rule.length,
            rule.length,
            v.chars().count()
        ));
    }
    let kind = &v[rule.org_code_len..=rule.org_code_len];
    if !rule.issuers.contains_key(kind) {
        let known: Vec<&str> = rule.issuers.keys().map(String::as_str).collect();
        return Err(format!(
            "x-api-tran-id position {} must name who created it ({}), got `{kind}` (§1.4.1)",
            rule.org_code_len + 1,
            known.join(", ")
        ));
    }
    Ok(v.to_owned())
}

fn header_str<'a>(headers: &'a HeaderMap, name: &str) -> Result<Option<&'a str>, ApiError> {
    headers
        .get(name)
        .map(|v| {
            v.to_str()
                .map_err(|_| ApiError::bad_header(format!("{name} is not visible ASCII")))
        })
        .transpose()
}

impl FromRequest<AppState> for InfoCall {
    type Rejection = ApiError;

    async fn from_request(req: Request, app: &AppState) -> Result<Self, Self::Rejection> {
        let entry = req
            .extensions()
            .get::<Arc<ApiEntry>>()
            .cloned()
            .ok_or_else(|| {
                ApiError::new(RspCodeName::SystemFailure, "route without an API entry")
            })?;
        let ns = match req.extensions().get::<Ns>() {
            Some(Ns(ns)) => ns.clone(),
            None => app.namespaces.default_ns().clone(),
        };
        let facts = req
            .extensions()
            .get::<FactsSlot>()
            .cloned()
            .unwrap_or_default();
        let own_scenario = req
            .extensions()
            .get::<RequestScenario>()
            .map(|s| s.0.clone());
        let (mut parts, body) = req.into_parts();
        let headers = &parts.headers;

        // 3. Headers (40002).
        check_tran_id(&app.spec, header_str(headers, TRAN_ID)?)
            .map_err(|e| ApiError::bad_header(e).caller(FindingKind::TranIdMalformed))?;
        let api_type = header_str(headers, "x-api-type")?.ok_or_else(|| {
            ApiError::bad_header("x-api-type is missing (§1.4.2)")
                .caller(FindingKind::ApiTypeInvalid)
        })?;
        let api_type = app.spec.api_type(api_type).cloned().ok_or_else(|| {
            let known: Vec<&str> = app
                .spec
                .common
                .api_types
                .iter()
                .map(|t| t.value.as_str())
                .collect();
            ApiError::bad_header(format!(
                "x-api-type must be one of {}, got `{api_type}` (§1.4.2)",
                known.join(", ")
            ))
            .caller(FindingKind::ApiTypeInvalid)
        })?;
        let auth = header_str(headers, header::AUTHORIZATION.as_str())?
            .ok_or_else(|| ApiError::bad_header("Authorization is missing (§1.4)"))?;
        let token = auth
            .strip_prefix("Bearer ")
            .filter(|t| !t.is_empty() && !t.contains(' '))
            .ok_or_else(|| {
                ApiError::bad_header("Authorization must be `Bearer <access_token>` (§1.4)")
            })?;

        // 4. Token (40101) and consent expiry (40106).
        let consent = authorize(app, &ns, &entry, token, &facts)?;
        facts.update(|f| {
            f.consent = Some(consent.clone());
            f.api = Some(entry.clone());
        });

        // 5. Scope (40104).
        let scope = entry.scope.as_deref().unwrap_or_default();
        if !consent.has_scope(scope) {
            return Err(ApiError::new(
                RspCodeName::NoApiPermission,
                format!(
                    "{} needs scope {scope}; the token has `{}` (§2.4)",
                    entry.api_id, consent.scope
                ),
            ));
        }

        // 6. Parameters (40001) and org_code (40303).
        let path: Vec<(String, Value)> =
            match RawPathParams::from_request_parts(&mut parts, app).await {
                Ok(p) => p
                    .iter()
                    .map(|(k, v)| (k.to_owned(), Value::String(v.to_owned())))
                    .collect(),
                Err(e) => {
                    return Err(ApiError::bad_param(format!(
                        "unreadable path parameter: {e}"
                    )));
                }
            };
        let mut raw = if parts.method == Method::GET || parts.method == Method::HEAD {
            query_params(parts.uri.query().unwrap_or_default())?
        } else {
            let bytes = Bytes::from_request(Request::from_parts(parts, body), app)
                .await
                .map_err(|e| ApiError::bad_param(format!("unreadable body: {e}")))?;
            body_params(&bytes)?
        };
        raw.extend(path);
        let params = check_params(app, &entry, raw)?;
        if let Some(asset) = entry.serve.primary_asset_key().and_then(|k| params.get(k)) {
            facts.update(|f| f.asset = Some(asset.clone()));
        }
        let data = app
            .days
            .for_day(ns.clock.today())
            .await
            .map_err(|e| ApiError::new(RspCodeName::SystemFailure, e))?;
        Ok(InfoCall {
            entry,
            api_type,
            consent,
            params,
            ns,
            data,
            own_scenario,
            facts,
        })
    }
}

/// Checks the bearer token for this API's industry and returns its consent. Tokens are looked up
/// in the store (we issued them); only an unknown token is verified, to say precisely why it fails.
fn authorize(
    app: &AppState,
    ns: &Namespace,
    entry: &ApiEntry,
    token: &str,
    facts: &FactsSlot,
) -> Result<Arc<Consent>, ApiError> {
    let (consent, exp) = match ns.auth.access_by_value(token) {
        Some(Ok(found)) => found,
        Some(Err(refusal)) => {
            let err = ApiError::invalid_token(refusal.why);
            if refusal.reused {
                return Err(err.caller(FindingKind::TokenReused));
            }
            // The first refusal after a testbed revocation is how the app learns of it: the
            // scenario decided this answer, so the journal names it and does not grade it.
            if let Some(id) = revoked_by_scenario(ns, token) {
                facts.update(|f| f.scenarios.push(id));
            }
            return Err(err);
        }
        None => {
            let why = match app.keys.verify(token) {
                Ok(_) => "the token is unknown to this provider (tokens do not survive a restart)"
                    .to_owned(),
                Err(e) => format!("the access token does not verify ({e})"),
            };
            return Err(ApiError::invalid_token(why));
        }
    };
    if exp <= ns.clock.now().timestamp() {
        return Err(
            ApiError::invalid_token("the access token expired (expires_in, §2.1)")
                .caller(FindingKind::TokenReused),
        );
    }
    if Some(&consent.key.industry) != entry.industry.as_ref() {
        return Err(ApiError::invalid_token(format!(
            "the token was issued for industry {}, not {} (§2.1: one token per industry)",
            consent.key.industry,
            entry.industry.as_deref().unwrap_or("-")
        )));
    }
    if consent.end_date < ns.clock.today() {
        // The first 40106 after an expire_consent scenario is how the app learns of it: the
        // scenario decided that answer, so it is named and not graded; later ones are graded.
        if consent.testbed_expired {
            let k = &consent.key;
            let told = format!("consent:{}:{}:{}", k.customer, k.client_id, k.industry);
            if ns.auth.write().told.insert(told) {
                facts.update(|f| f.scenarios.push("expire_consent".to_owned()));
            }
        }
        return Err(ApiError::new(
            RspCodeName::ConsentExpired,
            format!(
                "the consent ended on {} (§2.1 rule 4)",
                consent.end_date.format("%Y%m%d")
            ),
        ));
    }
    Ok(consent)
}

/// For an access token a testbed scenario revoked: the id of the `revoke_token` scenario that did
/// it (the kind's name if it has since been deleted).
fn revoked_by_scenario(ns: &Namespace, token: &str) -> Option<String> {
    let auth = ns.auth.read();
    let pair_of = |t: &str| {
        auth.by_value
            .get(t)
            .and_then(|jti| auth.tokens.get(jti))
            .map(|r| r.pair)
    };
    let record = auth
        .by_value
        .get(token)
        .and_then(|jti| auth.tokens.get(jti))?;
    if !record.testbed_revoked || record.kind != TokenKind::Access {
        return None;
    }
    let key = &auth.pairs.get(&record.pair)?.consent.key;
    let ok = |want: &Option<String>, got: &str| want.as_deref().is_none_or(|w| w == got);
    let id = ns.scenarios.list().iter().rev().find_map(|s| {
        let m = &s.spec.matcher;
        let hit = match &s.spec.fault {
            Fault::RevokeToken { token: Some(t) } => pair_of(t) == Some(record.pair),
            Fault::RevokeToken { token: None } => {
                ok(&m.customer, &key.customer)
                    && ok(&m.client_id, &key.client_id)
                    && ok(&m.industry, &key.industry)
            }
            _ => false,
        };
        hit.then(|| s.id.to_string())
    });
    Some(id.unwrap_or_else(|| "revoke_token".to_owned()))
}

fn query_params(query: &str) -> Result<Vec<(String, Value)>, ApiError> {
    Ok(form_urlencoded::parse(query.as_bytes())
        .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
        .collect())
}

fn body_params(bytes: &[u8]) -> Result<Vec<(String, Value)>, ApiError> {
    match serde_json::from_slice::<Value>(bytes) {
        Ok(Value::Object(map)) => Ok(map.into_iter().collect()),
        Ok(_) => Err(ApiError::bad_param("the body must be a JSON object")),
        Err(e) => Err(ApiError::bad_param(format!(
            "the body is not valid JSON: {e}"
        ))),
    }
}

/// Checks parameters against the entry: no duplicates, every value a string, required present,
/// types and lengths (§1.3), `limit` within the page maximum (§1.6), `org_code` is ours.
fn check_params(
    app: &AppState,
    entry: &ApiEntry,
    raw: Vec<(String, Value)>,
) -> Result<HashMap<String, String>, ApiError> {
    let mut params = HashMap::with_capacity(raw.len());
    for (name, value) in raw {
        // Only the parameters the API declares are read: an undeclared `next_page` or
        // `from_month` must not change how a request is judged (paging, periods, quotas).
        if !entry.takes(&name) {
            continue;
        }
        let Value::String(s) = value else {
            return Err(ApiError::bad_param(format!(
                "{name} must be a JSON string (§1.3: every value is a string)"
            )));
        };
        if params.insert(name.clone(), s).is_some() {
            return Err(ApiError::bad_param(format!("{name} is given twice")));
        }
    }
    let location = if entry.method == crate::spec::Method::GET {
        Location::Query
    } else {
        Location::Body
    };
    for p in entry
        .request
        .iter()
        .filter(|p| p.location == location || p.location == Location::Path)
    {
        match params.get(&p.name) {
            None if p.required => {
                return Err(ApiError::bad_param(format!(
                    "{} is required ({}, {})",
                    p.name, p.ty, entry.reference
                )));
            }
            None => {}
            Some(v) => p.ty.check(v).map_err(|expected| {
                ApiError::bad_param(format!("{} must be {expected}", p.name))
            })?,
        }
    }
    if let Some(limit) = params.get("limit") {
        let max = app.spec.common.limits.max_page_limit;
        match limit.parse::<u32>() {
            Ok(n) if (1..=max).contains(&n) => {}
            _ => {
                return Err(ApiError::bad_param(format!(
                    "limit must be 1 to {max}, got {limit} (§1.6)"
                ))
                .caller(FindingKind::PagingLimitOver));
            }
        }
    }
    let ours = entry
        .industry
        .as_deref()
        .and_then(|i| app.fixtures.provider(i))
        .map(|p| p.org_code.as_str());
    if let Some(org) = params.get("org_code")
        && Some(org.as_str()) != ours
    {
        return Err(ApiError::new(
            RspCodeName::UnknownOrgCode,
            format!(
                "org_code {org} is not this provider ({})",
                ours.unwrap_or("-")
            ),
        ));
    }
    Ok(params)
}
