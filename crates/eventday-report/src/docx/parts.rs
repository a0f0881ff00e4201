//! The fixed parts of the DOCX package: content types, relationships, styles, settings, the font
//! table with its fallbacks, the page-number footers and the section (page size, margins, grid).

use std::io::Write as _;

use super::{LATIN, Meta, TITLE_FACE, esc, tw};
use crate::Lang;
use crate::layout::{Geometry, MM};

const W: &str = "http://schemas.openxmlformats.org/wordprocessingml/2006/main";
const R: &str = "http://schemas.openxmlformats.org/officeDocument/2006/relationships";
const XML: &str = "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n";

/// The start of `word/document.xml` up to the first block.
pub(super) const DOCUMENT_START: &str = concat!(
    "<?xml version=\"1.0\" encoding=\"UTF-8\" standalone=\"yes\"?>\n",
    "<w:document xmlns:w=\"http://schemas.openxmlformats.org/wordprocessingml/2006/main\" ",
    "xmlns:r=\"http://schemas.openxmlformats.org/officeDocument/2006/relationships\" ",
    "xmlns:wp=\"http://schemas.openxmlformats.org/drawingml/2006/wordprocessingDrawing\" ",
    "xmlns:a=\"http://schemas.openxmlformats.org/drawingml/2006/main\" ",
    "xmlns:pic=\"http://schemas.openxmlformats.org/drawingml/2006/picture\"><w:body>"
);

/// Each East Asian face the documents name, with the face Word takes when it is not installed
/// (the chain 仿宋_GB2312 → 仿宋 → FangSong, 方正小标宋简体 → 华文中宋 → 宋体 → SimSun ...).
const FONTS: [(&str, &str, &str); 9] = [
    (TITLE_FACE, "华文中宋", "roman"),
    ("华文中宋", "宋体", "roman"),
    ("宋体", "SimSun", "roman"),
    ("仿宋_GB2312", "仿宋", "modern"),
    ("仿宋", "FangSong", "modern"),
    ("黑体", "SimHei", "modern"),
    ("楷体_GB2312", "楷体", "modern"),
    ("楷体", "KaiTi", "modern"),
    (LATIN, "Times", "roman"),
];

fn gb(geo: &Geometry) -> bool {
    geo.style == crate::Style::Gbt9704
}

/// Page margins in twips: (top, right, bottom, left), from the type area.
fn margins(geo: &Geometry) -> (i64, i64, i64, i64) {
    let a = geo.area;
    (tw(a.y), tw(geo.page_w - a.x - a.w), tw(geo.page_h - a.y - a.h), tw(a.x))
}

/// The section: A4, the type area's margins, the footers, and in the GB/T 9704 style a grid of
/// 22 lines of 28 characters.
pub(super) fn section(geo: &Geometry) -> String {
    let (top, right, bottom, left) = margins(geo);
    let (pw, ph) = (tw(geo.page_w), tw(geo.page_h));
    // The page number's line sits 7 mm under the type area (its top), as on the PDF.
    let footer = bottom - tw(7.0 * MM) - tw(geo.folio.size * 1.2);
    let mut s = String::from("<w:sectPr><w:footerReference w:type=\"default\" r:id=\"rIdFooter1\"/>");
    let grid = if gb(geo) {
        s.push_str("<w:footerReference w:type=\"even\" r:id=\"rIdFooter2\"/>");
        let (w, h) = (pw - left - right, ph - top - bottom);
        let pitch = h / 22;
        // Character pitch = the body size plus charSpace/4096 pt.
        let char_space = ((w as f32 / 20.0 / 28.0 - geo.body.size) * 4096.0).round() as i64;
        format!("<w:docGrid w:type=\"linesAndChars\" w:linePitch=\"{pitch}\" w:charSpace=\"{char_space}\"/>")
    } else {
        "<w:docGrid w:linePitch=\"360\"/>".to_owned()
    };
    s.push_str(&format!(
        "<w:pgSz w:w=\"{pw}\" w:h=\"{ph}\"/><w:pgMar w:top=\"{top}\" w:right=\"{right}\" w:bottom=\"{bottom}\" w:left=\"{left}\" w:header=\"851\" w:footer=\"{footer}\" w:gutter=\"0\"/><w:pgNumType w:start=\"1\"/><w:cols w:space=\"425\"/>{grid}</w:sectPr>"
    ));
    s
}

fn rfonts(east: &str, lang: Lang) -> String {
    let hint = if lang == Lang::Zh { " w:hint=\"eastAsia\"" } else { "" };
    format!(
        "<w:rFonts w:ascii=\"{LATIN}\" w:hAnsi=\"{LATIN}\" w:eastAsia=\"{east}\" w:cs=\"{LATIN}\"{hint}/>"
    )
}

