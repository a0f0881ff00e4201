//! The fonts: the bundled faces and the optional CJK fallback, read in place (the table directory,
//! then `cmap`, `hmtx`, `head` and `hhea` looked up per glyph: a cold process touches only the pages
//! of the font file it uses), how glyph ids become content-stream codes (a CID-keyed CFF font's CIDs,
//! read from its charset), and the per-font objects built from a subset (widths, ToUnicode).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use crate::ReportError;
use crate::layout::{Face, Metrics};

static SONG_REGULAR: &[u8] = include_bytes!("../../../../assets/fonts/FandolSong-Regular.otf");
static SONG_BOLD: &[u8] = include_bytes!("../../../../assets/fonts/FandolSong-Bold.otf");
static FANG: &[u8] = include_bytes!("../../../../assets/fonts/FandolFang-Regular.otf");
static HEI: &[u8] = include_bytes!("../../../../assets/fonts/FandolHei-Regular.otf");
static KAI: &[u8] = include_bytes!("../../../../assets/fonts/FandolKai-Regular.otf");
static LATIN_REGULAR: &[u8] = include_bytes!("../../../../assets/fonts/LiberationSerif-Regular.ttf");
static LATIN_BOLD: &[u8] = include_bytes!("../../../../assets/fonts/LiberationSerif-Bold.ttf");

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

/// The bytes of a face: borrowed from the binary for the bundled fonts (nothing is copied, and
/// only the pages a document touches are read), shared for a fallback read from disk.
pub(super) enum FontBytes {
    Static(&'static [u8]),
    Shared(Arc<[u8]>),
}

impl FontBytes {
    fn as_slice(&self) -> &[u8] {
        match self {
            Self::Static(b) => b,
            Self::Shared(b) => b,
        }
    }
}

/// The metrics a `/FontDescriptor` needs, in font units (`head` bounding box, `hhea` ascender and
/// descender).
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) struct FaceMetrics {
    pub(super) x_min: i16,
    pub(super) y_min: i16,
    pub(super) x_max: i16,
    pub(super) y_max: i16,
    pub(super) ascender: i16,
    pub(super) descender: i16,
}

/// Where a face's character map lives: a format 4 (BMP) or format 12 (full Unicode) subtable.
#[derive(Debug, Clone, Copy)]
enum CmapTable {
    Format4(usize),
    Format12(usize),
}

/// A face read in place: the table offsets it needs for glyph lookup and advances, found once by
/// reading the table directory (microseconds; nothing is decoded ahead of use).
pub(super) struct Loaded {
    bytes: FontBytes,
    /// Face index within a collection (0 for a plain font file).
    pub(super) index: usize,
    pub(super) upem: f32,
    pub(super) metrics: FaceMetrics,
    cmap: CmapTable,
    hmtx: usize,
    h_metrics: usize,
    glyphs: usize,
    /// `Some(cid per gid)` for a CID-keyed CFF font, `None` when codes are glyph ids.
    cids: OnceLock<Option<Vec<u16>>>,
}

impl Loaded {
    /// Reads face `index` of `bytes`; `None` when a table it needs is missing or malformed.
    fn read(bytes: FontBytes, index: usize) -> Option<Self> {
        let b = bytes.as_slice();
        let table = |tag: &[u8; 4]| find_table(b, index, tag);
        let i16_at = |at: usize| -> Option<i16> { Some(i16::from_be_bytes([*b.get(at)?, *b.get(at + 1)?])) };
        let (head, _) = table(b"head")?;
        let (hhea, _) = table(b"hhea")?;
        let (maxp, _) = table(b"maxp")?;
        let (hmtx, hmtx_len) = table(b"hmtx")?;
        let (cmap, _) = table(b"cmap")?;
        let upem = be16(b, head + 18)?.max(1);
        let metrics = FaceMetrics {
            x_min: i16_at(head + 36)?,
            y_min: i16_at(head + 38)?,
            x_max: i16_at(head + 40)?,
            y_max: i16_at(head + 42)?,
            ascender: i16_at(hhea + 4)?,
            descender: i16_at(hhea + 6)?,
        };
        let h_metrics = be16(b, hhea + 34)?;
        let glyphs = be16(b, maxp + 4)?;
        if h_metrics == 0 || hmtx_len < h_metrics * 4 {
            return None;
        }
        let cmap = Self::pick_cmap(b, cmap)?;
        Some(Self {
            bytes,
            index,
            upem: upem as f32,
            metrics,
            cmap,
            hmtx,
            h_metrics,
            glyphs,
            cids: OnceLock::new(),
        })
    }

