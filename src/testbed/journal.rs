//! The journal: every request a namespace receives, with the answer and a grade of the caller.
//!
//! Recording is cheap on purpose (the server is a load-test target): an entry is built from what
//! the middleware already holds, the response body is shared, not copied, and masking happens
//! when the journal is read, never when it is written. The journal is a ring of a configured
//! size per namespace; size 0 turns it off.

use std::borrow::Cow;
use std::collections::{BTreeMap, BTreeSet, HashMap, HashSet, VecDeque};
use std::hash::BuildHasher;
use std::sync::atomic::{AtomicU64, Ordering};
use std::sync::{Arc, Mutex};

use axum::body::Bytes;

use crate::server::auth::store::Consent;
use crate::spec::ApiEntry;
use serde::{Deserialize, Serialize};
use serde_json::{Value, json};

/// A kind of deviation by the calling app, with the clause of the standard it breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum FindingKind {
    /// `x-api-tran-id` missing or not the 25-character layout.
    TranIdMalformed,
    /// An `x-api-tran-id` this namespace has already seen.
    TranIdReused,
    /// `x-api-type` missing or not one of the table's values.
    ApiTypeInvalid,
    /// The request's period breaks its `x-api-type`'s rule (40004) or the five-year limit (40304).
    ApiTypePeriod,
    /// `x-api-type: scheduled` under a consent without scheduled transmission (40301).
    ScheduledNotConsented,
    /// A second scheduled call for the same asset and API in one week (42901).
    ScheduledWeeklyRepeat,
    /// A scheduled call outside the provider's scheduled-transmission windows (50009).
    ScheduledOutsideWindow,
    /// `search_timestamp` sent with `next_page` (pages 2..n do not send it).
    PagingTimestampOnLaterPage,
    /// `limit` over the page maximum (or not a number).
    PagingLimitOver,
    /// A revoked or expired token used again.
    TokenReused,
    /// A scope the consent asked for that no call of the app needed.
    ScopeUnused,
    /// Any other request refused for the caller's mistake (the rsp_code says which).
    Rejected,
}

impl FindingKind {
    pub const ALL: [FindingKind; 12] = [
        Self::TranIdMalformed,
        Self::TranIdReused,
        Self::ApiTypeInvalid,
        Self::ApiTypePeriod,
        Self::ScheduledNotConsented,
        Self::ScheduledWeeklyRepeat,
        Self::ScheduledOutsideWindow,
        Self::PagingTimestampOnLaterPage,
        Self::PagingLimitOver,
        Self::TokenReused,
        Self::ScopeUnused,
        Self::Rejected,
    ];

    /// The clause of the standard (sections of `mydata-spec.md`).
    pub fn clause(self) -> &'static str {
        match self {
            Self::TranIdMalformed | Self::TranIdReused => "§1.4.1",
            Self::ApiTypeInvalid => "§1.4.2",
            Self::ApiTypePeriod => "§1.8",
            Self::ScheduledNotConsented => "§2.6",
            Self::ScheduledWeeklyRepeat | Self::ScheduledOutsideWindow => "§6.1",
            Self::PagingTimestampOnLaterPage | Self::PagingLimitOver => "§1.6",
            Self::TokenReused => "§2.1",
            Self::ScopeUnused => "§2.4",
            Self::Rejected => "§5.1",
        }
    }

    pub fn severity(self) -> Verdict {
        match self {
            Self::TranIdReused | Self::PagingTimestampOnLaterPage | Self::ScopeUnused => {
                Verdict::Warn
            }
            _ => Verdict::Fail,
        }
    }

    /// The snake_case name used in JSON and URLs.
    pub fn name(self) -> &'static str {
        match self {
            Self::TranIdMalformed => "tran_id_malformed",
            Self::TranIdReused => "tran_id_reused",
            Self::ApiTypeInvalid => "api_type_invalid",
            Self::ApiTypePeriod => "api_type_period",
            Self::ScheduledNotConsented => "scheduled_not_consented",
            Self::ScheduledWeeklyRepeat => "scheduled_weekly_repeat",
            Self::ScheduledOutsideWindow => "scheduled_outside_window",
            Self::PagingTimestampOnLaterPage => "paging_timestamp_on_later_page",
            Self::PagingLimitOver => "paging_limit_over",
            Self::TokenReused => "token_reused",
            Self::ScopeUnused => "scope_unused",
            Self::Rejected => "rejected",
        }
    }
}

