//! The sections of a campaign report, one function each, in the order [`super::write_report`] calls them.

use super::{
    capitalized, chinese_number, date_text, fig_value, figure_list, format_date, has_cjk, has_data, issuer,
    join, known_money, opening, t, title_text,
};
use crate::data::{NarrativeSection, OfficialRow, ReportData, VenueKind};
use crate::fmt::{change, count, money};
use crate::layout::{Align, Col, Compose, Rgb};
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
    pub(super) fn h1(&mut self, c: &mut dyn Compose, zh: &str, en: &str) -> Result<(), ReportError> {
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
    pub(super) fn h2(&self, c: &mut dyn Compose, n: usize, zh: &str, en: &str) -> Result<(), ReportError> {
        let (zh, en) = (strip_heading_number(zh), strip_heading_number(en));
        let text = match self.lang {
            Lang::Zh => format!("（{}）{zh}", chinese_number(n)),
            Lang::En => format!("({}) {en}", char::from(b'a' + (n.saturating_sub(1) % 26) as u8)),
        };
        c.heading(&text, 2)
    }
}

/// Where an organizers' section belongs in the report.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Part {
    /// The opening (purpose; ends with "现将活动情况总结如下"): unnumbered, after the opening paragraph.
    Opening,
    /// How the day was organized and what was done.
    Organization,
    /// The results: heads the results section, before its figures.
    Results,
    /// Highlights and new forms of work.
    Highlights,
    /// Problems found.
    Problems,
    /// Next steps.
    NextSteps,
}

/// The part a section belongs to: "next steps" by its flag, else by its key
/// (`purpose`, `results`, `highlights`, `problems` ...), else by words of its heading.
pub(super) fn part_of(s: &NarrativeSection) -> Part {
    if s.next_steps {
        return Part::NextSteps;
    }
    let key = s.key.trim().to_ascii_lowercase();
    let heading = s.heading.to_lowercase();
    let has = |words: &[&str]| words.iter().any(|w| key.contains(w) || heading.contains(w));
    if has(&["purpose", "opening", "intro", "活动目的", "前言"]) {
        Part::Opening
    } else if has(&["problem", "shortcoming", "问题", "不足"]) {
        Part::Problems
    } else if has(&["highlight", "innovation", "亮点", "特色", "创新"]) {
        Part::Highlights
    } else if has(&["result", "成效", "效果", "成果"]) {
        Part::Results
    } else {
        Part::Organization
    }
}

/// The organizers' sections of one part, in their order (none when the narrative is only in the
/// other language: the report does not silently switch language).
pub(super) fn sections_of(d: &ReportData, part: Part) -> Vec<&NarrativeSection> {
    if d.narrative_only_in_other_language {
        return Vec::new();
    }
    d.sections.iter().filter(|s| part_of(s) == part).collect()
}

/// A section's paragraphs (a stored paragraph may hold several lines).
pub(super) fn paragraphs(c: &mut dyn Compose, s: &NarrativeSection) -> Result<(), ReportError> {
    for p in &s.paragraphs {
        for part in p.split('\n').filter(|x| !x.trim().is_empty()) {
            c.paragraph(part.trim())?;
        }
    }
    Ok(())
}

/// The title, the subtitle (the one set for the report, else in the modern style the campaign's
/// date), and the 主送 line when one is set.
pub(super) fn title(c: &mut dyn Compose, d: &ReportData) -> Result<(), ReportError> {
    let lang = c.lang();
    let geo = c.geo().clone();
    let gb = geo.style == Style::Gbt9704;
    if gb {
        c.space(geo.body_pitch);
    }
    c.centered(&title_text(d, lang), geo.title, geo.title.size * 1.6)?;
    let subtitle = d.settings.subtitle.trim();
    if !subtitle.is_empty() {
        let st = if gb { geo.body } else { geo.small.color(Rgb(0.35, 0.35, 0.35)) };
        c.centered(subtitle, st, if gb { geo.body_pitch } else { geo.small_pitch * 1.3 })?;
    } else if let Some(dt) = date_text(d, lang)
        && !gb
    {
        c.centered(&dt, geo.small.color(Rgb(0.35, 0.35, 0.35)), geo.small_pitch * 1.3)?;
    }
    c.space(if gb { geo.body_pitch } else { 8.0 });
    let to = d.settings.addressee.trim();
    if !to.is_empty() {
        c.flush(&match lang {
            Lang::Zh => format!("{}：", to.trim_end_matches(['：', ':'])),
            Lang::En => format!("To: {to}"),
        })?;
    }
    Ok(())
}

