//! The roll-up report, laid out as a city or province office writes its summary: the title, an
//! opening paragraph with the totals, a table with one row per district grouped by city (city
//! subtotals and the grand total), the top-N chart, notes explaining every mark, the signature, and
//! then the per-venue detail as an appendix.
//!
//! Both passes stream (see [`RollupItem`]): memory holds one page, one city's running subtotal and
//! the top-N heap, whatever the number of districts.

use std::cmp::Reverse;
use std::collections::{BTreeSet, BinaryHeap};

use super::{Align, Col, Compose, Composer, Metrics, PageSink, TextStyle};
use crate::data::{RollupHeader, RollupItem, Totals, VenueKind, VenueRow};
use crate::fmt::{count, money};
use crate::{Lang, ReportError, Style};

/// Endings of a consumer organization's name, longest first: "江汉区消费者协会" is the 江汉区 one.
const ORG_SUFFIXES: [&str; 6] =
    ["消费者权益保护委员会", "消费者权益保护协会", "消费者委员会", "消费者协会", "消委会", "消协"];

/// A name without its trailing qualifier in parentheses: ("合成省消费者委员会", Some("（40 区）")).
fn split_qualifier(name: &str) -> (&str, Option<&str>) {
    let name = name.trim();
    for (open, close) in [('（', '）'), ('(', ')')] {
        if name.ends_with(close)
            && let Some(i) = name.rfind(open)
            && i > 0
        {
            return (name[..i].trim_end(), Some(&name[i..]));
        }
    }
    (name, None)
}

/// The place an organization serves, from its name: "武汉市江汉区消费者协会" -> "武汉市江汉区"
/// (the name itself when it has no known ending or nothing is left without it).
#[must_use]
pub fn place_name(name: &str) -> &str {
    let (name, _) = split_qualifier(name);
    for s in ORG_SUFFIXES {
        if let Some(p) = name.strip_suffix(s)
            && !p.trim().is_empty()
        {
            return p.trim_end();
        }
    }
    name
}

/// A district's name within its city: "武汉市江汉区消费者协会" under "武汉市消费者协会" -> "江汉区".
#[must_use]
pub fn district_name(name: &str, parent: &str) -> String {
    let place = place_name(name);
    let city = place_name(parent);
    match place.strip_prefix(city) {
        Some(rest) if !city.is_empty() && !rest.trim().is_empty() => rest.trim().to_string(),
        _ => place.to_string(),
    }
}

/// Visitors and complaints received against the year before, one phrase each (none where the
/// year before has no figure to compare with).
fn year_over_year(now: &Totals, before: &Totals, lang: Lang) -> Vec<String> {
    let figs = [
        (if lang == Lang::Zh { "接待群众人次" } else { "visitors" }, now.visitors, before.visitors),
        (
            if lang == Lang::Zh { "受理投诉件数" } else { "complaints" },
            now.complaints_received,
            before.complaints_received,
        ),
    ];
    figs.into_iter()
        .filter_map(|(label, now, before)| {
            let x = percent(now, before)?;
            Some(match lang {
                Lang::Zh if x.abs() < 0.05 => format!("{label}与上年持平"),
                Lang::Zh if x > 0.0 => format!("{label}增长{x:.1}%"),
                Lang::Zh => format!("{label}下降{:.1}%", -x),
                Lang::En if x.abs() < 0.05 => format!("{label} held level"),
                Lang::En if x > 0.0 => format!("{label} rose {x:.1}%"),
                Lang::En => format!("{label} fell {:.1}%", -x),
            })
        })
        .collect()
}

/// The roll-up title on one line (document metadata).
#[must_use]
pub fn rollup_title(h: &RollupHeader, lang: Lang) -> String {
    let (org, _) = split_qualifier(&h.organization);
    match lang {
        Lang::Zh => format!("{org}{}", title_subject(h.year, lang)),
        Lang::En => format!("{org}: {}", title_subject(h.year, lang)),
    }
}

fn title_subject(year: i32, lang: Lang) -> String {
    match lang {
        Lang::Zh => format!("{year}年“3·15”活动情况汇总"),
        Lang::En => format!("“3·15” Campaign {year}: Roll-up"),
    }
}

