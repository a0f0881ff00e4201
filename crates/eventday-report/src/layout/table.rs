//! Tables: a header that repeats after a page break, rows that never split, columns sized from their
//! content (a column is never narrower than its header or its longest unbreakable word, and a short
//! cell is never broken).

use super::{ASCENT, BLACK, Composer, Family, Item, Rgb, Role, TextLine, TextStyle};
use crate::Style;

/// Horizontal alignment of a table column.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Align {
    Left,
    Right,
    Center,
}

/// A table column.
#[derive(Debug, Clone)]
pub(crate) struct Col {
    pub title: String,
    /// Share of the table width.
    pub frac: f32,
    pub align: Align,
}

impl Composer<'_, '_> {
    /// A table whose rows never split; the header repeats after a page break.
    pub(crate) fn table(
        &mut self,
        cols: &[Col],
        rows: &[Vec<String>],
        bold_last: bool,
    ) -> Result<(), crate::ReportError> {
        let mut t = TableWriter::start_with_rows(self, cols.to_vec(), Some(rows))?;
        let n = rows.len();
        for (i, r) in rows.iter().enumerate() {
            t.row(self, r, bold_last && i + 1 == n)?;
        }
        t.end(self);
        Ok(())
    }
}

/// Writes a table row by row, so that roll-ups can stream rows without holding them.
pub(crate) struct TableWriter {
    cols: Vec<Col>,
    widths: Vec<f32>,
    st: TextStyle,
    pitch: f32,
    pad: f32,
    header_drawn_on: usize,
}

impl TableWriter {
    /// Starts a table whose rows come later (streamed): columns are sized from their headers and
    /// their shares.
    pub(crate) fn start(c: &mut Composer<'_, '_>, cols: Vec<Col>) -> Result<Self, crate::ReportError> {
        Self::start_with_rows(c, cols, None)
    }

    /// Starts a table; with `rows`, columns are sized from the cells too.
    pub(crate) fn start_with_rows(
        c: &mut Composer<'_, '_>,
        cols: Vec<Col>,
        rows: Option<&[Vec<String>]>,
    ) -> Result<Self, crate::ReportError> {
        let st = if c.geo.style == Style::Gbt9704 {
            TextStyle::new(Family::Song, false, 11.0)
        } else {
            TextStyle::new(Family::Song, false, 9.0)
        };
        let pad = 4.0;
        let total_w = c.geo.area.w;
        let widths = column_widths(&mut c.ts, total_w, &cols, rows, &st, pad);
        let pitch = st.size * 1.45;
        let mut t = Self { cols, widths, st, pitch, pad, header_drawn_on: 0 };
        c.space(4.0);
        // Header plus one row must fit together.
        c.ensure(t.pitch * 2.0 + t.pad * 4.0 + 2.0)?;
        c.begin(Role::Table, None);
        t.header(c);
        Ok(t)
    }

    fn cell_lines(&self, c: &mut Composer<'_, '_>, text: &str, i: usize, st: &TextStyle) -> Vec<TextLine> {
        let w = self.widths[i] - 2.0 * self.pad;
        c.ts.paragraph(text, st, w.max(st.size), 0.0, false)
    }

    fn place_row(
        &self,
        c: &mut Composer<'_, '_>,
        cells: Vec<Vec<TextLine>>,
        fill: Option<Rgb>,
        rule: f32,
        cell_role: Role,
    ) {
        let nlines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let h = nlines as f32 * self.pitch + 2.0 * self.pad;
        if let Some(f) = fill {
            let p = c.abs(0.0, 0.0);
            c.page.items.push((p, Item::Rect { w: c.geo.area.w, h, fill: Some(f), stroke: None }));
        }
        let mut x = 0.0;
        c.begin(Role::TR, None);
        for (i, lines) in cells.into_iter().enumerate() {
            c.begin(cell_role, None);
            let cw = self.widths.get(i).copied().unwrap_or(0.0);
            let align = self.cols.get(i).map_or(Align::Left, |c| c.align);
            for (k, l) in lines.into_iter().enumerate() {
                let dx = match align {
                    Align::Left => self.pad,
                    Align::Right => (cw - self.pad - l.width).max(self.pad),
                    Align::Center => ((cw - l.width) / 2.0).max(self.pad),
                };
                let base = self.pad + k as f32 * self.pitch + (self.pitch - l.size) / 2.0 + l.size * ASCENT;
                let p = c.abs(x + dx, base);
                c.push(p, Item::Line(l));
            }
            c.end();
            x += cw;
        }
        c.end();
        c.y += h;
        c.page_has_content = true;
        let p = c.abs(0.0, 0.0);
        c.page.items.push((p, Item::Rule { w: c.geo.area.w, thickness: rule, color: Rgb(0.55, 0.55, 0.55) }));
    }

    fn header(&mut self, c: &mut Composer<'_, '_>) {
        let bold = TextStyle { bold: true, ..self.st };
        let cells: Vec<Vec<TextLine>> = (0..self.cols.len())
            .map(|i| {
                let t = self.cols[i].title.clone();
                self.cell_lines(c, &t, i, &bold)
            })
            .collect();
        let p = c.abs(0.0, 0.0);
        c.page.items.push((p, Item::Rule { w: c.geo.area.w, thickness: 1.0, color: BLACK }));
        let fill = if c.geo.style == Style::Modern { Some(Rgb(0.93, 0.93, 0.93)) } else { None };
        // A header repeated after a page break is an artifact: the table's structure has one.
        let repeat = self.header_drawn_on != 0;
        c.artifact = repeat;
        self.place_row(c, cells, fill, 0.6, Role::TH);
        c.artifact = false;
        self.header_drawn_on = c.page.number;
    }

