//! Serving an information-provision API from fixtures, generically, from its spec entry: period
//! rules (§1.8), the weekly scheduled limit (§6.1), the asset checks (§3.1), `search_timestamp`
//! change detection (§1.7) and cursor paging (§1.6), in the order of §5.2 steps 7-10.

use std::borrow::Cow;
use std::sync::Arc;

use axum::http::StatusCode;
use axum::response::Response;
use base64::Engine;
use chrono::{Datelike, NaiveDate};
use serde::ser::{Serialize, SerializeMap, Serializer};
use serde_json::value::RawValue;
use serde_json::{Map, Value};

use super::dangerous::{self, Facts};
use super::error::{AnsweredCode, ApiError, RspCodeName};
use super::extract::InfoCall;
use super::middleware::json_response;
use super::state::AppState;
use crate::fixtures::{Asset, AssetState, Holding};
use crate::spec::types::parse_date;
use crate::spec::{Field, Period, Serve};
use crate::testbed::journal::{Finding, FindingKind};

/// Answers a validated call.
pub fn provide(app: &AppState, call: &InfoCall) -> Result<Response, ApiError> {
    let entry = &*call.entry;
    scenarios_first(call)?;
    check_period(app, call)?;
    if call.api_type.scheduled && !call.consent.is_scheduled {
        return Err(ApiError::new(
            RspCodeName::ImproperCall,
            "x-api-type scheduled, but the consent does not allow scheduled transmission (§2.6 is_scheduled)",
        )
        .caller(FindingKind::ScheduledNotConsented));
    }
    // §5.2 step 8: the provider's own windows (market open/close for invest, 50010).
    if let (Some(m), Some(industry)) = (&app.spec.common.market_hours, entry.industry.as_deref())
        && m.refuses(industry, call.ns.clock.now_kst().naive_local())
    {
        let why = format!(
            "{industry} APIs are not served around the market's open and close ({})",
            m.windows.join(", ")
        );
        return Err(ApiError::new(RspCodeName::MarketOpenClose, why));
    }
    let first_page = call.param("next_page").is_none();
    if !first_page && call.param("search_timestamp").is_some() {
        let why = "search_timestamp was sent with next_page; pages 2..n send the first page's filters only (§1.6)";
        call.facts.update(|f| {
            f.findings
                .push(Finding::new(FindingKind::PagingTimestampOnLaterPage, why))
        });
    }
    let body = match &entry.serve {
        Serve::List {
            list, consent_flag, ..
        } => {
            let holding = holding(call)?;
            let quota = quota_key(call, "");
            check_quota(call, &quota, first_page)?;
            let modified = call
                .data
                .modified
                .as_ref()
                .max(call.consent.created.as_str());
            check_unchanged(call, modified, first_page)?;
            let items: Vec<&Asset> = holding
                .assets
                .iter()
                .filter(|a| a.apis.contains_key(&entry.api_id))
                .collect();
            let (page, next) = paginate(app, call, items.len(), "")?;
            let customer = holding.customer_apis.get(&entry.api_id);
            let mut out = Body::new(app);
            for f in &entry.response {
                match f.name.as_str() {
                    "search_timestamp" => out.push_timestamp(call, first_page),
                    "next_page" => out.push_opt("next_page", next.as_deref()),
                    name if f.count_of.as_deref() == Some(list.as_str()) => {
                        out.push_str(name, page.len().to_string())
                    }
                    name if name == list => {
                        let item_fields = &f.items;
                        let rows = items[page.clone()]
                            .iter()
                            .map(|a| ListItem {
                                fields: item_fields,
                                asset: a,
                                api_id: &entry.api_id,
                                consent_flag,
                                consented: call.consent.assets.contains(&a.id),
                            })
                            .collect();
                        out.0.push((name, Out::Items(rows)));
                    }
                    name => out.push_json(name, customer.and_then(|c| c.get(name))),
                }
            }
            let bytes = out.to_bytes();
            record_quota(call, quota, first_page);
            bytes
        }
        Serve::Asset { asset_key, .. } => {
            let holding = holding(call)?;
            let asset = find_asset(call, &holding, asset_key)?;
            let data = asset
                .apis
                .get(&entry.api_id)
                .and_then(Value::as_object)
                .ok_or_else(|| {
                    let why = format!("{} is not an asset {} serves", asset.id, entry.api_id);
                    ApiError::new(RspCodeName::NoSuchAsset, why)
                })?;
            if !call.consent.assets.contains(&asset.id) {
                let why = format!("{} is not part of the consent", asset.id);
                return Err(ApiError::new(RspCodeName::NoAssetPermission, why));
            }
            let closed_by_scenario = if call.ns.scenarios.any() {
                call.ns.scenarios.closing(&Facts {
                    api_id: Some(&entry.api_id),
                    industry: entry.industry.as_deref(),
                    customer: Some(&call.consent.key.customer),
                    client_id: Some(&call.consent.key.client_id),
                    asset: call.param(&asset_key[0]),
                })
            } else {
                None
            };
            if asset.state == AssetState::Closed || closed_by_scenario.is_some() {
                // A scenario's closure decided the answer: the journal names it, and the
                // refusal is not graded as the caller's mistake.
                if asset.state != AssetState::Closed
                    && let Some(id) = closed_by_scenario
                {
                    call.facts.update(|f| f.scenarios.push(id.to_string()));
                }
                let why = format!("{} is closed (§6.5)", asset.id);
                return Err(ApiError::new(RspCodeName::AssetNotNormal, why));
            }
            let quota = quota_key(call, &asset.id);
            check_quota(call, &quota, first_page)?;
            if entry.takes("search_timestamp") {
                check_unchanged(call, &call.data.modified, first_page)?;
            }
            let raw = asset.raw.get(&entry.api_id).map(Vec::as_slice);
            let bytes = render_body(app, call, data, raw, &asset.id)?;
            record_quota(call, quota, first_page);
            bytes
        }
        Serve::Customer { .. } => {
            let holding = holding(call)?;
            let data = holding.customer_apis.get(&entry.api_id).ok_or_else(|| {
                let why = format!(
                    "the customer has no data for {} at this provider",
                    entry.api_id
                );
                ApiError::new(RspCodeName::NoSuchAsset, why)
            })?;
            let quota = quota_key(call, "");
            check_quota(call, &quota, first_page)?;
            if entry.takes("search_timestamp") {
                check_unchanged(call, &call.data.modified, first_page)?;
            }
            let raw = holding.customer_raw.get(&entry.api_id).map(Vec::as_slice);
            let bytes = render_body(app, call, data, raw, "")?;
            record_quota(call, quota, first_page);
            bytes
        }
        Serve::Apis => apis_body(app, call),
        Serve::Consents => consents_body(app, call),
        Serve::Authorize | Serve::Token | Serve::Revoke => {
            return Err(ApiError::new(
                RspCodeName::SystemFailure,
                "an auth API routed as an information API",
            ));
        }
    };
    let mut res = json_response(StatusCode::OK, body);
    res.extensions_mut()
        .insert(AnsweredCode(RspCodeName::Success.code()));
    Ok(res)
}

