//! Pure layout: text, tables and charts become pages of positioned lines, rules and boxes.
//!
//! Coordinates are PDF points (1/72 in) with the origin at the page's top-left corner and `y` growing
//! downwards; the PDF stage flips them. Nothing here knows about PDF or printpdf: glyph advances come in
//! through the [`Metrics`] trait, so tests can check the geometry without producing bytes.

use std::collections::{BTreeSet, HashMap};

use crate::{Lang, Style};

mod content;
mod rollup;

pub use content::{chinese_number, figure_list, layout_report, title_text};
pub use rollup::{layout_rollup, rollup_title};

/// Millimetres to points.
pub const MM: f32 = 72.0 / 25.4;

/// A font face the report uses.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Face {
    /// FandolSong Regular (宋体).
    SongRegular,
    /// FandolSong Bold.
    SongBold,
    /// FandolFang Regular (仿宋).
    Fang,
    /// Liberation Serif Regular, for Latin letters and digits.
    LatinRegular,
    /// Liberation Serif Bold.
    LatinBold,
    /// The system Noto Serif CJK SC, for characters Fandol lacks.
    Fallback,
}

/// Glyph advance widths from the real fonts.
pub trait Metrics {
    /// Advance width of `ch` in `face`, in em; `None` when the face has no glyph for it.
    fn advance(&self, face: Face, ch: char) -> Option<f32>;
}

/// A point on the page, in pt from the top-left corner.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Point {
    /// Distance from the left edge.
    pub x: f32,
    /// Distance from the top edge.
    pub y: f32,
}

/// An axis-aligned rectangle, in pt from the top-left corner.
#[derive(Debug, Clone, Copy, PartialEq, Default)]
pub struct Area {
    /// Left.
    pub x: f32,
    /// Top.
    pub y: f32,
    /// Width.
    pub w: f32,
    /// Height.
    pub h: f32,
}

/// An RGB colour, components 0..=1.
#[derive(Debug, Clone, Copy, PartialEq)]
pub struct Rgb(pub f32, pub f32, pub f32);

/// Black.
pub const BLACK: Rgb = Rgb(0.0, 0.0, 0.0);

/// One laid-out page.
#[derive(Debug, Clone, PartialEq, Default)]
pub struct Page {
    /// Page width in pt.
    pub width: f32,
    /// Page height in pt.
    pub height: f32,
    /// The type area everything but the page number must stay inside.
    pub area: Area,
    /// 1-based page number.
    pub number: usize,
    /// What is drawn, and where.
    pub items: Vec<(Point, Item)>,
}

/// Something drawn on a page.
#[derive(Debug, Clone, PartialEq)]
pub enum Item {
    /// A line of text; the point is the left end of its baseline.
    Line(TextLine),
    /// The page number line (outside the type area by design); the point is the left end of its baseline.
    Folio(TextLine),
    /// A rectangle; the point is its top-left corner.
    Rect {
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// Fill colour.
        fill: Option<Rgb>,
        /// Outline colour and width.
        stroke: Option<(Rgb, f32)>,
    },
    /// A horizontal rule; the point is its left end.
    Rule {
        /// Length.
        w: f32,
        /// Thickness.
        thickness: f32,
        /// Colour.
        color: Rgb,
    },
}

/// A line of text made of runs, each in one face.
#[derive(Debug, Clone, PartialEq)]
pub struct TextLine {
    /// The runs, left to right.
    pub runs: Vec<Run>,
    /// Total width in pt.
    pub width: f32,
    /// Font size in pt (the largest of the runs).
    pub size: f32,
    /// Text colour.
    pub color: Rgb,
}

impl TextLine {
    /// The line's text, runs concatenated (missing glyphs included as their characters).
    #[must_use]
    pub fn text(&self) -> String {
        self.runs.iter().map(|r| r.text.as_str()).collect()
    }
}

