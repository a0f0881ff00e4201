//! The organizers' pages before the day: the checklist, a new campaign from this one (what
//! will be copied, a checkbox per part), messages to leads with their read receipts, the QR
//! sign-in sheet and the printable 签到表 / 工作分工表; and the dashboard's readiness panel.

use super::*;
use chrono::Datelike;
use eventday_domain::TaskStatus;
use eventday_domain::inputs::ClonePart;
use eventday_store::entities::official;
use eventday_store::preparation;

/// The dashboard's panel: readiness per venue ("8/10"), arrivals ("到场单位 12/15") and the
/// overdue tasks.
pub(super) async fn panel(s: &AppState, lang: Lang, c: &campaign::Model) -> Result<Value, PageError> {
    let r = preparation::readiness(&s.store, c.id, Utc::now().date_naive()).await.page(lang)?;
    let show = r.tasks_total > 0 || r.venues.iter().any(|v| v.units_arrived > 0 || v.units_expected > 0);
    Ok(context! {
        show => show,
        tasks_done => r.tasks_done,
        tasks_total => r.tasks_total,
        venues => sv(&r.venues),
        overdue => sv(r.overdue.iter().map(|t| context! {
            title => t.title.clone(), due => format_date(lang, t.due_on), unit => t.responsible_unit.clone(),
        }).collect::<Vec<_>>()),
    })
}

/// The checklist (工作分工表) with a form to add, change and remove tasks.
pub async fn tasks(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    let lang = viewer.lang;
    let (_, ctx) = in_campaign(&s, &viewer, id, "tasks").await?;
    let items = planning::tasks::list(&s.store, id).await.page(lang)?;
    let venue_list = planning::venues::list(&s.store, id).await.page(lang)?;
    let venues: HashMap<i32, String> = venue_list.iter().map(|v| (v.id, v.name.clone())).collect();
    let today = Utc::now().date_naive();
    let ids = items.iter().map(|t| t.id).collect();
    let mut files: HashMap<i32, Vec<Value>> = HashMap::new();
    for e in preparation::list_evidence(&s.store, &ids).await.page(lang)? {
        let image = e.content_type.starts_with("image/");
        files
            .entry(e.task_id)
            .or_default()
            .push(context! { id => e.id, name => e.file_name, image => image });
    }
    let rows: Vec<Value> = items
        .iter()
        .map(|t| {
            context! {
                t_ => sv(t),
                files => files.get(&t.id).cloned().unwrap_or_default(),
                venue => t.venue_id.and_then(|v| venues.get(&v).cloned()).unwrap_or_default(),
                due => format_date(lang, t.due_on),
                status => t.status.label(lang),
                overdue => preparation::is_overdue(t, today),
            }
        })
        .collect();
    let fields = vec![
        field(lang, "phase", "task_phase", "text", false),
        field(lang, "title", "task_title", "text", true),
        field(lang, "responsible_unit", "task_unit", "text", false),
        field(lang, "responsible_person", "task_person", "text", false),
        field(lang, "venue_id", "venue", "select_opt", false).options(venue_options(&venue_list)),
        field(lang, "due_on", "task_due", "date", true),
        field(lang, "status", "task_status", "select_text", true)
            .options(vocab_options(TaskStatus::ALL, TaskStatus::as_str, TaskStatus::label, lang))
            .default(serde_json::json!("open")),
        field(lang, "notes", "notes", "textarea", false),
        field(lang, "evidence", "task_evidence", "text", false),
        field(lang, "position", "position", "keep", false),
    ];
    let ed = editor(
        "tasks",
        lang.t("add_task"),
        format!("/api/v1/campaigns/{id}/tasks"),
        "/api/v1/tasks/{id}",
        fields,
        by_id(&items, |t| t.id),
    );
    render(
        "tasks.html",
        context! { rows => rows, ed => ed, io => super::io_panel(&viewer, id, &["tasks"]), can_edit => may_plan(&viewer), ..ctx },
    )
}

fn part_label(p: ClonePart) -> &'static str {
    match p {
        ClonePart::Venues => "clone_venues",
        ClonePart::Units => "clone_units",
        ClonePart::Activities => "clone_activities",
        ClonePart::Materials => "clone_materials",
        ClonePart::Checklist => "clone_checklist",
        ClonePart::Narrative => "clone_narrative",
    }
}

/// What a new campaign from this one copies, a checkbox per part, and its date.
pub async fn clone_page(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    let lang = viewer.lang;
    let (c, ctx) = in_campaign(&s, &viewer, id, "clone").await?;
    let t = queries::campaign_summary(&s.store, id).await.page(lang)?.totals;
    let tasks = planning::tasks::list(&s.store, id).await.page(lang)?.len();
    let narrative = planning::narrative::list(&s.store, id).await.page(lang)?.len();
    let materials = planning::materials::list(&s.store, id).await.page(lang)?.len();
    let counts = [
        (ClonePart::Venues, format!("{} / {}", t.venues, t.booths)),
        (ClonePart::Units, t.units.to_string()),
        (ClonePart::Activities, String::new()),
        (ClonePart::Materials, materials.to_string()),
        (ClonePart::Checklist, tasks.to_string()),
        (ClonePart::Narrative, narrative.to_string()),
    ];
    let parts: Vec<Value> = counts
        .into_iter()
        .map(|(p, n)| context! { key => p.as_str(), label => lang.t(part_label(p)), count => n })
        .collect();
    let next = c.date.with_year(c.year + 1).unwrap_or(c.date);
    render(
        "clone.html",
        context! { parts => parts, next_date => next.to_string(), can_edit => may_plan(&viewer), ..ctx },
    )
}

