//! What kind of value each column holds in a workbook, and the values a column allows.

use crate::csv::{Kind, Lang, Vocab};
use crate::{
    ActivityKind, BoothKind, DisputeStatus, MediaChannel, MediaFormat, TaskStatus, UnitKind, VenueKind,
    VenueSetting,
};

/// How a column's cells are written to and read from a worksheet.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum CellType {
    /// Text as it is.
    Text,
    /// A whole number.
    Integer,
    /// A number (metres, degrees).
    Number,
    /// A calendar date.
    Date,
    /// A local date and time (or a time on the campaign's day).
    DateTime,
    /// A clock time `HH:MM`.
    Time,
}

/// The type of the column named `key` (the machine names mean the same in every kind).
#[must_use]
pub fn cell_type(key: &str) -> CellType {
    match key {
        "planned"
        | "stock"
        | "quantity"
        | "visitors"
        | "consultations"
        | "complaints_received"
        | "complaints_settled"
        | "money_recovered_fen"
        | "amount_claimed_fen"
        | "amount_recovered_fen"
        | "estimated_reach"
        | "participants"
        | "position"
        | "platform_joined_year" => CellType::Integer,
        "width_m" | "depth_m" | "x" | "y" | "w" | "h" | "rotation_deg" => CellType::Number,
        "date" | "due_on" | "received_on" | "closed_on" => CellType::Date,
        "starts_at" | "ends_at" | "recorded_at" => CellType::DateTime,
        "opens_at" | "closes_at" => CellType::Time,
        _ => CellType::Text,
    }
}

fn labels<V: Vocab>(lang: Lang) -> Vec<String> {
    V::all().iter().map(|v| v.cell(lang)).collect()
}

/// The values the column `key` of `kind` allows, as an export in `lang` writes them (an import
/// also takes the other language's), or `None` when it is free.
#[must_use]
pub fn allowed_values(kind: Kind, key: &str, lang: Lang) -> Option<Vec<String>> {
    let flag = || match lang {
        Lang::Zh => vec!["是".to_owned(), "否".to_owned()],
        Lang::En => vec!["true".to_owned(), "false".to_owned()],
    };
    Some(match (kind, key) {
        (Kind::Units, "kind") => labels::<UnitKind>(lang),
        (Kind::Venues, "kind") => labels::<VenueKind>(lang),
        (Kind::Venues, "setting") => labels::<VenueSetting>(lang),
        (Kind::Booths, "kind") => labels::<BoothKind>(lang),
        (Kind::Activities, "kind") => labels::<ActivityKind>(lang),
        (Kind::Media, "channel") => labels::<MediaChannel>(lang),
        (Kind::Media, "format") => labels::<MediaFormat>(lang),
        (Kind::Tasks, "status") => labels::<TaskStatus>(lang),
        (Kind::Disputes, "status") => labels::<DisputeStatus>(lang),
        (Kind::Narrative, "lang") => labels::<Lang>(lang),
        (Kind::Units, "participates" | "staffs_booth" | "reconciliation_member" | "media" | "sponsor")
        | (Kind::Campaign, "mask_official_names")
        | (Kind::Officials, "masked") => flag(),
        _ => return None,
    })
}

/// How a value of the column is written, for the notes sheet of a template.
pub(super) fn format_note(kind: Kind, key: &str, lang: Lang) -> String {
    let zh = lang == Lang::Zh;
    if allowed_values(kind, key, lang).is_some() {
        return if zh { "填写右侧所列的值之一" } else { "one of the values on the right" }.to_owned();
    }
    let list = matches!((kind, key), (Kind::Booths, "units") | (Kind::Media, "venues"))
        || (kind == Kind::LogEntries && key == "materials");
    if list {
        return if zh { "多个值以分号“;”分隔" } else { "several values separated by \";\"" }.to_owned();
    }
    match (cell_type(key), zh) {
        (CellType::Integer, true) => "整数".into(),
        (CellType::Integer, false) => "whole number".into(),
        (CellType::Number, true) => "数字".into(),
        (CellType::Number, false) => "number".into(),
        (CellType::Date, true) => "日期，如 2013-03-15".into(),
        (CellType::Date, false) => "date, e.g. 2013-03-15".into(),
        (CellType::DateTime, true) => "时间，如 2013-03-15 09:30 或 09:30".into(),
        (CellType::DateTime, false) => "time, e.g. 2013-03-15 09:30 or 09:30".into(),
        (CellType::Time, true) => "时刻，如 09:00".into(),
        (CellType::Time, false) => "clock time, e.g. 09:00".into(),
        (CellType::Text, true) => "文字".into(),
        (CellType::Text, false) => "text".into(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn vocabulary_columns_list_their_labels_in_the_asked_language() {
        let zh = allowed_values(Kind::Disputes, "status", Lang::Zh).unwrap_or_default();
        assert!(zh.iter().any(|v| v == DisputeStatus::Settled.label_zh()), "{zh:?}");
        let en = allowed_values(Kind::Disputes, "status", Lang::En).unwrap_or_default();
        assert!(en.iter().any(|v| v == "settled"), "{en:?}");
        assert_eq!(allowed_values(Kind::Disputes, "summary", Lang::Zh), None);
        assert_eq!(cell_type("received_on"), CellType::Date);
        assert_eq!(cell_type("money_recovered_fen"), CellType::Integer);
    }
}