fn add(a: &mut Totals, b: &Totals) {
    a.visitors = a.visitors.saturating_add(b.visitors);
    a.consultations = a.consultations.saturating_add(b.consultations);
    a.complaints_received = a.complaints_received.saturating_add(b.complaints_received);
    a.complaints_settled = a.complaints_settled.saturating_add(b.complaints_settled);
    a.money_recovered_fen = a.money_recovered_fen.saturating_add(b.money_recovered_fen);
    a.log_entries = a.log_entries.saturating_add(b.log_entries);
}

/// Money in a table cell: 万元 with two decimals in Chinese, whole yuan in English; "—" when nothing
/// was recorded.
fn money_cell(fen: i64, lang: Lang) -> String {
    if fen == 0 {
        return "—".into();
    }
    let sign = if fen < 0 { "-" } else { "" };
    let abs = i128::from(fen).unsigned_abs();
    match lang {
        Lang::Zh => {
            let h = (abs + 5_000) / 10_000;
            format!("{sign}{}.{:02}", count(u64::try_from(h / 100).unwrap_or(u64::MAX)), h % 100)
        }
        Lang::En => format!("{sign}{}", count(u64::try_from((abs + 50) / 100).unwrap_or(u64::MAX))),
    }
}

fn percent(now: u64, before: u64) -> Option<f64> {
    (before > 0).then(|| (now as f64 - before as f64) / before as f64 * 100.0)
}

fn date_text(h: &RollupHeader, lang: Lang) -> Option<String> {
    h.date.map(|x| match lang {
        Lang::Zh => x.format("%Y年%-m月%-d日").to_string(),
        Lang::En => x.format("%-d %B %Y").to_string(),
    })
}

/// The sentence that says what the roll-up counts: accepted submissions only, or everything
/// logged so far.
#[must_use]
pub fn basis_sentence(h: &RollupHeader, lang: Lang) -> String {
    match (lang, h.accepted_only) {
        (Lang::Zh, true) => "本汇总仅统计已报送并经上级审核通过的地区数据。".to_owned(),
        (Lang::Zh, false) => "本汇总统计截至目前录入的全部数据（含尚未报送或未经审核的地区）。".to_owned(),
        (Lang::En, true) => {
            "This roll-up counts only districts whose submissions were accepted by the level above.".to_owned()
        }
        (Lang::En, false) => {
            "This roll-up counts everything logged so far, including districts that have not submitted or whose submissions are not yet accepted."
                .to_owned()
        }
    }
}

/// The opening paragraph: who reported, the totals, the change on the year before, where to read
/// on; then what the roll-up counts (see [`basis_sentence`]).
#[must_use]
pub fn opening(h: &RollupHeader, lang: Lang, top_n: usize) -> Vec<String> {
    let mut out = opening_text(h, lang, top_n);
    out.push(basis_sentence(h, lang));
    out
}

