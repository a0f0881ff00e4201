//! The lead's side of the preparations: the check-in link a participant's QR code holds.
//!
//! Decoding QR codes in the browser needs a camera library the pages would have to ship (no
//! CDN), so the code holds a plain link instead, `/check-in/{campaign}/{participant}`: the
//! phone's own camera app recognises it and opens it in the browser where the lead is signed
//! in. The link names only the participant, nothing secret: the lead's session decides where
//! the check-in goes (their venue), the page posts it with a client-made id kept on the phone
//! (a second scan or a resend is stored once), and queues it while offline.

use super::i18n::PageLang;
use super::{PageError, PageResult, Viewer, base, render, sv};
use crate::AppState;
use crate::extract::ApiPath;
use axum::extract::State;
use axum::response::Html;
use eventday_domain::Role;
use eventday_store::planning;
use minijinja::context;

type Page = Result<Html<String>, PageError>;

/// The page a participant's QR code opens: who it is and a button to sign them in at one of
/// the caller's venues of that campaign.
pub async fn check_in_link(
    State(s): State<AppState>,
    viewer: Viewer,
    ApiPath((campaign_id, participant)): ApiPath<(i32, String)>,
) -> Page {
    let lang = viewer.lang;
    let not_found = || PageError::with(crate::AppError::NotFound(format!("participant {participant}")), lang);
    let Some(caller) = viewer.caller.as_ref() else {
        return Err(PageError::with(crate::AppError::Unauthorized(String::new()), lang));
    };
    let c = planning::campaigns::get(&s.store, campaign_id).await.page(lang)?;
    let (kind, id) = participant.split_once('-').ok_or_else(not_found)?;
    let id: i32 = id.parse().map_err(|_| not_found())?;
    let (name, detail) = match kind {
        "unit" => {
            let parts = planning::participations::list(&s.store, c.id).await.page(lang)?;
            if !parts.iter().any(|p| p.unit_id == id) {
                return Err(not_found());
            }
            (planning::units::get(&s.store, id).await.page(lang)?.name, String::new())
        }
        "official" => {
            let o = planning::officials::get(&s.store, id).await.page(lang)?;
            if o.campaign_id != c.id {
                return Err(not_found());
            }
            (o.name, format!("{} {}", o.organization, o.title))
        }
        _ => return Err(not_found()),
    };
    let who = &caller.principal;
    let venues: Vec<_> = planning::venues::list(&s.store, c.id)
        .await
        .page(lang)?
        .into_iter()
        .filter(|v| {
            if who.role == Role::Lead { who.venue_ids.contains(&v.id) } else { who.role == Role::Organizer }
        })
        .collect();
    let data = serde_json::json!({
        "campaign_id": c.id, "kind": kind, "id": id, "key": participant,
    });
    render(
        "check_in_link.html",
        context! {
            campaign => sv(&c), name => name, detail => detail, venues => sv(&venues), data => sv(&data),
            ..base(&viewer, lang.t("check_in_title"))
        },
    )
}
