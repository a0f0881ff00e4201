//! The lead's phone at 360 px: entries checked before they are queued, refused entries edited
//! and resent, a sign-in asked for in place when the session ended, a locked day, and a
//! correction made offline that every total then shows.

use super::driver::{Browser, programs};
use super::{ONE_AT_A_TIME, fixture, log_count, screenshots, sign_in, with_queue};
use crate::helpers::{TEST_PASSWORD, TestApp, spawn_app};
use sea_orm::ConnectionTrait;
use serde_json::{Value, json};

/// Signs the lead in and opens their venue's page at 360 px.
async fn lead_page(app: &TestApp, venue: i64) -> Browser {
    let (chromium, chromedriver) = programs("lead_phone").expect("checked by the caller");
    let b = Browser::start(&chromium, &chromedriver, 360, 780).await;
    sign_in(&b, app, "lead1").await;
    b.goto(&app.url(&format!("/lead/venues/{venue}"))).await;
    b.wait_text("#pending-count", "0").await;
    b
}

async fn set_value(b: &Browser, css: &str, value: &str) {
    b.js(
        "const e = document.querySelector(arguments[0]); e.value = arguments[1]; \
         e.dispatchEvent(new Event('change', {bubbles: true})); return true",
        vec![json!(css), json!(value)],
    )
    .await;
}

async fn sql(app: &TestApp, statement: &str) {
    app.db.store.conn().execute_unprepared(statement).await.expect(statement);
}

async fn summary(app: &TestApp, campaign: i64) -> Value {
    app.client
        .get(app.url(&format!("/api/v1/campaigns/{campaign}/summary")))
        .send()
        .await
        .expect("summary")
        .json()
        .await
        .expect("json")
}

#[tokio::test]
async fn an_entry_missing_its_author_is_refused_on_the_phone_before_queueing_and_keeps_its_values() {
    if programs("lead_author").is_none() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let b = lead_page(&app, f.venue).await;
    set_value(&b, "#author", "").await;
    for _ in 0..3 {
        b.click("[data-field=visitors] .plus").await;
    }
    b.type_into("#note", "上午").await;
    b.click("#record").await;
    b.wait_text("#err-author_name", "必填").await;
    screenshots(&b, "lead-missing-author", 360, false).await;
    assert!(b.text("#log-msg").await.contains("还没有保存"), "{}", b.text("#log-msg").await);
    assert_eq!(
        b.js("return document.querySelector('#author').getAttribute('aria-invalid')", vec![]).await,
        json!("true")
    );
    assert_eq!(b.js("return document.querySelector('#f-visitors').value", vec![]).await, json!("3"));
    assert_eq!(b.js("return document.querySelector('#note').value", vec![]).await, json!("上午"));
    assert_eq!(with_queue(&b, "return q ? q.entries.length : 0").await, json!(0), "nothing queued");
    // Settled above received is refused the same way, with the server's rule in Chinese.
    b.type_into("#author", "王敏").await;
    set_value(&b, "#f-complaints_settled", "2").await;
    b.click("#record").await;
    b.wait_text("#err-complaints_settled", "不能超过受理投诉数").await;
    set_value(&b, "#f-complaints_settled", "0").await;
    b.click("#record").await;
    b.wait_text("#sent-count", "1").await;
    assert!(!b.text("#log-msg").await.contains("还没有保存"));
    assert_eq!(log_count(&app, f.campaign).await, 1);
    b.quit().await;
    app.stop().await;
}

