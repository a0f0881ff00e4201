//! One vocabulary: every kind the report prints reads exactly as the domain labels it, which is
//! what the pages and CSV show (`eventday_domain::kinds`, `label_zh`/`label_en`).
#![allow(clippy::expect_used, reason = "tests")]

use std::sync::OnceLock;

use eventday_domain::{ActivityKind, Lang, MediaChannel, MediaFormat, UnitKind, VenueKind};
use eventday_report::layout::{Item, layout_report};
use eventday_report::{ActivityRow, FontSet, MediaRow, ReportData, Style, UnitGroup, VenueRow};

fn fonts() -> &'static FontSet {
    static F: OnceLock<FontSet> = OnceLock::new();
    F.get_or_init(|| FontSet::bundled().expect("bundled fonts parse"))
}

fn label<K>(lang: Lang, kind: K, zh: fn(K) -> &'static str, en: fn(K) -> &'static str) -> &'static str {
    match lang {
        Lang::Zh => zh(kind),
        Lang::En => en(kind),
    }
}

/// A report with one venue of each kind and nothing else.
fn base() -> ReportData {
    let venue =
        |name: &str, kind| VenueRow { name: name.into(), kind, accepted: true, ..VenueRow::default() };
    ReportData {
        organization: "测试区消费者协会".into(),
        year: 2013,
        venues: vec![venue("甲馆", VenueKind::Main), venue("乙馆", VenueKind::Sub)],
        ..ReportData::default()
    }
}

/// The report's text as blocks: a table cell or a run of paragraph lines, its lines joined (with a
/// space in English, where lines break at spaces; with nothing in Chinese).
fn blocks(d: &ReportData, lang: Lang) -> Vec<String> {
    let (pages, _) = layout_report(d, lang, Style::Modern, fonts()).expect("layout");
    let sep = if lang == Lang::En { " " } else { "" };
    let mut out: Vec<String> = Vec::new();
    let mut last_x = None;
    for page in &pages {
        for (p, item) in &page.items {
            let Item::Line(line) = item else {
                last_x = None;
                continue;
            };
            match (last_x, out.last_mut()) {
                (Some(x), Some(block)) if x == p.x => {
                    block.push_str(sep);
                    block.push_str(&line.text());
                }
                _ => out.push(line.text()),
            }
            last_x = Some(p.x);
        }
    }
    out
}

#[test]
fn every_kind_reads_in_the_report_as_the_domain_labels_it_for_pages_and_csv() {
    for lang in [Lang::Zh, Lang::En] {
        // Venue kinds: the main venue's mark in the venue table, and the cover's "main + sub" figure.
        let text = blocks(&base(), lang);
        let (main, sub) = (
            label(lang, VenueKind::Main, VenueKind::label_zh, VenueKind::label_en),
            label(lang, VenueKind::Sub, VenueKind::label_zh, VenueKind::label_en),
        );
        let marked = match lang {
            Lang::Zh => format!("甲馆（{main}）"),
            Lang::En => format!("甲馆 ({main})"),
        };
        assert!(text.contains(&marked), "{lang:?}: no cell {marked:?} in {text:?}");
        // English counts the sub-venues: the domain's plural of the same label.
        let subs = match lang {
            Lang::Zh => sub.to_owned(),
            Lang::En => VenueKind::Sub.plural_en(),
        };
        let cover = format!("{main} + {subs}");
        assert!(text.contains(&cover), "{lang:?}: no block {cover:?} in {text:?}");

        for &kind in UnitKind::ALL {
            let d = ReportData {
                units: vec![UnitGroup { kind, class: None, names: vec!["某单位".into()] }],
                totals: eventday_report::Totals { units: 1, ..Default::default() },
                ..base()
            };
            let l = label(lang, kind, UnitKind::label_zh, UnitKind::label_en);
            // The opening paragraph counts the units by kind.
            let counted = match lang {
                Lang::Zh => format!("（{l}1家）"),
                Lang::En => format!("(1 {l})"),
            };
            assert!(
                blocks(&d, lang).iter().any(|b| b.contains(&counted)),
                "{lang:?} {kind:?}: no {counted:?}"
            );
        }

        for &kind in ActivityKind::ALL {
            let d = ReportData {
                activities: vec![ActivityRow {
                    venue: "乙馆".into(),
                    kind,
                    title: "活动".into(),
                    ..Default::default()
                }],
                ..base()
            };
            let l = label(lang, kind, ActivityKind::label_zh, ActivityKind::label_en);
            assert!(blocks(&d, lang).iter().any(|b| b == l), "{lang:?} {kind:?}: no cell {l:?}");
        }

        for &channel in MediaChannel::ALL {
            for &format in MediaFormat::ALL {
                let d = ReportData {
                    media: vec![MediaRow { outlet: "某报".into(), channel, format, ..Default::default() }],
                    ..base()
                };
                let text = blocks(&d, lang);
                let c = label(lang, channel, MediaChannel::label_zh, MediaChannel::label_en);
                let f = label(lang, format, MediaFormat::label_zh, MediaFormat::label_en);
                assert!(text.iter().any(|b| b == c), "{lang:?} {channel:?}: no cell {c:?} in {text:?}");
                assert!(text.iter().any(|b| b == f), "{lang:?} {format:?}: no cell {f:?} in {text:?}");
            }
        }
    }
}