/// Characters in one face at one size, drawn from `x` (relative to the line start).
#[derive(Debug, Clone, PartialEq)]
pub struct Run {
    /// Offset from the line's start, pt.
    pub x: f32,
    /// The characters.
    pub text: String,
    /// The face; `None` for characters no font has (drawn as a box, one per character).
    pub face: Option<Face>,
    /// Font size, pt.
    pub size: f32,
    /// Extra space after every character but the last (justification and tracking), pt.
    pub gap: f32,
    /// Width of the run, pt.
    pub width: f32,
}

/// Font family of a text style.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(crate) enum Family {
    Song,
    Fang,
}

/// How a piece of text is set.
#[derive(Debug, Clone, Copy, PartialEq)]
pub(crate) struct TextStyle {
    pub family: Family,
    pub bold: bool,
    pub size: f32,
    /// Extra advance after each CJK character (GB/T 9704 fits 28 characters into 156 mm).
    pub tracking: f32,
    pub color: Rgb,
}

impl TextStyle {
    pub(crate) fn new(family: Family, bold: bool, size: f32) -> Self {
        Self { family, bold, size, tracking: 0.0, color: BLACK }
    }
    pub(crate) fn color(mut self, c: Rgb) -> Self {
        self.color = c;
        self
    }
    pub(crate) fn size(mut self, s: f32) -> Self {
        self.size = s;
        self
    }
}

/// Page geometry and type styles of one report style.
#[derive(Debug, Clone, PartialEq)]
pub(crate) struct Geometry {
    pub style: Style,
    pub page_w: f32,
    pub page_h: f32,
    pub area: Area,
    pub title: TextStyle,
    pub h1: TextStyle,
    pub h2: TextStyle,
    pub body: TextStyle,
    pub body_pitch: f32,
    pub small: TextStyle,
    pub small_pitch: f32,
    pub folio: TextStyle,
    pub accent: Rgb,
}

impl Geometry {
    pub(crate) fn for_style(style: Style) -> Self {
        let (page_w, page_h) = (210.0 * MM, 297.0 * MM);
        match style {
            Style::Gbt9704 => {
                let area = Area { x: 28.0 * MM, y: 37.0 * MM, w: 156.0 * MM, h: 225.0 * MM };
                let mut body = TextStyle::new(Family::Fang, false, 16.0);
                // 28 characters per line: the grid pitch is 156 mm / 28, a hair under 16 pt.
                body.tracking = area.w / 28.0 - 16.0;
                let mut h2 = TextStyle::new(Family::Song, true, 16.0);
                h2.tracking = body.tracking;
                let mut h1 = TextStyle::new(Family::Song, true, 16.0);
                h1.tracking = body.tracking;
                Self {
                    style,
                    page_w,
                    page_h,
                    area,
                    title: TextStyle::new(Family::Song, true, 22.0),
                    h1,
                    h2,
                    body,
                    // 22 lines in 225 mm.
                    body_pitch: area.h / 22.0,
                    small: TextStyle::new(Family::Song, false, 10.5),
                    small_pitch: 15.0,
                    folio: TextStyle::new(Family::Song, false, 14.0),
                    accent: BLACK,
                }
            }
            Style::Modern => {
                let area = Area { x: 20.0 * MM, y: 20.0 * MM, w: 170.0 * MM, h: 252.0 * MM };
                let accent = Rgb(0.70, 0.09, 0.11);
                Self {
                    style,
                    page_w,
                    page_h,
                    area,
                    title: TextStyle::new(Family::Song, true, 20.0),
                    h1: TextStyle::new(Family::Song, true, 13.5).color(accent),
                    h2: TextStyle::new(Family::Song, true, 11.0),
                    body: TextStyle::new(Family::Song, false, 10.5),
                    body_pitch: 18.0,
                    small: TextStyle::new(Family::Song, false, 9.0),
                    small_pitch: 13.0,
                    folio: TextStyle::new(Family::Song, false, 9.0),
                    accent,
                }
            }
        }
    }
}

/// Ascent and descent as a share of the font size, for placing baselines and checking bounds.
pub const ASCENT: f32 = 0.88;
/// See [`ASCENT`].
pub const DESCENT: f32 = 0.12;

