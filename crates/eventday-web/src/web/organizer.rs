//! The organizers' pages: start page, dashboard (with its live fragment), venues, units,
//! materials grid, media, officials, disputes and the report page.

use super::i18n::{Lang, PageLang, format_count, format_date};
use super::{PageError, PageResult, Viewer, base, campaign_nav, render, sv};
use crate::AppState;
use crate::extract::ApiPath;
use axum::extract::State;
use axum::response::Html;
use chrono::Utc;
use eventday_domain::live::VenueStatus;
use eventday_domain::money::format_yuan;
use eventday_domain::{CampaignStatus, DayStatus, VenueKind};
use eventday_store::entities::{campaign, venue};
use eventday_store::{planning, queries, views};
use minijinja::{Value, context};
use serde::Serialize;
use std::collections::HashMap;

mod preparation;

pub use preparation::{check_in_sheet, clone_page, messages, sign_in_form, task_table, tasks};

type Page = Result<Html<String>, PageError>;

/// The layout context of a page inside a campaign.
pub(super) async fn in_campaign(
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
        "tallies" => "nav_tallies",
        "activities" => "nav_activities",
        "report" => "nav_report",
        "photos" => "nav_photos",
        "invitations" => "nav_invitations",
        "tasks" => "nav_tasks",
        "messages" => "nav_messages",
        "clone" => "nav_clone",
        "check_in" => "nav_check_in",
        _ => "nav_dashboard",
    }
}

/// One input of an add/edit form (rendered by `editor.html`, read by `assets/web/editor.js`).
/// Kinds: `text`, `text_opt` (empty is null), `textarea`, `number_opt`, `money` (yuan shown,
/// fen sent), `date`, `select` (an id), `select_opt` (an id or nothing), `select_text` (a word),
/// `checkbox`, `checks` (a list of ids), `keep` (not shown; sent back as the row had it), `count`
/// (a whole number, empty is 0) and `path` (an id chosen for the create URL's `{name}`, not sent).
/// A dotted name (`figures.visitors`) is a field of a nested object of the body.
#[derive(Serialize)]
pub(super) struct Field {
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    required: bool,
    options: Vec<(String, String)>,
    default: serde_json::Value,
}

pub(super) fn field(
    lang: Lang,
    name: &'static str,
    label: &'static str,
    kind: &'static str,
    required: bool,
) -> Field {
    Field {
        name,
        label: lang.t(label),
        kind,
        required,
        options: Vec::new(),
        default: serde_json::Value::Null,
    }
}

impl Field {
    pub(super) fn options(mut self, options: Vec<(String, String)>) -> Self {
        self.options = options;
        self
    }

    pub(super) fn default(mut self, v: serde_json::Value) -> Self {
        self.default = v;
        self
    }
}

/// An add/edit form over a table: its key, where new rows go (`create`) and where one row is
/// (`item`, with `{id}`), its fields and the rows as the API has them (by id).
pub(super) fn editor(
    key: &str,
    add_label: &str,
    create: String,
    item: &str,
    fields: Vec<Field>,
    rows: serde_json::Map<String, serde_json::Value>,
) -> Value {
    context! { key => key, add_label => add_label, create => create, item => item, fields => sv(fields), rows => sv(rows) }
}

/// Rows keyed by id, as JSON, for the editor.
pub(super) fn by_id<T: Serialize>(
    items: &[T],
    id: impl Fn(&T) -> i32,
) -> serde_json::Map<String, serde_json::Value> {
    items.iter().map(|i| (id(i).to_string(), serde_json::to_value(i).unwrap_or_default())).collect()
}

/// Options for choosing a unit, by name.
fn unit_options(names: &HashMap<i32, String>) -> Vec<(String, String)> {
    let mut v: Vec<(String, String)> = names.iter().map(|(id, n)| (id.to_string(), n.clone())).collect();
    v.sort_by(|a, b| a.1.cmp(&b.1));
    v
}