fn styles(geo: &Geometry, lang: Lang) -> String {
    let body_face = if gb(geo) { "仿宋_GB2312" } else { "宋体" };
    let hp = |pt: f32| (pt * 2.0).round() as i64;
    let body = hp(geo.body.size);
    let title_face = if gb(geo) { TITLE_FACE } else { "宋体" };
    let h1_face = if gb(geo) { "黑体" } else { "宋体" };
    let h2_face = if gb(geo) { "楷体_GB2312" } else { "宋体" };
    let lang_tag = "<w:lang w:val=\"en-US\" w:eastAsia=\"zh-CN\" w:bidi=\"ar-SA\"/>";
    format!(
        "{XML}<w:styles xmlns:w=\"{W}\"><w:docDefaults><w:rPrDefault><w:rPr>{}<w:kern w:val=\"0\"/><w:sz w:val=\"{body}\"/><w:szCs w:val=\"{body}\"/>{lang_tag}</w:rPr></w:rPrDefault><w:pPrDefault><w:pPr><w:spacing w:after=\"0\" w:line=\"{}\" w:lineRule=\"exact\"/></w:pPr></w:pPrDefault></w:docDefaults>\
<w:style w:type=\"paragraph\" w:default=\"1\" w:styleId=\"Normal\"><w:name w:val=\"Normal\"/><w:qFormat/><w:pPr><w:jc w:val=\"both\"/></w:pPr><w:rPr>{}<w:sz w:val=\"{body}\"/><w:szCs w:val=\"{body}\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Title\"><w:name w:val=\"Title\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:jc w:val=\"center\"/><w:outlineLvl w:val=\"0\"/></w:pPr><w:rPr>{}<w:sz w:val=\"{}\"/><w:szCs w:val=\"{}\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading1\"><w:name w:val=\"heading 1\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:outlineLvl w:val=\"1\"/></w:pPr><w:rPr>{}<w:sz w:val=\"{}\"/><w:szCs w:val=\"{}\"/></w:rPr></w:style>\
<w:style w:type=\"paragraph\" w:styleId=\"Heading2\"><w:name w:val=\"heading 2\"/><w:basedOn w:val=\"Normal\"/><w:next w:val=\"Normal\"/><w:qFormat/><w:pPr><w:keepNext/><w:keepLines/><w:outlineLvl w:val=\"2\"/></w:pPr><w:rPr>{}<w:sz w:val=\"{}\"/><w:szCs w:val=\"{}\"/></w:rPr></w:style>\
<w:style w:type=\"character\" w:default=\"1\" w:styleId=\"DefaultParagraphFont\"><w:name w:val=\"Default Paragraph Font\"/><w:uiPriority w:val=\"1\"/><w:semiHidden/><w:unhideWhenUsed/></w:style>\
<w:style w:type=\"table\" w:default=\"1\" w:styleId=\"TableNormal\"><w:name w:val=\"Normal Table\"/><w:uiPriority w:val=\"99\"/><w:semiHidden/><w:unhideWhenUsed/><w:tblPr><w:tblInd w:w=\"0\" w:type=\"dxa\"/><w:tblCellMar><w:top w:w=\"0\" w:type=\"dxa\"/><w:left w:w=\"108\" w:type=\"dxa\"/><w:bottom w:w=\"0\" w:type=\"dxa\"/><w:right w:w=\"108\" w:type=\"dxa\"/></w:tblCellMar></w:tblPr></w:style>\
</w:styles>",
        rfonts(body_face, lang),
        tw(geo.body_pitch),
        rfonts(body_face, lang),
        rfonts(title_face, lang),
        hp(geo.title.size),
        hp(geo.title.size),
        rfonts(h1_face, lang),
        hp(geo.h1.size),
        hp(geo.h1.size),
        rfonts(h2_face, lang),
        hp(geo.h2.size),
        hp(geo.h2.size),
    )
}

fn settings(geo: &Geometry) -> String {
    // GB/T 9704 sets every character in its grid cell: punctuation is not compressed there.
    let (even_odd, spacing) =
        if gb(geo) { ("<w:evenAndOddHeaders/>", "doNotCompress") } else { ("", "compressPunctuation") };
    format!(
        "{XML}<w:settings xmlns:w=\"{W}\"><w:zoom w:percent=\"100\"/><w:defaultTabStop w:val=\"420\"/>{even_odd}<w:characterSpacingControl w:val=\"{spacing}\"/><w:compat><w:compatSetting w:name=\"compatibilityMode\" w:uri=\"http://schemas.microsoft.com/office/word\" w:val=\"15\"/></w:compat></w:settings>"
    )
}