/// The grade of one request (or of a finding).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Verdict {
    Pass,
    Warn,
    Fail,
}

impl Verdict {
    pub fn name(self) -> &'static str {
        match self {
            Self::Pass => "pass",
            Self::Warn => "warn",
            Self::Fail => "fail",
        }
    }
}

impl std::str::FromStr for Verdict {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, String> {
        match s {
            "pass" => Ok(Self::Pass),
            "warn" => Ok(Self::Warn),
            "fail" => Ok(Self::Fail),
            _ => Err(format!("verdict must be pass, warn or fail, got `{s}`")),
        }
    }
}

/// One deviation of the caller, tagged with its clause.
#[derive(Debug, Clone, Serialize)]
pub struct Finding {
    pub kind: FindingKind,
    pub clause: &'static str,
    pub severity: Verdict,
    pub message: String,
}

impl Finding {
    pub fn new(kind: FindingKind, message: impl Into<String>) -> Self {
        Finding {
            kind,
            clause: kind.clause(),
            severity: kind.severity(),
            message: message.into(),
        }
    }
}

/// The request's own words (method, path, query and the three headers the grade reads), packed
/// in one allocation: recording runs on every call, and each retained allocation costs.
#[derive(Debug, Clone, Default)]
pub struct RequestText {
    text: Box<str>,
    /// End offsets of method, path, query, tran-id, api-type, authorization in `text`.
    ends: [u32; 6],
    /// Which of query, tran-id, api-type, authorization were present.
    present: [bool; 4],
}

impl RequestText {
    /// Packs the parts; absent optional parts are `None`.
    pub fn new(
        method: &str,
        path: &str,
        optional: [Option<&[u8]>; 4], // query, tran-id, api-type, authorization
    ) -> Self {
        let len =
            method.len() + path.len() + optional.iter().flatten().map(|b| b.len()).sum::<usize>();
        let mut text = String::with_capacity(len);
        let mut ends = [0u32; 6];
        let mut present = [false; 4];
        let end = |t: &String| u32::try_from(t.len()).unwrap_or(u32::MAX);
        text.push_str(method);
        ends[0] = end(&text);
        text.push_str(path);
        ends[1] = end(&text);
        for (i, part) in optional.iter().enumerate() {
            if let Some(b) = part {
                text.push_str(&String::from_utf8_lossy(b));
                present[i] = true;
            }
            ends[i + 2] = end(&text);
        }
        RequestText {
            text: text.into_boxed_str(),
            ends,
            present,
        }
    }

    fn part(&self, i: usize) -> &str {
        let start = if i == 0 { 0 } else { self.ends[i - 1] as usize };
        self.text
            .get(start..self.ends[i] as usize)
            .unwrap_or_default()
    }
    fn optional(&self, i: usize) -> Option<&str> {
        self.present[i].then(|| self.part(i + 2))
    }
    pub fn method(&self) -> &str {
        self.part(0)
    }
    pub fn path(&self) -> &str {
        self.part(1)
    }
    pub fn query(&self) -> Option<&str> {
        self.optional(0)
    }
    pub fn tran_id(&self) -> Option<&str> {
        self.optional(1)
    }
    pub fn api_type(&self) -> Option<&str> {
        self.optional(2)
    }
    pub fn authorization(&self) -> Option<&str> {
        self.optional(3)
    }
}

/// What the middleware knows about a request and its answer; [`Journal::record`] numbers it,
/// checks the `x-api-tran-id` for reuse and grades it.
#[derive(Debug, Clone, Default)]
pub struct Draft {
    /// The namespace's clock at the time of the call, in milliseconds since the epoch.
    pub at_ms: i64,
    pub request: RequestText,
    pub api_id: Option<Arc<str>>,
    /// Whether the route is one of the standard's APIs (graded) rather than a page or a probe.
    pub graded: bool,
    pub status: u16,
    pub rsp_code: Option<Cow<'static, str>>,
    pub rsp_msg: Option<String>,
    pub latency_us: u64,
    /// The consent of the token that called (who: customer, client, industry), shared.
    pub consent: Option<Arc<Consent>>,
    /// The API's spec entry (the scope it needs, for the unused-scope grade), shared.
    pub api: Option<Arc<ApiEntry>>,
    /// The scenarios that shaped the answer, by id (`header` for a per-request one).
    pub scenarios: Vec<String>,
    pub findings: Vec<Finding>,
    pub response: Option<Bytes>,
}

