//! Tables: a header that repeats after a page break, rows that never split.

use super::{ASCENT, BLACK, Composer, Family, Item, Rgb, TextLine, TextStyle};
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
        let mut t = TableWriter::start(self, cols.to_vec())?;
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
    pub(crate) fn start(c: &mut Composer<'_, '_>, cols: Vec<Col>) -> Result<Self, crate::ReportError> {
        let total: f32 = cols.iter().map(|c| c.frac).sum::<f32>().max(0.0001);
        let widths = cols.iter().map(|col| col.frac / total * c.geo.area.w).collect();
        let st = if c.geo.style == Style::Gbt9704 {
            TextStyle::new(Family::Song, false, 11.0)
        } else {
            TextStyle::new(Family::Song, false, 9.0)
        };
        let pitch = st.size * 1.45;
        let mut t = Self { cols, widths, st, pitch, pad: 4.0, header_drawn_on: 0 };
        c.space(4.0);
        // Header plus one row must fit together.
        c.ensure(t.pitch * 2.0 + t.pad * 4.0 + 2.0)?;
        t.header(c);
        Ok(t)
    }

    fn cell_lines(&self, c: &mut Composer<'_, '_>, text: &str, i: usize, st: &TextStyle) -> Vec<TextLine> {
        let w = self.widths[i] - 2.0 * self.pad;
        c.ts.paragraph(text, st, w.max(st.size), 0.0, false)
    }

    fn place_row(&self, c: &mut Composer<'_, '_>, cells: Vec<Vec<TextLine>>, fill: Option<Rgb>, rule: f32) {
        let nlines = cells.iter().map(Vec::len).max().unwrap_or(1).max(1);
        let h = nlines as f32 * self.pitch + 2.0 * self.pad;
        if let Some(f) = fill {
            let p = c.abs(0.0, 0.0);
            c.page.items.push((p, Item::Rect { w: c.geo.area.w, h, fill: Some(f), stroke: None }));
        }
        let mut x = 0.0;
        for (i, lines) in cells.into_iter().enumerate() {
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
                c.page.items.push((p, Item::Line(l)));
            }
            x += cw;
        }
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
        self.place_row(c, cells, fill, 0.6);
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
            self.end(c);
            c.new_page()?;
            self.header(c);
        }
        self.place_row(c, lines, None, 0.25);
        Ok(())
    }

    /// Whether a one-line row fits on the page (else [`row`](Self::row) starts a new page with it).
    pub(crate) fn one_line_row_fits(&self, c: &Composer<'_, '_>) -> bool {
        self.pitch + 2.0 * self.pad <= c.remaining() + 0.01
    }

    pub(crate) fn end(&self, c: &mut Composer<'_, '_>) {
        let p = c.abs(0.0, 0.0);
        c.page.items.push((p, Item::Rule { w: c.geo.area.w, thickness: 1.0, color: BLACK }));
        c.space(6.0);
    }
}
