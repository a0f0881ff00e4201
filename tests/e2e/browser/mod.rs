//! Browser tests: real headless Chromium (Debian's `chromium` + `chromium-driver`) against the
//! real server on 127.0.0.1. Where Chromium is not installed they print that they were skipped;
//! with `EVENTDAY_REQUIRE_BROWSER=1` a missing browser fails them instead.

mod a11y;
mod cases;
mod dashboard;
mod driver;
mod hierarchy;
mod lead;
mod photos;
mod planning;
mod preparation;
mod tallies;

use crate::helpers::{TEST_PASSWORD, TestApp, spawn_app, user_with_token};
use driver::{Browser, programs};
use eventday_domain::Role;
use sea_orm::{ColumnTrait, EntityTrait, PaginatorTrait, QueryFilter};
use serde_json::{Value, json};
use std::time::Duration;

/// One browser at a time: the machine has two cores and the tests wait on real time.
static ONE_AT_A_TIME: tokio::sync::Mutex<()> = tokio::sync::Mutex::const_new(());

async fn post(app: &TestApp, path: &str, body: Value) -> Value {
    let resp = app.client.post(app.url(path)).json(&body).send().await.expect("request");
    let status = resp.status();
    let v: Value = resp.json().await.expect("JSON");
    assert!(status.is_success(), "POST {path}: {status} {v}");
    v
}

/// A campaign held today (in Shanghai), one venue of 20 x 10 m with two booths and one material;
/// an organizer `organizer1` and the venue's lead `lead1` (password [`TEST_PASSWORD`]).
struct Fixture {
    campaign: i64,
    venue: i64,
    booth_a: i64,
    booth_b: i64,
    material: i64,
}

async fn fixture(app: &TestApp) -> Fixture {
    let today = chrono::Utc::now().with_timezone(&chrono_tz::Asia::Shanghai).date_naive();
    let org =
        post(app, "/api/v1/organizations", json!({"name": "江岸区消费者协会", "parent_id": app.root_org}))
            .await;
    let c = post(
        app,
        "/api/v1/campaigns",
        json!({"organization_id": org["id"], "year": 2026, "date": today.to_string(), "timezone": "Asia/Shanghai",
               "title": "江岸区“3·15”活动", "theme": "消费与服务", "status": "live"}),
    )
    .await;
    let v = post(
        app,
        &format!("/api/v1/campaigns/{}/venues", c["id"]),
        json!({"kind": "main", "name": "江滩主会场", "width_m": 20.0, "depth_m": 10.0, "lead_name": "王敏",
               "opens_at": "09:00", "closes_at": "17:00"}),
    )
    .await;
    let booth = |topic: &str, x: f64| json!({"topic": topic, "kind": "consultation", "x": x, "y": 1.0, "w": 3.0, "h": 2.0, "rotation_deg": 0.0, "unit_ids": []});
    let a = post(app, &format!("/api/v1/venues/{}/booths", v["id"]), booth("烟草识别专题咨询", 1.0)).await;
    let b = post(app, &format!("/api/v1/venues/{}/booths", v["id"]), booth("电动车行业专题咨询", 10.0)).await;
    let m = post(
        app,
        &format!("/api/v1/campaigns/{}/materials", c["id"]),
        json!({"name": "宣传资料", "unit_label": "份", "planned": 500}),
    )
    .await;
    let id = |v: &Value| v["id"].as_i64().expect("id");
    let org_id = i32::try_from(id(&org)).expect("id");
    let venue_id = i32::try_from(id(&v)).expect("id");
    user_with_token(&app.db.store, "organizer1", Role::Organizer, Some(org_id), vec![]).await;
    user_with_token(&app.db.store, "lead1", Role::Lead, Some(org_id), vec![venue_id]).await;
    Fixture { campaign: id(&c), venue: id(&v), booth_a: id(&a), booth_b: id(&b), material: id(&m) }
}

async fn log_count(app: &TestApp, campaign: i64) -> u64 {
    use eventday_store::entities::log_entry;
    log_entry::Entity::find()
        .filter(log_entry::Column::CampaignId.eq(i32::try_from(campaign).expect("id")))
        .count(app.db.store.conn())
        .await
        .expect("count")
}

/// Signs in through the sign-in page and waits until it has moved on.
async fn sign_in(b: &Browser, app: &TestApp, login: &str) {
    b.goto(&app.url("/login")).await;
    b.type_into("#login", login).await;
    b.type_into("#password", TEST_PASSWORD).await;
    b.click("#login-form button[type=submit]").await;
    b.wait_for("return location.pathname !== '/login'", "the sign-in page to move on").await;
}

