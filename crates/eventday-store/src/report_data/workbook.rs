//! The report's tables as one workbook (summary, per venue, materials, media, disputes; one
//! sheet each), from the same [`ReportData`] the PDF is written from, so the two cannot differ.

use eventday_domain::Lang;
use eventday_domain::csv::workbook::{Sheet, WorkbookError, XCell, write_workbook};
use eventday_report::ReportData;

/// The words of the workbook: (Chinese, English).
fn w(lang: Lang, zh: &str, en: &str) -> String {
    match lang {
        Lang::Zh => zh.to_owned(),
        Lang::En => en.to_owned(),
    }
}

fn count(n: u64) -> XCell {
    XCell::Int(i64::try_from(n).unwrap_or(i64::MAX))
}

/// A money cell: the amount in yuan, or empty when nothing was recorded (the report says
/// "not recorded" rather than 0 then).
fn money(fen: i64, recorded: bool) -> XCell {
    if recorded { XCell::Yuan(fen) } else { XCell::Empty }
}

fn summary(d: &ReportData, lang: Lang) -> Sheet {
    let t = &d.totals;
    let mut rows = vec![
        vec![XCell::Text(w(lang, "组织", "Organization")), XCell::Text(d.organization.clone())],
        vec![XCell::Text(w(lang, "标题", "Title")), XCell::Text(d.title.clone())],
        vec![XCell::Text(w(lang, "主题", "Theme")), XCell::Text(d.theme.clone())],
        vec![XCell::Text(w(lang, "日期", "Date")), d.date.map_or(XCell::Empty, XCell::Date)],
        vec![XCell::Text(w(lang, "会场数", "Venues")), XCell::Int(d.venues.len() as i64)],
        vec![XCell::Text(w(lang, "参与单位", "Units taking part")), count(t.units)],
        vec![XCell::Text(w(lang, "主题展位", "Themed booths")), count(t.booths)],
        vec![XCell::Text(w(lang, "活动场次", "Activities")), count(t.activities)],
        vec![XCell::Text(w(lang, "参与人数", "Visitors")), count(t.visitors)],
        vec![XCell::Text(w(lang, "咨询人次", "Consultations")), count(t.consultations)],
        vec![XCell::Text(w(lang, "受理投诉", "Complaints received")), count(t.complaints_received)],
        vec![XCell::Text(w(lang, "现场调解", "Settled on site")), count(t.complaints_settled)],
    ];
    if t.complaints_received > 0 {
        rows.push(vec![
            XCell::Text(w(lang, "调解成功率", "Settlement rate")),
            XCell::Percent(t.complaints_settled as f64 / t.complaints_received as f64),
        ]);
    }
    rows.push(vec![
        XCell::Text(w(lang, "挽回经济损失（元）", "Money recovered (yuan)")),
        money(t.money_recovered_fen, t.money_recorded),
    ]);
    rows.push(vec![XCell::Text(w(lang, "现场记录条数", "Log entries")), count(t.log_entries)]);
    for p in &d.previous {
        rows.push(vec![
            XCell::Text(match lang {
                Lang::Zh => format!("{}年参与人数", p.year),
                Lang::En => format!("Visitors in {}", p.year),
            }),
            count(p.totals.visitors),
        ]);
    }
    Sheet {
        name: w(lang, "汇总", "Summary"),
        headers: vec![w(lang, "项目", "Item"), w(lang, "数值", "Value")],
        rows,
    }
}

