//! Security and integrity (issue 14): what an attacker with the source at hand tried, each with
//! a test that failed before its fix.

use crate::helpers::{TEST_PASSWORD, TestApp, client_with_token, spawn_app, user_with_token};
use eventday_domain::Role;
use eventday_domain::log::NewLogEntry;
use eventday_domain::totals::Figures;
use eventday_store::entities::{login_throttle, media_coverage, organization};
use eventday_store::{planning, queries, scope};
use reqwest::header::ACCEPT;
use sea_orm::{ActiveModelTrait, EntityTrait, IntoActiveModel, Set};
use serde_json::{Value, json};
use std::collections::BTreeMap;
use std::time::Duration;

/// The demo campaign (province -> city -> district), its days open, with an API token for an
/// organizer of each level and a lead of the first sub-venue.
struct Demo {
    app: TestApp,
    campaign: i32,
    district: i32,
    city: i32,
    province: i32,
    venue: i32,
    material: i32,
    district_organizer: reqwest::Client,
    city_organizer: reqwest::Client,
    province_organizer: reqwest::Client,
    lead: reqwest::Client,
}

async fn parent_of(app: &TestApp, id: i32) -> Option<i32> {
    organization::Entity::find_by_id(id).one(app.db.store.conn()).await.expect("q").and_then(|o| o.parent_id)
}

async fn demo() -> Demo {
    let app = spawn_app().await;
    let store = &app.db.store;
    let campaign = eventday::load_demo(store).await.expect("demo").campaign_id();
    let district = scope::campaign_organization(store.conn(), campaign).await.expect("q").expect("org");
    let city = parent_of(&app, district).await.expect("a city above the district");
    let province = parent_of(&app, city).await.expect("a province above the city");
    crate::helpers::open_days(store, campaign).await;
    let days = scope::venue_days(store.conn(), campaign).await.expect("venues");
    let venue = days[1].venue_id;
    let material = planning::materials::list(store, campaign).await.expect("materials")[0].id;
    let token = |login: &'static str, role, org: Option<i32>, venues: Vec<i32>| async move {
        client_with_token(&user_with_token(store, login, role, org, venues).await)
    };
    let district_organizer = token("district-org", Role::Organizer, Some(district), vec![]).await;
    let city_organizer = token("city-org", Role::Organizer, Some(city), vec![]).await;
    let province_organizer = token("province-org", Role::Organizer, Some(province), vec![]).await;
    let lead = token("lead-1", Role::Lead, None, vec![venue]).await;
    Demo {
        app,
        campaign,
        district,
        city,
        province,
        venue,
        material,
        district_organizer,
        city_organizer,
        province_organizer,
        lead,
    }
}

async fn json_of(resp: reqwest::Response) -> (u16, Value) {
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(Value::String(text)))
}

async fn send(client: &reqwest::Client, method: reqwest::Method, url: String, body: &Value) -> (u16, Value) {
    json_of(client.request(method, url).json(body).send().await.expect("request")).await
}

/// The field names of a 422 answer.
fn fields(body: &Value) -> Vec<String> {
    body["error"]["fields"].as_object().map(|f| f.keys().cloned().collect()).unwrap_or_default()
}

fn entry(visitors: i64, money: i64, materials: Value) -> Value {
    json!({
        "id": uuid::Uuid::now_v7().to_string(), "recorded_at": "2013-03-15T02:00:00Z", "author_name": "测试",
        "visitors": visitors, "consultations": visitors, "complaints_received": visitors,
        "complaints_settled": visitors, "money_recovered_fen": money, "materials": materials
    })
}

// 1 --------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_start_page_shows_campaigns_only_to_those_who_may_read_them() {
    let d = demo().await;
    let link = format!("href=\"/campaigns/{}\"", d.campaign);
    let page = |c: reqwest::Client| {
        let url = d.app.url("/");
        async move {
            let r = c.get(url).header(ACCEPT, "text/html").send().await.expect("GET /");
            (r.status().as_u16(), r.text().await.expect("body"))
        }
    };
    let (status, anonymous) = page(reqwest::Client::new()).await;
    assert_eq!(status, 200);
    assert!(!anonymous.contains(&link), "an anonymous visitor sees the campaign");
    assert!(anonymous.contains("/assets/login.js"), "anonymous visitors get the sign-in page");
    let (_, outsider) = page(d.app.client.clone()).await;
    assert!(!outsider.contains(&link), "an organizer of another tree sees the campaign");
    let listed = d.app.client.get(d.app.url("/api/v1/campaigns")).send().await.expect("r");
    let listed: Value = listed.json().await.expect("json");
    assert_eq!(listed["campaigns"].as_array().map(Vec::len), Some(0), "the API agrees: {listed}");
    for (who, client) in [("the district's organizer", &d.district_organizer), ("its lead", &d.lead)] {
        let (status, body) = page(client.clone()).await;
        assert_eq!(status, 200);
        assert!(body.contains(&link), "{who} does not see the campaign");
    }
    d.app.stop().await;
}

