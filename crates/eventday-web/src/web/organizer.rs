//! The organizers' pages: start page, dashboard (with its live fragment), venues, units,
//! materials grid, media, officials, disputes and the report page.

use super::i18n::{Lang, format_count, format_date};
use super::{PageError, PageResult, Viewer, base, campaign_nav, render, sv};
use crate::AppState;
use crate::extract::ApiPath;
use axum::extract::State;
use axum::response::Html;
use chrono::Utc;
use eventday_domain::live::VenueStatus;
use eventday_domain::money::format_yuan;
use eventday_store::entities::{campaign, venue};
use eventday_store::{planning, queries, views};
use minijinja::{Value, context};
use serde::Serialize;
use std::collections::HashMap;

type Page = Result<Html<String>, PageError>;

/// The layout context of a page inside a campaign.
async fn in_campaign(
    s: &AppState,
    viewer: &Viewer,
    id: i32,
    active: &str,
) -> Result<(campaign::Model, Value), PageError> {
    let lang = viewer.lang;
    let c = planning::campaigns::get(&s.store, id).await.page(lang)?;
    let title = format!("{} · {}", lang.t(leak_nav(active)), c.title);
    let ctx = context! {
        campaign => sv(&c),
        campaign_date => format_date(lang, c.date),
        nav => sv(campaign_nav(id, viewer)),
        active => active,
        ..base(viewer, &title)
    };
    Ok((c, ctx))
}

fn leak_nav(active: &str) -> &'static str {
    match active {
        "venues" => "nav_venues",
        "units" => "nav_units",
        "materials" => "nav_materials",
        "media" => "nav_media",
        "officials" => "nav_officials",
        "disputes" => "nav_disputes",
        "report" => "nav_report",
        "invitations" => "nav_invitations",
        _ => "nav_dashboard",
    }
}

/// The start page: campaigns with their headline figures, and where leads go.
pub async fn index(State(s): State<AppState>, viewer: Viewer) -> Page {
    let lang = viewer.lang;
    let campaigns = queries::list_campaigns(&s.store).await.page(lang)?;
    let mut rows = Vec::new();
    for c in campaigns.iter().take(20) {
        let t = queries::campaign_summary(&s.store, c.id).await.page(lang)?.totals;
        let main = t.per_venue.iter().find(|v| v.kind == eventday_domain::VenueKind::Main);
        rows.push(context! {
            c => sv(c),
            date => format_date(lang, c.date),
            main_venue => main.map(|v| v.name.clone()).unwrap_or_default(),
            venues => t.venues,
            visitors => format_count(t.figures.visitors),
            entries => format_count(t.log_entries),
        });
    }
    render("index.html", context! { campaigns => rows, ..base(&viewer, lang.t("app_name")) })
}

/// One row of the dashboard's venue table.
#[derive(Serialize)]
struct VenueRow {
    id: i64,
    name: String,
    main: bool,
    visitors: String,
    consultations: String,
    complaints_received: String,
    complaints_settled: String,
    entries: String,
    status: &'static str,
    last: String,
}

