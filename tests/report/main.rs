//! The report renderers (text, JSON, JUnit, HTML) over one fixed sample `Report`: golden
//! snapshots, JUnit well-formedness, and colour only when asked for. One binary (house style 2.8).

/// `insta::assert_snapshot!` with the project's settings: every snapshot passes through
/// [`helpers::redact`] first, so volatile values (loopback ports, timestamps of real runs) never
/// reach a golden file. The sample report is fixed, so today nothing in it is redacted.
macro_rules! assert_report_snapshot {
    ($name:expr, $value:expr $(,)?) => {{
        let mut settings = insta::Settings::clone_current();
        settings.set_prepend_module_to_snapshot(false);
        settings.set_omit_expression(true);
        settings.bind(|| {
            insta::assert_snapshot!($name, $crate::helpers::redact(&$value));
        });
    }};
}

mod color;
mod helpers;
mod junit_xml;
mod snapshots;