/// Fills the lead form (visitors by pressing +, a material, a note) and records it.
async fn record(b: &Browser, visitors: u32, leaflets: u32, note: &str) {
    for _ in 0..visitors {
        b.click("[data-field=visitors] .plus").await;
    }
    b.click("[data-field=consultations] .plus").await;
    for _ in 0..leaflets {
        b.click("[data-material] .plus").await;
    }
    b.type_into("#note", note).await;
    b.click("#record").await;
}

/// Runs `body` in the lead page with `k` (the local-storage key of the venue's queue) and `q`
/// (the queue) in scope, and returns what it returns.
async fn with_queue(b: &Browser, body: &str) -> Value {
    let script = format!(
        "const k = Object.keys(localStorage).find(k => k.startsWith('eventday.queue'));
         const q = JSON.parse(localStorage.getItem(k)); {body}"
    );
    b.js(&script, vec![]).await
}

#[tokio::test]
async fn a_lead_logging_offline_on_a_phone_has_every_entry_counted_exactly_once() {
    let Some((chromium, chromedriver)) = programs("lead_offline") else { return };
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let b = Browser::start(&chromium, &chromedriver, 360, 780).await;
    sign_in(&b, &app, "lead1").await;
    // A lead lands on the choice of their venues.
    b.click(&format!("a[href='/lead/venues/{}']", f.venue)).await;
    let page = app.url(&format!("/lead/venues/{}", f.venue));
    b.wait_text("#pending-count", "0").await;
    b.type_into("#author", "王敏").await;

    // The signal drops: two entries wait in the phone.
    b.offline(true).await;
    record(&b, 3, 2, "雨中第一批").await;
    b.wait_text("#pending-count", "1").await;
    record(&b, 2, 0, "雨中第二批").await;
    b.wait_text("#pending-count", "2").await;
    b.wait_text("#net-state", "离线").await;
    assert_eq!(log_count(&app, f.campaign).await, 0, "nothing reached the server while offline");

    // The signal comes back: both are sent.
    b.offline(false).await;
    b.wait_text("#pending-count", "0").await;
    b.wait_text("#sent-count", "2").await;
    assert_eq!(log_count(&app, f.campaign).await, 2);

    // Offline again, one more entry, and the page is closed before it could be sent.
    b.offline(true).await;
    record(&b, 4, 0, "关页前").await;
    b.wait_text("#pending-count", "1").await;
    let stored =
        with_queue(&b, "return q.entries.filter(e => e.state === 'pending').map(e => e.body.note)").await;
    assert_eq!(stored, json!(["关页前"]), "the unsent entry is kept in the browser's storage");
    // The page makes version 7 UUIDs (time first), so later entries get larger ids and the
    // server files them at the end of its indexes.
    let ids = with_queue(&b, "return q.entries.map(e => e.id)").await;
    let ids: Vec<uuid::Uuid> =
        ids.as_array().unwrap().iter().map(|v| v.as_str().unwrap().parse().unwrap()).collect();
    assert_eq!(ids.len(), 3, "{ids:?}");
    assert!(ids.iter().all(|u| u.get_version_num() == 7), "{ids:?}");
    assert!(ids.windows(2).all(|w| w[0] < w[1]), "ids in the order the entries were made: {ids:?}");
    b.goto("about:blank").await;
    b.offline(false).await;

    // Reopened later: the queued entry goes out. Then an already-sent entry is sent again (as
    // after an answer lost on the way back); the server keeps it once.
    b.goto(&page).await;
    b.wait_text("#pending-count", "0").await;
    b.wait_text("#sent-count", "3").await;
    with_queue(&b, "q.entries[0].state = 'pending'; localStorage.setItem(k, JSON.stringify(q)); return true")
        .await;
    b.goto(&page).await;
    b.wait_text("#pending-count", "0").await;
    b.wait_text("#sent-count", "3").await;
    assert_eq!(log_count(&app, f.campaign).await, 3, "each entry stored exactly once");

    // The organizer's dashboard shows each entry once.
    b.click("#signout").await;
    b.wait_for("return location.pathname === '/login'", "signed out").await;
    sign_in(&b, &app, "organizer1").await;
    b.goto(&app.url(&format!("/campaigns/{}", f.campaign))).await;
    let row = format!("tr[data-venue='{}']", f.venue);
    assert_eq!(b.text(&format!("{row} [data-col=entries]")).await, "3");
    assert_eq!(b.text(&format!("{row} [data-col=visitors]")).await, "9");
    assert_eq!(b.text(&format!("{row} [data-col=consultations]")).await, "3");
    assert_eq!(b.text("#total-visitors").await, "9");
    assert_eq!(b.text(&format!("{row} .status")).await, "进行中");
    let summary: Value = app
        .client
        .get(app.url(&format!("/api/v1/campaigns/{}/summary", f.campaign)))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let handed = &summary["totals"]["materials"][0];
    assert_eq!((handed["material_id"].as_i64(), handed["handed_out"].as_i64()), (Some(f.material), Some(2)));
    b.quit().await;
    app.stop().await;
}