fn opening_text(h: &RollupHeader, lang: Lang, top_n: usize) -> Vec<String> {
    let (org, _) = split_qualifier(&h.organization);
    let t = &h.totals;
    let reported = if h.districts_expected > 0 { h.districts_reporting } else { h.campaigns };
    let mut out = Vec::new();
    if h.campaigns == 0 {
        out.push(match lang {
            Lang::Zh => format!("{org}所辖地区尚未报送{}年“3·15”活动情况。", h.year),
            Lang::En => {
                format!("No district under {org} has reported on its {} “3·15” campaign yet.", h.year)
            }
        });
        return out;
    }
    match lang {
        Lang::Zh => {
            let who = if h.districts_expected > 0 {
                format!(
                    "{org}所辖{}个地区中，有{}个报送了活动情况",
                    count(h.districts_expected),
                    count(reported)
                )
            } else {
                format!("{org}所辖{}个地区报送了活动情况", count(reported))
            };
            let money_part = if h.money_recorded {
                format!("，为消费者挽回经济损失{}", money(t.money_recovered_fen, lang))
            } else {
                String::new()
            };
            let mut p = format!(
                "{}年“3·15”国际消费者权益日期间，{who}，共设活动会场{}个。各地共接待群众{}人次，提供咨询{}人次，受理投诉{}件、现场调解{}件{money_part}。",
                h.year,
                count(h.venues),
                count(t.visitors),
                count(t.consultations),
                count(t.complaints_received),
                count(t.complaints_settled),
            );
            if let Some(prev) = &h.previous {
                let parts = year_over_year(t, &prev.totals, lang);
                if !parts.is_empty() {
                    p.push_str(&format!("与{}年相比，{}。", prev.year, parts.join("，")));
                }
            }
            if h.venues_unaccepted > 0 {
                p.push_str(&format!(
                    "其中{}个会场的当日数据尚未经审核确认，表中以“*”标出。",
                    count(h.venues_unaccepted)
                ));
            }
            p.push_str(&format!("各地区情况见下表，接待人次前{top_n}名见图，各会场数据见附件。"));
            out.push(p);
        }
        Lang::En => {
            let who = if h.districts_expected > 0 {
                format!(
                    "{} of the {} districts under {org} reported",
                    count(reported),
                    count(h.districts_expected)
                )
            } else {
                format!("{} districts under {org} reported", count(reported))
            };
            let money_part = if h.money_recorded {
                format!(", and recovered {} for consumers", money(t.money_recovered_fen, lang))
            } else {
                String::new()
            };
            let mut p = format!(
                "During the {} “3·15” World Consumer Rights Day campaign, {who}, with {} venues in all. Together they received {} visitors, gave {} consultations, received {} complaints and settled {} on site{money_part}.",
                h.year,
                count(h.venues),
                count(t.visitors),
                count(t.consultations),
                count(t.complaints_received),
                count(t.complaints_settled),
            );
            if let Some(prev) = &h.previous {
                let parts = year_over_year(t, &prev.totals, lang);
                if !parts.is_empty() {
                    p.push_str(&format!(" Compared with {}, {}.", prev.year, parts.join(" and ")));
                }
            }
            if h.venues_unaccepted > 0 {
                p.push_str(&format!(
                    " The figures of {} venues have not yet been accepted by their organizers; they are marked “*”.",
                    count(h.venues_unaccepted)
                ));
            }
            p.push_str(&format!(
                " The table below gives each district, the chart the top {top_n} by visitors, and the appendix every venue."
            ));
            out.push(p);
        }
    }
    out
}

/// Lays out a roll-up, handing each finished page to `sink`; returns (pages, missing characters,
/// districts in the district table).
///
/// # Errors
/// When the sink fails.
pub fn layout_rollup<'s>(
    header: &RollupHeader,
    items: impl Iterator<Item = RollupItem>,
    lang: Lang,
    style: Style,
    metrics: &dyn Metrics,
    sink: &'s mut PageSink<'s>,
) -> Result<(usize, BTreeSet<char>, usize), ReportError> {
    let mut c = Composer::new(metrics, lang, style, sink);
    let n = write_rollup(&mut c, header, items)?;
    let (pages, missing) = c.finish()?;
    Ok((pages, missing, n))
}

