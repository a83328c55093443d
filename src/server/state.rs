//! Shared server state: the spec, the fixtures, the clock, the keys and the in-memory stores.
//! Cloning it clones `Arc`s; nothing per request copies fixture data.

use std::sync::Arc;

use super::auth::jwt::Keys;
use super::auth::token::{Grantor, Lifetimes};
use crate::clock::Clock;
use crate::fixtures::{FixtureStore, Secret};
use crate::spec::Spec;
use crate::testbed::journal::Masker;
use crate::testbed::{DayBuilder, DayData, FixtureDays, Namespace, Namespaces};

/// Settings the server was started with that handlers need.
#[derive(Debug, Clone)]
pub struct Settings {
    pub lifetimes: Lifetimes,
    /// The base URL the provider's own web pages are reached at (for the authorize redirect);
    /// derived from the request's `Host` when absent.
    pub public_url: Option<String>,
    /// The token of the testbed's admin API and dashboard (`/__testbed/`).
    pub admin_token: Secret,
    /// Journal entries kept per namespace (0: journal off).
    pub journal_size: usize,
    /// At most this many namespaces at once.
    pub max_namespaces: usize,
}

/// Which (customer, client, industry, API, asset) made its scheduled call in which week (§6.1).
pub type QuotaKey = (String, String, String, String, String);

/// The state every handler can reach.
#[derive(Clone, Debug)]
pub struct AppState {
    pub spec: Arc<Spec>,
    /// The fixtures as of the start-up day (providers, clients and customers never change).
    pub fixtures: Arc<FixtureStore>,
    /// The fixtures per "today", for namespaces whose clock shows another day.
    pub days: Arc<FixtureDays>,
    /// The server's clock; each namespace's virtual clock follows it plus an offset.
    pub clock: Clock,
    pub keys: Arc<Keys>,
    /// Tokens, consents, quotas, scenarios, clock and journal, per namespace.
    pub namespaces: Arc<Namespaces>,
    /// Masks secrets when the journal is read.
    pub masker: Arc<Masker>,
    pub settings: Arc<Settings>,
    /// The OpenAPI document, rendered once.
    pub openapi: Arc<[u8]>,
    /// Random per process: seals paging cursors so they cannot be forged or edited.
    pub cursor_keys: std::collections::hash_map::RandomState,
}

impl AppState {
    /// Builds the state; `secret` signs tokens; `rebuild` loads the fixtures as of another day.
    pub fn new(
        spec: Arc<Spec>,
        fixtures: FixtureStore,
        rebuild: Box<DayBuilder>,
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
        let fixtures = Arc::new(fixtures);
        let base = DayData {
            day: clock.today(),
            fixtures: fixtures.clone(),
            modified: clock.dtime().into(),
        };
        let masker = Masker::new(
            spec.apis
                .iter()
                .filter_map(|e| e.serve.primary_asset_key().map(str::to_owned)),
        );
        AppState {
            keys: Arc::new(Keys::new(secret, &issuers, &audiences)),
            days: Arc::new(FixtureDays::new(base, rebuild)),
            namespaces: Arc::new(Namespaces::new(
                clock.clone(),
                settings.journal_size,
                settings.max_namespaces,
            )),
            masker: Arc::new(masker),
            spec,
            fixtures,
            clock,
            settings: Arc::new(settings),
            openapi,
            cursor_keys: std::collections::hash_map::RandomState::new(),
        }
    }

    /// The OAuth grant logic over this state, in a namespace.
    pub fn grantor<'a>(&'a self, ns: &'a Namespace) -> Grantor<'a> {
        Grantor {
            store: &ns.auth,
            keys: &self.keys,
            fixtures: &self.fixtures,
            clock: &ns.clock,
            lifetimes: self.settings.lifetimes,
        }
    }
}
