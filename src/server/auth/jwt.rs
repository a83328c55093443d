//! Signed access and refresh tokens (JWS, reference §2.1): claims `iss` (provider org_code), `aud`
//! (operator org_code), `jti`, `exp`, `scope`, and the customer in `sub`.
//!
//! The signature proves the token came from us; whether it is still live (not revoked, not
//! replaced by a newer consent) is decided by the token store, and expiry by the server's
//! [`Clock`](crate::clock::Clock), which is why jsonwebtoken's own `exp` check is off.

use base64::Engine;
use jsonwebtoken::{Algorithm, DecodingKey, EncodingKey, Header, Validation, decode, encode};
use serde::{Deserialize, Serialize};

/// Access or refresh.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum TokenKind {
    Access,
    Refresh,
}

/// The claims of our tokens.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct Claims {
    pub iss: String,
    pub aud: String,
    /// The customer id (a fixture id, never the CI).
    pub sub: String,
    pub jti: String,
    pub iat: i64,
    pub exp: i64,
    pub scope: String,
    pub client_id: String,
    pub typ: TokenKind,
}

/// Signing and verification keys (HS256), built once from the configured secret.
pub struct Keys {
    encoding: EncodingKey,
    decoding: DecodingKey,
    validation: Validation,
}

impl std::fmt::Debug for Keys {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str("Keys(***)")
    }
}

impl Keys {
    /// `issuers` are the providers' org_codes, `audiences` the registered operators' org_codes.
    pub fn new(secret: &[u8], issuers: &[String], audiences: &[String]) -> Keys {
        let mut validation = Validation::new(Algorithm::HS256);
        validation.leeway = 0;
        validation.validate_exp = false;
        validation.set_required_spec_claims(&["exp", "iss", "aud", "sub", "jti"]);
        validation.set_issuer(issuers);
        validation.set_audience(audiences);
        Keys {
            encoding: EncodingKey::from_secret(secret),
            decoding: DecodingKey::from_secret(secret),
            validation,
        }
    }

    /// Signs claims into a compact JWS.
    pub fn issue(&self, claims: &Claims) -> String {
        encode(&Header::new(Algorithm::HS256), claims, &self.encoding)
            .expect("HS256 signing of plain claims cannot fail")
    }

    /// Checks the signature, issuer and audience; expiry and revocation are the caller's.
    pub fn verify(&self, token: &str) -> Result<Claims, String> {
        decode::<Claims>(token, &self.decoding, &self.validation)
            .map(|d| d.claims)
            .map_err(|e| e.to_string())
    }
}

/// A random URL-safe string of `bytes` random bytes (codes, jti, request ids, secrets).
pub fn random_token(bytes: usize) -> String {
    let mut buf = vec![0u8; bytes];
    rand::fill(&mut buf[..]);
    base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(buf)
}

#[cfg(test)]
mod tests {
    use super::*;

    fn claims() -> Claims {
        Claims {
            iss: "TBBANK0001".into(),
            aud: "TBAPP00001".into(),
            sub: "C001".into(),
            jti: random_token(16),
            iat: 0,
            exp: 1,
            scope: "bank.list".into(),
            client_id: "x".into(),
            typ: TokenKind::Access,
        }
    }

    #[test]
    fn a_token_verifies_only_with_its_key_issuer_and_audience() {
        let keys = Keys::new(
            b"secret-one",
            &["TBBANK0001".into()],
            &["TBAPP00001".into()],
        );
        let issued = claims();
        let token = keys.issue(&issued);
        assert_eq!(keys.verify(&token).expect("valid"), issued);
        let other = Keys::new(
            b"secret-two",
            &["TBBANK0001".into()],
            &["TBAPP00001".into()],
        );
        assert!(other.verify(&token).is_err());
        let wrong_aud = Keys::new(
            b"secret-one",
            &["TBBANK0001".into()],
            &["OTHER"].map(String::from),
        );
        assert!(wrong_aud.verify(&token).is_err());
        let mut tampered = token.clone();
        tampered.insert(tampered.len() - 2, 'A');
        assert!(keys.verify(&tampered).is_err());
    }
}