/// The modern style's block of key figures under the title (money only when recorded).
pub(super) fn cover_figures(c: &mut dyn Compose, d: &ReportData) -> Result<(), ReportError> {
    let lang = c.lang();
    let gb = c.geo().style == Style::Gbt9704;
    let tot = &d.totals;
    if !gb && has_data(d) {
        let subs = d.venues.iter().filter(|v| v.kind == VenueKind::Sub).count() as u64;
        let mut figs = vec![
            (count(tot.visitors), t(lang, "接待群众（人次）", "visitors").to_string()),
            (count(tot.consultations), t(lang, "提供咨询（人次）", "consultations").to_string()),
            (count(tot.complaints_received), t(lang, "受理投诉（件）", "complaints received").to_string()),
        ];
        if let Some(m) = known_money(tot.money_recovered_fen, tot.money_recorded) {
            figs.push((money(m, lang), t(lang, "挽回经济损失", "money recovered").to_string()));
        } else {
            figs.push((
                count(tot.complaints_settled),
                t(lang, "现场调解（件）", "settled on site").to_string(),
            ));
        }
        figs.push((
            format!("1 + {}", count(subs)),
            match lang {
                Lang::Zh => format!("{} + {}", VenueKind::Main.label(lang), VenueKind::Sub.label(lang)),
                Lang::En => format!("{} + {}", VenueKind::Main.label(lang), VenueKind::Sub.plural_en()),
            },
        ));
        figs.push((count(tot.units), t(lang, "参与单位（家）", "participating units").to_string()));
        c.key_figures(&figs)?;
        c.space(6.0);
    }
    Ok(())
}

/// The opening: the paragraph filled from the data (or a note that there is none yet), then
/// the organizers' opening sections, unnumbered; a note when the narrative is only in the
/// other language.
pub(super) fn opening_paragraph(c: &mut dyn Compose, d: &ReportData) -> Result<(), ReportError> {
    let lang = c.lang();
    if !has_data(d) {
        c.paragraph(t(
            lang,
            "本次活动尚无数据：还没有登记会场，各会场的现场数字也还没有报来。会场设立并报来数字后，本报告的各项数字、表格和图表随之填入。",
            "There is no data for this campaign yet: no venues have been set up and no venue has reported its figures. Once the venues report the day, the figures, tables and charts of this report fill in.",
        ))?;
    } else {
        c.paragraph(&opening(d, lang))?;
    }
    for s in sections_of(d, Part::Opening) {
        paragraphs(c, s)?;
    }
    if d.narrative_only_in_other_language {
        c.note(t(
            lang,
            "注：本报告的文字部分目前只有英文稿，此处从略。",
            "Note: the narrative of this report has been written in Chinese only; it is not included in this English version.",
        ))?;
    }
    Ok(())
}

/// The organizers' sections of one part, a numbered heading each.
pub(super) fn narrative(
    c: &mut dyn Compose,
    d: &ReportData,
    part: Part,
    h: &mut Headings,
) -> Result<(), ReportError> {
    let lang = c.lang();
    for s in sections_of(d, part) {
        let heading = s.heading.trim();
        let heading = if heading.is_empty() { t(lang, "活动情况", "The campaign") } else { heading };
        h.h1(c, heading, heading)?;
        paragraphs(c, s)?;
    }
    Ok(())
}

