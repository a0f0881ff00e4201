//! The OpenAPI document at `/api/openapi.json`: assembled from every documented route's
//! `#[utoipa::path]` (see [`RouteDoc`]) and what its access rule says (see [`Access`]).
//!
//! This module knows nothing of the route table or of the rules; [`crate::routes`] hands it the
//! routes and [`crate::auth`] puts each rule into words, so that neither imports the other
//! through here.

use crate::error::{ErrorBody, ErrorCode};
use axum::http::Method;
use utoipa::OpenApi;
use utoipa::openapi::path::{HttpMethod, Operation, PathItem};
use utoipa::openapi::schema::Schema;
use utoipa::openapi::security::{
    ApiKey, ApiKeyValue, HttpAuthScheme, HttpBuilder, SecurityRequirement, SecurityScheme,
};
use utoipa::openapi::{ContentBuilder, Ref, RefOr, Response, ResponseBuilder};

/// A file's bytes (a PDF, a PNG), as the schema of binary answers.
#[derive(utoipa::ToSchema)]
#[schema(value_type = String, format = Binary)]
#[expect(dead_code, reason = "read only by the OpenAPI derive")]
pub(crate) struct Binary(Vec<u8>);

/// One route's part of the document, read from its handler's `#[utoipa::path]`: the only place
/// its method and path are written.
#[derive(Clone)]
pub(crate) struct RouteDoc {
    /// The path, e.g. `/api/v1/campaigns/{id}/summary`.
    pub path: String,
    /// Its methods (one per route here).
    pub methods: Vec<HttpMethod>,
    /// The operation.
    pub operation: Operation,
    /// The schemas its bodies refer to.
    pub schemas: Vec<(String, RefOr<Schema>)>,
}

impl RouteDoc {
    /// The document of the handler whose `#[utoipa::path]` made `P`.
    pub(crate) fn of<P>() -> Self
    where
        P: utoipa::Path + utoipa::__dev::SchemaReferences + for<'t> utoipa::__dev::Tags<'t>,
    {
        let mut schemas = Vec::new();
        P::schemas(&mut schemas);
        // The `tag = ...` of the attribute, added as the `OpenApi` derive adds it (an empty list
        // where there is none).
        let mut operation = P::operation();
        operation.tags.get_or_insert_with(Vec::new).extend(P::tags().into_iter().map(str::to_owned));
        RouteDoc { path: P::path(), methods: P::methods(), operation, schemas }
    }

    /// The first method as an HTTP method.
    pub(crate) fn method(&self) -> Method {
        match self.methods.first() {
            Some(HttpMethod::Post) => Method::POST,
            Some(HttpMethod::Put) => Method::PUT,
            Some(HttpMethod::Delete) => Method::DELETE,
            Some(HttpMethod::Patch) => Method::PATCH,
            Some(HttpMethod::Head) => Method::HEAD,
            Some(HttpMethod::Options) => Method::OPTIONS,
            Some(HttpMethod::Trace) => Method::TRACE,
            Some(HttpMethod::Get) | None => Method::GET,
        }
    }
}

/// `T`'s schema and those it refers to, for the document's components.
pub(crate) fn schema_of<T: utoipa::ToSchema>() -> Vec<(String, RefOr<Schema>)> {
    let mut v = vec![(T::name().into_owned(), T::schema())];
    T::schemas(&mut v);
    v
}

/// What a route's access rule adds to its operation.
#[derive(Debug, Clone, PartialEq, Eq)]
pub(crate) struct Access {
    /// No credentials needed: no security requirement, no 401.
    pub public: bool,
    /// Who may call it, in words (starts with `**Access:**`).
    pub text: String,
    /// Answers of the access layer that runs before the handler: status and what it means.
    pub answers: Vec<(&'static str, &'static str)>,
}

/// Names of the security schemes in the document.
const SESSION: &str = "session";
const CSRF: &str = "csrf";
const BEARER: &str = "bearer";

/// The document's head: title, description and the error envelope.
#[derive(OpenApi)]
#[openapi(
    info(
        title = "eventday API",
        description = "Plan, log and report a one-day “3·15” campaign. \
        Every failure answers {\"error\":{\"code\",\"message\",\"fields\"}}: 400 unreadable body, path or query \
        (malformed or truncated JSON, wrong types, unknown fields — named in `fields`), 404, 409 conflicts \
        (duplicates, a reused log id with other content, deleting what is still referenced), 413 over the body \
        limit, 415 a body that is not JSON (or a photo that is not JPEG/PNG/WebP), 422 validation naming \
        every bad field. Authentication: the session cookie of `POST /api/v1/auth/login` (writes also send \
        its CSRF token in `X-CSRF-Token`) or an API token as `Authorization: Bearer`; 401 without valid \
        credentials, 403 when the caller's role or organization tree does not allow the route (each \
        operation says who may call it)."
    ),
    components(schemas(ErrorBody, ErrorCode))
)]
struct Head;

