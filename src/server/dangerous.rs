//! Deliberate deviations: the testbed's faults and scenarios. Nothing here runs unless an admin
//! created a scenario in a namespace or a request carried an `x-testbed-scenario` header; the
//! normal handlers only ask [`forced`] whether a scenario takes over, and the protocol middleware
//! asks [`transport`] what to do to the wire.
//!
//! A scenario is data: a kind (what happens), a match (to which calls) and an id. Random latency
//! is drawn from a seeded sequence, so a run can be replayed.

use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::sync::{Arc, RwLock};
use std::time::Duration;

use chrono::{NaiveDateTime, NaiveTime};
use serde::{Deserialize, Serialize};

use super::error::{ApiError, RspCodeName};
use crate::spec::Spec;

/// The header that sets a scenario for one request.
pub const SCENARIO_HEADER: &str = "x-testbed-scenario";

/// What a scenario does.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(tag = "kind", rename_all = "snake_case", deny_unknown_fields)]
pub enum Fault {
    /// Answer this `rsp_code` of the table (with the table's HTTP status).
    RspCode { code: String },
    /// Delay the answer: `ms`, or uniformly between `min_ms` and `max_ms` drawn from `seed`.
    Latency {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        ms: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        min_ms: Option<u64>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        max_ms: Option<u64>,
        #[serde(default)]
        seed: u64,
    },
    /// A bare 5xx with a plain-text body, as a broken gateway sends.
    HttpStatus { status: u16 },
    /// Close the connection without an answer. (Kinds without fields are empty struct
    /// variants so that `deny_unknown_fields` holds for them too: a unit variant of an internally
    /// tagged enum ignores unknown keys, so a typo like `"macth"` would silently widen a
    /// scenario to every call.)
    Drop {},
    /// A well-framed answer whose JSON body is cut after `bytes` (half of it by default).
    Truncate {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        bytes: Option<usize>,
    },
    /// After `calls` matching calls, answer 42901.
    QuotaAfter { calls: u64 },
    /// 50008 between `from` and `until` (`DTIME`s on the namespace clock; open-ended if absent).
    Maintenance {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        from: Option<String>,
        #[serde(default, skip_serializing_if = "Option::is_none")]
        until: Option<String>,
    },
    /// The provider's scheduled-transmission windows (`np_time`, `hhmm:hhmm`); a scheduled call
    /// outside them gets 50009.
    NpTime { windows: Vec<String> },
    /// Revoke the matching live tokens now (or the one `token`).
    RevokeToken {
        #[serde(default, skip_serializing_if = "Option::is_none")]
        token: Option<String>,
    },
    /// End the matching consents yesterday, so their tokens get 40106.
    ExpireConsent {},
    /// The matching asset (`match.asset`) is closed: its APIs answer 40305 while this exists.
    CloseAsset {},
}

/// Every kind, for the catalogue and the dashboard.
pub const KINDS: [&str; 11] = [
    "rsp_code",
    "latency",
    "http_status",
    "drop",
    "truncate",
    "quota_after",
    "maintenance",
    "np_time",
    "revoke_token",
    "expire_consent",
    "close_asset",
];

impl Fault {
    pub fn kind(&self) -> &'static str {
        match self {
            Self::RspCode { .. } => "rsp_code",
            Self::Latency { .. } => "latency",
            Self::HttpStatus { .. } => "http_status",
            Self::Drop {} => "drop",
            Self::Truncate { .. } => "truncate",
            Self::QuotaAfter { .. } => "quota_after",
            Self::Maintenance { .. } => "maintenance",
            Self::NpTime { .. } => "np_time",
            Self::RevokeToken { .. } => "revoke_token",
            Self::ExpireConsent {} => "expire_consent",
            Self::CloseAsset {} => "close_asset",
        }
    }

    /// Kinds that act once, when created (the namespace applies them), then stay listed.
    pub fn is_action(&self) -> bool {
        matches!(self, Self::RevokeToken { .. } | Self::ExpireConsent {})
    }
}

