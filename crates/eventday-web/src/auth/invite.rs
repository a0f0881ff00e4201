//! Lead invitations: an organizer makes a one-time link for a venue (also as a QR code to print on
//! the venue's paperwork); opening it shows a small form where the new lead picks a login and a
//! password. Accepting signs the new lead in and takes them straight to their venue's page.

use super::caller::Caller;
use super::handlers::{body, path_id};
use super::rules::{RouteSpec, Rule, Target, documented};
use crate::{AppError, AppState, ErrorBody};
use axum::Json;
use axum::extract::rejection::{JsonRejection, PathRejection};
use axum::extract::{Path, Query, State};
use axum::http::{HeaderMap, StatusCode, header};
use axum::response::{IntoResponse, Response};
use eventday_store::accounts::{self, INVITATION_TTL, InvitationInfo};
use eventday_store::scope::Entity;
use serde::{Deserialize, Serialize};

/// The routes of this module, each with its access rule (the API routes' method and path are
/// in their handlers' `#[utoipa::path]`).
pub(crate) fn routes() -> Vec<RouteSpec> {
    const INVITATION: &[Target] = &[Target::Path(Entity::Invitation, "id")];
    vec![
        documented!(Rule::Plan(&[Target::Path(Entity::Venue, "id")]), create),
        documented!(Rule::Plan(INVITATION), qr_svg),
        documented!(Rule::Plan(INVITATION), qr_png),
        documented!(Rule::Plan(INVITATION), revoke),
    ]
}

/// The base of links given out: the configured public URL, else what the client called.
fn base_url(state: &AppState, headers: &HeaderMap) -> String {
    if let Some(u) = &state.config.public_url {
        return u.trim_end_matches('/').to_owned();
    }
    let host = headers.get(header::HOST).and_then(|h| h.to_str().ok()).unwrap_or("localhost");
    let scheme = if state.config.secure_cookies { "https" } else { "http" };
    format!("{scheme}://{host}")
}

/// Options of a new invitation (the body may be left out).
#[derive(Deserialize, Default, utoipa::ToSchema)]
pub(crate) struct CreateBody {
    /// Hours the link stays valid, 1 to 720 (default 168, 7 days).
    valid_hours: Option<i64>,
}

/// A new invitation: the secret link, shown this once, and where to get it as a QR code.
#[derive(Serialize, utoipa::ToSchema)]
pub(crate) struct NewInvitation {
    /// The invitation.
    invitation: InvitationInfo,
    /// The one-time link to hand to the new lead (`…/invite/<token>`).
    link: String,
    /// The link as an SVG QR code (relative URL carrying the token).
    qr_svg: String,
    /// The link as a PNG QR code (relative URL carrying the token).
    qr_png: String,
}

/// Make a one-time invitation link for a new lead of the venue. Only the secret's hash is
/// stored: the link and the QR URLs are shown this once.
#[utoipa::path(post, path = "/api/v1/venues/{id}/invitations", tag = "accounts", operation_id = "create_invitation",
    params(("id" = i32, Path, description = "venue id")),
    request_body(content = Option<CreateBody>, description = "optional; an empty body takes the defaults"),
    responses((status = 201, body = NewInvitation), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 422, body = ErrorBody, description = "`valid_hours` out of range")))]
#[tracing::instrument(skip_all)]
async fn create(
    State(state): State<AppState>,
    caller: Caller,
    headers: HeaderMap,
    id: Result<Path<i32>, PathRejection>,
    b: Result<Json<CreateBody>, JsonRejection>,
) -> Result<(StatusCode, Json<NewInvitation>), AppError> {
    let venue_id = path_id(id)?;
    // An empty body means the defaults.
    let b = if matches!(b, Err(JsonRejection::MissingJsonContentType(_))) {
        CreateBody::default()
    } else {
        body(b)?
    };
    let ttl = match b.valid_hours {
        None => INVITATION_TTL,
        Some(h) if (1..=720).contains(&h) => chrono::Duration::hours(h),
        Some(_) => {
            let mut f = eventday_domain::FieldErrors::new();
            f.insert("valid_hours".into(), "must be 1 to 720 hours".into());
            return Err(AppError::Invalid(f));
        }
    };
    let (inv, token) =
        accounts::create_invitation(&state.store, venue_id, caller.principal.user_id, ttl).await?;
    let link = format!("{}/invite/{token}", base_url(&state, &headers));
    let qr = format!("/api/v1/invitations/{}/qr", inv.id);
    Ok((
        StatusCode::CREATED,
        Json(NewInvitation {
            invitation: inv,
            link,
            qr_svg: format!("{qr}.svg?token={token}"),
            qr_png: format!("{qr}.png?token={token}"),
        }),
    ))
}

/// Take back an invitation that was not used: its link then opens nothing (a card lost, the
/// wrong person). Revoking it again changes nothing.
#[utoipa::path(post, path = "/api/v1/invitations/{id}/revoke", tag = "accounts",
    params(("id" = i32, Path, description = "invitation id")),
    responses((status = 200, body = InvitationInfo), (status = 400, body = ErrorBody), (status = 404, body = ErrorBody),
        (status = 409, body = ErrorBody, description = "the invitation was used: disable the lead's account instead")))]
