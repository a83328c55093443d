//! Sends the requests of a conformance run and records each exchange as evidence.
//!
//! Robust against a bad target (issue: timeouts, bounded response size, invalid JSON, HTML error
//! pages, resets, slow answers): every failure becomes data in the [`Exchange`], never a panic or
//! a hang. A rate cap keeps a provider's test environment from being overloaded. Secrets (tokens,
//! CIs, account numbers) are masked in what is recorded unless the run asks otherwise.

use std::sync::{Mutex, RwLock};
use std::time::{Duration, Instant};

use reqwest::Method;
use serde_json::Value;

use super::model::{Exchange, RequestRecord, ResponseRecord};

/// How requests are sent.
#[derive(Debug, Clone)]
pub struct ClientSettings {
    /// Base URL of the target, without a trailing slash.
    pub target: String,
    pub timeout: Duration,
    /// Response bodies longer than this are cut (and the cut is reported).
    pub max_body: usize,
    /// Requests per second at most; `None`: no cap.
    pub rate: Option<f64>,
    /// Record secrets as they are (off by default).
    pub unmask: bool,
}

/// A request to send.
#[derive(Debug, Clone)]
pub struct Req {
    pub method: Method,
    /// Path (and query) below the target, e.g. `/v1/bank/accounts?org_code=…`.
    pub path: String,
    pub headers: Vec<(String, String)>,
    pub body: Option<ReqBody>,
}

#[derive(Debug, Clone)]
pub enum ReqBody {
    Json(Value),
    Form(Vec<(String, String)>),
    Raw { content_type: String, text: String },
}

/// What came back, parsed where possible, with the recorded exchange.
#[derive(Debug, Clone)]
pub struct Sent {
    pub exchange: Exchange,
    pub status: Option<u16>,
    pub headers: Vec<(String, String)>,
    /// The body as JSON, when it is JSON.
    pub json: Option<Value>,
    pub text: String,
}

impl Sent {
    pub fn header(&self, name: &str) -> Option<&str> {
        self.headers
            .iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(name))
            .map(|(_, v)| v.as_str())
    }
    pub fn rsp_code(&self) -> Option<&str> {
        self.json.as_ref()?.get("rsp_code")?.as_str()
    }
}

/// The HTTP client of a run.
pub struct Client {
    http: reqwest::Client,
    settings: ClientSettings,
    next_slot: Mutex<Instant>,
    secrets: RwLock<Vec<String>>,
}

impl Client {
    pub fn new(settings: ClientSettings) -> Result<Client, reqwest::Error> {
        let loopback = ["://127.", "://localhost", "://[::1]"]
            .iter()
            .any(|p| settings.target.contains(p));
        let mut builder = reqwest::Client::builder()
            .redirect(reqwest::redirect::Policy::none())
            .timeout(settings.timeout)
            .connect_timeout(settings.timeout.min(Duration::from_secs(10)))
            .pool_max_idle_per_host(16);
        if loopback {
            builder = builder.no_proxy();
        }
        Ok(Client {
            http: builder.build()?,
            settings,
            next_slot: Mutex::new(Instant::now()),
            secrets: RwLock::default(),
        })
    }

    pub fn target(&self) -> &str {
        &self.settings.target
    }

    /// Values to mask in recorded evidence (tokens, CIs, account numbers).
    pub fn add_secret(&self, value: &str) {
        if value.len() >= 4 {
            let mut s = self.secrets.write().unwrap_or_else(|e| e.into_inner());
            if !s.iter().any(|x| x == value) {
                s.push(value.to_owned());
                // Longer first, so a token containing a shorter secret is masked whole.
                s.sort_by_key(|x| std::cmp::Reverse(x.len()));
            }
        }
    }

    /// Masks every registered secret in a text: `****` plus its last four characters.
    pub fn mask(&self, text: &str) -> String {
        if self.settings.unmask {
            return text.to_owned();
        }
        let secrets = self.secrets.read().unwrap_or_else(|e| e.into_inner());
        let mut out = text.to_owned();
        for s in secrets.iter() {
            if out.contains(s.as_str()) {
                let tail: String = s
                    .chars()
                    .rev()
                    .take(4)
                    .collect::<Vec<_>>()
                    .into_iter()
                    .rev()
                    .collect();
                out = out.replace(s.as_str(), &format!("****{tail}"));
            }
        }
        out
    }

    async fn wait_for_slot(&self) {
        let Some(rate) = self.settings.rate.filter(|r| *r > 0.0) else {
            return;
        };
        let Ok(interval) = Duration::try_from_secs_f64(1.0 / rate) else {
            return;
        };
        let wait = {
            let mut next = self.next_slot.lock().unwrap_or_else(|e| e.into_inner());
            let now = Instant::now();
            let at = (*next).max(now);
            *next = at + interval;
            at - now
        };
        if !wait.is_zero() {
            tokio::time::sleep(wait).await;
        }
    }