pub(super) fn venue_options(venues: &[venue::Model]) -> Vec<(String, String)> {
    venues.iter().map(|v| (v.id.to_string(), v.name.clone())).collect()
}

/// The options of a select over a closed vocabulary: (stored text, label in the page language).
pub(super) fn vocab_options<T: Copy>(
    all: &[T],
    word: fn(T) -> &'static str,
    label: fn(T, Lang) -> &'static str,
    lang: Lang,
) -> Vec<(String, String)> {
    all.iter().map(|v| (word(*v).to_owned(), label(*v, lang).to_owned())).collect()
}

/// Whether the viewer plans (organizers) or at least logs (organizers and leads): the pages
/// offer editing only to them (the API decides row by row).
pub(super) fn may_plan(viewer: &Viewer) -> bool {
    viewer.caller.as_ref().is_some_and(|c| c.principal.role == eventday_domain::Role::Organizer)
}

/// The import and export panel of a planning page (templates/import_export.html) for `kinds`:
/// export links for everyone who sees the page, importing for those who plan.
pub(super) fn io_panel(viewer: &Viewer, campaign: i32, kinds: &[&str]) -> Value {
    let lang = viewer.lang;
    let kinds: Vec<Value> = kinds
        .iter()
        .map(|k| {
            let label = match *k {
                "venues" => "io_kind_venues",
                "units" => "io_kind_units",
                "booths" => "io_kind_booths",
                "activities" => "io_kind_activities",
                "materials" => "io_kind_materials",
                "allocations" => "io_kind_allocations",
                "media" => "io_kind_media",
                "officials" => "io_kind_officials",
                "disputes" => "io_kind_disputes",
                "tasks" => "io_kind_tasks",
                _ => "io_kind_tallies",
            };
            context! { kind => *k, label => lang.t(label) }
        })
        .collect();
    context! { campaign => campaign, kinds => kinds, can_import => may_plan(viewer) }
}

pub(super) fn may_log(viewer: &Viewer) -> bool {
    viewer.caller.as_ref().is_some_and(|c| c.principal.role != eventday_domain::Role::Viewer)
}

/// The start page: campaigns with their headline figures, and where leads go.
pub async fn index(State(s): State<AppState>, viewer: Viewer) -> Page {
    let lang = viewer.lang;
    // Anonymous visitors get the sign-in page: campaigns are shown only to those who may read
    // them, exactly as `GET /api/v1/campaigns` lists them.
    let Some(caller) = viewer.caller.as_ref() else {
        return super::lead::login(viewer).await;
    };
    let campaigns = queries::list_readable_campaigns(&s.store, &caller.principal).await.page(lang)?;
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
    // Organizers and viewers of an organization with members reach its reporting page from here.
    let org = caller.principal.organization_id;
    let rollup = (caller.principal.role != eventday_domain::Role::Lead
        && views::has_children(&s.store, org).await.page(lang)?)
    .then(|| format!("/organizations/{org}/rollup"));
    render(
        "index.html",
        context! { campaigns => rows, rollup => rollup, ..base(&viewer, lang.t("app_name")) },
    )
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
    /// Completeness at a glance: not_started, active, quiet, submitted, accepted (or closed
    /// when the campaign is closed and the day was left open).
    status: &'static str,
    /// The day's approval: open, submitted or accepted.
    day: &'static str,
    last: String,
}

