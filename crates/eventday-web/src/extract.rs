//! Extractors whose rejections speak the JSON error envelope: 400 for a body, path or query
//! that cannot be read (naming the JSON path where serde gives one), 413 over the body limit,
//! 415 for a body that is not JSON. Unknown fields are a 400 naming the field.

use crate::AppError;
use crate::error::too_large_message;
use axum::body::Bytes;
use axum::extract::rejection::BytesRejection;
use axum::extract::{FromRequest, FromRequestParts, Path, Query, Request};
use axum::http::header::CONTENT_TYPE;
use axum::http::request::Parts;
use eventday_domain::FieldErrors;
use serde::de::DeserializeOwned;

/// A JSON body, parsed strictly, with rejections in the envelope.
#[derive(Debug)]
pub struct ApiJson<T>(pub T);

fn is_json(req: &Request) -> bool {
    req.headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .and_then(|v| v.split(';').next())
        .map(|m| m.trim().to_ascii_lowercase())
        .is_some_and(|m| m == "application/json" || (m.starts_with("application/") && m.ends_with("+json")))
}

/// Reads a whole body, turning an over-limit body into 413.
pub(crate) async fn body_bytes<S: Send + Sync>(req: Request, state: &S) -> Result<Bytes, AppError> {
    Bytes::from_request(req, state).await.map_err(|e| match e {
        BytesRejection::FailedToBufferBody(inner)
            if inner.body_text().contains("length limit") || inner.status().as_u16() == 413 =>
        {
            AppError::TooLarge(too_large_message())
        }
        other => AppError::Malformed { message: other.body_text(), fields: FieldErrors::new() },
    })
}

/// The bytes of an upload (a log photo, a task's evidence): the raw body, or the first part of a
/// multipart form, with the file name a form gives. A raw body over the route's limit is the
/// usual [`AppError::TooLarge`]; a form part over it becomes `too_large()`.
pub(crate) async fn uploaded_file<S: Send + Sync>(
    req: Request,
    state: &S,
    too_large: impl Fn() -> AppError,
) -> Result<(Vec<u8>, Option<String>), AppError> {
    let multipart = req
        .headers()
        .get(CONTENT_TYPE)
        .and_then(|v| v.to_str().ok())
        .is_some_and(|v| v.starts_with("multipart/form-data"));
    if !multipart {
        return Ok((body_bytes(req, state).await?.to_vec(), None));
    }
    let bad = |m: String| AppError::Malformed { message: m, fields: FieldErrors::new() };
    let mut form =
        axum::extract::Multipart::from_request(req, state).await.map_err(|e| bad(e.body_text()))?;
    let field = form.next_field().await.map_err(|e| bad(e.body_text()))?;
    let field = field.ok_or_else(|| bad("the form holds no file".into()))?;
    let name = field.file_name().map(str::to_owned);
    let bytes = field.bytes().await.map_err(|e| {
        if e.status() == axum::http::StatusCode::PAYLOAD_TOO_LARGE { too_large() } else { bad(e.body_text()) }
    })?;
    Ok((bytes.to_vec(), name))
}

/// Parses JSON naming the path of the first bad value (`materials.12`, `visitors`).
///
/// # Errors
/// [`AppError::Malformed`].
pub fn parse_json<T: DeserializeOwned>(bytes: &[u8]) -> Result<T, AppError> {
    let de = &mut serde_json::Deserializer::from_slice(bytes);
    let result: Result<T, _> = serde_path_to_error::deserialize(&mut *de);
    let value = result.map_err(|e| {
        let path = e.path().to_string();
        let inner = e.into_inner();
        let mut fields = FieldErrors::new();
        let message = if inner.is_eof() {
            format!("the JSON body ends too early (line {}, column {})", inner.line(), inner.column())
        } else if inner.is_syntax() {
            format!("malformed JSON at line {}, column {}: {inner}", inner.line(), inner.column())
        } else {
            // serde_path_to_error's path already ends with an unknown field's name.
            let text = inner.to_string();
            let field = if path == "." { "_".to_owned() } else { path.clone() };
            fields.insert(field, text.clone());
            format!("the JSON body does not match the expected shape: {text}")
        };
        AppError::Malformed { message, fields }
    })?;
    // Anything but whitespace after the value (`{"name":"a"}garbage`) makes the body unreadable.
    de.end().map_err(|e| AppError::Malformed {
        message: format!("unexpected data after the JSON value at line {}, column {}", e.line(), e.column()),
        fields: FieldErrors::new(),
    })?;
    Ok(value)
}

