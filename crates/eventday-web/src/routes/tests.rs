use super::*;
use crate::openapi::operation_mut;
use std::collections::BTreeSet;
use utoipa::openapi::path::ParameterIn;
use utoipa::openapi::{PathItem, RefOr};

#[test]
fn no_route_is_declared_twice() {
    let t = route_table();
    let distinct: BTreeSet<_> = t.iter().map(|r| (r.method.to_string(), r.path.clone())).collect();
    assert_eq!(distinct.len(), t.len());
}

/// The `/api/` routes of the whole route table (the router is built from it).
fn api_routes() -> Vec<RouteInfo> {
    route_table().into_iter().filter(|r| r.path.starts_with("/api/")).collect()
}

#[test]
fn every_route_of_the_router_is_in_the_openapi_document() {
    let mut doc = openapi_document();
    let mut missing = Vec::new();
    let all = api_routes();
    assert!(all.len() > 90, "the route list is suspiciously short: {}", all.len());
    for route in &all {
        let found =
            doc.paths.paths.get_mut(route.path.as_str()).and_then(|i| operation_mut(i, &route.method));
        if found.is_none() {
            missing.push(format!("{} {}", route.method, route.path.as_str()));
        }
    }
    assert!(missing.is_empty(), "routes missing from the OpenAPI document: {missing:?}");
}

#[test]
fn operation_ids_are_unique_and_every_answer_is_described() {
    let doc = serde_json::to_value(openapi_document()).unwrap_or_default();
    let mut ids = std::collections::BTreeMap::<String, u32>::new();
    let mut undescribed = Vec::new();
    for (path, item) in doc["paths"].as_object().into_iter().flatten() {
        for (method, op) in item.as_object().into_iter().flatten() {
            *ids.entry(op["operationId"].as_str().unwrap_or_default().to_owned()).or_default() += 1;
            for (status, answer) in op["responses"].as_object().into_iter().flatten() {
                let described = answer["description"].as_str().is_some_and(|d| !d.is_empty());
                let enveloped = !status.starts_with('4') || answer["content"].is_object();
                if !described || !enveloped {
                    undescribed.push(format!("{method} {path} {status}"));
                }
            }
        }
    }
    ids.retain(|_, n| *n > 1);
    assert!(ids.is_empty(), "operation ids used more than once: {ids:?}");
    assert!(undescribed.is_empty(), "answers without a description or a 4xx body: {undescribed:?}");
}

#[test]
fn the_document_has_no_route_the_router_lacks() {
    let doc = openapi_document();
    let table: BTreeSet<(String, String)> =
        api_routes().iter().map(|r| (r.method.to_string(), r.path.clone())).collect();
    let mut extra = Vec::new();
    for (path, item) in &doc.paths.paths {
        let PathItem { get, put, post, delete, patch, .. } = item;
        for (m, op) in [("GET", get), ("PUT", put), ("POST", post), ("DELETE", delete), ("PATCH", patch)] {
            if op.is_some() && !table.contains(&(m.to_owned(), path.clone())) {
                extra.push(format!("{m} {path}"));
            }
        }
    }
    assert!(extra.is_empty(), "documented but not routed: {extra:?}");
}

#[test]
fn every_path_parameter_is_declared_and_every_guarded_route_says_who_may_call_it() {
    let mut doc = openapi_document();
    let mut problems = Vec::new();
    for route in api_routes() {
        let Some(op) =
            doc.paths.paths.get_mut(route.path.as_str()).and_then(|i| operation_mut(i, &route.method))
        else {
            problems.push(format!("{} {} is missing", route.method, route.path.as_str()));
            continue;
        };
        let declared: Vec<String> = op
            .parameters
            .iter()
            .flatten()
            .filter_map(|p| match p {
                RefOr::T(p) if p.parameter_in == ParameterIn::Path => Some(p.name.clone()),
                _ => None,
            })
            .collect();
        let in_path: Vec<String> = route
            .path
            .split('/')
            .filter_map(|s| s.strip_prefix('{').and_then(|s| s.strip_suffix('}')))
            .map(str::to_owned)
            .collect();
        let (mut a, mut b) = (declared.clone(), in_path.clone());
        a.sort();
        b.sort();
        if a != b {
            problems.push(format!("{} {}: path parameters {declared:?}", route.method, route.path.as_str()));
        }
        if route.rule != Rule::Public {
            let security = op.security.as_ref().map_or(0, Vec::len);
            let has_401 = op.responses.responses.contains_key("401");
            if security != 2 || !has_401 {
                problems.push(format!("{} {}: no security or no 401", route.method, route.path.as_str()));
            }
        }
        if !op.description.as_deref().is_some_and(|d| d.contains("**Access:**")) {
            problems.push(format!("{} {}: no access sentence", route.method, route.path.as_str()));
        }
    }
    assert!(problems.is_empty(), "{problems:#?}");
}

