//! Reading one row: typed getters that record an error per bad cell, the vocabularies read from
//! their names or labels, local times, and decoding a whole file into rows with line numbers.

use super::{Column, Kind, Lang, RowError, Table, decode, parse_table};
use crate::validate::{self, MAX_NAME_CHARS};
use crate::{
    ActivityKind, BoothKind, DisputeStatus, MediaChannel, MediaFormat, UnitKind, VenueKind, VenueSetting,
};
use chrono::{NaiveDate, NaiveDateTime, NaiveTime};

/// The longest headline, category or link accepted (characters), as the schema allows.
pub(super) const MAX_HEADLINE: usize = 400;
pub(super) const MAX_CATEGORY: usize = 100;
pub(super) const MAX_LINK: usize = 2000;
pub(super) const MAX_NOTE: usize = 4_000;

/// A closed vocabulary readable from its machine name or either label.
pub trait Vocab: Copy + 'static {
    /// Every value.
    fn all() -> &'static [Self];
    /// Machine name.
    fn machine(self) -> &'static str;
    /// Chinese label.
    fn zh(self) -> &'static str;
    /// English label.
    fn en(self) -> &'static str;
    /// Reads a value from its machine name, either label or an alias.
    fn from_label(s: &str) -> Option<Self>;
    /// The text written for `lang`.
    fn cell(self, lang: Lang) -> String {
        match lang {
            Lang::Zh => self.zh().to_owned(),
            Lang::En => self.machine().to_owned(),
        }
    }
}

macro_rules! vocab {
    ($($t:ty),*) => {$(
        impl Vocab for $t {
            fn all() -> &'static [Self] { <$t>::ALL }
            fn machine(self) -> &'static str { self.as_str() }
            fn zh(self) -> &'static str { self.label_zh() }
            fn en(self) -> &'static str { self.label_en() }
            fn from_label(s: &str) -> Option<Self> { <$t>::from_label(s) }
        }
    )*};
}
vocab!(
    UnitKind,
    VenueKind,
    VenueSetting,
    BoothKind,
    ActivityKind,
    MediaChannel,
    MediaFormat,
    DisputeStatus,
    crate::TaskStatus,
    Lang
);

/// One data row being read: typed getters that record an error naming the cell.
pub struct Cells<'a> {
    table: &'a Table,
    spec: &'static [Column],
    cells: &'a [String],
    line: u64,
    pub(super) errors: Vec<RowError>,
}

impl<'a> Cells<'a> {
    pub(super) fn index(&self, key: &str) -> Option<usize> {
        self.spec.iter().position(|c| c.key == key)
    }

