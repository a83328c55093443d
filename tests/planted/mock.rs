//! A small information provider of the bank industry that answers exactly as the standard says
//! (은행-001 and 은행-004 only), computed from each request by one [`wiremock::Respond`], and
//! that can break exactly one rule of the standard ([`Plant`]).
//!
//! Customers and tokens:
//! - `TOKEN-A`: customer A, every scope; accounts `1000000000001`..`1000000000003`.
//! - `TOKEN-B`: customer B, every scope; accounts `2000000000001`, `2000000000002`.
//! - `TOKEN-LIST`: customer A with `bank.list` only.
//! - `TOKEN-EXPIRED` and anything else: 40101.

use std::time::Duration;

use chrono::{Days, Months, NaiveDate};
use mydata_testbed::clock::Clock;
use serde_json::{Map, Value, json};
use wiremock::{Request, Respond, ResponseTemplate};

pub const ORG_CODE: &str = "TBBANK0001";
/// When customer data last changed: any search_timestamp at or after it is up to date.
const DATA_CHANGED: &str = "20240101000000";
const JSON: &str = "application/json; charset=UTF-8";

/// The one rule a provider breaks (`Correct` breaks none).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Plant {
    Correct,
    // tran_id_echo
    EchoMissingOnErrors,
    EchoMissingOnSuccess,
    EchoAnotherId,
    // positive_success
    RefuseSmallLimit,
    // response_schema_conformance
    MissingRegDate,
    MissingCount,
    DateWithDashes,
    ProdNameTooLong,
    // values_are_strings
    AmountAsNumber,
    CountAsNumber,
    // count_matches_list
    CountIsTotal,
    // code_values
    AccountStatus07,
    // pagination_chain
    DuplicateAcrossPages,
    NextPageLoops,
    CursorNotUrlSafe,
    // pagination_limit_respected
    PageOverLimit,
    // search_timestamp_semantics
    TimestampOnLaterPages,
    NoSearchTimestamp,
    UpToDateWithData,
    // tran_id_required
    MissingTranIdServed,
    MalformedTranIdServed,
    // api_type_required
    MissingApiTypeServed,
    UnknownApiTypeServed,
    // token_required
    NoTokenServed,
    // token_tampered_rejected
    TamperedTokenServed,
    // token_expired_rejected
    ExpiredTokenServed,
    // scope_enforced
    ScopeIgnored,
    // cross_customer_asset_rejected
    CrossCustomerLeak,
    // unknown_asset_rejected
    UnknownAsset40403,
    // limit_over_max_rejected
    LimitOverMaxClamped,
    // period_from_after_to_rejected
    FromAfterToServed,
    // period_too_old_rejected
    TooOldAs40001,
    // period_scheduled_window_rejected
    ScheduledWindowIgnored,
    // org_code_checked
    OrgCodeAs40001,
    OrgCodeAs40301,
    // method_not_allowed
    WrongMethodAs404,
    // unknown_path
    UnknownPathAs403,
    // version_checked
    VersionIgnored,
    // json_body
    HtmlErrorPage,
    // transport
    SlowUnknownPath,
    // content_type_json
    TextPlain,
}

/// The mock provider.
pub struct Provider {
    pub plant: Plant,
    /// How long [`Plant::SlowUnknownPath`] waits.
    pub slow: Duration,
    clock: Clock,
    /// The day the transactions are dated from (fixed, so a run across midnight sees the same
    /// list on every page).
    data_day: NaiveDate,
}

