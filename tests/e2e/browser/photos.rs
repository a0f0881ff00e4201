//! The photos page: an organizer stars a photo and finds its caption in the report's text.

use super::driver::{Browser, programs};
use super::{ONE_AT_A_TIME, screenshots, sign_in};
use crate::helpers::{spawn_app, user_with_token};
use eventday_domain::Role;
use serde_json::Value;

#[tokio::test]
async fn an_organizer_stars_a_photo_on_the_photos_page_and_the_report_shows_it() {
    let Some((chromium, chromedriver)) = programs("photos_page") else { return };
    let _one = ONE_AT_A_TIME.lock().await;
    let mut app = spawn_app().await;
    let c = eventday::load_demo(&app.db.store).await.expect("demo").campaign_id();
    app.act_as_organizer_of(c).await;
    let org = eventday_store::scope::campaign_organization(app.db.store.conn(), c)
        .await
        .expect("query")
        .expect("organization");
    user_with_token(&app.db.store, "organizer1", Role::Organizer, Some(org), vec![]).await;
    let list: Vec<Value> = app
        .client
        .get(app.url(&format!("/api/v1/campaigns/{c}/photos")))
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("JSON");
    let rain =
        list.iter().find(|p| p["caption"].as_str().is_some_and(|s| s.contains("大雨中"))).expect("rain");
    let id = rain["id"].as_i64().expect("id");

    let b = Browser::start(&chromium, &chromedriver, 1366, 900).await;
    sign_in(&b, &app, "organizer1").await;
    b.goto(&app.url(&format!("/campaigns/{c}"))).await;
    b.click("nav a[href$='/photos']").await;
    b.wait_for("return location.pathname.endsWith('/photos')", "the photos page").await;
    assert!(b.text("#photos-summary").await.contains("2 张选入报告"), "the demo's two starred photos");
    let star = format!("button[data-star='{id}']");
    assert_eq!(
        b.js(&format!("return document.querySelector(\"{star}\").getAttribute('aria-pressed')"), vec![])
            .await,
        "false"
    );
    b.click(&star).await;
    b.wait_for(
        &format!("return document.querySelector(\"{star}\").getAttribute('aria-pressed') === 'true'"),
        "the star to be saved",
    )
    .await;
    b.wait_text("#photos-summary", "共 4 张照片，其中 3 张选入报告").await;
    // The larger view opens on click and closes again.
    b.click(&format!("button[data-open='{id}']")).await;
    b.wait_for("return document.getElementById('photo-dialog').open", "the larger view").await;
    assert!(b.text("#photo-dialog-caption").await.contains("大雨中"));
    screenshots(&b, "photos-dialog", 1366, false).await;
    b.click("#photo-dialog-close").await;
    b.wait_for("return !document.getElementById('photo-dialog').open", "the dialog to close").await;
    screenshots(&b, "photos-zh", 1366, false).await;
    b.goto(&app.url(&format!("/campaigns/{c}/photos?lang=en"))).await;
    b.wait_text("#photos-summary", "4 photos, 3 of them for the report").await;
    screenshots(&b, "photos-en", 1366, false).await;
    b.quit().await;

    // The report's text has the caption the organizer starred.
    let pdf = app
        .client
        .get(app.url(&format!("/api/v1/campaigns/{c}/report.pdf")))
        .send()
        .await
        .expect("report")
        .bytes()
        .await
        .expect("pdf");
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("r.pdf");
    std::fs::write(&path, &pdf).expect("write");
    let out =
        std::process::Command::new("pdftotext").arg("-raw").arg(&path).arg("-").output().expect("pdftotext");
    let text: String = String::from_utf8_lossy(&out.stdout).split_whitespace().collect();
    let section = text.split_once("活动剪影").map(|(_, s)| s.to_owned()).unwrap_or_default();
    assert!(section.contains("大雨中，同庆阁社区居民撑伞参加“维权活动进社区”"), "{section}");
    app.stop().await;
}
