//! The report's input: plain values the caller (the store, a fixture, a test) fills in. No I/O here.

use chrono::NaiveDate;
use serde::{Deserialize, Serialize};

/// The domain's kinds, so the report reads them and labels them as the pages and CSV do.
pub use eventday_domain::{ActivityKind, MediaChannel, MediaFormat, UnitKind, VenueKind};

/// Everything one campaign summary report says, already in the requested language where it is prose.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportData {
    /// The organizing body, e.g. "xx区消费者协会".
    pub organization: String,
    /// Campaign year, e.g. 2013.
    pub year: i32,
    /// The event day.
    pub date: Option<NaiveDate>,
    /// Campaign title, e.g. "3·15国际消费者权益日宣传咨询活动".
    pub title: String,
    /// The year's theme, e.g. "消费与服务".
    pub theme: String,
    /// Name of the main venue, e.g. "二七航天双城".
    pub main_venue: String,
    /// Whether the participating units and officials are those that signed in on the day
    /// (签到); otherwise they are the ones planned, and the report says so.
    #[serde(default)]
    pub attendance_from_check_ins: bool,
    /// One row per venue (main first is nice but not required).
    pub venues: Vec<VenueRow>,
    /// Campaign totals, computed once by the domain crate.
    pub totals: Totals,
    /// Participating units grouped by kind.
    pub units: Vec<UnitGroup>,
    /// Names of the reconciliation-platform member enterprises.
    pub reconciliation_members: Vec<String>,
    /// Themed booths.
    pub booths: Vec<BoothRow>,
    /// Outreach activities (community, school lectures, demonstrations ...).
    pub activities: Vec<ActivityRow>,
    /// Officials who attended; the display name is already masked by the caller.
    pub officials: Vec<OfficialRow>,
    /// Publicity materials, planned vs handed out.
    pub materials: Vec<MaterialRow>,
    /// Media coverage.
    pub media: Vec<MediaRow>,
    /// Consumer disputes handled on the reconciliation platform.
    pub disputes: DisputeSummary,
    /// Narrative sections written by the organizers in the report's language.
    pub sections: Vec<NarrativeSection>,
    /// The same organization's earlier campaigns, any order.
    pub previous: Vec<PreviousCampaign>,
    /// The report's own title, issuer, date and distribution lines (each falls back to a default).
    pub settings: ReportSettings,
    /// The narrative exists only in the other language: the report leaves it out and says so.
    pub narrative_only_in_other_language: bool,
    /// Photos marked "for the report", in the order the section shows them (活动剪影).
    #[serde(default)]
    pub photos: Vec<ReportPhoto>,
    /// Starred photos the report could not show (a format it does not embed, or unreadable
    /// bytes); the section says how many.
    #[serde(default)]
    pub photos_left_out: u64,
    /// The dated addendum (补充说明) of a signed report: case outcomes recorded since; `None`
    /// when the report was not signed or nothing changed.
    pub addendum: Option<Addendum>,
}

/// A photo marked for the report, with what its caption says.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportPhoto {
    /// The venue's name in the report's language.
    pub venue: String,
    /// Local time "HH:MM".
    pub time: String,
    /// The caption (the photo's own, else its log entry's note).
    pub caption: String,
    /// JPEG or PNG bytes.
    pub bytes: Vec<u8>,
}

/// What the organizers set for the report itself; empty values take the defaults (the generated
/// title, the organization as issuer, the event day as report date).
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct ReportSettings {
    /// The report's title; empty: "{组织}{年}年“3·15”活动总结".
    pub title: String,
    /// A line under the title; empty: none.
    pub subtitle: String,
    /// The issuing body named in the signature; empty: the organization.
    pub issuer: String,
    /// The date under the signature; none: the event day.
    pub report_date: Option<NaiveDate>,
    /// 主送: the bodies the report is addressed to; empty: no line.
    pub addressee: String,
    /// 抄送: the bodies that receive a copy; empty: no line.
    pub copy_to: String,
}

/// One venue's figures.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct VenueRow {
    /// Venue name, e.g. "后湖分会（后湖中百仓储）".
    pub name: String,
    /// Main or sub.
    pub kind: VenueKind,
    /// Host unit (branch office, street office).
    pub host_unit: String,
    /// Visitors received.
    pub visitors: u64,
    /// Consultations given.
    pub consultations: u64,
    /// Complaints received.
    pub complaints_received: u64,
    /// Complaints settled on site.
    pub complaints_settled: u64,
    /// Money recovered for consumers, in fen.
    pub money_recovered_fen: i64,
    /// Whether any entry of the venue recorded money recovered (a sum of 0 with nothing recorded
    /// is shown as "—", not as 0.00).
    pub money_recorded: bool,
    /// Number of log entries sent from the venue.
    pub log_entries: u64,
    /// Whether the organizer approved the venue's figures.
    pub accepted: bool,
}

