//! Validating values against the spec's field lists: one function for responses, fixtures and
//! request parameters, shared by the server, its tests and the conformance client.
//!
//! Every rule returns [`Violation`]s as data (JSON pointer, rule, expected, actual) rather than
//! stopping at the first: a conformance report or a fixture error wants all of them.

use std::fmt;

use serde::Serialize;
use serde_json::{Map, Value};

use super::{ApiEntry, Field, FieldType, Spec};

/// Which rule of the standard a value breaks.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[serde(rename_all = "snake_case")]
pub enum Rule {
    /// A required field is absent.
    Missing,
    /// A field the spec does not define (or one the server computes, written in a fixture).
    Unknown,
    /// A value that is not a JSON string where the standard requires one (§1.3), or null.
    NotString,
    /// Not an object / list where one is required.
    Shape,
    /// The string breaks the field's type or length (§1.3).
    Format,
    /// A count field that differs from the length of its list (§1.5).
    Count,
    /// A code outside the values the standard enumerates (§3.19).
    Code,
}

impl fmt::Display for Rule {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(match self {
            Rule::Missing => "required field missing",
            Rule::Unknown => "field not allowed here",
            Rule::NotString => "value must be a JSON string",
            Rule::Shape => "wrong JSON shape",
            Rule::Format => "value breaks its type",
            Rule::Count => "count differs from list length",
            Rule::Code => "code not in the standard's code table",
        })
    }
}

/// One broken rule at one place of a document.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
pub struct Violation {
    /// JSON pointer (RFC 6901) into the validated document.
    pub pointer: String,
    pub rule: Rule,
    pub expected: String,
    pub actual: String,
}

impl fmt::Display for Violation {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let at = if self.pointer.is_empty() {
            "/"
        } else {
            &self.pointer
        };
        write!(
            f,
            "{at}: {} (expected {}, got {})",
            self.rule, self.expected, self.actual
        )
    }
}

/// What a validation pass checks beyond types.
#[derive(Debug, Clone, Copy)]
pub struct Mode<'a> {
    /// Field names to leave out entirely: the server computes them (fixtures) or they were
    /// already checked. Written names among them are reported as [`Rule::Unknown`] when `forbid_skipped`.
    pub skip: &'a [&'a str],
    pub forbid_skipped: bool,
    /// Check `required`.
    pub required: bool,
    /// Check that counts equal list lengths.
    pub counts: bool,
    /// Report fields the spec does not define.
    pub unknown: bool,
    /// Count fields (`count_of`) at any depth are the server's to compute: treat them as skipped.
    pub computed_counts: bool,
}

impl Mode<'_> {
    /// Full validation of a response body.
    pub const RESPONSE: Mode<'static> = Mode {
        skip: &[],
        forbid_skipped: false,
        required: true,
        counts: true,
        unknown: true,
        computed_counts: false,
    };
}

/// Escapes one JSON pointer segment (RFC 6901).
pub fn pointer_segment(s: &str) -> String {
    s.replace('~', "~0").replace('/', "~1")
}

fn describe(v: &Value) -> String {
    match v {
        Value::Null => "null".into(),
        Value::Bool(b) => format!("boolean {b}"),
        Value::Number(n) => format!("number {n}"),
        Value::String(s) if s.chars().count() > 40 => {
            format!("\"{}…\"", s.chars().take(40).collect::<String>())
        }
        Value::String(s) => format!("\"{s}\""),
        Value::Array(a) => format!("a list of {}", a.len()),
        Value::Object(_) => "an object".into(),
    }
}

