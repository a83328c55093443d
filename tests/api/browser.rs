//! The provider's login and consent pages in a real browser: headless Chromium driven over
//! WebDriver (chromedriver) by fantoccini, from the login page to the operator's redirect_uri;
//! and the testbed dashboard (`/__testbed/`): its live journal and a scenario's toggle.
//!
//! Ignored by default, so `cargo test` passes without a browser; `.ci/run` installs Debian's
//! `chromium` and `chromium-driver` and runs it with
//! `cargo test --test api browser -- --ignored`. `CHROMIUM` and `CHROMEDRIVER` override the
//! binaries' paths (defaults: `/usr/bin/chromium`, `/usr/bin/chromedriver`).

use std::net::TcpListener as StdListener;
use std::path::{Path, PathBuf};
use std::process::{Child, Command, Stdio};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use anyhow::{Context, bail, ensure};
use axum::extract::{RawQuery, State};
use axum::response::Html;
use fantoccini::{Client, ClientBuilder, Locator};
use mydata_testbed::config::ServerConfig;
use mydata_testbed::fixtures::Secret;
use mydata_testbed::server::dangerous::Fault;
use mydata_testbed::testbed::journal::{Entry, Filter};
use reqwest::StatusCode;
use serde_json::{Value, json};

use crate::helpers::*;

/// A state value the operator sends and must get back (aN(40)).
const STATE: &str = "br0wserSt4te";
/// The whole browser part: starting chromedriver, Chromium and walking the pages.
const BROWSER_BUDGET: Duration = Duration::from_secs(60);
const STEP: Duration = Duration::from_secs(10);
const DRIVER_LOG: &str = "chromedriver.log";
/// The dashboard walk has more steps than the consent walk.
const DASHBOARD_BUDGET: Duration = Duration::from_secs(120);
/// The admin token of the dashboard tests' servers.
const DASHBOARD_TOKEN: &str = "dashboard-admin-token-0123456789";