    /// The cell's text (trimmed); `None` when the file has no such column.
    pub(super) fn raw(&self, key: &str) -> Option<&'a str> {
        let (pos, _) = self.table.columns.get(self.index(key)?)?.as_ref()?;
        Some(self.cells.get(*pos).map_or("", |s| s.trim()))
    }

    /// Records an error for a cell.
    pub fn err(&mut self, key: &str, message: impl Into<String>) {
        let column = self
            .index(key)
            .and_then(|i| self.table.columns.get(i).and_then(Option::as_ref).map(|(_, h)| h.clone()))
            .or_else(|| self.spec.iter().find(|c| c.key == key).map(|c| c.zh.to_owned()))
            .unwrap_or_default();
        self.errors.push(RowError {
            line: self.line,
            column,
            field: key.to_owned(),
            message: message.into(),
            cell: None,
        });
    }

    pub(super) fn check(&mut self, key: &str, f: impl FnOnce(&mut crate::FieldErrors)) {
        let mut e = crate::FieldErrors::new();
        f(&mut e);
        if let Some(why) = e.into_values().next() {
            self.err(key, why);
        }
    }

    pub(super) fn name(&mut self, key: &str, max: usize) -> String {
        let v = self.raw(key).unwrap_or("").to_owned();
        self.check(key, |e| validate::name(e, key, &v, max));
        v
    }

    pub(super) fn opt_name(&mut self, key: &str, max: usize) -> Option<String> {
        let v = self.raw(key).unwrap_or("");
        if v.is_empty() {
            return None;
        }
        Some(self.name(key, max))
    }

    pub(super) fn text(&mut self, key: &str, max: usize) -> String {
        // Free text keeps its inner spacing; only the cell's outer whitespace is dropped.
        let v = self.raw(key).unwrap_or("").to_owned();
        self.check(key, |e| validate::text(e, key, &v, max));
        v
    }

    pub(super) fn count(&mut self, key: &str) -> i64 {
        self.opt_count(key).unwrap_or(0)
    }

    pub(super) fn opt_count(&mut self, key: &str) -> Option<i64> {
        let v = self.raw(key).unwrap_or("");
        if v.is_empty() {
            return None;
        }
        match v.replace(',', "").parse::<i64>() {
            Ok(n) if (0..=validate::max_of(key)).contains(&n) => Some(n),
            Ok(n) if n >= 0 => {
                self.err(key, format!("must be at most {}", validate::max_of(key)));
                None
            }
            Ok(_) => {
                self.err(key, "must not be negative");
                None
            }
            Err(_) => {
                self.err(key, format!("{:?} is not a whole number", short(v)));
                None
            }
        }
    }

    pub(super) fn metres(&mut self, key: &str, default: Option<f64>, positive: bool) -> f64 {
        let v = self.raw(key).unwrap_or("");
        if v.is_empty() {
            if let Some(d) = default {
                return d;
            }
            self.err(key, "must not be empty");
            return 0.0;
        }
        match v.parse::<f64>() {
            Ok(n) if !n.is_finite() || n.abs() > 10_000.0 => {
                self.err(key, "must be a number up to 10000");
                0.0
            }
            Ok(n) => {
                if positive {
                    self.check(key, |e| validate::positive_metres(e, key, n));
                }
                n
            }
            Err(_) => {
                self.err(key, format!("{:?} is not a number", short(v)));
                0.0
            }
        }
    }

    /// A vocabulary value; an unknown one is refused (never mapped to something else) with the
    /// allowed values listed in the file's language.
    pub(super) fn vocab<V: Vocab>(&mut self, key: &str) -> Option<V> {
        let v = self.raw(key).unwrap_or("");
        let found = V::from_label(v);
        if found.is_none() {
            let message = match self.table.lang {
                Lang::Zh => {
                    let expected: Vec<&str> = V::all().iter().map(|k| k.zh()).collect();
                    format!("“{}”不是可选的值；可选：{}", short(v), expected.join("、"))
                }
                Lang::En => {
                    let expected: Vec<&str> = V::all().iter().map(|k| k.machine()).collect();
                    format!("{:?} is not one of: {}", short(v), expected.join(", "))
                }
            };
            self.err(key, message);
        }
        found
    }

    pub(super) fn opt_metres(&mut self, key: &str) -> Option<f64> {
        if self.raw(key).unwrap_or("").is_empty() { None } else { Some(self.metres(key, None, true)) }
    }

    pub(super) fn opt_year(&mut self, key: &str) -> Option<i32> {
        let v = self.raw(key).unwrap_or("");
        if v.is_empty() {
            return None;
        }
        match v.parse::<i32>() {
            Ok(y) if (1980..=2200).contains(&y) => Some(y),
            _ => {
                self.err(key, format!("{:?} is not a year between 1980 and 2200", short(v)));
                None
            }
        }
    }

    pub(super) fn flag(&mut self, key: &str, default: bool) -> bool {
        let v = self.raw(key).unwrap_or("");
        match v.to_ascii_lowercase().as_str() {
            "" => default,
            "是" | "true" | "yes" | "y" | "1" | "√" | "✓" => true,
            "否" | "false" | "no" | "n" | "0" | "×" => false,
            _ => {
                self.err(key, format!("{:?} is not 是/否 (yes/no)", short(v)));
                default
            }
        }
    }

    pub(super) fn date(&mut self, key: &str) -> Option<NaiveDate> {
        let v = self.raw(key).unwrap_or("");
        let d = parse_date(v);
        if d.is_none() {
            self.err(key, format!("{:?} is not a date YYYY-MM-DD", short(v)));
        }
        d
    }

    pub(super) fn opt_date(&mut self, key: &str) -> Option<NaiveDate> {
        if self.raw(key).unwrap_or("").is_empty() { None } else { self.date(key) }
    }

    pub(super) fn when(&mut self, key: &str) -> LocalTime {
        let v = self.raw(key).unwrap_or("");
        LocalTime::parse(v).unwrap_or_else(|| {
            self.err(key, format!("{:?} is not a time YYYY-MM-DD HH:MM[:SS] or HH:MM", short(v)));
            LocalTime::Time(NaiveTime::MIN)
        })
    }

    pub(super) fn list(&mut self, key: &str) -> Vec<String> {
        let v = self.raw(key).unwrap_or("").to_owned();
        let items: Vec<String> =
            v.split([';', '；']).map(str::trim).filter(|s| !s.is_empty()).map(str::to_owned).collect();
        for item in &items {
            self.check(key, |e| validate::name(e, key, item, MAX_NAME_CHARS));
        }
        items
    }
}

pub(super) fn short(v: &str) -> String {
    let s: String = v.chars().take(40).collect();
    if s.len() < v.len() { format!("{s}…") } else { s }
}

pub(super) fn parse_date(v: &str) -> Option<NaiveDate> {
    ["%Y-%m-%d", "%Y/%m/%d"].iter().find_map(|f| NaiveDate::parse_from_str(v, f).ok())
}

/// A wall-clock time in the campaign's zone, with or without its date.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum LocalTime {
    /// A full local date and time.
    At(NaiveDateTime),
    /// A time on the campaign's day.
    Time(NaiveTime),
}