/// Lines may not start with these.
pub const NO_START: &str = "、，。．；：！？）］｝」』”’》〉】〕〗…—～·,.;:!?)]}%‰℃°々ー";
/// Lines may not end with these.
pub const NO_END: &str = "（［｛「『“‘《〈【〔〖([{";

pub(crate) fn is_no_start(c: char) -> bool {
    NO_START.contains(c)
}
pub(crate) fn is_no_end(c: char) -> bool {
    NO_END.contains(c)
}

/// Characters that are set as parts of Latin words (never broken inside a word).
fn is_word_char(c: char) -> bool {
    (c.is_ascii_graphic() && !matches!(c, '(' | '[' | '{')) || matches!(c, '\u{00C0}'..='\u{024F}')
}

/// Characters that take the Latin face.
fn is_latin(c: char, lang: Lang) -> bool {
    let c32 = c as u32;
    // The middle dot of “3·15” is a full-width CJK glyph in Chinese and a Latin one in English.
    c32 < 0x250 && (c != '\u{00B7}' || lang == Lang::En)
        || (lang == Lang::En && (0x2000..0x2070).contains(&c32))
}

/// A shaped character.
#[derive(Debug, Clone, Copy)]
struct Glyph {
    ch: char,
    face: Option<Face>,
    w: f32,
    cjk: bool,
}

/// Measures and breaks text; remembers characters no font has.
pub(crate) struct Typesetter<'a> {
    metrics: &'a dyn Metrics,
    lang: Lang,
    cache: HashMap<(Face, char), Option<f32>>,
    pub missing: BTreeSet<char>,
}

impl<'a> Typesetter<'a> {
    pub(crate) fn new(metrics: &'a dyn Metrics, lang: Lang) -> Self {
        Self { metrics, lang, cache: HashMap::new(), missing: BTreeSet::new() }
    }

    fn adv(&mut self, face: Face, ch: char) -> Option<f32> {
        let m = self.metrics;
        *self.cache.entry((face, ch)).or_insert_with(|| m.advance(face, ch))
    }

    fn shape(&mut self, text: &str, st: &TextStyle) -> Vec<Glyph> {
        let mut out = Vec::with_capacity(text.len());
        for ch in text.chars() {
            let ch = if ch.is_whitespace() { ' ' } else { ch };
            if ch.is_control() || matches!(ch, '\u{200B}'..='\u{200F}' | '\u{FE00}'..='\u{FE0F}' | '\u{FEFF}')
            {
                continue;
            }
            let latin = if st.bold { Face::LatinBold } else { Face::LatinRegular };
            let cjk = match (st.family, st.bold) {
                (Family::Fang, _) => Face::Fang,
                (Family::Song, true) => Face::SongBold,
                (Family::Song, false) => Face::SongRegular,
            };
            let order: &[Face] = if is_latin(ch, self.lang) {
                &[latin, cjk, Face::SongRegular, Face::Fallback]
            } else {
                &[cjk, Face::SongRegular, Face::Fallback, latin]
            };
            let mut found = None;
            for &f in order {
                if let Some(a) = self.adv(f, ch) {
                    found = Some((f, a));
                    break;
                }
            }
            // In English, quotes, dashes and the middle dot belong to the words around them: no break
            // opportunity and no justification space next to them.
            let en_punct = self.lang == Lang::En && is_latin(ch, Lang::En);
            let is_cjk = !is_word_char(ch) && !en_punct && ch != ' ';
            match found {
                Some((f, a)) => {
                    let t = if is_cjk { st.tracking } else { 0.0 };
                    out.push(Glyph { ch, face: Some(f), w: a * st.size + t, cjk: is_cjk });
                }
                None => {
                    self.missing.insert(ch);
                    out.push(Glyph { ch, face: None, w: st.size + st.tracking.max(0.0), cjk: true });
                }
            }
        }
        out
    }

    /// Natural width of a single-line text.
    pub(crate) fn width(&mut self, text: &str, st: &TextStyle) -> f32 {
        self.shape(text, st).iter().map(|g| g.w).sum()
    }