/// The whole roll-up on any back end; returns the number of districts in the district table.
///
/// # Errors
/// When the back end fails to write.
pub(crate) fn write_rollup(
    c: &mut dyn Compose,
    header: &RollupHeader,
    items: impl Iterator<Item = RollupItem>,
) -> Result<usize, ReportError> {
    let lang = c.lang();
    let style = c.geo().style;
    let t = |zh: &'static str, en: &'static str| match lang {
        Lang::Zh => zh,
        Lang::En => en,
    };
    let top_n = if header.top_n == 0 { 10 } else { header.top_n.min(50) };
    let with_money = header.money_recorded;
    let geo = c.geo().clone();
    let (org, qualifier) = split_qualifier(&header.organization);
    let org = if org.is_empty() { t("消费者协会", "Consumers' Association") } else { org };

    // Title: the organization on its line, the subject on the next, a qualifier in small type.
    let pitch = geo.title.size * 1.6;
    c.centered(org, geo.title, pitch)?;
    c.centered(&title_subject(header.year, lang), geo.title, pitch)?;
    if let Some(q) = qualifier {
        c.centered(q, geo.body, geo.body_pitch)?;
    }
    c.space(geo.body_pitch * 0.5);
    for p in opening(header, lang, top_n) {
        c.paragraph(&p)?;
    }
    if style == Style::Modern {
        c.space(4.0);
        let t_ = &header.totals;
        let reported = if header.districts_expected > 0 {
            format!("{} / {}", count(header.districts_reporting), count(header.districts_expected))
        } else {
            count(header.campaigns)
        };
        let mut figs = vec![
            (reported, t("报送地区", "Districts reporting").to_string()),
            (count(t_.visitors), t("接待群众（人次）", "Visitors").to_string()),
            (count(t_.consultations), t("提供咨询（人次）", "Consultations").to_string()),
            (
                format!("{} / {}", count(t_.complaints_received), count(t_.complaints_settled)),
                t("受理 / 调解投诉（件）", "Complaints received / settled").to_string(),
            ),
            (count(header.venues), t("活动会场（个）", "Venues").to_string()),
        ];
        if with_money {
            figs.push((
                money(t_.money_recovered_fen, lang),
                t("挽回经济损失", "Money recovered").to_string(),
            ));
        }
        c.key_figures(&figs)?;
    }

    // The district table.
    c.heading(t("一、各地区活动情况", "1. Districts"), 1)?;
    let mut cols = vec![
        Col { title: t("市", "City").into(), frac: 0.13, align: Align::Left },
        Col { title: t("区（县）", "District").into(), frac: 0.12, align: Align::Left },
        Col { title: t("会场", "Venues").into(), frac: 0.07, align: Align::Right },
        Col { title: t("接待人次", "Visitors").into(), frac: 0.13, align: Align::Right },
        Col { title: t("咨询人次", "Advice").into(), frac: 0.13, align: Align::Right },
        Col { title: t("受理投诉", "Complaints").into(), frac: 0.13, align: Align::Right },
        Col { title: t("调解成功", "Settled").into(), frac: 0.13, align: Align::Right },
    ];
    if with_money {
        cols.push(Col {
            title: t("挽回损失（万元）", "Recovered (¥)").into(),
            frac: 0.16,
            align: Align::Right,
        });
    }
    let cells = |city: String, district: String, venues: String, x: &Totals| {
        let mut r = vec![
            city,
            district,
            venues,
            count(x.visitors),
            count(x.consultations),
            count(x.complaints_received),
            count(x.complaints_settled),
        ];
        if with_money {
            r.push(money_cell(x.money_recovered_fen, lang));
        }
        r
    };
    let mut items = items.peekable();
    c.table_start(cols)?;
    let mut grand = Totals::default();
    let mut grand_venues = 0u64;
    let mut n = 0usize;
    let mut heap: BinaryHeap<Reverse<(u64, usize, String)>> = BinaryHeap::new();
    // The current city: its name, subtotal, venues and rows so far.
    let mut city: Option<(String, Totals, u64, usize)> = None;
    let mut groups = 0usize;
    let (mut starred, mut dashed) = (false, false);
    let subtotal = |c: &mut dyn Compose, city: &(String, Totals, u64, usize)| {
        let (_, tot, venues, rows) = city;
        if *rows < 2 {
            return Ok(());
        }
        c.table_row(&cells(String::new(), t("小计", "Subtotal").into(), count(*venues), tot), true)
    };
    while let Some(RollupItem::District(_)) = items.peek() {
        let Some(RollupItem::District(d)) = items.next() else { break };
        n += 1;
        add(&mut grand, &d.totals);
        grand_venues = grand_venues.saturating_add(d.venue_count);
        let label = place_name(&d.name).to_string();
        heap.push(Reverse((d.totals.visitors, usize::MAX - n, label)));
        if heap.len() > top_n {
            heap.pop();
        }
        let new_city = city.as_ref().is_none_or(|x| x.0 != d.parent);
        if new_city {
            if let Some(prev) = city.take() {
                subtotal(c, &prev)?;
            }
            groups += 1;
            city = Some((d.parent.clone(), Totals::default(), 0, 0));
        }
        let Some(cur) = city.as_mut() else { break };
        add(&mut cur.1, &d.totals);
        cur.2 = cur.2.saturating_add(d.venue_count);
        cur.3 += 1;
        // The city is named on its first row, and again at the top of a page.
        let city_cell = if new_city || c.table_row_starts_page() {
            place_name(&d.parent).to_string()
        } else {
            String::new()
        };
        let mut name = district_name(&d.name, &d.parent);
        if d.venues_unaccepted > 0 {
            name.push('*');
            starred = true;
        }
        dashed |= with_money && d.totals.money_recovered_fen == 0;
        c.table_row(&cells(city_cell, name, count(d.venue_count), &d.totals), false)?;
    }
    if let Some(last) = city.take()
        && groups > 1
    {
        subtotal(c, &last)?;
    }
    if n == 0 {
        c.table_row(&[String::new(), t("暂无数据", "No data yet").to_string()], false)?;
    } else if n > 1 {
        dashed |= with_money && grand.money_recovered_fen == 0;
        c.table_row(&cells(t("合计", "Total").into(), String::new(), count(grand_venues), &grand), true)?;
    }
    c.table_end();
    let mut notes = Vec::new();
    match lang {
        Lang::Zh => {
            notes.push("各地区数字为其所属各会场当日记录的合计。".to_string());
            if starred {
                notes.push(format!(
                    "标“*”的地区有会场的当日数据尚未经审核确认（共{}个会场），数字可能变动。",
                    count(header.venues_unaccepted)
                ));
            }
            if dashed {
                notes.push("“—”表示未记录挽回经济损失。".to_string());
            }
        }
        Lang::En => {
            notes.push("A district's figures are the sums of its venues' records of the day.".to_string());
            if starred {
                notes.push(format!(
                    "“*”: some of the district's venues have figures not yet accepted by the organizer ({} venues in all); they may still change.",
                    count(header.venues_unaccepted)
                ));
            }
            if dashed {
                notes.push("“—”: no money recovered was recorded.".to_string());
            }
        }
    }
    let note = match (lang, notes.len()) {
        (Lang::Zh, 1) => format!("注：{}", notes[0]),
        (Lang::Zh, _) => format!(
            "注：{}",
            notes.iter().enumerate().map(|(i, s)| format!("{}. {s}", i + 1)).collect::<String>()
        ),
        (Lang::En, _) => format!("Notes: {}", notes.join(" ")),
    };
    c.note(&note)?;

    // The top-N chart, its heading kept with it.
    let title = match lang {
        Lang::Zh => format!("二、接待人次前{top_n}名"),
        Lang::En => format!("2. Top {top_n} districts by visitors"),
    };
    let mut top: Vec<(u64, usize, String)> = heap.into_iter().map(|Reverse(x)| x).collect();
    top.sort_by(|a, b| b.0.cmp(&a.0).then(b.1.cmp(&a.1)));
    let rows: Vec<(String, Vec<u64>)> = top.into_iter().map(|(v, _, name)| (name, vec![v])).collect();
    c.keep_heading_with_chart(rows.len().max(2), 1)?;
    c.heading(&title, 1)?;
    if rows.is_empty() {
        c.paragraph(t("暂无数据。", "No data yet."))?;
    } else {
        c.bar_chart(None, &rows, &[(t("接待人次", "visitors"), geo.accent)])?;
    }

    // The signature: the issuing organization and the date.
    c.keep_together(3.0 * geo.body_pitch)?;
    c.space(geo.body_pitch);
    c.right(org)?;
    if let Some(d) = date_text(header, lang) {
        c.right(&d)?;
    }

    // The appendix: every venue, district by district.
    let mut appendix = false;
    for item in items {
        let RollupItem::Detail(d) = item else { continue };
        if !appendix {
            start_appendix(c, header, org, lang, with_money)?;
            appendix = true;
        }
        let head = cells_venue(place_name(&d.name).to_string(), &d.totals, with_money, lang);
        c.table_row(&head, true)?;
        for v in &d.venues {
            c.table_row(&venue_cells(v, with_money, lang), false)?;
        }
    }
    if appendix {
        c.table_end();
    }
    Ok(n)
}