impl LocalTime {
    /// Parses `YYYY-MM-DD HH:MM[:SS[.f]]` (also with `T` or `/`) or `HH:MM[:SS]`.
    #[must_use]
    pub fn parse(v: &str) -> Option<Self> {
        const FULL: [&str; 6] = [
            "%Y-%m-%d %H:%M:%S%.f",
            "%Y-%m-%d %H:%M",
            "%Y-%m-%dT%H:%M:%S%.f",
            "%Y-%m-%dT%H:%M",
            "%Y/%m/%d %H:%M:%S",
            "%Y/%m/%d %H:%M",
        ];
        if let Some(t) = FULL.iter().find_map(|f| NaiveDateTime::parse_from_str(v, f).ok()) {
            return Some(LocalTime::At(t));
        }
        ["%H:%M:%S%.f", "%H:%M"]
            .iter()
            .find_map(|f| NaiveTime::parse_from_str(v, f).ok())
            .map(LocalTime::Time)
    }

    /// The full local time, the campaign's `day` supplying a missing date.
    #[must_use]
    pub fn on(self, day: NaiveDate) -> NaiveDateTime {
        match self {
            LocalTime::At(t) => t,
            LocalTime::Time(t) => day.and_time(t),
        }
    }
}

/// Formats a local time for export (seconds always, fractions only when present).
#[must_use]
pub fn format_local(t: NaiveDateTime) -> String {
    t.format("%Y-%m-%d %H:%M:%S%.f").to_string()
}

pub(super) fn flag_cell(v: bool, lang: Lang) -> String {
    match (lang, v) {
        (Lang::Zh, true) => "是",
        (Lang::Zh, false) => "否",
        (Lang::En, true) => "true",
        (Lang::En, false) => "false",
    }
    .to_owned()
}

pub(super) fn num(v: f64) -> String {
    format!("{v}")
}

/// A row type of one kind.
pub trait CsvRow: Sized {
    /// Its kind.
    const KIND: Kind;
    /// Reads one row; cell errors are recorded in `c`.
    fn read(c: &mut Cells<'_>) -> Self;
    /// The cells written on export, in column order.
    fn cells(&self, lang: Lang) -> Vec<String>;
}

/// Rows with their line numbers, and the headers the file used.
pub type Parsed<R> = (Vec<(u64, R)>, Headers);

/// Decodes and parses a whole file into rows with their line numbers: CSV text, or a workbook
/// (.xlsx or .xls, known by its content, never by its name) whose first worksheet is read into
/// the same table, so both meet the same rules.
///
/// # Errors
/// Every problem found, each naming its line and column (and, in a workbook, its cell).
pub fn parse_rows<R: CsvRow>(bytes: &[u8]) -> Result<Parsed<R>, Vec<RowError>> {
    let table = if super::workbook::is_workbook(bytes) {
        super::workbook::read_table(R::KIND, bytes)?
    } else {
        let text = decode(bytes).map_err(|e| vec![e])?;
        parse_table(R::KIND, &text)?
    };
    let mut out = Vec::with_capacity(table.rows.len());
    let mut errors = Vec::new();
    for (line, cells) in &table.rows {
        let mut c = Cells { table: &table, spec: R::KIND.columns(), cells, line: *line, errors: Vec::new() };
        let row = R::read(&mut c);
        if c.errors.is_empty() {
            out.push((*line, row));
        } else {
            errors.append(&mut c.errors);
        }
    }
    let headers = Headers {
        names: R::KIND
            .columns()
            .iter()
            .zip(&table.columns)
            .map(|(c, found)| (c.key, found.as_ref().map_or_else(|| c.zh.to_owned(), |(_, h)| h.clone())))
            .collect(),
        locator: table.locator.clone(),
    };
    if errors.is_empty() {
        Ok((out, headers))
    } else {
        headers.locate(&mut errors);
        Err(errors)
    }
}

/// The header names a file used, so that later checks (references, geometry, conflicts with
/// stored data) name the column as the user wrote it (and, in a workbook, the cell).
#[derive(Debug, Clone, Default)]
pub struct Headers {
    names: Vec<(&'static str, String)>,
    locator: Option<super::Locator>,
}

impl Headers {
    /// An error for the cell of column `key` on `line`.
    #[must_use]
    pub fn error(&self, line: u64, key: &str, message: impl Into<String>) -> RowError {
        let column =
            self.names.iter().find(|(k, _)| *k == key).map_or_else(|| key.to_owned(), |(_, h)| h.clone());
        RowError { line, column, field: key.to_owned(), message: message.into(), cell: None }
    }

    /// Names the worksheet cell of each error, when the file was a workbook.
    pub fn locate(&self, errors: &mut [RowError]) {
        if let Some(l) = &self.locator {
            l.locate(errors);
        }
    }
}
