//! The Word output: the same content as the PDF, GB/T 9704 in Word terms, well-formed parts, a
//! streamed roll-up, and a file LibreOffice converts.
#![allow(clippy::expect_used, clippy::unwrap_used, reason = "tests")]

use std::collections::BTreeMap;
use std::process::Command;
use std::sync::OnceLock;

use eventday_report::layout::{Item, Role, layout_report};
use eventday_report::{
    FontSet, Lang, RenderOptions, ReportData, RollupDistrict, RollupHeader, RollupItem, Style, Totals,
    VenueKind, VenueRow, render_docx, render_rollup_docx,
};

fn fonts() -> &'static FontSet {
    static F: OnceLock<FontSet> = OnceLock::new();
    F.get_or_init(|| FontSet::bundled().expect("fonts"))
}

fn demo(lang: Lang) -> ReportData {
    let s = match lang {
        Lang::Zh => include_str!("fixtures/demo-2013.json"),
        Lang::En => include_str!("fixtures/demo-2013-en.json"),
    };
    serde_json::from_str(s).expect("fixture parses")
}

/// The entries of a ZIP archive, inflated, by name (read through the central directory).
fn unzip(bytes: &[u8]) -> BTreeMap<String, String> {
    let u16_at = |i: usize| u16::from_le_bytes([bytes[i], bytes[i + 1]]) as usize;
    let u32_at = |i: usize| u32::from_le_bytes([bytes[i], bytes[i + 1], bytes[i + 2], bytes[i + 3]]) as usize;
    let end = bytes.len() - 22;
    assert_eq!(u32_at(end), 0x0605_4b50, "end of central directory record");
    let (n, mut at) = (u16_at(end + 10), u32_at(end + 16));
    let mut out = BTreeMap::new();
    for _ in 0..n {
        assert_eq!(u32_at(at), 0x0201_4b50, "central directory entry");
        let (method, size, name_len, extra, comment) =
            (u16_at(at + 10), u32_at(at + 24), u16_at(at + 28), u16_at(at + 30), u16_at(at + 32));
        let name = String::from_utf8(bytes[at + 46..at + 46 + name_len].to_vec()).expect("utf-8 name");
        let local = u32_at(at + 42);
        let data = local + 30 + u16_at(local + 26) + u16_at(local + 28);
        assert_eq!(method, 8, "{name} is deflated");
        let mut plain = Vec::with_capacity(size + 16);
        flate2::Decompress::new(false)
            .decompress_vec(&bytes[data..], &mut plain, flate2::FlushDecompress::Finish)
            .expect("inflate");
        assert_eq!(plain.len(), size, "{name}: size in the central directory");
        out.insert(name, String::from_utf8_lossy(&plain).into_owned());
        at += 46 + name_len + extra + comment;
    }
    out
}

/// Checks that every tag is closed in order (a well-formedness check without a parser).
fn assert_balanced(name: &str, xml: &str) {
    let mut stack: Vec<&str> = Vec::new();
    let mut rest = xml;
    while let Some(i) = rest.find('<') {
        rest = &rest[i + 1..];
        let end = rest.find('>').unwrap_or_else(|| panic!("{name}: unclosed tag"));
        let tag = &rest[..end];
        rest = &rest[end + 1..];
        if tag.starts_with('?') || tag.starts_with('!') || tag.ends_with('/') {
            continue;
        }
        let tag_name = tag.split_whitespace().next().unwrap_or_default();
        if let Some(closing) = tag_name.strip_prefix('/') {
            assert_eq!(stack.pop(), Some(closing), "{name}: </{closing}> closes the wrong element");
        } else {
            stack.push(tag_name);
        }
    }
    assert!(stack.is_empty(), "{name}: unclosed {stack:?}");
}

fn unescape(s: &str) -> String {
    s.replace("&lt;", "<").replace("&gt;", ">").replace("&quot;", "\"").replace("&amp;", "&")
}

