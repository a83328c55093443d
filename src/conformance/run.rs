//! Running a conformance plan against a target: credentials, discovery of real asset ids, the
//! cases (with bounded concurrency and a deadline), and the report with its baseline.

use std::collections::{BTreeMap, HashMap, HashSet};
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, Instant};

use chrono::{Days, Months, NaiveDate};
use futures_util::StreamExt;
use reqwest::Method;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

use super::checks::{CHECKS, Findings};
use super::client::{Client, ClientSettings, Req, ReqBody, Sent};
use super::model::{
    BaselineDiff, CaseResult, CheckSummary, Deviation, Outcome, Report, Severity, Totals, Verdict,
};
use super::plan::{Abilities, Case, Kind, plan};
use crate::clock::Clock;
use crate::spec::{ApiEntry, Location, Method as SpecMethod, Serve, Spec};

/// Credentials of one industry's provider.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct IndustryCredentials {
    pub org_code: String,
    /// A token with the customer's full consent.
    #[serde(default)]
    pub access_token: Option<String>,
    /// A second customer's token: enables the cross-customer checks.
    #[serde(default)]
    pub second_access_token: Option<String>,
    /// A token of the first customer with the list scope only: enables the scope checks.
    #[serde(default)]
    pub list_only_access_token: Option<String>,
    /// A token that has expired: enables the expired-token check.
    #[serde(default)]
    pub expired_access_token: Option<String>,
}

/// A registered operator client, for the token endpoint checks and revoke.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ClientCredentials {
    pub client_id: String,
    pub client_secret: String,
    #[serde(default)]
    pub redirect_uri: String,
    #[serde(default)]
    pub app_scheme: String,
    /// Another redirect URI registered for the same client (for the mismatch check).
    #[serde(default)]
    pub other_redirect_uri: Option<String>,
}

/// A test customer the tool can log in as (testbed login).
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct LoginCustomer {
    pub id: String,
    pub ci: String,
}

/// How to log in without a person: the testbed's consent form, posted directly.
#[derive(Debug, Clone, Serialize, Deserialize)]
pub struct TestbedLogin {
    pub client: ClientCredentials,
    /// A second client of the same operator kind: its token for the first customer carries the
    /// list scope only (a new consent for the same client would revoke the first token).
    pub second_client: Option<ClientCredentials>,
    /// Per industry: the main customer, a second one (cross-customer), a third (OAuth checks).
    pub customers: BTreeMap<String, Vec<LoginCustomer>>,
}

/// Everything a run needs.
#[derive(Debug, Clone)]
pub struct CheckConfig {
    pub target: String,
    pub spec_version: String,
    pub industries: BTreeMap<String, IndustryCredentials>,
    /// Only these API ids (empty: all).
    pub apis: Vec<String>,
    /// Only these checks (empty: all), and never these.
    pub only_checks: Vec<String>,
    pub skip_checks: Vec<String>,
    pub client: Option<ClientCredentials>,
    pub login: Option<TestbedLogin>,
    /// Revoke the token at the end and check it is refused.
    pub allow_revoke: bool,
    pub timeout: Duration,
    pub run_timeout: Duration,
    pub concurrency: usize,
    pub rate: Option<f64>,
    pub max_body: usize,
    pub unmask: bool,
    /// Fingerprints of known deviations.
    pub baseline: Option<Vec<String>>,
}

/// What stops a run (deviations never do).
#[derive(Debug, thiserror::Error)]
pub enum ToolError {
    #[error("the target {target} cannot be reached: {why}")]
    Unreachable { target: String, why: String },
    #[error("bad configuration: {0}")]
    Config(String),
    #[error("cannot log in at {industry}: {why}")]
    Login { industry: String, why: String },
}

/// A baseline file: the deviations a team has accepted.
#[derive(Debug, Clone, Default, Serialize, Deserialize)]
pub struct Baseline {
    pub fingerprints: Vec<String>,
}

/// Per-industry state found during the run.
#[derive(Debug, Default, Clone)]
struct Found {
    org: String,
    /// Full-consent tokens of the customers (the first is the main one; given, or logged in).
    tokens: Vec<String>,
    list_only: Option<String>,
    expired: Option<String>,
    /// Per API id: which token (index) answers it with 00000, and for which asset key.
    owner: HashMap<String, (usize, Value)>,
    /// Per asset API id: another customer's asset key (that customer's token answers 00000).
    other: HashMap<String, (usize, Value)>,
}

struct Ctx {
    spec: Arc<Spec>,
    client: Client,
    cfg: CheckConfig,
    found: BTreeMap<String, Found>,
    today: NaiveDate,
    serial: AtomicU64,
    deadline: Instant,
}

impl Ctx {
    fn tran_id(&self) -> String {
        // The operator's org code when known, `M` (마이데이터사업자), a 14-digit serial (§1.4.1).
        let n = self.serial.fetch_add(1, Ordering::Relaxed);
        format!("MYDATACHKRM{n:014}")
    }

    fn enabled(&self, id: &str) -> bool {
        (self.cfg.only_checks.is_empty() || self.cfg.only_checks.iter().any(|c| c == id))
            && !self.cfg.skip_checks.iter().any(|c| c == id)
    }
}

fn ymd(d: NaiveDate) -> String {
    d.format("%Y%m%d").to_string()
}

/// The widest legal parameters of an API (user-search: five years back; 500 a page).
fn base_params(ctx: &Ctx, entry: &ApiEntry, org: &str, key: &Value) -> Value {
    let today = ctx.today;
    let mut p = key.clone();
    p["org_code"] = json!(org);
    for param in entry
        .request
        .iter()
        .filter(|p| p.location != Location::Header)
    {
        let name = param.name.as_str();
        if p.get(name).is_some() || ["next_page", "search_timestamp"].contains(&name) {
            continue;
        }
        let v = match name {
            "from_date" => ymd(today - Months::new(60) + Days::new(1)),
            "to_date" => ymd(today),
            "from_month" => (today - Months::new(59)).format("%Y%m").to_string(),
            "to_month" => today.format("%Y%m").to_string(),
            "limit" => "500".into(),
            _ if param.required => param.ty.sample(),
            _ => continue,
        };
        p[name] = json!(v);
    }
    p
}

