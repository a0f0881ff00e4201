//! The row types of each kind: columns (English key, Chinese header), parsing of one row with
//! errors per cell, and the cells written on export. References to other records are by name
//! (venue name, unit name, material name); the store resolves them.

use super::cells::*;
use super::{Column, Kind, Lang};
use crate::geometry::Rect;
use crate::totals::Figures;
use crate::validate::{self, MAX_NAME_CHARS};
use crate::{
    ActivityKind, BoothKind, DisputeStatus, MediaChannel, MediaFormat, TaskStatus, UnitKind, VenueKind,
    VenueSetting,
};
use chrono::NaiveDate;
use std::collections::BTreeMap;

const fn col(key: &'static str, zh: &'static str, required: bool) -> Column {
    Column { key, zh, required }
}

/// Columns of `tasks` files: the 工作分工表's own headers.
pub const TASK_COLUMNS: &[Column] = &[
    col("phase", "阶段", false),
    col("title", "事项", true),
    col("responsible_unit", "责任单位", false),
    col("responsible_person", "责任人", false),
    col("venue", "会场", false),
    col("due_on", "完成时限", true),
    col("status", "状态", false),
    col("notes", "备注", false),
    col("evidence", "佐证材料", false),
];

/// Columns of `units` files.
pub const UNIT_COLUMNS: &[Column] = &[
    col("name", "名称", true),
    col("name_en", "英文名称", false),
    col("kind", "类型", true),
    col("contact", "联系方式", false),
    col("participates", "参与本次活动", false),
    col("staffs_booth", "设摊", false),
    col("reconciliation_member", "和解单位", false),
    col("media", "媒体", false),
    col("sponsor", "赞助", false),
    col("short_name", "简称", false),
    col("industry", "行业", false),
    col("platform_joined_year", "加入和解平台年份", false),
];
/// Columns of `venues` files.
pub const VENUE_COLUMNS: &[Column] = &[
    col("name", "名称", true),
    col("name_en", "英文名称", false),
    col("kind", "类型", true),
    col("host_unit", "承办单位", false),
    col("address", "地址", false),
    col("lead", "负责人", false),
    col("width_m", "宽（米）", false),
    col("depth_m", "深（米）", false),
    col("opens_at", "开始时间", false),
    col("closes_at", "结束时间", false),
    col("setting", "场所类型", false),
];
/// Columns of `booths` files.
pub const BOOTH_COLUMNS: &[Column] = &[
    col("venue", "会场", true),
    col("topic", "主题", true),
    col("kind", "类型", true),
    col("x", "X（米）", false),
    col("y", "Y（米）", false),
    col("w", "宽（米）", false),
    col("h", "深（米）", false),
    col("rotation_deg", "旋转（度）", false),
    col("units", "参与单位", false),
];
/// Columns of `activities` files.
pub const ACTIVITY_COLUMNS: &[Column] = &[
    col("venue", "会场", true),
    col("title", "名称", true),
    col("kind", "类型", true),
    col("place", "地点", false),
    col("starts_at", "开始时间", true),
    col("ends_at", "结束时间", true),
    col("participants", "参与人数", false),
    col("note", "备注", false),
];
/// Columns of `allocations` files.
pub const ALLOCATION_COLUMNS: &[Column] = &[
    col("material", "物资", true),
    col("unit_label", "单位", false),
    col("planned", "计划数量", false),
    col("venue", "会场", true),
    col("quantity", "分配数量", true),
];
/// Columns of `media` files.
pub const MEDIA_COLUMNS: &[Column] = &[
    col("outlet", "媒体", true),
    col("channel", "渠道", true),
    col("format", "形式", true),
    col("date", "日期", true),
    col("headline", "标题", true),
    col("link", "链接", false),
    col("estimated_reach", "预计受众", false),
    col("venues", "报道会场", false),
    col("slot", "时段或版面", false),
];
/// Columns of `log-entries` files.
pub const LOG_ENTRY_COLUMNS: &[Column] = &[
    col("id", "编号", false),
    col("venue", "会场", true),
    col("booth", "展位", false),
    col("activity", "活动", false),
    col("recorded_at", "时间", true),
    col("author", "填报人", false),
    col("visitors", "参与人数", false),
    col("consultations", "咨询人次", false),
    col("complaints_received", "受理投诉", false),
    col("complaints_settled", "现场调解", false),
    col("money_recovered_fen", "挽回损失（分）", false),
    col("materials", "发放物资", false),
    col("note", "备注", false),
];
/// Columns of `campaign` files (one row: the campaign itself).
pub const CAMPAIGN_COLUMNS: &[Column] = &[
    col("organization", "组织", true),
    col("parent_organization", "上级组织", false),
    col("date", "日期", true),
    col("title", "标题", true),
    col("theme", "主题", false),
    col("undertaker", "承办单位", false),
    col("division_code", "行政区划代码", false),
    col("timezone", "时区", false),
    col("mask_official_names", "隐去领导姓名", false),
];
/// Columns of `materials` files (the catalogue).
pub const MATERIAL_COLUMNS: &[Column] = &[
    col("name", "物资", true),
    col("unit_label", "单位", true),
    col("planned", "计划数量", false),
    col("stock", "库存", false),
];
/// Columns of `officials` files.
pub const OFFICIAL_COLUMNS: &[Column] = &[
    col("name", "姓名", true),
    col("title", "职务", false),
    col("organization", "单位", false),
    col("venue", "会场", false),
    col("role", "活动角色", false),
    col("masked", "单独隐去姓名", false),
];
/// Columns of `narrative` files (the report's written sections).
pub const NARRATIVE_COLUMNS: &[Column] = &[
    col("lang", "语言", false),
    col("key", "标识", true),
    col("position", "顺序", false),
    col("heading", "标题", true),
    col("body", "正文", true),
    col("next_steps", "下一步工作", false),
];
/// Columns of `tallies` files (closing counts per booth or venue).
pub const TALLY_COLUMNS: &[Column] = &[
    col("venue", "会场", true),
    col("booth", "展位", false),
    col("visitors", "参与人数", false),
    col("consultations", "咨询人次", false),
    col("complaints_received", "受理投诉", false),
    col("complaints_settled", "现场调解", false),
    col("money_recovered_fen", "挽回损失（分）", false),
    col("note", "备注", false),
];
/// Columns of `disputes` files.
pub const DISPUTE_COLUMNS: &[Column] = &[
    col("venue", "会场", true),
    col("booth", "展位", false),
    col("enterprise", "被投诉企业", false),
    col("category", "类别", true),
    col("summary", "摘要", true),
    col("amount_claimed_fen", "争议金额（分）", false),
    col("status", "状态", true),
    col("amount_recovered_fen", "挽回金额（分）", false),
    col("received_on", "受理日期", true),
    col("closed_on", "结案日期", false),
];

