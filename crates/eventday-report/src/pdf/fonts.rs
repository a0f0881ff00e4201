//! The fonts: the bundled faces and the optional CJK fallback, their metrics, how glyph ids
//! become content-stream codes (a CID-keyed CFF font's CIDs, read from its charset), and the
//! per-font objects built from a subset (widths, ToUnicode).

use std::collections::HashMap;
use std::fmt::Write as _;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use printpdf::ParsedFont;

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

/// A parsed face: the font, its units per em, and (once asked for) how glyph ids become codes.
pub(super) struct Loaded {
    pub(super) font: ParsedFont,
    pub(super) upem: f32,
    /// `Some(cid per gid)` for a CID-keyed CFF font, `None` when codes are glyph ids.
    cids: OnceLock<Option<Vec<u16>>>,
}

impl Loaded {
    pub(super) fn cids(&self) -> Option<&[u16]> {
        self.cids
            .get_or_init(|| {
                let bytes = self.font.source_bytes()?;
                cff_cids(bytes.as_slice(), self.font.original_index)
            })
            .as_deref()
    }

    /// The code a content stream uses for glyph `gid`.
    pub(super) fn code(&self, gid: u16) -> u16 {
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
            Some((r, b)) => (Some(parse("latin regular", r, 0)?), Some(parse("latin bold", b, 0)?)),
            None => (None, None),
        };
        let faces = [
            Some(parse("song regular", song, 0)?),
            Some(parse("song bold", song_bold, 0)?),
            Some(parse("fangsong", fang, 0)?),
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
