//! The Word back end: the same report content as the PDF (`layout::content`, `layout::rollup`,
//! through [`Compose`]) written as a DOCX package (Office Open XML), streamed: `word/document.xml`
//! is deflated into the output as it is written, so a roll-up of thousands of districts needs no
//! more memory than a page of XML.
//!
//! Written by hand with our own small ZIP writer rather than with `docx-rs`: that crate builds the
//! whole document as a tree and serializes it at the end (a roll-up's 50,000 rows would sit in
//! memory), and its run properties cannot say everything GB/T 9704 in Word needs (`w:hint`, a
//! document grid of lines and characters, no theme fonts at all). The parts are few and fixed; the
//! tests unzip them, check the settings in the XML and convert the file with LibreOffice.
//!
//! What Word does by itself (line breaking, pagination) it does here too: the PDF's measured keeps
//! become "keep with next" and "keep lines together", table rows never split and the header row
//! repeats on every page. Fonts are named, not embedded: every run names its East Asian face
//! (`w:eastAsia`) and, in a Chinese document, forces ambiguous marks (quotes, dashes, ellipses)
//! into it (`w:hint="eastAsia"`); the font table gives each face a fallback (仿宋_GB2312 → 仿宋 →
//! FangSong ...). There is no theme part, so no theme font can override a named one.

mod parts;
mod zip;

use std::io::Write;

use crate::data::ReportPhoto;
use crate::layout::{Align, Col, Compose, Family, Geometry, Measure, Rgb, Series, TextStyle, column_widths};
use crate::{Lang, ReportError, Style};
use zip::ZipStream;

/// The Latin face of every run (the PDF's Liberation Serif has its metrics).
const LATIN: &str = "Times New Roman";
/// GB/T 9704's title face; the font table falls back to 华文中宋, then 宋体.
const TITLE_FACE: &str = "方正小标宋简体";
/// XML buffered before it is deflated into the package.
const FLUSH_AT: usize = 64 * 1024;

/// Twentieths of a point (twips), Word's unit for lengths.
fn tw(pt: f32) -> i64 {
    (pt * 20.0).round() as i64
}

/// English Metric Units (1 pt = 12,700 EMU), DrawingML's unit.
fn emu(pt: f32) -> i64 {
    (pt * 12_700.0).round() as i64
}

fn hex(c: Rgb) -> String {
    let b = |v: f32| (v.clamp(0.0, 1.0) * 255.0).round() as u8;
    format!("{:02X}{:02X}{:02X}", b(c.0), b(c.1), b(c.2))
}

/// Appends `s` escaped for XML text and attributes; characters XML 1.0 cannot carry are dropped.
pub(crate) fn esc(out: &mut String, s: &str) {
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            '\t' | '\n' | '\r' => out.push(ch),
            c if (c as u32) < 0x20 || c == '\u{FFFE}' || c == '\u{FFFF}' => {}
            c => out.push(c),
        }
    }
}

/// Whether a character is set full width (CJK ideographs, kana, hangul, full-width forms and
/// punctuation).
fn wide(c: char) -> bool {
    matches!(c as u32, 0x1100..=0x115F | 0x2E80..=0xA4CF | 0xAC00..=0xD7A3 | 0xF900..=0xFAFF | 0xFE30..=0xFE4F | 0xFF00..=0xFF60 | 0xFFE0..=0xFFE6)
        || matches!(c, '“' | '”' | '‘' | '’' | '—' | '…' | '·')
}

/// Text widths estimated from character classes (Word sets the text with the reader's fonts, so
/// column widths only need to be about right): full-width characters one em plus the style's
/// tracking, Latin letters and digits about half an em.
struct Estimate;

impl Estimate {
    fn char_w(c: char, st: &TextStyle) -> f32 {
        let em = st.size * if st.bold { 1.05 } else { 1.0 };
        if wide(c) {
            return st.size + st.tracking;
        }
        em * match c {
            ' ' => 0.25,
            'i' | 'j' | 'l' | '.' | ',' | ':' | ';' | '\'' | '!' | '|' => 0.28,
            'm' | 'w' | 'M' | 'W' => 0.8,
            'A'..='Z' => 0.68,
            _ => 0.5,
        }
    }
}

impl Measure for Estimate {
    fn width(&mut self, text: &str, st: &TextStyle) -> f32 {
        text.chars().map(|c| Self::char_w(c, st)).sum()
    }
    fn min_width(&mut self, text: &str, st: &TextStyle) -> (f32, f32) {
        // Lines break at spaces and between full-width characters.
        let (mut widest, mut piece, mut whole) = (0.0f32, 0.0f32, 0.0f32);
        for c in text.chars() {
            let w = Self::char_w(c, st);
            whole += w;
            if c == ' ' || wide(c) {
                widest = widest.max(piece);
                piece = if c == ' ' { 0.0 } else { w };
                widest = widest.max(piece);
                if wide(c) {
                    piece = 0.0;
                }
            } else {
                piece += w;
            }
        }
        (widest.max(piece), whole)
    }
}

