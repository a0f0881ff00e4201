//! CSV files for planning data and the day's log: which kinds exist, how a file is decoded
//! (UTF-8 with or without BOM, or GB18030/GBK), how headers in Chinese or English map to
//! columns, per-cell parsing with errors that name the line and the column, and writing
//! Excel-friendly files (UTF-8 with BOM, CRLF, RFC 4180 quoting, formula cells neutralised).
//!
//! Lines are counted from 1 with the header as line 1, as a spreadsheet shows them.

mod cells;
mod rows;
pub mod workbook;

pub use cells::*;
pub use rows::*;

use serde::{Deserialize, Serialize};
use std::fmt;
use std::str::FromStr;

/// Which kind of rows a CSV file holds.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "kebab-case")]
pub enum Kind {
    /// The campaign itself (one row; a folder import creates or updates it first).
    Campaign,
    /// Units taking part in the campaign (the unit directory plus participation).
    Units,
    /// Venues of the campaign.
    Venues,
    /// Booths, by venue name and topic.
    Booths,
    /// Activities, by venue name and title (log entries refer to them).
    Activities,
    /// The material catalogue with planned quantities and stock.
    Materials,
    /// Material allocations per venue (materials are created when missing).
    Allocations,
    /// Media coverage.
    Media,
    /// Officials who attended, by venue name.
    Officials,
    /// The preparation checklist (工作分工表), by venue name.
    Tasks,
    /// The report's written sections.
    Narrative,
    /// Log entries, by their id (given, or derived from venue, time and content).
    LogEntries,
    /// Closing counts per booth or venue.
    Tallies,
    /// Consumer disputes.
    Disputes,
}

impl Kind {
    /// Every kind, in the order an import into an empty campaign needs them.
    pub const ALL: &'static [Kind] = &[
        Kind::Campaign,
        Kind::Units,
        Kind::Venues,
        Kind::Booths,
        Kind::Activities,
        Kind::Materials,
        Kind::Allocations,
        Kind::Media,
        Kind::Officials,
        Kind::Tasks,
        Kind::Narrative,
        Kind::LogEntries,
        Kind::Tallies,
        Kind::Disputes,
    ];

    /// The spelling used on the command line and in URLs.
    #[must_use]
    pub const fn as_str(self) -> &'static str {
        match self {
            Kind::Campaign => "campaign",
            Kind::Units => "units",
            Kind::Venues => "venues",
            Kind::Booths => "booths",
            Kind::Activities => "activities",
            Kind::Materials => "materials",
            Kind::Allocations => "allocations",
            Kind::Media => "media",
            Kind::Officials => "officials",
            Kind::Tasks => "tasks",
            Kind::Narrative => "narrative",
            Kind::LogEntries => "log-entries",
            Kind::Tallies => "tallies",
            Kind::Disputes => "disputes",
        }
    }

    /// The columns of this kind's files.
    #[must_use]
    pub fn columns(self) -> &'static [Column] {
        match self {
            Kind::Campaign => CAMPAIGN_COLUMNS,
            Kind::Units => UNIT_COLUMNS,
            Kind::Venues => VENUE_COLUMNS,
            Kind::Booths => BOOTH_COLUMNS,
            Kind::Activities => ACTIVITY_COLUMNS,
            Kind::Materials => MATERIAL_COLUMNS,
            Kind::Allocations => ALLOCATION_COLUMNS,
            Kind::Media => MEDIA_COLUMNS,
            Kind::Officials => OFFICIAL_COLUMNS,
            Kind::Tasks => TASK_COLUMNS,
            Kind::Narrative => NARRATIVE_COLUMNS,
            Kind::LogEntries => LOG_ENTRY_COLUMNS,
            Kind::Tallies => TALLY_COLUMNS,
            Kind::Disputes => DISPUTE_COLUMNS,
        }
    }
}

impl FromStr for Kind {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let s = s.trim().to_ascii_lowercase().replace('_', "-");
        Kind::ALL.iter().copied().find(|k| k.as_str() == s).ok_or_else(|| {
            format!(
                "unknown kind {:?}; expected one of: {}",
                s.chars().take(40).collect::<String>(),
                Kind::ALL.iter().map(|k| k.as_str()).collect::<Vec<_>>().join(", ")
            )
        })
    }
}

