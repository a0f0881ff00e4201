//! The roll-up report: one table row per district and per venue, streamed; totals and a top-N chart at
//! the end, because ranking needs every district's totals first and the rows are read only once.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};

use super::{Align, Col, Composer, Metrics, PageSink, TableWriter};
use crate::data::{RollupDistrict, RollupHeader, Totals, VenueKind};
use crate::fmt::{count, money};
use crate::{Lang, ReportError, Style};

/// The roll-up title.
#[must_use]
pub fn rollup_title(h: &RollupHeader, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{}{}年“3·15”活动汇总", h.organization.trim(), h.year),
        Lang::En => format!("{} {} “3·15” Campaign Roll-up", h.organization.trim(), h.year),
    }
}

fn add(a: &mut Totals, b: &Totals) {
    a.visitors = a.visitors.saturating_add(b.visitors);
    a.consultations = a.consultations.saturating_add(b.consultations);
    a.complaints_received = a.complaints_received.saturating_add(b.complaints_received);
    a.complaints_settled = a.complaints_settled.saturating_add(b.complaints_settled);
    a.money_recovered_fen = a.money_recovered_fen.saturating_add(b.money_recovered_fen);
    a.log_entries = a.log_entries.saturating_add(b.log_entries);
    a.booths = a.booths.saturating_add(b.booths);
    a.activities = a.activities.saturating_add(b.activities);
    a.units = a.units.saturating_add(b.units);
}

/// Lays out a roll-up, handing each finished page to `sink`; returns (pages, missing characters, districts).
///
/// Memory stays bounded: one page, the running totals and the top-N heap.
///
/// # Errors
/// When the sink fails.
pub fn layout_rollup<'s>(
    header: &RollupHeader,
    districts: impl Iterator<Item = RollupDistrict>,
    lang: Lang,
    style: Style,
    metrics: &dyn Metrics,
    sink: &'s mut PageSink<'s>,
) -> Result<(usize, BTreeSet<char>, usize), ReportError> {
    let t = |zh: &'static str, en: &'static str| match lang {
        Lang::Zh => zh,
        Lang::En => en,
    };
    let top_n = if header.top_n == 0 { 10 } else { header.top_n.min(50) };
    let mut c = Composer::new(metrics, lang, style, sink);
    let geo = c.geo.clone();
    c.centered(&rollup_title(header, lang), geo.title, geo.title.size * 1.6)?;
    c.space(6.0);
    c.paragraph(t(
        "下表逐一列出各地区及其会场的活动数据（加粗行为地区合计），全部地区的合计与接待人次排名见表后。",
        "The table lists every district and its venues (bold rows are district totals); the grand totals and the ranking by visitors follow the table.",
    ))?;
    let cols = vec![
        Col { title: t("地区／会场", "District / venue").into(), frac: 0.30, align: Align::Left },
        Col { title: t("所属", "Parent").into(), frac: 0.14, align: Align::Left },
        Col { title: t("接待人次", "Visitors").into(), frac: 0.12, align: Align::Right },
        Col { title: t("咨询", "Consult.").into(), frac: 0.1, align: Align::Right },
        Col { title: t("投诉", "Compl.").into(), frac: 0.09, align: Align::Right },
        Col { title: t("调解", "Settled").into(), frac: 0.09, align: Align::Right },
        Col { title: t("挽回损失", "Recovered").into(), frac: 0.16, align: Align::Right },
    ];
    let mut tw = TableWriter::start(&mut c, cols.clone())?;
    let mut grand = Totals::default();
    let mut venues = 0u64;
    let mut n = 0usize;
    let mut heap: BinaryHeap<Reverse<(u64, usize, String)>> = BinaryHeap::new();
    let row = |name: String, parent: String, x: &Totals| {
        vec![
            name,
            parent,
            count(x.visitors),
            count(x.consultations),
            count(x.complaints_received),
            count(x.complaints_settled),
            money(x.money_recovered_fen, lang),
        ]
    };
    for d in districts {
        n += 1;
        add(&mut grand, &d.totals);
        venues += d.venues.len() as u64;
        heap.push(Reverse((d.totals.visitors, usize::MAX - n, d.name.clone())));
        if heap.len() > top_n {
            heap.pop();
        }
        tw.row(&mut c, &row(d.name.clone(), d.parent.clone(), &d.totals), true)?;
        for v in &d.venues {
            let vt = Totals {
                visitors: v.visitors,
                consultations: v.consultations,
                complaints_received: v.complaints_received,
                complaints_settled: v.complaints_settled,
                money_recovered_fen: v.money_recovered_fen,
                ..Totals::default()
            };
            let mark = if v.kind == VenueKind::Main { t("（主）", " (main)") } else { "" };
            let star = if v.accepted { "" } else { "*" };
            tw.row(&mut c, &row(format!("　{}{mark}{star}", v.name), String::new(), &vt), false)?;
        }
    }
    if n == 0 {
        tw.row(&mut c, &[t("暂无数据", "No data yet").to_string()], false)?;
    }
    tw.end(&mut c);

    c.heading(t("一、合计", "1. Totals"), 1)?;
    let cols2 = [
        Col { title: t("指标", "Figure").into(), frac: 0.55, align: Align::Left },
        Col { title: t("数值", "Value").into(), frac: 0.45, align: Align::Right },
    ];
    let rows = vec![
        vec![t("地区（个）", "Districts").into(), count(n as u64)],
        vec![t("会场（个）", "Venues").into(), count(venues)],
        vec![t("接待群众（人次）", "Visitors").into(), count(grand.visitors)],
        vec![t("提供咨询（人次）", "Consultations").into(), count(grand.consultations)],
        vec![t("受理投诉（件）", "Complaints received").into(), count(grand.complaints_received)],
        vec![t("现场调解（件）", "Settled on site").into(), count(grand.complaints_settled)],
        vec![t("挽回经济损失", "Money recovered").into(), money(grand.money_recovered_fen, lang)],
    ];
    c.table(&cols2, &rows, false)?;
    let title = match lang {
        Lang::Zh => format!("二、接待人次前{top_n}名"),
        Lang::En => format!("2. Top {top_n} districts by visitors"),
    };
    let mut top: Vec<(u64, usize, String)> = heap.into_iter().map(|Reverse(x)| x).collect();
    top.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    let rows: Vec<(String, Vec<u64>)> = top.into_iter().map(|(v, _, name)| (name, vec![v])).collect();
    // The heading goes with its chart.
    let block = c.heading_height() + c.chart_height(rows.len().max(2), 1);
    c.keep_together(block)?;
    c.heading(&title, 1)?;
    if rows.is_empty() {
        c.paragraph(t("暂无数据。", "No data yet."))?;
    } else {
        let accent = geo.accent;
        c.bar_chart(None, &rows, &[(t("接待人次", "visitors"), accent)])?;
    }
    let (pages, missing) = c.finish()?;
    Ok((pages, missing, n))
}
