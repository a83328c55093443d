//! Shared server state: the spec, the fixtures, the clock, the keys and the in-memory stores.
//! Cloning it clones `Arc`s; nothing per request copies fixture data.

use std::collections::HashMap;
use std::sync::{Arc, Mutex};

use chrono::NaiveDate;

use super::auth::jwt::Keys;
use super::auth::store::AuthStore;
use super::auth::token::{Grantor, Lifetimes};
use crate::clock::Clock;
use crate::fixtures::FixtureStore;
use crate::spec::Spec;

/// Settings the server was started with that handlers need.
#[derive(Debug, Clone)]
pub struct Settings {
    pub lifetimes: Lifetimes,
    /// The base URL the provider's own web pages are reached at (for the authorize redirect);
    /// derived from the request's `Host` when absent.
    pub public_url: Option<String>,
}

/// Which (customer, client, industry, API, asset) made its scheduled call in which week (§6.1).
pub type QuotaKey = (String, String, String, String, String);

/// The state every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    pub spec: Arc<Spec>,
    pub fixtures: Arc<FixtureStore>,
    pub clock: Clock,
    pub keys: Arc<Keys>,
    pub auth: Arc<AuthStore>,
    /// The week (its Sunday) of the last successful scheduled call per key.
    pub quota: Arc<Mutex<HashMap<QuotaKey, NaiveDate>>>,
    pub settings: Arc<Settings>,
    /// When the fixture data last changed (`DTIME`), for `search_timestamp` (§1.7).
    pub data_modified: Arc<str>,
    /// The OpenAPI document, rendered once.
    pub openapi: Arc<[u8]>,
    /// Random per process: seals paging cursors so they cannot be forged or edited.
    pub cursor_keys: std::collections::hash_map::RandomState,
}

impl AppState {
    /// Builds the state; `secret` signs tokens.
    pub fn new(
        spec: Arc<Spec>,
        fixtures: FixtureStore,
        clock: Clock,
        secret: &[u8],
        settings: Settings,
    ) -> AppState {
        let issuers: Vec<String> = fixtures
            .providers
            .iter()
            .map(|p| p.org_code.clone())
            .collect();
        let mut audiences: Vec<String> = fixtures
            .clients
            .values()
            .map(|c| c.org_code.clone())
            .collect();
        audiences.sort();
        audiences.dedup();
        let openapi = serde_json::to_vec_pretty(&crate::spec::openapi::document(&spec))
            .expect("a JSON value serializes")
            .into();
        AppState {
            keys: Arc::new(Keys::new(secret, &issuers, &audiences)),
            data_modified: clock.dtime().into(),
            spec,
            fixtures: Arc::new(fixtures),
            clock,
            auth: Arc::new(AuthStore::default()),
            quota: Arc::default(),
            settings: Arc::new(settings),
            openapi,
            cursor_keys: std::collections::hash_map::RandomState::new(),
        }
    }

    /// The OAuth grant logic over this state.
    pub fn grantor(&self) -> Grantor<'_> {
        Grantor {
            store: &self.auth,
            keys: &self.keys,
            fixtures: &self.fixtures,
            clock: &self.clock,
            lifetimes: self.settings.lifetimes,
        }
    }
}