/// Validates an object against a field list, appending violations under `pointer`.
pub fn validate_fields(
    fields: &[Field],
    obj: &Map<String, Value>,
    pointer: &str,
    mode: Mode<'_>,
    out: &mut Vec<Violation>,
) {
    let at = |name: &str| format!("{pointer}/{}", pointer_segment(name));
    for field in fields {
        if mode.skip.contains(&field.name.as_str())
            || (mode.computed_counts && field.count_of.is_some())
        {
            if (mode.forbid_skipped || mode.computed_counts) && obj.contains_key(&field.name) {
                out.push(Violation {
                    pointer: at(&field.name),
                    rule: Rule::Unknown,
                    expected: "no such field here: the server fills it in".into(),
                    actual: describe(&obj[&field.name]),
                });
            }
            continue;
        }
        match obj.get(&field.name) {
            None => {
                if mode.required && field.required {
                    out.push(Violation {
                        pointer: at(&field.name),
                        rule: Rule::Missing,
                        expected: format!("{} ({})", field.ty, field.desc),
                        actual: "absent".into(),
                    });
                }
            }
            Some(value) => validate_value(field, value, &at(&field.name), mode, out),
        }
        if mode.counts
            && let Some(list) = &field.count_of
            && !mode.skip.contains(&list.as_str())
            && let (Some(Value::String(n)), Some(Value::Array(items))) =
                (obj.get(&field.name), obj.get(list))
            && n.parse::<usize>().ok() != Some(items.len())
        {
            out.push(Violation {
                pointer: at(&field.name),
                rule: Rule::Count,
                expected: format!("\"{}\" (the length of {list})", items.len()),
                actual: format!("\"{n}\""),
            });
        }
    }
    if mode.unknown {
        for (name, value) in obj {
            if !fields.iter().any(|f| &f.name == name) {
                out.push(Violation {
                    pointer: at(name),
                    rule: Rule::Unknown,
                    expected: "only the fields the spec defines".into(),
                    actual: describe(value),
                });
            }
        }
    }
}

/// Validates one value against its field (nested lists included).
pub fn validate_value(
    field: &Field,
    value: &Value,
    pointer: &str,
    mode: Mode<'_>,
    out: &mut Vec<Violation>,
) {
    match (field.ty, value) {
        (FieldType::List, Value::Array(items)) => {
            let inner = Mode {
                skip: &[],
                forbid_skipped: false,
                ..mode
            };
            for (i, item) in items.iter().enumerate() {
                let p = format!("{pointer}/{i}");
                match item {
                    Value::Object(o) => validate_fields(&field.items, o, &p, inner, out),
                    other => out.push(Violation {
                        pointer: p,
                        rule: Rule::Shape,
                        expected: "an object".into(),
                        actual: describe(other),
                    }),
                }
            }
        }
        (FieldType::Object, Value::Object(o)) => {
            validate_fields(&field.items, o, pointer, mode, out)
        }
        (FieldType::List | FieldType::Object, other) => out.push(Violation {
            pointer: pointer.into(),
            rule: Rule::Shape,
            expected: field.ty.describe(),
            actual: describe(other),
        }),
        (ty, Value::String(s)) => {
            if let Err(expected) = ty.check(s) {
                out.push(Violation {
                    pointer: pointer.into(),
                    rule: Rule::Format,
                    expected,
                    actual: describe(value),
                });
            } else if !field.allowed.is_empty() && !field.allowed.contains(s) {
                out.push(Violation {
                    pointer: pointer.into(),
                    rule: Rule::Code,
                    expected: format!("one of {}", field.allowed.join(", ")),
                    actual: describe(value),
                });
            }
        }
        (ty, other) => out.push(Violation {
            pointer: pointer.into(),
            rule: Rule::NotString,
            expected: format!("a JSON string holding {}", ty.describe()),
            actual: describe(other),
        }),
    }
}

