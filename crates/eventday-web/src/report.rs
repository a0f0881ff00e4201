//! The summary report: maps the store's facts into the report's data and renders the PDF.
//! Used by `GET /api/v1/campaigns/{id}/report.pdf` and by the `eventday report` command.

use crate::extract::{ApiPath, ApiQuery};
use crate::{AppError, AppState};
use axum::extract::State;
use axum::http::header;
use axum::response::{IntoResponse, Response};
use eventday_report as report;
use eventday_report::{FontSet, Lang, RenderOptions, Rendered, ReportData, Style};
use eventday_store::report_facts::{ReportFacts, report_facts};
use eventday_store::{Store, StoreError};
use serde::Deserialize;
use std::sync::{Arc, OnceLock};

/// Failures of report generation.
#[derive(Debug, thiserror::Error)]
pub enum ReportFailure {
    /// Reading the data failed.
    #[error(transparent)]
    Store(#[from] StoreError),
    /// The fonts or the PDF writer failed.
    #[error("report generation failed: {0}")]
    Render(String),
}

impl From<ReportFailure> for AppError {
    fn from(e: ReportFailure) -> Self {
        match e {
            ReportFailure::Store(s) => s.into(),
            ReportFailure::Render(m) => AppError::Internal(Arc::new(std::io::Error::other(m))),
        }
    }
}

/// The bundled fonts, parsed once per process (they are immutable assets, not state).
pub(crate) fn fonts() -> Result<&'static FontSet, ReportFailure> {
    static FONTS: OnceLock<Result<FontSet, String>> = OnceLock::new();
    FONTS
        .get_or_init(|| FontSet::bundled().map_err(|e| e.to_string()))
        .as_ref()
        .map_err(|e| ReportFailure::Render(e.clone()))
}

/// Reads a campaign and renders its summary report.
///
/// # Errors
/// Unknown campaign, database errors, or a rendering failure.
pub async fn render_campaign(
    store: &Store,
    campaign_id: i32,
    opts: RenderOptions,
) -> Result<Rendered, ReportFailure> {
    let lang = match opts.lang {
        Lang::Zh => "zh",
        Lang::En => "en",
    };
    let facts = report_facts(store, campaign_id, lang).await?;
    let data = report_data(&facts);
    tokio::task::spawn_blocking(move || {
        let fonts = fonts()?;
        report::render(&data, &opts, fonts).map_err(|e| ReportFailure::Render(e.to_string()))
    })
    .await
    .map_err(|e| ReportFailure::Render(e.to_string()))?
}

