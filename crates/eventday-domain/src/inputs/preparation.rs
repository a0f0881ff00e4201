//! What clients send before the day: checklist tasks, a clone of last year's campaign,
//! check-ins (签到) and messages to venue leads.

use super::*;
use crate::{CheckInMethod, ParticipantKind, TaskStatus};

fn default_task_status() -> TaskStatus {
    TaskStatus::Open
}

/// A task of the preparation checklist (a row of the 工作分工表).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TaskInput {
    /// Phase, e.g. "筹划阶段".
    #[serde(default)]
    pub phase: String,
    /// What is to be done (事项).
    pub title: String,
    /// Responsible unit (责任单位).
    #[serde(default)]
    pub responsible_unit: String,
    /// Responsible person (责任人).
    #[serde(default)]
    pub responsible_person: String,
    /// The venue it is for, if any.
    #[serde(default)]
    pub venue_id: Option<i32>,
    /// Due date (完成时限).
    pub due_on: NaiveDate,
    /// Status; open unless given.
    #[serde(default = "default_task_status")]
    pub status: TaskStatus,
    /// Notes.
    #[serde(default)]
    pub notes: String,
    /// Evidence: a link to a photo or file, or where it is kept.
    #[serde(default)]
    pub evidence: String,
    /// Order in the list.
    #[serde(default)]
    pub position: i32,
}

impl TaskInput {
    /// # Errors
    /// Names every bad field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut e = FieldErrors::new();
        validate::line(&mut e, "phase", &self.phase, 100);
        validate::name(&mut e, "title", &self.title, 400);
        validate::line(&mut e, "responsible_unit", &self.responsible_unit, MAX_NAME_CHARS);
        validate::line(&mut e, "responsible_person", &self.responsible_person, 100);
        validate::text(&mut e, "notes", &self.notes, 10_000);
        validate::line(&mut e, "evidence", &self.evidence, MAX_LINK_CHARS);
        ValidationError::check(e)
    }
}

/// A change of a task's status (and optionally its notes): what a venue lead may change of
/// their venue's tasks.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TaskStatusInput {
    /// The new status.
    pub status: TaskStatus,
    /// New notes; the notes are kept when absent.
    #[serde(default)]
    pub notes: Option<String>,
}

/// A part of a campaign that cloning may copy.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(rename_all = "snake_case")]
pub enum ClonePart {
    /// Venues with their floor plans and booths.
    Venues,
    /// Participating units (media outlets among them), marked "to confirm".
    Units,
    /// Activities, times kept, dates moved (needs venues).
    Activities,
    /// Material items and their allocations as a baseline (allocations need venues).
    Materials,
    /// The checklist, due dates moved.
    Checklist,
    /// Narrative headings, without their text.
    Narrative,
}

impl ClonePart {
    /// Every part, in the order they are copied.
    pub const ALL: [ClonePart; 6] = [
        ClonePart::Venues,
        ClonePart::Units,
        ClonePart::Activities,
        ClonePart::Materials,
        ClonePart::Checklist,
        ClonePart::Narrative,
    ];

    /// The stored (and JSON) spelling.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            ClonePart::Venues => "venues",
            ClonePart::Units => "units",
            ClonePart::Activities => "activities",
            ClonePart::Materials => "materials",
            ClonePart::Checklist => "checklist",
            ClonePart::Narrative => "narrative",
        }
    }

    /// Reads the stored spelling.
    #[must_use]
    pub fn parse(s: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|p| p.as_str() == s.trim())
    }
}

/// A new campaign made from an existing one.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CloneInput {
    /// The new event day; dates move by the days between the two event days.
    pub date: NaiveDate,
    /// Title of the new campaign; by default the old one with its year replaced.
    #[serde(default)]
    pub title: Option<String>,
    /// What to copy; every part when omitted.
    #[serde(default)]
    pub parts: Option<Vec<ClonePart>>,
}

impl CloneInput {
    /// # Errors
    /// Names every bad field: activities without venues cannot be copied.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut e = FieldErrors::new();
        if let Some(t) = &self.title {
            validate::name(&mut e, "title", t, MAX_NAME_CHARS);
        }
        if !(1980..=2200).contains(&self.date.year()) {
            e.insert("date".into(), "must be between 1980 and 2200".into());
        }
        let parts = self.parts();
        if parts.contains(&ClonePart::Activities) && !parts.contains(&ClonePart::Venues) {
            e.insert("parts".into(), "activities are held at venues: copy the venues too".into());
        }
        ValidationError::check(e)
    }

    /// The parts to copy.
    #[must_use]
    pub fn parts(&self) -> Vec<ClonePart> {
        let mut p = self.parts.clone().unwrap_or_else(|| ClonePart::ALL.to_vec());
        p.sort_unstable();
        p.dedup();
        p
    }
}

/// A check-in (签到) of a participant at a venue; `id` is made by the client so that a resent
/// scan is stored once.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct CheckInInput {
    /// Client-made id (a UUID).
    pub id: uuid::Uuid,
    /// Who signs in.
    pub participant_kind: ParticipantKind,
    /// The unit (for a unit).
    #[serde(default)]
    pub unit_id: Option<i32>,
    /// The official (for an official).
    #[serde(default)]
    pub official_id: Option<i32>,
    /// Name of the person signing (for staff, required; otherwise optional).
    #[serde(default)]
    pub name: String,
    /// Their position (职务).
    #[serde(default)]
    pub role: String,
    /// How it was taken.
    pub method: CheckInMethod,
    /// When; now when omitted (paper sheets give the time written on them).
    #[serde(default)]
    pub checked_in_at: Option<DateTime<Utc>>,
}