fn font_table() -> String {
    let mut s = format!("{XML}<w:fonts xmlns:w=\"{W}\">");
    for (name, alt, family) in FONTS {
        let charset = if name == LATIN { "00" } else { "86" };
        s.push_str(&format!(
            "<w:font w:name=\"{name}\"><w:altName w:val=\"{alt}\"/><w:charset w:val=\"{charset}\"/><w:family w:val=\"{family}\"/><w:pitch w:val=\"variable\"/></w:font>"
        ));
    }
    s.push_str("</w:fonts>");
    s
}

/// A footer with the page number as a PAGE field between dashes: "— 1 —". GB/T 9704: odd pages
/// at the right, even pages at the left, one character in from the edge; modern: centred.
fn footer(geo: &Geometry, lang: Lang, even: bool) -> String {
    let st = geo.folio;
    let one = tw(st.size);
    let (jc, ind) = match (gb(geo), even) {
        (true, false) => ("right", format!("<w:ind w:right=\"{one}\"/>")),
        (true, true) => ("left", format!("<w:ind w:left=\"{one}\"/>")),
        (false, _) => ("center", String::new()),
    };
    let hp = (st.size * 2.0).round() as i64;
    let rpr =
        format!("<w:rPr>{}<w:sz w:val=\"{hp}\"/><w:szCs w:val=\"{hp}\"/></w:rPr>", rfonts("宋体", lang));
    let run = |inner: &str| format!("<w:r>{rpr}{inner}</w:r>");
    format!(
        "{XML}<w:ftr xmlns:w=\"{W}\" xmlns:r=\"{R}\"><w:p><w:pPr><w:snapToGrid w:val=\"0\"/><w:spacing w:before=\"0\" w:after=\"0\" w:line=\"{}\" w:lineRule=\"exact\"/>{ind}<w:jc w:val=\"{jc}\"/></w:pPr>{}{}{}{}{}{}</w:p></w:ftr>",
        tw(st.size * 1.2),
        run("<w:t xml:space=\"preserve\">— </w:t>"),
        run("<w:fldChar w:fldCharType=\"begin\"/>"),
        run("<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>"),
        run("<w:fldChar w:fldCharType=\"separate\"/><w:t>1</w:t>"),
        run("<w:fldChar w:fldCharType=\"end\"/>"),
        run("<w:t xml:space=\"preserve\"> —</w:t>"),
    )
}

fn content_types() -> String {
    let wml = "application/vnd.openxmlformats-officedocument.wordprocessingml";
    format!(
        "{XML}<Types xmlns=\"http://schemas.openxmlformats.org/package/2006/content-types\">\
<Default Extension=\"rels\" ContentType=\"application/vnd.openxmlformats-package.relationships+xml\"/>\
<Default Extension=\"xml\" ContentType=\"application/xml\"/>\
<Default Extension=\"png\" ContentType=\"image/png\"/>\
<Default Extension=\"jpeg\" ContentType=\"image/jpeg\"/>\
<Override PartName=\"/word/document.xml\" ContentType=\"{wml}.document.main+xml\"/>\
<Override PartName=\"/word/styles.xml\" ContentType=\"{wml}.styles+xml\"/>\
<Override PartName=\"/word/settings.xml\" ContentType=\"{wml}.settings+xml\"/>\
<Override PartName=\"/word/fontTable.xml\" ContentType=\"{wml}.fontTable+xml\"/>\
<Override PartName=\"/word/footer1.xml\" ContentType=\"{wml}.footer+xml\"/>\
<Override PartName=\"/word/footer2.xml\" ContentType=\"{wml}.footer+xml\"/>\
<Override PartName=\"/docProps/core.xml\" ContentType=\"application/vnd.openxmlformats-package.core-properties+xml\"/>\
<Override PartName=\"/docProps/app.xml\" ContentType=\"application/vnd.openxmlformats-officedocument.extended-properties+xml\"/>\
</Types>"
    )
}

fn package_rels() -> String {
    format!(
        "{XML}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rId1\" Type=\"{R}/officeDocument\" Target=\"word/document.xml\"/>\
<Relationship Id=\"rId2\" Type=\"http://schemas.openxmlformats.org/package/2006/relationships/metadata/core-properties\" Target=\"docProps/core.xml\"/>\
<Relationship Id=\"rId3\" Type=\"{R}/extended-properties\" Target=\"docProps/app.xml\"/>\
</Relationships>"
    )
}