/// The phases a venue goes through on the day, in order, for the completeness line.
const PHASES: [&str; 5] = ["not_started", "active", "quiet", "submitted", "accepted"];

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
            let day_status = venues.get(&id).map_or(DayStatus::Open, |m| m.day_status);
            let status = match day_status {
                DayStatus::Submitted => "submitted",
                DayStatus::Accepted => "accepted",
                DayStatus::Open => {
                    VenueStatus::judge(now, last_at, day_status, c.status == CampaignStatus::Closed).as_str()
                }
            };
            VenueRow {
                id: v.venue_id,
                name: v.name.clone(),
                main: v.kind == eventday_domain::VenueKind::Main,
                visitors: format_count(v.figures.visitors),
                consultations: format_count(v.figures.consultations),
                complaints_received: format_count(v.figures.complaints_received),
                complaints_settled: format_count(v.figures.complaints_settled),
                entries: format_count(v.log_entries),
                status,
                day: day_status.as_str(),
                last: last_at.map(|l| l.with_timezone(&zone).format("%H:%M").to_string()).unwrap_or_default(),
            }
        })
        .collect();
    let phases: Vec<(&str, usize)> =
        PHASES.iter().map(|p| (*p, rows.iter().filter(|r| r.status == *p).count())).collect();
    let charts = charts_data(s, c, zone, t).await.page(lang)?;
    let submitted = rows.iter().filter(|r| r.day == "submitted").count();
    let cases = eventday_domain::cases::CaseReconciliation::of(t);
    Ok(context! {
        phases => phases,
        submitted => submitted,
        // The same sentence as the cases page and the report: "N cases recorded of M received".
        cases => super::cases::reconcile_text(lang, &cases),
        cases_over => cases.more_cases_than_complaints,
        campaign_id => c.id,
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
        charts => sv(&charts),
        updated => now.with_timezone(&zone).format("%H:%M:%S").to_string(),
    })
}

/// What the dashboard's charts draw (assets/web/charts.js): visitors per venue and hour of the
/// day, complaints received and settled per venue, and each material handed out against what
/// was allocated.
async fn charts_data(
    s: &AppState,
    c: &campaign::Model,
    zone: chrono_tz::Tz,
    t: &eventday_domain::totals::CampaignTotals,
) -> Result<serde_json::Value, eventday_store::StoreError> {
    let hourly = views::visitors_by_hour(&s.store, c.id, zone).await?;
    // The hours shown: those with entries (at least three), or the usual opening hours before
    // anything is logged.
    let first = hourly.iter().map(|r| r.1).min().unwrap_or(9);
    let last = hourly.iter().map(|r| r.1).max().map_or(17, |h| h.max(first + 2).min(23));
    let hours: Vec<u32> = (first..=last).collect();
    let by_cell: HashMap<(i64, u32), i64> = hourly.iter().map(|&(v, h, n)| ((i64::from(v), h), n)).collect();
    let venues: Vec<serde_json::Value> = t
        .per_venue
        .iter()
        .map(|v| {
            let per_hour: Vec<i64> =
                hours.iter().map(|h| by_cell.get(&(v.venue_id, *h)).copied().unwrap_or(0)).collect();
            serde_json::json!({ "name": v.name, "per_hour": per_hour })
        })
        .collect();
    let complaints: Vec<serde_json::Value> = t
        .per_venue
        .iter()
        .map(|v| {
            serde_json::json!({
                "name": v.name,
                "received": v.figures.complaints_received,
                "settled": v.figures.complaints_settled,
            })
        })
        .collect();
    let materials: Vec<serde_json::Value> = t
        .materials
        .iter()
        .map(|m| {
            serde_json::json!({
                "name": m.name,
                "unit": m.unit_label,
                "allocated": m.allocated,
                "handed_out": m.handed_out,
            })
        })
        .collect();
    Ok(serde_json::json!({
        "hours": hours,
        "venues": venues,
        "complaints": complaints,
        "materials": materials,
    }))
}

/// The submission panel of the dashboard: where the campaign stands with its parent
/// organization, the parent's comment when it was returned, and whether this viewer may submit.
/// `None` for a top-level organization (nothing to report to). `assets/web/dashboard.js` keeps it
/// up to date from the campaign's live feed.
async fn submission_ctx(
    s: &AppState,
    viewer: &Viewer,
    c: &campaign::Model,
) -> Result<Option<Value>, PageError> {
    let lang = viewer.lang;
    let state = eventday_store::submission::state(&s.store, c.id).await.page(lang)?;
    let Some(parent) = state.parent_organization_id else { return Ok(None) };
    let parent_name = eventday_store::rollup::organization_name(&s.store, parent).await.page(lang)?;
    let status = state.submission.as_ref().map_or("none", |x| x.status.as_str());
    let comment = state.submission.as_ref().map(|x| x.comment.clone()).unwrap_or_default();
    Ok(Some(context! {
        status => status,
        comment => comment,
        parent => parent_name,
        can_submit => may_plan(viewer),
    }))
}