impl CheckInInput {
    /// # Errors
    /// Names every bad field: the participant must match its kind.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut e = FieldErrors::new();
        validate::line(&mut e, "name", &self.name, MAX_NAME_CHARS);
        validate::line(&mut e, "role", &self.role, MAX_NAME_CHARS);
        match self.participant_kind {
            ParticipantKind::Unit if self.unit_id.is_none() => {
                e.insert("unit_id".into(), "required for a unit".into());
            }
            ParticipantKind::Official if self.official_id.is_none() => {
                e.insert("official_id".into(), "required for an official".into());
            }
            ParticipantKind::Staff if self.name.trim().is_empty() => {
                e.insert("name".into(), "required for staff".into());
            }
            _ => {}
        }
        ValidationError::check(e)
    }

    /// What makes a participant unique in a campaign: one check-in each.
    #[must_use]
    pub fn participant_key(&self) -> String {
        match self.participant_kind {
            ParticipantKind::Unit => format!("unit-{}", self.unit_id.unwrap_or_default()),
            ParticipantKind::Official => format!("official-{}", self.official_id.unwrap_or_default()),
            ParticipantKind::Staff => {
                let name: String = self.name.trim().chars().take(50).collect();
                format!("staff-{name}")
            }
        }
    }
}

/// A message from the organizers to venue leads.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MessageInput {
    /// The text, e.g. "下雨：改用室内方案".
    pub body: String,
    /// The venues whose leads get it; all venues when empty.
    #[serde(default)]
    pub venue_ids: Vec<i32>,
}

impl MessageInput {
    /// # Errors
    /// Names every bad field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut e = FieldErrors::new();
        validate::name(&mut e, "body", &self.body, 2_000);
        ValidationError::check(e)
    }
}

/// One step of the default checklist: phase, title, responsible unit, days before the event
/// day it is due (negative: after).
pub const DEFAULT_CHECKLIST: [(&str, &str, &str, i64); 12] = [
    ("筹划阶段", "召开筹备会，研究活动方案", "消费者协会秘书处", 60),
    ("筹划阶段", "印发活动通知和方案", "消费者协会秘书处", 45),
    ("筹划阶段", "确定参与单位和各会场", "消费者协会秘书处", 30),
    ("实施阶段", "制作横幅、展板和标语", "宣传组", 14),
    ("实施阶段", "宣传资料和物资配送到各会场", "后勤组", 5),
    ("实施阶段", "邀请媒体和领导", "综合组", 7),
    ("实施阶段", "召开新闻通气会", "综合组", 3),
    ("实施阶段", "会场布置检查（活动前一天）", "各会场负责人", 1),
    ("实施阶段", "活动当天现场组织与签到", "各会场负责人", 0),
    ("总结阶段", "各会场报送活动数据和照片", "各会场负责人", -3),
    ("总结阶段", "撰写并报送活动总结", "消费者协会秘书处", -10),
    ("总结阶段", "资料归档", "消费者协会秘书处", -20),
];

/// The default checklist of a campaign held on `day`: the phases and dated steps of a real
/// district plan (筹划, 实施, 总结).
#[must_use]
pub fn default_checklist(day: NaiveDate) -> Vec<TaskInput> {
    DEFAULT_CHECKLIST
        .iter()
        .enumerate()
        .map(|(i, (phase, title, unit, before))| TaskInput {
            phase: (*phase).into(),
            title: (*title).into(),
            responsible_unit: (*unit).into(),
            responsible_person: String::new(),
            venue_id: None,
            due_on: day - chrono::Duration::days(*before),
            status: TaskStatus::Open,
            notes: String::new(),
            evidence: String::new(),
            position: i32::try_from(i).unwrap_or(0),
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_default_checklist_is_dated_around_the_event_day_and_valid() {
        let day = NaiveDate::from_ymd_opt(2014, 3, 15).unwrap_or_default();
        let list = default_checklist(day);
        assert_eq!(list.len(), DEFAULT_CHECKLIST.len());
        assert!(list.iter().all(|t| t.validate().is_ok()));
        assert_eq!(list[0].due_on, NaiveDate::from_ymd_opt(2014, 1, 14).unwrap_or_default());
        assert!(list.iter().any(|t| t.due_on == day));
    }

    #[test]
    fn a_check_in_names_its_participant_and_activities_need_venues() {
        let c = CheckInInput {
            id: uuid::Uuid::nil(),
            participant_kind: ParticipantKind::Unit,
            unit_id: None,
            official_id: None,
            name: String::new(),
            role: String::new(),
            method: CheckInMethod::Qr,
            checked_in_at: None,
        };
        assert!(c.validate().is_err_and(|e| e.fields.contains_key("unit_id")));
        let ok = CheckInInput { unit_id: Some(3), ..c };
        assert_eq!(ok.participant_key(), "unit-3");
        let clone = CloneInput {
            date: NaiveDate::from_ymd_opt(2014, 3, 15).unwrap_or_default(),
            title: None,
            parts: Some(vec![ClonePart::Activities]),
        };
        assert!(clone.validate().is_err_and(|e| e.fields.contains_key("parts")));
    }
}
