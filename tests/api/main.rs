//! All integration tests in one binary: each module spawns the real server on 127.0.0.1:0.

mod admin_contract;
mod auth;
mod bank;
mod browser;
mod conformance;
mod contract;
mod fixtures;
mod helpers;
mod industries;
mod journal;
mod namespaces;
mod paging;
mod rsp_codes;
mod scenarios;
mod synthetic;
mod virtual_clock;