#[tokio::test]
async fn an_entry_refused_by_the_server_is_edited_and_resent() {
    if programs("lead_refused").is_none() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let b = lead_page(&app, f.venue).await;
    b.type_into("#author", "王敏").await;
    b.offline(true).await;
    b.click("[data-field=visitors] .plus").await;
    set_value(&b, "[data-material-id]", "5").await;
    b.click("#record").await;
    b.wait_text("#pending-count", "1").await;
    // Meanwhile the organizer removes the material: the server refuses the entry.
    sql(&app, &format!("DELETE FROM materials WHERE id = {}", f.material)).await;
    b.offline(false).await;
    b.wait_text("#rejected-count", "1").await;
    let reason = b.text("#recent li[data-state=rejected] .err-reason").await;
    assert!(reason.contains("本次活动没有这种物资"), "{reason}");
    let refused = with_queue(&b, "return q.entries.find(e => e.state === 'rejected').id").await;
    screenshots(&b, "lead-refused", 360, false).await;

    b.click("#recent li[data-state=rejected] .edit-refused").await;
    assert_eq!(b.js("return document.querySelector('#f-visitors').value", vec![]).await, json!("1"));
    set_value(&b, "[data-material-id]", "0").await;
    set_value(&b, "#f-visitors", "4").await;
    b.click("#record").await;
    b.wait_text("#sent-count", "1").await;
    b.wait_for("return document.querySelector('#rejected-wrap').hidden", "no refused entry left").await;
    let ids = with_queue(&b, "return q.entries.map(e => [e.id, e.state])").await;
    let ids = ids.as_array().expect("entries").clone();
    assert_eq!(ids.len(), 1, "the edited entry replaced the refused one: {ids:?}");
    assert_ne!(ids[0][0], refused, "changed content goes out under a new id");
    let s = summary(&app, f.campaign).await;
    assert_eq!(s["totals"]["figures"]["visitors"], json!(4));
    assert_eq!(log_count(&app, f.campaign).await, 1);
    b.quit().await;
    app.stop().await;
}

#[tokio::test]
async fn a_lead_whose_session_was_deleted_is_asked_to_sign_in_and_the_queue_is_then_sent_once() {
    if programs("lead_signin").is_none() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let b = lead_page(&app, f.venue).await;
    b.type_into("#author", "王敏").await;
    b.offline(true).await;
    for _ in 0..2 {
        b.click("[data-field=visitors] .plus").await;
    }
    b.click("#record").await;
    b.wait_text("#pending-count", "1").await;
    sql(&app, "DELETE FROM sessions").await;
    // Past the server's short cache of sessions (2 s), as on another instance.
    tokio::time::sleep(std::time::Duration::from_millis(2500)).await;
    b.offline(false).await;
    b.wait_for("return !document.querySelector('#signin-box').hidden", "the sign-in box").await;
    assert_eq!(b.text("#pending-count").await, "1", "the queue is kept");
    assert!(b.text("#signin-box").await.contains("登录已失效"));
    assert_eq!(log_count(&app, f.campaign).await, 0);
    b.type_into("#signin-form [name=login]", "lead1").await;
    b.type_into("#signin-form [name=password]", TEST_PASSWORD).await;
    b.click("#signin-form button[type=submit]").await;
    b.wait_text("#pending-count", "0").await;
    b.wait_text("#sent-count", "1").await;
    assert!(
        b.js("return location.pathname", vec![])
            .await
            .as_str()
            .is_some_and(|p| p.starts_with("/lead/venues/"))
    );
    // Sending again after the sign-in (another flush, a reload) stores nothing new.
    b.click("#send-now").await;
    b.goto(&app.url(&format!("/lead/venues/{}", f.venue))).await;
    b.wait_text("#pending-count", "0").await;
    assert_eq!(log_count(&app, f.campaign).await, 1, "sent exactly once");
    b.quit().await;
    app.stop().await;
}

#[tokio::test]
async fn a_locked_day_disables_the_form_with_its_reason() {
    if programs("lead_locked").is_none() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let f = fixture(&app).await;
    sql(&app, &format!("UPDATE venues SET day_status = 'accepted' WHERE id = {}", f.venue)).await;
    let b = lead_page(&app, f.venue).await;
    let state = b.text("#day-state").await;
    assert!(state.contains("已审核锁定") && state.contains("重新开放"), "{state}");
    assert_eq!(b.js("return document.querySelector('#record').disabled", vec![]).await, json!(true));
    assert_eq!(b.js("return document.querySelector('#f-visitors').disabled", vec![]).await, json!(true));
    // An open day says so, and the form works.
    sql(&app, &format!("UPDATE venues SET day_status = 'open' WHERE id = {}", f.venue)).await;
    b.goto(&app.url(&format!("/lead/venues/{}", f.venue))).await;
    b.wait_for("return !document.querySelector('#record').disabled", "an open form").await;
    assert!(b.text("#day-state").await.contains("填报中"));
    b.quit().await;
    app.stop().await;
}

