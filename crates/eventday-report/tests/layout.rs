//! Layout-level tests: geometry, line breaking, tables and content, without looking at PDF bytes.
#![allow(clippy::expect_used, reason = "tests")]

use std::sync::OnceLock;

use eventday_report::layout::{ASCENT, DESCENT, Item, NO_END, NO_START, Page, layout_report};
use eventday_report::{
    DisputeSummary, FontSet, Lang, OfficialRow, ReportData, Style, UnitGroup, UnitKind, VenueKind, VenueRow,
    fmt,
};

fn fonts() -> &'static FontSet {
    static F: OnceLock<FontSet> = OnceLock::new();
    F.get_or_init(|| FontSet::bundled().expect("bundled fonts parse"))
}

fn demo() -> ReportData {
    serde_json::from_str(include_str!("fixtures/demo-2013.json")).expect("fixture parses")
}

fn hostile() -> ReportData {
    let mut d = demo();
    let long: String =
        "消费维权，人人有责；Consumer-rights（权益）“保护”。".chars().cycle().take(10_000).collect();
    d.sections[0].paragraphs.push(long);
    d.sections[1].paragraphs.push("😀😀 emoji 与生僻字𠀀𠀁，还有一个极长的英文单词Pneumonoultramicroscopicsilicovolcanoconiosis-Pneumonoultramicroscopicsilicovolcanoconiosis结束。".into());
    d.venues.push(VenueRow {
        name: "一个名字非常非常长的分会场名称用来测试表格单元格内换行是否正确而且不会溢出到相邻的列里面去WithAVeryLongLatinNameThatCannotBreak".into(),
        kind: VenueKind::Sub,
        host_unit: "某某街道办事处某某社区居民委员会".into(),
        visitors: 4_000_000_000,
        consultations: 2_500_000_000,
        complaints_received: 1_000_000_000,
        complaints_settled: 999_999_999,
        money_recovered_fen: 9_000_000_000_000_000,
        money_recorded: true,
        log_entries: 1,
        accepted: false,
    });
    d.totals.visitors = 9_000_000_000;
    d.totals.money_recovered_fen = i64::MAX;
    d.organization = "xx区消费者协会😀".into();
    d
}

fn all_cases() -> Vec<(String, Vec<Page>)> {
    let mut v = Vec::new();
    for (name, d) in [("demo", demo()), ("hostile", hostile()), ("empty", ReportData::default())] {
        for lang in [Lang::Zh, Lang::En] {
            for style in [Style::Modern, Style::Gbt9704] {
                let (pages, _) = layout_report(&d, lang, style, fonts()).expect("layout");
                v.push((format!("{name}/{lang:?}/{style:?}"), pages));
            }
        }
    }
    v
}

fn cases() -> &'static [(String, Vec<Page>)] {
    static C: OnceLock<Vec<(String, Vec<Page>)>> = OnceLock::new();
    C.get_or_init(all_cases)
}

fn page_text(p: &Page) -> String {
    p.items
        .iter()
        .filter_map(|(_, i)| match i {
            Item::Line(l) => Some(l.text()),
            _ => None,
        })
        .collect()
}

fn all_text(pages: &[Page]) -> String {
    pages.iter().map(page_text).collect()
}

#[test]
fn nothing_is_drawn_outside_the_type_area() {
    for (name, pages) in cases() {
        for p in pages {
            let a = p.area;
            let (x0, y0, x1, y1) = (a.x - 0.01, a.y - 0.01, a.x + a.w + 0.01, a.y + a.h + 0.01);
            for (pt, item) in &p.items {
                let (l, t, r, b) = match item {
                    Item::Line(line) => {
                        (pt.x, pt.y - line.size * ASCENT, pt.x + line.width, pt.y + line.size * DESCENT)
                    }
                    Item::Rect { w, h, .. } | Item::Image { w, h, .. } => (pt.x, pt.y, pt.x + w, pt.y + h),
                    Item::Rule { w, .. } => (pt.x, pt.y, pt.x + w, pt.y),
                    Item::Folio(_) => continue,
                };
                assert!(
                    l >= x0 && r <= x1 && t >= y0 && b <= y1,
                    "{name} page {}: {item:?} at {pt:?} leaves {a:?}",
                    p.number
                );
            }
        }
    }
}

