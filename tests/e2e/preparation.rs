//! Before the day: cloning last year's campaign, the checklist and readiness, check-ins and
//! messages to venue leads.

use crate::helpers::{TestApp, client_with_token, spawn_app, user_with_token};
use chrono::NaiveDate;
use eventday_domain::Role;
use eventday_store::entities::{booth, booth_unit, participation, venue};
use eventday_store::{Store, queries};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};
use std::time::Duration;

async fn post(client: &reqwest::Client, app: &TestApp, path: &str, body: &Value) -> (u16, Value) {
    let resp = client.post(app.url(path)).json(body).send().await.expect("request");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn get(client: &reqwest::Client, app: &TestApp, path: &str) -> (u16, Value) {
    let resp = client.get(app.url(path)).send().await.expect("request");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

/// The demo campaign, with `client` acting as its organizer.
async fn demo(app: &mut TestApp) -> i32 {
    let campaign = eventday::load_demo(&app.db.store).await.expect("demo").campaign_id();
    app.act_as_organizer_of(campaign).await;
    campaign
}

/// A venue's floor plan and booths as comparable values (ids left out).
async fn plan_of(store: &Store, campaign: i32) -> Vec<(String, bool, String, Vec<String>)> {
    let venues = venue::Entity::find()
        .filter(venue::Column::CampaignId.eq(campaign))
        .order_by_asc(venue::Column::Position)
        .order_by_asc(venue::Column::Id)
        .all(store.conn())
        .await
        .expect("venues");
    let mut out = Vec::new();
    for v in venues {
        let booths = booth::Entity::find()
            .filter(booth::Column::VenueId.eq(v.id))
            .order_by_asc(booth::Column::Id)
            .all(store.conn())
            .await
            .expect("booths");
        let mut described = Vec::new();
        for b in booths {
            let units: Vec<i32> = booth_unit::Entity::find()
                .filter(booth_unit::Column::BoothId.eq(b.id))
                .order_by_asc(booth_unit::Column::UnitId)
                .all(store.conn())
                .await
                .expect("units")
                .into_iter()
                .map(|u| u.unit_id)
                .collect();
            described.push(format!(
                "{} {} {} {} {} {} {} {} {units:?}",
                b.topic, b.kind, b.x, b.y, b.w, b.h, b.rotation_deg, b.placed
            ));
        }
        out.push((v.name, v.has_plan, format!("{} x {} {}", v.width_m, v.depth_m, v.kind), described));
    }
    out
}

#[tokio::test]
async fn cloning_the_2013_demo_to_2014_copies_plans_and_the_checklist_but_no_figures() {
    let mut app = spawn_app().await;
    let store = app.db.store.clone();
    let c = demo(&mut app).await;
    let client = app.client.clone();
    // The demo comes with its checklist, every step done before the day.
    let (_, tasks) = get(&client, &app, &format!("/api/v1/campaigns/{c}/tasks")).await;
    let list = tasks.as_array().expect("list");
    assert!(list.len() >= 8, "{tasks}");
    assert!(
        list.iter().all(|t| t["status"] == "done" && t["due_on"].as_str() < Some("2013-03-15")),
        "{tasks}"
    );
    let old = queries::campaign_summary(&store, c).await.expect("summary").totals;
    assert!(old.log_entries > 0, "the demo has log entries to leave behind");

    // A bad part list is refused with the field named, and nothing is made.
    let (s, body) = post(
        &client,
        &app,
        &format!("/api/v1/campaigns/{c}/clone"),
        &json!({"date": "2014-03-15", "parts": ["activities"]}),
    )
    .await;
    assert_eq!(s, 422, "{body}");
    assert!(body["error"]["fields"]["parts"].is_string(), "{body}");

    let (s, out) =
        post(&client, &app, &format!("/api/v1/campaigns/{c}/clone"), &json!({"date": "2014-03-15"})).await;
    assert_eq!(s, 201, "{out}");
    let new = i32::try_from(out["campaign"]["id"].as_i64().expect("id")).expect("i32");
    assert_eq!(out["shift_days"], 365);
    assert_eq!(out["campaign"]["year"], 2014);
    assert!(out["campaign"]["title"].as_str().unwrap_or_default().contains("2014"), "{out}");

    let (a, b) = (plan_of(&store, c).await, plan_of(&store, new).await);
    assert_eq!(b.len(), 17, "17 venues");
    assert_eq!(a, b, "identical floor plans and booths");

    let totals = queries::campaign_summary(&store, new).await.expect("summary").totals;
    assert_eq!(totals.log_entries, 0);
    assert_eq!(totals.figures, eventday_domain::Figures::default(), "zero figures");

    let (_, old_tasks) = get(&client, &app, &format!("/api/v1/campaigns/{c}/tasks")).await;
    let (_, new_tasks) = get(&client, &app, &format!("/api/v1/campaigns/{new}/tasks")).await;
    let dates = |v: &Value| -> Vec<NaiveDate> {
        v.as_array()
            .expect("tasks")
            .iter()
            .map(|t| t["due_on"].as_str().expect("date").parse().expect("a date"))
            .collect()
    };
    let (od, nd) = (dates(&old_tasks), dates(&new_tasks));
    assert_eq!(od.len(), tasks.as_array().expect("list").len());
    assert_eq!(od.len(), nd.len());
    assert!(od.iter().zip(&nd).all(|(o, n)| (*n - *o).num_days() == 365), "{od:?} -> {nd:?}");
    let statuses: Vec<&str> =
        new_tasks.as_array().expect("tasks").iter().filter_map(|t| t["status"].as_str()).collect();
    assert!(statuses.iter().all(|s| *s == "open"), "a copied checklist starts open: {statuses:?}");

    // Units are copied to confirm; the source is recorded.
    let parts = participation::Entity::find()
        .filter(participation::Column::CampaignId.eq(new))
        .all(store.conn())
        .await
        .expect("participations");
    assert!(!parts.is_empty() && parts.iter().all(|p| p.to_confirm));
    let source = eventday_store::preparation::source_of(&store, new).await.expect("q").expect("source");
    assert_eq!(source.source_campaign_id, Some(c));
    app.stop().await;
}

#[tokio::test]
async fn cloning_only_the_venues_leaves_units_and_checklist_behind() {
    let mut app = spawn_app().await;
    let c = demo(&mut app).await;
    let client = app.client.clone();
    post(&client, &app, &format!("/api/v1/campaigns/{c}/tasks/default"), &json!({})).await;
    let (s, out) = post(
        &client,
        &app,
        &format!("/api/v1/campaigns/{c}/clone"),
        &json!({"date": "2014-03-14", "parts": ["venues"]}),
    )
    .await;
    assert_eq!(s, 201, "{out}");
    let new = out["campaign"]["id"].as_i64().expect("id");
    let (_, tasks) = get(&client, &app, &format!("/api/v1/campaigns/{new}/tasks")).await;
    let (_, units) = get(&client, &app, &format!("/api/v1/campaigns/{new}/participations")).await;
    assert_eq!(tasks.as_array().map(Vec::len), Some(0));
    assert_eq!(units.as_array().map(Vec::len), Some(0));
    assert_eq!(out["copied"]["venues"], 17);
    app.stop().await;
}

#[tokio::test]
async fn a_check_in_sent_twice_is_stored_once_and_counts_on_the_dashboard() {
    let mut app = spawn_app().await;
    let store = app.db.store.clone();
    let c = demo(&mut app).await;
    crate::helpers::open_days(&store, c).await;
    // A venue with units staffing its booths.
    let readiness = get(&app.client, &app, &format!("/api/v1/campaigns/{c}/readiness")).await.1;
    let v = readiness["venues"]
        .as_array()
        .expect("venues")
        .iter()
        .find(|v| v["units_expected"].as_i64() > Some(0))
        .expect("a venue expecting units")
        .clone();
    let venue_id = i32::try_from(v["venue_id"].as_i64().expect("id")).expect("i32");
    let booth_ids: Vec<i32> = booth::Entity::find()
        .filter(booth::Column::VenueId.eq(venue_id))
        .all(store.conn())
        .await
        .expect("booths")
        .into_iter()
        .map(|b| b.id)
        .collect();
    let unit = booth_unit::Entity::find()
        .filter(booth_unit::Column::BoothId.is_in(booth_ids))
        .one(store.conn())
        .await
        .expect("q")
        .expect("a booth unit")
        .unit_id;
    let token = user_with_token(&store, "lead-check", Role::Lead, None, vec![venue_id]).await;
    let lead = client_with_token(&token);
    let scan =
        json!({"id": uuid::Uuid::new_v4(), "participant_kind": "unit", "unit_id": unit, "method": "qr"});
    let url = format!("/api/v1/venues/{venue_id}/check-ins");
    let (s1, first) = post(&lead, &app, &url, &scan).await;
    let (s2, again) = post(&lead, &app, &url, &scan).await;
    assert_eq!((s1, s2), (201, 200), "{first} {again}");
    assert_eq!(first["id"], again["id"]);
    // The same unit ticked on the list by another phone: still one check-in.
    let tick =
        json!({"id": uuid::Uuid::new_v4(), "participant_kind": "unit", "unit_id": unit, "method": "list"});
    let (s3, _) = post(&lead, &app, &url, &tick).await;
    assert_eq!(s3, 200);
    let (_, list) = get(&app.client, &app, &format!("/api/v1/campaigns/{c}/check-ins")).await;
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    // A unit that does not take part is refused, naming the field.
    let (s, body) = post(
        &lead,
        &app,
        &url,
        &json!({"id": uuid::Uuid::new_v4(), "participant_kind": "unit", "unit_id": 999_999, "method": "qr"}),
    )
    .await;
    assert_eq!(s, 422, "{body}");
    assert!(body["error"]["fields"]["unit_id"].is_string());
    let readiness = get(&app.client, &app, &format!("/api/v1/campaigns/{c}/readiness")).await.1;
    let after =
        readiness["venues"].as_array().expect("venues").iter().find(|x| x["venue_id"] == venue_id).cloned();
    assert_eq!(after.expect("venue")["units_arrived"], 1);
    // The dashboard shows the arrivals.
    let page = app.client.get(app.url(&format!("/campaigns/{c}"))).send().await.expect("page");
    let html = page.text().await.expect("html");
    assert!(html.contains(&format!("1/{}", v["units_expected"])), "到场单位 shown");
    app.stop().await;
}

#[tokio::test]
async fn overdue_tasks_appear_on_the_dashboard() {
    let mut app = spawn_app().await;
    let c = demo(&mut app).await;
    let client = app.client.clone();
    let yesterday = chrono::Utc::now().date_naive() - chrono::Duration::days(1);
    let tomorrow = yesterday + chrono::Duration::days(2);
    let tasks = format!("/api/v1/campaigns/{c}/tasks");
    let (s, _) = post(&client, &app, &tasks, &json!({"title": "横幅送达各会场", "due_on": yesterday})).await;
    assert_eq!(s, 201);
    post(&client, &app, &tasks, &json!({"title": "召开新闻通气会", "due_on": tomorrow})).await;
    post(&client, &app, &tasks, &json!({"title": "印发方案", "due_on": yesterday, "status": "done"})).await;
    let (s, bad) = post(&client, &app, &tasks, &json!({"title": "", "due_on": "2014-03-01"})).await;
    assert_eq!(s, 422, "{bad}");
    let (_, r) = get(&client, &app, &format!("/api/v1/campaigns/{c}/readiness")).await;
    let overdue: Vec<&str> =
        r["overdue"].as_array().expect("overdue").iter().filter_map(|t| t["title"].as_str()).collect();
    assert_eq!(overdue, ["横幅送达各会场"]);
    let html = client
        .get(app.url(&format!("/campaigns/{c}")))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(html.contains("横幅送达各会场") && html.contains("overdue"), "the overdue task is shown in red");
    assert!(!html.contains("召开新闻通气会"), "a task not yet due is not overdue");
    app.stop().await;
}

/// Reads SSE `message` events until `n` have arrived (or 10 s pass).
async fn read_messages(resp: &mut reqwest::Response, n: usize) -> Vec<(String, Value)> {
    let mut buf = String::new();
    let mut out = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    while out.len() < n {
        let chunk = tokio::time::timeout_at(deadline, resp.chunk()).await;
        let Ok(Ok(Some(bytes))) = chunk else { break };
        buf.push_str(&String::from_utf8_lossy(&bytes));
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            let (mut id, mut data, mut is_message) = (String::new(), String::new(), false);
            for line in block.lines() {
                if line.strip_prefix("event:").is_some_and(|e| e.trim() == "message") {
                    is_message = true;
                } else if let Some(v) = line.strip_prefix("id:") {
                    id = v.trim().to_owned();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push_str(v.trim());
                }
            }
            if is_message {
                out.push((id, serde_json::from_str(&data).unwrap_or(Value::Null)));
            }
        }
    }
    out
}

#[tokio::test]
async fn a_message_reaches_a_leads_page_live_and_after_reconnecting_with_read_receipts() {
    let mut app = spawn_app().await;
    let store = app.db.store.clone();
    let c = demo(&mut app).await;
    let days = eventday_store::scope::venue_days(store.conn(), c).await.expect("venues");
    let (va, vb) = (days[1].venue_id, days[2].venue_id);
    let token = user_with_token(&store, "lead-msg", Role::Lead, None, vec![va]).await;
    let lead = client_with_token(&token);
    let live = format!("/api/v1/venues/{va}/messages/live");
    let mut resp = lead.get(app.url(&live)).send().await.expect("connect");
    assert_eq!(resp.status(), 200);

    let send = format!("/api/v1/campaigns/{c}/messages");
    let (s, m1) = post(&app.client, &app, &send, &json!({"body": "下雨：改用室内方案"})).await;
    assert_eq!(s, 201, "{m1}");
    let got = read_messages(&mut resp, 1).await;
    assert_eq!(got.len(), 1, "delivered live");
    assert_eq!(got[0].1["body"], "下雨：改用室内方案");
    let last = got[0].0.clone();
    drop(resp);

    // Sent while the lead was offline: one to another venue only, one to this venue.
    post(&app.client, &app, &send, &json!({"body": "只给B会场", "venue_ids": [vb]})).await;
    let (_, m3) = post(&app.client, &app, &send, &json!({"body": "物资12点送到", "venue_ids": [va]})).await;
    let mut resp = lead.get(app.url(&live)).header("Last-Event-ID", &last).send().await.expect("reconnect");
    let got = read_messages(&mut resp, 1).await;
    let bodies: Vec<&str> = got.iter().filter_map(|(_, m)| m["body"].as_str()).collect();
    assert_eq!(bodies, ["物资12点送到"], "only what this venue missed");
    drop(resp);

    // A bad venue list is refused.
    let (s, _) = post(&app.client, &app, &send, &json!({"body": "x", "venue_ids": [999_999]})).await;
    assert_eq!(s, 422);

    // Read receipts.
    let read = format!("/api/v1/venues/{va}/messages/{}/read", m3["id"]);
    let r = lead.post(app.url(&read)).send().await.expect("read");
    assert_eq!(r.status(), 204);
    let (_, sent) = get(&app.client, &app, &send).await;
    let m3_row = sent.as_array().expect("list").iter().find(|m| m["message"]["id"] == m3["id"]).cloned();
    let reads = m3_row.expect("m3")["reads"].as_array().cloned().unwrap_or_default();
    assert_eq!(reads.len(), 1);
    assert_eq!(reads[0]["venue_id"], va);
    // A message to another venue cannot be marked read here.
    let (_, b_list) = get(&app.client, &app, &send).await;
    let only_b =
        b_list.as_array().expect("list").iter().find(|m| m["message"]["body"] == "只给B会场").cloned();
    let r = lead
        .post(app.url(&format!("/api/v1/venues/{va}/messages/{}/read", only_b.expect("b")["message"]["id"])))
        .send()
        .await
        .expect("read");
    assert_eq!(r.status(), 404);
    app.stop().await;
}

#[test]
fn the_clone_command_copies_the_demo_to_a_new_date() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("clone.db").display());
    let (code, _, err) = crate::helpers::run_eventday(&["demo", "--database-url", &url]);
    assert_eq!(code, 0, "{err}");
    let (code, out, err) = crate::helpers::run_eventday(&[
        "campaign",
        "clone",
        "1",
        "--date",
        "2014-03-15",
        "--database-url",
        &url,
    ]);
    assert_eq!(code, 0, "{err}");
    assert!(out.contains("dates moved by 365 days"), "{out}");
    assert!(out.contains("copied\tvenues\t17"), "{out}");
    let (code, _, err) = crate::helpers::run_eventday(&[
        "campaign",
        "clone",
        "1",
        "--date",
        "2015-03-15",
        "--parts",
        "rain",
        "--database-url",
        &url,
    ]);
    assert_ne!(code, 0);
    assert!(err.contains("--parts"), "{err}");
}

