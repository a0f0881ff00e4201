//! What clients send about the campaign's records: materials and allocations, media, officials,
//! disputes, the narrative, and the day's log entries.

use super::*;

/// A material of the campaign's catalogue (banner, balloon, leaflet ...).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MaterialInput {
    /// Name, e.g. "宣传资料".
    pub name: String,
    /// English name, shown in the English report (none: the Chinese name).
    #[serde(default)]
    pub name_en: Option<String>,
    /// Counting unit, e.g. "份".
    pub unit_label: String,
    /// Quantity planned.
    #[serde(default)]
    pub planned: i64,
    /// Quantity in stock, when known.
    #[serde(default)]
    pub stock: Option<i64>,
}

impl MaterialInput {
    /// # Errors
    /// Names every bad field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut e = FieldErrors::new();
        validate::name(&mut e, "name", &self.name, MAX_NAME_CHARS);
        if let Some(n) = &self.name_en {
            validate::line(&mut e, "name_en", n, MAX_NAME_CHARS);
        }
        validate::name(&mut e, "unit_label", &self.unit_label, 32);
        validate::bounded(&mut e, "planned", self.planned, validate::MAX_QUANTITY);
        if let Some(s) = self.stock {
            validate::bounded(&mut e, "stock", s, validate::MAX_QUANTITY);
        }
        ValidationError::check(e)
    }
}

/// How much of a material a venue is given.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct AllocationInput {
    /// Quantity allocated to the venue.
    pub quantity: i64,
}

impl AllocationInput {
    /// # Errors
    /// Names every bad field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut e = FieldErrors::new();
        validate::bounded(&mut e, "quantity", self.quantity, validate::MAX_QUANTITY);
        ValidationError::check(e)
    }
}

/// A media item about the campaign.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct MediaInput {
    /// The outlet (a unit of kind media).
    pub outlet_unit_id: i32,
    /// Channel.
    pub channel: MediaChannel,
    /// Format.
    pub format: MediaFormat,
    /// Date published or broadcast.
    pub date: NaiveDate,
    /// Headline.
    pub headline: String,
    /// Link.
    #[serde(default)]
    pub link: Option<String>,
    /// Estimated reach (people).
    #[serde(default)]
    pub estimated_reach: Option<i64>,
    /// Time slot (broadcast, e.g. "19:30 新闻联播") or page (print, e.g. "A3版").
    #[serde(default)]
    pub slot: String,
    /// Venues covered (of the same campaign).
    #[serde(default)]
    pub venue_ids: Vec<i32>,
}

impl MediaInput {
    /// # Errors
    /// Names every bad field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut e = FieldErrors::new();
        validate::name(&mut e, "headline", &self.headline, 400);
        if let Some(l) = &self.link {
            validate::line(&mut e, "link", l, MAX_LINK_CHARS);
            if !e.contains_key("link") {
                validate::web_link(&mut e, "link", l);
            }
        }
        if let Some(r) = self.estimated_reach {
            validate::bounded(&mut e, "estimated_reach", r, validate::MAX_REACH);
        }
        validate::line(&mut e, "slot", &self.slot, 100);
        ValidationError::check(e)
    }
}

/// An official who attended.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct OfficialInput {
    /// Name (may be masked in the report).
    pub name: String,
    /// Title.
    #[serde(default)]
    pub title: String,
    /// Organization.
    #[serde(default)]
    pub organization: String,
    /// Venue attended.
    #[serde(default)]
    pub venue_id: Option<i32>,
    /// Role on the day.
    #[serde(default)]
    pub role: String,
    /// Whether the report masks this name ("xx") even when the campaign's setting
    /// (`mask_official_names`) does not; off unless asked for.
    #[serde(default)]
    pub masked: bool,
}

impl OfficialInput {
    /// # Errors
    /// Names every bad field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut e = FieldErrors::new();
        validate::name(&mut e, "name", &self.name, MAX_NAME_CHARS);
        validate::line(&mut e, "title", &self.title, MAX_NAME_CHARS);
        validate::line(&mut e, "organization", &self.organization, MAX_NAME_CHARS);
        validate::line(&mut e, "role", &self.role, MAX_NAME_CHARS);
        ValidationError::check(e)
    }
}

