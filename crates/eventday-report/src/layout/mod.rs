//! Pure layout: text, tables and charts become pages of positioned lines, rules and boxes.
//!
//! Coordinates are PDF points (1/72 in) with the origin at the page's top-left corner and `y` growing
//! downwards; the PDF stage flips them. Nothing here knows about PDF or printpdf: glyph advances come in
//! through the [`Metrics`] trait, so tests can check the geometry without producing bytes.
//!
//! - [`text`](self): shaping (which face sets a character) and line breaking with kinsoku;
//! - `style`: the page geometry and type styles of each report style;
//! - `composer`: places blocks on pages and breaks pages;
//! - `table` and `chart`: the composer's tables and bar charts;
//! - `content` (a campaign report, one function per section) and `rollup` (the streamed roll-up).

mod chart;
mod compose;
mod composer;
mod content;
mod rollup;
mod sheet;
mod style;
mod table;
mod text;

pub(crate) use compose::{Compose, Series};
pub(crate) use composer::{Composer, PageSink};
pub use content::{chinese_number, figure_list, layout_report, narrative_part, title_text};
pub(crate) use content::{place_and_time, write_report};
pub(crate) use rollup::write_rollup;
pub use rollup::{layout_rollup, rollup_title};
pub use sheet::{Sheet, layout_sheet};
pub(crate) use style::{Family, Geometry, TextStyle};
pub(crate) use table::{Align, Col, Measure, column_widths};
pub use text::{ASCENT, DESCENT, NO_END, NO_START};

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
    /// FandolHei Regular (黑体), GB/T 9704 first-level headings.
    Hei,
    /// FandolKai Regular (楷体), GB/T 9704 second-level headings.
    Kai,
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
    /// Which items are content of which structure element (the rest are artifacts: rules, shading,
    /// page numbers, repeated table headers), in reading order.
    pub marks: Vec<Mark>,
    /// Structure elements that start on this page, parents before children.
    pub elems: Vec<StructElem>,
    /// Structure elements that end on this page (nothing is added to them later).
    pub closed: Vec<u32>,
}

/// Items `start..end` of a page belong to structure element `elem`.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Mark {
    /// First item.
    pub start: usize,
    /// One past the last item.
    pub end: usize,
    /// The element.
    pub elem: u32,
}

/// The role of a structure element (PDF standard structure types).
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash)]
pub enum Role {
    /// The report title.
    H1,
    /// A first-level heading (一、).
    H2,
    /// A second-level heading (（一）).
    H3,
    /// A paragraph, note, signature line or key figure.
    P,
    /// A table.
    Table,
    /// A table row.
    TR,
    /// A header cell (column scope).
    TH,
    /// A data cell.
    TD,
    /// A chart; its alternative text gives the figures.
    Figure,
    /// A chart's caption.
    Caption,
}

impl Role {
    /// The PDF structure type name.
    #[must_use]
    pub fn name(self) -> &'static str {
        match self {
            Self::H1 => "H1",
            Self::H2 => "H2",
            Self::H3 => "H3",
            Self::P => "P",
            Self::Table => "Table",
            Self::TR => "TR",
            Self::TH => "TH",
            Self::TD => "TD",
            Self::Figure => "Figure",
            Self::Caption => "Caption",
        }
    }
}

/// A structure element of the tagged PDF; ids are unique in a document, 0 is the document itself.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct StructElem {
    /// Its id (from 1).
    pub id: u32,
    /// The enclosing element (0: the document).
    pub parent: u32,
    /// What it is.
    pub role: Role,
    /// Alternative text (figures).
    pub alt: Option<String>,
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
    /// A picture scaled into `w` x `h`; the point is its top-left corner.
    Image {
        /// Width.
        w: f32,
        /// Height.
        h: f32,
        /// The picture.
        picture: Picture,
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

/// A picture as the data gave it (JPEG or PNG bytes), with its size in pixels read from its
/// header; shared, not copied, between the layout and the PDF stage.
#[derive(Clone, PartialEq, Eq)]
pub struct Picture {
    /// The file's bytes.
    pub bytes: std::sync::Arc<Vec<u8>>,
    /// What the bytes are.
    pub format: PictureFormat,
    /// Width in pixels.
    pub px_w: u32,
    /// Height in pixels.
    pub px_h: u32,
}

impl std::fmt::Debug for Picture {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        write!(f, "Picture({:?} {}x{}, {} bytes)", self.format, self.px_w, self.px_h, self.bytes.len())
    }
}

/// The formats a report embeds.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum PictureFormat {
    /// JPEG (passed through to the PDF as it is).
    Jpeg,
    /// PNG (decoded and deflated again by the PDF stage).
    Png,
}

impl Picture {
    /// Reads a JPEG's or PNG's size from its header; `None` for anything else or a damaged header.
    #[must_use]
    pub fn read(bytes: Vec<u8>) -> Option<Self> {
        let (format, (px_w, px_h)) = if bytes.starts_with(&[0xFF, 0xD8, 0xFF]) {
            (PictureFormat::Jpeg, crate::image::jpeg_size(&bytes)?)
        } else if bytes.starts_with(b"\x89PNG\r\n\x1a\n") {
            (PictureFormat::Png, crate::image::png_size(&bytes)?)
        } else {
            return None;
        };
        (px_w > 0 && px_h > 0).then(|| Picture { bytes: std::sync::Arc::new(bytes), format, px_w, px_h })
    }
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