/// A unit taking part in the campaign.
#[derive(Debug, Clone, PartialEq)]
pub struct UnitRow {
    /// Name (the directory key).
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Kind.
    pub kind: UnitKind,
    /// Contact.
    pub contact: Option<String>,
    /// Whether it takes part in this campaign (roles below apply then).
    pub participates: bool,
    /// Staffs a booth.
    pub staffs_booth: bool,
    /// Member of the reconciliation platform.
    pub reconciliation_member: bool,
    /// Media partner.
    pub media: bool,
    /// Sponsor.
    pub sponsor: bool,
    /// Short name.
    pub short_name: Option<String>,
    /// Industry (of a member enterprise).
    pub industry: Option<String>,
    /// Year it joined the reconciliation platform.
    pub platform_joined_year: Option<i32>,
}

impl CsvRow for UnitRow {
    const KIND: Kind = Kind::Units;
    fn read(c: &mut Cells<'_>) -> Self {
        Self {
            name: c.name("name", MAX_NAME_CHARS),
            name_en: c.opt_name("name_en", MAX_NAME_CHARS),
            kind: c.vocab("kind").unwrap_or(UnitKind::Other),
            contact: c.opt_name("contact", MAX_NAME_CHARS),
            participates: c.flag("participates", true),
            staffs_booth: c.flag("staffs_booth", false),
            reconciliation_member: c.flag("reconciliation_member", false),
            media: c.flag("media", false),
            sponsor: c.flag("sponsor", false),
            short_name: c.opt_name("short_name", 100),
            industry: c.opt_name("industry", 100),
            platform_joined_year: c.opt_year("platform_joined_year"),
        }
    }
    fn cells(&self, lang: Lang) -> Vec<String> {
        vec![
            self.name.clone(),
            self.name_en.clone().unwrap_or_default(),
            self.kind.cell(lang),
            self.contact.clone().unwrap_or_default(),
            flag_cell(self.participates, lang),
            flag_cell(self.staffs_booth, lang),
            flag_cell(self.reconciliation_member, lang),
            flag_cell(self.media, lang),
            flag_cell(self.sponsor, lang),
            self.short_name.clone().unwrap_or_default(),
            self.industry.clone().unwrap_or_default(),
            self.platform_joined_year.map(|y| y.to_string()).unwrap_or_default(),
        ]
    }
}

/// A venue.
#[derive(Debug, Clone, PartialEq)]
pub struct VenueRow {
    /// Name (unique in the campaign).
    pub name: String,
    /// English name.
    pub name_en: Option<String>,
    /// Main or sub.
    pub kind: VenueKind,
    /// Host unit.
    pub host_unit: String,
    /// Address.
    pub address: String,
    /// Lead's name.
    pub lead: String,
    /// Floor-plan width, metres (none: no plan yet).
    pub width_m: Option<f64>,
    /// Floor-plan depth, metres (none: no plan yet).
    pub depth_m: Option<f64>,
    /// Opens, HH:MM.
    pub opens_at: String,
    /// Closes, HH:MM.
    pub closes_at: String,
    /// Where it is set up.
    pub setting: VenueSetting,
}