/// The whole document: every documented route's operation and schemas, then what its access
/// rule adds (see [`document_access`]), and the error envelope on every 4xx answer.
/// `session_cookie` is the name of the session cookie.
/// `schemas` are more components (those only descriptions name).
pub(crate) fn document<'a>(
    routes: impl IntoIterator<Item = (&'a RouteDoc, Access)>,
    schemas: Vec<(String, RefOr<Schema>)>,
    session_cookie: &str,
) -> utoipa::openapi::OpenApi {
    let mut doc = Head::openapi();
    let components = doc.components.get_or_insert_with(Default::default);
    for (name, schema) in schemas {
        components.schemas.entry(name).or_insert(schema);
    }
    let mut access = Vec::new();
    for (route, rule) in routes {
        doc.paths.add_path_operation(&route.path, route.methods.clone(), route.operation.clone());
        let components = doc.components.get_or_insert_with(Default::default);
        for (name, schema) in &route.schemas {
            components.schemas.entry(name.clone()).or_insert_with(|| schema.clone());
        }
        access.push((route.path.clone(), route.method(), rule));
    }
    add_security_schemes(&mut doc, session_cookie);
    crate::doc_fixes::document_locks(&mut doc);
    crate::doc_fixes::document_materials(&mut doc);
    envelope_and_describe_answers(&mut doc);
    for (path, method, rule) in access {
        if let Some(op) = doc.paths.paths.get_mut(&path).and_then(|i| operation_mut(i, &method)) {
            document_access(op, &method, rule);
        }
    }
    doc
}

/// The operation of `method` in a path item.
pub(crate) fn operation_mut<'i>(item: &'i mut PathItem, method: &Method) -> Option<&'i mut Operation> {
    match *method {
        Method::GET => item.get.as_mut(),
        Method::POST => item.post.as_mut(),
        Method::PUT => item.put.as_mut(),
        Method::DELETE => item.delete.as_mut(),
        Method::PATCH => item.patch.as_mut(),
        _ => None,
    }
}

fn add_security_schemes(doc: &mut utoipa::openapi::OpenApi, session_cookie: &str) {
    let components = doc.components.get_or_insert_with(Default::default);
    components.add_security_scheme(
        SESSION,
        SecurityScheme::ApiKey(ApiKey::Cookie(ApiKeyValue::with_description(
            session_cookie,
            "The session cookie set by `POST /api/v1/auth/login` (HttpOnly, SameSite=Lax; valid 12 \
             hours). Writes (POST, PUT, DELETE) with it also need the `csrf` header.",
        ))),
    );
    components.add_security_scheme(
        CSRF,
        SecurityScheme::ApiKey(ApiKey::Header(ApiKeyValue::with_description(
            "X-CSRF-Token",
            "The session's CSRF token (`csrf_token` of the login and of `GET /api/v1/auth/me`), \
             required on every write made with the session cookie; without it the answer is 403 \
             with code `csrf`. Not needed with an API token.",
        ))),
    );
    components.add_security_scheme(
        BEARER,
        SecurityScheme::Http(
            HttpBuilder::new()
                .scheme(HttpAuthScheme::Bearer)
                .bearer_format("edt_…")
                .description(Some(
                    "An API token (`POST /api/v1/auth/tokens`) as `Authorization: Bearer <secret>`; \
                     it acts as its user, with no CSRF token needed.",
                ))
                .build(),
        ),
    );
}

/// Adds what a route's rule says to its operation: who may call it (a sentence of its
/// description and its security requirements) and the answers of the access layer that runs
/// before every handler (401 without valid credentials, 403, 400/404/422 for the rows it names).
fn document_access(op: &mut Operation, method: &Method, access: Access) {
    op.description = Some(match op.description.take() {
        Some(d) if !d.is_empty() => format!("{d}\n\n{}", access.text),
        _ => access.text,
    });
    if access.public {
        return;
    }
    let write = !matches!(*method, Method::GET | Method::HEAD);
    let session = if write {
        SecurityRequirement::new(SESSION, Vec::<String>::new()).add(CSRF, Vec::<String>::new())
    } else {
        SecurityRequirement::new(SESSION, Vec::<String>::new())
    };
    op.security = Some(vec![session, SecurityRequirement::new(BEARER, Vec::<String>::new())]);
    let responses = &mut op.responses.responses;
    for (status, description) in access.answers {
        responses.entry(status.to_owned()).or_insert_with(|| error_response(description));
    }
}

/// An error answer in the envelope.
pub(crate) fn error_response(description: &str) -> RefOr<Response> {
    ResponseBuilder::new()
        .description(description)
        .content(
            "application/json",
            ContentBuilder::new().schema(Some(Ref::from_schema_name("ErrorBody"))).build(),
        )
        .build()
        .into()
}

/// What an answer of `status` means when its annotation does not say.
fn default_description(status: &str) -> &'static str {
    match status {
        "200" => "OK",
        "201" => "created",
        "204" => "done; no body",
        "400" => "the path, query or body could not be read (names the field where it can)",
        "401" => "not logged in, or the credentials are not (or no longer) valid",
        "403" => "not allowed",
        "404" => "not found",
        "409" => "conflicts with what is stored",
        "413" => "the body is over the limit",
        "415" => "the body is not of a type this route accepts",
        "422" => "invalid; `fields` names every bad field",
        "423" => "the venue's day was accepted; its figures are locked",
        "429" => "too many requests",
        _ => "see the status code",
    }
}

/// Every 4xx answer of the API is the error envelope (see [`crate::error::envelope_errors`]):
/// says so where an annotation gave no content, and gives every answer a description.
fn envelope_and_describe_answers(doc: &mut utoipa::openapi::OpenApi) {
    for item in doc.paths.paths.values_mut() {
        for m in [Method::GET, Method::POST, Method::PUT, Method::DELETE] {
            let Some(op) = operation_mut(item, &m) else { continue };
            for (status, answer) in &mut op.responses.responses {
                let RefOr::T(answer) = answer else { continue };
                if answer.description.is_empty() {
                    default_description(status).clone_into(&mut answer.description);
                }
                if status.starts_with('4') && answer.content.is_empty() {
                    let RefOr::T(envelope) = error_response(&answer.description) else {
                        continue;
                    };
                    answer.content = envelope.content;
                }
            }
        }
    }
}