/// Which calls a scenario applies to; every field given must match.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Match {
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub api_id: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub industry: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub customer: Option<String>,
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub client_id: Option<String>,
    /// The asset's key value as the request sends it (`account_num`, `card_id`, ...).
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub asset: Option<String>,
}

/// What is known about a call when scenarios are matched.
#[derive(Debug, Clone, Copy, Default)]
pub struct Facts<'a> {
    pub api_id: Option<&'a str>,
    pub industry: Option<&'a str>,
    pub customer: Option<&'a str>,
    pub client_id: Option<&'a str>,
    pub asset: Option<&'a str>,
}

impl Match {
    pub fn admits(&self, f: &Facts<'_>) -> bool {
        let ok = |want: &Option<String>, got: Option<&str>| {
            want.as_deref().is_none_or(|w| Some(w) == got)
        };
        // An API id matches its per-industry labels too (`IRP-001` matches `IRP-001(bank)`).
        let api = f.api_id.map(|a| a.split_once('(').map_or(a, |(id, _)| id));
        (ok(&self.api_id, f.api_id) || ok(&self.api_id, api))
            && ok(&self.industry, f.industry)
            && ok(&self.customer, f.customer)
            && ok(&self.client_id, f.client_id)
            && ok(&self.asset, f.asset)
    }
}

/// A scenario as created: the fault, its match, whether it is on, and a note.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct ScenarioSpec {
    #[serde(flatten)]
    pub fault: Fault,
    #[serde(default, rename = "match")]
    pub matcher: Match,
    #[serde(default = "yes")]
    pub enabled: bool,
    #[serde(default, skip_serializing_if = "String::is_empty")]
    pub note: String,
}

fn yes() -> bool {
    true
}

/// A scenario of a namespace.
#[derive(Debug)]
pub struct Scenario {
    pub id: u64,
    pub spec: ScenarioSpec,
    enabled: AtomicBool,
    /// Matching calls so far (drives `quota_after` and the latency sequence).
    hits: AtomicU64,
    /// What an action did when it ran (`revoked 2 token pairs`).
    pub applied: Option<String>,
    /// When it was created, on the namespace clock (`DTIME`).
    pub created: String,
}

impl Scenario {
    pub fn enabled(&self) -> bool {
        self.enabled.load(Ordering::Relaxed)
    }
    pub fn hits(&self) -> u64 {
        self.hits.load(Ordering::Relaxed)
    }

    /// The scenario as the admin API lists it.
    pub fn view(&self) -> serde_json::Value {
        let mut v = serde_json::to_value(&self.spec).unwrap_or_default();
        v["id"] = self.id.into();
        v["enabled"] = self.enabled().into();
        v["hits"] = self.hits().into();
        v["created"] = self.created.clone().into();
        if let Some(a) = &self.applied {
            v["applied"] = a.clone().into();
        }
        v
    }
}

/// Why a scenario cannot be created.
pub type Invalid = String;