impl fmt::Display for Kind {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(self.as_str())
    }
}

/// Which header names and vocabulary labels an export uses (Chinese headers and labels by
/// default, English machine names with `en`). Import accepts both.
pub use crate::kinds::Lang;

/// One column of a kind's file.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Column {
    /// The English machine name, also the field name in errors.
    pub key: &'static str,
    /// The Chinese header.
    pub zh: &'static str,
    /// Whether a file must have this column.
    pub required: bool,
}

impl Column {
    /// The header text for `lang`.
    #[must_use]
    pub fn header(&self, lang: Lang) -> &'static str {
        match lang {
            Lang::Zh => self.zh,
            Lang::En => self.key,
        }
    }

    /// Whether a header cell names this column (English case-insensitively, spaces or
    /// dashes for underscores; Chinese exactly, full-width brackets or not).
    fn matches(&self, header: &str) -> bool {
        let h = header.trim();
        let en = h.to_ascii_lowercase().replace([' ', '-'], "_");
        if en == self.key {
            return true;
        }
        let plain = |s: &str| s.replace(['（', '('], "(").replace(['）', ')'], ")");
        plain(h) == plain(self.zh)
    }
}

/// A problem with one cell, row or header of an import file.
#[derive(Debug, Clone, PartialEq, Eq, Serialize, Deserialize)]
pub struct RowError {
    /// 1-based line, the header being line 1.
    pub line: u64,
    /// The column's header as written in the file (empty when the whole row is meant).
    pub column: String,
    /// The column's machine name (empty when the whole row is meant).
    pub field: String,
    /// Why.
    pub message: String,
    /// Where in a workbook: the sheet and cell (`Sheet1!C5`), or the sheet and row
    /// (`Sheet1!5:5`) when the whole row is meant; absent for CSV files.
    #[serde(default, skip_serializing_if = "Option::is_none")]
    pub cell: Option<String>,
}

impl RowError {
    /// An error about a whole line.
    #[must_use]
    pub fn line(line: u64, message: impl Into<String>) -> Self {
        Self { line, column: String::new(), field: String::new(), message: message.into(), cell: None }
    }
}

impl fmt::Display for RowError {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        if let Some(cell) = &self.cell {
            if self.column.is_empty() {
                write!(f, "{cell}: {}", self.message)
            } else {
                write!(f, "{cell} (column {}): {}", self.column, self.message)
            }
        } else if self.column.is_empty() {
            write!(f, "line {}: {}", self.line, self.message)
        } else {
            write!(f, "line {}, column {}: {}", self.line, self.column, self.message)
        }
    }
}

/// What an import did, or would do on a dry run, or why it did nothing.
#[derive(Debug, Clone, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct ImportReport {
    /// Rows that created a record.
    pub created: u64,
    /// Rows that changed an existing record.
    pub updated: u64,
    /// Rows equal to what is stored.
    pub unchanged: u64,
    /// Every problem found; when not empty nothing was written.
    pub errors: Vec<RowError>,
}

/// The most errors one report carries; the rest are counted in the last message.
pub const MAX_REPORTED_ERRORS: usize = 100;

impl ImportReport {
    /// Caps the error list so a file of garbage does not produce a huge answer.
    pub fn cap_errors(&mut self) {
        if self.errors.len() > MAX_REPORTED_ERRORS {
            let more = self.errors.len() - MAX_REPORTED_ERRORS;
            self.errors.truncate(MAX_REPORTED_ERRORS);
            let last = self.errors.last().map_or(1, |e| e.line);
            self.errors.push(RowError::line(last, format!("and {more} more errors")));
        }
    }
}

