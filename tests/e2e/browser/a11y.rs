//! Accessibility: axe-core (vendored, see `vendor/README.md`) runs in every page of the demo at
//! a phone's width (360 px) and a laptop's (1366 px) and finds nothing. The pages are taken from
//! the route table, so a new page is checked as soon as it exists (or this test says how to
//! reach it).

use super::ONE_AT_A_TIME;
use super::driver::{Browser, programs};
use crate::helpers::{TEST_PASSWORD, client_with_token, spawn_app, user_with_token};
use eventday_domain::Role;
use sea_orm::{ColumnTrait, ConnectionTrait, EntityTrait, QueryFilter};
use serde_json::{Value, json};

const AXE: &str = include_str!("vendor/axe.min.js");

/// Routes that are not pages a person looks at: files, scripts, fragments fetched by pages.
fn is_page(path: &str) -> bool {
    !(path.starts_with("/api/")
        || path.starts_with("/assets/")
        || path.ends_with(".js")
        || path.ends_with("/live")
        || path.ends_with(".pdf")
        || path.ends_with(".zip")
        || path.ends_with(".csv"))
}

/// Whether the route answers with an HTML page (not `/healthz`'s text, say), asked in the browser
/// as it is signed in now.
async fn is_html(b: &Browser, path: &str) -> bool {
    let kind =
        b.js(&format!("return fetch({path:?}).then(r => r.headers.get('content-type') || '')"), vec![]).await;
    kind.as_str().is_some_and(|k| k.starts_with("text/html"))
}

/// Runs axe-core in the page and returns its violations, one line each.
async fn violations(b: &Browser) -> Vec<String> {
    b.js(AXE, vec![]).await;
    let found = b
        .js(
            "return axe.run(document, {runOnly: {type: 'tag', values: \
               ['wcag2a', 'wcag2aa', 'wcag21a', 'wcag21aa', 'best-practice']}}) \
             .then(r => r.violations.map(v => v.id + ' (' + v.impact + '): ' + \
               v.nodes.slice(0, 3).map(n => n.target.join(' ')).join(', ')))",
            vec![],
        )
        .await;
    found
        .as_array()
        .map(|a| a.iter().filter_map(Value::as_str).map(str::to_owned).collect())
        .unwrap_or_default()
}

