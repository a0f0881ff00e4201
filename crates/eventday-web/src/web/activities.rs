//! The campaign's activities (ceremonies, school lectures, community outreach, …) at every venue,
//! added, changed and deleted on one page through the same API as scripts use.

use super::i18n::{PageLang, format_count};
use super::organizer::{editor, field, in_campaign, may_plan, venue_options, vocab_options};
use super::{PageError, PageResult, Viewer, render};
use crate::AppState;
use crate::extract::ApiPath;
use axum::extract::State;
use axum::response::Html;
use chrono::{Offset, TimeZone};
use eventday_domain::ActivityKind;
use minijinja::{Value, context};

/// Every activity of the campaign by venue and start time, with a form.
///
/// # Errors
/// The campaign's or a database failure, as a page.
pub async fn activities(
    State(s): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<i32>,
) -> Result<Html<String>, PageError> {
    use eventday_store::planning;
    let lang = viewer.lang;
    let (c, ctx) = in_campaign(&s, &viewer, id, "activities").await?;
    let venues = planning::venues::list(&s.store, id).await.page(lang)?;
    let mut by_venue = eventday_store::views::activities_by_venue(&s.store, id).await.page(lang)?;
    let zone = eventday_domain::time::parse_zone(&c.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    // Times are typed as the venue's clock shows them on the day (the campaign's time zone).
    let noon = c.date.and_hms_opt(12, 0, 0).unwrap_or_default();
    let offset =
        zone.from_local_datetime(&noon).single().map_or(8 * 3600, |d| d.offset().fix().local_minus_utc());
    let offset_text = format!(
        "{}{:02}:{:02}",
        if offset < 0 { '-' } else { '+' },
        offset.unsigned_abs() / 3600,
        offset.unsigned_abs() % 3600 / 60
    );
    let mut rows: Vec<Value> = Vec::new();
    let mut data = serde_json::Map::new();
    for v in &venues {
        let mut list = by_venue.remove(&v.id).unwrap_or_default();
        list.sort_by_key(|a| (a.starts_at, a.id));
        for a in list {
            let local = |t: chrono::DateTime<chrono::Utc>| t.with_timezone(&zone).format("%H:%M").to_string();
            rows.push(context! {
                id => a.id,
                venue => v.name.clone(),
                kind => a.kind.label(lang),
                title => a.title.clone(),
                place => a.place.clone(),
                time => format!("{}–{}", local(a.starts_at), local(a.ends_at)),
                participants => format_count(a.participants),
                note => a.note.clone(),
            });
            data.insert(a.id.to_string(), serde_json::to_value(&a).unwrap_or_default());
        }
    }
    let day = vec![("date".to_owned(), c.date.to_string()), ("offset".to_owned(), offset_text)];
    let fields = vec![
        field(lang, "venue_id", "venue", "path", true).options(venue_options(&venues)),
        field(lang, "kind", "kind", "select_text", true).options(vocab_options(
            ActivityKind::ALL,
            ActivityKind::as_str,
            ActivityKind::label,
            lang,
        )),
        field(lang, "title", "activity_title", "text", true),
        field(lang, "place", "place", "text", false),
        field(lang, "starts_at", "starts_at", "daytime", true)
            .options(day.clone())
            .default(serde_json::json!("09:00")),
        field(lang, "ends_at", "ends_at", "daytime", true).options(day).default(serde_json::json!("10:00")),
        field(lang, "participants", "participants", "count", false).default(serde_json::json!(0)),
        field(lang, "note", "note", "textarea", false),
    ];
    let ed = editor(
        "activities",
        lang.t("add_activity"),
        "/api/v1/venues/{venue_id}/activities".to_owned(),
        "/api/v1/activities/{id}",
        fields,
        data,
    );
    render(
        "activities.html",
        context! { rows => rows, ed => ed, io => super::organizer::io_panel(&viewer, id, &["activities"]), can_edit => may_plan(&viewer), ..ctx },
    )
}