impl CsvRow for VenueRow {
    const KIND: Kind = Kind::Venues;
    fn read(c: &mut Cells<'_>) -> Self {
        let hhmm = |c: &mut Cells<'_>, key: &str| {
            let v = c.raw(key).unwrap_or("").to_owned();
            if v.is_empty() {
                return if key == "opens_at" { "09:00".to_owned() } else { "17:00".to_owned() };
            }
            match crate::demo::parse_hhmm(&v) {
                Ok(t) => t.format("%H:%M").to_string(),
                Err(e) => {
                    c.err(key, e);
                    v
                }
            }
        };
        let opens_at = hhmm(c, "opens_at");
        let closes_at = hhmm(c, "closes_at");
        if opens_at >= closes_at && c.errors.is_empty() {
            c.err("closes_at", "must be after the opening time");
        }
        Self {
            name: c.name("name", MAX_NAME_CHARS),
            name_en: c.opt_name("name_en", MAX_NAME_CHARS),
            kind: c.vocab("kind").unwrap_or(VenueKind::Sub),
            host_unit: c.text("host_unit", MAX_NAME_CHARS),
            address: c.text("address", MAX_NAME_CHARS),
            lead: c.text("lead", MAX_NAME_CHARS),
            width_m: c.opt_metres("width_m"),
            depth_m: c.opt_metres("depth_m"),
            opens_at,
            closes_at,
            setting: if c.raw("setting").unwrap_or("").is_empty() {
                VenueSetting::Other
            } else {
                c.vocab("setting").unwrap_or(VenueSetting::Other)
            },
        }
    }
    fn cells(&self, lang: Lang) -> Vec<String> {
        vec![
            self.name.clone(),
            self.name_en.clone().unwrap_or_default(),
            self.kind.cell(lang),
            self.host_unit.clone(),
            self.address.clone(),
            self.lead.clone(),
            self.width_m.map(num).unwrap_or_default(),
            self.depth_m.map(num).unwrap_or_default(),
            self.opens_at.clone(),
            self.closes_at.clone(),
            self.setting.cell(lang),
        ]
    }
}

/// A booth on a venue's floor plan.
#[derive(Debug, Clone, PartialEq)]
pub struct BoothRow {
    /// Venue name.
    pub venue: String,
    /// Topic (unique in the venue).
    pub topic: String,
    /// Kind.
    pub kind: BoothKind,
    /// Footprint (none: not placed on the floor plan yet).
    pub rect: Option<Rect>,
    /// Staffing unit names.
    pub units: Vec<String>,
}

impl CsvRow for BoothRow {
    const KIND: Kind = Kind::Booths;
    fn read(c: &mut Cells<'_>) -> Self {
        let placed = ["x", "y", "w", "h"].iter().any(|k| !c.raw(k).unwrap_or("").is_empty());
        let rect = placed.then(|| Rect {
            x: c.metres("x", None, false),
            y: c.metres("y", None, false),
            w: c.metres("w", None, true),
            h: c.metres("h", None, true),
            rotation_deg: c.metres("rotation_deg", Some(0.0), false),
        });
        Self {
            venue: c.name("venue", MAX_NAME_CHARS),
            topic: c.name("topic", MAX_NAME_CHARS),
            kind: c.vocab("kind").unwrap_or(BoothKind::Info),
            rect,
            units: c.list("units"),
        }
    }
    fn cells(&self, lang: Lang) -> Vec<String> {
        vec![
            self.venue.clone(),
            self.topic.clone(),
            self.kind.cell(lang),
            self.rect.map(|r| num(r.x)).unwrap_or_default(),
            self.rect.map(|r| num(r.y)).unwrap_or_default(),
            self.rect.map(|r| num(r.w)).unwrap_or_default(),
            self.rect.map(|r| num(r.h)).unwrap_or_default(),
            self.rect.map(|r| num(r.rotation_deg)).unwrap_or_default(),
            self.units.join(";"),
        ]
    }
}

/// An activity at a venue.
#[derive(Debug, Clone, PartialEq)]
pub struct ActivityRow {
    /// Venue name.
    pub venue: String,
    /// Title (unique in the venue).
    pub title: String,
    /// Kind.
    pub kind: ActivityKind,
    /// Where.
    pub place: String,
    /// Starts (local).
    pub starts_at: LocalTime,
    /// Ends (local).
    pub ends_at: LocalTime,
    /// Participants.
    pub participants: i64,
    /// Note.
    pub note: String,
}

