//! The conformance plan: cases derived from the spec's entries (no case list is written by hand).
//! Each case has a stable id `<industry>.<api_id>.<kind>`, and each negative kind maps to the
//! check that owns it and what the standard expects back ([`Expect`]), as data.

use std::sync::Arc;

use super::checks::Expect;
use crate::spec::{ApiEntry, Serve};

/// What a case does.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Kind {
    /// A valid request: success and the response schema.
    Positive,
    /// Walk every page with a small limit.
    Paging,
    /// Repeat with the returned search_timestamp.
    SearchTimestamp,
    MissingTranId,
    MalformedTranId,
    MissingApiType,
    BadApiType,
    NoToken,
    TamperedToken,
    LimitOverMax,
    FromAfterTo,
    TooOld,
    ScheduledWindow,
    WrongOrgCode,
    UnknownAsset,
    /// Another customer's asset with this customer's token.
    CrossCustomer,
    /// A token without the API's scope.
    WrongScope,
    WrongMethod,
    ExpiredToken,
    UnknownPath,
    WrongVersion,
    /// After revoking the token (runs last).
    RevokedToken,
    OAuthBadClient,
    OAuthCodeReuse,
    OAuthRedirectMismatch,
}

impl Kind {
    /// The case id suffix.
    pub fn name(self) -> &'static str {
        use Kind::*;
        match self {
            Positive => "positive",
            Paging => "paging",
            SearchTimestamp => "search_timestamp",
            MissingTranId => "missing_tran_id",
            MalformedTranId => "malformed_tran_id",
            MissingApiType => "missing_api_type",
            BadApiType => "bad_api_type",
            NoToken => "no_token",
            TamperedToken => "tampered_token",
            LimitOverMax => "limit_over_max",
            FromAfterTo => "from_after_to",
            TooOld => "too_old",
            ScheduledWindow => "scheduled_window",
            WrongOrgCode => "wrong_org_code",
            UnknownAsset => "unknown_asset",
            CrossCustomer => "cross_customer",
            WrongScope => "wrong_scope",
            WrongMethod => "wrong_method",
            ExpiredToken => "expired_token",
            UnknownPath => "unknown_path",
            WrongVersion => "wrong_version",
            RevokedToken => "revoked_token",
            OAuthBadClient => "oauth_bad_client",
            OAuthCodeReuse => "oauth_code_reuse",
            OAuthRedirectMismatch => "oauth_redirect_mismatch",
        }
    }

    /// The check that owns a negative kind, and what the standard expects (§5.1, §2.5).
    pub fn expectation(self) -> Option<(&'static str, Expect)> {
        use Kind::*;
        let e = |statuses, codes| Expect { statuses, codes };
        Some(match self {
            MissingTranId | MalformedTranId => ("tran_id_required", e(&[400], &["40002"])),
            MissingApiType | BadApiType => ("api_type_required", e(&[400], &["40002"])),
            NoToken => ("token_required", e(&[400, 401], &["40002", "40101"])),
            TamperedToken => ("token_tampered_rejected", e(&[401], &["40101"])),
            ExpiredToken => ("token_expired_rejected", e(&[401], &["40101"])),
            RevokedToken => ("token_revoked_rejected", e(&[401], &["40101"])),
            LimitOverMax => ("limit_over_max_rejected", e(&[400, 429], &["40001"])),
            FromAfterTo => ("period_from_after_to_rejected", e(&[400], &["40001"])),
            TooOld => ("period_too_old_rejected", e(&[403], &["40304"])),
            ScheduledWindow => (
                "period_scheduled_window_rejected",
                e(&[400, 403], &["40004"]),
            ),
            WrongOrgCode => ("org_code_checked", e(&[403], &["40303"])),
            UnknownAsset => ("unknown_asset_rejected", e(&[404], &["40402"])),
            CrossCustomer => ("cross_customer_asset_rejected", e(&[404, 401], &["40402"])),
            WrongScope => ("scope_enforced", e(&[401, 403], &["40104"])),
            WrongMethod => ("method_not_allowed", e(&[405], &["40501"])),
            UnknownPath => ("unknown_path", e(&[404], &["40401"])),
            WrongVersion => ("version_checked", e(&[400, 404], &["40003"])),
            OAuthBadClient => (
                "oauth_bad_client_rejected",
                e(&[400, 401], &["invalid_client"]),
            ),
            OAuthCodeReuse => ("oauth_code_reuse_rejected", e(&[400], &["invalid_grant"])),
            OAuthRedirectMismatch => (
                "oauth_redirect_mismatch_rejected",
                e(&[400], &["invalid_grant"]),
            ),
            Positive | Paging | SearchTimestamp => return None,
        })
    }

    /// A sentence for reports.
    pub fn title(self) -> &'static str {
        use Kind::*;
        match self {
            Positive => "a valid request succeeds and its answer matches the spec",
            Paging => "next_page walks every item exactly once",
            SearchTimestamp => "the returned search_timestamp detects unchanged data",
            MissingTranId => "no x-api-tran-id is refused",
            MalformedTranId => "a malformed x-api-tran-id is refused",
            MissingApiType => "no x-api-type is refused",
            BadApiType => "an x-api-type outside the standard is refused",
            NoToken => "no Authorization is refused",
            TamperedToken => "a tampered token is refused",
            LimitOverMax => "limit 501 is refused",
            FromAfterTo => "from after to is refused",
            TooOld => "a period starting more than five years back is refused",
            ScheduledWindow => "a scheduled call over the allowed window is refused",
            WrongOrgCode => "another provider's org_code is refused",
            UnknownAsset => "an unknown asset is refused",
            CrossCustomer => "another customer's asset is refused, never served",
            WrongScope => "a token without the API's scope is refused",
            WrongMethod => "the wrong HTTP method is refused",
            ExpiredToken => "an expired token is refused",
            UnknownPath => "an unknown path is refused",
            WrongVersion => "an unserved version is refused",
            RevokedToken => "a revoked token is refused",
            OAuthBadClient => "the token endpoint refuses a wrong client_secret",
            OAuthCodeReuse => "the token endpoint refuses a reused code",
            OAuthRedirectMismatch => "the token endpoint refuses a different redirect_uri",
        }
    }
}

