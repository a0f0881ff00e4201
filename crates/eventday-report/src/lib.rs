//! The campaign summary report: `data` (plain values) -> `layout` (pages of positioned items) -> `pdf` (bytes);
//! the same content as a Word document through the `docx` back end of `layout`'s `Compose` trait.
//!
//! ```no_run
//! # fn main() -> Result<(), eventday_report::ReportError> {
//! let fonts = eventday_report::FontSet::bundled()?;
//! let data = eventday_report::ReportData::default();
//! let out = eventday_report::render(&data, &eventday_report::RenderOptions::default(), &fonts)?;
//! std::fs::write("report.pdf", &out.pdf)?;
//! # Ok(()) }
//! ```

pub mod data;
mod docx;
pub mod fmt;
mod image;
pub mod layout;
mod pdf;

use std::str::FromStr;

pub use data::*;
pub use pdf::FontSet;
use serde::{Deserialize, Serialize};

/// Report language: the domain's, the same one narrative sections are written in.
pub use eventday_domain::Lang;

/// Reads a report language from a flag or query value: `zh` (also `zh-CN`, `cn`) or `en`, any case,
/// spaces around ignored.
///
/// # Errors
/// [`ReportError::BadOption`] naming the accepted values.
pub fn parse_lang(s: &str) -> Result<Lang, ReportError> {
    Lang::from_label(s)
        .ok_or_else(|| ReportError::BadOption(format!("unknown language {:?} (zh or en)", s.trim())))
}

/// Page layout.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Style {
    /// Clean A4 layout with a cover block of key figures (default).
    #[default]
    Modern,
    /// GB/T 9704 official-document conventions.
    Gbt9704,
}

impl FromStr for Style {
    type Err = ReportError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().replace(['/', '-', ' '], "").as_str() {
            "modern" => Ok(Self::Modern),
            "gbt9704" | "gb9704" => Ok(Self::Gbt9704),
            other => Err(ReportError::BadOption(format!("unknown style {other:?} (modern or gbt9704)"))),
        }
    }
}

/// The file format of a report.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Format {
    /// PDF (default).
    #[default]
    Pdf,
    /// Word (Office Open XML), for editing before it is signed.
    Docx,
}

impl Format {
    /// The file name extension.
    #[must_use]
    pub fn extension(self) -> &'static str {
        match self {
            Self::Pdf => "pdf",
            Self::Docx => "docx",
        }
    }

    /// The MIME type.
    #[must_use]
    pub fn mime(self) -> &'static str {
        match self {
            Self::Pdf => "application/pdf",
            Self::Docx => "application/vnd.openxmlformats-officedocument.wordprocessingml.document",
        }
    }
}

impl FromStr for Format {
    type Err = ReportError;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        match s.trim().to_ascii_lowercase().as_str() {
            "pdf" => Ok(Self::Pdf),
            "docx" | "word" => Ok(Self::Docx),
            other => Err(ReportError::BadOption(format!("unknown format {other:?} (pdf or docx)"))),
        }
    }
}

/// How to render.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq, Serialize, Deserialize)]
pub struct RenderOptions {
    /// Language.
    pub lang: Lang,
    /// Layout style.
    pub style: Style,
    /// Fixed creation date and document id, so the same input gives the same bytes.
    pub deterministic: bool,
}

/// A rendered report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Rendered {
    /// The PDF file.
    pub pdf: Vec<u8>,
    /// Characters no font has; drawn as boxes.
    pub missing_chars: Vec<char>,
    /// Number of pages.
    pub pages: usize,
}

/// A rendered roll-up (the bytes went to the writer).
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RollupRendered {
    /// Bytes written.
    pub bytes: u64,
    /// Characters no font has; drawn as boxes.
    pub missing_chars: Vec<char>,
    /// Number of pages.
    pub pages: usize,
    /// Districts in the district table.
    pub districts: usize,
}