/// A group of chart rows on one scale: its unit line and its rows (label, one value per series).
type ChartGroup = (Option<String>, Vec<(String, Vec<u64>)>);

/// Paragraph properties, written in the order the schema requires.
#[derive(Default)]
struct P<'a> {
    style: Option<&'a str>,
    keep_next: bool,
    keep_lines: bool,
    page_break: bool,
    /// A rule under the paragraph: colour (hex) and width in eighths of a point.
    rule: Option<(String, u32)>,
    before: i64,
    after: i64,
    /// Exact line pitch, twips.
    line: i64,
    /// First-line indent: (hundredths of a character, twips).
    first: Option<(i64, i64)>,
    /// Right indent: (hundredths of a character, twips).
    right: Option<(i64, i64)>,
    jc: &'a str,
}

impl P<'_> {
    fn write(&self, out: &mut String) {
        out.push_str("<w:pPr>");
        if let Some(s) = self.style {
            out.push_str(&format!("<w:pStyle w:val=\"{s}\"/>"));
        }
        if self.keep_next {
            out.push_str("<w:keepNext/>");
        }
        if self.keep_lines {
            out.push_str("<w:keepLines/>");
        }
        if self.page_break {
            out.push_str("<w:pageBreakBefore/>");
        }
        if let Some((c, sz)) = &self.rule {
            out.push_str(&format!(
                "<w:pBdr><w:bottom w:val=\"single\" w:sz=\"{sz}\" w:space=\"1\" w:color=\"{c}\"/></w:pBdr>"
            ));
        }
        // The section's grid (GB/T 9704: 22 lines of 28 characters) is what Word gives text typed
        // into the document; the generated paragraphs set the same pitch themselves (exact line
        // spacing, characters tracked to 28 a line), because LibreOffice gives a 16 pt character
        // two cells of a 15.8 pt character grid and would set 14 a line.
        out.push_str("<w:snapToGrid w:val=\"0\"/>");
        if self.line <= 0 {
            // A picture's paragraph grows with the picture.
            out.push_str(&format!(
                "<w:spacing w:before=\"{}\" w:after=\"{}\" w:line=\"240\" w:lineRule=\"auto\"/>",
                self.before.max(0),
                self.after.max(0)
            ));
        } else {
            out.push_str(&format!(
                "<w:spacing w:before=\"{}\" w:after=\"{}\" w:line=\"{}\" w:lineRule=\"exact\"/>",
                self.before.max(0),
                self.after.max(0),
                self.line.max(20)
            ));
        }
        if self.first.is_some() || self.right.is_some() {
            out.push_str("<w:ind");
            if let Some((chars, t)) = self.right {
                out.push_str(&format!(" w:rightChars=\"{chars}\" w:right=\"{t}\""));
            }
            if let Some((chars, t)) = self.first {
                out.push_str(&format!(" w:firstLineChars=\"{chars}\" w:firstLine=\"{t}\""));
            }
            out.push_str("/>");
        }
        if !self.jc.is_empty() {
            out.push_str(&format!("<w:jc w:val=\"{}\"/>", self.jc));
        }
        out.push_str("</w:pPr>");
    }
}

/// A table being written: its column widths (twips) and alignments, and the cell formats.
struct Table {
    widths: Vec<i64>,
    aligns: Vec<Align>,
    ppr: [String; 3],
    rpr: String,
    rpr_bold: String,
}

/// What the document says about itself (docProps/core.xml).
pub(crate) struct Meta {
    pub title: String,
    pub subject: String,
    pub author: String,
    pub created: String,
}

/// The DOCX back end of [`Compose`].
pub(crate) struct Docx<W: Write> {
    zip: ZipStream<W>,
    geo: Geometry,
    lang: Lang,
    xml: String,
    /// Space before the next block, pt.
    before: f32,
    /// Something has been written (space at the very top is dropped, as on a PDF page).
    started: bool,
    /// The next paragraph keeps its lines together and stays with the one after it.
    keep: bool,
    /// The next block starts a new page.
    page_break: bool,
    /// The last block was a table (two tables in a row need a paragraph between them).
    after_table: bool,
    table: Option<Table>,
    /// Colours of the bar images, `word/media/barN.png` with relationship `rIdBarN` (N from 1).
    bars: Vec<String>,
    /// The day's photos, `word/media/photoN.{jpeg,png}` with relationship `rIdPhotoN`: written
    /// into the package after the body.
    pictures: Vec<crate::layout::Picture>,
    next_id: u32,
}

