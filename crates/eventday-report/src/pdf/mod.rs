//! The PDF stage: the only module that touches font programs (read in place by `fonts`, subset by
//! allsorts, the subset's CIDs read back by printpdf). The file itself is written here, page by page: each
//! page's content stream goes to the output as soon as the page is laid out, and only object locations,
//! the open structure elements and the set of used glyphs stay in memory. Fonts come last. Page
//! dictionaries, structure elements and parent-tree arrays go into object streams (200 to a stream,
//! deflated), listed by a cross-reference stream: a tagged roll-up of thousands of pages stays small.
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

use crate::layout::{Face, Item, Page, Rgb, Role, TextLine};
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

/// Zlib-compresses `data` with `z`, one compressor (level 1) for the whole file: a new one per stream
/// would allocate and clear its tables each time, and content streams, repetitive operators, lose only
/// ~2 % of their compression at level 1 against level 6 for a third of the CPU. `false` when
/// compressing would not make it smaller.
fn deflate(z: &mut flate2::Compress, data: Vec<u8>) -> Result<(Vec<u8>, bool), ReportError> {
    use flate2::{FlushCompress, Status};
    z.reset();
    let mut out = Vec::with_capacity(data.len() / 3 + 64);
    loop {
        let done = usize::try_from(z.total_in()).unwrap_or(data.len()).min(data.len());
        match z.compress_vec(&data[done..], &mut out, FlushCompress::Finish) {
            Ok(Status::StreamEnd) => break,
            Ok(Status::Ok | Status::BufError) => out.reserve(out.capacity().max(1024)),
            Err(e) => return Err(ReportError::Pdf(format!("deflate: {e}"))),
        }
    }
    if out.len() + 19 < data.len() { Ok((out, true)) } else { Ok((data, false)) }
}

/// Escapes text for XML (the XMP metadata).
fn xml(s: &str) -> String {
    let mut out = String::with_capacity(s.len());
    for ch in s.chars() {
        match ch {
            '&' => out.push_str("&amp;"),
            '<' => out.push_str("&lt;"),
            '>' => out.push_str("&gt;"),
            '"' => out.push_str("&quot;"),
            c if c.is_control() && c != '\n' && c != '\t' => {}
            c => out.push(c),
        }
    }
    out
}

/// A structure element seen in the layout and not yet written.
struct OpenElem {
    obj: u32,
    parent_obj: u32,
    role: Role,
    alt: Option<String>,
    /// Kids in reading order: marked-content references and child elements.
    kids: Vec<String>,
}

/// Where an object was written: at a byte offset, or as the `n`th object of an object stream.
#[derive(Clone, Copy)]
enum Loc {
    At(u64),
    In(u32, u32),
}

/// Objects collected for one object stream: their numbers, the offsets of their bodies within
/// `body`, and the bodies.
#[derive(Default)]
struct Packed {
    ids: Vec<u32>,
    offsets: Vec<usize>,
    body: Vec<u8>,
}

/// Objects per object stream: large enough that deflate finds the repeated `/Type /StructElem`
/// dictionaries, small enough that a reader decompresses little to reach one.
const PACKED_PER_STREAM: usize = 200;

/// Glyphs used from one face: original glyph id -> the character it shows.
#[derive(Default)]
struct FaceUse {
    used: BTreeMap<u16, char>,
}

/// Writes a PDF one page at a time.
struct PdfWriter<'f, W: Write> {
    out: W,
    pos: u64,
    /// Where each object is, by object number - 1.
    offsets: Vec<Option<Loc>>,
    /// Objects waiting to go into the next object stream.
    packed: Packed,
    /// The one compressor of every deflated stream.
    zlib: flate2::Compress,
    pages_id: u32,
    resources_id: u32,
    page_ids: Vec<u32>,
    fonts: &'f FontSet,
    uses: [FaceUse; 8],
    /// (face, char) -> code in the content stream, `None` when the face lacks the glyph.
    codes: HashMap<(Face, char), Option<u16>>,
    /// The structure tree root and the document element.
    root_id: u32,
    doc_id: u32,
    doc_kids: Vec<u32>,
    /// Open structure elements by layout id.
    elems: HashMap<u32, OpenElem>,
    /// Per page, the parent-tree array object (structure element of each marked-content id).
    parent_tree: Vec<u32>,
    /// Image XObjects written so far (`/Im{n}` is the `n`th, from 0).
    images: Vec<u32>,
}

