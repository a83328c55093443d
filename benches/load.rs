//! Load benchmark: requests/s and latency percentiles of 은행-001 and 은행-004 served by the real
//! testbed with a valid token, against a minimal axum handler that returns the same bytes, built
//! and measured in the same run.
//!
//! ```text
//! cargo bench --bench load
//! BENCH_CONCURRENCY=64 BENCH_SECONDS=10 cargo bench --bench load
//! ```
//!
//! What it does, all on loopback and in one process:
//!
//! 1. Builds the real state (`ServerConfig::default()`, a fixed signing key, `Clock::system()`) and
//!    serves it on `127.0.0.1:0` with `server::run`.
//! 2. Gets an access token for customer C002 through the real 개별인증 flow (authorize → consent
//!    form with all of C002's bank assets, not scheduled → token exchange).
//! 3. Fetches each endpoint's answer once and starts a second axum server on another
//!    `127.0.0.1:0` port whose handler returns exactly those bytes with the same content type, for
//!    the same method and path: the baseline.
//! 4. For each endpoint, testbed then baseline: `BENCH_CONCURRENCY` (default 32) keep-alive HTTP/1.1
//!    connections issue requests back to back for `BENCH_WARMUP` (default 1 s, not recorded) plus
//!    `BENCH_SECONDS` (default 5 s, recorded). Every response must be 200 with the reference body
//!    length; any other answer or transport error makes the run invalid (non-zero exit).
//! 5. Prints a table (requests, req/s, p50, p99, max, and testbed/baseline ratios) and writes the
//!    same as JSON to `target/bench-load.json` (or `$CARGO_TARGET_DIR/bench-load.json`).
//!
//! The requests:
//!
//! - 은행-001 `GET /v1/bank/accounts?org_code=…&limit=100`, `x-api-type: user-consent`.
//! - 은행-004 `POST /v1/bank/accounts/deposit/transactions` for account `110573920164` (1,300
//!   transactions), `from_date` = today − 364 days, `to_date` = today, `limit` 100 (a full page of
//!   100 with a `next_page`), `x-api-type: user-search`.
//!
//! Each request carries a fresh, well-formed `x-api-tran-id`.
//!
//! Caveats: no tracing subscriber is installed, so the server's per-request access log is
//! disabled (the `tracing::info!` call sites are still evaluated to "no interest"); the load
//! generator (a bare hyper HTTP/1.1 client) runs on its own tokio runtime in the same process and
//! shares the machine's cores with the servers, so absolute numbers understate a dedicated server;
//! the ratio is the figure to watch. The baseline does not echo `x-api-tran-id`, so its response
//! headers are some 40 bytes shorter. This is a measurement, not a test: nothing here asserts a time.

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::time::{Duration, Instant};

use axum::body::Bytes;
use axum::http::{HeaderValue, Method, StatusCode, header};
use axum::response::Response;
use http_body_util::{BodyExt, Full};
use hyper_util::rt::TokioIo;
use mydata_testbed::clock::Clock;
use mydata_testbed::config::ServerConfig;
use mydata_testbed::fixtures::Secret;
use mydata_testbed::server::state::AppState;
use mydata_testbed::spec::{self, ApiEntry};
use serde_json::{Value, json};
use tokio::net::{TcpListener, TcpStream};

const INDUSTRY: &str = "bank";
const CUSTOMER: &str = "C002";
const CLIENT_ID: &str = "tbdemoapp";
const ACCOUNT: &str = "110573920164";
const JSON_UTF8: &str = "application/json; charset=UTF-8";
const SIGNING_KEY: &str = "bench-signing-key-0123456789abcdefghij";

type BoxError = Box<dyn std::error::Error + Send + Sync>;

fn env_num(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a whole number, got {v:?}")),
        Err(_) => default,
    }
}

/// One request shape, sent identically (but for the tran id) to the testbed and the baseline.
#[derive(Clone)]
struct Call {
    label: &'static str,
    method: Method,
    /// Path and query.
    target: String,
    api_type: &'static str,
    /// JSON body for POST, empty for GET.
    body: Bytes,
    /// `Authorization` value (ignored by the baseline).
    auth: HeaderValue,
}