#[tokio::test]
async fn a_correction_of_500_to_50_made_offline_is_sent_on_reconnect_and_every_total_shows_50() {
    if programs("lead_correction").is_none() {
        return;
    }
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let b = lead_page(&app, f.venue).await;
    b.type_into("#author", "王敏").await;
    set_value(&b, "#f-visitors", "500").await;
    b.click("#record").await;
    b.wait_text("#sent-count", "1").await;
    b.wait_for("return !!document.querySelector('#recent li .correct')", "a correct button").await;
    assert!(b.text("[data-total=visitors]").await.contains("500"));

    b.offline(true).await;
    b.click("#recent li .correct").await;
    assert_eq!(b.js("return document.querySelector('#f-visitors').value", vec![]).await, json!("500"));
    set_value(&b, "#f-visitors", "50").await;
    b.click("#record").await;
    b.wait_text("#err-reason", "必填").await;
    b.type_into("#reason", "多打了一个 0").await;
    b.click("#record").await;
    b.wait_text("#pending-count", "1").await;
    b.wait_for("return document.querySelector('[data-total=visitors]').textContent.includes('50') && !document.querySelector('[data-total=visitors]').textContent.includes('500')", "the running total of 50").await;
    assert!(
        b.js("return !!document.querySelector('#recent li.struck')", vec![]).await.as_bool().unwrap_or(false),
        "the original is struck through"
    );
    assert_eq!(
        summary(&app, f.campaign).await["totals"]["figures"]["visitors"],
        json!(500),
        "nothing sent while offline"
    );
    screenshots(&b, "lead-correction-queued", 360, false).await;

    b.offline(false).await;
    b.wait_text("#pending-count", "0").await;
    b.wait_text("#sent-count", "2").await;
    assert_eq!(summary(&app, f.campaign).await["totals"]["figures"]["visitors"], json!(50));
    let data = eventday_store::report_data::campaign_report_data(
        &app.db.store,
        i32::try_from(f.campaign).expect("id"),
        eventday_domain::Lang::Zh,
    )
    .await
    .expect("report data");
    assert_eq!(data.totals.visitors, 50, "the report");
    let org: Value = app
        .client
        .get(app.url(&format!("/api/v1/campaigns/{}", f.campaign)))
        .send()
        .await
        .expect("c")
        .json()
        .await
        .expect("json");
    let rollup: Value = app
        .client
        .get(app.url(&format!("/api/v1/organizations/{}/rollup?year=2026", org["organization_id"])))
        .send()
        .await
        .expect("rollup")
        .json()
        .await
        .expect("json");
    assert_eq!(rollup["totals"]["figures"]["visitors"], json!(50), "the roll-up: {rollup}");

    // The organizer's dashboard.
    b.click("#signout").await;
    b.wait_for("return location.pathname === '/login'", "signed out").await;
    sign_in(&b, &app, "organizer1").await;
    b.goto(&app.url(&format!("/campaigns/{}", f.campaign))).await;
    assert_eq!(b.text("#total-visitors").await, "50");
    b.quit().await;
    app.stop().await;
}

#[tokio::test]
async fn an_accepted_invitation_signs_the_lead_in_and_opens_their_venue_page() {
    let Some((chromium, chromedriver)) = programs("lead_invitation") else { return };
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let inv: Value = app
        .client
        .post(app.url(&format!("/api/v1/venues/{}/invitations", f.venue)))
        .send()
        .await
        .expect("invite")
        .json()
        .await
        .expect("json");
    let link = inv["link"].as_str().expect("link").to_owned();
    let b = Browser::start(&chromium, &chromedriver, 360, 780).await;
    b.goto(&link).await;
    b.type_into("form input[name=login]", "newlead").await;
    b.type_into("form input[name=password]", "a long enough password").await;
    b.click("form button[type=submit]").await;
    b.wait_for(
        &format!(
            "return location.pathname === '/lead/venues/{}' && !!document.querySelector('#log-form')",
            f.venue
        ),
        "the venue's page",
    )
    .await;
    assert_eq!(b.text(".venue-name").await, "江滩主会场");
    // Signed in: an entry goes straight to the server.
    b.type_into("#author", "新负责人").await;
    b.click("[data-field=visitors] .plus").await;
    b.click("#record").await;
    b.wait_text("#sent-count", "1").await;
    assert_eq!(log_count(&app, f.campaign).await, 1);
    b.quit().await;
    app.stop().await;
}