    /// One line, unbroken and unjustified (for labels and numbers).
    pub(crate) fn line(&mut self, text: &str, st: &TextStyle) -> TextLine {
        let g = self.shape(text, st);
        build_line(&g, st, 0.0, false)
    }

    /// Breaks `text` into lines no wider than `width` (the first line `indent` narrower), justified
    /// except the last.
    pub(crate) fn paragraph(
        &mut self,
        text: &str,
        st: &TextStyle,
        width: f32,
        indent: f32,
        justify: bool,
    ) -> Vec<TextLine> {
        let g = self.shape(text, st);
        let ranges = break_lines(&g, width, indent);
        let n = ranges.len();
        let mut lines = Vec::with_capacity(n);
        for (i, (a, b)) in ranges.into_iter().enumerate() {
            let avail = if i == 0 { width - indent } else { width };
            let mut line = build_line(&g[a..b], st, avail, justify && i + 1 < n);
            if i == 0 && indent > 0.0 {
                for r in &mut line.runs {
                    r.x += indent;
                }
                line.width += indent;
            }
            lines.push(line);
        }
        lines
    }
}

fn can_break_before(g: &[Glyph], i: usize) -> bool {
    if i == 0 || i >= g.len() {
        return false;
    }
    let (p, c) = (g[i - 1], g[i]);
    if c.ch == ' ' || is_no_start(c.ch) || is_no_end(p.ch) {
        return false;
    }
    if p.ch == ' ' {
        return true;
    }
    // Inside a Latin word (digits included) there is no break.
    !((!p.cjk) && (!c.cjk))
}

/// Greedy line breaking with kinsoku; returns glyph index ranges (trailing/leading spaces dropped).
fn break_lines(g: &[Glyph], width: f32, indent: f32) -> Vec<(usize, usize)> {
    let mut out = Vec::new();
    let mut start = 0;
    let n = g.len();
    while start < n && g[start].ch == ' ' {
        start += 1;
    }
    while start < n {
        let avail = if out.is_empty() { width - indent } else { width };
        let mut w = 0.0;
        let mut last_break = None;
        let mut i = start;
        let mut end = n;
        while i < n {
            if i > start && can_break_before(g, i) {
                last_break = Some(i);
            }
            w += g[i].w;
            // Spaces at the end of a line may hang into the margin.
            if w > avail + 0.01 && g[i].ch != ' ' {
                end = match last_break {
                    Some(b) if b > start => b,
                    _ => emergency_break(g, start, i),
                };
                break;
            }
            i += 1;
        }
        let mut e = end;
        while e > start && g[e - 1].ch == ' ' {
            e -= 1;
        }
        if e > start {
            out.push((start, e));
        }
        start = end.max(start + 1);
        while start < n && g[start].ch == ' ' {
            start += 1;
        }
    }
    out
}

/// No allowed break fits: cut at `i` (the first glyph that overflows), moving back over forbidden pairs.
fn emergency_break(g: &[Glyph], start: usize, i: usize) -> usize {
    if i <= start {
        return start + 1;
    }
    let mut j = i;
    while j > start + 1 && (is_no_start(g[j].ch) || is_no_end(g[j - 1].ch)) {
        j -= 1;
    }
    if j > start + 1 || !(is_no_start(g[j].ch) || is_no_end(g[j - 1].ch)) { j } else { i }
}

