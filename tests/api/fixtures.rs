//! Fixtures are validated at start-up: a broken fixture stops the server with the file, the JSON
//! pointer and the rule (checked through the library and through the real binary).

use std::path::{Path, PathBuf};
use std::process::Command;

use mydata_testbed::clock::Clock;
use mydata_testbed::config::{ConfigError, ServerConfig};
use serde_json::{Value, json};

use crate::helpers::copy_dir;

/// A copy of the default fixtures with one edit applied to one file.
fn broken_fixtures(file: &str, edit: impl FnOnce(&mut Value)) -> (tempfile::TempDir, PathBuf) {
    let dir = tempfile::tempdir().expect("tempdir");
    let root = dir.path().join("fixtures");
    copy_dir(
        &Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures"),
        &root,
    );
    let path = root.join(file);
    let mut value: Value =
        serde_json::from_str(&std::fs::read_to_string(&path).expect("read")).expect("json");
    edit(&mut value);
    std::fs::write(&path, serde_json::to_string_pretty(&value).expect("json")).expect("write");
    (dir, root)
}

fn load_error(root: PathBuf) -> String {
    let config = ServerConfig {
        fixtures_dir: Some(root),
        ..Default::default()
    };
    match config.build_state(Clock::system()) {
        Ok(_) => panic!("a broken fixture must stop start-up"),
        Err(ConfigError::Fixtures(e)) => e.to_string(),
        Err(other) => panic!("expected a fixture error, got {other}"),
    }
}

#[test]
fn the_default_fixtures_pass_the_spec_validator() {
    let config = ServerConfig {
        fixtures_dir: Some(Path::new(env!("CARGO_MANIFEST_DIR")).join("fixtures")),
        ..Default::default()
    };
    let state = config
        .build_state(Clock::system())
        .expect("the default fixtures load");
    assert!(
        state.fixtures.customers.len() >= 8,
        "at least 8 test customers"
    );
}

#[test]
fn a_value_that_breaks_its_type_is_reported_with_file_pointer_and_rule() {
    let (_dir, root) = broken_fixtures("bank/C001.json", |v| {
        v["assets"][0]["apis"]["은행-003"]["detail_list"][0]["balance_amt"] = json!("12,000");
    });
    let message = load_error(root);
    assert!(message.contains("bank/C001.json"), "{message}");
    assert!(
        message.contains("/assets/0/apis/은행-003/detail_list/0/balance_amt"),
        "{message}"
    );
    assert!(
        message.contains("value breaks its type") && message.contains("F(18,3)"),
        "{message}"
    );
}

#[test]
fn other_kinds_of_breakage_are_each_reported() {
    type Edit = Box<dyn FnOnce(&mut Value)>;
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "bank/C001.json",
            Box::new(|v| v["assets"][0]["apis"]["은행-001"]["account_type"] = json!(1001)),
            "value must be a JSON string",
        ),
        (
            "bank/C001.json",
            Box::new(|v| {
                v["assets"][0]["apis"]["은행-001"]
                    .as_object_mut()
                    .expect("obj")
                    .remove("prod_name");
            }),
            "/assets/0/apis/은행-001/prod_name: required field missing",
        ),
        (
            "bank/C001.json",
            Box::new(|v| v["assets"][0]["apis"]["은행-001"]["is_consent"] = json!("true")),
            "the server fills it in",
        ),
        (
            "bank/C001.json",
            Box::new(|v| v["assets"][0]["apis"]["은행-001"]["nickname"] = json!("x")),
            "field not allowed here",
        ),
        (
            "bank/C001.json",
            Box::new(|v| v["assets"][0]["apis"]["은행-099"] = json!({})),
            "`은행-099` is not an API of industry `bank`",
        ),
        (
            "bank/C001.json",
            Box::new(|v| {
                v["assets"][1]["key"]["account_num"] = v["assets"][0]["key"]["account_num"].clone()
            }),
            "appears twice",
        ),
        (
            "bank/C001.json",
            Box::new(|v| {
                v["assets"][0]["apis"]["은행-002"]["basic_list"][0]["issue_date"] =
                    json!("@today-3q")
            }),
            "bad relative date",
        ),
        (
            "clients.json",
            Box::new(|v| v[0]["client_secret"] = json!("has-hyphens")),
            "/0/client_secret",
        ),
        (
            "customers.json",
            Box::new(|v| v[1]["ci"] = v[0]["ci"].clone()),
            "ci must each be unique",
        ),
    ];
    for (file, edit, expected) in cases {
        let (_dir, root) = broken_fixtures(file, edit);
        let message = load_error(root);
        assert!(
            message.contains(expected),
            "expected `{expected}` in:\n{message}"
        );
        assert!(message.contains(file), "the file is named: {message}");
    }
}