#[tokio::test]
#[ignore = "needs chromium and chromedriver (Debian packages); .ci/run runs it"]
async fn consent_page_completes_in_headless_chromium() {
    // The operator's side: a callback endpoint that records what the browser brings back.
    let callback = Callback::start().await;

    // The provider, with the callback registered for the demo app.
    let fixtures = fixtures_with_redirect_uri(&callback.url);
    let app = spawn_app_with(ServerConfig {
        fixtures_dir: Some(fixtures.path().to_path_buf()),
        ..Default::default()
    })
    .await;
    let customer = app
        .state
        .fixtures
        .customer("C001")
        .expect("C001 is a fixture customer")
        .clone();
    let all_assets = app.asset_ids("C001");
    assert!(
        all_assets.len() >= 2,
        "C001 holds several assets, so a partial consent is possible: {all_assets:?}"
    );

    // 개별인증-001 as the operator server calls it: a 302 to the provider's login page.
    let answer = app
        .authorize(
            &customer.ci,
            &[("redirect_uri", &callback.url), ("state", STATE)],
        )
        .await;
    assert_eq!(
        answer.status,
        StatusCode::FOUND,
        "authorize redirects to the login page: {:?}",
        answer.body
    );
    let login_url = answer.location();
    assert!(
        login_url.starts_with(&format!("{}/oauth/2.0/login?request_id=", app.base)),
        "{login_url}"
    );
    let sent_tran_id = answer
        .headers
        .get("x-api-tran-id")
        .and_then(|v| v.to_str().ok())
        .expect("tran id echo")
        .to_owned();

    // The customer's side, in the browser.
    let profile = tempfile::tempdir().expect("a Chromium profile dir");
    let screenshot = std::env::temp_dir().join("consent.png");
    let walk = async {
        let driver = Chromedriver::start(profile.path()).await?;
        let client = driver.connect(profile.path()).await?;
        let walked = walk_pages(&client, &login_url, &customer.name, &screenshot, &callback).await;
        // Quits Chromium; the driver guard then stops chromedriver.
        let _ = tokio::time::timeout(STEP, client.close()).await;
        walked
    };
    let walked = match tokio::time::timeout(BROWSER_BUDGET, walk).await {
        Ok(walked) => walked,
        Err(_) => Err(anyhow::anyhow!(
            "the browser part takes more than {BROWSER_BUDGET:?}"
        )),
    };
    let unchecked = walked.unwrap_or_else(|e| {
        panic!(
            "the browser walk fails: {e:#}\n{}",
            log_tail(profile.path())
        )
    });
    eprintln!("consent page screenshot: {}", screenshot.display());

    // The redirect the browser followed: code, state and api_tran_id (§2.2.2).
    let query = callback.only_query();
    let q = url_pairs(&query);
    assert!(!q.contains_key("error"), "the consent succeeds: {query}");
    assert_eq!(
        q.get("state").map(String::as_str),
        Some(STATE),
        "state is echoed: {query}"
    );
    assert_eq!(
        q.get("api_tran_id"),
        Some(&sent_tran_id),
        "api_tran_id is echoed: {query}"
    );
    let code = q
        .get("code")
        .cloned()
        .unwrap_or_else(|| panic!("a code in {query}"));

    // The consent behind the code is what the customer left checked.
    {
        let auth = app.state.namespaces.default_ns().auth.read();
        let issued = auth.codes.get(&code).expect("the code is issued");
        let consent = &issued.consent;
        let expected: Vec<&String> = all_assets.iter().filter(|a| **a != unchecked).collect();
        assert_eq!(
            consent.assets.iter().collect::<Vec<_>>(),
            expected,
            "the unchecked asset {unchecked} is left out"
        );
        assert!(consent.is_scheduled, "scheduled transmission stays checked");
        assert_eq!(issued.redirect_uri, callback.url);
    }

    // 개별인증-002: the operator exchanges the code with the same redirect_uri.
    let answer = app
        .token_request(&[
            ("org_code", BANK_ORG),
            ("grant_type", "authorization_code"),
            ("code", &code),
            ("client_id", CLIENT_ID),
            ("client_secret", CLIENT_SECRET),
            ("redirect_uri", &callback.url),
        ])
        .await;
    assert_eq!(answer.status, StatusCode::OK, "token: {}", answer.body);
    let scope = answer.body["scope"].as_str().expect("scope");
    assert!(
        scope.starts_with("bank.list"),
        "the list scope comes first (§2.4): {scope}"
    );
}

