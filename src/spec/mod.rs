//! The standard as data: the model of `specs/` and its loader.
//!
//! `specs/<version>/common.json` holds the common rules (headers, `x-api-type`, the `rsp_code`
//! table), `auth.json` the 개별인증 APIs, `shared.json` the APIs several industries share and
//! `<industry>.json` each industry's APIs. See `specs/README.md` for the file format. Everything the
//! server routes, validates and renders, and everything the conformance client checks, is read from
//! here: Rust code names API ids and field roles, never paths or field lists.

pub mod openapi;
pub mod types;
pub mod validate;

use std::collections::HashMap;
use std::fmt;
use std::sync::Arc;

use serde::{Deserialize, Serialize};

use crate::source::{ReadError, Source};
pub use types::FieldType;

/// The whole standard for one version, loaded and checked.
#[derive(Debug)]
pub struct Spec {
    pub common: Common,
    /// 개별인증-001..004.
    pub auth: Vec<Arc<ApiEntry>>,
    /// Information-provision APIs of every industry that has a spec file, shared ones expanded.
    pub apis: Vec<Arc<ApiEntry>>,
    index: HashMap<(String, String), usize>,
    rsp: HashMap<String, RspCode>,
}

/// `common.json`.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Common {
    pub version: String,
    pub min_version: String,
    #[serde(rename = "ref")]
    pub reference: String,
    pub industries: Vec<Industry>,
    pub headers: Vec<Header>,
    pub tran_id: TranIdRule,
    pub api_types: Vec<ApiType>,
    pub limits: Limits,
    pub response_common: Vec<Field>,
    pub rsp_codes: Vec<RspCode>,
    pub oauth_errors: Vec<OAuthErrorDef>,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Industry {
    pub code: String,
    pub name: String,
    #[serde(rename = "ref")]
    pub reference: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Header {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: FieldType,
    pub required: bool,
    pub applies: Vec<String>,
    #[serde(rename = "ref")]
    pub reference: String,
    pub desc: String,
}

/// The layout of `x-api-tran-id` (§1.4.1).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct TranIdRule {
    #[serde(rename = "ref")]
    pub reference: String,
    pub length: usize,
    pub org_code_len: usize,
    pub issuers: std::collections::BTreeMap<String, String>,
}

/// One `x-api-type` value and its period rule (§1.4.2, §1.8).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ApiType {
    pub value: String,
    #[serde(rename = "ref")]
    pub reference: String,
    pub scheduled: bool,
    #[serde(default)]
    pub max_period_days: Option<Period>,
    #[serde(default)]
    pub max_period_months: Option<Period>,
    #[serde(default)]
    pub lookback: Option<Period>,
    pub desc: String,
}

#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Limits {
    #[serde(rename = "ref")]
    pub reference: String,
    pub max_page_limit: u32,
    pub max_history_age: Period,
    pub code_ttl_max_secs: u64,
    pub access_token_ttl_max_secs: u64,
    pub refresh_token_ttl_max_secs: u64,
    pub consent_max_duration: Period,
}

/// A row of the `rsp_code` table (§5.1).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct RspCode {
    pub code: String,
    pub http: u16,
    pub msg: String,
    pub desc: String,
}

/// A row of the OAuth error table (§2.5).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct OAuthErrorDef {
    pub error: String,
    pub http: u16,
    pub desc: String,
}

/// A span of calendar time written `31D`, `3M`, `5Y`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Period {
    Days(u32),
    Months(u32),
    Years(u32),
}

impl Period {
    /// The date `self` before `date` (month arithmetic clamps to the month's last day).
    pub fn before(self, date: chrono::NaiveDate) -> chrono::NaiveDate {
        use chrono::{Days, Months};
        match self {
            Period::Days(n) => date - Days::new(u64::from(n)),
            Period::Months(n) => date - Months::new(n),
            Period::Years(n) => date - Months::new(n * 12),
        }
    }

    /// The date `self` after `date`.
    pub fn after(self, date: chrono::NaiveDate) -> chrono::NaiveDate {
        use chrono::{Days, Months};
        match self {
            Period::Days(n) => date + Days::new(u64::from(n)),
            Period::Months(n) => date + Months::new(n),
            Period::Years(n) => date + Months::new(n * 12),
        }
    }
}

