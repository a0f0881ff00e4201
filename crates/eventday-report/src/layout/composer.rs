//! The composer: places blocks (paragraphs, headings, key figures ...) on pages, breaking pages as
//! needed, and hands each finished page to a sink. Tables and charts are in their own modules.

use std::collections::BTreeSet;

use super::text::Typesetter;
use super::{ASCENT, Family, Geometry, Item, MM, Metrics, Page, Point, Rgb, TextLine, TextStyle};
use crate::{Lang, Style};

/// A sink for finished pages.
pub(crate) type PageSink<'s> = dyn FnMut(Page) -> Result<(), crate::ReportError> + 's;

/// Places blocks on pages, breaking pages as needed, and hands each finished page to a sink.
pub(crate) struct Composer<'a, 's> {
    pub ts: Typesetter<'a>,
    pub geo: Geometry,
    pub lang: Lang,
    pub(super) page: Page,
    /// Cursor below the area's top, pt.
    pub(super) y: f32,
    sink: &'s mut PageSink<'s>,
    pub pages_done: usize,
    /// Repeated table header (columns, style) for tables running over a page break.
    pub(super) page_has_content: bool,
}

impl<'a, 's> Composer<'a, 's> {
    pub(crate) fn new(
        metrics: &'a dyn Metrics,
        lang: Lang,
        style: Style,
        sink: &'s mut PageSink<'s>,
    ) -> Self {
        let geo = Geometry::for_style(style);
        let page =
            Page { width: geo.page_w, height: geo.page_h, area: geo.area, number: 1, items: Vec::new() };
        Self {
            ts: Typesetter::new(metrics, lang),
            geo,
            lang,
            page,
            y: 0.0,
            sink,
            pages_done: 0,
            page_has_content: false,
        }
    }

    pub(super) fn remaining(&self) -> f32 {
        self.geo.area.h - self.y
    }

    pub(super) fn abs(&self, dx: f32, dy: f32) -> Point {
        Point { x: self.geo.area.x + dx, y: self.geo.area.y + self.y + dy }
    }

    /// Finishes the current page (adds its number) and starts a new one.
    pub(crate) fn new_page(&mut self) -> Result<(), crate::ReportError> {
        let number = self.page.number;
        let folio_text = format!("— {number} —");
        let line = self.ts.line(&folio_text, &self.geo.folio);
        let a = self.geo.area;
        let x = match self.geo.style {
            // GB/T 9704: outside edge, one character in from the type area's edge.
            Style::Gbt9704 => {
                if number % 2 == 1 {
                    a.x + a.w - line.width - self.geo.folio.size
                } else {
                    a.x + self.geo.folio.size
                }
            }
            Style::Modern => a.x + (a.w - line.width) / 2.0,
        };
        let y = a.y + a.h + 7.0 * MM + self.geo.folio.size * ASCENT;
        self.page.items.push((Point { x, y }, Item::Folio(line)));
        let next = Page {
            width: self.geo.page_w,
            height: self.geo.page_h,
            area: a,
            number: number + 1,
            items: Vec::new(),
        };
        let done = std::mem::replace(&mut self.page, next);
        self.pages_done += 1;
        (self.sink)(done)?;
        self.y = 0.0;
        self.page_has_content = false;
        Ok(())
    }

    /// Finishes the last page.
    pub(crate) fn finish(mut self) -> Result<(usize, BTreeSet<char>), crate::ReportError> {
        self.new_page()?;
        Ok((self.pages_done, std::mem::take(&mut self.ts.missing)))
    }

    /// Starts a new page unless `h` more points fit.
    pub(super) fn ensure(&mut self, h: f32) -> Result<(), crate::ReportError> {
        if h > self.remaining() + 0.01 && self.page_has_content {
            self.new_page()?;
        }
        Ok(())
    }

    pub(crate) fn space(&mut self, h: f32) {
        if self.page_has_content {
            self.y = (self.y + h).min(self.geo.area.h);
        }
    }

