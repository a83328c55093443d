//! Load benchmark: requests/s and latency percentiles of 은행-001 and 은행-004 served by the real
//! testbed with a valid token, with the request journal on (the default, 1,000 entries per
//! namespace) and off (`journal_size` 0), against a minimal axum handler that returns the same
//! bytes, all built and measured in the same run.
//!
//! ```text
//! cargo bench --bench load
//! BENCH_CONCURRENCY=64 BENCH_SECONDS=10 BENCH_ROUNDS=5 cargo bench --bench load
//! BENCH_SECONDS=0.5 BENCH_WARMUP=0.2 BENCH_ROUNDS=1 cargo bench --bench load   # smoke run
//! cargo bench --bench load -- 001                # only 은행-001 (filters match "<endpoint> <target>")
//! ```
//!
//! What it does, all on loopback and in one process:
//!
//! 1. Builds the real state twice from `ServerConfig::default()` with a fixed signing key and
//!    `Clock::system()`: once as is (`journal_size` 1000, target `journal-on`) and once with
//!    `journal_size: 0` (target `journal-off`), and serves each on its own `127.0.0.1:0` with
//!    `server::run`. No scenario is set on either, and every request is in the default namespace.
//!    `BENCH_JOURNAL_SIZE` replaces journal-on's ring size (to see how the cost grows with it).
//! 2. Gets an access token for customer C002 from each through the real 개별인증 flow (authorize →
//!    consent form with all of C002's bank assets, not scheduled → token exchange).
//! 3. Fetches each endpoint's answer once from each testbed and starts a third axum server on
//!    another `127.0.0.1:0` port whose handler returns exactly the journal-on answer with the same
//!    content type, for the same method and path: the baseline.
//! 4. `BENCH_ROUNDS` (default 3) rounds; in each, for each endpoint, the three targets one after
//!    the other, journal-off and journal-on swapping order every round (off, on, baseline; then on,
//!    off, baseline; ...) so a slow spell of the machine does not always land on the same side.
//!    Each run: `BENCH_CONCURRENCY` (default 32) keep-alive HTTP/1.1 connections issue requests
//!    back to back for `BENCH_WARMUP` (default 1 s, not recorded; by then the journal's ring is
//!    full, so the recorded part pays for evicting entries too) plus `BENCH_SECONDS` (default 5 s,
//!    recorded). Both durations take decimals. Every response must be 200 with the reference body
//!    length; any other answer or transport error makes the run invalid (non-zero exit).
//! 5. Prints every run, then per endpoint and target the median over the rounds (req/s, p50, p99),
//!    the journal on/off ratios (the median of each round's on/off ratio, with the range) and the
//!    testbed/baseline ratios, and writes the same as JSON to `target/bench-load.json` (or
//!    `$CARGO_TARGET_DIR/bench-load.json`).
//!
//! The requests:
//!
//! - 은행-001 `GET /v1/bank/accounts?org_code=…&limit=100`, `x-api-type: user-consent`.
//! - 은행-004 `POST /v1/bank/accounts/deposit/transactions` for account `110573920164` (1,300
//!   transactions), `from_date` = today − 364 days, `to_date` = today, `limit` 100 (a full page of
//!   100 with a `next_page`), `x-api-type: user-search`.
//!
//! Each request carries a fresh, well-formed `x-api-tran-id`, unique over the whole run (so the
//! journal's reuse check never fires and every entry is graded `pass`).
//!
//! Caveats: no tracing subscriber is installed, so the server's per-request access log is
//! disabled (the `tracing::info!` call sites are still evaluated to "no interest"); the load
//! generator (a bare hyper HTTP/1.1 client) runs on its own tokio runtime in the same process and
//! shares the machine's cores with the servers, so absolute numbers understate a dedicated server;
//! the ratios are the figures to watch. The baseline does not echo `x-api-tran-id`, so its
//! response headers are some 40 bytes shorter. This is a measurement, not a test: nothing here
//! asserts a time (the journal's 10% budget is printed for reading, never enforced).

use std::net::SocketAddr;
use std::process::ExitCode;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
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

