//! The dashboard on the day: it keeps following entries across a server restart (the feed is
//! ended by the stopping server, the page says so, reconnects and fetches the totals again), and
//! an organizer who reopens a venue's day says why, which the venue's lead then reads.

use super::driver::{Browser, programs};
use super::{ONE_AT_A_TIME, fixture, post, sign_in};
use crate::helpers::{ServerProcess, TEST_PASSWORD, client_with_token, spawn_app, user_with_token};
use eventday_domain::Role;
use serde_json::{Value, json};
use std::time::Duration;

/// Posts one entry of `visitors` to a venue of a server process, as its lead's phone would.
async fn post_entry(
    client: &reqwest::Client,
    base: &str,
    venue: i64,
    at: chrono::DateTime<chrono::Utc>,
    visitors: u32,
) {
    let r = client
        .post(format!("{base}/api/v1/venues/{venue}/log"))
        .json(&json!({"id": uuid::Uuid::new_v4(), "recorded_at": at, "author_name": "李强",
                      "visitors": visitors}))
        .send()
        .await
        .expect("post an entry");
    assert!(r.status().is_success(), "{}", r.status());
}

#[tokio::test]
async fn the_dashboard_shows_an_entry_posted_after_the_server_restarted() {
    let Some((chromium, chromedriver)) = programs("dashboard_restart") else { return };
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let campaign = app.get_json(&format!("/api/v1/campaigns/{}", f.campaign)).await.1;
    let org = i32::try_from(campaign["organization_id"].as_i64().expect("organization")).expect("id");
    let venue = i32::try_from(f.venue).expect("id");
    let lead = client_with_token(
        &user_with_token(&app.db.store, "phone-of-lead", Role::Lead, Some(org), vec![venue]).await,
    );

    // Every entry at the same time, so that they fall in one hour of the chart.
    let at = chrono::Utc::now();

    // The real server, as deployed, serves the organizer's browser.
    let server = ServerProcess::start(&app.db.url, false);
    let b = Browser::start(&chromium, &chromedriver, 1366, 900).await;
    b.goto(&format!("{}/login", server.base)).await;
    b.type_into("#login", "organizer1").await;
    b.type_into("#password", TEST_PASSWORD).await;
    b.click("#login-form button[type=submit]").await;
    b.wait_for("return location.pathname !== '/login'", "the sign-in page to move on").await;
    b.goto(&format!("{}/campaigns/{}", server.base, f.campaign)).await;
    let cell = format!("tr[data-venue='{}'] [data-col=visitors]", f.venue);
    b.wait_for("return document.getElementById('live-state').dataset.state === 'live'", "the live feed")
        .await;
    post_entry(&lead, &server.base, f.venue, at, 40).await;
    b.wait_text(&cell, "40").await;
    // The charts are drawn by the page from the same fragment: this hour's 40 is the peak.
    b.wait_for(
        "const s = document.querySelector('#chart-hours svg'); \
         return !!s && s.getAttribute('role') === 'img' && /高峰 \\d+时 40$/.test(s.getAttribute('aria-label'))",
        "the hourly chart with the entry",
    )
    .await;

    // A restart: SIGTERM ends the live feed within the server's grace period, and the process.
    let addr = server.addr.clone();
    let status = server.terminate(Duration::from_secs(30));
    assert!(status.success(), "a stopped server exits cleanly: {status}");
    b.wait_for("return document.getElementById('live-state').dataset.state === 'lost'", "the page to say so")
        .await;
    let shown = b.text("#live-state").await;
    assert!(
        shown.contains("中断") || shown.contains("重连"),
        "the lost connection is said in words: {shown}"
    );

    // The next server on the same address: the page reconnects by itself and shows what is new.
    let server = ServerProcess::start_on(&app.db.url, &addr, false);
    post_entry(&lead, &server.base, f.venue, at, 5).await;
    b.wait_text(&cell, "45").await;
    b.wait_for(
        "return document.getElementById('live-state').dataset.state === 'live'",
        "the feed to be back",
    )
    .await;
    // And it follows the feed again, not only polling: a later entry arrives too.
    post_entry(&lead, &server.base, f.venue, at, 2).await;
    b.wait_text(&cell, "47").await;
    b.wait_for(
        "return /高峰 \\d+时 47$/.test(document.querySelector('#chart-hours svg')?.getAttribute('aria-label'))",
        "the chart redrawn with the new figures",
    )
    .await;
    b.quit().await;
    drop(server);
    app.stop().await;
}

#[tokio::test]
async fn reopening_a_day_on_the_dashboard_asks_why_and_the_lead_reads_the_reason() {
    let Some((chromium, chromedriver)) = programs("dashboard_reopen") else { return };
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let f = fixture(&app).await;
    post(
        &app,
        &format!("/api/v1/venues/{}/log", f.venue),
        json!({"id": uuid::Uuid::new_v4(), "recorded_at": chrono::Utc::now(), "author_name": "李强", "visitors": 12}),
    )
    .await;
    post(&app, &format!("/api/v1/venues/{}/day/submit", f.venue), json!({})).await;

    let b = Browser::start(&chromium, &chromedriver, 1366, 900).await;
    sign_in(&b, &app, "organizer1").await;
    b.goto(&app.url(&format!("/campaigns/{}", f.campaign))).await;
    let row = format!("tr[data-venue='{}']", f.venue);
    b.click(&format!("{row} button[data-day-action=reopen]")).await;
    b.wait_for("return !document.getElementById('reopen-dialog').hidden", "the reopen form").await;
    assert!(b.text("#reopen-name").await.contains("江滩主会场"));
    // No reason: refused in words, and the day stays submitted.
    b.click("#reopen-confirm").await;
    b.wait_text("#reopen-msg", "请写明退回原因，会场负责人会看到。").await;
    let day = app.get_json(&format!("/api/v1/venues/{}", f.venue)).await.1;
    assert_eq!(day["day_status"], "submitted");
    b.type_into("#reopen-text", "咨询人数与签到表不符，请核对").await;
    b.click("#reopen-confirm").await;
    b.wait_for(
        &format!("return !!document.querySelector(\"{row} button[data-day-action=submit]\")"),
        "the day open",
    )
    .await;
    let day: Value = app.get_json(&format!("/api/v1/venues/{}", f.venue)).await.1;
    assert_eq!(day["day_status"], "open");
    assert_eq!(day["reopen_reason"], "咨询人数与签到表不符，请核对");
    b.quit().await;

    // The lead's phone shows the reason with the day's state.
    let phone = Browser::start(&chromium, &chromedriver, 360, 780).await;
    sign_in(&phone, &app, "lead1").await;
    phone.goto(&app.url(&format!("/lead/venues/{}", f.venue))).await;
    phone.wait_text("#reopen-reason", "退回原因：咨询人数与签到表不符，请核对").await;
    // Submitting again clears it.
    post(&app, &format!("/api/v1/venues/{}/day/submit", f.venue), json!({})).await;
    let day: Value = app.get_json(&format!("/api/v1/venues/{}", f.venue)).await.1;
    assert_eq!(day["reopen_reason"], Value::Null);
    phone.goto(&app.url(&format!("/lead/venues/{}", f.venue))).await;
    phone.wait_for("return document.getElementById('reopen-reason').hidden", "the reason to go").await;
    phone.quit().await;
    app.stop().await;
}