impl CsvRow for ActivityRow {
    const KIND: Kind = Kind::Activities;
    fn read(c: &mut Cells<'_>) -> Self {
        Self {
            venue: c.name("venue", MAX_NAME_CHARS),
            title: c.name("title", MAX_NAME_CHARS),
            kind: c.vocab("kind").unwrap_or(ActivityKind::Other),
            place: c.text("place", MAX_NAME_CHARS),
            starts_at: c.when("starts_at"),
            ends_at: c.when("ends_at"),
            participants: c.count("participants"),
            note: c.text("note", MAX_NOTE),
        }
    }
    fn cells(&self, lang: Lang) -> Vec<String> {
        let t = |t: LocalTime| match t {
            LocalTime::At(t) => format_local(t),
            LocalTime::Time(t) => t.format("%H:%M:%S").to_string(),
        };
        vec![
            self.venue.clone(),
            self.title.clone(),
            self.kind.cell(lang),
            self.place.clone(),
            t(self.starts_at),
            t(self.ends_at),
            self.participants.to_string(),
            self.note.clone(),
        ]
    }
}

/// A material's allocation to a venue.
#[derive(Debug, Clone, PartialEq)]
pub struct AllocationRow {
    /// Material name (created in the campaign's catalogue when missing).
    pub material: String,
    /// Unit of count (幅/个/份); required to create a material.
    pub unit_label: Option<String>,
    /// Quantity planned for the whole campaign.
    pub planned: Option<i64>,
    /// Venue name.
    pub venue: String,
    /// Quantity allocated to the venue.
    pub quantity: i64,
}

impl CsvRow for AllocationRow {
    const KIND: Kind = Kind::Allocations;
    fn read(c: &mut Cells<'_>) -> Self {
        Self {
            material: c.name("material", MAX_NAME_CHARS),
            unit_label: c.opt_name("unit_label", 20),
            planned: c.opt_count("planned"),
            venue: c.name("venue", MAX_NAME_CHARS),
            quantity: c.count("quantity"),
        }
    }
    fn cells(&self, _lang: Lang) -> Vec<String> {
        vec![
            self.material.clone(),
            self.unit_label.clone().unwrap_or_default(),
            self.planned.map(|p| p.to_string()).unwrap_or_default(),
            self.venue.clone(),
            self.quantity.to_string(),
        ]
    }
}

/// A media report.
#[derive(Debug, Clone, PartialEq)]
pub struct MediaRow {
    /// Outlet unit name.
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
    /// Venue names covered.
    pub venues: Vec<String>,
    /// Time slot or page.
    pub slot: String,
}

impl CsvRow for MediaRow {
    const KIND: Kind = Kind::Media;
    fn read(c: &mut Cells<'_>) -> Self {
        Self {
            outlet: c.name("outlet", MAX_NAME_CHARS),
            channel: c.vocab("channel").unwrap_or(MediaChannel::Online),
            format: c.vocab("format").unwrap_or(MediaFormat::Report),
            date: c.date("date").unwrap_or_default(),
            headline: c.name("headline", MAX_HEADLINE),
            link: c
                .opt_name("link", MAX_LINK)
                .inspect(|l| c.check("link", |e| validate::web_link(e, "link", l))),
            estimated_reach: c.opt_count("estimated_reach"),
            venues: c.list("venues"),
            slot: c.text("slot", 100),
        }
    }
    fn cells(&self, lang: Lang) -> Vec<String> {
        vec![
            self.outlet.clone(),
            self.channel.cell(lang),
            self.format.cell(lang),
            self.date.to_string(),
            self.headline.clone(),
            self.link.clone().unwrap_or_default(),
            self.estimated_reach.map(|r| r.to_string()).unwrap_or_default(),
            self.venues.join(";"),
            self.slot.clone(),
        ]
    }
}

/// A log entry.
#[derive(Debug, Clone, PartialEq)]
pub struct LogEntryRow {
    /// Client-made id; none when the file has no id (the store derives one).
    pub id: Option<uuid::Uuid>,
    /// Venue name.
    pub venue: String,
    /// Booth topic at that venue.
    pub booth: Option<String>,
    /// Activity title at that venue.
    pub activity: Option<String>,
    /// When (local).
    pub recorded_at: LocalTime,
    /// Author; none when the file does not say (the importing user is named).
    pub author: Option<String>,
    /// Figures.
    pub figures: Figures,
    /// Material name -> quantity handed out.
    pub materials: BTreeMap<String, i64>,
    /// Note.
    pub note: String,
}

