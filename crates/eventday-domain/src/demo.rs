//! The campaign file format (`assets/demo/*.json`): a whole campaign as data, with the checks
//! that run before anything is written. References between records use short keys.

use crate::error::{FieldErrors, ValidationError};
use crate::geometry::Rect;
use crate::inputs::*;
use crate::kinds::*;
use crate::totals::Figures;
use crate::validate::{self, MAX_NAME_CHARS, MAX_TEXT_CHARS};
use chrono::{DateTime, NaiveDate, NaiveTime, Utc};
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

struct Check {
    errors: FieldErrors,
}

impl Check {
    fn err(&mut self, field: String, why: impl Into<String>) {
        self.errors.entry(field).or_insert_with(|| why.into());
    }
    fn name(&mut self, field: String, v: &str) {
        validate::name(&mut self.errors, &field, v, MAX_NAME_CHARS);
    }
    fn count(&mut self, field: String, v: i64) {
        validate::non_negative(&mut self.errors, &field, v);
    }
    fn key(&mut self, field: String, v: &str, set: &HashSet<&str>, what: &str) {
        if !set.contains(v) {
            self.err(field, format!("unknown {what} {v:?}"));
        }
    }
    fn unique<'a>(&mut self, field: String, v: &'a str, seen: &mut HashSet<&'a str>) {
        if !seen.insert(v) {
            self.err(field, format!("duplicate {v:?}"));
        }
    }
}

impl CampaignFile {
    /// Checks the whole file: names, counts, references, booth geometry, times within the
    /// day. Every problem is reported with its path, e.g. `booths[3].x`.
    ///
    /// # Errors
    /// A [`ValidationError`] naming every bad field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut c = Check { errors: FieldErrors::new() };
        c.name("organization.name".into(), &self.organization.name);
        for (i, p) in self.organization.parents.iter().enumerate() {
            c.name(format!("organization.parents[{i}]"), p);
        }
        let camp = &self.campaign;
        c.name("campaign.title".into(), &camp.title);
        c.name("campaign.theme".into(), &camp.theme);
        if camp.timezone.parse::<chrono_tz::Tz>().is_err() {
            c.err("campaign.timezone".into(), format!("unknown time zone {:?}", camp.timezone));
        }
        if chrono::Datelike::year(&camp.date) != camp.year {
            c.err("campaign.year".into(), "must be the year of campaign.date");
        }

        let mut seen = HashSet::new();
        for (i, u) in self.units.iter().enumerate() {
            c.name(format!("units[{i}].key"), &u.key);
            c.unique(format!("units[{i}].key"), &u.key, &mut seen);
            c.name(format!("units[{i}].name"), &u.name);
        }
        let units: HashSet<&str> = self.units.iter().map(|u| u.key.as_str()).collect();
        let mut seen = HashSet::new();
        for (i, p) in self.participations.iter().enumerate() {
            c.key(format!("participations[{i}].unit"), &p.unit, &units, "unit");
            c.unique(format!("participations[{i}].unit"), &p.unit, &mut seen);
        }

        let mut seen = HashSet::new();
        let mut hours = BTreeMap::new();
        for (i, v) in self.venues.iter().enumerate() {
            c.name(format!("venues[{i}].key"), &v.key);
            c.unique(format!("venues[{i}].key"), &v.key, &mut seen);
            c.name(format!("venues[{i}].name"), &v.name);
            c.name(format!("venues[{i}].host_unit"), &v.host_unit);
            validate::positive_metres(&mut c.errors, &format!("venues[{i}].width_m"), v.width_m);
            validate::positive_metres(&mut c.errors, &format!("venues[{i}].depth_m"), v.depth_m);
            match (parse_hhmm(&v.opens_at), parse_hhmm(&v.closes_at)) {
                (Ok(o), Ok(cl)) if o < cl => {
                    hours.insert(v.key.as_str(), (o, cl));
                }
                (Ok(_), Ok(_)) => c.err(format!("venues[{i}].closes_at"), "must be after opens_at"),
                (Err(e), _) => c.err(format!("venues[{i}].opens_at"), e),
                (_, Err(e)) => c.err(format!("venues[{i}].closes_at"), e),
            }
        }
        // A second main venue is refused by the store's one rule for every door; here only a
        // file without any is.
        if !self.venues.iter().any(|v| v.kind == VenueKind::Main) {
            c.err("venues".into(), "must have a main venue");
        }
        let venues: HashSet<&str> = self.venues.iter().map(|v| v.key.as_str()).collect();
        let venue_size =
            |key: &str| self.venues.iter().find(|v| v.key == key).map(|v| (v.width_m, v.depth_m));

