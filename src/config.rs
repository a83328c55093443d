//! Server configuration: a plain struct with defaults (tests build it directly), turned into
//! [`AppState`] after every input has been loaded and checked, before the port is bound.

use std::net::SocketAddr;
use std::path::PathBuf;

use crate::clock::Clock;
use crate::fixtures::{FixtureError, FixtureStore, Secret};
use crate::server::auth::jwt::random_token;
use crate::server::auth::token::Lifetimes;
use crate::server::state::{AppState, Settings};
use crate::source::{ReadError, Source};
use crate::spec::{Spec, SpecError};

/// Everything `serve` needs.
#[derive(Debug, Clone)]
pub struct ServerConfig {
    pub bind: SocketAddr,
    /// `None`: the specs embedded in the binary.
    pub specs_dir: Option<PathBuf>,
    pub spec_version: String,
    /// `None`: the default fixtures embedded in the binary.
    pub fixtures_dir: Option<PathBuf>,
    /// HS256 secret for tokens; `None` generates one per start (tokens die with the process).
    pub signing_key: Option<Secret>,
    pub access_token_ttl: u64,
    pub refresh_token_ttl: u64,
    pub code_ttl: u64,
    pub public_url: Option<String>,
    /// Synthetic customers served on demand besides the fixtures' (0: none).
    pub synthetic: u64,
    pub seed: u64,
    /// The admin API's token; `None` generates one per start (printed once).
    pub admin_token: Option<Secret>,
    /// Journal entries kept per namespace (0: journal off).
    pub journal_size: usize,
    /// At most this many namespaces at once.
    pub max_namespaces: usize,
}

impl Default for ServerConfig {
    fn default() -> Self {
        ServerConfig {
            bind: SocketAddr::from(([127, 0, 0, 1], 8080)),
            specs_dir: None,
            spec_version: "v1".into(),
            fixtures_dir: None,
            signing_key: None,
            access_token_ttl: 7_776_000,
            refresh_token_ttl: 31_536_000,
            code_ttl: 600,
            public_url: None,
            synthetic: 0,
            seed: 1,
            admin_token: None,
            journal_size: 1000,
            max_namespaces: 256,
        }
    }
}

/// Why the server cannot start.
#[derive(Debug, thiserror::Error)]
pub enum ConfigError {
    #[error("cannot load the spec")]
    Spec(#[from] SpecError),
    #[error("cannot load the fixtures")]
    Fixtures(#[from] FixtureError),
    #[error(transparent)]
    Read(#[from] ReadError),
    #[error("{0}")]
    Invalid(String),
}

/// Loads the spec from the configured directory or the embedded copy.
pub fn load_spec(specs_dir: Option<&std::path::Path>, version: &str) -> Result<Spec, ConfigError> {
    let source = match specs_dir {
        Some(dir) => Source::disk(dir)?,
        None => Source::embedded_specs(),
    };
    Ok(Spec::load(&source, version)?)
}

/// Loads the fixtures from the configured directory or the embedded copy.
pub fn load_fixtures(
    fixtures_dir: Option<&std::path::Path>,
    spec: &Spec,
    clock: &Clock,
) -> Result<FixtureStore, ConfigError> {
    let source = match fixtures_dir {
        Some(dir) => Source::disk(dir)?,
        None => Source::embedded_fixtures(),
    };
    Ok(FixtureStore::load(&source, spec, clock.today())?)
}

impl ServerConfig {
    /// Checks settings against the spec's limits and builds the state.
    pub fn build_state(&self, clock: Clock) -> Result<AppState, ConfigError> {
        let spec = load_spec(self.specs_dir.as_deref(), &self.spec_version)?;
        let limits = &spec.common.limits;
        let checks = [
            (
                "access token lifetime",
                self.access_token_ttl,
                limits.access_token_ttl_max_secs,
                "§2.1: at most 90 days",
            ),
            (
                "refresh token lifetime",
                self.refresh_token_ttl,
                limits.refresh_token_ttl_max_secs,
                "§2.1: at most 1 year",
            ),
            (
                "authorization code lifetime",
                self.code_ttl,
                limits.code_ttl_max_secs,
                "§2.1: at most 10 minutes",
            ),
        ];
        for (what, value, max, why) in checks {
            if value == 0 || value > max {
                return Err(ConfigError::Invalid(format!(
                    "the {what} must be 1 to {max} seconds ({why}), got {value}"
                )));
            }
        }
        let spec = std::sync::Arc::new(spec);
        let load_day = {
            let (dir, spec, seed, synthetic) = (
                self.fixtures_dir.clone(),
                spec.clone(),
                self.seed,
                self.synthetic,
            );
            move |day: chrono::NaiveDate| -> Result<FixtureStore, ConfigError> {
                let source = match dir.as_deref() {
                    Some(dir) => Source::disk(dir)?,
                    None => Source::embedded_fixtures(),
                };
                let mut fixtures = FixtureStore::load(&source, &spec, day)?;
                fixtures.enable_synthetic(spec.clone(), day, seed, synthetic);
                Ok(fixtures)
            }
        };
        let fixtures = load_day(clock.today())?;
        if fixtures.providers.is_empty() {
            return Err(ConfigError::Invalid(
                "the fixtures define no provider (providers.json)".into(),
            ));
        }
        let secret = match &self.signing_key {
            Some(k) if k.expose().len() >= 32 => k.expose().to_owned(),
            Some(_) => {
                return Err(ConfigError::Invalid(
                    "the signing key must be at least 32 characters; generate one with `openssl rand -base64 32`".into(),
                ));
            }
            None => {
                tracing::warn!(
                    "no signing key given (--signing-key / MYDATA_SIGNING_KEY): using a random one; tokens will not survive a restart"
                );
                random_token(32)
            }
        };
        let admin_token = match &self.admin_token {
            Some(t) if t.expose().len() >= 16 => t.clone(),
            Some(_) => {
                return Err(ConfigError::Invalid(
                    "the admin token must be at least 16 characters".into(),
                ));
            }
            None => Secret::new(random_token(24)),
        };
        if self.max_namespaces < 2 {
            return Err(ConfigError::Invalid(
                "max namespaces must be at least 2 (default plus one)".into(),
            ));
        }
        let settings = Settings {
            lifetimes: Lifetimes {
                access: self.access_token_ttl,
                refresh: self.refresh_token_ttl,
                code: self.code_ttl,
            },
            public_url: self.public_url.clone(),
            admin_token,
            journal_size: self.journal_size,
            max_namespaces: self.max_namespaces,
        };
        // Another day's fixtures are the same files resolved against that day; a failure names
        // the file and field like a start-up failure would.
        let rebuild = Box::new(move |day| {
            load_day(day).map_err(|e| {
                let mut msg = e.to_string();
                let mut source = std::error::Error::source(&e);
                while let Some(s) = source {
                    msg.push_str(&format!(": {s}"));
                    source = s.source();
                }
                msg
            })
        });
        Ok(AppState::new(
            spec,
            fixtures,
            rebuild,
            clock,
            secret.as_bytes(),
            settings,
        ))
    }
}