/// A namespace's scenarios that take over the call (maintenance, forced codes, `quota_after`,
/// `np_time`), evaluated before anything is served.
fn scenarios_first(call: &InfoCall) -> Result<(), ApiError> {
    let own = call.own_scenario.as_deref();
    if own.is_none() && !call.ns.scenarios.any() {
        return Ok(());
    }
    let entry = &*call.entry;
    let key = &call.consent.key;
    let asset = entry.serve.primary_asset_key().and_then(|k| call.param(k));
    let facts = Facts {
        api_id: Some(&entry.api_id),
        industry: entry.industry.as_deref(),
        customer: Some(&key.customer),
        client_id: Some(&key.client_id),
        asset,
    };
    let now = call.ns.clock.now_kst().naive_local();
    dangerous::forced(
        &call.ns.scenarios,
        own,
        &facts,
        now,
        call.api_type.scheduled,
    )
    .map_err(|(err, id)| {
        call.facts.update(|f| f.scenarios.push(id));
        err
    })
}

fn holding(call: &InfoCall) -> Result<Arc<Holding>, ApiError> {
    let key = &call.consent.key;
    call.data
        .fixtures
        .holding(&key.industry, &key.customer)
        .ok_or_else(|| {
            ApiError::new(
                RspCodeName::SystemFailure,
                "the consenting customer has no data at this provider",
            )
        })
}