/// Checks a scenario against the spec: codes of the table, 5xx statuses, sane latencies and
/// windows, and the match fields a kind needs.
pub fn validate(spec: &Spec, s: &ScenarioSpec) -> Result<(), Invalid> {
    const MAX_LATENCY_MS: u64 = 120_000;
    match &s.fault {
        Fault::RspCode { code } => {
            if code == "00000" {
                return Err("rsp_code 00000 is the normal answer; pick an error code".into());
            }
            if spec.rsp(code).is_none() {
                return Err(format!("rsp_code {code} is not in the table (§5.1)"));
            }
        }
        Fault::Latency {
            ms, min_ms, max_ms, ..
        } => match (ms, min_ms, max_ms) {
            (Some(ms), None, None) if *ms <= MAX_LATENCY_MS => {}
            (None, Some(lo), Some(hi)) if lo <= hi && *hi <= MAX_LATENCY_MS => {}
            _ => {
                return Err(format!(
                    "latency takes `ms`, or `min_ms` <= `max_ms`, at most {MAX_LATENCY_MS}"
                ));
            }
        },
        Fault::HttpStatus { status } if !(500..=599).contains(status) => {
            return Err(format!("http_status must be 500 to 599, got {status}"));
        }
        Fault::Truncate { bytes: Some(0) } => {
            return Err("truncate bytes must be at least 1 (use drop for nothing)".into());
        }
        Fault::Maintenance { from, until } => {
            for (name, v) in [("from", from), ("until", until)] {
                if let Some(v) = v
                    && parse_dtime(v).is_none()
                {
                    return Err(format!("maintenance {name} must be a DTIME YYYYMMDDhhmmss"));
                }
            }
        }
        Fault::NpTime { windows } => {
            if windows.is_empty() || windows.len() > 3 {
                return Err("np_time takes 1 to 3 windows (§4.2 np_time_list)".into());
            }
            for w in windows {
                parse_window(w).ok_or_else(|| {
                    format!("np_time window must be hhmm:hhmm (e.g. 0030:0530), got `{w}`")
                })?;
            }
        }
        Fault::CloseAsset {} if s.matcher.asset.is_none() => {
            return Err("close_asset needs match.asset (the asset's key value)".into());
        }
        _ => {}
    }
    if let Some(api) = &s.matcher.api_id
        && !spec
            .apis
            .iter()
            .chain(&spec.auth)
            .any(|e| &e.label() == api || &e.api_id == api)
    {
        return Err(format!("match.api_id {api} is not an API of the spec"));
    }
    Ok(())
}

fn parse_dtime(v: &str) -> Option<NaiveDateTime> {
    NaiveDateTime::parse_from_str(v, "%Y%m%d%H%M%S").ok()
}

/// `hhmm:hhmm` → (start, end); `2400` ends a window at midnight.
fn parse_window(w: &str) -> Option<(NaiveTime, Option<NaiveTime>)> {
    let (a, b) = w.split_once(':')?;
    let t = |s: &str| NaiveTime::parse_from_str(s, "%H%M").ok();
    let end = if b == "2400" { None } else { Some(t(b)?) };
    Some((t(a)?, end))
}

fn in_window(now: NaiveTime, w: &str) -> bool {
    match parse_window(w) {
        Some((start, Some(end))) if start <= end => start <= now && now < end,
        // A window across midnight (2230:0130).
        Some((start, Some(end))) => now >= start || now < end,
        Some((start, None)) => now >= start,
        None => false,
    }
}

/// Parses the one-request header: a JSON scenario, or the short forms `rsp_code=40305`,
/// `latency=250`, `latency=100-400`, `http_status=503`, `drop`, `truncate`, `truncate=40`.
pub fn parse_header(value: &str) -> Result<ScenarioSpec, Invalid> {
    let value = value.trim();
    let fault = if value.starts_with('{') {
        return serde_json::from_str::<ScenarioSpec>(value)
            .map_err(|e| format!("{SCENARIO_HEADER} is not a scenario: {e}"))
            .and_then(|s| {
                if s.fault.is_action()
                    || matches!(
                        s.fault,
                        Fault::QuotaAfter { .. } | Fault::CloseAsset {} | Fault::NpTime { .. }
                    )
                {
                    Err(format!(
                        "{} acts across requests; create it with the admin API",
                        s.fault.kind()
                    ))
                } else {
                    Ok(s)
                }
            });
    } else {
        let (kind, arg) = value.split_once('=').unwrap_or((value, ""));
        let num = |a: &str| {
            a.parse::<u64>()
                .map_err(|_| format!("{SCENARIO_HEADER}: `{a}` is not a number"))
        };
        match (kind, arg) {
            ("rsp_code", code) => Fault::RspCode {
                code: code.to_owned(),
            },
            ("latency", range) if range.contains('-') => {
                let (lo, hi) = range.split_once('-').unwrap_or_default();
                Fault::Latency {
                    ms: None,
                    min_ms: Some(num(lo)?),
                    max_ms: Some(num(hi)?),
                    seed: 0,
                }
            }
            ("latency", ms) => Fault::Latency {
                ms: Some(num(ms)?),
                min_ms: None,
                max_ms: None,
                seed: 0,
            },
            ("http_status", status) => Fault::HttpStatus {
                status: u16::try_from(num(status)?).unwrap_or(0),
            },
            ("drop", "") => Fault::Drop {},
            ("truncate", "") => Fault::Truncate { bytes: None },
            ("truncate", n) => Fault::Truncate {
                bytes: Some(usize::try_from(num(n)?).unwrap_or(usize::MAX)),
            },
            ("maintenance", "") => Fault::Maintenance {
                from: None,
                until: None,
            },
            _ => {
                return Err(format!(
                    "{SCENARIO_HEADER} must be JSON or one of rsp_code=CODE, latency=MS, latency=MIN-MAX, http_status=5XX, drop, truncate[=BYTES], maintenance; got `{value}`"
                ));
            }
        }
    };
    Ok(ScenarioSpec {
        fault,
        matcher: Match::default(),
        enabled: true,
        note: String::new(),
    })
}

