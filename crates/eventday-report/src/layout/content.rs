//! What the report says, section by section, in Chinese or English.

use std::collections::BTreeSet;

mod photos;
pub(crate) use photos::{first_row_height as photos_first_row_height, grid as photo_grid, place_and_time};
mod addendum;
mod results;
mod sections;
pub use sections::narrative_part;
mod titles;

use super::{Compose, Metrics, Page};
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

/// The organization as the report names it (a placeholder when there is none).
fn org_name(d: &ReportData, lang: Lang) -> &str {
    let o = d.organization.trim();
    if o.is_empty() { t(lang, "消费者协会", "Consumers' Association") } else { o }
}

/// The report title: the one the organizers set, else "{组织}{年}年“3·15”活动总结".
#[must_use]
pub fn title_text(d: &ReportData, lang: Lang) -> String {
    let set = d.settings.title.trim();
    if !set.is_empty() {
        return set.to_string();
    }
    let org = org_name(d, lang);
    match lang {
        Lang::Zh => format!("{org}{}年“3·15”活动总结", d.year),
        Lang::En => format!("{org}: Summary of the {} “3·15” Campaign", d.year),
    }
}

/// The body that signs the report: the issuer set for the report, else the organization.
fn issuer(d: &ReportData, lang: Lang) -> String {
    let set = d.settings.issuer.trim();
    if set.is_empty() { org_name(d, lang).to_string() } else { set.to_string() }
}

fn join(items: &[String], lang: Lang) -> String {
    items.iter().map(|s| s.trim()).filter(|s| !s.is_empty()).collect::<Vec<_>>().join(t(lang, "、", ", "))
}

fn format_date(x: chrono::NaiveDate, lang: Lang) -> String {
    match lang {
        Lang::Zh => x.format("%Y年%-m月%-d日").to_string(),
        Lang::En => x.format("%-d %B %Y").to_string(),
    }
}

fn date_text(d: &ReportData, lang: Lang) -> Option<String> {
    d.date.map(|x| format_date(x, lang))
}

/// Money recovered as the report shows it: `None` when nobody recorded any (never "0.00元").
fn known_money(fen: i64, recorded: bool) -> Option<i64> {
    (recorded || fen != 0).then_some(fen)
}

/// Money recovered or "—" when nothing was recorded.
fn money_cell(fen: i64, recorded: bool, lang: Lang) -> String {
    known_money(fen, recorded).map_or_else(|| "—".to_string(), |f| money(f, lang))
}

/// Whether a text holds Chinese characters (then an English sentence leaves it out).
fn has_cjk(s: &str) -> bool {
    s.chars().any(|c| ('\u{3400}'..='\u{9fff}').contains(&c) || ('\u{f900}'..='\u{faff}').contains(&c))
}

/// The figures compared with earlier years, in order: labels, value (`None`: not recorded), money.
#[must_use]
pub fn figure_list(t_: &Totals) -> [(&'static str, &'static str, Option<i128>, bool); 8] {
    [
        ("接待群众（人次）", "Visitors", Some(i128::from(t_.visitors)), false),
        ("提供咨询（人次）", "Consultations", Some(i128::from(t_.consultations)), false),
        ("受理投诉（件）", "Complaints received", Some(i128::from(t_.complaints_received)), false),
        ("现场调解（件）", "Settled on site", Some(i128::from(t_.complaints_settled)), false),
        (
            "挽回经济损失",
            "Money recovered",
            known_money(t_.money_recovered_fen, t_.money_recorded).map(i128::from),
            true,
        ),
        ("参与单位（家）", "Participating units", Some(i128::from(t_.units)), false),
        ("主题展台（个）", "Themed booths", Some(i128::from(t_.booths)), false),
        ("活动（场）", "Activities", Some(i128::from(t_.activities)), false),
    ]
}

fn fig_value(v: Option<i128>, is_money: bool, lang: Lang) -> String {
    match v {
        None => "—".to_string(),
        Some(v) if is_money => money(i64::try_from(v).unwrap_or(i64::MAX), lang),
        Some(v) => count(u64::try_from(v).unwrap_or(0)),
    }
}

