//! Planning on pages: venues added, changed and deleted on the venues page; booths drawn,
//! refused an overlap in words, edited in the side panel and deleted on the planner; the plan
//! printed on one sheet.

use super::driver::{Browser, programs};
use super::{ONE_AT_A_TIME, fixture, post, screenshots, sign_in};
use crate::helpers::spawn_app;
use serde_json::{Value, json};

async fn get(app: &crate::helpers::TestApp, path: &str) -> (u16, Value) {
    let resp = app.client.get(app.url(path)).send().await.expect("request");
    let status = resp.status().as_u16();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn venues_named(app: &crate::helpers::TestApp, campaign: i64) -> Vec<(i64, String, f64)> {
    let (_, v) = get(app, &format!("/api/v1/campaigns/{campaign}/venues")).await;
    v.as_array()
        .expect("venue list")
        .iter()
        .map(|v| {
            (
                v["id"].as_i64().unwrap_or(0),
                v["name"].as_str().unwrap_or("").to_owned(),
                v["width_m"].as_f64().unwrap_or(0.0),
            )
        })
        .collect()
}

/// Sets a form control's value as a person typing would leave it.
async fn set(b: &Browser, css: &str, value: &str) {
    b.find(css).await;
    b.js(
        "const e = document.querySelector(arguments[0]); e.value = arguments[1]; e.dispatchEvent(new Event('input', {bubbles: true})); return true",
        vec![json!(css), json!(value)],
    )
    .await;
}

#[tokio::test]
async fn an_organizer_adds_changes_and_deletes_a_venue_on_the_venues_page() {
    let Some((chromium, chromedriver)) = programs("venues_editor") else { return };
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let b = Browser::start(&chromium, &chromedriver, 1280, 900).await;
    sign_in(&b, &app, "organizer1").await;
    let page = app.url(&format!("/campaigns/{}/venues", f.campaign));
    b.goto(&page).await;

    // Without a name: refused beside the field, in words, and nothing is stored.
    b.click("button[data-add=venues]").await;
    set(&b, "#ed-venues-name", "").await;
    b.click("#editor-venues button[type=submit]").await;
    b.wait_text("#ed-venues-name-err", "不能为空").await;
    let form_msg = b.text("#editor-venues [data-msg]").await;
    assert!(!form_msg.contains("invalid type") && !form_msg.contains("f64"), "plain words: {form_msg}");
    assert_eq!(venues_named(&app, f.campaign).await.len(), 1, "nothing stored");

    set(&b, "#ed-venues-name", "滨江分会场").await;
    set(&b, "#ed-venues-width_m", "12").await;
    set(&b, "#ed-venues-depth_m", "8").await;
    set(&b, "#ed-venues-lead_name", "李娜").await;
    b.click("#editor-venues button[type=submit]").await;
    b.wait_for("return document.getElementById('editor-msg').textContent.includes('已保存')", "saved").await;
    let venues = venues_named(&app, f.campaign).await;
    let added = venues.iter().find(|v| v.1 == "滨江分会场").unwrap_or_else(|| panic!("added: {venues:?}"));
    assert_eq!(added.2, 12.0);
    let added = added.0;
    assert!(b.text(&format!("tr[data-id='{added}']")).await.contains("李娜"));

    // Changed: the form opens with what the venue has.
    b.click(&format!("button[data-edit='{added}'][data-editor=venues]")).await;
    let name = b.js("return document.getElementById('ed-venues-name').value", vec![]).await;
    assert_eq!(name, "滨江分会场");
    set(&b, "#ed-venues-name", "滨江分会场（东）").await;
    b.click("#editor-venues button[type=submit]").await;
    // The page loads again with the table as the server has it.
    b.wait_for(
        &format!("const r = document.querySelector(\"tr[data-id='{added}'] th\"); return !!r && r.textContent.includes('（东）')"),
        "the changed name in the table",
    )
    .await;
    let (_, v) = get(&app, &format!("/api/v1/venues/{added}")).await;
    assert_eq!(v["name"], "滨江分会场（东）");
    assert_eq!(v["width_m"], 12.0, "the rest is kept");

    // Deleting a venue deletes its booths and log with it: the question says so, and saying
    // no keeps the venue.
    b.js("window.confirm = (m) => { window.asked = m; return false; }; return true", vec![]).await;
    b.click(&format!("button[data-delete='{}'][data-editor=venues]", f.venue)).await;
    let asked = b.js("return window.asked || ''", vec![]).await;
    assert!(
        asked.as_str().is_some_and(|m| m.contains("展位") && m.contains("记录")),
        "the question: {asked}"
    );
    assert_eq!(venues_named(&app, f.campaign).await.len(), 2);

    // The new one goes.
    b.js("window.confirm = () => true; return true", vec![]).await;
    b.click(&format!("button[data-delete='{added}'][data-editor=venues]")).await;
    b.wait_for("return document.getElementById('editor-msg').textContent.includes('已删除')", "deleted")
        .await;
    assert!(b.text(&format!("tr[data-id='{added}']")).await.is_empty());
    assert_eq!(get(&app, &format!("/api/v1/venues/{added}")).await.0, 404);
    screenshots(&b, "venues", 1280, false).await;
    b.quit().await;
    app.stop().await;
}

/// The viewport point of the plan's metre coordinates (x, y).
async fn at(b: &Browser, x: f64, y: f64) -> (f64, f64) {
    let v = b
        .js(
            "const svg = document.getElementById('plan'); const p = svg.createSVGPoint(); p.x = arguments[0]; p.y = arguments[1];
             const s = p.matrixTransform(svg.getScreenCTM()); return [s.x, s.y]",
            vec![json!(x), json!(y)],
        )
        .await;
    (v[0].as_f64().unwrap_or(0.0), v[1].as_f64().unwrap_or(0.0))
}

async fn booth_ids(app: &crate::helpers::TestApp, venue: i64) -> Vec<i64> {
    let (_, v) = get(app, &format!("/api/v1/venues/{venue}/booths")).await;
    v.as_array().expect("booths").iter().filter_map(|b| b["id"].as_i64()).collect()
}

async fn wait_booths(b: &Browser, n: usize) {
    b.wait_for(
        &format!("return document.querySelectorAll('#booths .booth').length === {n}"),
        &format!("{n} booths"),
    )
    .await;
}

#[tokio::test]
async fn an_organizer_draws_booths_is_told_why_an_overlap_is_refused_edits_and_deletes_one_and_prints_one_sheet()
 {
    let Some((chromium, chromedriver)) = programs("planner_edit") else { return };
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let unit = post(&app, "/api/v1/units", json!({"name": "区市场监管局", "kind": "agency"})).await;
    post(
        &app,
        &format!("/api/v1/campaigns/{}/participations", f.campaign),
        json!({"unit_id": unit["id"], "staffs_booth": true}),
    )
    .await;
    // A one-metre booth with a long topic: its label must shorten, not shrink out of sight.
    let long_topic = "二手车交易纠纷调解与消费维权专题咨询服务台";
    let tiny = post(
        &app,
        &format!("/api/v1/venues/{}/booths", f.venue),
        json!({"topic": long_topic, "kind": "info", "x": 18.0, "y": 8.0, "w": 1.0, "h": 1.0}),
    )
    .await;
    let b = Browser::start(&chromium, &chromedriver, 1280, 900).await;
    sign_in(&b, &app, "organizer1").await;
    let page = app.url(&format!("/venues/{}/plan", f.venue));
    b.goto(&page).await;
    wait_booths(&b, 3).await;

    // Every label is at least 9 px on screen; the tiny booth's is shortened, its full topic in
    // the booth's title (shown on hover) and accessible name.
    let smallest = b
        .js(
            "const pxm = document.getElementById('plan').getScreenCTM().a;
             return Math.min(...[...document.querySelectorAll('#booths text.label')].map(t => parseFloat(t.style.fontSize) * pxm))",
            vec![],
        )
        .await
        .as_f64()
        .unwrap_or(0.0);
    assert!(smallest >= 8.99, "smallest label {smallest} px");
    let g = format!(".booth[data-id='{}']", tiny["id"]);
    let label = b.text(&format!("{g} text.label")).await;
    assert!(label.starts_with("3 ") && label.ends_with('…'), "number and shortened topic: {label}");
    assert!(b.text(&format!("{g} title")).await.contains(long_topic));

    // Draw two booths on the empty floor.
    let pxm =
        b.js("return document.getElementById('plan').getScreenCTM().a", vec![]).await.as_f64().unwrap_or(0.0);
    let (x, y) = at(&b, 2.0, 5.0).await;
    b.drag_at(x + 1.0, y + 1.0, 3.0 * pxm, 2.0 * pxm).await;
    wait_booths(&b, 4).await;
    let (x, y) = at(&b, 8.0, 5.0).await;
    b.drag_at(x + 1.0, y + 1.0, 3.0 * pxm, 2.0 * pxm).await;
    wait_booths(&b, 5).await;
    let ids = booth_ids(&app, f.venue).await;
    assert_eq!(ids.len(), 5, "both drawn booths are stored: {ids:?}");
    let (drawn, second) = (ids[3], ids[4]);
    let (_, d) = get(&app, &format!("/api/v1/booths/{drawn}")).await;
    assert_eq!(
        (d["x"].as_f64(), d["y"].as_f64(), d["w"].as_f64(), d["h"].as_f64()),
        (Some(2.0), Some(5.0), Some(3.0), Some(2.0))
    );
    assert!(b.text(&format!(".booth[data-id='{drawn}'] text.label")).await.starts_with("4 "), "numbered");

    // Dragged onto booth 1: refused, and told so in words; it stays on top while it overlaps.
    let dg = format!(".booth[data-id='{drawn}']");
    b.drag_by(&format!("{dg} rect:not(.handle)"), 0.0, -3.5 * pxm).await;
    b.wait_for(
        "return document.getElementById('plan-msg').textContent.includes('未保存：与展位1重叠')",
        "the refusal in words",
    )
    .await;
    let msg = b.text("#plan-msg").await;
    assert!(
        !msg.contains("conflicting") && !msg.contains("rect") && !msg.contains("overlaps"),
        "no raw error: {msg}"
    );
    let on_top = b.js("return document.getElementById('booths').lastElementChild.dataset.id", vec![]).await;
    assert_eq!(on_top, json!(drawn.to_string()));
    b.wait_for(&format!("return document.querySelector(\"{dg}\").dataset.y === '5'"), "put back").await;
    assert_eq!(get(&app, &format!("/api/v1/booths/{drawn}")).await.1["y"], 5.0);

    // The side panel: topic and staffing unit.
    b.click(&format!("#booth-list button[data-select='{drawn}']")).await;
    set(&b, "#bf-topic", "食品安全咨询").await;
    b.click(&format!("input[name=unit_ids][value='{}']", unit["id"])).await;
    b.click("#booth-form button[type=submit]").await;
    b.wait_for("return document.getElementById('plan-msg').textContent.includes('已保存')", "saved").await;
    assert_eq!(get(&app, &format!("/api/v1/booths/{drawn}")).await.1["topic"], "食品安全咨询");
    b.goto(&page).await;
    wait_booths(&b, 5).await;
    assert!(b.text(&format!("{dg} text.label")).await.contains("食品安全"));
    assert!(b.text(&format!("{dg} title")).await.contains("区市场监管局"), "the staffing unit is kept");

    // Deleted from the panel: gone from the plan and the server; the others are renumbered.
    b.click(&format!("#booth-list button[data-select='{second}']")).await;
    b.js("window.confirm = () => true; return true", vec![]).await;
    b.click("#delete-booth").await;
    wait_booths(&b, 4).await;
    b.wait_for("return document.getElementById('plan-msg').textContent.includes('已删除')", "deleted").await;
    assert_eq!(get(&app, &format!("/api/v1/booths/{second}")).await.0, 404);

    // The button adds one in a free place.
    b.click("#add-booth").await;
    wait_booths(&b, 5).await;
    assert_eq!(booth_ids(&app, f.venue).await.len(), 5);
    screenshots(&b, "planner-edit", 1280, false).await;

    // English: the same refusal in English words.
    b.goto(&format!("{page}?lang=en")).await;
    wait_booths(&b, 5).await;
    b.drag_by(&format!("{dg} rect:not(.handle)"), 0.0, -3.5 * pxm).await;
    b.wait_for(
        "return document.getElementById('plan-msg').textContent.includes('Not saved: Overlaps booth 1')",
        "the English refusal",
    )
    .await;

    // The print sheet: one A4 page.
    b.goto(&app.url(&format!("/venues/{}/plan/print?lang=zh", f.venue))).await;
    wait_booths(&b, 5).await;
    let pdf = b.print_pdf().await;
    assert!(pdf.starts_with(b"%PDF-"), "a PDF");
    assert_eq!(pdf_pages(&pdf), 1, "the plan prints on one sheet");
    b.quit().await;
    app.stop().await;
}

#[tokio::test]
async fn an_organizer_imports_booths_on_the_planner_after_seeing_the_dry_run_and_sees_the_new_booth_drawn() {
    let Some((chromium, chromedriver)) = programs("planner_import") else { return };
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let csv = "会场,主题,类型,X（米）,Y（米）,宽（米）,深（米）,旋转（度）,参与单位\r\n\
               江滩主会场,导入的专题展位,咨询,14,5,3,2,0,\r\n";
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("展位.csv");
    std::fs::write(&file, csv).expect("file");
    let b = Browser::start(&chromium, &chromedriver, 1280, 900).await;
    sign_in(&b, &app, "organizer1").await;
    b.goto(&app.url(&format!("/venues/{}/plan", f.venue))).await;
    wait_booths(&b, 2).await;
    // This venue's booths are offered for download beside the campaign's.
    let href = b
        .js("return document.querySelector('.io-links a[href*=\"venue=\"]').getAttribute('href')", vec![])
        .await;
    assert!(href.as_str().is_some_and(|h| h.contains(&format!("booths.csv?venue={}", f.venue))), "{href}");

    b.type_into("#io-file", &file.to_string_lossy()).await;
    b.click("#io-check").await;
    b.wait_for(
        "return document.getElementById('io-result').textContent.includes('将新增 1 条')",
        "the dry run's counts in words",
    )
    .await;
    assert_eq!(booth_ids(&app, f.venue).await.len(), 2, "a dry run writes nothing");
    b.click("#io-confirm").await;
    // The page loads again and draws the imported booth where the file put it.
    wait_booths(&b, 3).await;
    b.wait_for(
        "return document.getElementById('io-result').textContent.includes('已导入')",
        "the import's result after the reload",
    )
    .await;
    let ids = booth_ids(&app, f.venue).await;
    assert_eq!(ids.len(), 3);
    let added = ids.iter().copied().find(|id| *id != f.booth_a && *id != f.booth_b).expect("the new booth");
    let (_, d) = get(&app, &format!("/api/v1/booths/{added}")).await;
    assert_eq!(
        (d["topic"].as_str(), d["x"].as_f64(), d["y"].as_f64()),
        (Some("导入的专题展位"), Some(14.0), Some(5.0))
    );
    let g = format!(".booth[data-id='{added}']");
    assert!(b.text(&format!("{g} title")).await.contains("导入的专题展位"), "drawn on the plan");
    assert_eq!(b.js(&format!("return document.querySelector(\"{g}\").dataset.x"), vec![]).await, json!("14"));
    b.quit().await;
    app.stop().await;
}

/// The number of pages of a PDF written by Chromium (its page objects).
pub(super) fn pdf_pages(pdf: &[u8]) -> usize {
    let text = String::from_utf8_lossy(pdf);
    text.match_indices("/Type /Page").filter(|(i, _)| !text[i + 11..].starts_with('s')).count()
}

async fn day_of(app: &crate::helpers::TestApp, venue: i64) -> String {
    get(app, &format!("/api/v1/venues/{venue}")).await.1["day_status"].as_str().unwrap_or("").to_owned()
}

#[tokio::test]
async fn an_organizer_submits_accepts_and_reopens_venues_days_from_the_dashboard() {
    let Some((chromium, chromedriver)) = programs("dashboard_days") else { return };
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let second = post(
        &app,
        &format!("/api/v1/campaigns/{}/venues", f.campaign),
        json!({"kind": "sub", "name": "社区分会场", "width_m": 10.0, "depth_m": 8.0}),
    )
    .await["id"]
        .as_i64()
        .expect("id");
    let b = Browser::start(&chromium, &chromedriver, 1280, 900).await;
    sign_in(&b, &app, "organizer1").await;
    b.goto(&app.url(&format!("/campaigns/{}", f.campaign))).await;
    b.wait_for("return document.getElementById('live-state').dataset.state === 'live'", "the live state")
        .await;
    assert_eq!(b.text("#live-state").await, "实时更新已连接");
    assert_eq!(b.text("[data-phase=not_started]").await, "2", "both venues not started");

    for v in [f.venue, second] {
        b.click(&format!("button[data-day-action=submit][data-venue='{v}']")).await;
        b.wait_for(
            &format!("return !!document.querySelector(\"tr[data-venue='{v}'] td[data-day=submitted]\")"),
            "submitted",
        )
        .await;
        assert_eq!(day_of(&app, v).await, "submitted");
    }
    assert_eq!(b.text("[data-phase=submitted]").await, "2");
    assert!(
        b.text(&format!("tr[data-venue='{second}'] .status")).await.contains("已提交"),
        "a badge per venue"
    );

    b.click("button[data-accept-all]").await;
    b.wait_for("return document.querySelectorAll('td[data-day=accepted]').length === 2", "all accepted")
        .await;
    assert_eq!(
        (day_of(&app, f.venue).await, day_of(&app, second).await),
        ("accepted".into(), "accepted".into())
    );
    assert_eq!(b.text("[data-phase=accepted]").await, "2");

    b.click(&format!("button[data-day-action=reopen][data-venue='{second}']")).await;
    b.type_into("#reopen-text", "补录社区活动人数").await;
    b.click("#reopen-confirm").await;
    b.wait_for(
        &format!("return !!document.querySelector(\"tr[data-venue='{second}'] td[data-day=open]\")"),
        "reopened",
    )
    .await;
    assert_eq!(day_of(&app, second).await, "open");
    assert!(b.text("#day-msg").await.contains("已更新"));
    screenshots(&b, "dashboard-days", 1280, false).await;
    b.quit().await;
    app.stop().await;
}

#[tokio::test]
async fn every_venue_of_the_demo_prints_its_plan_on_one_sheet_and_its_booth_table_on_at_most_one_more() {
    let Some((chromium, chromedriver)) = programs("plan_print") else { return };
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let id = eventday::load_demo(&app.db.store).await.expect("demo").campaign_id();
    let org = {
        use eventday_store::entities::campaign;
        use sea_orm::EntityTrait;
        campaign::Entity::find_by_id(id)
            .one(app.db.store.conn())
            .await
            .expect("db")
            .expect("campaign")
            .organization_id
    };
    crate::helpers::user_with_token(
        &app.db.store,
        "printer",
        eventday_domain::Role::Organizer,
        Some(org),
        vec![],
    )
    .await;
    let b = Browser::start(&chromium, &chromedriver, 1280, 900).await;
    sign_in(&b, &app, "printer").await;
    let venues = eventday_store::planning::venues::list(&app.db.store, id).await.expect("venues");
    assert!(venues.len() > 1);
    let mut most_booths = 0;
    for v in &venues {
        let vid = v.id;
        let booths =
            eventday_store::views::booths_with_units(&app.db.store, vid).await.expect("booths").len();
        most_booths = most_booths.max(booths);
        b.goto(&app.url(&format!("/venues/{vid}/plan/print"))).await;
        wait_booths(&b, booths).await;
        let pdf = b.print_pdf().await;
        if let Ok(dir) = std::env::var("EVENTDAY_SCREENSHOT_DIR") {
            std::fs::write(std::path::Path::new(&dir).join(format!("plan-{vid}.pdf")), &pdf).ok();
        }
        let pages = pdf_pages(&pdf);
        // A few booths share the sheet with the plan; more get a sheet of their own.
        let want = if booths <= 8 { 1 } else { 2 };
        assert_eq!(pages, want, "{} with {booths} booths prints on {pages} pages", v.name);
    }
    assert!(most_booths > 8, "the main venue has a full booth table: {most_booths}");
    b.quit().await;
    app.stop().await;
}

#[tokio::test]
async fn a_negative_allocation_is_refused_where_it_was_typed_and_not_saved() {
    let Some((chromium, chromedriver)) = programs("allocations") else { return };
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let b = Browser::start(&chromium, &chromedriver, 1280, 900).await;
    sign_in(&b, &app, "organizer1").await;
    b.goto(&app.url(&format!("/campaigns/{}/materials", f.campaign))).await;
    let cell = format!("input[data-m='{}'][data-v='{}']", f.material, f.venue);
    let change = |v: &str| {
        format!(
            "const i = document.querySelector(\"{cell}\"); i.value = '{v}'; i.dispatchEvent(new Event('change', {{bubbles: true}})); return true"
        )
    };
    b.js(&change("120"), vec![]).await;
    b.wait_for("return document.getElementById('grid-msg').textContent.includes('已保存')", "saved").await;
    b.js(&change("-5"), vec![]).await;
    b.wait_for(
        "return document.getElementById('grid-msg').textContent.includes('不能为负数')",
        "the refusal",
    )
    .await;
    assert_eq!(
        b.js(&format!("return document.querySelector(\"{cell}\").getAttribute('aria-invalid')"), vec![])
            .await,
        "true"
    );
    assert_eq!(
        b.js(&format!("return document.querySelector(\"{cell}\").value"), vec![]).await,
        "-5",
        "what was typed stays"
    );
    let (_, allocs) = get(&app, &format!("/api/v1/materials/{}/allocations", f.material)).await;
    let qty: Vec<i64> =
        allocs.as_array().expect("allocations").iter().filter_map(|a| a["quantity"].as_i64()).collect();
    assert_eq!(qty, vec![120], "the last good number is kept: {allocs}");
    b.quit().await;
    app.stop().await;
}

#[tokio::test]
async fn a_booth_without_a_position_is_listed_not_drawn_and_placed_on_request_and_a_venue_without_a_plan_says_so()
 {
    let Some((chromium, chromedriver)) = programs("unplaced_booths") else { return };
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let f = fixture(&app).await;
    // An imported booth without a position, at the venue with a plan.
    let loose = post(
        &app,
        &format!("/api/v1/venues/{}/booths", f.venue),
        json!({"topic": "食品安全咨询", "kind": "consultation"}),
    )
    .await;
    assert_eq!(loose["placed"], json!(false));
    // A venue without a plan.
    let bare = post(
        &app,
        &format!("/api/v1/campaigns/{}/venues", f.campaign),
        json!({"kind": "sub", "name": "社区分会场"}),
    )
    .await;
    post(
        &app,
        &format!("/api/v1/venues/{}/booths", bare["id"]),
        json!({"topic": "电动车安全", "kind": "consultation"}),
    )
    .await;

    let b = Browser::start(&chromium, &chromedriver, 1280, 900).await;
    sign_in(&b, &app, "organizer1").await;
    b.goto(&app.url(&format!("/venues/{}/plan", f.venue))).await;
    let id = loose["id"].as_i64().expect("id");
    let hidden = format!(
        "return document.querySelector('.booth[data-id=\"{id}\"]').getAttribute('display') === 'none'"
    );
    b.wait_for(&hidden, "the unplaced booth to be left off the plan").await;
    assert!(b.text("#booth-list").await.contains("食品安全咨询（未摆放）"));
    b.click(&format!("button[data-select='{id}']")).await;
    b.click("#place-booth").await;
    let placed =
        format!("return document.querySelector('.booth[data-id=\"{id}\"]').getAttribute('display') === null");
    b.wait_for(&placed, "the booth to be drawn").await;
    b.wait_for(
        "return document.querySelector('#plan-msg').textContent.includes('已保存')",
        "the place saved",
    )
    .await;
    let (_, row) = get(&app, &format!("/api/v1/booths/{id}")).await;
    assert_eq!(row["placed"], json!(true), "{row}");
    // Placed where nothing else stands.
    let (_, all) = get(&app, &format!("/api/v1/venues/{}/booths", f.venue)).await;
    let r = |v: &Value| {
        (
            v["x"].as_f64().unwrap_or(0.0),
            v["y"].as_f64().unwrap_or(0.0),
            v["w"].as_f64().unwrap_or(0.0),
            v["h"].as_f64().unwrap_or(0.0),
        )
    };
    let me = r(&row);
    for other in all.as_array().expect("booths").iter().filter(|o| o["id"] != row["id"]) {
        let o = r(other);
        let apart = me.0 + me.2 <= o.0 || o.0 + o.2 <= me.0 || me.1 + me.3 <= o.1 || o.1 + o.3 <= me.1;
        assert!(apart, "{row} overlaps {other}");
    }

    // The venue without a plan: said in words, no plan drawn, its booth listed; the print too.
    b.goto(&app.url(&format!("/venues/{}/plan", bare["id"]))).await;
    assert!(b.text("#no-plan").await.contains("还没有平面图"));
    assert_eq!(b.js("return document.querySelector('#plan') === null", vec![]).await, json!(true));
    assert!(b.text("main").await.contains("电动车安全"));
    b.goto(&app.url(&format!("/venues/{}/plan/print", bare["id"]))).await;
    assert!(b.text("header").await.contains("尚无平面图"), "{}", b.text("header").await);
    assert!(!b.text("header").await.contains("1 × 1"));
    assert_eq!(pdf_pages(&b.print_pdf().await), 1);
    b.quit().await;
    app.stop().await;
}

#[tokio::test]
async fn an_organizer_imports_a_workbook_on_the_venues_page_after_seeing_the_dry_run() {
    let Some((chromium, chromedriver)) = programs("import_panel") else { return };
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let rows = vec![vec![
        "导入分会场".to_owned(),
        String::new(),
        "分会场".into(),
        "区消协".into(),
        "后湖大道".into(),
        "xx".into(),
        "20".into(),
        "10".into(),
        "09:00".into(),
        "11:30".into(),
    ]];
    let book = eventday_domain::csv::workbook::export_workbook(
        eventday_domain::csv::Kind::Venues,
        eventday_domain::csv::Lang::Zh,
        &rows,
    )
    .expect("workbook");
    let dir = tempfile::tempdir().expect("dir");
    let file = dir.path().join("会场.xlsx");
    std::fs::write(&file, &book).expect("file");
    let b = Browser::start(&chromium, &chromedriver, 1366, 900).await;
    sign_in(&b, &app, "organizer1").await;
    b.goto(&app.url(&format!("/campaigns/{}/venues", f.campaign))).await;
    b.type_into("#io-file", &file.to_string_lossy()).await;
    b.click("#io-check").await;
    b.wait_for(
        "return document.getElementById('io-result').textContent.includes('将新增 1 条')",
        "the dry run's counts in words",
    )
    .await;
    assert_eq!(venues_named(&app, f.campaign).await.len(), 1, "a dry run writes nothing");
    b.js("document.getElementById('io-result').scrollIntoView(); return true", vec![]).await;
    screenshots(&b, "import-panel", 1366, false).await;
    b.click("#io-confirm").await;
    b.wait_for(
        "return [...document.querySelectorAll('table th[scope=row]')].some(th => th.textContent.includes('导入分会场'))",
        "the imported venue in the table",
    )
    .await;
    let names: Vec<String> = venues_named(&app, f.campaign).await.into_iter().map(|v| v.1).collect();
    assert!(names.iter().any(|n| n == "导入分会场"), "{names:?}");
    b.quit().await;
}
