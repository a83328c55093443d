//! The OAuth grants of 개별인증-002/003/004 (reference §2.2.3-2.2.5, §2.1 token rules), sans IO:
//! plain requests in, grants or [`OAuthError`]s out. The routes only adapt forms to these.

use std::sync::Arc;

use chrono::{DateTime, NaiveTime, TimeDelta, Utc};

use super::jwt::{Claims, Keys, TokenKind, random_token};
use super::store::{AuthStore, Consent, Inner, IssuedCode, Pair, PendingAuth, TokenRecord};
use crate::clock::{Clock, kst};
use crate::fixtures::{Client, FixtureStore};
use crate::server::error::OAuthError;

/// Token and code lifetimes (seconds), checked against the spec's maxima at start-up.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Lifetimes {
    pub access: u64,
    pub refresh: u64,
    pub code: u64,
}

/// Everything a grant needs to see.
pub struct Grantor<'a> {
    pub store: &'a AuthStore,
    pub keys: &'a Keys,
    pub fixtures: &'a FixtureStore,
    pub clock: &'a Clock,
    pub lifetimes: Lifetimes,
}

/// A token request, already split by grant type.
#[derive(Debug, Clone)]
pub enum TokenRequest {
    /// 개별인증-002.
    AuthorizationCode {
        org_code: String,
        code: String,
        client_id: String,
        client_secret: String,
        redirect_uri: String,
    },
    /// 개별인증-003.
    RefreshToken {
        org_code: String,
        refresh_token: String,
        client_id: String,
        client_secret: String,
    },
}

/// A successful token response; `refresh` is absent for 개별인증-003.
#[derive(Debug, Clone)]
pub struct TokenGrant {
    pub access_token: String,
    pub expires_in: u64,
    pub refresh: Option<(String, u64)>,
    pub scope: String,
}

fn invalid_grant(why: &str) -> OAuthError {
    OAuthError::new("invalid_grant", why)
}

