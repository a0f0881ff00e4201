//! The floor-plan planner and its print view for the set-up crew.

use super::i18n::PageLang;
use super::{PageError, PageResult, Viewer, base, campaign_nav, render, sv};
use crate::AppState;
use crate::extract::ApiPath;
use axum::extract::State;
use axum::response::Html;
use eventday_store::{planning, views};
use minijinja::{Value, context};

type Page = Result<Html<String>, PageError>;

async fn plan_ctx(s: &AppState, viewer: &Viewer, id: i32) -> Result<Value, PageError> {
    let lang = viewer.lang;
    let venue = planning::venues::get(&s.store, id).await.page(lang)?;
    let c = planning::campaigns::get(&s.store, venue.campaign_id).await.page(lang)?;
    let booths = views::booths_with_units(&s.store, id).await.page(lang)?;
    // Grid lines every metre, drawn by the template.
    let cols: Vec<i64> = (0..=venue.width_m.floor() as i64).collect();
    let rows: Vec<i64> = (0..=venue.depth_m.floor() as i64).collect();
    let title = format!("{} · {}", lang.t("planner_title"), venue.name);
    Ok(context! {
        venue => sv(&venue),
        booths => sv(&booths),
        data => sv(serde_json::json!({"venue": venue, "booths": booths})),
        grid_x => cols,
        grid_y => rows,
        campaign => sv(&c),
        nav => sv(campaign_nav(c.id, viewer)),
        active => "venues",
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