#[tokio::test]
async fn the_dashboard_updates_by_itself_when_entries_arrive() {
    let Some((chromium, chromedriver)) = programs("dashboard_live") else { return };
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let b = Browser::start(&chromium, &chromedriver, 1280, 900).await;
    sign_in(&b, &app, "organizer1").await;
    b.goto(&app.url(&format!("/campaigns/{}", f.campaign))).await;
    let row = format!("tr[data-venue='{}']", f.venue);
    b.wait_text(&format!("{row} .status"), "未开始").await;
    // It follows the live feed (not the 5-second fallback polling).
    b.wait_for("return document.getElementById('live').dataset.mode === 'live'", "the live feed to open")
        .await;
    let now = chrono::Utc::now();
    post(
        &app,
        &format!("/api/v1/venues/{}/log", f.venue),
        json!({"id": uuid::Uuid::new_v4(), "recorded_at": now, "author_name": "李强", "visitors": 40, "consultations": 7}),
    )
    .await;
    b.wait_text(&format!("{row} [data-col=visitors]"), "40").await;
    b.wait_text(&format!("{row} .status"), "进行中").await;

    // Where the browser cannot open the feed, the page asks every few seconds instead.
    b.cdp("Page.addScriptToEvaluateOnNewDocument", json!({"source": "window.EventSource = undefined;"}))
        .await;
    b.goto(&app.url(&format!("/campaigns/{}", f.campaign))).await;
    b.wait_for("return document.getElementById('live').dataset.mode === 'poll'", "the polling fallback")
        .await;
    post(
        &app,
        &format!("/api/v1/venues/{}/log", f.venue),
        json!({"id": uuid::Uuid::new_v4(), "recorded_at": chrono::Utc::now(), "author_name": "李强", "visitors": 5}),
    )
    .await;
    b.wait_text(&format!("{row} [data-col=visitors]"), "45").await;
    b.quit().await;
    app.stop().await;
}

async fn booth_at(app: &TestApp, id: i64) -> (f64, f64) {
    let v: Value =
        app.client.get(app.url(&format!("/api/v1/booths/{id}"))).send().await.unwrap().json().await.unwrap();
    (v["x"].as_f64().unwrap(), v["y"].as_f64().unwrap())
}

