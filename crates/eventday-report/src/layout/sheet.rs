//! Printed sheets: a title, a line under it and one table whose header repeats on every page
//! (the 工作分工表 and the 签到表).

use std::collections::BTreeSet;

use super::{Align, Col, Metrics, Page, Rgb};
use crate::{Lang, ReportError, Style};

/// A sheet to print: a title, a subtitle and a table.
#[derive(Debug, Clone, Default, PartialEq)]
pub struct Sheet {
    /// The title, centred at the top of the first page.
    pub title: String,
    /// A line under the title (e.g. the campaign and its date); may be empty.
    pub subtitle: String,
    /// Column headers with their share of the table width.
    pub columns: Vec<(String, f32)>,
    /// The rows, one cell per column.
    pub rows: Vec<Vec<String>>,
    /// Blank rows added at the end (space to write in by hand).
    pub blank_rows: usize,
}

/// Lays a sheet out on A4 pages.
///
/// # Errors
/// Only when a page cannot be handed on (it can be; the error type is the composer's).
pub fn layout_sheet(
    sheet: &Sheet,
    lang: Lang,
    metrics: &dyn Metrics,
) -> Result<(Vec<Page>, BTreeSet<char>), ReportError> {
    super::composer::in_memory(metrics, lang, Style::Modern, |c| {
        let geo = c.geo.clone();
        c.centered(&sheet.title, geo.title, geo.title.size * 1.6)?;
        if !sheet.subtitle.trim().is_empty() {
            c.centered(&sheet.subtitle, geo.small.color(Rgb(0.35, 0.35, 0.35)), geo.small_pitch * 1.3)?;
        }
        c.space(8.0);
        let cols: Vec<Col> = sheet
            .columns
            .iter()
            .map(|(title, frac)| Col { title: title.clone(), frac: *frac, align: Align::Left })
            .collect();
        // A full-width space keeps a blank row as tall as a written one.
        let blank = vec!["\u{3000}".to_owned(); cols.len()];
        let mut rows = sheet.rows.clone();
        rows.extend(std::iter::repeat_n(blank, sheet.blank_rows));
        c.table(&cols, &rows, false)
    })
}
