//! The floor-plan planner and its print view for the set-up crew.

use super::i18n::PageLang;
use super::{PageError, PageResult, Viewer, base, campaign_nav, render, sv};
use crate::AppState;
use crate::extract::ApiPath;
use axum::extract::State;
use axum::response::Html;
use eventday_domain::BoothKind;
use eventday_store::{planning, views};
use minijinja::{Value, context};

type Page = Result<Html<String>, PageError>;

async fn plan_ctx(s: &AppState, viewer: &Viewer, id: i32) -> Result<Value, PageError> {
    let lang = viewer.lang;
    let venue = planning::venues::get(&s.store, id).await.page(lang)?;
    let c = planning::campaigns::get(&s.store, venue.campaign_id).await.page(lang)?;
    let booths = views::booths_with_units(&s.store, id).await.page(lang)?;
    // Units that may staff a booth: the campaign's booth-staffing units, and any unit already
    // on one of these booths, by name.
    let names = views::unit_names(&s.store).await.page(lang)?;
    let parts = planning::participations::list(&s.store, c.id).await.page(lang)?;
    let mut unit_ids: Vec<i32> = parts.iter().filter(|p| p.staffs_booth).map(|p| p.unit_id).collect();
    unit_ids.extend(booths.iter().flat_map(|b| b.unit_ids.iter().copied()));
    unit_ids.sort_unstable();
    unit_ids.dedup();
    let mut units: Vec<(i32, String)> =
        unit_ids.into_iter().map(|u| (u, names.get(&u).cloned().unwrap_or_default())).collect();
    units.sort_by(|a, b| a.1.cmp(&b.1));
    let kinds: Vec<(&str, &str)> = BoothKind::ALL.iter().map(|k| (k.as_str(), k.label(lang))).collect();
    // Grid lines every metre, drawn by the template.
    let cols: Vec<i64> = (0..=venue.width_m.floor() as i64).collect();
    let rows: Vec<i64> = (0..=venue.depth_m.floor() as i64).collect();
    let title = format!("{} · {}", lang.t("planner_title"), venue.name);
    // The venues page's import and export panel, for booths, this venue's offered first.
    let io = context! {
        venue => venue.id,
        note => lang.t("io_booths_note"),
        ..super::organizer::io_panel(viewer, c.id, &["booths"])
    };
    Ok(context! {
        venue => sv(&venue),
        booths => sv(&booths),
        data => sv(serde_json::json!({"venue": venue, "booths": booths, "units": units, "kinds": kinds})),
        units => sv(&units),
        kinds => sv(&kinds),
        grid_x => cols,
        grid_y => rows,
        campaign => sv(&c),
        nav => sv(campaign_nav(c.id, viewer)),
        active => "venues",
        io => io,
        ..base(viewer, &title)
    })
}

/// The planner: the venue to scale, booths to drag, resize and rotate.
pub async fn plan(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    render("planner.html", plan_ctx(&s, &viewer, id).await?)
}

/// The A4-landscape print view of a venue's plan with its booth list.
pub async fn print(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    render("plan_print.html", plan_ctx(&s, &viewer, id).await?)
}