impl Grantor<'_> {
    /// Client authentication (`client_id` + `client_secret`, §2.2.3).
    pub fn authenticate(&self, client_id: &str, secret: &str) -> Result<&Client, OAuthError> {
        self.fixtures
            .clients
            .get(client_id)
            .filter(|c| c.client_secret.expose() == secret)
            .ok_or_else(|| {
                OAuthError::new("invalid_client", "unknown client_id or wrong client_secret")
            })
    }

    fn industry_of(&self, org_code: &str) -> Result<&str, OAuthError> {
        self.fixtures
            .provider_by_org(org_code)
            .map(|p| p.industry.as_str())
            .ok_or_else(|| {
                OAuthError::new(
                    "invalid_request",
                    format!("org_code {org_code} is not a provider served here"),
                )
            })
    }

    /// Runs a token grant.
    pub fn grant(&self, req: TokenRequest) -> Result<TokenGrant, OAuthError> {
        match req {
            TokenRequest::AuthorizationCode {
                org_code,
                code,
                client_id,
                client_secret,
                redirect_uri,
            } => {
                self.industry_of(&org_code)?;
                self.authenticate(&client_id, &client_secret)?;
                self.exchange_code(&org_code, &code, &client_id, &redirect_uri)
            }
            TokenRequest::RefreshToken {
                org_code,
                refresh_token,
                client_id,
                client_secret,
            } => {
                let industry = self.industry_of(&org_code)?.to_owned();
                self.authenticate(&client_id, &client_secret)?;
                self.refresh(&industry, &refresh_token, &client_id)
            }
        }
    }

    fn exchange_code(
        &self,
        org_code: &str,
        code: &str,
        client_id: &str,
        redirect_uri: &str,
    ) -> Result<TokenGrant, OAuthError> {
        let now = self.clock.now();
        let mut inner = self.store.write();
        let issued = inner
            .codes
            .get(code)
            .cloned()
            .ok_or_else(|| invalid_grant("unknown authorization code"))?;
        if let Some(pair) = issued.exchanged {
            // A replayed code may be stolen: revoke what it produced (RFC 6749 §4.1.2).
            inner.revoke_pair(pair);
            return Err(invalid_grant(
                "the authorization code was already used; tokens issued with it are revoked",
            ));
        }
        if issued.expires <= now {
            return Err(invalid_grant(
                "the authorization code expired (codes live at most 10 minutes)",
            ));
        }
        if issued.client_id != client_id {
            return Err(invalid_grant(
                "the authorization code was issued to another client",
            ));
        }
        if issued.redirect_uri != redirect_uri {
            return Err(invalid_grant(
                "redirect_uri differs from the one of the authorize request",
            ));
        }
        let provider = self
            .fixtures
            .provider(&issued.consent.key.industry)
            .map(|p| p.org_code.as_str());
        if provider != Some(org_code) {
            return Err(invalid_grant(
                "the authorization code was issued by another provider (org_code)",
            ));
        }
        let (grant, pair_id) = self.issue_pair(&mut inner, issued.consent, now);
        if let Some(c) = inner.codes.get_mut(code) {
            c.exchanged = Some(pair_id);
        }
        Ok(grant)
    }

    /// Issues a new pair for a consent, revoking the customer's previous pair for the same
    /// client and industry (§2.1 rules 1-2: no duplicate tokens; a new consent replaces the old).
    fn issue_pair(
        &self,
        inner: &mut Inner,
        mut consent: Consent,
        now: DateTime<Utc>,
    ) -> (TokenGrant, u64) {
        if let Some(old) = inner.current.get(&consent.key).copied() {
            inner.revoke_pair(old);
        }
        consent.created = now.with_timezone(&kst()).format("%Y%m%d%H%M%S").to_string();
        // The refresh token lives until the end of the consent's last day, within the maximum.
        let end_of_consent = consent
            .end_date
            .and_time(NaiveTime::from_hms_opt(23, 59, 59).expect("valid time"))
            .and_local_timezone(kst())
            .single()
            .map(|t| t.to_utc())
            .unwrap_or(now);
        let refresh_exp = end_of_consent
            .min(now + secs(self.lifetimes.refresh))
            .max(now + TimeDelta::seconds(1));
        // The access token keeps its own lifetime even past the consent's end: calls after the end
        // date answer 40106, not 40101 (§2.1 rule 4).
        let access_exp = now + secs(self.lifetimes.access);
        let consent = Arc::new(consent);
        let pair_id = inner.next_pair;
        inner.next_pair += 1;
        let access = self.sign(&consent, TokenKind::Access, now, access_exp);
        let refresh = self.sign(&consent, TokenKind::Refresh, now, refresh_exp);
        let tokens = [
            (&access, TokenKind::Access, access_exp),
            (&refresh, TokenKind::Refresh, refresh_exp),
        ];
        for ((compact, jti), kind, exp) in tokens {
            let record = TokenRecord {
                pair: pair_id,
                kind,
                revoked: false,
                testbed_revoked: false,
                exp: exp.timestamp(),
            };
            inner.tokens.insert(jti.clone(), record);
            inner.by_value.insert(compact.clone(), jti.clone());
        }
        inner.pairs.insert(
            pair_id,
            Pair {
                access_jti: access.1,
                refresh_jti: refresh.1,
                refresh_exp,
                consent: consent.clone(),
            },
        );
        inner.current.insert(consent.key.clone(), pair_id);
        let grant = TokenGrant {
            access_token: access.0,
            expires_in: seconds_between(now, access_exp),
            refresh: Some((refresh.0, seconds_between(now, refresh_exp))),
            scope: consent.scope.clone(),
        };
        (grant, pair_id)
    }

    fn sign(
        &self,
        consent: &Consent,
        typ: TokenKind,
        now: DateTime<Utc>,
        exp: DateTime<Utc>,
    ) -> (String, String) {
        let client = self.fixtures.clients.get(&consent.key.client_id);
        let provider = self.fixtures.provider(&consent.key.industry);
        let jti = random_token(16);
        let claims = Claims {
            iss: provider.map(|p| p.org_code.clone()).unwrap_or_default(),
            aud: client.map(|c| c.org_code.clone()).unwrap_or_default(),
            sub: consent.key.customer.clone(),
            jti: jti.clone(),
            iat: now.timestamp(),
            exp: exp.timestamp(),
            scope: consent.scope.clone(),
            client_id: consent.key.client_id.clone(),
            typ,
        };
        (self.keys.issue(&claims), jti)
    }

    fn refresh(
        &self,
        industry: &str,
        token: &str,
        client_id: &str,
    ) -> Result<TokenGrant, OAuthError> {
        let now = self.clock.now();
        let claims = self
            .keys
            .verify(token)
            .map_err(|_| invalid_grant("the refresh token is not one of ours"))?;
        if claims.typ != TokenKind::Refresh {
            return Err(invalid_grant("not a refresh token"));
        }
        if claims.exp <= now.timestamp() {
            return Err(invalid_grant("the refresh token expired"));
        }
        if claims.client_id != client_id {
            return Err(invalid_grant(
                "the refresh token was issued to another client",
            ));
        }
        let mut inner = self.store.write();
        let record = inner
            .tokens
            .get(&claims.jti)
            .cloned()
            .ok_or_else(|| invalid_grant("unknown refresh token"))?;
        if record.revoked {
            return Err(invalid_grant("the refresh token was revoked"));
        }
        let pair = inner
            .pairs
            .get(&record.pair)
            .cloned()
            .ok_or_else(|| invalid_grant("unknown refresh token"))?;
        if pair.consent.key.industry != industry {
            return Err(invalid_grant(
                "the refresh token belongs to another provider (org_code)",
            ));
        }
        // The new access token replaces the pair's old one; the refresh token stays (§6.5).
        if let Some(old) = inner.tokens.get_mut(&pair.access_jti) {
            old.revoked = true;
        }
        let access_exp = now + secs(self.lifetimes.access);
        let (access, jti) = self.sign(&pair.consent, TokenKind::Access, now, access_exp);
        let fresh = TokenRecord {
            pair: record.pair,
            kind: TokenKind::Access,
            revoked: false,
            testbed_revoked: false,
            exp: access_exp.timestamp(),
        };
        inner.tokens.insert(jti.clone(), fresh);
        inner.by_value.insert(access.clone(), jti.clone());
        if let Some(p) = inner.pairs.get_mut(&record.pair) {
            p.access_jti = jti;
        }
        Ok(TokenGrant {
            access_token: access,
            expires_in: seconds_between(now, access_exp),
            refresh: None,
            scope: pair.consent.scope.clone(),
        })
    }

    /// 개별인증-004: revokes the pair the token belongs to (access or refresh) and withdraws its
    /// consent. An unknown or already invalid token is not an error (RFC 7009 §2.2).
    pub fn revoke(
        &self,
        org_code: &str,
        token: &str,
        client_id: &str,
        client_secret: &str,
    ) -> Result<(), OAuthError> {
        let industry = self.industry_of(org_code)?.to_owned();
        self.authenticate(client_id, client_secret)?;
        let Ok(claims) = self.keys.verify(token) else {
            return Ok(());
        };
        if claims.client_id != client_id {
            return Ok(());
        }
        let mut inner = self.store.write();
        let pair = inner.tokens.get(&claims.jti).map(|r| r.pair);
        // Only this provider's tokens: another industry's token is not ours to revoke here.
        let ours = pair
            .and_then(|p| inner.pairs.get(&p))
            .is_some_and(|p| p.consent.key.industry == industry);
        if let (Some(pair), true) = (pair, ours) {
            inner.revoke_pair(pair);
        }
        Ok(())
    }

    /// Stores a pending authorize request and returns its id (the login page's handle).
    pub fn begin(&self, pending: PendingAuth) -> String {
        let id = random_token(18);
        let mut inner = self.store.write();
        inner.purge(self.clock.now());
        inner.pending.insert(id.clone(), pending);
        id
    }

    /// Issues an authorization code carrying the consent the customer gave.
    pub fn issue_code(&self, pending: &PendingAuth, consent: Consent) -> String {
        let code = random_token(32);
        let now = self.clock.now();
        let mut inner = self.store.write();
        inner.purge(now);
        inner.codes.insert(
            code.clone(),
            IssuedCode {
                client_id: pending.client_id.clone(),
                redirect_uri: pending.redirect_uri.clone(),
                consent,
                expires: now + secs(self.lifetimes.code),
                exchanged: None,
            },
        );
        code
    }
}

fn secs(s: u64) -> TimeDelta {
    TimeDelta::seconds(i64::try_from(s).unwrap_or(i64::MAX / 1000))
}

fn seconds_between(from: DateTime<Utc>, to: DateTime<Utc>) -> u64 {
    u64::try_from((to - from).num_seconds()).unwrap_or(0)
}