impl std::str::FromStr for Period {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        let bad = || format!("`{s}` is not a period like 31D, 3M or 5Y");
        let (num, unit) = s.split_at(s.len().checked_sub(1).ok_or_else(bad)?);
        let n: u32 = num.parse().map_err(|_| bad())?;
        match unit {
            "D" => Ok(Period::Days(n)),
            "M" => Ok(Period::Months(n)),
            "Y" => Ok(Period::Years(n)),
            _ => Err(bad()),
        }
    }
}

impl fmt::Display for Period {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        match self {
            Period::Days(n) => write!(f, "{n}D"),
            Period::Months(n) => write!(f, "{n}M"),
            Period::Years(n) => write!(f, "{n}Y"),
        }
    }
}

impl<'de> Deserialize<'de> for Period {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        String::deserialize(d)?
            .parse()
            .map_err(serde::de::Error::custom)
    }
}

impl Serialize for Period {
    fn serialize<S: serde::Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        s.collect_str(self)
    }
}

/// HTTP methods the standard uses (§1.1: only GET and POST).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
pub enum Method {
    GET,
    POST,
}

/// Where a request parameter travels.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize, Serialize)]
#[serde(rename_all = "lowercase")]
pub enum Location {
    Query,
    Body,
    Form,
    Header,
    Path,
}

/// A request parameter.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Param {
    pub name: String,
    #[serde(rename = "in")]
    pub location: Location,
    #[serde(rename = "type")]
    pub ty: FieldType,
    pub required: bool,
    #[serde(default)]
    pub desc: String,
}

/// A response field; lists carry their item fields.
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct Field {
    pub name: String,
    #[serde(rename = "type")]
    pub ty: FieldType,
    #[serde(default)]
    pub required: bool,
    #[serde(default)]
    pub desc: String,
    /// For a count field (`*_cnt`): the list it counts.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub count_of: Option<String>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub items: Vec<Field>,
}

/// How the testbed serves an API (not part of the standard; see `specs/README.md`).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Serve {
    /// An asset list: every asset of the customer that has an entry for this API id.
    List {
        asset_key: Vec<String>,
        list: String,
        consent_flag: String,
    },
    /// One asset's data, optionally with a paged (and date-filtered) list.
    Asset {
        asset_key: Vec<String>,
        #[serde(default)]
        list: Option<String>,
        #[serde(default)]
        date_field: Option<String>,
    },
    /// 정보제공-공통-001.
    Apis,
    /// 정보제공-공통-002.
    Consents,
    /// 개별인증-001.
    Authorize,
    /// 개별인증-002/003.
    Token,
    /// 개별인증-004.
    Revoke,
}

/// One API of the standard, as transcribed (shared entries already expanded for one industry).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct ApiEntry {
    pub api_id: String,
    pub name: String,
    #[serde(default)]
    pub api_code: Option<String>,
    pub method: Method,
    pub path: String,
    /// The industry whose provider serves it (`None` for 개별인증).
    #[serde(default)]
    pub industry: Option<String>,
    #[serde(default, skip_serializing)]
    pub industries: Vec<String>,
    #[serde(default)]
    pub scope: Option<String>,
    #[serde(default)]
    pub class: Option<String>,
    #[serde(default)]
    pub scheduled_max_period: Option<Period>,
    #[serde(default)]
    pub grant_type: Option<String>,
    #[serde(rename = "ref")]
    pub reference: String,
    pub serve: Serve,
    #[serde(default)]
    pub uncertain: Option<String>,
    pub request: Vec<Param>,
    pub response: Vec<Field>,
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub redirect: Vec<Field>,
}

impl ApiEntry {
    /// The request parameter of that name.
    pub fn param(&self, name: &str) -> Option<&Param> {
        self.request.iter().find(|p| p.name == name)
    }

    /// Whether the API takes that request parameter (`limit`, `search_timestamp`, `from_date`...).
    pub fn takes(&self, name: &str) -> bool {
        self.param(name).is_some()
    }

    /// The response field of that name, at the top level.
    pub fn field(&self, name: &str) -> Option<&Field> {
        self.response.iter().find(|f| f.name == name)
    }

    /// The URL path as served, e.g. `/v1/bank/accounts` (개별인증 paths carry no version).
    pub fn full_path(&self, version: &str) -> String {
        if self.industry.is_some() {
            format!("/{version}{}", self.path)
        } else {
            self.path.clone()
        }
    }

