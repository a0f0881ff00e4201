//! What the report says, section by section, in Chinese or English.

use std::collections::BTreeSet;

use super::{Align, Col, Composer, Metrics, Page, Rgb};
use crate::data::{ActivityKind, Channel, MediaFormat, ReportData, Totals, UnitKind, VenueKind};
use crate::fmt::{change, count, money};
use crate::{Lang, ReportError, Style};

fn t<'a>(lang: Lang, zh: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

/// "一", "二", ... for section numbers (up to 99).
#[must_use]
pub fn chinese_number(n: usize) -> String {
    const D: [&str; 10] = ["〇", "一", "二", "三", "四", "五", "六", "七", "八", "九"];
    match n {
        0..=9 => D[n].to_string(),
        10 => "十".to_string(),
        11..=19 => format!("十{}", D[n % 10]),
        20..=99 => format!("{}十{}", D[n / 10], if n.is_multiple_of(10) { "" } else { D[n % 10] }),
        _ => n.to_string(),
    }
}

/// The report title: "{组织}{年}年“3·15”活动总结".
#[must_use]
pub fn title_text(d: &ReportData, lang: Lang) -> String {
    let org = if d.organization.trim().is_empty() {
        t(lang, "消费者协会", "Consumers' Association")
    } else {
        d.organization.trim()
    };
    match lang {
        Lang::Zh => format!("{org}{}年“3·15”活动总结", d.year),
        Lang::En => format!("{org} {} “3·15” Campaign Summary", d.year),
    }
}

fn unit_kind(k: UnitKind, lang: Lang) -> &'static str {
    match (k, lang) {
        (UnitKind::Agency, Lang::Zh) => "职能部门",
        (UnitKind::Enterprise, Lang::Zh) => "企业",
        (UnitKind::Media, Lang::Zh) => "媒体",
        (UnitKind::School, Lang::Zh) => "学校",
        (UnitKind::Community, Lang::Zh) => "社区",
        (UnitKind::Association, Lang::Zh) => "社会组织",
        (UnitKind::Other, Lang::Zh) => "其他单位",
        (UnitKind::Agency, Lang::En) => "government agencies",
        (UnitKind::Enterprise, Lang::En) => "enterprises",
        (UnitKind::Media, Lang::En) => "media",
        (UnitKind::School, Lang::En) => "schools",
        (UnitKind::Community, Lang::En) => "communities",
        (UnitKind::Association, Lang::En) => "associations",
        (UnitKind::Other, Lang::En) => "other units",
    }
}

fn channel(c: Channel, lang: Lang) -> &'static str {
    match (c, lang) {
        (Channel::Tv, Lang::Zh) => "电视",
        (Channel::Radio, Lang::Zh) => "广播",
        (Channel::Newspaper, Lang::Zh) => "报纸",
        (Channel::Online, Lang::Zh) => "网络",
        (Channel::Social, Lang::Zh) => "社交媒体",
        (Channel::Tv, Lang::En) => "TV",
        (Channel::Radio, Lang::En) => "Radio",
        (Channel::Newspaper, Lang::En) => "Newspaper",
        (Channel::Online, Lang::En) => "Online",
        (Channel::Social, Lang::En) => "Social media",
    }
}

fn format_kind(f: MediaFormat, lang: Lang) -> &'static str {
    match (f, lang) {
        (MediaFormat::Live, Lang::Zh) => "直播",
        (MediaFormat::Report, Lang::Zh) => "报道",
        (MediaFormat::Interview, Lang::Zh) => "采访",
        (MediaFormat::Feature, Lang::Zh) => "专题",
        (MediaFormat::Live, Lang::En) => "live",
        (MediaFormat::Report, Lang::En) => "report",
        (MediaFormat::Interview, Lang::En) => "interview",
        (MediaFormat::Feature, Lang::En) => "feature",
    }
}