/// A request's own scenario (from the header), carried in the request's extensions.
#[derive(Debug, Clone)]
pub struct RequestScenario(pub Arc<ScenarioSpec>);

/// A namespace's scenarios.
#[derive(Debug, Default)]
pub struct Scenarios {
    list: RwLock<Vec<Arc<Scenario>>>,
    next_id: AtomicU64,
    /// Whether any scenario is enabled: the hot path's only cost when none is.
    any: AtomicBool,
    /// Draws of per-request (header) random latencies, so they spread yet replay in order.
    header_draws: AtomicU64,
}

impl Scenarios {
    fn refresh(&self, list: &[Arc<Scenario>]) {
        self.any
            .store(list.iter().any(|s| s.enabled()), Ordering::Relaxed);
    }

    /// Adds a validated scenario; `applied` records what an action did.
    pub fn add(
        &self,
        spec: ScenarioSpec,
        applied: Option<String>,
        created: String,
    ) -> Arc<Scenario> {
        let id = self.next_id.fetch_add(1, Ordering::Relaxed) + 1;
        let s = Arc::new(Scenario {
            id,
            enabled: AtomicBool::new(spec.enabled),
            hits: AtomicU64::new(0),
            spec,
            applied,
            created,
        });
        let mut list = self.list.write().unwrap_or_else(|e| e.into_inner());
        list.push(s.clone());
        self.refresh(&list);
        s
    }

    pub fn list(&self) -> Vec<Arc<Scenario>> {
        self.list.read().unwrap_or_else(|e| e.into_inner()).clone()
    }

    pub fn get(&self, id: u64) -> Option<Arc<Scenario>> {
        self.list().into_iter().find(|s| s.id == id)
    }

    /// Turns a scenario on or off; `None` if there is no such scenario.
    pub fn set_enabled(&self, id: u64, on: bool) -> Option<Arc<Scenario>> {
        let list = self.list.read().unwrap_or_else(|e| e.into_inner());
        let s = list.iter().find(|s| s.id == id)?.clone();
        s.enabled.store(on, Ordering::Relaxed);
        self.refresh(&list);
        Some(s)
    }

    pub fn remove(&self, id: u64) -> bool {
        let mut list = self.list.write().unwrap_or_else(|e| e.into_inner());
        let before = list.len();
        list.retain(|s| s.id != id);
        self.refresh(&list);
        list.len() != before
    }

    /// Forgets every scenario and restarts the per-request latency draws (a reset replays).
    pub fn clear(&self) {
        let mut list = self.list.write().unwrap_or_else(|e| e.into_inner());
        list.clear();
        self.header_draws.store(0, Ordering::Relaxed);
        self.refresh(&list);
    }

    /// Whether any scenario is on (cheap).
    pub fn any(&self) -> bool {
        self.any.load(Ordering::Relaxed)
    }

    /// The enabled scenarios admitting these facts.
    fn matching(&self, facts: &Facts<'_>) -> Vec<Arc<Scenario>> {
        if !self.any() {
            return Vec::new();
        }
        self.list
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .iter()
            .filter(|s| s.enabled() && s.spec.matcher.admits(facts))
            .cloned()
            .collect()
    }