// 2 --------------------------------------------------------------------------------------------

#[tokio::test]
async fn figures_beyond_their_maximum_are_refused_with_422_naming_the_field() {
    use reqwest::Method as M;
    let d = demo().await;
    let org = &d.district_organizer;
    let url = |p: String| d.app.url(&p);
    let (status, body) = send(
        &d.lead,
        M::POST,
        url(format!("/api/v1/venues/{}/log", d.venue)),
        &entry(1_000_001, 0, json!({})),
    )
    .await;
    assert_eq!(status, 422, "{body}");
    for f in ["visitors", "consultations", "complaints_received", "complaints_settled"] {
        assert!(fields(&body).contains(&f.to_owned()), "{f}: {body}");
    }
    let huge = entry(0, i64::MAX, json!({ d.material.to_string(): 10_000_001 }));
    let (status, body) = send(&d.lead, M::POST, url(format!("/api/v1/venues/{}/log", d.venue)), &huge).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(fields(&body), [format!("materials.{}", d.material), "money_recovered_fen".to_owned()]);
    let at_max = entry(1_000_000, 10_000_000_000, json!({ d.material.to_string(): 10_000_000 }));
    let (status, body) =
        send(&d.lead, M::POST, url(format!("/api/v1/venues/{}/log", d.venue)), &at_max).await;
    assert_eq!(status, 201, "the maxima themselves are allowed: {body}");

    let activity = json!({"kind": "consultation", "title": "咨询", "starts_at": "2013-03-15T01:00:00Z",
        "ends_at": "2013-03-15T02:00:00Z", "participants": 1_000_001});
    let unit = json!({"outlet_unit_id": 1, "channel": "online", "format": "report", "date": "2013-03-15",
        "headline": "报道", "estimated_reach": 2_000_000_001i64});
    let dispute = json!({"venue_id": d.venue, "category": "食品", "amount_claimed_fen": 10_000_000_001i64,
        "received_on": "2013-03-15"});
    let cases = [
        (M::POST, format!("/api/v1/venues/{}/activities", d.venue), activity, "participants"),
        (
            M::POST,
            format!("/api/v1/campaigns/{}/materials", d.campaign),
            json!({"name": "气球", "unit_label": "个", "planned": 10_000_001}),
            "planned",
        ),
        (
            M::PUT,
            format!("/api/v1/materials/{}/allocations/{}", d.material, d.venue),
            json!({"quantity": i64::MAX}),
            "quantity",
        ),
        (M::POST, format!("/api/v1/campaigns/{}/media", d.campaign), unit, "estimated_reach"),
        (M::POST, format!("/api/v1/campaigns/{}/disputes", d.campaign), dispute, "amount_claimed_fen"),
    ];
    for (method, path, body, field) in cases {
        let (status, answer) = send(org, method, url(path.clone()), &body).await;
        assert_eq!(status, 422, "{path}: {answer}");
        assert!(fields(&answer).contains(&field.to_owned()), "{path} names {field}: {answer}");
    }
    d.app.stop().await;
}