/// Text state inside the page's text section, so repeated fonts, spacing and colours are not re-set.
#[derive(Default)]
struct TextState {
    font: Option<(Face, u32)>,
    color: Option<[u32; 3]>,
    spacing: u32,
}

/// A subset font program.
enum Subset {
    /// A bare CFF table (`/FontFile3 /CIDFontType0C`).
    Cff(Vec<u8>),
    /// A TrueType font (`/FontFile2`).
    TrueType(Vec<u8>),
}

/// Subsets face `l` to glyphs `ids` (glyph 0 first, no duplicates): subset glyph `i` is `ids[i]`. A
/// CFF face gives its subset CFF table straight away (no sfnt wrapper, whose cmap and metrics a PDF
/// does not read); a TrueType face a whole font.
fn subset(l: &fonts::Loaded, ids: &[u16]) -> Result<Subset, String> {
    use allsorts::binary::read::ReadScope;
    use allsorts::binary::write::{WriteBinary, WriteBuffer};
    use allsorts::cff::CFF;
    if let Some(table) = l.table(b"CFF ") {
        let cff = ReadScope::new(table).read::<CFF<'_>>().map_err(|e| e.to_string())?;
        if cff.name_index.len() != 1 || cff.fonts.len() != 1 {
            return Err("a CFF table must hold exactly one font".into());
        }
        let sub: CFF<'_> = cff.subset(ids, true).map_err(|e| e.to_string())?.into();
        let mut out = WriteBuffer::new();
        CFF::write(&mut out, &sub).map_err(|e| e.to_string())?;
        return Ok(Subset::Cff(out.into_inner()));
    }
    use allsorts::font_data::FontData;
    use allsorts::subset::{CmapTarget, SubsetProfile};
    let file = ReadScope::new(l.bytes()).read::<FontData<'_>>().map_err(|e| e.to_string())?;
    let provider = file.table_provider(l.index).map_err(|e| e.to_string())?;
    allsorts::subset::subset(&provider, ids, &SubsetProfile::Pdf, CmapTarget::Unicode)
        .map(Subset::TrueType)
        .map_err(|e| e.to_string())
}

impl<'f, W: Write> PdfWriter<'f, W> {
    fn new(out: W, fonts: &'f FontSet) -> Result<Self, ReportError> {
        let mut w = Self {
            out,
            pos: 0,
            offsets: Vec::new(),
            packed: Packed::default(),
            zlib: flate2::Compress::new(flate2::Compression::new(1), true),
            pages_id: 0,
            resources_id: 0,
            page_ids: Vec::new(),
            fonts,
            uses: Default::default(),
            codes: HashMap::new(),
            root_id: 0,
            doc_id: 0,
            doc_kids: Vec::new(),
            elems: HashMap::new(),
            parent_tree: Vec::new(),
            images: Vec::new(),
        };
        w.raw(b"%PDF-1.7\n%\xE2\xE3\xCF\xD3\n")?;
        w.pages_id = w.alloc();
        w.resources_id = w.alloc();
        w.root_id = w.alloc();
        w.doc_id = w.alloc();
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
        self.offsets[id as usize - 1] = Some(Loc::At(self.pos));
        let s = format!("{id} 0 obj\n{body}\nendobj\n");
        self.raw(s.as_bytes())
    }

    /// An object that goes into an object stream (any object but a stream may, in a file that is
    /// neither encrypted nor linearized): the structure elements, parent-tree arrays and page
    /// dictionaries a long document has by the hundred thousand, compressed together.
    fn packed_obj(&mut self, id: u32, body: &str) -> Result<(), ReportError> {
        self.packed.ids.push(id);
        self.packed.offsets.push(self.packed.body.len());
        self.packed.body.extend_from_slice(body.as_bytes());
        self.packed.body.push(b'\n');
        if self.packed.ids.len() >= PACKED_PER_STREAM {
            self.flush_packed()?;
        }
        Ok(())
    }

    /// Writes the collected objects as one object stream.
    fn flush_packed(&mut self) -> Result<(), ReportError> {
        if self.packed.ids.is_empty() {
            return Ok(());
        }
        let Packed { ids, offsets, body } = std::mem::take(&mut self.packed);
        let mut head = String::with_capacity(ids.len() * 12);
        for (id, off) in ids.iter().zip(&offsets) {
            let _ = write!(head, "{id} {off} ");
        }
        let first = head.len();
        let mut data = head.into_bytes();
        data.extend_from_slice(&body);
        let stream_id = self.alloc();
        self.stream(stream_id, &format!("/Type /ObjStm /N {} /First {first}", ids.len()), data)?;
        for (n, id) in ids.iter().enumerate() {
            self.offsets[*id as usize - 1] = Some(Loc::In(stream_id, n as u32));
        }
        Ok(())
    }