/// The document's text: `w:t` contents in order, a paragraph per line.
fn docx_text(xml: &str) -> String {
    let mut out = String::new();
    let mut rest = xml;
    while let Some(i) = rest.find('<') {
        rest = &rest[i..];
        if rest.starts_with("<w:t>") || rest.starts_with("<w:t ") {
            let open = rest.find('>').expect("tag end") + 1;
            let close = rest.find("</w:t>").expect("w:t closed");
            out.push_str(&unescape(&rest[open..close]));
            rest = &rest[close..];
        } else if rest.starts_with("</w:p>") {
            out.push('\n');
        }
        rest = &rest[1..];
    }
    out
}

/// The PDF layout's text: every line but the page numbers and the charts' insides (their labels
/// are shortened to fit; the DOCX sets them whole), in drawing order.
fn pdf_text(d: &ReportData, lang: Lang, style: Style) -> String {
    let (pages, _) = layout_report(d, lang, style, fonts()).expect("layout");
    let mut figures = std::collections::BTreeSet::new();
    let mut out = String::new();
    for p in &pages {
        figures.extend(p.elems.iter().filter(|e| e.role == Role::Figure).map(|e| e.id));
        let in_figure =
            |i: usize| p.marks.iter().any(|m| (m.start..m.end).contains(&i) && figures.contains(&m.elem));
        for (i, (_, item)) in p.items.iter().enumerate() {
            if let Item::Line(l) = item
                && !in_figure(i)
            {
                out.push_str(&l.text());
                out.push('\n');
            }
        }
    }
    out
}

/// The document without its charts (tables of bars).
fn without_charts(xml: &str) -> String {
    let mut out = String::new();
    for (i, part) in xml.split("<w:tbl>").enumerate() {
        match part.split_once("</w:tbl>") {
            Some((table, rest)) if i > 0 => {
                if !table.contains("<w:drawing>") {
                    out.push_str("<w:tbl>");
                    out.push_str(table);
                    out.push_str("</w:tbl>");
                }
                out.push_str(rest);
            }
            _ => out.push_str(part),
        }
    }
    out
}

/// Every occurrence of every needle, as the sequence of needles in text order.
fn sequence(text: &str, needles: &[String]) -> Vec<String> {
    let mut found: Vec<(usize, &String)> = Vec::new();
    for n in needles {
        found.extend(text.match_indices(n.as_str()).map(|(i, _)| (i, n)));
    }
    found.sort();
    found.into_iter().map(|(_, n)| n.clone()).collect()
}

fn flat(s: &str) -> String {
    // PDF lines break inside words and table cells: compare without any white space.
    s.split_whitespace().collect()
}

#[test]
fn the_docx_says_what_the_pdf_says_headings_venues_and_figures_in_the_same_order() {
    for lang in [Lang::Zh, Lang::En] {
        for style in [Style::Modern, Style::Gbt9704] {
            let d = demo(lang);
            let docx = render_docx(&d, &RenderOptions { lang, style, deterministic: true }).expect("docx");
            let parts = unzip(&docx);
            let xml = &parts["word/document.xml"];
            // Headings: the paragraphs Word lists in its navigation pane.
            let mut needles: Vec<String> = xml
                .split("<w:p>")
                .filter(|p| p.contains("w:val=\"Heading1\"") || p.contains("w:val=\"Heading2\""))
                .map(|p| docx_text(&format!("<w:p>{p}")).trim().to_string())
                .collect();
            assert!(needles.len() >= 10, "{lang:?} {style:?}: headings {needles:?}");
            needles.push(eventday_report::layout::title_text(&d, lang));
            needles.extend(d.venues.iter().map(|v| v.name.clone()));
            let t = &d.totals;
            needles.extend(
                [t.visitors, t.consultations, t.complaints_received, t.complaints_settled]
                    .map(eventday_report::fmt::count),
            );
            let needles: Vec<String> = needles.iter().map(|n| flat(n)).collect();
            let in_docx = sequence(&flat(&docx_text(&without_charts(xml))), &needles);
            let in_pdf = sequence(&flat(&pdf_text(&d, lang, style)), &needles);
            assert!(in_docx.len() > 30, "{lang:?} {style:?}: {in_docx:?}");
            let first = in_docx
                .iter()
                .zip(&in_pdf)
                .position(|(a, b)| a != b)
                .unwrap_or(in_docx.len().min(in_pdf.len()));
            assert_eq!(
                in_docx,
                in_pdf,
                "{lang:?} {style:?}: from item {first}: docx {:?}, pdf {:?}",
                &in_docx[first.saturating_sub(2)..],
                &in_pdf[first.saturating_sub(2)..]
            );
        }
    }
}

