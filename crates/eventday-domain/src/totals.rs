//! Totals per venue and per campaign, computed once here and used by pages, API and report.
//!
//! The store aggregates log entries per venue in SQL (so this scales to millions of entries)
//! and hands the per-venue sums here; everything above a venue is rolled up in this module.

use crate::error::{FieldErrors, ValidationError};
use crate::kinds::{ActivityKind, DisputeStatus, MediaChannel, UnitKind, VenueKind};
use crate::validate;
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;
use std::ops::AddAssign;

/// The figures a log entry carries (and their sums).
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Figures {
    /// People who came (attendance).
    pub visitors: i64,
    /// Consultations answered.
    pub consultations: i64,
    /// Complaints received.
    pub complaints_received: i64,
    /// Complaints settled on site.
    pub complaints_settled: i64,
    /// Money recovered for consumers, fen.
    pub money_recovered_fen: i64,
}

impl Figures {
    /// Checks every figure is non-negative and no more complaints were settled than received.
    ///
    /// # Errors
    /// Names every bad field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut e = FieldErrors::new();
        validate::bounded(&mut e, "visitors", self.visitors, validate::MAX_PEOPLE);
        validate::bounded(&mut e, "consultations", self.consultations, validate::MAX_PEOPLE);
        validate::bounded(&mut e, "complaints_received", self.complaints_received, validate::MAX_PEOPLE);
        validate::bounded(&mut e, "complaints_settled", self.complaints_settled, validate::MAX_PEOPLE);
        validate::bounded(&mut e, "money_recovered_fen", self.money_recovered_fen, validate::MAX_FEN);
        if self.complaints_settled > self.complaints_received && !e.contains_key("complaints_settled") {
            e.insert("complaints_settled".into(), "must not exceed complaints_received".into());
        }
        ValidationError::check(e)
    }
}

/// Sums without overflowing: stops at `i64::MAX` (or `i64::MIN`), so no stored figure, however
/// large, can make a total panic or wrap.
pub fn saturating_sum(values: impl IntoIterator<Item = i64>) -> i64 {
    values.into_iter().fold(0i64, i64::saturating_add)
}

impl AddAssign for Figures {
    fn add_assign(&mut self, o: Self) {
        self.visitors = self.visitors.saturating_add(o.visitors);
        self.consultations = self.consultations.saturating_add(o.consultations);
        self.complaints_received = self.complaints_received.saturating_add(o.complaints_received);
        self.complaints_settled = self.complaints_settled.saturating_add(o.complaints_settled);
        self.money_recovered_fen = self.money_recovered_fen.saturating_add(o.money_recovered_fen);
    }
}

/// How a venue's closing tallies change the sum of its log figures.
///
/// The rule: a venue's closing tally REPLACES everything logged at the venue (and its booths'
/// tallies); a booth's closing tally REPLACES the figures of the log entries recorded at that
/// booth. Log entries are never changed and still count as entries; tallies never do.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ClosingAdjustment {
    /// Figures that come in (the tallies).
    pub plus: Figures,
    /// Log figures they replace.
    pub minus: Figures,
}

impl ClosingAdjustment {
    /// The adjustment of one venue: its own tally with all it logged, or else its booths'
    /// tallies with what was logged at those booths.
    #[must_use]
    pub fn of_venue(
        venue_tally: Option<Figures>,
        venue_logged: Figures,
        booth_tallies: Figures,
        booth_logged: Figures,
    ) -> Self {
        match venue_tally {
            Some(t) => Self { plus: t, minus: venue_logged },
            None => Self { plus: booth_tallies, minus: booth_logged },
        }
    }

    /// `logged` with the tallies in place of what they replace (never below zero).
    #[must_use]
    pub fn apply(&self, logged: Figures) -> Figures {
        let f = |l: i64, m: i64, p: i64| l.saturating_sub(m).max(0).saturating_add(p);
        Figures {
            visitors: f(logged.visitors, self.minus.visitors, self.plus.visitors),
            consultations: f(logged.consultations, self.minus.consultations, self.plus.consultations),
            complaints_received: f(
                logged.complaints_received,
                self.minus.complaints_received,
                self.plus.complaints_received,
            ),
            complaints_settled: f(
                logged.complaints_settled,
                self.minus.complaints_settled,
                self.plus.complaints_settled,
            ),
            money_recovered_fen: f(
                logged.money_recovered_fen,
                self.minus.money_recovered_fen,
                self.plus.money_recovered_fen,
            ),
        }
    }
}