/// Decodes file bytes: UTF-8 (a BOM is dropped) or, when that fails, GB18030 (which
/// includes GBK). A file mixing the two is rejected naming its first line in the other
/// encoding.
///
/// # Errors
/// A [`RowError`] naming the first line that cannot be decoded.
pub fn decode(bytes: &[u8]) -> Result<String, RowError> {
    let bytes = bytes.strip_prefix(b"\xEF\xBB\xBF").unwrap_or(bytes);
    if let Ok(text) = std::str::from_utf8(bytes) {
        return Ok(text.to_owned());
    }
    // Classify each physical line with non-ASCII bytes: valid UTF-8 or not.
    let mut first_utf8: Option<u64> = None;
    let mut first_other: Option<u64> = None;
    for (i, line) in bytes.split(|b| *b == b'\n').enumerate() {
        if line.is_ascii() {
            continue;
        }
        let n = i as u64 + 1;
        if std::str::from_utf8(line).is_ok() {
            first_utf8.get_or_insert(n);
        } else {
            first_other.get_or_insert(n);
        }
    }
    if let (Some(u), Some(o)) = (first_utf8, first_other) {
        // Whichever encoding came first is the file's; the first line in the other one is bad.
        let (bad, what) = if u < o { (o, "not UTF-8 like line") } else { (u, "UTF-8, unlike GBK line") };
        let first = u.min(o);
        return Err(RowError::line(bad, format!("mixed encodings: this line is {what} {first}")));
    }
    match encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(bytes) {
        Some(text) => Ok(text.into_owned()),
        None => {
            let bad = bytes
                .split(|b| *b == b'\n')
                .position(|l| {
                    encoding_rs::GB18030.decode_without_bom_handling_and_without_replacement(l).is_none()
                })
                .map_or(1, |i| i as u64 + 1);
            Err(RowError::line(bad, "the file is neither UTF-8 nor GB18030/GBK text"))
        }
    }
}

/// Characters that make a spreadsheet treat a cell as a formula.
const FORMULA_STARTS: [char; 6] = ['=', '+', '-', '@', '\t', '\r'];

fn needs_quote_prefix(cell: &str) -> bool {
    cell.trim_start_matches('\'').starts_with(FORMULA_STARTS)
}

/// Prefixes a cell that a spreadsheet would run as a formula with `'` (and a cell that
/// already looks neutralised, so that [`restore_cell`] gives back exactly the original).
#[must_use]
pub fn neutralise_cell(cell: &str) -> std::borrow::Cow<'_, str> {
    if needs_quote_prefix(cell) { format!("'{cell}").into() } else { cell.into() }
}

/// Undoes [`neutralise_cell`]: strips exactly one leading `'` before a formula start.
#[must_use]
pub fn restore_cell(cell: &str) -> &str {
    match cell.strip_prefix('\'') {
        Some(rest) if needs_quote_prefix(rest) => rest,
        _ => cell,
    }
}

/// A parsed file: the column index of each known column, and the data rows.
#[derive(Debug, Clone)]
pub struct Table {
    /// For each of the kind's columns (same order), its position in the file and its header.
    pub columns: Vec<Option<(usize, String)>>,
    /// Data rows: line number and cells (formula prefixes already removed).
    pub rows: Vec<(u64, Vec<String>)>,
    /// The file's language: Chinese when any header is a Chinese one, else English. Messages
    /// about vocabulary values list the allowed values in it.
    pub lang: Lang,
    /// For a worksheet: how to name the cell of an error.
    pub locator: Option<Locator>,
}

/// Names the worksheet cell an error is about: the sheet, and which column each header cell
/// is in (line numbers are the sheet's row numbers).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Locator {
    /// The worksheet's name.
    pub sheet: String,
    /// The 0-based sheet column of the header's first cell.
    pub first_col: u32,
    /// The header cells as written, in sheet order.
    pub header: Vec<String>,
}

impl Locator {
    /// The sheet name as a formula would write it (quoted when it is not a plain word).
    fn sheet_ref(&self) -> String {
        if !self.sheet.is_empty() && self.sheet.chars().all(|c| c.is_alphanumeric() || c == '_') {
            self.sheet.clone()
        } else {
            format!("'{}'", self.sheet.replace('\'', "''"))
        }
    }

