//! The `check` command: turns flags and the config file into a [`CheckConfig`], runs it, writes
//! the reports, and decides the exit code in one place (0 clean, 1 deviations, 2 tool error).

use std::collections::BTreeMap;
use std::io::{IsTerminal, Write};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::{Context, bail};
use serde::Deserialize;

use super::model::Report;
use super::report;
use super::run::{
    Baseline, CheckConfig, ClientCredentials, IndustryCredentials, run, testbed_login,
};
use crate::cli::{CheckArgs, LoginMode};
use crate::clock::Clock;
use crate::config::{load_fixtures, load_spec};

/// The `--config` file.
#[derive(Debug, Default, Deserialize)]
#[serde(deny_unknown_fields)]
struct ConfigFile {
    #[serde(default)]
    industries: BTreeMap<String, IndustryCredentials>,
    #[serde(default)]
    client: Option<ClientCredentials>,
}

fn pairs(values: &[String], flag: &str) -> anyhow::Result<Vec<(String, String)>> {
    values
        .iter()
        .map(|v| match v.split_once('=') {
            Some((k, val)) if !k.is_empty() && !val.is_empty() => {
                Ok((k.to_owned(), val.to_owned()))
            }
            _ => bail!("--{flag} takes INDUSTRY=VALUE, got `{v}`"),
        })
        .collect()
}

