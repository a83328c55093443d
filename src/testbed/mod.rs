//! Testbed controls: namespaces, each with its own tokens, consents, quotas, scenarios, virtual
//! clock and journal, and the fixture data as of a namespace's "today".
//!
//! A request names its namespace with the `x-testbed-namespace` header (or, for browser steps
//! that cannot set headers, the `testbed_namespace` query parameter); without one it is in
//! `default`. Namespaces are created on first use, so parallel CI jobs on one server only need
//! distinct names.

pub mod journal;

use std::collections::HashMap;
use std::sync::{Arc, Mutex, RwLock};

use chrono::NaiveDate;

use crate::clock::Clock;
use crate::fixtures::FixtureStore;
use crate::server::auth::store::{AuthStore, Inner as AuthInner};
use crate::server::dangerous::Scenarios;
use crate::server::state::QuotaKey;

use self::journal::Journal;

/// The request header that selects a namespace.
pub const NAMESPACE_HEADER: &str = "x-testbed-namespace";
/// The query parameter that selects a namespace where a header cannot be sent (browser pages).
pub const NAMESPACE_PARAM: &str = "testbed_namespace";
/// The namespace of requests that name none.
pub const DEFAULT_NAMESPACE: &str = "default";

/// Checks a namespace name: 1 to 64 letters, digits, `-`, `_` or `.`.
pub fn check_name(name: &str) -> Result<(), String> {
    if (1..=64).contains(&name.len())
        && name
            .bytes()
            .all(|b| b.is_ascii_alphanumeric() || b"-_.".contains(&b))
    {
        Ok(())
    } else {
        Err(format!(
            "a namespace is 1 to 64 letters, digits, `-`, `_` or `.`, got `{}`",
            name.chars().take(80).collect::<String>()
        ))
    }
}

/// One isolated namespace.
#[derive(Debug)]
pub struct Namespace {
    pub name: Arc<str>,
    pub auth: AuthStore,
    /// The week (its Sunday) of the last successful scheduled call per key (§6.1).
    pub quota: Mutex<HashMap<QuotaKey, NaiveDate>>,
    /// The virtual clock: the server's clock plus this namespace's offset.
    pub clock: Clock,
    pub scenarios: Scenarios,
    pub journal: Journal,
}

impl Namespace {
    fn new(name: &str, server_clock: &Clock, journal_size: usize) -> Self {
        Namespace {
            name: name.into(),
            auth: AuthStore::default(),
            quota: Mutex::default(),
            clock: server_clock.child(),
            scenarios: Scenarios::default(),
            journal: Journal::new(journal_size),
        }
    }

    /// Forgets tokens, consents, quotas, scenarios and the journal, and puts the clock back.
    pub fn reset(&self) {
        *self.auth.write() = AuthInner::default();
        self.quota.lock().unwrap_or_else(|e| e.into_inner()).clear();
        self.clock.reset();
        self.scenarios.clear();
        self.journal.clear();
    }

    pub fn is_default(&self) -> bool {
        &*self.name == DEFAULT_NAMESPACE
    }
}

/// Why a namespace cannot be had.
#[derive(Debug, thiserror::Error)]
pub enum NamespaceError {
    #[error("{0}")]
    BadName(String),
    #[error(
        "this server holds {0} namespaces already; delete some (DELETE /__testbed/namespaces/{{name}})"
    )]
    TooMany(usize),
}

/// Every namespace of the server.
#[derive(Debug)]
pub struct Namespaces {
    default: Arc<Namespace>,
    others: RwLock<HashMap<Arc<str>, Arc<Namespace>>>,
    server_clock: Clock,
    journal_size: usize,
    max: usize,
}

impl Namespaces {
    /// `journal_size` entries per namespace (0: journal off); at most `max` namespaces.
    pub fn new(server_clock: Clock, journal_size: usize, max: usize) -> Self {
        Namespaces {
            default: Arc::new(Namespace::new(
                DEFAULT_NAMESPACE,
                &server_clock,
                journal_size,
            )),
            others: RwLock::default(),
            server_clock,
            journal_size,
            max,
        }
    }

    pub fn default_ns(&self) -> &Arc<Namespace> {
        &self.default
    }