#[tracing::instrument(skip_all)]
async fn revoke(
    State(state): State<AppState>,
    caller: Caller,
    id: Result<Path<i32>, PathRejection>,
) -> Result<Json<InvitationInfo>, AppError> {
    Ok(Json(accounts::revoke_invitation(&state.store, path_id(id)?, caller.actor()).await?))
}

/// Query of the QR code routes.
#[derive(Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
pub(crate) struct QrQuery {
    /// The invitation's secret token (from the link made with it).
    token: String,
}

/// The invitation's link after checking `token` is its secret (only the hash is stored, so the
/// organizer hands the secret back to get the picture).
async fn qr_link(
    state: &AppState,
    headers: &HeaderMap,
    id: Result<Path<i32>, PathRejection>,
    q: Result<Query<QrQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<qrcode::QrCode, AppError> {
    let Query(QrQuery { token }) =
        q.map_err(|_| AppError::BadRequest("the query needs token=<the invitation's token>".into()))?;
    accounts::invitation_venue_by_secret(&state.store, path_id(id)?, &token).await?;
    let link = format!("{}/invite/{token}", base_url(state, headers));
    qrcode::QrCode::new(link.as_bytes()).map_err(|e| AppError::Internal(std::sync::Arc::new(e)))
}

/// The invitation's link as a SVG QR code, to print on the venue's paperwork. The organizer hands
/// back the token (only its hash is stored); the answer is not cached.
#[utoipa::path(get, path = "/api/v1/invitations/{id}/qr.svg", tag = "accounts",
    params(("id" = i32, Path, description = "invitation id"), QrQuery),
    responses((status = 200, content_type = "image/svg+xml", body = String, description = "the QR code"),
        (status = 400, body = ErrorBody, description = "a malformed id, or no `token` in the query"),
        (status = 404, body = ErrorBody, description = "unknown invitation, or the token is not its secret")))]
#[tracing::instrument(skip_all)]
async fn qr_svg(
    State(state): State<AppState>,
    headers: HeaderMap,
    id: Result<Path<i32>, PathRejection>,
    q: Result<Query<QrQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AppError> {
    let code = qr_link(&state, &headers, id, q).await?;
    let svg = code.render::<qrcode::render::svg::Color<'_>>().min_dimensions(240, 240).build();
    Ok(([(header::CONTENT_TYPE, "image/svg+xml"), (header::CACHE_CONTROL, "no-store")], svg).into_response())
}

/// The invitation's link as a PNG QR code (8 pixels a module, 4-module margin), to print on the
/// venue's paperwork. The organizer hands back the token (only its hash is stored); the answer
/// is not cached.
#[utoipa::path(get, path = "/api/v1/invitations/{id}/qr.png", tag = "accounts",
    params(("id" = i32, Path, description = "invitation id"), QrQuery),
    responses((status = 200, content_type = "image/png", body = crate::openapi::Binary, description = "the QR code"),
        (status = 400, body = ErrorBody, description = "a malformed id, or no `token` in the query"),
        (status = 404, body = ErrorBody, description = "unknown invitation, or the token is not its secret")))]
#[tracing::instrument(skip_all)]
async fn qr_png(
    State(state): State<AppState>,
    headers: HeaderMap,
    id: Result<Path<i32>, PathRejection>,
    q: Result<Query<QrQuery>, axum::extract::rejection::QueryRejection>,
) -> Result<Response, AppError> {
    let code = qr_link(&state, &headers, id, q).await?;
    let png = png_of(&code).map_err(|e| AppError::Internal(std::sync::Arc::new(e)))?;
    Ok(([(header::CONTENT_TYPE, "image/png"), (header::CACHE_CONTROL, "no-store")], png).into_response())
}

/// Draws a QR code as a grayscale PNG: 8 pixels a module, with the standard 4-module margin.
fn png_of(code: &qrcode::QrCode) -> Result<Vec<u8>, png::EncodingError> {
    const SCALE: usize = 8;
    const QUIET: usize = 4;
    let modules = code.width();
    let side = (modules + 2 * QUIET) * SCALE;
    let colors = code.to_colors();
    let mut pixels = vec![255u8; side * side];
    for (i, c) in colors.iter().enumerate() {
        if *c == qrcode::Color::Dark {
            let (mx, my) = (i % modules + QUIET, i / modules + QUIET);
            for y in my * SCALE..(my + 1) * SCALE {
                pixels[y * side + mx * SCALE..y * side + (mx + 1) * SCALE].fill(0);
            }
        }
    }
    let mut out = Vec::new();
    let side32 = u32::try_from(side).unwrap_or(u32::MAX);
    let mut enc = png::Encoder::new(&mut out, side32, side32);
    enc.set_color(png::ColorType::Grayscale);
    enc.set_depth(png::BitDepth::Eight);
    let mut w = enc.write_header()?;
    w.write_image_data(&pixels)?;
    w.finish()?;
    Ok(out)
}