/// Every page, summary, report and roll-up that sums figures, answering 200.
async fn every_sum_answers(d: &Demo) {
    let c = d.campaign;
    let html = [
        "/".to_owned(),
        format!("/campaigns/{c}"),
        format!("/campaigns/{c}/live"),
        format!("/campaigns/{c}/materials"),
        format!("/campaigns/{c}/report"),
        format!("/campaigns/{c}/venues"),
        format!("/lead/venues/{}", d.venue),
    ];
    for path in html {
        let r =
            d.district_organizer.get(d.app.url(&path)).header(ACCEPT, "text/html").send().await.expect("r");
        assert_eq!(r.status().as_u16(), 200, "{path}: {}", r.text().await.unwrap_or_default());
    }
    let api = [
        format!("/api/v1/campaigns/{c}/summary"),
        format!("/api/v1/campaigns/{c}/report.pdf"),
        format!("/api/v1/campaigns/{c}/report.pdf?lang=en&style=gbt9704"),
        format!("/api/v1/organizations/{}/rollup?year=2013", d.province),
        format!("/api/v1/organizations/{}/rollup?year=2013", d.district),
    ];
    for path in api {
        let r = d.province_organizer.get(d.app.url(&path)).send().await.expect("r");
        assert_eq!(r.status().as_u16(), 200, "{path}: {}", r.text().await.unwrap_or_default());
    }
    // The live feed's running totals, sent after a new entry.
    let mut live = d
        .district_organizer
        .get(d.app.url(&format!("/api/v1/campaigns/{c}/live")))
        .send()
        .await
        .expect("live");
    assert_eq!(live.status().as_u16(), 200);
    let r = d
        .lead
        .post(d.app.url(&format!("/api/v1/venues/{}/log", d.venue)))
        .json(&entry(5, 0, json!({})))
        .send()
        .await
        .expect("post");
    assert_eq!(r.status().as_u16(), 201, "{}", r.text().await.unwrap_or_default());
    let mut seen = String::new();
    while !seen.contains("event: totals") {
        let chunk =
            tokio::time::timeout(Duration::from_secs(10), live.chunk()).await.expect("totals in time");
        seen.push_str(&String::from_utf8_lossy(&chunk.expect("chunk").expect("the feed goes on")));
    }
    assert!(seen.contains("\"visitors\""), "{seen}");
    // The roll-up report, as the command line writes it.
    let dir = tempfile::tempdir().expect("dir");
    let pdf = dir.path().join("rollup.pdf");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_eventday"))
        .args(["report", "--rollup", "--org", &d.province.to_string(), "--year", "2013", "--out"])
        .arg(&pdf)
        .args(["--database-url", &d.app.db.url])
        .output()
        .expect("run eventday");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
}

#[tokio::test]
async fn the_largest_allowed_figures_from_many_entries_keep_every_page_report_and_rollup_answering() {
    let d = demo().await;
    let path = d.app.url(&format!("/api/v1/venues/{}/log", d.venue));
    for _ in 0..40 {
        let e = entry(1_000_000, 10_000_000_000, json!({ d.material.to_string(): 10_000_000 }));
        let r = d.lead.post(&path).json(&e).send().await.expect("post");
        assert_eq!(r.status().as_u16(), 201, "{}", r.text().await.unwrap_or_default());
    }
    every_sum_answers(&d).await;
    let (_, summary) = json_of(
        d.district_organizer
            .get(d.app.url(&format!("/api/v1/campaigns/{}/summary", d.campaign)))
            .send()
            .await
            .expect("r"),
    )
    .await;
    let visitors = summary["totals"]["figures"]["visitors"].as_i64().expect("visitors");
    assert!(visitors >= 40_000_000, "exact sums: {visitors}");
    d.app.stop().await;
}

#[tokio::test]
async fn hostile_figures_written_straight_into_the_database_never_break_a_page_report_or_rollup() {
    let d = demo().await;
    let store = &d.app.db.store;
    for n in 0..3 {
        let e = NewLogEntry {
            id: uuid::Uuid::now_v7(),
            venue_id: i64::from(d.venue),
            booth_id: None,
            activity_id: None,
            recorded_at: "2013-03-15T03:00:00Z".parse().expect("time"),
            author_name: format!("手写 {n}"),
            figures: Figures {
                visitors: i64::MAX,
                consultations: i64::MAX,
                complaints_received: i64::MAX,
                complaints_settled: i64::MAX,
                money_recovered_fen: i64::MAX,
            },
            materials: BTreeMap::from([(i64::from(d.material), i64::MAX)]),
            note: String::new(),
        };
        // PostgreSQL's tally trigger used to fail right here ("bigint out of range").
        queries::insert_log_entry_row(store.conn(), d.campaign, &e, None, chrono::Utc::now())
            .await
            .expect("a hostile row written by hand");
    }
    // This also posts an entry at the venue (PostgreSQL: every later entry used to fail).
    every_sum_answers(&d).await;
    d.app.stop().await;
}