    /// Sends a request and records the exchange; never fails (a failure is recorded).
    pub async fn send(&self, req: &Req) -> Sent {
        self.wait_for_slot().await;
        let url = format!("{}{}", self.settings.target, req.path);
        let mut builder = self.http.request(req.method.clone(), &url);
        for (k, v) in &req.headers {
            builder = builder.header(k, v);
        }
        let body_text = match &req.body {
            Some(ReqBody::Json(v)) => {
                builder = builder
                    .header("content-type", "application/json; charset=UTF-8")
                    .body(v.to_string());
                Some(v.to_string())
            }
            Some(ReqBody::Form(pairs)) => {
                let text = form_urlencoded::Serializer::new(String::new())
                    .extend_pairs(pairs)
                    .finish();
                builder = builder
                    .header("content-type", "application/x-www-form-urlencoded")
                    .body(text.clone());
                Some(text)
            }
            Some(ReqBody::Raw { content_type, text }) => {
                builder = builder
                    .header("content-type", content_type.as_str())
                    .body(text.clone());
                Some(text.clone())
            }
            None => None,
        };
        let started = Instant::now();
        let result = self.receive(builder).await;
        let elapsed_ms = started.elapsed().as_millis() as u64;
        let request = RequestRecord {
            method: req.method.to_string(),
            url: self.mask(&url),
            headers: req
                .headers
                .iter()
                .map(|(k, v)| (k.clone(), self.mask(v)))
                .collect(),
            body: body_text.as_deref().map(|b| self.mask(b)),
        };
        let curl = self.mask(&curl_line(req, &url, body_text.as_deref()));
        match result {
            Ok((status, headers, bytes, truncated)) => {
                let text = String::from_utf8_lossy(&bytes).into_owned();
                let json = serde_json::from_str::<Value>(&text).ok();
                let response = ResponseRecord {
                    status,
                    headers: headers
                        .iter()
                        .map(|(k, v)| (k.clone(), self.mask(v)))
                        .collect(),
                    body: self.mask(&text),
                    truncated,
                };
                let exchange = Exchange {
                    request,
                    response: Some(response),
                    transport_error: None,
                    elapsed_ms,
                    curl,
                };
                Sent {
                    exchange,
                    status: Some(status),
                    headers,
                    json: if truncated { None } else { json },
                    text,
                }
            }
            Err(e) => {
                let exchange = Exchange {
                    request,
                    response: None,
                    transport_error: Some(e),
                    elapsed_ms,
                    curl,
                };
                Sent {
                    exchange,
                    status: None,
                    headers: Vec::new(),
                    json: None,
                    text: String::new(),
                }
            }
        }
    }

    async fn receive(
        &self,
        builder: reqwest::RequestBuilder,
    ) -> Result<(u16, Vec<(String, String)>, Vec<u8>, bool), String> {
        let mut res = builder.send().await.map_err(describe)?;
        let status = res.status().as_u16();
        let headers = res
            .headers()
            .iter()
            .map(|(k, v)| {
                (
                    k.as_str().to_owned(),
                    String::from_utf8_lossy(v.as_bytes()).into_owned(),
                )
            })
            .collect();
        let mut body = Vec::new();
        let mut truncated = false;
        while let Some(chunk) = res.chunk().await.map_err(describe)? {
            let room = self.settings.max_body.saturating_sub(body.len());
            if chunk.len() > room {
                body.extend_from_slice(&chunk[..room]);
                truncated = true;
                break;
            }
            body.extend_from_slice(&chunk);
        }
        Ok((status, headers, body, truncated))
    }
}

fn describe(e: reqwest::Error) -> String {
    let kind = if e.is_timeout() {
        "timed out"
    } else if e.is_connect() {
        "could not connect"
    } else if e.is_body() || e.is_decode() {
        "the body broke off"
    } else {
        "request failed"
    };
    let mut msg = format!("{kind}: {e}");
    let mut src = std::error::Error::source(&e);
    while let Some(s) = src {
        msg.push_str(&format!(": {s}"));
        src = s.source();
    }
    msg
}

/// A shell-quoted argument.
fn q(s: &str) -> String {
    format!("'{}'", s.replace('\'', r"'\''"))
}

/// The curl command that sends the same request.
fn curl_line(req: &Req, url: &str, body: Option<&str>) -> String {
    let mut parts = vec!["curl".to_owned(), "-i".to_owned()];
    if req.method != Method::GET {
        parts.push(format!("-X {}", req.method));
    }
    parts.push(q(url));
    for (k, v) in &req.headers {
        parts.push(format!("-H {}", q(&format!("{k}: {v}"))));
    }
    match &req.body {
        Some(ReqBody::Json(_)) => parts.push(format!(
            "-H {}",
            q("content-type: application/json; charset=UTF-8")
        )),
        Some(ReqBody::Form(_)) => parts.push(format!(
            "-H {}",
            q("content-type: application/x-www-form-urlencoded")
        )),
        Some(ReqBody::Raw { content_type, .. }) => parts.push(format!(
            "-H {}",
            q(&format!("content-type: {content_type}"))
        )),
        None => {}
    }
    if let Some(b) = body {
        parts.push(format!("--data-raw {}", q(b)));
    }
    parts.join(" ")
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn curl_lines_quote_and_masking_keeps_the_tail() {
        let req = Req {
            method: Method::POST,
            path: "/v1/x".into(),
            headers: vec![("authorization".into(), "Bearer abc'def".into())],
            body: Some(ReqBody::Json(serde_json::json!({"a": "b"}))),
        };
        let line = curl_line(&req, "http://h/v1/x", Some("{\"a\":\"b\"}"));
        assert!(
            line.starts_with("curl -i -X POST 'http://h/v1/x'"),
            "{line}"
        );
        assert!(
            line.contains(r"'authorization: Bearer abc'\''def'"),
            "{line}"
        );
        let client = Client::new(ClientSettings {
            target: "http://127.0.0.1:1".into(),
            timeout: Duration::from_secs(1),
            max_body: 10,
            rate: None,
            unmask: false,
        })
        .expect("client");
        client.add_secret("SECRETTOKEN1234");
        assert_eq!(
            client.mask("Bearer SECRETTOKEN1234 ok"),
            "Bearer ****1234 ok"
        );
    }
}
