//! Writing workbooks: a kind's rows, a blank template per kind, and plain tables.

use super::WorkbookError;
use super::types::{CellType, allowed_values, cell_type, format_note};
use crate::csv::cells::parse_date;
use crate::csv::{Kind, Lang, LocalTime};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use rust_xlsxwriter::{Color, Format, FormatBorder, Workbook, Worksheet};

/// One cell of a plain table.
#[derive(Debug, Clone, PartialEq)]
pub enum XCell {
    /// Nothing.
    Empty,
    /// Text.
    Text(String),
    /// A whole number.
    Int(i64),
    /// A number.
    Number(f64),
    /// An amount of money given in fen, shown in yuan with two decimals.
    Yuan(i64),
    /// A percentage given as a fraction (0.5 is 50%).
    Percent(f64),
    /// A date.
    Date(NaiveDate),
    /// A date and time.
    DateTime(NaiveDateTime),
    /// A clock time.
    Time(NaiveTime),
}

/// One worksheet of a plain table: a name, a header row and rows.
#[derive(Debug, Clone, PartialEq)]
pub struct Sheet {
    /// The sheet's name (at most 31 characters; `[]:*?/\` are replaced).
    pub name: String,
    /// The header row.
    pub headers: Vec<String>,
    /// The rows.
    pub rows: Vec<Vec<XCell>>,
}

/// How wide text shows in a spreadsheet column, in character widths: East Asian wide and
/// full-width characters count double.
#[must_use]
pub fn text_width(s: &str) -> usize {
    s.chars()
        .map(|c| {
            let u = u32::from(c);
            let wide = (0x1100..=0x115F).contains(&u)
                || (0x2E80..=0xA4CF).contains(&u)
                || (0xAC00..=0xD7A3).contains(&u)
                || (0xF900..=0xFAFF).contains(&u)
                || (0xFE30..=0xFE4F).contains(&u)
                || (0xFF00..=0xFF60).contains(&u)
                || (0xFFE0..=0xFFE6).contains(&u)
                || (0x20000..=0x3FFFD).contains(&u);
            if wide { 2 } else { 1 }
        })
        .sum()
}

fn err(e: impl std::fmt::Display) -> WorkbookError {
    WorkbookError(e.to_string())
}

/// The Excel serial number of a date and time (days since 1899-12-30).
fn serial(t: NaiveDateTime) -> f64 {
    let base = NaiveDate::from_ymd_opt(1899, 12, 30).unwrap_or_default();
    let days = (t.date() - base).num_days() as f64;
    days + f64::from(t.time().num_seconds_from_midnight()) / 86_400.0
}

struct Formats {
    header: Format,
    date: Format,
    datetime: Format,
    time: Format,
    yuan: Format,
    percent: Format,
    note: Format,
}

impl Formats {
    fn new() -> Self {
        Formats {
            header: Format::new()
                .set_bold()
                .set_background_color(Color::RGB(0x00DD_E6F0))
                .set_border_bottom(FormatBorder::Thin),
            date: Format::new().set_num_format("yyyy-mm-dd"),
            datetime: Format::new().set_num_format("yyyy-mm-dd hh:mm:ss"),
            time: Format::new().set_num_format("hh:mm"),
            yuan: Format::new().set_num_format("#,##0.00"),
            percent: Format::new().set_num_format("0.0%"),
            note: Format::new().set_italic().set_font_color(Color::RGB(0x0059_5959)),
        }
    }
}

fn sheet_name(name: &str) -> String {
    let clean: String = name.chars().map(|c| if "[]:*?/\\".contains(c) { '_' } else { c }).take(31).collect();
    if clean.trim().is_empty() { "Sheet1".to_owned() } else { clean }
}

