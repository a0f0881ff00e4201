//! What clients send to create or replace things: the API's JSON bodies. Every type rejects
//! unknown fields when parsed, and `validate()` names every bad field at once.

use crate::log::NewLogEntry;
use crate::totals::Figures;
use crate::validate::{self, MAX_NAME_CHARS, MAX_TEXT_CHARS};
use crate::{
    ActivityKind, BoothKind, CampaignStatus, DisputeStatus, FieldErrors, Lang, MediaChannel, MediaFormat,
    Rect, UnitKind, ValidationError, VenueKind, VenueSetting,
};
use chrono::{DateTime, Datelike, NaiveDate, Utc};
use serde::{Deserialize, Serialize};
use std::collections::BTreeMap;

mod preparation;
mod records;

pub use preparation::*;
pub use records::*;
/// The longest URL accepted.
pub const MAX_LINK_CHARS: usize = 2_000;

fn default_true() -> bool {
    true
}

fn default_zone() -> String {
    "Asia/Shanghai".into()
}

fn default_setting() -> VenueSetting {
    VenueSetting::Other
}

fn default_opens() -> String {
    "09:00".into()
}

fn default_closes() -> String {
    "17:00".into()
}

/// An organization (a consumer association, possibly under a parent).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OrganizationInput {
    /// Name, e.g. "江岸区消费者协会".
    pub name: String,
    /// English name, shown in the English report (none: the Chinese name).
    #[serde(default)]
    pub name_en: Option<String>,
    /// The parent organization (city above district).
    #[serde(default)]
    pub parent_id: Option<i32>,
}

impl OrganizationInput {
    /// # Errors
    /// Names every bad field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut e = FieldErrors::new();
        validate::name(&mut e, "name", &self.name, MAX_NAME_CHARS);
        if let Some(n) = &self.name_en {
            validate::line(&mut e, "name_en", n, MAX_NAME_CHARS);
        }
        ValidationError::check(e)
    }
}

/// A campaign: one event day of one organization.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CampaignInput {
    /// The organization running it.
    pub organization_id: i32,
    /// Year (must be the year of `date`).
    pub year: i32,
    /// The event day.
    pub date: NaiveDate,
    /// IANA time zone; defaults to Asia/Shanghai.
    #[serde(default = "default_zone")]
    pub timezone: String,
    /// Title.
    pub title: String,
    /// Theme, e.g. "消费与服务".
    #[serde(default)]
    pub theme: String,
    /// Status; defaults to planning.
    #[serde(default)]
    pub status: Option<CampaignStatus>,
    /// The undertaker (承办单位), if another body runs the day for the organizer.
    #[serde(default)]
    pub undertaker: String,
    /// Administrative division code of the district (6 digits, e.g. 420102), if known.
    #[serde(default)]
    pub division_code: String,
    /// Whether the report shows officials' names as "xx"; on unless turned off.
    #[serde(default = "default_true")]
    pub mask_official_names: bool,
}

impl CampaignInput {
    /// # Errors
    /// Names every bad field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut e = FieldErrors::new();
        validate::name(&mut e, "title", &self.title, MAX_NAME_CHARS);
        validate::line(&mut e, "theme", &self.theme, MAX_NAME_CHARS);
        if !(1980..=2200).contains(&self.year) {
            e.insert("year".into(), "must be between 1980 and 2200".into());
        } else if self.year != self.date.year() {
            e.insert("year".into(), "must be the year of date".into());
        }
        if let Err(m) = crate::time::parse_zone(&self.timezone) {
            e.insert("timezone".into(), m);
        }
        validate::line(&mut e, "undertaker", &self.undertaker, MAX_NAME_CHARS);
        validate::division_code(&mut e, "division_code", &self.division_code);
        ValidationError::check(e)
    }
}