#[test]
fn every_part_is_well_formed_and_every_run_names_its_east_asian_face() {
    for lang in [Lang::Zh, Lang::En] {
        for style in [Style::Modern, Style::Gbt9704] {
            let docx =
                render_docx(&demo(lang), &RenderOptions { lang, style, deterministic: true }).expect("docx");
            let parts = unzip(&docx);
            for name in ["[Content_Types].xml", "word/document.xml", "word/styles.xml", "word/footer1.xml"] {
                assert!(parts.contains_key(name), "{name} missing");
            }
            for (name, body) in &parts {
                if name.ends_with(".png") {
                    continue;
                }
                assert_balanced(name, body);
                // No theme part and no theme font anywhere: named faces are never overridden.
                assert!(!body.contains("Theme=\"") && !name.contains("theme"), "{name} uses a theme font");
            }
            for name in ["word/document.xml", "word/footer1.xml", "word/footer2.xml"] {
                let runs: Vec<&str> = parts[name].split("<w:r>").skip(1).collect();
                assert!(!runs.is_empty(), "{name} has runs");
                for r in runs {
                    let rpr = r.split("</w:rPr>").next().unwrap_or_default();
                    assert!(
                        rpr.starts_with("<w:rPr><w:rFonts") && rpr.contains("w:eastAsia=\""),
                        "{name}: {r}"
                    );
                    assert_eq!(lang == Lang::Zh, rpr.contains("w:hint=\"eastAsia\""), "{name}: {r}");
                }
            }
        }
    }
}

#[test]
fn the_gbt9704_docx_has_the_official_page_grid_faces_and_page_numbers() {
    let docx = render_docx(
        &demo(Lang::Zh),
        &RenderOptions { lang: Lang::Zh, style: Style::Gbt9704, deterministic: true },
    )
    .expect("docx");
    let p = unzip(&docx);
    let doc = &p["word/document.xml"];
    // A4; margins 37 / 26 / 35 / 28 mm (top, right, bottom, left); 22 lines of 28 characters.
    assert!(doc.contains("<w:pgSz w:w=\"11906\" w:h=\"16838\"/>"), "A4");
    assert!(doc.contains("<w:pgMar w:top=\"2098\" w:right=\"1474\" w:bottom=\"1984\" w:left=\"1587\""));
    let grid = doc.split("<w:docGrid ").nth(1).expect("docGrid");
    assert!(grid.starts_with("w:type=\"linesAndChars\" w:linePitch=\"579\""), "{grid}");
    let char_space: i64 = grid
        .split("w:charSpace=\"")
        .nth(1)
        .and_then(|s| s.split('"').next()?.parse().ok())
        .expect("charSpace");
    // 156 mm / 28 characters = 15.79 pt: 16 pt plus charSpace/4096.
    assert!((-860..=-830).contains(&char_space), "{char_space}");
    // Faces: title 22 pt 小标宋, body 16 pt 仿宋_GB2312, 一、 in 黑体, （一） in 楷体.
    let run_of = |text: &str| -> String {
        let i = doc.find(text).unwrap_or_else(|| panic!("{text} not in the document"));
        let start = doc[..i].rfind("<w:r>").expect("run");
        doc[start..i].to_string()
    };
    let title = run_of("xx区消费者协会2013年“3·15”活动总结");
    assert!(
        title.contains("w:eastAsia=\"方正小标宋简体\"") && title.contains("<w:sz w:val=\"44\"/>"),
        "{title}"
    );
    let body = run_of("2013年3月15日");
    assert!(body.contains("w:eastAsia=\"仿宋_GB2312\"") && body.contains("<w:sz w:val=\"32\"/>"), "{body}");
    assert!(run_of("一、精心组织").contains("w:eastAsia=\"黑体\""));
    assert!(run_of("（一）参与单位").contains("w:eastAsia=\"楷体_GB2312\""));
    // The font table falls back 仿宋_GB2312 → 仿宋 → FangSong, and 小标宋 → 华文中宋 → 宋体.
    let fonts = &p["word/fontTable.xml"];
    for (name, alt) in
        [("仿宋_GB2312", "仿宋"), ("仿宋", "FangSong"), ("方正小标宋简体", "华文中宋"), ("华文中宋", "宋体")]
    {
        assert!(fonts.contains(&format!("<w:font w:name=\"{name}\"><w:altName w:val=\"{alt}\"/>")), "{name}");
    }
    // Tables: a header row repeated on every page, rows that never split.
    let rows = doc.matches("<w:tr>").count();
    assert!(doc.contains("<w:trPr><w:cantSplit/><w:tblHeader/></w:trPr>"));
    assert_eq!(doc.matches("<w:cantSplit/>").count(), rows, "every row keeps together");
    // Page numbers "— 1 —" as a PAGE field, odd pages at the right, even at the left.
    assert!(p["word/settings.xml"].contains("<w:evenAndOddHeaders/>"));
    for (part, jc) in [("word/footer1.xml", "right"), ("word/footer2.xml", "left")] {
        let f = &p[part];
        assert!(f.contains("<w:instrText xml:space=\"preserve\"> PAGE </w:instrText>"), "{part}");
        assert!(f.contains(&format!("<w:jc w:val=\"{jc}\"/>")), "{part}");
        assert_eq!(docx_text(f).trim(), "— 1 —", "{part}");
    }
}

