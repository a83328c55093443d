//! An OpenAPI 3.1 document generated from the spec, for the ecosystem (Postman, Prism,
//! Schemathesis): `mydata-testbed spec openapi` and `GET /openapi.json`.
//!
//! The standard's operations come from the spec; the testbed's own admin API is described as
//! data in `specs/testbed/admin.openapi.json` (always the embedded copy: it describes this
//! binary, whatever spec directory is served) and merged in, tagged `testbed`.

use serde::Deserialize;
use serde_json::{Map, Value, json};

use super::{ApiEntry, Field, FieldType, Location, Method, Param, Spec};
use crate::source::Source;

/// The admin API's description, relative to the specs directory.
pub const ADMIN_FILE: &str = "testbed/admin.openapi.json";

/// `specs/testbed/admin.openapi.json`: OpenAPI fragments merged into the generated document.
#[derive(Debug, Deserialize)]
#[serde(deny_unknown_fields)]
struct AdminPart {
    #[serde(rename = "_about")]
    _about: String,
    /// Parameters (usually `$ref`s) added to every operation of the standard.
    #[serde(rename = "x-standard-parameters")]
    standard_parameters: Vec<Value>,
    tags: Vec<Value>,
    paths: Map<String, Value>,
    /// `securitySchemes`, `parameters`, `responses`, `schemas`, ...: merged by name.
    components: Map<String, Value>,
}

fn admin_part() -> Result<AdminPart, String> {
    let source = Source::embedded_specs();
    let text = source.read(ADMIN_FILE).map_err(|e| e.to_string())?;
    serde_json::from_str(&text).map_err(|e| format!("{}: {e}", source.display(ADMIN_FILE)))
}

/// Adds the admin part to a generated document; names it would overwrite are errors.
fn merge_admin(doc: &mut Value, part: AdminPart) -> Result<(), String> {
    let AdminPart {
        standard_parameters,
        tags,
        paths,
        components,
        ..
    } = part;
    let doc_paths = doc["paths"]
        .as_object_mut()
        .ok_or("the document has no paths")?;
    for item in doc_paths.values_mut() {
        let Some(item) = item.as_object_mut() else {
            continue;
        };
        for op in item.values_mut() {
            match op.get_mut("parameters").and_then(Value::as_array_mut) {
                Some(params) => params.extend(standard_parameters.iter().cloned()),
                None => op["parameters"] = Value::Array(standard_parameters.clone()),
            }
        }
    }
    for (path, item) in paths {
        if doc_paths.insert(path.clone(), item).is_some() {
            return Err(format!(
                "path {path} is both the standard's and the testbed's"
            ));
        }
    }
    for (section, entries) in components {
        let entries = match entries {
            Value::Object(m) => m,
            _ => return Err(format!("components.{section} is not an object")),
        };
        let target = doc["components"]
            .as_object_mut()
            .ok_or("the document has no components")?
            .entry(section.clone())
            .or_insert_with(|| json!({}));
        let target = target
            .as_object_mut()
            .ok_or_else(|| format!("components.{section} is not an object"))?;
        for (name, v) in entries {
            if target.insert(name.clone(), v).is_some() {
                return Err(format!("components.{section}.{name} is defined twice"));
            }
        }
    }
    match doc.get_mut("tags").and_then(Value::as_array_mut) {
        Some(t) => t.extend(tags),
        None => doc["tags"] = Value::Array(tags),
    }
    Ok(())
}

fn scalar_schema(ty: FieldType, desc: &str) -> Value {
    let mut s = json!({ "type": "string", "description": format!("{ty}. {desc}").trim_end_matches(". ").to_owned() });
    if let Some(max) = ty.max_len() {
        s["maxLength"] = max.into();
    }
    if let Some(p) = ty.pattern() {
        s["pattern"] = p.into();
    }
    if ty == FieldType::Boolean {
        s["enum"] = json!(["true", "false"]);
    }
    s
}

fn field_schema(f: &Field) -> Value {
    match f.ty {
        FieldType::List => {
            json!({ "type": "array", "description": f.desc, "items": object_schema(&f.items) })
        }
        FieldType::Object => object_schema(&f.items),
        ty => scalar_schema(ty, &f.desc),
    }
}

fn object_schema(fields: &[Field]) -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    for f in fields {
        props.insert(f.name.clone(), field_schema(f));
        if f.required {
            required.push(Value::String(f.name.clone()));
        }
    }
    let mut s = json!({ "type": "object", "properties": props });
    if !required.is_empty() {
        s["required"] = Value::Array(required);
    }
    s
}