impl Draft {
    pub fn customer(&self) -> Option<&str> {
        self.consent.as_deref().map(|c| c.key.customer.as_str())
    }
    pub fn client_id(&self) -> Option<&str> {
        self.consent.as_deref().map(|c| c.key.client_id.as_str())
    }
    pub fn industry(&self) -> Option<&str> {
        self.consent.as_deref().map(|c| c.key.industry.as_str())
    }
    pub fn scope(&self) -> Option<&str> {
        self.api.as_deref().and_then(|a| a.scope.as_deref())
    }

    /// When the call came, as a `DTIME` in Korean time (on the namespace's clock).
    pub fn at(&self) -> String {
        chrono::DateTime::from_timestamp_millis(self.at_ms)
            .map(|t| {
                t.with_timezone(&crate::clock::kst())
                    .format("%Y%m%d%H%M%S")
                    .to_string()
            })
            .unwrap_or_default()
    }
}

/// A recorded request.
#[derive(Debug)]
pub struct Entry {
    pub seq: u64,
    /// The request and answer; its `response` is always `None` here (see [`Entry::body`]).
    pub draft: Draft,
    pub verdict: Verdict,
    /// The response body, kept while the entry is among the newest [`BODIES_KEPT`].
    body: Mutex<Option<Bytes>>,
}

impl Entry {
    /// The response body, if the entry is recent enough to keep it.
    pub fn body(&self) -> Option<Bytes> {
        self.body.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }
}

/// Which entries a query wants; every field narrows.
#[derive(Debug, Clone, Default, Deserialize)]
pub struct Filter {
    pub customer: Option<String>,
    pub api_id: Option<String>,
    pub client_id: Option<String>,
    pub verdict: Option<Verdict>,
    /// Only entries newer than this sequence number (for live updates).
    pub after: Option<u64>,
    /// At most this many (newest first); 100 by default, 1000 at most.
    pub limit: Option<usize>,
}

impl Filter {
    fn admits(&self, e: &Entry) -> bool {
        let d = &e.draft;
        self.after.is_none_or(|a| e.seq > a)
            && self.verdict.is_none_or(|v| e.verdict == v)
            && self
                .customer
                .as_deref()
                .is_none_or(|c| d.customer() == Some(c))
            && self
                .client_id
                .as_deref()
                .is_none_or(|c| d.client_id() == Some(c))
            && self
                .api_id
                .as_deref()
                .is_none_or(|a| d.api_id.as_deref() == Some(a))
    }
}

#[derive(Debug, Default)]
struct Inner {
    entries: VecDeque<Arc<Entry>>,
    /// Recently seen `x-api-tran-id`s (by a keyed 64-bit hash) → the entry that first sent
    /// each, bounded FIFO.
    tran_ids: HashMap<u64, u64>,
    tran_order: VecDeque<u64>,
}

/// A namespace's journal.
#[derive(Debug)]
pub struct Journal {
    capacity: usize,
    inner: Mutex<Inner>,
    /// Sequence numbers are handed out before the lock is taken.
    seq: AtomicU64,
    hasher: std::collections::hash_map::RandomState,
}

/// How many tran-ids are remembered for the reuse check, per journal entry kept.
const TRAN_IDS_PER_ENTRY: usize = 4;

/// How many of the newest entries keep their response body (at most 64 KB each). Older entries
/// keep the status, rsp_code and message: retaining every body of a 1,000-entry ring cost the
/// load bench several percent, for bodies the fixtures can reproduce.
pub const BODIES_KEPT: usize = 64;

impl Journal {
    /// A journal keeping the newest `capacity` entries (0: off).
    pub fn new(capacity: usize) -> Self {
        Journal {
            capacity,
            inner: Mutex::default(),
            seq: AtomicU64::new(0),
            hasher: std::collections::hash_map::RandomState::new(),
        }
    }

    pub fn enabled(&self) -> bool {
        self.capacity > 0
    }

    pub fn capacity(&self) -> usize {
        self.capacity
    }