impl CsvRow for LogEntryRow {
    const KIND: Kind = Kind::LogEntries;
    fn read(c: &mut Cells<'_>) -> Self {
        let raw_id = c.raw("id").unwrap_or("").to_owned();
        let id = if raw_id.is_empty() {
            None
        } else {
            Some(uuid::Uuid::parse_str(&raw_id).unwrap_or_else(|_| {
                c.err("id", format!("{:?} is not a UUID", short(&raw_id)));
                uuid::Uuid::nil()
            }))
        };
        let figures = Figures {
            visitors: c.count("visitors"),
            consultations: c.count("consultations"),
            complaints_received: c.count("complaints_received"),
            complaints_settled: c.count("complaints_settled"),
            money_recovered_fen: c.count("money_recovered_fen"),
        };
        if figures.complaints_settled > figures.complaints_received {
            c.err("complaints_settled", "must not exceed complaints_received");
        }
        let mut materials = BTreeMap::new();
        let raw = c.raw("materials").unwrap_or("").to_owned();
        for item in raw.split([';', '；']).map(str::trim).filter(|s| !s.is_empty()) {
            let parsed = item
                .rsplit_once(['=', '＝'])
                .and_then(|(n, q)| Some((n.trim(), q.trim().parse::<i64>().ok().filter(|q| *q >= 0)?)));
            match parsed {
                Some((n, q)) if !n.is_empty() && !n.chars().any(char::is_control) => {
                    if materials.insert(n.to_owned(), q).is_some() {
                        c.err("materials", format!("{:?} is listed twice", short(n)));
                    }
                }
                _ => c.err("materials", format!("{:?} is not NAME=QUANTITY", short(item))),
            }
        }
        Self {
            id,
            venue: c.name("venue", MAX_NAME_CHARS),
            booth: c.opt_name("booth", MAX_NAME_CHARS),
            activity: c.opt_name("activity", MAX_NAME_CHARS),
            recorded_at: c.when("recorded_at"),
            author: c.opt_name("author", MAX_NAME_CHARS),
            figures,
            materials,
            note: c.text("note", crate::log::MAX_NOTE_CHARS),
        }
    }
    fn cells(&self, _lang: Lang) -> Vec<String> {
        let f = &self.figures;
        vec![
            self.id.map(|i| i.to_string()).unwrap_or_default(),
            self.venue.clone(),
            self.booth.clone().unwrap_or_default(),
            self.activity.clone().unwrap_or_default(),
            match self.recorded_at {
                LocalTime::At(t) => format_local(t),
                LocalTime::Time(t) => t.format("%H:%M:%S").to_string(),
            },
            self.author.clone().unwrap_or_default(),
            f.visitors.to_string(),
            f.consultations.to_string(),
            f.complaints_received.to_string(),
            f.complaints_settled.to_string(),
            f.money_recovered_fen.to_string(),
            self.materials.iter().map(|(k, v)| format!("{k}={v}")).collect::<Vec<_>>().join(";"),
            self.note.clone(),
        ]
    }
}

/// The campaign itself (a `campaign` file has one row).
#[derive(Debug, Clone, PartialEq)]
pub struct CampaignRow {
    /// The organization running it (created when missing).
    pub organization: String,
    /// The organization's parent, when the organization is created.
    pub parent_organization: Option<String>,
    /// The event day.
    pub date: NaiveDate,
    /// Title.
    pub title: String,
    /// Theme.
    pub theme: String,
    /// Undertaker (承办单位).
    pub undertaker: String,
    /// Administrative division code.
    pub division_code: String,
    /// IANA time zone.
    pub timezone: String,
    /// Whether the report masks officials' names.
    pub mask_official_names: bool,
}

impl CsvRow for CampaignRow {
    const KIND: Kind = Kind::Campaign;
    fn read(c: &mut Cells<'_>) -> Self {
        let tz = c.text("timezone", 64);
        Self {
            organization: c.name("organization", MAX_NAME_CHARS),
            parent_organization: c.opt_name("parent_organization", MAX_NAME_CHARS),
            date: c.date("date").unwrap_or_default(),
            title: c.name("title", MAX_NAME_CHARS),
            theme: c.text("theme", MAX_NAME_CHARS),
            undertaker: c.text("undertaker", MAX_NAME_CHARS),
            division_code: {
                let v = c.text("division_code", 12);
                c.check("division_code", |e| validate::division_code(e, "division_code", &v));
                v
            },
            timezone: if tz.is_empty() { "Asia/Shanghai".into() } else { tz },
            mask_official_names: c.flag("mask_official_names", true),
        }
    }
    fn cells(&self, lang: Lang) -> Vec<String> {
        vec![
            self.organization.clone(),
            self.parent_organization.clone().unwrap_or_default(),
            self.date.to_string(),
            self.title.clone(),
            self.theme.clone(),
            self.undertaker.clone(),
            self.division_code.clone(),
            self.timezone.clone(),
            flag_cell(self.mask_official_names, lang),
        ]
    }
}

/// A material of the campaign's catalogue.
#[derive(Debug, Clone, PartialEq)]
pub struct MaterialRow {
    /// Name (unique in the campaign).
    pub name: String,
    /// Counting unit (幅/个/份).
    pub unit_label: String,
    /// Quantity planned.
    pub planned: i64,
    /// Quantity in stock, when known.
    pub stock: Option<i64>,
}

impl CsvRow for MaterialRow {
    const KIND: Kind = Kind::Materials;
    fn read(c: &mut Cells<'_>) -> Self {
        Self {
            name: c.name("name", MAX_NAME_CHARS),
            unit_label: c.name("unit_label", 32),
            planned: c.count("planned"),
            stock: c.opt_count("stock"),
        }
    }
    fn cells(&self, _lang: Lang) -> Vec<String> {
        vec![
            self.name.clone(),
            self.unit_label.clone(),
            self.planned.to_string(),
            self.stock.map(|s| s.to_string()).unwrap_or_default(),
        ]
    }
}