    /// The id of a scenario that closes this asset (it counts as a hit).
    pub fn closing(&self, facts: &Facts<'_>) -> Option<u64> {
        let s = self
            .matching(facts)
            .into_iter()
            .find(|s| matches!(s.spec.fault, Fault::CloseAsset {}))?;
        s.hits.fetch_add(1, Ordering::Relaxed);
        Some(s.id)
    }
}

/// A scenario that decided an answer, for the journal.
#[derive(Debug, Clone)]
pub struct Applied(pub Vec<String>);

/// Whether a scenario takes over an information-provision call that passed the protocol checks:
/// maintenance (50008), a forced code, `quota_after` (42901) or a scheduled call outside the
/// `np_time` windows (50009). Returns the error and the ids of the scenarios that decided it.
pub fn forced(
    scenarios: &Scenarios,
    own: Option<&ScenarioSpec>,
    facts: &Facts<'_>,
    now: NaiveDateTime,
    scheduled: bool,
) -> Result<(), (ApiError, String)> {
    let mut candidates: Vec<(String, &ScenarioSpec, Option<&Scenario>)> = Vec::new();
    let matched = scenarios.matching(facts);
    if let Some(own) = own {
        candidates.push(("header".to_owned(), own, None));
    }
    for s in &matched {
        candidates.push((s.id.to_string(), &s.spec, Some(s)));
    }
    for (id, spec, scenario) in candidates {
        let hit = || scenario.map_or(0, |s| s.hits.fetch_add(1, Ordering::Relaxed) + 1);
        let err = match &spec.fault {
            Fault::Maintenance { from, until } => {
                let after = from
                    .as_deref()
                    .and_then(parse_dtime)
                    .is_none_or(|f| now >= f);
                let before = until
                    .as_deref()
                    .and_then(parse_dtime)
                    .is_none_or(|u| now < u);
                (after && before).then(|| {
                    hit();
                    ApiError::new(
                        RspCodeName::Maintenance,
                        format!("scheduled maintenance (testbed scenario {id})"),
                    )
                })
            }
            Fault::RspCode { code } => {
                hit();
                Some(ApiError::new(
                    RspCodeName::table(code),
                    format!("forced by testbed scenario {id}"),
                ))
            }
            Fault::QuotaAfter { calls } => (hit() > *calls).then(|| {
                ApiError::new(
                    RspCodeName::LimitExceeded,
                    format!("more than {calls} calls (testbed scenario {id})"),
                )
            }),
            Fault::NpTime { windows } if scheduled => {
                let t = now.time();
                (!windows.iter().any(|w| in_window(t, w))).then(|| {
                    hit();
                    ApiError::new(
                        RspCodeName::OutsideScheduledWindow,
                        format!(
                            "scheduled calls are accepted in {} only (§6.1 np_time)",
                            windows.join(", ")
                        ),
                    )
                    .caller(crate::testbed::journal::FindingKind::ScheduledOutsideWindow)
                })
            }
            _ => None,
        };
        if let Some(err) = err {
            return Err((err, id));
        }
    }
    Ok(())
}

/// What the middleware does to the wire after the handler answered.
#[derive(Debug, Clone, Default)]
pub struct Transport {
    pub delay: Option<Duration>,
    /// Replace the answer with a bare 5xx.
    pub status: Option<u16>,
    pub drop: bool,
    /// Cut the body after this many bytes (`usize::MAX`: half of it).
    pub truncate: Option<usize>,
    pub applied: Vec<String>,
}

impl Transport {
    pub fn is_empty(&self) -> bool {
        self.delay.is_none() && self.status.is_none() && !self.drop && self.truncate.is_none()
    }
}