impl<W: Write> Docx<W> {
    /// Starts a package: the fixed parts, then `word/document.xml` is opened for the body.
    pub(crate) fn new(out: W, style: Style, lang: Lang, meta: &Meta) -> Result<Self, ReportError> {
        let geo = Geometry::for_style(style);
        let mut zip = ZipStream::new(out);
        for (name, body) in parts::fixed_parts(&geo, lang, meta) {
            zip.file(&name, body.as_bytes())?;
        }
        zip.start("word/document.xml")?;
        let mut d = Self {
            zip,
            geo,
            lang,
            xml: String::with_capacity(FLUSH_AT + 8 * 1024),
            before: 0.0,
            started: false,
            keep: false,
            page_break: false,
            after_table: false,
            table: None,
            bars: Vec::new(),
            pictures: Vec::new(),
            next_id: 1,
        };
        d.xml.push_str(parts::DOCUMENT_START);
        Ok(d)
    }

    /// Ends the body and the package; returns the writer and the bytes written.
    pub(crate) fn finish(mut self) -> Result<(W, u64), ReportError> {
        self.table_end();
        if self.after_table || !self.started {
            // The body ends with a paragraph (Word adds one after a final table anyway).
            self.xml.push_str("<w:p/>");
        }
        self.xml.push_str(&parts::section(&self.geo));
        self.xml.push_str("</w:body></w:document>");
        self.zip.write(self.xml.as_bytes())?;
        self.xml.clear();
        let kinds: Vec<&str> = self.pictures.iter().map(|p| picture_ext(p)).collect();
        self.zip
            .file("word/_rels/document.xml.rels", parts::document_rels(self.bars.len(), &kinds).as_bytes())?;
        for (i, c) in self.bars.iter().enumerate() {
            self.zip.file(&format!("word/media/bar{}.png", i + 1), &parts::solid_png(c))?;
        }
        for (i, p) in self.pictures.iter().enumerate() {
            self.zip.file(&format!("word/media/photo{}.{}", i + 1, picture_ext(p)), &p.bytes)?;
        }
        Ok(self.zip.finish()?)
    }

    fn flush_xml(&mut self) -> Result<(), ReportError> {
        if self.xml.len() >= FLUSH_AT {
            self.zip.write(self.xml.as_bytes())?;
            self.xml.clear();
        }
        Ok(())
    }

    fn gb(&self) -> bool {
        self.geo.style == Style::Gbt9704
    }