/// Writes one cell; the width it needs is returned.
fn put(ws: &mut Worksheet, f: &Formats, row: u32, col: u16, cell: &XCell) -> Result<usize, WorkbookError> {
    Ok(match cell {
        XCell::Empty => 0,
        XCell::Text(s) => {
            if s.is_empty() {
                return Ok(0);
            }
            ws.write_string(row, col, s).map_err(err)?;
            s.lines().map(text_width).max().unwrap_or(0)
        }
        XCell::Int(n) => {
            ws.write_number(row, col, *n as f64).map_err(err)?;
            n.to_string().len()
        }
        XCell::Number(n) => {
            ws.write_number(row, col, *n).map_err(err)?;
            format!("{n}").len()
        }
        XCell::Yuan(fen) => {
            ws.write_number_with_format(row, col, *fen as f64 / 100.0, &f.yuan).map_err(err)?;
            format!("{:.2}", *fen as f64 / 100.0).len() + fen.abs().to_string().len() / 3
        }
        XCell::Percent(p) => {
            ws.write_number_with_format(row, col, *p, &f.percent).map_err(err)?;
            6
        }
        XCell::Date(d) => {
            ws.write_number_with_format(row, col, serial(d.and_time(NaiveTime::MIN)), &f.date)
                .map_err(err)?;
            10
        }
        XCell::DateTime(t) => {
            ws.write_number_with_format(row, col, serial(*t), &f.datetime).map_err(err)?;
            19
        }
        XCell::Time(t) => {
            let day = f64::from(t.num_seconds_from_midnight()) / 86_400.0;
            ws.write_number_with_format(row, col, day, &f.time).map_err(err)?;
            5
        }
    })
}

/// Adds a sheet with a frozen, bold header row and fitted columns.
fn add_sheet(book: &mut Workbook, f: &Formats, sheet: &Sheet) -> Result<(), WorkbookError> {
    let ws = book.add_worksheet();
    ws.set_name(sheet_name(&sheet.name)).map_err(err)?;
    let mut widths: Vec<usize> = sheet.headers.iter().map(|h| text_width(h)).collect();
    for (c, h) in sheet.headers.iter().enumerate() {
        ws.write_string_with_format(0, c as u16, h, &f.header).map_err(err)?;
    }
    for (r, row) in sheet.rows.iter().enumerate() {
        for (c, cell) in row.iter().enumerate() {
            let w = put(ws, f, r as u32 + 1, c as u16, cell)?;
            if widths.len() <= c {
                widths.resize(c + 1, 0);
            }
            widths[c] = widths[c].max(w);
        }
    }
    for (c, w) in widths.iter().enumerate() {
        ws.set_column_width(c as u16, (*w + 2).clamp(6, 60) as f64).map_err(err)?;
    }
    ws.set_freeze_panes(1, 0).map_err(err)?;
    Ok(())
}

/// Writes plain tables as a workbook, one sheet each.
///
/// # Errors
/// A sheet name or cell the writer refuses.
pub fn write_workbook(sheets: &[Sheet]) -> Result<Vec<u8>, WorkbookError> {
    let mut book = Workbook::new();
    let f = Formats::new();
    for s in sheets {
        add_sheet(&mut book, &f, s)?;
    }
    book.save_to_buffer().map_err(err)
}

/// The typed cell for a CSV cell of a column of type `ty`: numbers and whole-second dates and
/// times become real values, anything else stays text (so that it reads back exactly).
fn typed(text: &str, ty: CellType) -> XCell {
    if text.is_empty() {
        return XCell::Empty;
    }
    let exact_number = |v: f64| v.is_finite() && format!("{v}") == text;
    match ty {
        CellType::Integer => match text.parse::<i64>() {
            Ok(n) if n.unsigned_abs() < (1 << 53) && n.to_string() == text => XCell::Int(n),
            _ => XCell::Text(text.to_owned()),
        },
        CellType::Number => match text.parse::<f64>() {
            Ok(v) if exact_number(v) => XCell::Number(v),
            _ => XCell::Text(text.to_owned()),
        },
        CellType::Date => match parse_date(text) {
            Some(d) if d.format("%Y-%m-%d").to_string() == text => XCell::Date(d),
            _ => XCell::Text(text.to_owned()),
        },
        CellType::DateTime => match LocalTime::parse(text) {
            Some(LocalTime::At(t)) if t.format("%Y-%m-%d %H:%M:%S").to_string() == text => XCell::DateTime(t),
            _ => XCell::Text(text.to_owned()),
        },
        CellType::Time => match NaiveTime::parse_from_str(text, "%H:%M") {
            Ok(t) if t.format("%H:%M").to_string() == text => XCell::Time(t),
            _ => XCell::Text(text.to_owned()),
        },
        CellType::Text => XCell::Text(text.to_owned()),
    }
}