fn params_schema<'a>(params: impl Iterator<Item = &'a Param>) -> Value {
    let mut props = Map::new();
    let mut required = Vec::new();
    for p in params {
        props.insert(p.name.clone(), scalar_schema(p.ty, &p.desc));
        if p.required {
            required.push(Value::String(p.name.clone()));
        }
    }
    json!({ "type": "object", "properties": props, "required": required })
}

fn parameter(p: &Param) -> Value {
    let location = match p.location {
        Location::Query => "query",
        Location::Header => "header",
        Location::Path => "path",
        Location::Body | Location::Form => unreachable!("body parameters are a request body"),
    };
    json!({ "name": p.name, "in": location, "required": p.required || p.location == Location::Path, "schema": scalar_schema(p.ty, &p.desc) })
}

fn operation_id(e: &ApiEntry) -> String {
    match &e.industry {
        Some(i) if !e.industries.is_empty() => format!("{}.{i}", e.api_id),
        _ => e.api_id.clone(),
    }
}

fn info_operation(spec: &Spec, e: &ApiEntry) -> Value {
    let mut params: Vec<Value> = vec![
        json!({ "$ref": "#/components/parameters/XApiTranId" }),
        json!({ "$ref": "#/components/parameters/XApiType" }),
    ];
    params.extend(
        e.request
            .iter()
            .filter(|p| p.location != Location::Body)
            .map(parameter),
    );
    let mut success = spec.common.response_common.clone();
    success.extend(e.response.iter().cloned());
    let mut responses = Map::new();
    responses.insert(
        "200".into(),
        json!({
            "description": "성공 (rsp_code 00000), or 00001 with only rsp_code and rsp_msg when nothing changed since search_timestamp",
            "headers": { "x-api-tran-id": { "$ref": "#/components/headers/XApiTranId" } },
            "content": { "application/json": { "schema": { "oneOf": [object_schema(&success), { "$ref": "#/components/schemas/RspBody" }] } } }
        }),
    );
    let mut statuses: Vec<u16> = spec
        .common
        .rsp_codes
        .iter()
        .map(|r| r.http)
        .filter(|s| *s != 200)
        .collect();
    statuses.sort_unstable();
    statuses.dedup();
    for s in statuses {
        let codes: Vec<&str> = spec
            .common
            .rsp_codes
            .iter()
            .filter(|r| r.http == s)
            .map(|r| r.code.as_str())
            .collect();
        responses.insert(
            s.to_string(),
            json!({
                "description": format!("rsp_code {}", codes.join(", ")),
                "headers": { "x-api-tran-id": { "$ref": "#/components/headers/XApiTranId" } },
                "content": { "application/json": { "schema": { "$ref": "#/components/schemas/RspBody" } } }
            }),
        );
    }
    let mut op = json!({
        "operationId": operation_id(e),
        "summary": format!("{} {}", e.api_id, e.name),
        "description": format!("Reference {}. Scope `{}`, 정기전송 분류 {}.{}", e.reference, e.scope.as_deref().unwrap_or("-"), e.class.as_deref().unwrap_or("-"), e.uncertain.as_deref().map(|u| format!(" Reading chosen: {u}")).unwrap_or_default()),
        "tags": [e.industry.clone().unwrap_or_default()],
        "security": [{ "bearer": [e.scope.clone().unwrap_or_default()] }],
        "parameters": params,
        "responses": responses,
        "x-api-id": e.api_id,
    });
    if e.method == Method::POST {
        op["requestBody"] = json!({
            "required": true,
            "content": { "application/json": { "schema": params_schema(e.request.iter().filter(|p| p.location == Location::Body)) } }
        });
    }
    op
}