fn cells_venue(name: String, x: &Totals, with_money: bool, lang: Lang) -> Vec<String> {
    let mut r = vec![
        name,
        count(x.visitors),
        count(x.consultations),
        count(x.complaints_received),
        count(x.complaints_settled),
    ];
    if with_money {
        r.push(money_cell(x.money_recovered_fen, lang));
    }
    r
}

fn venue_cells(v: &VenueRow, with_money: bool, lang: Lang) -> Vec<String> {
    let main = if v.kind == VenueKind::Main && !v.name.contains("主会场") && !v.name.contains("main venue")
    {
        match lang {
            Lang::Zh => "（主会场）",
            Lang::En => " (main venue)",
        }
    } else {
        ""
    };
    let star = if v.accepted { "" } else { "*" };
    let x = Totals {
        visitors: v.visitors,
        consultations: v.consultations,
        complaints_received: v.complaints_received,
        complaints_settled: v.complaints_settled,
        money_recovered_fen: v.money_recovered_fen,
        ..Totals::default()
    };
    cells_venue(format!("　{}{main}{star}", v.name.trim()), &x, with_money, lang)
}

/// Starts the appendix on a new page: the 附件 label, its title, the notes on its marks, the table header.
fn start_appendix(
    c: &mut dyn Compose,
    h: &RollupHeader,
    org: &str,
    lang: Lang,
    with_money: bool,
) -> Result<(), ReportError> {
    let t = |zh: &'static str, en: &'static str| match lang {
        Lang::Zh => zh,
        Lang::En => en,
    };
    c.page_break()?;
    let geo = c.geo().clone();
    c.label(t("附件", "Appendix"), TextStyle { bold: true, ..geo.h1 })?;
    c.space(geo.body_pitch * 0.5);
    let title = match lang {
        Lang::Zh => format!("{}年“3·15”活动各会场数据", h.year),
        Lang::En => format!("“3·15” Campaign {}: Figures by Venue", h.year),
    };
    let pitch = geo.title.size * 1.5;
    let sub = TextStyle { size: geo.title.size * 0.8, ..geo.title };
    c.centered(&title, sub, pitch)?;
    c.space(geo.body_pitch * 0.5);
    let mut notes = vec![match lang {
        Lang::Zh => format!("按地区列出{}的各会场，加粗行为地区合计。", org),
        Lang::En => format!("Every venue of {org}, district by district; bold rows are district totals."),
    }];
    if h.venues_unaccepted > 0 {
        notes.push(
            t(
                "标“*”的会场当日数据尚未经组织者审核确认（填报中或已提交），数字可能变动。",
                "“*”: the venue's figures have not yet been accepted by the organizer (still open or submitted); they may change.",
            )
            .into(),
        );
    }
    if with_money {
        notes.push(
            t("“—”表示该会场未记录挽回经济损失。", "“—”: the venue recorded no money recovered.").into(),
        );
    }
    c.note(&notes.join(if lang == Lang::Zh { "" } else { " " }))?;
    let mut cols = vec![
        Col { title: t("地区／会场", "District / venue").into(), frac: 0.32, align: Align::Left },
        Col { title: t("接待人次", "Visitors").into(), frac: 0.13, align: Align::Right },
        Col { title: t("咨询人次", "Advice").into(), frac: 0.13, align: Align::Right },
        Col { title: t("受理投诉", "Complaints").into(), frac: 0.13, align: Align::Right },
        Col { title: t("调解成功", "Settled").into(), frac: 0.13, align: Align::Right },
    ];
    if with_money {
        cols.push(Col {
            title: t("挽回损失（万元）", "Recovered (¥)").into(),
            frac: 0.16,
            align: Align::Right,
        });
    }
    c.table_start(cols)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_lose_their_organization_ending_and_their_city() {
        assert_eq!(place_name("武汉市江汉区消费者协会"), "武汉市江汉区");
        assert_eq!(district_name("武汉市江汉区消费者协会", "武汉市消费者协会"), "江汉区");
        assert_eq!(district_name("合成001市01区消费者协会", "合成001市消费者协会"), "01区");
        assert_eq!(district_name("江汉区消协", "武汉市消费者委员会"), "江汉区");
        assert_eq!(place_name("消费者协会"), "消费者协会");
        assert_eq!(split_qualifier("合成省消费者委员会（40 区，种子 1，2026 年）").0, "合成省消费者委员会");
        assert_eq!(split_qualifier("（仅括号）"), ("（仅括号）", None));
    }

    #[test]
    fn money_cells_say_not_recorded_rather_than_zero() {
        assert_eq!(money_cell(0, Lang::Zh), "—");
        assert_eq!(money_cell(123_456_789, Lang::Zh), "123.46");
        assert_eq!(money_cell(123_456_789, Lang::En), "1,234,568");
    }
}