/// The journal's budget from the issue: journal-on req/s at least this share of journal-off's.
const JOURNAL_BUDGET: f64 = 0.90;

fn env_num(name: &str, default: u64) -> u64 {
    match std::env::var(name) {
        Ok(v) => v
            .trim()
            .parse()
            .unwrap_or_else(|_| panic!("{name} must be a whole number, got {v:?}")),
        Err(_) => default,
    }
}

/// A duration in seconds from the environment; decimals allowed (`0.5`).
fn env_secs(name: &str, default: f64) -> Duration {
    let secs = match std::env::var(name) {
        Ok(v) => v
            .trim()
            .parse::<f64>()
            .ok()
            .filter(|s| s.is_finite() && *s >= 0.0)
            .unwrap_or_else(|| panic!("{name} must be a number of seconds, got {v:?}")),
        Err(_) => default,
    };
    Duration::from_secs_f64(secs)
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
    round: usize,
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
    /// Cores' worth of CPU other processes used during the recorded window (Linux only).
    other_cores: Option<f64>,
    /// CPU time this process (client and servers) spent per recorded request, in µs (Linux only).
    /// Less swayed by other processes than req/s: they take cores away, not add work.
    cpu_us_per_req: Option<f64>,
}

/// Jiffies from `/proc`: (all CPUs' busy time, all CPUs' time, this process's time). `None` off
/// Linux.
fn cpu_sample() -> Option<(u64, u64, u64)> {
    let stat = std::fs::read_to_string("/proc/stat").ok()?;
    let fields: Vec<u64> = stat
        .lines()
        .next()?
        .split_whitespace()
        .skip(1)
        .map(|f| f.parse().unwrap_or(0))
        .collect();
    let total: u64 = fields.iter().sum();
    // idle and iowait are not busy
    let busy = total - fields.get(3).copied().unwrap_or(0) - fields.get(4).copied().unwrap_or(0);
    let own = std::fs::read_to_string("/proc/self/stat").ok()?;
    let after_comm: Vec<&str> = own.get(own.rfind(')')? + 2..)?.split_whitespace().collect();
    let ticks = |i: usize| after_comm.get(i).and_then(|f| f.parse::<u64>().ok());
    Some((busy, total, ticks(11)? + ticks(12)?))
}

/// Between two samples `seconds` apart: (cores' worth of CPU that went to other processes, CPU
/// seconds this process used).
fn cpu_use(
    before: Option<(u64, u64, u64)>,
    after: Option<(u64, u64, u64)>,
    seconds: f64,
) -> Option<(f64, f64)> {
    let ((b0, t0, o0), (b1, t1, o1)) = (before?, after?);
    let cores = std::thread::available_parallelism().map_or(1, |n| n.get()) as f64;
    let total = t1.checked_sub(t0).filter(|t| *t > 0)? as f64;
    let own = o1.saturating_sub(o0) as f64;
    let foreign = (b1.saturating_sub(b0) as f64 - own).max(0.0);
    // `total` jiffies are `cores` × `seconds` of wall time.
    Some((foreign / total * cores, own / total * cores * seconds))
}

fn percentile(sorted: &[u32], p: f64) -> u32 {
    if sorted.is_empty() {
        return 0;
    }
    let rank = ((p * sorted.len() as f64).ceil() as usize).clamp(1, sorted.len());
    sorted[rank - 1]
}

/// The next `x-api-tran-id`, unique in the process (`access_token` sends serials 1 and 2).
fn tran_id() -> HeaderValue {
    static SERIAL: AtomicU64 = AtomicU64::new(100);
    let serial = SERIAL.fetch_add(1, Ordering::Relaxed);
    HeaderValue::from_str(&format!("TBAPP00001M{serial:014}")).expect("ASCII")
}

/// One connection issuing requests back to back until `stop`; records those that start at or
/// after `record_from` and finish before `stop`.
async fn worker(
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
    if let Err(e) = worker_loop(addr, &call, expect_len, record_from, stop, &mut out).await {
        out.errors += 1;
        out.first_error
            .get_or_insert_with(|| format!("transport: {e}"));
    }
    out
}

