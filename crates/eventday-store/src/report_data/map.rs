//! The store's facts in the report's terms: kinds parsed into the domain's vocabulary, figures
//! from the domain totals (so the report, the pages and the API say the same numbers).

use super::facts::ReportFacts;
use crate::error::StoreError;
use eventday_domain::{ActivityKind, DayStatus, MediaChannel, MediaFormat, UnitKind, UnknownKind, VenueKind};
use eventday_report as report;
use eventday_report::ReportData;
use sea_orm::DbErr;
use std::str::FromStr;

/// A count as the report shows it (negative counts cannot be stored; they read as 0).
pub(super) fn count(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// A stored kind read into its domain enum. Display is the stored spelling for a typed column as
/// for a text one, so this reads either. A value outside the vocabulary is a database error (the
/// write paths only store known values), never a silent "other".
pub(super) fn kind<K>(stored: &impl std::fmt::Display) -> Result<K, StoreError>
where
    K: FromStr<Err = UnknownKind>,
{
    stored.to_string().parse().map_err(|e: UnknownKind| StoreError::Db(DbErr::Type(e.to_string())))
}

/// Campaign totals in the report's terms.
pub(super) fn totals(t: &eventday_domain::CampaignTotals) -> report::Totals {
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

fn venues(f: &ReportFacts) -> Result<Vec<report::VenueRow>, StoreError> {
    f.summary
        .totals
        .per_venue
        .iter()
        .map(|v| {
            let fact = f.venues.iter().find(|x| i64::from(x.id) == v.venue_id);
            let accepted = match fact {
                Some(x) => kind::<DayStatus>(&x.day_status)? == DayStatus::Accepted,
                None => false,
            };
            Ok(report::VenueRow {
                name: v.name.clone(),
                kind: v.kind,
                host_unit: fact.map(|x| x.host_unit.clone()).unwrap_or_default(),
                visitors: count(v.figures.visitors),
                consultations: count(v.figures.consultations),
                complaints_received: count(v.figures.complaints_received),
                complaints_settled: count(v.figures.complaints_settled),
                money_recovered_fen: v.figures.money_recovered_fen,
                log_entries: count(v.log_entries),
                accepted,
            })
        })
        .collect()
}

fn unit_groups(f: &ReportFacts) -> Result<Vec<report::UnitGroup>, StoreError> {
    let mut groups: Vec<report::UnitGroup> = Vec::new();
    for (stored, name, _) in &f.units {
        let kind = kind::<UnitKind>(stored)?;
        match groups.iter_mut().find(|g| g.kind == kind) {
            Some(g) => g.names.push(name.clone()),
            None => groups.push(report::UnitGroup { kind, names: vec![name.clone()] }),
        }
    }
    groups.sort_by_key(|g| g.kind);
    Ok(groups)
}

fn activities(f: &ReportFacts) -> Result<Vec<report::ActivityRow>, StoreError> {
    f.activities
        .iter()
        .map(|a| {
            Ok(report::ActivityRow {
                venue: a.venue.clone(),
                kind: kind::<ActivityKind>(&a.kind)?,
                title: a.title.clone(),
                place: a.place.clone(),
                participants: count(a.participants),
            })
        })
        .collect()
}

fn media(f: &ReportFacts) -> Result<Vec<report::MediaRow>, StoreError> {
    f.media
        .iter()
        .map(|m| {
            Ok(report::MediaRow {
                outlet: m.outlet.clone(),
                channel: kind::<MediaChannel>(&m.channel)?,
                format: kind::<MediaFormat>(&m.format)?,
                date: Some(m.date),
                headline: m.headline.clone(),
            })
        })
        .collect()
}

/// Maps the store's facts into the report's input.
///
/// # Errors
/// A stored kind or status outside the domain's vocabulary ([`StoreError::Db`]).
pub fn report_data(f: &ReportFacts) -> Result<ReportData, StoreError> {
    let t = &f.summary.totals;
    Ok(ReportData {
        organization: f.summary.campaign.organization.clone(),
        year: f.summary.campaign.year,
        date: Some(f.summary.campaign.date),
        title: f.summary.campaign.title.clone(),
        theme: f.summary.campaign.theme.clone(),
        main_venue: t
            .per_venue
            .iter()
            .find(|v| v.kind == VenueKind::Main)
            .map(|v| v.name.clone())
            .unwrap_or_default(),
        venues: venues(f)?,
        totals: totals(t),
        units: unit_groups(f)?,
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
        activities: activities(f)?,
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
        media: media(f)?,
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
    })
}