impl Provider {
    pub fn new(plant: Plant, slow: Duration) -> Self {
        let clock = Clock::system();
        Provider {
            plant,
            slow,
            data_day: clock.today(),
            clock,
        }
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Api {
    /// 은행-001 GET /bank/accounts
    Accounts,
    /// 은행-004 POST /bank/accounts/deposit/transactions
    Transactions,
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum Customer {
    A,
    B,
}

struct Token {
    customer: Customer,
    deposit_scope: bool,
}

/// An answer before it becomes a response.
struct Answer {
    status: u16,
    body: Value,
    /// An error (anything but 00000/00001).
    error: bool,
}

fn refuse(status: u16, code: &str, msg: &str) -> Answer {
    Answer {
        status,
        body: json!({ "rsp_code": code, "rsp_msg": msg }),
        error: true,
    }
}

fn ok(body: Map<String, Value>) -> Answer {
    let mut out = Map::new();
    out.insert("rsp_code".into(), json!("00000"));
    out.insert("rsp_msg".into(), json!("성공"));
    out.extend(body);
    Answer {
        status: 200,
        body: Value::Object(out),
        error: false,
    }
}

/// 25 characters of upper-case letters and digits, the 11th one of the issuer letters (§1.4.1).
fn valid_tran_id(t: &str) -> bool {
    t.len() == 25
        && t.bytes()
            .all(|b| b.is_ascii_uppercase() || b.is_ascii_digit())
        && matches!(t.as_bytes()[10], b'M' | b'S' | b'R' | b'C' | b'P' | b'A')
}

fn accounts(c: Customer) -> Vec<Value> {
    let rows: &[(&str, &str)] = match c {
        Customer::A => &[
            ("1000000000001", "자유입출금통장"),
            ("1000000000002", "급여통장"),
            ("1000000000003", "정기예금"),
        ],
        Customer::B => &[
            ("2000000000001", "자유입출금통장"),
            ("2000000000002", "적금"),
        ],
    };
    rows.iter()
        .map(|(num, name)| {
            json!({
                "account_num": num,
                "is_consent": "true",
                "seqno": "1",
                "is_foreign_deposit": "false",
                "prod_name": name,
                "is_minus": "false",
                "account_type": "1001",
                "account_status": "01",
            })
        })
        .collect()
}

fn owner(account: &str) -> Option<Customer> {
    [Customer::A, Customer::B].into_iter().find(|c| {
        accounts(*c)
            .iter()
            .any(|a| a["account_num"].as_str() == Some(account))
    })
}

/// Seven transactions of an account, oldest first, every 20 days back from today, with a
/// running balance.
fn transactions(account: &str, today: NaiveDate) -> Vec<Value> {
    let mut balance: i64 = 1_000_000;
    (0..7u64)
        .rev()
        .map(|k| {
            let day = today - Days::new(k * 20);
            let credit = k % 2 == 0;
            let amount: i64 = 10_000 * (k as i64 + 1);
            balance += if credit { amount } else { -amount };
            json!({
                "trans_dtime": format!("{}093000", day.format("%Y%m%d")),
                "trans_no": format!("T{account}{k}"),
                "trans_type": if credit { "01" } else { "02" },
                "trans_class": if credit { "입금" } else { "출금" },
                "currency_code": "KRW",
                "trans_amt": amount.to_string(),
                "balance_amt": balance.to_string(),
                "trans_memo": "테스트",
            })
        })
        .collect()
}

fn date(v: Option<&str>) -> Option<NaiveDate> {
    let v = v?;
    if v.len() != 8 {
        return None;
    }
    NaiveDate::parse_from_str(v, "%Y%m%d").ok()
}

impl Provider {
    fn cursor(&self, offset: usize) -> String {
        if self.plant == Plant::CursorNotUrlSafe {
            format!("p+{offset}/")
        } else {
            format!("p{offset}")
        }
    }

    fn handle(&self, req: &Request) -> Answer {
        use Plant::*;
        let plant = self.plant;
        let header = |name: &str| req.headers.get(name).and_then(|v| v.to_str().ok());
        let path = req.url.path();
        let (version, rest) = path
            .trim_start_matches('/')
            .split_once('/')
            .unwrap_or(("", ""));
        let api = match rest {
            "bank/accounts" => Api::Accounts,
            "bank/accounts/deposit/transactions" => Api::Transactions,
            _ if plant == UnknownPathAs403 && rest == "bank/no-such-api" => {
                return refuse(403, "40301", "올바르지 않은 API 호출");
            }
            _ => return refuse(404, "40401", "존재하지 않는 API"),
        };
        if version != "v1" && plant != VersionIgnored {
            return refuse(400, "40003", "허용되지 않는 API 버전");
        }
        let method = if api == Api::Accounts { "GET" } else { "POST" };
        if req.method.as_str() != method {
            return if plant == WrongMethodAs404 {
                refuse(404, "40401", "존재하지 않는 API")
            } else {
                refuse(405, "40501", "허용되지 않는 HTTP 메소드")
            };
        }
        let bad_header = || refuse(400, "40002", "헤더값 미존재 또는 잘못된 헤더값");
        match header("x-api-tran-id") {
            None if plant == MissingTranIdServed => {}
            Some(_) if plant == MalformedTranIdServed => {}
            Some(t) if valid_tran_id(t) => {}
            _ => return bad_header(),
        }
        let api_type = match header("x-api-type") {
            Some(t @ ("scheduled" | "user-consent" | "user-refresh" | "user-search")) => t,
            None if plant == MissingApiTypeServed => "user-search",
            Some(_) if plant == UnknownApiTypeServed => "user-search",
            _ => return bad_header(),
        };
        let token = match header("authorization").and_then(|a| a.strip_prefix("Bearer ")) {
            None if plant == NoTokenServed => "TOKEN-A",
            None => return bad_header(),
            Some(t) => t,
        };
        let token = match token {
            "TOKEN-A" => Token {
                customer: Customer::A,
                deposit_scope: true,
            },
            "TOKEN-B" => Token {
                customer: Customer::B,
                deposit_scope: true,
            },
            "TOKEN-LIST" => Token {
                customer: Customer::A,
                deposit_scope: plant == ScopeIgnored,
            },
            "TOKEN-EXPIRED" if plant == ExpiredTokenServed => Token {
                customer: Customer::A,
                deposit_scope: true,
            },
            "TOKEN-EXPIRED" => return refuse(401, "40101", "유효하지 않은 접근토큰"),
            _ if plant == TamperedTokenServed => Token {
                customer: Customer::A,
                deposit_scope: true,
            },
            _ => return refuse(401, "40101", "유효하지 않은 접근토큰"),
        };
        if api == Api::Transactions && !token.deposit_scope {
            return refuse(401, "40104", "해당 API에 대한 권한 없음");
        }
        let bad_param = || refuse(400, "40001", "요청 파라미터 오류");
        let params: Map<String, Value> = if api == Api::Accounts {
            req.url
                .query_pairs()
                .map(|(k, v)| (k.into_owned(), Value::String(v.into_owned())))
                .collect()
        } else {
            match serde_json::from_slice(&req.body) {
                Ok(Value::Object(o)) => o,
                _ => return bad_param(),
            }
        };
        let param = |name: &str| params.get(name).and_then(Value::as_str);
        if param("org_code") != Some(ORG_CODE) {
            return match plant {
                OrgCodeAs40001 => bad_param(),
                OrgCodeAs40301 => refuse(403, "40301", "올바르지 않은 API 호출"),
                _ => refuse(403, "40303", "기관코드 확인 불가"),
            };
        }
        let Some(mut limit) = param("limit").and_then(|l| l.parse::<usize>().ok()) else {
            return bad_param();
        };
        if limit > 500 && plant == LimitOverMaxClamped {
            limit = 500;
        }
        if !(1..=500).contains(&limit) {
            return bad_param();
        }
        if plant == RefuseSmallLimit && limit < 3 {
            return bad_param();
        }
        let offset = match param("next_page") {
            None => 0,
            Some(c) => {
                let digits: String = c.chars().filter(char::is_ascii_digit).collect();
                let Ok(n) = digits.parse::<usize>() else {
                    return bad_param();
                };
                n
            }
        };
        let first_page = param("next_page").is_none();
        let today = self.clock.today();
        let (items, head) = match api {
            Api::Accounts => {
                let mut head = Map::new();
                if let Some(st) = param("search_timestamp") {
                    if st.len() != 14 && st != "0" || !st.bytes().all(|b| b.is_ascii_digit()) {
                        return bad_param();
                    }
                    if st.len() == 14 && st >= DATA_CHANGED && first_page {
                        let mut a = ok(Map::new());
                        a.body["rsp_code"] = json!("00001");
                        a.body["rsp_msg"] = json!("변경된 정보 없음");
                        if plant == UpToDateWithData {
                            let mut full = self.accounts_body(token.customer, 0, 500, true);
                            full.body["rsp_code"] = json!("00001");
                            return full;
                        }
                        return a;
                    }
                }
                if (first_page || plant == TimestampOnLaterPages) && plant != NoSearchTimestamp {
                    head.insert("search_timestamp".into(), json!(self.clock.dtime()));
                }
                let reg_date = if plant == DateWithDashes {
                    "2021-01-13"
                } else {
                    "20210113"
                };
                if plant != MissingRegDate {
                    head.insert("reg_date".into(), json!(reg_date));
                }
                (accounts(token.customer), head)
            }
            Api::Transactions => {
                let account = param("account_num").unwrap_or_default();
                match owner(account) {
                    Some(c) if c == token.customer || plant == CrossCustomerLeak => {}
                    None if plant == UnknownAsset40403 => {
                        return refuse(404, "40403", "존재하지 않는 정보주체");
                    }
                    _ => return refuse(404, "40402", "유효하지 않은 자산"),
                }
                let (Some(from), Some(to)) = (date(param("from_date")), date(param("to_date")))
                else {
                    return bad_param();
                };
                if from > to && plant != FromAfterToServed {
                    return bad_param();
                }
                if from < today - Months::new(60) {
                    match plant {
                        TooOldAs40001 => return bad_param(),
                        _ => return refuse(403, "40304", "5년 이전 정보 요청"),
                    }
                }
                if api_type == "scheduled"
                    && (to - from).num_days() >= 31
                    && plant != ScheduledWindowIgnored
                {
                    return refuse(400, "40004", "조회 기간이 전송 기준을 초과");
                }
                let items: Vec<Value> = transactions(account, self.data_day)
                    .into_iter()
                    .filter(|t| {
                        let d = date(t["trans_dtime"].as_str().map(|s| &s[..8]));
                        d.is_some_and(|d| from <= d && d <= to)
                    })
                    .collect();
                (items, Map::new())
            }
        };
        self.page(api, items, head, offset, limit)
    }

    fn accounts_body(&self, c: Customer, offset: usize, limit: usize, first: bool) -> Answer {
        let mut head = Map::new();
        if first {
            head.insert("search_timestamp".into(), json!(self.clock.dtime()));
        }
        head.insert("reg_date".into(), json!("20210113"));
        self.page(Api::Accounts, accounts(c), head, offset, limit)
    }

    /// One page of a list, with its count and cursor.
    fn page(
        &self,
        api: Api,
        mut items: Vec<Value>,
        head: Map<String, Value>,
        offset: usize,
        limit: usize,
    ) -> Answer {
        use Plant::*;
        let plant = self.plant;
        let total = items.len();
        if offset > total {
            return refuse(400, "40001", "요청 파라미터 오류");
        }
        let size = if plant == PageOverLimit && limit < total {
            limit + 1
        } else {
            limit
        };
        // DuplicateAcrossPages: a later page starts one item early (the cursor still advances).
        let start = if plant == DuplicateAcrossPages && offset > 0 {
            offset - 1
        } else {
            offset
        };
        let end = (start + size).min(total);
        let next = offset + size;
        let mut page: Vec<Value> = items.drain(start..end).collect();
        let (count_name, list_name) = match api {
            Api::Accounts => ("account_cnt", "account_list"),
            Api::Transactions => ("trans_cnt", "trans_list"),
        };
        for item in &mut page {
            match plant {
                AccountStatus07 if api == Api::Accounts => item["account_status"] = json!("07"),
                ProdNameTooLong if api == Api::Accounts => {
                    item["prod_name"] = json!("통장".repeat(60));
                }
                AmountAsNumber if api == Api::Transactions => {
                    let n: i64 = item["trans_amt"]
                        .as_str()
                        .and_then(|s| s.parse().ok())
                        .unwrap_or(0);
                    item["trans_amt"] = json!(n);
                }
                _ => {}
            }
        }
        let mut body = head;
        if next < total {
            body.insert("next_page".into(), json!(self.cursor(next)));
        } else if plant == NextPageLoops {
            body.insert("next_page".into(), json!(self.cursor(0)));
        }
        let count = if plant == CountIsTotal {
            total
        } else {
            page.len()
        };
        let count = if plant == CountAsNumber && api == Api::Accounts {
            json!(count)
        } else {
            json!(count.to_string())
        };
        if plant != MissingCount || api != Api::Accounts {
            body.insert(count_name.into(), count);
        }
        body.insert(list_name.into(), Value::Array(page));
        ok(body)
    }
}

impl Respond for Provider {
    fn respond(&self, req: &Request) -> ResponseTemplate {
        use Plant::*;
        let plant = self.plant;
        let answer = self.handle(req);
        let sent = req
            .headers
            .get("x-api-tran-id")
            .and_then(|v| v.to_str().ok());
        let echo = match plant {
            EchoMissingOnErrors if answer.error => None,
            EchoMissingOnSuccess if !answer.error => None,
            EchoAnotherId => sent.map(|_| "TBBANK0001S00000000000009".to_owned()),
            _ => sent.map(str::to_owned),
        };
        let unknown_path = req.url.path().ends_with("/no-such-api");
        let mut t = ResponseTemplate::new(answer.status);
        if let Some(e) = echo {
            t = t.insert_header("x-api-tran-id", e.as_str());
        }
        if plant == HtmlErrorPage && unknown_path {
            let html = "<html><head><title>404 Not Found</title></head><body><h1>Not Found</h1></body></html>";
            return t.set_body_raw(html, "text/html");
        }
        if plant == SlowUnknownPath && unknown_path {
            t = t.set_delay(self.slow);
        }
        let mime = if plant == TextPlain {
            "text/plain"
        } else {
            JSON
        };
        t.set_body_raw(answer.body.to_string(), mime)
    }
}
