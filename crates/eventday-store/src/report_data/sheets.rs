//! The printed sheets of the preparations as PDF: the 工作分工表 (the checklist without
//! cancelled tasks) and the 签到表 (participating units and officials, never phone numbers or
//! other contact details).

use super::{ReportFailure, fonts};
use crate::Store;
use crate::planning;
use eventday_domain::{Lang, TaskStatus};
use eventday_report::Rendered;
use eventday_report::layout::Sheet;
use std::collections::HashMap;

fn t<'a>(lang: Lang, zh: &'a str, en: &'a str) -> &'a str {
    match lang {
        Lang::Zh => zh,
        Lang::En => en,
    }
}

fn date(lang: Lang, d: chrono::NaiveDate) -> String {
    match lang {
        Lang::Zh => d.format("%Y年%-m月%-d日").to_string(),
        Lang::En => d.format("%-d %b %Y").to_string(),
    }
}

/// The 工作分工表 of a campaign: 序号 / 事项 / 责任单位 / 责任人 / 完成时限.
///
/// # Errors
/// [`crate::StoreError::NotFound`] for an unknown campaign; database errors.
pub async fn task_sheet(store: &Store, campaign_id: i32, lang: Lang) -> Result<Sheet, ReportFailure> {
    let c = planning::campaigns::get(store, campaign_id).await?;
    let tasks = planning::tasks::list(store, campaign_id).await?;
    let venues: HashMap<i32, String> =
        planning::venues::list(store, campaign_id).await?.into_iter().map(|v| (v.id, v.name)).collect();
    let rows = tasks
        .iter()
        .filter(|x| x.status != TaskStatus::Cancelled)
        .enumerate()
        .map(|(i, x)| {
            let mut what = x.title.clone();
            if let Some(v) = x.venue_id.and_then(|v| venues.get(&v)) {
                what = format!("{what}（{v}）");
            }
            if !x.phase.is_empty() {
                what = format!("{}：{what}", x.phase);
            }
            vec![
                (i + 1).to_string(),
                what,
                x.responsible_unit.clone(),
                x.responsible_person.clone(),
                date(lang, x.due_on),
            ]
        })
        .collect();
    Ok(Sheet {
        title: format!("{}{}", c.title, t(lang, "工作分工表", " — task table")),
        subtitle: date(lang, c.date),
        columns: vec![
            (t(lang, "序号", "No.").into(), 0.07),
            (t(lang, "事项", "Task").into(), 0.45),
            (t(lang, "责任单位", "Responsible unit").into(), 0.2),
            (t(lang, "责任人", "Person").into(), 0.1),
            (t(lang, "完成时限", "Due").into(), 0.18),
        ],
        rows,
        blank_rows: 0,
    })
}

/// The 签到表 of a campaign: 序号 / 单位 / 姓名 / 职务 / 签名, a row per participating unit and
/// official and a few blank rows; no phone numbers.
///
/// # Errors
/// [`crate::StoreError::NotFound`] for an unknown campaign; database errors.
pub async fn sign_in_sheet(store: &Store, campaign_id: i32, lang: Lang) -> Result<Sheet, ReportFailure> {
    let c = planning::campaigns::get(store, campaign_id).await?;
    let units: HashMap<i32, String> =
        planning::units::list(store, 0).await?.into_iter().map(|u| (u.id, u.name)).collect();
    let mut people: Vec<[String; 3]> = planning::participations::list(store, campaign_id)
        .await?
        .iter()
        .filter_map(|p| Some([units.get(&p.unit_id)?.clone(), String::new(), String::new()]))
        .collect();
    people.extend(
        planning::officials::list(store, campaign_id)
            .await?
            .into_iter()
            .map(|o| [o.organization, o.name, o.title]),
    );
    let rows = people
        .into_iter()
        .enumerate()
        .map(|(i, [unit, name, title])| vec![(i + 1).to_string(), unit, name, title, String::new()])
        .collect();
    Ok(Sheet {
        title: format!("{}{}", c.title, t(lang, "签到表", " — sign-in sheet")),
        subtitle: date(lang, c.date),
        columns: vec![
            (t(lang, "序号", "No.").into(), 0.07),
            (t(lang, "单位", "Unit").into(), 0.38),
            (t(lang, "姓名", "Name").into(), 0.15),
            (t(lang, "职务", "Title").into(), 0.15),
            (t(lang, "签名", "Signature").into(), 0.25),
        ],
        rows,
        blank_rows: 5,
    })
}

/// Renders a sheet to PDF with the bundled fonts (off the async threads).
///
/// # Errors
/// [`ReportFailure::Render`] when the fonts or the PDF writer fail.
pub async fn render_sheet(sheet: Sheet, lang: Lang) -> Result<Rendered, ReportFailure> {
    tokio::task::spawn_blocking(move || {
        eventday_report::render_sheet(&sheet, lang, false, fonts()?)
            .map_err(|e| ReportFailure::Render(e.to_string()))
    })
    .await
    .map_err(|e| ReportFailure::Render(e.to_string()))?
}
