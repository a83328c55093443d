//! mydata-testbed: a virtual information provider for the Korean financial MyData standard API,
//! driven by the standard as data.
//!
//! # Layout
//!
//! - [`spec`]: the standard as data (`specs/`), its type rules, the validator shared by server,
//!   tests and the conformance client, and the OpenAPI generator.
//! - [`fixtures`]: the provider's customers, assets and registered clients, validated at load.
//! - [`server`]: the axum server: routes built from the spec, the protocol middleware and
//!   extractors, 개별인증 (OAuth) and the generic fixture-backed handler.
//! - [`config`] and [`cli`]: settings and the command line; [`clock`]: injected time;
//!   [`source`]: embedded or on-disk files.

pub mod cli;
pub mod clock;
pub mod config;
pub mod conformance;
pub mod fixtures;
pub mod server;
pub mod source;
pub mod spec;
pub mod testbed;
