//! What the provider remembers about authorisation: pending authorize requests, issued codes,
//! consents (전송요구) and the live token pairs. In memory, behind one lock; reads on the hot path
//! (checking an access token) take the read side only.

use std::collections::{BTreeSet, HashMap};
use std::sync::{Arc, RwLock, RwLockReadGuard, RwLockWriteGuard};

use chrono::{DateTime, NaiveDate, Utc};

use super::jwt::TokenKind;

/// One token pair exists per (customer, client, industry) (reference §2.1 rule 1).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct ConsentKey {
    pub customer: String,
    pub client_id: String,
    pub industry: String,
}

/// A consent (전송요구) and its particulars (§2.6), as 정보제공-공통-002 reports them.
#[derive(Debug, Clone)]
pub struct Consent {
    pub key: ConsentKey,
    /// Ids of the consented assets.
    pub assets: BTreeSet<String>,
    /// The token scope: the industry's list scope plus the consented assets' scopes (§2.4).
    pub scope: String,
    pub is_scheduled: bool,
    pub fnd_cycle: Option<String>,
    pub add_cycle: Option<String>,
    pub end_date: NaiveDate,
    pub purpose: String,
    pub period: NaiveDate,
    /// When it took effect, as a `DTIME`; list data changes then (`is_consent` flips).
    pub created: String,
    /// Ended by a testbed scenario (expire_consent): the app learns it from its first 40106.
    pub testbed_expired: bool,
}

impl Consent {
    pub fn has_scope(&self, scope: &str) -> bool {
        self.scope.split(' ').any(|s| s == scope)
    }
}

/// An authorize request waiting for the customer to log in and consent.
#[derive(Debug, Clone)]
pub struct PendingAuth {
    pub client_id: String,
    pub redirect_uri: String,
    pub state: String,
    pub api_tran_id: String,
    pub ci: String,
    pub industry: String,
    pub expires: DateTime<Utc>,
}

/// An authorization code and the consent it carries until it is exchanged.
#[derive(Debug, Clone)]
pub struct IssuedCode {
    pub client_id: String,
    pub redirect_uri: String,
    pub consent: Consent,
    pub expires: DateTime<Utc>,
    /// Set on first exchange: the pair it produced, revoked if the code is replayed (RFC 6749 §4.1.2).
    pub exchanged: Option<u64>,
}

/// A live or revoked token.
#[derive(Debug, Clone)]
pub struct TokenRecord {
    pub pair: u64,
    pub kind: TokenKind,
    pub revoked: bool,
    /// Revoked by a testbed scenario rather than by the app or a new consent: the app cannot
    /// know until the first refusal, so only later uses are its fault.
    pub testbed_revoked: bool,
    /// Expiry, seconds since the epoch (the token's `exp`).
    pub exp: i64,
}

/// An access/refresh pair and the consent it carries.
#[derive(Debug, Clone)]
pub struct Pair {
    pub access_jti: String,
    pub refresh_jti: String,
    pub refresh_exp: DateTime<Utc>,
    pub consent: Arc<Consent>,
}

#[derive(Debug, Default)]
pub struct Inner {
    pub pending: HashMap<String, PendingAuth>,
    pub codes: HashMap<String, IssuedCode>,
    pub tokens: HashMap<String, TokenRecord>,
    /// Every token issued, by its compact form → its jti: the hot path looks tokens up here
    /// instead of re-verifying signatures (we issued them; the store is the truth).
    pub by_value: HashMap<String, String>,
    pub pairs: HashMap<u64, Pair>,
    pub current: HashMap<ConsentKey, u64>,
    pub next_pair: u64,
    /// Testbed-revoked tokens whose app has been told once (jti).
    pub told: std::collections::HashSet<String>,
}

impl Inner {
    /// Revokes both tokens of a pair and forgets it as current.
    pub fn revoke_pair(&mut self, pair_id: u64) {
        if let Some(pair) = self.pairs.get(&pair_id) {
            for jti in [&pair.access_jti, &pair.refresh_jti] {
                if let Some(t) = self.tokens.get_mut(jti) {
                    t.revoked = true;
                }
            }
            let key = pair.consent.key.clone();
            if self.current.get(&key) == Some(&pair_id) {
                self.current.remove(&key);
            }
        }
    }

    /// Revokes a pair on a testbed scenario's order (see [`TokenRecord::testbed_revoked`]).
    pub fn testbed_revoke_pair(&mut self, pair_id: u64) {
        if let Some(pair) = self.pairs.get(&pair_id) {
            for jti in [pair.access_jti.clone(), pair.refresh_jti.clone()] {
                if let Some(t) = self.tokens.get_mut(&jti)
                    && !t.revoked
                {
                    t.testbed_revoked = true;
                }
            }
        }
        self.revoke_pair(pair_id);
    }

    /// Drops expired pending requests and codes, so memory stays bounded under load.
    pub fn purge(&mut self, now: DateTime<Utc>) {
        self.pending.retain(|_, p| p.expires > now);
        self.codes.retain(|_, c| c.expires > now);
    }
}

/// The store, shared by handlers.
#[derive(Debug, Default)]
pub struct AuthStore {
    inner: RwLock<Inner>,
}

impl AuthStore {
    pub fn read(&self) -> RwLockReadGuard<'_, Inner> {
        self.inner.read().unwrap_or_else(|e| e.into_inner())
    }
    pub fn write(&self) -> RwLockWriteGuard<'_, Inner> {
        self.inner.write().unwrap_or_else(|e| e.into_inner())
    }

    /// The consent and expiry behind an access token we issued, or why it is not live; `None`
    /// when we never issued that token (or lost it in a restart).
    pub fn access_by_value(&self, token: &str) -> Option<Result<(Arc<Consent>, i64), Refusal>> {
        let told_now = {
            let inner = self.read();
            let jti = inner.by_value.get(token)?;
            let record = inner.tokens.get(jti)?;
            if record.kind != TokenKind::Access {
                return Some(Err(Refusal::fault("a refresh token cannot call an API")));
            }
            if !record.revoked {
                return Some(match inner.pairs.get(&record.pair) {
                    Some(pair) => Ok((pair.consent.clone(), record.exp)),
                    None => Err(Refusal::fault("the token is unknown to this provider")),
                });
            }
            if !record.testbed_revoked || inner.told.contains(jti) {
                return Some(Err(Refusal {
                    why: "the token was revoked",
                    reused: true,
                }));
            }
            jti.clone()
        };
        self.write().told.insert(told_now);
        Some(Err(Refusal {
            why: "the token was revoked (by a testbed scenario)",
            reused: false,
        }))
    }
}

/// Why a token we issued cannot call an API.
#[derive(Debug, Clone, Copy)]
pub struct Refusal {
    pub why: &'static str,
    /// Whether the app is reusing a token it should know is dead (revoked or expired).
    pub reused: bool,
}

impl Refusal {
    fn fault(why: &'static str) -> Self {
        Refusal { why, reused: false }
    }
}