#[tokio::test]
async fn a_dragged_booth_stays_where_it_was_dropped_and_an_overlapping_drop_is_refused() {
    let Some((chromium, chromedriver)) = programs("planner_drag") else { return };
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let b = Browser::start(&chromium, &chromedriver, 1280, 900).await;
    sign_in(&b, &app, "organizer1").await;
    let page = app.url(&format!("/venues/{}/plan", f.venue));
    b.goto(&page).await;
    let a = format!(".booth[data-id='{}'] rect:not(.handle)", f.booth_a);
    b.find(&a).await;
    let px_per_m =
        b.js("return document.getElementById('plan').getScreenCTM().a", vec![]).await.as_f64().unwrap();
    assert!(px_per_m > 10.0, "the plan is drawn to a usable scale: {px_per_m} px/m");

    // Drag booth A 2 m right and 3 m down: it lands on (3, 4), snapped to 0.5 m.
    b.drag_by(&a, 2.0 * px_per_m, 3.0 * px_per_m).await;
    b.wait_for("return document.getElementById('plan-msg').textContent.includes('已保存')", "saved").await;
    assert_eq!(booth_at(&app, f.booth_a).await, (3.0, 4.0));
    b.goto(&page).await;
    let g = format!(".booth[data-id='{}']", f.booth_a);
    b.wait_for(
        &format!(
            "const g = document.querySelector(\"{g}\"); return g.dataset.x === '3' && g.dataset.y === '4'"
        ),
        "position after reload",
    )
    .await;

    // Drop it onto booth B: refused by the server, with a visible message, and put back.
    b.drag_by(&a, 7.5 * px_per_m, -3.0 * px_per_m).await;
    b.wait_for("return document.getElementById('plan-msg').textContent.includes('未保存')", "refusal").await;
    let msg = b.text("#plan-msg").await;
    assert!(msg.contains("与展位2重叠"), "the message names the other booth by its number: {msg}");
    assert_eq!(booth_at(&app, f.booth_b).await, (10.0, 1.0), "the other booth is untouched");
    let visible = b.js("const r = document.getElementById('plan-msg').getBoundingClientRect(); return r.height > 0 && r.width > 0", vec![]).await;
    assert_eq!(visible, Value::Bool(true));
    assert_eq!(booth_at(&app, f.booth_a).await, (3.0, 4.0), "the server kept the last good position");
    b.wait_for(
        &format!(
            "const g = document.querySelector(\"{g}\"); return g.dataset.x === '3' && g.dataset.y === '4'"
        ),
        "booth put back",
    )
    .await;

    // The keyboard moves it too: one arrow press is 0.5 m.
    b.click(&g).await;
    b.js(&format!("document.querySelector(\"{g}\").dispatchEvent(new KeyboardEvent('keydown', {{key: 'ArrowDown', bubbles: true}})); return true"), vec![]).await;
    b.wait_for(
        "return document.getElementById('plan-msg').textContent.includes('已保存')",
        "saved after key",
    )
    .await;
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    while booth_at(&app, f.booth_a).await != (3.0, 4.5) {
        assert!(std::time::Instant::now() < deadline, "keyboard move not saved");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }

    // Narrowed from 3 m to 1.5 m, the booth's label shrinks with it and stays inside.
    let key = |k: &str, shift: bool| {
        format!(
            "document.querySelector(\"{g}\").dispatchEvent(new KeyboardEvent('keydown', {{key: '{k}', shiftKey: {shift}, bubbles: true}})); return true"
        )
    };
    for _ in 0..3 {
        b.js(&key("ArrowLeft", true), vec![]).await;
    }
    let inside = format!(
        "const g = document.querySelector(\"{g}\"); const r = g.querySelector('rect:not(.handle)').getBBox();
         const l = g.querySelector('text.label').getBBox();
         return g.dataset.w === '1.5' && l.width > 0 && l.x >= r.x - 0.01 && l.x + l.width <= r.x + r.width + 0.01
           && Math.abs(l.x + l.width / 2 - (r.x + r.width / 2)) < 0.05"
    );
    b.wait_for(&inside, "the label to fit the narrowed booth").await;
    // Turned half a turn, the label still sits on the booth and reads the right way up.
    for _ in 0..12 {
        b.js(&key("r", false), vec![]).await;
    }
    b.wait_for(&inside, "the label to stay on the turned booth").await;
    b.wait_for(
        &format!("return (document.querySelector(\"{g} text.label\").getAttribute('transform') || '').startsWith('rotate(180')"),
        "the label to be turned upright",
    )
    .await;
    let deadline = std::time::Instant::now() + Duration::from_secs(15);
    loop {
        let v: Value = app
            .client
            .get(app.url(&format!("/api/v1/booths/{}", f.booth_a)))
            .send()
            .await
            .unwrap()
            .json()
            .await
            .unwrap();
        if v["w"].as_f64() == Some(1.5) && v["rotation_deg"].as_f64() == Some(180.0) {
            break;
        }
        assert!(std::time::Instant::now() < deadline, "resize and turn not saved: {v}");
        tokio::time::sleep(Duration::from_millis(100)).await;
    }
    screenshots(&b, "planner", 1280, false).await;
    b.quit().await;
    app.stop().await;
}

#[tokio::test]
async fn the_report_page_downloads_a_pdf() {
    let Some((chromium, chromedriver)) = programs("report_download") else { return };
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let id = eventday::load_demo(&app.db.store).await.expect("demo").campaign_id();
    let org = {
        use eventday_store::entities::campaign;
        campaign::Entity::find_by_id(id)
            .one(app.db.store.conn())
            .await
            .expect("db")
            .expect("campaign")
            .organization_id
    };
    user_with_token(&app.db.store, "report-writer", Role::Organizer, Some(org), vec![]).await;
    let b = Browser::start(&chromium, &chromedriver, 1280, 900).await;
    sign_in(&b, &app, "report-writer").await;
    b.goto(&app.url(&format!("/campaigns/{id}/report"))).await;
    b.js("const s = document.getElementById('report-lang'); s.value = 'en'; s.dispatchEvent(new Event('change')); return true", vec![]).await;
    let href = b.js("return document.getElementById('report-download').getAttribute('href')", vec![]).await;
    assert!(href.as_str().is_some_and(|h| h.contains("lang=en")), "the link follows the language: {href}");
    b.click("#report-download").await;
    let dir = b.downloads.path().to_owned();
    let deadline = std::time::Instant::now() + Duration::from_secs(60);
    let pdf = loop {
        let done: Vec<_> = std::fs::read_dir(&dir)
            .expect("download dir")
            .filter_map(Result::ok)
            .map(|e| e.path())
            .filter(|p| p.extension().is_some_and(|x| x == "pdf"))
            .collect();
        if let Some(p) = done.first() {
            break p.clone();
        }
        assert!(std::time::Instant::now() < deadline, "no PDF was downloaded");
        tokio::time::sleep(Duration::from_millis(200)).await;
    };
    let bytes = std::fs::read(&pdf).expect("read PDF");
    assert!(bytes.starts_with(b"%PDF-") && bytes.len() > 1000, "a PDF of {} bytes", bytes.len());

    // The narrative: the page's language first, each section said by where it goes, saved with
    // the word beside its own button.
    let groups =
        b.js("return [...document.querySelectorAll('#nar-zh, #nar-en')].map(h => h.id)", vec![]).await;
    assert_eq!(groups, json!(["nar-zh", "nar-en"]));
    let first = b.js("return document.querySelector('form.narrative').dataset.lang", vec![]).await;
    assert_eq!(first, json!("zh"));
    let labels = b.text("form.narrative p.muted").await;
    assert!(labels.starts_with("位于报告：") && !labels.contains("purpose"), "{labels}");
    b.click("form.narrative button[type=submit]").await;
    b.wait_text("form.narrative .save-row .msg", "已保存").await;
    b.quit().await;
    app.stop().await;
}