        let mut placed: Vec<(&str, &str, Rect)> = Vec::new();
        for (i, b) in self.booths.iter().enumerate() {
            c.key(format!("booths[{i}].venue"), &b.venue, &venues, "venue");
            c.name(format!("booths[{i}].topic"), &b.topic);
            for (j, u) in b.units.iter().enumerate() {
                c.key(format!("booths[{i}].units[{j}]"), u, &units, "unit");
            }
            let rect = Rect { x: b.x, y: b.y, w: b.w, h: b.h, rotation_deg: b.rotation_deg };
            if let Some((w, d)) = venue_size(&b.venue) {
                if !rect.fits_inside(w, d) {
                    c.err(format!("booths[{i}].x"), format!("booth lies outside the {w} x {d} m venue"));
                } else if let Some((_, other, _)) =
                    placed.iter().find(|(v, _, r)| *v == b.venue && r.overlaps(&rect))
                {
                    c.err(format!("booths[{i}].x"), format!("booth overlaps booth {other:?}"));
                }
                if placed.iter().any(|(v, t, _)| *v == b.venue && *t == b.topic) {
                    c.err(format!("booths[{i}].topic"), "duplicate topic at this venue");
                }
                placed.push((&b.venue, &b.topic, rect));
            }
        }

        for (i, a) in self.activities.iter().enumerate() {
            c.key(format!("activities[{i}].venue"), &a.venue, &venues, "venue");
            c.name(format!("activities[{i}].title"), &a.title);
            c.name(format!("activities[{i}].place"), &a.place);
            c.count(format!("activities[{i}].participants"), a.participants);
            match (parse_hhmm(&a.starts_at), parse_hhmm(&a.ends_at)) {
                (Ok(s), Ok(e)) if s < e => {}
                (Ok(_), Ok(_)) => c.err(format!("activities[{i}].ends_at"), "must be after starts_at"),
                (Err(e), _) => c.err(format!("activities[{i}].starts_at"), e),
                (_, Err(e)) => c.err(format!("activities[{i}].ends_at"), e),
            }
        }

        let mut seen = HashSet::new();
        for (i, m) in self.materials.iter().enumerate() {
            c.name(format!("materials[{i}].key"), &m.key);
            c.unique(format!("materials[{i}].key"), &m.key, &mut seen);
            c.name(format!("materials[{i}].name"), &m.name);
            c.name(format!("materials[{i}].unit_label"), &m.unit_label);
            c.count(format!("materials[{i}].planned"), m.planned);
            for (venue, qty) in &m.allocations {
                c.key(format!("materials[{i}].allocations.{venue}"), venue, &venues, "venue");
                c.count(format!("materials[{i}].allocations.{venue}"), *qty);
            }
        }
        let materials: HashSet<&str> = self.materials.iter().map(|m| m.key.as_str()).collect();