    /// A short label for logs and messages: `은행-001` or `IRP-001(bank)` for shared APIs.
    pub fn label(&self) -> String {
        match &self.industry {
            Some(ind) if !self.industries.is_empty() => format!("{}({ind})", self.api_id),
            _ => self.api_id.clone(),
        }
    }

    /// Whether this is a list-scope API (callable with only `<industry>.list`).
    pub fn is_list_scope(&self) -> bool {
        self.scope.as_deref().is_some_and(|s| s.ends_with(".list"))
    }
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct ApiFile {
    #[serde(rename = "ref")]
    _reference: String,
    #[serde(default)]
    industry: Option<String>,
    apis: Vec<ApiEntry>,
}

/// A spec that cannot be loaded, naming the file and what is wrong.
#[derive(Debug, thiserror::Error)]
pub enum SpecError {
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("{file}: {message}")]
    Invalid { file: String, message: String },
}

impl Spec {
    /// Loads `<version>/` of a spec source and checks that it is consistent.
    pub fn load(source: &Source, version: &str) -> Result<Spec, SpecError> {
        let file = |name: &str| format!("{version}/{name}");
        let parse = |rel: &str| -> Result<serde_json::Value, SpecError> {
            let text = source.read(rel)?;
            serde_json::from_str(&text).map_err(|e| SpecError::Invalid {
                file: source.display(rel),
                message: e.to_string(),
            })
        };
        let typed = |rel: &str, v: serde_json::Value| -> Result<ApiFile, SpecError> {
            serde_json::from_value(v).map_err(|e| SpecError::Invalid {
                file: source.display(rel),
                message: e.to_string(),
            })
        };

        let common_rel = file("common.json");
        let common: Common =
            serde_json::from_value(parse(&common_rel)?).map_err(|e| SpecError::Invalid {
                file: source.display(&common_rel),
                message: e.to_string(),
            })?;

        let auth_rel = file("auth.json");
        let auth = typed(&auth_rel, parse(&auth_rel)?)?.apis;

        // Industry files first, so shared entries expand only for industries that are specified.
        let mut apis = Vec::new();
        let mut specified = Vec::new();
        for ind in &common.industries {
            let rel = file(&format!("{}.json", ind.code));
            if !source.exists(&rel) {
                continue;
            }
            let parsed = typed(&rel, parse(&rel)?)?;
            if parsed.industry.as_deref() != Some(ind.code.as_str()) {
                return Err(SpecError::Invalid {
                    file: source.display(&rel),
                    message: format!("`industry` must be \"{}\"", ind.code),
                });
            }
            specified.push(ind.code.clone());
            for mut entry in parsed.apis {
                entry.industry = Some(ind.code.clone());
                apis.push(entry);
            }
        }
        let shared_rel = file("shared.json");
        if source.exists(&shared_rel) {
            for entry in typed(&shared_rel, parse(&shared_rel)?)?.apis {
                for ind in entry.industries.iter().filter(|i| specified.contains(i)) {
                    let mut e = entry.clone();
                    e.path = e.path.replace("{industry}", ind);
                    e.scope = e.scope.map(|s| s.replace("{industry}", ind));
                    e.industry = Some(ind.clone());
                    apis.push(e);
                }
            }
        }

        let spec = Spec::assemble(common, auth, apis);
        spec.check().map_err(|message| SpecError::Invalid {
            file: source.display(version),
            message,
        })?;
        Ok(spec)
    }

    fn assemble(common: Common, auth: Vec<ApiEntry>, apis: Vec<ApiEntry>) -> Spec {
        let apis: Vec<Arc<ApiEntry>> = apis.into_iter().map(Arc::new).collect();
        let index = apis
            .iter()
            .enumerate()
            .filter_map(|(i, e)| Some(((e.industry.clone()?, e.api_id.clone()), i)))
            .collect();
        let rsp = common
            .rsp_codes
            .iter()
            .map(|r| (r.code.clone(), r.clone()))
            .collect();
        Spec {
            auth: auth.into_iter().map(Arc::new).collect(),
            apis,
            index,
            rsp,
            common,
        }
    }