#[tokio::test]
async fn switching_to_english_changes_the_page_text_and_sticks() {
    let Some((chromium, chromedriver)) = programs("english") else { return };
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let b = Browser::start(&chromium, &chromedriver, 1280, 900).await;
    // Not signed in: the dashboard sends the browser to the sign-in page, which brings it back.
    b.goto(&app.url(&format!("/campaigns/{}", f.campaign))).await;
    b.wait_for("return location.pathname === '/login'", "the redirect to sign-in").await;
    b.type_into("#login", "organizer1").await;
    b.type_into("#password", "wrong password").await;
    b.click("#login-form button[type=submit]").await;
    b.wait_text("#login-msg", "账号或密码不正确。").await;
    b.js("document.getElementById('password').value = ''; return true", vec![]).await;
    b.type_into("#password", TEST_PASSWORD).await;
    b.click("#login-form button[type=submit]").await;
    b.wait_for(&format!("return location.pathname === '/campaigns/{}'", f.campaign), "back at the dashboard")
        .await;
    b.wait_text("#whoami", "已登录：organizer1").await;
    assert_eq!(b.text("nav a[aria-current=page]").await, "总览");
    assert_eq!(b.js("return document.documentElement.lang", vec![]).await, "zh-CN");
    b.click("#lang-switch").await;
    b.wait_text("nav a[aria-current=page]", "Dashboard").await;
    assert_eq!(b.js("return document.documentElement.lang", vec![]).await, "en");
    assert!(b.text("#venue-table thead").await.contains("Visitors"));
    // Another page, without ?lang=: still English (the choice is kept in a cookie).
    b.goto(&app.url(&format!("/lead/venues/{}", f.venue))).await;
    b.wait_text("#record", "Record").await;
    assert!(b.text("#queue-bar").await.contains("Pending"));
    b.click("#lang-switch").await;
    b.wait_text("#record", "记录").await;
    b.quit().await;
    app.stop().await;
}

/// With `EVENTDAY_SCREENSHOT_DIR` set, saves the page at 1280 and 360 px wide (and, with
/// `print`, as printed) for people to look at; otherwise does nothing.
async fn screenshots(b: &Browser, name: &str, width: u32, print: bool) {
    let Ok(dir) = std::env::var("EVENTDAY_SCREENSHOT_DIR") else { return };
    let dir = std::path::PathBuf::from(dir);
    std::fs::create_dir_all(&dir).ok();
    for w in [1366, 360] {
        b.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": w, "height": 900, "deviceScaleFactor": 1, "mobile": w < 600}),
        )
        .await;
        b.screenshot(&dir.join(format!("{name}-{w}.png"))).await;
    }
    if print {
        b.cdp(
            "Emulation.setDeviceMetricsOverride",
            json!({"width": 794, "height": 1123, "deviceScaleFactor": 1, "mobile": false}),
        )
        .await;
        b.cdp("Emulation.setEmulatedMedia", json!({"media": "print"})).await;
        b.screenshot(&dir.join(format!("{name}-print.png"))).await;
        b.cdp("Emulation.setEmulatedMedia", json!({"media": ""})).await;
    }
    b.cdp(
        "Emulation.setDeviceMetricsOverride",
        json!({"width": width, "height": 900, "deviceScaleFactor": 1, "mobile": width < 600}),
    )
    .await;
}

