//! The dated addendum (补充说明) after the signature of a signed report: the report's own figures
//! stay as signed; this part says what was recorded since (case outcomes arriving weeks after
//! the day) and gives the dispute figures as they stand now. Self-contained: it reads only
//! [`ReportData::addendum`].

use super::{format_date, t};
use crate::data::{DisputeSummary, ReportData};
use crate::fmt::{count, money};
use crate::layout::compose::Compose;
use crate::layout::{Align, Col};
use crate::{Lang, ReportError};
use eventday_domain::cases::settlement_rate_permille;

fn rate(d: &DisputeSummary) -> String {
    let as_i64 = |n: u64| i64::try_from(n).unwrap_or(i64::MAX);
    match settlement_rate_permille(as_i64(d.settled), as_i64(d.received)) {
        Some(p) => format!("{}.{}%", p / 10, p % 10),
        None => "—".into(),
    }
}

/// The addendum, on a new page, when the report has one.
pub(super) fn addendum(c: &mut dyn Compose, d: &ReportData) -> Result<(), ReportError> {
    let Some(a) = &d.addendum else { return Ok(()) };
    let lang = c.lang();
    c.page_break()?;
    c.heading(t(lang, "补充说明", "Addendum"), 1)?;
    let intro = match lang {
        Lang::Zh => format!(
            "本报告于{}报送后，截至{}，消费纠纷案件又有以下办理结果。报告正文中的数字仍为报送时的数字，现将变化情况补充说明如下：",
            format_date(a.signed_on, lang),
            format_date(a.as_of, lang)
        ),
        Lang::En => format!(
            "Since this report was submitted on {}, the following case outcomes were recorded up to {}. The figures in the body of the report remain those submitted; the changes are as follows:",
            format_date(a.signed_on, lang),
            format_date(a.as_of, lang)
        ),
    };
    c.paragraph(&intro)?;
    let cols = [
        Col { title: t(lang, "指标", "Figure").into(), frac: 0.4, align: Align::Left },
        Col { title: t(lang, "报送时", "As submitted").into(), frac: 0.3, align: Align::Right },
        Col { title: t(lang, "现在", "Now").into(), frac: 0.3, align: Align::Right },
    ];
    let (s, n) = (&a.signed, &a.now);
    let rows = vec![
        vec![t(lang, "登记案件（件）", "Cases recorded").into(), count(s.received), count(n.received)],
        vec![t(lang, "调解成功（件）", "Settled").into(), count(s.settled), count(n.settled)],
        vec![t(lang, "调解成功率", "Settlement rate").into(), rate(s), rate(n)],
        vec![
            t(lang, "挽回经济损失", "Money recovered").into(),
            money(s.amount_recovered_fen, lang),
            money(n.amount_recovered_fen, lang),
        ],
    ];
    c.table(&cols, &rows, false)?;
    if !a.changes.is_empty() {
        let cols = [
            Col { title: t(lang, "日期", "Date").into(), frac: 0.22, align: Align::Left },
            Col { title: t(lang, "案件编号", "Case").into(), frac: 0.18, align: Align::Left },
            Col { title: t(lang, "类别", "Category").into(), frac: 0.2, align: Align::Left },
            Col { title: t(lang, "办理结果", "Outcome").into(), frac: 0.22, align: Align::Left },
            Col { title: t(lang, "挽回金额", "Recovered").into(), frac: 0.18, align: Align::Right },
        ];
        let rows: Vec<Vec<String>> = a
            .changes
            .iter()
            .map(|ch| {
                vec![
                    format_date(ch.on, lang),
                    ch.code.clone(),
                    ch.category.clone(),
                    ch.stage.label(lang).to_string(),
                    ch.amount_recovered_fen.map(|f| money(f, lang)).unwrap_or_default(),
                ]
            })
            .collect();
        c.table(&cols, &rows, false)?;
    }
    Ok(())
}