fn auth_operation(entries: &[&ApiEntry]) -> Value {
    let first = entries[0];
    let ids: Vec<&str> = entries.iter().map(|e| e.api_id.as_str()).collect();
    let params: Vec<Value> = first
        .request
        .iter()
        .filter(|p| matches!(p.location, Location::Query | Location::Header))
        .map(parameter)
        .collect();
    let mut op = json!({
        "operationId": ids.join("_"),
        "summary": entries.iter().map(|e| format!("{} {}", e.api_id, e.name)).collect::<Vec<_>>().join(" / "),
        "description": format!("Reference {}.", entries.iter().map(|e| e.reference.as_str()).collect::<Vec<_>>().join(", ")),
        "tags": ["oauth"],
        "parameters": params,
        "x-api-id": ids.join(" "),
    });
    let error = json!({ "description": "OAuth error (§2.5)", "content": { "application/json": { "schema": { "$ref": "#/components/schemas/OAuthError" } } } });
    if first.method == Method::GET {
        op["responses"] = json!({
            "302": { "description": "to the provider's login page; after consent to redirect_uri with code, state, api_tran_id (or error)", "headers": { "Location": { "schema": { "type": "string" } } } },
            "400": error,
            "405": error,
        });
    } else {
        let forms: Vec<Value> = entries
            .iter()
            .map(|e| params_schema(e.request.iter().filter(|p| p.location == Location::Form)))
            .collect();
        let form = if forms.len() == 1 {
            forms[0].clone()
        } else {
            json!({ "oneOf": forms })
        };
        op["requestBody"] = json!({ "required": true, "content": { "application/x-www-form-urlencoded": { "schema": form } } });
        let oks: Vec<Value> = entries
            .iter()
            .map(|e| {
                if e.response.is_empty() {
                    json!({ "$ref": "#/components/schemas/RspBody" })
                } else {
                    object_schema(&e.response)
                }
            })
            .collect();
        let ok = if oks.len() == 1 {
            oks[0].clone()
        } else {
            json!({ "oneOf": oks })
        };
        op["responses"] = json!({
            "200": { "description": "success", "headers": { "x-api-tran-id": { "$ref": "#/components/headers/XApiTranId" } }, "content": { "application/json": { "schema": ok } } },
            "400": error,
            "405": error,
            "500": error,
        });
    }
    op
}

/// The OpenAPI 3.1 document of the whole spec, with the testbed's admin API.
pub fn document(spec: &Spec) -> Value {
    let mut doc = standard_document(spec);
    // The admin part is embedded and checked by the tests below: a failure is a build defect.
    let merged = admin_part().and_then(|part| merge_admin(&mut doc, part));
    if let Err(e) = merged {
        panic!("{ADMIN_FILE} cannot be merged into the OpenAPI document: {e}");
    }
    doc
}