/// A venue of a campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct VenueInput {
    /// Main or sub.
    pub kind: VenueKind,
    /// Name.
    pub name: String,
    /// English name, shown in the English report (none: the Chinese name).
    #[serde(default)]
    pub name_en: Option<String>,
    /// Host unit (branch office, street office).
    #[serde(default)]
    pub host_unit: String,
    /// Address.
    #[serde(default)]
    pub address: String,
    /// Lead's name.
    #[serde(default)]
    pub lead_name: String,
    /// Where it is set up; defaults to other.
    #[serde(default = "default_setting")]
    pub setting: VenueSetting,
    /// Floor-plan width, metres; none (with the depth) while there is no floor plan yet.
    #[serde(default)]
    pub width_m: Option<f64>,
    /// Floor-plan depth, metres; none (with the width) while there is no floor plan yet.
    #[serde(default)]
    pub depth_m: Option<f64>,
    /// Opening time `HH:MM`.
    #[serde(default = "default_opens")]
    pub opens_at: String,
    /// Closing time `HH:MM`.
    #[serde(default = "default_closes")]
    pub closes_at: String,
    /// Display order.
    #[serde(default)]
    pub position: i32,
}

impl VenueInput {
    /// # Errors
    /// Names every bad field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut e = FieldErrors::new();
        validate::name(&mut e, "name", &self.name, MAX_NAME_CHARS);
        if let Some(n) = &self.name_en {
            validate::line(&mut e, "name_en", n, MAX_NAME_CHARS);
        }
        validate::line(&mut e, "host_unit", &self.host_unit, MAX_NAME_CHARS);
        validate::line(&mut e, "address", &self.address, MAX_NAME_CHARS);
        validate::line(&mut e, "lead_name", &self.lead_name, MAX_NAME_CHARS);
        match (self.width_m, self.depth_m) {
            (Some(w), Some(d)) => {
                validate::positive_metres(&mut e, "width_m", w);
                validate::positive_metres(&mut e, "depth_m", d);
            }
            (None, None) => {}
            (None, Some(_)) => {
                e.insert("width_m".into(), "give both width and depth, or neither (no plan yet)".into());
            }
            (Some(_), None) => {
                e.insert("depth_m".into(), "give both width and depth, or neither (no plan yet)".into());
            }
        }
        validate::hhmm(&mut e, "opens_at", &self.opens_at);
        validate::hhmm(&mut e, "closes_at", &self.closes_at);
        if !e.contains_key("opens_at") && !e.contains_key("closes_at") && self.opens_at >= self.closes_at {
            e.insert("closes_at".into(), "must be after opens_at".into());
        }
        ValidationError::check(e)
    }
}

/// A unit of the directory (agency, enterprise, media, ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct UnitInput {
    /// Name (unique).
    pub name: String,
    /// English name, shown in the English report (none: the Chinese name).
    #[serde(default)]
    pub name_en: Option<String>,
    /// Kind.
    pub kind: UnitKind,
    /// Contact (phone or person).
    #[serde(default)]
    pub contact: Option<String>,
    /// Short name, e.g. "区市场监管局".
    #[serde(default)]
    pub short_name: Option<String>,
    /// Industry (of a member enterprise), e.g. "餐饮".
    #[serde(default)]
    pub industry: Option<String>,
    /// Year it joined the reconciliation platform.
    #[serde(default)]
    pub platform_joined_year: Option<i32>,
}

impl UnitInput {
    /// # Errors
    /// Names every bad field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut e = FieldErrors::new();
        validate::name(&mut e, "name", &self.name, MAX_NAME_CHARS);
        if let Some(n) = &self.name_en {
            validate::line(&mut e, "name_en", n, MAX_NAME_CHARS);
        }
        if let Some(c) = &self.contact {
            validate::line(&mut e, "contact", c, MAX_NAME_CHARS);
        }
        if let Some(c) = &self.short_name {
            validate::name(&mut e, "short_name", c, 100);
        }
        if let Some(c) = &self.industry {
            validate::name(&mut e, "industry", c, 100);
        }
        if let Some(y) = self.platform_joined_year
            && !(1980..=2200).contains(&y)
        {
            e.insert("platform_joined_year".into(), "must be a year between 1980 and 2200".into());
        }
        ValidationError::check(e)
    }
}

/// A unit taking part in a campaign, and in which roles.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ParticipationInput {
    /// The unit.
    pub unit_id: i32,
    /// Staffs a booth.
    #[serde(default)]
    pub staffs_booth: bool,
    /// Member of the reconciliation platform.
    #[serde(default)]
    pub reconciliation_member: bool,
    /// Takes part as media.
    #[serde(default)]
    pub media: bool,
    /// Sponsor.
    #[serde(default)]
    pub sponsor: bool,
    /// Copied from last year and not confirmed yet; an update without it confirms.
    #[serde(default)]
    pub to_confirm: bool,
}

