//! The campaign file format (`assets/demo/*.json`): a whole campaign as data, with the checks
//! that run before anything is written. References between records use short keys.

use crate::error::{FieldErrors, ValidationError};
use crate::kinds::*;
use crate::totals::Figures;
use crate::validate::{self, MAX_NAME_CHARS, MAX_TEXT_CHARS};
use chrono::{NaiveDate, NaiveTime};
use serde::{Deserialize, Serialize};
use std::collections::{BTreeMap, HashSet};

/// A whole campaign, as in `assets/demo/campaign-2013.json`.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignFile {
    /// The organizing body and its parents.
    pub organization: OrganizationRec,
    /// The campaign itself.
    pub campaign: CampaignRec,
    /// Units named anywhere below.
    pub units: Vec<UnitRec>,
    /// Which units took part and how.
    pub participations: Vec<ParticipationRec>,
    /// One main venue and the sub-venues.
    pub venues: Vec<VenueRec>,
    /// Booths on the floor plans.
    pub booths: Vec<BoothRec>,
    /// Activities.
    pub activities: Vec<ActivityRec>,
    /// Materials with allocations.
    pub materials: Vec<MaterialRec>,
    /// Media coverage.
    pub media: Vec<MediaRec>,
    /// Officials attending.
    pub officials: Vec<OfficialRec>,
    /// Consumer disputes.
    pub disputes: Vec<DisputeRec>,
    /// Narrative sections for the report.
    pub narrative: Vec<NarrativeRec>,
    /// The day's log entries.
    pub log_entries: Vec<LogEntryRec>,
}

/// The organization, with its parents from the top down.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OrganizationRec {
    /// Name.
    pub name: String,
    /// English name (optional).
    #[serde(default)]
    pub name_en: Option<String>,
    /// Parent chain, top first (province, city).
    #[serde(default)]
    pub parents: Vec<String>,
}

/// The campaign.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct CampaignRec {
    /// Year.
    pub year: i32,
    /// Event day.
    pub date: NaiveDate,
    /// IANA time zone.
    pub timezone: String,
    /// Title.
    pub title: String,
    /// Theme, e.g. 消费与服务.
    pub theme: String,
    /// Status.
    pub status: CampaignStatus,
}

/// A unit of the directory.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct UnitRec {
    /// Short key used by other records.
    pub key: String,
    /// Name.
    pub name: String,
    /// English name (optional).
    #[serde(default)]
    pub name_en: Option<String>,
    /// Kind.
    pub kind: UnitKind,
    /// Contact.
    pub contact: Option<String>,
}

/// A unit's part in the campaign.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ParticipationRec {
    /// Unit key.
    pub unit: String,
    /// Staffs a booth.
    pub staffs_booth: bool,
    /// Member of the reconciliation platform.
    pub reconciliation_member: bool,
    /// Covers the campaign as media.
    pub media: bool,
    /// Sponsors.
    pub sponsor: bool,
}

/// A venue.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct VenueRec {
    /// Short key.
    pub key: String,
    /// Main or sub.
    pub kind: VenueKind,
    /// Name.
    pub name: String,
    /// English name (optional).
    #[serde(default)]
    pub name_en: Option<String>,
    /// Host unit (branch, street office).
    pub host_unit: String,
    /// Address.
    pub address: String,
    /// Lead's name.
    pub lead: String,
    /// Floor plan width, metres.
    pub width_m: f64,
    /// Floor plan depth, metres.
    pub depth_m: f64,
    /// Opening time, HH:MM local.
    pub opens_at: String,
    /// Closing time, HH:MM local.
    pub closes_at: String,
}

/// A booth.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct BoothRec {
    /// Venue key.
    pub venue: String,
    /// Topic.
    pub topic: String,
    /// Kind.
    pub kind: BoothKind,
    /// Staffing unit keys.
    pub units: Vec<String>,
    /// Rectangle, metres.
    pub x: f64,
    /// Rectangle, metres.
    pub y: f64,
    /// Rectangle, metres.
    pub w: f64,
    /// Rectangle, metres.
    pub h: f64,
    /// Rotation, degrees.
    pub rotation_deg: f64,
}

/// An activity.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct ActivityRec {
    /// Venue key.
    pub venue: String,
    /// Kind.
    pub kind: ActivityKind,
    /// Title.
    pub title: String,
    /// Place.
    pub place: String,
    /// Start, HH:MM local.
    pub starts_at: String,
    /// End, HH:MM local.
    pub ends_at: String,
    /// People taking part.
    pub participants: i64,
    /// Note.
    #[serde(default, deserialize_with = "text_or_null")]
    pub note: String,
}

