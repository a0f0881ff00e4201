//! Reading a workbook's first worksheet into the table a CSV file becomes.

use super::types::{CellType, cell_type};
use crate::csv::{Kind, Locator, RowError, Table, build_table};
use calamine::{Data, Reader, SheetVisible, Xls, Xlsx};
use chrono::{Duration, NaiveDate, NaiveDateTime, NaiveTime, Timelike};
use std::io::{Cursor, Read};

/// The most entries a workbook's zip archive may hold.
pub const MAX_ENTRIES: usize = 2_000;
/// The most bytes a workbook's zip archive may hold once uncompressed (all entries together).
pub const MAX_UNCOMPRESSED: u64 = 200 * 1024 * 1024;

const ZIP_MAGIC: &[u8] = b"PK\x03\x04";
const OLE_MAGIC: &[u8] = b"\xD0\xCF\x11\xE0\xA1\xB1\x1A\xE1";

/// Whether `bytes` are a workbook (a zip archive, as .xlsx is, or an OLE compound file, as
/// .xls is) rather than text. Decided by content: a file's name proves nothing.
#[must_use]
pub fn is_workbook(bytes: &[u8]) -> bool {
    bytes.starts_with(ZIP_MAGIC) || bytes.starts_with(OLE_MAGIC)
}

fn whole(message: impl Into<String>) -> Vec<RowError> {
    vec![RowError::line(1, message)]
}

/// Measures a zip archive without expanding it in memory: the central directory's entry count
/// and declared sizes, then each entry inflated into a counter that stops past its declared
/// size (a lying header is caught too).
fn check_zip(bytes: &[u8]) -> Result<(), Vec<RowError>> {
    let mut zip = zip::ZipArchive::new(Cursor::new(bytes))
        .map_err(|_| whole("the file looks like a workbook (.xlsx) but is not a readable zip archive"))?;
    if zip.len() > MAX_ENTRIES {
        return Err(whole(format!(
            "the workbook holds {} parts, more than the {MAX_ENTRIES} a spreadsheet needs; it was not opened",
            zip.len()
        )));
    }
    let mut declared: u64 = 0;
    for i in 0..zip.len() {
        let entry = zip
            .by_index_raw(i)
            .map_err(|_| whole("the workbook's zip directory is damaged; it was not opened"))?;
        declared = declared.saturating_add(entry.size());
    }
    if declared > MAX_UNCOMPRESSED {
        return Err(too_big());
    }
    for i in 0..zip.len() {
        let mut entry = zip
            .by_index(i)
            .map_err(|_| whole("the workbook's zip archive is damaged or encrypted; it was not opened"))?;
        let limit = entry.size();
        let mut counter = std::io::sink();
        let copied = std::io::copy(&mut (&mut entry).take(limit.saturating_add(1)), &mut counter)
            .map_err(|_| whole("the workbook's zip archive is damaged; it was not opened"))?;
        if copied > limit {
            return Err(too_big());
        }
    }
    Ok(())
}

fn too_big() -> Vec<RowError> {
    whole(format!(
        "the workbook expands to more than {} MB; it was not opened (save it again from the spreadsheet program, or split it)",
        MAX_UNCOMPRESSED / (1024 * 1024)
    ))
}