#[tokio::test]
async fn axe_finds_no_violation_in_any_page_at_360_and_1366_px() {
    let Some((chromium, chromedriver)) = programs("axe") else { return };
    let _one = ONE_AT_A_TIME.lock().await;
    let app = spawn_app().await;
    let store = &app.db.store;
    let campaign = eventday::load_demo(store).await.expect("demo").campaign_id();
    let summary = eventday_store::queries::campaign_summary(store, campaign).await.expect("summary");
    let org = summary.campaign.organization_id;
    let venue = summary.totals.per_venue[0].venue_id;
    let unit = eventday_store::entities::participation::Entity::find()
        .filter(eventday_store::entities::participation::Column::CampaignId.eq(campaign))
        .one(store.conn())
        .await
        .expect("participations")
        .expect("a participating unit")
        .unit_id;
    let token = user_with_token(store, "axe-organizer", Role::Organizer, Some(org), vec![]).await;
    let me = eventday_store::entities::user::Entity::find()
        .filter(eventday_store::entities::user::Column::Login.eq("axe-organizer"))
        .one(store.conn())
        .await
        .expect("user")
        .expect("the organizer")
        .id;
    let (_, invitation) = eventday_store::accounts::create_invitation(
        store,
        i32::try_from(venue).expect("id"),
        me,
        chrono::Duration::days(1),
    )
    .await
    .expect("an invitation");

    // A complaint case with the consumer's consent, for the case pages (the demo day is
    // closed: opened again to take it).
    store
        .conn()
        .execute_unprepared("UPDATE venues SET day_status = 'open', accepted_at = NULL")
        .await
        .expect("open the demo venues");
    let case: Value = client_with_token(&token)
        .post(app.url(&format!("/api/v1/venues/{venue}/cases")))
        .json(
            &json!({"client_id": uuid::Uuid::new_v4(), "category": "家用电器", "amount_claimed_fen": 50_000,
            "description": "电视机屏幕一周后出现坏点", "consent": true, "consumer_name": "张三",
            "consumer_phone": "13800001234"}),
        )
        .send()
        .await
        .expect("intake")
        .json()
        .await
        .expect("the case");
    let dispute = case["dispute_id"].as_i64().expect("a case");
    let code = case["code"].as_str().expect("its receipt code").to_owned();

    // Public pages are looked at signed out, the others as an organizer.
    let mut public = Vec::new();
    let mut pages = Vec::new();
    for r in eventday_web::route_table() {
        if r.method != axum::http::Method::GET || !is_page(&r.path) {
            continue;
        }
        let path = if r.path.starts_with("/campaigns/{id}") || r.path.starts_with("/check-in/{id}") {
            r.path.replace("{id}", &campaign.to_string()).replace("{participant}", &format!("unit-{unit}"))
        } else if r.path.starts_with("/venues/{id}") || r.path.starts_with("/lead/venues/{id}") {
            r.path.replace("{id}", &venue.to_string())
        } else if r.path.starts_with("/organizations/{id}") {
            r.path.replace("{id}", &org.to_string())
        } else if r.path == "/invite/{token}" {
            format!("/invite/{invitation}")
        } else if r.path.starts_with("/disputes/{id}") {
            r.path.replace("{id}", &dispute.to_string())
        } else if r.path == "/case/{code}" {
            format!("/case/{code}")
        } else {
            r.path.clone()
        };
        assert!(!path.contains('{'), "how does this test reach the page {}? add it above", r.path);
        if r.rule == eventday_web::auth::Rule::Public { public.push(path) } else { pages.push(path) }
    }
    assert!(pages.len() >= 20 && public.len() >= 3, "every page: {pages:?} {public:?}");

    let mut failures = Vec::new();
    let mut checked = 0;
    for width in [360, 1366] {
        let b = Browser::start(&chromium, &chromedriver, width, 900).await;
        // Before signing in: the public pages.
        b.goto(&app.url("/login")).await;
        for path in &public {
            if !is_html(&b, path).await {
                continue;
            }
            checked += 1;
            b.goto(&app.url(path)).await;
            for v in violations(&b).await {
                failures.push(format!("{width} px {path} (signed out): {v}"));
            }
        }
        b.goto(&app.url("/login")).await;
        b.type_into("#login", "axe-organizer").await;
        b.type_into("#password", TEST_PASSWORD).await;
        b.click("#login-form button[type=submit]").await;
        b.wait_for("return location.pathname !== '/login'", "the sign-in page to move on").await;
        for path in &pages {
            if !is_html(&b, path).await {
                continue;
            }
            checked += 1;
            b.goto(&app.url(path)).await;
            // What the page's scripts draw (charts, booth labels, filters) is part of the page.
            b.wait_for("return document.readyState === 'complete'", "the page to load").await;
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            for v in violations(&b).await {
                failures.push(format!("{width} px {path}: {v}"));
            }
        }
        // The English pages of the busiest screens too.
        for path in [format!("/campaigns/{campaign}?lang=en"), format!("/venues/{venue}/plan?lang=en")] {
            b.goto(&app.url(&path)).await;
            tokio::time::sleep(std::time::Duration::from_millis(300)).await;
            for v in violations(&b).await {
                failures.push(format!("{width} px {path}: {v}"));
            }
        }
        b.quit().await;
    }
    assert!(checked >= 2 * 22, "pages checked at both widths: {checked}");
    assert!(failures.is_empty(), "axe-core found:\n{}", failures.join("\n"));
    app.stop().await;
}