#[tokio::test]
async fn the_invitations_page_makes_a_card_whose_qr_code_and_link_open_the_accept_page() {
    let Some((chromium, chromedriver)) = programs("invitations") else { return };
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let b = Browser::start(&chromium, &chromedriver, 1280, 900).await;
    sign_in(&b, &app, "organizer1").await;
    b.goto(&app.url(&format!("/campaigns/{}", f.campaign))).await;
    // Organizers find the page in the campaign's navigation.
    b.click("nav a[href$='/invitations']").await;
    b.wait_for("return location.pathname.endsWith('/invitations')", "the invitations page").await;
    let row = format!("tr[data-venue='{}']", f.venue);
    assert_eq!(b.text(&format!("{row} .inv-list")).await, "暂无");
    // The fixture's lead1 already leads the venue: the page says so.
    assert!(b.text(&format!("{row} th")).await.contains("已有负责人"));

    b.click(&format!("button[data-invite='{}']", f.venue)).await;
    let card = format!(".inv-card[data-venue='{}']", f.venue);
    b.wait_for(
        &format!(
            "const i = document.querySelector(\"{card} img.inv-qr\"); return !!i && i.complete && i.naturalWidth > 0"
        ),
        "the QR code to show",
    )
    .await;
    assert_eq!(b.text(&format!("{card} .inv-venue")).await, "江滩主会场");
    assert!(!b.text(&format!("{card} .inv-expiry time")).await.is_empty(), "the card shows the expiry");
    b.wait_text(&format!("{row} .inv-list .status"), "未使用").await;
    let link = b.js(&format!("return document.querySelector(\"{card} .inv-link a\").href"), vec![]).await;
    let link = link.as_str().expect("link").to_owned();
    let qr = b.js(&format!("return document.querySelector(\"{card} img.inv-qr\").src"), vec![]).await;
    let qr = qr.as_str().expect("qr src").to_owned();
    // The picture is the QR code of this very link: both carry the same one-time token.
    let token = link.split_once("/invite/").map(|(_, t)| t.to_owned()).expect("an invitation link");
    assert!(token.len() >= 32 && qr.ends_with(&format!("qr.svg?token={token}")), "{link} vs {qr}");
    let svg = b
        .js(
            &format!("return fetch({qr:?}).then(r => r.status + ' ' + r.headers.get('content-type'))"),
            vec![],
        )
        .await;
    assert_eq!(svg, json!("200 image/svg+xml"));
    screenshots(&b, "invitations", 1280, true).await;

    // The API lists it as unused, without its secret.
    let (status, listed) = app.get_json(&format!("/api/v1/campaigns/{}/invitations", f.campaign)).await;
    assert_eq!(status, 200);
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "{listed}");
    assert_eq!(listed[0]["status"], "unused");
    assert!(!listed.to_string().contains(&token));

    // "Invite all" leaves alone a venue that has a lead or an invitation waiting.
    b.click("#invite-all").await;
    b.wait_text("#inv-msg", "每个会场都已有负责人或待接受的邀请。").await;
    let (_, listed) = app.get_json(&format!("/api/v1/campaigns/{}/invitations", f.campaign)).await;
    assert_eq!(listed.as_array().map(Vec::len), Some(1), "nothing more made: {listed}");

    // The link opens the page where the new lead sets a password, in the layout of every page.
    b.goto(&link).await;
    b.wait_for("return !!document.querySelector('main form input[name=password]')", "the accept form").await;
    assert!(b.text("#invite-intro").await.contains("江滩主会场"));
    // Refused in words beside the form, what was typed kept.
    b.type_into("input[name=login]", "newlead").await;
    b.type_into("input[name=password]", "short").await;
    b.click("main form button[type=submit]").await;
    b.wait_text("#invite-error", "密码至少 10 个字符。").await;
    assert_eq!(
        b.js("return document.querySelector('input[name=login]').value", vec![]).await,
        json!("newlead")
    );

    // Taken back on the invitations page, the link opens nothing.
    b.goto(&app.url(&format!("/campaigns/{}/invitations", f.campaign))).await;
    b.click(&format!("{row} button[data-revoke]")).await;
    b.wait_text(&format!("{row} .inv-list .status"), "已撤销").await;
    b.goto(&link).await;
    b.wait_text("#invite-problem", "此邀请链接已被组织者撤销，请向组织者索取新的链接。").await;
    b.quit().await;
    app.stop().await;
}

/// A TCP relay in front of the app that a test can cut, as when a phone loses its signal: the
/// port closes and every open connection ends (the app itself keeps running).
struct Relay {
    addr: String,
    accept: tokio::task::JoinHandle<()>,
    conns: std::sync::Arc<std::sync::Mutex<Vec<tokio::task::JoinHandle<()>>>>,
}

impl Relay {
    async fn start(to: String) -> Relay {
        let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind relay");
        let addr = listener.local_addr().expect("addr").to_string();
        let conns = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
        let kept = conns.clone();
        let accept = tokio::spawn(async move {
            while let Ok((mut inbound, _)) = listener.accept().await {
                let to = to.clone();
                let h = tokio::spawn(async move {
                    if let Ok(mut out) = tokio::net::TcpStream::connect(&to).await {
                        tokio::io::copy_bidirectional(&mut inbound, &mut out).await.ok();
                    }
                });
                kept.lock().expect("relay connections").push(h);
            }
        });
        Relay { addr, accept, conns }
    }

    fn url(&self, path: &str) -> String {
        format!("http://{}{path}", self.addr)
    }

    fn cut(&self) {
        self.accept.abort();
        for h in self.conns.lock().expect("relay connections").drain(..) {
            h.abort();
        }
    }
}

