//! The page a new lead opens from an invitation link (`/invite/{token}`): in the page's language
//! like every other page, in the common layout, with what went wrong said in words beside the
//! form; accepting it makes the lead's account, signs them in and sends them to their venue.
//! Making, showing as QR code and revoking invitations is the API's (`crate::auth`).

use super::i18n::{Lang, PageLang as _};
use super::{Viewer, base, render};
use crate::{AppError, AppState};
use axum::Form;
use axum::extract::rejection::FormRejection;
use axum::extract::{Path, State};
use axum::http::{StatusCode, header};
use axum::response::{IntoResponse, Response};
use eventday_domain::FieldErrors;
use eventday_domain::account::MIN_PASSWORD_CHARS;
use eventday_store::accounts;
use eventday_store::accounts::InvitationProblem;
use minijinja::context;
use serde::Deserialize;

/// What the page shows.
pub enum InvitePage<'a> {
    /// The form, for the venue named, perhaps with what was wrong and what was typed.
    Form { venue: &'a str, error: Option<String>, login: &'a str, display_name: &'a str },
    /// The link cannot be used.
    Problem(InvitationProblem),
    /// The account was made but signing in did not succeed: sign in now.
    Done { login: &'a str },
}

/// What was wrong with the form, in words of the page's language (the store names fields in
/// English for programs).
#[must_use]
pub fn form_error(lang: Lang, fields: &FieldErrors) -> String {
    let mut out = Vec::new();
    for (field, why) in fields {
        let words = match field.as_str() {
            "login" => lang.t("invite_login_bad").to_owned(),
            "password" if why.contains("at most") => lang.t("invite_password_long").to_owned(),
            "password" => lang.t("invite_password_short").replace("{n}", &MIN_PASSWORD_CHARS.to_string()),
            "display_name" => lang.t("invite_name_bad").to_owned(),
            _ => lang.t("invite_fill").to_owned(),
        };
        if !out.contains(&words) {
            out.push(words);
        }
    }
    out.join(" ")
}

/// Renders the invitation page with `status`.
#[must_use]
pub fn page(viewer: &Viewer, status: StatusCode, what: InvitePage<'_>) -> Response {
    let lang = viewer.lang;
    let title = lang.t("invite_title");
    let ctx = match what {
        InvitePage::Form { venue, error, login, display_name } => context! {
            intro => lang.t("invite_intro").replace("{venue}", venue),
            error => error,
            login => login,
            display_name => display_name,
            password_hint => lang.t("invite_password_hint").replace("{n}", &MIN_PASSWORD_CHARS.to_string()),
            ..base(viewer, title)
        },
        InvitePage::Problem(p) => {
            let key = match p {
                InvitationProblem::Unknown => "invite_unknown",
                InvitationProblem::Expired => "invite_expired",
                InvitationProblem::Used => "invite_used",
                InvitationProblem::Revoked => "invite_revoked",
            };
            context! { problem => lang.t(key), ..base(viewer, title) }
        }
        InvitePage::Done { login } => {
            context! { done => lang.t("invite_done").replace("{login}", login), ..base(viewer, title) }
        }
    };
    match render("invite.html", ctx) {
        Ok(html) => (status, [(axum::http::header::CACHE_CONTROL, "no-store")], html).into_response(),
        Err(e) => e.into_response(),
    }
}

#[tracing::instrument(skip_all)]
pub(crate) async fn show(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(token): Path<String>,
) -> Result<Response, AppError> {
    Ok(match accounts::open_invitation(&state.store, &token).await? {
        Ok(view) => page(
            &viewer,
            StatusCode::OK,
            InvitePage::Form { venue: &view.venue_name, error: None, login: "", display_name: "" },
        ),
        Err(p) => problem_page(&viewer, p),
    })
}

fn problem_page(viewer: &Viewer, p: InvitationProblem) -> Response {
    let status = match p {
        InvitationProblem::Unknown => StatusCode::NOT_FOUND,
        InvitationProblem::Expired | InvitationProblem::Used | InvitationProblem::Revoked => StatusCode::GONE,
    };
    page(viewer, status, InvitePage::Problem(p))
}

/// Signs the lead who just accepted in and sends them to their venue's logging page (a lead
/// invited for one venue has one; with several, the choice of venues). `None` when the sign-in
/// does not succeed (e.g. throttled): the caller shows the "log in now" page instead.
async fn signed_in(
    state: &AppState,
    login: &str,
    password: String,
    address: &str,
) -> Result<Option<Response>, AppError> {
    let accounts::LoginOutcome::Success { principal, session_token, .. } =
        accounts::login(&state.store, login, &password, address).await?
    else {
        return Ok(None);
    };
    let cookie = crate::auth::session_set_cookie(Some(&session_token), state.config.secure_cookies)?;
    let to = match principal.venue_ids.iter().collect::<Vec<_>>().as_slice() {
        [one] => format!("/lead/venues/{one}"),
        _ => "/lead".to_owned(),
    };
    Ok(Some(
        (
            StatusCode::SEE_OTHER,
            [
                (header::SET_COOKIE, cookie),
                (
                    header::LOCATION,
                    to.parse().map_err(|e: axum::http::header::InvalidHeaderValue| {
                        AppError::Internal(std::sync::Arc::new(e))
                    })?,
                ),
            ],
        )
            .into_response(),
    ))
}

#[derive(Deserialize)]
pub(crate) struct AcceptForm {
    login: String,
    #[serde(default)]
    display_name: String,
    password: String,
}

#[tracing::instrument(skip_all)]
pub(crate) async fn accept(
    State(state): State<AppState>,
    viewer: Viewer,
    Path(token): Path<String>,
    connect: Option<axum::Extension<axum::extract::ConnectInfo<std::net::SocketAddr>>>,
    f: Result<Form<AcceptForm>, FormRejection>,
) -> Result<Response, AppError> {
    let lang = viewer.lang;
    let view = match accounts::open_invitation(&state.store, &token).await? {
        Ok(v) => v,
        Err(p) => return Ok(problem_page(&viewer, p)),
    };
    let Ok(Form(f)) = f else {
        let form = InvitePage::Form {
            venue: &view.venue_name,
            error: Some(lang.t("invite_fill").to_owned()),
            login: "",
            display_name: "",
        };
        return Ok(page(&viewer, StatusCode::BAD_REQUEST, form));
    };
    let refused = |msg: String| {
        let form = InvitePage::Form {
            venue: &view.venue_name,
            error: Some(msg),
            login: &f.login,
            display_name: &f.display_name,
        };
        Ok(page(&viewer, StatusCode::UNPROCESSABLE_ENTITY, form))
    };
    if f.login.trim().is_empty() || f.password.is_empty() {
        return refused(lang.t("invite_fill").to_owned());
    }
    match accounts::accept_invitation(&state.store, &token, &f.login, &f.display_name, f.password.clone())
        .await
    {
        Ok(Ok(user)) => {
            let address = connect.map_or_else(|| "unknown".to_owned(), |e| e.0.0.ip().to_string());
            if let Some(r) = signed_in(&state, &f.login, f.password, &address).await? {
                return Ok(r);
            }
            Ok(page(&viewer, StatusCode::OK, InvitePage::Done { login: &user.login }))
        }
        Ok(Err(p)) => Ok(problem_page(&viewer, p)),
        Err(eventday_store::StoreError::Invalid(v)) => refused(form_error(lang, &v.fields)),
        Err(eventday_store::StoreError::Constraint {
            kind: eventday_store::ConstraintKind::Unique, ..
        }) => refused(lang.t("invite_login_taken").to_owned()),
        Err(e) => Err(e.into()),
    }
}