/// Login page → consent page (one asset unchecked) → the operator's callback. Returns the
/// asset id left unchecked.
async fn walk_pages(
    client: &Client,
    login_url: &str,
    customer_name: &str,
    screenshot: &Path,
    callback: &Callback,
) -> anyhow::Result<String> {
    client
        .goto(login_url)
        .await
        .context("open the login page")?;
    client
        .wait()
        .at_most(STEP)
        .for_element(Locator::Id("login-form"))
        .await
        .context("the login form")?;
    let chosen = client
        .find(Locator::Id("customer-C001"))
        .await
        .context("C001's radio button")?;
    ensure!(
        chosen.is_selected().await?,
        "the customer whose CI matches x-user-ci is pre-selected"
    );
    let page = client.source().await?;
    ensure!(
        page.contains(customer_name),
        "the login page names the customer {customer_name}"
    );
    client
        .find(Locator::Id("login"))
        .await?
        .click()
        .await
        .context("click 인증하기")?;

    client
        .wait()
        .at_most(STEP)
        .for_element(Locator::Id("consent-form"))
        .await
        .context("the consent form after login")?;
    let boxes = client
        .find_all(Locator::Css("input[type=checkbox][name=asset]"))
        .await?;
    ensure!(
        boxes.len() >= 2,
        "the consent page lists C001's assets, got {} checkboxes",
        boxes.len()
    );
    for b in &boxes {
        ensure!(b.is_selected().await?, "every asset is checked by default");
    }
    ensure!(
        client
            .find(Locator::Id("is_scheduled"))
            .await?
            .is_selected()
            .await?,
        "scheduled transmission is checked by default"
    );
    let end_date = client
        .find(Locator::Id("end_date"))
        .await?
        .prop("value")
        .await?
        .unwrap_or_default();
    ensure!(!end_date.is_empty(), "the end date is filled in");
    let last = boxes.last().expect("checked above");
    let unchecked = last
        .attr("value")
        .await?
        .context("an asset checkbox carries the asset id")?;
    last.click().await.context("uncheck the last asset")?;
    ensure!(!last.is_selected().await?, "the last asset is unchecked");
    let png = client.screenshot().await.context("screenshot")?;
    std::fs::write(screenshot, png).with_context(|| format!("write {}", screenshot.display()))?;

    client
        .find(Locator::Id("consent"))
        .await?
        .click()
        .await
        .context("click 동의하고 전송요구")?;
    let deadline = Instant::now() + STEP;
    while callback.queries().is_empty() {
        if Instant::now() > deadline {
            let url = client
                .current_url()
                .await
                .map(|u| u.to_string())
                .unwrap_or_default();
            let page = client.source().await.unwrap_or_default();
            bail!("the browser never reached the callback; it is at {url}:\n{page}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    let at = client.current_url().await?;
    ensure!(
        at.as_str().starts_with(&callback.url),
        "the browser lands on the redirect_uri, not {at}"
    );
    ensure!(
        client.source().await?.contains("callback-reached"),
        "the callback page is shown"
    );
    Ok(unchecked)
}

#[tokio::test]
#[ignore = "needs chromium and chromedriver (Debian packages); .ci/run runs it"]
async fn dashboard_shows_the_journal_and_toggles_a_scenario() {
    let app = spawn_app_with(ServerConfig {
        admin_token: Some(Secret::new(DASHBOARD_TOKEN)),
        ..Default::default()
    })
    .await;
    // A customer with a token, so the test can call 은행-001 while the page is open.
    let tokens = app.login("C001", None, false).await;

    let profile = tempfile::tempdir().expect("a Chromium profile dir");
    let screenshot = std::env::temp_dir().join("dashboard.png");
    let walk = async {
        let driver = Chromedriver::start(profile.path()).await?;
        let client = driver.connect(profile.path()).await?;
        let walked = walk_dashboard(&client, &app, &tokens.access, &screenshot).await;
        let _ = tokio::time::timeout(STEP, client.close()).await;
        walked
    };
    let walked = match tokio::time::timeout(DASHBOARD_BUDGET, walk).await {
        Ok(walked) => walked,
        Err(_) => Err(anyhow::anyhow!(
            "the dashboard walk takes more than {DASHBOARD_BUDGET:?}"
        )),
    };
    walked.unwrap_or_else(|e| {
        panic!(
            "the dashboard walk fails: {e:#}\n{}",
            log_tail(profile.path())
        )
    });
    eprintln!("dashboard screenshot: {}", screenshot.display());

    // What the page did, seen from the server: one scenario, on, that decided one call.
    let ns = app.state.namespaces.default_ns();
    let scenarios = ns.scenarios.list();
    assert_eq!(scenarios.len(), 1, "the form added one scenario");
    assert!(scenarios[0].enabled(), "the toggle turned it on");
    assert_eq!(scenarios[0].hits(), 1, "it decided exactly the last call");
}

/// Login by link → a call appears live → a scenario added off, toggled on → the next call is
/// forced and appears live too.
async fn walk_dashboard(
    client: &Client,
    app: &TestApp,
    access: &str,
    screenshot: &Path,
) -> anyhow::Result<()> {
    let ns = app.state.namespaces.default_ns().clone();

    // Log in with the printed link: the cookie is set and the token leaves the address bar.
    client
        .goto(&app.url(&format!("/__testbed/?token={DASHBOARD_TOKEN}")))
        .await
        .context("open the dashboard link")?;
    client
        .wait()
        .at_most(STEP)
        .for_element(Locator::Id("journal"))
        .await
        .context("the journal table after logging in")?;
    let at = client.current_url().await?;
    ensure!(
        at.path() == "/__testbed/" && at.query().is_none(),
        "the login redirects to the bare page, not {at}"
    );
    ensure!(
        !client.source().await?.contains(DASHBOARD_TOKEN),
        "the page never shows the admin token"
    );
    wait_until("the live journal polls", async || {
        let state = attr_of(client, "live-status", "data-state").await;
        Ok((state.as_deref() == Some("live")).then_some(()))
    })
    .await?;

    // A call made after the page opened shows up without a reload.
    mark_page(client).await?;
    let answer = app
        .call("은행-001", access, "user-consent", json!({"limit": "10"}))
        .await;
    ensure!(
        answer.rsp_code() == "00000",
        "the plain call: {}",
        answer.body
    );
    let entry = newest(&ns.journal)?;
    let row = wait_for_row(client, entry.seq).await?;
    ensure!(row.api == "은행-001", "the row's api_id: {row:?}");
    ensure!(row.rsp == "00000", "the row's rsp_code: {row:?}");
    ensure!(
        row.verdict == entry.verdict.name() && row.verdict == "pass",
        "the row's verdict is the journal's ({}): {row:?}",
        entry.verdict.name()
    );
    ensure!(row.badge == "pass", "the verdict badge says pass: {row:?}");
    ensure!(
        page_still_marked(client).await?,
        "the row came without a reload"
    );

    // Add a scenario with the form, off: 40305 for 은행-001.
    client
        .find(Locator::Id("add-code"))
        .await?
        .select_by_value("40305")
        .await
        .context("pick rsp_code 40305")?;
    client
        .find(Locator::Id("add-api"))
        .await?
        .select_by_value("은행-001")
        .await
        .context("pick api_id 은행-001")?;
    let enabled = client.find(Locator::Id("add-enabled")).await?;
    if enabled.is_selected().await? {
        enabled.click().await.context("uncheck 'enabled'")?;
    }
    client
        .find(Locator::Id("add-note"))
        .await?
        .send_keys("browser test")
        .await?;
    client
        .find(Locator::Id("add-rsp-code-submit"))
        .await?
        .click()
        .await
        .context("submit the scenario form")?;
    let id = wait_until("the scenario is created", async || {
        Ok(ns.scenarios.list().first().map(|s| s.id))
    })
    .await?;
    let toggle_id = format!("scenario-toggle-{id}");
    let shown = wait_until("the new scenario's row", async || {
        Ok(attr_of(client, &toggle_id, "data-enabled").await)
    })
    .await?;
    ensure!(shown == "false", "the scenario is listed off: {shown}");
    let scenario = ns.scenarios.get(id).context("the scenario")?;
    ensure!(
        scenario.spec.fault
            == Fault::RspCode {
                code: "40305".to_owned()
            }
            && scenario.spec.matcher.api_id.as_deref() == Some("은행-001")
            && !scenario.enabled(),
        "the form's scenario: {}",
        scenario.view()
    );
    let row = client
        .find(Locator::Id(&format!("scenario-{id}")))
        .await?
        .text()
        .await?;
    ensure!(
        row.contains("40305") && row.contains("은행-001") && row.contains("browser test"),
        "the scenario row shows its code, match and note: {row}"
    );

    // Off, it changes nothing.
    let answer = app
        .call("은행-001", access, "user-consent", json!({"limit": "10"}))
        .await;
    ensure!(
        answer.rsp_code() == "00000",
        "an off scenario does not apply: {}",
        answer.body
    );

    // Toggle it on in the page.
    client
        .find(Locator::Id(&toggle_id))
        .await?
        .click()
        .await
        .context("click the toggle")?;
    wait_until("the toggle shows on", async || {
        let on = attr_of(client, &toggle_id, "data-enabled").await;
        Ok((on.as_deref() == Some("true")).then_some(()))
    })
    .await?;
    ensure!(scenario.enabled(), "the click turned the scenario on");

    // The next call is forced, and the live journal shows it with the code.
    wait_until("the live journal polls again", async || {
        let state = attr_of(client, "live-status", "data-state").await;
        Ok((state.as_deref() == Some("live")).then_some(()))
    })
    .await?;
    mark_page(client).await?;
    let answer = app
        .call("은행-001", access, "user-consent", json!({"limit": "10"}))
        .await;
    ensure!(
        answer.rsp_code() == "40305",
        "the scenario forces 40305: {}",
        answer.body
    );
    let entry = newest(&ns.journal)?;
    ensure!(
        entry.draft.rsp_code.as_deref() == Some("40305"),
        "the journal has the forced call"
    );
    let row = wait_for_row(client, entry.seq).await?;
    ensure!(row.api == "은행-001", "the forced row's api_id: {row:?}");
    ensure!(row.rsp == "40305", "the forced row's rsp_code: {row:?}");
    ensure!(
        row.text.contains("40305"),
        "the forced row shows the code: {row:?}"
    );
    ensure!(
        row.verdict == entry.verdict.name() && row.badge == row.verdict,
        "the forced row's verdict is the journal's ({}): {row:?}",
        entry.verdict.name()
    );
    ensure!(
        row.scenarios.split(' ').any(|s| s == id.to_string()),
        "the forced row names scenario {id}: {row:?}"
    );
    ensure!(
        page_still_marked(client).await?,
        "the forced row came without a reload"
    );
    let calls = mydata_testbed::server::admin::summary(&ns)
        .calls
        .to_string();
    wait_until("the scorecard counts every call", async || {
        let shown = client
            .find(Locator::Id("score-calls"))
            .await?
            .text()
            .await?;
        Ok((shown == calls).then_some(()))
    })
    .await?;

    let png = client.screenshot().await.context("screenshot")?;
    std::fs::write(screenshot, png).with_context(|| format!("write {}", screenshot.display()))?;
    Ok(())
}

/// Probes until it answers `Some`, every 100 ms, for at most [`STEP`].
async fn wait_until<T>(
    what: &str,
    mut probe: impl AsyncFnMut() -> anyhow::Result<Option<T>>,
) -> anyhow::Result<T> {
    let deadline = Instant::now() + STEP;
    loop {
        if let Some(found) = probe().await.with_context(|| what.to_owned())? {
            return Ok(found);
        }
        if Instant::now() > deadline {
            bail!("{what}: not within {STEP:?}");
        }
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
}

/// An attribute of the element with that id; `None` while it is missing or the page is
/// being replaced (a form post's redirect).
async fn attr_of(client: &Client, id: &str, name: &str) -> Option<String> {
    let element = client.find(Locator::Id(id)).await.ok()?;
    element.attr(name).await.ok().flatten()
}

/// The newest journal entry.
fn newest(journal: &mydata_testbed::testbed::journal::Journal) -> anyhow::Result<Arc<Entry>> {
    journal
        .query(&Filter {
            limit: Some(1),
            ..Filter::default()
        })
        .into_iter()
        .next()
        .context("the journal has an entry")
}

/// A journal row as the page shows it.
#[derive(Debug)]
struct Row {
    api: String,
    rsp: String,
    verdict: String,
    /// The text of the verdict badge.
    badge: String,
    scenarios: String,
    text: String,
}

/// Waits for the journal row of `seq` and reads it.
async fn wait_for_row(client: &Client, seq: u64) -> anyhow::Result<Row> {
    let css = format!("#journal-body tr[data-seq=\"{seq}\"]");
    let tr = wait_until(&format!("journal row {seq} appears"), async || {
        Ok(client.find(Locator::Css(&css)).await.ok())
    })
    .await?;
    let attr = async |name: &str| -> anyhow::Result<String> {
        Ok(tr.attr(name).await?.unwrap_or_default())
    };
    Ok(Row {
        api: attr("data-api").await?,
        rsp: attr("data-rsp").await?,
        verdict: attr("data-verdict").await?,
        badge: tr.find(Locator::Css(".verdict")).await?.text().await?,
        scenarios: attr("data-scenarios").await?,
        text: tr.text().await?,
    })
}

/// Leaves a mark in the page's window: a reload would wipe it.
async fn mark_page(client: &Client) -> anyhow::Result<()> {
    client
        .execute("window.__testbedMark = 'still-here'; return true;", vec![])
        .await
        .context("mark the page")?;
    Ok(())
}

async fn page_still_marked(client: &Client) -> anyhow::Result<bool> {
    let v = client
        .execute("return window.__testbedMark || null;", vec![])
        .await
        .context("read the mark")?;
    Ok(v == json!("still-here"))
}

/// The dashboard's posts need its cookie and its own origin; the login link moves the token
/// into an HttpOnly cookie. (No browser needed.)
#[tokio::test]
async fn dashboard_posts_need_the_cookie_and_the_same_origin() {
    let app = spawn_app_with(ServerConfig {
        admin_token: Some(Secret::new(DASHBOARD_TOKEN)),
        ..Default::default()
    })
    .await;
    let http = &app.client;
    let host = app.base.trim_start_matches("http://").to_owned();

    let page = http.get(app.url("/__testbed/")).send().await.expect("page");
    assert_eq!(page.status(), StatusCode::OK);
    let body = page.text().await.expect("body");
    assert!(body.contains("dashboard-login"), "a login form: {body}");
    assert!(
        !body.contains("id=\"journal\""),
        "no data without the token"
    );

    let wrong = http
        .get(app.url("/__testbed/?token=not-the-token-at-all"))
        .send()
        .await
        .expect("wrong token");
    assert_eq!(wrong.status(), StatusCode::UNAUTHORIZED);
    assert!(wrong.headers().get("set-cookie").is_none());

    let link = http
        .get(app.url(&format!("/__testbed/?token={DASHBOARD_TOKEN}")))
        .send()
        .await
        .expect("login link");
    assert_eq!(link.status(), StatusCode::SEE_OTHER);
    assert_eq!(link.headers()["location"], "/__testbed/");
    let set = link.headers()["set-cookie"].to_str().expect("ascii");
    assert!(
        set.starts_with(&format!("testbed_admin={DASHBOARD_TOKEN};"))
            && set.contains("HttpOnly")
            && set.contains("SameSite=Strict"),
        "{set}"
    );
    let cookie = format!("testbed_admin={DASHBOARD_TOKEN}");

    let page = http
        .get(app.url("/__testbed/"))
        .header("cookie", &cookie)
        .send()
        .await
        .expect("page");
    assert_eq!(page.status(), StatusCode::OK);
    let csp = page.headers()["content-security-policy"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let body = page.text().await.expect("body");
    assert!(body.contains("id=\"journal\""), "the dashboard");
    assert!(
        !body.contains(DASHBOARD_TOKEN),
        "the token is never printed"
    );
    assert!(csp.contains("script-src 'nonce-"), "{csp}");

    let rows = http
        .get(app.url("/__testbed/ui/journal-rows?ns=default&after=0"))
        .send()
        .await
        .expect("rows");
    assert_eq!(rows.status(), StatusCode::UNAUTHORIZED);

    let form = [
        ("ns", "default"),
        ("code", "40305"),
        ("api_id", "은행-001"),
        ("enabled", "true"),
    ];
    let post = |cookie: Option<&str>, origin: Option<&str>| {
        let mut req = http
            .post(app.url("/__testbed/ui/scenarios/rsp-code"))
            .form(&form);
        if let Some(c) = cookie {
            req = req.header("cookie", c.to_owned());
        }
        if let Some(o) = origin {
            req = req.header("origin", o.to_owned());
        }
        req.send()
    };
    let scenarios = || app.state.namespaces.default_ns().scenarios.list().len();

    let no_cookie = post(None, Some(&app.base)).await.expect("post");
    assert_eq!(no_cookie.status(), StatusCode::SEE_OTHER, "to the login");
    let cross = post(Some(&cookie), Some("http://evil.example"))
        .await
        .expect("post");
    assert_eq!(cross.status(), StatusCode::FORBIDDEN);
    let wrong_host = post(Some(&cookie), Some(&format!("http://x{host}")))
        .await
        .expect("post");
    assert_eq!(wrong_host.status(), StatusCode::FORBIDDEN);
    assert_eq!(scenarios(), 0, "refused posts change nothing");

    let ok = post(Some(&cookie), Some(&app.base)).await.expect("post");
    assert_eq!(ok.status(), StatusCode::SEE_OTHER);
    assert_eq!(ok.headers()["location"], "/__testbed/#scenarios");
    assert_eq!(scenarios(), 1, "the same-origin post adds the scenario");

    // The page shows the outcome once (a flash cookie), and the scenario's row.
    let flash = ok.headers()["set-cookie"]
        .to_str()
        .expect("ascii")
        .to_owned();
    let flash = flash.split(';').next().unwrap_or_default().to_owned();
    let body = http
        .get(app.url("/__testbed/"))
        .header("cookie", format!("{cookie}; {flash}"))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("body");
    assert!(body.contains("id=\"flash\""), "the outcome is shown");
    assert!(body.contains("id=\"scenario-toggle-1\" data-enabled=\"true\""));
}

/// The operator's redirect_uri: records the query string of every `GET /callback`.
struct Callback {
    url: String,
    seen: Arc<Mutex<Vec<String>>>,
    server: tokio::task::JoinHandle<()>,
}

impl Callback {
    async fn start() -> Callback {
        async fn record(
            State(seen): State<Arc<Mutex<Vec<String>>>>,
            RawQuery(q): RawQuery,
        ) -> Html<&'static str> {
            seen.lock()
                .unwrap_or_else(|e| e.into_inner())
                .push(q.unwrap_or_default());
            Html(
                "<!doctype html><meta charset=\"utf-8\"><title>operator</title><h1 id=\"callback-reached\">callback-reached</h1>",
            )
        }
        let seen = Arc::new(Mutex::new(Vec::new()));
        let router = axum::Router::new()
            .route("/callback", axum::routing::get(record))
            .with_state(seen.clone());
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0")
            .await
            .expect("bind the callback server");
        let addr = listener.local_addr().expect("addr");
        let server = tokio::spawn(async move {
            axum::serve(listener, router)
                .await
                .expect("the callback server runs");
        });
        Callback {
            url: format!("http://{addr}/callback"),
            seen,
            server,
        }
    }

    fn queries(&self) -> Vec<String> {
        self.seen.lock().unwrap_or_else(|e| e.into_inner()).clone()
    }

    fn only_query(&self) -> String {
        let all = self.queries();
        assert_eq!(
            all.len(),
            1,
            "the browser reaches the callback exactly once: {all:?}"
        );
        all[0].clone()
    }
}

impl Drop for Callback {
    fn drop(&mut self) {
        self.server.abort();
    }
}

/// A copy of the repository's fixtures whose demo app also registers `redirect_uri`.
fn fixtures_with_redirect_uri(redirect_uri: &str) -> tempfile::TempDir {
    let dir = tempfile::tempdir().expect("a fixtures dir");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        dir.path(),
    );
    let path = dir.path().join("clients.json");
    let mut clients: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("clients.json"))
            .expect("clients.json is JSON");
    let demo = clients
        .as_array_mut()
        .expect("clients.json is a list")
        .iter_mut()
        .find(|c| c["client_id"] == CLIENT_ID)
        .expect("the demo app is a fixture client");
    let uris = demo["redirect_uris"].as_array_mut().expect("redirect_uris");
    assert!(
        uris.len() < 4,
        "a client registers at most 4 redirect URIs (§2.2.1)"
    );
    assert!(redirect_uri.len() <= 100, "a redirect URI is aNS(100)");
    uris.push(json!(redirect_uri));
    std::fs::write(
        &path,
        serde_json::to_string_pretty(&clients).expect("serializes"),
    )
    .expect("write clients.json");
    dir
}

/// The end of chromedriver's log (it also records Chromium's start-up errors).
fn log_tail(scratch: &Path) -> String {
    let log = std::fs::read_to_string(scratch.join(DRIVER_LOG)).unwrap_or_default();
    let lines: Vec<&str> = log.lines().collect();
    let from = lines.len().saturating_sub(40);
    format!(
        "chromedriver log, last lines:\n{}",
        lines[from..].join("\n")
    )
}

fn binary(var: &str, default: &str) -> PathBuf {
    std::env::var_os(var)
        .map(PathBuf::from)
        .unwrap_or_else(|| PathBuf::from(default))
}

/// A running chromedriver in its own process group. Dropping it kills the group, so a failed
/// or timed-out test leaves neither chromedriver nor the Chromium it started behind.
struct Chromedriver {
    child: Child,
    port: u16,
}

impl Chromedriver {
    async fn start(scratch: &Path) -> anyhow::Result<Chromedriver> {
        use std::os::unix::process::CommandExt;
        let exe = binary("CHROMEDRIVER", "/usr/bin/chromedriver");
        let port = {
            let probe = StdListener::bind("127.0.0.1:0").context("find a free port")?;
            probe.local_addr()?.port()
        };
        let log = scratch.join(DRIVER_LOG);
        let child = Command::new(&exe)
            .arg(format!("--port={port}"))
            .arg(format!("--log-path={}", log.display()))
            .stdin(Stdio::null())
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .process_group(0)
            .spawn()
            .with_context(|| {
                format!(
                    "start {} (Debian: apt-get install chromium-driver)",
                    exe.display()
                )
            })?;
        let mut driver = Chromedriver { child, port };
        driver.wait_ready().await?;
        Ok(driver)
    }

    fn url(&self) -> String {
        format!("http://127.0.0.1:{}", self.port)
    }

    async fn wait_ready(&mut self) -> anyhow::Result<()> {
        let http = reqwest::Client::builder()
            .timeout(Duration::from_secs(2))
            .build()?;
        let deadline = Instant::now() + STEP;
        loop {
            if let Some(status) = self.child.try_wait()? {
                bail!("chromedriver exited with {status}");
            }
            if let Ok(res) = http.get(format!("{}/status", self.url())).send().await
                && let Ok(body) = res.json::<Value>().await
                && body["value"]["ready"] == true
            {
                return Ok(());
            }
            if Instant::now() > deadline {
                bail!(
                    "chromedriver is not ready on port {} after {STEP:?}",
                    self.port
                );
            }
            tokio::time::sleep(Duration::from_millis(100)).await;
        }
    }

    /// A WebDriver session with headless Chromium.
    async fn connect(&self, profile: &Path) -> anyhow::Result<Client> {
        let chromium = binary("CHROMIUM", "/usr/bin/chromium");
        let args = [
            "--headless=new".to_owned(),
            "--no-sandbox".to_owned(),
            "--disable-gpu".to_owned(),
            "--disable-dev-shm-usage".to_owned(),
            "--disable-quic".to_owned(),
            "--no-first-run".to_owned(),
            "--disable-background-networking".to_owned(),
            "--disable-component-update".to_owned(),
            "--disable-sync".to_owned(),
            "--window-size=800,1400".to_owned(),
            format!("--user-data-dir={}", profile.join("chromium").display()),
        ];
        let caps = json!({
            "browserName": "chrome",
            "goog:chromeOptions": { "binary": chromium, "args": args },
        });
        let Value::Object(caps) = caps else {
            unreachable!("a JSON object")
        };
        ClientBuilder::native()
            .capabilities(caps)
            .connect(&self.url())
            .await
            .with_context(|| format!("open a WebDriver session with {}", chromium.display()))
    }
}

impl Drop for Chromedriver {
    fn drop(&mut self) {
        // The negative pid names the process group: chromedriver and every Chromium process.
        let _ = Command::new("kill")
            .args(["-KILL", "--", &format!("-{}", self.child.id())])
            .stdout(Stdio::null())
            .stderr(Stdio::null())
            .status();
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}