#[tokio::test]
async fn the_lead_page_opens_again_without_a_connection_and_still_shows_its_queue() {
    let Some((chromium, chromedriver)) = programs("lead_reload_offline") else { return };
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let relay = Relay::start(app.addr.clone()).await;
    let b = Browser::start(&chromium, &chromedriver, 360, 780).await;
    b.goto(&relay.url("/login")).await;
    b.type_into("#login", "lead1").await;
    b.type_into("#password", TEST_PASSWORD).await;
    b.click("#login-form button[type=submit]").await;
    b.wait_for("return location.pathname === '/lead'", "the venue choice").await;
    let page = relay.url(&format!("/lead/venues/{}", f.venue));
    b.goto(&page).await;
    b.wait_text("#pending-count", "0").await;
    // The page is kept for offline use once its service worker runs.
    b.wait_for(
        "return document.body.dataset.offlineReady === '1' && !!navigator.serviceWorker.controller",
        "the service worker to control the page",
    )
    .await;

    // The signal drops; an entry waits in the queue.
    b.offline(true).await;
    b.type_into("#author", "王敏").await;
    record(&b, 2, 0, "断网后记录").await;
    b.wait_text("#pending-count", "1").await;
    // Now the server cannot be reached at all, and the page is loaded again.
    relay.cut();
    b.offline(false).await;
    b.goto("about:blank").await;
    b.goto(&page).await;
    b.wait_text("#pending-count", "1").await;
    b.wait_for("return document.getElementById('recent').textContent.includes('待发送')", "the queued entry")
        .await;
    assert_eq!(b.text("h1.venue-name").await, "江滩主会场");
    let reach =
        b.js("return fetch('/api/v1/auth/me').then(() => 'reached', () => 'unreachable')", vec![]).await;
    assert_eq!(reach, json!("unreachable"), "the page came from the service worker's copy");
    // Nothing was sent, and the queue still holds the entry.
    assert_eq!(log_count(&app, f.campaign).await, 0);
    let stored =
        with_queue(&b, "return q.entries.filter(e => e.state === 'pending').map(e => e.body.note)").await;
    assert_eq!(stored, json!(["断网后记录"]));
    b.quit().await;
    app.stop().await;
}

#[tokio::test]
async fn media_coverage_added_and_then_changed_on_the_page_is_kept() {
    let Some((chromium, chromedriver)) = programs("media_editor") else { return };
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let outlet = post(&app, "/api/v1/units", json!({"name": "长江日报", "kind": "media"})).await;
    let b = Browser::start(&chromium, &chromedriver, 1280, 900).await;
    sign_in(&b, &app, "organizer1").await;
    b.goto(&app.url(&format!("/campaigns/{}/media", f.campaign))).await;
    b.click("button[data-add=media]").await;
    b.wait_for("return !document.getElementById('editor-media').hidden", "the form to open").await;
    let set = |name: &str, value: &str| {
        format!(
            "const e = document.querySelector('#editor-media [name={name}]'); e.value = {value:?};
             e.dispatchEvent(new Event('change', {{bubbles: true}})); return e.value === {value:?}"
        )
    };
    for (name, value) in [
        ("outlet_unit_id", outlet["id"].to_string()),
        ("channel", "newspaper".to_owned()),
        ("format", "report".to_owned()),
        ("date", "2026-03-15".to_owned()),
    ] {
        assert_eq!(b.js(&set(name, &value), vec![]).await, json!(true), "{name}");
    }
    b.click(&format!("#editor-media [name=venue_ids][value='{}']", f.venue)).await;
    b.type_into("#editor-media [name=estimated_reach]", "12000").await;
    // No headline: the API's refusal is shown beside the headline field.
    b.click("#editor-media button[type=submit]").await;
    b.wait_for(
        "return document.querySelector('#editor-media .field-error[data-for=headline]').textContent.length > 0",
        "the headline's error",
    )
    .await;
    let invalid = b
        .js(
            "return document.querySelector('#editor-media [name=headline]').getAttribute('aria-invalid')",
            vec![],
        )
        .await;
    assert_eq!(invalid, json!("true"));
    // The API's English complaint is shown in the page's language.
    assert_eq!(b.text("#editor-media .field-error[data-for=headline]").await, "不能为空");
    screenshots(&b, "media-error", 1280, false).await;
    b.type_into("#editor-media [name=headline]", "江岸区开展“3·15”活动").await;
    b.click("#editor-media button[type=submit]").await;
    b.wait_text("#editor-msg", "已保存").await;
    assert!(b.text("#rows-table tbody").await.contains("江岸区开展“3·15”活动"));
    let (_, list) = app.get_json(&format!("/api/v1/campaigns/{}/media", f.campaign)).await;
    assert_eq!(list.as_array().map(Vec::len), Some(1), "{list}");
    assert_eq!(
        (list[0]["headline"].as_str(), list[0]["estimated_reach"].as_i64()),
        (Some("江岸区开展“3·15”活动"), Some(12000))
    );
    let id = list[0]["id"].as_i64().expect("id");
    let (cid, mid, vid) = (i32::try_from(f.campaign), i32::try_from(id), i32::try_from(f.venue));
    let (cid, mid, vid) = (cid.expect("id"), mid.expect("id"), vid.expect("id"));
    let covered = eventday_store::views::media_venue_ids(&app.db.store, cid).await.expect("db");
    assert_eq!(covered.get(&mid), Some(&vec![vid]));

    // Changed: the form opens with the row as saved; the new headline replaces the old one,
    // the cleared reach is gone, and the covered venue stays.
    b.click(&format!("button[data-edit='{id}']")).await;
    let shown = b.js("return document.querySelector('#editor-media [name=headline]').value", vec![]).await;
    assert_eq!(shown, json!("江岸区开展“3·15”活动"));
    b.js("document.querySelector('#editor-media [name=estimated_reach]').value = ''; return true", vec![])
        .await;
    b.type_into("#editor-media [name=headline]", "（更新）").await;
    b.click("#editor-media button[type=submit]").await;
    b.wait_for(
        "return document.querySelector('#rows-table tbody').textContent.includes('（更新）')",
        "the changed row",
    )
    .await;
    let (_, item) = app.get_json(&format!("/api/v1/media/{id}")).await;
    assert_eq!(item["headline"], "江岸区开展“3·15”活动（更新）");
    assert!(item["estimated_reach"].is_null(), "{item}");
    let covered = eventday_store::views::media_venue_ids(&app.db.store, cid).await.expect("db");
    assert_eq!(covered.get(&mid), Some(&vec![vid]), "the covered venue is kept");
    screenshots(&b, "media", 1280, false).await;
    b.quit().await;
    app.stop().await;
}

