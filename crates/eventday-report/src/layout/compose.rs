//! The seam between what a report says and how it is output: the report's content
//! (`content`, `rollup`) is written once against [`Compose`], and each back end (the PDF
//! [`Composer`], the Word [`crate::docx`] writer) turns the blocks into its own format, so the two
//! outputs can never say different things.
//!
//! The operations are blocks, not positions: a back end that lays out pages itself (the PDF)
//! uses the sizes in [`Geometry`] and the `keep_*` hints; one that leaves pagination to its reader
//! (Word) turns the hints into "keep with next" and ignores the measured spaces where it has
//! better means.

use super::table::TableWriter;
use super::{Col, Composer, Geometry, Rgb, TextStyle};
use crate::data::ReportPhoto;
use crate::{Lang, ReportError};

/// A bar chart's series: its name and colour.
pub(crate) type Series<'a> = (&'a str, Rgb);

/// The block-level operations the report content uses; implemented by the PDF composer and the
/// DOCX writer.
pub(crate) trait Compose {
    /// The report language.
    fn lang(&self) -> Lang;
    /// The style's page geometry and type styles (sizes are shared by both outputs).
    fn geo(&self) -> &Geometry;
    /// Vertical space of `h` pt after what is already there (none at the top of a page).
    fn space(&mut self, h: f32);
    /// A centred block set in `st` on lines `pitch` pt apart (the title, a subtitle).
    fn centered(&mut self, text: &str, st: TextStyle, pitch: f32) -> Result<(), ReportError>;
    /// A label on its own line, flush left, in `st` (the 附件 label of an appendix).
    fn label(&mut self, text: &str, st: TextStyle) -> Result<(), ReportError>;
    /// A numbered heading (level 1: 一、, level 2: （一）), kept with what follows.
    fn heading(&mut self, text: &str, level: u8) -> Result<(), ReportError>;
    /// A body paragraph with a two-character first-line indent.
    fn paragraph(&mut self, text: &str) -> Result<(), ReportError>;
    /// A body paragraph without indent (the 主送 and 抄送 lines).
    fn flush(&mut self, text: &str) -> Result<(), ReportError>;
    /// A small-print paragraph (notes under tables).
    fn note(&mut self, text: &str) -> Result<(), ReportError>;
    /// A right-aligned line of the signature block.
    fn right(&mut self, text: &str) -> Result<(), ReportError>;
    /// The key figures block: (value, label) pairs.
    fn key_figures(&mut self, figs: &[(String, String)]) -> Result<(), ReportError>;
    /// A whole table; `bold_last` sets the last row (a total) in bold.
    fn table(&mut self, cols: &[Col], rows: &[Vec<String>], bold_last: bool) -> Result<(), ReportError>;
    /// Starts a table whose rows are streamed with [`table_row`](Self::table_row).
    fn table_start(&mut self, cols: Vec<Col>) -> Result<(), ReportError>;
    /// A row of the streamed table (bold: a subtotal).
    fn table_row(&mut self, cells: &[String], bold: bool) -> Result<(), ReportError>;
    /// Whether the next one-line row of the streamed table starts a new page (its grouping cell
    /// is repeated there); a back end that does not paginate says no.
    fn table_row_starts_page(&self) -> bool;
    /// Ends the streamed table.
    fn table_end(&mut self);
    /// A captioned horizontal bar chart: rows of (label, one value per series).
    fn bar_chart(
        &mut self,
        caption: Option<&str>,
        rows: &[(String, Vec<u64>)],
        series: &[Series<'_>],
    ) -> Result<(), ReportError>;
    /// A bar chart of (label, unit, values) rows, one scale per unit.
    fn bar_chart_by_unit(
        &mut self,
        caption: Option<&str>,
        rows: &[(String, String, Vec<u64>)],
        series: &[Series<'_>],
    ) -> Result<(), ReportError>;
    /// The day's photos (活动剪影), each with its caption (where, when, what) under it; the
    /// content places the heading and the note on photos left out.
    fn photos(&mut self, photos: &[ReportPhoto]) -> Result<(), ReportError>;
    /// Keeps a level-1 heading with the first row of `photos` after it.
    fn keep_heading_with_photos(&mut self, photos: &[ReportPhoto]) -> Result<(), ReportError>;
    /// The next paragraph's last lines stay on one page with `h` pt after them (the signature).
    fn keep_with_next_paragraph(&mut self, h: f32);
    /// Starts a new page unless a block of `h` pt fits on this one.
    fn keep_together(&mut self, h: f32) -> Result<(), ReportError>;
    /// Keeps a level-1 heading with a chart of `rows` rows and `series` series after it.
    fn keep_heading_with_chart(&mut self, rows: usize, series: usize) -> Result<(), ReportError>;
    /// Starts a new page unless nothing is on this one yet.
    fn page_break(&mut self) -> Result<(), ReportError>;
}

impl Compose for Composer<'_, '_> {
    fn lang(&self) -> Lang {
        self.lang
    }
    fn geo(&self) -> &Geometry {
        &self.geo
    }
    fn space(&mut self, h: f32) {
        Composer::space(self, h);
    }
    fn centered(&mut self, text: &str, st: TextStyle, pitch: f32) -> Result<(), ReportError> {
        Composer::centered(self, text, st, pitch)
    }
    fn label(&mut self, text: &str, st: TextStyle) -> Result<(), ReportError> {
        let lines = self.ts.paragraph(text, &st, self.geo.area.w, 0.0, false);
        self.put_lines(lines, self.geo.body_pitch)
    }
    fn heading(&mut self, text: &str, level: u8) -> Result<(), ReportError> {
        Composer::heading(self, text, level)
    }
    fn paragraph(&mut self, text: &str) -> Result<(), ReportError> {
        Composer::paragraph(self, text)
    }
    fn flush(&mut self, text: &str) -> Result<(), ReportError> {
        Composer::flush(self, text)
    }
    fn note(&mut self, text: &str) -> Result<(), ReportError> {
        Composer::note(self, text)
    }
    fn right(&mut self, text: &str) -> Result<(), ReportError> {
        Composer::right(self, text)
    }
    fn key_figures(&mut self, figs: &[(String, String)]) -> Result<(), ReportError> {
        Composer::key_figures(self, figs)
    }
    fn table(&mut self, cols: &[Col], rows: &[Vec<String>], bold_last: bool) -> Result<(), ReportError> {
        Composer::table(self, cols, rows, bold_last)
    }
    fn table_start(&mut self, cols: Vec<Col>) -> Result<(), ReportError> {
        let tw = TableWriter::start(self, cols)?;
        self.streamed = Some(tw);
        Ok(())
    }
    fn table_row(&mut self, cells: &[String], bold: bool) -> Result<(), ReportError> {
        // The writer is taken out while it writes on the composer that holds it.
        let Some(mut tw) = self.streamed.take() else { return Ok(()) };
        let r = tw.row(self, cells, bold);
        self.streamed = Some(tw);
        r
    }
    fn table_row_starts_page(&self) -> bool {
        self.streamed.as_ref().is_some_and(|tw| !tw.one_line_row_fits(self))
    }
    fn table_end(&mut self) {
        if let Some(tw) = self.streamed.take() {
            tw.end(self);
        }
    }
    fn bar_chart(
        &mut self,
        caption: Option<&str>,
        rows: &[(String, Vec<u64>)],
        series: &[Series<'_>],
    ) -> Result<(), ReportError> {
        Composer::bar_chart(self, caption, rows, series)
    }
    fn bar_chart_by_unit(
        &mut self,
        caption: Option<&str>,
        rows: &[(String, String, Vec<u64>)],
        series: &[Series<'_>],
    ) -> Result<(), ReportError> {
        Composer::bar_chart_by_unit(self, caption, rows, series)
    }
    fn photos(&mut self, photos: &[ReportPhoto]) -> Result<(), ReportError> {
        super::content::photo_grid(self, photos)
    }
    fn keep_heading_with_photos(&mut self, photos: &[ReportPhoto]) -> Result<(), ReportError> {
        let h = super::content::photos_first_row_height(self, photos);
        self.keep_together(h)
    }
    fn keep_with_next_paragraph(&mut self, h: f32) {
        Composer::keep_with_next_paragraph(self, h);
    }
    fn keep_together(&mut self, h: f32) -> Result<(), ReportError> {
        Composer::keep_together(self, h)
    }
    fn keep_heading_with_chart(&mut self, rows: usize, series: usize) -> Result<(), ReportError> {
        let block = self.heading_height() + self.chart_height(rows, series);
        Composer::keep_together(self, block)
    }
    fn page_break(&mut self) -> Result<(), ReportError> {
        if self.page_has_content { self.new_page() } else { Ok(()) }
    }
}