/// Builds the request of an API with these parameters and headers.
fn request(
    ctx: &Ctx,
    entry: &ApiEntry,
    params: &Value,
    method: Option<Method>,
    headers: Vec<(String, String)>,
) -> Req {
    let mut params = params.clone();
    let mut path = entry.full_path(ctx.spec.version());
    for p in entry
        .request
        .iter()
        .filter(|p| p.location == Location::Path)
    {
        let v = params.as_object_mut().and_then(|o| o.remove(&p.name));
        let v = v.as_ref().and_then(Value::as_str).unwrap_or("0").to_owned();
        path = path.replace(
            &format!("{{{}}}", p.name),
            &form_urlencoded::byte_serialize(v.as_bytes()).collect::<String>(),
        );
    }
    let spec_method = if entry.method == SpecMethod::GET {
        Method::GET
    } else {
        Method::POST
    };
    let method = method.unwrap_or(spec_method.clone());
    if spec_method == Method::GET {
        let query: String = form_urlencoded::Serializer::new(String::new())
            .extend_pairs(
                params
                    .as_object()
                    .into_iter()
                    .flatten()
                    .map(|(k, v)| (k.as_str(), v.as_str().unwrap_or_default())),
            )
            .finish();
        Req {
            method,
            path: format!("{path}?{query}"),
            headers,
            body: None,
        }
    } else {
        Req {
            method,
            path,
            headers,
            body: Some(ReqBody::Json(params)),
        }
    }
}

fn auth_headers(tran: &str, api_type: &str, token: Option<&str>) -> Vec<(String, String)> {
    let mut h = vec![
        ("x-api-tran-id".to_owned(), tran.to_owned()),
        ("x-api-type".to_owned(), api_type.to_owned()),
    ];
    if let Some(t) = token {
        h.push(("authorization".to_owned(), format!("Bearer {t}")));
    }
    h
}

