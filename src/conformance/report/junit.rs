//! The CI report: JUnit XML through `quick-junit`, so CI systems show conformance like tests.
//!
//! One `<testsuite>` per industry and one `<testcase>` per case (`classname` is
//! `<industry>.<api_id>`). FAIL becomes `<failure>` (message: the first deviation's title; text:
//! every deviation with expected/actual and its curl line). WARN stays a passing testcase whose
//! `<system-out>` tells the warnings, since CI should not go red on what the standard leaves room
//! for. SKIP becomes `<skipped>` with its reason.

use std::time::Duration;

use quick_junit::{NonSuccessKind, Property, TestCase, TestCaseStatus, TestSuite};

use super::industries;
use super::text::{Palette, deviation_block};
use crate::conformance::model::{CaseResult, Outcome, Report};

/// Renders the report as JUnit XML, ending in a newline.
pub fn junit(report: &Report) -> String {
    let mut junit = quick_junit::Report::new(report.tool.as_str());
    if let Ok(started) = chrono::DateTime::parse_from_rfc3339(&report.started) {
        junit.set_timestamp(started);
    }
    junit.set_time(Duration::from_millis(report.elapsed_ms));
    for industry in industries(report) {
        let mut suite = TestSuite::new(industry);
        suite.add_property(Property::new("target", report.target.as_str()));
        suite.add_property(Property::new("spec_version", report.spec_version.as_str()));
        let cases = report.cases.iter().filter(|c| c.industry == industry);
        let mut elapsed = 0;
        for case in cases {
            elapsed += case.elapsed_ms;
            suite.add_test_case(test_case(case));
        }
        suite.set_time(Duration::from_millis(elapsed));
        junit.add_test_suite(suite);
    }
    let mut out = junit
        .to_string()
        .expect("JUnit XML serializes into a String");
    if !out.ends_with('\n') {
        out.push('\n');
    }
    out
}

fn test_case(case: &CaseResult) -> TestCase {
    let status = match &case.outcome {
        Outcome::Pass | Outcome::Warn => TestCaseStatus::success(),
        Outcome::Fail => {
            let mut s = TestCaseStatus::non_success(NonSuccessKind::Failure);
            if let Some(first) = case.deviations.first() {
                s.set_message(first.title.as_str());
                s.set_type(first.check_id.as_str());
            }
            s.set_description(deviations_text(case));
            s
        }
        Outcome::Skip { reason } => {
            let mut s = TestCaseStatus::skipped();
            s.set_message(reason.as_str());
            s
        }
    };
    let mut tc = TestCase::new(case.case_id.as_str(), status);
    tc.set_classname(format!("{}.{}", case.industry, case.api_id));
    tc.set_time(Duration::from_millis(case.elapsed_ms));
    // A passing case that still deviated (WARN) says so where CI shows test output.
    if !matches!(case.outcome, Outcome::Fail) && !case.deviations.is_empty() {
        tc.set_system_out(format!(
            "{} warning(s):\n{}",
            case.deviations.len(),
            deviations_text(case)
        ));
    }
    tc
}

/// Every deviation of a case, as the text report tells them (no colour).
fn deviations_text(case: &CaseResult) -> String {
    let mut out = String::new();
    for (i, d) in case.deviations.iter().enumerate() {
        if i > 0 {
            out.push('\n');
        }
        deviation_block(&mut out, d, 0, Palette::plain());
    }
    out
}
