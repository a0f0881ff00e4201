//! Closing tallies on a page: a booth's or a whole venue's count at the end of the day, recorded
//! by the venue's lead or an organizer through the same API as scripts use.

use super::i18n::{PageLang, format_count};
use super::organizer::{editor, field, in_campaign, may_log, venue_options};
use super::{PageError, PageResult, Viewer, render};
use crate::AppState;
use crate::extract::ApiPath;
use axum::extract::State;
use axum::response::Html;
use eventday_domain::money::format_yuan;
use minijinja::{Value, context};
use std::collections::HashMap;

/// Every closing tally of the campaign by venue, with a form to add, change and remove them.
///
/// # Errors
/// The campaign's or a database failure, as a page.
pub async fn tallies(
    State(s): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<i32>,
) -> Result<Html<String>, PageError> {
    use eventday_store::planning;
    let lang = viewer.lang;
    let (_, ctx) = in_campaign(&s, &viewer, id, "tallies").await?;
    let venues = planning::venues::list(&s.store, id).await.page(lang)?;
    let mut booths = eventday_store::views::booths_by_venue(&s.store, id).await.page(lang)?;
    let mut tallies = eventday_store::views::tallies_by_venue(&s.store, id).await.page(lang)?;
    let whole = lang.t("whole_venue");
    // Booths are numbered per venue in id order, as on the floor plan.
    let mut booth_label: HashMap<i32, String> = HashMap::new();
    let mut booth_options: Vec<(String, String)> = Vec::new();
    let mut rows: Vec<Value> = Vec::new();
    let mut data = serde_json::Map::new();
    for v in &venues {
        for (n, b) in booths.remove(&v.id).unwrap_or_default().iter().enumerate() {
            let own = format!("{} · {}", lang.t("booth_n").replace("{n}", &(n + 1).to_string()), b.topic);
            booth_options.push((b.id.to_string(), format!("{} · {own}", v.name)));
            booth_label.insert(b.id, own);
        }
        for t in tallies.remove(&v.id).unwrap_or_default() {
            let scope =
                t.booth_id.and_then(|b| booth_label.get(&b).cloned()).unwrap_or_else(|| whole.to_owned());
            rows.push(context! {
                id => t.id,
                venue => v.name.clone(),
                scope => scope,
                visitors => format_count(t.visitors),
                consultations => format_count(t.consultations),
                received => format_count(t.complaints_received),
                settled => format_count(t.complaints_settled),
                money => format_yuan(t.money_recovered_fen),
                note => t.note.clone(),
            });
            // The editor fills its form from the input's shape, not the row's.
            data.insert(
                t.id.to_string(),
                serde_json::json!({
                    "venue_id": t.venue_id,
                    "booth_id": t.booth_id,
                    "figures": {
                        "visitors": t.visitors,
                        "consultations": t.consultations,
                        "complaints_received": t.complaints_received,
                        "complaints_settled": t.complaints_settled,
                        "money_recovered_fen": t.money_recovered_fen,
                    },
                    "note": t.note,
                    "recorded_at": t.recorded_at,
                }),
            );
        }
    }
    let zero = serde_json::json!(0);
    let fields = vec![
        // The venue names the list the tally is created under; it is not part of the body.
        field(lang, "venue_id", "venue", "path", true).options(venue_options(&venues)),
        field(lang, "booth_id", "tally_scope", "select_opt", false).options(booth_options),
        field(lang, "figures.visitors", "visitors", "count", true).default(zero.clone()),
        field(lang, "figures.consultations", "consultations", "count", true).default(zero.clone()),
        field(lang, "figures.complaints_received", "complaints_received", "count", true)
            .default(zero.clone()),
        field(lang, "figures.complaints_settled", "complaints_settled", "count", true).default(zero.clone()),
        field(lang, "figures.money_recovered_fen", "money_recovered", "money", false),
        field(lang, "note", "note", "textarea", false),
        field(lang, "recorded_at", "recorded_at", "keep", false),
    ];
    let ed = editor(
        "tallies",
        lang.t("add_tally"),
        "/api/v1/venues/{venue_id}/tallies".to_owned(),
        "/api/v1/tallies/{id}",
        fields,
        data,
    );
    render(
        "tallies.html",
        context! { rows => rows, ed => ed, io => super::organizer::io_panel(&viewer, id, &["tallies"]), can_edit => may_log(&viewer), ..ctx },
    )
}
