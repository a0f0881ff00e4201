//! The roll-up's layout: a summary first (title, opening with the totals, the district table by
//! city, the chart, notes, signature), the per-venue detail after it as an appendix.
#![allow(clippy::expect_used, reason = "tests")]

use std::sync::OnceLock;

use eventday_report::layout::{Item, Page, layout_rollup};
use eventday_report::{
    FontSet, Lang, PreviousCampaign, RollupDistrict, RollupHeader, RollupItem, Style, Totals, VenueKind,
    VenueRow, fmt,
};

fn fonts() -> &'static FontSet {
    static F: OnceLock<FontSet> = OnceLock::new();
    F.get_or_init(|| FontSet::bundled().expect("bundled fonts parse"))
}

const CITIES: [&str; 2] = ["甲市", "乙市"];

/// 40 districts in two cities, 17 venues each; every fourth venue's day accepted.
fn districts(money: bool) -> Vec<RollupDistrict> {
    (0..40u64)
        .map(|i| {
            let city = CITIES[(i / 20) as usize];
            let venues: Vec<VenueRow> = (0..17u64)
                .map(|k| VenueRow {
                    name: if k == 0 { format!("会场{i}-主") } else { format!("会场{i}-{k}") },
                    kind: if k == 0 { VenueKind::Main } else { VenueKind::Sub },
                    visitors: 100 + (i * 17 + k) % 97,
                    consultations: 10 + k,
                    complaints_received: k % 3,
                    complaints_settled: k % 2,
                    money_recovered_fen: if money { 1_000 * (k as i64) } else { 0 },
                    accepted: k % 4 == 0,
                    ..Default::default()
                })
                .collect();
            let mut t = Totals::default();
            for v in &venues {
                t.visitors += v.visitors;
                t.consultations += v.consultations;
                t.complaints_received += v.complaints_received;
                t.complaints_settled += v.complaints_settled;
                t.money_recovered_fen += v.money_recovered_fen;
            }
            RollupDistrict {
                name: format!("{city}第{:02}区消费者协会", i % 20 + 1),
                parent: format!("{city}消费者协会"),
                totals: t,
                venue_count: 17,
                venues_unaccepted: venues.iter().filter(|v| !v.accepted).count() as u64,
                venues,
            }
        })
        .collect()
}

fn header(ds: &[RollupDistrict], money: bool) -> RollupHeader {
    let mut t = Totals::default();
    for d in ds {
        t.visitors += d.totals.visitors;
        t.consultations += d.totals.consultations;
        t.complaints_received += d.totals.complaints_received;
        t.complaints_settled += d.totals.complaints_settled;
        t.money_recovered_fen += d.totals.money_recovered_fen;
    }
    RollupHeader {
        organization: "某省消费者委员会（测试数据）".into(),
        year: 2026,
        top_n: 10,
        districts_expected: 42,
        districts_reporting: ds.len() as u64,
        campaigns: ds.len() as u64,
        venues: ds.iter().map(|d| d.venue_count).sum(),
        venues_unaccepted: ds.iter().map(|d| d.venues_unaccepted).sum(),
        money_recorded: money,
        previous: Some(PreviousCampaign {
            year: 2025,
            totals: Totals {
                visitors: t.visitors / 2,
                complaints_received: t.complaints_received * 2,
                ..t.clone()
            },
        }),
        totals: t,
        date: chrono::NaiveDate::from_ymd_opt(2026, 3, 25),
        accepted_only: false,
    }
}

fn layout(money: bool, lang: Lang, style: Style) -> (RollupHeader, Vec<Page>) {
    let ds = districts(money);
    let h = header(&ds, money);
    let items = ds
        .iter()
        .map(|d| RollupItem::District(RollupDistrict { venues: Vec::new(), ..d.clone() }))
        .chain(ds.iter().cloned().map(RollupItem::Detail));
    let mut pages = Vec::new();
    let mut sink = |p: Page| {
        pages.push(p);
        Ok(())
    };
    let (n, _, districts) = layout_rollup(&h, items, lang, style, fonts(), &mut sink).expect("layout");
    assert_eq!((n, districts), (pages.len(), 40));
    (h, pages)
}