#[tokio::test]
async fn a_dispute_moves_through_its_workflow_on_the_disputes_page() {
    let Some((chromium, chromedriver)) = programs("dispute_workflow") else { return };
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let d = post(
        &app,
        &format!("/api/v1/campaigns/{}/disputes", f.campaign),
        json!({"venue_id": f.venue, "category": "食品", "summary": "粽子礼盒临近保质期", "amount_claimed_fen": 12800,
               "received_on": chrono::Utc::now().date_naive()}),
    )
    .await;
    let id = d["id"].as_i64().expect("id");
    let b = Browser::start(&chromium, &chromedriver, 1280, 900).await;
    sign_in(&b, &app, "organizer1").await;
    b.goto(&app.url(&format!("/campaigns/{}/disputes", f.campaign))).await;
    let form = format!("form.dispute-move[data-id='{id}']");
    // A received dispute may go to mediation or straight to an end, not back to "received".
    let offered = b
        .js(&format!("return [...document.querySelectorAll(\"{form} option\")].map(o => o.value)"), vec![])
        .await;
    assert_eq!(offered, json!(["mediating", "settled", "referred", "closed"]));
    b.js(&format!("const s = document.querySelector(\"{form} select\"); s.value = 'settled'; s.dispatchEvent(new Event('change')); return true"), vec![]).await;
    b.type_into(&format!("{form} input[name=amount_recovered]"), "-3").await;
    b.click(&format!("{form} button[type=submit]")).await;
    // Refused, with the reason beside the form; nothing changed.
    b.wait_for(
        &format!("return document.querySelector(\"{form} .field-error\").textContent.includes('不能为负数')"),
        "the refusal in words",
    )
    .await;
    let said = b.text(&format!("{form} .field-error")).await;
    assert!(!said.contains("amount_recovered_fen"), "no API field names: {said}");
    let (_, now) = app.get_json(&format!("/api/v1/disputes/{id}")).await;
    assert_eq!(now["status"], "received");
    b.js(
        &format!("document.querySelector(\"{form} input[name=amount_recovered]\").value = ''; return true"),
        vec![],
    )
    .await;
    b.type_into(&format!("{form} input[name=amount_recovered]"), "128").await;
    b.click(&format!("{form} button[type=submit]")).await;
    b.wait_text("#editor-msg", "已保存").await;
    let (_, now) = app.get_json(&format!("/api/v1/disputes/{id}")).await;
    assert_eq!(
        (now["status"].as_str(), now["amount_recovered_fen"].as_i64()),
        (Some("settled"), Some(12800)),
        "{now}"
    );
    assert_eq!(b.text(&format!("tr[data-id='{id}'] .status-cell")).await, "已和解");
    let left = b.js(&format!("return document.querySelectorAll(\"{form}\").length"), vec![]).await;
    assert_eq!(left, json!(0), "a settled dispute has no further move");
    screenshots(&b, "disputes", 1280, false).await;
    b.quit().await;
    app.stop().await;
}
