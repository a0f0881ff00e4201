//! The results section: the organizers' results text, then the figures (summary, by venue,
//! materials, media, complaint cases, comparison with earlier years); a part without data is left
//! out rather than printed with zeros.

use super::sections::{Headings, Part, paragraphs, sections_of};
use super::{fig_value, figure_list, known_money, money_cell, t};
use crate::data::{MediaChannel, ReportData, VenueKind};
use crate::fmt::{count, money};
use crate::layout::{Align, Col, Compose, Rgb};
use crate::{Lang, ReportError};

/// Results: a heading (the organizers' results section's own, when there is one), its text, then
/// numbered parts for the figures.
pub(super) fn results(c: &mut dyn Compose, d: &ReportData, h: &mut Headings) -> Result<(), ReportError> {
    let texts = sections_of(d, Part::Results);
    match texts.first().map(|s| s.heading.trim()).filter(|x| !x.is_empty()) {
        Some(heading) => h.h1(c, heading, heading)?,
        None => h.h1(c, "活动成效", "Results")?,
    }
    for s in &texts {
        paragraphs(c, s)?;
    }
    let mut n = 0;
    summary_table(c, d, h, &mut n)?;
    by_venue(c, d, h, &mut n)?;
    materials(c, d, h, &mut n)?;
    media(c, d, h, &mut n)?;
    disputes(c, d, h, &mut n)?;
    super::sections::comparison(c, d, h, &mut n)
}

/// The summary table of the campaign totals (from the venues' tallied figures).
fn summary_table(
    c: &mut dyn Compose,
    d: &ReportData,
    h: &Headings,
    n: &mut usize,
) -> Result<(), ReportError> {
    let lang = c.lang();
    let tot = &d.totals;
    *n += 1;
    h.h2(c, *n, "总体情况", "Summary")?;
    let cols = [
        Col { title: t(lang, "指标", "Figure").into(), frac: 0.55, align: Align::Left },
        Col { title: t(lang, "数值", "Value").into(), frac: 0.45, align: Align::Right },
    ];
    let rows: Vec<Vec<String>> = figure_list(tot)
        .iter()
        .map(|(zh, en, v, m)| vec![t(lang, zh, en).to_string(), fig_value(*v, *m, lang)])
        .collect();
    c.table(&cols, &rows, false)?;
    if known_money(tot.money_recovered_fen, tot.money_recorded).is_none() {
        c.note(t(lang, "注：“—”表示未登记该项数字。", "Note: “—” means the figure was not recorded."))?;
    }
    Ok(())
}

/// The per-venue table and the chart of visitors by venue.
fn by_venue(c: &mut dyn Compose, d: &ReportData, h: &Headings, n: &mut usize) -> Result<(), ReportError> {
    let lang = c.lang();
    let geo = c.geo().clone();
    let tot = &d.totals;
    if d.venues.is_empty() {
        return Ok(());
    }
    *n += 1;
    h.h2(c, *n, "各会场情况", "By venue")?;
    // The money column only when some venue recorded money; "—" for a venue that recorded none.
    let with_money = known_money(tot.money_recovered_fen, tot.money_recorded).is_some()
        || d.venues.iter().any(|v| known_money(v.money_recovered_fen, v.money_recorded).is_some());
    let mut cols = vec![
        Col {
            title: t(lang, "会场", "Venue").into(),
            frac: if with_money { 0.27 } else { 0.36 },
            align: Align::Left,
        },
        Col {
            title: t(lang, "承办单位", "Host unit").into(),
            frac: if with_money { 0.17 } else { 0.25 },
            align: Align::Left,
        },
        Col { title: t(lang, "接待人次", "Visitors").into(), frac: 0.11, align: Align::Right },
        Col { title: t(lang, "咨询", "Consult.").into(), frac: 0.1, align: Align::Right },
        Col { title: t(lang, "投诉", "Compl.").into(), frac: 0.09, align: Align::Right },
        Col { title: t(lang, "调解", "Settled").into(), frac: 0.09, align: Align::Right },
    ];
    if with_money {
        cols.push(Col {
            title: t(lang, "挽回损失", "Recovered").into(), frac: 0.17, align: Align::Right
        });
    }
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
            let mut row = vec![
                name,
                v.host_unit.clone(),
                count(v.visitors),
                count(v.consultations),
                count(v.complaints_received),
                count(v.complaints_settled),
            ];
            if with_money {
                row.push(money_cell(v.money_recovered_fen, v.money_recorded, lang));
            }
            row
        })
        .collect();
    let mut total = vec![
        t(lang, "合计", "Total").into(),
        String::new(),
        count(tot.visitors),
        count(tot.consultations),
        count(tot.complaints_received),
        count(tot.complaints_settled),
    ];
    if with_money {
        total.push(money_cell(tot.money_recovered_fen, tot.money_recorded, lang));
    }
    rows.push(total);
    c.table(&cols, &rows, true)?;
    let mut notes = Vec::new();
    if d.venues.iter().any(|v| !v.accepted) {
        notes.push(t(
            lang,
            "标“*”的会场数据尚未经组织方确认",
            "figures of venues marked * have not been approved by the organizer yet",
        ));
    }
    if with_money && d.venues.iter().any(|v| known_money(v.money_recovered_fen, v.money_recorded).is_none()) {
        notes.push(t(lang, "“—”表示该会场未登记挽回损失", "“—” means the venue recorded no money recovered"));
    }
    if !notes.is_empty() {
        c.note(&match lang {
            Lang::Zh => format!("注：{}。", notes.join("；")),
            Lang::En => format!("Note: {}.", notes.join("; ")),
        })?;
    }
    c.space(6.0);
    let rows: Vec<(String, Vec<u64>)> = d.venues.iter().map(|v| (v.name.clone(), vec![v.visitors])).collect();
    c.bar_chart(
        Some(t(lang, "图1  各会场接待人次", "Figure 1. Visitors by venue")),
        &rows,
        &[(t(lang, "接待人次", "visitors"), geo.accent)],
    )?;
    Ok(())
}