/// A kind's sheet name in `lang`.
fn kind_sheet(kind: Kind, lang: Lang) -> String {
    let zh = match kind {
        Kind::Campaign => "活动",
        Kind::Units => "参与单位",
        Kind::Venues => "会场",
        Kind::Booths => "展位",
        Kind::Activities => "活动安排",
        Kind::Materials => "物资",
        Kind::Allocations => "物资分配",
        Kind::Media => "媒体报道",
        Kind::Officials => "出席领导",
        Kind::Tasks => "工作分工",
        Kind::Narrative => "总结文字",
        Kind::LogEntries => "现场记录",
        Kind::Tallies => "收尾统计",
        Kind::Disputes => "消费纠纷",
    };
    match lang {
        Lang::Zh => zh.to_owned(),
        Lang::En => kind.as_str().to_owned(),
    }
}

/// Writes a kind's rows (the cells of its CSV export) as a workbook with the same headers: one
/// sheet, numbers as numbers, dates and times as dates and times.
///
/// # Errors
/// A cell the writer refuses.
pub fn export_workbook(kind: Kind, lang: Lang, rows: &[Vec<String>]) -> Result<Vec<u8>, WorkbookError> {
    let cols = kind.columns();
    let sheet = Sheet {
        name: kind_sheet(kind, lang),
        headers: cols.iter().map(|c| c.header(lang).to_owned()).collect(),
        rows: rows
            .iter()
            .map(|r| r.iter().zip(cols).map(|(text, c)| typed(text, cell_type(c.key))).collect())
            .collect(),
    };
    write_workbook(&[sheet])
}

/// An example value of a column, for a template.
fn example(kind: Kind, key: &str, lang: Lang) -> XCell {
    if let Some(v) = allowed_values(kind, key, lang) {
        return v.into_iter().next().map_or(XCell::Empty, XCell::Text);
    }
    let day = NaiveDate::from_ymd_opt(2013, 3, 15).unwrap_or_default();
    let zh = lang == Lang::Zh;
    let text = |zh_text: &str, en_text: &str| XCell::Text(if zh { zh_text } else { en_text }.to_owned());
    match (cell_type(key), key) {
        (CellType::Date, _) => XCell::Date(day),
        (CellType::DateTime, "ends_at") => XCell::DateTime(day.and_hms_opt(11, 30, 0).unwrap_or_default()),
        (CellType::DateTime, _) => XCell::DateTime(day.and_hms_opt(9, 30, 0).unwrap_or_default()),
        (CellType::Time, "closes_at") => XCell::Time(NaiveTime::from_hms_opt(17, 0, 0).unwrap_or_default()),
        (CellType::Time, _) => XCell::Time(NaiveTime::from_hms_opt(9, 0, 0).unwrap_or_default()),
        (CellType::Integer, "platform_joined_year") => XCell::Int(2012),
        (CellType::Integer, "position") => XCell::Int(1),
        (CellType::Integer, k) if k.ends_with("_fen") => XCell::Int(50_000),
        (CellType::Integer, _) => XCell::Int(100),
        (CellType::Number, "x" | "y") => XCell::Number(2.0),
        (CellType::Number, "rotation_deg") => XCell::Number(0.0),
        (CellType::Number, "width_m") => XCell::Number(60.0),
        (CellType::Number, "depth_m") => XCell::Number(30.0),
        (CellType::Number, _) => XCell::Number(3.0),
        (_, "venue") => text("主会场", "Main venue"),
        (_, "name") if kind == Kind::Venues => text("主会场", "Main venue"),
        (_, "name" | "organization" | "outlet" | "enterprise" | "responsible_unit" | "host_unit") => {
            text("示例单位", "Example unit")
        }
        (_, "material") => text("宣传资料", "Leaflets"),
        (_, "unit_label") => text("份", "copies"),
        (_, "timezone") => XCell::Text("Asia/Shanghai".to_owned()),
        (_, "link") => XCell::Text("https://example.org/".to_owned()),
        (_, "key") => XCell::Text("overview".to_owned()),
        _ => text("示例", "example"),
    }
}