/// The campaign dashboard.
pub async fn dashboard(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    let lang = viewer.lang;
    let (c, ctx) = in_campaign(&s, &viewer, id, "dashboard").await?;
    let live = live_ctx(&s, lang, &c).await?;
    let prep = preparation::panel(&s, lang, &c).await?;
    let sub = submission_ctx(&s, &viewer, &c).await?;
    render(
        "dashboard.html",
        context! { live => live, prep => prep, sub => sub, can_plan => may_plan(&viewer), ..ctx },
    )
}

/// The dashboard's live fragment, polled by the page.
pub async fn live(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    let lang = viewer.lang;
    let (c, ctx) = in_campaign(&s, &viewer, id, "dashboard").await?;
    let live = live_ctx(&s, lang, &c).await?;
    render("live.html", context! { live => live, can_plan => may_plan(&viewer), ..ctx })
}

/// The venues of a campaign, with links to their floor plans and log pages.
pub async fn venues(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    let lang = viewer.lang;
    let (_, ctx) = in_campaign(&s, &viewer, id, "venues").await?;
    let venues = planning::venues::list(&s.store, id).await.page(lang)?;
    let fields = vec![
        field(lang, "name", "venue", "text", true),
        field(lang, "name_en", "name_en", "text_opt", false),
        field(lang, "kind", "kind", "select_text", true)
            .options(vocab_options(VenueKind::ALL, VenueKind::as_str, VenueKind::label, lang))
            .default(serde_json::json!("sub")),
        field(lang, "address", "address", "text", false),
        field(lang, "host_unit", "host_unit", "text", false),
        field(lang, "lead_name", "lead_name", "text", false),
        // A venue may have no floor plan yet: both sides empty.
        field(lang, "width_m", "width_m", "number", false).default(serde_json::json!(20)),
        field(lang, "depth_m", "depth_m", "number", false).default(serde_json::json!(10)),
        field(lang, "opens_at", "opens_at", "time", true).default(serde_json::json!("09:00")),
        field(lang, "closes_at", "closes_at", "time", true).default(serde_json::json!("17:00")),
        field(lang, "position", "position", "keep", false),
    ];
    let ed = editor(
        "venues",
        lang.t("add_venue"),
        format!("/api/v1/campaigns/{id}/venues"),
        "/api/v1/venues/{id}",
        fields,
        by_id(&venues, |v| v.id),
    );
    let io = io_panel(&viewer, id, &["venues", "booths"]);
    render(
        "venues.html",
        context! { venues => sv(&venues), ed => ed, io => io, can_edit => may_plan(&viewer), ..ctx },
    )
}

