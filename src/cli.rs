//! The command line: `serve`, `spec openapi`, `fixtures check`. Every `serve` flag can also come
//! from a `MYDATA_*` environment variable.

use std::net::SocketAddr;
use std::path::PathBuf;
use std::process::ExitCode;

use anyhow::Context;
use clap::{Args, CommandFactory, Parser, Subcommand, ValueEnum};

use crate::clock::Clock;
use crate::config::{ServerConfig, load_fixtures, load_spec};
use crate::fixtures::Secret;

#[derive(Debug, Parser)]
#[command(
    name = "mydata-testbed",
    version,
    about = "A testbed for the Korean financial MyData standard API"
)]
pub struct Cli {
    #[command(subcommand)]
    pub command: Command,
    /// Log format.
    #[arg(long, global = true, env = "MYDATA_LOG_FORMAT", value_enum, default_value_t = LogFormat::Text)]
    pub log_format: LogFormat,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LogFormat {
    Text,
    Json,
}

#[derive(Debug, Subcommand)]
pub enum Command {
    /// Run the virtual information provider.
    Serve(ServeArgs),
    /// Work with the spec files.
    #[command(subcommand)]
    Spec(SpecCommand),
    /// Work with fixtures.
    #[command(subcommand)]
    Fixtures(FixturesCommand),
    /// Probe a running server's `/healthz` (exit 0 healthy, 1 not): for container health checks.
    Health(HealthArgs),
    /// Check an information provider against the standard and report every deviation
    /// (exit 0: nothing at or above --fail-on failed; 1: something did; 2: the check could not run).
    Check(Box<CheckArgs>),
}

#[derive(Debug, Args)]
pub struct CheckArgs {
    /// Base URL of the provider's MyData API (e.g. https://mydata-test.bank.example).
    #[arg(long, env = "MYDATA_CHECK_TARGET")]
    pub target: String,
    #[command(flatten)]
    pub spec: SpecSource,
    /// A JSON file with industries (org_code and tokens) and client credentials (see README).
    #[arg(long)]
    pub config: Option<PathBuf>,
    /// An industry to check, as INDUSTRY=ORG_CODE (repeatable; with --login testbed, the name alone).
    #[arg(long = "industry", value_name = "INDUSTRY[=ORG_CODE]")]
    pub industries: Vec<String>,
    /// An access token of the customer, as INDUSTRY=TOKEN (repeatable).
    #[arg(long = "access-token", value_name = "INDUSTRY=TOKEN")]
    pub access_tokens: Vec<String>,
    /// A second customer's access token, as INDUSTRY=TOKEN: enables the cross-customer checks.
    #[arg(long = "second-access-token", value_name = "INDUSTRY=TOKEN")]
    pub second_access_tokens: Vec<String>,
    /// A token with the list scope only, as INDUSTRY=TOKEN: enables the scope checks.
    #[arg(long = "list-only-access-token", value_name = "INDUSTRY=TOKEN")]
    pub list_only_tokens: Vec<String>,
    /// An expired token, as INDUSTRY=TOKEN: enables the expired-token check.
    #[arg(long = "expired-access-token", value_name = "INDUSTRY=TOKEN")]
    pub expired_tokens: Vec<String>,
    /// Log in without a person through mydata-testbed's consent form (a target that is a testbed
    /// serving the same fixtures): every industry unless --industry narrows it.
    #[arg(long, value_enum)]
    pub login: Option<LoginMode>,
    /// Fixtures of the testbed target, for --login testbed (default: the embedded ones).
    #[arg(long = "fixtures")]
    pub fixtures_dir: Option<PathBuf>,
    /// Only these API ids (repeatable).
    #[arg(long = "api")]
    pub apis: Vec<String>,
    /// Only these checks (repeatable), by id.
    #[arg(long = "only-check")]
    pub only_checks: Vec<String>,
    /// Never these checks (repeatable), by id.
    #[arg(long = "skip-check")]
    pub skip_checks: Vec<String>,
    /// Revoke the token at the end and check it is refused (it is gone afterwards).
    #[arg(long)]
    pub allow_revoke: bool,
    /// Fail (exit 1) on deviations of this severity or worse.
    #[arg(long, value_enum, default_value_t = crate::conformance::model::Severity::Low)]
    pub fail_on: crate::conformance::model::Severity,
    /// Seconds per request.
    #[arg(long, default_value_t = 15)]
    pub timeout: u64,
    /// Seconds for the whole run; cases not started by then are skipped.
    #[arg(long, default_value_t = 900)]
    pub run_timeout: u64,
    /// Requests in flight at once.
    #[arg(long, default_value_t = 4)]
    pub concurrency: usize,
    /// At most this many requests per second.
    #[arg(long)]
    pub rate: Option<f64>,
    /// Response bodies are cut after this many bytes.
    #[arg(long, default_value_t = 4 * 1024 * 1024)]
    pub max_body: usize,
    /// Show tokens, CIs and account numbers in evidence (masked by default).
    #[arg(long)]
    pub unmask: bool,
    #[arg(long)]
    pub report_json: Option<PathBuf>,
    #[arg(long)]
    pub report_junit: Option<PathBuf>,
    #[arg(long)]
    pub report_html: Option<PathBuf>,
    /// Known deviations (written by --write-baseline): they do not fail the run.
    #[arg(long)]
    pub baseline: Option<PathBuf>,
    /// Write this run's deviations as a baseline file.
    #[arg(long)]
    pub write_baseline: Option<PathBuf>,
    /// No terminal report (files only).
    #[arg(long)]
    pub quiet: bool,
}

#[derive(Debug, Clone, Copy, ValueEnum)]
pub enum LoginMode {
    /// mydata-testbed's own consent form.
    Testbed,
}

#[derive(Debug, Args)]
pub struct HealthArgs {
    /// The address the server listens on; a wildcard address is probed on loopback.
    #[arg(long, env = "MYDATA_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    /// Seconds to wait for the answer.
    #[arg(long, default_value_t = 3)]
    pub timeout: u64,
}

#[derive(Debug, Args)]
pub struct SpecSource {
    /// Spec directory (default: the specs embedded in the binary).
    #[arg(long = "specs", env = "MYDATA_SPECS")]
    pub specs_dir: Option<PathBuf>,
    /// Spec version to load.
    #[arg(long, env = "MYDATA_SPEC_VERSION", default_value = "v1")]
    pub spec_version: String,
}

#[derive(Debug, Args)]
pub struct ServeArgs {
    /// Address and port to listen on.
    #[arg(long, env = "MYDATA_BIND", default_value = "127.0.0.1:8080")]
    pub bind: SocketAddr,
    #[command(flatten)]
    pub spec: SpecSource,
    /// Fixture directory replacing the embedded default fixtures.
    #[arg(long = "fixtures", env = "MYDATA_FIXTURES")]
    pub fixtures_dir: Option<PathBuf>,
    /// HS256 secret (at least 32 characters) that signs tokens; random per start when absent.
    #[arg(long, env = "MYDATA_SIGNING_KEY", hide_env_values = true)]
    pub signing_key: Option<String>,
    /// Access token lifetime in seconds (at most 90 days).
    #[arg(long, env = "MYDATA_ACCESS_TOKEN_TTL", default_value_t = 7_776_000)]
    pub access_token_ttl: u64,
    /// Refresh token lifetime cap in seconds (at most 1 year; never past the consent's end date).
    #[arg(long, env = "MYDATA_REFRESH_TOKEN_TTL", default_value_t = 31_536_000)]
    pub refresh_token_ttl: u64,
    /// Authorization code lifetime in seconds (at most 10 minutes).
    #[arg(long, env = "MYDATA_CODE_TTL", default_value_t = 600)]
    pub code_ttl: u64,
    /// Public base URL of this server for the login page redirect (default: from the Host header).
    #[arg(long, env = "MYDATA_PUBLIC_URL")]
    pub public_url: Option<String>,
    /// Also serve this many synthetic customers (S0000001...), generated on demand from --seed.
    #[arg(long, env = "MYDATA_SYNTHETIC", default_value_t = 0)]
    pub synthetic: u64,
    /// Seed of the synthetic customers: the same seed gives the same data.
    #[arg(long, env = "MYDATA_SEED", default_value_t = 1)]
    pub seed: u64,
    /// Token of the testbed admin API and dashboard under /__testbed/ (at least 16 characters);
    /// random per start when absent, printed once.
    #[arg(long, env = "MYDATA_ADMIN_TOKEN", hide_env_values = true)]
    pub admin_token: Option<String>,
    /// Journal entries kept per namespace; 0 turns the journal off.
    #[arg(long, env = "MYDATA_JOURNAL_SIZE", default_value_t = 1000)]
    pub journal_size: usize,
    /// At most this many namespaces at once (each CI job can have its own).
    #[arg(long, env = "MYDATA_MAX_NAMESPACES", default_value_t = 256)]
    pub max_namespaces: usize,
}

#[derive(Debug, Subcommand)]
pub enum SpecCommand {
    /// Print the OpenAPI 3.1 document generated from the spec.
    Openapi {
        #[command(flatten)]
        spec: SpecSource,
        /// Write to a file instead of standard output.
        #[arg(long, short)]
        output: Option<PathBuf>,
    },
}

#[derive(Debug, Subcommand)]
pub enum FixturesCommand {
    /// Write a fixture directory of synthetic customers built from the fixtures (deterministic).
    Generate {
        #[command(flatten)]
        spec: SpecSource,
        /// Template fixtures (default: the embedded fixtures).
        #[arg(long = "fixtures", env = "MYDATA_FIXTURES")]
        fixtures_dir: Option<PathBuf>,
        /// How many customers.
        #[arg(long)]
        customers: u64,
        /// Seed: the same seed gives the same files.
        #[arg(long, default_value_t = 1)]
        seed: u64,
        /// Directory to write (created; must be empty or absent).
        #[arg(long)]
        out: PathBuf,
    },
    /// Validate fixtures against the spec and exit.
    Check {
        #[command(flatten)]
        spec: SpecSource,
        /// Fixture directory (default: the embedded fixtures).
        #[arg(long = "fixtures", env = "MYDATA_FIXTURES")]
        fixtures_dir: Option<PathBuf>,
    },
}

impl ServeArgs {
    pub fn config(&self) -> ServerConfig {
        ServerConfig {
            bind: self.bind,
            specs_dir: self.spec.specs_dir.clone(),
            spec_version: self.spec.spec_version.clone(),
            fixtures_dir: self.fixtures_dir.clone(),
            signing_key: self.signing_key.clone().map(Secret::new),
            access_token_ttl: self.access_token_ttl,
            refresh_token_ttl: self.refresh_token_ttl,
            code_ttl: self.code_ttl,
            public_url: self.public_url.clone(),
            synthetic: self.synthetic,
            seed: self.seed,
            admin_token: self.admin_token.clone().map(Secret::new),
            journal_size: self.journal_size,
            max_namespaces: self.max_namespaces,
        }
    }
}

/// Warns about `MYDATA_*` variables no flag reads (a typo would otherwise pass silently).
fn warn_unknown_env() {
    let mut known = vec!["MYDATA_LOG_FORMAT".to_owned(), "MYDATA_LOG".to_owned()];
    let cmd = Cli::command();
    for sub in cmd.get_subcommands() {
        for c in std::iter::once(sub).chain(sub.get_subcommands()) {
            known.extend(
                c.get_arguments()
                    .filter_map(|a| a.get_env())
                    .map(|e| e.to_string_lossy().into_owned()),
            );
        }
    }
    for (name, _) in std::env::vars_os() {
        let name = name.to_string_lossy();
        if name.starts_with("MYDATA_") && !known.iter().any(|k| k == name.as_ref()) {
            tracing::warn!(variable = %name, "unknown MYDATA_ environment variable ignored");
        }
    }
}

async fn shutdown_signal() {
    let ctrl_c = async {
        let _ = tokio::signal::ctrl_c().await;
    };
    #[cfg(unix)]
    let term = async {
        match tokio::signal::unix::signal(tokio::signal::unix::SignalKind::terminate()) {
            Ok(mut s) => {
                s.recv().await;
            }
            Err(_) => std::future::pending::<()>().await,
        }
    };
    #[cfg(not(unix))]
    let term = std::future::pending::<()>();
    tokio::select! { _ = ctrl_c => {}, _ = term => {} }
    tracing::info!("shutting down: finishing in-flight requests");
}

/// Runs a parsed command; the `Ok` value is the process exit code.
pub async fn run(cli: Cli) -> anyhow::Result<ExitCode> {
    warn_unknown_env();
    match cli.command {
        Command::Serve(args) => {
            let config = args.config();
            let state = config
                .build_state(Clock::system())
                .context("the server cannot start")?;
            let listener = tokio::net::TcpListener::bind(config.bind)
                .await
                .with_context(|| format!("cannot listen on {}", config.bind))?;
            let addr = listener.local_addr().context("no local address")?;
            tracing::info!(%addr, customers = state.fixtures.customers.len(), providers = state.fixtures.providers.len(), "mydata-testbed serving; OpenAPI at /openapi.json");
            let shown = if addr.ip().is_unspecified() {
                format!("127.0.0.1:{}", addr.port())
            } else {
                addr.to_string()
            };
            if config.admin_token.is_none() {
                // Printed once, on stdout, so it can be captured; logs never carry it.
                println!(
                    "testbed dashboard: http://{shown}/__testbed/?token={}",
                    state.settings.admin_token.expose()
                );
                println!(
                    "admin API token (generated; set --admin-token to choose one): {}",
                    state.settings.admin_token.expose()
                );
            } else {
                println!(
                    "testbed dashboard: http://{shown}/__testbed/ (admin token as configured)"
                );
            }
            crate::server::run(listener, state, shutdown_signal())
                .await
                .context("the server failed")?;
            Ok(ExitCode::SUCCESS)
        }
        Command::Spec(SpecCommand::Openapi { spec, output }) => {
            let spec = load_spec(spec.specs_dir.as_deref(), &spec.spec_version)?;
            let doc = serde_json::to_string_pretty(&crate::spec::openapi::document(&spec))? + "\n";
            match output {
                Some(path) => std::fs::write(&path, doc)
                    .with_context(|| format!("cannot write {}", path.display()))?,
                None => print!("{doc}"),
            }
            Ok(ExitCode::SUCCESS)
        }
        Command::Health(args) => {
            let mut addr = args.bind;
            if addr.ip().is_unspecified() {
                addr.set_ip(if addr.is_ipv4() {
                    [127, 0, 0, 1].into()
                } else {
                    std::net::Ipv6Addr::LOCALHOST.into()
                });
            }
            // No proxy: an HTTP_PROXY in the container must not take the loopback probe away.
            let client = reqwest::Client::builder()
                .no_proxy()
                .timeout(std::time::Duration::from_secs(args.timeout))
                .build()?;
            match client.get(format!("http://{addr}/healthz")).send().await {
                Ok(r) if r.status().is_success() => Ok(ExitCode::SUCCESS),
                Ok(r) => {
                    eprintln!("unhealthy: {addr} answered {}", r.status());
                    Ok(ExitCode::from(1))
                }
                Err(e) => {
                    eprintln!("unhealthy: {addr}: {e}");
                    Ok(ExitCode::from(1))
                }
            }
        }
        Command::Fixtures(FixturesCommand::Generate {
            spec,
            fixtures_dir,
            customers,
            seed,
            out,
        }) => {
            if out.read_dir().is_ok_and(|mut d| d.next().is_some()) {
                anyhow::bail!(
                    "{} is not empty; generate into a new directory",
                    out.display()
                );
            }
            let spec = load_spec(spec.specs_dir.as_deref(), &spec.spec_version)?;
            let store = load_fixtures(fixtures_dir.as_deref(), &spec, &Clock::system())?;
            store
                .generate(seed, customers, &out)
                .with_context(|| format!("cannot write {}", out.display()))?;
            // What we wrote must pass the same validator as hand-written fixtures.
            let check = load_fixtures(Some(&out), &spec, &Clock::system())?;
            println!(
                "wrote {} synthetic customers (seed {seed}) to {}",
                check.customers.len(),
                out.display()
            );
            Ok(ExitCode::SUCCESS)
        }
        Command::Check(args) => crate::conformance::cli::run_check(*args).await,
        Command::Fixtures(FixturesCommand::Check { spec, fixtures_dir }) => {
            let spec = load_spec(spec.specs_dir.as_deref(), &spec.spec_version)?;
            let store = load_fixtures(fixtures_dir.as_deref(), &spec, &Clock::system())?;
            println!(
                "fixtures ok: {} providers, {} clients, {} customers",
                store.providers.len(),
                store.clients.len(),
                store.customers.len()
            );
            Ok(ExitCode::SUCCESS)
        }
    }
}