/// A page's text lines in reading order (top to bottom, then left to right), one string each.
fn lines(p: &Page) -> Vec<String> {
    let mut v: Vec<(f32, f32, String)> = p
        .items
        .iter()
        .filter_map(|(pt, it)| match it {
            Item::Line(l) => Some((pt.y, pt.x, l.text())),
            _ => None,
        })
        .collect();
    v.sort_by(|a, b| a.0.total_cmp(&b.0).then(a.1.total_cmp(&b.1)));
    v.into_iter().map(|x| x.2).collect()
}

fn text(p: &Page) -> String {
    lines(p).concat().replace(' ', "")
}

fn cases() -> Vec<(Lang, Style)> {
    vec![
        (Lang::Zh, Style::Modern),
        (Lang::Zh, Style::Gbt9704),
        (Lang::En, Style::Modern),
        (Lang::En, Style::Gbt9704),
    ]
}

#[test]
fn the_first_page_holds_the_totals_and_the_district_table_starts_before_any_venue_row() {
    for (lang, style) in cases() {
        let (h, pages) = layout(true, lang, style);
        let first = text(&pages[0]);
        let case = format!("{lang:?}/{style:?}");
        // The opening: who reported out of how many, and the totals.
        assert!(first.contains(&fmt::count(h.totals.visitors)), "{case}: {first}");
        assert!(first.contains(&fmt::count(h.totals.consultations)), "{case}: {first}");
        assert!(first.contains(&fmt::count(h.totals.complaints_received)), "{case}: {first}");
        assert!(
            first.contains(&fmt::money(h.totals.money_recovered_fen, lang).replace(' ', "")),
            "{case}: {first}"
        );
        match lang {
            Lang::Zh => {
                assert!(first.contains("所辖42个地区中，有40个报送"), "{case}: {first}");
                assert!(
                    first.contains("与2025年相比，接待群众人次增长100.0%，受理投诉件数下降50.0%"),
                    "{case}: {first}"
                );
                assert!(first.contains("区（县）"), "{case}: the district table starts on page 1: {first}");
            }
            Lang::En => {
                assert!(first.contains("40ofthe42districts"), "{case}: {first}");
                assert!(first.contains("visitorsrose100.0%andcomplaintsfell50.0%"), "{case}: {first}");
                assert!(first.contains("District"), "{case}: the district table starts on page 1: {first}");
            }
        }
        // The title keeps the organization's name whole on one line, without its qualifier.
        let title = lines(&pages[0]);
        assert_eq!(title[0].replace(' ', ""), "某省消费者委员会", "{case}");
        // No venue row before the appendix, and the appendix after the signature.
        let all: Vec<String> = pages.iter().flat_map(lines).map(|l| l.replace(' ', "")).collect();
        let first_venue = all.iter().position(|l| l.contains("会场0-")).expect("venue rows");
        let appendix = all.iter().position(|l| l == "附件" || l == "Appendix").expect("appendix");
        let signature = all.iter().rposition(|l| l == "某省消费者委员会").expect("signature");
        let table = all.iter().position(|l| l.contains("第01区")).expect("district rows");
        let date = match lang {
            Lang::Zh => "2026年3月25日",
            Lang::En => "25March2026",
        };
        assert_eq!(all.get(signature + 1).map(String::as_str), Some(date), "{case}");
        assert!(table < signature && signature < appendix && appendix < first_venue, "{case}");
    }
}

