//! The PDF stage: the only module that uses printpdf (to parse and subset fonts). The file itself is
//! written here, page by page: each page's content stream goes to the output as soon as the page is laid
//! out, and only object offsets and the set of used glyphs stay in memory. Fonts come last.
//!
//! Glyphs are addressed so that early pages stay valid whatever the final subset looks like: for a
//! CID-keyed CFF font (Fandol, Noto CJK) the content stream uses the original font's CIDs, which the
//! subset's charset preserves; for a TrueType font it uses the original glyph ids and a `/CIDToGIDMap`
//! maps them to the subset's glyph ids. [`finish`](PdfWriter::finish) checks both against the subset.

mod fonts;

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::Write;

pub use fonts::FontSet;
use fonts::{ALL_FACES, TAGS, face_index, to_unicode, widths};

use crate::layout::{Face, Item, Page, Rgb, TextLine};
use crate::{Lang, RenderOptions, ReportError, RollupHeader, RollupItem, RollupRendered};

/// Document metadata.
pub(crate) struct Meta {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub deterministic: bool,
    pub lang: Lang,
    pub date: Option<chrono::NaiveDate>,
}

/// Appends a number with at most two decimals and no trailing zeros.
fn num(out: &mut Vec<u8>, v: f32) {
    let v = if v.is_finite() { v } else { 0.0 };
    let r = (f64::from(v) * 100.0).round() as i64;
    if r < 0 {
        out.push(b'-');
    }
    let a = r.unsigned_abs();
    let _ = write!(out, "{}", a / 100);
    let frac = a % 100;
    if frac != 0 {
        if frac.is_multiple_of(10) {
            let _ = write!(out, ".{}", frac / 10);
        } else {
            let _ = write!(out, ".{frac:02}");
        }
    }
}

fn nums(out: &mut Vec<u8>, vs: &[f32], op: &str) {
    for v in vs {
        num(out, *v);
        out.push(b' ');
    }
    out.extend_from_slice(op.as_bytes());
    out.push(b'\n');
}

fn clamp01(c: Rgb) -> [f32; 3] {
    [c.0.clamp(0.0, 1.0), c.1.clamp(0.0, 1.0), c.2.clamp(0.0, 1.0)]
}

/// A PDF text string: UTF-16BE with a byte-order mark, hex-encoded.
fn text_string(s: &str) -> String {
    let mut out = String::with_capacity(s.len() * 4 + 6);
    out.push_str("<FEFF");
    for u in s.encode_utf16() {
        let _ = write!(out, "{u:04X}");
    }
    out.push('>');
    out
}

/// Zlib-compresses `data` (through lopdf, which does it with flate2).
fn deflate(data: Vec<u8>) -> Result<(Vec<u8>, bool), ReportError> {
    let mut s = lopdf::Stream::new(lopdf::Dictionary::new(), data);
    s.compress().map_err(|e| ReportError::Pdf(e.to_string()))?;
    let compressed = s.dict.get(b"Filter").is_ok();
    Ok((s.content, compressed))
}

/// Glyphs used from one face: original glyph id -> the character it shows.
#[derive(Default)]
struct FaceUse {
    used: BTreeMap<u16, char>,
}

/// Writes a PDF one page at a time.
struct PdfWriter<'f, W: Write> {
    out: W,
    pos: u64,
    /// Byte offset of each object, by object number - 1.
    offsets: Vec<Option<u64>>,
    pages_id: u32,
    resources_id: u32,
    page_ids: Vec<u32>,
    fonts: &'f FontSet,
    uses: [FaceUse; 6],
    /// (face, char) -> code in the content stream, `None` when the face lacks the glyph.
    codes: HashMap<(Face, char), Option<u16>>,
}

/// Text state inside the page's text section, so repeated fonts, spacing and colours are not re-set.
#[derive(Default)]
struct TextState {
    font: Option<(Face, u32)>,
    color: Option<[u32; 3]>,
    spacing: u32,
}