/// Runs the conformance plan and returns the report; `Err` only when the run cannot happen.
pub async fn run(
    spec: Arc<Spec>,
    cfg: CheckConfig,
    progress: &(dyn Fn(usize, usize) + Sync),
) -> Result<Report, ToolError> {
    let started = chrono::Utc::now();
    let t0 = Instant::now();
    let client = Client::new(ClientSettings {
        target: cfg.target.trim_end_matches('/').to_owned(),
        timeout: cfg.timeout,
        max_body: cfg.max_body,
        rate: cfg.rate,
        unmask: cfg.unmask,
    })
    .map_err(|e| ToolError::Config(e.to_string()))?;
    // Reachability: any HTTP answer will do; no answer at all is a tool error (exit 2).
    let probe = client
        .send(&Req {
            method: Method::GET,
            path: "/".into(),
            headers: vec![],
            body: None,
        })
        .await;
    if probe.status.is_none() {
        return Err(ToolError::Unreachable {
            target: cfg.target.clone(),
            why: probe.exchange.transport_error.unwrap_or_default(),
        });
    }
    if cfg.industries.is_empty() {
        return Err(ToolError::Config(
            "no industry to check: give --industry with its org_code, or --login testbed".into(),
        ));
    }
    for ind in cfg.industries.keys() {
        if spec.industry_apis(ind).next().is_none() {
            return Err(ToolError::Config(format!(
                "industry `{ind}` is not in spec {}",
                spec.version()
            )));
        }
    }
    let mut ctx = Ctx {
        spec: spec.clone(),
        client,
        found: BTreeMap::new(),
        today: Clock::system().today(),
        serial: AtomicU64::new(1),
        deadline: t0 + cfg.run_timeout,
        cfg,
    };
    for (ind, creds) in ctx.cfg.industries.clone() {
        let mut f = Found {
            org: creds.org_code.clone(),
            tokens: [&creds.access_token, &creds.second_access_token]
                .into_iter()
                .flatten()
                .cloned()
                .collect(),
            list_only: creds.list_only_access_token.clone(),
            expired: creds.expired_access_token.clone(),
            ..Default::default()
        };
        if let Some(login) = ctx.cfg.login.clone() {
            login_industry(&ctx, &login, &ind, &mut f).await?;
        }
        for t in f.tokens.iter().chain(&f.list_only).chain(&f.expired) {
            ctx.client.add_secret(t);
        }
        ctx.found.insert(ind, f);
    }
    // The APIs to check: the industries' spec entries, narrowed to what the target declares
    // through 정보제공-공통-001 when it answers it, and to --api.
    let mut apis = Vec::new();
    let mut undeclared = Vec::new();
    for ind in ctx.found.keys() {
        let declared = declared_uris(&ctx, ind).await;
        for e in ctx.spec.industry_apis(ind) {
            let wanted = ctx.cfg.apis.is_empty() || ctx.cfg.apis.iter().any(|a| *a == e.api_id);
            let path = e.full_path(ctx.spec.version());
            let declared_ok = declared.as_ref().is_none_or(|d| {
                d.iter().any(|u| u.ends_with(&path)) || e.api_id.starts_with("정보제공-공통")
            });
            if wanted && declared_ok {
                apis.push(e.clone());
            } else if wanted {
                undeclared.push(e.clone());
            }
        }
    }
    discover(&mut ctx, &apis).await;
    let able = Abilities {
        expired_token: ctx.found.values().any(|f| f.expired.is_some()),
        revoke: ctx.cfg.allow_revoke && ctx.cfg.client.is_some(),
        oauth: ctx.cfg.login.is_some() || ctx.cfg.client.is_some(),
    };
    let cases = plan(&apis, able);
    let total = cases.len();
    let (last, first): (Vec<Case>, Vec<Case>) = cases
        .into_iter()
        .partition(|c| c.kind == Kind::RevokedToken);
    let ctx = Arc::new(ctx);
    let done = AtomicU64::new(0);
    let concurrency = ctx.cfg.concurrency.max(1);
    let mut results: Vec<(CaseResult, Vec<&'static str>)> = futures_util::stream::iter(first)
        .map(|case| {
            let ctx = ctx.clone();
            let done = &done;
            async move {
                let r = run_case(&ctx, &case).await;
                progress(done.fetch_add(1, Ordering::Relaxed) as usize + 1, total);
                r
            }
        })
        .buffer_unordered(concurrency)
        .collect()
        .await;
    for case in last {
        results.push(run_case(&ctx, &case).await);
        progress(done.fetch_add(1, Ordering::Relaxed) as usize + 1, total);
    }
    // APIs of the spec the target leaves out of 정보제공-공통-001 are reported, not dropped.
    for e in undeclared {
        let industry = e.industry.clone().unwrap_or_default();
        let result = CaseResult {
            case_id: format!("{industry}.{}.{}", e.label(), Kind::Positive.name()),
            industry,
            api_id: e.api_id.clone(),
            kind: Kind::Positive.name().to_owned(),
            title: Kind::Positive.title().to_owned(),
            outcome: Outcome::Skip {
                reason: "the target does not declare this API in 정보제공-공통-001".into(),
            },
            deviations: vec![],
            exchanges: 0,
            elapsed_ms: 0,
        };
        results.push((result, vec![]));
    }
    Ok(assemble(&ctx, results, started, t0.elapsed()))
}

/// The API URIs the target declares in 정보제공-공통-001, when it answers it.
async fn declared_uris(ctx: &Ctx, industry: &str) -> Option<Vec<String>> {
    let f = &ctx.found[industry];
    let entry = ctx.spec.api(industry, "정보제공-공통-001")?;
    let params = base_params(ctx, entry, &f.org, &json!({}));
    let sent = ctx
        .client
        .send(&request(
            ctx,
            entry,
            &params,
            None,
            auth_headers(
                &ctx.tran_id(),
                "user-search",
                f.tokens.first().map(String::as_str),
            ),
        ))
        .await;
    if sent.rsp_code() != Some("00000") {
        return None;
    }
    let list = sent.json.as_ref()?.get("api_list")?.as_array()?;
    Some(
        list.iter()
            .filter_map(|a| a.get("api_uri").and_then(Value::as_str).map(str::to_owned))
            .collect(),
    )
}

/// Finds, for every API, a customer (token) it answers 00000 for and, for asset APIs, that
/// customer's asset key from the industry's list APIs; and another customer's asset for the
/// cross-customer check.
async fn discover(ctx: &mut Ctx, apis: &[Arc<ApiEntry>]) {
    let industries: Vec<String> = ctx.found.keys().cloned().collect();
    for ind in industries {
        let f = ctx.found[&ind].clone();
        // Per token: the asset keys its list APIs show, consented first.
        let mut listed: Vec<Vec<HashMap<String, String>>> = Vec::new();
        for token in &f.tokens {
            let mut candidates: Vec<(bool, HashMap<String, String>)> = Vec::new();
            for list in ctx
                .spec
                .industry_apis(&ind)
                .filter(|e| matches!(e.serve, Serve::List { .. }))
            {
                let Serve::List {
                    list: field,
                    asset_key,
                    consent_flag,
                } = &list.serve
                else {
                    continue;
                };
                let params = base_params(ctx, list, &f.org, &json!({}));
                let sent = ctx
                    .client
                    .send(&request(
                        ctx,
                        list,
                        &params,
                        None,
                        auth_headers(&ctx.tran_id(), "user-search", Some(token)),
                    ))
                    .await;
                for item in sent
                    .json
                    .as_ref()
                    .and_then(|j| j.get(field))
                    .and_then(Value::as_array)
                    .into_iter()
                    .flatten()
                {
                    // Key fields may sit in a nested list of the item (전금-001's account_list).
                    let keys: HashMap<String, String> = asset_key
                        .iter()
                        .filter_map(|k| Some((k.clone(), find_field(item, k)?.to_owned())))
                        .collect();
                    for v in keys.values() {
                        ctx.client.add_secret(v);
                    }
                    let consented =
                        item.get(consent_flag.as_str()).and_then(Value::as_str) == Some("true");
                    candidates.push((consented, keys));
                }
            }
            candidates.sort_by_key(|(c, _)| !c);
            listed.push(candidates.into_iter().map(|(_, k)| k).collect());
        }
        for e in apis
            .iter()
            .filter(|e| e.industry.as_deref() == Some(ind.as_str()))
        {
            if Instant::now() > ctx.deadline {
                return;
            }
            let mut owners: Vec<(usize, Value)> = Vec::new();
            for (i, token) in f.tokens.iter().enumerate() {
                let keys: Vec<Value> = match &e.serve {
                    Serve::Asset { asset_key, .. } => listed[i]
                        .iter()
                        .filter(|k| k.contains_key(&asset_key[0]))
                        .take(12)
                        .map(|k| {
                            asset_key
                                .iter()
                                .filter_map(|n| Some((n.clone(), json!(k.get(n)?))))
                                .collect::<serde_json::Map<_, _>>()
                                .into()
                        })
                        .collect(),
                    _ => vec![json!({})],
                };
                for key in keys {
                    let params = base_params(ctx, e, &f.org, &key);
                    let sent = ctx
                        .client
                        .send(&request(
                            ctx,
                            e,
                            &params,
                            None,
                            auth_headers(&ctx.tran_id(), "user-search", Some(token)),
                        ))
                        .await;
                    if matches!(sent.rsp_code(), Some("00000" | "00001")) {
                        owners.push((i, key));
                        break;
                    }
                }
                // An owner, and for asset APIs another customer's asset, is all the plan needs.
                let enough = if matches!(e.serve, Serve::Asset { .. }) {
                    2
                } else {
                    1
                };
                if owners.len() >= enough {
                    break;
                }
            }
            let found = ctx.found.get_mut(&ind).expect("industry");
            let mut owners = owners.into_iter();
            if let Some(first) = owners.next() {
                found.owner.insert(e.api_id.clone(), first);
            }
            if let (Serve::Asset { .. }, Some(second)) = (&e.serve, owners.next()) {
                found.other.insert(e.api_id.clone(), second);
            }
        }
    }
}

/// Logs in through the testbed's consent form: full consent for every customer of the provider,
/// and list-only consent for the first customer under the second client.
async fn login_industry(
    ctx: &Ctx,
    login: &TestbedLogin,
    industry: &str,
    f: &mut Found,
) -> Result<(), ToolError> {
    let customers = login.customers.get(industry).cloned().unwrap_or_default();
    let err = |why: String| ToolError::Login {
        industry: industry.to_owned(),
        why,
    };
    let first = customers
        .first()
        .ok_or_else(|| err("no test customer of this provider".into()))?;
    // The last customer is kept for the OAuth checks, which replace its consent.
    let keep = if customers.len() > 2 {
        customers.len() - 1
    } else {
        customers.len()
    };
    for c in &customers[..keep] {
        let code = consent_code(ctx, &login.client, &f.org, c, true)
            .await
            .map_err(err)?;
        f.tokens.push(
            exchange(
                ctx,
                &login.client,
                &f.org,
                &code,
                &login.client.redirect_uri,
            )
            .await
            .map_err(err)?,
        );
    }
    if let Some(other) = &login.second_client {
        let code = consent_code(ctx, other, &f.org, first, false)
            .await
            .map_err(err)?;
        f.list_only = Some(
            exchange(ctx, other, &f.org, &code, &other.redirect_uri)
                .await
                .map_err(err)?,
        );
    }
    Ok(())
}

/// authorize → the provider's login page → the consent form (all items, or none) → a code.
async fn consent_code(
    ctx: &Ctx,
    client: &ClientCredentials,
    org: &str,
    customer: &LoginCustomer,
    everything: bool,
) -> Result<String, String> {
    ctx.client.add_secret(&customer.ci);
    let query = form_urlencoded::Serializer::new(String::new())
        .extend_pairs([
            ("org_code", org),
            ("response_type", "code"),
            ("client_id", &client.client_id),
            ("redirect_uri", &client.redirect_uri),
            ("app_scheme", &client.app_scheme),
            ("state", "conformance"),
        ])
        .finish();
    let headers = vec![
        ("x-api-tran-id".to_owned(), ctx.tran_id()),
        ("x-user-ci".to_owned(), customer.ci.clone()),
    ];
    let sent = ctx
        .client
        .send(&Req {
            method: Method::GET,
            path: format!("/oauth/2.0/authorize?{query}"),
            headers,
            body: None,
        })
        .await;
    let location = sent.header("location").ok_or(format!(
        "authorize answered {:?} without a redirect: {}",
        sent.status, sent.text
    ))?;
    let rid = location
        .split("request_id=")
        .nth(1)
        .and_then(|r| r.split('&').next())
        .ok_or(format!("the login page {location} has no request_id"))?
        .to_owned();
    let form = |pairs: Vec<(String, String)>| Some(ReqBody::Form(pairs));
    let page = ctx
        .client
        .send(&Req {
            method: Method::POST,
            path: "/oauth/2.0/login".into(),
            headers: vec![],
            body: form(vec![
                ("request_id".into(), rid.clone()),
                ("customer_id".into(), customer.id.clone()),
                ("action".into(), "login".into()),
            ]),
        })
        .await;
    if page.status != Some(200) {
        return Err(format!(
            "the login page refused customer {}: {:?} {}",
            customer.id,
            page.status,
            page.header("location").unwrap_or("")
        ));
    }
    let mut pairs = vec![
        ("request_id".to_owned(), rid),
        ("customer_id".to_owned(), customer.id.clone()),
        ("action".to_owned(), "consent".to_owned()),
    ];
    if everything {
        pairs.push(("is_scheduled".into(), "true".into()));
        for name in ["asset", "scope"] {
            for v in form_values(&page.text, name) {
                pairs.push((name.to_owned(), v));
            }
        }
    }
    let done = ctx
        .client
        .send(&Req {
            method: Method::POST,
            path: "/oauth/2.0/consent".into(),
            headers: vec![],
            body: form(pairs),
        })
        .await;
    let back = done
        .header("location")
        .ok_or("the consent form did not redirect")?;
    let query = back.split_once('?').map(|(_, q)| q).unwrap_or("");
    form_urlencoded::parse(query.as_bytes())
        .find(|(k, _)| k == "code")
        .map(|(_, v)| v.into_owned())
        .ok_or(format!("no code in {back}"))
}

/// The `value`s of the checkboxes named `name` in the consent page.
fn form_values(html: &str, name: &str) -> Vec<String> {
    let marker = format!("name=\"{name}\"");
    html.split("<input")
        .filter(|tag| tag.contains(&marker))
        .filter_map(|tag| Some(tag.split("value=\"").nth(1)?.split('"').next()?.to_owned()))
        .collect()
}

async fn exchange(
    ctx: &Ctx,
    client: &ClientCredentials,
    org: &str,
    code: &str,
    redirect: &str,
) -> Result<String, String> {
    let sent = token_request(ctx, client, org, code, redirect, &client.client_secret).await;
    sent.json
        .as_ref()
        .and_then(|j| j.get("access_token"))
        .and_then(Value::as_str)
        .map(str::to_owned)
        .ok_or(format!(
            "the token endpoint answered {:?}: {}",
            sent.status, sent.text
        ))
}

async fn token_request(
    ctx: &Ctx,
    client: &ClientCredentials,
    org: &str,
    code: &str,
    redirect: &str,
    secret: &str,
) -> Sent {
    let pairs = [
        ("org_code", org),
        ("grant_type", "authorization_code"),
        ("code", code),
        ("client_id", &client.client_id),
        ("client_secret", secret),
        ("redirect_uri", redirect),
    ];
    let body = ReqBody::Form(
        pairs
            .iter()
            .map(|(k, v)| ((*k).to_owned(), (*v).to_owned()))
            .collect(),
    );
    ctx.client
        .send(&Req {
            method: Method::POST,
            path: "/oauth/2.0/token".into(),
            headers: vec![("x-api-tran-id".into(), ctx.tran_id())],
            body: Some(body),
        })
        .await
}

/// One case: its requests, its checks, its outcome.
async fn run_case(ctx: &Ctx, case: &Case) -> (CaseResult, Vec<&'static str>) {
    let started = Instant::now();
    let enabled = |id: &str| ctx.enabled(id);
    let mut f = Findings {
        case_id: &case.id,
        api_id: &case.entry.api_id,
        enabled: &enabled,
        out: Vec::new(),
    };
    let mut applied: Vec<&'static str> = vec!["transport", "json_body", "tran_id_echo"];
    let mut exchanges = 0;
    let skip = |reason: &str| Outcome::Skip {
        reason: reason.to_owned(),
    };
    let outcome = if Instant::now() > ctx.deadline {
        Some(skip("the run's time limit was reached before this case"))
    } else {
        match case_body(ctx, case, &mut f, &mut applied, &mut exchanges).await {
            Ok(()) => None,
            Err(reason) => Some(skip(&reason)),
        }
    };
    let outcome = outcome.unwrap_or_else(|| {
        if f.out.iter().any(|d| d.verdict == Verdict::Fail) {
            Outcome::Fail
        } else if f.out.is_empty() {
            Outcome::Pass
        } else {
            Outcome::Warn
        }
    });
    let result = CaseResult {
        case_id: case.id.clone(),
        industry: case.industry.clone(),
        api_id: case.entry.api_id.clone(),
        kind: case.kind.name().to_owned(),
        title: case.kind.title().to_owned(),
        outcome,
        deviations: f.out,
        exchanges,
        elapsed_ms: started.elapsed().as_millis() as u64,
    };
    (result, applied)
}

/// The requests and checks of a case; `Err` is a reason to skip it.
async fn case_body(
    ctx: &Ctx,
    case: &Case,
    f: &mut Findings<'_>,
    applied: &mut Vec<&'static str>,
    exchanges: &mut usize,
) -> Result<(), String> {
    let e = &*case.entry;
    let found = &ctx.found[&case.industry];
    let main = found
        .tokens
        .first()
        .ok_or("no access token for this industry (give one, or --login testbed)")?;
    let needs_asset = !matches!(
        case.kind,
        Kind::UnknownAsset
            | Kind::MissingTranId
            | Kind::MalformedTranId
            | Kind::MissingApiType
            | Kind::BadApiType
            | Kind::NoToken
            | Kind::TamperedToken
            | Kind::WrongMethod
            | Kind::WrongScope
    );
    let (token, key) = match found.owner.get(&e.api_id) {
        Some((i, key)) => (found.tokens[*i].as_str(), key.clone()),
        None if needs_asset => {
            return Err(
                "no customer's data answers this API (no asset of this kind, or not consented)"
                    .into(),
            );
        }
        None if case.kind == Kind::UnknownAsset => {
            return Err("no customer holds this API's scope, so an unknown asset would be refused for scope".into());
        }
        None => (main.as_str(), sample_key(e)),
    };
    let params = base_params(ctx, e, &found.org, &key);
    let mut send = |req: Req| {
        *exchanges += 1;
        ctx.client.send_owned(req)
    };
    let tran = ctx.tran_id();
    use Kind::*;
    match case.kind {
        Positive => {
            applied.extend([
                "positive_success",
                "response_schema_conformance",
                "values_are_strings",
                "count_matches_list",
                "code_values",
                "content_type_json",
            ]);
            let sent = send(request(
                ctx,
                e,
                &params,
                None,
                auth_headers(&tran, "user-search", Some(token)),
            ))
            .await;
            f.success(&ctx.spec, e, &sent, &tran);
        }
        Paging => {
            applied.extend([
                "pagination_chain",
                "pagination_limit_respected",
                "search_timestamp_semantics",
                "count_matches_list",
            ]);
            paging(ctx, e, &params, token, f, exchanges).await;
        }
        SearchTimestamp => {
            applied.push("search_timestamp_semantics");
            let sent = send(request(
                ctx,
                e,
                &params,
                None,
                auth_headers(&tran, "user-search", Some(token)),
            ))
            .await;
            if !f.success(&ctx.spec, e, &sent, &tran) {
                return Ok(());
            }
            let Some(st) = sent
                .json
                .as_ref()
                .and_then(|j| j.get("search_timestamp"))
                .and_then(Value::as_str)
                .map(str::to_owned)
            else {
                f.add(
                    "search_timestamp_semantics",
                    Verdict::Fail,
                    "no search_timestamp on the first page",
                    "a search_timestamp (N(14))",
                    "absent",
                    Some("/search_timestamp".into()),
                    &sent,
                );
                return Ok(());
            };
            let mut again = params.clone();
            again["search_timestamp"] = json!(st);
            let tran2 = ctx.tran_id();
            let sent = send(request(
                ctx,
                e,
                &again,
                None,
                auth_headers(&tran2, "user-search", Some(token)),
            ))
            .await;
            if f.success(&ctx.spec, e, &sent, &tran2)
                && sent.rsp_code() == Some("00001")
                && sent
                    .json
                    .as_ref()
                    .and_then(Value::as_object)
                    .is_some_and(|o| o.len() > 2)
            {
                let keys: Vec<&String> = sent
                    .json
                    .as_ref()
                    .and_then(Value::as_object)
                    .map(|o| o.keys().collect())
                    .unwrap_or_default();
                f.add(
                    "search_timestamp_semantics",
                    Verdict::Fail,
                    "00001 carries data",
                    "only rsp_code and rsp_msg",
                    format!("{keys:?}"),
                    None,
                    &sent,
                );
            }
        }
        kind => {
            let (check, expect) = kind
                .expectation()
                .expect("negative kinds have expectations");
            applied.push(check);
            let h = |api_type: &str, token: Option<&str>| auth_headers(&tran, api_type, token);
            // What the answer must echo: nothing without a tran id, else what was sent.
            let echo = match kind {
                MissingTranId => None,
                MalformedTranId => Some("bad-tran-id".to_owned()),
                _ => Some(tran.clone()),
            };
            let req = match kind {
                MissingTranId => {
                    let mut headers = h("user-search", Some(token));
                    headers.retain(|(k, _)| k != "x-api-tran-id");
                    request(ctx, e, &params, None, headers)
                }
                MalformedTranId => {
                    let mut headers = h("user-search", Some(token));
                    headers[0].1 = "bad-tran-id".into();
                    request(ctx, e, &params, None, headers)
                }
                MissingApiType => {
                    let mut headers = h("user-search", Some(token));
                    headers.retain(|(k, _)| k != "x-api-type");
                    request(ctx, e, &params, None, headers)
                }
                BadApiType => request(ctx, e, &params, None, h("regular", Some(token))),
                NoToken => request(ctx, e, &params, None, h("user-search", None)),
                TamperedToken => {
                    let tampered = tamper(token);
                    ctx.client.add_secret(&tampered);
                    request(ctx, e, &params, None, h("user-search", Some(&tampered)))
                }
                ExpiredToken => {
                    let t = found.expired.as_deref().ok_or("no expired token given")?;
                    request(ctx, e, &params, None, h("user-search", Some(t)))
                }
                RevokedToken => {
                    let client = ctx
                        .cfg
                        .client
                        .as_ref()
                        .ok_or("no client credentials to revoke with")?;
                    let pairs = vec![
                        ("org_code".to_owned(), found.org.clone()),
                        ("token".to_owned(), token.to_owned()),
                        ("client_id".to_owned(), client.client_id.clone()),
                        ("client_secret".to_owned(), client.client_secret.clone()),
                    ];
                    let revoke = Req {
                        method: Method::POST,
                        path: "/oauth/2.0/revoke".into(),
                        headers: vec![("x-api-tran-id".into(), ctx.tran_id())],
                        body: Some(ReqBody::Form(pairs)),
                    };
                    let answer = send(revoke).await;
                    if answer.status != Some(200) {
                        return Err(format!(
                            "revoke answered {:?}; the revoked-token check needs a working revoke",
                            answer.status
                        ));
                    }
                    request(ctx, e, &params, None, h("user-search", Some(token)))
                }
                LimitOverMax => {
                    let mut p = params.clone();
                    p["limit"] = json!("501");
                    request(ctx, e, &p, None, h("user-search", Some(token)))
                }
                FromAfterTo | TooOld | ScheduledWindow => {
                    let mut p = params.clone();
                    let today = ctx.today;
                    let monthly = e.takes("from_month");
                    let (from, to, api_type) = match (kind, monthly) {
                        (FromAfterTo, false) => {
                            (ymd(today), ymd(today - Days::new(1)), "user-search")
                        }
                        (FromAfterTo, true) => (
                            today.format("%Y%m").to_string(),
                            (today - Months::new(1)).format("%Y%m").to_string(),
                            "user-search",
                        ),
                        (TooOld, false) => (
                            ymd(today - Months::new(60) - Days::new(1)),
                            ymd(today),
                            "user-search",
                        ),
                        (TooOld, true) => (
                            (today - Months::new(61)).format("%Y%m").to_string(),
                            today.format("%Y%m").to_string(),
                            "user-search",
                        ),
                        (_, false) => {
                            let span = e
                                .scheduled_max_period
                                .map_or(Days::new(31), |_| Days::new(0));
                            let from = if span == Days::new(0) {
                                today - Months::new(3)
                            } else {
                                today - span
                            };
                            (ymd(from), ymd(today), "scheduled")
                        }
                        (_, true) => (
                            (today - Months::new(3)).format("%Y%m").to_string(),
                            today.format("%Y%m").to_string(),
                            "scheduled",
                        ),
                    };
                    let (fk, tk) = if monthly {
                        ("from_month", "to_month")
                    } else {
                        ("from_date", "to_date")
                    };
                    p[fk] = json!(from);
                    p[tk] = json!(to);
                    request(ctx, e, &p, None, h(api_type, Some(token)))
                }
                WrongOrgCode => {
                    let mut p = params.clone();
                    p["org_code"] = json!("ZZNOTOURS0");
                    request(ctx, e, &p, None, h("user-search", Some(token)))
                }
                UnknownAsset => {
                    let mut p = params.clone();
                    if let Serve::Asset { asset_key, .. } = &e.serve {
                        p[&asset_key[0]] = json!("9999999999990");
                    }
                    request(ctx, e, &p, None, h("user-search", Some(token)))
                }
                CrossCustomer => {
                    let (_, other) = found.other.get(&e.api_id).ok_or(
                        "no second customer's asset for this API (give a second customer's token)",
                    )?;
                    let p = base_params(ctx, e, &found.org, other);
                    request(ctx, e, &p, None, h("user-search", Some(token)))
                }
                WrongScope => {
                    let t = found
                        .list_only
                        .as_deref()
                        .ok_or("no list-only token (give one, or --login testbed)")?;
                    request(ctx, e, &params, None, h("user-search", Some(t)))
                }
                WrongMethod => {
                    let m = if e.method == SpecMethod::GET {
                        Method::POST
                    } else {
                        Method::GET
                    };
                    request(ctx, e, &params, Some(m), h("user-search", Some(token)))
                }
                UnknownPath => Req {
                    method: Method::GET,
                    path: format!("/{}/{}/no-such-api", ctx.spec.version(), case.industry),
                    headers: h("user-search", Some(token)),
                    body: None,
                },
                WrongVersion => {
                    let mut req = request(ctx, e, &params, None, h("user-search", Some(token)));
                    req.path = req
                        .path
                        .replacen(&format!("/{}/", ctx.spec.version()), "/v9/", 1);
                    req
                }
                OAuthBadClient => {
                    // Client authentication comes before the code, so any code will do.
                    let client = ctx
                        .cfg
                        .client
                        .as_ref()
                        .or(ctx.cfg.login.as_ref().map(|l| &l.client))
                        .ok_or("needs client credentials")?;
                    let sent = token_request(
                        ctx,
                        client,
                        &found.org,
                        "not-a-code",
                        &client.redirect_uri,
                        "wrongsecret0000",
                    )
                    .await;
                    *exchanges += 1;
                    let echo = sent
                        .exchange
                        .request
                        .headers
                        .iter()
                        .find(|(k, _)| k == "x-api-tran-id")
                        .map(|(_, v)| v.clone());
                    f.refusal(check, &sent, echo.as_deref(), expect, true);
                    return Ok(());
                }
                OAuthCodeReuse | OAuthRedirectMismatch => {
                    let login =
                        ctx.cfg.login.as_ref().ok_or(
                            "needs fresh authorization codes, which --login testbed provides",
                        )?;
                    // The last customer is not among the tokens in use (see login_industry).
                    let third = login
                        .customers
                        .get(&case.industry)
                        .filter(|c| c.len() > 2)
                        .and_then(|c| c.last())
                        .ok_or("needs a third customer of the provider, whose consent the checks replace")?;
                    let client = &login.client;
                    let sent = match kind {
                        OAuthCodeReuse => {
                            let code = consent_code(ctx, client, &found.org, third, false).await?;
                            let first = token_request(
                                ctx,
                                client,
                                &found.org,
                                &code,
                                &client.redirect_uri,
                                &client.client_secret,
                            )
                            .await;
                            if first.status != Some(200) {
                                return Err(format!(
                                    "the first exchange of a fresh code failed: {:?}",
                                    first.status
                                ));
                            }
                            token_request(
                                ctx,
                                client,
                                &found.org,
                                &code,
                                &client.redirect_uri,
                                &client.client_secret,
                            )
                            .await
                        }
                        _ => {
                            let other = client
                                .other_redirect_uri
                                .as_deref()
                                .ok_or("the client has one registered redirect URI only")?;
                            let code = consent_code(ctx, client, &found.org, third, false).await?;
                            token_request(
                                ctx,
                                client,
                                &found.org,
                                &code,
                                other,
                                &client.client_secret,
                            )
                            .await
                        }
                    };
                    *exchanges += 1;
                    let echo = sent
                        .exchange
                        .request
                        .headers
                        .iter()
                        .find(|(k, _)| k == "x-api-tran-id")
                        .map(|(_, v)| v.clone());
                    f.refusal(check, &sent, echo.as_deref(), expect, true);
                    return Ok(());
                }
                Positive | Paging | SearchTimestamp => unreachable!("handled above"),
            };
            let sent = send(req).await;
            f.refusal(check, &sent, echo.as_deref(), expect, false);
            if kind == CrossCustomer && sent.status.is_some_and(|s| (200..300).contains(&s)) {
                // A leak: keep the evidence, marked as the critical check it is.
                if let Some(d) = f.out.iter_mut().rev().find(|d| d.check_id == check) {
                    d.title = "another customer's asset was served: a data leak".into();
                }
            }
        }
    }
    Ok(())
}

/// Walks a paged API with a small limit: counts, no duplicates or gaps, termination, cursor form,
/// search_timestamp on page 1 only.
/// Sends one page of a paged API and runs the success checks on it; `None` when it failed
/// (the deviation is already recorded).
async fn fetch_page(
    ctx: &Ctx,
    e: &ApiEntry,
    params: &Value,
    token: &str,
    f: &mut Findings<'_>,
    exchanges: &mut usize,
) -> Option<Sent> {
    let tran = ctx.tran_id();
    let sent = ctx
        .client
        .send(&request(
            ctx,
            e,
            params,
            None,
            auth_headers(&tran, "user-search", Some(token)),
        ))
        .await;
    *exchanges += 1;
    f.success(&ctx.spec, e, &sent, &tran).then_some(sent)
}

async fn paging(
    ctx: &Ctx,
    e: &ApiEntry,
    params: &Value,
    token: &str,
    f: &mut Findings<'_>,
    exchanges: &mut usize,
) {
    let list = match &e.serve {
        Serve::List { list, .. } => Some(list.as_str()),
        other => other.view().and_then(|v| v.list),
    };
    let Some(list) = list else { return };
    let count = e
        .response
        .iter()
        .find(|x| x.count_of.as_deref() == Some(list))
        .map(|x| x.name.clone());
    // Learn the total with one big page, then walk with a limit that makes several pages.
    let Some(full) = fetch_page(ctx, e, params, token, f, exchanges).await else {
        return;
    };
    let count_items = |sent: &Sent| {
        sent.json
            .as_ref()
            .and_then(|j| j.get(list))
            .and_then(Value::as_array)
            .map_or(0, Vec::len)
    };
    // The total: the big pages of 500, followed to the end (bounded).
    let mut total = count_items(&full);
    let mut cursor = full
        .json
        .as_ref()
        .and_then(|j| j.get("next_page"))
        .and_then(Value::as_str)
        .map(str::to_owned);
    let mut big_pages = 1;
    while let Some(c) = cursor.take() {
        if Instant::now() > ctx.deadline {
            return;
        }
        if big_pages >= 20 {
            let at = format!("/{list}");
            f.add(
                "pagination_chain",
                Verdict::Fail,
                "next_page never ends",
                "a last page without next_page",
                format!("still a next_page after {big_pages} pages of 500"),
                Some(at),
                &full,
            );
            return;
        }
        let mut q = params.clone();
        q["next_page"] = json!(c);
        big_pages += 1;
        let Some(sent) = fetch_page(ctx, e, &q, token, f, exchanges).await else {
            return;
        };
        total += count_items(&sent);
        cursor = sent
            .json
            .as_ref()
            .and_then(|j| j.get("next_page"))
            .and_then(Value::as_str)
            .map(str::to_owned);
    }
    let limit = (total / 3).clamp(1, 50).max(total.div_ceil(50));
    let mut p = params.clone();
    p["limit"] = json!(limit.to_string());
    let mut seen: Vec<Value> = Vec::new();
    let mut page = 0;
    loop {
        page += 1;
        let Some(sent) = fetch_page(ctx, e, &p, token, f, exchanges).await else {
            return;
        };
        let body = sent.json.clone().unwrap_or_default();
        let items = body
            .get(list)
            .and_then(Value::as_array)
            .cloned()
            .unwrap_or_default();
        if items.len() > limit {
            f.add(
                "pagination_limit_respected",
                Verdict::Fail,
                "a page holds more items than limit",
                format!("at most {limit}"),
                items.len().to_string(),
                Some(format!("/{list}")),
                &sent,
            );
        }
        // An absent count is the schema's finding, a number instead of a string that of
        // values_are_strings: only the value is compared here.
        if let Some(c) = &count
            && let Some(n) = body.get(c)
            && n.as_str().map_or_else(|| n.to_string(), str::to_owned) != items.len().to_string()
        {
            f.add(
                "count_matches_list",
                Verdict::Fail,
                "the count is not the page's item count",
                items.len().to_string(),
                format!("{:?}", body.get(c)),
                Some(format!("/{c}")),
                &sent,
            );
        }
        if page > 1 && body.get("search_timestamp").is_some() {
            f.add(
                "search_timestamp_semantics",
                Verdict::Warn,
                "search_timestamp on a later page",
                "absent on pages 2..n",
                "present",
                Some("/search_timestamp".into()),
                &sent,
            );
        }
        for item in items {
            if seen.contains(&item) {
                f.add(
                    "pagination_chain",
                    Verdict::Fail,
                    "an item appears on two pages",
                    "each item once",
                    format!("page {page} repeats an item"),
                    Some(format!("/{list}")),
                    &sent,
                );
            } else {
                seen.push(item);
            }
        }
        match body.get("next_page").and_then(Value::as_str) {
            Some(cursor) => {
                if !cursor
                    .bytes()
                    .all(|b| b.is_ascii_alphanumeric() || b"-_.~%".contains(&b))
                {
                    f.add(
                        "pagination_chain",
                        Verdict::Fail,
                        "next_page is not URL-safe",
                        "URL-safe characters",
                        format!("{cursor:?}"),
                        Some("/next_page".into()),
                        &sent,
                    );
                }
                if page > total.div_ceil(limit) + 1 || seen.len() > total + limit {
                    f.add(
                        "pagination_chain",
                        Verdict::Fail,
                        "next_page never ends",
                        format!("{total} items over about {} pages", total.div_ceil(limit)),
                        format!("{page} pages, {} items", seen.len()),
                        Some("/next_page".into()),
                        &sent,
                    );
                    return;
                }
                p["next_page"] = json!(cursor);
            }
            None => {
                if seen.len() != total {
                    f.add(
                        "pagination_chain",
                        Verdict::Fail,
                        "paging lost or added items",
                        format!("{total} items (pages of 500)"),
                        format!("{} items over {page} pages", seen.len()),
                        Some(format!("/{list}")),
                        &sent,
                    );
                }
                return;
            }
        }
    }
}

/// The first string value of a field named `name` in a value, searching nested objects and lists.
fn find_field<'a>(v: &'a Value, name: &str) -> Option<&'a str> {
    match v {
        Value::Object(o) => o
            .get(name)
            .and_then(Value::as_str)
            .or_else(|| o.values().find_map(|x| find_field(x, name))),
        Value::Array(a) => a.iter().find_map(|x| find_field(x, name)),
        _ => None,
    }
}