#[test]
fn districts_are_grouped_by_city_with_subtotals_and_a_grand_total() {
    let (h, pages) = layout(true, Lang::Zh, Style::Gbt9704);
    let ds = districts(true);
    let all: Vec<String> = pages.iter().flat_map(lines).map(|l| l.replace(' ', "")).collect();
    let end = all.iter().position(|l| l == "附件").expect("appendix");
    let summary = &all[..end];
    // Each city is named once on its first row (the table fits two pages at most, so at most once
    // more at a page top), and each has a subtotal.
    for (c, city) in CITIES.iter().enumerate() {
        let named = summary.iter().filter(|l| *l == city).count();
        assert!((1..=2).contains(&named), "{city}: {named}");
        let sub: u64 = ds[c * 20..(c + 1) * 20].iter().map(|d| d.totals.visitors).sum();
        let at = summary.iter().position(|l| l == "小计").expect("subtotal");
        assert!(summary[at..].iter().any(|l| *l == fmt::count(sub)), "{city} subtotal {sub}");
    }
    assert_eq!(summary.iter().filter(|l| *l == "小计").count(), 2);
    let total = summary.iter().position(|l| l == "合计").expect("grand total");
    assert!(summary[total..].iter().any(|l| *l == fmt::count(h.totals.visitors)));
    // District names within their city: 第01区, not 甲市第01区消费者协会.
    assert!(summary.iter().any(|l| l == "第01区*"), "{summary:?}");
    assert!(!summary.iter().any(|l| l.starts_with("甲市第01区")), "{summary:?}");
}

#[test]
fn every_mark_is_explained_and_unrecorded_money_is_not_zero() {
    for (lang, style) in cases() {
        for money in [true, false] {
            let (_, pages) = layout(money, lang, style);
            let all: String = pages.iter().map(text).collect();
            let case = format!("{lang:?}/{style:?}/money {money}");
            assert!(all.contains('*'));
            assert!(all.contains("标“*”的地区") || all.contains("“*”:some"), "{case}");
            assert!(all.contains("标“*”的会场") || all.contains("“*”:thevenue"), "{case}");
            if money {
                assert!(all.contains('—') && (all.contains("“—”表示") || all.contains("“—”:")), "{case}");
            } else {
                // Nothing recorded: no money column, no sentence, no 0.00.
                assert!(
                    !all.contains("挽回") && !all.contains("Recovered") && !all.contains("recovered"),
                    "{case}"
                );
                assert!(!all.contains("0.00"), "{case}");
            }
        }
    }
}

#[test]
fn english_roll_up_labels_are_english() {
    for style in [Style::Modern, Style::Gbt9704] {
        let (_, pages) = layout(true, Lang::En, style);
        for p in &pages {
            // Chinese only inside names (organizations, cities, districts, venues), which may wrap.
            let l = text(p);
            {
                let stripped = l
                    .replace("某省消费者委员会", "")
                    .replace("（测试数据）", "")
                    .replace("甲市", "")
                    .replace("乙市", "")
                    .replace("第", "")
                    .replace('区', "")
                    .replace("会场", "")
                    .replace('主', "");
                assert!(!stripped.chars().any(|c| ('\u{4e00}'..='\u{9fff}').contains(&c)), "{style:?}: {l}");
            }
        }
    }
}

#[test]
fn a_district_without_venues_and_an_empty_roll_up_lay_out() {
    let h = RollupHeader { organization: String::new(), year: 2026, ..Default::default() };
    let mut pages = Vec::new();
    let mut sink = |p: Page| {
        pages.push(p);
        Ok(())
    };
    let (_, _, n) =
        layout_rollup(&h, std::iter::empty(), Lang::Zh, Style::Gbt9704, fonts(), &mut sink).expect("layout");
    assert_eq!(n, 0);
    let all: String = pages.iter().map(text).collect();
    assert!(all.contains("尚未报送2026年") && all.contains("暂无数据"), "{all}");
    assert!(!pages.iter().flat_map(lines).any(|l| l == "附件"), "{all}");
}