/// Messages to leads: a form to send one (all venues or chosen ones) and what was sent, with
/// who has read it.
pub async fn messages(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    let lang = viewer.lang;
    let (c, ctx) = in_campaign(&s, &viewer, id, "messages").await?;
    let venue_list = planning::venues::list(&s.store, id).await.page(lang)?;
    let names: HashMap<i32, String> = venue_list.iter().map(|v| (v.id, v.name.clone())).collect();
    let zone = eventday_domain::time::parse_zone(&c.timezone).unwrap_or(chrono_tz::Asia::Shanghai);
    let sent = if may_plan(&viewer) {
        preparation::campaign_messages(&s.store, id).await.page(lang)?
    } else {
        Vec::new()
    };
    let rows: Vec<Value> = sent
        .iter()
        .map(|m| {
            let read: Vec<String> = m
                .reads
                .iter()
                .map(|r| {
                    format!(
                        "{} · {} {}",
                        names.get(&r.venue_id).cloned().unwrap_or_default(),
                        r.reader,
                        r.read_at.with_timezone(&zone).format("%H:%M")
                    )
                })
                .collect();
            let read_venues: std::collections::BTreeSet<i32> = m.reads.iter().map(|r| r.venue_id).collect();
            context! {
                body => m.message.body.clone(),
                sent => m.message.sent_at.with_timezone(&zone).format("%m-%d %H:%M").to_string(),
                to => if m.message.all_venues { lang.t("all_venues").to_owned() } else {
                    m.venue_ids.iter().filter_map(|v| names.get(v).cloned()).collect::<Vec<_>>().join("、")
                },
                read => read,
                read_count => format!("{}/{}", read_venues.len(), m.venue_ids.len()),
            }
        })
        .collect();
    render(
        "messages.html",
        context! { rows => rows, venues => sv(venue_options(&venue_list)), can_edit => may_plan(&viewer), ..ctx },
    )
}

/// The participants of a campaign who sign in: (key, kind, id, unit or organization, name,
/// position).
async fn participants(s: &AppState, lang: Lang, id: i32) -> Result<Vec<Value>, PageError> {
    let parts = planning::participations::list(&s.store, id).await.page(lang)?;
    let units: HashMap<i32, String> =
        planning::units::list(&s.store, 0).await.page(lang)?.into_iter().map(|u| (u.id, u.name)).collect();
    let mut out: Vec<Value> = parts
        .iter()
        .filter_map(|p| {
            let name = units.get(&p.unit_id)?;
            Some(context! { key => format!("unit-{}", p.unit_id), kind => "unit", id => p.unit_id, unit => name, name => "", role => "" })
        })
        .collect();
    let officials: Vec<official::Model> = planning::officials::list(&s.store, id).await.page(lang)?;
    out.extend(officials.iter().map(|o| {
        context! { key => format!("official-{}", o.id), kind => "official", id => o.id, unit => o.organization.clone(), name => o.name.clone(), role => o.title.clone() }
    }));
    Ok(out)
}

/// The QR sign-in sheet: one card per participant whose code a lead's phone camera opens as
/// the check-in link of the lead's venue.
pub async fn check_in_sheet(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    let lang = viewer.lang;
    let (_, ctx) = in_campaign(&s, &viewer, id, "check_in").await?;
    let people = participants(&s, lang, id).await?;
    let mut cards = Vec::new();
    for p in people {
        let key = p.get_attr("key").map(|k| k.to_string()).unwrap_or_default();
        let path = format!("/check-in/{id}/{key}");
        let svg = qrcode::QrCode::new(path.as_bytes())
            .map(|q| q.render::<qrcode::render::svg::Color>().min_dimensions(160, 160).build())
            .unwrap_or_default();
        cards.push(context! { p => p, path => path, svg => svg });
    }
    render("check_in_sheet.html", context! { cards => cards, ..ctx })
}

/// The A4 签到表 to print: 单位 / 姓名 / 职务 / 签名, without phone numbers, with who has
/// already signed in on the day.
pub async fn sign_in_form(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    let lang = viewer.lang;
    let (_, ctx) = in_campaign(&s, &viewer, id, "check_in").await?;
    let people = participants(&s, lang, id).await?;
    let done: std::collections::HashSet<String> = preparation::list_check_ins(&s.store, id)
        .await
        .page(lang)?
        .into_iter()
        .map(|c| c.participant_key)
        .collect();
    let rows: Vec<Value> = people
        .into_iter()
        .map(|p| {
            let key = p.get_attr("key").map(|k| k.to_string()).unwrap_or_default();
            context! { p => p, signed => done.contains(&key) }
        })
        .collect();
    render("sign_in_form.html", context! { rows => rows, ..ctx })
}

/// The A4 工作分工表 to print: 事项 / 责任单位 / 责任人 / 完成时限.
pub async fn task_table(State(s): State<AppState>, viewer: Viewer, ApiPath(id): ApiPath<i32>) -> Page {
    let lang = viewer.lang;
    let (_, ctx) = in_campaign(&s, &viewer, id, "tasks").await?;
    let items = planning::tasks::list(&s.store, id).await.page(lang)?;
    let rows: Vec<Value> = items
        .iter()
        .filter(|t| t.status != TaskStatus::Cancelled)
        .map(|t| context! { t_ => sv(t), due => format_date(lang, t.due_on) })
        .collect();
    render("task_table.html", context! { rows => rows, ..ctx })
}