/// What can go wrong while rendering.
#[derive(Debug, thiserror::Error)]
pub enum ReportError {
    /// A font could not be parsed.
    #[error("font {0} could not be parsed")]
    Font(String),
    /// An option string was not understood.
    #[error("{0}")]
    BadOption(String),
    /// Writing the output failed.
    #[error("writing the report failed: {0}")]
    Io(#[from] std::io::Error),
    /// The PDF stage failed.
    #[error("PDF generation failed: {0}")]
    Pdf(String),
}

/// Lays out and renders one campaign's summary report.
///
/// # Errors
/// Only when the PDF stage fails (it does not for valid fonts); bad data never makes it fail or panic.
pub fn render(data: &ReportData, opts: &RenderOptions, fonts: &FontSet) -> Result<Rendered, ReportError> {
    let (pages, missing) = layout::layout_report(data, opts.lang, opts.style, fonts)?;
    let meta = pdf::Meta {
        title: layout::title_text(data, opts.lang),
        author: data.organization.clone(),
        subject: subject(opts.lang),
        deterministic: opts.deterministic,
        lang: opts.lang,
        date: data.date,
    };
    to_pdf(&pages, missing, &meta, fonts)
}

/// The report's subject line (document metadata).
fn subject(lang: Lang) -> String {
    match lang {
        Lang::Zh => "“3·15”活动总结".to_string(),
        Lang::En => "“3·15” campaign summary".to_string(),
    }
}

/// The creation time a DOCX states: the event day for a deterministic document, else now.
fn docx_created(deterministic: bool, date: Option<chrono::NaiveDate>) -> String {
    if deterministic {
        date.unwrap_or_default().format("%Y-%m-%dT00:00:00Z").to_string()
    } else {
        chrono::Utc::now().format("%Y-%m-%dT%H:%M:%SZ").to_string()
    }
}

/// Lays out one campaign's summary report as a Word document (DOCX): the same content as
/// [`render`], from the same sections.
///
/// # Errors
/// Never for valid data (the document is written to memory); the signature is shared with the
/// streamed roll-up.
pub fn render_docx(data: &ReportData, opts: &RenderOptions) -> Result<Vec<u8>, ReportError> {
    let meta = docx::Meta {
        title: layout::title_text(data, opts.lang),
        subject: subject(opts.lang),
        author: data.organization.clone(),
        created: docx_created(opts.deterministic, data.date),
    };
    let mut d = docx::Docx::new(Vec::new(), opts.style, opts.lang, &meta)?;
    layout::write_report(&mut d, data)?;
    Ok(d.finish()?.0)
}

/// [`render_rollup_with_progress`] as a Word document, streamed to `out` (flat memory whatever
/// the number of districts). `pages` of the result is 0: Word paginates when it opens the file.
///
/// # Errors
/// When writing to `out` fails.
pub fn render_rollup_docx<W: std::io::Write>(
    header: &RollupHeader,
    items: impl Iterator<Item = RollupItem>,
    opts: &RenderOptions,
    out: W,
    mut on_district: impl FnMut(usize),
) -> Result<RollupRendered, ReportError> {
    let meta = docx::Meta {
        title: layout::rollup_title(header, opts.lang),
        subject: subject(opts.lang),
        author: header.organization.clone(),
        created: docx_created(opts.deterministic, header.date),
    };
    let counted = items.enumerate().map(move |(i, d)| {
        on_district(i + 1);
        d
    });
    let mut d = docx::Docx::new(out, opts.style, opts.lang, &meta)?;
    let districts = layout::write_rollup(&mut d, header, counted)?;
    let (_, bytes) = d.finish()?;
    Ok(RollupRendered { bytes, missing_chars: Vec::new(), pages: 0, districts })
}

/// Writes laid-out pages as a PDF.
fn to_pdf(
    pages: &[layout::Page],
    missing: std::collections::BTreeSet<char>,
    meta: &pdf::Meta,
    fonts: &FontSet,
) -> Result<Rendered, ReportError> {
    let bytes = pdf::write_pdf(pages, meta, fonts)?;
    Ok(Rendered { pdf: bytes, missing_chars: missing.into_iter().collect(), pages: pages.len() })
}

/// Renders a printed sheet (the 工作分工表, the 签到表) on A4 pages: the title, then one
/// table whose header repeats on every page.
///
/// # Errors
/// Only when the PDF stage fails (it does not for valid fonts).
pub fn render_sheet(
    sheet: &layout::Sheet,
    lang: Lang,
    deterministic: bool,
    fonts: &FontSet,
) -> Result<Rendered, ReportError> {
    let (pages, missing) = layout::layout_sheet(sheet, lang, fonts)?;
    let meta = pdf::Meta {
        title: sheet.title.clone(),
        author: String::new(),
        subject: sheet.subtitle.clone(),
        deterministic,
        lang,
        date: None,
    };
    to_pdf(&pages, missing, &meta, fonts)
}

/// Renders a roll-up of many districts, streaming pages to `out`: `items` are every district with its
/// totals (the district table), then every district with its venues (the appendix), see [`RollupItem`].
///
/// # Errors
/// When writing to `out` fails.
pub fn render_rollup<W: std::io::Write>(
    header: &RollupHeader,
    items: impl Iterator<Item = RollupItem>,
    opts: &RenderOptions,
    fonts: &FontSet,
    out: W,
) -> Result<RollupRendered, ReportError> {
    render_rollup_with_progress(header, items, opts, fonts, out, |_| {})
}

/// [`render_rollup`] that calls `on_district(n)` as it reads the `n`-th item (1-based: the district
/// table's rows, then the appendix's districts), so a caller can drive a progress bar over twice the
/// number of districts; the last call comes before the fonts are written.
///
/// # Errors
/// When writing to `out` fails.
pub fn render_rollup_with_progress<W: std::io::Write>(
    header: &RollupHeader,
    items: impl Iterator<Item = RollupItem>,
    opts: &RenderOptions,
    fonts: &FontSet,
    out: W,
    mut on_district: impl FnMut(usize),
) -> Result<RollupRendered, ReportError> {
    let counted = items.enumerate().map(move |(i, d)| {
        on_district(i + 1);
        d
    });
    pdf::render_rollup(header, counted, opts, fonts, out)
}