    /// A deflated stream object; `dict` holds the entries besides /Length and /Filter.
    fn stream(&mut self, id: u32, dict: &str, data: Vec<u8>) -> Result<(), ReportError> {
        self.stream_at(id, dict, data, true)
    }

    /// A stream object, deflated or stored.
    fn stream_at(&mut self, id: u32, dict: &str, data: Vec<u8>, compress: bool) -> Result<(), ReportError> {
        let (data, compressed) = if compress { deflate(&mut self.zlib, data)? } else { (data, false) };
        self.offsets[id as usize - 1] = Some(Loc::At(self.pos));
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
            let gid = l.glyph(ch)?;
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
        let content_id = self.alloc();
        let page_id = self.alloc();
        let page_index = self.page_ids.len();
        self.open_elems(page);
        let marks = page.marks.as_slice();
        // Element of each item (None: artifact).
        let mut owner: Vec<Option<u32>> = vec![None; page.items.len()];
        for m in marks {
            for o in owner.iter_mut().take(m.end).skip(m.start) {
                *o = Some(m.elem);
            }
        }
        // Marked-content ids in reading order (the order of the marks), so each element's kids are
        // in reading order too.
        let mut mcid_of_item: Vec<Option<u32>> = vec![None; page.items.len()];
        let mut parents: Vec<u32> = Vec::new();
        for m in marks {
            for slot in mcid_of_item.iter_mut().take(m.end).skip(m.start) {
                let mcid = parents.len() as u32;
                *slot = Some(mcid);
                let obj = self.elems.get(&m.elem).map_or(self.doc_id, |e| e.obj);
                parents.push(obj);
                if let Some(e) = self.elems.get_mut(&m.elem) {
                    e.kids.push(format!("<< /Type /MCR /Pg {page_id} 0 R /MCID {mcid} >>"));
                }
            }
        }
        let mut c = Vec::with_capacity(page.items.len() * 8);
        let mut text = Vec::with_capacity(page.items.len() * 40);
        let mut boxes = Vec::new();
        let mut ts = TextState::default();
        text.extend_from_slice(b"BT\n");
        for (idx, (p, item)) in page.items.iter().enumerate() {
            let buf = if matches!(item, Item::Line(_) | Item::Folio(_)) { &mut text } else { &mut c };
            match (owner[idx].and_then(|e| self.elems.get(&e)), mcid_of_item[idx]) {
                (Some(e), Some(mcid)) => {
                    let _ = writeln!(buf, "/{} <</MCID {mcid}>> BDC", e.role.name());
                }
                _ => buf.extend_from_slice(b"/Artifact BMC\n"),
            }
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
                Item::Image { w, h: ih, picture } => match self.image(picture)? {
                    Some(name) => {
                        c.extend_from_slice(b"q\n");
                        nums(&mut c, &[*w, 0.0, 0.0, *ih, p.x, h - p.y - ih], "cm");
                        let _ = writeln!(c, "/Im{name} Do");
                        c.extend_from_slice(b"Q\n");
                    }
                    // Unreadable pixels: a grey box where the photo would be, never a failure.
                    None => {
                        nums(&mut c, &[0.85, 0.85, 0.85], "rg");
                        nums(&mut c, &[p.x, h - p.y - ih, *w, *ih], "re f");
                    }
                },
                Item::Rule { w, thickness, color } => {
                    nums(&mut c, &clamp01(*color), "RG");
                    nums(&mut c, &[*thickness], "w");
                    let y = h - p.y;
                    nums(&mut c, &[p.x, y], "m");
                    nums(&mut c, &[p.x + w, y], "l S");
                }
            }
            let buf = if matches!(item, Item::Line(_) | Item::Folio(_)) { &mut text } else { &mut c };
            buf.extend_from_slice(b"EMC\n");
        }
        text.extend_from_slice(b"ET\n");
        c.extend_from_slice(&text);
        if !boxes.is_empty() {
            c.extend_from_slice(b"/Artifact BMC\n");
            c.extend_from_slice(&boxes);
            c.extend_from_slice(b"EMC\n");
        }
        self.stream(content_id, "", c)?;
        self.page_structure(page, &parents)?;

