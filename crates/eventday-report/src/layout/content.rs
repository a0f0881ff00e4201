//! What the report says, section by section, in Chinese or English.

use std::collections::BTreeSet;

mod results;
mod sections;

use super::{Composer, Metrics, Page};
use crate::data::{ReportData, Totals, VenueKind};
use crate::fmt::{count, money};
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
pub fn figure_list(t_: &Totals) -> [(&'static str, &'static str, i128, bool); 8] {
    [
        ("接待群众（人次）", "Visitors", i128::from(t_.visitors), false),
        ("提供咨询（人次）", "Consultations", i128::from(t_.consultations), false),
        ("受理投诉（件）", "Complaints received", i128::from(t_.complaints_received), false),
        ("现场调解（件）", "Settled on site", i128::from(t_.complaints_settled), false),
        ("挽回经济损失", "Money recovered", i128::from(t_.money_recovered_fen), true),
        ("参与单位（家）", "Participating units", i128::from(t_.units), false),
        ("主题展台（个）", "Themed booths", i128::from(t_.booths), false),
        ("活动（场）", "Activities", i128::from(t_.activities), false),
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
            Lang::Zh => format!("{}{}家", g.kind.label(lang), count(g.names.len() as u64)),
            Lang::En => match g.names.len() {
                1 => format!("1 {}", g.kind.label(lang)),
                n => format!("{} {}", count(n as u64), g.kind.plural_en()),
            },
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
            s.push_str(&format!("组织开展了{}活动。", campaign_name_zh(&d.title, org)));
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

/// The whole report, section by section.
fn write_report(c: &mut Composer<'_, '_>, d: &ReportData) -> Result<(), ReportError> {
    sections::title(c, d)?;
    sections::cover_figures(c, d)?;
    sections::opening_paragraph(c, d)?;
    let mut h = sections::Headings::new(c.lang);
    sections::narrative(c, d, &mut h)?;
    sections::organization(c, d, &mut h)?;
    results::results(c, d, &mut h)?;
    sections::comparison(c, d, &mut h)?;
    sections::next_steps(c, d, &mut h)?;
    sections::signature(c, d)
}

/// The campaign as the opening sentence names it before "活动": its title without the
/// organization's name in front or "活动" at the end ("xx区消协2013年“3·15”活动" → "2013年“3·15”"),
/// so that the sentence says neither twice.
fn campaign_name_zh<'a>(title: &'a str, org: &str) -> &'a str {
    let title = title.trim();
    let title = title.strip_prefix(org).unwrap_or(title).trim_start();
    let title = title.strip_suffix("活动").unwrap_or(title).trim_end();
    if title.is_empty() { "“3·15”国际消费者权益日" } else { title }
}

#[cfg(test)]
mod tests {
    use super::campaign_name_zh;

    #[test]
    fn the_opening_names_the_campaign_without_repeating_the_organization_or_the_word_campaign() {
        let org = "xx区消费者协会";
        assert_eq!(campaign_name_zh("xx区消费者协会2013年“3·15”活动", org), "2013年“3·15”");
        assert_eq!(campaign_name_zh("“3·15”宣传周", org), "“3·15”宣传周");
        assert_eq!(campaign_name_zh("活动", org), "“3·15”国际消费者权益日");
        assert_eq!(campaign_name_zh("", org), "“3·15”国际消费者权益日");
    }
}
