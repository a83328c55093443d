//! The JUnit report is well-formed XML with the structure CI systems read, checked with a real
//! XML parser (quick-xml) rather than by string matching.

use quick_xml::XmlVersion;
use quick_xml::events::{BytesStart, Event};
use quick_xml::reader::Reader;

use mydata_testbed::conformance::report;

use crate::helpers::sample_report;

/// A parsed element: just enough DOM for assertions.
#[derive(Debug, Default)]
struct Element {
    name: String,
    attrs: Vec<(String, String)>,
    children: Vec<Element>,
    text: String,
}

impl Element {
    fn attr(&self, name: &str) -> Option<&str> {
        self.attrs
            .iter()
            .find(|(k, _)| k == name)
            .map(|(_, v)| v.as_str())
    }

    fn children_named<'a>(&'a self, name: &'a str) -> impl Iterator<Item = &'a Element> + 'a {
        self.children.iter().filter(move |c| c.name == name)
    }

    fn child(&self, name: &str) -> Option<&Element> {
        self.children.iter().find(|c| c.name == name)
    }
}

fn element(e: &BytesStart<'_>) -> Element {
    let attrs = e
        .attributes()
        .map(|a| {
            let a = a.expect("well-formed attribute");
            let value = a
                .normalized_value(XmlVersion::Implicit1_0)
                .expect("attribute value unescapes");
            (
                String::from_utf8_lossy(a.key.as_ref()).into_owned(),
                value.into_owned(),
            )
        })
        .collect();
    Element {
        name: String::from_utf8_lossy(e.name().as_ref()).into_owned(),
        attrs,
        ..Element::default()
    }
}

/// Parses a whole document, failing on any well-formedness error (mismatched or unclosed tags).
fn parse(xml: &str) -> Element {
    let mut reader = Reader::from_str(xml);
    reader.config_mut().check_end_names = true;
    let mut stack: Vec<Element> = vec![Element::default()];
    loop {
        let event = reader
            .read_event()
            .unwrap_or_else(|e| panic!("well-formed XML, got {e} at {}", reader.buffer_position()));
        match event {
            Event::Start(e) => stack.push(element(&e)),
            Event::Empty(e) => {
                let el = element(&e);
                stack.last_mut().expect("a parent").children.push(el);
            }
            Event::End(_) => {
                let el = stack.pop().expect("an open element");
                stack.last_mut().expect("a parent").children.push(el);
            }
            Event::Text(t) => {
                let text = t.decode().expect("UTF-8 text");
                stack.last_mut().expect("a parent").text.push_str(&text);
            }
            Event::GeneralRef(r) => {
                let name = r.decode().expect("UTF-8 entity name");
                stack
                    .last_mut()
                    .expect("a parent")
                    .text
                    .push_str(&format!("&{name};"));
            }
            Event::Eof => break,
            _ => {}
        }
    }
    assert_eq!(stack.len(), 1, "every element closed");
    let mut doc = stack.pop().expect("the document");
    assert_eq!(doc.children.len(), 1, "one root element");
    doc.children.pop().expect("the root")
}

#[test]
fn junit_report_is_well_formed_with_one_suite_per_industry() {
    let root = parse(&report::junit(&sample_report()));

    assert_eq!(root.name, "testsuites");
    assert_eq!(root.attr("tests"), Some("7"));
    assert_eq!(root.attr("failures"), Some("2"));
    assert_eq!(root.attr("skipped"), Some("2"));
    assert_eq!(root.attr("errors"), Some("0"));

    let suites: Vec<&Element> = root.children_named("testsuite").collect();
    let names: Vec<&str> = suites.iter().filter_map(|s| s.attr("name")).collect();
    assert_eq!(names, ["bank", "card"]);

    let bank = suites[0];
    assert_eq!(bank.children_named("testcase").count(), 4);
    assert_eq!(bank.attr("tests"), Some("4"));
    assert_eq!(bank.attr("failures"), Some("2"));
    assert_eq!(bank.attr("skipped"), Some("1"));
    let card = suites[1];
    assert_eq!(card.children_named("testcase").count(), 3);
    assert_eq!(card.attr("failures"), Some("0"));
    assert_eq!(card.attr("skipped"), Some("1"));
}

#[test]
fn junit_testcases_carry_failures_skips_and_warnings_where_expected() {
    let root = parse(&report::junit(&sample_report()));
    let case = |name: &str| -> &Element {
        root.children_named("testsuite")
            .flat_map(|s| s.children_named("testcase"))
            .find(|c| c.attr("name") == Some(name))
            .unwrap_or_else(|| panic!("testcase {name}"))
    };

    let failed = case("bank.은행-002.positive");
    assert_eq!(failed.attr("classname"), Some("bank.은행-002"));
    assert_eq!(failed.attr("time"), Some("0.052"));
    let failure = failed.child("failure").expect("a FAIL case has <failure>");
    assert_eq!(failure.attr("message"), Some("x-api-tran-id is not echoed"));
    assert_eq!(failure.attr("type"), Some("tran_id_echo"));
    for needle in [
        "expected:",
        "actual:",
        "/account_list/0/account_num",
        "Reproduce with:",
        "curl -i",
    ] {
        assert!(
            failure.text.contains(needle),
            "failure text has {needle}: {}",
            failure.text
        );
    }
    assert!(case("bank.은행-002.no_token").child("failure").is_some());

    let warned = case("card.카드-001.missing_tran_id");
    assert!(warned.child("failure").is_none(), "a WARN case passes");
    assert!(warned.child("skipped").is_none());
    let out = warned
        .child("system-out")
        .expect("a WARN case tells its warnings");
    assert!(out.text.contains("tran_id_required"), "{}", out.text);

    let skipped = case("card.카드-001.cross_customer_asset");
    let skip = skipped.child("skipped").expect("a SKIP case has <skipped>");
    assert_eq!(
        skip.attr("message"),
        Some("no second customer's credentials (--customer2)")
    );

    let passed = case("bank.은행-001.positive");
    assert!(
        passed.children.is_empty(),
        "a PASS case is a bare testcase: {passed:?}"
    );
}