#[tokio::test]
async fn the_report_lists_the_units_that_signed_in_once_there_are_check_ins() {
    let mut app = spawn_app().await;
    let store = app.db.store.clone();
    let c = demo(&mut app).await;
    let planned = eventday_store::report_data::report_facts(&store, c, eventday_domain::Lang::Zh)
        .await
        .expect("facts")
        .units
        .len();
    assert!(planned > 1, "the demo plans {planned} units");
    // Without check-ins the report says the units were planned.
    let zh = report_text(&store, c, eventday_domain::Lang::Zh).await;
    assert!(zh.contains("家单位计划参加（") && zh.contains("以下为计划参加的单位。"), "the plan, in Chinese");
    let en = report_text(&store, c, eventday_domain::Lang::En).await;
    assert!(
        en.contains("units planned to take part") && en.contains("The units below planned"),
        "in English"
    );
    // Not the organizing body itself (the report does not count it among the units).
    let unit = eventday_store::planning::participations::list(&store, c).await.expect("units")[1].unit_id;
    let days = eventday_store::scope::venue_days(store.conn(), c).await.expect("venues");
    let scan =
        json!({"id": uuid::Uuid::new_v4(), "participant_kind": "unit", "unit_id": unit, "method": "paper"});
    let (s, _) =
        post(&app.client, &app, &format!("/api/v1/venues/{}/check-ins", days[0].venue_id), &scan).await;
    assert_eq!(s, 201);
    let present = eventday_store::report_data::report_facts(&store, c, eventday_domain::Lang::Zh)
        .await
        .expect("facts")
        .units
        .len();
    assert_eq!(present, 1, "only the unit that signed in");
    let after_zh = report_text(&store, c, eventday_domain::Lang::Zh).await;
    let after_en = report_text(&store, c, eventday_domain::Lang::En).await;
    assert!(after_zh.contains("共有1家单位参与") && !after_zh.contains("计划参加"), "{after_zh}");
    assert!(
        after_en.contains("1 units took part") && !after_en.contains("planned to take part"),
        "{after_en}"
    );
    app.stop().await;
}

