//! `mydata-testbed check`: a conformance client that replays the standard against an information
//! provider and reports every deviation with evidence.
//!
//! - [`model`]: results as data (cases, deviations, evidence); renderers in [`report`] only read it.
//! - [`plan`]: the cases, derived from `specs/` (no case list is written by hand).
//! - [`client`]: sends a case's requests with timeouts, size bounds and a rate cap, and records
//!   each exchange (masked) with a curl line to reproduce it.
//! - [`checks`]: the registry of checks (stable id, severity, clause) and their rules.
//! - [`run`]: credentials, discovery of real asset ids, running the plan, baselines.

pub mod checks;
pub mod cli;
pub mod client;
pub mod model;
pub mod plan;
pub mod report;
pub mod run;