#[derive(Default)]
struct WorkerResult {
    latencies_us: Vec<u32>,
    errors: u64,
    first_error: Option<String>,
}

struct RunResult {
    endpoint: &'static str,
    target: &'static str,
    requests: u64,
    errors: u64,
    first_error: Option<String>,
    seconds: f64,
    rps: f64,
    p50_us: u32,
    p99_us: u32,
    max_us: u32,
}

fn percentile(sorted: &[u32], p: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

fn tran_id(worker: usize, n: u64) -> HeaderValue {
    let serial = (worker as u64) * 10_000_000_000 + n;
    HeaderValue::from_str(&format!("TBAPP00001M{serial:014}")).expect("ASCII")
}

/// One connection issuing requests back to back until `stop`; records those that start at or
/// after `record_from` and finish before `stop`.
async fn worker(
    id: usize,
    addr: SocketAddr,
    call: Arc<Call>,
    expect_len: usize,
    record_from: Instant,
    stop: Instant,
) -> WorkerResult {
    let mut out = WorkerResult {
        latencies_us: Vec::with_capacity(64 * 1024),
        ..WorkerResult::default()
    };
    if let Err(e) = worker_loop(id, addr, &call, expect_len, record_from, stop, &mut out).await {
        out.errors += 1;
        out.first_error
            .get_or_insert_with(|| format!("transport: {e}"));
    }
    out
}

async fn worker_loop(
    id: usize,
    addr: SocketAddr,
    call: &Call,
    expect_len: usize,
    record_from: Instant,
    stop: Instant,
    out: &mut WorkerResult,
) -> Result<(), BoxError> {
    let stream = TcpStream::connect(addr).await?;
    stream.set_nodelay(true)?;
    let (mut sender, conn) = hyper::client::conn::http1::handshake(TokioIo::new(stream)).await?;
    let conn = tokio::spawn(conn);
    let host = HeaderValue::from_str(&addr.to_string())?;
    let api_type = HeaderValue::from_static(call.api_type);
    let mut n: u64 = 0;
    loop {
        let started = Instant::now();
        if started >= stop {
            break;
        }
        n += 1;
        let mut req = hyper::Request::builder()
            .method(call.method.clone())
            .uri(call.target.as_str())
            .header(header::HOST, host.clone())
            .header("x-api-tran-id", tran_id(id, n))
            .header("x-api-type", api_type.clone())
            .header(header::AUTHORIZATION, call.auth.clone());
        if call.method == Method::POST {
            req = req.header(header::CONTENT_TYPE, JSON_UTF8);
        }
        let req = req.body(Full::new(call.body.clone()))?;
        sender.ready().await?;
        let res = sender.send_request(req).await?;
        let status = res.status();
        let body = res.into_body().collect().await?.to_bytes();
        let finished = Instant::now();
        if started < record_from || finished > stop {
            continue;
        }
        if status != StatusCode::OK || body.len() != expect_len {
            out.errors += 1;
            out.first_error.get_or_insert_with(|| {
                format!(
                    "status {status}, {} body bytes (expected 200, {expect_len}): {}",
                    body.len(),
                    String::from_utf8_lossy(&body[..body.len().min(300)])
                )
            });
            continue;
        }
        let us = (finished - started).as_micros();
        out.latencies_us.push(u32::try_from(us).unwrap_or(u32::MAX));
    }
    drop(sender);
    let _ = conn.await;
    Ok(())
}

/// How long and how wide each run is.
#[derive(Clone, Copy)]
struct Plan {
    concurrency: usize,
    warmup: Duration,
    seconds: Duration,
}

async fn measure(
    target: &'static str,
    addr: SocketAddr,
    call: &Arc<Call>,
    expect_len: usize,
    plan: Plan,
) -> RunResult {
    let Plan {
        concurrency,
        warmup,
        seconds,
    } = plan;
    let endpoint = call.label;
    let begin = Instant::now();
    let record_from = begin + warmup;
    let stop = record_from + seconds;
    let handles: Vec<_> = (0..concurrency)
        .map(|i| {
            tokio::spawn(worker(
                i + 1,
                addr,
                call.clone(),
                expect_len,
                record_from,
                stop,
            ))
        })
        .collect();
    let mut all: Vec<u32> = Vec::new();
    let mut errors = 0;
    let mut first_error = None;
    for h in handles {
        match h.await {
            Ok(r) => {
                all.extend_from_slice(&r.latencies_us);
                errors += r.errors;
                if first_error.is_none() {
                    first_error = r.first_error;
                }
            }
            Err(e) => {
                errors += 1;
                first_error.get_or_insert_with(|| format!("worker panicked: {e}"));
            }
        }
    }
    all.sort_unstable();
    let secs = seconds.as_secs_f64();
    RunResult {
        endpoint,
        target,
        requests: all.len() as u64,
        errors,
        first_error,
        seconds: secs,
        rps: all.len() as f64 / secs,
        p50_us: percentile(&all, 0.50),
        p99_us: percentile(&all, 0.99),
        max_us: all.last().copied().unwrap_or(0),
    }
}

/// The real 개별인증 flow with reqwest: authorize → consent form → token. Returns the access token.
async fn access_token(base: &str, state: &AppState) -> Result<String, BoxError> {
    let fx = &state.fixtures;
    let client_reg = fx
        .clients
        .get(CLIENT_ID)
        .ok_or("client tbdemoapp is not in the fixtures")?;
    let redirect_uri = client_reg
        .redirect_uris
        .first()
        .ok_or("client has no redirect_uri")?;
    let org = &fx.provider(INDUSTRY).ok_or("no bank provider")?.org_code;
    let ci = &fx.customer(CUSTOMER).ok_or("no customer C002")?.ci;
    let assets: Vec<String> = fx
        .holding(INDUSTRY, CUSTOMER)
        .ok_or("C002 holds nothing at the bank")?
        .assets
        .iter()
        .map(|a| a.id.clone())
        .collect();
    let http = reqwest::Client::builder()
        .redirect(reqwest::redirect::Policy::none())
        .timeout(Duration::from_secs(10))
        .build()?;
    let location_query = |res: &reqwest::Response| -> Vec<(String, String)> {
        let loc = res
            .headers()
            .get(header::LOCATION)
            .and_then(|v| v.to_str().ok())
            .unwrap_or_default();
        let q = loc.split_once('?').map(|(_, q)| q).unwrap_or("");
        form_urlencoded::parse(q.as_bytes()).into_owned().collect()
    };
    let find =
        |q: &[(String, String)], k: &str| q.iter().find(|(n, _)| n == k).map(|(_, v)| v.clone());

    let authorize = &state
        .spec
        .auth_api("개별인증-001")
        .ok_or("no 개별인증-001")?
        .path;
    let res = http
        .get(format!("{base}{authorize}"))
        .query(&[
            ("org_code", org.as_str()),
            ("response_type", "code"),
            ("client_id", CLIENT_ID),
            ("redirect_uri", redirect_uri.as_str()),
            ("app_scheme", client_reg.app_scheme.as_str()),
            ("state", "bench"),
        ])
        .header("x-api-tran-id", "TBAPP00001M00000000000001")
        .header("x-user-ci", ci)
        .send()
        .await?;
    let request_id = find(&location_query(&res), "request_id").ok_or_else(|| {
        format!(
            "authorize did not redirect to the login page: {}",
            res.status()
        )
    })?;

    let mut form: Vec<(&str, &str)> = vec![
        ("request_id", &request_id),
        ("customer_id", CUSTOMER),
        ("action", "consent"),
    ];
    form.extend(assets.iter().map(|a| ("asset", a.as_str())));
    let res = http
        .post(format!("{base}/oauth/2.0/consent"))
        .form(&form)
        .send()
        .await?;
    let code = find(&location_query(&res), "code")
        .ok_or_else(|| format!("consent did not redirect with a code: {}", res.status()))?;

    let token = &state
        .spec
        .auth_api("개별인증-002")
        .ok_or("no 개별인증-002")?
        .path;
    let res = http
        .post(format!("{base}{token}"))
        .header("x-api-tran-id", "TBAPP00001M00000000000002")
        .form(&[
            ("org_code", org.as_str()),
            ("grant_type", "authorization_code"),
            ("code", code.as_str()),
            ("client_id", CLIENT_ID),
            ("client_secret", client_reg.client_secret.expose()),
            ("redirect_uri", redirect_uri.as_str()),
        ])
        .send()
        .await?;
    let status = res.status();
    let body: Value = res.json().await?;
    body["access_token"]
        .as_str()
        .map(str::to_owned)
        .ok_or_else(|| format!("token exchange failed ({status}): {body}").into())
}

/// Sends `call` once to the testbed with reqwest and returns the body, which must be a 200
/// success.
async fn fetch_once(base: &str, call: &Call) -> Result<Bytes, BoxError> {
    let http = reqwest::Client::new();
    let url = format!("{base}{}", call.target);
    let req = if call.method == Method::POST {
        http.post(url)
            .header(header::CONTENT_TYPE, JSON_UTF8)
            .body(call.body.clone())
    } else {
        http.get(url)
    };
    let res = req
        .header("x-api-tran-id", "TBAPP00001M00000000000003")
        .header("x-api-type", call.api_type)
        .header(header::AUTHORIZATION, call.auth.clone())
        .send()
        .await?;
    let status = res.status();
    let ct = res
        .headers()
        .get(header::CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .unwrap_or_default()
        .to_owned();
    let body = res.bytes().await?;
    let json: Value = serde_json::from_slice(&body)?;
    if status != StatusCode::OK || json["rsp_code"] != "00000" || ct != JSON_UTF8 {
        return Err(format!("{} answered {status} ({ct}): {json}", call.label).into());
    }
    Ok(body)
}

/// The baseline: a minimal axum app answering each call's method and path with fixed bytes.
fn baseline_router(answers: &[(Call, Bytes)]) -> axum::Router {
    let mut router = axum::Router::new();
    for (call, bytes) in answers {
        let path = call.target.split('?').next().unwrap_or_default().to_owned();
        let bytes = bytes.clone();
        let handler = move |_body: Bytes| {
            let bytes = bytes.clone();
            async move {
                let mut res = Response::new(axum::body::Body::from(bytes));
                res.headers_mut()
                    .insert(header::CONTENT_TYPE, HeaderValue::from_static(JSON_UTF8));
                res
            }
        };
        let mr = if call.method == Method::POST {
            axum::routing::post(handler)
        } else {
            axum::routing::get(handler)
        };
        router = router.route(&path, mr);
    }
    router
}

/// Left-aligns `s` in `width` terminal columns (Hangul takes two).
fn pad(s: &str, width: usize) -> String {
    let cols: usize = s.chars().map(|c| if c.is_ascii() { 1 } else { 2 }).sum();
    format!("{s}{}", " ".repeat(width.saturating_sub(cols)))
}

fn fmt_us(us: u32) -> String {
    if us >= 10_000 {
        format!("{:.1} ms", f64::from(us) / 1000.0)
    } else {
        format!("{:.2} ms", f64::from(us) / 1000.0)
    }
}

fn main() -> ExitCode {
    match run() {
        Ok(code) => code,
        Err(e) => {
            eprintln!("bench-load: setup failed: {e}");
            ExitCode::FAILURE
        }
    }
}

fn run() -> Result<ExitCode, BoxError> {
    // `cargo bench` passes `--bench`; other arguments filter the runs by substring of
    // "<endpoint> <target>", e.g. `cargo bench --bench load -- 004` or `-- "004 testbed"`.
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let concurrency = env_num("BENCH_CONCURRENCY", 32).max(1) as usize;
    let seconds = Duration::from_secs(env_num("BENCH_SECONDS", 5).max(1));
    let warmup = Duration::from_secs(env_num("BENCH_WARMUP", 1));
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get());

    // The servers get their own runtime, so their scheduler does not interleave client tasks.
    let server_rt = tokio::runtime::Builder::new_multi_thread()
        .thread_name("bench-server")
        .enable_all()
        .build()?;
    let client_rt = tokio::runtime::Builder::new_multi_thread()
        .thread_name("bench-client")
        .enable_all()
        .build()?;

    let config = ServerConfig {
        bind: SocketAddr::from(([127, 0, 0, 1], 0)),
        signing_key: Some(Secret::new(SIGNING_KEY)),
        ..ServerConfig::default()
    };
    let state = config.build_state(Clock::system())?;

    let (testbed_addr, _testbed_stop) = server_rt.block_on(async {
        let listener = TcpListener::bind(config.bind).await?;
        let addr = listener.local_addr()?;
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        let served = state.clone();
        tokio::spawn(async move {
            let _ = mydata_testbed::server::run(listener, served, async {
                let _ = rx.await;
            })
            .await;
        });
        Ok::<_, BoxError>((addr, tx))
    })?;
    let base = format!("http://{testbed_addr}");

    let token = client_rt.block_on(access_token(&base, &state))?;
    let auth = HeaderValue::from_str(&format!("Bearer {token}"))?;
    let org = state
        .fixtures
        .provider(INDUSTRY)
        .ok_or("no bank provider")?
        .org_code
        .clone();
    let entry = |id: &str| -> Result<Arc<ApiEntry>, BoxError> {
        Ok(state
            .spec
            .api(INDUSTRY, id)
            .ok_or_else(|| format!("{id} is not in the spec"))?
            .clone())
    };
    let (e001, e004) = (entry("은행-001")?, entry("은행-004")?);
    let version = state.spec.version().to_owned();
    let today = state.clock.today();
    let from = today - chrono::Days::new(364);

    let call001 = Call {
        label: "은행-001",
        method: Method::GET,
        target: format!("{}?org_code={org}&limit=100", e001.full_path(&version)),
        api_type: "user-consent",
        body: Bytes::new(),
        auth: auth.clone(),
    };
    let body004 = json!({
        "org_code": org,
        "account_num": ACCOUNT,
        "from_date": from.format("%Y%m%d").to_string(),
        "to_date": today.format("%Y%m%d").to_string(),
        "limit": "100",
    });
    let call004 = Call {
        label: "은행-004",
        method: Method::POST,
        target: e004.full_path(&version),
        api_type: "user-search",
        body: Bytes::from(serde_json::to_vec(&body004)?),
        auth,
    };
    assert!(matches!(e004.method, spec::Method::POST) && matches!(e001.method, spec::Method::GET));

    let mut answers = Vec::new();
    for call in [call001, call004] {
        let bytes = client_rt.block_on(fetch_once(&base, &call))?;
        answers.push((call, bytes));
    }
    let page = serde_json::from_slice::<Value>(&answers[1].1)?;
    let trans_cnt = page["trans_cnt"].as_str().unwrap_or("?").to_owned();

    let (baseline_addr, _baseline_stop) = server_rt.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let app = baseline_router(&answers);
        let (tx, rx) = tokio::sync::oneshot::channel::<()>();
        tokio::spawn(async move {
            let _ = axum::serve(listener, app)
                .with_graceful_shutdown(async {
                    let _ = rx.await;
                })
                .await;
        });
        Ok::<_, BoxError>((addr, tx))
    })?;

    println!(
        "bench-load: testbed at {testbed_addr}, baseline at {baseline_addr} (loopback, one process)"
    );
    println!(
        "  {concurrency} keep-alive connections, {}s warm-up + {}s measured per run, {cores} CPU(s) shared by client and servers",
        warmup.as_secs(),
        seconds.as_secs()
    );
    println!("  logging: off (no tracing subscriber installed; the access log is not written)");
    for (call, bytes) in &answers {
        println!(
            "  {} {} {} x-api-type={} -> {} bytes",
            call.label,
            call.method,
            call.target,
            call.api_type,
            bytes.len()
        );
    }
    println!(
        "  은행-004 page: trans_cnt={trans_cnt}, from_date={}, limit=100",
        from.format("%Y%m%d")
    );

    let mut results: Vec<RunResult> = Vec::new();
    for (call, bytes) in &answers {
        let call = Arc::new(call.clone());
        for (target, addr) in [("testbed", testbed_addr), ("baseline", baseline_addr)] {
            let name = format!("{} {target}", call.label);
            if !filters.is_empty() && !filters.iter().any(|f| name.contains(f.as_str())) {
                continue;
            }
            eprint!("  running {} against {target} ... ", call.label);
            let plan = Plan {
                concurrency,
                warmup,
                seconds,
            };
            let r = client_rt.block_on(measure(target, addr, &call, bytes.len(), plan));
            eprintln!("{:.0} req/s", r.rps);
            results.push(r);
        }
    }

    println!();
    println!(
        "{:<9} {:<9} {:>9} {:>11} {:>10} {:>10} {:>10} {:>7}",
        "endpoint", "target", "requests", "req/s", "p50", "p99", "max", "errors"
    );
    for r in &results {
        println!(
            "{} {:<9} {:>9} {:>11.0} {:>10} {:>10} {:>10} {:>7}",
            pad(r.endpoint, 9),
            r.target,
            r.requests,
            r.rps,
            fmt_us(r.p50_us),
            fmt_us(r.p99_us),
            fmt_us(r.max_us),
            r.errors
        );
    }
    println!();
    println!(
        "ratio testbed/baseline (req/s: 1.0 = as fast as the bare handler; p99: 1.0 = as low):"
    );
    let mut ratios = Vec::new();
    for t in results.iter().filter(|r| r.target == "testbed") {
        let Some(b) = results
            .iter()
            .find(|r| r.target == "baseline" && r.endpoint == t.endpoint)
        else {
            continue;
        };
        let rps_ratio = t.rps / b.rps.max(f64::MIN_POSITIVE);
        let p99_ratio = f64::from(t.p99_us) / f64::from(b.p99_us.max(1));
        println!(
            "  {} req/s {:>5.2}   p99 {:>5.2}",
            pad(t.endpoint, 9),
            rps_ratio,
            p99_ratio
        );
        ratios.push(
            json!({ "endpoint": t.endpoint, "rps_ratio": rps_ratio, "p99_ratio": p99_ratio }),
        );
    }

    let report = json!({
        "config": {
            "concurrency": concurrency,
            "warmup_seconds": warmup.as_secs(),
            "seconds": seconds.as_secs(),
            "cpus": cores,
            "logging": "off (no tracing subscriber)",
            "client": "hyper http1, keep-alive, same process, separate tokio runtime",
        },
        "requests": answers.iter().map(|(c, b)| json!({
            "endpoint": c.label,
            "method": c.method.as_str(),
            "target": c.target,
            "x_api_type": c.api_type,
            "response_bytes": b.len(),
        })).collect::<Vec<_>>(),
        "results": results.iter().map(|r| json!({
            "endpoint": r.endpoint,
            "target": r.target,
            "requests": r.requests,
            "errors": r.errors,
            "first_error": r.first_error,
            "seconds": r.seconds,
            "rps": r.rps,
            "p50_us": r.p50_us,
            "p99_us": r.p99_us,
            "max_us": r.max_us,
        })).collect::<Vec<_>>(),
        "ratios": ratios,
    });
    let dir = std::env::var_os("CARGO_TARGET_DIR")
        .map(std::path::PathBuf::from)
        .unwrap_or_else(|| std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("target"));
    let out = dir.join("bench-load.json");
    std::fs::create_dir_all(&dir)?;
    std::fs::write(&out, serde_json::to_vec_pretty(&report)?)?;
    println!("\nwrote {}", out.display());

    let errors: u64 = results.iter().map(|r| r.errors).sum();
    let empty = results.iter().any(|r| r.requests == 0);
    drop(client_rt);
    drop(server_rt);
    if errors > 0 || empty {
        eprintln!();
        eprintln!("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
        eprintln!(
            "!! INVALID RUN: {errors} request(s) failed or a run recorded nothing; the numbers above mean nothing"
        );
        for r in results.iter().filter(|r| r.errors > 0 || r.requests == 0) {
            eprintln!(
                "!!   {} {}: {} error(s); first: {}",
                r.endpoint,
                r.target,
                r.errors,
                r.first_error.as_deref().unwrap_or("no request completed")
            );
        }
        eprintln!("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
        return Ok(ExitCode::FAILURE);
    }
    Ok(ExitCode::SUCCESS)
}