    fn lock(&self) -> std::sync::MutexGuard<'_, Inner> {
        self.inner.lock().unwrap_or_else(|e| e.into_inner())
    }

    /// Records a request; returns its sequence number. Everything that can be done without
    /// the lock is; an entry pushed out of the ring is dropped after the lock is released.
    pub fn record(&self, draft: Draft) -> u64 {
        if !self.enabled() {
            return 0;
        }
        let seq = self.seq.fetch_add(1, Ordering::Relaxed) + 1;
        let tran = draft
            .request
            .tran_id()
            .filter(|_| draft.graded)
            .map(|t| self.hasher.hash_one(t));
        let mut draft = draft;
        let body = draft.response.take();
        let mut entry = Entry {
            seq,
            verdict: Verdict::Pass,
            draft,
            body: Mutex::new(body),
        };
        let evicted = {
            let mut inner = self.lock();
            if let Some(h) = tran {
                match inner.tran_ids.get(&h) {
                    Some(first) => {
                        let why = format!(
                            "x-api-tran-id {} was already sent by request #{first}; each transaction needs its own (§1.4.1)",
                            entry.draft.request.tran_id().unwrap_or_default()
                        );
                        entry
                            .draft
                            .findings
                            .push(Finding::new(FindingKind::TranIdReused, why));
                    }
                    None => {
                        inner.tran_ids.insert(h, seq);
                        inner.tran_order.push_back(h);
                        if inner.tran_order.len() > self.capacity.max(256) * TRAN_IDS_PER_ENTRY
                            && let Some(old) = inner.tran_order.pop_front()
                        {
                            inner.tran_ids.remove(&old);
                        }
                    }
                }
            }
            entry.verdict = entry
                .draft
                .findings
                .iter()
                .map(|f| f.severity)
                .max()
                .unwrap_or(Verdict::Pass);
            let evicted = if inner.entries.len() >= self.capacity {
                inner.entries.pop_front()
            } else {
                None
            };
            inner.entries.push_back(Arc::new(entry));
            let n = inner.entries.len();
            let old_body = (n > BODIES_KEPT)
                .then(|| inner.entries.get(n - 1 - BODIES_KEPT))
                .flatten()
                .and_then(|e| e.body.lock().unwrap_or_else(|p| p.into_inner()).take());
            (evicted, old_body)
        };
        drop(evicted);
        seq
    }

    /// Entries matching the filter, newest first.
    pub fn query(&self, filter: &Filter) -> Vec<Arc<Entry>> {
        let limit = filter.limit.unwrap_or(100).clamp(1, 1000);
        let inner = self.lock();
        inner
            .entries
            .iter()
            .rev()
            .filter(|e| filter.admits(e))
            .take(limit)
            .cloned()
            .collect()
    }

    /// Every entry, oldest first (for the summary).
    pub fn all(&self) -> Vec<Arc<Entry>> {
        self.lock().entries.iter().cloned().collect()
    }

    /// The newest sequence number handed out (0: none yet).
    pub fn last_seq(&self) -> u64 {
        self.seq.load(Ordering::Relaxed)
    }

    pub fn len(&self) -> usize {
        self.lock().entries.len()
    }

    pub fn is_empty(&self) -> bool {
        self.len() == 0
    }

    /// Forgets every entry and tran-id (sequence numbers keep counting, so live views stay sane).
    pub fn clear(&self) {
        let mut inner = self.lock();
        inner.entries.clear();
        inner.tran_ids.clear();
        inner.tran_order.clear();
    }
}

/// A consent whose token asked for scopes no call needed.
#[derive(Debug, Clone, Serialize)]
pub struct UnusedScopes {
    pub customer: String,
    pub client_id: String,
    pub industry: String,
    pub scopes: Vec<String>,
}

/// Which scopes each consent's calls used, from the journal: (customer, client, industry) → scopes
/// of the APIs answered successfully.
pub fn scopes_used(entries: &[Arc<Entry>]) -> HashMap<(String, String, String), HashSet<String>> {
    let mut used: HashMap<(String, String, String), HashSet<String>> = HashMap::new();
    for e in entries {
        let d = &e.draft;
        if let (Some(c), Some(cl), Some(i), Some(s)) =
            (d.customer(), d.client_id(), d.industry(), d.scope())
            && matches!(d.rsp_code.as_deref(), Some("00000" | "00001"))
        {
            used.entry((c.to_owned(), cl.to_owned(), i.to_owned()))
                .or_default()
                .insert(s.to_owned());
        }
    }
    used
}