async fn worker_loop(
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
    loop {
        let started = Instant::now();
        if started >= stop {
            break;
        }
        let mut req = hyper::Request::builder()
            .method(call.method.clone())
            .uri(call.target.as_str())
            .header(header::HOST, host.clone())
            .header("x-api-tran-id", tran_id())
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
    round: usize,
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
        .map(|_| tokio::spawn(worker(addr, call.clone(), expect_len, record_from, stop)))
        .collect();
    tokio::time::sleep_until(record_from.into()).await;
    let cpu_before = cpu_sample();
    let window = Instant::now();
    tokio::time::sleep_until(stop.into()).await;
    let cpu = cpu_use(cpu_before, cpu_sample(), window.elapsed().as_secs_f64());
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
        round,
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
        other_cores: cpu.map(|c| c.0),
        cpu_us_per_req: cpu
            .filter(|_| !all.is_empty())
            .map(|c| c.1 * 1e6 / all.len() as f64),
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
        .header("x-api-tran-id", tran_id())
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

/// The servers each round loads, in the order of [`Lane`]s.
const JOURNAL_OFF: &str = "journal-off";
const JOURNAL_ON: &str = "journal-on";
const BASELINE: &str = "baseline";
const TARGETS: [&str; 3] = [JOURNAL_OFF, JOURNAL_ON, BASELINE];

/// One endpoint against one server: where to send it, what to send, how long the answer is.
struct Lane {
    target: &'static str,
    addr: SocketAddr,
    call: Arc<Call>,
    expect_len: usize,
}

/// The median (the mean of the middle two for an even count); NaN for none.
fn median(mut v: Vec<f64>) -> f64 {
    if v.is_empty() {
        return f64::NAN;
    }
    v.sort_by(f64::total_cmp);
    let n = v.len();
    if n % 2 == 1 {
        v[n / 2]
    } else {
        (v[n / 2 - 1] + v[n / 2]) / 2.0
    }
}

fn min_max(v: &[f64]) -> (f64, f64) {
    v.iter()
        .fold((f64::INFINITY, f64::NEG_INFINITY), |(lo, hi), &x| {
            (lo.min(x), hi.max(x))
        })
}

/// Builds the real state from `config` and serves it on a fresh loopback port until the sender
/// is dropped.
fn serve_testbed(
    rt: &tokio::runtime::Runtime,
    config: &ServerConfig,
) -> Result<(AppState, SocketAddr, tokio::sync::oneshot::Sender<()>), BoxError> {
    let state = config.build_state(Clock::system())?;
    let (addr, stop) = rt.block_on(async {
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
    Ok((state, addr, stop))
}

/// Medians over the rounds of one endpoint on one target.
struct Summary {
    endpoint: &'static str,
    target: &'static str,
    rounds: usize,
    requests: u64,
    errors: u64,
    rps: f64,
    p50_us: f64,
    p99_us: f64,
    max_us: u32,
}

fn summarize(results: &[RunResult], endpoint: &str, target: &str) -> Option<Summary> {
    let runs: Vec<&RunResult> = results
        .iter()
        .filter(|r| r.endpoint == endpoint && r.target == target)
        .collect();
    let first = runs.first()?;
    Some(Summary {
        endpoint: first.endpoint,
        target: first.target,
        rounds: runs.len(),
        requests: runs.iter().map(|r| r.requests).sum(),
        errors: runs.iter().map(|r| r.errors).sum(),
        rps: median(runs.iter().map(|r| r.rps).collect()),
        p50_us: median(runs.iter().map(|r| f64::from(r.p50_us)).collect()),
        p99_us: median(runs.iter().map(|r| f64::from(r.p99_us)).collect()),
        max_us: runs.iter().map(|r| r.max_us).max().unwrap_or(0),
    })
}

/// Journal on against off for one endpoint: each round's ratio, paired within the round.
struct JournalCost {
    endpoint: &'static str,
    off: Summary,
    on: Summary,
    rps_ratios: Vec<f64>,
    p99_ratios: Vec<f64>,
    cpu_ratios: Vec<f64>,
}

fn fmt_cores(c: Option<f64>) -> String {
    c.map_or_else(|| "-".to_owned(), |c| format!("{c:.2}"))
}

fn fmt_us_f(us: f64) -> String {
    fmt_us(us.round().clamp(0.0, f64::from(u32::MAX)) as u32)
}

fn run() -> Result<ExitCode, BoxError> {
    // `cargo bench` passes `--bench`; other arguments filter the runs by substring of
    // "<endpoint> <target>", e.g. `cargo bench --bench load -- 004` or `-- "004 journal"`.
    let filters: Vec<String> = std::env::args()
        .skip(1)
        .filter(|a| !a.starts_with("--"))
        .collect();
    let concurrency = env_num("BENCH_CONCURRENCY", 32).max(1) as usize;
    let seconds = env_secs("BENCH_SECONDS", 5.0).max(Duration::from_millis(100));
    let warmup = env_secs("BENCH_WARMUP", 1.0);
    let rounds = env_num("BENCH_ROUNDS", 3).max(1) as usize;
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

    let mut config_on = ServerConfig {
        bind: SocketAddr::from(([127, 0, 0, 1], 0)),
        signing_key: Some(Secret::new(SIGNING_KEY)),
        ..ServerConfig::default()
    };
    // To see how the cost grows with the ring: BENCH_JOURNAL_SIZE=10 or 10000.
    config_on.journal_size =
        env_num("BENCH_JOURNAL_SIZE", config_on.journal_size as u64).max(1) as usize;
    let journal_size = config_on.journal_size;
    let config_off = ServerConfig {
        journal_size: 0,
        ..config_on.clone()
    };
    let (state, on_addr, _on_stop) = serve_testbed(&server_rt, &config_on)?;
    let (state_off, off_addr, _off_stop) = serve_testbed(&server_rt, &config_off)?;
    if !state.namespaces.default_ns().journal.enabled()
        || state_off.namespaces.default_ns().journal.enabled()
    {
        return Err(format!(
            "the journal is not on for {JOURNAL_ON} (journal_size {journal_size}) and off for {JOURNAL_OFF}"
        )
        .into());
    }

    let auth_of = |addr: SocketAddr, state: &AppState| -> Result<HeaderValue, BoxError> {
        let token = client_rt.block_on(access_token(&format!("http://{addr}"), state))?;
        Ok(HeaderValue::from_str(&format!("Bearer {token}"))?)
    };
    let auth_on = auth_of(on_addr, &state)?;
    let auth_off = auth_of(off_addr, &state_off)?;
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
        auth: auth_on.clone(),
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
        auth: auth_on,
    };
    assert!(matches!(e004.method, spec::Method::POST) && matches!(e001.method, spec::Method::GET));

    // (journal-on call, its answer, journal-off call, its answer)
    let mut answers = Vec::new();
    for call in [call001, call004] {
        let off_call = Call {
            auth: auth_off.clone(),
            ..call.clone()
        };
        let on_bytes = client_rt.block_on(fetch_once(&format!("http://{on_addr}"), &call))?;
        let off_bytes = client_rt.block_on(fetch_once(&format!("http://{off_addr}"), &off_call))?;
        answers.push((call, on_bytes, off_call, off_bytes));
    }
    let page = serde_json::from_slice::<Value>(&answers[1].1)?;
    let trans_cnt = page["trans_cnt"].as_str().unwrap_or("?").to_owned();

    let baseline_answers: Vec<(Call, Bytes)> = answers
        .iter()
        .map(|(c, b, _, _)| (c.clone(), b.clone()))
        .collect();
    let (baseline_addr, _baseline_stop) = server_rt.block_on(async {
        let listener = TcpListener::bind("127.0.0.1:0").await?;
        let addr = listener.local_addr()?;
        let app = baseline_router(&baseline_answers);
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

    // Per endpoint, its lanes in the order of TARGETS.
    let endpoints: Vec<(&'static str, Vec<Lane>)> = answers
        .iter()
        .map(|(on_call, on_bytes, off_call, off_bytes)| {
            let on_call = Arc::new(on_call.clone());
            let lanes = vec![
                Lane {
                    target: JOURNAL_OFF,
                    addr: off_addr,
                    call: Arc::new(off_call.clone()),
                    expect_len: off_bytes.len(),
                },
                Lane {
                    target: JOURNAL_ON,
                    addr: on_addr,
                    call: on_call.clone(),
                    expect_len: on_bytes.len(),
                },
                Lane {
                    target: BASELINE,
                    addr: baseline_addr,
                    call: on_call,
                    expect_len: on_bytes.len(),
                },
            ];
            (lanes[1].call.label, lanes)
        })
        .collect();

    println!(
        "bench-load: {JOURNAL_OFF} testbed at {off_addr} (journal_size 0), {JOURNAL_ON} testbed at {on_addr} (journal_size {journal_size}, the default), {BASELINE} at {baseline_addr} (loopback, one process)"
    );
    println!(
        "  {concurrency} keep-alive connections, {:.1}s warm-up + {:.1}s measured per run, {rounds} round(s), {cores} CPU(s) shared by client and servers",
        warmup.as_secs_f64(),
        seconds.as_secs_f64()
    );
    println!("  logging: off (no tracing subscriber installed; the access log is not written)");
    println!("  scenarios: none; namespace: default");
    for (call, on_bytes, _, off_bytes) in &answers {
        println!(
            "  {} {} {} x-api-type={} -> {} bytes ({JOURNAL_ON}), {} bytes ({JOURNAL_OFF})",
            call.label,
            call.method,
            call.target,
            call.api_type,
            on_bytes.len(),
            off_bytes.len()
        );
    }
    println!(
        "  은행-004 page: trans_cnt={trans_cnt}, from_date={}, limit=100",
        from.format("%Y%m%d")
    );

    let plan = Plan {
        concurrency,
        warmup,
        seconds,
    };
    let mut results: Vec<RunResult> = Vec::new();
    for round in 1..=rounds {
        // Off first in odd rounds, on first in even ones; the baseline last.
        let order: [usize; 3] = if round % 2 == 1 { [0, 1, 2] } else { [1, 0, 2] };
        for (label, lanes) in &endpoints {
            for &i in &order {
                let lane = &lanes[i];
                let name = format!("{label} {}", lane.target);
                if !filters.is_empty() && !filters.iter().any(|f| name.contains(f.as_str())) {
                    continue;
                }
                eprint!(
                    "  round {round}/{rounds}: {label} against {} ... ",
                    lane.target
                );
                let r = client_rt.block_on(measure(
                    round,
                    lane.target,
                    lane.addr,
                    &lane.call,
                    lane.expect_len,
                    plan,
                ));
                eprintln!(
                    "{:.0} req/s, p99 {}, other CPU {}",
                    r.rps,
                    fmt_us(r.p99_us),
                    fmt_cores(r.other_cores)
                );
                results.push(r);
            }
        }
    }

    println!();
    println!(
        "every run (CPU/req: this process's CPU time per request, client included; other CPU: cores' worth used by other processes meanwhile, above ~0.2 of {cores} the run was disturbed):"
    );
    println!(
        "{:>5} {:<9} {:<11} {:>9} {:>9} {:>10} {:>10} {:>10} {:>7} {:>9} {:>9}",
        "round",
        "endpoint",
        "target",
        "requests",
        "req/s",
        "p50",
        "p99",
        "max",
        "errors",
        "CPU/req",
        "other CPU"
    );
    for r in &results {
        println!(
            "{:>5} {} {:<11} {:>9} {:>9.0} {:>10} {:>10} {:>10} {:>7} {:>9} {:>9}",
            r.round,
            pad(r.endpoint, 9),
            r.target,
            r.requests,
            r.rps,
            fmt_us(r.p50_us),
            fmt_us(r.p99_us),
            fmt_us(r.max_us),
            r.errors,
            r.cpu_us_per_req
                .map_or_else(|| "-".to_owned(), |us| format!("{us:.1} µs")),
            fmt_cores(r.other_cores)
        );
    }

    let summaries: Vec<Summary> = endpoints
        .iter()
        .flat_map(|(label, _)| TARGETS.iter().map(move |t| (*label, *t)))
        .filter_map(|(label, target)| summarize(&results, label, target))
        .collect();
    println!();
    println!("median over the rounds (max: the highest of any round):");
    println!(
        "{:<9} {:<11} {:>6} {:>9} {:>10} {:>10} {:>10} {:>7}",
        "endpoint", "target", "rounds", "req/s", "p50", "p99", "max", "errors"
    );
    for s in &summaries {
        println!(
            "{} {:<11} {:>6} {:>9.0} {:>10} {:>10} {:>10} {:>7}",
            pad(s.endpoint, 9),
            s.target,
            s.rounds,
            s.rps,
            fmt_us_f(s.p50_us),
            fmt_us_f(s.p99_us),
            fmt_us(s.max_us),
            s.errors
        );
    }

    // Journal on vs off, paired within each round.
    let mut costs: Vec<JournalCost> = Vec::new();
    for (label, _) in &endpoints {
        let (Some(off), Some(on)) = (
            summarize(&results, label, JOURNAL_OFF),
            summarize(&results, label, JOURNAL_ON),
        ) else {
            continue;
        };
        let mut rps_ratios = Vec::new();
        let mut p99_ratios = Vec::new();
        let mut cpu_ratios = Vec::new();
        for round in 1..=rounds {
            let find = |t: &str| {
                results
                    .iter()
                    .find(|r| r.round == round && r.endpoint == *label && r.target == t)
            };
            if let (Some(f), Some(n)) = (find(JOURNAL_OFF), find(JOURNAL_ON)) {
                rps_ratios.push(n.rps / f.rps.max(f64::MIN_POSITIVE));
                p99_ratios.push(f64::from(n.p99_us) / f64::from(f.p99_us.max(1)));
                if let (Some(fc), Some(nc)) = (f.cpu_us_per_req, n.cpu_us_per_req) {
                    cpu_ratios.push(nc / fc.max(f64::MIN_POSITIVE));
                }
            }
        }
        costs.push(JournalCost {
            endpoint: label,
            off,
            on,
            rps_ratios,
            p99_ratios,
            cpu_ratios,
        });
    }
    if !costs.is_empty() {
        println!();
        println!(
            "journal on ({journal_size}) vs off (0), no scenario: medians; on/off = median of the per-round ratios [lowest-highest round]"
        );
        println!(
            "{:<9} {:>9} {:>9} {:>9} {:>9} {:>20} {:>20} {:>20} {:>8}",
            "endpoint",
            "off req/s",
            "off p99",
            "on req/s",
            "on p99",
            "req/s on/off",
            "p99 on/off",
            "CPU/req on/off",
            "≥ 0.90?"
        );
        for c in &costs {
            let (rlo, rhi) = min_max(&c.rps_ratios);
            let (plo, phi) = min_max(&c.p99_ratios);
            let rps_ratio = median(c.rps_ratios.clone());
            let cpu = if c.cpu_ratios.is_empty() {
                "-".to_owned()
            } else {
                let (clo, chi) = min_max(&c.cpu_ratios);
                format!("{:.3} [{clo:.3}-{chi:.3}]", median(c.cpu_ratios.clone()))
            };
            println!(
                "{} {:>9.0} {:>9} {:>9.0} {:>9} {:>20} {:>20} {:>20} {:>8}",
                pad(c.endpoint, 9),
                c.off.rps,
                fmt_us_f(c.off.p99_us),
                c.on.rps,
                fmt_us_f(c.on.p99_us),
                format!("{rps_ratio:.3} [{rlo:.3}-{rhi:.3}]"),
                format!("{:.3} [{plo:.3}-{phi:.3}]", median(c.p99_ratios.clone())),
                cpu,
                if rps_ratio >= JOURNAL_BUDGET {
                    "yes"
                } else {
                    "no"
                }
            );
        }
        println!(
            "  (the issue's budget: journal-on req/s within 10% of journal-off, i.e. on/off ≥ {JOURNAL_BUDGET:.2}; reported, not enforced)"
        );
        println!(
            "  (CPU/req on/off is the steadier cross-check: other processes take cores away from both sides but add no work per request; on a CPU-bound box req/s on/off ≈ 1 / (CPU/req on/off))"
        );
        let busiest = results
            .iter()
            .filter(|r| r.target != BASELINE)
            .filter_map(|r| r.other_cores)
            .fold(f64::NAN, f64::max);
        if busiest.is_finite() {
            println!(
                "  (the busiest journal run had {busiest:.2} cores' worth of other work alongside; see \"other CPU\" above)"
            );
        }
    }

    println!();
    println!(
        "ratio testbed/baseline, medians (req/s: 1.0 = as fast as the bare handler; p99: 1.0 = as low):"
    );
    let mut ratios = Vec::new();
    for t in summaries.iter().filter(|s| s.target != BASELINE) {
        let Some(b) = summaries
            .iter()
            .find(|s| s.target == BASELINE && s.endpoint == t.endpoint)
        else {
            continue;
        };
        let rps_ratio = t.rps / b.rps.max(f64::MIN_POSITIVE);
        let p99_ratio = t.p99_us / b.p99_us.max(1.0);
        println!(
            "  {} {:<11} req/s {:>5.2}   p99 {:>5.2}",
            pad(t.endpoint, 9),
            t.target,
            rps_ratio,
            p99_ratio
        );
        ratios.push(json!({
            "endpoint": t.endpoint,
            "target": t.target,
            "rps_ratio": rps_ratio,
            "p99_ratio": p99_ratio,
        }));
    }

    let report = json!({
        "config": {
            "concurrency": concurrency,
            "warmup_seconds": warmup.as_secs_f64(),
            "seconds": seconds.as_secs_f64(),
            "rounds": rounds,
            "cpus": cores,
            "journal_size_on": journal_size,
            "logging": "off (no tracing subscriber)",
            "scenarios": "none",
            "client": "hyper http1, keep-alive, same process, separate tokio runtime",
        },
        "requests": answers.iter().map(|(c, on, _, off)| json!({
            "endpoint": c.label,
            "method": c.method.as_str(),
            "target": c.target,
            "x_api_type": c.api_type,
            "response_bytes": on.len(),
            "response_bytes_journal_off": off.len(),
        })).collect::<Vec<_>>(),
        "runs": results.iter().map(|r| json!({
            "round": r.round,
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
            "other_cores": r.other_cores,
            "cpu_us_per_req": r.cpu_us_per_req,
        })).collect::<Vec<_>>(),
        "medians": summaries.iter().map(|s| json!({
            "endpoint": s.endpoint,
            "target": s.target,
            "rounds": s.rounds,
            "requests": s.requests,
            "errors": s.errors,
            "rps": s.rps,
            "p50_us": s.p50_us,
            "p99_us": s.p99_us,
            "max_us": s.max_us,
        })).collect::<Vec<_>>(),
        "journal": costs.iter().map(|c| json!({
            "endpoint": c.endpoint,
            "off_rps": c.off.rps,
            "on_rps": c.on.rps,
            "off_p99_us": c.off.p99_us,
            "on_p99_us": c.on.p99_us,
            "rps_ratio": median(c.rps_ratios.clone()),
            "rps_ratios": c.rps_ratios,
            "p99_ratio": median(c.p99_ratios.clone()),
            "p99_ratios": c.p99_ratios,
            "cpu_ratio": (!c.cpu_ratios.is_empty()).then(|| median(c.cpu_ratios.clone())),
            "cpu_ratios": c.cpu_ratios,
            "budget": JOURNAL_BUDGET,
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
    let empty = results.is_empty() || results.iter().any(|r| r.requests == 0);
    drop(client_rt);
    drop(server_rt);
    if errors > 0 || empty {
        eprintln!();
        eprintln!("!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!!");
        eprintln!(
            "!! INVALID RUN: {errors} request(s) failed or a run recorded nothing; the numbers above mean nothing"
        );
        if results.is_empty() {
            eprintln!("!!   no run matched the filters {filters:?}");
        }
        for r in results.iter().filter(|r| r.errors > 0 || r.requests == 0) {
            eprintln!(
                "!!   round {} {} {}: {} error(s); first: {}",
                r.round,
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
