//! Typography and accessibility: page fill, table columns, charts by unit, fonts, tagged PDF.
#![allow(clippy::expect_used, reason = "tests")]

use std::sync::OnceLock;

use eventday_report::layout::{DESCENT, Item, Page, Role, layout_report};
use eventday_report::{FontSet, Lang, RenderOptions, ReportData, Style, render};

fn fonts() -> &'static FontSet {
    static F: OnceLock<FontSet> = OnceLock::new();
    F.get_or_init(|| FontSet::bundled().expect("bundled fonts parse"))
}

fn demo(lang: Lang) -> ReportData {
    let s = match lang {
        Lang::Zh => include_str!("fixtures/demo-2013.json"),
        Lang::En => include_str!("fixtures/demo-2013-en.json"),
    };
    serde_json::from_str(s).expect("fixture parses")
}

fn demos() -> Vec<(String, Vec<Page>)> {
    let mut v = Vec::new();
    for lang in [Lang::Zh, Lang::En] {
        for style in [Style::Modern, Style::Gbt9704] {
            let (pages, _) = layout_report(&demo(lang), lang, style, fonts()).expect("layout");
            v.push((format!("{lang:?}/{style:?}"), pages));
        }
    }
    v
}

/// Share of the type area's height left empty below the page's last item.
fn blank_share(p: &Page) -> f32 {
    let bottom = p
        .items
        .iter()
        .filter_map(|(pt, it)| match it {
            Item::Line(l) => Some(pt.y + l.size * DESCENT),
            Item::Rect { h, .. } | Item::Image { h, .. } => Some(pt.y + h),
            Item::Rule { .. } => Some(pt.y),
            Item::Folio(_) => None,
        })
        .fold(p.area.y, f32::max);
    (p.area.y + p.area.h - bottom) / p.area.h
}

fn lines(pages: &[Page]) -> Vec<String> {
    pages
        .iter()
        .flat_map(|p| p.items.iter())
        .filter_map(|(_, i)| if let Item::Line(l) = i { Some(l.text()) } else { None })
        .collect()
}

#[test]
fn no_page_but_the_last_is_more_than_a_quarter_blank() {
    let all = demos();
    for (name, pages) in &all {
        let shares: Vec<String> = pages.iter().map(|p| format!("{:.0}", blank_share(p) * 100.0)).collect();
        println!("{name}: {}", shares.join(" "));
    }
    for (name, pages) in all {
        assert!(pages.len() > 3, "{name}");
        let shares: Vec<String> = pages.iter().map(|p| format!("{:.0}", blank_share(p) * 100.0)).collect();
        println!("{name}: {}", shares.join(" "));
        for p in &pages[..pages.len() - 1] {
            let b = blank_share(p);
            assert!(b <= 0.25, "{name} page {} is {:.0} % blank", p.number, b * 100.0);
        }
    }
}

#[test]
fn table_headers_and_short_cells_are_never_broken() {
    for (name, pages) in demos() {
        for p in &pages {
            // Lines of one cell follow each other at the same x, one below the other.
            let cell: Vec<(f32, f32, String)> = p
                .items
                .iter()
                .filter_map(|(pt, i)| if let Item::Line(l) = i { Some((pt.x, pt.y, l.text())) } else { None })
                .collect();
            for w in cell.windows(2) {
                let ((x0, y0, a), (x1, y1, b)) = (&w[0], &w[1]);
                if (x0 - x1).abs() > 0.01 || y1 <= y0 || y1 - y0 > 20.0 {
                    continue;
                }
                for word in ["接待人次", "活动现场", "挽回损失", "实际发放", "Visitors", "Recovered"]
                {
                    let joined = format!("{a}{b}");
                    assert!(
                        !joined.contains(word) || a.contains(word) || b.contains(word),
                        "{name} page {}: {word} broken into {a:?} / {b:?}",
                        p.number
                    );
                }
            }
        }
    }
}

#[test]
fn a_chart_never_puts_different_units_on_one_scale_nor_doubles_parentheses() {
    let d = demo(Lang::Zh);
    let units: std::collections::BTreeSet<&str> = d.materials.iter().map(|m| m.unit.as_str()).collect();
    assert!(units.len() > 1, "the demo has materials in several units: {units:?}");
    for style in [Style::Modern, Style::Gbt9704] {
        let (pages, _) = layout_report(&d, Lang::Zh, style, fonts()).expect("layout");
        let all = lines(&pages);
        for u in &units {
            assert!(all.iter().any(|l| l == &format!("单位：{u}")), "{style:?}: no group for {u}");
        }
        assert!(!all.iter().any(|l| l.contains("）（")), "{style:?}: doubled parentheses");
    }
}

#[test]
fn the_layout_tags_title_headings_paragraphs_tables_and_figures() {
    for (name, pages) in demos() {
        let elems: Vec<_> = pages.iter().flat_map(|p| p.elems.iter()).collect();
        for role in
            [Role::H1, Role::H2, Role::H3, Role::P, Role::Table, Role::TR, Role::TH, Role::TD, Role::Figure]
        {
            assert!(elems.iter().any(|e| e.role == role), "{name}: no {role:?}");
        }
        assert_eq!(elems.iter().filter(|e| e.role == Role::H1).count(), 1, "{name}: one title");
        assert!(
            elems
                .iter()
                .filter(|e| e.role == Role::Figure)
                .all(|e| e.alt.as_ref().is_some_and(|a| a.len() > 20))
        );
        // Every element is closed, every mark names a known element, and every body line is content.
        let ids: std::collections::BTreeSet<u32> = elems.iter().map(|e| e.id).collect();
        let closed: std::collections::BTreeSet<u32> =
            pages.iter().flat_map(|p| p.closed.iter().copied()).collect();
        assert_eq!(ids, closed, "{name}");
        for p in &pages {
            for m in &p.marks {
                assert!(ids.contains(&m.elem) && m.start < m.end && m.end <= p.items.len());
            }
            let marked = |i: usize| p.marks.iter().any(|m| m.start <= i && i < m.end);
            for (i, (_, it)) in p.items.iter().enumerate() {
                if let Item::Folio(_) = it {
                    assert!(!marked(i), "{name}: the page number is an artifact");
                }
            }
        }
    }
}