async fn put(client: &reqwest::Client, app: &TestApp, path: &str, body: &Value) -> (u16, Value) {
    let resp = client.put(app.url(path)).json(body).send().await.expect("request");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

#[tokio::test]
async fn a_lead_changes_the_status_of_their_venues_tasks_only() {
    let mut app = spawn_app().await;
    let store = app.db.store.clone();
    let c = demo(&mut app).await;
    let days = eventday_store::scope::venue_days(store.conn(), c).await.expect("venues");
    let (mine, other) = (days[0].venue_id, days[1].venue_id);
    let tasks = format!("/api/v1/campaigns/{c}/tasks");
    let task = |title: &str, venue: Option<i32>| json!({"title": title, "due_on": "2013-03-14", "venue_id": venue, "notes": "横幅两幅", "responsible_unit": "区工商局"});
    let (_, own) = post(&app.client, &app, &tasks, &task("物资送达本会场", Some(mine))).await;
    let (_, theirs) = post(&app.client, &app, &tasks, &task("物资送达他会场", Some(other))).await;
    let (_, shared) = post(&app.client, &app, &tasks, &task("召开新闻通气会", None)).await;
    let token = user_with_token(&store, "lead-tasks", Role::Lead, None, vec![mine]).await;
    let lead = client_with_token(&token);

    let (s, changed) =
        put(&lead, &app, &format!("/api/v1/tasks/{}/status", own["id"]), &json!({"status": "done"})).await;
    assert_eq!(s, 200, "{changed}");
    assert_eq!(changed["status"], "done");
    assert_eq!(changed["notes"], "横幅两幅", "notes kept when not sent");
    assert_eq!(changed["responsible_unit"], "区工商局", "the rest of the task is kept");
    let (s, noted) = put(
        &lead,
        &app,
        &format!("/api/v1/tasks/{}/status", own["id"]),
        &json!({"status": "in_progress", "notes": "还差一幅"}),
    )
    .await;
    assert_eq!((s, noted["notes"].as_str()), (200, Some("还差一幅")));
    // Through the one write function: an audit event by the lead.
    let events = eventday_store::entities::audit_event::Entity::find()
        .filter(eventday_store::entities::audit_event::Column::Entity.eq("task"))
        .filter(eventday_store::entities::audit_event::Column::EntityId.eq(own["id"].to_string()))
        .all(store.conn())
        .await
        .expect("audit");
    assert!(events.iter().filter(|e| e.action == "update").count() >= 2, "{events:?}");

    for t in [&theirs, &shared] {
        let (s, body) =
            put(&lead, &app, &format!("/api/v1/tasks/{}/status", t["id"]), &json!({"status": "done"})).await;
        assert_eq!(s, 403, "{body}");
    }
    let (s, body) =
        put(&lead, &app, &format!("/api/v1/tasks/{}/status", own["id"]), &json!({"status": "finished"}))
            .await;
    assert_eq!(s, 400, "{body}");
    assert!(body["error"]["fields"]["status"].is_string(), "{body}");
    // The organizer may change the campaign-wide one.
    let (s, _) =
        put(&app.client, &app, &format!("/api/v1/tasks/{}/status", shared["id"]), &json!({"status": "done"}))
            .await;
    assert_eq!(s, 200);
    // The lead page carries the list the script fills.
    let html = lead
        .get(app.url(&format!("/lead/venues/{mine}")))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(
        html.contains("id=\"lead-tasks\"") && html.contains("lead-campaign-tasks"),
        "task lists on the page"
    );
    app.stop().await;
}

#[tokio::test]
async fn evidence_on_a_task_is_a_photo_or_pdf_judged_by_content_and_shown_on_the_tasks_page() {
    let mut app = spawn_app().await;
    let store = app.db.store.clone();
    let c = demo(&mut app).await;
    let days = eventday_store::scope::venue_days(store.conn(), c).await.expect("venues");
    let venue = days[0].venue_id;
    let (_, t) = post(
        &app.client,
        &app,
        &format!("/api/v1/campaigns/{c}/tasks"),
        &json!({"title": "横幅送达", "due_on": "2013-03-14", "venue_id": venue}),
    )
    .await;
    let url = format!("/api/v1/tasks/{}/evidence", t["id"]);
    let token = user_with_token(&store, "lead-evidence", Role::Lead, None, vec![venue]).await;
    let lead = client_with_token(&token);
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend([0u8; 64]);
    let r = lead
        .post(app.url(&format!("{url}?name=banner.png")))
        .header("content-type", "image/png")
        .body(png.clone())
        .send()
        .await
        .expect("upload");
    assert_eq!(r.status(), 201);
    let photo: Value = r.json().await.expect("json");
    assert_eq!(
        (photo["content_type"].as_str(), photo["file_name"].as_str()),
        (Some("image/png"), Some("banner.png"))
    );
    // A PDF through a multipart form, its name from the form.
    let form = reqwest::multipart::Form::new().part(
        "file",
        reqwest::multipart::Part::bytes(b"%PDF-1.4\n%...".to_vec()).file_name("../../通知.pdf"),
    );
    let r = app.client.post(app.url(&url)).multipart(form).send().await.expect("upload");
    assert_eq!(r.status(), 201);
    let pdf: Value = r.json().await.expect("json");
    assert_eq!(pdf["file_name"], "通知.pdf", "only the last path segment is kept");
    // Not a photo or PDF, whatever it says it is: 422 naming the field.
    let r = app
        .client
        .post(app.url(&url))
        .header("content-type", "application/pdf")
        .body("<html>not a pdf</html>")
        .send()
        .await
        .expect("upload");
    assert_eq!(r.status(), 422);
    let body: Value = r.json().await.expect("json");
    assert!(body["error"]["fields"]["file"].is_string(), "{body}");
    // Too big: 413 naming the field.
    let mut big = b"%PDF-".to_vec();
    big.resize(eventday_domain::photo::MAX_EVIDENCE_BYTES + 1, b' ');
    let r = app.client.post(app.url(&url)).body(big).send().await.expect("upload");
    assert_eq!(r.status(), 413);
    let body: Value = r.json().await.expect("json");
    assert!(body["error"]["fields"]["file"].is_string(), "{body}");

    let (s, list) = get(&lead, &app, &url).await;
    assert_eq!((s, list.as_array().map(Vec::len)), (200, Some(2)), "{list}");
    let r = lead.get(app.url(&format!("/api/v1/evidence/{}", photo["id"]))).send().await.expect("get");
    assert_eq!(r.headers()["content-type"], "image/png");
    assert_eq!(r.bytes().await.expect("bytes").to_vec(), png);
    let r = app.client.get(app.url(&format!("/api/v1/evidence/{}", pdf["id"]))).send().await.expect("get");
    assert!(r.headers()["content-disposition"].to_str().unwrap_or_default().starts_with("attachment"));
    // A lead of another venue reads the campaign, so may see it; nobody signed in may not.
    let stranger = client_with_token(
        &user_with_token(&store, "lead-elsewhere", Role::Lead, None, vec![days[1].venue_id]).await,
    );
    let r = stranger.get(app.url(&format!("/api/v1/evidence/{}", photo["id"]))).send().await.expect("get");
    assert_eq!(r.status(), 200);
    let anonymous = reqwest::Client::new();
    let r = anonymous.get(app.url(&format!("/api/v1/evidence/{}", photo["id"]))).send().await.expect("get");
    assert_eq!(r.status(), 401);
    // ... and a lead of another venue may not attach to this venue's task.
    let r = stranger.post(app.url(&url)).body(png.clone()).send().await.expect("upload");
    assert_eq!(r.status(), 403);

    let html = app
        .client
        .get(app.url(&format!("/campaigns/{c}/tasks")))
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(html.contains(&format!("src=\"/api/v1/evidence/{}\"", photo["id"])), "a thumbnail of the photo");
    assert!(
        html.contains(&format!("href=\"/api/v1/evidence/{}\" download", pdf["id"]))
            && html.contains("通知.pdf")
    );
    app.stop().await;
}

#[tokio::test]
async fn the_task_table_and_sign_in_sheet_print_as_a4_pdfs_without_phone_numbers() {
    let mut app = spawn_app().await;
    let store = app.db.store.clone();
    let c = demo(&mut app).await;
    let (s, _) = post(&app.client, &app, &format!("/api/v1/campaigns/{c}/tasks/default"), &json!({})).await;
    assert_eq!(s, 201);
    // A unit with a phone number among its contact details: the sheet never shows it.
    let unit = eventday_store::planning::participations::list(&store, c).await.expect("units")[0].unit_id;
    let mut u = serde_json::to_value(eventday_store::planning::units::get(&store, unit).await.expect("unit"))
        .expect("json");
    let input = json!({"name": u["name"].take(), "kind": u["kind"].take(), "contact": "027-88886666"});
    let r = app.client.put(app.url(&format!("/api/v1/units/{unit}"))).json(&input).send().await.expect("put");
    assert_eq!(r.status(), 200, "{}", r.text().await.unwrap_or_default());

    for (path, words, pages_at_least) in
        [("tasks.pdf", ["工作分工表", "召开筹备会"], 1), ("check-in-sheet.pdf", ["签到表", "签名"], 2)]
    {
        let r = app.client.get(app.url(&format!("/api/v1/campaigns/{c}/{path}"))).send().await.expect("pdf");
        assert_eq!(r.status(), 200, "{path}");
        assert_eq!(r.headers()["content-type"], "application/pdf");
        let bytes = r.bytes().await.expect("bytes");
        assert!(bytes.starts_with(b"%PDF-"), "{path}");
        if let Ok(dir) = std::env::var("EVENTDAY_SCREENSHOT_DIR") {
            std::fs::write(std::path::Path::new(&dir).join(path), &bytes).ok();
        }
        let sheet = match path {
            "tasks.pdf" => {
                eventday_store::report_data::task_sheet(&store, c, eventday_domain::Lang::Zh).await
            }
            _ => eventday_store::report_data::sign_in_sheet(&store, c, eventday_domain::Lang::Zh).await,
        }
        .expect("sheet");
        let fonts = eventday_report::FontSet::bundled().expect("fonts");
        let (pages, _) =
            eventday_report::layout::layout_sheet(&sheet, eventday_domain::Lang::Zh, &fonts).expect("layout");
        assert!(pages.len() >= pages_at_least, "{path}: {} pages", pages.len());
        let text = |p: &eventday_report::layout::Page| -> String {
            p.items
                .iter()
                .filter_map(|(_, i)| match i {
                    eventday_report::layout::Item::Line(l) => Some(l.text()),
                    _ => None,
                })
                .collect::<Vec<_>>()
                .join("\n")
        };
        let all: String = pages.iter().map(text).collect();
        for w in words {
            assert!(all.contains(w), "{path}: {w}");
        }
        assert!(!all.contains("88886666"), "{path}: no phone numbers");
        // The table header is repeated on every page.
        let header = &sheet.columns[1].0;
        assert!(pages.iter().all(|p| text(p).contains(header.as_str())), "{path}: header on every page");
        assert!((pages[0].width - 595.3).abs() < 1.0 && (pages[0].height - 841.9).abs() < 1.0, "A4");
    }
    let page = app.client.get(app.url(&format!("/campaigns/{c}/tasks/print"))).send().await.expect("page");
    assert!(page.text().await.expect("html").contains(&format!("/api/v1/campaigns/{c}/tasks.pdf")));
    let (s, body) = get(&app.client, &app, &format!("/api/v1/campaigns/{c}/tasks.pdf?lang=fr")).await;
    assert_eq!(s, 422);
    assert!(body["error"]["fields"]["lang"].is_string());
    app.stop().await;
}

/// The report's text as laid out, lines joined (Chinese without, English with a space).
async fn report_text(store: &Store, campaign: i32, lang: eventday_domain::Lang) -> String {
    let data = eventday_store::report_data::campaign_report_data(store, campaign, lang).await.expect("data");
    let fonts = eventday_report::FontSet::bundled().expect("fonts");
    let (pages, _) =
        eventday_report::layout::layout_report(&data, lang, eventday_report::Style::Modern, &fonts)
            .expect("layout");
    let sep = if lang == eventday_domain::Lang::Zh { "" } else { " " };
    pages
        .iter()
        .flat_map(|p| p.items.iter())
        .filter_map(|(_, i)| match i {
            eventday_report::layout::Item::Line(l) => Some(l.text()),
            _ => None,
        })
        .collect::<Vec<_>>()
        .join(sep)
}

#[tokio::test]
async fn units_copied_by_a_clone_are_marked_to_confirm_until_confirmed() {
    let mut app = spawn_app().await;
    let c = demo(&mut app).await;
    let client = app.client.clone();
    let (s, out) = post(
        &client,
        &app,
        &format!("/api/v1/campaigns/{c}/clone"),
        &json!({"date": "2014-03-15", "parts": ["venues", "units"]}),
    )
    .await;
    assert_eq!(s, 201, "{out}");
    let new = out["campaign"]["id"].as_i64().expect("id");
    let page = |lang: &'static str| {
        let url = app.url(&format!("/campaigns/{new}/units?lang={lang}"));
        let client = client.clone();
        async move { client.get(url).send().await.expect("page").text().await.expect("html") }
    };
    let html = page("zh").await;
    let marks = html.matches("to-confirm-mark").count();
    assert!(marks > 1, "every copied unit is marked: {marks}");
    assert!(html.contains("待确认") && html.contains("data-confirm-participation"));
    assert!(page("en").await.contains(">to confirm<"));

    // Confirming is the participation's own update, roles kept.
    let (_, parts) = get(&client, &app, &format!("/api/v1/campaigns/{new}/participations")).await;
    let p = parts
        .as_array()
        .expect("parts")
        .iter()
        .find(|p| p["staffs_booth"] == true)
        .expect("a booth unit")
        .clone();
    let body = json!({"unit_id": p["unit_id"], "staffs_booth": true, "reconciliation_member": p["reconciliation_member"],
        "media": p["media"], "sponsor": p["sponsor"], "to_confirm": false});
    let r = client
        .put(app.url(&format!("/api/v1/participations/{}", p["id"])))
        .json(&body)
        .send()
        .await
        .expect("put");
    assert_eq!(r.status(), 200);
    let confirmed: Value = r.json().await.expect("json");
    assert_eq!(
        (confirmed["to_confirm"].as_bool(), confirmed["staffs_booth"].as_bool()),
        (Some(false), Some(true))
    );
    assert_eq!(page("zh").await.matches("to-confirm-mark").count(), marks - 1);
    app.stop().await;
}