impl<'f, W: Write> PdfWriter<'f, W> {
    fn new(out: W, fonts: &'f FontSet) -> Result<Self, ReportError> {
        let mut w = Self {
            out,
            pos: 0,
            offsets: Vec::new(),
            pages_id: 0,
            resources_id: 0,
            page_ids: Vec::new(),
            fonts,
            uses: Default::default(),
            codes: HashMap::new(),
        };
        w.raw(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")?;
        w.pages_id = w.alloc();
        w.resources_id = w.alloc();
        Ok(w)
    }

    fn raw(&mut self, b: &[u8]) -> Result<(), ReportError> {
        self.out.write_all(b)?;
        self.pos += b.len() as u64;
        Ok(())
    }

    fn alloc(&mut self) -> u32 {
        self.offsets.push(None);
        self.offsets.len() as u32
    }

    fn obj(&mut self, id: u32, body: &str) -> Result<(), ReportError> {
        self.offsets[id as usize - 1] = Some(self.pos);
        let s = format!("{id} 0 obj\n{body}\nendobj\n");
        self.raw(s.as_bytes())
    }

    /// A stream object; `dict` holds the entries besides /Length and /Filter.
    fn stream(&mut self, id: u32, dict: &str, data: Vec<u8>) -> Result<(), ReportError> {
        let (data, compressed) = deflate(data)?;
        self.offsets[id as usize - 1] = Some(self.pos);
        let filter = if compressed { " /Filter /FlateDecode" } else { "" };
        let head = format!("{id} 0 obj\n<< {dict} /Length {}{filter} >>\nstream\n", data.len());
        self.raw(head.as_bytes())?;
        self.raw(&data)?;
        self.raw(b"\nendstream\nendobj\n")
    }

    fn code(&mut self, face: Face, ch: char) -> Option<u16> {
        if let Some(c) = self.codes.get(&(face, ch)) {
            return *c;
        }
        let c = self.fonts.face(face).and_then(|l| {
            let gid = l.font.lookup_glyph_index(ch as u32).filter(|g| *g != 0)?;
            self.uses[face_index(face)].used.entry(gid).or_insert(ch);
            Some(l.code(gid))
        });
        self.codes.insert((face, ch), c);
        c
    }

    #[expect(clippy::too_many_arguments, reason = "one call site; a struct would only rename them")]
    fn text(
        &mut self,
        c: &mut Vec<u8>,
        boxes: &mut Vec<u8>,
        x: f32,
        y: f32,
        line: &TextLine,
        h: f32,
        ts: &mut TextState,
    ) {
        let col = clamp01(line.color);
        let key = col.map(f32::to_bits);
        if ts.color != Some(key) {
            nums(c, &col, "rg");
            ts.color = Some(key);
        }
        for r in &line.runs {
            let Some(face) = r.face else {
                // A character no font has is drawn as an outlined box, never left blank.
                let n = r.text.chars().count().max(1);
                let cw = r.width / n as f32;
                nums(boxes, &col, "RG");
                nums(boxes, &[0.6], "w");
                for k in 0..n {
                    let bx = x + r.x + k as f32 * cw + r.size * 0.08;
                    let bw = (cw - r.size * 0.16).max(1.0);
                    let bh = r.size * 0.86;
                    let top = y - r.size * 0.78;
                    nums(boxes, &[bx, h - top - bh, bw, bh], "re S");
                }
                continue;
            };
            if ts.font != Some((face, r.size.to_bits())) {
                let _ = write!(c, "/F{} ", face_index(face));
                nums(c, &[r.size], "Tf");
                ts.font = Some((face, r.size.to_bits()));
            }
            if ts.spacing != r.gap.to_bits() {
                nums(c, &[r.gap], "Tc");
                ts.spacing = r.gap.to_bits();
            }
            nums(c, &[1.0, 0.0, 0.0, 1.0, x + r.x, h - y], "Tm");
            c.push(b'<');
            for ch in r.text.chars() {
                let code = self.code(face, ch).unwrap_or(0);
                let _ = write!(c, "{code:04X}");
            }
            c.extend_from_slice(b"> Tj\n");
        }
    }

    /// Writes one page: shapes first (table shading lies under the text), then the text, then boxes
    /// for missing glyphs.
    fn page(&mut self, page: &Page) -> Result<(), ReportError> {
        let h = page.height;
        let mut c = Vec::with_capacity(page.items.len() * 8);
        let mut text = Vec::with_capacity(page.items.len() * 40);
        let mut boxes = Vec::new();
        let mut ts = TextState::default();
        text.extend_from_slice(b"BT\n");
        for (p, item) in &page.items {
            match item {
                Item::Line(l) | Item::Folio(l) => self.text(&mut text, &mut boxes, p.x, p.y, l, h, &mut ts),
                Item::Rect { w, h: rh, fill, stroke } => {
                    let op = match (fill, stroke) {
                        (Some(_), Some(_)) => "re B",
                        (Some(_), None) => "re f",
                        (None, Some(_)) => "re S",
                        (None, None) => continue,
                    };
                    if let Some(f) = fill {
                        nums(&mut c, &clamp01(*f), "rg");
                    }
                    if let Some((col, lw)) = stroke {
                        nums(&mut c, &clamp01(*col), "RG");
                        nums(&mut c, &[*lw], "w");
                    }
                    nums(&mut c, &[p.x, h - p.y - rh, *w, *rh], op);
                }
                Item::Rule { w, thickness, color } => {
                    nums(&mut c, &clamp01(*color), "RG");
                    nums(&mut c, &[*thickness], "w");
                    let y = h - p.y;
                    nums(&mut c, &[p.x, y], "m");
                    nums(&mut c, &[p.x + w, y], "l S");
                }
            }
        }
        text.extend_from_slice(b"ET\n");
        c.extend_from_slice(&text);
        c.extend_from_slice(&boxes);
        let content_id = self.alloc();
        let page_id = self.alloc();
        self.stream(content_id, "", c)?;
        let mut dict = String::with_capacity(160);
        dict.push_str("<< /Type /Page /Parent ");
        let _ = write!(dict, "{} 0 R /MediaBox [0 0 ", self.pages_id);
        let mut wh = Vec::new();
        num(&mut wh, page.width);
        wh.push(b' ');
        num(&mut wh, page.height);
        dict.push_str(&String::from_utf8_lossy(&wh));
        let _ = write!(dict, "] /Resources {} 0 R /Contents {content_id} 0 R >>", self.resources_id);
        self.obj(page_id, &dict)?;
        self.page_ids.push(page_id);
        Ok(())
    }

    /// Subsets and writes one face; returns its Type0 font object number.
    fn font(&mut self, face: Face) -> Result<Option<u32>, ReportError> {
        let i = face_index(face);
        let used = std::mem::take(&mut self.uses[i].used);
        // Check use first: asking for the fallback face would parse it.
        if used.is_empty() {
            return Ok(None);
        }
        let fonts = self.fonts;
        let Some(l) = fonts.face(face) else { return Ok(None) };
        let name = format!("{}+{}", TAGS[i], self.fonts.names[i]);
        let wanted: BTreeMap<u16, String> = used.iter().map(|(g, c)| (*g, c.to_string())).collect();
        let sub =
            printpdf::subset_font(&l.font, &wanted).map_err(|e| ReportError::Pdf(format!("{name}: {e}")))?;
        // (code, original gid, new gid, char)
        let mut glyphs: Vec<(u16, u16, u16, char)> = Vec::with_capacity(used.len());
        for (g, ch) in &used {
            let new = sub
                .glyph_mapping
                .get(g)
                .map(|x| x.0)
                .ok_or_else(|| ReportError::Pdf(format!("{name}: glyph {g} not in subset")))?;
            glyphs.push((l.code(*g), *g, new, *ch));
        }
        glyphs.sort_unstable();
        glyphs.dedup_by_key(|x| x.0);
        let is_cff = sub.bytes.starts_with(b"OTTO");
        let (file_key, program, cid_type) = if is_cff {
            let cff = printpdf::extract_cid_keyed_cff(&sub.bytes, 0)
                .ok_or_else(|| ReportError::Pdf(format!("{name}: a CFF font must be CID-keyed")))?;
            // The codes already written must select the same glyphs in the subset.
            let map = printpdf::cff_charset_gid_to_cid_map(&cff, 0).unwrap_or_default();
            for (code, _, new, _) in &glyphs {
                if l.cids().is_none() || map.get(new) != Some(code) {
                    return Err(ReportError::Pdf(format!("{name}: subset CIDs differ from the font's")));
                }
            }
            ("FontFile3", (cff, "/Subtype /CIDFontType0C".to_string()), "CIDFontType0")
        } else {
            let n = sub.bytes.len();
            ("FontFile2", (sub.bytes, format!("/Length1 {n}")), "CIDFontType2")
        };
        let m = &l.font.pdf_font_metrics;
        let s = 1000.0 / l.upem;
        let sc = |v: i16| (f32::from(v) * s).round() as i32;
        let file_id = self.alloc();
        self.stream(file_id, &program.1, program.0)?;
        let desc_id = self.alloc();
        self.obj(
            desc_id,
            &format!(
                "<< /Type /FontDescriptor /FontName /{name} /Flags 4 /FontBBox [{} {} {} {}] /ItalicAngle 0 /Ascent {} /Descent {} /CapHeight {} /StemV 80 /{file_key} {file_id} 0 R >>",
                sc(m.x_min),
                sc(m.y_min),
                sc(m.x_max),
                sc(m.y_max),
                sc(m.ascender),
                sc(m.descender),
                sc(m.ascender)
            ),
        )?;
        let w = widths(l, &glyphs, s);
        let mut cid_dict = format!(
            "<< /Type /Font /Subtype /{cid_type} /BaseFont /{name} /CIDSystemInfo << /Registry (Adobe) /Ordering (Identity) /Supplement 0 >> /FontDescriptor {desc_id} 0 R /DW 1000 /W {w}"
        );
        if !is_cff {
            // Codes are the original glyph ids; map them to the subset's.
            let max = glyphs.iter().map(|x| x.0).max().unwrap_or(0);
            let mut map = vec![0u8; (usize::from(max) + 1) * 2];
            for (code, _, new, _) in &glyphs {
                let k = usize::from(*code) * 2;
                map[k..k + 2].copy_from_slice(&new.to_be_bytes());
            }
            let map_id = self.alloc();
            self.stream(map_id, "", map)?;
            let _ = write!(cid_dict, " /CIDToGIDMap {map_id} 0 R");
        }
        cid_dict.push_str(" >>");
        let cid_id = self.alloc();
        self.obj(cid_id, &cid_dict)?;
        let cmap = to_unicode(&glyphs);
        let cmap_id = self.alloc();
        self.stream(cmap_id, "", cmap.into_bytes())?;
        let font_id = self.alloc();
        self.obj(
            font_id,
            &format!(
                "<< /Type /Font /Subtype /Type0 /BaseFont /{name} /Encoding /Identity-H /DescendantFonts [{cid_id} 0 R] /ToUnicode {cmap_id} 0 R >>"
            ),
        )?;
        Ok(Some(font_id))
    }

    /// Writes the fonts, the page tree, the metadata and the cross-reference table.
    fn finish(mut self, meta: &Meta) -> Result<W, ReportError> {
        let mut res = String::from("<< /ProcSet [/PDF /Text] /Font <<");
        for face in ALL_FACES {
            if let Some(id) = self.font(face)? {
                let _ = write!(res, " /F{} {id} 0 R", face_index(face));
            }
        }
        res.push_str(" >> >>");
        let rid = self.resources_id;
        self.obj(rid, &res)?;
        let mut kids = String::with_capacity(self.page_ids.len() * 9 + 64);
        let _ = write!(kids, "<< /Type /Pages /Count {} /Kids [", self.page_ids.len());
        for id in &self.page_ids {
            let _ = write!(kids, "{id} 0 R ");
        }
        kids.push_str("] >>");
        let pid = self.pages_id;
        self.obj(pid, &kids)?;
        let catalog = self.alloc();
        let lang = match meta.lang {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        };
        self.obj(
            catalog,
            &format!(
                "<< /Type /Catalog /Pages {pid} 0 R /Lang ({lang}) /ViewerPreferences << /DisplayDocTitle true >> >>"
            ),
        )?;

        let ts = if meta.deterministic {
            meta.date.and_then(|d| d.and_hms_opt(0, 0, 0)).map_or(946_684_800, |t| t.and_utc().timestamp())
        } else {
            chrono::Utc::now().timestamp()
        };
        let when = chrono::DateTime::from_timestamp(ts, 0).unwrap_or_default().format("D:%Y%m%d%H%M%SZ");
        let info = self.alloc();
        self.obj(
            info,
            &format!(
                "<< /Title {} /Author {} /Subject {} /Creator (eventday) /Producer (eventday-report) /CreationDate ({when}) /ModDate ({when}) >>",
                text_string(&meta.title),
                text_string(&meta.author),
                text_string(&meta.subject)
            ),
        )?;
        let id_seed = fnv(meta.title.as_bytes(), fnv(meta.author.as_bytes(), 0xcbf2_9ce4_8422_2325));
        let id = format!(
            "{:016x}{:016x}",
            id_seed,
            if meta.deterministic {
                id_seed.rotate_left(17)
            } else {
                ts as u64 ^ u64::from(std::process::id())
            }
        );
        let xref = self.pos;
        let mut x = String::with_capacity(self.offsets.len() * 20 + 200);
        let _ = write!(x, "xref\n0 {}\n0000000000 65535 f \n", self.offsets.len() + 1);
        for o in &self.offsets {
            match o {
                Some(o) => {
                    let _ = writeln!(x, "{o:010} 00000 n ");
                }
                None => x.push_str("0000000000 65535 f \n"),
            }
        }
        let _ = write!(
            x,
            "trailer\n<< /Size {} /Root {catalog} 0 R /Info {info} 0 R /ID [<{id}> <{id}>] >>\nstartxref\n{xref}\n%%EOF\n",
            self.offsets.len() + 1
        );
        self.raw(x.as_bytes())?;
        self.out.flush()?;
        Ok(self.out)
    }
}

fn fnv(bytes: &[u8], mut h: u64) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Renders laid-out pages to PDF bytes.
pub(crate) fn write_pdf(pages: &[Page], meta: &Meta, fonts: &FontSet) -> Result<Vec<u8>, ReportError> {
    let mut w = PdfWriter::new(Vec::with_capacity(64 * 1024), fonts)?;
    for p in pages {
        w.page(p)?;
    }
    w.finish(meta)
}

/// Roll-up: each page is written as soon as it is laid out; memory holds one page, the object offsets
/// and the used glyphs.
pub(crate) fn render_rollup<W: Write>(
    header: &RollupHeader,
    districts: impl Iterator<Item = RollupItem>,
    opts: &RenderOptions,
    fonts: &FontSet,
    out: W,
) -> Result<RollupRendered, ReportError> {
    let mut w = PdfWriter::new(CountingWriter { inner: out, n: 0 }, fonts)?;
    let mut sink = |p: crate::layout::Page| -> Result<(), ReportError> { w.page(&p) };
    let (pages, missing, n) =
        crate::layout::layout_rollup(header, districts, opts.lang, opts.style, fonts, &mut sink)?;
    let meta = Meta {
        title: crate::layout::rollup_title(header, opts.lang),
        author: header.organization.clone(),
        subject: match opts.lang {
            Lang::Zh => "“3·15”活动汇总".to_string(),
            Lang::En => "“3·15” campaign roll-up".to_string(),
        },
        deterministic: opts.deterministic,
        lang: opts.lang,
        date: None,
    };
    let counter = w.finish(&meta)?;
    Ok(RollupRendered { bytes: counter.n, missing_chars: missing.into_iter().collect(), pages, districts: n })
}

struct CountingWriter<W: Write> {
    inner: W,
    n: u64,
}

impl<W: Write> Write for CountingWriter<W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let k = self.inner.write(buf)?;
        self.n += k as u64;
        Ok(k)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn numbers_are_short_and_exact_to_two_decimals() {
        let mut v = Vec::new();
        for x in [0.0, 1.0, -2.5, 3.14259, 0.05, 841.89] {
            num(&mut v, x);
            v.push(b' ');
        }
        assert_eq!(String::from_utf8_lossy(&v), "0 1 -2.5 3.14 0.05 841.89 ");
    }

    #[test]
    fn text_strings_are_utf16_hex() {
        assert_eq!(text_string("A中"), "<FEFF00414E2D>");
    }
}