/// A material's unit in English (the catalogue holds the Chinese measure word).
fn unit_label(unit: &str, lang: Lang) -> String {
    if lang == Lang::Zh {
        return unit.to_string();
    }
    match unit.trim() {
        "幅" | "条" => "banners",
        "个" | "只" | "件" => "pieces",
        "份" => "copies",
        "张" => "sheets",
        "本" | "册" => "booklets",
        "块" => "boards",
        "套" => "sets",
        "袋" => "bags",
        other => return other.to_string(),
    }
    .to_string()
}

/// Publicity materials planned vs handed out: a table and a chart; an item nobody logged handing
/// out shows "—", not 0 and 0 %.
fn materials(c: &mut dyn Compose, d: &ReportData, h: &Headings, n: &mut usize) -> Result<(), ReportError> {
    let lang = c.lang();
    let geo = c.geo().clone();
    if d.materials.is_empty() {
        return Ok(());
    }
    *n += 1;
    h.h2(c, *n, "宣传物料", "Publicity materials")?;
    let logged = |m: &crate::data::MaterialRow| m.logged || m.handed_out > 0;
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
            let (handed, pct) = if !logged(m) {
                ("—".to_string(), "—".to_string())
            } else if m.planned > 0 {
                (count(m.handed_out), format!("{:.0}%", m.handed_out as f64 / m.planned as f64 * 100.0))
            } else {
                (count(m.handed_out), "—".to_string())
            };
            vec![m.name.clone(), unit_label(&m.unit, lang), count(m.planned), handed, pct]
        })
        .collect();
    c.table(&cols, &rows, false)?;
    if d.materials.iter().any(|m| !logged(m)) {
        c.note(t(
            lang,
            "注：“—”表示各会场未登记该物料的发放数量。",
            "Note: “—” means no venue recorded handing the item out.",
        ))?;
    }
    let rows: Vec<(String, String, Vec<u64>)> = d
        .materials
        .iter()
        .filter(|m| logged(m))
        .map(|m| (m.name.clone(), unit_label(&m.unit, lang), vec![m.planned, m.handed_out]))
        .collect();
    if !rows.is_empty() {
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
fn media(c: &mut dyn Compose, d: &ReportData, h: &Headings, n: &mut usize) -> Result<(), ReportError> {
    let lang = c.lang();
    if d.media.is_empty() {
        return Ok(());
    }
    *n += 1;
    h.h2(c, *n, "媒体报道", "Media coverage")?;
    let mut media = d.media.clone();
    media.sort_by_key(|m| m.channel);
    let by: Vec<String> = MediaChannel::ALL
        .iter()
        .filter_map(|ch| {
            let k = media.iter().filter(|m| m.channel == *ch).count();
            (k > 0).then(|| match lang {
                Lang::Zh => format!("{}{}篇（次）", ch.label(lang), k),
                Lang::En => format!("{} {k}", ch.label(lang)),
            })
        })
        .collect();
    c.paragraph(&match lang {
        Lang::Zh => format!("共有{}篇（次）媒体报道，其中{}。", count(media.len() as u64), by.join("，")),
        Lang::En => {
            format!("The campaign was covered {} times: {}.", count(media.len() as u64), by.join(", "))
        }
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
    Ok(())
}

/// The complaint cases recorded on the reconciliation platform: the detail of the complaints the
/// venues tallied, so the section states how many of those were recorded as cases and its rows
/// add up to that number. Left out when no case was recorded.
fn disputes(c: &mut dyn Compose, d: &ReportData, h: &Headings, n: &mut usize) -> Result<(), ReportError> {
    let lang = c.lang();
    let ds = &d.disputes;
    if ds.received == 0 {
        return Ok(());
    }
    *n += 1;
    h.h2(c, *n, "消费纠纷案件办理", "Complaint cases")?;
    let complaints = d.totals.complaints_received;
    let open = ds.received.saturating_sub(ds.settled + ds.mediating + ds.referred + ds.closed);
    let statuses: Vec<(&str, &str, u64)> = [
        ("调解成功", "settled", ds.settled),
        ("正在调解", "being mediated", ds.mediating),
        ("转有关部门处理", "referred to another body", ds.referred),
        ("终结", "closed without settlement", ds.closed),
        ("待处理", "not yet taken up", open),
    ]
    .into_iter()
    .filter(|s| s.2 > 0)
    .collect();
    let parts: Vec<String> = statuses
        .iter()
        .map(|(zh, en, k)| match lang {
            Lang::Zh => format!("{zh}{}件", count(*k)),
            Lang::En => format!("{} {en}", count(*k)),
        })
        .collect();
    let cases = count(ds.received);
    let mut s = match lang {
        // Cases are the detail of the tallied complaints: never more than those.
        Lang::Zh if ds.received <= complaints => format!(
            "活动当天各会场共受理投诉{}件，其中{cases}件登记为消费纠纷案件，由消费纠纷和解平台办理：{}",
            count(complaints),
            parts.join("，")
        ),
        Lang::Zh => format!("消费纠纷和解平台共登记消费纠纷案件{cases}件：{}", parts.join("，")),
        Lang::En if ds.received <= complaints => format!(
            "Of the {} complaints the venues received on the day, {cases} were recorded as cases for the consumer dispute reconciliation platform: {}",
            count(complaints),
            parts.join(", ")
        ),
        Lang::En => format!(
            "{cases} cases were recorded for the consumer dispute reconciliation platform: {}",
            parts.join(", ")
        ),
    };
    let claimed = (ds.amount_claimed_fen != 0).then(|| money(ds.amount_claimed_fen, lang));
    let recovered = (ds.amount_recovered_fen != 0).then(|| money(ds.amount_recovered_fen, lang));
    match (lang, claimed, recovered) {
        (Lang::Zh, Some(a), Some(r)) => s.push_str(&format!("；案件涉及金额{a}，已为消费者挽回{r}。")),
        (Lang::Zh, Some(a), None) => s.push_str(&format!("；案件涉及金额{a}。")),
        (Lang::Zh, None, Some(r)) => s.push_str(&format!("；已为消费者挽回{r}。")),
        (Lang::Zh, None, None) => s.push('。'),
        (Lang::En, Some(a), Some(r)) => {
            s.push_str(&format!(". The cases involved {a}, of which {r} has been recovered for consumers."))
        }
        (Lang::En, Some(a), None) => s.push_str(&format!(". The cases involved {a}.")),
        (Lang::En, None, Some(r)) => s.push_str(&format!(". {r} has been recovered for consumers.")),
        (Lang::En, None, None) => s.push('.'),
    }
    c.paragraph(&s)?;
    let cols = [
        Col { title: t(lang, "办理情况", "Status").into(), frac: 0.6, align: Align::Left },
        Col { title: t(lang, "案件（件）", "Cases").into(), frac: 0.4, align: Align::Right },
    ];
    let mut rows: Vec<Vec<String>> = statuses
        .iter()
        .map(|(zh, en, k)| vec![t(lang, zh, &super::capitalized(en)).to_string(), count(*k)])
        .collect();
    rows.push(vec![t(lang, "合计", "Total").into(), cases]);
    c.table(&cols, &rows, true)?;
    Ok(())
}