#[test]
fn no_line_starts_with_closing_or_ends_with_opening_punctuation() {
    for (name, pages) in cases() {
        for p in pages {
            for (_, item) in &p.items {
                if let Item::Line(l) = item {
                    let t = l.text();
                    if let (Some(f), Some(e)) = (t.chars().next(), t.chars().last()) {
                        assert!(
                            !NO_START.contains(f) || t.chars().count() == 1,
                            "{name}: line starts with {f}: {t}"
                        );
                        assert!(
                            !NO_END.contains(e) || t.chars().count() == 1,
                            "{name}: line ends with {e}: {t}"
                        );
                    }
                }
            }
        }
    }
}

#[test]
fn gbt9704_body_lines_hold_28_characters() {
    let (pages, _) = layout_report(&demo(), Lang::Zh, Style::Gbt9704, fonts()).expect("layout");
    let full = pages
        .iter()
        .flat_map(|p| p.items.iter())
        .filter_map(|(_, i)| if let Item::Line(l) = i { Some(l) } else { None })
        .filter(|l| l.size == 16.0 && l.text().chars().all(|c| !c.is_ascii()) && l.width > 440.0)
        .map(|l| l.text().chars().count())
        .collect::<Vec<_>>();
    assert!(full.len() > 20);
    assert!(full.iter().filter(|n| **n == 28).count() * 2 > full.len(), "{full:?}");
}

#[test]
fn table_rows_stay_on_one_page_and_the_header_repeats() {
    for (name, pages) in cases().iter().filter(|c| c.0.starts_with("demo")) {
        let zh = name.contains("Zh");
        let header = if zh { "接待人次" } else { "Visitors" };
        let (start, end) = if zh { ("各会场情况", "图1") } else { ("By venue", "Figure 1") };
        let first = pages.iter().position(|p| page_text(p).contains(start)).expect("venue table");
        let last = pages.iter().position(|p| page_text(p).contains(end)).expect("chart");
        let table = &pages[first..=last];
        for p in table {
            assert!(page_text(p).contains(header), "{name}: page {} has venue rows but no header", p.number);
        }
        for v in demo().venues {
            // A row split over two pages would cut its name in two.
            assert!(
                table.iter().any(|p| page_text(p).contains(&v.name)),
                "{name}: venue {} is missing or split",
                v.name
            );
        }
    }
}

#[test]
fn every_venue_unit_medium_and_figure_appears() {
    let d = demo();
    for (name, pages) in cases().iter().filter(|c| c.0.starts_with("demo")) {
        let text = all_text(pages);
        let lang = if name.contains("Zh") { Lang::Zh } else { Lang::En };
        let mut want: Vec<String> = Vec::new();
        want.extend(d.venues.iter().map(|v| v.name.clone()));
        want.extend(d.units.iter().flat_map(|g| g.names.clone()));
        want.extend(d.reconciliation_members.clone());
        want.extend(d.media.iter().map(|m| m.outlet.clone()));
        want.extend(d.materials.iter().map(|m| m.name.clone()));
        for v in &d.venues {
            want.push(fmt::count(v.visitors));
            want.push(fmt::money(v.money_recovered_fen, lang));
        }
        let t = &d.totals;
        for n in [
            t.visitors,
            t.consultations,
            t.complaints_received,
            t.complaints_settled,
            t.units,
            t.booths,
            t.activities,
        ] {
            want.push(fmt::count(n));
        }
        want.push(fmt::money(t.money_recovered_fen, lang));
        want.push(fmt::money(d.disputes.amount_claimed_fen, lang));
        for w in want {
            assert!(text.contains(&w), "{name}: {w} not in the report");
        }
        assert!(text.contains(if lang == Lang::Zh { "创历史新高" } else { "record high" }), "{name}");
    }
}

#[test]
fn the_totals_row_equals_the_domain_totals() {
    let d = demo();
    let sum: u64 = d.venues.iter().map(|v| v.visitors).sum();
    assert_eq!(sum, d.totals.visitors);
    let (pages, _) = layout_report(&d, Lang::Zh, Style::Modern, fonts()).expect("layout");
    let text = all_text(&pages);
    let row = format!(
        "合计{}{}{}{}{}",
        fmt::count(d.totals.visitors),
        fmt::count(d.totals.consultations),
        fmt::count(d.totals.complaints_received),
        fmt::count(d.totals.complaints_settled),
        fmt::money(d.totals.money_recovered_fen, Lang::Zh)
    );
    assert!(text.contains(&row), "{row}");
}

