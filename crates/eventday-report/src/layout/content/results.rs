//! The "results in numbers" section: summary, by venue, materials, media, disputes.

use super::sections::Headings;
use super::{fig_value, figure_list, t};
use crate::data::{MediaChannel, ReportData, VenueKind};
use crate::fmt::{count, money};
use crate::layout::{Align, Col, Composer, Rgb};
use crate::{Lang, ReportError};

/// Results in numbers: summary, by venue, materials, media, disputes.
pub(super) fn results(c: &mut Composer<'_, '_>, d: &ReportData, h: &mut Headings) -> Result<(), ReportError> {
    h.h1(c, "活动成效", "Results in numbers")?;
    summary_table(c, d, h)?;
    by_venue(c, d, h)?;
    materials(c, d, h)?;
    media(c, d, h)?;
    disputes(c, d, h)
}

/// The summary table of the campaign totals.
fn summary_table(c: &mut Composer<'_, '_>, d: &ReportData, h: &Headings) -> Result<(), ReportError> {
    let lang = c.lang;
    let tot = &d.totals;
    h.h2(c, 1, "总体情况", "Summary")?;
    let cols = [
        Col { title: t(lang, "指标", "Figure").into(), frac: 0.55, align: Align::Left },
        Col { title: t(lang, "数值", "Value").into(), frac: 0.45, align: Align::Right },
    ];
    let rows: Vec<Vec<String>> = figure_list(tot)
        .iter()
        .map(|(zh, en, v, m)| vec![t(lang, zh, en).to_string(), fig_value(*v, *m, lang)])
        .collect();
    c.table(&cols, &rows, false)?;
    Ok(())
}

/// The per-venue table and the chart of visitors by venue.
fn by_venue(c: &mut Composer<'_, '_>, d: &ReportData, h: &Headings) -> Result<(), ReportError> {
    let lang = c.lang;
    let geo = c.geo.clone();
    let tot = &d.totals;
    h.h2(c, 2, "各会场情况", "By venue")?;
    if d.venues.is_empty() {
        c.paragraph(t(lang, "暂无会场数据。", "No venue data yet."))?;
    } else {
        let cols = [
            Col { title: t(lang, "会场", "Venue").into(), frac: 0.27, align: Align::Left },
            Col { title: t(lang, "承办单位", "Host unit").into(), frac: 0.17, align: Align::Left },
            Col { title: t(lang, "接待人次", "Visitors").into(), frac: 0.11, align: Align::Right },
            Col { title: t(lang, "咨询", "Consult.").into(), frac: 0.1, align: Align::Right },
            Col { title: t(lang, "投诉", "Compl.").into(), frac: 0.09, align: Align::Right },
            Col { title: t(lang, "调解", "Settled").into(), frac: 0.09, align: Align::Right },
            Col { title: t(lang, "挽回损失", "Recovered").into(), frac: 0.17, align: Align::Right },
        ];
        let mut rows: Vec<Vec<String>> = d
            .venues
            .iter()
            .map(|v| {
                let mut name = v.name.clone();
                if v.kind == VenueKind::Main {
                    let main = VenueKind::Main.label(lang);
                    name.push_str(&match lang {
                        Lang::Zh => format!("（{main}）"),
                        Lang::En => format!(" ({main})"),
                    });
                }
                if !v.accepted {
                    name.push('*');
                }
                vec![
                    name,
                    v.host_unit.clone(),
                    count(v.visitors),
                    count(v.consultations),
                    count(v.complaints_received),
                    count(v.complaints_settled),
                    money(v.money_recovered_fen, lang),
                ]
            })
            .collect();
        rows.push(vec![
            t(lang, "合计", "Total").into(),
            String::new(),
            count(tot.visitors),
            count(tot.consultations),
            count(tot.complaints_received),
            count(tot.complaints_settled),
            money(tot.money_recovered_fen, lang),
        ]);
        c.table(&cols, &rows, true)?;
        if d.venues.iter().any(|v| !v.accepted) {
            c.note(t(
                lang,
                "注：标“*”的会场数据尚未经组织方确认。",
                "Note: figures of venues marked * have not been approved by the organizer yet.",
            ))?;
        }
        c.space(6.0);
        let rows: Vec<(String, Vec<u64>)> =
            d.venues.iter().map(|v| (v.name.clone(), vec![v.visitors])).collect();
        c.bar_chart(
            Some(t(lang, "图1  各会场接待人次", "Figure 1. Visitors by venue")),
            &rows,
            &[(t(lang, "接待人次", "visitors"), geo.accent)],
        )?;
    }
    Ok(())
}