/// One case of the plan.
#[derive(Debug, Clone)]
pub struct Case {
    pub id: String,
    pub industry: String,
    pub entry: Arc<ApiEntry>,
    pub kind: Kind,
}

/// What the run can do beyond the basics (decided from the credentials given).
#[derive(Debug, Clone, Copy, Default)]
pub struct Abilities {
    pub expired_token: bool,
    pub revoke: bool,
    pub oauth: bool,
}

/// The cases for these APIs (already filtered by industry, API id and what the target declares).
pub fn plan(apis: &[Arc<ApiEntry>], able: Abilities) -> Vec<Case> {
    use Kind::*;
    let mut cases = Vec::new();
    let mut industries: Vec<&str> = Vec::new();
    for e in apis {
        let industry = e.industry.clone().unwrap_or_default();
        let mut add = |kind: Kind| {
            cases.push(Case {
                id: format!("{industry}.{}.{}", e.label(), kind.name()),
                industry: industry.clone(),
                entry: e.clone(),
                kind,
            })
        };
        add(Positive);
        if e.takes("limit") {
            add(Paging);
            add(LimitOverMax);
        }
        if e.takes("search_timestamp") {
            add(SearchTimestamp);
        }
        for k in [
            MissingTranId,
            MalformedTranId,
            MissingApiType,
            BadApiType,
            NoToken,
            TamperedToken,
            WrongOrgCode,
            WrongMethod,
        ] {
            add(k);
        }
        if (e.takes("from_date") && e.takes("to_date"))
            || (e.takes("from_month") && e.takes("to_month"))
        {
            add(FromAfterTo);
            add(TooOld);
            add(ScheduledWindow);
        }
        if matches!(e.serve, Serve::Asset { .. }) {
            add(UnknownAsset);
            add(CrossCustomer);
        }
        if !e.is_list_scope() {
            add(WrongScope);
        }
        if let Some(i) = e.industry.as_deref()
            && !industries.contains(&i)
        {
            industries.push(i);
        }
    }
    // Once per industry, on its first list API: path, version and token lifecycle cases.
    for industry in industries {
        let Some(list) = apis.iter().find(|e| {
            e.industry.as_deref() == Some(industry) && matches!(e.serve, Serve::List { .. })
        }) else {
            continue;
        };
        let mut once = vec![UnknownPath, WrongVersion];
        if able.expired_token {
            once.push(ExpiredToken);
        }
        if able.revoke {
            once.push(RevokedToken);
        }
        for kind in once {
            cases.push(Case {
                id: format!("{industry}.{}", kind.name()),
                industry: industry.to_owned(),
                entry: list.clone(),
                kind,
            });
        }
    }
    if able.oauth
        && let Some(first) = apis.first()
    {
        let industry = first.industry.clone().unwrap_or_default();
        for kind in [OAuthBadClient, OAuthCodeReuse, OAuthRedirectMismatch] {
            cases.push(Case {
                id: format!("oauth.{}", kind.name()),
                industry: industry.clone(),
                entry: first.clone(),
                kind,
            });
        }
    }
    cases
}