fn activity_kind(k: ActivityKind, lang: Lang) -> &'static str {
    match (k, lang) {
        (ActivityKind::Consultation, Lang::Zh) => "咨询",
        (ActivityKind::Community, Lang::Zh) => "进社区",
        (ActivityKind::Lecture, Lang::Zh) => "进校园讲座",
        (ActivityKind::Demonstration, Lang::Zh) => "识假辨假演示",
        (ActivityKind::Exhibition, Lang::Zh) => "产品展示",
        (ActivityKind::Ceremony, Lang::Zh) => "仪式",
        (ActivityKind::Other, Lang::Zh) => "其他",
        (ActivityKind::Consultation, Lang::En) => "consultation",
        (ActivityKind::Community, Lang::En) => "community outreach",
        (ActivityKind::Lecture, Lang::En) => "school lecture",
        (ActivityKind::Demonstration, Lang::En) => "fake-spotting demo",
        (ActivityKind::Exhibition, Lang::En) => "exhibition",
        (ActivityKind::Ceremony, Lang::En) => "ceremony",
        (ActivityKind::Other, Lang::En) => "other",
    }
}

fn join(items: &[String], lang: Lang) -> String {
    items.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(t(lang, "、", ", "))
}

fn date_text(d: &ReportData, lang: Lang) -> Option<String> {
    d.date.map(|x| match lang {
        Lang::Zh => x.format("%Y年%-m月%-d日").to_string(),
        Lang::En => x.format("%-d %B %Y").to_string(),
    })
}

/// The figures compared with earlier years, in order.
#[must_use]
pub fn figure_list(t_: &Totals) -> [(&'static str, &'static str, i128, bool); 9] {
    [
        ("接待群众（人次）", "Visitors", i128::from(t_.visitors), false),
        ("提供咨询（人次）", "Consultations", i128::from(t_.consultations), false),
        ("受理投诉（件）", "Complaints received", i128::from(t_.complaints_received), false),
        ("现场调解（件）", "Settled on site", i128::from(t_.complaints_settled), false),
        ("挽回经济损失", "Money recovered", i128::from(t_.money_recovered_fen), true),
        ("参与单位（家）", "Participating units", i128::from(t_.units), false),
        ("主题展台（个）", "Themed booths", i128::from(t_.booths), false),
        ("活动（场）", "Activities", i128::from(t_.activities), false),
        ("现场记录（条）", "Log entries", i128::from(t_.log_entries), false),
    ]
}

fn fig_value(v: i128, is_money: bool, lang: Lang) -> String {
    if is_money {
        money(i64::try_from(v).unwrap_or(i64::MAX), lang)
    } else {
        count(u64::try_from(v).unwrap_or(0))
    }
}

fn opening(d: &ReportData, lang: Lang) -> String {
    let subs = d.venues.iter().filter(|v| v.kind == VenueKind::Sub).count();
    let main = if d.main_venue.trim().is_empty() {
        d.venues.iter().find(|v| v.kind == VenueKind::Main).map(|v| v.name.clone()).unwrap_or_default()
    } else {
        d.main_venue.clone()
    };
    let tot = &d.totals;
    let by_kind: Vec<String> = d
        .units
        .iter()
        .filter(|g| !g.names.is_empty())
        .map(|g| match lang {
            Lang::Zh => format!("{}{}家", unit_kind(g.kind, lang), count(g.names.len() as u64)),
            Lang::En => format!("{} {}", count(g.names.len() as u64), unit_kind(g.kind, lang)),
        })
        .collect();
    let date = date_text(d, lang);
    match lang {
        Lang::Zh => {
            let mut s = String::new();
            if let Some(dt) = date {
                s.push_str(&format!("{dt}，"));
            }
            let org = if d.organization.trim().is_empty() { "我会" } else { d.organization.trim() };
            s.push_str(org);
            if !d.theme.trim().is_empty() {
                s.push_str(&format!("围绕“{}”主题，", d.theme.trim()));
            } else {
                s.push('，');
            }
            let title = if d.title.trim().is_empty() {
                "“3·15”国际消费者权益日"
            } else {
                d.title.trim()
            };
            s.push_str(&format!("组织开展了{title}活动。"));
            if !main.trim().is_empty() {
                s.push_str(&format!("活动以{}为主会场", main.trim()));
                if subs > 0 {
                    s.push_str(&format!("，同时设立{}个分会场", count(subs as u64)));
                }
                s.push('。');
            } else if subs > 0 {
                s.push_str(&format!("活动共设立{}个分会场。", count(subs as u64)));
            }
            if tot.units > 0 {
                s.push_str(&format!("共有{}家单位参与", count(tot.units)));
                if !by_kind.is_empty() {
                    s.push_str(&format!("（{}）", by_kind.join("、")));
                }
                s.push('，');
            }
            s.push_str(&format!(
                "现场接待群众{}人次，提供咨询{}人次，受理投诉{}件，现场调解{}件，为消费者挽回经济损失{}。",
                count(tot.visitors),
                count(tot.consultations),
                count(tot.complaints_received),
                count(tot.complaints_settled),
                money(tot.money_recovered_fen, lang)
            ));
            s
        }
        Lang::En => {
            let org =
                if d.organization.trim().is_empty() { "The association" } else { d.organization.trim() };
            let mut s = format!("On {}, {org} held ", date.unwrap_or_else(|| "the campaign day".to_string()));
            let title = if d.title.trim().is_empty() {
                "the “3·15” World Consumer Rights Day campaign"
            } else {
                d.title.trim()
            };
            s.push_str(title);
            if !d.theme.trim().is_empty() {
                s.push_str(&format!(" under the theme “{}”", d.theme.trim()));
            }
            s.push('.');
            if !main.trim().is_empty() {
                s.push_str(&format!(" The main venue was {}", main.trim()));
                if subs > 0 {
                    s.push_str(&format!(", with {} sub-venues", count(subs as u64)));
                }
                s.push('.');
            } else if subs > 0 {
                s.push_str(&format!(" It ran at {} sub-venues.", count(subs as u64)));
            }
            if tot.units > 0 {
                s.push_str(&format!(" {} units took part", count(tot.units)));
                if !by_kind.is_empty() {
                    s.push_str(&format!(" ({})", by_kind.join(", ")));
                }
                s.push('.');
            }
            s.push_str(&format!(
                " The venues received {} visitors, gave {} consultations, took {} complaints, settled {} on site and recovered {} for consumers.",
                count(tot.visitors),
                count(tot.consultations),
                count(tot.complaints_received),
                count(tot.complaints_settled),
                money(tot.money_recovered_fen, lang)
            ));
            s
        }
    }
}