/// The standard's operations only.
fn standard_document(spec: &Spec) -> Value {
    let mut paths = Map::new();
    let mut put = |path: String, method: Method, op: Value| {
        let m = match method {
            Method::GET => "get",
            Method::POST => "post",
        };
        let item = paths.entry(path).or_insert_with(|| json!({}));
        item[m] = op;
    };
    let mut grouped: Vec<(String, Vec<&ApiEntry>)> = Vec::new();
    for e in &spec.auth {
        match grouped.iter_mut().find(|(p, _)| p == &e.path) {
            Some((_, v)) => v.push(e),
            None => grouped.push((e.path.clone(), vec![e])),
        }
    }
    for (path, entries) in grouped {
        put(path, entries[0].method, auth_operation(&entries));
    }
    for e in &spec.apis {
        put(
            e.full_path(spec.version()),
            e.method,
            info_operation(spec, e),
        );
    }
    let api_types: Vec<&str> = spec
        .common
        .api_types
        .iter()
        .map(|t| t.value.as_str())
        .collect();
    let tran = spec
        .common
        .headers
        .iter()
        .find(|h| h.name == "x-api-tran-id");
    let tran_schema = tran
        .map(|h| scalar_schema(h.ty, &h.desc))
        .unwrap_or(json!({ "type": "string" }));
    let rsp_schema = object_schema(&spec.common.response_common);
    json!({
        "openapi": "3.1.0",
        "info": {
            "title": "Korean financial MyData standard API (information provider), as served by mydata-testbed",
            "version": spec.common.version,
            "description": format!("Generated from specs/{} (reference {}). Every value is a JSON string.", spec.common.version, spec.common.reference),
        },
        "servers": [{ "url": "http://127.0.0.1:8080" }],
        "paths": paths,
        "components": {
            "securitySchemes": { "bearer": { "type": "http", "scheme": "bearer", "bearerFormat": "JWT" } },
            "parameters": {
                "XApiTranId": { "name": "x-api-tran-id", "in": "header", "required": true, "schema": tran_schema },
                "XApiType": { "name": "x-api-type", "in": "header", "required": true, "schema": { "type": "string", "enum": api_types } },
            },
            "headers": { "XApiTranId": { "description": "echo of the request's x-api-tran-id", "schema": { "type": "string" } } },
            "schemas": {
                "RspBody": rsp_schema,
                "OAuthError": {
                    "type": "object",
                    "properties": {
                        "error": { "type": "string", "enum": spec.common.oauth_errors.iter().map(|e| e.error.as_str()).collect::<Vec<_>>() },
                        "error_description": { "type": "string" },
                        "state": { "type": "string" },
                        "api_tran_id": { "type": "string" }
                    },
                    "required": ["error"]
                }
            }
        }
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    fn doc(version: &str) -> Value {
        let spec = Spec::load(&Source::embedded_specs(), version).expect("the embedded spec loads");
        document(&spec)
    }

    #[test]
    fn the_admin_api_is_merged_under_the_testbed_tag_with_its_security() {
        for version in ["v1", "v2"] {
            let doc = doc(version);
            let admin: Vec<(&String, &Value)> = doc["paths"]
                .as_object()
                .expect("paths")
                .iter()
                .filter(|(p, _)| p.starts_with("/__testbed/"))
                .collect();
            assert!(admin.len() >= 10, "{version}: the admin paths are merged");
            for (path, item) in admin {
                for (method, op) in item.as_object().expect("path item") {
                    if method == "parameters" {
                        continue;
                    }
                    assert_eq!(op["tags"], json!(["testbed"]), "{method} {path}");
                    assert!(
                        op["security"].as_array().is_some_and(|s| !s.is_empty()),
                        "{method} {path} needs the admin token"
                    );
                    assert!(op["responses"]["401"].is_object(), "{method} {path} 401");
                }
            }
            let schemes = &doc["components"]["securitySchemes"];
            assert!(schemes["bearer"].is_object(), "the standard's scheme stays");
            assert_eq!(
                schemes["testbedAdminHeader"]["name"],
                "x-testbed-admin-token"
            );
        }
    }

    #[test]
    fn every_standard_operation_takes_the_testbed_headers() {
        let doc = doc("v1");
        let mut seen = 0;
        for (path, item) in doc["paths"].as_object().expect("paths") {
            if path.starts_with("/__testbed/") {
                continue;
            }
            for (method, op) in item.as_object().expect("path item") {
                let refs: Vec<&str> = op["parameters"]
                    .as_array()
                    .expect("parameters")
                    .iter()
                    .filter_map(|p| p["$ref"].as_str())
                    .collect();
                for want in ["TestbedNamespace", "TestbedScenario"] {
                    assert!(
                        refs.contains(&format!("#/components/parameters/{want}").as_str()),
                        "{method} {path} documents {want}"
                    );
                }
                seen += 1;
            }
        }
        assert!(seen > 70, "{seen} standard operations");
        let params = &doc["components"]["parameters"];
        assert_eq!(
            params["TestbedNamespace"]["name"],
            crate::testbed::NAMESPACE_HEADER
        );
        assert_eq!(
            params["TestbedScenario"]["name"],
            crate::server::dangerous::SCENARIO_HEADER
        );
    }

    #[test]
    fn every_ref_resolves() {
        fn walk<'a>(v: &'a Value, out: &mut Vec<&'a str>) {
            match v {
                Value::Object(m) => {
                    if let Some(Value::String(r)) = m.get("$ref") {
                        out.push(r);
                    }
                    m.values().for_each(|v| walk(v, out));
                }
                Value::Array(a) => a.iter().for_each(|v| walk(v, out)),
                _ => {}
            }
        }
        let doc = doc("v2");
        let mut refs = Vec::new();
        walk(&doc, &mut refs);
        for r in refs {
            let pointer = r.strip_prefix('#').expect("a local $ref");
            assert!(doc.pointer(pointer).is_some(), "{r} resolves");
        }
    }

    #[test]
    fn the_scenario_kinds_documented_are_the_servers() {
        let doc = doc("v1");
        let schemas = &doc["components"]["schemas"];
        assert_eq!(
            schemas["TestbedScenarioKind"]["enum"],
            json!(crate::server::dangerous::KINDS)
        );
        let mapping = schemas["TestbedScenarioSpec"]["discriminator"]["mapping"]
            .as_object()
            .expect("mapping");
        let mapped: Vec<&str> = mapping.keys().map(String::as_str).collect();
        assert_eq!(mapped, crate::server::dangerous::KINDS);
        for (kind, target) in mapping {
            let name = target
                .as_str()
                .and_then(|t| t.rsplit('/').next())
                .expect("ref");
            assert_eq!(schemas[name]["properties"]["kind"]["const"], json!(kind));
        }
        let findings: Vec<&str> = crate::testbed::journal::FindingKind::ALL
            .iter()
            .map(|k| k.name())
            .collect();
        assert_eq!(schemas["TestbedFindingKind"]["enum"], json!(findings));
    }
}