    pub(super) fn put_line(&mut self, line: TextLine, dx: f32, pitch: f32) {
        let size = line.size;
        let base = (pitch - size) / 2.0 + size * ASCENT;
        let p = self.abs(dx, base);
        self.page.items.push((p, Item::Line(line)));
        self.y += pitch;
        self.page_has_content = true;
    }

    /// Lines of one paragraph with widow/orphan control: at least two lines on either side of a break.
    pub(super) fn put_lines(&mut self, lines: Vec<TextLine>, pitch: f32) -> Result<(), crate::ReportError> {
        let mut left = lines.len();
        let mut it = lines.into_iter();
        while left > 0 {
            let fit = (self.remaining() / pitch + 0.001).floor().max(0.0) as usize;
            let take = if left <= fit {
                left
            } else if !self.page_has_content {
                fit.max(1)
            } else {
                let t = fit.min(left.saturating_sub(2));
                if t >= 2 { t } else { 0 }
            };
            if take == 0 {
                self.new_page()?;
                continue;
            }
            for l in it.by_ref().take(take) {
                self.put_line(l, 0.0, pitch);
            }
            left -= take;
            if left > 0 {
                self.new_page()?;
            }
        }
        Ok(())
    }

    /// A body paragraph with a two-character first-line indent.
    pub(crate) fn paragraph(&mut self, text: &str) -> Result<(), crate::ReportError> {
        let st = self.geo.body;
        let indent = 2.0 * (st.size + st.tracking);
        let lines = self.ts.paragraph(text, &st, self.geo.area.w, indent, true);
        self.put_lines(lines, self.geo.body_pitch)
    }

    /// A body paragraph without indent (the 主送 and 抄送 lines).
    pub(crate) fn flush(&mut self, text: &str) -> Result<(), crate::ReportError> {
        let st = self.geo.body;
        let lines = self.ts.paragraph(text, &st, self.geo.area.w, 0.0, true);
        self.put_lines(lines, self.geo.body_pitch)
    }

    /// A small-print paragraph (notes under tables), no indent.
    pub(crate) fn note(&mut self, text: &str) -> Result<(), crate::ReportError> {
        let st = self.geo.small;
        let lines = self.ts.paragraph(text, &st, self.geo.area.w, 0.0, true);
        self.put_lines(lines, self.geo.small_pitch)
    }

    /// A centred block (title, subtitle).
    pub(crate) fn centered(
        &mut self,
        text: &str,
        st: TextStyle,
        pitch: f32,
    ) -> Result<(), crate::ReportError> {
        let lines = self.ts.paragraph(text, &st, self.geo.area.w, 0.0, false);
        for l in lines {
            self.ensure(pitch)?;
            let dx = ((self.geo.area.w - l.width) / 2.0).max(0.0);
            self.put_line(l, dx, pitch);
        }
        Ok(())
    }

    /// A right-aligned line (signature block).
    pub(crate) fn right(&mut self, text: &str) -> Result<(), crate::ReportError> {
        let st = self.geo.body;
        let pitch = self.geo.body_pitch;
        let lines = self.ts.paragraph(text, &st, self.geo.area.w, 0.0, false);
        for l in lines {
            self.ensure(pitch)?;
            let margin = if self.geo.style == Style::Gbt9704 { 4.0 * (st.size + st.tracking) } else { 0.0 };
            let dx = (self.geo.area.w - l.width - margin).max(0.0);
            self.put_line(l, dx, pitch);
        }
        Ok(())
    }