// 3 and 4 --------------------------------------------------------------------------------------

async fn move_org(
    client: &reqwest::Client,
    d: &Demo,
    org: i32,
    name: &str,
    parent: Option<i32>,
) -> (u16, Value) {
    let body = json!({ "name": name, "parent_id": parent });
    send(client, reqwest::Method::PUT, d.app.url(&format!("/api/v1/organizations/{org}")), &body).await
}

async fn org_name(d: &Demo, id: i32) -> String {
    organization::Entity::find_by_id(id).one(d.app.db.store.conn()).await.expect("q").expect("org").name
}

#[tokio::test]
async fn only_an_organizer_above_an_organization_may_move_it_and_only_a_root_organizer_to_the_top() {
    let d = demo().await;
    let name = org_name(&d, d.district).await;
    let (status, body) = move_org(&d.district_organizer, &d, d.district, &name, None).await;
    assert_eq!(status, 403, "a district detaching itself: {body}");
    let sibling = organization::ActiveModel {
        name: Set("另一个区消协".into()),
        parent_id: Set(Some(d.city)),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(d.app.db.store.conn())
    .await
    .expect("sibling")
    .id;
    let (status, body) = move_org(&d.district_organizer, &d, d.district, &name, Some(d.district)).await;
    assert!(status == 422 || status == 403, "{body}");
    let (status, body) = move_org(&d.city_organizer, &d, d.district, &name, None).await;
    assert_eq!(status, 403, "only a root organizer makes an organization top-level: {body}");
    assert_eq!(parent_of(&d.app, d.district).await, Some(d.city), "nothing moved");
    // The city's organizer renames it in place (the parent unchanged is no move).
    let (status, body) =
        move_org(&d.city_organizer, &d, d.district, "xx区消费者协会（新）", Some(d.city)).await;
    assert_eq!(status, 200, "{body}");
    // The city's organizer moves the district under its sibling; the province's to the top.
    let (status, body) = move_org(&d.city_organizer, &d, d.district, &name, Some(sibling)).await;
    assert_eq!(status, 200, "{body}");
    let (status, body) = move_org(&d.province_organizer, &d, d.district, &name, None).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(parent_of(&d.app, d.district).await, None);
    d.app.stop().await;
}

#[tokio::test]
async fn an_organization_cannot_become_its_own_ancestor() {
    let d = demo().await;
    let city = org_name(&d, d.city).await;
    for new_parent in [d.district, d.city] {
        let (status, body) = move_org(&d.province_organizer, &d, d.city, &city, Some(new_parent)).await;
        assert_eq!(status, 422, "{body}");
        assert_eq!(fields(&body), ["parent_id"], "{body}");
    }
    let province = org_name(&d, d.province).await;
    let (status, body) = move_org(&d.province_organizer, &d, d.province, &province, Some(d.district)).await;
    assert_eq!(status, 422, "{body}");
    assert_eq!(parent_of(&d.app, d.city).await, Some(d.province));
    d.app.stop().await;
}

#[tokio::test]
async fn tree_queries_end_even_on_a_cycle_written_into_the_table() {
    let d = demo().await;
    // A cycle no API call can make: the city under its own district.
    let city =
        organization::Entity::find_by_id(d.city).one(d.app.db.store.conn()).await.expect("q").expect("c");
    let mut am = city.into_active_model();
    am.parent_id = Set(Some(d.district));
    am.update(d.app.db.store.conn()).await.expect("write the cycle");
    let within = Duration::from_secs(20);
    let rollup = d.app.url(&format!("/api/v1/organizations/{}/rollup?year=2013", d.city));
    let r =
        tokio::time::timeout(within, d.city_organizer.get(&rollup).send()).await.expect("the roll-up ends");
    let (status, body) = json_of(r.expect("rollup")).await;
    assert_eq!(status, 200, "{body}");
    assert_eq!(body["totals"]["districts"], 1, "the campaign is counted once: {body}");
    assert_eq!(body["districts"].as_array().map(Vec::len), Some(1), "{body}");
    let live = d.app.url(&format!("/api/v1/organizations/{}/live", d.city));
    let r = tokio::time::timeout(within, d.city_organizer.get(&live).send()).await.expect("the feed opens");
    assert_eq!(r.expect("live").status().as_u16(), 200);
    let audit = d.app.url("/api/v1/audit");
    let r =
        tokio::time::timeout(within, d.city_organizer.get(&audit).send()).await.expect("the audit answers");
    assert_eq!(r.expect("audit").status().as_u16(), 200);
    d.app.stop().await;
}

// 5 --------------------------------------------------------------------------------------------

#[tokio::test]
async fn concurrent_logins_check_at_most_five_passwords_of_one_account() {
    let app = spawn_app().await;
    user_with_token(&app.db.store, "target", Role::Organizer, Some(app.root_org), vec![]).await;
    let url = app.url("/api/v1/auth/login");
    let attempts: Vec<_> = (0..24)
        .map(|_| {
            let (client, url) = (reqwest::Client::new(), url.clone());
            tokio::spawn(async move {
                let body = json!({ "login": "target", "password": "wrong password!" });
                client.post(url).json(&body).send().await.expect("login").status().as_u16()
            })
        })
        .collect();
    let mut statuses = Vec::new();
    for a in attempts {
        statuses.push(a.await.expect("join"));
    }
    let checked = statuses.iter().filter(|s| **s == 401).count();
    let refused = statuses.iter().filter(|s| **s == 429).count();
    assert_eq!((checked, refused), (5, 19), "{statuses:?}");
    let row = login_throttle::Entity::find_by_id("account:target".to_owned())
        .one(app.db.store.conn())
        .await
        .expect("q")
        .expect("a counter");
    assert_eq!(row.failures, 5, "no failure lost, none counted twice");
    let body = json!({ "login": "target", "password": TEST_PASSWORD });
    let r = reqwest::Client::new().post(&url).json(&body).send().await.expect("login");
    assert_eq!(r.status().as_u16(), 429, "the right password after the burst waits too");
    app.stop().await;
}

#[tokio::test]
async fn successful_logins_do_not_lock_a_shared_address() {
    let app = spawn_app().await;
    user_with_token(&app.db.store, "office", Role::Organizer, Some(app.root_org), vec![]).await;
    let body = json!({ "login": "office", "password": TEST_PASSWORD });
    for n in 0..25 {
        let r =
            reqwest::Client::new().post(app.url("/api/v1/auth/login")).json(&body).send().await.expect("r");
        assert_eq!(r.status().as_u16(), 200, "login {n}");
    }
    app.stop().await;
}

// 6 --------------------------------------------------------------------------------------------

#[tokio::test]
async fn media_links_must_be_web_addresses_and_pages_render_them_without_opener() {
    use reqwest::Method as M;
    let d = demo().await;
    let store = &d.app.db.store;
    let items = planning::media::list(store, d.campaign).await.expect("media");
    let outlet = items[0].outlet_unit_id;
    let url = d.app.url(&format!("/api/v1/campaigns/{}/media", d.campaign));
    let media = |link: &str| {
        json!({"outlet_unit_id": outlet, "channel": "online", "format": "report", "date": "2013-03-15",
            "headline": "报道", "link": link})
    };
    for bad in [
        "javascript:alert(document.cookie)",
        "JaVaScRiPt:alert(1)",
        "data:text/html,<script>",
        "//evil.example",
    ] {
        let (status, body) = send(&d.district_organizer, M::POST, url.clone(), &media(bad)).await;
        assert_eq!(status, 422, "{bad}: {body}");
        assert_eq!(fields(&body), ["link"], "{body}");
    }
    let (status, body) = send(&d.district_organizer, M::POST, url, &media("https://news.example/315")).await;
    assert_eq!(status, 201, "{body}");
    // A link stored before the rule is shown as text, not as a link.
    let mut old = media_coverage::Entity::find_by_id(items[0].id)
        .one(store.conn())
        .await
        .expect("q")
        .expect("m")
        .into_active_model();
    old.link = Set(Some("javascript:alert(1)".into()));
    old.update(store.conn()).await.expect("hostile link");
    let page = d
        .district_organizer
        .get(d.app.url(&format!("/campaigns/{}/media", d.campaign)))
        .header(ACCEPT, "text/html")
        .send()
        .await
        .expect("page")
        .text()
        .await
        .expect("body");
    // (minijinja writes `/` as `&#x2f;` in attributes.)
    assert!(page.contains(r#"news.example&#x2f;315" rel="noopener noreferrer""#), "{page}");
    assert!(!page.contains("href=\"javascript:"), "a javascript: link is rendered");
    d.app.stop().await;
}

// 7 --------------------------------------------------------------------------------------------

/// Pages, API answers, assets and errors alike.
async fn header_everywhere(name: &str) -> Vec<String> {
    let d = demo().await;
    let mut values = Vec::new();
    for (client, path, accept) in [
        (reqwest::Client::new(), "/login".to_owned(), "text/html"),
        (reqwest::Client::new(), "/".to_owned(), "text/html"),
        (d.district_organizer.clone(), format!("/campaigns/{}", d.campaign), "text/html"),
        (d.district_organizer.clone(), format!("/venues/{}/plan/print", d.venue), "text/html"),
        (d.district_organizer.clone(), format!("/api/v1/campaigns/{}/summary", d.campaign), "*/*"),
        (reqwest::Client::new(), "/api/v1/campaigns".to_owned(), "*/*"),
        (reqwest::Client::new(), "/no/such/page".to_owned(), "text/html"),
        (reqwest::Client::new(), "/assets/app.js".to_owned(), "*/*"),
    ] {
        let r = client.get(d.app.url(&path)).header(ACCEPT, accept).send().await.expect("r");
        let v = r.headers().get(name).and_then(|v| v.to_str().ok()).map(str::to_owned);
        values.push(v.unwrap_or_else(|| panic!("{path} has no {name}")));
    }
    d.app.stop().await;
    values
}

#[tokio::test]
async fn every_response_has_a_strict_content_security_policy() {
    for csp in header_everywhere("content-security-policy").await {
        assert!(csp.contains("default-src 'self'"), "{csp}");
        assert!(csp.contains("script-src 'self'") && !csp.contains("unsafe-inline"), "{csp}");
        assert!(csp.contains("frame-ancestors 'none'") && csp.contains("object-src 'none'"), "{csp}");
    }
}

#[tokio::test]
async fn every_response_refuses_to_be_framed() {
    for v in header_everywhere("x-frame-options").await {
        assert_eq!(v, "DENY");
    }
}

#[tokio::test]
async fn every_response_forbids_mime_sniffing() {
    for v in header_everywhere("x-content-type-options").await {
        assert_eq!(v, "nosniff");
    }
}

#[tokio::test]
async fn every_response_has_a_referrer_policy() {
    for v in header_everywhere("referrer-policy").await {
        assert_eq!(v, "strict-origin-when-cross-origin");
    }
}

/// Whether `html` has an inline event handler attribute (` onclick=`...).
fn has_inline_handler(html: &str) -> bool {
    let b = html.as_bytes();
    (1..b.len().saturating_sub(3)).any(|i| {
        if !b[i - 1].is_ascii_whitespace() || !b[i..].starts_with(b"on") {
            return false;
        }
        let name_end = (i + 2..b.len()).find(|&j| !b[j].is_ascii_lowercase()).unwrap_or(b.len());
        name_end > i + 2 && html[name_end..].trim_start().starts_with('=')
    })
}

/// What the policy would block: inline scripts, inline event handlers, `style` attributes,
/// `<style>` elements and `javascript:` URLs, in the templates and in the scripts.
#[test]
fn templates_and_scripts_need_nothing_the_policy_forbids() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR"));
    let mut checked = 0;
    for dir in ["crates/eventday-web/templates", "assets/web"] {
        for f in std::fs::read_dir(root.join(dir)).expect("dir") {
            let path = f.expect("entry").path();
            let ext = path.extension().and_then(|e| e.to_str()).unwrap_or_default().to_owned();
            if !["html", "js"].contains(&ext.as_str()) {
                continue;
            }
            let text = std::fs::read_to_string(&path).expect("read");
            let name = path.display();
            if ext == "html" {
                assert!(!has_inline_handler(&text), "{name}: an inline event handler");
            }
            let style_attr = [" style=", "\nstyle=", "\tstyle=", "'style="].iter().any(|a| text.contains(a));
            assert!(!style_attr && !text.contains("<style"), "{name}: an inline style");
            assert!(!text.to_lowercase().contains("javascript:"), "{name}: a javascript: URL");
            for needle in [
                "setAttribute('style'",
                "setAttribute(\"style\"",
                "setAttribute('on",
                "eval(",
                "new Function(",
            ] {
                assert!(!text.contains(needle), "{name}: {needle}");
            }
            for (at, _) in text.match_indices("<script") {
                let tag = &text[at..text[at..].find('>').map_or(text.len(), |e| at + e + 1)];
                assert!(tag.contains("src=") || tag.contains("application/json"), "{name}: inline {tag}");
            }
            checked += 1;
        }
    }
    assert!(checked > 20, "{checked} files");
    assert!(has_inline_handler(r#"<button onclick="x()">"#) && !has_inline_handler("<p>once = 1</p>"));
}

// 8 --------------------------------------------------------------------------------------------

#[tokio::test]
async fn a_log_entry_may_name_at_most_200_materials() {
    let d = demo().await;
    let path = d.app.url(&format!("/api/v1/venues/{}/log", d.venue));
    for n in [201, 70_000] {
        let materials: serde_json::Map<String, Value> = (1..=n).map(|i| (i.to_string(), json!(1))).collect();
        let (status, body) =
            send(&d.lead, reqwest::Method::POST, path.clone(), &entry(1, 0, Value::Object(materials))).await;
        assert_eq!(status, 422, "{n} materials: {body}");
        assert_eq!(fields(&body), ["materials"], "{body}");
    }
    d.app.stop().await;
}

// 9 --------------------------------------------------------------------------------------------

#[tokio::test]
async fn json_with_trailing_garbage_is_a_400() {
    let app = spawn_app().await;
    for body in [
        r#"{"name":"a","kind":"agency"}garbage"#,
        r#"{"name":"a","kind":"agency"}{"name":"b","kind":"agency"}"#,
    ] {
        let r = app
            .client
            .post(app.url("/api/v1/units"))
            .header("content-type", "application/json")
            .body(body)
            .send()
            .await
            .expect("r");
        let (status, answer) = json_of(r).await;
        assert_eq!(status, 400, "{body}: {answer}");
        assert_eq!(answer["error"]["code"], "bad_request", "{answer}");
    }
    let r = app
        .client
        .post(app.url("/api/v1/units"))
        .header("content-type", "application/json")
        .body("{\"name\":\"a\",\"kind\":\"agency\"}\n")
        .send()
        .await
        .expect("r");
    assert_eq!(r.status().as_u16(), 201, "trailing whitespace is fine");
    app.stop().await;
}

// 10 -------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_user_command_states_how_long_running_servers_accept_a_disabled_account() {
    let app = spawn_app().await;
    user_with_token(&app.db.store, "leaver", Role::Viewer, Some(app.root_org), vec![]).await;
    let url = app.db.url.clone();
    let out = tokio::task::spawn_blocking(move || {
        std::process::Command::new(env!("CARGO_BIN_EXE_eventday"))
            .args(["user", "disable", "leaver", "--database-url", &url])
            .output()
            .expect("run eventday")
    })
    .await
    .expect("join");
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    assert!(stdout.contains("within 2 seconds"), "{stdout}");
    let readme = std::fs::read_to_string(std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("README.md"))
        .expect("README");
    assert!(
        !readme.contains("disables one (its sessions and tokens stop at once)"),
        "the README promises too much"
    );
    app.stop().await;
}

// 11 -------------------------------------------------------------------------------------------

#[tokio::test]
async fn the_openapi_document_lists_423_where_days_lock_and_string_keys_for_materials() {
    let app = spawn_app().await;
    let (status, doc) = app.get_json("/api/openapi.json").await;
    assert_eq!(status, 200);
    for (method, path) in eventday_web::doc_fixes::LOCKING_OPERATIONS {
        let answer = &doc["paths"][*path][*method]["responses"]["423"];
        assert!(answer.is_object(), "{method} {path} lacks 423");
        assert!(answer["content"]["application/json"].is_object(), "{method} {path}: 423 in the envelope");
    }
    for schema in ["LogEntry", "LogEntryInput"] {
        let m = &doc["components"]["schemas"][schema]["properties"]["materials"];
        assert_eq!(m["propertyNames"]["type"], "string", "{schema}: {m}");
        assert_eq!(m["additionalProperties"]["type"], "integer", "{schema}: {m}");
        assert!(m["description"].as_str().is_some_and(|d| d.contains("material id")), "{m}");
    }
    app.stop().await;
}