    /// The Unicode subtable: full-repertoire format 12 first, else a BMP format 4.
    fn pick_cmap(b: &[u8], cmap: usize) -> Option<CmapTable> {
        let n = be16(b, cmap + 2)?;
        let mut best: Option<(u8, CmapTable)> = None;
        for k in 0..n {
            let rec = cmap + 4 + 8 * k;
            let (platform, encoding) = (be16(b, rec)?, be16(b, rec + 2)?);
            let at = cmap + be32(b, rec + 4)?;
            let unicode = matches!((platform, encoding), (0, _) | (3, 1) | (3, 10));
            if !unicode {
                continue;
            }
            let found = match be16(b, at)? {
                12 => (2, CmapTable::Format12(at)),
                4 => (1, CmapTable::Format4(at)),
                _ => continue,
            };
            if best.as_ref().is_none_or(|(rank, _)| found.0 > *rank) {
                best = Some(found);
            }
        }
        best.map(|(_, t)| t)
    }

    /// The font file's bytes.
    pub(super) fn bytes(&self) -> &[u8] {
        self.bytes.as_slice()
    }

    /// The bytes of table `tag` of this face.
    pub(super) fn table(&self, tag: &[u8; 4]) -> Option<&[u8]> {
        let (off, len) = find_table(self.bytes(), self.index, tag)?;
        self.bytes().get(off..off + len)
    }

    /// The glyph that shows `ch`, `None` when the face has none (glyph 0 is "missing").
    pub(super) fn glyph(&self, ch: char) -> Option<u16> {
        let b = self.bytes();
        let c = u32::from(ch);
        let gid = match self.cmap {
            CmapTable::Format12(at) => {
                let groups = be32(b, at + 12)?;
                let (mut lo, mut hi) = (0usize, groups);
                let mut found = None;
                while lo < hi {
                    let mid = usize::midpoint(lo, hi);
                    let g = at + 16 + 12 * mid;
                    let (start, end) =
                        (u32::try_from(be32(b, g)?).ok()?, u32::try_from(be32(b, g + 4)?).ok()?);
                    if c < start {
                        hi = mid;
                    } else if c > end {
                        lo = mid + 1;
                    } else {
                        found = Some(u32::try_from(be32(b, g + 8)?).ok()? + (c - start));
                        break;
                    }
                }
                u16::try_from(found?).ok()?
            }
            CmapTable::Format4(at) => {
                let c = u16::try_from(c).ok()?;
                let seg2 = be16(b, at + 6)?;
                let ends = at + 14;
                let starts = ends + seg2 + 2;
                let deltas = starts + seg2;
                let ranges = deltas + seg2;
                // The first segment whose end is at or after `c`.
                let (mut lo, mut hi) = (0usize, seg2 / 2);
                while lo < hi {
                    let mid = usize::midpoint(lo, hi);
                    if be16(b, ends + 2 * mid)? < usize::from(c) {
                        lo = mid + 1;
                    } else {
                        hi = mid;
                    }
                }
                let s = lo;
                if s >= seg2 / 2 || be16(b, starts + 2 * s)? > usize::from(c) {
                    return None;
                }
                let start = u16::try_from(be16(b, starts + 2 * s)?).ok()?;
                let delta = u16::try_from(be16(b, deltas + 2 * s)?).ok()?;
                let range = be16(b, ranges + 2 * s)?;
                if range == 0 {
                    c.wrapping_add(delta)
                } else {
                    let at = ranges + 2 * s + range + 2 * usize::from(c - start);
                    let g = u16::try_from(be16(b, at)?).ok()?;
                    if g == 0 {
                        return None;
                    }
                    g.wrapping_add(delta)
                }
            }
        };
        (gid != 0 && usize::from(gid) < self.glyphs).then_some(gid)
    }

    /// The advance width of glyph `gid`, in font units.
    pub(super) fn advance(&self, gid: u16) -> u16 {
        let i = usize::from(gid).min(self.h_metrics - 1);
        be16(self.bytes(), self.hmtx + 4 * i).and_then(|a| u16::try_from(a).ok()).unwrap_or(0)
    }

    pub(super) fn cids(&self) -> Option<&[u16]> {
        self.cids.get_or_init(|| cff_cids(self.bytes(), self.index)).as_deref()
    }

    /// The code a content stream uses for glyph `gid`.
    pub(super) fn code(&self, gid: u16) -> u16 {
        match self.cids() {
            Some(v) => v.get(usize::from(gid)).copied().unwrap_or(0),
            None => gid,
        }
    }
}