/// A consumer dispute received on the day (its status moves through [`DisputeStatusChange`]).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DisputeInput {
    /// Venue where it was received.
    pub venue_id: i32,
    /// Booth, if any.
    #[serde(default)]
    pub booth_id: Option<i32>,
    /// The enterprise complained about (a unit).
    #[serde(default)]
    pub enterprise_unit_id: Option<i32>,
    /// Category, e.g. "食品".
    pub category: String,
    /// Summary.
    #[serde(default)]
    pub summary: String,
    /// Amount claimed, fen.
    #[serde(default)]
    pub amount_claimed_fen: i64,
    /// Day received.
    pub received_on: NaiveDate,
}

impl DisputeInput {
    /// # Errors
    /// Names every bad field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut e = FieldErrors::new();
        validate::name(&mut e, "category", &self.category, 100);
        validate::text(&mut e, "summary", &self.summary, MAX_TEXT_CHARS);
        validate::bounded(&mut e, "amount_claimed_fen", self.amount_claimed_fen, validate::MAX_FEN);
        ValidationError::check(e)
    }
}

/// Moves a dispute to another status.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct DisputeStatusChange {
    /// The new status.
    pub status: DisputeStatus,
    /// Money recovered, fen (only when settling).
    #[serde(default)]
    pub amount_recovered_fen: Option<i64>,
    /// The day it ended (for a final status); defaults to today.
    #[serde(default)]
    pub closed_on: Option<NaiveDate>,
}

impl DisputeStatusChange {
    /// Checks the move from `current` is allowed and the amount fits it.
    ///
    /// # Errors
    /// Names every bad field.
    pub fn validate(&self, current: DisputeStatus) -> Result<(), ValidationError> {
        let mut e = FieldErrors::new();
        // Restating a final status corrects its outcome (money recovered, day closed).
        let correction = current == self.status && current.is_final();
        if !current.can_move_to(self.status) && !correction {
            e.insert("status".into(), format!("a {current} dispute cannot move to {}", self.status));
        }
        if let Some(a) = self.amount_recovered_fen {
            if self.status != DisputeStatus::Settled {
                e.insert("amount_recovered_fen".into(), "is recorded only when settling".into());
            } else {
                validate::bounded(&mut e, "amount_recovered_fen", a, validate::MAX_FEN);
            }
        }
        if self.closed_on.is_some() && !self.status.is_final() {
            e.insert("closed_on".into(), "is set only for settled, referred or closed".into());
        }
        ValidationError::check(e)
    }
}

/// A narrative section the organizers write for the report.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct NarrativeInput {
    /// Language.
    pub lang: Lang,
    /// A stable key, unique per campaign and language (e.g. "what_we_did").
    pub key: String,
    /// Order within the language.
    #[serde(default)]
    pub position: i32,
    /// Heading.
    pub heading: String,
    /// Body text.
    #[serde(default)]
    pub body: String,
    /// Whether this is the "next steps" section.
    #[serde(default)]
    pub next_steps: bool,
}

impl NarrativeInput {
    /// # Errors
    /// Names every bad field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut e = FieldErrors::new();
        validate::name(&mut e, "key", &self.key, 64);
        validate::name(&mut e, "heading", &self.heading, MAX_NAME_CHARS);
        validate::text(&mut e, "body", &self.body, MAX_TEXT_CHARS);
        ValidationError::check(e)
    }
}

/// What the organizers set for a campaign's summary report; every field may be left empty for
/// its default (the generated title, the organization as issuer, the event day as date).
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct ReportSettingsInput {
    /// Title; empty: "{组织}{年}年“3·15”活动总结".
    #[serde(default)]
    pub title: String,
    /// Subtitle under the title; empty: none.
    #[serde(default)]
    pub subtitle: String,
    /// Issuing body in the signature; empty: the organization.
    #[serde(default)]
    pub issuer: String,
    /// Date under the signature; none: the event day.
    #[serde(default)]
    pub report_date: Option<NaiveDate>,
    /// 主送: to whom the report is addressed; empty: no line.
    #[serde(default)]
    pub addressee: String,
    /// 抄送: who receives a copy; empty: no line.
    #[serde(default)]
    pub copy_to: String,
}