impl ParticipationInput {
    /// # Errors
    /// Never for now: every combination of roles is allowed; kept for symmetry.
    pub fn validate(&self) -> Result<(), ValidationError> {
        Ok(())
    }
}

/// A booth on a venue's floor plan.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct BoothInput {
    /// Topic, e.g. "烟草识别专题咨询".
    pub topic: String,
    /// Kind.
    pub kind: BoothKind,
    /// Left edge before rotation, metres; none (with `y`, `w`, `h`) while not placed yet.
    #[serde(default)]
    pub x: Option<f64>,
    /// Top edge before rotation, metres.
    #[serde(default)]
    pub y: Option<f64>,
    /// Width, metres.
    #[serde(default)]
    pub w: Option<f64>,
    /// Depth, metres.
    #[serde(default)]
    pub h: Option<f64>,
    /// Clockwise rotation about the centre, degrees.
    #[serde(default)]
    pub rotation_deg: f64,
    /// Units staffing the booth.
    #[serde(default)]
    pub unit_ids: Vec<i32>,
}

impl BoothInput {
    /// The footprint, when the booth has been placed on the floor plan.
    #[must_use]
    pub fn rect(&self) -> Option<Rect> {
        Some(Rect { x: self.x?, y: self.y?, w: self.w?, h: self.h?, rotation_deg: self.rotation_deg })
    }

    /// # Errors
    /// Names every bad field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut e = FieldErrors::new();
        validate::name(&mut e, "topic", &self.topic, MAX_NAME_CHARS);
        let given = [self.x, self.y, self.w, self.h];
        if given.iter().any(Option::is_some) && given.iter().any(Option::is_none) {
            for (key, v) in ["x", "y", "w", "h"].into_iter().zip(given) {
                if v.is_none() {
                    e.insert(
                        key.into(),
                        "give x, y, w and h together, or none of them (not placed yet)".into(),
                    );
                }
            }
        }
        if let Some(x) = self.x {
            validate::coordinate(&mut e, "x", x);
        }
        if let Some(y) = self.y {
            validate::coordinate(&mut e, "y", y);
        }
        if let Some(w) = self.w {
            validate::positive_metres(&mut e, "w", w);
        }
        if let Some(h) = self.h {
            validate::positive_metres(&mut e, "h", h);
        }
        if !self.rotation_deg.is_finite() || self.rotation_deg.abs() > 360.0 {
            e.insert("rotation_deg".into(), "must be between -360 and 360".into());
        }
        ValidationError::check(e)
    }
}

/// What a venue lead records about an activity on the day.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ActivityFigures {
    /// People who took part.
    pub participants: i64,
}

/// An activity held by a venue (outreach, lecture, demonstration ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ActivityInput {
    /// Kind.
    pub kind: ActivityKind,
    /// Title.
    pub title: String,
    /// Where, e.g. "同庆阁社区".
    #[serde(default)]
    pub place: String,
    /// Start (RFC 3339).
    pub starts_at: DateTime<Utc>,
    /// End (RFC 3339), after the start.
    pub ends_at: DateTime<Utc>,
    /// People who took part.
    #[serde(default)]
    pub participants: i64,
    /// Note.
    #[serde(default)]
    pub note: String,
}

impl ActivityInput {
    /// # Errors
    /// Names every bad field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut e = FieldErrors::new();
        validate::name(&mut e, "title", &self.title, MAX_NAME_CHARS);
        validate::line(&mut e, "place", &self.place, MAX_NAME_CHARS);
        validate::bounded(&mut e, "participants", self.participants, validate::MAX_PEOPLE);
        validate::text(&mut e, "note", &self.note, MAX_TEXT_CHARS);
        if self.ends_at <= self.starts_at {
            e.insert("ends_at".into(), "must be after starts_at".into());
        }
        ValidationError::check(e)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    fn venue() -> VenueInput {
        VenueInput {
            kind: VenueKind::Sub,
            name: "后湖分会场".into(),
            name_en: None,
            host_unit: String::new(),
            address: String::new(),
            lead_name: String::new(),
            setting: VenueSetting::Square,
            width_m: Some(20.0),
            depth_m: Some(10.0),
            opens_at: "09:00".into(),
            closes_at: "17:00".into(),
            position: 1,
        }
    }