/// Units taking part and their roles, with forms to add, change and remove participations and
/// to add a unit to the shared directory.
pub async fn units(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    use eventday_domain::UnitKind;
    let lang = viewer.lang;
    let (_, ctx) = in_campaign(&s, &viewer, id, "units").await?;
    let parts = planning::participations::list(&s.store, id).await.page(lang)?;
    let names = views::unit_names(&s.store).await.page(lang)?;
    let rows: Vec<Value> = parts
        .iter()
        .map(|p| {
            // What confirming sends: the participation as it is, no longer to confirm.
            let body = serde_json::json!({
                "unit_id": p.unit_id, "staffs_booth": p.staffs_booth,
                "reconciliation_member": p.reconciliation_member, "media": p.media, "sponsor": p.sponsor,
                "to_confirm": false,
            });
            context! { p => sv(p), unit => names.get(&p.unit_id).cloned().unwrap_or_default(), body => body.to_string() }
        })
        .collect();
    let fields = vec![
        field(lang, "unit_id", "unit", "select", true).options(unit_options(&names)),
        field(lang, "staffs_booth", "role_staffs_booth", "checkbox", false),
        field(lang, "reconciliation_member", "role_reconciliation", "checkbox", false),
        field(lang, "media", "role_media", "checkbox", false),
        field(lang, "sponsor", "role_sponsor", "checkbox", false),
    ];
    let ed = editor(
        "participations",
        lang.t("add_participation"),
        format!("/api/v1/campaigns/{id}/participations"),
        "/api/v1/participations/{id}",
        fields,
        by_id(&parts, |p| p.id),
    );
    let unit_fields = vec![
        field(lang, "name", "unit_name", "text", true),
        field(lang, "kind", "unit_kind", "select_text", true).options(vocab_options(
            UnitKind::ALL,
            UnitKind::as_str,
            UnitKind::label,
            lang,
        )),
        field(lang, "contact", "contact", "text_opt", false),
    ];
    let unit_ed = editor(
        "units",
        lang.t("add_unit"),
        "/api/v1/units".to_owned(),
        "/api/v1/units/{id}",
        unit_fields,
        serde_json::Map::new(),
    );
    render(
        "units.html",
        context! { rows => rows, ed => ed, unit_ed => unit_ed, io => io_panel(&viewer, id, &["units"]), can_edit => may_plan(&viewer), ..ctx },
    )
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
    // The catalogue itself: items added, changed and removed here.
    let items: Vec<Value> = materials
        .iter()
        .map(|m| {
            context! {
                m => sv(m),
                planned => format_count(m.planned),
                stock => m.stock.map(format_count).unwrap_or_default(),
                handed => format_count(handed.get(&i64::from(m.id)).copied().unwrap_or(0)),
            }
        })
        .collect();
    let fields = vec![
        field(lang, "name", "material_name", "text", true),
        field(lang, "name_en", "name_en", "text_opt", false),
        field(lang, "unit_label", "unit", "text", true),
        field(lang, "planned", "planned", "count", false).default(serde_json::json!(0)),
        field(lang, "stock", "stock", "number_opt", false),
    ];
    let ed = editor(
        "materials",
        lang.t("add_material"),
        format!("/api/v1/campaigns/{id}/materials"),
        "/api/v1/materials/{id}",
        fields,
        by_id(&materials, |m| m.id),
    );
    render(
        "materials.html",
        context! { data => sv(&data), items => items, ed => ed, io => io_panel(&viewer, id, &["materials", "allocations"]), can_edit => may_plan(&viewer), ..ctx },
    )
}

/// Media coverage, with a form to add, change and remove items.
pub async fn media(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    use eventday_domain::{MediaChannel, MediaFormat};
    let lang = viewer.lang;
    let (c, ctx) = in_campaign(&s, &viewer, id, "media").await?;
    let items = planning::media::list(&s.store, id).await.page(lang)?;
    let names = views::unit_names(&s.store).await.page(lang)?;
    let venues = planning::venues::list(&s.store, id).await.page(lang)?;
    let covered = views::media_venue_ids(&s.store, id).await.page(lang)?;
    let rows: Vec<Value> = items
        .iter()
        .map(|m| {
            context! {
                m => sv(m),
                outlet => names.get(&m.outlet_unit_id).cloned().unwrap_or_default(),
                channel => m.channel.label(lang),
                format => m.format.label(lang),
                date => format_date(lang, m.date),
                reach => m.estimated_reach.map(format_count).unwrap_or_default(),
                // Only http(s) links become links, whatever was stored before the rule.
                link => m.link.as_deref().filter(|l| eventday_domain::validate::is_web_link(l)),
            }
        })
        .collect();
    let mut data = by_id(&items, |m| m.id);
    for (k, row) in &mut data {
        let ids = k.parse::<i32>().ok().and_then(|i| covered.get(&i)).cloned().unwrap_or_default();
        row["venue_ids"] = serde_json::json!(ids);
    }
    let fields = vec![
        field(lang, "outlet_unit_id", "outlet", "select", true).options(unit_options(&names)),
        field(lang, "channel", "channel", "select_text", true).options(vocab_options(
            MediaChannel::ALL,
            MediaChannel::as_str,
            MediaChannel::label,
            lang,
        )),
        field(lang, "format", "format", "select_text", true).options(vocab_options(
            MediaFormat::ALL,
            MediaFormat::as_str,
            MediaFormat::label,
            lang,
        )),
        field(lang, "date", "date", "date", true).default(serde_json::json!(c.date)),
        field(lang, "headline", "headline", "text", true),
        field(lang, "link", "link", "text_opt", false),
        field(lang, "estimated_reach", "reach", "number_opt", false),
        field(lang, "venue_ids", "venues_covered", "checks", false).options(venue_options(&venues)),
    ];
    let ed = editor(
        "media",
        lang.t("add_media"),
        format!("/api/v1/campaigns/{id}/media"),
        "/api/v1/media/{id}",
        fields,
        data,
    );
    render(
        "media.html",
        context! { rows => rows, ed => ed, io => io_panel(&viewer, id, &["media"]), can_edit => may_plan(&viewer), ..ctx },
    )
}

