//! 活动剪影 / "The Day in Pictures": the photos marked for the report, two to a row with their
//! captions (venue, time, caption) under each, as many rows as fit a page (two or three: four to
//! six photos a page). Only when photos were marked; each photo is a tagged figure whose
//! alternative text is its caption.

use super::sections::Headings;
use super::t;
use crate::data::{ReportData, ReportPhoto};
use crate::layout::compose::Compose;
use crate::layout::{ASCENT, Composer, Item, Picture, Rgb, Role, TextStyle};
use crate::{Lang, ReportError, Style};

/// Lines of caption text under a photo at most (the last one ends with "…" when cut).
const CAPTION_LINES: usize = 3;

/// The caption's first line: where and when.
pub(crate) fn place_and_time(p: &ReportPhoto, lang: Lang) -> String {
    let (venue, time) = (p.venue.trim(), p.time.trim());
    match (venue.is_empty(), time.is_empty()) {
        (false, false) => format!("{venue}{}{time}", t(lang, "　", " · ")),
        (false, true) => venue.to_string(),
        (true, false) => time.to_string(),
        (true, true) => String::new(),
    }
}

/// The section, when any photo was marked for the report: its heading, the photos (laid out by
/// the back end) and a note on those that could not be shown.
pub(super) fn photos(c: &mut dyn Compose, d: &ReportData, h: &mut Headings) -> Result<(), ReportError> {
    let lang = c.lang();
    let shown: Vec<ReportPhoto> =
        d.photos.iter().filter(|p| Picture::read(p.bytes.clone()).is_some()).cloned().collect();
    let left_out = d.photos_left_out + (d.photos.len() - shown.len()) as u64;
    if shown.is_empty() && left_out == 0 {
        return Ok(());
    }
    if !shown.is_empty() {
        c.keep_heading_with_photos(&shown)?;
    }
    h.h1(c, "活动剪影", "The Day in Pictures")?;
    c.space(4.0);
    c.photos(&shown)?;
    if left_out > 0 {
        c.note(&match lang {
            Lang::Zh => format!("注：另有{left_out}张选入报告的照片因格式（如WebP）无法编入，未予收录。"),
            Lang::En => format!(
                "Note: {left_out} more photo{} marked for the report could not be included (a format such as WebP the report does not embed).",
                if left_out == 1 { "" } else { "s" }
            ),
        })?;
    }
    let pitch = c.geo().body_pitch;
    c.space(pitch / 2.0);
    Ok(())
}

/// How the PDF places photos: one alone gets a wider frame; otherwise two to a row.
fn frames(c: &Composer<'_, '_>, n: usize) -> (usize, f32, f32, f32) {
    let gb = c.geo.style == Style::Gbt9704;
    let w = c.geo.area.w;
    let gap = if gb { 14.0 } else { 12.0 };
    let per_row = if n == 1 { 1 } else { 2 };
    let cell_w = if per_row == 1 { w * 0.7 } else { (w - gap) / 2.0 };
    (per_row, cell_w, cell_w * 0.75, gap)
}

/// The height the heading must keep with: the first row of photos with its captions.
pub(crate) fn first_row_height(c: &Composer<'_, '_>, photos: &[ReportPhoto]) -> f32 {
    let (_, _, frame_h, _) = frames(c, photos.len());
    c.heading_height() + frame_h + 4.0 + (CAPTION_LINES + 1) as f32 * c.geo.small_pitch
}

/// The PDF's grid of photos: each fitted into its frame with its caption under it, a row kept
/// on one page.
pub(crate) fn grid(c: &mut Composer<'_, '_>, photos: &[ReportPhoto]) -> Result<(), ReportError> {
    let lang = c.lang;
    let pictures: Vec<(Picture, &ReportPhoto)> =
        photos.iter().filter_map(|p| Picture::read(p.bytes.clone()).map(|pic| (pic, p))).collect();
    let w = c.geo.area.w;
    let (per_row, cell_w, frame_h, gap) = frames(c, pictures.len());
    let head = TextStyle { bold: true, ..c.geo.small };
    let body = c.geo.small;
    let pitch = c.geo.small_pitch;
    for row in pictures.chunks(per_row) {
        // Captions first, to know the row's height.
        let captions: Vec<(Vec<crate::layout::TextLine>, String)> = row
            .iter()
            .map(|(_, p)| {
                let first = place_and_time(p, lang);
                let mut lines = Vec::new();
                if !first.is_empty() {
                    lines.push(c.fit_line(&first, &head, cell_w));
                }
                let text = p.caption.trim();
                if !text.is_empty() {
                    let mut more = c.ts.paragraph(text, &body, cell_w, 0.0, false);
                    if more.len() > CAPTION_LINES {
                        more.truncate(CAPTION_LINES - 1);
                        let shown: String = more.iter().map(|l| l.text()).collect();
                        let rest: String = text.chars().skip(shown.chars().count()).collect();
                        more.push(c.fit_line(&rest, &body, cell_w));
                    }
                    lines.extend(more);
                }
                let alt =
                    [first.as_str(), text].iter().filter(|s| !s.is_empty()).copied().collect::<Vec<_>>();
                (lines, alt.join(t(lang, "：", ": ")))
            })
            .collect();
        let caption_h = captions.iter().map(|(l, _)| l.len()).max().unwrap_or(0) as f32 * pitch;
        let row_h = frame_h + 4.0 + caption_h + gap;
        c.keep_together(row_h)?;
        c.page_has_content = true;
        let x0 = if per_row == 1 { (w - cell_w) / 2.0 } else { 0.0 };
        for (k, ((pic, _), (lines, alt))) in row.iter().zip(captions).enumerate() {
            let x = x0 + k as f32 * (cell_w + gap);
            // The picture fitted into its frame, centred, its proportions kept.
            let ratio = pic.px_w as f32 / pic.px_h as f32;
            let (iw, ih) =
                if ratio >= cell_w / frame_h { (cell_w, cell_w / ratio) } else { (frame_h * ratio, frame_h) };
            let frame = c.abs(x, 0.0);
            c.page.items.push((
                frame,
                Item::Rect { w: cell_w, h: frame_h, fill: Some(Rgb(0.96, 0.96, 0.96)), stroke: None },
            ));
            c.begin(Role::Figure, Some(alt));
            let at = c.abs(x + (cell_w - iw) / 2.0, (frame_h - ih) / 2.0);
            c.push(at, Item::Image { w: iw, h: ih, picture: pic.clone() });
            c.end();
            c.begin(Role::Caption, None);
            for (i, l) in lines.into_iter().enumerate() {
                let dx = if per_row == 1 { x + (cell_w - l.width).max(0.0) / 2.0 } else { x };
                let y = frame_h + 4.0 + i as f32 * pitch + (pitch - l.size) / 2.0 + l.size * ASCENT;
                let p = c.abs(dx, y);
                c.push(p, Item::Line(l));
            }
            c.end();
        }
        c.y += row_h;
    }
    Ok(())
}