/// The app's scorecard over the journal.
#[derive(Debug, Clone, Serialize)]
pub struct Summary {
    pub namespace: String,
    /// Graded calls (the standard's APIs) in the journal.
    pub calls: usize,
    pub verdicts: BTreeMap<&'static str, usize>,
    /// Share of graded calls without a failing finding, 0-100.
    pub score: f64,
    /// Findings by kind, with the clause.
    pub findings: Vec<FindingCount>,
    pub by_api: Vec<ApiCount>,
    pub unused_scopes: Vec<UnusedScopes>,
    /// Entries are kept up to this many; older calls are not in the summary.
    pub journal_capacity: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct FindingCount {
    pub kind: FindingKind,
    pub clause: &'static str,
    pub severity: Verdict,
    pub count: usize,
}

#[derive(Debug, Clone, Serialize)]
pub struct ApiCount {
    pub api_id: String,
    pub calls: usize,
    pub pass: usize,
    pub warn: usize,
    pub fail: usize,
}

/// Builds the scorecard; `unused` comes from the namespace's live consents.
pub fn summarize(
    namespace: &str,
    entries: &[Arc<Entry>],
    unused_scopes: Vec<UnusedScopes>,
    capacity: usize,
) -> Summary {
    let graded: Vec<&Entry> = entries
        .iter()
        .filter(|e| e.draft.graded)
        .map(|e| &**e)
        .collect();
    let mut verdicts: BTreeMap<&'static str, usize> = [("pass", 0), ("warn", 0), ("fail", 0)]
        .into_iter()
        .collect();
    let mut kinds: BTreeMap<FindingKind, usize> = BTreeMap::new();
    let mut apis: BTreeMap<String, ApiCount> = BTreeMap::new();
    for e in &graded {
        *verdicts.entry(e.verdict.name()).or_default() += 1;
        for f in &e.draft.findings {
            *kinds.entry(f.kind).or_default() += 1;
        }
        let id = e.draft.api_id.as_deref().unwrap_or("-").to_owned();
        let row = apis.entry(id.clone()).or_insert(ApiCount {
            api_id: id,
            calls: 0,
            pass: 0,
            warn: 0,
            fail: 0,
        });
        row.calls += 1;
        match e.verdict {
            Verdict::Pass => row.pass += 1,
            Verdict::Warn => row.warn += 1,
            Verdict::Fail => row.fail += 1,
        }
    }
    let unused: usize = unused_scopes.iter().map(|u| u.scopes.len()).sum();
    if unused > 0 {
        *kinds.entry(FindingKind::ScopeUnused).or_default() += unused;
    }
    let calls = graded.len();
    let failing = verdicts.get("fail").copied().unwrap_or(0);
    let score = if calls == 0 {
        100.0
    } else {
        ((calls - failing) as f64 * 1000.0 / calls as f64).round() / 10.0
    };
    Summary {
        namespace: namespace.to_owned(),
        calls,
        verdicts,
        score,
        findings: kinds
            .into_iter()
            .map(|(kind, count)| FindingCount {
                kind,
                clause: kind.clause(),
                severity: kind.severity(),
                count,
            })
            .collect(),
        by_api: apis.into_values().collect(),
        unused_scopes,
        journal_capacity: capacity,
    }
}

/// Masks secrets when the journal is read: bearer tokens, OAuth secrets and codes, CIs and the
/// asset keys the spec declares (account numbers and the like), in JSON bodies and query strings.
#[derive(Debug, Clone)]
pub struct Masker {
    keys: BTreeSet<String>,
}

/// Names that always hold a secret, whatever the spec's asset keys are.
const SECRET_NAMES: [&str; 7] = [
    "access_token",
    "refresh_token",
    "client_secret",
    "code",
    "token",
    "x-user-ci",
    "ci",
];

impl Masker {
    /// `asset_keys`: the field names of the spec's asset keys (`account_num`, ...).
    pub fn new(asset_keys: impl IntoIterator<Item = String>) -> Self {
        let mut keys: BTreeSet<String> = asset_keys.into_iter().collect();
        keys.extend(SECRET_NAMES.iter().map(|s| (*s).to_owned()));
        Masker { keys }
    }

    pub fn is_secret(&self, name: &str) -> bool {
        self.keys.contains(name)
    }

    /// `****` plus the last four characters.
    pub fn mask_value(value: &str) -> String {
        let tail: String = {
            let chars: Vec<char> = value.chars().collect();
            chars[chars.len().saturating_sub(4)..].iter().collect()
        };
        if value.chars().count() <= 4 {
            "****".to_owned()
        } else {
            format!("****{tail}")
        }
    }

