//! Text setting: which face sets each character, and breaking a paragraph into lines (greedy, with
//! kinsoku: no line starts with a closing mark or ends with an opening one).

use std::collections::{BTreeSet, HashMap};

use super::{Face, Family, Metrics, Run, TextLine, TextStyle};
use crate::Lang;

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