#[test]
fn an_empty_campaign_says_there_is_no_data() {
    for (name, pages) in cases().iter().filter(|c| c.0.starts_with("empty")) {
        let text = all_text(pages);
        assert!(!pages.is_empty());
        assert!(text.contains("尚无数据") || text.contains("no data"), "{name}: {text}");
    }
}

#[test]
fn missing_characters_are_reported_and_drawn_as_boxes() {
    let (pages, missing) = layout_report(&hostile(), Lang::Zh, Style::Modern, fonts()).expect("layout");
    assert!(missing.contains(&'😀'), "{missing:?}");
    let boxed = pages.iter().flat_map(|p| p.items.iter()).any(|(_, i)| matches!(i, Item::Line(l) if l.runs.iter().any(|r| r.face.is_none() && r.text.contains('😀') && r.width > 0.0)));
    assert!(boxed);
}

#[test]
fn page_numbers_are_dashed_and_on_the_outside_edge_in_gbt9704() {
    let (pages, _) = layout_report(&demo(), Lang::Zh, Style::Gbt9704, fonts()).expect("layout");
    assert!(pages.len() >= 2);
    for p in &pages {
        let (pt, f) = p
            .items
            .iter()
            .find_map(|(pt, i)| if let Item::Folio(l) = i { Some((pt, l)) } else { None })
            .expect("folio");
        assert_eq!(f.text(), format!("— {} —", p.number));
        let mid = p.area.x + p.area.w / 2.0;
        if p.number % 2 == 1 { assert!(pt.x > mid) } else { assert!(pt.x + f.width < mid) }
    }
}

/// Value labels next to bars are the only lines at 0.9 × the small size.
fn chart_value_size(style: Style) -> f32 {
    match style {
        Style::Modern => 9.0 * 0.9,
        Style::Gbt9704 => 10.5 * 0.9,
    }
}

/// (page index, baseline y) of the first line whose text contains `needle`.
fn find_line(pages: &[Page], needle: &str) -> Option<(usize, f32)> {
    pages.iter().enumerate().find_map(|(i, p)| {
        p.items.iter().find_map(|(pt, it)| match it {
            Item::Line(l) if l.text().contains(needle) => Some((i, pt.y)),
            _ => None,
        })
    })
}

/// The demo with `k` short paragraphs added up front, which moves everything after them down.
fn shifted(k: usize) -> ReportData {
    let mut d = demo();
    for i in 0..k {
        d.sections[0].paragraphs.insert(0, format!("补充说明第{i}段：活动当天秩序良好。"));
    }
    d
}

#[test]
fn a_chart_caption_stays_with_its_first_bars() {
    let d = demo();
    let mut checked = 0;
    for style in [Style::Modern, Style::Gbt9704] {
        let size = chart_value_size(style);
        for k in 0..24 {
            let (pages, _) = layout_report(&shifted(k), Lang::Zh, style, fonts()).expect("layout");
            for (caption, bars) in [("图1", d.venues.len()), ("图2", 2 * d.materials.len())] {
                let (pi, y) = find_line(&pages, caption).expect("caption");
                // Every bar's value label sits on the caption's page, below the caption.
                let below = pages[pi]
                    .items
                    .iter()
                    .filter(|(pt, it)| {
                        matches!(it, Item::Line(l) if (l.size - size).abs() < 0.01) && pt.y > y
                    })
                    .count();
                // A chart may continue on the next page (rather than leave a large blank area), but its
                // caption is never alone: its first two rows' bars are on its page.
                assert!(
                    below >= bars.min(2),
                    "{style:?} +{k}: {caption} has {below} of {bars} bars on its page"
                );
                checked += 1;
            }
        }
    }
    assert_eq!(checked, 2 * 24 * 2);
}