fn count(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

fn totals(t: &eventday_domain::CampaignTotals) -> report::Totals {
    report::Totals {
        visitors: count(t.figures.visitors),
        consultations: count(t.figures.consultations),
        complaints_received: count(t.figures.complaints_received),
        complaints_settled: count(t.figures.complaints_settled),
        money_recovered_fen: t.figures.money_recovered_fen,
        log_entries: count(t.log_entries),
        booths: count(t.booths),
        activities: count(t.activities_by_kind.values().sum()),
        units: count(t.units),
    }
}

fn unit_kind(kind: &str) -> report::UnitKind {
    match kind {
        "agency" => report::UnitKind::Agency,
        "enterprise" => report::UnitKind::Enterprise,
        "media" => report::UnitKind::Media,
        "school" => report::UnitKind::School,
        "community" => report::UnitKind::Community,
        "association" => report::UnitKind::Association,
        _ => report::UnitKind::Other,
    }
}

fn activity_kind(kind: &str) -> report::ActivityKind {
    match kind {
        "consultation" => report::ActivityKind::Consultation,
        "community_outreach" => report::ActivityKind::Community,
        "school_lecture" => report::ActivityKind::Lecture,
        "fake_spotting" => report::ActivityKind::Demonstration,
        "product_exhibition" => report::ActivityKind::Exhibition,
        "ceremony" => report::ActivityKind::Ceremony,
        _ => report::ActivityKind::Other,
    }
}

fn channel(c: &str) -> report::Channel {
    match c {
        "tv" => report::Channel::Tv,
        "radio" => report::Channel::Radio,
        "newspaper" => report::Channel::Newspaper,
        "social" => report::Channel::Social,
        _ => report::Channel::Online,
    }
}

fn media_format(f: &str) -> report::MediaFormat {
    match f {
        "live" => report::MediaFormat::Live,
        "interview" => report::MediaFormat::Interview,
        "feature" => report::MediaFormat::Feature,
        _ => report::MediaFormat::Report,
    }
}

/// Maps the store's facts into the report's input. Figures come from the domain totals, so
/// the report, the pages and the API say the same numbers.
#[must_use]
pub fn report_data(f: &ReportFacts) -> ReportData {
    let t = &f.summary.totals;
    let venues = t
        .per_venue
        .iter()
        .map(|v| {
            let fact = f.venues.iter().find(|x| i64::from(x.id) == v.venue_id);
            report::VenueRow {
                name: v.name.clone(),
                kind: if v.kind == eventday_domain::VenueKind::Main {
                    report::VenueKind::Main
                } else {
                    report::VenueKind::Sub
                },
                host_unit: fact.map(|x| x.host_unit.clone()).unwrap_or_default(),
                visitors: count(v.figures.visitors),
                consultations: count(v.figures.consultations),
                complaints_received: count(v.figures.complaints_received),
                complaints_settled: count(v.figures.complaints_settled),
                money_recovered_fen: v.figures.money_recovered_fen,
                log_entries: count(v.log_entries),
                accepted: fact.is_some_and(|x| x.day_status == "accepted"),
            }
        })
        .collect();
    let mut groups: Vec<report::UnitGroup> = Vec::new();
    for (kind, name, _) in &f.units {
        let kind = unit_kind(kind);
        match groups.iter_mut().find(|g| g.kind == kind) {
            Some(g) => g.names.push(name.clone()),
            None => groups.push(report::UnitGroup { kind, names: vec![name.clone()] }),
        }
    }
    groups.sort_by_key(|g| g.kind);
    ReportData {
        organization: f.summary.campaign.organization.clone(),
        year: f.summary.campaign.year,
        date: Some(f.summary.campaign.date),
        title: f.summary.campaign.title.clone(),
        theme: f.summary.campaign.theme.clone(),
        main_venue: t
            .per_venue
            .iter()
            .find(|v| v.kind == eventday_domain::VenueKind::Main)
            .map(|v| v.name.clone())
            .unwrap_or_default(),
        venues,
        totals: totals(t),
        units: groups,
        reconciliation_members: f.units.iter().filter(|u| u.2).map(|u| u.1.clone()).collect(),
        booths: f
            .booths
            .iter()
            .map(|b| report::BoothRow {
                venue: b.venue.clone(),
                topic: b.topic.clone(),
                units: b.units.clone(),
            })
            .collect(),
        activities: f
            .activities
            .iter()
            .map(|a| report::ActivityRow {
                venue: a.venue.clone(),
                kind: activity_kind(&a.kind),
                title: a.title.clone(),
                place: a.place.clone(),
                participants: count(a.participants),
            })
            .collect(),
        officials: f
            .officials
            .iter()
            .map(|(name, title, org, masked)| report::OfficialRow {
                name: if *masked { "xx".into() } else { name.clone() },
                title: title.clone(),
                organization: org.clone(),
            })
            .collect(),
        materials: t
            .materials
            .iter()
            .map(|m| report::MaterialRow {
                name: m.name.clone(),
                unit: m.unit_label.clone(),
                planned: count(m.planned),
                handed_out: count(m.handed_out),
            })
            .collect(),
        media: f
            .media
            .iter()
            .map(|m| report::MediaRow {
                outlet: m.outlet.clone(),
                channel: channel(&m.channel),
                format: media_format(&m.format),
                date: Some(m.date),
                headline: m.headline.clone(),
            })
            .collect(),
        disputes: report::DisputeSummary {
            received: count(t.disputes.received),
            settled: count(t.disputes.settled),
            referred: count(t.disputes.referred),
            closed: count(t.disputes.closed),
            amount_claimed_fen: t.disputes.amount_claimed_fen,
            amount_recovered_fen: t.disputes.amount_recovered_fen,
        },
        sections: f
            .narrative
            .iter()
            .map(|n| report::NarrativeSection {
                heading: n.heading.clone(),
                paragraphs: n
                    .body
                    .split('\n')
                    .map(str::trim)
                    .filter(|p| !p.is_empty())
                    .map(String::from)
                    .collect(),
                next_steps: n.next_steps,
            })
            .collect(),
        previous: f
            .previous
            .iter()
            .map(|(year, t)| report::PreviousCampaign { year: *year, totals: totals(t) })
            .collect(),
    }
}

/// Query of the report route.
#[derive(Debug, Deserialize, utoipa::IntoParams)]
#[into_params(parameter_in = Query)]
#[serde(deny_unknown_fields)]
pub struct ReportQuery {
    /// `zh` (default) or `en`.
    pub lang: Option<String>,
    /// `modern` (default) or `gbt9704`.
    pub style: Option<String>,
}

/// The campaign's summary report as PDF. Characters no font has are drawn as boxes and listed in
/// the `X-Eventday-Missing-Chars` response header.
#[utoipa::path(get, path = "/api/v1/campaigns/{id}/report.pdf", tag = "report",
    params(("id" = i32, Path, description = "campaign id"), ReportQuery),
    responses((status = 200, content_type = "application/pdf", body = crate::openapi::Binary, description = "the report",
            headers(("X-Eventday-Missing-Chars" = String, description = "characters drawn as boxes, e.g. `U+4E00 U+4E01`; absent when none"))),
        (status = 400, body = crate::ErrorBody), (status = 404, body = crate::ErrorBody),
        (status = 422, body = crate::ErrorBody)))]
#[tracing::instrument(skip_all)]
pub(crate) async fn report_pdf(
    State(state): State<AppState>,
    ApiPath(id): ApiPath<i32>,
    ApiQuery(q): ApiQuery<ReportQuery>,
) -> Result<Response, AppError> {
    let mut bad = eventday_domain::FieldErrors::new();
    let lang = q
        .lang
        .as_deref()
        .unwrap_or("zh")
        .parse::<Lang>()
        .map_err(|e| bad.insert("lang".into(), e.to_string()));
    let style = q
        .style
        .as_deref()
        .unwrap_or("modern")
        .parse::<Style>()
        .map_err(|e| bad.insert("style".into(), e.to_string()));
    let (Ok(lang), Ok(style)) = (lang, style) else { return Err(AppError::Invalid(bad)) };
    let out = render_campaign(&state.store, id, RenderOptions { lang, style, deterministic: false }).await?;
    let missing: String =
        out.missing_chars.iter().map(|c| format!("U+{:04X}", u32::from(*c))).collect::<Vec<_>>().join(" ");
    let mut resp = (
        [
            (header::CONTENT_TYPE, "application/pdf".to_owned()),
            (header::CONTENT_DISPOSITION, format!("inline; filename=\"campaign-{id}-report.pdf\"")),
        ],
        out.pdf,
    )
        .into_response();
    if let Ok(v) = axum::http::HeaderValue::from_str(&missing)
        && !missing.is_empty()
    {
        // Characters no font has: the PDF shows a box for each; the client should tell the user.
        resp.headers_mut().insert("x-eventday-missing-chars", v);
    }
    Ok(resp)
}