impl<T: DeserializeOwned, S: Send + Sync> FromRequest<S> for ApiJson<T> {
    type Rejection = AppError;

    async fn from_request(req: Request, state: &S) -> Result<Self, Self::Rejection> {
        if !is_json(&req) {
            return Err(AppError::UnsupportedMediaType(
                "send the body as JSON with Content-Type: application/json".into(),
            ));
        }
        let bytes = body_bytes(req, state).await?;
        parse_json(&bytes).map(ApiJson)
    }
}

/// Path parameters with rejections in the envelope (400).
#[derive(Debug)]
pub struct ApiPath<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiPath<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Path::<T>::from_request_parts(parts, state).await.map(|Path(v)| ApiPath(v)).map_err(|e| {
            AppError::Malformed {
                message: format!("bad path parameter: {}", e.body_text()),
                fields: FieldErrors::new(),
            }
        })
    }
}

/// Query parameters with rejections in the envelope (400).
#[derive(Debug)]
pub struct ApiQuery<T>(pub T);

impl<T: DeserializeOwned + Send, S: Send + Sync> FromRequestParts<S> for ApiQuery<T> {
    type Rejection = AppError;

    async fn from_request_parts(parts: &mut Parts, state: &S) -> Result<Self, Self::Rejection> {
        Query::<T>::from_request_parts(parts, state).await.map(|Query(v)| ApiQuery(v)).map_err(|e| {
            AppError::Malformed {
                message: format!("bad query parameter: {}", e.body_text()),
                fields: FieldErrors::new(),
            }
        })
    }
}

/// The signed-in user's id, set in the request extensions by the authentication layer;
/// `None` until that layer exists. Every write passes it to the store for the audit trail.
#[derive(Debug, Clone, Copy)]
pub struct Actor(pub Option<i32>);

/// The extension the authentication layer inserts for a signed-in user.
#[derive(Debug, Clone, Copy)]
pub struct ActorId(pub i32);

impl<S: Send + Sync> FromRequestParts<S> for Actor {
    type Rejection = std::convert::Infallible;

    async fn from_request_parts(parts: &mut Parts, _: &S) -> Result<Self, Self::Rejection> {
        Ok(Actor(parts.extensions.get::<ActorId>().map(|a| a.0)))
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[derive(Debug, serde::Deserialize)]
    #[serde(deny_unknown_fields)]
    #[allow(dead_code)]
    struct T {
        visitors: i64,
    }

    fn fields(r: Result<T, AppError>) -> Vec<String> {
        match r {
            Err(AppError::Malformed { fields, .. }) => fields.into_keys().collect(),
            _ => vec!["<not malformed>".into()],
        }
    }

    #[test]
    fn wrong_types_and_unknown_fields_are_named() {
        assert_eq!(fields(parse_json(br#"{"visitors":"many"}"#)), ["visitors"]);
        assert_eq!(fields(parse_json(br#"{"visitors":1,"vistors":2}"#)), ["vistors"]);
        assert!(fields(parse_json(br#"{"visitors":1"#)).is_empty());
    }

    #[test]
    fn trailing_data_after_the_value_is_refused() {
        assert!(matches!(parse_json::<T>(br#"{"visitors":1}garbage"#), Err(AppError::Malformed { .. })));
        assert!(matches!(
            parse_json::<T>(br#"{"visitors":1}{"visitors":2}"#),
            Err(AppError::Malformed { .. })
        ));
        assert!(parse_json::<T>(b"{\"visitors\":1}\n ").is_ok());
    }
}