    /// Adds a row; breaks the page before it (repeating the header) when it does not fit.
    pub(crate) fn row(
        &mut self,
        c: &mut Composer<'_, '_>,
        cells: &[String],
        bold: bool,
    ) -> Result<(), crate::ReportError> {
        let st = TextStyle { bold, ..self.st };
        let max_lines = (((c.geo.area.h - 4.0 * self.pad) / self.pitch) as usize / 2).max(1);
        let mut lines: Vec<Vec<TextLine>> = Vec::with_capacity(self.cols.len());
        for i in 0..self.cols.len() {
            let text = cells.get(i).map_or("", String::as_str);
            let mut l = self.cell_lines(c, text, i, &st);
            if l.len() > max_lines {
                // A row must fit on a page: cut the cell and say so with an ellipsis.
                l.truncate(max_lines);
                if let Some(last) = l.pop() {
                    let t = last.text();
                    let w = self.widths[i] - 2.0 * self.pad;
                    l.push(c.fit_line(&(t + "…"), &st, w));
                }
            }
            lines.push(l);
        }
        let nlines = lines.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let h = nlines as f32 * self.pitch + 2.0 * self.pad;
        if h > c.remaining() + 0.01 {
            self.bottom(c);
            c.new_page()?;
            self.header(c);
        }
        self.place_row(c, lines, None, 0.25, Role::TD);
        Ok(())
    }

    /// Whether a one-line row fits on the page (else [`row`](Self::row) starts a new page with it).
    pub(crate) fn one_line_row_fits(&self, c: &Composer<'_, '_>) -> bool {
        self.pitch + 2.0 * self.pad <= c.remaining() + 0.01
    }

    /// Closes the table (its bottom rule, and its structure element).
    pub(crate) fn end(&self, c: &mut Composer<'_, '_>) {
        self.bottom(c);
        c.end();
    }

    fn bottom(&self, c: &mut Composer<'_, '_>) {
        let p = c.abs(0.0, 0.0);
        c.page.items.push((p, Item::Rule { w: c.geo.area.w, thickness: 1.0, color: BLACK }));
        c.space(6.0);
    }
}

/// Text widths for sizing table columns: the real fonts' (PDF) or an estimate (DOCX, where the
/// reader's fonts set the text).
pub(crate) trait Measure {
    /// Width of `text` on one line, pt.
    fn width(&mut self, text: &str, st: &TextStyle) -> f32;
    /// (Width of the longest unbreakable piece, width of the whole text on one line), pt.
    fn min_width(&mut self, text: &str, st: &TextStyle) -> (f32, f32);
}

impl Measure for super::text::Typesetter<'_> {
    fn width(&mut self, text: &str, st: &TextStyle) -> f32 {
        super::text::Typesetter::width(self, text, st)
    }
    fn min_width(&mut self, text: &str, st: &TextStyle) -> (f32, f32) {
        super::text::Typesetter::min_width(self, text, st)
    }
}

/// Column widths from content. Each column's minimum is its header set on one line and, with rows,
/// its longest unbreakable word, and a cell of up to five characters whole; its natural width is its
/// widest cell on one line. When the natural widths fit they share the rest of the width in
/// proportion; when only the minimums fit, what is left goes to the columns that need it most; only
/// when the minimums do not fit is anything broken.
pub(crate) fn column_widths(
    m: &mut dyn Measure,
    total_w: f32,
    cols: &[Col],
    rows: Option<&[Vec<String>]>,
    st: &TextStyle,
    pad: f32,
) -> Vec<f32> {
    let n = cols.len().max(1);
    let bold = TextStyle { bold: true, ..*st };
    let frac_total: f32 = cols.iter().map(|c| c.frac).sum::<f32>().max(0.0001);
    let mut min = Vec::with_capacity(n);
    let mut natural = Vec::with_capacity(n);
    for (i, col) in cols.iter().enumerate() {
        let head = m.width(&col.title, &bold) + 2.0 * pad + 1.0;
        let (mut lo, mut nat) = (head, head);
        match rows {
            Some(rows) => {
                for r in rows {
                    let text = r.get(i).map_or("", String::as_str);
                    let (word, whole) = m.min_width(text, &bold);
                    let short = if whole <= 5.0 * (st.size + st.tracking) + 0.01 { whole } else { word };
                    lo = lo.max(short + 2.0 * pad + 1.0);
                    nat = nat.max(whole + 2.0 * pad + 1.0);
                }
            }
            // Streamed rows are not known yet: the column's share is its natural width.
            None => nat = nat.max(col.frac / frac_total * total_w),
        }
        min.push(lo);
        natural.push(nat);
    }
    let sum_nat: f32 = natural.iter().sum();
    let sum_min: f32 = min.iter().sum();
    if sum_nat <= total_w {
        return natural.iter().map(|w| w * total_w / sum_nat).collect();
    }
    if sum_min <= total_w {
        let want: f32 = natural.iter().zip(&min).map(|(a, b)| a - b).sum::<f32>().max(0.0001);
        let spare = total_w - sum_min;
        return natural.iter().zip(&min).map(|(a, b)| b + (a - b) / want * spare).collect();
    }
    min.iter().map(|w| w * total_w / sum_min).collect()
}