impl ReportSettingsInput {
    /// # Errors
    /// Names every bad field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut e = FieldErrors::new();
        validate::line(&mut e, "title", &self.title, MAX_NAME_CHARS);
        validate::line(&mut e, "subtitle", &self.subtitle, MAX_NAME_CHARS);
        validate::line(&mut e, "issuer", &self.issuer, MAX_NAME_CHARS);
        validate::line(&mut e, "addressee", &self.addressee, 500);
        validate::line(&mut e, "copy_to", &self.copy_to, 500);
        if let Some(d) = self.report_date
            && !(1980..=2200).contains(&chrono::Datelike::year(&d))
        {
            e.insert("report_date".into(), "must lie between 1980 and 2200".into());
        }
        ValidationError::check(e)
    }
}

/// A log entry as a lead's phone sends it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct LogEntryInput {
    /// Client-made UUID; resending the same entry with it is harmless. Any version is taken;
    /// version 7 (time first, as the lead page makes them) keeps the log's indexes appending.
    pub id: uuid::Uuid,
    /// Booth of this venue, if any.
    #[serde(default)]
    pub booth_id: Option<i32>,
    /// Activity of this venue, if any.
    #[serde(default)]
    pub activity_id: Option<i32>,
    /// When (RFC 3339); must fall on the campaign day in the campaign's zone.
    pub recorded_at: DateTime<Utc>,
    /// Who wrote it.
    pub author_name: String,
    /// People who came.
    #[serde(default)]
    pub visitors: i64,
    /// Consultations answered.
    #[serde(default)]
    pub consultations: i64,
    /// Complaints received.
    #[serde(default)]
    pub complaints_received: i64,
    /// Complaints settled on site.
    #[serde(default)]
    pub complaints_settled: i64,
    /// Money recovered, fen.
    #[serde(default)]
    pub money_recovered_fen: i64,
    /// Materials handed out: material id -> quantity.
    #[serde(default)]
    pub materials: BTreeMap<i64, i64>,
    /// Note.
    #[serde(default)]
    pub note: String,
    /// Makes this entry a correction of the stored entry with this id (of the same venue): its
    /// figures replace that entry's in every total. Correct a correction to change it again.
    #[serde(default)]
    pub corrects: Option<uuid::Uuid>,
    /// Why the entry is corrected; required with `corrects`.
    #[serde(default)]
    pub reason: String,
    /// With `corrects`: take the corrected entry out of every total (no figures, no materials).
    #[serde(default)]
    pub void: bool,
}

impl LogEntryInput {
    /// The entry to store at `venue_id`.
    #[must_use]
    pub fn into_new(self, venue_id: i64) -> NewLogEntry {
        NewLogEntry {
            id: self.id,
            venue_id,
            booth_id: self.booth_id.map(i64::from),
            activity_id: self.activity_id.map(i64::from),
            recorded_at: self.recorded_at,
            author_name: self.author_name,
            figures: Figures {
                visitors: self.visitors,
                consultations: self.consultations,
                complaints_received: self.complaints_received,
                complaints_settled: self.complaints_settled,
                money_recovered_fen: self.money_recovered_fen,
            },
            materials: self.materials,
            note: self.note,
        }
    }
}

/// A booth's or a venue's closing count, recorded once at the end of the day.
///
/// The rule, applied in every total: a venue's tally replaces everything logged at the venue
/// (its booths' tallies included); a booth's tally replaces the figures of the log entries
/// recorded at that booth. Log entries stay as they are (and are still counted as entries).
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
#[serde(deny_unknown_fields)]
pub struct TallyInput {
    /// The booth counted, at the venue; none for the whole venue.
    #[serde(default)]
    pub booth_id: Option<i32>,
    /// The closing figures.
    pub figures: Figures,
    /// Note.
    #[serde(default)]
    pub note: String,
    /// When it was counted (defaults to when it is recorded).
    #[serde(default)]
    pub recorded_at: Option<DateTime<Utc>>,
}

impl TallyInput {
    /// # Errors
    /// Names every bad field.
    pub fn validate(&self) -> Result<(), ValidationError> {
        let mut e = match self.figures.validate() {
            Ok(()) => FieldErrors::new(),
            Err(v) => v.fields,
        };
        validate::text(&mut e, "note", &self.note, MAX_TEXT_CHARS);
        ValidationError::check(e)
    }
}
