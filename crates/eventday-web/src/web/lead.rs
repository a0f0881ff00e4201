//! The sign-in page and the phone-first logging page for venue leads.

use super::i18n::PageLang;
use super::i18n::format_date;
use super::{PageError, PageResult, Viewer, base, render, sv};
use crate::AppState;
use crate::extract::ApiPath;
use axum::extract::State;
use axum::response::Html;
use eventday_domain::Role;
use eventday_store::{planning, queries};
use minijinja::context;

type Page = Result<Html<String>, PageError>;

/// Sign-in (the form posts to the API with JavaScript).
pub async fn login(viewer: Viewer) -> Page {
    let lang = viewer.lang;
    render("login.html", base(&viewer, lang.t("sign_in")))
}

/// Venues to choose from: a lead's own venues, or every venue of the campaigns the user reads.
pub async fn choose(State(s): State<AppState>, viewer: Viewer) -> Page {
    let lang = viewer.lang;
    let Some(caller) = viewer.caller.as_ref() else {
        return Err(PageError::with(crate::AppError::Unauthorized(String::new()), lang));
    };
    let who = &caller.principal;
    let campaigns = queries::list_readable_campaigns(&s.store, who).await.page(lang)?;
    let mut groups = Vec::new();
    for c in campaigns.iter().take(10) {
        let venues: Vec<_> = planning::venues::list(&s.store, c.id)
            .await
            .page(lang)?
            .into_iter()
            .filter(|v| who.role != Role::Lead || who.venue_ids.contains(&v.id))
            .collect();
        if !venues.is_empty() {
            groups.push(context! { c => sv(c), venues => sv(&venues) });
        }
    }
    render("lead_choose.html", context! { groups => groups, ..base(&viewer, lang.t("choose_venue")) })
}

/// The logging page of one venue.
pub async fn log_page(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    let lang = viewer.lang;
    let venue = planning::venues::get(&s.store, id).await.page(lang)?;
    let c = planning::campaigns::get(&s.store, venue.campaign_id).await.page(lang)?;
    let materials = planning::materials::list(&s.store, c.id).await.page(lang)?;
    let zone = eventday_domain::time::parse_zone(&c.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let (start, end) =
        eventday_domain::time::day_bounds(c.date, zone).map_err(crate::AppError::BadRequest).page(lang)?;
    // The server's rules, for the checks the page makes before it queues an entry.
    use eventday_domain::validate::{MAX_FEN, MAX_NAME_CHARS, MAX_PEOPLE, MAX_QUANTITY};
    let data = serde_json::json!({
        "venue_id": venue.id,
        "day_start": start,
        "day_end": end,
        "day_status": venue.day_status.as_str(),
        "reopen_reason": venue.reopen_reason,
        "materials": materials,
        "limits": {
            "people": MAX_PEOPLE,
            "fen": MAX_FEN,
            "quantity": MAX_QUANTITY,
            "name": MAX_NAME_CHARS,
            "note": eventday_domain::log::MAX_NOTE_CHARS,
            "reason": eventday_domain::log::MAX_REASON_CHARS,
        },
    });
    let title = format!("{} · {}", lang.t("lead_title"), venue.name);
    render(
        "lead.html",
        context! {
            venue => sv(&venue),
            campaign => sv(&c),
            campaign_date => format_date(lang, c.date),
            materials => sv(&materials),
            data => sv(&data),
            ..base(&viewer, &title)
        },
    )
}