#[test]
fn the_modern_docx_has_the_key_figures_as_a_table_and_charts_with_their_figures() {
    let d = demo(Lang::En);
    let docx = render_docx(&d, &RenderOptions { lang: Lang::En, style: Style::Modern, deterministic: true })
        .expect("docx");
    let p = unzip(&docx);
    let doc = &p["word/document.xml"];
    let first_table =
        doc.split("<w:tbl>").nth(1).expect("a table").split("</w:tbl>").next().unwrap_or_default();
    let figures = docx_text(first_table);
    assert!(figures.contains(&eventday_report::fmt::count(d.totals.visitors)), "{figures}");
    assert!(figures.contains("participating units"), "{figures}");
    // Charts: bars are pictures, each venue's figure in the row beside its bar.
    assert!(p.contains_key("word/media/bar1.png"));
    assert!(p["word/_rels/document.xml.rels"].contains("Target=\"media/bar1.png\""));
    let text = docx_text(doc);
    let chart = text.split("Figure 1. Visitors by venue").nth(1).expect("figure 1");
    for v in &d.venues {
        assert!(
            chart.contains(&format!("{}\n\n{}", v.name, eventday_report::fmt::count(v.visitors))),
            "{}",
            v.name
        );
    }
    // English throughout: no Chinese characters in the document's text but the data's own.
    let data_cjk = serde_json::to_string(&d).expect("json");
    for ch in text.chars().filter(|c| ('\u{4e00}'..='\u{9fff}').contains(c)) {
        assert!(data_cjk.contains(ch), "{ch} is not from the data");
    }
}

fn district(i: usize) -> RollupDistrict {
    let venues: Vec<VenueRow> = (0..5)
        .map(|k| VenueRow {
            name: format!("第{i}区第{k}会场"),
            kind: if k == 0 { VenueKind::Main } else { VenueKind::Sub },
            visitors: 100 + k as u64,
            accepted: true,
            ..VenueRow::default()
        })
        .collect();
    RollupDistrict {
        name: format!("第{}市第{i}区消费者协会", i / 7 + 1),
        parent: format!("第{}市消费者协会", i / 7 + 1),
        totals: Totals { visitors: venues.iter().map(|v| v.visitors).sum(), ..Totals::default() },
        venue_count: 5,
        venues_unaccepted: 0,
        venues,
    }
}

