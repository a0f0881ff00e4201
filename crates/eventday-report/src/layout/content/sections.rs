//! The sections of a campaign report, one function each, in the order [`super::write_report`] calls them.

use super::{chinese_number, date_text, fig_value, figure_list, has_data, join, opening, t, title_text};
use crate::data::{ReportData, VenueKind};
use crate::fmt::{change, count, money};
use crate::layout::{Align, Col, Composer, Rgb};
use crate::{Lang, ReportError, Style};
use eventday_domain::validate::strip_heading_number;

/// Numbers the headings: "一、" / "1." at level 1 (counted through the report), "（一）" / "(a)" at level 2.
/// A number the writer typed in front of a heading is dropped first, so it is never numbered twice.
pub(super) struct Headings {
    lang: Lang,
    sec: usize,
}

impl Headings {
    pub(super) fn new(lang: Lang) -> Self {
        Self { lang, sec: 0 }
    }

    /// The next level-1 heading.
    pub(super) fn h1(&mut self, c: &mut Composer<'_, '_>, zh: &str, en: &str) -> Result<(), ReportError> {
        self.sec += 1;
        let sec = self.sec;
        let (zh, en) = (strip_heading_number(zh), strip_heading_number(en));
        let text = match self.lang {
            Lang::Zh => format!("{}、{zh}", chinese_number(sec)),
            Lang::En => format!("{sec}. {en}"),
        };
        c.heading(&text, 1)
    }

    /// Level-2 heading number `n` (1-based) under the current level-1 heading.
    pub(super) fn h2(
        &self,
        c: &mut Composer<'_, '_>,
        n: usize,
        zh: &str,
        en: &str,
    ) -> Result<(), ReportError> {
        let (zh, en) = (strip_heading_number(zh), strip_heading_number(en));
        let text = match self.lang {
            Lang::Zh => format!("（{}）{zh}", chinese_number(n)),
            Lang::En => format!("({}) {en}", char::from(b'a' + (n.saturating_sub(1) % 26) as u8)),
        };
        c.heading(&text, 2)
    }
}

/// The title and, in the modern style, a subtitle (campaign title · date).
pub(super) fn title(c: &mut Composer<'_, '_>, d: &ReportData) -> Result<(), ReportError> {
    let lang = c.lang;
    let geo = c.geo.clone();
    let gb = geo.style == Style::Gbt9704;
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
    Ok(())
}

/// The modern style's block of key figures under the title.
pub(super) fn cover_figures(c: &mut Composer<'_, '_>, d: &ReportData) -> Result<(), ReportError> {
    let lang = c.lang;
    let gb = c.geo.style == Style::Gbt9704;
    let tot = &d.totals;
    if !gb && has_data(d) {
        let subs = d.venues.iter().filter(|v| v.kind == VenueKind::Sub).count() as u64;
        let figs = vec![
            (count(tot.visitors), t(lang, "接待群众（人次）", "visitors").to_string()),
            (count(tot.consultations), t(lang, "提供咨询（人次）", "consultations").to_string()),
            (count(tot.complaints_received), t(lang, "受理投诉（件）", "complaints received").to_string()),
            (money(tot.money_recovered_fen, lang), t(lang, "挽回经济损失", "money recovered").to_string()),
            (
                format!("1 + {}", count(subs)),
                match lang {
                    Lang::Zh => format!("{} + {}", VenueKind::Main.label(lang), VenueKind::Sub.label(lang)),
                    Lang::En => format!("{} + {}", VenueKind::Main.label(lang), VenueKind::Sub.plural_en()),
                },
            ),
            (count(tot.units), t(lang, "参与单位（家）", "participating units").to_string()),
        ];
        c.key_figures(&figs)?;
        c.space(6.0);
    }
    Ok(())
}

/// The opening paragraph filled from the data, or a note that there is none yet.
pub(super) fn opening_paragraph(c: &mut Composer<'_, '_>, d: &ReportData) -> Result<(), ReportError> {
    let lang = c.lang;
    if !has_data(d) {
        c.paragraph(t(
            lang,
            "本次活动尚无数据：还没有登记会场，也没有现场记录。会场设立并开始记录后，本报告将自动填入各项数字、表格和图表。",
            "There is no data for this campaign yet: no venues have been set up and nothing has been logged. Once venues log the day, this report fills in its figures, tables and charts by itself.",
        ))?;
    } else {
        c.paragraph(&opening(d, lang))?;
    }
    Ok(())
}

/// The organizers' narrative sections (all but the "next steps" ones).
pub(super) fn narrative(
    c: &mut Composer<'_, '_>,
    d: &ReportData,
    h: &mut Headings,
) -> Result<(), ReportError> {
    let lang = c.lang;
    for s in d.sections.iter().filter(|s| !s.next_steps) {
        let heading = s.heading.trim();
        let heading = if heading.is_empty() { t(lang, "活动情况", "The campaign") } else { heading };
        h.h1(c, heading, heading)?;
        for p in &s.paragraphs {
            for part in p.split('\n').filter(|x| !x.trim().is_empty()) {
                c.paragraph(part.trim())?;
            }
        }
    }
    Ok(())
}