/// Publicity materials planned vs handed out: a table and a chart.
fn materials(c: &mut Composer<'_, '_>, d: &ReportData, h: &Headings) -> Result<(), ReportError> {
    let lang = c.lang;
    let geo = c.geo.clone();
    h.h2(c, 3, "宣传物料", "Publicity materials")?;
    if d.materials.is_empty() {
        c.paragraph(t(lang, "暂无物料数据。", "No materials recorded."))?;
    } else {
        let cols = [
            Col { title: t(lang, "物料", "Item").into(), frac: 0.4, align: Align::Left },
            Col { title: t(lang, "单位", "Unit").into(), frac: 0.12, align: Align::Center },
            Col { title: t(lang, "计划", "Planned").into(), frac: 0.16, align: Align::Right },
            Col { title: t(lang, "实际发放", "Handed out").into(), frac: 0.16, align: Align::Right },
            Col { title: t(lang, "完成率", "Done").into(), frac: 0.16, align: Align::Right },
        ];
        let rows: Vec<Vec<String>> = d
            .materials
            .iter()
            .map(|m| {
                let pct = if m.planned > 0 {
                    format!("{:.0}%", m.handed_out as f64 / m.planned as f64 * 100.0)
                } else {
                    "—".into()
                };
                vec![m.name.clone(), m.unit.clone(), count(m.planned), count(m.handed_out), pct]
            })
            .collect();
        c.table(&cols, &rows, false)?;
        let rows: Vec<(String, String, Vec<u64>)> = d
            .materials
            .iter()
            .map(|m| (m.name.clone(), m.unit.clone(), vec![m.planned, m.handed_out]))
            .collect();
        c.bar_chart_by_unit(
            Some(t(lang, "图2  宣传物料计划与实际发放", "Figure 2. Materials planned vs handed out")),
            &rows,
            &[
                (t(lang, "计划", "planned"), Rgb(0.72, 0.72, 0.72)),
                (t(lang, "实际发放", "handed out"), geo.accent),
            ],
        )?;
    }
    Ok(())
}

/// Media coverage: counts by channel and the list.
fn media(c: &mut Composer<'_, '_>, d: &ReportData, h: &Headings) -> Result<(), ReportError> {
    let lang = c.lang;
    h.h2(c, 4, "媒体报道", "Media coverage")?;
    if d.media.is_empty() {
        c.paragraph(t(lang, "暂无媒体报道记录。", "No media coverage recorded."))?;
    } else {
        let mut media = d.media.clone();
        media.sort_by_key(|m| m.channel);
        let by: Vec<String> = MediaChannel::ALL
            .iter()
            .filter_map(|ch| {
                let k = media.iter().filter(|m| m.channel == *ch).count();
                (k > 0).then(|| match lang {
                    Lang::Zh => format!("{}{}篇（次）", ch.label(lang), k),
                    Lang::En => format!("{} ({k})", ch.label(lang)),
                })
            })
            .collect();
        c.paragraph(&match lang {
            Lang::Zh => format!("共有{}篇（次）媒体报道，其中{}。", count(media.len() as u64), by.join("，")),
            Lang::En => format!("{} pieces of coverage: {}.", count(media.len() as u64), by.join(", ")),
        })?;
        let cols = [
            Col { title: t(lang, "媒体", "Outlet").into(), frac: 0.2, align: Align::Left },
            Col { title: t(lang, "渠道", "Channel").into(), frac: 0.13, align: Align::Left },
            Col { title: t(lang, "形式", "Format").into(), frac: 0.11, align: Align::Left },
            Col { title: t(lang, "日期", "Date").into(), frac: 0.16, align: Align::Left },
            Col { title: t(lang, "标题", "Headline").into(), frac: 0.4, align: Align::Left },
        ];
        let rows: Vec<Vec<String>> = media
            .iter()
            .map(|m| {
                vec![
                    m.outlet.clone(),
                    m.channel.label(lang).into(),
                    m.format.label(lang).into(),
                    m.date.map(|x| x.format("%Y-%m-%d").to_string()).unwrap_or_default(),
                    m.headline.clone(),
                ]
            })
            .collect();
        c.table(&cols, &rows, false)?;
    }
    Ok(())
}

/// Consumer disputes on the reconciliation platform.
fn disputes(c: &mut Composer<'_, '_>, d: &ReportData, h: &Headings) -> Result<(), ReportError> {
    let lang = c.lang;
    h.h2(c, 5, "消费纠纷受理", "Consumer disputes")?;
    let ds = &d.disputes;
    let rate = if ds.received > 0 {
        format!("{:.1}%", ds.settled as f64 / ds.received as f64 * 100.0)
    } else {
        "—".into()
    };
    let cols = [
        Col { title: t(lang, "项目", "Item").into(), frac: 0.55, align: Align::Left },
        Col { title: t(lang, "数值", "Value").into(), frac: 0.45, align: Align::Right },
    ];
    let rows = vec![
        vec![t(lang, "受理（件）", "Received").into(), count(ds.received)],
        vec![t(lang, "调解成功（件）", "Settled").into(), count(ds.settled)],
        vec![t(lang, "转办（件）", "Referred").into(), count(ds.referred)],
        vec![t(lang, "终结（件）", "Closed").into(), count(ds.closed)],
        vec![t(lang, "调解成功率", "Settlement rate").into(), rate],
        vec![t(lang, "涉及金额", "Amount claimed").into(), money(ds.amount_claimed_fen, lang)],
        vec![t(lang, "挽回经济损失", "Amount recovered").into(), money(ds.amount_recovered_fen, lang)],
    ];
    c.table(&cols, &rows, false)?;
    Ok(())
}