    fn bad_fields(r: Result<(), ValidationError>) -> Vec<String> {
        r.err().map(|e| e.fields.into_keys().collect()).unwrap_or_default()
    }

    #[test]
    fn a_sound_venue_passes_and_every_bad_field_is_named() {
        assert!(venue().validate().is_ok());
        let v = VenueInput {
            name: "x\0y".into(),
            width_m: Some(-1.0),
            depth_m: Some(f64::NAN),
            opens_at: "9am".into(),
            ..venue()
        };
        assert_eq!(bad_fields(v.validate()), ["depth_m", "name", "opens_at", "width_m"]);
        let late = VenueInput { opens_at: "18:00".into(), ..venue() };
        assert_eq!(bad_fields(late.validate()), ["closes_at"]);
        let no_plan = VenueInput { width_m: None, depth_m: None, ..venue() };
        assert!(no_plan.validate().is_ok());
        let half = VenueInput { width_m: None, ..venue() };
        assert_eq!(bad_fields(half.validate()), ["width_m"]);
    }

    #[test]
    fn ten_thousand_character_names_are_refused() {
        let u = UnitInput {
            name: "长".repeat(10_000),
            name_en: None,
            kind: UnitKind::Enterprise,
            contact: None,
            short_name: None,
            industry: None,
            platform_joined_year: None,
        };
        assert_eq!(bad_fields(u.validate()), ["name"]);
    }

    #[test]
    fn unknown_fields_are_refused_when_parsing() {
        let r: Result<MaterialInput, _> =
            serde_json::from_str(r#"{"name":"横幅","unit_label":"幅","planned":1,"colour":"red"}"#);
        assert!(r.err().map(|e| e.to_string()).unwrap_or_default().contains("colour"));
    }

    #[test]
    fn campaign_year_must_match_its_date_and_zone_must_exist() {
        let c = CampaignInput {
            organization_id: 1,
            year: 2014,
            date: NaiveDate::from_ymd_opt(2013, 3, 15).unwrap_or_default(),
            timezone: "Mars/Olympus".into(),
            title: "2013".into(),
            theme: String::new(),
            status: None,
            undertaker: String::new(),
            division_code: "42a".into(),
            mask_official_names: true,
        };
        assert_eq!(bad_fields(c.validate()), ["division_code", "timezone", "year"]);
    }

    #[test]
    fn booth_needs_a_positive_size_and_a_sane_rotation() {
        let b = BoothInput {
            topic: "民生消费咨询台".into(),
            kind: BoothKind::Consultation,
            x: Some(0.0),
            y: Some(f64::INFINITY),
            w: Some(0.0),
            h: Some(2.0),
            rotation_deg: 720.0,
            unit_ids: vec![],
        };
        assert_eq!(bad_fields(b.validate()), ["rotation_deg", "w", "y"]);
        let unplaced = BoothInput { x: None, y: None, w: None, h: None, rotation_deg: 0.0, ..b.clone() };
        assert!(unplaced.validate().is_ok() && unplaced.rect().is_none());
        let half = BoothInput { x: None, y: Some(1.0), w: Some(1.0), h: Some(1.0), rotation_deg: 0.0, ..b };
        assert_eq!(bad_fields(half.validate()), ["x"]);
    }

    #[test]
    fn dispute_status_moves_follow_the_workflow() {
        let settle = DisputeStatusChange {
            status: DisputeStatus::Settled,
            amount_recovered_fen: Some(500),
            closed_on: None,
        };
        assert!(settle.validate(DisputeStatus::Mediating).is_ok());
        assert_eq!(bad_fields(settle.validate(DisputeStatus::Closed)), ["status"]);
        let mediate = DisputeStatusChange {
            status: DisputeStatus::Mediating,
            amount_recovered_fen: Some(-1),
            closed_on: None,
        };
        assert_eq!(bad_fields(mediate.validate(DisputeStatus::Received)), ["amount_recovered_fen"]);
    }

    #[test]
    fn activity_must_end_after_it_starts() {
        let t = DateTime::<Utc>::default();
        let a = ActivityInput {
            kind: ActivityKind::SchoolLecture,
            title: "进校园".into(),
            place: "长春街小学".into(),
            starts_at: t,
            ends_at: t,
            participants: -3,
            note: String::new(),
        };
        assert_eq!(bad_fields(a.validate()), ["ends_at", "participants"]);
    }
}