/// Finds the asset named by the request's key parameters among the customer's own (§3.1: another
/// customer's asset is indistinguishable from a non-existent one, 40402).
fn find_asset<'a>(
    call: &InfoCall,
    holding: &'a Holding,
    keys: &[String],
) -> Result<&'a Asset, ApiError> {
    let primary = call.param(&keys[0]).unwrap_or_default();
    let mut found = holding.find(&keys[0], primary).filter(|a| {
        keys[1..].iter().all(|k| match call.param(k) {
            Some(v) => a.key_value(k) == Some(v),
            None => true,
        })
    });
    match (found.next(), found.next()) {
        (Some(a), None) => Ok(a),
        (Some(_), Some(_)) => Err(ApiError::bad_param(format!(
            "{primary} has several rounds; send {} as listed (§3.1)",
            keys[1..].join(", ")
        ))),
        (None, _) => Err(ApiError::new(
            RspCodeName::NoSuchAsset,
            format!("no asset {primary} of this customer"),
        )),
    }
}

/// Period rules (§1.8): from > to (40001), older than five years (40304), longer than the
/// `x-api-type` allows (40004).
fn check_period(app: &AppState, call: &InfoCall) -> Result<(), ApiError> {
    if let Some(months) = month_period(call)? {
        return check_month_period(app, call, months);
    }
    let (Some(from), Some(to)) = (call.param("from_date"), call.param("to_date")) else {
        return Ok(());
    };
    let (from, to) = (parse_date(from), parse_date(to));
    let (Some(from), Some(to)) = (from, to) else {
        return Err(ApiError::bad_param(
            "from_date and to_date must be dates YYYYMMDD",
        ));
    };
    if from > to {
        return Err(ApiError::bad_param("from_date is after to_date"));
    }
    let today = call.ns.clock.today();
    let limits = &app.spec.common.limits;
    let oldest = limits.max_history_age.before(today);
    if from < oldest {
        return Err(ApiError::new(
            RspCodeName::TooOld,
            format!(
                "from_date is older than {} (5 years before today; §1.8)",
                oldest.format("%Y%m%d")
            ),
        )
        .caller(FindingKind::ApiTypePeriod));
    }
    let t = &call.api_type;
    if t.scheduled {
        let max = call
            .entry
            .scheduled_max_period
            .or(t.max_period_days)
            .unwrap_or(Period::Days(31));
        // The window [from, to] spans (to - from + 1) days; it must fit in `max`.
        if to >= max.after(from) {
            return Err(ApiError::new(
                RspCodeName::PeriodTooLong,
                format!(
                    "a scheduled call may cover at most {max} per call (§1.8), got {} days",
                    (to - from).num_days() + 1
                ),
            )
            .caller(FindingKind::ApiTypePeriod));
        }
    } else if let Some(back) = t.lookback {
        let earliest = back.before(today);
        if from < earliest {
            return Err(ApiError::new(
                RspCodeName::PeriodTooLong,
                format!(
                    "x-api-type {} may reach back to {} ({back}; §1.8)",
                    t.value,
                    earliest.format("%Y%m%d")
                ),
            )
            .caller(FindingKind::ApiTypePeriod));
        }
    }
    Ok(())
}

