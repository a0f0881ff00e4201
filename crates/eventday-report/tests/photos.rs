//! The 活动剪影 section: the photos marked for the report, two to a row, with their captions,
//! in both styles and languages; none without marked photos.
#![allow(clippy::expect_used, reason = "tests")]

use std::sync::OnceLock;

use eventday_report::layout::{Item, Page, Role, layout_report};
use eventday_report::{FontSet, Lang, RenderOptions, ReportData, ReportPhoto, Style};

fn fonts() -> &'static FontSet {
    static F: OnceLock<FontSet> = OnceLock::new();
    F.get_or_init(|| FontSet::bundled().expect("bundled fonts parse"))
}

/// The smallest JPEG header the report reads: SOI and a baseline frame of `w` x `h`, 3 components.
fn jpeg(w: u16, h: u16) -> Vec<u8> {
    let mut b = vec![0xFF, 0xD8, 0xFF, 0xC0, 0x00, 0x11, 0x08];
    b.extend_from_slice(&h.to_be_bytes());
    b.extend_from_slice(&w.to_be_bytes());
    b.extend_from_slice(&[3, 1, 0x22, 0, 2, 0x11, 1, 3, 0x11, 1, 0xFF, 0xD9]);
    b
}

fn with_photos(n: usize) -> ReportData {
    let mut d: ReportData = serde_json::from_str(include_str!("fixtures/demo-2013.json")).expect("fixture");
    d.photos = (0..n)
        .map(|i| ReportPhoto {
            venue: format!("第{i}分会场"),
            time: format!("09:{:02}", i * 5),
            caption: format!("照片{i}：群众在咨询台前排队咨询，工作人员逐一解答"),
            bytes: if i % 2 == 0 { jpeg(640, 480) } else { jpeg(300, 600) },
        })
        .collect();
    d
}

fn text(p: &Page) -> String {
    p.items
        .iter()
        .filter_map(|(_, it)| match it {
            Item::Line(l) => Some(l.text()),
            _ => None,
        })
        .collect()
}

#[test]
fn marked_photos_are_laid_out_two_to_a_row_with_their_captions_in_both_styles() {
    for style in [Style::Modern, Style::Gbt9704] {
        for lang in [Lang::Zh, Lang::En] {
            let d = with_photos(7);
            let (pages, _) = layout_report(&d, lang, style, fonts()).expect("layout");
            let heading = if lang == Lang::Zh { "活动剪影" } else { "The Day in Pictures" };
            let with_images: Vec<&Page> = pages
                .iter()
                .filter(|p| p.items.iter().any(|(_, i)| matches!(i, Item::Image { .. })))
                .collect();
            let count: usize = with_images
                .iter()
                .map(|p| p.items.iter().filter(|(_, i)| matches!(i, Item::Image { .. })).count())
                .sum();
            assert_eq!(count, 7, "{style:?} {lang:?}: every marked photo");
            assert!(
                text(with_images[0]).contains(heading),
                "{style:?} {lang:?}: the heading with the first row"
            );
            for p in &with_images {
                let n = p.items.iter().filter(|(_, i)| matches!(i, Item::Image { .. })).count();
                assert!(n <= 6, "{style:?} {lang:?} page {}: {n} photos", p.number);
                let a = p.area;
                for (pt, it) in &p.items {
                    if let Item::Image { w, h, picture } = it {
                        assert!(pt.x >= a.x - 0.01 && pt.x + w <= a.x + a.w + 0.01, "inside the type area");
                        assert!(pt.y >= a.y - 0.01 && pt.y + h <= a.y + a.h + 0.01, "inside the type area");
                        let (r1, r2) = (w / h, picture.px_w as f32 / picture.px_h as f32);
                        assert!((r1 - r2).abs() < 0.01, "proportions kept: {r1} vs {r2}");
                    }
                }
            }
            // Two to a row: most pages of the section hold 4 or 6.
            assert!(
                with_images.iter().any(|p| {
                    p.items.iter().filter(|(_, i)| matches!(i, Item::Image { .. })).count() >= 4
                })
            );
            let all: String = with_images.iter().map(|p| text(p)).collect();
            for i in 0..7 {
                assert!(all.contains(&format!("第{i}分会场")), "venue under photo {i}");
                assert!(all.contains(&format!("照片{i}：")), "caption of photo {i}");
            }
            // Each photo is a figure whose alternative text is its caption.
            let figures: Vec<String> = pages
                .iter()
                .flat_map(|p| p.elems.iter())
                .filter(|e| e.role == Role::Figure)
                .filter_map(|e| e.alt.clone())
                .filter(|a| a.contains("照片"))
                .collect();
            assert_eq!(figures.len(), 7, "{figures:?}");
            assert!(figures[3].contains("第3分会场") && figures[3].contains("照片3："), "{}", figures[3]);
        }
    }
}

#[test]
fn no_marked_photos_no_section_and_left_out_photos_are_counted() {
    let d = with_photos(0);
    let (pages, _) = layout_report(&d, Lang::Zh, Style::Modern, fonts()).expect("layout");
    assert!(!pages.iter().any(|p| text(p).contains("活动剪影")));
    let mut d = with_photos(1);
    d.photos.push(ReportPhoto { bytes: b"not a picture".to_vec(), ..d.photos[0].clone() });
    d.photos_left_out = 2;
    let (pages, _) = layout_report(&d, Lang::Zh, Style::Modern, fonts()).expect("layout");
    let all: String = pages.iter().map(text).collect();
    assert!(all.contains("活动剪影"));
    assert!(all.contains("另有3张"), "two in another format and one unreadable");
    let images =
        pages.iter().flat_map(|p| p.items.iter()).filter(|(_, i)| matches!(i, Item::Image { .. })).count();
    assert_eq!(images, 1);
}

#[test]
fn the_pdf_embeds_a_jpeg_as_it_is_and_a_png_decoded() {
    let mut d = with_photos(1);
    let mut png = Vec::new();
    {
        let mut enc = png::Encoder::new(&mut png, 2, 2);
        enc.set_color(png::ColorType::Rgba);
        enc.set_depth(png::BitDepth::Eight);
        let mut w = enc.write_header().expect("header");
        w.write_image_data(&[255, 0, 0, 128, 0, 255, 0, 255, 0, 0, 255, 255, 9, 9, 9, 0]).expect("data");
    }
    d.photos.push(ReportPhoto { bytes: png, ..d.photos[0].clone() });
    let opts = RenderOptions { lang: Lang::Zh, style: Style::Modern, deterministic: true };
    let out = eventday_report::render(&d, &opts, fonts()).expect("render");
    let pdf = String::from_utf8_lossy(&out.pdf);
    assert!(pdf.contains("/Filter /DCTDecode"), "the JPEG passes through");
    assert!(pdf.contains("/SMask"), "the PNG's alpha is a soft mask");
    assert!(pdf.contains("/XObject << /Im0 ") && pdf.contains(" /Im1 "), "both listed in the resources");
}
