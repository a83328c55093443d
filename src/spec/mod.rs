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
    #[serde(default)]
    pub market_hours: Option<MarketHours>,
}

/// When invest providers refuse calls around the market's open and close (50010).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(deny_unknown_fields)]
pub struct MarketHours {
    #[serde(rename = "ref")]
    pub reference: String,
    pub industries: Vec<String>,
    pub rsp_code: String,
    /// `HH:MM-HH:MM`, Korean time.
    pub windows: Vec<String>,
    pub weekdays_only: bool,
    pub uncertain: String,
}

impl MarketHours {
    /// Whether `at` (Korean local time) falls in a refusal window for `industry`.
    pub fn refuses(&self, industry: &str, at: chrono::NaiveDateTime) -> bool {
        use chrono::{Datelike, NaiveTime, Weekday};
        if !self.industries.iter().any(|i| i == industry) {
            return false;
        }
        if self.weekdays_only && matches!(at.weekday(), Weekday::Sat | Weekday::Sun) {
            return false;
        }
        let t = at.time();
        self.windows.iter().any(|w| {
            let parse = |s: &str| NaiveTime::parse_from_str(s.trim(), "%H:%M").ok();
            match w.split_once('-').map(|(a, b)| (parse(a), parse(b))) {
                Some((Some(a), Some(b))) => a <= t && t < b,
                _ => false,
            }
        })
    }
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
    /// For code fields whose values the standard enumerates (§3.19): the allowed values.
    #[serde(default, rename = "enum", skip_serializing_if = "Vec::is_empty")]
    pub allowed: Vec<String>,
}

/// A domain rule fixtures must keep, beyond each field's type (checked at load).
#[derive(Debug, Clone, Deserialize, Serialize)]
#[serde(tag = "rule", rename_all = "snake_case", deny_unknown_fields)]
pub enum Invariant {
    /// In a history list (newest first), each item's balance is the older item's balance plus
    /// (credit codes of `by`) or minus (debit codes) its amount; other codes are not checked.
    /// Without `by`, every item is a debit (a list of repayments).
    RunningBalance {
        list: String,
        amount: String,
        balance: String,
        #[serde(default)]
        by: Option<String>,
        #[serde(default)]
        credit: Vec<String>,
        #[serde(default)]
        debit: Vec<String>,
    },
    /// The value at `field` (a JSON pointer into this API's body) equals the value at `latest`
    /// in the same asset's body of API `api` (e.g. a current balance and the newest transaction).
    MatchesLatest {
        field: String,
        api: String,
        latest: String,
    },
    /// Every item of `list` names, in `field`, an asset of the same customer whose key `key` it is.
    RefersToAsset {
        list: String,
        field: String,
        key: String,
    },
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
    /// One asset's data, optionally with a paged and filtered list.
    Asset {
        asset_key: Vec<String>,
        #[serde(default)]
        list: Option<String>,
        #[serde(default)]
        date_field: Option<String>,
        #[serde(default)]
        month_field: Option<String>,
        #[serde(default, rename = "match")]
        matching: Vec<String>,
    },
    /// Data of the customer rather than of one asset (card points, bills...), likewise paged.
    Customer {
        #[serde(default)]
        list: Option<String>,
        #[serde(default)]
        date_field: Option<String>,
        #[serde(default)]
        month_field: Option<String>,
        #[serde(default, rename = "match")]
        matching: Vec<String>,
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

impl Serve {
    /// The field that names an asset (`account_num`, `card_id`, ...), where the API has one.
    pub fn primary_asset_key(&self) -> Option<&str> {
        match self {
            Serve::List { asset_key, .. } | Serve::Asset { asset_key, .. } => {
                asset_key.first().map(String::as_str)
            }
            _ => None,
        }
    }
}

/// How an `asset` or `customer` API pages and filters one list of its body.
#[derive(Debug, Clone, Copy, Default)]
pub struct ListView<'a> {
    pub list: Option<&'a str>,
    pub date_field: Option<&'a str>,
    pub month_field: Option<&'a str>,
    pub matching: &'a [String],
}

impl Serve {
    /// The list view of `asset` and `customer` entries.
    pub fn view(&self) -> Option<ListView<'_>> {
        match self {
            Serve::Asset {
                list,
                date_field,
                month_field,
                matching,
                ..
            }
            | Serve::Customer {
                list,
                date_field,
                month_field,
                matching,
            } => Some(ListView {
                list: list.as_deref(),
                date_field: date_field.as_deref(),
                month_field: month_field.as_deref(),
                matching,
            }),
            _ => None,
        }
    }
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
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub invariants: Vec<Invariant>,
    /// The version segment the API is served under (`v1`; `v2` for the v2 additions).
    #[serde(default)]
    pub version: Option<String>,
    /// False where the reference does not confirm the path (the v2 additions of §3.18).
    #[serde(default = "confirmed")]
    pub path_confirmed: bool,
}