/// `from_month`..`to_month` as the first days of those months, when the API is month-based.
fn month_period(call: &InfoCall) -> Result<Option<(NaiveDate, NaiveDate)>, ApiError> {
    let (Some(from), Some(to)) = (call.param("from_month"), call.param("to_month")) else {
        return Ok(None);
    };
    let month = |m: &str| parse_date(&format!("{m}01"));
    match (month(from), month(to)) {
        (Some(f), Some(t)) => Ok(Some((f, t))),
        _ => Err(ApiError::bad_param(
            "from_month and to_month must be months YYYYMM",
        )),
    }
}

/// Month-based periods (§1.8): from after to (40001), older than five years (40304), longer than
/// three months for scheduled calls, or further back than the `x-api-type` allows (40004).
fn check_month_period(
    app: &AppState,
    call: &InfoCall,
    (from, to): (NaiveDate, NaiveDate),
) -> Result<(), ApiError> {
    if from > to {
        return Err(ApiError::bad_param("from_month is after to_month"));
    }
    let today = call.ns.clock.today();
    let this_month = today.with_day(1).expect("day 1 exists");
    let oldest = app.spec.common.limits.max_history_age.before(this_month);
    if from < oldest {
        let why = format!(
            "from_month is older than {} (5 years; §1.8)",
            oldest.format("%Y%m")
        );
        return Err(ApiError::new(RspCodeName::TooOld, why).caller(FindingKind::ApiTypePeriod));
    }
    let t = &call.api_type;
    if t.scheduled {
        let max = t.max_period_months.unwrap_or(Period::Months(3));
        if to >= max.after(from) {
            let why = format!("a scheduled call may cover at most {max} of months per call (§1.8)");
            return Err(
                ApiError::new(RspCodeName::PeriodTooLong, why).caller(FindingKind::ApiTypePeriod)
            );
        }
    } else if let Some(back) = t.lookback {
        let earliest = back.before(this_month);
        if from < earliest {
            let why = format!(
                "x-api-type {} may reach back to {} ({back}; §1.8)",
                t.value,
                earliest.format("%Y%m")
            );
            return Err(
                ApiError::new(RspCodeName::PeriodTooLong, why).caller(FindingKind::ApiTypePeriod)
            );
        }
    }
    Ok(())
}

fn quota_key(call: &InfoCall, asset: &str) -> super::state::QuotaKey {
    let k = &call.consent.key;
    (
        k.customer.clone(),
        k.client_id.clone(),
        k.industry.clone(),
        call.entry.api_id.clone(),
        asset.to_owned(),
    )
}

/// The Sunday that starts `d`'s week (Sunday-Saturday, reference §6.1 and §8).
fn week_of(d: NaiveDate) -> NaiveDate {
    d - chrono::Days::new(u64::from(d.weekday().num_days_from_sunday()))
}

/// At most one scheduled call per week per (customer, asset, API); later pages of the same query
/// do not count (§1.6, §6.1).
fn check_quota(
    call: &InfoCall,
    key: &super::state::QuotaKey,
    first_page: bool,
) -> Result<(), ApiError> {
    if !call.api_type.scheduled || !first_page {
        return Ok(());
    }
    let week = week_of(call.ns.clock.today());
    let quota = call.ns.quota.lock().unwrap_or_else(|e| e.into_inner());
    if quota.get(key) == Some(&week) {
        return Err(ApiError::new(
            RspCodeName::LimitExceeded,
            format!(
                "{} was already collected by a scheduled call this week (once a week; §6.1)",
                call.entry.api_id
            ),
        )
        .caller(FindingKind::ScheduledWeeklyRepeat));
    }
    Ok(())
}

fn record_quota(call: &InfoCall, key: super::state::QuotaKey, first_page: bool) {
    if call.api_type.scheduled && first_page {
        let week = week_of(call.ns.clock.today());
        call.ns
            .quota
            .lock()
            .unwrap_or_else(|e| e.into_inner())
            .insert(key, week);
    }
}