    /// The namespace of that name, created on first use.
    pub fn get_or_create(&self, name: &str) -> Result<Arc<Namespace>, NamespaceError> {
        if name == DEFAULT_NAMESPACE {
            return Ok(self.default.clone());
        }
        if let Some(ns) = self
            .others
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(name)
        {
            return Ok(ns.clone());
        }
        check_name(name).map_err(NamespaceError::BadName)?;
        let mut others = self.others.write().unwrap_or_else(|e| e.into_inner());
        if let Some(ns) = others.get(name) {
            return Ok(ns.clone());
        }
        if others.len() + 1 >= self.max {
            return Err(NamespaceError::TooMany(self.max));
        }
        let ns = Arc::new(Namespace::new(name, &self.server_clock, self.journal_size));
        others.insert(ns.name.clone(), ns.clone());
        Ok(ns)
    }

    /// The namespace of that name if it exists.
    pub fn get(&self, name: &str) -> Option<Arc<Namespace>> {
        if name == DEFAULT_NAMESPACE {
            return Some(self.default.clone());
        }
        self.others
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .get(name)
            .cloned()
    }

    /// Every namespace, `default` first, then by name.
    pub fn list(&self) -> Vec<Arc<Namespace>> {
        let mut others: Vec<Arc<Namespace>> = self
            .others
            .read()
            .unwrap_or_else(|e| e.into_inner())
            .values()
            .cloned()
            .collect();
        others.sort_by(|a, b| a.name.cmp(&b.name));
        std::iter::once(self.default.clone())
            .chain(others)
            .collect()
    }

    /// Deletes a namespace (the default one is reset instead); false if there was none.
    pub fn delete(&self, name: &str) -> bool {
        if name == DEFAULT_NAMESPACE {
            self.default.reset();
            return true;
        }
        self.others
            .write()
            .unwrap_or_else(|e| e.into_inner())
            .remove(name)
            .is_some()
    }
}

/// The fixtures as of one day: relative dates (`@today-30d`) resolved against it.
#[derive(Debug)]
pub struct DayData {
    pub day: NaiveDate,
    pub fixtures: Arc<FixtureStore>,
    /// When this data last changed (`DTIME`), for `search_timestamp` (§1.7).
    pub modified: Arc<str>,
}

/// Builds the fixtures for a day (they are loaded and checked again, with that day as today).
pub type DayBuilder = dyn Fn(NaiveDate) -> Result<FixtureStore, String> + Send + Sync;

/// The fixtures per "today": the start-up day's are built once; a namespace whose clock shows
/// another day gets that day's, built on first use and kept (a few days at most).
pub struct FixtureDays {
    base: Arc<DayData>,
    build: Box<DayBuilder>,
    cache: Mutex<Vec<(NaiveDate, DayCell)>>,
}

impl std::fmt::Debug for FixtureDays {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FixtureDays")
            .field("base", &self.base.day)
            .finish_non_exhaustive()
    }
}

/// One day's data, built once by whichever request needs it first.
type DayCell = Arc<tokio::sync::OnceCell<Arc<DayData>>>;

/// How many other days' fixtures are kept at once.
const DAYS_KEPT: usize = 4;

impl FixtureDays {
    pub fn new(base: DayData, build: Box<DayBuilder>) -> Self {
        FixtureDays {
            base: Arc::new(base),
            build,
            cache: Mutex::default(),
        }
    }

    /// The start-up day's data.
    pub fn base(&self) -> &Arc<DayData> {
        &self.base
    }

    /// The data as of `day`; builds it off the async threads when it is new.
    pub async fn for_day(self: &Arc<Self>, day: NaiveDate) -> Result<Arc<DayData>, String> {
        if day == self.base.day {
            return Ok(self.base.clone());
        }
        let cell = {
            let mut cache = self.cache.lock().unwrap_or_else(|e| e.into_inner());
            match cache.iter().find(|(d, _)| *d == day) {
                Some((_, cell)) => cell.clone(),
                None => {
                    if cache.len() >= DAYS_KEPT {
                        cache.remove(0);
                    }
                    let cell = Arc::new(tokio::sync::OnceCell::new());
                    cache.push((day, cell.clone()));
                    cell
                }
            }
        };
        let days = self.clone();
        cell.get_or_try_init(|| async move {
            tokio::task::spawn_blocking(move || {
                let fixtures = (days.build)(day)?;
                let modified = format!("{}000000", day.format("%Y%m%d"));
                Ok(Arc::new(DayData {
                    day,
                    fixtures: Arc::new(fixtures),
                    modified: modified.into(),
                }))
            })
            .await
            .map_err(|e| format!("building the fixtures for {day} failed: {e}"))?
        })
        .await
        .cloned()
    }
}