        for (i, m) in self.media.iter().enumerate() {
            c.key(format!("media[{i}].outlet"), &m.outlet, &units, "unit");
            c.name(format!("media[{i}].headline"), &m.headline);
            if let Some(r) = m.estimated_reach {
                c.count(format!("media[{i}].estimated_reach"), r);
            }
            for (j, v) in m.venues.iter().enumerate() {
                c.key(format!("media[{i}].venues[{j}]"), v, &venues, "venue");
            }
        }
        for (i, o) in self.officials.iter().enumerate() {
            c.name(format!("officials[{i}].name"), &o.name);
            c.name(format!("officials[{i}].title"), &o.title);
            if let Some(v) = &o.venue {
                c.key(format!("officials[{i}].venue"), v, &venues, "venue");
            }
        }
        for (i, d) in self.disputes.iter().enumerate() {
            c.key(format!("disputes[{i}].venue"), &d.venue, &venues, "venue");
            if let Some(e) = &d.enterprise {
                c.key(format!("disputes[{i}].enterprise"), e, &units, "unit");
            }
            c.count(format!("disputes[{i}].amount_claimed_fen"), d.amount_claimed_fen);
            c.count(format!("disputes[{i}].amount_recovered_fen"), d.amount_recovered_fen);
            if d.amount_recovered_fen > 0 && d.status != DisputeStatus::Settled {
                c.err(format!("disputes[{i}].amount_recovered_fen"), "only a settled dispute recovers money");
            }
            if d.closed_on.is_some() != d.status.is_final() {
                c.err(
                    format!("disputes[{i}].closed_on"),
                    "set exactly when the dispute is settled, referred or closed",
                );
            }
        }
        let mut seen = HashSet::new();
        for (i, n) in self.narrative.iter().enumerate() {
            c.name(format!("narrative[{i}].heading"), &n.heading);
            validate::text(&mut c.errors, &format!("narrative[{i}].body"), &n.body, MAX_TEXT_CHARS);
            if !seen.insert((n.lang, n.key.as_str())) {
                c.err(format!("narrative[{i}].key"), "duplicate key for this language");
            }
        }

        let mut seen = HashSet::new();
        for (i, e) in self.log_entries.iter().enumerate() {
            let p = format!("log_entries[{i}]");
            if !seen.insert(e.id) {
                c.err(format!("{p}.id"), "duplicate id");
            }
            c.key(format!("{p}.venue"), &e.venue, &venues, "venue");
            if let Some(topic) = &e.booth
                && !self.booths.iter().any(|b| b.venue == e.venue && &b.topic == topic)
            {
                c.err(format!("{p}.booth"), format!("no booth {topic:?} at venue {:?}", e.venue));
            }
            if let Some(title) = &e.activity
                && !self.activities.iter().any(|a| a.venue == e.venue && &a.title == title)
            {
                c.err(format!("{p}.activity"), format!("no activity {title:?} at venue {:?}", e.venue));
            }
            if let Err(err) = parse_hhmm(&e.time) {
                c.err(format!("{p}.time"), err);
            }
            c.name(format!("{p}.author"), &e.author);
            validate::text(&mut c.errors, &format!("{p}.note"), &e.note, MAX_TEXT_CHARS);
            if let Err(err) = e.figures().validate() {
                for (k, v) in err.fields {
                    c.err(format!("{p}.{k}"), v);
                }
            }
            for (m, qty) in &e.materials {
                c.key(format!("{p}.materials.{m}"), m, &materials, "material");
                c.count(format!("{p}.materials.{m}"), *qty);
            }
        }
        ValidationError::check(c.errors)
    }
}

// Converters into the input types of the store's one write path: the demo loader writes each
// record through the same function as the API, CSV and cloning.

impl UnitRec {
    /// The unit as the directory takes it.
    #[must_use]
    pub fn input(&self) -> UnitInput {
        UnitInput { name: self.name.clone(), kind: self.kind, contact: self.contact.clone() }
    }
}

impl ParticipationRec {
    /// The participation of the unit with id `unit_id`.
    #[must_use]
    pub fn input(&self, unit_id: i32) -> ParticipationInput {
        ParticipationInput {
            unit_id,
            staffs_booth: self.staffs_booth,
            reconciliation_member: self.reconciliation_member,
            media: self.media,
            sponsor: self.sponsor,
        }
    }
}