/// splitmix64: a stable, seedable sequence for replayable random latency.
fn splitmix(mut x: u64) -> u64 {
    x = x.wrapping_add(0x9E37_79B9_7F4A_7C15);
    let mut z = x;
    z = (z ^ (z >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    z = (z ^ (z >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    z ^ (z >> 31)
}

/// The wire-level faults for a call: latency, 5xx, drop and truncation.
pub fn transport(
    scenarios: &Scenarios,
    own: Option<&ScenarioSpec>,
    facts: &Facts<'_>,
) -> Transport {
    let mut out = Transport::default();
    let matched = scenarios.matching(facts);
    let candidates = own
        .map(|o| ("header".to_owned(), o, None))
        .into_iter()
        .chain(
            matched
                .iter()
                .map(|s| (s.id.to_string(), &s.spec, Some(&**s))),
        );
    for (id, spec, scenario) in candidates {
        let before = out.clone();
        match &spec.fault {
            Fault::Latency {
                ms,
                min_ms,
                max_ms,
                seed,
            } => {
                let n = match scenario {
                    Some(s) => s.hits.fetch_add(1, Ordering::Relaxed),
                    None => scenarios.header_draws.fetch_add(1, Ordering::Relaxed),
                };
                let ms = match (ms, min_ms, max_ms) {
                    (Some(ms), _, _) => *ms,
                    (None, Some(lo), Some(hi)) => lo + splitmix(seed ^ n) % (hi - lo + 1),
                    _ => 0,
                };
                let total = out.delay.unwrap_or_default() + Duration::from_millis(ms);
                out.delay = Some(total);
            }
            Fault::HttpStatus { status } if out.status.is_none() => out.status = Some(*status),
            Fault::Drop {} => out.drop = true,
            Fault::Truncate { bytes } if out.truncate.is_none() => {
                out.truncate = Some(bytes.unwrap_or(usize::MAX));
            }
            _ => {}
        }
        if out.delay != before.delay
            || out.status != before.status
            || out.drop != before.drop
            || out.truncate != before.truncate
        {
            if let (Some(s), false) = (scenario, matches!(spec.fault, Fault::Latency { .. })) {
                s.hits.fetch_add(1, Ordering::Relaxed);
            }
            out.applied.push(id);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_short_header_forms_parse() {
        let f = |v: &str| parse_header(v).map(|s| s.fault);
        assert_eq!(
            f("rsp_code=40305"),
            Ok(Fault::RspCode {
                code: "40305".into()
            })
        );
        assert_eq!(
            f("latency=100-400"),
            Ok(Fault::Latency {
                ms: None,
                min_ms: Some(100),
                max_ms: Some(400),
                seed: 0
            })
        );
        assert_eq!(f("drop"), Ok(Fault::Drop {}));
        assert_eq!(f("truncate=10"), Ok(Fault::Truncate { bytes: Some(10) }));
        assert!(f("explode").is_err());
        assert!(f(r#"{"kind":"quota_after","calls":3}"#).is_err());
        assert_eq!(
            f(r#"{"kind":"http_status","status":503}"#),
            Ok(Fault::HttpStatus { status: 503 })
        );
    }

    #[test]
    fn windows_cover_midnight_and_open_ends() {
        let t = |s: &str| NaiveTime::parse_from_str(s, "%H%M").expect("time");
        assert!(in_window(t("0100"), "0030:0530"));
        assert!(!in_window(t("1000"), "0030:0530"));
        assert!(in_window(t("2300"), "2230:0130"));
        assert!(in_window(t("0100"), "2230:0130"));
        assert!(in_window(t("2359"), "2200:2400"));
    }

    #[test]
    fn seeded_latency_replays() {
        let draw = |seed: u64| {
            let s = Scenarios::default();
            s.add(
                ScenarioSpec {
                    fault: Fault::Latency {
                        ms: None,
                        min_ms: Some(10),
                        max_ms: Some(500),
                        seed,
                    },
                    matcher: Match::default(),
                    enabled: true,
                    note: String::new(),
                },
                None,
                String::new(),
            );
            (0..5)
                .map(|_| transport(&s, None, &Facts::default()).delay)
                .collect::<Vec<_>>()
        };
        assert_eq!(draw(7), draw(7));
        assert_ne!(draw(7), draw(8));
        assert!(
            draw(7)
                .iter()
                .all(|d| d.is_some_and(|d| (10..=500).contains(&(d.as_millis() as u64))))
        );
    }
}