/// Campaign totals.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct Totals {
    /// Visitors received.
    pub visitors: u64,
    /// Consultations given.
    pub consultations: u64,
    /// Complaints received.
    pub complaints_received: u64,
    /// Complaints settled on site.
    pub complaints_settled: u64,
    /// Money recovered, in fen.
    pub money_recovered_fen: i64,
    /// Whether any entry recorded money recovered.
    pub money_recorded: bool,
    /// Log entries.
    pub log_entries: u64,
    /// Themed booths.
    pub booths: u64,
    /// Activities.
    pub activities: u64,
    /// Participating units.
    pub units: u64,
}

/// The participating units of one kind.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct UnitGroup {
    /// Their kind.
    pub kind: UnitKind,
    /// Within government agencies: people's congresses and governments, or street offices.
    pub class: Option<AgencyClass>,
    /// Their names.
    pub names: Vec<String>,
}

/// Bodies the unit vocabulary files under "agency" that a summary does not call 职能部门.
#[derive(Debug, Clone, Copy, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(rename_all = "snake_case")]
pub enum AgencyClass {
    /// A people's congress or a people's government (人大、政府).
    Leadership,
    /// A street office (街道办事处).
    StreetOffice,
}

impl AgencyClass {
    /// The class a unit of kind agency belongs to, read from its Chinese name; `None` for a
    /// functional department (工商、食药监 ...).
    #[must_use]
    pub fn of(name: &str) -> Option<Self> {
        let n = name.trim();
        if n.ends_with("街道办事处") || n.ends_with("街道办") || n.ends_with("街道") {
            Some(Self::StreetOffice)
        } else if n.contains("人民代表大会") || n.contains("人大") || n.ends_with("人民政府") {
            Some(Self::Leadership)
        } else {
            None
        }
    }

    /// The group's name in the report.
    #[must_use]
    pub fn label(self, lang: crate::Lang) -> &'static str {
        match (self, lang) {
            (Self::Leadership, crate::Lang::Zh) => "人大、政府机关",
            (Self::Leadership, crate::Lang::En) => "people's congress and government",
            (Self::StreetOffice, crate::Lang::Zh) => "街道办事处",
            (Self::StreetOffice, crate::Lang::En) => "street office",
        }
    }

    /// The English plural.
    #[must_use]
    pub fn plural_en(self) -> &'static str {
        match self {
            Self::Leadership => "people's congress and government bodies",
            Self::StreetOffice => "street offices",
        }
    }
}

/// A themed booth.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct BoothRow {
    /// Venue name.
    pub venue: String,
    /// Topic, e.g. "烟草识别专题咨询".
    pub topic: String,
    /// Units staffing the booth.
    pub units: Vec<String>,
}

/// An outreach activity.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct ActivityRow {
    /// Venue name.
    pub venue: String,
    /// Kind.
    pub kind: ActivityKind,
    /// Title, e.g. "维权活动进社区".
    pub title: String,
    /// Where, e.g. "同庆阁社区".
    pub place: String,
    /// Participants.
    pub participants: u64,
}

/// An official who attended.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct OfficialRow {
    /// Name as stored (ignored when `masked`).
    pub name: String,
    /// The name is not to be printed: the report shows the surname with ×× when it has one,
    /// else only organization and title.
    pub masked: bool,
    /// Title, e.g. "副秘书长".
    pub title: String,
    /// Organization, e.g. "省消协".
    pub organization: String,
}

/// A publicity material.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MaterialRow {
    /// Name, e.g. "宣传标语".
    pub name: String,
    /// Unit label, e.g. "幅".
    pub unit: String,
    /// Quantity planned.
    pub planned: u64,
    /// Quantity handed out (from the logs).
    pub handed_out: u64,
    /// Whether any log entry recorded handing it out (none: "—", not 0 and 0%).
    pub logged: bool,
}

/// One piece of media coverage.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct MediaRow {
    /// Outlet, e.g. "湖北经视".
    pub outlet: String,
    /// Channel.
    pub channel: MediaChannel,
    /// Format.
    pub format: MediaFormat,
    /// Date.
    pub date: Option<NaiveDate>,
    /// Headline.
    pub headline: String,
}

/// Disputes on the reconciliation platform.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct DisputeSummary {
    /// Cases recorded (every status).
    pub received: u64,
    /// Being mediated.
    pub mediating: u64,
    /// Settled.
    pub settled: u64,
    /// Referred to another body.
    pub referred: u64,
    /// Closed without settlement.
    pub closed: u64,
    /// Amount claimed, fen.
    pub amount_claimed_fen: i64,
    /// Amount recovered, fen.
    pub amount_recovered_fen: i64,
}

/// A narrative section written by the organizers.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct NarrativeSection {
    /// The section's key (e.g. "purpose", "problems"), which places it in the report.
    pub key: String,
    /// Heading without numbering, e.g. "突出和谐消费".
    pub heading: String,
    /// Paragraphs.
    pub paragraphs: Vec<String>,
    /// Goes into the closing "next steps" part.
    pub next_steps: bool,
}