/// The document's relationships, with `bars` solid-colour pictures and the photos (their file
/// extensions, in order).
pub(super) fn document_rels(bars: usize, photos: &[&str]) -> String {
    let mut s = format!(
        "{XML}<Relationships xmlns=\"http://schemas.openxmlformats.org/package/2006/relationships\">\
<Relationship Id=\"rIdStyles\" Type=\"{R}/styles\" Target=\"styles.xml\"/>\
<Relationship Id=\"rIdSettings\" Type=\"{R}/settings\" Target=\"settings.xml\"/>\
<Relationship Id=\"rIdFontTable\" Type=\"{R}/fontTable\" Target=\"fontTable.xml\"/>\
<Relationship Id=\"rIdFooter1\" Type=\"{R}/footer\" Target=\"footer1.xml\"/>\
<Relationship Id=\"rIdFooter2\" Type=\"{R}/footer\" Target=\"footer2.xml\"/>"
    );
    for n in 1..=bars {
        s.push_str(&format!(
            "<Relationship Id=\"rIdBar{n}\" Type=\"{R}/image\" Target=\"media/bar{n}.png\"/>"
        ));
    }
    for (i, ext) in photos.iter().enumerate() {
        let n = i + 1;
        s.push_str(&format!(
            "<Relationship Id=\"rIdPhoto{n}\" Type=\"{R}/image\" Target=\"media/photo{n}.{ext}\"/>"
        ));
    }
    s.push_str("</Relationships>");
    s
}

fn core(meta: &Meta, lang: Lang) -> String {
    let mut s = format!(
        "{XML}<cp:coreProperties xmlns:cp=\"http://schemas.openxmlformats.org/package/2006/metadata/core-properties\" xmlns:dc=\"http://purl.org/dc/elements/1.1/\" xmlns:dcterms=\"http://purl.org/dc/terms/\" xmlns:xsi=\"http://www.w3.org/2001/XMLSchema-instance\"><dc:title>"
    );
    esc(&mut s, &meta.title);
    s.push_str("</dc:title><dc:subject>");
    esc(&mut s, &meta.subject);
    s.push_str("</dc:subject><dc:creator>");
    esc(&mut s, &meta.author);
    s.push_str(&format!(
        "</dc:creator><dc:language>{}</dc:language><dcterms:created xsi:type=\"dcterms:W3CDTF\">{}</dcterms:created></cp:coreProperties>",
        match lang {
            Lang::Zh => "zh-CN",
            Lang::En => "en",
        },
        meta.created
    ));
    s
}

/// Every part but the document body and its relationships, (name, XML).
pub(super) fn fixed_parts(geo: &Geometry, lang: Lang, meta: &Meta) -> Vec<(String, String)> {
    vec![
        ("[Content_Types].xml".into(), content_types()),
        ("_rels/.rels".into(), package_rels()),
        ("docProps/core.xml".into(), core(meta, lang)),
        (
            "docProps/app.xml".into(),
            format!(
                "{XML}<Properties xmlns=\"http://schemas.openxmlformats.org/officeDocument/2006/extended-properties\"><Application>eventday</Application></Properties>"
            ),
        ),
        ("word/styles.xml".into(), styles(geo, lang)),
        ("word/settings.xml".into(), settings(geo)),
        ("word/fontTable.xml".into(), font_table()),
        ("word/footer1.xml".into(), footer(geo, lang, false)),
        ("word/footer2.xml".into(), footer(geo, lang, true)),
    ]
}

/// A 1 × 1 PNG of one colour (hex "RRGGBB"), stretched into a chart's bars.
pub(super) fn solid_png(color: &str) -> Vec<u8> {
    let byte = |i: usize| color.get(i..i + 2).and_then(|h| u8::from_str_radix(h, 16).ok()).unwrap_or(0);
    let mut z = flate2::write::ZlibEncoder::new(Vec::new(), flate2::Compression::default());
    // One scanline: filter type 0, then R, G, B. Writing to a Vec cannot fail.
    let _ = z.write_all(&[0, byte(0), byte(2), byte(4)]);
    let idat = z.finish().unwrap_or_default();
    let mut png = vec![0x89, b'P', b'N', b'G', 0x0d, 0x0a, 0x1a, 0x0a];
    let mut chunk = |kind: &[u8; 4], data: &[u8]| {
        png.extend_from_slice(&u32::try_from(data.len()).unwrap_or(0).to_be_bytes());
        let mut crc = flate2::Crc::new();
        crc.update(kind);
        crc.update(data);
        png.extend_from_slice(kind);
        png.extend_from_slice(data);
        png.extend_from_slice(&crc.sum().to_be_bytes());
    };
    chunk(b"IHDR", &[0, 0, 0, 1, 0, 0, 0, 1, 8, 2, 0, 0, 0]);
    chunk(b"IDAT", &idat);
    chunk(b"IEND", &[]);
    png
}