    /// Sets the `cell` of each error: its column's cell on its row, or the whole row when the
    /// column is not one of the sheet's.
    pub fn locate(&self, errors: &mut [RowError]) {
        let sheet = self.sheet_ref();
        for e in errors {
            let pos = (!e.column.is_empty())
                .then(|| {
                    self.header.iter().position(|h| h.trim() == e.column || h.trim().starts_with(&e.column))
                })
                .flatten();
            e.cell = Some(match pos {
                Some(p) => format!("{sheet}!{}{}", column_letters(self.first_col + p as u32), e.line),
                None => format!("{sheet}!{0}:{0}", e.line),
            });
        }
    }
}

/// A 0-based column number in a spreadsheet's letters (0 is A, 26 is AA).
#[must_use]
pub fn column_letters(mut col: u32) -> String {
    let mut out = Vec::new();
    loop {
        out.push(b'A' + (col % 26) as u8);
        if col < 26 {
            break;
        }
        col = col / 26 - 1;
    }
    out.reverse();
    String::from_utf8_lossy(&out).into_owned()
}

/// Parses decoded text into a [`Table`] for `kind`, checking the header (duplicate, unknown
/// and missing columns) and the shape of every row.
///
/// # Errors
/// Every header and row-shape problem found.
pub fn parse_table(kind: Kind, text: &str) -> Result<Table, Vec<RowError>> {
    // The csv crate counts a CRLF line end differently from LF; normalising keeps the line
    // numbers in errors equal to what a spreadsheet or editor shows.
    let text = text.replace("\r\n", "\n");
    let mut reader =
        ::csv::ReaderBuilder::new().has_headers(false).flexible(true).from_reader(text.as_bytes());
    let mut records = reader.records();
    let header = match records.next() {
        Some(Ok(h)) => h,
        Some(Err(e)) => return Err(vec![RowError::line(1, format!("unreadable header: {e}"))]),
        None => {
            return Err(vec![RowError::line(1, "the file is empty; the first line must name the columns")]);
        }
    };
    let header: Vec<String> = header.iter().map(str::to_owned).collect();
    let mut rows = Vec::new();
    let mut errors = Vec::new();
    for rec in records {
        match rec {
            Ok(r) => {
                let line = r.position().map_or(0, ::csv::Position::line);
                rows.push((line, r.iter().map(|c| restore_cell(c).to_owned()).collect()));
            }
            Err(e) => {
                let line = e.position().map_or(0, ::csv::Position::line);
                errors.push(RowError::line(line, format!("unreadable row: {e}")));
            }
        }
    }
    build_table(kind, 1, &header, rows, errors, None)
}

/// The one check of a file's header and rows, whatever the file was (CSV text or a worksheet):
/// maps the header cells on line `header_line` to the kind's columns, drops blank rows and
/// refuses rows wider than the header. `errors` are problems already found while reading.
///
/// # Errors
/// Every header and row-shape problem found (with `errors`), placed by `locator` when given.
pub(crate) fn build_table(
    kind: Kind,
    header_line: u64,
    header: &[String],
    raw_rows: Vec<(u64, Vec<String>)>,
    mut errors: Vec<RowError>,
    locator: Option<Locator>,
) -> Result<Table, Vec<RowError>> {
    let spec = kind.columns();
    let mut columns: Vec<Option<(usize, String)>> = vec![None; spec.len()];
    let mut lang = Lang::En;
    for (pos, raw) in header.iter().enumerate() {
        let name = raw.trim_start_matches('\u{feff}').trim();
        if name.is_empty() {
            continue;
        }
        match spec.iter().position(|c| c.matches(name)) {
            Some(i) => match &columns[i] {
                Some((_, first)) => errors.push(RowError {
                    line: header_line,
                    column: name.to_owned(),
                    field: spec[i].key.to_owned(),
                    message: format!("duplicate column: {first:?} and {name:?} both name {}", spec[i].key),
                    cell: None,
                }),
                None => {
                    if !name.is_ascii() {
                        lang = Lang::Zh;
                    }
                    columns[i] = Some((pos, name.to_owned()));
                }
            },
            None => errors.push(RowError {
                line: header_line,
                column: name.chars().take(60).collect(),
                field: String::new(),
                message: format!(
                    "unknown column; expected: {}",
                    spec.iter().map(|c| format!("{}/{}", c.zh, c.key)).collect::<Vec<_>>().join(", ")
                ),
                cell: None,
            }),
        }
    }
    for (i, c) in spec.iter().enumerate() {
        if c.required && columns[i].is_none() {
            errors.push(RowError {
                line: header_line,
                column: c.zh.to_owned(),
                field: c.key.to_owned(),
                message: format!("missing required column {} ({})", c.zh, c.key),
                cell: None,
            });
        }
    }
    let locate = |mut errors: Vec<RowError>| {
        if let Some(l) = &locator {
            l.locate(&mut errors);
        }
        errors
    };
    if errors.iter().any(|e| e.line == header_line) {
        return Err(locate(errors));
    }
    let width = header.len();
    let mut rows = Vec::new();
    for (line, cells) in raw_rows {
        if cells.iter().all(|c| c.trim().is_empty()) {
            continue;
        }
        if cells.len() > width {
            errors.push(RowError::line(
                line,
                format!("has {} cells but the header names {width} columns", cells.len()),
            ));
            continue;
        }
        rows.push((line, cells));
    }
    if errors.is_empty() { Ok(Table { columns, rows, lang, locator }) } else { Err(locate(errors)) }
}

