//! Text setting: which face sets each character, and breaking a paragraph into lines (greedy, with
//! kinsoku: no line starts with a closing mark or ends with an opening one).
//!
//! Punctuation is compressed as the W3C "Requirements for Chinese Text Layout" (clreq) describe: a
//! full-width mark whose glyph fills only half its em box (closing brackets and quotes and the
//! left-set stops 。，、；： on one side, opening brackets and quotes on the other) gives up its blank
//! half next to another such mark ("），" takes 1.5 em, not 2), and a line-end stop or closing mark is
//! set half-width when that lets the line hold its last character, before the line is broken earlier
//! and stretched.

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

/// Characters that are set as parts of Latin words (never broken inside a word). The middle dot
/// belongs to the numbers around it ("3·15").
fn is_word_char(c: char) -> bool {
    (c.is_ascii_graphic() && !matches!(c, '(' | '[' | '{'))
        || matches!(c, '\u{00B7}' | '\u{00C0}'..='\u{024F}')
}

/// Characters that take the Latin face. The middle dot of “3·15” takes it in Chinese too, at its
/// natural proportional width: the CJK fonts' full-width dot opens a gap inside the date.
fn is_latin(c: char, lang: Lang) -> bool {
    let c32 = c as u32;
    c32 < 0x250 || (lang == Lang::En && (0x2000..0x2070).contains(&c32))
}

/// Full-width marks whose glyph sits in the left half of the em box (closing brackets and quotes,
/// and the stops, set at the left in mainland Chinese). ！and ？ are centred in many fonts: not here.
const BLANK_RIGHT: &str = "，。、；：）］｝」』”’》〉】〕〗";
/// Full-width marks whose glyph sits in the right half of the em box (opening brackets and quotes).
const BLANK_LEFT: &str = "（［｛「『“‘《〈【〔〖";