#[test]
fn a_chart_is_followed_by_space_before_the_next_heading() {
    let mut shared_page = 0;
    for k in 0..24 {
        let (pages, _) = layout_report(&shifted(k), Lang::Zh, Style::Modern, fonts()).expect("layout");
        let (cp, _) = find_line(&pages, "图2").expect("caption");
        let (hp, hy) = find_line(&pages, "媒体报道").expect("heading");
        if cp != hp {
            continue;
        }
        shared_page += 1;
        let heading_top = hy - 11.0 * ASCENT;
        let chart_bottom = pages[hp]
            .items
            .iter()
            .filter_map(|(pt, it)| match it {
                Item::Rect { h, .. } if pt.y < hy => Some(pt.y + h),
                Item::Line(l) if pt.y < hy => Some(pt.y + l.size * DESCENT),
                _ => None,
            })
            .fold(0.0f32, f32::max);
        assert!(heading_top - chart_bottom >= 12.0, "+{k}: only {} pt", heading_top - chart_bottom);
    }
    assert!(shared_page > 0, "no variant put the chart and the next heading on one page");
}

fn demo_en() -> ReportData {
    serde_json::from_str(include_str!("fixtures/demo-2013-en.json")).expect("English fixture parses")
}

#[test]
fn english_prose_is_set_in_whole_words_inside_the_type_area() {
    let d = demo_en();
    for style in [Style::Modern, Style::Gbt9704] {
        let (pages, missing) = layout_report(&d, Lang::En, style, fonts()).expect("layout");
        assert!(missing.is_empty(), "{missing:?}");
        let words: std::collections::HashSet<String> = d
            .sections
            .iter()
            .flat_map(|s| s.paragraphs.iter())
            .flat_map(|p| p.split_whitespace().map(str::to_string))
            .collect();
        let body = if style == Style::Modern { 10.5 } else { 16.0 };
        let mut prose_lines = 0;
        for p in &pages {
            for (pt, it) in &p.items {
                let Item::Line(l) = it else { continue };
                let t = l.text();
                if l.size != body || !t.is_ascii() || pt.x + l.width > p.area.x + p.area.w + 0.01 {
                    assert!(pt.x + l.width <= p.area.x + p.area.w + 0.01, "{style:?}: {t} overflows");
                    continue;
                }
                let ws: Vec<&str> = t.split_whitespace().collect();
                if ws.len() > 3 && ws.iter().all(|w| words.contains(*w)) {
                    prose_lines += 1;
                }
            }
        }
        // The narrative is about 2,400 characters: dozens of lines, each made of whole words.
        assert!(prose_lines >= 20, "{style:?}: only {prose_lines} lines of whole narrative words");
        let text = all_text(&pages);
        let squeezed: String = text.split_whitespace().collect();
        for s in &d.sections {
            // The purpose is the opening: its paragraphs without a heading.
            if !s.heading.is_empty() && s.key != "purpose" {
                assert!(text.contains(&s.heading), "{style:?}: heading {} missing", s.heading);
            }
            for para in &s.paragraphs {
                let want: String = para.split_whitespace().collect();
                assert!(squeezed.contains(&want), "{style:?}: paragraph not set in order: {para}");
            }
        }
    }
}

#[test]
fn the_signature_block_is_not_split_across_pages() {
    for (name, pages) in cases().iter().filter(|c| c.0.starts_with("demo")) {
        let last = pages.last().expect("pages");
        let text = page_text(last);
        let date = if name.contains("Zh") { "2013年3月15日" } else { "15 March 2013" };
        assert!(text.contains("xx区消费者协会") && text.ends_with(date), "{name}: last page has {text}");
    }
}

#[test]
fn a_heading_the_writer_numbered_is_numbered_once() {
    let mut d = demo();
    let first = d.sections.iter().position(|s| s.key == "organization").expect("the fixture has it");
    d.sections[first].heading = "一、活动概况".into();
    let next = d.sections.iter().position(|s| s.next_steps).expect("the fixture has next steps");
    d.sections[next].heading = "六、完善和解平台".into();
    let (pages, _) = layout_report(&d, Lang::Zh, Style::Modern, fonts()).expect("layout");
    let text = all_text(&pages);
    assert!(text.contains("一、活动概况"), "the heading keeps the report's own number");
    assert!(!text.contains("一、一、") && !text.contains("、一、活动概况"), "numbered twice");
    assert!(text.contains("（一）完善和解平台"), "the sub-heading takes the report's number only");
    assert!(!text.contains("六、完善"), "the typed number is dropped");
}