#[test]
fn the_security_schemes_and_special_media_types_are_described() {
    let doc = serde_json::to_value(openapi_document()).unwrap_or_default();
    let schemes = &doc["components"]["securitySchemes"];
    assert_eq!(schemes["session"]["in"], "cookie");
    assert_eq!(schemes["session"]["name"], crate::auth::SESSION_COOKIE);
    assert_eq!(schemes["csrf"]["name"], "X-CSRF-Token");
    assert_eq!(schemes["bearer"]["scheme"], "bearer");
    let paths = &doc["paths"];
    let ok = |path: &str| &paths[path]["get"]["responses"]["200"]["content"];
    assert!(ok("/api/v1/campaigns/{id}/live")["text/event-stream"].is_object());
    assert!(ok("/api/v1/organizations/{id}/live")["text/event-stream"].is_object());
    assert!(
        paths["/api/v1/campaigns/{id}/live"]["get"]["description"]
            .as_str()
            .is_some_and(|d| d.contains("Last-Event-ID") && d.contains("event: totals"))
    );
    assert!(ok("/api/v1/campaigns/{id}/report.pdf")["application/pdf"].is_object());
    assert!(
        ok("/api/v1/campaigns/{id}/report.docx")
            ["application/vnd.openxmlformats-officedocument.wordprocessingml.document"]
            .is_object()
    );
    assert!(ok("/api/v1/invitations/{id}/qr.svg")["image/svg+xml"].is_object());
    assert!(ok("/api/v1/invitations/{id}/qr.png")["image/png"].is_object());
    let login = &paths["/api/v1/auth/login"]["post"];
    assert!(login["security"].is_null(), "login needs no credentials");
    assert_eq!(
        login["requestBody"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/LoginBody"
    );
    let write = &paths["/api/v1/users"]["post"]["security"];
    assert_eq!(write[0]["session"], serde_json::json!([]));
    assert_eq!(write[0]["csrf"], serde_json::json!([]));
    assert_eq!(write[1]["bearer"], serde_json::json!([]));
    assert_eq!(
        paths["/api/v1/users"]["get"]["responses"]["403"]["content"]["application/json"]["schema"]["$ref"],
        "#/components/schemas/ErrorBody"
    );
}

#[test]
fn the_error_envelope_is_described() {
    let doc = serde_json::to_value(openapi_document()).unwrap_or_default();
    assert!(doc["components"]["schemas"]["ErrorBody"].is_object());
    assert!(doc["components"]["schemas"]["LogEntryInput"].is_object());
}

#[test]
fn every_error_code_is_listed_in_the_document() {
    let doc = serde_json::to_value(openapi_document()).unwrap_or_default();
    let schemas = &doc["components"]["schemas"];
    let listed: Vec<String> = schemas["ErrorCode"]["enum"]
        .as_array()
        .into_iter()
        .flatten()
        .filter_map(|v| v.as_str().map(str::to_owned))
        .collect();
    let all: Vec<String> = crate::ErrorCode::ALL
        .iter()
        .filter_map(|c| serde_json::to_value(c).ok()?.as_str().map(str::to_owned))
        .collect();
    assert_eq!(listed, all, "{}", schemas["ErrorCode"]);
    assert_eq!(schemas["ErrorDetail"]["properties"]["code"]["$ref"], "#/components/schemas/ErrorCode");
}

#[test]
fn an_api_route_is_routed_at_the_path_of_its_handler_attribute() {
    let table = table();
    let documented: Vec<_> = table.iter().filter(|s| s.doc.is_some()).collect();
    assert!(documented.len() > 90, "{}", documented.len());
    for spec in documented {
        let doc = spec.doc.as_ref().map(|d| (d.path.clone(), d.method()));
        assert_eq!(doc, Some((spec.info.path.clone(), spec.info.method.clone())));
    }
    let undocumented: Vec<_> = table
        .iter()
        .filter(|s| s.doc.is_none() && s.info.path.starts_with("/api/"))
        .map(|s| &s.info.path)
        .collect();
    assert!(undocumented.is_empty(), "API routes without an operation: {undocumented:?}");
}