/// An official who attended, at a venue named (not numbered).
#[derive(Debug, Clone, PartialEq)]
pub struct OfficialRow {
    /// Name.
    pub name: String,
    /// Title.
    pub title: String,
    /// Organization.
    pub organization: String,
    /// Venue name.
    pub venue: Option<String>,
    /// Role on the day.
    pub role: String,
    /// Masked in the report even when the campaign shows names.
    pub masked: bool,
}

impl CsvRow for OfficialRow {
    const KIND: Kind = Kind::Officials;
    fn read(c: &mut Cells<'_>) -> Self {
        Self {
            name: c.name("name", MAX_NAME_CHARS),
            title: c.text("title", MAX_NAME_CHARS),
            organization: c.text("organization", MAX_NAME_CHARS),
            venue: c.opt_name("venue", MAX_NAME_CHARS),
            role: c.text("role", MAX_NAME_CHARS),
            masked: c.flag("masked", false),
        }
    }
    fn cells(&self, lang: Lang) -> Vec<String> {
        vec![
            self.name.clone(),
            self.title.clone(),
            self.organization.clone(),
            self.venue.clone().unwrap_or_default(),
            self.role.clone(),
            flag_cell(self.masked, lang),
        ]
    }
}

/// A task of the preparation checklist, at a venue named (not numbered) or campaign-wide.
#[derive(Debug, Clone, PartialEq)]
pub struct TaskRow {
    /// Phase, e.g. 筹划阶段.
    pub phase: String,
    /// What is to be done (事项).
    pub title: String,
    /// Responsible unit.
    pub responsible_unit: String,
    /// Responsible person.
    pub responsible_person: String,
    /// Venue name; none for a campaign-wide task.
    pub venue: Option<String>,
    /// Due date.
    pub due_on: NaiveDate,
    /// Status; open when the cell is empty.
    pub status: TaskStatus,
    /// Notes.
    pub notes: String,
    /// Evidence: where it is kept, or a link.
    pub evidence: String,
}

impl CsvRow for TaskRow {
    const KIND: Kind = Kind::Tasks;
    fn read(c: &mut Cells<'_>) -> Self {
        Self {
            phase: c.text("phase", 100),
            title: c.name("title", 400),
            responsible_unit: c.text("responsible_unit", MAX_NAME_CHARS),
            responsible_person: c.text("responsible_person", 100),
            venue: c.opt_name("venue", MAX_NAME_CHARS),
            due_on: c.date("due_on").unwrap_or_default(),
            status: if c.raw("status").unwrap_or("").trim().is_empty() {
                TaskStatus::Open
            } else {
                c.vocab("status").unwrap_or(TaskStatus::Open)
            },
            notes: c.text("notes", 10_000),
            evidence: c.text("evidence", crate::inputs::MAX_LINK_CHARS),
        }
    }
    fn cells(&self, lang: Lang) -> Vec<String> {
        vec![
            self.phase.clone(),
            self.title.clone(),
            self.responsible_unit.clone(),
            self.responsible_person.clone(),
            self.venue.clone().unwrap_or_default(),
            self.due_on.to_string(),
            self.status.cell(lang),
            self.notes.clone(),
            self.evidence.clone(),
        ]
    }
}

/// A written section of the report.
#[derive(Debug, Clone, PartialEq)]
pub struct NarrativeRow {
    /// Language of the section.
    pub lang: Lang,
    /// Stable key, unique per language.
    pub key: String,
    /// Order within the language (none: after the ones before it in the file).
    pub position: Option<i32>,
    /// Heading.
    pub heading: String,
    /// Body.
    pub body: String,
    /// The "next steps" section.
    pub next_steps: bool,
}

impl CsvRow for NarrativeRow {
    const KIND: Kind = Kind::Narrative;
    fn read(c: &mut Cells<'_>) -> Self {
        let lang = if c.raw("lang").unwrap_or("").is_empty() {
            Lang::Zh
        } else {
            c.vocab("lang").unwrap_or(Lang::Zh)
        };
        Self {
            lang,
            key: c.name("key", 64),
            position: c.opt_count("position").and_then(|p| i32::try_from(p).ok()),
            heading: c.name("heading", MAX_NAME_CHARS),
            body: c.text("body", crate::validate::MAX_TEXT_CHARS),
            next_steps: c.flag("next_steps", false),
        }
    }
    fn cells(&self, lang: Lang) -> Vec<String> {
        vec![
            self.lang.cell(lang),
            self.key.clone(),
            self.position.map(|p| p.to_string()).unwrap_or_default(),
            self.heading.clone(),
            self.body.clone(),
            flag_cell(self.next_steps, lang),
        ]
    }
}

/// A closing count of a booth, or of a whole venue when no booth is named.
#[derive(Debug, Clone, PartialEq)]
pub struct TallyRow {
    /// Venue name.
    pub venue: String,
    /// Booth topic at that venue.
    pub booth: Option<String>,
    /// The closing figures.
    pub figures: Figures,
    /// Note.
    pub note: String,
}