/// How the day was organized: units, reconciliation members, booths, activities, officials (each part only when it has rows).
pub(super) fn organization(
    c: &mut Composer<'_, '_>,
    d: &ReportData,
    h: &mut Headings,
) -> Result<(), ReportError> {
    let any_org = !d.units.is_empty()
        || !d.reconciliation_members.is_empty()
        || !d.booths.is_empty()
        || !d.activities.is_empty()
        || !d.officials.is_empty();
    if !any_org {
        return Ok(());
    }
    h.h1(c, "活动组织情况", "How the day was organized")?;
    let mut n = 0;
    if !d.units.is_empty() {
        n += 1;
        units(c, d, h, n)?;
    }
    if !d.reconciliation_members.is_empty() {
        n += 1;
        reconciliation_members(c, d, h, n)?;
    }
    if !d.booths.is_empty() {
        n += 1;
        booths(c, d, h, n)?;
    }
    if !d.activities.is_empty() {
        n += 1;
        activities(c, d, h, n)?;
    }
    if !d.officials.is_empty() {
        n += 1;
        officials(c, d, h, n)?;
    }
    Ok(())
}

/// Participating units, one paragraph per kind.
fn units(c: &mut Composer<'_, '_>, d: &ReportData, h: &Headings, n: usize) -> Result<(), ReportError> {
    let lang = c.lang;
    h.h2(c, n, "参与单位", "Participating units")?;
    let mut groups = d.units.clone();
    groups.sort_by_key(|g| g.kind);
    for g in groups.iter().filter(|g| !g.names.is_empty()) {
        let line = match lang {
            Lang::Zh => format!(
                "{}（{}家）：{}。",
                g.kind.label(lang),
                count(g.names.len() as u64),
                join(&g.names, lang)
            ),
            Lang::En => {
                let mut k =
                    if g.names.len() == 1 { g.kind.label(lang).to_owned() } else { g.kind.plural_en() };
                if let Some(f) = k.get_mut(0..1) {
                    f.make_ascii_uppercase();
                }
                format!("{k} ({}): {}.", count(g.names.len() as u64), join(&g.names, lang))
            }
        };
        c.paragraph(&line)?;
    }
    Ok(())
}

/// The enterprises that joined the reconciliation platform.
fn reconciliation_members(
    c: &mut Composer<'_, '_>,
    d: &ReportData,
    h: &Headings,
    n: usize,
) -> Result<(), ReportError> {
    let lang = c.lang;
    h.h2(c, n, "消费纠纷和解单位", "Reconciliation platform members")?;
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
    Ok(())
}

/// The themed booths table.
fn booths(c: &mut Composer<'_, '_>, d: &ReportData, h: &Headings, n: usize) -> Result<(), ReportError> {
    let lang = c.lang;
    h.h2(c, n, "主题展台", "Themed booths")?;
    let cols = [
        Col { title: t(lang, "会场", "Venue").into(), frac: 0.28, align: Align::Left },
        Col { title: t(lang, "主题", "Topic").into(), frac: 0.32, align: Align::Left },
        Col { title: t(lang, "承办单位", "Staffed by").into(), frac: 0.40, align: Align::Left },
    ];
    let rows: Vec<Vec<String>> =
        d.booths.iter().map(|b| vec![b.venue.clone(), b.topic.clone(), join(&b.units, lang)]).collect();
    c.table(&cols, &rows, false)?;
    Ok(())
}

/// The outreach activities table.
fn activities(c: &mut Composer<'_, '_>, d: &ReportData, h: &Headings, n: usize) -> Result<(), ReportError> {
    let lang = c.lang;
    h.h2(c, n, "进社区、进校园等活动", "Outreach activities")?;
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
                a.kind.label(lang).into(),
                a.title.clone(),
                a.place.clone(),
                count(a.participants),
            ]
        })
        .collect();
    c.table(&cols, &rows, false)?;
    Ok(())
}

/// The officials who attended.
fn officials(c: &mut Composer<'_, '_>, d: &ReportData, h: &Headings, n: usize) -> Result<(), ReportError> {
    let lang = c.lang;
    h.h2(c, n, "出席领导", "Officials attending")?;
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
    Ok(())
}

/// Comparison with the latest earlier campaign, with record highs over all earlier ones.
pub(super) fn comparison(
    c: &mut Composer<'_, '_>,
    d: &ReportData,
    h: &mut Headings,
) -> Result<(), ReportError> {
    let lang = c.lang;
    let tot = &d.totals;
    let mut prev: Vec<&crate::data::PreviousCampaign> =
        d.previous.iter().filter(|p| p.year != d.year).collect();
    prev.sort_by_key(|p| std::cmp::Reverse(p.year));
    // A summary speaks of the campaign: without an earlier one there is no comparison section
    // at all (no sentence about records kept).
    if prev.is_empty() {
        return Ok(());
    }
    h.h1(c, "与往年比较", "Compared with earlier campaigns")?;
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
    }
    Ok(())
}

/// The "next steps" narrative, or a closing sentence when there is none.
pub(super) fn next_steps(
    c: &mut Composer<'_, '_>,
    d: &ReportData,
    h: &mut Headings,
) -> Result<(), ReportError> {
    let lang = c.lang;
    h.h1(c, "下一步工作", "Next steps")?;
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
                h.h2(c, i + 1, s.heading.trim(), s.heading.trim())?;
            }
            for p in &s.paragraphs {
                for part in p.split('\n').filter(|x| !x.trim().is_empty()) {
                    c.paragraph(part.trim())?;
                }
            }
        }
    }
    Ok(())
}

/// The signature block: the organization and the date, kept together.
pub(super) fn signature(c: &mut Composer<'_, '_>, d: &ReportData) -> Result<(), ReportError> {
    let lang = c.lang;
    let geo = c.geo.clone();
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