/// `00001` when the caller's `search_timestamp` is not older than the data (§1.7); first page only.
fn check_unchanged(call: &InfoCall, modified: &str, first_page: bool) -> Result<(), ApiError> {
    let Some(st) = call
        .param("search_timestamp")
        .filter(|s| *s != "0" && first_page)
    else {
        return Ok(());
    };
    let (st, mt) = (
        st.parse::<u64>().unwrap_or(0),
        modified.parse::<u64>().unwrap_or(u64::MAX),
    );
    if st >= mt {
        return Err(ApiError::new(RspCodeName::UpToDate, ""));
    }
    Ok(())
}

/// Renders an `asset` or `customer` body: stored fields as they are, and the view's list
/// filtered by period and `match` parameters, then paged.
fn render_body(
    app: &AppState,
    call: &InfoCall,
    data: &Map<String, Value>,
    raw: Option<&[Box<RawValue>]>,
    asset: &str,
) -> Result<Vec<u8>, ApiError> {
    let entry = &*call.entry;
    let first_page = call.param("next_page").is_none();
    let view = entry.serve.view().unwrap_or_default();
    let paged = view.list.filter(|_| entry.takes("limit"));
    let all = view
        .list
        .and_then(|l| data.get(l))
        .and_then(Value::as_array)
        .map(Vec::as_slice)
        .unwrap_or_default();
    let range = match (view.date_field, view.month_field) {
        (Some(f), _) => within(all, f, call.param("from_date"), call.param("to_date"), 8),
        (None, Some(f)) => within(all, f, call.param("from_month"), call.param("to_month"), 6),
        (None, None) => 0..all.len(),
    };
    let matches = |i: &usize| {
        view.matching.iter().all(|m| match call.param(m) {
            Some(v) => all[*i].get(m).and_then(Value::as_str) == Some(v),
            None => true,
        })
    };
    let mut picked: Vec<usize> = if view.matching.is_empty() {
        range.collect()
    } else {
        range.filter(matches).collect()
    };
    let mut next = None;
    if paged.is_some() {
        let (page, cursor) = paginate(app, call, picked.len(), asset)?;
        picked = picked[page].to_vec();
        next = cursor;
    }
    let mut out = Body::new(app);
    for f in &entry.response {
        match f.name.as_str() {
            "search_timestamp" => out.push_timestamp(call, first_page),
            "next_page" => out.push_opt("next_page", next.as_deref()),
            name if view.list.is_some() && f.count_of.as_deref() == view.list => {
                out.push_str(name, picked.len().to_string())
            }
            name if Some(name) == view.list => {
                let items = match raw.filter(|r| r.len() == all.len()) {
                    Some(r) => Out::Raw(picked.iter().map(|&i| &*r[i]).collect()),
                    None => Out::Refs(picked.iter().map(|&i| &all[i]).collect()),
                };
                out.0.push((name, items));
            }
            name => out.push_json(name, data.get(name)),
        }
    }
    Ok(out.to_bytes())
}

/// The index range of items whose date (its first `len` characters: `YYYYMMDD` or `YYYYMM`)
/// falls in [from, to]; items are stored newest first, so the range is contiguous.
fn within(
    items: &[Value],
    field: &str,
    from: Option<&str>,
    to: Option<&str>,
    len: usize,
) -> std::ops::Range<usize> {
    let (Some(from), Some(to)) = (from, to) else {
        return 0..items.len();
    };
    fn key<'v>(v: &'v Value, field: &str, len: usize) -> &'v str {
        v.get(field)
            .and_then(Value::as_str)
            .map(|s| &s[..s.len().min(len)])
            .unwrap_or("")
    }
    let start = items.partition_point(|v| key(v, field, len) > to);
    let end = items
        .partition_point(|v| key(v, field, len) >= from)
        .max(start);
    start..end
}