    /// The East Asian face of a text style.
    fn face(&self, st: &TextStyle) -> &'static str {
        if self.gb() && *st == self.geo.title {
            return TITLE_FACE;
        }
        match st.family {
            Family::Song => "宋体",
            Family::Fang => "仿宋_GB2312",
            Family::Hei => "黑体",
            Family::Kai => "楷体_GB2312",
        }
    }

    /// Run properties of a text style: every run names its Latin and East Asian faces; a Chinese
    /// document sets ambiguous marks (quotes, dashes, ellipses) in the East Asian one.
    fn rpr(&self, st: &TextStyle) -> String {
        let hint = if self.lang == Lang::Zh { " w:hint=\"eastAsia\"" } else { "" };
        let mut s = format!(
            "<w:rPr><w:rFonts w:ascii=\"{LATIN}\" w:hAnsi=\"{LATIN}\" w:eastAsia=\"{}\" w:cs=\"{LATIN}\"{hint}/>",
            self.face(st)
        );
        // 小标宋 is a heavy face of its own; it is not bolded again.
        if st.bold && self.face(st) != TITLE_FACE {
            s.push_str("<w:b/><w:bCs/>");
        }
        if st.color != crate::layout::BLACK {
            s.push_str(&format!("<w:color w:val=\"{}\"/>", hex(st.color)));
        }
        if st.tracking < 0.0 {
            // GB/T 9704's 28 characters in 156 mm: a 16 pt character is a hair wider than its
            // grid cell. Word squeezes it into the cell by itself; LibreOffice gives it two cells
            // unless the run's own spacing makes it fit.
            s.push_str(&format!("<w:spacing w:val=\"{}\"/>", (st.tracking * 20.0).floor() as i64 - 1));
        }
        let hp = (st.size * 2.0).round() as i64;
        s.push_str(&format!("<w:sz w:val=\"{hp}\"/><w:szCs w:val=\"{hp}\"/></w:rPr>"));
        s
    }

    fn run(out: &mut String, rpr: &str, text: &str) {
        out.push_str("<w:r>");
        out.push_str(rpr);
        for (i, line) in text.split('\n').enumerate() {
            if i > 0 {
                out.push_str("<w:br/>");
            }
            out.push_str("<w:t xml:space=\"preserve\">");
            esc(out, line);
            out.push_str("</w:t>");
        }
        out.push_str("</w:r>");
    }

    /// Takes the pending space, keep and page break into a paragraph's properties.
    fn pending(&mut self, p: &mut P<'_>) {
        if self.started {
            p.before += tw(self.before);
        }
        self.before = 0.0;
        if std::mem::take(&mut self.keep) {
            p.keep_next = true;
            p.keep_lines = true;
        }
        p.page_break |= std::mem::take(&mut self.page_break);
        self.after_table = false;
        self.started = true;
    }

    /// A paragraph of one run.
    fn para(&mut self, mut p: P<'_>, st: &TextStyle, text: &str) -> Result<(), ReportError> {
        self.pending(&mut p);
        let rpr = self.rpr(st);
        self.xml.push_str("<w:p>");
        p.write(&mut self.xml);
        Self::run(&mut self.xml, &rpr, text);
        self.xml.push_str("</w:p>");
        self.flush_xml()
    }

    /// Before a table: an empty paragraph carrying the pending space or page break, and keeping
    /// two tables apart (Word would merge adjacent ones).
    fn before_table(&mut self) {
        let space = std::mem::take(&mut self.before);
        if self.after_table || self.page_break || (self.started && space > 0.0) {
            let mut p = P { keep_next: true, ..P::default() };
            self.pending(&mut p);
            p.before = 0;
            p.line = tw(space.max(1.0));
            self.xml.push_str("<w:p>");
            p.write(&mut self.xml);
            self.xml.push_str("</w:p>");
        }
        self.started = true;
    }

    fn next_id(&mut self) -> u32 {
        let id = self.next_id;
        self.next_id += 1;
        id
    }

    /// An inline picture of a solid colour, `w` × `h` pt (a chart's bar or legend key).
    fn bar(&mut self, color: Rgb, w: f32, h: f32) -> String {
        let c = hex(color);
        let n = match self.bars.iter().position(|x| *x == c) {
            Some(i) => i + 1,
            None => {
                self.bars.push(c);
                self.bars.len()
            }
        };
        let id = self.next_id();
        let (cx, cy) = (emu(w).max(1), emu(h).max(1));
        let rpr = self.rpr(&self.geo.small);
        format!(
            "<w:r>{rpr}<w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:docPr id=\"{id}\" name=\"bar {id}\"/><wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic><pic:nvPicPr><pic:cNvPr id=\"{id}\" name=\"bar{n}.png\"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed=\"rIdBar{n}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r>"
        )
    }

    /// The table text style and cell padding (as the PDF's tables).
    fn table_style(&self) -> (TextStyle, f32) {
        let size = if self.gb() { 11.0 } else { 9.0 };
        (TextStyle::new(Family::Song, false, size), 4.0)
    }

    /// Opens a table: its properties, grid and header row.
    fn open_table(&mut self, cols: &[Col], rows: Option<&[Vec<String>]>) -> Result<(), ReportError> {
        self.table_end();
        // The PDF leaves 4 pt above a table.
        self.before += 4.0;
        self.before_table();
        let (st, pad) = self.table_style();
        let total = self.geo.area.w;
        let widths_pt = column_widths(&mut Estimate, total, cols, rows, &st, pad);
        let mut widths: Vec<i64> = widths_pt.iter().map(|w| tw(*w)).collect();
        // Rounding never makes the table wider than the type area.
        let excess = widths.iter().sum::<i64>() - tw(total);
        if let Some(last) = widths.last_mut() {
            *last -= excess.max(0);
        }
        let pitch = tw(st.size * 1.45);
        let ppr = |jc: &str| {
            let mut s = String::new();
            P { line: pitch, jc, ..P::default() }.write(&mut s);
            s
        };
        let t = Table {
            widths,
            aligns: cols.iter().map(|c| c.align).collect(),
            ppr: [ppr("left"), ppr("right"), ppr("center")],
            rpr: self.rpr(&st),
            rpr_bold: self.rpr(&TextStyle { bold: true, ..st }),
        };
        let pad = tw(pad);
        self.xml.push_str(&format!(
            "<w:tbl><w:tblPr><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/><w:tblBorders><w:top w:val=\"single\" w:sz=\"8\" w:space=\"0\" w:color=\"000000\"/><w:bottom w:val=\"single\" w:sz=\"8\" w:space=\"0\" w:color=\"000000\"/><w:insideH w:val=\"single\" w:sz=\"2\" w:space=\"0\" w:color=\"8C8C8C\"/></w:tblBorders><w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:top w:w=\"{pad}\" w:type=\"dxa\"/><w:left w:w=\"{pad}\" w:type=\"dxa\"/><w:bottom w:w=\"{pad}\" w:type=\"dxa\"/><w:right w:w=\"{pad}\" w:type=\"dxa\"/></w:tblCellMar><w:tblLook w:val=\"0420\" w:firstRow=\"1\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>",
            t.widths.iter().sum::<i64>()
        ));
        for w in &t.widths {
            self.xml.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
        }
        self.xml.push_str("</w:tblGrid>");
        // The header row: repeated on every page, bold, shaded in the modern style.
        let fill = if self.gb() { None } else { Some("EDEDED") };
        self.xml.push_str("<w:tr><w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>");
        for (i, c) in cols.iter().enumerate() {
            let w = t.widths.get(i).copied().unwrap_or(0);
            self.xml.push_str(&format!(
                "<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/><w:tcBorders><w:bottom w:val=\"single\" w:sz=\"5\" w:space=\"0\" w:color=\"8C8C8C\"/></w:tcBorders>"
            ));
            if let Some(f) = fill {
                self.xml.push_str(&format!("<w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"{f}\"/>"));
            }
            self.xml.push_str("</w:tcPr><w:p>");
            self.xml.push_str(&t.ppr[align_ix(c.align)]);
            Self::run(&mut self.xml, &t.rpr_bold, &c.title);
            self.xml.push_str("</w:p></w:tc>");
        }
        self.xml.push_str("</w:tr>");
        self.table = Some(t);
        self.flush_xml()
    }

    fn row(&mut self, cells: &[String], bold: bool) -> Result<(), ReportError> {
        let Some(t) = self.table.as_ref() else { return Ok(()) };
        self.xml.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
        for (i, w) in t.widths.iter().enumerate() {
            let align = t.aligns.get(i).copied().unwrap_or(Align::Left);
            self.xml.push_str(&format!("<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/></w:tcPr><w:p>"));
            self.xml.push_str(&t.ppr[align_ix(align)]);
            let text = cells.get(i).map_or("", String::as_str);
            if !text.is_empty() {
                Self::run(&mut self.xml, if bold { &t.rpr_bold } else { &t.rpr }, text);
            }
            self.xml.push_str("</w:p></w:tc>");
        }
        self.xml.push_str("</w:tr>");
        self.flush_xml()
    }

    /// A chart as a borderless table: label, bars (solid pictures, one per series) and values,
    /// so the figures are beside their bars, readable and editable.
    fn chart(
        &mut self,
        caption: Option<&str>,
        groups: &[ChartGroup],
        series: &[Series<'_>],
    ) -> Result<(), ReportError> {
        self.table_end();
        let small = self.geo.small;
        let w = self.geo.area.w;
        let (label_w, value_w) = (w * 0.30, w * 0.16);
        let bar_w = w - label_w - value_w;
        let bar_h = small.size * 0.9;
        let cap_st = TextStyle { bold: true, ..small };
        if let Some(c) = caption {
            let p = P { keep_next: true, line: tw(self.geo.small_pitch * 1.4), jc: "center", ..P::default() };
            self.para(p, &cap_st, c)?;
        }
        if series.len() > 1 {
            let mut p = P {
                keep_next: true,
                line: tw(small.size * 1.6),
                first: Some((0, tw(label_w))),
                jc: "left",
                ..P::default()
            };
            self.pending(&mut p);
            let rpr = self.rpr(&small);
            let mut s = String::from("<w:p>");
            p.write(&mut s);
            for (k, (name, color)) in series.iter().enumerate() {
                s.push_str(&self.bar(*color, bar_h, bar_h));
                let gap = if k + 1 < series.len() { "\u{2003}" } else { "" };
                Self::run(&mut s, &rpr, &format!(" {name}{gap}"));
            }
            s.push_str("</w:p>");
            self.xml.push_str(&s);
        }
        self.before_table();
        let widths = [tw(label_w), tw(bar_w), tw(value_w)];
        self.xml.push_str(&format!(
            "<w:tbl><w:tblPr><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/><w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:top w:w=\"20\" w:type=\"dxa\"/><w:left w:w=\"60\" w:type=\"dxa\"/><w:bottom w:w=\"20\" w:type=\"dxa\"/><w:right w:w=\"60\" w:type=\"dxa\"/></w:tblCellMar><w:tblLook w:val=\"0000\" w:firstRow=\"0\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>",
            widths.iter().sum::<i64>()
        ));
        for x in widths {
            self.xml.push_str(&format!("<w:gridCol w:w=\"{x}\"/>"));
        }
        self.xml.push_str("</w:tblGrid>");
        let line = tw(bar_h + 1.0);
        let ppr = |jc: &str| {
            let mut s = String::new();
            P { line, jc, ..P::default() }.write(&mut s);
            s
        };
        let (right, left) = (ppr("right"), ppr("left"));
        let label_rpr = self.rpr(&small);
        let value_rpr = self.rpr(&small.size(small.size * 0.9));
        let inner = bar_w - 6.0;
        let cell = |w: i64| {
            format!("<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/><w:vAlign w:val=\"center\"/></w:tcPr>")
        };
        for (unit, rows) in groups {
            let max = rows.iter().flat_map(|r| r.1.iter()).copied().max().unwrap_or(0).max(1) as f64;
            if let Some(u) = unit {
                let mut s = String::from("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
                s.push_str(&cell(widths[0]));
                s.push_str("<w:p>");
                s.push_str(&right);
                Self::run(&mut s, &label_rpr, u);
                s.push_str("</w:p></w:tc>");
                for x in &widths[1..] {
                    s.push_str(&cell(*x));
                    s.push_str("<w:p/></w:tc>");
                }
                s.push_str("</w:tr>");
                self.xml.push_str(&s);
            }
            for (label, vals) in rows {
                let mut s = String::from("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
                s.push_str(&cell(widths[0]));
                s.push_str("<w:p>");
                s.push_str(&right);
                Self::run(&mut s, &label_rpr, label);
                s.push_str("</w:p></w:tc>");
                s.push_str(&cell(widths[1]));
                let mut values = cell(widths[2]);
                for (k, v) in vals.iter().enumerate() {
                    let color = series.get(k).map_or(self.geo.accent, |x| x.1);
                    let bw = ((*v as f64 / max) as f32 * inner).max(if *v > 0 { 0.8 } else { 0.0 });
                    s.push_str("<w:p>");
                    s.push_str(&left);
                    if bw > 0.0 {
                        s.push_str(&self.bar(color, bw, bar_h - 1.0));
                    }
                    s.push_str("</w:p>");
                    values.push_str("<w:p>");
                    values.push_str(&left);
                    Self::run(&mut values, &value_rpr, &crate::fmt::count(*v));
                    values.push_str("</w:p>");
                }
                if vals.is_empty() {
                    s.push_str("<w:p/>");
                    values.push_str("<w:p/>");
                }
                s.push_str("</w:tc>");
                s.push_str(&values);
                s.push_str("</w:tc></w:tr>");
                self.xml.push_str(&s);
            }
        }
        self.xml.push_str("</w:tbl>");
        self.after_table = true;
        // Air before whatever follows, as in the PDF.
        self.before = self.geo.body_pitch;
        self.flush_xml()
    }
}

/// The file extension of a picture in the package.
fn picture_ext(p: &crate::layout::Picture) -> &'static str {
    match p.format {
        crate::layout::PictureFormat::Jpeg => "jpeg",
        crate::layout::PictureFormat::Png => "png",
    }
}

fn align_ix(a: Align) -> usize {
    match a {
        Align::Left => 0,
        Align::Right => 1,
        Align::Center => 2,
    }
}

impl<W: Write> Compose for Docx<W> {
    fn lang(&self) -> Lang {
        self.lang
    }
    fn geo(&self) -> &Geometry {
        &self.geo
    }
    fn space(&mut self, h: f32) {
        if self.started {
            self.before += h;
        }
    }
    fn centered(&mut self, text: &str, st: TextStyle, pitch: f32) -> Result<(), ReportError> {
        let style = (st == self.geo.title).then_some("Title");
        let p = P { style, keep_next: true, line: tw(pitch), jc: "center", ..P::default() };
        self.para(p, &st, text)
    }
    fn label(&mut self, text: &str, st: TextStyle) -> Result<(), ReportError> {
        let p = P { keep_next: true, line: tw(self.geo.body_pitch), jc: "left", ..P::default() };
        self.para(p, &st, text)
    }
    fn heading(&mut self, text: &str, level: u8) -> Result<(), ReportError> {
        let st = if level == 1 { self.geo.h1 } else { self.geo.h2 };
        let pitch = self.geo.body_pitch.max(st.size * 1.5);
        let modern_h1 = !self.gb() && level == 1;
        if modern_h1 {
            self.space(6.0);
        }
        let p = P {
            style: Some(if level == 1 { "Heading1" } else { "Heading2" }),
            keep_next: true,
            keep_lines: true,
            rule: modern_h1.then(|| (hex(self.geo.accent), 5)),
            after: if modern_h1 { 60 } else { 0 },
            line: tw(pitch),
            first: self.gb().then(|| (200, tw(2.0 * (st.size + st.tracking)))),
            jc: "left",
            ..P::default()
        };
        self.para(p, &st, text)
    }
    fn paragraph(&mut self, text: &str) -> Result<(), ReportError> {
        let st = self.geo.body;
        let p = P {
            line: tw(self.geo.body_pitch),
            first: Some((200, tw(2.0 * (st.size + st.tracking)))),
            jc: "both",
            ..P::default()
        };
        self.para(p, &st, text)
    }
    fn flush(&mut self, text: &str) -> Result<(), ReportError> {
        let st = self.geo.body;
        let p = P { line: tw(self.geo.body_pitch), jc: "both", ..P::default() };
        self.para(p, &st, text)
    }
    fn note(&mut self, text: &str) -> Result<(), ReportError> {
        let st = self.geo.small;
        let p = P { line: tw(self.geo.small_pitch), jc: "both", ..P::default() };
        self.para(p, &st, text)
    }
    fn right(&mut self, text: &str) -> Result<(), ReportError> {
        let st = self.geo.body;
        let p = P {
            keep_next: true,
            keep_lines: true,
            line: tw(self.geo.body_pitch),
            right: self.gb().then(|| (400, tw(4.0 * (st.size + st.tracking)))),
            jc: "right",
            ..P::default()
        };
        self.para(p, &st, text)
    }
    fn key_figures(&mut self, figs: &[(String, String)]) -> Result<(), ReportError> {
        if figs.is_empty() {
            return Ok(());
        }
        self.table_end();
        self.before_table();
        let per_row = 3usize;
        let w = tw(self.geo.area.w / per_row as f32);
        let big = TextStyle::new(Family::Song, true, 17.0).color(self.geo.accent);
        let small = self.geo.small;
        let (big_rpr, small_rpr) = (self.rpr(&big), self.rpr(&small));
        let mut s = format!(
            "<w:tbl><w:tblPr><w:tblW w:w=\"{}\" w:type=\"dxa\"/><w:jc w:val=\"center\"/><w:tblCellSpacing w:w=\"60\" w:type=\"dxa\"/><w:tblLayout w:type=\"fixed\"/><w:tblCellMar><w:top w:w=\"120\" w:type=\"dxa\"/><w:left w:w=\"80\" w:type=\"dxa\"/><w:bottom w:w=\"120\" w:type=\"dxa\"/><w:right w:w=\"80\" w:type=\"dxa\"/></w:tblCellMar><w:tblLook w:val=\"0000\" w:firstRow=\"0\" w:lastRow=\"0\" w:firstColumn=\"0\" w:lastColumn=\"0\" w:noHBand=\"1\" w:noVBand=\"1\"/></w:tblPr><w:tblGrid>",
            w * per_row as i64
        );
        for _ in 0..per_row {
            s.push_str(&format!("<w:gridCol w:w=\"{w}\"/>"));
        }
        s.push_str("</w:tblGrid>");
        let (mut vp, mut lp) = (String::new(), String::new());
        P { line: tw(26.0), jc: "center", ..P::default() }.write(&mut vp);
        P { line: tw(small.size * 1.5), jc: "center", ..P::default() }.write(&mut lp);
        let border = "<w:tcBorders><w:top w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"D9CCC7\"/><w:left w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"D9CCC7\"/><w:bottom w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"D9CCC7\"/><w:right w:val=\"single\" w:sz=\"4\" w:space=\"0\" w:color=\"D9CCC7\"/></w:tcBorders><w:shd w:val=\"clear\" w:color=\"auto\" w:fill=\"F7F2F0\"/>";
        for chunk in figs.chunks(per_row) {
            s.push_str("<w:tr><w:trPr><w:cantSplit/></w:trPr>");
            for i in 0..per_row {
                s.push_str(&format!("<w:tc><w:tcPr><w:tcW w:w=\"{w}\" w:type=\"dxa\"/>"));
                match chunk.get(i) {
                    Some((value, label)) => {
                        s.push_str(border);
                        s.push_str("</w:tcPr><w:p>");
                        s.push_str(&vp);
                        Self::run(&mut s, &big_rpr, value);
                        s.push_str("</w:p><w:p>");
                        s.push_str(&lp);
                        Self::run(&mut s, &small_rpr, label);
                        s.push_str("</w:p></w:tc>");
                    }
                    None => s.push_str("</w:tcPr><w:p/></w:tc>"),
                }
            }
            s.push_str("</w:tr>");
        }
        s.push_str("</w:tbl>");
        self.xml.push_str(&s);
        self.after_table = true;
        self.flush_xml()
    }
    fn table(&mut self, cols: &[Col], rows: &[Vec<String>], bold_last: bool) -> Result<(), ReportError> {
        self.open_table(cols, Some(rows))?;
        let n = rows.len();
        for (i, r) in rows.iter().enumerate() {
            self.row(r, bold_last && i + 1 == n)?;
        }
        self.table_end();
        Ok(())
    }
    fn table_start(&mut self, cols: Vec<Col>) -> Result<(), ReportError> {
        self.open_table(&cols, None)
    }
    fn table_row(&mut self, cells: &[String], bold: bool) -> Result<(), ReportError> {
        self.row(cells, bold)
    }
    fn table_row_starts_page(&self) -> bool {
        false
    }
    fn table_end(&mut self) {
        if self.table.take().is_some() {
            self.xml.push_str("</w:tbl>");
            self.after_table = true;
            // The PDF leaves 6 pt under a table.
            self.before = 6.0;
        }
    }
    fn bar_chart(
        &mut self,
        caption: Option<&str>,
        rows: &[(String, Vec<u64>)],
        series: &[Series<'_>],
    ) -> Result<(), ReportError> {
        self.chart(caption, &[(None, rows.to_vec())], series)
    }
    fn bar_chart_by_unit(
        &mut self,
        caption: Option<&str>,
        rows: &[(String, String, Vec<u64>)],
        series: &[Series<'_>],
    ) -> Result<(), ReportError> {
        let mut units: Vec<&str> = Vec::new();
        for r in rows {
            if !units.contains(&r.1.as_str()) {
                units.push(r.1.as_str());
            }
        }
        let groups: Vec<ChartGroup> = units
            .iter()
            .map(|u| {
                let label = (!u.trim().is_empty()).then(|| match self.lang {
                    Lang::Zh => format!("单位：{}", u.trim()),
                    Lang::En => format!("Unit: {}", u.trim()),
                });
                (label, rows.iter().filter(|r| r.1 == *u).map(|r| (r.0.clone(), r.2.clone())).collect())
            })
            .collect();
        self.chart(caption, &groups, series)
    }
    fn photos(&mut self, photos: &[ReportPhoto]) -> Result<(), ReportError> {
        // One photo a paragraph, centred, 60 % of the text width (proportions kept), kept with
        // its caption under it: where and when in bold, then what it shows.
        let lang = self.lang;
        for photo in photos {
            let Some(pic) = crate::layout::Picture::read(photo.bytes.clone()) else { continue };
            let w = self.geo.area.w * 0.6;
            let h = (w * pic.px_h as f32 / pic.px_w.max(1) as f32).min(self.geo.area.h * 0.45);
            let w = h * pic.px_w as f32 / pic.px_h.max(1) as f32;
            self.pictures.push(pic);
            let n = self.pictures.len();
            let id = self.next_id();
            let (cx, cy) = (emu(w).max(1), emu(h).max(1));
            let mut alt = String::new();
            esc(&mut alt, &crate::layout::place_and_time(photo, lang));
            let mut p = P { keep_next: true, keep_lines: true, jc: "center", before: 120, ..P::default() };
            self.pending(&mut p);
            self.xml.push_str("<w:p>");
            p.write(&mut self.xml);
            self.xml.push_str(&format!(
                "<w:r><w:drawing><wp:inline distT=\"0\" distB=\"0\" distL=\"0\" distR=\"0\"><wp:extent cx=\"{cx}\" cy=\"{cy}\"/><wp:docPr id=\"{id}\" name=\"photo {n}\" descr=\"{alt}\"/><wp:cNvGraphicFramePr/><a:graphic><a:graphicData uri=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><pic:pic><pic:nvPicPr><pic:cNvPr id=\"{id}\" name=\"photo{n}\"/><pic:cNvPicPr/></pic:nvPicPr><pic:blipFill><a:blip r:embed=\"rIdPhoto{n}\"/><a:stretch><a:fillRect/></a:stretch></pic:blipFill><pic:spPr><a:xfrm><a:off x=\"0\" y=\"0\"/><a:ext cx=\"{cx}\" cy=\"{cy}\"/></a:xfrm><a:prstGeom prst=\"rect\"><a:avLst/></a:prstGeom></pic:spPr></pic:pic></a:graphicData></a:graphic></wp:inline></w:drawing></w:r></w:p>"
            ));
            let head = TextStyle { bold: true, ..self.geo.small };
            let pitch = self.geo.small_pitch;
            let first = crate::layout::place_and_time(photo, lang);
            let caption = photo.caption.trim().to_owned();
            if !first.is_empty() {
                let p = P { keep_next: !caption.is_empty(), line: tw(pitch), jc: "center", ..P::default() };
                self.para(p, &head, &first)?;
            }
            if !caption.is_empty() {
                let st = self.geo.small;
                let p = P { line: tw(pitch), jc: "center", after: 120, ..P::default() };
                self.para(p, &st, &caption)?;
            }
            self.flush_xml()?;
        }
        Ok(())
    }
    fn keep_heading_with_photos(&mut self, _photos: &[ReportPhoto]) -> Result<(), ReportError> {
        // The heading keeps with the next paragraph (the first photo) by itself.
        Ok(())
    }
    fn keep_with_next_paragraph(&mut self, _h: f32) {
        self.keep = true;
    }
    fn keep_together(&mut self, _h: f32) -> Result<(), ReportError> {
        // Word keeps blocks together by "keep with next" on the paragraphs themselves.
        Ok(())
    }
    fn keep_heading_with_chart(&mut self, _rows: usize, _series: usize) -> Result<(), ReportError> {
        Ok(())
    }
    fn page_break(&mut self) -> Result<(), ReportError> {
        self.table_end();
        if self.started {
            self.page_break = true;
        }
        Ok(())
    }
}