impl AddAssign for ClosingAdjustment {
    fn add_assign(&mut self, o: Self) {
        self.plus += o.plus;
        self.minus += o.minus;
    }
}

/// One venue as the totals need it, with its log entries already summed.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct VenueInput {
    /// Venue id.
    pub id: i64,
    /// Venue name.
    pub name: String,
    /// Main or sub.
    pub kind: VenueKind,
    /// Sum of the venue's log entries.
    pub figures: Figures,
    /// Number of log entries.
    pub log_entries: i64,
    /// Number of booths.
    pub booths: i64,
}

/// A catalogue material with its allocations and what the logs say was handed out.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub struct MaterialInput {
    /// Material id.
    pub id: i64,
    /// Name, e.g. 宣传资料.
    pub name: String,
    /// Counting unit, e.g. 份.
    pub unit_label: String,
    /// Quantity planned for the campaign.
    pub planned: i64,
    /// venue id -> quantity allocated.
    pub allocated: BTreeMap<i64, i64>,
    /// venue id -> quantity handed out (sum of log entries).
    pub handed_out: BTreeMap<i64, i64>,
}

/// Everything the campaign summary is computed from.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
pub struct SummaryInput {
    /// Venues with their summed figures.
    pub venues: Vec<VenueInput>,
    /// Materials.
    pub materials: Vec<MaterialInput>,
    /// Activities: (venue id, kind, participants).
    pub activities: Vec<(i64, ActivityKind, i64)>,
    /// Participating units: (kind, is reconciliation member).
    pub participations: Vec<(UnitKind, bool)>,
    /// Media items by channel.
    pub media: Vec<MediaChannel>,
    /// Disputes: (status, amount claimed fen, amount recovered fen).
    pub disputes: Vec<(DisputeStatus, i64, i64)>,
}

/// Totals for one venue.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct VenueTotals {
    /// Venue id.
    pub venue_id: i64,
    /// Venue name.
    pub name: String,
    /// Main or sub.
    pub kind: VenueKind,
    /// Summed figures.
    pub figures: Figures,
    /// Log entries.
    pub log_entries: i64,
    /// Booths.
    pub booths: i64,
    /// Activities.
    pub activities: i64,
    /// People taking part in the venue's activities.
    pub activity_participants: i64,
    /// material id -> handed out at this venue.
    pub materials_handed_out: BTreeMap<i64, i64>,
}

/// Planned vs allocated vs handed out for one material.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct MaterialTotals {
    /// Material id.
    pub material_id: i64,
    /// Name.
    pub name: String,
    /// Counting unit.
    pub unit_label: String,
    /// Planned.
    pub planned: i64,
    /// Allocated to venues in all.
    pub allocated: i64,
    /// Handed out in all.
    pub handed_out: i64,
    /// More allocated than planned (shown, not hidden).
    pub over_allocated: bool,
    /// Venues that handed out more than they were allocated.
    pub venues_over_allocation: Vec<i64>,
}

/// Dispute figures of the reconciliation platform.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct DisputeTotals {
    /// All disputes received.
    pub received: i64,
    /// Still being mediated.
    pub mediating: i64,
    /// Settled.
    pub settled: i64,
    /// Referred elsewhere.
    pub referred: i64,
    /// Closed without settlement.
    pub closed: i64,
    /// Amount claimed, fen.
    pub amount_claimed_fen: i64,
    /// Amount recovered, fen.
    pub amount_recovered_fen: i64,
}