/// The file's bytes followed by every deflated stream inflated (content streams, object streams), so
/// that dictionaries kept in object streams can be searched as text.
fn expanded(pdf: &[u8]) -> String {
    let mut out = String::from_utf8_lossy(pdf).into_owned();
    let mut at = 0;
    while let Some(p) = pdf[at..].windows(10).position(|w| w == b">>\nstream\n") {
        let start = at + p + 10;
        let dict_start = pdf[..at + p].windows(2).rposition(|w| w == b"<<").unwrap_or(0);
        let dict = String::from_utf8_lossy(&pdf[dict_start..at + p + 2]);
        let len: usize = dict
            .split("/Length ")
            .nth(1)
            .and_then(|x| x.split([' ', '>']).next())
            .and_then(|x| x.parse().ok())
            .unwrap_or(0);
        if dict.contains("/FlateDecode") {
            let mut data = Vec::new();
            if std::io::Read::read_to_end(
                &mut flate2::read::ZlibDecoder::new(&pdf[start..start + len]),
                &mut data,
            )
            .is_ok()
            {
                out.push_str(&String::from_utf8_lossy(&data));
            }
        }
        at = start + len;
    }
    out
}

fn tool(cmd: &str, args: &[&str], pdf: &[u8], tag: &str) -> Option<String> {
    let path = std::env::temp_dir().join(format!("eventday-typo-{}-{tag}.pdf", std::process::id()));
    std::fs::write(&path, pdf).expect("write pdf");
    let out = std::process::Command::new(cmd).args(args).arg(&path).output().ok()?;
    let _ = std::fs::remove_file(&path);
    Some(String::from_utf8_lossy(&out.stdout).into_owned())
}

#[test]
fn gbt9704_embeds_hei_and_kai_and_the_pdf_is_tagged_with_metadata() {
    let d = demo(Lang::Zh);
    let out =
        render(&d, &RenderOptions { lang: Lang::Zh, style: Style::Gbt9704, deterministic: true }, fonts())
            .expect("render");
    let bytes = expanded(&out.pdf);
    for needle in [
        "/MarkInfo << /Marked true >>",
        "/StructTreeRoot",
        "/Lang (zh-CN)",
        "/DisplayDocTitle true",
        "<pdfuaid:part>1</pdfuaid:part>",
        "<pdf:Producer>eventday-report</pdf:Producer>",
        "/S /Figure",
        "/S /TH",
    ] {
        assert!(bytes.contains(needle), "missing {needle}");
    }
    assert!(bytes.contains(&format!(
        "<rdf:li xml:lang=\"x-default\">{}</rdf:li>",
        eventday_report::layout::title_text(&d, Lang::Zh)
    )));
    if let Some(fonts_out) = tool("pdffonts", &[], &out.pdf, "fonts") {
        assert!(fonts_out.contains("FandolHei-Regular"), "{fonts_out}");
        assert!(fonts_out.contains("FandolKai-Regular"), "{fonts_out}");
    }
    if let Some(info) = tool("pdfinfo", &[], &out.pdf, "info") {
        assert!(info.contains("Tagged:          yes"), "{info}");
    }
    // The modern style uses neither.
    let modern =
        render(&d, &RenderOptions { lang: Lang::Zh, style: Style::Modern, deterministic: true }, fonts())
            .expect("render");
    let m = String::from_utf8_lossy(&modern.pdf);
    assert!(!m.contains("FandolHei") && !m.contains("FandolKai"));
}

/// A roll-up is tagged like the summary: structure tree with its tables' header cells, and the
/// elements packed into object streams, so that tagging does not multiply the file's size.
#[test]
fn a_rollup_is_tagged_and_its_structure_is_packed() {
    use eventday_report::{RollupDistrict, RollupHeader, RollupItem, Totals, render_rollup};
    let header =
        RollupHeader {
            organization: "某省消费者委员会".into(), year: 2013, top_n: 5, ..Default::default()
        };
    let districts = (0..60u64).map(|i| {
        RollupItem::District(RollupDistrict {
            name: format!("第{i}区"),
            parent: format!("第{}市", i / 9),
            totals: Totals { visitors: 100 + i * 37 % 101, consultations: i, ..Default::default() },
            ..Default::default()
        })
    });
    let mut pdf = Vec::new();
    render_rollup(
        &header,
        districts,
        &RenderOptions { deterministic: true, ..Default::default() },
        fonts(),
        &mut pdf,
    )
    .expect("rollup");
    let text = expanded(&pdf);
    for needle in ["/StructTreeRoot", "/MarkInfo << /Marked true >>", "/S /Table", "/S /TH", "/Type /ObjStm"]
    {
        assert!(text.contains(needle), "missing {needle}");
    }
    // Structure elements are not written as top-level objects.
    let raw = String::from_utf8_lossy(&pdf);
    assert!(!raw.contains("/Type /StructElem"), "structure elements outside object streams");
    assert!(text.matches("/Type /StructElem").count() > 60, "one element per district row at least");
    if let Some(info) = tool("pdfinfo", &[], &pdf, "rollup") {
        assert!(info.contains("Tagged:          yes"), "{info}");
    }
}
