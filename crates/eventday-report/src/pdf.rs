//! The PDF stage: the only module that uses printpdf (to parse and subset fonts). The file itself is
//! written here, page by page: each page's content stream goes to the output as soon as the page is laid
//! out, and only object offsets and the set of used glyphs stay in memory. Fonts come last.
//!
//! Glyphs are addressed so that early pages stay valid whatever the final subset looks like: for a
//! CID-keyed CFF font (Fandol, Noto CJK) the content stream uses the original font's CIDs, which the
//! subset's charset preserves; for a TrueType font it uses the original glyph ids and a `/CIDToGIDMap`
//! maps them to the subset's glyph ids. [`finish`](PdfWriter::finish) checks both against the subset.

use std::collections::{BTreeMap, HashMap};
use std::fmt::Write as _;
use std::io::Write;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use printpdf::ParsedFont;

use crate::layout::{Face, Item, Metrics, Page, Rgb, TextLine};
use crate::{Lang, RenderOptions, ReportError, RollupDistrict, RollupHeader, RollupRendered};

static SONG_REGULAR: &[u8] = include_bytes!("../../../assets/fonts/FandolSong-Regular.otf");
static SONG_BOLD: &[u8] = include_bytes!("../../../assets/fonts/FandolSong-Bold.otf");
static FANG: &[u8] = include_bytes!("../../../assets/fonts/FandolFang-Regular.otf");
static LATIN_REGULAR: &[u8] = include_bytes!("../../../assets/fonts/LiberationSerif-Regular.ttf");
static LATIN_BOLD: &[u8] = include_bytes!("../../../assets/fonts/LiberationSerif-Bold.ttf");

/// Where the system Noto Serif CJK SC lives on Debian, and its face index in the collection.
const NOTO_PATHS: &[(&str, usize)] = &[
    ("/usr/share/fonts/opentype/noto/NotoSerifCJK-Regular.ttc", 2),
    ("/usr/share/fonts/opentype/noto/NotoSansCJK-Regular.ttc", 2),
    ("/usr/share/fonts/noto-cjk/NotoSerifCJK-Regular.ttc", 2),
    ("/usr/share/fonts/google-noto-cjk/NotoSerifCJK-Regular.ttc", 2),
];

enum FallbackSource {
    None,
    File(PathBuf, usize),
    Bytes(Arc<[u8]>, usize),
}

/// A parsed face: the font, its units per em, and (once asked for) how glyph ids become codes.
struct Loaded {
    font: ParsedFont,
    upem: f32,
    /// `Some(cid per gid)` for a CID-keyed CFF font, `None` when codes are glyph ids.
    cids: OnceLock<Option<Vec<u16>>>,
}

impl Loaded {
    fn cids(&self) -> Option<&[u16]> {
        self.cids
            .get_or_init(|| {
                let bytes = self.font.source_bytes()?;
                cff_cids(bytes.as_slice(), self.font.original_index)
            })
            .as_deref()
    }

    /// The code a content stream uses for glyph `gid`.
    fn code(&self, gid: u16) -> u16 {
        match self.cids() {
            Some(v) => v.get(usize::from(gid)).copied().unwrap_or(0),
            None => gid,
        }
    }
}

fn be16(b: &[u8], at: usize) -> Option<usize> {
    Some(usize::from(u16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?])))
}

fn be32(b: &[u8], at: usize) -> Option<usize> {
    let x = b.get(at..at + 4)?;
    usize::try_from(u32::from_be_bytes([x[0], x[1], x[2], x[3]])).ok()
}

/// (count, start of the first entry's data, end of the INDEX) of the CFF INDEX at `at`.
fn cff_index(b: &[u8], at: usize) -> Option<(usize, usize, usize)> {
    let count = be16(b, at)?;
    if count == 0 {
        return Some((0, at + 2, at + 2));
    }
    let off_size = usize::from(*b.get(at + 2)?);
    let read = |i: usize| -> Option<usize> {
        let p = at + 3 + i * off_size;
        b.get(p..p + off_size).map(|x| x.iter().fold(0usize, |a, d| (a << 8) | usize::from(*d)))
    };
    let data = at + 3 + (count + 1) * off_size - 1;
    Some((count, data + read(0)?, data + read(count)?))
}

