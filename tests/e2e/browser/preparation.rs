//! Before the day in a real browser: an organizer clones last year's campaign choosing the
//! parts; a lead signs a unit in through the link its QR code holds and sees the organizers'
//! message on the venue page, live.

use super::ONE_AT_A_TIME;
use super::driver::{Browser, programs};
use super::{screenshots, sign_in};
use crate::helpers::{spawn_app, user_with_token};
use eventday_domain::Role;
use eventday_store::entities::{check_in, material, venue};
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::json;

#[tokio::test]
async fn an_organizer_clones_choosing_parts_and_a_lead_checks_in_by_qr_link_and_sees_the_message() {
    let Some((chromium, chromedriver)) = programs("preparation") else { return };
    let _one = ONE_AT_A_TIME.lock().await;
    let mut app = spawn_app().await;
    let store = app.db.store.clone();
    let c = eventday::load_demo(&store).await.expect("demo").campaign_id();
    app.act_as_organizer_of(c).await;
    let org = eventday_store::entities::campaign::Entity::find_by_id(c)
        .one(store.conn())
        .await
        .expect("q")
        .expect("campaign")
        .organization_id;
    user_with_token(&store, "org-prep", Role::Organizer, Some(org), vec![]).await;
    let days = eventday_store::scope::venue_days(store.conn(), c).await.expect("venues");
    let v = days[1].venue_id;
    user_with_token(&store, "lead-prep", Role::Lead, None, vec![v]).await;
    let unit = eventday_store::planning::participations::list(&store, c).await.expect("units")[0].unit_id;

    // The organizer copies venues, units, activities and the checklist, not the materials.
    let b = Browser::start(&chromium, &chromedriver, 1280, 900).await;
    sign_in(&b, &app, "org-prep").await;
    b.goto(&app.url(&format!("/campaigns/{c}/clone"))).await;
    screenshots(&b, "clone", 1280, false).await;
    b.click("input[name=parts][value=materials]").await;
    b.js("const d = document.querySelector('#clone-date'); d.value = '2014-03-15'; return true", vec![])
        .await;
    b.click("#clone-submit").await;
    b.wait_for("return !!document.querySelector('#cloned-link')", "the new campaign's link").await;
    let href = b.js("return document.querySelector('#cloned-link').getAttribute('href')", vec![]).await;
    let new: i32 =
        href.as_str().and_then(|h| h.rsplit('/').next()).and_then(|n| n.parse().ok()).expect("an id");
    let venues = venue::Entity::find()
        .filter(venue::Column::CampaignId.eq(new))
        .count(store.conn())
        .await
        .expect("count");
    let materials = material::Entity::find()
        .filter(material::Column::CampaignId.eq(new))
        .count(store.conn())
        .await
        .expect("count");
    assert_eq!((venues, materials), (17, 0), "venues copied, materials left out");
    b.quit().await;

    // The lead's phone opens the QR link and signs the unit in; a second scan stores nothing.
    let b = Browser::start(&chromium, &chromedriver, 360, 780).await;
    sign_in(&b, &app, "lead-prep").await;
    let link = app.url(&format!("/check-in/{c}/unit-{unit}"));
    b.goto(&link).await;
    b.click("#check-in-submit").await;
    b.wait_text("#check-in-msg", "已签到").await;
    screenshots(&b, "check-in-link", 360, false).await;
    b.goto(&link).await;
    b.click("#check-in-submit").await;
    b.wait_text("#check-in-msg", "此前已签到").await;
    let n = check_in::Entity::find()
        .filter(check_in::Column::CampaignId.eq(c))
        .count(store.conn())
        .await
        .expect("n");
    assert_eq!(n, 1);

    // A message sent before the page opens is there; one sent while it is open arrives live.
    let send = format!("/api/v1/campaigns/{c}/messages");
    let r = app
        .client
        .post(app.url(&send))
        .json(&json!({"body": "下雨：改用室内方案"}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 201);
    b.goto(&app.url(&format!("/lead/venues/{v}"))).await;
    b.wait_for(
        "return document.querySelector('#lead-messages').textContent.includes('下雨：改用室内方案')",
        "the message",
    )
    .await;
    let r = app
        .client
        .post(app.url(&send))
        .json(&json!({"body": "物资12点送到", "venue_ids": [v]}))
        .send()
        .await
        .expect("send");
    assert_eq!(r.status(), 201);
    b.wait_for(
        "return document.querySelector('#lead-messages').textContent.includes('物资12点送到')",
        "the message",
    )
    .await;
    // Another unit ticked on the list of the same page.
    let second = eventday_store::planning::participations::list(&store, c).await.expect("units")[1].unit_id;
    let tick = format!("#check-in-list button[data-key='unit-{second}']");
    b.wait_for(&format!("return !!document.querySelector(\"{tick}\")"), "the list").await;
    b.click(&tick).await;
    b.wait_text(&tick, "已签到").await;
    let n = check_in::Entity::find()
        .filter(check_in::Column::CampaignId.eq(c))
        .count(store.conn())
        .await
        .expect("n");
    assert_eq!(n, 2);
    b.quit().await;
    app.stop().await;
}

#[tokio::test]
async fn a_lead_marks_a_venue_task_done_on_the_phone_and_sees_overdue_ones_in_red() {
    let Some((chromium, chromedriver)) = programs("preparation-tasks") else { return };
    let _one = ONE_AT_A_TIME.lock().await;
    let mut app = spawn_app().await;
    let store = app.db.store.clone();
    let c = eventday::load_demo(&store).await.expect("demo").campaign_id();
    app.act_as_organizer_of(c).await;
    let days = eventday_store::scope::venue_days(store.conn(), c).await.expect("venues");
    let v = days[1].venue_id;
    user_with_token(&store, "lead-tasks-b", Role::Lead, None, vec![v]).await;
    let tasks = format!("/api/v1/campaigns/{c}/tasks");
    let mut ids = Vec::new();
    for body in [
        json!({"title": "横幅送达本会场", "due_on": "2013-03-13", "venue_id": v}),
        json!({"title": "会场布置检查", "due_on": "2099-03-14", "venue_id": v}),
        json!({"title": "召开新闻通气会", "due_on": "2013-03-12"}),
    ] {
        let r = app.client.post(app.url(&tasks)).json(&body).send().await.expect("task");
        assert_eq!(r.status(), 201);
        let row: serde_json::Value = r.json().await.expect("json");
        ids.push(row["id"].as_i64().expect("id"));
    }

    let b = Browser::start(&chromium, &chromedriver, 360, 780).await;
    sign_in(&b, &app, "lead-tasks-b").await;
    b.goto(&app.url(&format!("/lead/venues/{v}"))).await;
    let first = format!("#lead-tasks li[data-task='{}']", ids[0]);
    b.wait_for(&format!("return !!document.querySelector(\"{first} select\")"), "the task list").await;
    let red = b
        .js(
            &format!("return getComputedStyle(document.querySelector(\"{first} .task-title\")).color"),
            vec![],
        )
        .await;
    assert_eq!(red.as_str(), Some("rgb(176, 0, 32)"), "the overdue task is red");
    let shared = b
        .js("return [...document.querySelectorAll('#lead-campaign-tasks li')].map(l => [l.textContent, !!l.querySelector('select')])", vec![])
        .await;
    let rows = shared.as_array().expect("rows");
    assert!(
        rows.iter()
            .any(|r| r[0].as_str().is_some_and(|t| t.contains("召开新闻通气会") && t.contains("已逾期"))),
        "{shared}"
    );
    assert!(rows.iter().all(|r| r[1] == false), "campaign-wide tasks are read only: {shared}");
    b.js("document.querySelector('details.lead-campaign-tasks').open = true; return true", vec![]).await;
    b.js(
        &format!("const s = document.querySelector(\"{first} select\"); s.value = 'done'; s.dispatchEvent(new Event('change')); return true"),
        vec![],
    )
    .await;
    b.wait_text(&format!("{first} .msg"), "已保存").await;
    b.js("document.querySelector('#lead-tasks-h').scrollIntoView(); return true", vec![]).await;
    screenshots(&b, "lead-tasks", 360, false).await;
    let row =
        eventday_store::planning::tasks::get(&store, i32::try_from(ids[0]).expect("id")).await.expect("task");
    assert_eq!(row.status, eventday_domain::TaskStatus::Done);
    // A member of staff signs in by name on the same page.
    b.type_into("#staff-name", "张志愿").await;
    b.click("#staff-check-in button[type=submit]").await;
    b.wait_text("#staff-check-in-msg", "已签到").await;
    b.wait_for(
        "return document.querySelector('#staff-checked-in').textContent.includes('张志愿')",
        "the list",
    )
    .await;
    b.js("document.querySelector('#staff-check-in').scrollIntoView(); return true", vec![]).await;
    screenshots(&b, "lead-staff", 360, false).await;
    let staff = check_in::Entity::find()
        .filter(check_in::Column::VenueId.eq(v))
        .filter(check_in::Column::Name.eq("张志愿"))
        .count(store.conn())
        .await
        .expect("n");
    assert_eq!(staff, 1);
    b.quit().await;
    app.stop().await;
}

/// A valid 8 x 6 red PNG.
pub(super) const RED_PNG: &[u8] = &[
    137, 80, 78, 71, 13, 10, 26, 10, 0, 0, 0, 13, 73, 72, 68, 82, 0, 0, 0, 8, 0, 0, 0, 6, 8, 2, 0, 0, 0, 113,
    103, 72, 172, 0, 0, 0, 17, 73, 68, 65, 84, 120, 156, 99, 56, 33, 39, 135, 21, 49, 12, 164, 4, 0, 105,
    136, 48, 193, 100, 133, 162, 226, 0, 0, 0, 0, 73, 69, 78, 68, 174, 66, 96, 130,
];

#[tokio::test]
async fn an_organizer_sees_task_evidence_and_confirms_a_copied_unit() {
    let Some((chromium, chromedriver)) = programs("preparation-evidence") else { return };
    let _one = ONE_AT_A_TIME.lock().await;
    let mut app = spawn_app().await;
    let store = app.db.store.clone();
    let c = eventday::load_demo(&store).await.expect("demo").campaign_id();
    app.act_as_organizer_of(c).await;
    let org = eventday_store::entities::campaign::Entity::find_by_id(c)
        .one(store.conn())
        .await
        .expect("q")
        .expect("campaign")
        .organization_id;
    user_with_token(&store, "org-evidence", Role::Organizer, Some(org), vec![]).await;
    let task = eventday_store::planning::tasks::list(&store, c).await.expect("tasks")[0].id;
    eventday_store::preparation::add_evidence(&store, None, task, "横幅.png", RED_PNG.to_vec())
        .await
        .expect("db")
        .expect("a photo");
    eventday_store::preparation::add_evidence(&store, None, task, "通知.pdf", b"%PDF-1.4\n".to_vec())
        .await
        .expect("db")
        .expect("a pdf");
    let r = app
        .client
        .post(app.url(&format!("/api/v1/campaigns/{c}/clone")))
        .json(&json!({"date": "2014-03-15", "parts": ["venues", "units"]}))
        .send()
        .await
        .expect("clone");
    let out: serde_json::Value = r.json().await.expect("json");
    let new = out["campaign"]["id"].as_i64().expect("id");

    let b = Browser::start(&chromium, &chromedriver, 1280, 900).await;
    sign_in(&b, &app, "org-evidence").await;
    b.goto(&app.url(&format!("/campaigns/{c}/tasks"))).await;
    b.wait_for("const i = document.querySelector('img.evidence-thumb'); return !!i && i.complete && i.naturalWidth === 8", "the thumbnail").await;
    screenshots(&b, "tasks-evidence", 1280, false).await;
    b.goto(&app.url(&format!("/campaigns/{new}/units"))).await;
    let before = b.js("return document.querySelectorAll('.to-confirm-mark').length", vec![]).await;
    let before = before.as_i64().expect("count");
    assert!(before > 1);
    screenshots(&b, "units-to-confirm", 1280, false).await;
    b.click("button[data-confirm-participation]").await;
    b.wait_for(
        &format!("return document.querySelectorAll('.to-confirm-mark').length === {}", before - 1),
        "one confirmed",
    )
    .await;
    b.quit().await;
    app.stop().await;
}
