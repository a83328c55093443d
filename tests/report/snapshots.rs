//! Golden files of every renderer over the sample report (hurl's `tests_failed/*.err` idea):
//! a change to any report format shows up in review as a diff.

use mydata_testbed::conformance::report;

use crate::helpers::sample_report;

#[test]
fn text_report_matches_its_golden_file() {
    assert_report_snapshot!("text", report::text(&sample_report(), false));
}

#[test]
fn json_report_matches_its_golden_file() {
    assert_report_snapshot!("json", report::json(&sample_report()));
}

#[test]
fn junit_report_matches_its_golden_file() {
    assert_report_snapshot!("junit", report::junit(&sample_report()));
}

#[test]
fn html_report_matches_its_golden_file() {
    assert_report_snapshot!("html", report::html(&sample_report()));
}

#[test]
fn json_report_reads_back_as_the_same_report() {
    let sample = sample_report();
    let back: mydata_testbed::conformance::model::Report =
        serde_json::from_str(&report::json(&sample)).expect("the JSON report parses back");
    assert_eq!(back, sample);
}

#[test]
fn html_report_escapes_evidence_and_loads_nothing_external() {
    let html = report::html(&sample_report());
    // The sample's response body names a product `<자유> 입출금 & 저축`.
    assert!(
        html.contains("&#60;자유&#62; 입출금 &#38; 저축"),
        "evidence is escaped"
    );
    assert!(!html.contains("<자유>"), "no raw markup from evidence");
    for external in ["<link", "src=\"http", "href=\"http", "@import"] {
        assert!(
            !html.contains(external),
            "self-contained page, found {external}"
        );
    }
}

/// Writes the sample's HTML page for eyeballing in a browser:
/// `REPORT_HTML=/tmp/report.html cargo test --test report -- --ignored writes_sample_html`.
#[test]
#[ignore = "writes a file for manual inspection"]
fn writes_sample_html() {
    let path = std::env::var("REPORT_HTML").unwrap_or_else(|_| "/tmp/report.html".to_owned());
    std::fs::write(&path, report::html(&sample_report())).expect("the sample page is written");
}