/// How the day was organized: units, reconciliation members, booths, activities, officials (each part only when it has rows).
pub(super) fn organization(c: &mut dyn Compose, d: &ReportData, h: &mut Headings) -> Result<(), ReportError> {
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

/// Participating units, one paragraph per kind (government bodies split into people's congress
/// and government, functional departments and street offices).
fn units(c: &mut dyn Compose, d: &ReportData, h: &Headings, n: usize) -> Result<(), ReportError> {
    let lang = c.lang();
    h.h2(c, n, "参与单位", "Participating units")?;
    if !d.attendance_from_check_ins {
        // Nobody signed in on the day: the list is the plan, not a record of who came.
        c.paragraph(t(lang, "以下为计划参加的单位。", "The units below planned to take part."))?;
    }
    let mut groups = d.units.clone();
    groups.sort_by_key(|g| {
        (g.kind, g.class.map_or(1, |c| if c == crate::data::AgencyClass::Leadership { 0 } else { 2 }))
    });
    for g in groups.iter().filter(|g| !g.names.is_empty()) {
        let n = count(g.names.len() as u64);
        let line = match lang {
            Lang::Zh => {
                let label = g.class.map_or_else(|| g.kind.label(lang), |c| c.label(lang));
                format!("{label}（{n}家）：{}。", join(&g.names, lang))
            }
            Lang::En => {
                let k = match (g.class, g.names.len()) {
                    (Some(c), 1) => c.label(lang).to_owned(),
                    (Some(c), _) => c.plural_en().to_owned(),
                    (None, 1) => g.kind.label(lang).to_owned(),
                    (None, _) => g.kind.plural_en(),
                };
                format!("{} ({n}): {}.", capitalized(&k), join(&g.names, lang))
            }
        };
        c.paragraph(&line)?;
    }
    Ok(())
}

/// The enterprises that joined the reconciliation platform.
fn reconciliation_members(
    c: &mut dyn Compose,
    d: &ReportData,
    h: &Headings,
    n: usize,
) -> Result<(), ReportError> {
    let lang = c.lang();
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
fn booths(c: &mut dyn Compose, d: &ReportData, h: &Headings, n: usize) -> Result<(), ReportError> {
    let lang = c.lang();
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
fn activities(c: &mut dyn Compose, d: &ReportData, h: &Headings, n: usize) -> Result<(), ReportError> {
    let lang = c.lang();
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

/// How an official is named: organization, title and name, none repeated, no empty parts; a
/// masked name shows only its surname ("王××") or, when no real name is stored, nothing.
pub(super) fn official_text(o: &OfficialRow, lang: Lang) -> String {
    let org = o.organization.trim();
    let title = o.title.trim();
    let name = o.name.trim();
    let name = if o.masked { masked_name(name) } else { name.to_string() };
    // A title that already names the organization ("省消协副秘书长") is not prefixed with it again,
    // nor is a title the organization's name ends with.
    let org = if org.is_empty() || title.contains(org) || (!title.is_empty() && org.ends_with(title)) {
        ""
    } else {
        org
    };
    match lang {
        Lang::Zh => format!("{org}{title}{name}"),
        Lang::En => {
            let title = super::titles::title_en(title).unwrap_or(title);
            let role: Vec<&str> = [title, org].into_iter().filter(|s| !s.is_empty()).collect();
            match (name.is_empty(), role.is_empty()) {
                (false, false) => format!("{name} ({})", role.join(", ")),
                (false, true) => name,
                (true, _) => role.join(", "),
            }
        }
    }
}

/// The surname of a real Chinese name followed by ××; nothing for a placeholder ("xx", "****").
fn masked_name(name: &str) -> String {
    match name.chars().next() {
        Some(first) if has_cjk(&first.to_string()) && name.chars().count() >= 2 => format!("{first}××"),
        _ => String::new(),
    }
}

/// The officials who attended.
fn officials(c: &mut dyn Compose, d: &ReportData, h: &Headings, n: usize) -> Result<(), ReportError> {
    let lang = c.lang();
    h.h2(c, n, "出席领导", "Officials attending")?;
    let names: Vec<String> = d.officials.iter().map(|o| official_text(o, lang)).collect();
    let line = match lang {
        Lang::Zh => format!("{}出席了活动。", join(&names, lang)),
        Lang::En => format!("Attending: {}.", join(&names, Lang::Zh).replace('、', "; ")),
    };
    c.paragraph(&line)?;
    Ok(())
}

/// Comparison with the latest earlier campaign, with record highs over all earlier ones.
pub(super) fn comparison(
    c: &mut dyn Compose,
    d: &ReportData,
    h: &Headings,
    n: &mut usize,
) -> Result<(), ReportError> {
    let lang = c.lang();
    let tot = &d.totals;
    let mut prev: Vec<&crate::data::PreviousCampaign> =
        d.previous.iter().filter(|p| p.year != d.year).collect();
    prev.sort_by_key(|p| std::cmp::Reverse(p.year));
    // A summary speaks of the campaign: without an earlier one there is no comparison section
    // at all (no sentence about records kept).
    if prev.is_empty() {
        return Ok(());
    }
    *n += 1;
    h.h2(c, *n, "与往年比较", "Compared with earlier campaigns")?;
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
            .map(|(i, (fig, b))| {
                let best_before = prev.iter().filter_map(|p| figure_list(&p.totals)[i].2).max().unwrap_or(0);
                let record = fig.2.is_some_and(|v| v > best_before && v > 0);
                if record {
                    records.push(t(lang, fig.0, fig.1).split('（').next().unwrap_or_default().to_string());
                }
                vec![
                    t(lang, fig.0, fig.1).to_string(),
                    fig_value(fig.2, fig.3, lang),
                    fig_value(b.2, b.3, lang),
                    match (fig.2, b.2) {
                        (Some(now), Some(before)) => change(now, before, lang, fig.3),
                        _ => "—".to_string(),
                    },
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
pub(super) fn next_steps(c: &mut dyn Compose, d: &ReportData, h: &mut Headings) -> Result<(), ReportError> {
    let lang = c.lang();
    h.h1(c, "下一步工作", "Next steps")?;
    let next = sections_of(d, Part::NextSteps);
    // The closing paragraph carries the signature with it: never a page with the signature alone.
    let signature = signature_height(c);
    if next.is_empty() {
        c.keep_with_next_paragraph(signature);
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
            let parts: Vec<&str> = s
                .paragraphs
                .iter()
                .flat_map(|p| p.split('\n'))
                .map(str::trim)
                .filter(|x| !x.is_empty())
                .collect();
            for (k, part) in parts.iter().enumerate() {
                if i + 1 == next.len() && k + 1 == parts.len() {
                    c.keep_with_next_paragraph(signature);
                }
                c.paragraph(part)?;
            }
        }
    }
    Ok(())
}

/// The height of the signature block: a blank line, the issuer and the date.
fn signature_height(c: &dyn Compose) -> f32 {
    3.0 * c.geo().body_pitch
}

/// The signature block: the issuing body and the report date (the event day unless one is set),
/// kept together; then the 抄送 line when one is set.
pub(super) fn signature(c: &mut dyn Compose, d: &ReportData) -> Result<(), ReportError> {
    let lang = c.lang();
    let geo = c.geo().clone();
    c.keep_together(signature_height(c))?;
    c.space(geo.body_pitch);
    c.right(&issuer(d, lang))?;
    if let Some(dt) = d.settings.report_date.or(d.date) {
        c.right(&format_date(dt, lang))?;
    }
    let cc = d.settings.copy_to.trim();
    if !cc.is_empty() {
        c.space(geo.body_pitch);
        c.flush(&match lang {
            Lang::Zh => format!("抄送：{}。", cc.trim_end_matches(['。', '.'])),
            Lang::En => format!("Copy to: {}.", cc.trim_end_matches(['。', '.'])),
        })?;
    }
    Ok(())
}

/// Where an organizers' section of `key` and `heading` goes in the report, as a key for pages to
/// name in words: `opening`, `organization`, `results`, `highlights`, `problems` or
/// `next_steps` (the same rule the report follows).
#[must_use]
pub fn narrative_part(key: &str, heading: &str, next_steps: bool) -> &'static str {
    let s = NarrativeSection {
        key: key.to_owned(),
        heading: heading.to_owned(),
        paragraphs: Vec::new(),
        next_steps,
    };
    match part_of(&s) {
        Part::Opening => "opening",
        Part::Organization => "organization",
        Part::Results => "results",
        Part::Highlights => "highlights",
        Part::Problems => "problems",
        Part::NextSteps => "next_steps",
    }
}