    /// A heading (level 1 or 2) kept with at least two lines of what follows.
    pub(crate) fn heading(&mut self, text: &str, level: u8) -> Result<(), crate::ReportError> {
        let st = if level == 1 { self.geo.h1 } else { self.geo.h2 };
        let pitch = self.geo.body_pitch.max(st.size * 1.5);
        let indent = if self.geo.style == Style::Gbt9704 { 2.0 * (st.size + st.tracking) } else { 0.0 };
        if self.geo.style == Style::Modern && level == 1 {
            self.space(6.0);
        }
        let lines = self.ts.paragraph(text, &st, self.geo.area.w, indent, false);
        let keep = 2.0 * self.geo.body_pitch;
        self.ensure(lines.len() as f32 * pitch + keep)?;
        let accent = self.geo.style == Style::Modern && level == 1;
        let y0 = self.y;
        self.put_lines(lines, pitch)?;
        if accent && self.y > y0 {
            let p = self.abs(0.0, 0.0);
            self.page.items.push((
                Point { x: p.x, y: p.y - 1.0 },
                Item::Rule { w: self.geo.area.w, thickness: 0.6, color: self.geo.accent },
            ));
            self.space(3.0);
        }
        Ok(())
    }

    /// Height of a level-1 heading block as [`heading`](Self::heading) places it (one line).
    pub(crate) fn heading_height(&self) -> f32 {
        let pitch = self.geo.body_pitch.max(self.geo.h1.size * 1.5);
        if self.geo.style == Style::Modern { pitch + 9.0 } else { pitch }
    }

    /// Starts a new page unless a block of `h` pt fits on this one; a block taller than a page is left
    /// to break where it must.
    pub(crate) fn keep_together(&mut self, h: f32) -> Result<(), crate::ReportError> {
        if h <= self.geo.area.h { self.ensure(h) } else { Ok(()) }
    }

    /// One unbroken line, shortened with an ellipsis to fit `max` pt.
    pub(crate) fn fit_line(&mut self, text: &str, st: &TextStyle, max: f32) -> TextLine {
        let l = self.ts.line(text, st);
        if l.width <= max {
            return l;
        }
        let chars: Vec<char> = text.chars().collect();
        let (mut lo, mut hi) = (0usize, chars.len());
        while lo < hi {
            let mid = (lo + hi).div_ceil(2);
            let s: String = chars[..mid].iter().collect::<String>() + "…";
            if self.ts.width(&s, st) <= max { lo = mid } else { hi = mid - 1 }
        }
        let s: String = chars[..lo].iter().collect::<String>() + "…";
        self.ts.line(&s, st)
    }

    /// Key figures as a grid of boxes (the modern cover block).
    pub(crate) fn key_figures(&mut self, figs: &[(String, String)]) -> Result<(), crate::ReportError> {
        if figs.is_empty() {
            return Ok(());
        }
        let per_row = 3usize;
        let gap = 6.0;
        let bw = (self.geo.area.w - gap * (per_row as f32 - 1.0)) / per_row as f32;
        let bh = 52.0;
        let big = TextStyle::new(Family::Song, true, 17.0).color(self.geo.accent);
        let small = self.geo.small;
        for chunk in figs.chunks(per_row) {
            self.ensure(bh + gap)?;
            self.page_has_content = true;
            for (i, (value, label)) in chunk.iter().enumerate() {
                let x = i as f32 * (bw + gap);
                let p = self.abs(x, 0.0);
                self.page.items.push((
                    p,
                    Item::Rect {
                        w: bw,
                        h: bh,
                        fill: Some(Rgb(0.97, 0.95, 0.94)),
                        stroke: Some((Rgb(0.85, 0.8, 0.78), 0.5)),
                    },
                ));
                let v = self.fit_line(value, &big, bw - 8.0);
                let p = self.abs(x + (bw - v.width) / 2.0, 8.0 + 17.0 * ASCENT);
                self.page.items.push((p, Item::Line(v)));
                let l = self.fit_line(label, &small, bw - 8.0);
                let p = self.abs(x + (bw - l.width) / 2.0, 33.0 + small.size * ASCENT);
                self.page.items.push((p, Item::Line(l)));
            }
            self.y += bh + gap;
        }
        Ok(())
    }
}