        let mut dict = String::with_capacity(160);
        dict.push_str("<< /Type /Page /Parent ");
        let _ = write!(dict, "{} 0 R /MediaBox [0 0 ", self.pages_id);
        let mut wh = Vec::new();
        num(&mut wh, page.width);
        wh.push(b' ');
        num(&mut wh, page.height);
        dict.push_str(&String::from_utf8_lossy(&wh));
        let _ = write!(dict, "] /Resources {} 0 R /Contents {content_id} 0 R", self.resources_id);
        let _ = write!(dict, " /StructParents {page_index} /Tabs /S");
        dict.push_str(" >>");
        self.packed_obj(page_id, &dict)?;
        self.page_ids.push(page_id);
        Ok(())
    }

    /// Writes a picture as an image XObject and returns its number (`/Im{n}`): a JPEG as it is
    /// (`/DCTDecode`), a PNG's pixels deflated with its alpha as a soft mask; `None` when the
    /// pixels cannot be read.
    fn image(&mut self, pic: &crate::layout::Picture) -> Result<Option<usize>, ReportError> {
        use crate::image::{decode_png, jpeg_frame};
        use crate::layout::PictureFormat;
        let id = match pic.format {
            PictureFormat::Jpeg => {
                let Some(f) = jpeg_frame(&pic.bytes) else { return Ok(None) };
                let (space, decode) = match f.components {
                    1 => ("/DeviceGray", ""),
                    3 => ("/DeviceRGB", ""),
                    4 if f.adobe => ("/DeviceCMYK", " /Decode [1 0 1 0 1 0 1 0]"),
                    4 => ("/DeviceCMYK", ""),
                    _ => return Ok(None),
                };
                let id = self.alloc();
                let dict = format!(
                    "/Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace {space} /BitsPerComponent 8{decode} /Filter /DCTDecode",
                    f.width, f.height
                );
                self.stream_at(id, &dict, pic.bytes.to_vec(), false)?;
                id
            }
            PictureFormat::Png => {
                let Some(r) = decode_png(&pic.bytes) else { return Ok(None) };
                let smask = match r.alpha {
                    Some(a) => {
                        let m = self.alloc();
                        let dict = format!(
                            "/Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace /DeviceGray /BitsPerComponent 8",
                            r.width, r.height
                        );
                        self.stream(m, &dict, a)?;
                        format!(" /SMask {m} 0 R")
                    }
                    None => String::new(),
                };
                let space = if r.components == 1 { "/DeviceGray" } else { "/DeviceRGB" };
                let id = self.alloc();
                let dict = format!(
                    "/Type /XObject /Subtype /Image /Width {} /Height {} /ColorSpace {space} /BitsPerComponent 8{smask}",
                    r.width, r.height
                );
                self.stream(id, &dict, r.color)?;
                id
            }
        };
        self.images.push(id);
        Ok(Some(self.images.len() - 1))
    }

    /// The page's parent-tree array (the element of each marked-content id) and the elements that end
    /// on it.
    fn page_structure(&mut self, page: &Page, parents: &[u32]) -> Result<(), ReportError> {
        let tree_id = self.alloc();
        let mut arr = String::with_capacity(parents.len() * 8 + 2);
        arr.push('[');
        for o in parents {
            let _ = write!(arr, "{o} 0 R ");
        }
        arr.push(']');
        self.packed_obj(tree_id, &arr)?;
        self.parent_tree.push(tree_id);
        for id in &page.closed {
            self.close_elem(*id)?;
        }
        Ok(())
    }

    /// Registers the structure elements that start on `page` (object numbers now, so children and
    /// marked content can point at them; the objects are written when the elements close).
    fn open_elems(&mut self, page: &Page) {
        for e in &page.elems {
            let obj = self.alloc();
            let parent_obj = match self.elems.get_mut(&e.parent) {
                Some(p) => {
                    p.kids.push(format!("{obj} 0 R"));
                    p.obj
                }
                None => {
                    self.doc_kids.push(obj);
                    self.doc_id
                }
            };
            self.elems.insert(
                e.id,
                OpenElem { obj, parent_obj, role: e.role, alt: e.alt.clone(), kids: Vec::new() },
            );
        }
    }

    /// Writes a finished structure element.
    fn close_elem(&mut self, id: u32) -> Result<(), ReportError> {
        let Some(e) = self.elems.remove(&id) else { return Ok(()) };
        let mut d = format!("<< /Type /StructElem /S /{} /P {} 0 R /K [", e.role.name(), e.parent_obj);
        for k in &e.kids {
            d.push_str(k);
            d.push(' ');
        }
        d.push(']');
        if let Some(alt) = &e.alt {
            let _ = write!(d, " /Alt {}", text_string(alt));
        }
        if e.role == Role::TH {
            d.push_str(" /A << /O /Table /Scope /Column >>");
        }
        d.push_str(" >>");
        self.packed_obj(e.obj, &d)
    }

    /// Writes the structure tree: every element still open, the document element and the root.
    fn structure(&mut self) -> Result<(), ReportError> {
        let mut open: Vec<u32> = self.elems.keys().copied().collect();
        // Children were registered after their parents: close the newest first.
        open.sort_unstable_by(|a, b| b.cmp(a));
        for id in open {
            self.close_elem(id)?;
        }
        let mut k = String::from("[");
        for o in &self.doc_kids {
            let _ = write!(k, "{o} 0 R ");
        }
        k.push(']');
        let (doc, root) = (self.doc_id, self.root_id);
        self.packed_obj(doc, &format!("<< /Type /StructElem /S /Document /P {root} 0 R /K {k} >>"))?;
        let mut nums = String::from("[");
        for (i, o) in self.parent_tree.iter().enumerate() {
            let _ = write!(nums, "{i} {o} 0 R ");
        }
        nums.push(']');
        self.packed_obj(
            root,
            &format!(
                "<< /Type /StructTreeRoot /K {doc} 0 R /ParentTree << /Nums {nums} >> /ParentTreeNextKey {} >>",
                self.parent_tree.len()
            ),
        )
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
        // Glyph 0 (.notdef) first, then the used glyphs in order: the subsetter numbers the subset's
        // glyphs by their position in this list.
        let ids: Vec<u16> = std::iter::once(0).chain(used.keys().copied().filter(|g| *g != 0)).collect();
        let sub = subset(l, &ids).map_err(|e| ReportError::Pdf(format!("{name}: {e}")))?;
        // (code, original gid, new gid, char)
        let mut glyphs: Vec<(u16, u16, u16, char)> = Vec::with_capacity(used.len());
        for (g, ch) in &used {
            let new = ids
                .binary_search(g)
                .ok()
                .and_then(|p| u16::try_from(p).ok())
                .ok_or_else(|| ReportError::Pdf(format!("{name}: glyph {g} not in subset")))?;
            glyphs.push((l.code(*g), *g, new, *ch));
        }
        glyphs.sort_unstable();
        glyphs.dedup_by_key(|x| x.0);
        let (is_cff, file_key, program, cid_type) = match sub {
            Subset::Cff(cff) => {
                // The codes already written must select the same glyphs in the subset.
                let map = printpdf::cff_charset_gid_to_cid_map(&cff, 0).unwrap_or_default();
                for (code, _, new, _) in &glyphs {
                    if l.cids().is_none() || map.get(new) != Some(code) {
                        return Err(ReportError::Pdf(format!("{name}: subset CIDs differ from the font's")));
                    }
                }
                (true, "FontFile3", (cff, "/Subtype /CIDFontType0C".to_string()), "CIDFontType0")
            }
            Subset::TrueType(ttf) => {
                let n = ttf.len();
                (false, "FontFile2", (ttf, format!("/Length1 {n}")), "CIDFontType2")
            }
        };
        let m = l.metrics;
        let s = 1000.0 / l.upem;
        let sc = |v: i16| (f32::from(v) * s).round() as i32;
        let file_id = self.alloc();
        // Stored: deflate makes a CFF or TrueType subset only ~15 % smaller (outlines barely repeat)
        // and was a third of a cold render's CPU.
        self.stream_at(file_id, &program.1, program.0, false)?;
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
        let mut res = String::from("<< /ProcSet [/PDF /Text /ImageB /ImageC] /Font <<");
        for face in ALL_FACES {
            if let Some(id) = self.font(face)? {
                let _ = write!(res, " /F{} {id} 0 R", face_index(face));
            }
        }
        res.push_str(" >>");
        if !self.images.is_empty() {
            res.push_str(" /XObject <<");
            for (n, id) in self.images.iter().enumerate() {
                let _ = write!(res, " /Im{n} {id} 0 R");
            }
            res.push_str(" >>");
        }
        res.push_str(" >>");
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
        self.structure()?;
        let lang = match meta.lang {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        };
        let ts = if meta.deterministic {
            meta.date.and_then(|d| d.and_hms_opt(0, 0, 0)).map_or(946_684_800, |t| t.and_utc().timestamp())
        } else {
            chrono::Utc::now().timestamp()
        };
        let dt = chrono::DateTime::from_timestamp(ts, 0).unwrap_or_default();
        let when = dt.format("D:%Y%m%d%H%M%SZ");
        let iso = dt.format("%Y-%m-%dT%H:%M:%SZ");
        let xmp = format!(
            "<?xpacket begin=\"\u{FEFF}\" id=\"W5M0MpCehiHzreSzNTczkc9d\"?>\n<x:xmpmeta xmlns:x=\"adobe:ns:meta/\"><rdf:RDF xmlns:rdf=\"http://www.w3.org/1999/02/22-rdf-syntax-ns#\"><rdf:Description rdf:about=\"\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:pdf=\"http://ns.adobe.com/pdf/1.3/\" xmlns:xmp=\"http://ns.adobe.com/xap/1.0/\" xmlns:pdfuaid=\"http://www.aiim.org/pdfua/ns/id/\"><dc:format>application/pdf</dc:format><dc:title><rdf:Alt><rdf:li xml:lang=\"x-default\">{title}</rdf:li></rdf:Alt></dc:title><dc:creator><rdf:Seq><rdf:li>{author}</rdf:li></rdf:Seq></dc:creator><dc:description><rdf:Alt><rdf:li xml:lang=\"x-default\">{subject}</rdf:li></rdf:Alt></dc:description><dc:language><rdf:Bag><rdf:li>{lang}</rdf:li></rdf:Bag></dc:language><pdf:Producer>eventday-report</pdf:Producer><xmp:CreatorTool>eventday</xmp:CreatorTool><xmp:CreateDate>{iso}</xmp:CreateDate><xmp:ModifyDate>{iso}</xmp:ModifyDate>{ua}</rdf:Description></rdf:RDF></x:xmpmeta>\n<?xpacket end=\"w\"?>",
            title = xml(&meta.title),
            author = xml(&meta.author),
            subject = xml(&meta.subject),
            ua = "<pdfuaid:part>1</pdfuaid:part>",
        );
        let xmp_id = self.alloc();
        // Uncompressed, so archive tools can read it without a PDF parser.
        self.stream_at(xmp_id, "/Type /Metadata /Subtype /XML", xmp.into_bytes(), false)?;
        let catalog = self.alloc();
        let root = self.root_id;
        let tags = format!(" /MarkInfo << /Marked true >> /StructTreeRoot {root} 0 R");
        self.obj(
            catalog,
            &format!(
                "<< /Type /Catalog /Pages {pid} 0 R /Lang ({lang}) /ViewerPreferences << /DisplayDocTitle true >>{tags} /Metadata {xmp_id} 0 R >>"
            ),
        )?;

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
        self.flush_packed()?;
        // A cross-reference stream (objects in object streams cannot be listed in a table): per
        // object a type (1: at an offset, 2: in an object stream), the offset or the stream's
        // number, and the index within the stream.
        let xref_id = self.alloc();
        let size = self.offsets.len() + 1;
        let xref = self.pos;
        self.offsets[xref_id as usize - 1] = Some(Loc::At(xref));
        let mut rows = Vec::with_capacity(size * 7);
        rows.extend_from_slice(&[0, 0, 0, 0, 0, 0xff, 0xff]);
        for o in &self.offsets {
            let (t, a, b) = match o {
                Some(Loc::At(off)) => {
                    (1u8, u32::try_from(*off).map_err(|_| ReportError::Pdf("file over 4 GB".into()))?, 0u16)
                }
                Some(Loc::In(stream, n)) => (2, *stream, u16::try_from(*n).unwrap_or(u16::MAX)),
                None => (0, 0, 0xffff),
            };
            rows.push(t);
            rows.extend_from_slice(&a.to_be_bytes());
            rows.extend_from_slice(&b.to_be_bytes());
        }
        let (data, compressed) = deflate(&mut self.zlib, rows)?;
        let filter = if compressed { " /Filter /FlateDecode" } else { "" };
        let head = format!(
            "{xref_id} 0 obj\n<< /Type /XRef /Size {size} /W [1 4 2] /Root {catalog} 0 R /Info {info} 0 R /ID [<{id}> <{id}>] /Length {}{filter} >>\nstream\n",
            data.len()
        );
        self.raw(head.as_bytes())?;
        self.raw(&data)?;
        self.raw(format!("\nendstream\nendobj\nstartxref\n{xref}\n%%EOF\n").as_bytes())?;
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