/// A material with allocations per venue key.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MaterialRec {
    /// Short key.
    pub key: String,
    /// Name.
    pub name: String,
    /// English name (optional).
    #[serde(default)]
    pub name_en: Option<String>,
    /// Counting unit.
    pub unit_label: String,
    /// Planned quantity.
    pub planned: i64,
    /// venue key -> quantity.
    pub allocations: BTreeMap<String, i64>,
}

/// A media item.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct MediaRec {
    /// Outlet unit key.
    pub outlet: String,
    /// Channel.
    pub channel: MediaChannel,
    /// Format.
    pub format: MediaFormat,
    /// Date.
    pub date: NaiveDate,
    /// Headline.
    pub headline: String,
    /// Link.
    pub link: Option<String>,
    /// Estimated reach.
    pub estimated_reach: Option<i64>,
    /// Venue keys covered.
    #[serde(default)]
    pub venues: Vec<String>,
}

/// An official.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct OfficialRec {
    /// Name (may already be masked).
    pub name: String,
    /// Title.
    pub title: String,
    /// Organization.
    pub organization: String,
    /// Venue key.
    pub venue: Option<String>,
    /// Role at the event.
    pub role: String,
    /// Mask the name in the report.
    pub masked: bool,
}

/// A dispute.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct DisputeRec {
    /// Venue key.
    pub venue: String,
    /// Enterprise unit key.
    pub enterprise: Option<String>,
    /// Category.
    pub category: String,
    /// Amount claimed, fen.
    pub amount_claimed_fen: i64,
    /// Status.
    pub status: DisputeStatus,
    /// Amount recovered, fen.
    pub amount_recovered_fen: i64,
    /// Received on.
    pub received_on: NaiveDate,
    /// Closed on.
    pub closed_on: Option<NaiveDate>,
    /// Summary.
    #[serde(default, deserialize_with = "text_or_null")]
    pub summary: String,
}

/// A narrative section.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct NarrativeRec {
    /// Key, shared between languages.
    pub key: String,
    /// "zh" or "en".
    pub lang: Lang,
    /// Heading.
    pub heading: String,
    /// Body, paragraphs separated by newlines.
    pub body: String,
    /// The closing "next steps" section.
    #[serde(default)]
    pub next_steps: bool,
}

/// A log entry.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct LogEntryRec {
    /// Client-made UUID.
    pub id: uuid::Uuid,
    /// Venue key.
    pub venue: String,
    /// Booth topic at that venue.
    pub booth: Option<String>,
    /// Activity title at that venue.
    pub activity: Option<String>,
    /// HH:MM local.
    pub time: String,
    /// Author.
    pub author: String,
    /// People who came.
    pub visitors: i64,
    /// Consultations.
    pub consultations: i64,
    /// Complaints received.
    pub complaints_received: i64,
    /// Complaints settled on site.
    pub complaints_settled: i64,
    /// Money recovered, fen.
    pub money_recovered_fen: i64,
    /// material key -> quantity handed out.
    #[serde(default)]
    pub materials: BTreeMap<String, i64>,
    /// Note.
    #[serde(default, deserialize_with = "text_or_null")]
    pub note: String,
    /// Photos attached to the entry (files shipped with the campaign file).
    #[serde(default, skip_serializing_if = "Vec::is_empty")]
    pub photos: Vec<PhotoRec>,
}

/// A photo of a log entry in a campaign file.
#[derive(Debug, Clone, Serialize, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct PhotoRec {
    /// File name among the photos shipped with the campaign file (`assets/demo/photos/`).
    pub file: String,
    /// The photo's own caption.
    #[serde(default)]
    pub caption: String,
    /// Marked for the report.
    #[serde(default)]
    pub starred: bool,
}

impl LogEntryRec {
    /// The entry's figures.
    #[must_use]
    pub fn figures(&self) -> Figures {
        Figures {
            visitors: self.visitors,
            consultations: self.consultations,
            complaints_received: self.complaints_received,
            complaints_settled: self.complaints_settled,
            money_recovered_fen: self.money_recovered_fen,
        }
    }
}

/// Reads an optional text where `null` means empty.
fn text_or_null<'de, D: serde::Deserializer<'de>>(d: D) -> Result<String, D::Error> {
    Ok(Option::<String>::deserialize(d)?.unwrap_or_default())
}

/// Parses `HH:MM`.
///
/// # Errors
/// A message for people when the text is not a time of day.
pub fn parse_hhmm(s: &str) -> Result<NaiveTime, String> {
    NaiveTime::parse_from_str(s, "%H:%M").map_err(|_| format!("{s:?} is not a time HH:MM"))
}

mod check;
mod convert;