/// Totals for a whole campaign and for each of its venues.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct CampaignTotals {
    /// Figures summed over all venues.
    pub figures: Figures,
    /// Log entries.
    pub log_entries: i64,
    /// Venues in all.
    pub venues: i64,
    /// Sub-venues.
    pub sub_venues: i64,
    /// Booths.
    pub booths: i64,
    /// Participating units.
    pub units: i64,
    /// Participating units by kind.
    pub units_by_kind: BTreeMap<UnitKind, i64>,
    /// Reconciliation member enterprises.
    pub reconciliation_members: i64,
    /// Activities by kind.
    pub activities_by_kind: BTreeMap<ActivityKind, i64>,
    /// Media items by channel.
    pub media_by_channel: BTreeMap<MediaChannel, i64>,
    /// Materials.
    pub materials: Vec<MaterialTotals>,
    /// Disputes.
    pub disputes: DisputeTotals,
    /// Per venue, main venue first then in input order.
    pub per_venue: Vec<VenueTotals>,
}

impl CampaignTotals {
    /// The dispute figures of (status, amount claimed fen, amount recovered fen) rows: the one
    /// count the totals, the report and its addendum use.
    #[must_use]
    pub fn dispute_totals(rows: &[(DisputeStatus, i64, i64)]) -> DisputeTotals {
        let mut disputes = DisputeTotals::default();
        for &(status, claimed, recovered) in rows {
            disputes.received += 1;
            match status {
                DisputeStatus::Received => {}
                DisputeStatus::Mediating => disputes.mediating += 1,
                DisputeStatus::Settled => disputes.settled += 1,
                DisputeStatus::Referred => disputes.referred += 1,
                DisputeStatus::Closed => disputes.closed += 1,
            }
            disputes.amount_claimed_fen = disputes.amount_claimed_fen.saturating_add(claimed);
            disputes.amount_recovered_fen = disputes.amount_recovered_fen.saturating_add(recovered);
        }
        disputes
    }

    /// Rolls the per-venue sums and the plan up into campaign totals.
    #[must_use]
    pub fn compute(input: &SummaryInput) -> Self {
        let mut per_venue: Vec<VenueTotals> = input
            .venues
            .iter()
            .map(|v| VenueTotals {
                venue_id: v.id,
                name: v.name.clone(),
                kind: v.kind,
                figures: v.figures,
                log_entries: v.log_entries,
                booths: v.booths,
                activities: 0,
                activity_participants: 0,
                materials_handed_out: BTreeMap::new(),
            })
            .collect();
        per_venue.sort_by_key(|v| v.kind != VenueKind::Main);

        let mut activities_by_kind = BTreeMap::new();
        for &(venue_id, kind, participants) in &input.activities {
            *activities_by_kind.entry(kind).or_insert(0) += 1;
            if let Some(v) = per_venue.iter_mut().find(|v| v.venue_id == venue_id) {
                v.activities += 1;
                v.activity_participants = v.activity_participants.saturating_add(participants);
            }
        }

        let materials = input
            .materials
            .iter()
            .map(|m| {
                for (venue_id, qty) in &m.handed_out {
                    if let Some(v) = per_venue.iter_mut().find(|v| v.venue_id == *venue_id) {
                        let held = v.materials_handed_out.entry(m.id).or_insert(0);
                        *held = held.saturating_add(*qty);
                    }
                }
                let allocated = saturating_sum(m.allocated.values().copied());
                MaterialTotals {
                    material_id: m.id,
                    name: m.name.clone(),
                    unit_label: m.unit_label.clone(),
                    planned: m.planned,
                    allocated,
                    handed_out: saturating_sum(m.handed_out.values().copied()),
                    over_allocated: allocated > m.planned,
                    venues_over_allocation: m
                        .handed_out
                        .iter()
                        .filter(|(venue, qty)| **qty > m.allocated.get(venue).copied().unwrap_or(0))
                        .map(|(venue, _)| *venue)
                        .collect(),
                }
            })
            .collect();

        let mut figures = Figures::default();
        for v in &per_venue {
            figures += v.figures;
        }

        let mut units_by_kind = BTreeMap::new();
        for (kind, _) in &input.participations {
            *units_by_kind.entry(*kind).or_insert(0) += 1;
        }
        let mut media_by_channel = BTreeMap::new();
        for channel in &input.media {
            *media_by_channel.entry(*channel).or_insert(0) += 1;
        }

        let disputes = Self::dispute_totals(&input.disputes);

        CampaignTotals {
            figures,
            log_entries: saturating_sum(per_venue.iter().map(|v| v.log_entries)),
            venues: per_venue.len() as i64,
            sub_venues: per_venue.iter().filter(|v| v.kind == VenueKind::Sub).count() as i64,
            booths: saturating_sum(per_venue.iter().map(|v| v.booths)),
            units: input.participations.len() as i64,
            units_by_kind,
            reconciliation_members: input.participations.iter().filter(|(_, m)| *m).count() as i64,
            activities_by_kind,
            media_by_channel,
            materials,
            disputes,
            per_venue,
        }
    }
}

