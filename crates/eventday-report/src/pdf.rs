//! The PDF stage: the only module that uses printpdf. Pages from the layout become content streams.

use std::collections::BTreeSet;
use std::path::PathBuf;
use std::sync::{Arc, OnceLock};

use printpdf::{
    Color, FontId, Line, LinePoint, Mm, Op, PaintMode, ParsedFont, PdfDocument, PdfFont, PdfFontHandle,
    PdfPage, PdfSaveOptions, Point as PPoint, Pt, Rect, Rgb as PRgb, TextItem, TextMatrix,
};

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

/// The fonts a report is set in: FandolSong (regular, bold), FandolFang, a Latin serif, and an optional
/// CJK fallback parsed lazily the first time a character is missing from Fandol.
pub struct FontSet {
    faces: [Option<(ParsedFont, f32)>; 5],
    fallback_src: FallbackSource,
    fallback: OnceLock<Option<(ParsedFont, f32)>>,
}

impl std::fmt::Debug for FontSet {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("FontSet").field("faces", &self.faces.iter().filter(|x| x.is_some()).count()).finish()
    }
}

fn parse(name: &str, bytes: &[u8], index: usize) -> Result<(ParsedFont, f32), ReportError> {
    let mut warnings = Vec::new();
    let f = ParsedFont::from_bytes(bytes, index, &mut warnings)
        .ok_or_else(|| ReportError::Font(name.to_string()))?;
    let upem = f32::from(f.pdf_font_metrics.units_per_em.max(1));
    Ok((f, upem))
}

impl FontSet {
    /// The fonts shipped in `assets/fonts`, plus the system Noto Serif CJK SC as fallback when installed.
    ///
    /// # Errors
    /// When a bundled font does not parse (it does).
    pub fn bundled() -> Result<Self, ReportError> {
        let mut set = Self::from_bytes(SONG_REGULAR, SONG_BOLD, FANG, Some((LATIN_REGULAR, LATIN_BOLD)))?;
        if let Some((p, i)) = NOTO_PATHS.iter().find(|(p, _)| std::path::Path::new(p).exists()) {
            set.fallback_src = FallbackSource::File(PathBuf::from(p), *i);
        }
        Ok(set)
    }