/// The live part of the dashboard: totals and the venue table.
async fn live_ctx(s: &AppState, lang: Lang, c: &campaign::Model) -> Result<Value, PageError> {
    let summary = queries::campaign_summary(&s.store, c.id).await.page(lang)?;
    let last = views::last_log_times(&s.store, c.id).await.page(lang)?;
    let venues: HashMap<i32, venue::Model> =
        planning::venues::list(&s.store, c.id).await.page(lang)?.into_iter().map(|v| (v.id, v)).collect();
    let zone = eventday_domain::time::parse_zone(&c.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let now = Utc::now();
    let t = &summary.totals;
    let rows: Vec<VenueRow> = t
        .per_venue
        .iter()
        .map(|v| {
            let id = i32::try_from(v.venue_id).unwrap_or_default();
            let last_at = last.get(&id).copied();
            let day_status = venues.get(&id).map_or("open", |m| m.day_status.as_str());
            let status = VenueStatus::judge(now, last_at, day_status, c.status == "closed");
            VenueRow {
                id: v.venue_id,
                name: v.name.clone(),
                main: v.kind == eventday_domain::VenueKind::Main,
                visitors: format_count(v.figures.visitors),
                consultations: format_count(v.figures.consultations),
                complaints_received: format_count(v.figures.complaints_received),
                complaints_settled: format_count(v.figures.complaints_settled),
                entries: format_count(v.log_entries),
                status: status.as_str(),
                last: last_at.map(|l| l.with_timezone(&zone).format("%H:%M").to_string()).unwrap_or_default(),
            }
        })
        .collect();
    Ok(context! {
        totals => context! {
            visitors => format_count(t.figures.visitors),
            consultations => format_count(t.figures.consultations),
            complaints_received => format_count(t.figures.complaints_received),
            complaints_settled => format_count(t.figures.complaints_settled),
            money => format_yuan(t.figures.money_recovered_fen),
            entries => format_count(t.log_entries),
            units => format_count(t.units),
            booths => format_count(t.booths),
        },
        rows => sv(rows),
        updated => now.with_timezone(&zone).format("%H:%M:%S").to_string(),
    })
}

/// The campaign dashboard.
pub async fn dashboard(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    let lang = viewer.lang;
    let (c, ctx) = in_campaign(&s, &viewer, id, "dashboard").await?;
    let live = live_ctx(&s, lang, &c).await?;
    render("dashboard.html", context! { live => live, ..ctx })
}

/// The dashboard's live fragment, polled by the page.
pub async fn live(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    let lang = viewer.lang;
    let (c, ctx) = in_campaign(&s, &viewer, id, "dashboard").await?;
    let live = live_ctx(&s, lang, &c).await?;
    render("live.html", context! { live => live, ..ctx })
}

/// The venues of a campaign, with links to their floor plans and log pages.
pub async fn venues(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    let lang = viewer.lang;
    let (_, ctx) = in_campaign(&s, &viewer, id, "venues").await?;
    let venues = planning::venues::list(&s.store, id).await.page(lang)?;
    render("venues.html", context! { venues => sv(&venues), ..ctx })
}

/// Units taking part and their roles.
pub async fn units(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    let lang = viewer.lang;
    let (_, ctx) = in_campaign(&s, &viewer, id, "units").await?;
    let parts = planning::participations::list(&s.store, id).await.page(lang)?;
    let names = views::unit_names(&s.store).await.page(lang)?;
    let rows: Vec<Value> = parts
        .iter()
        .map(|p| context! { p => sv(p), unit => names.get(&p.unit_id).cloned().unwrap_or_default() })
        .collect();
    render("units.html", context! { rows => rows, ..ctx })
}

/// The materials allocation grid: venues x items.
pub async fn materials(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    let lang = viewer.lang;
    let (_, ctx) = in_campaign(&s, &viewer, id, "materials").await?;
    let venues = planning::venues::list(&s.store, id).await.page(lang)?;
    let materials = planning::materials::list(&s.store, id).await.page(lang)?;
    let allocations = views::campaign_allocations(&s.store, id).await.page(lang)?;
    let summary = queries::campaign_summary(&s.store, id).await.page(lang)?;
    let handed: HashMap<i64, i64> =
        summary.totals.materials.iter().map(|m| (m.material_id, m.handed_out)).collect();
    let data = serde_json::json!({
        "venues": venues.iter().map(|v| serde_json::json!({"id": v.id, "name": v.name})).collect::<Vec<_>>(),
        "materials": materials,
        "allocations": allocations,
        "handed_out": handed,
    });
    render("materials.html", context! { data => sv(&data), ..ctx })
}

/// Media coverage.
pub async fn media(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    let lang = viewer.lang;
    let (_, ctx) = in_campaign(&s, &viewer, id, "media").await?;
    let items = planning::media::list(&s.store, id).await.page(lang)?;
    let names = views::unit_names(&s.store).await.page(lang)?;
    let rows: Vec<Value> = items
        .iter()
        .map(|m| {
            context! {
                m => sv(m),
                outlet => names.get(&m.outlet_unit_id).cloned().unwrap_or_default(),
                date => format_date(lang, m.date),
                reach => m.estimated_reach.map(format_count).unwrap_or_default(),
            }
        })
        .collect();
    render("media.html", context! { rows => rows, ..ctx })
}

/// Officials present.
pub async fn officials(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    let lang = viewer.lang;
    let (_, ctx) = in_campaign(&s, &viewer, id, "officials").await?;
    let items = planning::officials::list(&s.store, id).await.page(lang)?;
    let venues: HashMap<i32, String> =
        planning::venues::list(&s.store, id).await.page(lang)?.into_iter().map(|v| (v.id, v.name)).collect();
    let rows: Vec<Value> = items
        .iter()
        .map(|o| {
            let venue = o.venue_id.and_then(|v| venues.get(&v).cloned()).unwrap_or_default();
            context! { o => sv(o), venue => venue }
        })
        .collect();
    render("officials.html", context! { rows => rows, ..ctx })
}

/// Disputes received on the day.
pub async fn disputes(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    let lang = viewer.lang;
    let (_, ctx) = in_campaign(&s, &viewer, id, "disputes").await?;
    let items = planning::disputes::list(&s.store, id).await.page(lang)?;
    let venues: HashMap<i32, String> =
        planning::venues::list(&s.store, id).await.page(lang)?.into_iter().map(|v| (v.id, v.name)).collect();
    let names = views::unit_names(&s.store).await.page(lang)?;
    let rows: Vec<Value> = items
        .iter()
        .map(|d| {
            let status = d.status.parse::<eventday_domain::DisputeStatus>().ok();
            let status = status.map_or(d.status.clone(), |st| match lang {
                Lang::Zh => st.label_zh().to_owned(),
                Lang::En => st.label_en().to_owned(),
            });
            context! {
                d => sv(d),
                venue => venues.get(&d.venue_id).cloned().unwrap_or_default(),
                enterprise => d.enterprise_unit_id.and_then(|u| names.get(&u).cloned()).unwrap_or_default(),
                claimed => format_yuan(d.amount_claimed_fen),
                recovered => format_yuan(d.amount_recovered_fen),
                status => status,
                date => format_date(lang, d.received_on),
            }
        })
        .collect();
    render("disputes.html", context! { rows => rows, ..ctx })
}

/// The report page: narrative sections to edit, language and layout, the PDF download.
pub async fn report(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    let lang = viewer.lang;
    let (_, ctx) = in_campaign(&s, &viewer, id, "report").await?;
    let sections = planning::narrative::list(&s.store, id).await.page(lang)?;
    render("report.html", context! { sections => sv(&sections), ..ctx })
}

/// Lead invitations: every venue with its invitations so far (status only: the secret links
/// are shown once, when made, as printable cards with their QR codes).
pub async fn invitations(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    let lang = viewer.lang;
    let (c, ctx) = in_campaign(&s, &viewer, id, "invitations").await?;
    let venues = planning::venues::list(&s.store, id).await.page(lang)?;
    let now = Utc::now();
    let invitations =
        eventday_store::accounts::list_campaign_invitations(&s.store, id, now).await.page(lang)?;
    let zone = eventday_domain::time::parse_zone(&c.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let rows: Vec<Value> = venues
        .iter()
        .map(|v| {
            let mine: Vec<Value> = invitations
                .iter()
                .filter(|i| i.venue_id == v.id)
                .take(5)
                .map(|i| {
                    context! {
                        id => i.id,
                        status => i.status,
                        expires => i.expires_at.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string(),
                        used => i.used_at.map(|u| u.with_timezone(&zone).format("%Y-%m-%d %H:%M").to_string()),
                    }
                })
                .collect();
            let total = invitations.iter().filter(|i| i.venue_id == v.id).count();
            context! { v => sv(v), invitations => mine, more => total.saturating_sub(5) }
        })
        .collect();
    let data = serde_json::json!({
        "venues": venues.iter().map(|v| serde_json::json!({"id": v.id, "name": v.name})).collect::<Vec<_>>(),
        "timezone": c.timezone,
    });
    render("invitations.html", context! { rows => rows, data => sv(&data), ..ctx })
}