#[cfg(test)]
mod closing_tests {
    use super::*;

    fn fig(v: i64, c: i64) -> Figures {
        Figures { visitors: v, consultations: c, ..Figures::default() }
    }

    #[test]
    fn a_booth_tally_replaces_that_booths_log_figures_and_a_venue_tally_replaces_everything() {
        // Logged at the venue: 100 visitors, 40 of them at booth A; booth A counted 55 at closing.
        let booth = ClosingAdjustment::of_venue(None, fig(100, 10), fig(55, 6), fig(40, 4));
        assert_eq!(booth.apply(fig(100, 10)), fig(115, 12));
        let venue = ClosingAdjustment::of_venue(Some(fig(300, 30)), fig(100, 10), fig(55, 6), fig(40, 4));
        assert_eq!(venue.apply(fig(100, 10)), fig(300, 30));
        assert_eq!(ClosingAdjustment::default().apply(fig(7, 1)), fig(7, 1));
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn venue(id: i64, kind: VenueKind, visitors: i64) -> VenueInput {
        VenueInput {
            id,
            name: format!("v{id}"),
            kind,
            figures: Figures { visitors, consultations: 1, ..Figures::default() },
            log_entries: 2,
            booths: 1,
        }
    }

    #[test]
    fn campaign_totals_sum_venues_and_put_the_main_venue_first() {
        let input = SummaryInput {
            venues: vec![venue(2, VenueKind::Sub, 300), venue(1, VenueKind::Main, 1000)],
            materials: vec![MaterialInput {
                id: 9,
                name: "宣传资料".into(),
                unit_label: "份".into(),
                planned: 500,
                allocated: BTreeMap::from([(1, 400), (2, 150)]),
                handed_out: BTreeMap::from([(1, 390), (2, 160)]),
            }],
            activities: vec![(2, ActivityKind::CommunityOutreach, 320)],
            participations: vec![(UnitKind::Agency, false), (UnitKind::Enterprise, true)],
            media: vec![MediaChannel::Tv, MediaChannel::Newspaper, MediaChannel::Tv],
            disputes: vec![(DisputeStatus::Settled, 500, 400), (DisputeStatus::Mediating, 100, 0)],
        };
        let t = CampaignTotals::compute(&input);
        assert_eq!(t.figures.visitors, 1300);
        assert_eq!(t.log_entries, 4);
        assert_eq!((t.venues, t.sub_venues, t.booths), (2, 1, 2));
        assert_eq!(t.per_venue[0].venue_id, 1);
        assert_eq!(t.per_venue[1].activity_participants, 320);
        let m = &t.materials[0];
        assert_eq!((m.allocated, m.handed_out, m.over_allocated), (550, 550, true));
        assert_eq!(m.venues_over_allocation, vec![2]);
        assert_eq!(t.units_by_kind.get(&UnitKind::Agency), Some(&1));
        assert_eq!(t.reconciliation_members, 1);
        assert_eq!(t.media_by_channel.get(&MediaChannel::Tv), Some(&2));
        assert_eq!((t.disputes.received, t.disputes.settled, t.disputes.amount_recovered_fen), (2, 1, 400));
    }

    #[test]
    fn figures_validation_names_each_bad_field() {
        let f = Figures { visitors: -1, complaints_received: 1, complaints_settled: 2, ..Figures::default() };
        let err = f.validate().err().map(|e| e.fields).unwrap_or_default();
        assert!(err.contains_key("visitors"));
        assert!(err.contains_key("complaints_settled"));
        assert_eq!(err.len(), 2);
    }
}