    /// Internal consistency: ids unique, counts name lists, `serve` names existing fields.
    fn check(&self) -> Result<(), String> {
        let mut seen = std::collections::HashSet::new();
        for e in self.apis.iter().chain(&self.auth) {
            let at = |m: String| format!("{}: {m}", e.label());
            if !seen.insert((e.industry.clone(), e.api_id.clone())) {
                return Err(at("API id appears twice for the same industry".into()));
            }
            check_counts(&e.response).map_err(at)?;
            if e.industry.is_some() && e.scope.is_none() {
                return Err(at("an information-provision API needs a `scope`".into()));
            }
            match &e.serve {
                Serve::List {
                    asset_key, list, ..
                }
                | Serve::Asset {
                    asset_key,
                    list: Some(list),
                    ..
                } => {
                    if e.field(list).is_none_or(|f| f.ty != FieldType::List) {
                        return Err(at(format!(
                            "serve.list `{list}` is not a list field of the response"
                        )));
                    }
                    check_keys(e, asset_key).map_err(at)?;
                }
                Serve::Asset { asset_key, .. } => check_keys(e, asset_key).map_err(at)?,
                _ => {}
            }
            if let Serve::Asset {
                list: Some(list),
                date_field: Some(df),
                ..
            } = &e.serve
            {
                let item = e
                    .field(list)
                    .and_then(|l| l.items.iter().find(|f| &f.name == df));
                if item.is_none_or(|f| !matches!(f.ty, FieldType::Date | FieldType::DTime)) {
                    return Err(at(format!(
                        "serve.date_field `{df}` is not a DATE/DTIME field of `{list}`"
                    )));
                }
            }
        }
        for code in crate::server::error::RspCodeName::ALL {
            if !self.rsp.contains_key(code.code()) {
                return Err(format!(
                    "common.json: rsp_codes lacks {} used by the server",
                    code.code()
                ));
            }
        }
        Ok(())
    }

    /// The information-provision API `api_id` of `industry`.
    pub fn api(&self, industry: &str, api_id: &str) -> Option<&Arc<ApiEntry>> {
        self.index
            .get(&(industry.to_owned(), api_id.to_owned()))
            .map(|&i| &self.apis[i])
    }

    /// The 개별인증 API `api_id`.
    pub fn auth_api(&self, api_id: &str) -> Option<&Arc<ApiEntry>> {
        self.auth.iter().find(|e| e.api_id == api_id)
    }

    /// The APIs of one industry, in file order.
    pub fn industry_apis<'a>(
        &'a self,
        industry: &'a str,
    ) -> impl Iterator<Item = &'a Arc<ApiEntry>> {
        self.apis
            .iter()
            .filter(move |e| e.industry.as_deref() == Some(industry))
    }

    /// Industries that have APIs in this spec.
    pub fn industries(&self) -> Vec<&str> {
        let mut out: Vec<&str> = Vec::new();
        for e in &self.apis {
            if let Some(i) = e.industry.as_deref()
                && !out.contains(&i)
            {
                out.push(i);
            }
        }
        out
    }

    /// The `rsp_code` table row for a code.
    pub fn rsp(&self, code: &str) -> Option<&RspCode> {
        self.rsp.get(code)
    }

    /// The HTTP status of an OAuth error (§2.5).
    pub fn oauth_status(&self, error: &str) -> Option<u16> {
        self.common
            .oauth_errors
            .iter()
            .find(|e| e.error == error)
            .map(|e| e.http)
    }

    /// The `x-api-type` definition for a header value.
    pub fn api_type(&self, value: &str) -> Option<&ApiType> {
        self.common.api_types.iter().find(|t| t.value == value)
    }

    /// The version segment served (`v1`).
    pub fn version(&self) -> &str {
        &self.common.version
    }
}

fn check_counts(fields: &[Field]) -> Result<(), String> {
    for f in fields {
        if let Some(list) = &f.count_of
            && !fields
                .iter()
                .any(|g| &g.name == list && g.ty == FieldType::List)
        {
            return Err(format!(
                "`{}` counts `{list}`, which is not a sibling list",
                f.name
            ));
        }
        if f.ty == FieldType::List && f.items.is_empty() {
            return Err(format!("list `{}` has no items", f.name));
        }
        check_counts(&f.items)?;
    }
    Ok(())
}

fn check_keys(e: &ApiEntry, keys: &[String]) -> Result<(), String> {
    if keys.is_empty() {
        return Err("serve.asset_key is empty".into());
    }
    if matches!(e.serve, Serve::Asset { .. }) {
        for k in keys {
            if !e.takes(k) {
                return Err(format!("serve.asset_key `{k}` is not a request parameter"));
            }
        }
        if e.param(&keys[0]).is_none_or(|p| !p.required) {
            return Err(format!(
                "the first asset key `{}` must be a required parameter",
                keys[0]
            ));
        }
    }
    Ok(())
}
