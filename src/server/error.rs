//! The one error type of the information-provision APIs, and the OAuth error of the auth endpoints.
//!
//! Handlers and extractors return [`ApiError`] naming a row of the spec's `rsp_code` table; the
//! protocol middleware renders it as the spec's body `{rsp_code, rsp_msg}` with the table's HTTP
//! status (looked up in `specs/`, never written here) and echoes `x-api-tran-id`. OAuth endpoints
//! answer `{error, error_description}` instead (§2.5), through [`OAuthError`].

use axum::response::{IntoResponse, Response};

use crate::testbed::journal::FindingKind;

/// The `rsp_code`s the server produces, by name. Their HTTP statuses and messages live in
/// `specs/<version>/common.json`; start-up checks that every one of these is in the table.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum RspCodeName {
    Success,
    UpToDate,
    BadParameter,
    BadHeader,
    BadVersion,
    PeriodTooLong,
    InvalidToken,
    NoApiPermission,
    NoAssetPermission,
    ConsentExpired,
    ImproperCall,
    UnknownOrgCode,
    TooOld,
    AssetNotNormal,
    NoSuchApi,
    NoSuchAsset,
    MethodNotAllowed,
    LimitExceeded,
    SystemFailure,
    Maintenance,
    OutsideScheduledWindow,
    MarketOpenClose,
    /// Any other code of the table, forced by a testbed scenario (interned, see [`RspCodeName::table`]).
    Table(&'static str),
}

impl RspCodeName {
    pub const ALL: [RspCodeName; 22] = [
        Self::Success,
        Self::UpToDate,
        Self::BadParameter,
        Self::BadHeader,
        Self::BadVersion,
        Self::PeriodTooLong,
        Self::InvalidToken,
        Self::NoApiPermission,
        Self::NoAssetPermission,
        Self::ConsentExpired,
        Self::ImproperCall,
        Self::UnknownOrgCode,
        Self::TooOld,
        Self::AssetNotNormal,
        Self::NoSuchApi,
        Self::NoSuchAsset,
        Self::MethodNotAllowed,
        Self::LimitExceeded,
        Self::SystemFailure,
        Self::Maintenance,
        Self::OutsideScheduledWindow,
        Self::MarketOpenClose,
    ];

    /// The name of any code of the table (which the caller has checked), for forced answers.
    /// Codes are interned once each, so a long-running server leaks at most the table.
    pub fn table(code: &str) -> RspCodeName {
        use std::collections::HashSet;
        use std::sync::{Mutex, OnceLock};
        if let Some(known) = Self::ALL.into_iter().find(|c| c.code() == code) {
            return known;
        }
        static INTERNED: OnceLock<Mutex<HashSet<&'static str>>> = OnceLock::new();
        let mut set = INTERNED
            .get_or_init(Mutex::default)
            .lock()
            .unwrap_or_else(|e| e.into_inner());
        let interned = match set.get(code) {
            Some(c) => *c,
            None => {
                let leaked: &'static str = Box::leak(code.to_owned().into_boxed_str());
                set.insert(leaked);
                leaked
            }
        };
        Self::Table(interned)
    }

    /// The code of the table (§5.1).
    pub fn code(self) -> &'static str {
        match self {
            Self::Success => "00000",
            Self::UpToDate => "00001",
            Self::BadParameter => "40001",
            Self::BadHeader => "40002",
            Self::BadVersion => "40003",
            Self::PeriodTooLong => "40004",
            Self::InvalidToken => "40101",
            Self::NoApiPermission => "40104",
            Self::NoAssetPermission => "40105",
            Self::ConsentExpired => "40106",
            Self::ImproperCall => "40301",
            Self::UnknownOrgCode => "40303",
            Self::TooOld => "40304",
            Self::AssetNotNormal => "40305",
            Self::NoSuchApi => "40401",
            Self::NoSuchAsset => "40402",
            Self::MethodNotAllowed => "40501",
            Self::LimitExceeded => "42901",
            Self::SystemFailure => "50001",
            Self::Maintenance => "50008",
            Self::OutsideScheduledWindow => "50009",
            Self::MarketOpenClose => "50010",
            Self::Table(code) => code,
        }
    }
}

/// A failed (or data-less) information-provision call: a table code and what exactly was wrong.
#[derive(Debug, Clone, thiserror::Error)]
#[error("{} {detail}", code.code())]
pub struct ApiError {
    pub code: RspCodeName,
    pub detail: String,
    /// What the caller did wrong, for the journal's grade; `None` when the refusal is not the
    /// caller's doing (a forced scenario, a server failure, 00001).
    pub caller: Option<FindingKind>,
}

impl ApiError {
    pub fn new(code: RspCodeName, detail: impl Into<String>) -> Self {
        ApiError {
            code,
            detail: detail.into(),
            caller: None,
        }
    }
    /// Tags the error with the caller's deviation it reveals.
    pub fn caller(mut self, kind: FindingKind) -> Self {
        self.caller = Some(kind);
        self
    }
    pub fn bad_param(detail: impl Into<String>) -> Self {
        Self::new(RspCodeName::BadParameter, detail)
    }
    pub fn bad_header(detail: impl Into<String>) -> Self {
        Self::new(RspCodeName::BadHeader, detail)
    }
    pub fn invalid_token(detail: impl Into<String>) -> Self {
        Self::new(RspCodeName::InvalidToken, detail)
    }
}

/// Response extension carrying an [`ApiError`] to the protocol middleware, which renders it.
#[derive(Debug, Clone)]
pub struct PendingApiError(pub ApiError);

impl IntoResponse for ApiError {
    fn into_response(self) -> Response {
        let mut res = Response::new(axum::body::Body::empty());
        res.extensions_mut().insert(PendingApiError(self));
        res
    }
}

/// An OAuth error of the token, revoke and authorize endpoints (§2.5).
#[derive(Debug, Clone, thiserror::Error)]
#[error("{error}: {description}")]
pub struct OAuthError {
    /// One of the spec's OAuth error codes (`invalid_grant`, ...).
    pub error: &'static str,
    pub description: String,
    /// 개별인증-001 echoes `state` and `api_tran_id` in its JSON error body.
    pub state: Option<String>,
    pub api_tran_id: Option<String>,
}

impl OAuthError {
    pub fn new(error: &'static str, description: impl Into<String>) -> Self {
        OAuthError {
            error,
            description: description.into(),
            state: None,
            api_tran_id: None,
        }
    }
}

/// Response extension carrying an [`OAuthError`] to the protocol middleware.
#[derive(Debug, Clone)]
pub struct PendingOAuthError(pub OAuthError);

impl IntoResponse for OAuthError {
    fn into_response(self) -> Response {
        let mut res = Response::new(axum::body::Body::empty());
        res.extensions_mut().insert(PendingOAuthError(self));
        res
    }
}

/// Response extension: the `rsp_code` a handler answered, for the access log.
#[derive(Debug, Clone, Copy)]
pub struct AnsweredCode(pub &'static str);

/// Response/request extension: which API a request was routed to, for the access log.
#[derive(Debug, Clone)]
pub struct ApiLabel(pub std::sync::Arc<str>);
