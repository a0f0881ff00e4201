//! The composer: places blocks (paragraphs, headings, key figures ...) on pages, breaking pages as
//! needed, and hands each finished page to a sink. Tables and charts are in their own modules.

use std::collections::BTreeSet;

use super::text::Typesetter;
use super::{
    ASCENT, Family, Geometry, Item, MM, Mark, Metrics, Page, Point, Rgb, Role, StructElem, TextLine,
    TextStyle,
};
use crate::{Lang, Style};

/// A sink for finished pages.
pub(crate) type PageSink<'s> = dyn FnMut(Page) -> Result<(), crate::ReportError> + 's;

/// Lays out a document kept in memory page by page (a campaign report, a printed sheet): `body`
/// places its blocks on a fresh composer. Returns the pages and the characters no face has.
pub(crate) fn in_memory(
    metrics: &dyn Metrics,
    lang: Lang,
    style: Style,
    body: impl FnOnce(&mut Composer<'_, '_>) -> Result<(), crate::ReportError>,
) -> Result<(Vec<Page>, BTreeSet<char>), crate::ReportError> {
    let mut pages = Vec::new();
    let mut sink = |p: Page| -> Result<(), crate::ReportError> {
        pages.push(p);
        Ok(())
    };
    let missing = {
        let mut c = Composer::new(metrics, lang, style, &mut sink);
        body(&mut c)?;
        c.finish()?.1
    };
    Ok((pages, missing))
}

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
    /// Open structure elements, outermost first.
    stack: Vec<u32>,
    next_elem: u32,
    /// Items pushed now are artifacts even inside an open element (repeated table headers).
    pub(super) artifact: bool,
    /// Height that must follow the next paragraph's last lines on their page (the signature
    /// after the closing paragraph); taken by that paragraph.
    follow: f32,
    /// The table being streamed row by row through [`super::Compose::table_row`] (a roll-up's).
    pub(super) streamed: Option<super::table::TableWriter>,
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
            Page { width: geo.page_w, height: geo.page_h, area: geo.area, number: 1, ..Page::default() };
        Self {
            ts: Typesetter::new(metrics, lang),
            geo,
            lang,
            page,
            y: 0.0,
            sink,
            pages_done: 0,
            page_has_content: false,
            stack: Vec::new(),
            next_elem: 1,
            artifact: false,
            follow: 0.0,
            streamed: None,
        }
    }

    /// Opens a structure element inside the current one; what is drawn until [`end`](Self::end) is
    /// its content.
    pub(crate) fn begin(&mut self, role: Role, alt: Option<String>) {
        let id = self.next_elem;
        self.next_elem += 1;
        let parent = self.stack.last().copied().unwrap_or(0);
        self.page.elems.push(StructElem { id, parent, role, alt });
        self.stack.push(id);
    }

    /// Closes the innermost open structure element.
    pub(crate) fn end(&mut self) {
        if let Some(id) = self.stack.pop() {
            self.page.closed.push(id);
        }
    }

    /// Draws an item; it is content of the innermost open element (an artifact when none is open).
    pub(crate) fn push(&mut self, p: Point, item: Item) {
        let i = self.page.items.len();
        self.page.items.push((p, item));
        let Some(&elem) = self.stack.last() else { return };
        if self.artifact {
            return;
        }
        match self.page.marks.last_mut() {
            Some(m) if m.elem == elem && m.end == i => m.end = i + 1,
            _ => self.page.marks.push(Mark { start: i, end: i + 1, elem }),
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
            ..Page::default()
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
        while !self.stack.is_empty() {
            self.end();
        }
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
        self.push(p, Item::Line(line));
        self.y += pitch;
        self.page_has_content = true;
    }

    /// Lines of one paragraph with widow/orphan control: at least two lines on either side of a break.
    pub(super) fn put_lines(&mut self, lines: Vec<TextLine>, pitch: f32) -> Result<(), crate::ReportError> {
        let follow = std::mem::take(&mut self.follow);
        let mut left = lines.len();
        let mut it = lines.into_iter();
        while left > 0 {
            let fit = (self.remaining() / pitch + 0.001).floor().max(0.0) as usize;
            let take = if left <= fit
                && follow > 0.0
                && self.page_has_content
                && left as f32 * pitch + follow > self.remaining() + 0.01
            {
                // The rest fits but what must follow it does not: its last two lines go over
                // with it (two lines stay here, or none).
                let t = left.saturating_sub(2);
                if t >= 2 { t } else { 0 }
            } else if left <= fit {
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
        self.begin(Role::P, None);
        let r = self.put_lines(lines, self.geo.body_pitch);
        self.end();
        r
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
        self.begin(Role::P, None);
        let r = self.put_lines(lines, self.geo.small_pitch);
        self.end();
        r
    }

    /// A centred block (title, subtitle).
    pub(crate) fn centered(
        &mut self,
        text: &str,
        st: TextStyle,
        pitch: f32,
    ) -> Result<(), crate::ReportError> {
        let lines = self.balanced(text, &st, self.geo.area.w);
        // The title is the document's one H1; other centred lines are paragraphs.
        self.begin(if st == self.geo.title { Role::H1 } else { Role::P }, None);
        for l in lines {
            self.ensure(pitch)?;
            let dx = ((self.geo.area.w - l.width) / 2.0).max(0.0);
            self.put_line(l, dx, pitch);
        }
        self.end();
        Ok(())
    }

    /// Lines of a centred block, balanced: the narrowest measure that still gives as few lines as the
    /// full width, so a title never leaves one or two characters alone on its last line.
    pub(crate) fn balanced(&mut self, text: &str, st: &TextStyle, width: f32) -> Vec<TextLine> {
        let lines = self.ts.paragraph(text, st, width, 0.0, false);
        let n = lines.len();
        if n < 2 {
            return lines;
        }
        let (mut lo, mut hi) = (width / n as f32, width);
        for _ in 0..14 {
            let mid = (lo + hi) / 2.0;
            if self.ts.paragraph(text, st, mid, 0.0, false).len() <= n { hi = mid } else { lo = mid }
        }
        self.ts.paragraph(text, st, hi, 0.0, false)
    }

    /// A right-aligned line (signature block).
    pub(crate) fn right(&mut self, text: &str) -> Result<(), crate::ReportError> {
        let st = self.geo.body;
        let pitch = self.geo.body_pitch;
        let lines = self.ts.paragraph(text, &st, self.geo.area.w, 0.0, false);
        self.begin(Role::P, None);
        for l in lines {
            self.ensure(pitch)?;
            let margin = if self.geo.style == Style::Gbt9704 { 4.0 * (st.size + st.tracking) } else { 0.0 };
            let dx = (self.geo.area.w - l.width - margin).max(0.0);
            self.put_line(l, dx, pitch);
        }
        self.end();
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
        self.begin(if level == 1 { Role::H2 } else { Role::H3 }, None);
        let r = self.put_lines(lines, pitch);
        self.end();
        r?;
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

    /// Keeps the next paragraph's last lines on one page with `h` points after them (a page
    /// never holds the signature alone).
    pub(crate) fn keep_with_next_paragraph(&mut self, h: f32) {
        self.follow = h;
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
                self.begin(Role::P, None);
                let v = self.fit_line(value, &big, bw - 8.0);
                let p = self.abs(x + (bw - v.width) / 2.0, 8.0 + 17.0 * ASCENT);
                self.push(p, Item::Line(v));
                let l = self.fit_line(label, &small, bw - 8.0);
                let p = self.abs(x + (bw - l.width) / 2.0, 33.0 + small.size * ASCENT);
                self.push(p, Item::Line(l));
                self.end();
            }
            self.y += bh + gap;
        }
        Ok(())
    }
}
