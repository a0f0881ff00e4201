//! The page a new lead opens from an invitation link (`/invite/{token}`): in the page's language
//! like every other page, in the common layout, with what went wrong said in words beside the
//! form. The routes and the accepting itself are in [`crate::auth`]'s invitation module.

use super::i18n::{Lang, PageLang as _};
use super::{Viewer, base, render};
use axum::http::StatusCode;
use axum::response::{IntoResponse, Response};
use eventday_domain::FieldErrors;
use eventday_domain::account::MIN_PASSWORD_CHARS;
use eventday_store::accounts::InvitationProblem;
use minijinja::context;

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