fn venues(d: &ReportData, lang: Lang) -> Sheet {
    let rows = d
        .venues
        .iter()
        .map(|v| {
            vec![
                XCell::Text(v.name.clone()),
                XCell::Text(v.kind.label(lang).to_owned()),
                XCell::Text(v.host_unit.clone()),
                count(v.visitors),
                count(v.consultations),
                count(v.complaints_received),
                count(v.complaints_settled),
                money(v.money_recovered_fen, v.money_recorded),
                count(v.log_entries),
                XCell::Text(if v.accepted { w(lang, "已确认", "accepted") } else { String::new() }),
            ]
        })
        .collect();
    Sheet {
        name: w(lang, "各会场", "Venues"),
        headers: vec![
            w(lang, "会场", "Venue"),
            w(lang, "类型", "Kind"),
            w(lang, "承办单位", "Host unit"),
            w(lang, "参与人数", "Visitors"),
            w(lang, "咨询人次", "Consultations"),
            w(lang, "受理投诉", "Complaints received"),
            w(lang, "现场调解", "Settled on site"),
            w(lang, "挽回经济损失（元）", "Money recovered (yuan)"),
            w(lang, "记录条数", "Log entries"),
            w(lang, "数据确认", "Figures"),
        ],
        rows,
    }
}

fn materials(d: &ReportData, lang: Lang) -> Sheet {
    let rows = d
        .materials
        .iter()
        .map(|m| {
            vec![
                XCell::Text(m.name.clone()),
                XCell::Text(m.unit.clone()),
                count(m.planned),
                if m.logged { count(m.handed_out) } else { XCell::Empty },
            ]
        })
        .collect();
    Sheet {
        name: w(lang, "宣传物资", "Materials"),
        headers: vec![
            w(lang, "物资", "Material"),
            w(lang, "单位", "Unit"),
            w(lang, "计划数量", "Planned"),
            w(lang, "发放数量", "Handed out"),
        ],
        rows,
    }
}

fn media(d: &ReportData, lang: Lang) -> Sheet {
    let rows = d
        .media
        .iter()
        .map(|m| {
            vec![
                XCell::Text(m.outlet.clone()),
                XCell::Text(m.channel.label(lang).to_owned()),
                XCell::Text(m.format.label(lang).to_owned()),
                m.date.map_or(XCell::Empty, XCell::Date),
                XCell::Text(m.headline.clone()),
            ]
        })
        .collect();
    Sheet {
        name: w(lang, "媒体报道", "Media"),
        headers: vec![
            w(lang, "媒体", "Outlet"),
            w(lang, "渠道", "Channel"),
            w(lang, "形式", "Format"),
            w(lang, "日期", "Date"),
            w(lang, "标题", "Headline"),
        ],
        rows,
    }
}

fn disputes(d: &ReportData, lang: Lang) -> Sheet {
    use eventday_domain::DisputeStatus as S;
    let s = &d.disputes;
    let mut rows =
        vec![vec![XCell::Text(w(lang, "受理件数（合计）", "Cases received (all)")), count(s.received)]];
    rows.extend(
        [
            (S::Mediating, s.mediating),
            (S::Settled, s.settled),
            (S::Referred, s.referred),
            (S::Closed, s.closed),
        ]
        .into_iter()
        .map(|(status, n)| vec![XCell::Text(status.label(lang).to_owned()), count(n)]),
    );
    rows.push(vec![
        XCell::Text(w(lang, "争议金额（元）", "Amount claimed (yuan)")),
        XCell::Yuan(s.amount_claimed_fen),
    ]);
    rows.push(vec![
        XCell::Text(w(lang, "挽回金额（元）", "Amount recovered (yuan)")),
        XCell::Yuan(s.amount_recovered_fen),
    ]);
    Sheet {
        name: w(lang, "消费纠纷", "Disputes"),
        headers: vec![w(lang, "状态", "Status"), w(lang, "件数或金额", "Cases or amount")],
        rows,
    }
}

/// The report's tables in `lang` as a workbook: summary, per venue, materials, media and
/// disputes, one sheet each.
///
/// # Errors
/// A cell the workbook writer refuses.
pub fn report_workbook(d: &ReportData, lang: Lang) -> Result<Vec<u8>, WorkbookError> {
    write_workbook(&[
        summary(d, lang),
        venues(d, lang),
        materials(d, lang),
        media(d, lang),
        disputes(d, lang),
    ])
}