fn confirmed() -> bool {
    true
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

    /// The URL path as served, e.g. `/v1/bank/accounts`: the entry's own version segment, else
    /// `version` (개별인증 paths carry no version).
    pub fn full_path(&self, version: &str) -> String {
        match (&self.industry, &self.version) {
            (Some(_), Some(own)) => format!("/{own}{}", self.path),
            (Some(_), None) => format!("/{version}{}", self.path),
            (None, _) => self.path.clone(),
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

/// `<version>/manifest.json` of a version that extends another.
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct Manifest {
    version: String,
    min_version: String,
    extends: String,
    #[serde(rename = "ref")]
    _reference: String,
    #[serde(default)]
    _uncertain: Option<String>,
}

fn parse_as<T: for<'de> Deserialize<'de>>(source: &Source, rel: &str) -> Result<T, SpecError> {
    let text = source.read(rel)?;
    serde_json::from_str(&text).map_err(|e| SpecError::Invalid {
        file: source.display(rel),
        message: e.to_string(),
    })
}

/// One version directory: common rules, 개별인증, information APIs, the industries specified.
type Tree = (Common, Vec<ApiEntry>, Vec<ApiEntry>, Vec<String>);

/// Loads one version directory: common rules, 개별인증, industry files and shared entries
/// expanded for the industries that have a file. Returns the industries specified too.
fn load_tree(source: &Source, version: &str) -> Result<Tree, SpecError> {
    let common: Common = parse_as(source, &format!("{version}/common.json"))?;
    let auth = parse_as::<ApiFile>(source, &format!("{version}/auth.json"))?.apis;
    let mut apis = Vec::new();
    let mut specified = Vec::new();
    for ind in &common.industries {
        let rel = format!("{version}/{}.json", ind.code);
        if !source.exists(&rel) {
            continue;
        }
        let parsed: ApiFile = parse_as(source, &rel)?;
        if parsed.industry.as_deref() != Some(ind.code.as_str()) {
            let message = format!("`industry` must be \"{}\"", ind.code);
            return Err(SpecError::Invalid {
                file: source.display(&rel),
                message,
            });
        }
        specified.push(ind.code.clone());
        for mut entry in parsed.apis {
            entry.industry = Some(ind.code.clone());
            entry.version.get_or_insert_with(|| common.version.clone());
            apis.push(entry);
        }
    }
    let shared_rel = format!("{version}/shared.json");
    if source.exists(&shared_rel) {
        for entry in parse_as::<ApiFile>(source, &shared_rel)?.apis {
            for ind in entry.industries.iter().filter(|i| specified.contains(i)) {
                let mut e = entry.clone();
                e.path = e.path.replace("{industry}", ind);
                e.scope = e.scope.map(|s| s.replace("{industry}", ind));
                e.industry = Some(ind.clone());
                e.version.get_or_insert_with(|| common.version.clone());
                apis.push(e);
            }
        }
    }
    Ok((common, auth, apis, specified))
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
        let manifest_rel = format!("{version}/manifest.json");
        let (common, auth, apis) = if source.exists(&manifest_rel) {
            // A later version extends an earlier one: its APIs are added, and only they are
            // served under the new version segment (reference §1.1, §3.18).
            let manifest: Manifest = parse_as(source, &manifest_rel)?;
            let (mut common, auth, mut apis, specified) = load_tree(source, &manifest.extends)?;
            common.version = manifest.version.clone();
            common.min_version = manifest.min_version.clone();
            for ind in &specified {
                let rel = format!("{version}/{ind}.json");
                if source.exists(&rel) {
                    let file: ApiFile = parse_as(source, &rel)?;
                    for mut entry in file.apis {
                        entry.industry = Some(ind.clone());
                        entry
                            .version
                            .get_or_insert_with(|| manifest.version.clone());
                        apis.push(entry);
                    }
                }
            }
            (common, auth, apis)
        } else {
            let (common, auth, apis, _) = load_tree(source, version)?;
            (common, auth, apis)
        };
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
                } => {
                    if e.field(list).is_none_or(|f| f.ty != FieldType::List) {
                        return Err(at(format!(
                            "serve.list `{list}` is not a list field of the response"
                        )));
                    }
                    if asset_key.is_empty() {
                        return Err(at("serve.asset_key is empty".into()));
                    }
                }
                Serve::Asset { asset_key, .. } => check_keys(e, asset_key).map_err(at)?,
                _ => {}
            }
            if let Some(view) = e.serve.view() {
                check_view(e, view).map_err(at)?;
            }
        }
        if let Some(m) = &self.common.market_hours {
            let parse = |s: &str| chrono::NaiveTime::parse_from_str(s.trim(), "%H:%M").is_ok();
            if m.windows.iter().any(|w| {
                w.split_once('-')
                    .is_none_or(|(a, b)| !parse(a) || !parse(b))
            }) {
                return Err("common.json: market_hours.windows must be HH:MM-HH:MM".into());
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
    /// The `rsp_code` table in the spec's order.
    pub fn rsp_codes(&self) -> impl Iterator<Item = &RspCode> {
        self.common.rsp_codes.iter()
    }

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

fn check_view(e: &ApiEntry, view: ListView<'_>) -> Result<(), String> {
    let filters =
        view.date_field.is_some() || view.month_field.is_some() || !view.matching.is_empty();
    let Some(list) = view.list else {
        return if filters {
            Err("serve filters need serve.list".into())
        } else {
            Ok(())
        };
    };
    let items = match e.field(list) {
        Some(f) if f.ty == FieldType::List => &f.items,
        _ => {
            return Err(format!(
                "serve.list `{list}` is not a list field of the response"
            ));
        }
    };
    let item = |name: &str| items.iter().find(|f| f.name == name);
    if let Some(df) = view.date_field
        && item(df).is_none_or(|f| !matches!(f.ty, FieldType::Date | FieldType::DTime))
    {
        return Err(format!(
            "serve.date_field `{df}` is not a DATE/DTIME field of `{list}`"
        ));
    }
    if let Some(mf) = view.month_field
        && item(mf)
            .is_none_or(|f| !matches!(f.ty, FieldType::N(6) | FieldType::Date | FieldType::DTime))
    {
        return Err(format!(
            "serve.month_field `{mf}` is not a YYYYMM/DATE/DTIME field of `{list}`"
        ));
    }
    for (field, params) in [
        (view.date_field, ["from_date", "to_date"]),
        (view.month_field, ["from_month", "to_month"]),
    ] {
        if field.is_some() && !params.iter().all(|p| e.takes(p)) {
            return Err(format!(
                "a {} filter needs request parameters {}",
                params[0],
                params.join(" and ")
            ));
        }
    }
    for m in view.matching {
        if !e.takes(m) || item(m).is_none() {
            return Err(format!(
                "serve.match `{m}` must be a request parameter and a field of `{list}`"
            ));
        }
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