fn every_layout(d: &ReportData) -> Vec<(String, String)> {
    let mut v = Vec::new();
    for lang in [Lang::Zh, Lang::En] {
        for style in [Style::Modern, Style::Gbt9704] {
            let (pages, _) = layout_report(d, lang, style, fonts()).expect("layout");
            v.push((format!("{lang:?}/{style:?}"), all_text(&pages)));
        }
    }
    v
}

/// Every grouped number that follows `before` in the text (e.g. the N of "受理投诉N件").
fn numbers_after(text: &str, before: &str) -> Vec<u64> {
    text.match_indices(before)
        .filter_map(|(i, _)| {
            let digits: String = text[i + before.len()..]
                .chars()
                .take_while(|c| c.is_ascii_digit() || *c == ',')
                .filter(char::is_ascii_digit)
                .collect();
            digits.parse().ok()
        })
        .collect()
}

#[test]
fn complaint_figures_agree_in_every_section() {
    let mut d = demo();
    d.disputes = DisputeSummary {
        received: 17,
        mediating: 2,
        settled: 11,
        referred: 2,
        closed: 1,
        amount_claimed_fen: 0,
        amount_recovered_fen: 0,
    };
    let complaints = d.totals.complaints_received;
    for (name, text) in every_layout(&d) {
        if name.starts_with("Zh") {
            let said = numbers_after(&text, "受理投诉");
            assert!(!said.is_empty(), "{name}: no complaint figure");
            assert!(said.iter().all(|n| *n == complaints), "{name}: complaints stated as {said:?}");
            assert!(text.contains("其中17件登记为消费纠纷案件"), "{name}: cases not stated");
            // The case rows add up to the cases stated: 11 + 2 + 2 + 1 + 1 (not yet taken up).
            assert!(
                text.contains("调解成功11件，正在调解2件，转有关部门处理2件，终结1件，待处理1件"),
                "{name}: case rows"
            );
            assert!(text.contains("合计17"), "{name}: the case table's total");
        } else {
            let squeezed: String = text.split_whitespace().collect();
            let want =
                format!("Ofthe{}complaintsthevenuesreceivedontheday,17wererecorded", fmt::count(complaints));
            assert!(squeezed.contains(&want), "{name}: cases not stated against the complaints");
            assert!(text.contains("Total17"), "{name}: the case table's total");
        }
    }
    // No case recorded: no case section, no zeros beside the tallied complaints.
    d.disputes = DisputeSummary::default();
    for (name, text) in every_layout(&d) {
        assert!(!text.contains("消费纠纷案件办理") && !text.contains("Complaint cases"), "{name}");
        assert!(!text.contains("受理0") && !text.contains("受理（件）0"), "{name}");
    }
}

/// The demo with money recovered and materials handed out never recorded.
fn nothing_recorded() -> ReportData {
    let mut d = demo();
    d.totals.money_recovered_fen = 0;
    d.totals.money_recorded = false;
    for v in &mut d.venues {
        v.money_recovered_fen = 0;
        v.money_recorded = false;
    }
    for m in &mut d.materials {
        m.handed_out = 0;
        m.logged = false;
    }
    d.disputes = DisputeSummary::default();
    d.previous.clear();
    d
}

#[test]
fn a_campaign_without_money_recorded_never_prints_zero_money() {
    for (name, text) in every_layout(&nothing_recorded()) {
        for zero in ["0.00元", "¥0.00", "0.00 yuan", "挽回经济损失0", "完成率0", " 0%"] {
            assert!(!text.contains(zero), "{name}: prints {zero}");
        }
        assert!(
            !text.contains("为消费者挽回") && !text.contains("recovering"),
            "{name}: a sentence on money"
        );
        assert!(text.contains('—'), "{name}: unrecorded figures show as —");
    }
    // A recorded zero is a figure like any other.
    let mut d = nothing_recorded();
    d.totals.money_recorded = true;
    let (pages, _) = layout_report(&d, Lang::Zh, Style::Modern, fonts()).expect("layout");
    assert!(all_text(&pages).contains("挽回经济损失0.00元"), "a recorded zero is shown");
}

#[test]
fn no_sentence_mentions_the_software() {
    let mut cases = vec![demo(), demo_en(), nothing_recorded(), ReportData::default()];
    let mut bare = demo();
    bare.sections.clear();
    cases.push(bare);
    for d in cases {
        for (name, text) in every_layout(&d) {
            let lower = text.to_lowercase();
            for word in
                ["系统", "软件", "记录的第一次活动", "现场记录（条）", "log entries", "system", "software"]
            {
                assert!(!lower.contains(word), "{name}: mentions {word}");
            }
        }
    }
}