/// Officials present, with a form to add, change and remove them.
pub async fn officials(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    let lang = viewer.lang;
    let (_, ctx) = in_campaign(&s, &viewer, id, "officials").await?;
    let items = planning::officials::list(&s.store, id).await.page(lang)?;
    let venue_list = planning::venues::list(&s.store, id).await.page(lang)?;
    let venues: HashMap<i32, String> = venue_list.iter().map(|v| (v.id, v.name.clone())).collect();
    let rows: Vec<Value> = items
        .iter()
        .map(|o| {
            let venue = o.venue_id.and_then(|v| venues.get(&v).cloned()).unwrap_or_default();
            context! { o => sv(o), venue => venue }
        })
        .collect();
    let fields = vec![
        field(lang, "name", "name", "text", true),
        field(lang, "title", "title_col", "text", false),
        field(lang, "organization", "organization", "text", false),
        field(lang, "venue_id", "venue", "select_opt", false).options(venue_options(&venue_list)),
        field(lang, "role", "role", "text", false),
        field(lang, "masked", "masked", "checkbox", false).default(serde_json::json!(true)),
    ];
    let ed = editor(
        "officials",
        lang.t("add_official"),
        format!("/api/v1/campaigns/{id}/officials"),
        "/api/v1/officials/{id}",
        fields,
        by_id(&items, |o| o.id),
    );
    render(
        "officials.html",
        context! { rows => rows, ed => ed, io => io_panel(&viewer, id, &["officials"]), can_edit => may_plan(&viewer), ..ctx },
    )
}