    /// Masks the values of secret keys anywhere in a JSON value.
    pub fn mask_json(&self, v: &mut Value) {
        match v {
            Value::Object(map) => {
                for (k, val) in map.iter_mut() {
                    if self.is_secret(k)
                        && let Value::String(s) = val
                    {
                        *s = Self::mask_value(s);
                    } else {
                        self.mask_json(val);
                    }
                }
            }
            Value::Array(items) => items.iter_mut().for_each(|i| self.mask_json(i)),
            _ => {}
        }
    }

    /// Masks the values of secret keys in a query string or form body.
    pub fn mask_query(&self, q: &str) -> String {
        let pairs: Vec<(String, String)> = form_urlencoded::parse(q.as_bytes())
            .map(|(k, v)| {
                let v = if self.is_secret(&k) {
                    Self::mask_value(&v)
                } else {
                    v.into_owned()
                };
                (k.into_owned(), v)
            })
            .collect();
        form_urlencoded::Serializer::new(String::new())
            .extend_pairs(pairs)
            .finish()
    }

    /// `Bearer ****abcd`.
    pub fn mask_authorization(a: &str) -> String {
        match a.split_once(' ') {
            Some((scheme, token)) => format!("{scheme} {}", Self::mask_value(token)),
            None => Self::mask_value(a),
        }
    }
}

/// An entry as the admin API shows it; secrets masked unless `unmask`.
pub fn view(e: &Entry, masker: &Masker, unmask: bool) -> Value {
    let d = &e.draft;
    let response = e.body().map(|b| match serde_json::from_slice::<Value>(&b) {
        Ok(mut v) => {
            if !unmask {
                masker.mask_json(&mut v);
            }
            v
        }
        Err(_) => Value::String(String::from_utf8_lossy(&b).into_owned()),
    });
    let mask = |s: Option<&str>, f: &dyn Fn(&str) -> String| {
        s.map(|v| if unmask { v.to_owned() } else { f(v) })
    };
    json!({
        "seq": e.seq,
        "at": d.at(),
        "method": d.request.method(),
        "path": d.request.path(),
        "query": mask(d.request.query(), &|q| masker.mask_query(q)),
        "api_id": d.api_id.as_deref(),
        "tran_id": d.request.tran_id(),
        "api_type": d.request.api_type(),
        "authorization": mask(d.request.authorization(), &Masker::mask_authorization),
        "status": d.status,
        "rsp_code": d.rsp_code,
        "rsp_msg": d.rsp_msg,
        "latency_us": d.latency_us,
        "customer": d.customer(),
        "client_id": d.client_id(),
        "industry": d.industry(),
        "scenarios": d.scenarios,
        "verdict": e.verdict,
        "findings": d.findings,
        "response": response,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn draft(tran: &str) -> Draft {
        Draft {
            graded: true,
            request: RequestText::new("GET", "/v1/x", [None, Some(tran.as_bytes()), None, None]),
            ..Draft::default()
        }
    }

    #[test]
    fn a_reused_tran_id_warns_and_the_ring_stays_bounded() {
        let j = Journal::new(3);
        j.record(draft("A"));
        j.record(draft("B"));
        j.record(draft("A"));
        let newest = j.query(&Filter::default());
        assert_eq!(newest[0].verdict, Verdict::Warn);
        assert_eq!(newest[0].draft.findings[0].kind, FindingKind::TranIdReused);
        assert_eq!(newest[1].verdict, Verdict::Pass);
        j.record(draft("C"));
        assert_eq!(j.len(), 3, "the oldest entry made room");
        assert_eq!(j.query(&Filter::default()).last().map(|e| e.seq), Some(2));
    }

    #[test]
    fn an_off_journal_records_nothing() {
        let j = Journal::new(0);
        assert_eq!(j.record(draft("A")), 0);
        assert!(j.is_empty());
    }

    #[test]
    fn masking_hides_tokens_cis_and_asset_keys() {
        let m = Masker::new(["account_num".to_owned()]);
        let mut v = json!({"account_num": "1002123456789", "list": [{"account_num": "99998888"}], "access_token": "abc.def.ghij"});
        m.mask_json(&mut v);
        assert_eq!(v["account_num"], "****6789");
        assert_eq!(v["list"][0]["account_num"], "****8888");
        assert_eq!(v["access_token"], "****ghij");
        assert_eq!(
            m.mask_query("grant_type=authorization_code&code=SECRETCODE1234"),
            "grant_type=authorization_code&code=****1234"
        );
        assert_eq!(
            Masker::mask_authorization("Bearer abcdefgh"),
            "Bearer ****efgh"
        );
    }
}
