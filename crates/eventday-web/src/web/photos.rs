//! The day's notes and photos on a page: by venue and hour, a venue filter, a larger view on
//! click, the caption and the star "for the report" for those who log at the venue (organizers,
//! the venue's leads), read-only for viewers; a lead sees only their venues.

use super::i18n::{Lang, PageLang, format_count};
use super::organizer::{in_campaign, may_log};
use super::{PageError, PageResult, Viewer, render};
use crate::AppState;
use crate::extract::ApiPath;
use axum::extract::{RawQuery, State};
use axum::response::Html;
use eventday_store::photos::{self, EntryState, PhotoItem};
use minijinja::{Value, context};

/// An hour of a venue's photos: its label ("09:00") and the photo cards.
type Hour = (String, Vec<Value>);
/// A venue's photos: its name, its id and its hours.
type VenueGroup = (String, i32, Vec<Hour>);

/// The venue chosen in `?venue=ID` (anything else: every venue).
fn chosen_venue(query: Option<&str>) -> Option<i32> {
    query?.split('&').find_map(|kv| kv.strip_prefix("venue="))?.parse().ok()
}

fn entry_label(state: EntryState, lang: Lang) -> Option<&'static str> {
    match state {
        EntryState::Counted => None,
        EntryState::Corrected => Some(lang.t("photo_corrected")),
        EntryState::Voided => Some(lang.t("photo_voided")),
    }
}

/// One photo card.
fn card(p: &PhotoItem, zone: chrono_tz::Tz, lang: Lang) -> Value {
    let time = p.time().with_timezone(&zone).format("%H:%M").to_string();
    context! {
        id => p.id,
        time => time,
        author => p.author.clone(),
        caption => p.caption.clone(),
        note => p.note.clone(),
        shown => p.shown_caption().to_owned(),
        starred => p.starred,
        state => entry_label(p.entry_state, lang),
        venue => p.venue.clone(),
    }
}

/// The campaign's photos page.
///
/// # Errors
/// The campaign's or a database failure, as a page.
pub async fn photos_page(
    State(s): State<AppState>,
    viewer: Viewer,
    ApiPath(id): ApiPath<i32>,
    RawQuery(query): RawQuery,
) -> Result<Html<String>, PageError> {
    let lang = viewer.lang;
    let (c, ctx) = in_campaign(&s, &viewer, id, "photos").await?;
    let zone = eventday_domain::time::parse_zone(&c.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let filter = viewer.caller.as_ref().map(crate::api::photos::filter_for).unwrap_or_default();
    let all = photos::list(&s.store, id, &filter).await.page(lang)?;
    // The filter offers the venues the viewer may see that have photos, in plan order.
    let mut venues: Vec<(i32, String)> = Vec::new();
    for p in &all {
        if !venues.iter().any(|(v, _)| *v == p.venue_id) {
            venues.push((p.venue_id, p.venue.clone()));
        }
    }
    let chosen = chosen_venue(query.as_deref()).filter(|v| venues.iter().any(|(id, _)| id == v));
    let shown: Vec<&PhotoItem> = all.iter().filter(|p| chosen.is_none_or(|v| p.venue_id == v)).collect();
    // Venue -> hour -> photos, in the listing's order (venues in plan order, then time).
    let mut groups: Vec<VenueGroup> = Vec::new();
    for p in &shown {
        let hour = p.time().with_timezone(&zone).format("%H:00").to_string();
        if groups.last().is_none_or(|g| g.1 != p.venue_id) {
            groups.push((p.venue.clone(), p.venue_id, Vec::new()));
        }
        if let Some(g) = groups.last_mut() {
            if g.2.last().is_none_or(|h| h.0 != hour) {
                g.2.push((hour, Vec::new()));
            }
            if let Some(h) = g.2.last_mut() {
                h.1.push(card(p, zone, lang));
            }
        }
    }
    let groups: Vec<Value> = groups
        .into_iter()
        .map(|(name, vid, hours)| {
            let n = hours.iter().map(|h| h.1.len()).sum::<usize>();
            let hours: Vec<Value> =
                hours.into_iter().map(|(hour, cards)| context! { hour => hour, cards => cards }).collect();
            context! { name => name, id => vid, count => n, hours => hours }
        })
        .collect();
    let starred = shown.iter().filter(|p| p.starred).count();
    let summary = lang
        .t("photos_count")
        .replace("{n}", &format_count(shown.len() as i64))
        .replace("{s}", &format_count(starred as i64));
    render(
        "photos.html",
        context! {
            groups => groups,
            venues => venues,
            chosen => chosen,
            summary => summary,
            total => shown.len(),
            can_edit => may_log(&viewer),
            zip => format!("/api/v1/campaigns/{id}/photos.zip"),
            ..ctx
        },
    )
}

#[cfg(test)]
mod tests {
    use super::chosen_venue;

    #[test]
    fn the_venue_filter_reads_a_number_and_ignores_anything_else() {
        assert_eq!(chosen_venue(Some("venue=12")), Some(12));
        assert_eq!(chosen_venue(Some("lang=en&venue=3")), Some(3));
        assert_eq!(chosen_venue(Some("venue=x")), None);
        assert_eq!(chosen_venue(Some("venue=")), None);
        assert_eq!(chosen_venue(None), None);
    }
}