/// Writes a file for `kind`: UTF-8 with BOM, CRLF line ends, RFC 4180 quoting, formula cells
/// neutralised.
#[must_use]
pub fn write_file(kind: Kind, lang: Lang, rows: &[Vec<String>]) -> Vec<u8> {
    let mut out = b"\xEF\xBB\xBF".to_vec();
    {
        let mut w = ::csv::WriterBuilder::new().terminator(::csv::Terminator::CRLF).from_writer(&mut out);
        // Writing into a Vec cannot fail; errors are ignored rather than unwrapped.
        let _ = w.write_record(kind.columns().iter().map(|c| c.header(lang)));
        for row in rows {
            let _ = w.write_record(row.iter().map(|c| neutralise_cell(c).into_owned()));
        }
        let _ = w.flush();
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn gbk_text_is_decoded_and_mixed_encodings_name_the_line() {
        let (gbk, _, _) = encoding_rs::GBK.encode("名称,类型\n后湖分会,职能部门\n");
        assert_eq!(decode(&gbk).ok().as_deref(), Some("名称,类型\n后湖分会,职能部门\n"));
        let mut mixed = "名称,类型\n".as_bytes().to_vec();
        mixed.extend_from_slice(&encoding_rs::GBK.encode("后湖,企业\n").0);
        let err = decode(&mixed).err().map(|e| e.line);
        assert_eq!(err, Some(2));
        assert_eq!(decode(b"\xEF\xBB\xBFname\n").ok().as_deref(), Some("name\n"));
    }

    #[test]
    fn formula_cells_round_trip_through_the_quote_prefix() {
        for cell in
            ["=cmd|' /C calc'!A0", "+1", "-5", "@SUM(A1)", "\tx", "'=x", "''+y", "plain", "'plain", ""]
        {
            let out = neutralise_cell(cell);
            assert!(!out.starts_with(FORMULA_STARTS), "{out:?}");
            assert_eq!(restore_cell(&out), cell);
        }
    }

    #[test]
    fn headers_in_either_language_map_and_bad_headers_are_named() {
        let t = parse_table(Kind::Units, "名称,Kind\nA,agency\n").ok().map(|t| t.rows.len());
        assert_eq!(t, Some(1));
        let errs = parse_table(Kind::Units, "名称,name,类型,colour\n").err().unwrap_or_default();
        assert!(errs.iter().any(|e| e.message.contains("duplicate") && e.column == "name"), "{errs:?}");
        assert!(errs.iter().any(|e| e.message.contains("unknown column") && e.column == "colour"));
        let errs = parse_table(Kind::Units, "名称\n").err().unwrap_or_default();
        assert!(errs.iter().any(|e| e.field == "kind" && e.message.contains("missing")), "{errs:?}");
    }
}