/// Validates a response body of an information-provision API (§1.5, §5.3): the common fields,
/// then, for `00000`, the API's own fields; any other code carries no data fields.
pub fn validate_response(spec: &Spec, entry: &ApiEntry, body: &Value) -> Vec<Violation> {
    let mut out = Vec::new();
    let Value::Object(obj) = body else {
        out.push(Violation {
            pointer: String::new(),
            rule: Rule::Shape,
            expected: "a JSON object".into(),
            actual: describe(body),
        });
        return out;
    };
    let common = &spec.common.response_common;
    let code = obj.get("rsp_code").and_then(Value::as_str).unwrap_or("");
    if code == "00000" {
        let mut fields = common.clone();
        fields.extend(entry.response.iter().cloned());
        validate_fields(&fields, obj, "", Mode::RESPONSE, &mut out);
    } else {
        validate_fields(common, obj, "", Mode::RESPONSE, &mut out);
    }
    if !code.is_empty() && spec.rsp(code).is_none() {
        out.push(Violation {
            pointer: "/rsp_code".into(),
            rule: Rule::Format,
            expected: "a code of the rsp_code table (§5.1)".into(),
            actual: describe(&obj["rsp_code"]),
        });
    }
    out
}

/// Validates a token-endpoint success body (개별인증-002/003) against its entry.
pub fn validate_oauth_response(entry: &ApiEntry, body: &Value) -> Vec<Violation> {
    let mut out = Vec::new();
    match body {
        Value::Object(obj) => validate_fields(&entry.response, obj, "", Mode::RESPONSE, &mut out),
        other => out.push(Violation {
            pointer: String::new(),
            rule: Rule::Shape,
            expected: "a JSON object".into(),
            actual: describe(other),
        }),
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;
    use serde_json::json;

    fn fields() -> Vec<Field> {
        serde_json::from_value(json!([
            { "name": "account_cnt", "type": "N(5)", "required": true, "count_of": "account_list" },
            { "name": "account_list", "type": "Object[]", "required": true, "items": [
                { "name": "account_num", "type": "aN(20)", "required": true },
                { "name": "is_consent", "type": "Boolean", "required": true }
            ] }
        ]))
        .expect("fields")
    }

    fn check(v: Value) -> Vec<Violation> {
        let mut out = Vec::new();
        validate_fields(
            &fields(),
            v.as_object().expect("object"),
            "",
            Mode::RESPONSE,
            &mut out,
        );
        out
    }

    #[test]
    fn a_conforming_body_has_no_violations() {
        let v = check(
            json!({"account_cnt": "1", "account_list": [{"account_num": "1002", "is_consent": "true"}]}),
        );
        assert_eq!(v, vec![]);
    }

    #[test]
    fn every_kind_of_violation_is_reported_with_its_pointer() {
        let v = check(json!({
            "account_cnt": "2",
            "account_list": [{"account_num": "10-02", "is_consent": true}, {"extra": "x"}]
        }));
        let got: Vec<(&str, Rule)> = v.iter().map(|v| (v.pointer.as_str(), v.rule)).collect();
        assert_eq!(
            got,
            vec![
                ("/account_list/0/account_num", Rule::Format),
                ("/account_list/0/is_consent", Rule::NotString),
                ("/account_list/1/account_num", Rule::Missing),
                ("/account_list/1/is_consent", Rule::Missing),
                ("/account_list/1/extra", Rule::Unknown),
            ]
        );
        let v = check(json!({"account_cnt": "3", "account_list": []}));
        assert_eq!(v.len(), 1);
        assert_eq!(
            (v[0].pointer.as_str(), v[0].rule),
            ("/account_cnt", Rule::Count)
        );
    }

    #[test]
    fn skipped_fields_written_anyway_are_reported_when_forbidden() {
        let mode = Mode {
            skip: &["account_cnt"],
            forbid_skipped: true,
            required: true,
            counts: true,
            unknown: true,
            computed_counts: false,
        };
        let mut out = Vec::new();
        let obj = json!({"account_cnt": "0", "account_list": []});
        validate_fields(
            &fields(),
            obj.as_object().expect("object"),
            "/x",
            mode,
            &mut out,
        );
        assert_eq!(out.len(), 1);
        assert_eq!(out[0].pointer, "/x/account_cnt");
        assert_eq!(out[0].rule, Rule::Unknown);
    }
}