/// One opened workbook, whichever format.
enum Book<'a> {
    Xlsx(Xlsx<Cursor<&'a [u8]>>),
    Xls(Xls<Cursor<&'a [u8]>>),
}

/// Reads the first worksheet of a workbook into a [`Table`] for `kind`: the header is the
/// first row of the sheet's used area, line numbers are the sheet's row numbers.
///
/// # Errors
/// A refusal of the whole file (too big, damaged, a hidden sheet, merged cells), or every
/// header, row-shape and cell problem found, each naming its sheet and cell.
pub fn read_table(kind: Kind, bytes: &[u8]) -> Result<Table, Vec<RowError>> {
    let mut book = if bytes.starts_with(ZIP_MAGIC) {
        check_zip(bytes)?;
        Book::Xlsx(
            Xlsx::new(Cursor::new(bytes))
                .map_err(|_| whole("the file is a zip archive but not an Excel workbook (.xlsx)"))?,
        )
    } else {
        Book::Xls(
            Xls::new(Cursor::new(bytes))
                .map_err(|_| whole("the file is not a readable Excel workbook (.xls)"))?,
        )
    };
    let sheets = match &book {
        Book::Xlsx(b) => b.sheets_metadata().to_vec(),
        Book::Xls(b) => b.sheets_metadata().to_vec(),
    };
    if let Some(hidden) = sheets.iter().find(|s| s.visible != SheetVisible::Visible) {
        return Err(whole(format!(
            "the workbook has a hidden sheet ({:?}); unhide or delete it and import again, so that nothing is imported unseen",
            hidden.name
        )));
    }
    let Some(sheet) = sheets.first().map(|s| s.name.clone()) else {
        return Err(whole("the workbook has no worksheet"));
    };
    let (range, merged) = match &mut book {
        Book::Xlsx(b) => {
            let range = b.worksheet_range(&sheet).map_err(|_| whole(unreadable(&sheet)))?;
            let merged = b.merge_cells_by_sheet_name(&sheet).map_err(|_| whole(unreadable(&sheet)))?;
            (range, merged)
        }
        Book::Xls(b) => {
            let range = b.worksheet_range(&sheet).map_err(|_| whole(unreadable(&sheet)))?;
            let merged = b.merge_cells_by_sheet_name(&sheet).map_err(|_| whole(unreadable(&sheet)))?;
            (range, merged)
        }
    };
    let locator_of =
        |first_col: u32, header: Vec<String>| Locator { sheet: sheet.clone(), first_col, header };
    if let Some(m) = merged.first() {
        let area = format!(
            "{}{}:{}{}",
            crate::csv::column_letters(m.start.1),
            m.start.0 + 1,
            crate::csv::column_letters(m.end.1),
            m.end.0 + 1
        );
        let mut e = RowError::line(
            u64::from(m.start.0) + 1,
            format!(
                "merged cells ({area}) cannot be imported: unmerge them and give every row its own values"
            ),
        );
        e.cell = Some(format!("{}!{area}", locator_of(0, Vec::new()).sheet_ref()));
        return Err(vec![e]);
    }
    let Some((first_row, first_col)) = range.start() else {
        return Err(whole(format!("the sheet {sheet:?} is empty; its first row must name the columns")));
    };
    let mut rows = range.rows();
    let header: Vec<String> = rows.next().map(|r| r.iter().map(plain_text).collect()).unwrap_or_default();
    let header = trim_end(header);
    let keys: Vec<Option<&'static str>> = header
        .iter()
        .map(|h| {
            kind.columns().iter().find(|c| c.matches(h.trim_start_matches('\u{feff}').trim())).map(|c| c.key)
        })
        .collect();
    let header_line = u64::from(first_row) + 1;
    let mut errors = Vec::new();
    let mut out = Vec::new();
    for (i, row) in rows.enumerate() {
        let line = header_line + 1 + i as u64;
        let mut cells = Vec::with_capacity(row.len());
        for (pos, data) in row.iter().enumerate() {
            let ty = keys.get(pos).copied().flatten().map_or(CellType::Text, cell_type);
            match cell_text(data, ty) {
                Ok(s) => cells.push(s),
                Err(why) => {
                    let mut e = RowError::line(line, why);
                    e.column = header.get(pos).cloned().unwrap_or_default();
                    e.field = keys.get(pos).copied().flatten().unwrap_or_default().to_owned();
                    errors.push(e);
                    cells.push(String::new());
                }
            }
        }
        out.push((line, trim_end(cells)));
    }
    build_table(kind, header_line, &header, out, errors, Some(locator_of(first_col, header.clone())))
}

fn unreadable(sheet: &str) -> String {
    format!("the sheet {sheet:?} cannot be read")
}

/// Drops the empty cells at the end of a row (a sheet's used area is as wide as its widest row).
fn trim_end(mut cells: Vec<String>) -> Vec<String> {
    while cells.last().is_some_and(|c| c.trim().is_empty()) {
        cells.pop();
    }
    cells
}

/// A header cell as text.
fn plain_text(data: &Data) -> String {
    cell_text(data, CellType::Text).unwrap_or_default()
}

/// A cell's value as the text a CSV file would hold in a column of type `ty`: numbers without a
/// spurious `.0`, dates and times (real ones or Excel serial numbers in a date column) written
/// as the CSV files write them. A formula's cached value is what the sheet holds here.
fn cell_text(data: &Data, ty: CellType) -> Result<String, String> {
    Ok(match data {
        Data::Empty => String::new(),
        Data::String(s) => s.clone(),
        Data::Bool(b) => b.to_string(),
        Data::Int(n) => serial_or_number(*n as f64, ty, false),
        Data::Float(f) => serial_or_number(*f, ty, false),
        Data::DateTime(d) => serial_or_number(d.as_f64(), ty, true),
        Data::DateTimeIso(s) | Data::DurationIso(s) => s.replace('T', " "),
        Data::Error(e) => return Err(format!("the cell shows the spreadsheet error {e}; correct it first")),
    })
}

fn serial_or_number(v: f64, ty: CellType, is_date: bool) -> String {
    let as_date = is_date || matches!(ty, CellType::Date | CellType::DateTime | CellType::Time);
    if as_date && let Some(t) = from_serial(v) {
        return match ty {
            CellType::Date => t.date().format("%Y-%m-%d").to_string(),
            CellType::Time if v < 1.0 => t.time().format("%H:%M").to_string(),
            _ if v < 1.0 => t.time().format("%H:%M:%S").to_string(),
            _ if t.time() == NaiveTime::MIN && ty != CellType::DateTime => {
                t.date().format("%Y-%m-%d").to_string()
            }
            _ => t.format("%Y-%m-%d %H:%M:%S").to_string(),
        };
    }
    number_text(v)
}

/// An Excel serial date (days since 1899-12-30, the 1900 system) to the nearest second.
fn from_serial(v: f64) -> Option<NaiveDateTime> {
    if !v.is_finite() || !(0.0..2_958_466.0).contains(&v) {
        return None;
    }
    let base = NaiveDate::from_ymd_opt(1899, 12, 30)?.and_hms_opt(0, 0, 0)?;
    let secs = (v * 86_400.0).round() as i64;
    let t = base.checked_add_signed(Duration::seconds(secs))?;
    Some(t.with_nanosecond(0).unwrap_or(t))
}

/// A number as the CSV files write it: whole numbers without a decimal point.
fn number_text(v: f64) -> String {
    if v.fract() == 0.0 && v.abs() < 9.0e15 { format!("{}", v as i64) } else { format!("{v}") }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn serial_numbers_become_dates_and_times_in_date_columns_only() {
        assert_eq!(serial_or_number(41348.0, CellType::Date, false), "2013-03-15");
        assert_eq!(serial_or_number(41348.375, CellType::DateTime, false), "2013-03-15 09:00:00");
        assert_eq!(serial_or_number(0.375, CellType::Time, true), "09:00");
        assert_eq!(serial_or_number(41348.0, CellType::Integer, false), "41348");
        assert_eq!(serial_or_number(2.5, CellType::Number, false), "2.5");
        assert!(is_workbook(b"PK\x03\x04rest") && !is_workbook("名称,类型".as_bytes()));
    }
}