#[test]
fn the_binary_refuses_to_start_on_a_broken_fixture_and_says_why() {
    let (_dir, root) = broken_fixtures("bank/C002.json", |v| {
        v["assets"][0]["apis"]["은행-004"]["trans_list"][3]["trans_dtime"] =
            json!("20241301000000");
    });
    let out = Command::new(env!("CARGO_BIN_EXE_mydata-testbed"))
        .args(["serve", "--bind", "127.0.0.1:0", "--fixtures"])
        .arg(&root)
        .env("MYDATA_LOG", "error")
        .output()
        .expect("the binary runs");
    assert_eq!(out.status.code(), Some(2), "tool errors exit 2");
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("cannot load the fixtures"), "{stderr}");
    assert!(
        stderr.contains("bank/C002.json")
            && stderr.contains("/assets/0/apis/은행-004/trans_list/3/trans_dtime"),
        "{stderr}"
    );
    assert!(stderr.contains("DTIME"), "{stderr}");
}

#[test]
fn the_fixtures_check_command_validates_without_serving() {
    let out = Command::new(env!("CARGO_BIN_EXE_mydata-testbed"))
        .args(["fixtures", "check"])
        .output()
        .expect("runs");
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(String::from_utf8_lossy(&out.stdout).contains("fixtures ok"));
}

#[test]
fn each_domain_invariant_is_checked_at_load() {
    type Edit = Box<dyn FnOnce(&mut Value)>;
    let cases: Vec<(&str, Edit, &str)> = vec![
        (
            "bank/C002.json",
            Box::new(|v| {
                v["assets"][0]["apis"]["은행-004"]["trans_list"][5]["balance_amt"] = json!("1")
            }),
            "/assets/0/apis/은행-004/trans_list/4/balance_amt: running balance broken",
        ),
        (
            "bank/C001.json",
            Box::new(|v| {
                v["assets"][0]["apis"]["은행-003"]["detail_list"][0]["balance_amt"] = json!("123")
            }),
            "/assets/0/apis/은행-003/detail_list/0/balance_amt: must equal 은행-004/trans_list/0/balance_amt",
        ),
        (
            "bank/C001.json",
            Box::new(|v| v["assets"][0]["apis"]["은행-001"]["account_status"] = json!("07")),
            "/assets/0/apis/은행-001/account_status: code not in the standard's code table",
        ),
        (
            "card/C001.json",
            Box::new(|v| {
                v["apis"]["카드-005"]["bill_detail_list"][0]["card_id"] = json!("TCC9999999999999")
            }),
            "/apis/카드-005/bill_detail_list/0/card_id: names card_id TCC9999999999999, which is not an asset of this customer",
        ),
        (
            "bond/C005.json",
            Box::new(|v| {
                let assets = v["assets"].as_array_mut().expect("assets");
                let long = assets
                    .iter_mut()
                    .max_by_key(|a| {
                        a["apis"]["채권-003"]["trans_list"]
                            .as_array()
                            .map_or(0, Vec::len)
                    })
                    .expect("an asset");
                long["apis"]["채권-003"]["trans_list"][3]["balance_amt"] = json!("1");
            }),
            "running balance broken: balance_amt should be",
        ),
        (
            "bank/C001.json",
            Box::new(|v| {
                let list = v["assets"][0]["apis"]["은행-004"]["trans_list"]
                    .as_array_mut()
                    .expect("list");
                list.swap(0, 1);
            }),
            "history lists are written newest first",
        ),
    ];
    for (file, edit, expected) in cases {
        let (_dir, root) = broken_fixtures(file, edit);
        let message = load_error(root);
        assert!(
            message.contains(expected),
            "expected `{expected}` in:\n{message}"
        );
        assert!(message.contains(file), "the file is named: {message}");
    }
}