    /// Fonts from bytes: Song regular, Song bold, FangSong, and optionally a Latin (regular, bold) pair.
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
        Ok(Self {
            faces: [
                Some(parse("song regular", song, 0)?),
                Some(parse("song bold", song_bold, 0)?),
                Some(parse("fangsong", fang, 0)?),
                lr,
                lb,
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

    fn face(&self, face: Face) -> Option<&(ParsedFont, f32)> {
        match face {
            Face::SongRegular => self.faces[0].as_ref(),
            Face::SongBold => self.faces[1].as_ref(),
            Face::Fang => self.faces[2].as_ref(),
            Face::LatinRegular => self.faces[3].as_ref(),
            Face::LatinBold => self.faces[4].as_ref(),
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
        let (f, upem) = self.face(face)?;
        let gid = f.lookup_glyph_index(ch as u32).filter(|g| *g != 0)?;
        Some(f32::from(f.get_horizontal_advance(gid)) / upem)
    }
}

const ALL_FACES: [Face; 6] =
    [Face::SongRegular, Face::SongBold, Face::Fang, Face::LatinRegular, Face::LatinBold, Face::Fallback];

/// Fixed resource names: their first six letters become the subset tag, so output stays deterministic.
fn font_id(face: Face) -> FontId {
    FontId(
        match face {
            Face::SongRegular => "SONGRG",
            Face::SongBold => "SONGBD",
            Face::Fang => "FANGRG",
            Face::LatinRegular => "LATNRG",
            Face::LatinBold => "LATNBD",
            Face::Fallback => "NOTOSC",
        }
        .to_string(),
    )
}

/// Document metadata.
pub(crate) struct Meta {
    pub title: String,
    pub author: String,
    pub subject: String,
    pub deterministic: bool,
    pub date: Option<chrono::NaiveDate>,
}

fn color(c: Rgb) -> Color {
    Color::Rgb(PRgb::new(c.0.clamp(0.0, 1.0), c.1.clamp(0.0, 1.0), c.2.clamp(0.0, 1.0), None))
}

fn pt_rect(x: f32, y_top: f32, w: f32, h: f32, page_h: f32, mode: PaintMode) -> Rect {
    Rect {
        x: Pt(x),
        y: Pt(page_h - y_top - h),
        width: Pt(w),
        height: Pt(h),
        mode: Some(mode),
        winding_order: None,
    }
}

/// Text state inside the page's single text section, so repeated fonts and colours are not re-set.
#[derive(Default)]
struct TextState {
    font: Option<(Face, u32)>,
    color: Option<(u32, u32, u32)>,
}

#[expect(clippy::too_many_arguments, reason = "one call site; a struct would only rename the arguments")]
fn text_ops(
    ops: &mut Vec<Op>,
    boxes: &mut Vec<Op>,
    x: f32,
    y: f32,
    line: &TextLine,
    page_h: f32,
    used: &mut BTreeSet<Face>,
    ts: &mut TextState,
) {
    let key = (line.color.0.to_bits(), line.color.1.to_bits(), line.color.2.to_bits());
    if ts.color != Some(key) {
        ops.push(Op::SetFillColor { col: color(line.color) });
        ts.color = Some(key);
    }
    for r in &line.runs {
        let Some(face) = r.face else {
            // A character no font has is drawn as an outlined box, never left blank.
            let n = r.text.chars().count().max(1);
            let cw = r.width / n as f32;
            for k in 0..n {
                let bx = x + r.x + k as f32 * cw + r.size * 0.08;
                boxes.push(Op::SetOutlineColor { col: color(line.color) });
                boxes.push(Op::SetOutlineThickness { pt: Pt(0.6) });
                boxes.push(Op::DrawRectangle {
                    rectangle: pt_rect(
                        bx,
                        y - r.size * 0.78,
                        (cw - r.size * 0.16).max(1.0),
                        r.size * 0.86,
                        page_h,
                        PaintMode::Stroke,
                    ),
                });
            }
            continue;
        };
        used.insert(face);
        if ts.font != Some((face, r.size.to_bits())) {
            ops.push(Op::SetFont { font: PdfFontHandle::External(font_id(face)), size: Pt(r.size) });
            ts.font = Some((face, r.size.to_bits()));
        }
        ops.push(Op::SetTextMatrix { matrix: TextMatrix::Translate(Pt(x + r.x), Pt(page_h - y)) });
        let items = if r.gap.abs() < 1e-4 {
            vec![TextItem::Text(r.text.clone())]
        } else {
            let off = -r.gap / r.size * 1000.0;
            let mut v = Vec::with_capacity(r.text.len() * 2);
            let mut buf = [0u8; 4];
            for (i, ch) in r.text.chars().enumerate() {
                if i > 0 {
                    v.push(TextItem::Offset(off));
                }
                v.push(TextItem::Text(ch.encode_utf8(&mut buf).to_string()));
            }
            v
        };
        ops.push(Op::ShowText { items });
    }
}

/// Converts one laid-out page into a printpdf page, noting the faces it uses. Shapes come first (table
/// shading lies under the text), then all text in one text section, then boxes for missing glyphs.
fn page_to_pdf(page: &Page, used: &mut BTreeSet<Face>) -> PdfPage {
    let h = page.height;
    let mut ops = Vec::with_capacity(page.items.len() * 3);
    let mut text = vec![Op::StartTextSection];
    let mut boxes = Vec::new();
    let mut ts = TextState::default();
    for (p, item) in &page.items {
        match item {
            Item::Line(l) | Item::Folio(l) => text_ops(&mut text, &mut boxes, p.x, p.y, l, h, used, &mut ts),
            Item::Rect { w, h: rh, fill, stroke } => {
                let mode = match (fill, stroke) {
                    (Some(_), Some(_)) => PaintMode::FillStroke,
                    (Some(_), None) => PaintMode::Fill,
                    (None, Some(_)) => PaintMode::Stroke,
                    (None, None) => continue,
                };
                if let Some(f) = fill {
                    ops.push(Op::SetFillColor { col: color(*f) });
                }
                if let Some((c, w)) = stroke {
                    ops.push(Op::SetOutlineColor { col: color(*c) });
                    ops.push(Op::SetOutlineThickness { pt: Pt(*w) });
                }
                ops.push(Op::DrawRectangle { rectangle: pt_rect(p.x, p.y, *w, *rh, h, mode) });
            }
            Item::Rule { w, thickness, color: c } => {
                ops.push(Op::SetOutlineColor { col: color(*c) });
                ops.push(Op::SetOutlineThickness { pt: Pt(*thickness) });
                let y = h - p.y;
                ops.push(Op::DrawLine {
                    line: Line {
                        points: vec![
                            LinePoint { p: PPoint { x: Pt(p.x), y: Pt(y) }, bezier: false },
                            LinePoint { p: PPoint { x: Pt(p.x + w), y: Pt(y) }, bezier: false },
                        ],
                        is_closed: false,
                    },
                });
            }
        }
    }
    text.push(Op::EndTextSection);
    ops.append(&mut text);
    ops.append(&mut boxes);
    ops.shrink_to_fit();
    PdfPage::new(Mm(page.width * 25.4 / 72.0), Mm(page.height * 25.4 / 72.0), ops)
}

fn fnv(bytes: &[u8], mut h: u64) -> u64 {
    for b in bytes {
        h ^= u64::from(*b);
        h = h.wrapping_mul(0x0100_0000_01b3);
    }
    h
}

/// Builds the document from printpdf pages and writes it.
fn finish_doc<W: std::io::Write>(
    pages: Vec<PdfPage>,
    used: &BTreeSet<Face>,
    meta: &Meta,
    fonts: &FontSet,
    out: &mut W,
) -> Result<(), ReportError> {
    let mut doc = PdfDocument::new(&meta.title);
    for face in ALL_FACES {
        if let (true, Some((f, _))) = (used.contains(&face), fonts.face(face)) {
            doc.resources.fonts.map.insert(font_id(face), PdfFont::new(f.clone()));
        }
    }
    let info = &mut doc.metadata.info;
    info.author = meta.author.clone();
    info.subject = meta.subject.clone();
    info.creator = "eventday".to_string();
    info.producer = "eventday-report (printpdf 0.12)".to_string();
    let ts = if meta.deterministic {
        meta.date.and_then(|d| d.and_hms_opt(0, 0, 0)).map_or(946_684_800, |t| t.and_utc().timestamp())
    } else {
        chrono::Utc::now().timestamp()
    };
    let when =
        printpdf::OffsetDateTime::from_unix_timestamp(ts).map_err(|e| ReportError::Pdf(e.to_string()))?;
    info.creation_date = when;
    info.modification_date = when;
    info.metadata_date = when;
    let id_seed = fnv(meta.title.as_bytes(), fnv(meta.author.as_bytes(), 0xcbf2_9ce4_8422_2325));
    let id = format!(
        "{:016x}{:016x}",
        id_seed,
        if meta.deterministic { id_seed.rotate_left(17) } else { ts as u64 ^ u64::from(std::process::id()) }
    );
    info.identifier = id.clone();
    doc.pages = pages;
    let mut warnings = Vec::new();
    let mut lo = doc.to_lopdf_document(
        &PdfSaveOptions { optimize: true, subset_fonts: true, secure: true, image_optimization: None },
        &mut warnings,
    );
    lo.trailer.set(
        "ID",
        lopdf::Object::Array(vec![
            lopdf::Object::String(id.as_bytes().to_vec(), lopdf::StringFormat::Literal),
            lopdf::Object::String(id.as_bytes().to_vec(), lopdf::StringFormat::Literal),
        ]),
    );
    lo.compress();
    lo.save_to(out).map_err(|e| ReportError::Pdf(e.to_string()))?;
    Ok(())
}

/// Renders laid-out pages to PDF bytes.
pub(crate) fn write_pdf(pages: &[Page], meta: &Meta, fonts: &FontSet) -> Result<Vec<u8>, ReportError> {
    let mut used = BTreeSet::new();
    let pp: Vec<PdfPage> = pages.iter().map(|p| page_to_pdf(p, &mut used)).collect();
    let mut out = Vec::new();
    finish_doc(pp, &used, meta, fonts, &mut out)?;
    Ok(out)
}

/// Roll-up: each page is converted to PDF operations as soon as it is laid out, so only the compact
/// operation lists stay in memory until the end.
pub(crate) fn render_rollup<W: std::io::Write>(
    header: &RollupHeader,
    districts: impl Iterator<Item = RollupDistrict>,
    opts: &RenderOptions,
    fonts: &FontSet,
    mut out: W,
) -> Result<RollupRendered, ReportError> {
    let mut used = BTreeSet::new();
    let mut pp: Vec<PdfPage> = Vec::new();
    let mut sink = |p: Page| -> Result<(), ReportError> {
        pp.push(page_to_pdf(&p, &mut used));
        Ok(())
    };
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
        date: None,
    };
    let mut counter = CountingWriter { inner: &mut out, n: 0 };
    finish_doc(pp, &used, &meta, fonts, &mut counter)?;
    let bytes = counter.n;
    Ok(RollupRendered { bytes, missing_chars: missing.into_iter().collect(), pages, districts: n })
}

struct CountingWriter<'w, W: std::io::Write> {
    inner: &'w mut W,
    n: u64,
}

impl<W: std::io::Write> std::io::Write for CountingWriter<'_, W> {
    fn write(&mut self, buf: &[u8]) -> std::io::Result<usize> {
        let k = self.inner.write(buf)?;
        self.n += k as u64;
        Ok(k)
    }
    fn flush(&mut self) -> std::io::Result<()> {
        self.inner.flush()
    }
}
