//! Synthetic customers: the generator is deterministic and its output passes the fixture
//! validator; `serve --synthetic` serves a million customers built on demand.

use std::path::Path;
use std::process::Command;

use mydata_testbed::clock::Clock;
use mydata_testbed::config::ServerConfig;
use mydata_testbed::fixtures::synth;
use serde_json::json;

use crate::helpers::*;

fn generate(dir: &Path, seed: u64) {
    let out = Command::new(env!("CARGO_BIN_EXE_mydata-testbed"))
        .args([
            "fixtures",
            "generate",
            "--customers",
            "25",
            "--seed",
            &seed.to_string(),
            "--out",
        ])
        .arg(dir)
        .output()
        .expect("the binary runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
}

fn files(dir: &Path) -> Vec<(String, Vec<u8>)> {
    let mut out = Vec::new();
    let mut stack = vec![dir.to_path_buf()];
    while let Some(d) = stack.pop() {
        for entry in std::fs::read_dir(&d).expect("read_dir") {
            let path = entry.expect("entry").path();
            if path.is_dir() {
                stack.push(path);
            } else {
                let rel = path
                    .strip_prefix(dir)
                    .expect("inside")
                    .display()
                    .to_string();
                out.push((rel, std::fs::read(&path).expect("read")));
            }
        }
    }
    out.sort();
    out
}

#[test]
fn the_generator_is_deterministic_and_its_output_passes_the_validator() {
    let scratch = tempfile::tempdir().expect("tempdir");
    let (a, b, c) = (
        scratch.path().join("a"),
        scratch.path().join("b"),
        scratch.path().join("c"),
    );
    generate(&a, 42);
    generate(&b, 42);
    generate(&c, 43);
    let (fa, fb) = (files(&a), files(&b));
    assert!(
        fa.len() > 25 * 5,
        "files for several industries: {}",
        fa.len()
    );
    assert_eq!(fa, fb, "the same seed writes the same bytes");
    assert_ne!(fa, files(&c), "another seed writes other data");
    let config = ServerConfig {
        fixtures_dir: Some(a),
        ..Default::default()
    };
    let state = config
        .build_state(Clock::system())
        .expect("generated fixtures load and validate");
    assert_eq!(state.fixtures.customers.len(), 25);
}

#[tokio::test]
async fn a_million_synthetic_customers_are_served_on_demand() {
    let app = spawn_app_with(ServerConfig {
        synthetic: 1_000_000,
        seed: 3,
        ..Default::default()
    })
    .await;
    let last = synth::customer_id(1_000_000);
    assert_eq!(ci_of(&app, &last), synth::ci(3, 1_000_000));
    let page = app.authorize(&synth::ci(3, 1_000_000), &[]).await;
    let html = app
        .client
        .get(page.location())
        .send()
        .await
        .expect("login page")
        .text()
        .await
        .expect("html");
    assert!(
        html.contains(&last),
        "the login page offers the synthetic customer its CI names"
    );
    let mut accounts = 0;
    for customer in [
        synth::customer_id(1),
        synth::customer_id(777_777),
        synth::customer_id(31_337),
        last,
    ] {
        let tokens = app.login(&customer, None, false).await;
        let list = app
            .call(
                "은행-001",
                &tokens.access,
                "user-consent",
                json!({"limit": "50"}),
            )
            .await;
        assert_eq!(list.rsp_code(), "00000", "{customer}: {}", list.body);
        let holding = app
            .state
            .fixtures
            .holding(BANK, &customer)
            .expect("built on demand");
        for item in list.body["account_list"].as_array().expect("list") {
            let num = item["account_num"].as_str().expect("account_num");
            assert!(
                holding.find("account_num", num).next().is_some(),
                "{customer} lists its own {num}"
            );
            accounts += 1;
        }
    }
    assert!(accounts > 0, "synthetic customers have accounts");
    let beyond = synth::customer_id(1_000_001);
    assert!(
        app.state.fixtures.customer(&beyond).is_none(),
        "only N synthetic customers exist"
    );
}