/// The integer operands of a CFF DICT, by operator (escaped operators as 1200 + n).
fn cff_dict(b: &[u8]) -> Option<HashMap<u16, Vec<i32>>> {
    let mut out = HashMap::new();
    let mut ops = Vec::new();
    let mut i = 0;
    while i < b.len() {
        let v = b[i];
        match v {
            0..=21 => {
                let key = if v == 12 {
                    i += 1;
                    1200 + u16::from(*b.get(i)?)
                } else {
                    u16::from(v)
                };
                out.insert(key, std::mem::take(&mut ops));
                i += 1;
            }
            28 => {
                ops.push(i32::from(i16::from_be_bytes([*b.get(i + 1)?, *b.get(i + 2)?])));
                i += 3;
            }
            29 => {
                let x = b.get(i + 1..i + 5)?;
                ops.push(i32::from_be_bytes([x[0], x[1], x[2], x[3]]));
                i += 5;
            }
            30 => {
                // A real number: skip its nibbles up to the end marker.
                i += 1;
                while i < b.len() && b[i] & 0x0f != 0x0f && b[i] >> 4 != 0x0f {
                    i += 1;
                }
                ops.push(0);
                i += 1;
            }
            32..=246 => {
                ops.push(i32::from(v) - 139);
                i += 1;
            }
            247..=250 => {
                ops.push((i32::from(v) - 247) * 256 + i32::from(*b.get(i + 1)?) + 108);
                i += 2;
            }
            251..=254 => {
                ops.push(-(i32::from(v) - 251) * 256 - i32::from(*b.get(i + 1)?) - 108);
                i += 2;
            }
            _ => i += 1,
        }
    }
    Some(out)
}

/// The CID of every glyph of a CID-keyed CFF font (face `index` of an sfnt or collection), read
/// straight from its charset; `None` for TrueType and name-keyed CFF fonts.
fn cff_cids(font: &[u8], index: usize) -> Option<Vec<u16>> {
    let sfnt = if font.starts_with(b"ttcf") { be32(font, 12 + 4 * index)? } else { 0 };
    let tables = be16(font, sfnt + 4)?;
    let cff = (0..tables).find_map(|t| {
        let rec = sfnt + 12 + 16 * t;
        (font.get(rec..rec + 4)? == b"CFF ").then_some(())?;
        let (off, len) = (be32(font, rec + 8)?, be32(font, rec + 12)?);
        font.get(off..off + len)
    })?;
    let (_, _, names_end) = cff_index(cff, usize::from(*cff.get(2)?))?;
    let (n, top, top_end) = cff_index(cff, names_end)?;
    // An OpenType CFF table holds exactly one font.
    if n != 1 {
        return None;
    }
    let dict = cff_dict(cff.get(top..top_end)?)?;
    // Only CID-keyed fonts (ROS operator) have CIDs.
    dict.get(&1230)?;
    let charset = usize::try_from(*dict.get(&15)?.first()?).ok()?;
    let glyphs = be16(cff, usize::try_from(*dict.get(&17)?.first()?).ok()?)?;
    let mut cids = Vec::with_capacity(glyphs);
    cids.push(0u16);
    let format = *cff.get(charset)?;
    let mut p = charset + 1;
    while cids.len() < glyphs {
        match format {
            0 => {
                cids.push(u16::try_from(be16(cff, p)?).ok()?);
                p += 2;
            }
            1 | 2 => {
                let first = be16(cff, p)?;
                let left = if format == 1 { usize::from(*cff.get(p + 2)?) } else { be16(cff, p + 2)? };
                p += if format == 1 { 3 } else { 4 };
                for k in 0..=left {
                    cids.push(u16::try_from(first + k).ok()?);
                }
            }
            _ => return None,
        }
    }
    cids.truncate(glyphs);
    Some(cids)
}

/// The fonts a report is set in: FandolSong (regular, bold), FandolFang, a Latin serif, and an optional
/// CJK fallback parsed lazily the first time a character is missing from Fandol.
pub struct FontSet {
    /// Parsed faces; bundled faces other than Song Regular are parsed the first time they are asked for
    /// (the modern style never needs FangSong).
    faces: [OnceLock<Option<Loaded>>; 5],
    lazy: [Option<&'static [u8]>; 5],
    names: [&'static str; 6],
    fallback_src: FallbackSource,
    fallback: OnceLock<Option<Loaded>>,
}

impl std::fmt::Debug for FontSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FontSet")
            .field("parsed", &self.faces.iter().filter(|x| x.get().is_some()).count())
            .finish()
    }
}

