//! The store's facts in the report's terms: kinds as stored (the domain's vocabulary), figures
//! from the domain totals (so the report, the pages and the API say the same numbers).

use super::facts::ReportFacts;
use eventday_domain::{DayStatus, UnitKind, VenueKind};
use eventday_report as report;
use eventday_report::ReportData;

/// A count as the report shows it (negative counts cannot be stored; they read as 0).
pub(super) fn count(v: i64) -> u64 {
    u64::try_from(v).unwrap_or(0)
}

/// A venue's row of the report's tables: its name, kind and host unit, its figures and entries.
pub(super) fn venue_row(
    (name, kind, host_unit): (String, VenueKind, String),
    figures: &eventday_domain::Figures,
    log_entries: i64,
    accepted: bool,
) -> report::VenueRow {
    report::VenueRow {
        name,
        kind,
        host_unit,
        visitors: count(figures.visitors),
        consultations: count(figures.consultations),
        complaints_received: count(figures.complaints_received),
        complaints_settled: count(figures.complaints_settled),
        money_recovered_fen: figures.money_recovered_fen,
        // A roll-up reads tallies, which cannot tell; a non-zero sum shows as recorded anyway.
        money_recorded: false,
        log_entries: count(log_entries),
        accepted,
    }
}

/// Campaign totals in the report's terms.
pub(super) fn totals(t: &eventday_domain::CampaignTotals) -> report::Totals {
    report::Totals {
        visitors: count(t.figures.visitors),
        consultations: count(t.figures.consultations),
        complaints_received: count(t.figures.complaints_received),
        complaints_settled: count(t.figures.complaints_settled),
        money_recovered_fen: t.figures.money_recovered_fen,
        money_recorded: false,
        log_entries: count(t.log_entries),
        booths: count(t.booths),
        activities: count(t.activities_by_kind.values().sum()),
        units: count(t.units),
    }
}

fn venues(f: &ReportFacts) -> Vec<report::VenueRow> {
    f.summary
        .totals
        .per_venue
        .iter()
        .map(|v| {
            let fact = f.venues.iter().find(|x| i64::from(x.id) == v.venue_id);
            let host_unit = fact.map(|x| x.host_unit.clone()).unwrap_or_default();
            let accepted = fact.is_some_and(|x| x.day_status == DayStatus::Accepted);
            let name = fact.map_or_else(|| v.name.clone(), |x| x.name.clone());
            let mut row = venue_row((name, v.kind, host_unit), &v.figures, v.log_entries, accepted);
            row.money_recorded = fact.is_some_and(|x| x.money_recorded);
            row
        })
        .collect()
}

/// The units taking part, without the organizing body itself.
fn participants(f: &ReportFacts) -> impl Iterator<Item = &super::facts::UnitFact> {
    let organizer = f.summary.campaign.organization.trim().to_owned();
    f.units.iter().filter(move |u| u.name_zh.trim() != organizer)
}

fn unit_groups(f: &ReportFacts) -> Vec<report::UnitGroup> {
    let mut groups: Vec<report::UnitGroup> = Vec::new();
    for u in participants(f) {
        let class = (u.kind == UnitKind::Agency).then(|| report::AgencyClass::of(&u.name_zh)).flatten();
        match groups.iter_mut().find(|g| g.kind == u.kind && g.class == class) {
            Some(g) => g.names.push(u.name.clone()),
            None => groups.push(report::UnitGroup { kind: u.kind, class, names: vec![u.name.clone()] }),
        }
    }
    groups.sort_by_key(|g| {
        (g.kind, g.class.map_or(1, |c| if c == report::AgencyClass::Leadership { 0 } else { 2 }))
    });
    groups
}

/// The report settings as stored, or all defaults.
fn settings(f: &ReportFacts) -> report::ReportSettings {
    f.settings
        .as_ref()
        .map(|s| report::ReportSettings {
            title: s.title.clone(),
            subtitle: s.subtitle.clone(),
            issuer: s.issuer.clone(),
            report_date: s.report_date,
            addressee: s.addressee.clone(),
            copy_to: s.copy_to.clone(),
        })
        .unwrap_or_default()
}

/// Maps the store's facts into the report's input.
#[must_use]
pub fn report_data(f: &ReportFacts) -> ReportData {
    let t = &f.summary.totals;
    ReportData {
        organization: f.organization.clone(),
        year: f.summary.campaign.year,
        date: Some(f.summary.campaign.date),
        title: f.summary.campaign.title.clone(),
        theme: f.summary.campaign.theme.clone(),
        attendance_from_check_ins: f.attendance_from_check_ins,
        main_venue: f
            .venues
            .iter()
            .zip(t.per_venue.iter())
            .find(|(_, v)| v.kind == VenueKind::Main)
            .map(|(fact, _)| fact.name.clone())
            .unwrap_or_default(),
        venues: venues(f),
        totals: report::Totals {
            money_recorded: f.venues.iter().any(|v| v.money_recorded),
            units: participants(f).count() as u64,
            ..totals(t)
        },
        units: unit_groups(f),
        reconciliation_members: participants(f)
            .filter(|u| u.reconciliation_member)
            .map(|u| u.name.clone())
            .collect(),
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
                kind: a.kind,
                title: a.title.clone(),
                place: a.place.clone(),
                participants: count(a.participants),
            })
            .collect(),
        officials: f
            .officials
            .iter()
            .map(|(name, title, org, masked)| report::OfficialRow {
                name: name.clone(),
                masked: *masked,
                title: title.clone(),
                organization: org.clone(),
            })
            .collect(),
        materials: t
            .materials
            .iter()
            .map(|m| report::MaterialRow {
                name: f.material_names.get(&m.material_id).cloned().unwrap_or_else(|| m.name.clone()),
                unit: m.unit_label.clone(),
                planned: count(m.planned),
                handed_out: count(m.handed_out),
                logged: f.materials_logged.contains(&m.material_id),
            })
            .collect(),
        media: f
            .media
            .iter()
            .map(|m| report::MediaRow {
                outlet: m.outlet.clone(),
                channel: m.channel,
                format: m.format,
                date: Some(m.date),
                headline: m.headline.clone(),
            })
            .collect(),
        disputes: report::DisputeSummary {
            received: count(t.disputes.received),
            mediating: count(t.disputes.mediating),
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
                key: n.key.clone(),
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
        settings: settings(f),
        narrative_only_in_other_language: f.narrative_only_in_other_language,
        // Read with their bytes by `campaign_report_data`, not part of the facts.
        photos: Vec::new(),
        photos_left_out: 0,
        addendum: None,
    }
}