/// A blank template of a kind: the header row and one example row (to be replaced), and a
/// notes sheet listing each column, whether it is required, how to write it and its allowed
/// values.
///
/// # Errors
/// A cell the writer refuses.
pub fn template_workbook(kind: Kind, lang: Lang) -> Result<Vec<u8>, WorkbookError> {
    let zh = lang == Lang::Zh;
    let cols = kind.columns();
    let data = Sheet {
        name: kind_sheet(kind, lang),
        headers: cols.iter().map(|c| c.header(lang).to_owned()).collect(),
        rows: vec![cols.iter().map(|c| example(kind, c.key, lang)).collect()],
    };
    let yes_no = |b: bool| XCell::Text(if b { if zh { "必填" } else { "required" } } else { "" }.to_owned());
    let sep = if zh { "、" } else { ", " };
    let notes = Sheet {
        name: if zh { "填写说明" } else { "Notes" }.to_owned(),
        headers: if zh {
            vec!["列名".into(), "英文列名".into(), "是否必填".into(), "填写格式".into(), "可选的值".into()]
        } else {
            vec![
                "column".into(),
                "Chinese header".into(),
                "required".into(),
                "format".into(),
                "allowed values".into(),
            ]
        },
        rows: cols
            .iter()
            .map(|c| {
                vec![
                    XCell::Text(c.header(lang).to_owned()),
                    XCell::Text(if zh { c.key } else { c.zh }.to_owned()),
                    yes_no(c.required),
                    XCell::Text(format_note(kind, c.key, lang)),
                    XCell::Text(allowed_values(kind, c.key, lang).map(|v| v.join(sep)).unwrap_or_default()),
                ]
            })
            .collect(),
    };
    let mut book = Workbook::new();
    let f = Formats::new();
    add_sheet(&mut book, &f, &data)?;
    add_sheet(&mut book, &f, &notes)?;
    // A line under the notes says what the example row is.
    if let Ok(ws) = book.worksheet_from_index(1) {
        let last = notes.rows.len() as u32 + 2;
        let line = if zh {
            "第一张表的第2行是示例，导入前请替换或删除。表头（第1行）请勿修改；日期可写作 2013-03-15，也可用表格的日期格式。"
        } else {
            "Row 2 of the first sheet is an example: replace or delete it before importing. Keep the header (row 1) as it is; dates may be typed as 2013-03-15 or use the spreadsheet's date format."
        };
        ws.write_string_with_format(last, 0, line, &f.note).map_err(err)?;
    }
    book.save_to_buffer().map_err(err)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cjk_counts_double_and_cells_keep_their_text_unless_exact() {
        assert_eq!(text_width("主会场"), 6);
        assert_eq!(text_width("A1"), 2);
        assert_eq!(typed("12", CellType::Integer), XCell::Int(12));
        assert_eq!(typed("012", CellType::Integer), XCell::Text("012".into()));
        assert_eq!(typed("2.5", CellType::Number), XCell::Number(2.5));
        assert!(matches!(typed("2013-03-15", CellType::Date), XCell::Date(_)));
        assert_eq!(
            typed("2013-03-15 09:30:00.5", CellType::DateTime),
            XCell::Text("2013-03-15 09:30:00.5".into())
        );
        let t = NaiveDate::from_ymd_opt(2013, 3, 15).and_then(|d| d.and_hms_opt(9, 0, 0)).unwrap_or_default();
        assert!((serial(t) - 41348.375).abs() < 1e-9);
    }
}