#[test]
fn officials_are_named_without_repetition_or_dangling_separators() {
    let mut d = demo();
    d.officials = vec![
        OfficialRow {
            name: "xx".into(),
            masked: true,
            title: "湖北省消费者协会副秘书长".into(),
            organization: "湖北省消费者协会".into(),
        },
        OfficialRow {
            name: "王小明".into(),
            masked: true,
            title: "副主任".into(),
            organization: String::new(),
        },
        OfficialRow {
            name: "****".into(),
            masked: true,
            title: "领导".into(),
            organization: "xx区人民政府".into(),
        },
    ];
    for (name, text) in every_layout(&d) {
        assert!(text.contains("湖北省消费者协会副秘书长"), "{name}");
        assert!(!text.contains("湖北省消费者协会湖北省消费者协会"), "{name}: organization repeated");
        if name.starts_with("Zh") {
            let squeezed: String = text.split_whitespace().collect();
            assert!(
                squeezed.contains("湖北省消费者协会副秘书长、副主任王××、xx区人民政府领导出席了活动。"),
                "{name}: officials sentence"
            );
        }
        assert!(text.contains("王××"), "{name}: masked name shows the surname");
        assert!(!text.contains("小明"), "{name}: masked name printed");
        assert!(
            !text.contains(", )") && !text.contains("()") && !text.contains("（）"),
            "{name}: dangling separator"
        );
        let flat: String = text.split_whitespace().collect();
        assert!(
            flat.contains("xx区人民政府领导") || flat.contains("seniorofficial,xx区人民政府"),
            "{name}: {flat}"
        );
    }
}

#[test]
fn street_offices_and_the_congress_are_not_called_functional_departments() {
    let mut d = demo();
    d.units = vec![
        UnitGroup { kind: UnitKind::Agency, class: None, names: vec!["xx区工商分局".into()] },
        UnitGroup {
            kind: UnitKind::Agency,
            class: eventday_report::AgencyClass::of("xx区人民代表大会常务委员会"),
            names: vec!["xx区人民代表大会常务委员会".into()],
        },
        UnitGroup {
            kind: UnitKind::Agency,
            class: eventday_report::AgencyClass::of("后湖街道办事处"),
            names: vec!["后湖街道办事处".into()],
        },
    ];
    let (pages, _) = layout_report(&d, Lang::Zh, Style::Modern, fonts()).expect("layout");
    let text = all_text(&pages);
    assert!(text.contains("职能部门（1家）：xx区工商分局。"), "{text}");
    assert!(text.contains("人大、政府机关（1家）：xx区人民代表大会常务委员会。"));
    assert!(text.contains("街道办事处（1家）：后湖街道办事处。"));
}

#[test]
fn the_genre_order_puts_results_before_problems_and_next_steps_last() {
    let d = demo();
    let (pages, _) = layout_report(&d, Lang::Zh, Style::Gbt9704, fonts()).expect("layout");
    let text = all_text(&pages);
    let at = |s: &str| text.find(s).unwrap_or_else(|| panic!("{s} missing"));
    let opening = at("现将活动情况总结如下");
    let organized = at("精心组织，周密部署");
    let results = at("总体情况");
    let problems = at("存在问题");
    let next = at("下一步工作");
    assert!(opening < organized && organized < results && results < problems && problems < next);
    assert!(!text.contains("、活动目的"), "the purpose is the opening, not a numbered section");
}

/// Every string of a fixture that holds Chinese replaced with plain English words.
fn anglicized(d: &ReportData) -> ReportData {
    fn walk(v: &mut serde_json::Value, n: &mut usize) {
        match v {
            serde_json::Value::String(s)
                if s.chars().any(|c| {
                    ('\u{3000}'..='\u{9fff}').contains(&c) || ('\u{ff00}'..='\u{ffef}').contains(&c)
                }) =>
            {
                *n += 1;
                *s = format!("Name {n}");
            }
            serde_json::Value::Array(a) => a.iter_mut().for_each(|x| walk(x, n)),
            serde_json::Value::Object(o) => o.values_mut().for_each(|x| walk(x, n)),
            _ => {}
        }
    }
    let mut v = serde_json::to_value(d).expect("to json");
    walk(&mut v, &mut 0);
    serde_json::from_value(v).expect("from json")
}