/// A key of valid type for an asset API, for cases refused before the asset matters.
fn sample_key(e: &ApiEntry) -> Value {
    let mut key = json!({});
    if let Serve::Asset { asset_key, .. } = &e.serve {
        for k in asset_key {
            if let Some(p) = e.param(k) {
                key[k] = json!(p.ty.sample());
            }
        }
    }
    key
}

/// A token with one character of its signature changed (still well-formed).
fn tamper(token: &str) -> String {
    let mut chars: Vec<char> = token.chars().collect();
    if let Some(c) = chars.iter_mut().rev().nth(3) {
        *c = if *c == 'A' { 'B' } else { 'A' };
    }
    chars.into_iter().collect()
}

impl Client {
    /// `send` for a request built inline.
    pub async fn send_owned(&self, req: Req) -> Sent {
        self.send(&req).await
    }
}

fn worst(c: &CaseResult) -> (u8, Option<Severity>) {
    let rank = match c.outcome {
        Outcome::Fail => 0,
        Outcome::Warn => 1,
        Outcome::Skip { .. } => 3,
        Outcome::Pass => 2,
    };
    (rank, c.deviations.iter().map(|d| d.severity).max())
}

fn assemble(
    ctx: &Ctx,
    results: Vec<(CaseResult, Vec<&'static str>)>,
    started: chrono::DateTime<chrono::Utc>,
    elapsed: Duration,
) -> Report {
    let mut checks: Vec<CheckSummary> = CHECKS
        .iter()
        .filter(|c| ctx.enabled(c.id))
        .map(|c| CheckSummary {
            id: c.id.into(),
            severity: c.severity,
            clause: c.clause.into(),
            description: c.description.into(),
            passed: 0,
            failed: 0,
            warned: 0,
        })
        .collect();
    for (case, applied) in &results {
        if matches!(case.outcome, Outcome::Skip { .. }) {
            continue;
        }
        for s in checks.iter_mut() {
            let devs: Vec<&Deviation> = case
                .deviations
                .iter()
                .filter(|d| d.check_id == s.id)
                .collect();
            if devs.iter().any(|d| d.verdict == Verdict::Fail) {
                s.failed += 1;
            } else if !devs.is_empty() {
                s.warned += 1;
            } else if applied.contains(&s.id.as_str()) {
                s.passed += 1;
            }
        }
    }
    let mut cases: Vec<CaseResult> = results.into_iter().map(|(c, _)| c).collect();
    cases.sort_by(|a, b| {
        let (ra, sa) = worst(a);
        let (rb, sb) = worst(b);
        ra.cmp(&rb)
            .then(sb.cmp(&sa))
            .then(a.industry.cmp(&b.industry))
            .then(a.api_id.cmp(&b.api_id))
            .then(a.case_id.cmp(&b.case_id))
    });
    let mut totals = Totals {
        cases: cases.len(),
        ..Default::default()
    };
    for c in &cases {
        match c.outcome {
            Outcome::Pass => totals.pass += 1,
            Outcome::Fail => totals.fail += 1,
            Outcome::Warn => totals.warn += 1,
            Outcome::Skip { .. } => totals.skip += 1,
        }
        totals.deviations += c.deviations.len();
    }
    let baseline = ctx.cfg.baseline.as_ref().map(|known| {
        let now: HashSet<String> = cases
            .iter()
            .flat_map(|c| c.deviations.iter().map(Deviation::fingerprint))
            .collect();
        let mut diff = BaselineDiff {
            known: known.iter().filter(|k| now.contains(*k)).cloned().collect(),
            fixed: known
                .iter()
                .filter(|k| !now.contains(*k))
                .cloned()
                .collect(),
        };
        diff.known.sort();
        diff.fixed.sort();
        diff
    });
    Report {
        tool: format!("mydata-testbed {}", env!("CARGO_PKG_VERSION")),
        target: ctx.cfg.target.clone(),
        spec_version: ctx.spec.version().to_owned(),
        started: started.to_rfc3339_opts(chrono::SecondsFormat::Secs, true),
        elapsed_ms: elapsed.as_millis() as u64,
        industries: ctx.found.keys().cloned().collect(),
        totals,
        cases,
        checks,
        baseline,
    }
}

/// Credentials for a run against a testbed serving these fixtures: every provider's org_code,
/// the first two registered clients, and per industry its customers, richest first.
pub fn testbed_login(
    fixtures: &crate::fixtures::FixtureStore,
    only: &[String],
) -> (BTreeMap<String, IndustryCredentials>, TestbedLogin) {
    let mut clients: Vec<&crate::fixtures::Client> = fixtures.clients.values().collect();
    clients.sort_by(|a, b| b.client_id.cmp(&a.client_id));
    let creds = |c: &crate::fixtures::Client| ClientCredentials {
        client_id: c.client_id.clone(),
        client_secret: c.client_secret.expose().to_owned(),
        redirect_uri: c.redirect_uris.first().cloned().unwrap_or_default(),
        app_scheme: c.app_scheme.clone(),
        other_redirect_uri: c.redirect_uris.get(1).cloned(),
    };
    let mut industries = BTreeMap::new();
    let mut customers = BTreeMap::new();
    for p in fixtures
        .providers
        .iter()
        .filter(|p| only.is_empty() || only.contains(&p.industry))
    {
        industries.insert(
            p.industry.clone(),
            IndustryCredentials {
                org_code: p.org_code.clone(),
                ..Default::default()
            },
        );
        let mut with: Vec<(usize, LoginCustomer)> = fixtures
            .customers
            .iter()
            .filter_map(|c| {
                let h = fixtures.holding(&p.industry, &c.id)?;
                Some((
                    h.assets.len() + h.customer_apis.len(),
                    LoginCustomer {
                        id: c.id.clone(),
                        ci: c.ci.clone(),
                    },
                ))
            })
            .collect();
        with.sort_by_key(|(n, _)| std::cmp::Reverse(*n));
        customers.insert(
            p.industry.clone(),
            with.into_iter().map(|(_, c)| c).collect(),
        );
    }
    let login = TestbedLogin {
        client: clients.first().map(|c| creds(c)).unwrap_or_default(),
        second_client: clients.get(1).map(|c| creds(c)),
        customers,
    };
    (industries, login)
}
