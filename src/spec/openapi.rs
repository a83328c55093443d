//! An OpenAPI 3.1 document generated from the spec, for the ecosystem (Postman, Prism,
//! Schemathesis): `mydata-testbed spec openapi` and `GET /openapi.json`.

use serde_json::{Map, Value, json};

use super::{ApiEntry, Field, FieldType, Location, Method, Param, Spec};

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

/// The OpenAPI 3.1 document of the whole spec.
pub fn document(spec: &Spec) -> Value {
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
