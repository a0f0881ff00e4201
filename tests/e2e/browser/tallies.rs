//! Closing tallies on their page: added, refused in words, changed and deleted, and the
//! campaign's totals following each step.

use super::driver::{Browser, programs};
use super::{ONE_AT_A_TIME, fixture, screenshots, sign_in};
use crate::helpers::spawn_app;
use serde_json::json;

/// The venue's visitors in the campaign summary.
async fn visitors(app: &crate::helpers::TestApp, campaign: i64, venue: i64) -> i64 {
    let (_, s) = app.get_json(&format!("/api/v1/campaigns/{campaign}/summary")).await;
    s["totals"]["per_venue"]
        .as_array()
        .and_then(|vs| vs.iter().find(|v| v["venue_id"] == json!(venue)))
        .and_then(|v| v["figures"]["visitors"].as_i64())
        .expect("the venue's visitors")
}

async fn set(b: &Browser, css: &str, value: &str) {
    b.find(css).await;
    b.js(
        "const e = document.querySelector(arguments[0]); e.value = arguments[1]; e.dispatchEvent(new Event('change', {bubbles: true})); return true",
        vec![json!(css), json!(value)],
    )
    .await;
}

/// Waits until the element's text holds `want`.
async fn wait_contains(b: &Browser, css: &str, want: &str) {
    let script =
        format!("const e = document.querySelector({css:?}); return !!e && e.textContent.includes({want:?})");
    b.wait_for(&script, &format!("{css} to hold {want:?}")).await;
}

#[tokio::test]
async fn an_organizer_records_changes_and_deletes_a_booth_tally_on_the_tallies_page() {
    let Some((chromium, chromedriver)) = programs("tallies_page") else { return };
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let f = fixture(&app).await;
    assert_eq!(visitors(&app, f.campaign, f.venue).await, 0, "nothing logged yet");
    let b = Browser::start(&chromium, &chromedriver, 1280, 900).await;
    sign_in(&b, &app, "organizer1").await;
    b.goto(&app.url(&format!("/campaigns/{}/tallies", f.campaign))).await;
    assert!(b.text("#rows-table").await.contains("还没有收尾统计"));

    // No venue chosen: said beside the field, nothing sent.
    b.click("button[data-add=tallies]").await;
    b.click("#editor-tallies button[type=submit]").await;
    b.wait_text("#ed-tallies-venue_id-err", "必填").await;

    set(&b, "#ed-tallies-venue_id", &f.venue.to_string()).await;
    set(&b, "#ed-tallies-booth_id", &f.booth_a.to_string()).await;
    set(&b, "[id='ed-tallies-figures.visitors']", "30").await;
    set(&b, "[id='ed-tallies-figures.consultations']", "4").await;
    b.click("#editor-tallies button[type=submit]").await;
    wait_contains(&b, "#rows-table", "烟草识别专题咨询").await;
    assert!(b.text("#rows-table").await.contains("30"));
    assert_eq!(visitors(&app, f.campaign, f.venue).await, 30, "the booth's tally counts");
    screenshots(&b, "tallies-zh", 1366, false).await;
    b.goto(&app.url(&format!("/campaigns/{}/tallies?lang=en", f.campaign))).await;
    wait_contains(&b, "#rows-table", "Booth 1").await;
    screenshots(&b, "tallies-en", 1366, false).await;
    b.goto(&app.url(&format!("/campaigns/{}/tallies?lang=zh", f.campaign))).await;

    // A second tally of the same booth: refused in words of the page's language.
    b.click("button[data-add=tallies]").await;
    set(&b, "#ed-tallies-venue_id", &f.venue.to_string()).await;
    set(&b, "#ed-tallies-booth_id", &f.booth_a.to_string()).await;
    set(&b, "[id='ed-tallies-figures.visitors']", "5").await;
    b.click("#editor-tallies button[type=submit]").await;
    wait_contains(&b, "#editor-tallies", "这个展位已经有收尾统计").await;
    let shown = b.text("#editor-tallies").await;
    assert!(!shown.contains("already has"), "no English on a Chinese page: {shown}");
    assert_eq!(visitors(&app, f.campaign, f.venue).await, 30, "nothing stored");

    // Changed: the form opens with the row's figures, the venue fixed.
    b.goto(&app.url(&format!("/campaigns/{}/tallies", f.campaign))).await;
    b.click("button[data-editor=tallies][data-edit]").await;
    let shown: serde_json::Value = b
        .js(
            "return [document.querySelector(\"[id='ed-tallies-figures.visitors']\").value, document.querySelector('#ed-tallies-venue_id').disabled]",
            vec![],
        )
        .await;
    assert_eq!(shown, json!(["30", true]));
    set(&b, "[id='ed-tallies-figures.visitors']", "42").await;
    b.click("#editor-tallies button[type=submit]").await;
    wait_contains(&b, "#rows-table", "42").await;
    assert_eq!(visitors(&app, f.campaign, f.venue).await, 42);

    // Deleted: the totals go back to the log's.
    b.js("window.confirm = () => true; return true", vec![]).await;
    b.click("button[data-editor=tallies][data-delete]").await;
    wait_contains(&b, "#rows-table", "还没有收尾统计").await;
    assert_eq!(visitors(&app, f.campaign, f.venue).await, 0);
    b.quit().await;
    app.stop().await;
}

async fn items(app: &crate::helpers::TestApp, list: &str) -> Vec<serde_json::Value> {
    app.get_json(list).await.1.as_array().cloned().unwrap_or_default()
}