#[test]
fn the_english_report_has_no_chinese_of_its_own() {
    let mut d = anglicized(&demo_en());
    for m in &mut d.materials {
        m.unit = "份".into(); // a Chinese measure word in the data is put into English
    }
    d.settings.copy_to = "City association".into();
    d.settings.addressee = "District office".into();
    for style in [Style::Modern, Style::Gbt9704] {
        let (pages, _) = layout_report(&d, Lang::En, style, fonts()).expect("layout");
        let text = all_text(&pages);
        let cjk: String = text
            .chars()
            .filter(|c| ('\u{3000}'..='\u{9fff}').contains(c) || ('\u{ff00}'..='\u{ffef}').contains(c))
            .collect();
        assert!(cjk.is_empty(), "{style:?}: Chinese in the English report: {cjk}");
    }
}

#[test]
fn report_settings_set_title_issuer_date_and_distribution() {
    let mut d = demo();
    d.settings.title = "关于2013年“3·15”活动情况的报告".into();
    d.settings.subtitle = "（供领导参阅）".into();
    d.settings.issuer = "xx区工商局".into();
    d.settings.report_date = chrono::NaiveDate::from_ymd_opt(2013, 3, 20);
    d.settings.addressee = "武汉市消费者协会".into();
    d.settings.copy_to = "区委办、区政府办".into();
    for style in [Style::Modern, Style::Gbt9704] {
        let (pages, _) = layout_report(&d, Lang::Zh, style, fonts()).expect("layout");
        let text = all_text(&pages);
        assert!(
            page_text(&pages[0]).starts_with("关于2013年“3·15”活动情况的报告（供领导参阅）"),
            "{style:?}"
        );
        assert!(text.contains("武汉市消费者协会："), "{style:?}: 主送");
        assert!(text.contains("xx区工商局2013年3月20日抄送：区委办、区政府办。"), "{style:?}: signature");
        // The opening names the campaign, not the report's title.
        assert!(!text.contains("开展了关于"), "{style:?}");
    }
}

#[test]
fn the_signature_never_stands_alone_on_the_last_page() {
    // Paragraphs added up front move the end of the report through every position on its page.
    let mut seen_carried = false;
    for k in 0..14 {
        let d = shifted(k);
        for style in [Style::Modern, Style::Gbt9704] {
            let (pages, _) = layout_report(&d, Lang::Zh, style, fonts()).expect("layout");
            let last = pages.last().expect("pages");
            let body: Vec<String> = last
                .items
                .iter()
                .filter_map(|(_, i)| match i {
                    Item::Line(l) => Some(l.text()),
                    _ => None,
                })
                .filter(|t| {
                    !t.contains("xx区消费者协会") && !t.contains("2013年3月15日") && !t.starts_with('—')
                })
                .collect();
            assert!(
                body.iter().map(|t| t.chars().count()).sum::<usize>() >= 10,
                "{k}/{style:?}: the last page holds only the signature: {}",
                page_text(last)
            );
            // The closing paragraph was split to carry the signature at least once.
            seen_carried |= body.len() == 2 && pages.len() > 1;
        }
    }
    assert!(seen_carried, "some position needed the closing lines carried over");
}

#[test]
fn the_demo_shows_no_placeholder_and_the_english_names_officials_titles_in_english() {
    for (name, pages) in cases().iter().filter(|c| c.0.starts_with("demo")) {
        let text = all_text(pages);
        assert!(!text.contains("****"), "{name}: a placeholder is visible");
        if name.contains("En") {
            assert!(!text.contains("Hangtian"), "{name}: the main venue is called by its English name");
            let attending =
                text.split("Attending:").nth(1).map(|t| t.split('.').next().unwrap_or("")).unwrap_or("");
            assert!(!attending.is_empty(), "{name}: the officials' line");
            for rank in ["秘书长", "巡视员", "主任", "局长", "领导"] {
                assert!(!attending.contains(rank), "{name}: titles in English: {attending}");
            }
            assert!(attending.contains("Deputy Secretary-General"), "{name}: {attending}");
        }
    }
}