/// A shaped character.
#[derive(Debug, Clone, Copy)]
struct Glyph {
    ch: char,
    face: Option<Face>,
    /// Advance in the line: the font's advance plus tracking, less `squeeze`.
    w: f32,
    cjk: bool,
    /// Tracking included in `w`.
    track: f32,
    /// Blank half em removed from the glyph's advance by punctuation compression, pt.
    squeeze: f32,
    /// Half an em when this is a full-width mark with a blank half (0 otherwise), pt.
    half: f32,
    /// The blank half is on the right (stops, closing marks).
    blank_right: bool,
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
            // Latin letters in a 黑体 heading are bold, to match its weight.
            let latin =
                if st.bold || st.family == Family::Hei { Face::LatinBold } else { Face::LatinRegular };
            let cjk = match (st.family, st.bold) {
                (Family::Fang, _) => Face::Fang,
                (Family::Hei, _) => Face::Hei,
                (Family::Kai, _) => Face::Kai,
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
                    let (right, left) = (BLANK_RIGHT.contains(ch), BLANK_LEFT.contains(ch));
                    // Only a glyph that really fills an em box has a blank half to give up.
                    let half = if (right || left) && a > 0.9 { st.size * 0.5 } else { 0.0 };
                    out.push(Glyph {
                        ch,
                        face: Some(f),
                        w: a * st.size + t,
                        cjk: is_cjk,
                        track: t,
                        squeeze: 0.0,
                        half,
                        blank_right: right,
                    });
                }
                None => {
                    self.missing.insert(ch);
                    out.push(Glyph {
                        ch,
                        face: None,
                        w: st.size + st.tracking.max(0.0),
                        cjk: true,
                        track: 0.0,
                        squeeze: 0.0,
                        half: 0.0,
                        blank_right: false,
                    });
                }
            }
        }
        squeeze_adjacent(&mut out);
        out
    }

    /// Natural width of a single-line text.
    pub(crate) fn width(&mut self, text: &str, st: &TextStyle) -> f32 {
        self.shape(text, st).iter().map(|g| g.w).sum()
    }

    /// (widest unbreakable piece, whole width) of a single-line text: the narrowest a table column can
    /// be without breaking a word, and the width that sets it on one line.
    pub(crate) fn min_width(&mut self, text: &str, st: &TextStyle) -> (f32, f32) {
        let g = self.shape(text, st);
        let (mut widest, mut piece, mut whole) = (0.0f32, 0.0f32, 0.0f32);
        for i in 0..g.len() {
            if can_break_before(&g, i) {
                widest = widest.max(piece);
                piece = 0.0;
            }
            piece += g[i].w;
            whole += g[i].w;
        }
        (widest.max(piece), whole)
    }

    /// One line, unbroken and unjustified (for labels and numbers).
    pub(crate) fn line(&mut self, text: &str, st: &TextStyle) -> TextLine {
        let g = self.shape(text, st);
        build_line(&g, st, 0.0, false, false)
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
            let mut line = build_line(&g[a..b], st, avail, justify && i + 1 < n, self.lang == Lang::En);
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

/// Adjacent full-width marks: where the first's right half or the second's left half is blank, the
/// first gives up half an em (drawing the second half an em to the left leaves both glyphs whole).
fn squeeze_adjacent(g: &mut [Glyph]) {
    for i in 1..g.len() {
        let (a, b) = (g[i - 1], g[i]);
        if a.half > 0.0 && b.half > 0.0 && a.squeeze == 0.0 && (a.blank_right || !b.blank_right) {
            g[i - 1].squeeze = a.half;
            g[i - 1].w -= a.half;
        }
    }
}

/// How much a line ending at glyph `i` can give up there: the blank half of a stop or closing mark.
fn end_squeeze(gl: &Glyph) -> f32 {
    if gl.blank_right && gl.squeeze == 0.0 { gl.half } else { 0.0 }
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
            // Spaces at the end of a line may hang into the margin; a stop or closing mark at the end
            // is compressed to half width before the line is broken earlier.
            if w - end_squeeze(&g[i]) > avail + 0.01 && g[i].ch != ' ' {
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

/// Sets glyphs as one line, stretched to `avail` when `justify`. In English (`words`) the stretch goes
/// into the spaces, so a Chinese name inside an English line is not letter-spaced.
fn build_line(g: &[Glyph], st: &TextStyle, avail: f32, justify: bool, words: bool) -> TextLine {
    // A line-end stop or closing mark that only fits compressed is set half-width.
    let mut owned;
    let mut g = g;
    if avail > 0.0
        && let Some(last) = g.last()
    {
        let natural: f32 = g.iter().map(|x| x.w).sum();
        let sq = end_squeeze(last);
        if sq > 0.0 && natural > avail + 0.01 {
            owned = g.to_vec();
            if let Some(l) = owned.last_mut() {
                l.squeeze = sq;
                l.w -= sq;
            }
            g = &owned;
        }
    }
    // Widths are grid cells: with GB/T 9704's 28-character grid the last glyph's advance may poke
    // 0.2 pt past its cell, inside its own side bearing.
    let natural: f32 = g.iter().map(|x| x.w).sum();
    let mut extra = 0.0;
    let mut gaps = vec![false; g.len()];
    if justify && natural < avail {
        let mut count = 0usize;
        let spaces_only = words && g.iter().any(|x| x.ch == ' ');
        for i in 1..g.len() {
            let (p, c) = (g[i - 1], g[i]);
            if p.ch == ' ' || (!spaces_only && (p.cjk || c.cjk)) {
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
    // What follows a glyph's font advance: tracking and justification, less compression.
    let after: Vec<f32> = g
        .iter()
        .enumerate()
        .map(|(i, gl)| if gaps[i] { extra } else { 0.0 } + gl.track - gl.squeeze)
        .collect();
    let mut runs: Vec<Run> = Vec::new();
    let mut x = 0.0f32;
    for (i, gl) in g.iter().enumerate() {
        let adv = gl.w - gl.track + gl.squeeze;
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

#[cfg(test)]
mod tests {
    use super::*;
    use crate::layout::BLACK;

    /// Every CJK character and full-width mark is 1 em, ASCII 0.5 em, the middle dot 0.25 em.
    struct Fixed;
    impl Metrics for Fixed {
        fn advance(&self, face: Face, ch: char) -> Option<f32> {
            match face {
                Face::LatinRegular if (ch as u32) < 0x250 => Some(if ch == '\u{00B7}' { 0.25 } else { 0.5 }),
                Face::SongRegular if (ch as u32) >= 0x2000 => Some(1.0),
                _ => None,
            }
        }
    }

    #[test]
    fn english_lines_stretch_at_spaces_not_inside_chinese_names() {
        let mut ts = Typesetter::new(&Fixed, Lang::En);
        let st = style();
        let lines = ts.paragraph("ab 张三丰 cd ef gh ij kl", &st, 60.0, 0.0, true);
        assert!(lines.len() > 1);
        let name = lines[0].runs.iter().find(|r| r.text.contains('张')).expect("name run");
        assert!(name.text.contains("张三丰") && name.gap.abs() < 0.01, "{:?}", lines[0].runs);
        assert!((lines[0].width - 60.0).abs() < 0.01, "{}", lines[0].width);
    }

    fn style() -> TextStyle {
        TextStyle { family: Family::Song, bold: false, size: 10.0, tracking: 0.0, color: BLACK }
    }

    /// (character, x from the line start) of every glyph of a line.
    fn positions(l: &TextLine) -> Vec<(char, f32)> {
        let mut out = Vec::new();
        for r in &l.runs {
            let mut x = r.x;
            for ch in r.text.chars() {
                out.push((ch, x));
                let adv = Fixed.advance(r.face.unwrap_or(Face::SongRegular), ch).unwrap_or(1.0) * r.size;
                x += adv + r.gap;
            }
        }
        out
    }

    #[test]
    fn a_closing_bracket_before_a_comma_takes_half_an_em() {
        let mut ts = Typesetter::new(&Fixed, Lang::Zh);
        let st = style();
        assert!((ts.width("甲），乙", &st) - 35.0).abs() < 0.01, "{}", ts.width("甲），乙", &st));
        let l = ts.line("甲），乙", &st);
        let pos = positions(&l);
        assert_eq!(pos.iter().map(|p| p.0).collect::<String>(), "甲），乙");
        // The comma is drawn half an em after the bracket, the next character right after the comma.
        assert!((pos[2].1 - 15.0).abs() < 0.01, "{pos:?}");
        assert!((pos[3].1 - 25.0).abs() < 0.01, "{pos:?}");
        assert!((l.width - 35.0).abs() < 0.01);
    }

    #[test]
    fn opening_marks_in_a_row_and_a_stop_before_an_opening_mark_are_squeezed() {
        let mut ts = Typesetter::new(&Fixed, Lang::Zh);
        let st = style();
        // “（ : the second mark's blank left half goes; 。“ : the stop's blank right half goes.
        assert!((ts.width("“（甲", &st) - 25.0).abs() < 0.01);
        assert!((ts.width("甲。“乙", &st) - 35.0).abs() < 0.01);
        // Marks next to ordinary characters keep their full em.
        assert!((ts.width("甲，乙（丙）", &st) - 60.0).abs() < 0.01);
    }

    #[test]
    fn a_line_end_comma_is_compressed_before_the_line_is_broken_earlier() {
        let mut ts = Typesetter::new(&Fixed, Lang::Zh);
        let st = style();
        // 4 characters and a comma are 5 em; compressed, the comma lets all five fit into 4.5 em.
        let lines = ts.paragraph("一二三四，五六七", &st, 45.0, 0.0, true);
        assert_eq!(lines[0].text(), "一二三四，");
        assert!((lines[0].width - 45.0).abs() < 0.01, "{}", lines[0].width);
        assert_eq!(lines[1].text(), "五六七");
        // A comma that fits at full width stays full width and the line is justified to the measure.
        let lines = ts.paragraph("一二三，四五六七", &st, 45.0, 0.0, true);
        assert_eq!(lines[0].text(), "一二三，");
        assert!((lines[0].width - 45.0).abs() < 0.01, "{}", lines[0].width);
        // Without room even for the half comma, the last character goes down with it (no line starts with ，).
        let lines = ts.paragraph("一二三四五，六七", &st, 52.0, 0.0, true);
        assert_eq!(lines[0].text(), "一二三四");
        assert!((lines[0].width - 52.0).abs() < 0.01, "{}", lines[0].width);
        assert_eq!(lines[1].text(), "五，六七");
    }

    #[test]
    fn the_middle_dot_of_3_15_is_latin_and_proportional_and_never_broken() {
        let mut ts = Typesetter::new(&Fixed, Lang::Zh);
        let st = style();
        let l = ts.line("“3·15”", &st);
        let dot = l.runs.iter().find(|r| r.text.contains('·')).map(|r| r.face);
        assert_eq!(dot, Some(Some(Face::LatinRegular)));
        // 1 + 0.5 + 0.25 + 0.5 + 0.5 + 1 em.
        assert!((l.width - 37.5).abs() < 0.01, "{}", l.width);
        // No line breaks inside "3·15", whatever the measure.
        for w in [18.0, 20.0, 30.0] {
            let lines = ts.paragraph("甲3·15乙", &st, w, 0.0, false);
            assert!(lines.iter().any(|l| l.text().contains("3·15")), "{w}: {lines:?}");
        }
    }
}