/// Figures of an earlier campaign of the same organization.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct PreviousCampaign {
    /// Its year.
    pub year: i32,
    /// Its totals.
    pub totals: Totals,
}

/// Header of a roll-up report (an organization with all its descendants): what the opening
/// paragraph says, known before the first district row is laid out.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RollupHeader {
    /// The organization the roll-up is for, e.g. "湖北省消费者委员会".
    pub organization: String,
    /// Year.
    pub year: i32,
    /// How many bars the top-N chart shows (0 = 10).
    pub top_n: usize,
    /// Districts (organizations at the bottom of the tree) expected to report; 0 when unknown.
    pub districts_expected: u64,
    /// Of them, those that reported (ran a campaign in the year).
    pub districts_reporting: u64,
    /// Campaigns in the roll-up (one row each in the district table).
    pub campaigns: u64,
    /// Their venues.
    pub venues: u64,
    /// Venues whose day an organizer has not accepted yet (marked "*": figures may still change).
    pub venues_unaccepted: u64,
    /// Grand totals.
    pub totals: Totals,
    /// Whether anyone recorded money recovered; if not, money is left out rather than shown as 0.
    pub money_recorded: bool,
    /// The same organization's roll-up of the year before, when it had campaigns then.
    pub previous: Option<PreviousCampaign>,
    /// The date under the signature.
    pub date: Option<NaiveDate>,
    /// Whether the roll-up counts only campaigns whose submission the parent accepted (otherwise
    /// everything logged so far); said on the document.
    pub accepted_only: bool,
}

/// One district's campaign in a roll-up.
#[derive(Debug, Clone, Default, PartialEq, Serialize, Deserialize)]
#[serde(default)]
pub struct RollupDistrict {
    /// District organization name.
    pub name: String,
    /// Its parent (city) name.
    pub parent: String,
    /// District totals.
    pub totals: Totals,
    /// Number of its venues (the list below is empty in the district table's pass).
    pub venue_count: u64,
    /// Of them, those whose day an organizer has not accepted yet.
    pub venues_unaccepted: u64,
    /// Its venues (appendix pass only).
    pub venues: Vec<VenueRow>,
}

/// What a roll-up is laid out from, in this order: every district with its totals (ordered by
/// city, then district), then every district again with its venues for the appendix. Each pass
/// streams; neither is held in memory.
#[derive(Debug, Clone, PartialEq, Serialize, Deserialize)]
pub enum RollupItem {
    /// A row of the district table (its venue list is ignored).
    District(RollupDistrict),
    /// A district of the per-venue appendix.
    Detail(RollupDistrict),
}

// The domain's kinds have no default (a stored row always names one); these are the values a
// partial JSON row (a fixture, a test) gets.

impl Default for VenueRow {
    fn default() -> Self {
        Self {
            name: String::new(),
            kind: VenueKind::Sub,
            host_unit: String::new(),
            visitors: 0,
            consultations: 0,
            complaints_received: 0,
            complaints_settled: 0,
            money_recovered_fen: 0,
            money_recorded: false,
            log_entries: 0,
            accepted: false,
        }
    }
}

impl Default for UnitGroup {
    fn default() -> Self {
        Self { kind: UnitKind::Other, class: None, names: Vec::new() }
    }
}

impl Default for ActivityRow {
    fn default() -> Self {
        Self {
            venue: String::new(),
            kind: ActivityKind::Other,
            title: String::new(),
            place: String::new(),
            participants: 0,
        }
    }
}

impl Default for MediaRow {
    fn default() -> Self {
        Self {
            outlet: String::new(),
            channel: MediaChannel::Online,
            format: MediaFormat::Report,
            date: None,
            headline: String::new(),
        }
    }
}

/// The dated addendum (补充说明) of a signed report: the report's dispute figures stay as they were
/// signed, and this lists what was recorded since and the figures as they are now.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
#[serde(default)]
pub struct Addendum {
    /// The day the report was signed (submitted).
    pub signed_on: NaiveDate,
    /// The day the addendum speaks of.
    pub as_of: NaiveDate,
    /// The dispute figures the report was signed with.
    pub signed: DisputeSummary,
    /// The dispute figures now.
    pub now: DisputeSummary,
    /// The case steps recorded since, oldest first.
    pub changes: Vec<AddendumChange>,
}

/// One case step recorded after the report was signed.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct AddendumChange {
    /// The step's day.
    pub on: NaiveDate,
    /// The case's receipt code.
    pub code: String,
    /// Its category.
    pub category: String,
    /// Where it moved.
    pub stage: eventday_domain::CaseStage,
    /// Money recovered when settled, fen.
    pub amount_recovered_fen: Option<i64>,
}