impl CsvRow for TallyRow {
    const KIND: Kind = Kind::Tallies;
    fn read(c: &mut Cells<'_>) -> Self {
        let figures = Figures {
            visitors: c.count("visitors"),
            consultations: c.count("consultations"),
            complaints_received: c.count("complaints_received"),
            complaints_settled: c.count("complaints_settled"),
            money_recovered_fen: c.count("money_recovered_fen"),
        };
        if figures.complaints_settled > figures.complaints_received {
            c.err("complaints_settled", "must not exceed complaints_received");
        }
        Self {
            venue: c.name("venue", MAX_NAME_CHARS),
            booth: c.opt_name("booth", MAX_NAME_CHARS),
            figures,
            note: c.text("note", MAX_NOTE),
        }
    }
    fn cells(&self, _lang: Lang) -> Vec<String> {
        let f = &self.figures;
        vec![
            self.venue.clone(),
            self.booth.clone().unwrap_or_default(),
            f.visitors.to_string(),
            f.consultations.to_string(),
            f.complaints_received.to_string(),
            f.complaints_settled.to_string(),
            f.money_recovered_fen.to_string(),
            self.note.clone(),
        ]
    }
}

/// The UUID v5 namespace of log entry ids derived from a line's content.
pub const LOG_LINE_NAMESPACE: uuid::Uuid = uuid::Uuid::from_u128(0x6f1e_2b4a_9c3d_4e8f_a1b2_3150_3150_2013);

impl LogEntryRow {
    /// The id of a line without one: a UUID v5 (SHA-1, [`LOG_LINE_NAMESPACE`]) of the campaign,
    /// the venue, the local time and the content (booth, activity, figures, materials, note),
    /// so the same line imported again gets the same id. The author is left out: it defaults to
    /// whoever imports, and a second import by someone else is still the same line.
    #[must_use]
    pub fn derived_id(&self, campaign_id: i32, at: chrono::NaiveDateTime) -> uuid::Uuid {
        use sha1::Digest;
        let f = &self.figures;
        let materials: Vec<String> = self.materials.iter().map(|(k, v)| format!("{k}={v}")).collect();
        let name = [
            campaign_id.to_string(),
            self.venue.clone(),
            format_local(at),
            self.booth.clone().unwrap_or_default(),
            self.activity.clone().unwrap_or_default(),
            format!(
                "{}/{}/{}/{}/{}",
                f.visitors,
                f.consultations,
                f.complaints_received,
                f.complaints_settled,
                f.money_recovered_fen
            ),
            materials.join(";"),
            self.note.clone(),
        ]
        .join("\u{1f}");
        let mut h = sha1::Sha1::new();
        h.update(LOG_LINE_NAMESPACE.as_bytes());
        h.update(name.as_bytes());
        let digest = h.finalize();
        let mut bytes = [0u8; 16];
        bytes.copy_from_slice(&digest[..16]);
        uuid::Builder::from_sha1_bytes(bytes).into_uuid()
    }
}

/// A consumer dispute. Its key in a campaign is (venue, received on, category, enterprise,
/// summary): the fields that describe the case itself, not its progress.
#[derive(Debug, Clone, PartialEq)]
pub struct DisputeRow {
    /// Venue name.
    pub venue: String,
    /// Booth topic at that venue.
    pub booth: Option<String>,
    /// Enterprise unit name.
    pub enterprise: Option<String>,
    /// Category.
    pub category: String,
    /// Summary.
    pub summary: String,
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
}