/// Runs `check`; `Err` is a tool error (exit 2).
pub async fn run_check(args: CheckArgs) -> anyhow::Result<ExitCode> {
    let spec = Arc::new(load_spec(
        args.spec.specs_dir.as_deref(),
        &args.spec.spec_version,
    )?);
    let file: ConfigFile = match &args.config {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read {}", path.display()))?;
            serde_json::from_str(&text)
                .with_context(|| format!("{} is not a valid check config", path.display()))?
        }
        None => ConfigFile::default(),
    };
    let mut industries = file.industries;
    let mut only: Vec<String> = Vec::new();
    for v in &args.industries {
        match v.split_once('=') {
            Some((ind, org)) => {
                industries.entry(ind.to_owned()).or_default().org_code = org.to_owned();
                only.push(ind.to_owned());
            }
            None => {
                industries.entry(v.clone()).or_default();
                only.push(v.clone());
            }
        }
    }
    let mut login = None;
    if let Some(LoginMode::Testbed) = args.login {
        let fixtures = load_fixtures(args.fixtures_dir.as_deref(), &spec, &Clock::system())?;
        let (found, l) = testbed_login(&fixtures, &only);
        for (ind, creds) in found {
            let entry = industries.entry(ind).or_default();
            if entry.org_code.is_empty() {
                entry.org_code = creds.org_code;
            }
        }
        login = Some(l);
    }
    let set = |list: &[String],
               flag: &str,
               industries: &mut BTreeMap<String, IndustryCredentials>,
               put: fn(&mut IndustryCredentials, String)|
     -> anyhow::Result<()> {
        for (ind, token) in pairs(list, flag)? {
            put(industries.entry(ind).or_default(), token);
        }
        Ok(())
    };
    set(
        &args.access_tokens,
        "access-token",
        &mut industries,
        |c, t| c.access_token = Some(t),
    )?;
    set(
        &args.second_access_tokens,
        "second-access-token",
        &mut industries,
        |c, t| c.second_access_token = Some(t),
    )?;
    set(
        &args.list_only_tokens,
        "list-only-access-token",
        &mut industries,
        |c, t| c.list_only_access_token = Some(t),
    )?;
    set(
        &args.expired_tokens,
        "expired-access-token",
        &mut industries,
        |c, t| c.expired_access_token = Some(t),
    )?;
    if !only.is_empty() {
        industries.retain(|k, _| only.contains(k));
    }
    for (ind, c) in &industries {
        if c.org_code.is_empty() {
            bail!(
                "industry {ind} has no org_code: give --industry {ind}=ORG_CODE or set it in --config"
            );
        }
        if c.access_token.is_none() && login.is_none() {
            bail!(
                "industry {ind} has no access token: give --access-token {ind}=TOKEN, set it in --config, or use --login testbed"
            );
        }
    }
    if let Some(rate) = args.rate
        && !(0.01..=100_000.0).contains(&rate)
    {
        bail!("--rate must be 0.01 to 100000 requests per second, got {rate}");
    }
    let baseline = match &args.baseline {
        Some(path) => {
            let text = std::fs::read_to_string(path)
                .with_context(|| format!("cannot read the baseline {}", path.display()))?;
            let b: Baseline = serde_json::from_str(&text)
                .with_context(|| format!("{} is not a baseline file", path.display()))?;
            Some(b.fingerprints)
        }
        None => None,
    };
    let client = file
        .client
        .or_else(|| login.as_ref().map(|l| l.client.clone()));
    let cfg = CheckConfig {
        target: args.target.clone(),
        spec_version: spec.version().to_owned(),
        industries,
        apis: args.apis.clone(),
        only_checks: args.only_checks.clone(),
        skip_checks: args.skip_checks.clone(),
        client,
        login,
        allow_revoke: args.allow_revoke,
        timeout: Duration::from_secs(args.timeout.max(1)),
        run_timeout: Duration::from_secs(args.run_timeout.max(1)),
        concurrency: args.concurrency.max(1),
        rate: args.rate,
        max_body: args.max_body,
        unmask: args.unmask,
        baseline,
    };
    let tty = std::io::stderr().is_terminal() && !args.quiet;
    let progress = move |done: usize, total: usize| {
        if tty {
            let width = 30;
            let filled = (done * width)
                .checked_div(total)
                .unwrap_or(width)
                .min(width);
            eprint!(
                "\r[{}{}] {done}/{total} cases",
                "#".repeat(filled),
                " ".repeat(width - filled)
            );
            let _ = std::io::stderr().flush();
        }
    };
    let report = run(spec, cfg, &progress).await?;
    if tty {
        eprintln!();
    }
    write_outputs(&args, &report)?;
    let failing = report.failing(args.fail_on);
    if !args.quiet {
        print!("{}", report::text(&report, std::io::stdout().is_terminal()));
        println!(
            "{} deviation(s) at or above {} fail this run{}",
            failing.len(),
            args.fail_on.as_str(),
            if report.baseline.is_some() {
                " (known ones from the baseline excluded)"
            } else {
                ""
            }
        );
    }
    if report.totals.cases > 0 && report.totals.skip == report.totals.cases {
        // Nothing was checked: that is the tool failing to run, not a clean provider.
        let reason = report.cases.iter().find_map(|c| match &c.outcome {
            super::model::Outcome::Skip { reason } => Some(reason.clone()),
            _ => None,
        });
        eprintln!("error: no case could run ({})", reason.unwrap_or_default());
        return Ok(ExitCode::from(2));
    }
    Ok(if failing.is_empty() {
        ExitCode::SUCCESS
    } else {
        ExitCode::from(1)
    })
}

fn write_outputs(args: &CheckArgs, report: &Report) -> anyhow::Result<()> {
    let write = |path: &std::path::Path, text: String| -> anyhow::Result<()> {
        if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
            std::fs::create_dir_all(dir)
                .with_context(|| format!("cannot create {}", dir.display()))?;
        }
        std::fs::write(path, text).with_context(|| format!("cannot write {}", path.display()))
    };
    if let Some(p) = &args.report_json {
        write(p, report::json(report))?;
    }
    if let Some(p) = &args.report_junit {
        write(p, report::junit(report))?;
    }
    if let Some(p) = &args.report_html {
        write(p, report::html(report))?;
    }
    if let Some(p) = &args.write_baseline {
        let mut fingerprints: Vec<String> = report
            .cases
            .iter()
            .flat_map(|c| c.deviations.iter().map(|d| d.fingerprint()))
            .collect();
        fingerprints.sort();
        fingerprints.dedup();
        let text =
            serde_json::to_string_pretty(&Baseline { fingerprints }).context("baseline")? + "\n";
        write(p, text)?;
    }
    Ok(())
}