fn parse(name: &str, bytes: &[u8], index: usize) -> Result<Loaded, ReportError> {
    let mut warnings = Vec::new();
    let font = ParsedFont::from_bytes(bytes, index, &mut warnings)
        .ok_or_else(|| ReportError::Font(name.to_string()))?;
    let upem = f32::from(font.pdf_font_metrics.units_per_em.max(1));
    Ok(Loaded { font, upem, cids: OnceLock::new() })
}

impl FontSet {
    /// The fonts shipped in `assets/fonts`, plus the system Noto Serif CJK SC as fallback when installed.
    ///
    /// # Errors
    /// When a bundled font does not parse (it does).
    pub fn bundled() -> Result<Self, ReportError> {
        let mut set = Self {
            faces: [const { OnceLock::new() }; 5],
            lazy: [None, Some(SONG_BOLD), Some(FANG), Some(LATIN_REGULAR), Some(LATIN_BOLD)],
            names: [""; 6],
            fallback_src: FallbackSource::None,
            fallback: OnceLock::new(),
        };
        let _ = set.faces[0].set(Some(parse("song regular", SONG_REGULAR, 0)?));
        set.names = [
            "FandolSong-Regular",
            "FandolSong-Bold",
            "FandolFang-Regular",
            "LiberationSerif",
            "LiberationSerif-Bold",
            "NotoSerifCJKsc-Regular",
        ];
        if let Some((p, i)) = NOTO_PATHS.iter().find(|(p, _)| std::path::Path::new(p).exists()) {
            set.fallback_src = FallbackSource::File(PathBuf::from(p), *i);
        }
        Ok(set)
    }

    /// Fonts from bytes: Song regular, Song bold, FangSong, and optionally a Latin (regular, bold) pair.
    /// CFF fonts must be CID-keyed (as CJK fonts are); TrueType fonts may be anything.
    ///
    /// # Errors
    /// When a font does not parse.
    pub fn from_bytes(
        song: &[u8],
        song_bold: &[u8],
        fang: &[u8],
        latin: Option<(&[u8], &[u8])>,
    ) -> Result<Self, ReportError> {
        let (lr, lb) = match latin {
            Some((r, b)) => (Some(parse("latin regular", r, 0)?), Some(parse("latin bold", b, 0)?)),
            None => (None, None),
        };
        let faces = [
            Some(parse("song regular", song, 0)?),
            Some(parse("song bold", song_bold, 0)?),
            Some(parse("fangsong", fang, 0)?),
            lr,
            lb,
        ]
        .map(OnceLock::from);
        Ok(Self {
            faces,
            lazy: [None; 5],
            names: ["Song-Regular", "Song-Bold", "FangSong", "Latin-Regular", "Latin-Bold", "CJK-Fallback"],
            fallback_src: FallbackSource::None,
            fallback: OnceLock::new(),
        })
    }

    /// Uses the font collection at `path` (face `index`) for characters the main fonts lack.
    #[must_use]
    pub fn with_fallback_file(mut self, path: impl Into<PathBuf>, index: usize) -> Self {
        self.fallback_src = FallbackSource::File(path.into(), index);
        self.fallback = OnceLock::new();
        self
    }

    /// Uses these font bytes (face `index`) for characters the main fonts lack.
    #[must_use]
    pub fn with_fallback_bytes(mut self, bytes: impl Into<Arc<[u8]>>, index: usize) -> Self {
        self.fallback_src = FallbackSource::Bytes(bytes.into(), index);
        self.fallback = OnceLock::new();
        self
    }

    /// No fallback font (characters Fandol lacks are reported as missing).
    #[must_use]
    pub fn without_fallback(mut self) -> Self {
        self.fallback_src = FallbackSource::None;
        self.fallback = OnceLock::new();
        self
    }