/// The page range and the next cursor. A cursor is an offset sealed with a keyed hash of the
/// query that issued it (API, asset, customer, every period and filter parameter) and of the
/// offset itself: it cannot be replayed against another query, nor edited to another page.
fn paginate(
    app: &AppState,
    call: &InfoCall,
    total: usize,
    asset: &str,
) -> Result<(std::ops::Range<usize>, Option<String>), ApiError> {
    let limit: usize = call
        .param("limit")
        .and_then(|l| l.parse().ok())
        .unwrap_or(total.max(1));
    let offset = match call.param("next_page") {
        None => 0,
        Some(cursor) => decode_cursor(app, call, asset, cursor)
            .filter(|&o| o <= total)
            .ok_or_else(|| {
                ApiError::bad_param(
                    "next_page is not a cursor this provider issued for this query (§1.6)",
                )
            })?,
    };
    let end = (offset + limit).min(total);
    let next = (end < total).then(|| encode_cursor(app, call, asset, end));
    Ok((offset..end, next))
}

/// The seal of a cursor: the server's per-process keys over the query and the offset.
fn seal(app: &AppState, call: &InfoCall, asset: &str, offset: u32) -> u64 {
    use std::hash::BuildHasher;
    let mut parts: Vec<&str> = vec![
        call.entry.api_id.as_str(),
        asset,
        call.consent.key.customer.as_str(),
    ];
    for p in ["from_date", "to_date", "from_month", "to_month"] {
        parts.push(call.param(p).unwrap_or(""));
    }
    if let Some(view) = call.entry.serve.view() {
        parts.extend(view.matching.iter().map(|m| call.param(m).unwrap_or("")));
    }
    app.cursor_keys.hash_one((parts, offset))
}

fn encode_cursor(app: &AppState, call: &InfoCall, asset: &str, offset: usize) -> String {
    let offset = u32::try_from(offset).unwrap_or(u32::MAX);
    let mut bytes = [0u8; 12];
    bytes[..4].copy_from_slice(&offset.to_be_bytes());
    bytes[4..].copy_from_slice(&seal(app, call, asset, offset).to_be_bytes());
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes)
}

fn decode_cursor(app: &AppState, call: &InfoCall, asset: &str, cursor: &str) -> Option<usize> {
    let bytes = base64::engine::general_purpose::URL_SAFE_NO_PAD
        .decode(cursor)
        .ok()?;
    let bytes: [u8; 12] = bytes.try_into().ok()?;
    let offset = u32::from_be_bytes(bytes[..4].try_into().ok()?);
    let sealed = u64::from_be_bytes(bytes[4..].try_into().ok()?);
    (sealed == seal(app, call, asset, offset)).then_some(offset as usize)
}

/// 정보제공-공통-001: this industry's APIs, from the spec itself (§4.8).
fn apis_body(app: &AppState, call: &InfoCall) -> Vec<u8> {
    let spec = &app.spec;
    let industry = call.entry.industry.as_deref().unwrap_or_default();
    let list: Vec<Value> = spec
        .industry_apis(industry)
        .map(|e| {
            let mut m = Map::new();
            if let Some(code) = &e.api_code {
                m.insert("api_code".into(), code.clone().into());
            }
            m.insert("api_uri".into(), e.full_path(spec.version()).into());
            Value::Object(m)
        })
        .collect();
    let mut out = Body::new(app);
    for f in &call.entry.response {
        let name = f.name.as_str();
        match name {
            "version" => out.push_str(name, spec.common.version.clone()),
            "min_version" => out.push_str(name, spec.common.min_version.clone()),
            _ if f.count_of.is_some() => out.push_str(name, list.len().to_string()),
            _ if f.ty == crate::spec::FieldType::List => out.0.push((name, Out::Slice(&list))),
            _ => {}
        }
    }
    out.to_bytes()
}

/// 정보제공-공통-002: the particulars of the token's consent (§2.6), in the spec's field order.
fn consents_body(app: &AppState, call: &InfoCall) -> Vec<u8> {
    let c = &call.consent;
    let particulars = serde_json::json!({
        "is_scheduled": c.is_scheduled.to_string(),
        "fnd_cycle": c.fnd_cycle,
        "add_cycle": c.add_cycle,
        "end_date": c.end_date.format("%Y%m%d").to_string(),
        "purpose": c.purpose,
        "period": c.period.format("%Y%m%d").to_string(),
    });
    let mut out = Body::new(app);
    for f in &call.entry.response {
        out.push_json(&f.name, particulars.get(&f.name).filter(|v| !v.is_null()));
    }
    out.to_bytes()
}