#[tokio::test]
async fn an_organizer_adds_changes_and_deletes_a_material_item_with_its_stock() {
    let Some((chromium, chromedriver)) = programs("material_items") else { return };
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let list = format!("/api/v1/campaigns/{}/materials", f.campaign);
    assert_eq!(items(&app, &list).await.len(), 1, "the fixture's leaflets");
    let b = Browser::start(&chromium, &chromedriver, 1280, 900).await;
    sign_in(&b, &app, "organizer1").await;
    b.goto(&app.url(&format!("/campaigns/{}/materials", f.campaign))).await;

    // A negative stock: refused beside the field in words, nothing stored.
    b.click("button[data-add=materials]").await;
    set(&b, "#ed-materials-name", "环保购物袋").await;
    set(&b, "#ed-materials-unit_label", "个").await;
    set(&b, "#ed-materials-planned", "300").await;
    set(&b, "#ed-materials-stock", "-5").await;
    b.click("#editor-materials button[type=submit]").await;
    b.wait_text("#ed-materials-stock-err", "不能为负数").await;
    assert_eq!(items(&app, &list).await.len(), 1, "nothing stored");

    set(&b, "#ed-materials-stock", "350").await;
    b.click("#editor-materials button[type=submit]").await;
    wait_contains(&b, "#items-table", "环保购物袋").await;
    let stored = items(&app, &list).await;
    let bag = stored.iter().find(|m| m["name"] == json!("环保购物袋")).expect("stored");
    assert_eq!((bag["planned"].clone(), bag["stock"].clone()), (json!(300), json!(350)));
    // The allocation grid has a column for it at once.
    wait_contains(&b, "#alloc-grid", "环保购物袋").await;
    screenshots(&b, "materials-zh", 1366, false).await;
    b.goto(&app.url(&format!("/campaigns/{}/materials?lang=en", f.campaign))).await;
    wait_contains(&b, "#items-table", "环保购物袋").await;
    screenshots(&b, "materials-en", 1366, false).await;
    b.goto(&app.url(&format!("/campaigns/{}/materials?lang=zh", f.campaign))).await;

    // Changed, then deleted.
    b.click(&format!("button[data-editor=materials][data-edit='{}']", bag["id"])).await;
    set(&b, "#ed-materials-planned", "320").await;
    b.click("#editor-materials button[type=submit]").await;
    wait_contains(&b, "#items-table", "320").await;
    b.js("window.confirm = () => true; return true", vec![]).await;
    b.click(&format!("button[data-editor=materials][data-delete='{}']", bag["id"])).await;
    b.wait_for(
        "return !document.querySelector('#items-table').textContent.includes('环保购物袋')",
        "the item to go",
    )
    .await;
    assert_eq!(items(&app, &list).await.len(), 1);
    b.quit().await;
    app.stop().await;
}

#[tokio::test]
async fn an_organizer_adds_changes_and_deletes_an_activity_in_the_venue_s_local_time() {
    let Some((chromium, chromedriver)) = programs("activities_page") else { return };
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let list = format!("/api/v1/venues/{}/activities", f.venue);
    let before = items(&app, &list).await.len();
    let b = Browser::start(&chromium, &chromedriver, 1280, 900).await;
    sign_in(&b, &app, "organizer1").await;
    b.goto(&app.url(&format!("/campaigns/{}/activities", f.campaign))).await;

    b.click("button[data-add=activities]").await;
    set(&b, "#ed-activities-venue_id", &f.venue.to_string()).await;
    set(&b, "#ed-activities-kind", "school_lecture").await;
    set(&b, "#ed-activities-title", "消费维权知识进课堂").await;
    set(&b, "#ed-activities-starts_at", "14:30").await;
    // Ending before it starts: refused in words, nothing stored.
    set(&b, "#ed-activities-ends_at", "13:00").await;
    b.click("#editor-activities button[type=submit]").await;
    b.wait_text("#ed-activities-ends_at-err", "必须晚于开始时间").await;
    assert_eq!(items(&app, &list).await.len(), before);

    set(&b, "#ed-activities-ends_at", "16:00").await;
    b.click("#editor-activities button[type=submit]").await;
    wait_contains(&b, "#rows-table", "14:30–16:00").await;
    screenshots(&b, "activities-zh", 1366, false).await;
    b.goto(&app.url(&format!("/campaigns/{}/activities?lang=en", f.campaign))).await;
    wait_contains(&b, "#rows-table", "14:30–16:00").await;
    screenshots(&b, "activities-en", 1366, false).await;
    b.goto(&app.url(&format!("/campaigns/{}/activities?lang=zh", f.campaign))).await;
    let stored = items(&app, &list).await;
    let a = stored.iter().find(|a| a["title"] == json!("消费维权知识进课堂")).expect("stored");
    // 14:30 in Shanghai is 06:30 UTC.
    assert!(a["starts_at"].as_str().unwrap_or("").contains("T06:30:00"), "{a}");

    // The form shows the local time again, and a change keeps it local.
    b.click(&format!("button[data-editor=activities][data-edit='{}']", a["id"])).await;
    let shown = b.js("return document.querySelector('#ed-activities-starts_at').value", vec![]).await;
    assert_eq!(shown, json!("14:30"));
    set(&b, "#ed-activities-starts_at", "15:00").await;
    b.click("#editor-activities button[type=submit]").await;
    wait_contains(&b, "#rows-table", "15:00–16:00").await;
    b.js("window.confirm = () => true; return true", vec![]).await;
    b.click(&format!("button[data-editor=activities][data-delete='{}']", a["id"])).await;
    b.wait_for(
        "return !document.querySelector('#rows-table').textContent.includes('进课堂')",
        "the activity to go",
    )
    .await;
    assert_eq!(items(&app, &list).await.len(), before);
    b.quit().await;
    app.stop().await;
}