/// Disputes received on the day, with a form to add, change and remove them and the status
/// moves each one may make next.
pub async fn disputes(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    use eventday_domain::DisputeStatus;
    let lang = viewer.lang;
    let (c, ctx) = in_campaign(&s, &viewer, id, "disputes").await?;
    let items = planning::disputes::list(&s.store, id).await.page(lang)?;
    let venue_list = planning::venues::list(&s.store, id).await.page(lang)?;
    let venues: HashMap<i32, String> = venue_list.iter().map(|v| (v.id, v.name.clone())).collect();
    let names = views::unit_names(&s.store).await.page(lang)?;
    let label = |st: DisputeStatus| st.label(lang).to_owned();
    let rows: Vec<Value> = items
        .iter()
        .map(|d| {
            let status = label(d.status);
            let moves: Vec<(&str, String)> = DisputeStatus::ALL
                .iter()
                .filter(|n| d.status.can_move_to(**n))
                .map(|n| (n.as_str(), label(*n)))
                .collect();
            context! {
                d => sv(d),
                venue => venues.get(&d.venue_id).cloned().unwrap_or_default(),
                enterprise => d.enterprise_unit_id.and_then(|u| names.get(&u).cloned()).unwrap_or_default(),
                claimed => format_yuan(d.amount_claimed_fen),
                recovered => format_yuan(d.amount_recovered_fen),
                status => status,
                moves => moves,
                date => format_date(lang, d.received_on),
            }
        })
        .collect();
    let fields = vec![
        field(lang, "venue_id", "venue", "select", true).options(venue_options(&venue_list)),
        field(lang, "received_on", "received_on", "date", true).default(serde_json::json!(c.date)),
        field(lang, "category", "category", "text", true),
        field(lang, "enterprise_unit_id", "enterprise", "select_opt", false).options(unit_options(&names)),
        field(lang, "summary", "summary", "textarea", false),
        field(lang, "amount_claimed_fen", "amount_claimed", "money", false),
        field(lang, "booth_id", "booth", "keep", false),
    ];
    let ed = editor(
        "disputes",
        lang.t("add_dispute"),
        format!("/api/v1/campaigns/{id}/disputes"),
        "/api/v1/disputes/{id}",
        fields,
        by_id(&items, |d| d.id),
    );
    let summary = queries::campaign_summary(&s.store, id).await.page(lang)?;
    let reconcile =
        super::cases::reconcile_text(lang, &eventday_domain::cases::CaseReconciliation::of(&summary.totals));
    render(
        "disputes.html",
        context! {
            rows => rows,
            ed => ed,
            io => io_panel(&viewer, id, &["disputes"]),
            can_edit => may_log(&viewer),
            reconcile => reconcile,
            ..ctx
        },
    )
}

/// The report page: narrative sections to edit, language and layout, the PDF download.
pub async fn report(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    let lang = viewer.lang;
    let (_, ctx) = in_campaign(&s, &viewer, id, "report").await?;
    let sections = planning::narrative::list(&s.store, id).await.page(lang)?;
    let settings = planning::report_settings_of(&s.store, id).await.page(lang)?;
    let has = |l: Lang| sections.iter().any(|n| n.lang == l);
    // The page's language first; each section named by where it goes in the report.
    let group = |l: Lang| -> Vec<Value> {
        sections
            .iter()
            .filter(|n| n.lang == l)
            .map(|n| {
                context! {
                    s => sv(n),
                    part => eventday_report::layout::narrative_part(&n.key, &n.heading, n.next_steps),
                }
            })
            .collect()
    };
    let groups = vec![(lang.code(), group(lang)), (lang.other().code(), group(lang.other()))];
    // A narrative in one language only: the other language's PDF leaves it out, and says so.
    let missing_narrative = match (has(Lang::Zh), has(Lang::En)) {
        (true, false) => Some("no_en_narrative"),
        (false, true) => Some("no_zh_narrative"),
        _ => None,
    };
    render(
        "report.html",
        context! {
            groups => groups,
            rs => sv(&settings),
            default_date => format_date(lang, settings.default_report_date),
            missing_narrative => missing_narrative,
            ..ctx
        },
    )
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
    let venue_ids: Vec<i32> = venues.iter().map(|v| v.id).collect();
    let leads = eventday_store::accounts::venue_leads(&s.store, &venue_ids).await.page(lang)?;
    let pending = |id: i32| invitations.iter().any(|i| i.venue_id == id && i.status == "unused");
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
            context! {
                v => sv(v),
                invitations => mine,
                more => total.saturating_sub(5),
                leads => leads.get(&v.id).cloned().unwrap_or_default(),
            }
        })
        .collect();
    let data = serde_json::json!({
        "venues": venues
            .iter()
            .map(|v| serde_json::json!({
                "id": v.id,
                "name": v.name,
                "has_lead": leads.contains_key(&v.id),
                "pending": pending(v.id),
            }))
            .collect::<Vec<_>>(),
        "timezone": c.timezone,
    });
    render("invitations.html", context! { rows => rows, data => sv(&data), ..ctx })
}