/// "政府部门3家" / "3 government agencies": one group of participating units.
fn group_count(g: &crate::data::UnitGroup, lang: Lang) -> String {
    let n = g.names.len();
    match (lang, g.class) {
        (Lang::Zh, Some(c)) => format!("{}{}家", c.label(lang), count(n as u64)),
        (Lang::Zh, None) => format!("{}{}家", g.kind.label(lang), count(n as u64)),
        (Lang::En, Some(c)) if n == 1 => format!("1 {}", c.label(lang)),
        (Lang::En, Some(c)) => format!("{} {}", count(n as u64), c.plural_en()),
        (Lang::En, None) if n == 1 => format!("1 {}", g.kind.label(lang)),
        (Lang::En, None) => format!("{} {}", count(n as u64), g.kind.plural_en()),
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
    let by_kind: Vec<String> =
        d.units.iter().filter(|g| !g.names.is_empty()).map(|g| group_count(g, lang)).collect();
    let date = date_text(d, lang);
    let money = known_money(tot.money_recovered_fen, tot.money_recorded).map(|f| money(f, lang));
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
                let verb = if d.attendance_from_check_ins { "参与" } else { "计划参加" };
                s.push_str(&format!("共有{}家单位{verb}", count(tot.units)));
                if !by_kind.is_empty() {
                    s.push_str(&format!("（{}）", by_kind.join("、")));
                }
                s.push('，');
            }
            s.push_str(&format!(
                "现场接待群众{}人次，提供咨询{}人次，受理投诉{}件，现场调解{}件",
                count(tot.visitors),
                count(tot.consultations),
                count(tot.complaints_received),
                count(tot.complaints_settled),
            ));
            if let Some(m) = money {
                s.push_str(&format!("，为消费者挽回经济损失{m}"));
            }
            s.push('。');
            s
        }
        Lang::En => {
            let org =
                if d.organization.trim().is_empty() { "the association" } else { d.organization.trim() };
            let mut s = match date {
                Some(dt) => format!("On {dt}, {org} held the “3·15” World Consumer Rights Day campaign"),
                None => format!("{} held the “3·15” World Consumer Rights Day campaign", capitalized(org)),
            };
            if !d.theme.trim().is_empty() && !has_cjk(&d.theme) {
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
                let verb = if d.attendance_from_check_ins { "took part" } else { "planned to take part" };
                s.push_str(&format!(" {} units {verb}", count(tot.units)));
                if !by_kind.is_empty() {
                    s.push_str(&format!(" ({})", by_kind.join(", ")));
                }
                s.push('.');
            }
            s.push_str(&format!(
                " The venues received {} visitors, gave {} consultations, took {} complaints and settled {} on site",
                count(tot.visitors),
                count(tot.consultations),
                count(tot.complaints_received),
                count(tot.complaints_settled),
            ));
            if let Some(m) = money {
                s.push_str(&format!(", recovering {m} for consumers"));
            }
            s.push('.');
            s
        }
    }
}

/// The text with its first letter in upper case.
fn capitalized(s: &str) -> String {
    let mut c = s.chars();
    c.next().map(|f| f.to_uppercase().chain(c).collect()).unwrap_or_default()
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
    super::composer::in_memory(metrics, lang, style, |c| write_report(c, d))
}

/// The whole report, section by section, on any back end (the PDF composer, the DOCX writer).
pub(crate) fn write_report(c: &mut dyn Compose, d: &ReportData) -> Result<(), ReportError> {
    use sections::Part;
    // The genre's order: opening, how the day was organized, results in figures, highlights,
    // problems, next steps; the organizers' sections fall into these parts by their key or heading.
    sections::title(c, d)?;
    sections::cover_figures(c, d)?;
    sections::opening_paragraph(c, d)?;
    let mut h = sections::Headings::new(c.lang());
    sections::narrative(c, d, Part::Organization, &mut h)?;
    sections::organization(c, d, &mut h)?;
    results::results(c, d, &mut h)?;
    sections::narrative(c, d, Part::Highlights, &mut h)?;
    photos::photos(c, d, &mut h)?;
    sections::narrative(c, d, Part::Problems, &mut h)?;
    sections::next_steps(c, d, &mut h)?;
    sections::signature(c, d)?;
    addendum::addendum(c, d)
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
