//! Reporting up the hierarchy in two browsers at once: the city's organizer watches the
//! reporting page while a district submits, returns the submission with a comment on the page,
//! and the district's dashboard (already open) shows the comment, all without a reload.

use super::driver::{Browser, programs};
use super::{ONE_AT_A_TIME, fixture, post, screenshots, sign_in};
use crate::helpers::{spawn_app, user_with_token};
use chrono::Datelike;
use eventday_domain::Role;
use serde_json::json;

#[tokio::test]
async fn the_city_sees_a_district_submit_live_returns_it_and_the_district_dashboard_shows_the_comment() {
    let Some((chromium, chromedriver)) = programs("hierarchy") else { return };
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    // The fixture's district (organizer1) lies under the test's root organization: the city.
    let f = fixture(&app).await;
    user_with_token(&app.db.store, "city1", Role::Organizer, Some(app.root_org), vec![]).await;
    post(
        &app,
        &format!("/api/v1/venues/{}/log", f.venue),
        json!({"id": uuid::Uuid::new_v4(), "recorded_at": chrono::Utc::now(), "author_name": "李强", "visitors": 40}),
    )
    .await;
    let campaign = app.get_json(&format!("/api/v1/campaigns/{}", f.campaign)).await.1;
    let district = campaign["organization_id"].as_i64().expect("organization");
    let year = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).year();

    // The city's organizer opens the reporting page from the start page.
    let city = Browser::start(&chromium, &chromedriver, 1366, 900).await;
    sign_in(&city, &app, "city1").await;
    city.goto(&app.url("/")).await;
    city.click("#rollup-link").await;
    city.wait_for("return location.pathname.endsWith('/rollup')", "the reporting page").await;
    city.goto(&app.url(&format!("/organizations/{}/rollup?year={year}", app.root_org))).await;
    let row = format!("#completeness tr[data-org='{district}']");
    city.wait_text(&format!("{row} .status"), "录入中").await;
    city.wait_for(
        "return document.getElementById('rollup-live').dataset.mode === 'live'",
        "the organization's feed to open",
    )
    .await;

    // The district's organizer has the dashboard open and submits with a note.
    let dist = Browser::start(&chromium, &chromedriver, 1366, 900).await;
    sign_in(&dist, &app, "organizer1").await;
    dist.goto(&app.url(&format!("/campaigns/{}", f.campaign))).await;
    dist.wait_text("#submission-status", "未报送").await;
    dist.wait_for("return document.getElementById('live').dataset.mode === 'live'", "the campaign's feed")
        .await;
    dist.type_into("#submission-note", "全部会场已核对").await;
    dist.click("#submission-submit").await;
    dist.wait_text("#submission-status", "已报送，待上级审核").await;
    dist.wait_for("return document.getElementById('submission-form').hidden", "the form to go away").await;

    // The city's page shows the move without a reload, with accept and return on the row.
    city.wait_text(&format!("{row} .status"), "已报送").await;
    city.find(&format!("{row} button[data-accept]")).await;
    screenshots(&city, "rollup-zh", 1366, false).await;

    // Returning needs a comment: refused in words when empty, then sent.
    city.click(&format!("{row} button[data-return]")).await;
    city.wait_for("return !document.getElementById('return-dialog').hidden", "the return form").await;
    city.click("#return-confirm").await;
    city.wait_text("#return-msg", "请填写退回意见。").await;
    city.type_into("#return-comment", "投诉数与台账不符，请核对后重新报送").await;
    city.click("#return-confirm").await;
    city.wait_text(&format!("{row} .status"), "已退回").await;

    // The district's dashboard, still open, shows the comment at once.
    dist.wait_text("#submission-comment-text", "投诉数与台账不符，请核对后重新报送").await;
    dist.wait_text("#submission-status", "已退回，请修改后重新报送").await;
    dist.wait_for(
        "return !document.getElementById('submission-comment').hidden && !document.getElementById('submission-form').hidden",
        "the comment and the submit form again",
    )
    .await;
    let stored = app.get_json(&format!("/api/v1/campaigns/{}/submission", f.campaign)).await.1;
    assert_eq!(stored["submission"]["status"], "returned");
    assert_eq!(stored["submission"]["comment"], "投诉数与台账不符，请核对后重新报送");
    screenshots(&dist, "dashboard-returned-zh", 1366, false).await;

    // Both pages in English.
    dist.goto(&app.url(&format!("/campaigns/{}?lang=en", f.campaign))).await;
    dist.wait_text("#submission-status", "Returned: correct it and submit again").await;
    screenshots(&dist, "dashboard-returned-en", 1366, false).await;
    city.goto(&app.url(&format!("/organizations/{}/rollup?year={year}&lang=en", app.root_org))).await;
    city.wait_text(&format!("{row} .status"), "Returned").await;
    screenshots(&city, "rollup-en", 1366, false).await;
    city.quit().await;
    dist.quit().await;
    app.stop().await;
}