fn build_line(g: &[Glyph], st: &TextStyle, avail: f32, justify: bool) -> TextLine {
    // Widths are grid cells: with GB/T 9704's 28-character grid the last glyph's advance may poke
    // 0.2 pt past its cell, inside its own side bearing.
    let natural: f32 = g.iter().map(|x| x.w).sum();
    let mut extra = 0.0;
    let mut gaps = vec![false; g.len()];
    if justify && natural < avail {
        let mut count = 0usize;
        for i in 1..g.len() {
            let (p, c) = (g[i - 1], g[i]);
            if p.cjk || c.cjk || p.ch == ' ' {
                gaps[i - 1] = true;
                count += 1;
            }
        }
        if count > 0 {
            let e = (avail - natural) / count as f32;
            // A line with a few huge gaps looks worse than a ragged one.
            if e <= st.size * 1.2 {
                extra = e;
            }
        }
    }
    let tracked = |gl: &Glyph| {
        if gl.cjk && gl.face.is_some() { st.tracking } else { 0.0 }
    };
    let after: Vec<f32> =
        g.iter().enumerate().map(|(i, gl)| if gaps[i] { extra } else { 0.0 } + tracked(gl)).collect();
    let mut runs: Vec<Run> = Vec::new();
    let mut x = 0.0f32;
    for (i, gl) in g.iter().enumerate() {
        let adv = gl.w - tracked(gl);
        let prev_after = if i > 0 { after[i - 1] } else { 0.0 };
        let joined = match runs.last_mut() {
            Some(r) if gl.face.is_some() && r.face == gl.face => {
                let single = r.text.chars().count() == 1;
                if single || (r.gap - prev_after).abs() < 1e-4 {
                    if single {
                        r.gap = prev_after;
                    }
                    r.text.push(gl.ch);
                    r.width = x + gl.w - r.x;
                    true
                } else {
                    false
                }
            }
            _ => false,
        };
        if !joined {
            runs.push(Run {
                x,
                text: gl.ch.to_string(),
                face: gl.face,
                size: st.size,
                gap: 0.0,
                width: gl.w,
            });
        }
        x += adv + after[i];
    }
    let width = runs.last().map_or(0.0, |r| r.x + r.width);
    TextLine { runs, width, size: st.size, color: st.color }
}

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

/// A sink for finished pages.
pub(crate) type PageSink<'s> = dyn FnMut(Page) -> Result<(), crate::ReportError> + 's;

/// Places blocks on pages, breaking pages as needed, and hands each finished page to a sink.
pub(crate) struct Composer<'a, 's> {
    pub ts: Typesetter<'a>,
    pub geo: Geometry,
    pub lang: Lang,
    page: Page,
    /// Cursor below the area's top, pt.
    y: f32,
    sink: &'s mut PageSink<'s>,
    pub pages_done: usize,
    /// Repeated table header (columns, style) for tables running over a page break.
    page_has_content: bool,
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

    fn remaining(&self) -> f32 {
        self.geo.area.h - self.y
    }