fn has_data(d: &ReportData) -> bool {
    !d.venues.is_empty() || d.totals.log_entries > 0 || d.totals.visitors > 0
}

/// Lays out a whole campaign report into pages.
///
/// # Errors
/// Never for in-memory output; the signature is shared with the streaming roll-up.
pub fn layout_report(
    d: &ReportData,
    lang: Lang,
    style: Style,
    metrics: &dyn Metrics,
) -> Result<(Vec<Page>, BTreeSet<char>), ReportError> {
    let mut pages = Vec::new();
    let mut sink = |p: Page| -> Result<(), ReportError> {
        pages.push(p);
        Ok(())
    };
    let missing = {
        let mut c = Composer::new(metrics, lang, style, &mut sink);
        write_report(&mut c, d)?;
        c.finish()?.1
    };
    Ok((pages, missing))
}

#[allow(clippy::too_many_lines)]
fn write_report(c: &mut Composer<'_, '_>, d: &ReportData) -> Result<(), ReportError> {
    let lang = c.lang;
    let geo = c.geo.clone();
    let gb = geo.style == Style::Gbt9704;
    // Title.
    if gb {
        c.space(geo.body_pitch);
    }
    c.centered(&title_text(d, lang), geo.title, geo.title.size * 1.6)?;
    let mut sub = Vec::new();
    if !d.title.trim().is_empty() {
        sub.push(d.title.trim().to_string());
    }
    if let Some(dt) = date_text(d, lang) {
        sub.push(dt);
    }
    if !sub.is_empty() && !gb {
        c.centered(&sub.join("  ·  "), geo.small.color(Rgb(0.35, 0.35, 0.35)), geo.small_pitch * 1.3)?;
    }
    c.space(if gb { geo.body_pitch } else { 8.0 });

    let tot = &d.totals;
    if !gb && has_data(d) {
        let subs = d.venues.iter().filter(|v| v.kind == VenueKind::Sub).count() as u64;
        let figs = vec![
            (count(tot.visitors), t(lang, "接待群众（人次）", "visitors").to_string()),
            (count(tot.consultations), t(lang, "提供咨询（人次）", "consultations").to_string()),
            (count(tot.complaints_received), t(lang, "受理投诉（件）", "complaints received").to_string()),
            (money(tot.money_recovered_fen, lang), t(lang, "挽回经济损失", "money recovered").to_string()),
            (format!("1 + {}", count(subs)), t(lang, "主会场 + 分会场", "main + sub-venues").to_string()),
            (count(tot.units), t(lang, "参与单位（家）", "participating units").to_string()),
        ];
        c.key_figures(&figs)?;
        c.space(6.0);
    }

    if !has_data(d) {
        c.paragraph(t(
            lang,
            "本次活动尚无数据：还没有登记会场，也没有现场记录。会场设立并开始记录后，本报告将自动填入各项数字、表格和图表。",
            "There is no data for this campaign yet: no venues have been set up and nothing has been logged. Once venues log the day, this report fills in its figures, tables and charts by itself.",
        ))?;
    } else {
        c.paragraph(&opening(d, lang))?;
    }

    let mut sec = 0usize;
    let mut h1 = |c: &mut Composer<'_, '_>, zh: &str, en: &str| -> Result<(), ReportError> {
        sec += 1;
        let text = match lang {
            Lang::Zh => format!("{}、{zh}", chinese_number(sec)),
            Lang::En => format!("{sec}. {en}"),
        };
        c.heading(&text, 1)
    };
    let h2 = |c: &mut Composer<'_, '_>, n: usize, zh: &str, en: &str| -> Result<(), ReportError> {
        let text = match lang {
            Lang::Zh => format!("（{}）{zh}", chinese_number(n)),
            Lang::En => format!("({}) {en}", char::from(b'a' + (n.saturating_sub(1) % 26) as u8)),
        };
        c.heading(&text, 2)
    };

    // Organizers' narrative.
    for s in d.sections.iter().filter(|s| !s.next_steps) {
        let heading = s.heading.trim();
        let heading = if heading.is_empty() { t(lang, "活动情况", "The campaign") } else { heading };
        h1(c, heading, heading)?;
        for p in &s.paragraphs {
            for part in p.split('\n').filter(|x| !x.trim().is_empty()) {
                c.paragraph(part.trim())?;
            }
        }
    }

    // Organization: units, reconciliation members, booths, activities, officials.
    let any_org = !d.units.is_empty()
        || !d.reconciliation_members.is_empty()
        || !d.booths.is_empty()
        || !d.activities.is_empty()
        || !d.officials.is_empty();
    if any_org {
        h1(c, "活动组织情况", "How the day was organized")?;
        let mut n = 0;
        if !d.units.is_empty() {
            n += 1;
            h2(c, n, "参与单位", "Participating units")?;
            let mut groups = d.units.clone();
            groups.sort_by_key(|g| g.kind);
            for g in groups.iter().filter(|g| !g.names.is_empty()) {
                let line = match lang {
                    Lang::Zh => format!(
                        "{}（{}家）：{}。",
                        unit_kind(g.kind, lang),
                        count(g.names.len() as u64),
                        join(&g.names, lang)
                    ),
                    Lang::En => {
                        let k = unit_kind(g.kind, lang);
                        let mut k = k.to_string();
                        if let Some(f) = k.get_mut(0..1) {
                            f.make_ascii_uppercase();
                        }
                        format!("{k} ({}): {}.", count(g.names.len() as u64), join(&g.names, lang))
                    }
                };
                c.paragraph(&line)?;
            }
        }
        if !d.reconciliation_members.is_empty() {
            n += 1;
            h2(c, n, "消费纠纷和解单位", "Reconciliation platform members")?;
            let line = match lang {
                Lang::Zh => format!(
                    "活动当天推出{}家“消费纠纷和解单位”：{}。",
                    count(d.reconciliation_members.len() as u64),
                    join(&d.reconciliation_members, lang)
                ),
                Lang::En => format!(
                    "{} enterprises joined the consumer dispute reconciliation platform on the day: {}.",
                    count(d.reconciliation_members.len() as u64),
                    join(&d.reconciliation_members, lang)
                ),
            };
            c.paragraph(&line)?;
        }
        if !d.booths.is_empty() {
            n += 1;
            h2(c, n, "主题展台", "Themed booths")?;
            let cols = [
                Col { title: t(lang, "会场", "Venue").into(), frac: 0.28, align: Align::Left },
                Col { title: t(lang, "主题", "Topic").into(), frac: 0.32, align: Align::Left },
                Col { title: t(lang, "承办单位", "Staffed by").into(), frac: 0.40, align: Align::Left },
            ];
            let rows: Vec<Vec<String>> = d
                .booths
                .iter()
                .map(|b| vec![b.venue.clone(), b.topic.clone(), join(&b.units, lang)])
                .collect();
            c.table(&cols, &rows, false)?;
        }
        if !d.activities.is_empty() {
            n += 1;
            h2(c, n, "进社区、进校园等活动", "Outreach activities")?;
            let cols = [
                Col { title: t(lang, "会场", "Venue").into(), frac: 0.2, align: Align::Left },
                Col { title: t(lang, "类别", "Kind").into(), frac: 0.16, align: Align::Left },
                Col { title: t(lang, "活动", "Activity").into(), frac: 0.26, align: Align::Left },
                Col { title: t(lang, "地点", "Place").into(), frac: 0.24, align: Align::Left },
                Col { title: t(lang, "参与人数", "People").into(), frac: 0.14, align: Align::Right },
            ];
            let rows: Vec<Vec<String>> = d
                .activities
                .iter()
                .map(|a| {
                    vec![
                        a.venue.clone(),
                        activity_kind(a.kind, lang).into(),
                        a.title.clone(),
                        a.place.clone(),
                        count(a.participants),
                    ]
                })
                .collect();
            c.table(&cols, &rows, false)?;
        }
        if !d.officials.is_empty() {
            n += 1;
            h2(c, n, "出席领导", "Officials attending")?;
            let names: Vec<String> = d
                .officials
                .iter()
                .map(|o| match lang {
                    Lang::Zh => format!("{}{}{}", o.organization.trim(), o.title.trim(), o.name.trim()),
                    Lang::En => format!("{} ({}, {})", o.name.trim(), o.title.trim(), o.organization.trim()),
                })
                .collect();
            let line = match lang {
                Lang::Zh => format!("{}出席了活动。", join(&names, lang)),
                Lang::En => format!("Attending: {}.", join(&names, lang)),
            };
            c.paragraph(&line)?;
        }
    }

    // Results in numbers.
    h1(c, "活动成效", "Results in numbers")?;
    h2(c, 1, "总体情况", "Summary")?;
    {
        let cols = [
            Col { title: t(lang, "指标", "Figure").into(), frac: 0.55, align: Align::Left },
            Col { title: t(lang, "数值", "Value").into(), frac: 0.45, align: Align::Right },
        ];
        let rows: Vec<Vec<String>> = figure_list(tot)
            .iter()
            .map(|(zh, en, v, m)| vec![t(lang, zh, en).to_string(), fig_value(*v, *m, lang)])
            .collect();
        c.table(&cols, &rows, false)?;
    }
    h2(c, 2, "各会场情况", "By venue")?;
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
                    name.push_str(t(lang, "（主会场）", " (main)"));
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
    h2(c, 3, "宣传物料", "Publicity materials")?;
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
        let rows: Vec<(String, Vec<u64>)> = d
            .materials
            .iter()
            .map(|m| (format!("{}（{}）", m.name, m.unit), vec![m.planned, m.handed_out]))
            .collect();
        c.bar_chart(
            Some(t(lang, "图2  宣传物料计划与实际发放", "Figure 2. Materials planned vs handed out")),
            &rows,
            &[
                (t(lang, "计划", "planned"), Rgb(0.72, 0.72, 0.72)),
                (t(lang, "实际发放", "handed out"), geo.accent),
            ],
        )?;
    }
    h2(c, 4, "媒体报道", "Media coverage")?;
    if d.media.is_empty() {
        c.paragraph(t(lang, "暂无媒体报道记录。", "No media coverage recorded."))?;
    } else {
        let mut media = d.media.clone();
        media.sort_by_key(|m| m.channel);
        let by: Vec<String> =
            [Channel::Tv, Channel::Radio, Channel::Newspaper, Channel::Online, Channel::Social]
                .iter()
                .filter_map(|ch| {
                    let k = media.iter().filter(|m| m.channel == *ch).count();
                    (k > 0).then(|| match lang {
                        Lang::Zh => format!("{}{}篇（次）", channel(*ch, lang), k),
                        Lang::En => format!("{} {}", channel(*ch, lang), k),
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
                    channel(m.channel, lang).into(),
                    format_kind(m.format, lang).into(),
                    m.date.map(|x| x.format("%Y-%m-%d").to_string()).unwrap_or_default(),
                    m.headline.clone(),
                ]
            })
            .collect();
        c.table(&cols, &rows, false)?;
    }
    h2(c, 5, "消费纠纷受理", "Consumer disputes")?;
    {
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
    }

    // Comparison with earlier campaigns.
    h1(c, "与往年比较", "Compared with earlier campaigns")?;
    let mut prev: Vec<&crate::data::PreviousCampaign> =
        d.previous.iter().filter(|p| p.year != d.year).collect();
    prev.sort_by_key(|p| std::cmp::Reverse(p.year));
    if let Some(last) = prev.first() {
        let cols = [
            Col { title: t(lang, "指标", "Figure").into(), frac: 0.27, align: Align::Left },
            Col { title: format!("{}{}", d.year, t(lang, "年", "")), frac: 0.19, align: Align::Right },
            Col { title: format!("{}{}", last.year, t(lang, "年", "")), frac: 0.19, align: Align::Right },
            Col { title: t(lang, "变化", "Change").into(), frac: 0.22, align: Align::Right },
            Col { title: t(lang, "备注", "Note").into(), frac: 0.13, align: Align::Center },
        ];
        let now = figure_list(tot);
        let before = figure_list(&last.totals);
        let mut records = Vec::new();
        let rows: Vec<Vec<String>> = now
            .iter()
            .zip(before.iter())
            .enumerate()
            .map(|(i, (n, b))| {
                let best_before = prev.iter().map(|p| figure_list(&p.totals)[i].2).max().unwrap_or(0);
                let record = n.2 > best_before && n.2 > 0;
                if record {
                    records.push(t(lang, n.0, n.1).split('（').next().unwrap_or_default().to_string());
                }
                vec![
                    t(lang, n.0, n.1).to_string(),
                    fig_value(n.2, n.3, lang),
                    fig_value(b.2, b.3, lang),
                    change(n.2, b.2, if n.3 { Some(lang) } else { None }),
                    if record {
                        t(lang, "创历史新高", "record high").to_string()
                    } else {
                        String::new()
                    },
                ]
            })
            .collect();
        c.paragraph(&match lang {
            Lang::Zh if records.is_empty() => {
                format!("与{}年相比，各项主要指标变化如下表。", last.year)
            }
            Lang::Zh => format!("与{}年相比，{}创历史新高。", last.year, records.join("、")),
            Lang::En if records.is_empty() => {
                format!("Compared with {}, the main figures changed as below.", last.year)
            }
            Lang::En => format!(
                "Compared with {}, record highs were set for: {}.",
                last.year,
                records.join(", ").to_lowercase()
            ),
        })?;
        c.table(&cols, &rows, false)?;
    } else {
        c.paragraph(t(
            lang,
            "这是本组织在系统中记录的第一次活动，暂无往年数据可供比较。",
            "This is the organization's first campaign on record; there is nothing to compare with yet.",
        ))?;
    }

    // Next steps.
    h1(c, "下一步工作", "Next steps")?;
    let next: Vec<&crate::data::NarrativeSection> = d.sections.iter().filter(|s| s.next_steps).collect();
    if next.is_empty() {
        c.paragraph(&match lang {
            Lang::Zh => format!(
                "我们将以“3·15”为契机{}，进一步做好消费维权各项工作，切实维护广大消费者的合法权益。",
                if d.theme.trim().is_empty() { String::new() } else { format!("，紧紧围绕“{}”主题", d.theme.trim()) }
            ),
            Lang::En => "We will build on the day and keep protecting consumers' lawful rights and interests all year round.".to_string(),
        })?;
    } else {
        for (i, s) in next.iter().enumerate() {
            if !s.heading.trim().is_empty() {
                h2(c, i + 1, s.heading.trim(), s.heading.trim())?;
            }
            for p in &s.paragraphs {
                for part in p.split('\n').filter(|x| !x.trim().is_empty()) {
                    c.paragraph(part.trim())?;
                }
            }
        }
    }
    // Signature block: the organization and the date stay together.
    c.keep_together(3.0 * geo.body_pitch)?;
    c.space(geo.body_pitch);
    let sig = if d.organization.trim().is_empty() {
        t(lang, "消费者协会", "Consumers' Association").to_string()
    } else {
        d.organization.trim().to_string()
    };
    c.right(&sig)?;
    if let Some(dt) = date_text(d, lang) {
        c.right(&dt)?;
    }
    Ok(())
}