/// A response body assembled from borrowed fixture data: no fixture value is cloned. It opens
/// with `rsp_code` 00000 and the table's message.
struct Body<'a>(Vec<(&'a str, Out<'a>)>, &'a str);

enum Out<'a> {
    Str(Cow<'a, str>),
    Json(&'a Value),
    Slice(&'a [Value]),
    Refs(Vec<&'a Value>),
    Raw(Vec<&'a RawValue>),
    Items(Vec<ListItem<'a>>),
}

impl<'a> Body<'a> {
    fn new(app: &'a AppState) -> Self {
        let msg = app
            .spec
            .rsp(RspCodeName::Success.code())
            .map(|r| r.msg.as_str())
            .unwrap_or_default();
        Body(Vec::new(), msg)
    }
    fn push_str(&mut self, name: &'a str, v: String) {
        self.0.push((name, Out::Str(Cow::Owned(v))));
    }
    fn push_opt(&mut self, name: &'a str, v: Option<&str>) {
        if let Some(v) = v {
            self.push_str(name, v.to_owned());
        }
    }
    fn push_json(&mut self, name: &'a str, v: Option<&'a Value>) {
        if let Some(v) = v {
            self.0.push((name, Out::Json(v)));
        }
    }
    /// `search_timestamp` = now, only on the first page of APIs that take it (§1.5).
    fn push_timestamp(&mut self, call: &InfoCall, first_page: bool) {
        if first_page && call.entry.takes("search_timestamp") {
            self.push_str("search_timestamp", call.ns.clock.dtime());
        }
    }
    fn to_bytes(&self) -> Vec<u8> {
        serde_json::to_vec(self).expect("a body of strings and JSON values serializes")
    }
}

impl Serialize for Body<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let mut m = s.serialize_map(Some(self.0.len() + 2))?;
        m.serialize_entry("rsp_code", RspCodeName::Success.code())?;
        m.serialize_entry("rsp_msg", self.1)?;
        for (k, v) in &self.0 {
            match v {
                Out::Str(x) => m.serialize_entry(k, x)?,
                Out::Json(x) => m.serialize_entry(k, x)?,
                Out::Slice(x) => m.serialize_entry(k, x)?,
                Out::Refs(x) => m.serialize_entry(k, x)?,
                Out::Raw(x) => m.serialize_entry(k, x)?,
                Out::Items(x) => m.serialize_entry(k, x)?,
            }
        }
        m.end()
    }
}

/// One row of an asset list: key fields from the asset, the consent flag from the consent, the
/// rest from the asset's entry for the list API, in the spec's field order.
struct ListItem<'a> {
    fields: &'a [Field],
    asset: &'a Asset,
    api_id: &'a str,
    consent_flag: &'a str,
    consented: bool,
}

impl Serialize for ListItem<'_> {
    fn serialize<S: Serializer>(&self, s: S) -> Result<S::Ok, S::Error> {
        let entry = self.asset.apis.get(self.api_id).and_then(Value::as_object);
        let mut m = s.serialize_map(None)?;
        for f in self.fields {
            if f.name == self.consent_flag {
                m.serialize_entry(&f.name, if self.consented { "true" } else { "false" })?;
            } else if let Some(v) = self
                .asset
                .key
                .get(&f.name)
                .or_else(|| entry.and_then(|e| e.get(&f.name)))
            {
                m.serialize_entry(&f.name, v)?;
            }
        }
        m.end()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn weeks_start_on_sunday() {
        let wed = NaiveDate::from_ymd_opt(2026, 11, 25).expect("date");
        let sun = NaiveDate::from_ymd_opt(2026, 11, 22).expect("date");
        assert_eq!(week_of(wed), sun);
        assert_eq!(week_of(sun), sun);
        assert_eq!(
            week_of(sun - chrono::Days::new(1)),
            NaiveDate::from_ymd_opt(2026, 11, 15).expect("date")
        );
    }
}