impl CsvRow for DisputeRow {
    const KIND: Kind = Kind::Disputes;
    fn read(c: &mut Cells<'_>) -> Self {
        let row = Self {
            venue: c.name("venue", MAX_NAME_CHARS),
            booth: c.opt_name("booth", MAX_NAME_CHARS),
            enterprise: c.opt_name("enterprise", MAX_NAME_CHARS),
            category: c.name("category", MAX_CATEGORY),
            summary: c.name("summary", MAX_NOTE),
            amount_claimed_fen: c.count("amount_claimed_fen"),
            status: c.vocab("status").unwrap_or(DisputeStatus::Received),
            amount_recovered_fen: c.count("amount_recovered_fen"),
            received_on: c.date("received_on").unwrap_or_default(),
            closed_on: c.opt_date("closed_on"),
        };
        if let Some(closed) = row.closed_on
            && closed < row.received_on
        {
            c.err("closed_on", "must not be before the day it was received");
        }
        row
    }
    fn cells(&self, lang: Lang) -> Vec<String> {
        vec![
            self.venue.clone(),
            self.booth.clone().unwrap_or_default(),
            self.enterprise.clone().unwrap_or_default(),
            self.category.clone(),
            self.summary.clone(),
            self.amount_claimed_fen.to_string(),
            self.status.cell(lang),
            self.amount_recovered_fen.to_string(),
            self.received_on.to_string(),
            self.closed_on.map(|d| d.to_string()).unwrap_or_default(),
        ]
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn chinese_labels_and_machine_names_are_both_accepted() {
        let file = "名称,类型,参与本次活动\n区工商局,职能部门,是\nShop,enterprise,no\n";
        let rows = parse_rows::<UnitRow>(file.as_bytes()).map(|r| r.0).unwrap_or_default();
        assert_eq!(rows.len(), 2);
        assert_eq!(rows[0].1.kind, UnitKind::Agency);
        assert_eq!(rows[0].0, 2);
        assert!(!rows[1].1.participates);
    }

    #[test]
    fn bad_cells_name_line_and_column() {
        let long = "长".repeat(10_000);
        let file = format!("name,kind\nok,agency\n{long},agency\nx\0y,school\nz,castle\n");
        let errs = parse_rows::<UnitRow>(file.as_bytes()).err().unwrap_or_default();
        let at: Vec<(u64, &str)> = errs.iter().map(|e| (e.line, e.column.as_str())).collect();
        assert_eq!(at, [(3, "name"), (4, "name"), (5, "kind")], "{errs:?}");
    }

    #[test]
    fn a_line_without_an_id_gets_the_same_v5_id_each_time_and_another_for_other_content() {
        let file = "会场,时间,咨询人次,备注\n主会场,09:05,3,咨询\n主会场,09:05,4,咨询\n";
        let rows = parse_rows::<LogEntryRow>(file.as_bytes()).map(|r| r.0).unwrap_or_default();
        assert_eq!(rows.len(), 2);
        assert!(rows[0].1.id.is_none() && rows[0].1.author.is_none());
        let day = NaiveDate::from_ymd_opt(2013, 3, 15).unwrap_or_default();
        let at = rows[0].1.recorded_at.on(day);
        let a = rows[0].1.derived_id(1, at);
        assert_eq!(a, rows[0].1.derived_id(1, at));
        assert_eq!(a.get_version_num(), 5);
        assert_ne!(a, rows[1].1.derived_id(1, at));
        assert_ne!(a, rows[0].1.derived_id(2, at));
    }

    #[test]
    fn unknown_vocabulary_values_list_the_allowed_ones_in_the_file_language() {
        let zh = "名称,类型,场所类型\n甲,主会场,体育馆\n";
        let errs = parse_rows::<VenueRow>(zh.as_bytes()).err().unwrap_or_default();
        assert_eq!(errs.len(), 1, "{errs:?}");
        assert!(errs[0].message.contains("广场、社区、学校"), "{errs:?}");
        let en = "name,kind,setting\nA,main,stadium\n";
        let errs = parse_rows::<VenueRow>(en.as_bytes()).err().unwrap_or_default();
        assert!(errs[0].message.contains("square, community, school"), "{errs:?}");
        let media = "outlet,channel,format,date,headline\nX,tv,podcast,2013-03-15,h\n";
        let errs = parse_rows::<MediaRow>(media.as_bytes()).err().unwrap_or_default();
        assert!(errs[0].message.contains("wechat_post") && errs[0].field == "format", "{errs:?}");
    }

    #[test]
    fn venues_without_plans_and_booths_without_positions_are_read() {
        let v = "名称,类型\n后湖分会场,分会场\n";
        let rows = parse_rows::<VenueRow>(v.as_bytes()).map(|r| r.0).unwrap_or_default();
        assert_eq!(rows[0].1.width_m, None);
        let b = "会场,主题,类型\n后湖分会场,民生消费咨询台,咨询\n";
        let rows = parse_rows::<BoothRow>(b.as_bytes()).map(|r| r.0).unwrap_or_default();
        assert_eq!(rows.len(), 1);
        assert_eq!(rows[0].1.rect, None);
    }

    #[test]
    fn log_entry_rows_round_trip_through_their_cells() {
        let file = "编号,会场,时间,填报人,发放物资,受理投诉,现场调解\n\
                    886af8bd-f671-5ad4-ad27-b7f6351aa76d,主会场,2013-03-15 09:05,xx,横幅=8;气球=6,2,1\n";
        let rows = parse_rows::<LogEntryRow>(file.as_bytes()).map(|r| r.0).unwrap_or_default();
        assert_eq!(rows.len(), 1);
        let cells = rows[0].1.cells(Lang::Zh);
        assert_eq!(cells[4], "2013-03-15 09:05:00");
        assert_eq!(cells[11], "横幅=8;气球=6");
    }
}
#[cfg(test)]
mod crlf_tests {
    use super::*;
    #[test]
    fn lines_are_counted_in_crlf_files() {
        let file = "\u{feff}name,kind\r\nA,agency\r\nB,castle\r\n";
        let errs = parse_rows::<UnitRow>(file.as_bytes()).err().unwrap_or_default();
        assert_eq!(errs.first().map(|e| e.line), Some(3), "{errs:?}");
    }
}