#[test]
fn a_rollup_docx_streams_every_district_and_venue_under_a_repeated_header() {
    let n = 40;
    let header = RollupHeader {
        organization: "湖北省消费者委员会".into(),
        year: 2013,
        campaigns: n as u64,
        venues: 5 * n as u64,
        ..RollupHeader::default()
    };
    let items = (0..n)
        .map(|i| RollupItem::District(RollupDistrict { venues: Vec::new(), ..district(i) }))
        .chain((0..n).map(|i| RollupItem::Detail(district(i))));
    let mut calls = 0;
    let mut out = Vec::new();
    let r = render_rollup_docx(&header, items, &RenderOptions::default(), &mut out, |k| calls = k)
        .expect("rollup");
    assert_eq!((r.districts, calls, r.bytes as usize), (n, 2 * n, out.len()));
    let p = unzip(&out);
    let doc = &p["word/document.xml"];
    assert_balanced("document.xml", doc);
    let text = docx_text(doc);
    assert!(text.contains("湖北省消费者委员会") && text.contains("附件"), "{text}");
    for i in 0..n {
        assert!(text.contains(&format!("第{i}区第4会场")), "district {i}'s venues");
    }
    // Two tables with a repeated header row each (districts, the appendix) and the chart.
    assert_eq!(doc.matches("<w:tblHeader/>").count(), 2);
    assert!(doc.contains("<w:pageBreakBefore/>"), "the appendix starts a page");
}

/// LibreOffice: the command, when installed.
fn soffice() -> Option<&'static str> {
    ["soffice", "libreoffice"]
        .into_iter()
        .find(|c| Command::new(c).arg("--version").output().is_ok_and(|o| o.status.success()))
}

#[test]
fn libreoffice_converts_the_demo_docx_of_both_styles_to_pdf_with_its_text() {
    let Some(cmd) = soffice() else {
        assert!(
            std::env::var_os("EVENTDAY_REQUIRE_BROWSER").is_none(),
            "LibreOffice (soffice) is required when EVENTDAY_REQUIRE_BROWSER is set"
        );
        println!("LibreOffice is not installed; skipping the conversion check");
        return;
    };
    let dir = std::env::temp_dir().join(format!("eventday-docx-lo-{}", std::process::id()));
    std::fs::create_dir_all(&dir).expect("tmp");
    let d = demo(Lang::Zh);
    let mut files = Vec::new();
    for style in [Style::Modern, Style::Gbt9704] {
        let docx =
            render_docx(&d, &RenderOptions { lang: Lang::Zh, style, deterministic: true }).expect("docx");
        let f = dir.join(format!("demo-{style:?}.docx"));
        std::fs::write(&f, docx).expect("write");
        files.push(f);
    }
    // Its own profile, so that a LibreOffice already running elsewhere does not take the job.
    let profile = format!("-env:UserInstallation=file://{}", dir.join("profile").display());
    let out = Command::new(cmd)
        .arg(&profile)
        .args(["--headless", "--convert-to", "pdf", "--outdir"])
        .arg(&dir)
        .args(&files)
        .output()
        .expect("soffice runs");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    for f in &files {
        let pdf = f.with_extension("pdf");
        assert!(pdf.exists(), "{} was not converted: {}", f.display(), String::from_utf8_lossy(&out.stdout));
        let txt = Command::new("pdftotext").arg("-enc").arg("UTF-8").arg(&pdf).arg("-").output();
        let Ok(txt) = txt else {
            println!("pdftotext is not installed; the conversion alone was checked");
            continue;
        };
        let txt = String::from_utf8_lossy(&txt.stdout).replace([' ', '\n', '\u{c}'], "");
        let mut at = 0;
        let mut expect =
            vec!["xx区消费者协会2013年“3·15”活动总结".to_string(), "一、精心组织，周密部署".into()];
        expect.extend(d.venues.iter().map(|v| v.name.clone()));
        expect.extend(["与往年比较".into(), "下一步工作".into()]);
        for e in expect {
            match txt[at..].find(&e) {
                Some(i) => at += i + e.len(),
                None => panic!("{}: {e} not found after position {at} in:\n{txt}", f.display()),
            }
        }
        assert!(txt.contains("—1—") && txt.contains("—2—"), "page numbers: {txt}");
    }
    let _ = std::fs::remove_dir_all(&dir);
}