impl VenueRec {
    /// The venue, shown at `position`.
    #[must_use]
    pub fn input(&self, position: i32) -> VenueInput {
        VenueInput {
            kind: self.kind,
            name: self.name.clone(),
            host_unit: self.host_unit.clone(),
            address: self.address.clone(),
            lead_name: self.lead.clone(),
            width_m: self.width_m,
            depth_m: self.depth_m,
            opens_at: self.opens_at.clone(),
            closes_at: self.closes_at.clone(),
            position,
        }
    }
}

impl BoothRec {
    /// The booth, staffed by the units with `unit_ids`.
    #[must_use]
    pub fn input(&self, unit_ids: Vec<i32>) -> BoothInput {
        BoothInput {
            topic: self.topic.clone(),
            kind: self.kind,
            x: self.x,
            y: self.y,
            w: self.w,
            h: self.h,
            rotation_deg: self.rotation_deg,
            unit_ids,
        }
    }
}

impl ActivityRec {
    /// The activity, its local times already placed on the day.
    #[must_use]
    pub fn input(&self, starts_at: DateTime<Utc>, ends_at: DateTime<Utc>) -> ActivityInput {
        ActivityInput {
            kind: self.kind,
            title: self.title.clone(),
            place: self.place.clone(),
            starts_at,
            ends_at,
            participants: self.participants,
            note: self.note.clone(),
        }
    }
}

impl MaterialRec {
    /// The catalogue item.
    #[must_use]
    pub fn input(&self) -> MaterialInput {
        MaterialInput { name: self.name.clone(), unit_label: self.unit_label.clone(), planned: self.planned }
    }
}

impl MediaRec {
    /// The coverage by the outlet with id `outlet_unit_id` of the venues with `venue_ids`.
    #[must_use]
    pub fn input(&self, outlet_unit_id: i32, venue_ids: Vec<i32>) -> MediaInput {
        MediaInput {
            outlet_unit_id,
            channel: self.channel,
            format: self.format,
            date: self.date,
            headline: self.headline.clone(),
            link: self.link.clone(),
            estimated_reach: self.estimated_reach,
            venue_ids,
        }
    }
}

impl OfficialRec {
    /// The official, at the venue with `venue_id` if any.
    #[must_use]
    pub fn input(&self, venue_id: Option<i32>) -> OfficialInput {
        OfficialInput {
            name: self.name.clone(),
            title: self.title.clone(),
            organization: self.organization.clone(),
            venue_id,
            role: self.role.clone(),
            masked: self.masked,
        }
    }
}

impl DisputeRec {
    /// The dispute as received, and the move to its recorded status when it is past "received".
    #[must_use]
    pub fn input(
        &self,
        venue_id: i32,
        enterprise_unit_id: Option<i32>,
    ) -> (DisputeInput, Option<DisputeStatusChange>) {
        let input = DisputeInput {
            venue_id,
            booth_id: None,
            enterprise_unit_id,
            category: self.category.clone(),
            summary: self.summary.clone(),
            amount_claimed_fen: self.amount_claimed_fen,
            received_on: self.received_on,
        };
        let change = (self.status != DisputeStatus::Received).then(|| DisputeStatusChange {
            status: self.status,
            amount_recovered_fen: (self.status == DisputeStatus::Settled)
                .then_some(self.amount_recovered_fen),
            closed_on: self.closed_on.filter(|_| self.status.is_final()),
        });
        (input, change)
    }
}

impl NarrativeRec {
    /// The section, at `position` among those of its language.
    #[must_use]
    pub fn input(&self, position: i32) -> NarrativeInput {
        NarrativeInput {
            lang: self.lang,
            key: self.key.clone(),
            position,
            heading: self.heading.clone(),
            body: self.body.clone(),
            next_steps: self.next_steps,
        }
    }
}