/// (offset, length) of table `tag` of face `index` of an sfnt file or collection.
fn find_table(b: &[u8], index: usize, tag: &[u8; 4]) -> Option<(usize, usize)> {
    let sfnt = if b.starts_with(b"ttcf") { be32(b, 12 + 4 * index)? } else { 0 };
    let tables = be16(b, sfnt + 4)?;
    (0..tables).find_map(|t| {
        let rec = sfnt + 12 + 16 * t;
        (b.get(rec..rec + 4)? == tag).then_some(())?;
        let (off, len) = (be32(b, rec + 8)?, be32(b, rec + 12)?);
        b.get(off..off + len)?;
        Some((off, len))
    })
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
    let (off, len) = find_table(font, index, b"CFF ")?;
    let cff = font.get(off..off + len)?;
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

/// Number of faces a [`FontSet`] holds besides the fallback.
const MAIN_FACES: usize = 7;

/// The fonts a report is set in: FandolSong (regular, bold), FandolFang, FandolHei, FandolKai, a Latin
/// serif, and an optional CJK fallback parsed lazily the first time a character is missing from Fandol.
pub struct FontSet {
    /// Parsed faces; every face is parsed the first time a document asks for one of its glyphs, so a
    /// document pays only for the faces it uses (the modern style never needs FangSong, Hei or Kai).
    faces: [OnceLock<Option<Loaded>>; MAIN_FACES],
    lazy: [Option<&'static [u8]>; MAIN_FACES],
    pub(super) names: [&'static str; MAIN_FACES + 1],
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

fn parse(name: &str, bytes: FontBytes, index: usize) -> Result<Loaded, ReportError> {
    Loaded::read(bytes, index).ok_or_else(|| ReportError::Font(name.to_string()))
}

/// Copies caller-owned bytes so the face can outlive the borrow.
fn owned(bytes: &[u8]) -> FontBytes {
    FontBytes::Shared(Arc::from(bytes))
}

impl FontSet {
    /// The fonts shipped in `assets/fonts`, plus the system Noto Serif CJK SC as fallback when installed.
    ///
    /// # Errors
    /// When a bundled font does not parse (it does).
    pub fn bundled() -> Result<Self, ReportError> {
        let mut set = Self {
            faces: [const { OnceLock::new() }; MAIN_FACES],
            lazy: [
                Some(SONG_REGULAR),
                Some(SONG_BOLD),
                Some(FANG),
                Some(LATIN_REGULAR),
                Some(LATIN_BOLD),
                Some(HEI),
                Some(KAI),
            ],
            names: [
                "FandolSong-Regular",
                "FandolSong-Bold",
                "FandolFang-Regular",
                "LiberationSerif",
                "LiberationSerif-Bold",
                "FandolHei-Regular",
                "FandolKai-Regular",
                "NotoSerifCJKsc-Regular",
            ],
            fallback_src: FallbackSource::None,
            fallback: OnceLock::new(),
        };
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
            Some((r, b)) => {
                (Some(parse("latin regular", owned(r), 0)?), Some(parse("latin bold", owned(b), 0)?))
            }
            None => (None, None),
        };
        let faces = [
            Some(parse("song regular", owned(song), 0)?),
            Some(parse("song bold", owned(song_bold), 0)?),
            Some(parse("fangsong", owned(fang), 0)?),
            lr,
            lb,
            None,
            None,
        ]
        .map(OnceLock::from);
        Ok(Self {
            faces,
            lazy: [None; MAIN_FACES],
            names: [
                "Song-Regular",
                "Song-Bold",
                "FangSong",
                "Latin-Regular",
                "Latin-Bold",
                "Hei",
                "Kai",
                "CJK-Fallback",
            ],
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

    pub(super) fn face(&self, face: Face) -> Option<&Loaded> {
        match face {
            Face::SongRegular
            | Face::SongBold
            | Face::Fang
            | Face::LatinRegular
            | Face::LatinBold
            | Face::Hei
            | Face::Kai => {
                let i = face_index(face);
                self.faces[i]
                    .get_or_init(|| {
                        self.lazy[i].and_then(|b| parse(self.names[i], FontBytes::Static(b), 0).ok())
                    })
                    .as_ref()
            }
            Face::Fallback => self
                .fallback
                .get_or_init(|| match &self.fallback_src {
                    FallbackSource::None => None,
                    FallbackSource::File(p, i) => std::fs::read(p)
                        .ok()
                        .and_then(|b| parse("fallback", FontBytes::Shared(b.into()), *i).ok()),
                    FallbackSource::Bytes(b, i) => parse("fallback", FontBytes::Shared(b.clone()), *i).ok(),
                })
                .as_ref(),
        }
    }
}

impl Metrics for FontSet {
    fn advance(&self, face: Face, ch: char) -> Option<f32> {
        let l = self.face(face)?;
        let gid = l.glyph(ch)?;
        Some(f32::from(l.advance(gid)) / l.upem)
    }
}

pub(super) const ALL_FACES: [Face; MAIN_FACES + 1] = [
    Face::SongRegular,
    Face::SongBold,
    Face::Fang,
    Face::LatinRegular,
    Face::LatinBold,
    Face::Hei,
    Face::Kai,
    Face::Fallback,
];

pub(super) fn face_index(face: Face) -> usize {
    match face {
        Face::SongRegular => 0,
        Face::SongBold => 1,
        Face::Fang => 2,
        Face::LatinRegular => 3,
        Face::LatinBold => 4,
        Face::Hei => 5,
        Face::Kai => 6,
        Face::Fallback => 7,
    }
}

/// Fixed subset tags, so output stays deterministic.
pub(super) const TAGS: [&str; MAIN_FACES + 1] =
    ["SONGRG", "SONGBD", "FANGRG", "LATNRG", "LATNBD", "HEIRGL", "KAIRGL", "NOTOSC"];

/// The `/W` array of a CID font: advances in 1/1000 em, runs of consecutive codes grouped.
/// `glyphs` are (code, original gid, new gid, char), sorted by code.
pub(super) fn widths(l: &Loaded, glyphs: &[(u16, u16, u16, char)], s: f32) -> String {
    let mut w = String::from("[");
    let mut prev: Option<u16> = None;
    for (code, g, _, _) in glyphs {
        let adv = (f32::from(l.advance(*g)) * s).round() as i32;
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
    w
}

/// The `/ToUnicode` CMap: code -> the character it shows, so text can be extracted.
pub(super) fn to_unicode(glyphs: &[(u16, u16, u16, char)]) -> String {
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
    cmap
}

#[cfg(test)]
mod tests {
    use super::*;

    /// Our in-place reader against allsorts's full parse: every character the font maps, every
    /// glyph's advance, the metrics, and a character no face has.
    #[test]
    fn our_cmap_and_metrics_reader_agrees_with_allsorts() {
        use allsorts::binary::read::ReadScope;
        use allsorts::font_data::FontData;
        use allsorts::tables::cmap::Cmap;
        use allsorts::tables::{FontTableProvider, HeadTable, HheaTable, HmtxTable, MaxpTable};
        use allsorts::tag;
        for bytes in [SONG_REGULAR, SONG_BOLD, FANG, HEI, KAI, LATIN_REGULAR, LATIN_BOLD] {
            let ours = Loaded::read(FontBytes::Static(bytes), 0).unwrap();
            let file = ReadScope::new(bytes).read::<FontData<'_>>().unwrap();
            let p = file.table_provider(0).unwrap();
            let head = p.read_table_data(tag::HEAD).unwrap();
            let head = ReadScope::new(&head).read::<HeadTable>().unwrap();
            let hhea = p.read_table_data(tag::HHEA).unwrap();
            let hhea = ReadScope::new(&hhea).read::<HheaTable>().unwrap();
            let maxp = p.read_table_data(tag::MAXP).unwrap();
            let maxp = ReadScope::new(&maxp).read::<MaxpTable>().unwrap();
            assert_eq!(ours.upem, f32::from(head.units_per_em));
            assert_eq!(
                ours.metrics,
                FaceMetrics {
                    x_min: head.x_min,
                    y_min: head.y_min,
                    x_max: head.x_max,
                    y_max: head.y_max,
                    ascender: hhea.ascender,
                    descender: hhea.descender,
                }
            );
            let hmtx = p.read_table_data(tag::HMTX).unwrap();
            let hmtx = ReadScope::new(&hmtx)
                .read_dep::<HmtxTable<'_>>((usize::from(maxp.num_glyphs), usize::from(hhea.num_h_metrics)))
                .unwrap();
            for gid in 0..maxp.num_glyphs {
                assert_eq!(
                    ours.advance(gid),
                    hmtx.horizontal_advance(gid).unwrap(),
                    "advance of glyph {gid}"
                );
            }
            let cmap = p.read_table_data(tag::CMAP).unwrap();
            let cmap = ReadScope::new(&cmap).read::<Cmap<'_>>().unwrap();
            let (_, sub) = allsorts::font::read_cmap_subtable(&cmap).unwrap().unwrap();
            let mut mapped = 0;
            sub.mappings_fn(|cp, gid| {
                if let (Some(ch), true) = (char::from_u32(cp), gid != 0) {
                    assert_eq!(ours.glyph(ch), Some(gid), "U+{cp:04X}");
                    mapped += 1;
                }
            })
            .unwrap();
            assert!(mapped > 200, "{mapped} characters mapped");
            assert_eq!(ours.glyph('\u{E000}'), None);
        }
        let song = Loaded::read(FontBytes::Static(SONG_REGULAR), 0).unwrap();
        assert!(song.glyph('国').is_some() && song.glyph('A').is_some());
    }

    #[test]
    fn our_charset_reader_agrees_with_printpdf() {
        let mut fonts: Vec<(Vec<u8>, usize)> =
            [SONG_REGULAR, SONG_BOLD, FANG, HEI, KAI].iter().map(|b| (b.to_vec(), 0)).collect();
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
}