    fn abs(&self, dx: f32, dy: f32) -> Point {
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
    fn ensure(&mut self, h: f32) -> Result<(), crate::ReportError> {
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

    fn put_line(&mut self, line: TextLine, dx: f32, pitch: f32) {
        let size = line.size;
        let base = (pitch - size) / 2.0 + size * ASCENT;
        let p = self.abs(dx, base);
        self.page.items.push((p, Item::Line(line)));
        self.y += pitch;
        self.page_has_content = true;
    }

    /// Lines of one paragraph with widow/orphan control: at least two lines on either side of a break.
    fn put_lines(&mut self, lines: Vec<TextLine>, pitch: f32) -> Result<(), crate::ReportError> {
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

    /// Geometry of a bar chart: (label width, value width, bar width, bar height, row height, legend height).
    fn chart_metrics(&self, nser: usize) -> (f32, f32, f32, f32, f32, f32) {
        let st = self.geo.small;
        let w = self.geo.area.w;
        let label_w = w * 0.30;
        let value_w = w * 0.16;
        let bar_w = w - label_w - value_w - 8.0;
        let bar_h = st.size * 0.9;
        let row_h = bar_h * nser.max(1) as f32 + 5.0;
        let legend_h = if nser > 1 { st.size * 1.6 } else { 0.0 };
        (label_w, value_w, bar_w, bar_h, row_h, legend_h)
    }

    /// Height of a bar chart with `rows` rows and `nser` series (legend included).
    pub(crate) fn chart_height(&self, rows: usize, nser: usize) -> f32 {
        let (.., row_h, legend_h) = self.chart_metrics(nser);
        legend_h + rows as f32 * row_h
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

    /// A figure: an optional caption and a horizontal bar chart (each row holds one value per series),
    /// kept on one page when it fits on one, with space after it.
    pub(crate) fn bar_chart(
        &mut self,
        caption: Option<&str>,
        rows: &[(String, Vec<u64>)],
        series: &[(&str, Rgb)],
    ) -> Result<(), crate::ReportError> {
        let st = self.geo.small;
        let w = self.geo.area.w;
        let (label_w, _value_w, bar_w, bar_h, row_h, legend_h) = self.chart_metrics(series.len());
        let max = rows.iter().flat_map(|r| r.1.iter()).copied().max().unwrap_or(0).max(1) as f64;
        let cap_st = TextStyle { bold: true, ..self.geo.small };
        let cap_pitch = self.geo.small_pitch * 1.4;
        let cap_lines = match caption {
            Some(t) => self.ts.paragraph(t, &cap_st, w, 0.0, false),
            None => Vec::new(),
        };
        let cap_h = cap_lines.len() as f32 * cap_pitch;
        // The whole figure when it fits on a page; else the caption, the legend and two rows.
        let whole = cap_h + self.chart_height(rows.len(), series.len());
        if whole <= self.geo.area.h {
            self.ensure(whole)?;
        } else {
            self.ensure(cap_h + legend_h + 2.0 * row_h)?;
        }
        for l in cap_lines {
            let dx = ((w - l.width) / 2.0).max(0.0);
            self.put_line(l, dx, cap_pitch);
        }
        // Legend.
        if series.len() > 1 {
            self.page_has_content = true;
            let mut x = label_w + 4.0;
            for (name, c) in series {
                let p = self.abs(x, (legend_h - bar_h) / 2.0);
                self.page.items.push((p, Item::Rect { w: bar_h, h: bar_h, fill: Some(*c), stroke: None }));
                let l = self.ts.line(name, &st);
                let lw = l.width;
                let p = self.abs(x + bar_h + 3.0, (legend_h - st.size) / 2.0 + st.size * ASCENT);
                self.page.items.push((p, Item::Line(l)));
                x += bar_h + 3.0 + lw + 12.0;
            }
            self.y += legend_h;
        }
        for (label, vals) in rows {
            self.ensure(row_h)?;
            self.page_has_content = true;
            // Label: one line, shortened with "…" when it does not fit.
            let l = self.fit_line(label, &st, label_w - 6.0);
            let dx = label_w - 6.0 - l.width;
            let p = self.abs(dx.max(0.0), (row_h - st.size) / 2.0 + st.size * ASCENT);
            self.page.items.push((p, Item::Line(l)));
            for (k, v) in vals.iter().enumerate() {
                let c = series.get(k).map_or(self.geo.accent, |s| s.1);
                let bw = ((*v as f64 / max) as f32 * bar_w).max(if *v > 0 { 0.8 } else { 0.0 });
                let top = 2.5 + k as f32 * bar_h;
                if bw > 0.0 {
                    let p = self.abs(label_w, top);
                    self.page
                        .items
                        .push((p, Item::Rect { w: bw, h: bar_h - 1.0, fill: Some(c), stroke: None }));
                }
                let vt = crate::fmt::count(*v);
                let vl = self.ts.line(&vt, &st.size(st.size * 0.9));
                let vx = (label_w + bw + 3.0).min(w - vl.width);
                let p = self.abs(vx, top + (bar_h - 1.0) / 2.0 + st.size * 0.9 * 0.35);
                self.page.items.push((p, Item::Line(vl)));
            }
            self.y += row_h;
        }
        // Air before whatever follows (a heading, a table).
        self.space(self.geo.body_pitch);
        Ok(())
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

    pub(crate) fn end(&self, c: &mut Composer<'_, '_>) {
        let p = c.abs(0.0, 0.0);
        c.page.items.push((p, Item::Rule { w: c.geo.area.w, thickness: 1.0, color: BLACK }));
        c.space(6.0);
    }
}