    fn face(&self, face: Face) -> Option<&Loaded> {
        match face {
            Face::SongRegular | Face::SongBold | Face::Fang | Face::LatinRegular | Face::LatinBold => {
                let i = face_index(face);
                self.faces[i]
                    .get_or_init(|| self.lazy[i].and_then(|b| parse(self.names[i], b, 0).ok()))
                    .as_ref()
            }
            Face::Fallback => self
                .fallback
                .get_or_init(|| match &self.fallback_src {
                    FallbackSource::None => None,
                    FallbackSource::File(p, i) => {
                        std::fs::read(p).ok().and_then(|b| parse("fallback", &b, *i).ok())
                    }
                    FallbackSource::Bytes(b, i) => parse("fallback", b, *i).ok(),
                })
                .as_ref(),
        }
    }
}

impl Metrics for FontSet {
    fn advance(&self, face: Face, ch: char) -> Option<f32> {
        let l = self.face(face)?;
        let gid = l.font.lookup_glyph_index(ch as u32).filter(|g| *g != 0)?;
        Some(f32::from(l.font.get_horizontal_advance(gid)) / l.upem)
    }
}

const ALL_FACES: [Face; 6] =
    [Face::SongRegular, Face::SongBold, Face::Fang, Face::LatinRegular, Face::LatinBold, Face::Fallback];

fn face_index(face: Face) -> usize {
    match face {
        Face::SongRegular => 0,
        Face::SongBold => 1,
        Face::Fang => 2,
        Face::LatinRegular => 3,
        Face::LatinBold => 4,
        Face::Fallback => 5,
    }
}

/// Fixed subset tags, so output stays deterministic.
const TAGS: [&str; 6] = ["SONGRG", "SONGBD", "FANGRG", "LATNRG", "LATNBD", "NOTOSC"];

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
        // Widths, runs of consecutive codes grouped.
        let mut w = String::from("[");
        let mut prev: Option<u16> = None;
        for (code, g, _, _) in &glyphs {
            let adv = (f32::from(l.font.get_horizontal_advance(*g)) * s).round() as i32;
            if prev.is_some_and(|p| p + 1 == *code) {
                let _ = write!(w, " {adv}");
            } else {
                if prev.is_some() {
                    w.push(']');
                }
                let _ = write!(w, " {code} [{adv}");
            }
            prev = Some(*code);
        }
        if prev.is_some() {
            w.push(']');
        }
        w.push_str(" ]");
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
        // ToUnicode.
        let mut cmap = String::from(
            "/CIDInit /ProcSet findresource begin\n12 dict begin\nbegincmap\n/CIDSystemInfo << /Registry (Adobe) /Ordering (UCS) /Supplement 0 >> def\n/CMapName /Adobe-Identity-UCS def\n/CMapType 2 def\n1 begincodespacerange\n<0000> <FFFF>\nendcodespacerange\n",
        );
        for chunk in glyphs.chunks(100) {
            let _ = writeln!(cmap, "{} beginbfchar", chunk.len());
            for (code, _, _, ch) in chunk {
                let _ = write!(cmap, "<{code:04X}> <");
                let mut b = [0u16; 2];
                for u in ch.encode_utf16(&mut b) {
                    let _ = write!(cmap, "{u:04X}");
                }
                cmap.push_str(">\n");
            }
            cmap.push_str("endbfchar\n");
        }
        cmap.push_str("endcmap\nCMapName currentdict /CMap defineresource pop\nend\nend\n");
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
    districts: impl Iterator<Item = RollupDistrict>,
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
    fn our_charset_reader_agrees_with_printpdf() {
        let mut fonts: Vec<(Vec<u8>, usize)> =
            [SONG_REGULAR, SONG_BOLD, FANG].iter().map(|b| (b.to_vec(), 0)).collect();
        if let Some((p, i)) = NOTO_PATHS.iter().find(|(p, _)| std::path::Path::new(p).exists()) {
            fonts.push((std::fs::read(p).unwrap_or_default(), *i));
        }
        for (bytes, index) in &fonts {
            let ours = cff_cids(bytes, *index).unwrap_or_default();
            let theirs = printpdf::cff_charset_gid_to_cid_map(bytes, *index).unwrap_or_default();
            assert!(ours.len() > 1000, "{} glyphs", ours.len());
            assert_eq!(ours.len(), theirs.len());
            for (g, c) in theirs {
                assert_eq!(ours[usize::from(g)], c, "glyph {g}");
            }
        }
        assert_eq!(cff_cids(LATIN_REGULAR, 0), None);
    }

    #[test]
    fn text_strings_are_utf16_hex() {
        assert_eq!(text_string("A中"), "<FEFF00414E2D>");
    }
}
