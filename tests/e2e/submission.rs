//! Reporting up the hierarchy: submissions (submit, return, resubmit, accept, withdraw), the lock
//! an accepted submission puts on a campaign's figures, completeness, and the "accepted only"
//! roll-up.

use crate::helpers::{client_with_token, scalar, send, spawn_app, user_with_token};
use eventday_domain::Role;
use eventday_store::Store;
use eventday_store::entities::{audit_event, campaign, organization, venue};
use eventday_store::synthetic::{self, SyntheticSpec};
use sea_orm::{ActiveModelTrait, ColumnTrait, EntityTrait, QueryFilter, QueryOrder, Set};
use serde_json::{Value, json};

async fn organizer_of(store: &Store, organization_id: i32) -> reqwest::Client {
    let login = format!("organizer-{organization_id}-{}", uuid::Uuid::new_v4().simple());
    client_with_token(&user_with_token(store, &login, Role::Organizer, Some(organization_id), vec![]).await)
}

/// The campaigns of a synthetic province, in id order, with their organizations.
async fn campaigns(store: &Store) -> Vec<campaign::Model> {
    campaign::Entity::find().order_by_asc(campaign::Column::Id).all(store.conn()).await.expect("campaigns")
}

fn entry(n: i64) -> Value {
    json!({"id": uuid::Uuid::new_v4().to_string(), "recorded_at": "2026-03-15T03:00:00Z",
        "author_name": "xx", "visitors": n})
}

#[tokio::test]
async fn a_submission_is_returned_with_a_comment_resubmitted_accepted_and_locks_the_figures_until_withdrawn()
{
    let app = spawn_app().await;
    let store = &app.db.store;
    let out = synthetic::generate(store, &SyntheticSpec { districts: 2, seed: 5, year: 2026 }, |_| {})
        .await
        .expect("generate");
    let c = campaigns(store).await[0].clone();
    let district = c.organization_id;
    let city = organization::Entity::find_by_id(district)
        .one(store.conn())
        .await
        .expect("db")
        .and_then(|o| o.parent_id)
        .expect("a city above the district");
    let other_city = organization::ActiveModel {
        name: Set("另一市消费者协会".into()),
        parent_id: Set(Some(out.province_id)),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(store.conn())
    .await
    .expect("other city")
    .id;
    let as_district = organizer_of(store, district).await;
    let as_city = organizer_of(store, city).await;
    let as_other_city = organizer_of(store, other_city).await;
    let base = app.url(&format!("/api/v1/campaigns/{}/submission", c.id));
    let venue_id = venue::Entity::find()
        .filter(venue::Column::CampaignId.eq(c.id))
        .one(store.conn())
        .await
        .expect("db")
        .expect("a venue")
        .id;
    let log = app.url(&format!("/api/v1/venues/{venue_id}/log"));
    // The synthetic day is over (venues accepted); open it so that only the submission locks.
    crate::helpers::open_days(store, c.id).await;

    // Never submitted: the state says so; nothing to decide yet.
    let (status, state) = send(as_district.get(&base)).await;
    assert_eq!(status, 200, "{state}");
    assert!(state["submission"].is_null());
    assert_eq!(state["parent_organization_id"], city);
    let (status, _) = send(as_city.post(format!("{base}/accept"))).await;
    assert_eq!(status, 404);

    // Submit, and a retry with the same client id is stored once.
    let client_id = uuid::Uuid::new_v4().to_string();
    let body = json!({"note": "请审核", "client_id": client_id});
    let (status, first) = send(as_district.post(format!("{base}/submit")).json(&body)).await;
    assert_eq!(status, 200, "{first}");
    assert_eq!(first["status"], "submitted");
    assert_eq!(first["note"], "请审核");
    assert_eq!(first["report_sha256"].as_str().expect("sha").len(), 64);
    let visitors = scalar(
        store,
        &format!("SELECT CAST(SUM(visitors) AS BIGINT) FROM log_entries WHERE campaign_id = {}", c.id),
    )
    .await;
    assert_eq!(first["figures"]["figures"]["visitors"], visitors, "the figures snapshot");
    let (status, again) = send(as_district.post(format!("{base}/submit")).json(&body)).await;
    assert_eq!(status, 200, "{again}");
    assert_eq!(again["submitted_at"], first["submitted_at"]);
    // A second submission while one is pending is a conflict.
    let (status, _) = send(as_district.post(format!("{base}/submit")).json(&json!({"note": "x"}))).await;
    assert_eq!(status, 409);
    // The stored report is the PDF made at submission.
    let pdf = as_city.get(format!("{base}/report.pdf")).send().await.expect("pdf");
    assert_eq!(pdf.status().as_u16(), 200);
    let bytes = pdf.bytes().await.expect("bytes");
    assert!(bytes.starts_with(b"%PDF"));
    assert_eq!(i64::try_from(bytes.len()).expect("len"), first["report_size"].as_i64().expect("size"));

    // Nobody but the level above decides: not the district itself, not another city.
    let (status, _) = send(as_district.post(format!("{base}/accept"))).await;
    assert_eq!(status, 403);
    let (status, _) = send(as_other_city.post(format!("{base}/accept"))).await;
    assert_eq!(status, 403, "a city organizer cannot accept a district of another city");
    let (status, _) =
        send(as_other_city.post(format!("{base}/return")).json(&json!({"comment": "不行"}))).await;
    assert_eq!(status, 403);

    // A return needs a comment, which the district then sees.
    let (status, err) = send(as_city.post(format!("{base}/return")).json(&json!({"comment": "  "}))).await;
    assert_eq!(status, 422);
    assert!(err["error"]["fields"]["comment"].is_string(), "{err}");
    let (status, returned) = send(
        as_city.post(format!("{base}/return")).json(&json!({"comment": "投诉数据缺少调解结果，请补充"})),
    )
    .await;
    assert_eq!(status, 200, "{returned}");
    assert_eq!(returned["status"], "returned");
    let (_, state) = send(as_district.get(&base)).await;
    assert_eq!(state["submission"]["comment"], "投诉数据缺少调解结果，请补充");
    // Returned: the district logs on and submits again; the city accepts.
    let (status, _) = send(as_district.post(&log).json(&entry(7))).await;
    assert_eq!(status, 201);
    let (status, resubmitted) =
        send(as_district.post(format!("{base}/submit")).json(&json!({"note": "已补充"}))).await;
    assert_eq!(status, 200, "{resubmitted}");
    assert_eq!(resubmitted["status"], "submitted");
    assert_eq!(resubmitted["figures"]["figures"]["visitors"], visitors + 7);
    let (status, accepted) = send(as_city.post(format!("{base}/accept"))).await;
    assert_eq!(status, 200, "{accepted}");
    assert_eq!(accepted["status"], "accepted");

    // Accepted figures do not change: log entries, disputes and closing tallies answer 423.
    let (status, err) = send(as_district.post(&log).json(&entry(1))).await;
    assert_eq!(status, 423, "{err}");
    let dispute = json!({"venue_id": venue_id, "category": "食品", "amount_claimed_fen": 5000, "received_on": "2026-03-15"});
    let (status, _) =
        send(as_district.post(app.url(&format!("/api/v1/campaigns/{}/disputes", c.id))).json(&dispute)).await;
    assert_eq!(status, 423);
    let tally = eventday_store::planning::tallies::create(
        store,
        None,
        venue_id,
        &eventday_domain::inputs::TallyInput {
            booth_id: None,
            figures: eventday_domain::Figures::default(),
            note: String::new(),
            recorded_at: None,
        },
    )
    .await;
    assert!(matches!(tally, Err(eventday_store::StoreError::SubmissionLocked { .. })), "{tally:?}");
    let (_, state) = send(as_district.get(&base)).await;
    assert_eq!(state["locked"], true);
    let after_lock = scalar(
        store,
        &format!("SELECT CAST(SUM(visitors) AS BIGINT) FROM log_entries WHERE campaign_id = {}", c.id),
    )
    .await;
    assert_eq!(after_lock, visitors + 7, "nothing was written while locked");

    // Only the accepting level withdraws; then the figures may change again.
    let (status, _) = send(as_district.post(format!("{base}/withdraw"))).await;
    assert_eq!(status, 403);
    let (status, withdrawn) = send(as_city.post(format!("{base}/withdraw"))).await;
    assert_eq!(status, 200, "{withdrawn}");
    assert_eq!(withdrawn["status"], "submitted");
    let (status, _) = send(as_district.post(&log).json(&entry(1))).await;
    assert_eq!(status, 201);

    // Every step audited, in order.
    let steps: Vec<String> = audit_event::Entity::find()
        .filter(audit_event::Column::Entity.eq("submission"))
        .order_by_asc(audit_event::Column::Id)
        .all(store.conn())
        .await
        .expect("audit")
        .into_iter()
        .map(|e| e.action)
        .collect();
    assert_eq!(steps, ["submit", "return", "submit", "accept", "withdraw"]);
    app.stop().await;
}

#[tokio::test]
async fn completeness_rows_and_the_accepted_only_rollup_equal_sums_computed_directly() {
    let mut app = spawn_app().await;
    let store = app.db.store.clone();
    let out = synthetic::generate(&store, &SyntheticSpec { districts: 3, seed: 9, year: 2026 }, |_| {})
        .await
        .expect("generate");
    let cs = campaigns(&store).await;
    assert_eq!(cs.len(), 3);
    let city = organization::Entity::find_by_id(cs[0].organization_id)
        .one(store.conn())
        .await
        .expect("db")
        .and_then(|o| o.parent_id)
        .expect("city");
    app.client = organizer_of(&store, out.province_id).await;
    // District 0 accepted, district 1 submitted, district 2's day closed (the synthetic day is over).
    let input = eventday_store::submission::SubmitInput::default();
    eventday_store::submission::submit(&store, cs[0].id, &input, None).await.expect("submit 0");
    eventday_store::submission::decide(&store, cs[0].id, &eventday_store::submission::Decision::Accept, None)
        .await
        .expect("accept 0");
    eventday_store::submission::submit(&store, cs[1].id, &input, None).await.expect("submit 1");
    // The district's contact: its organizer.
    user_with_token(&store, "district-2-boss", Role::Organizer, Some(cs[2].organization_id), vec![]).await;

    let direct = |cid: i32, col: &'static str| {
        let store = store.clone();
        async move {
            scalar(&store, &format!("SELECT CAST(COALESCE(SUM({col}), 0) AS BIGINT) FROM log_entries WHERE campaign_id = {cid}"))
                .await
        }
    };

    // The city's children are the three districts; two pages of two.
    let path = format!("/api/v1/organizations/{city}/completeness?year=2026&limit=2");
    let (status, page1) = app.get_json(&path).await;
    assert_eq!(status, 200, "{page1}");
    let after = page1["next_after"].as_i64().expect("a second page");
    let (status, page2) = app.get_json(&format!("{path}&after={after}")).await;
    assert_eq!(status, 200, "{page2}");
    assert!(page2["next_after"].is_null());
    assert_eq!(page1["totals"], page2["totals"], "totals on every page");
    let rows: Vec<&Value> = page1["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .chain(page2["rows"].as_array().expect("rows"))
        .collect();
    assert_eq!(rows.len(), 3);
    let mut total_visitors = 0;
    for (i, c) in cs.iter().enumerate() {
        let row =
            rows.iter().find(|r| r["organization_id"] == c.organization_id).expect("a row per district");
        let want = ["accepted", "submitted", "day_closed"][i];
        assert_eq!(row["status"], want, "{row}");
        let visitors = direct(c.id, "visitors").await;
        total_visitors += visitors;
        assert_eq!(row["figures"]["visitors"], visitors);
        assert_eq!(row["figures"]["money_recovered_fen"], direct(c.id, "money_recovered_fen").await);
        let entries = scalar(
            &store,
            &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM log_entries WHERE campaign_id = {}", c.id),
        )
        .await;
        assert_eq!(row["log_entries"], entries);
        assert!(row["last_entry_at"].is_string());
        assert_eq!(row["report_url"].is_string(), i < 2, "{row}");
    }
    let t = &page1["totals"];
    assert_eq!(t["figures"]["visitors"], total_visitors);
    assert_eq!((t["districts"].as_i64(), t["children"].as_i64()), (Some(3), Some(3)));
    assert_eq!(
        t["by_status"],
        json!({"not_started": 0, "returned": 0, "logging": 0, "day_closed": 1, "submitted": 1, "accepted": 1})
    );
    assert_eq!(page1["not_submitted_count"], 1);
    assert!(page1["not_submitted"].as_array().expect("list").is_empty(), "no cut-off set yet");

    // The province sees one row, its city, at the least advanced of its districts.
    let (status, province) =
        app.get_json(&format!("/api/v1/organizations/{}/completeness?year=2026", out.province_id)).await;
    assert_eq!(status, 200, "{province}");
    assert_eq!(province["rows"].as_array().expect("rows").len(), 1);
    assert_eq!(province["rows"][0]["status"], "day_closed");
    assert_eq!(province["rows"][0]["districts"], 3);
    assert_eq!(province["rows"][0]["has_children"], true);
    assert_eq!(province["rows"][0]["figures"]["visitors"], total_visitors);

    // After the cut-off the city sees who has not submitted, with their contact.
    let resp = app
        .client
        .put(app.url(&format!("/api/v1/organizations/{city}/submission-cutoff")))
        .json(&json!({"year": 2026, "cutoff_at": "2026-03-20T17:00:00+08:00"}))
        .send()
        .await
        .expect("cutoff");
    assert_eq!(resp.status().as_u16(), 200);
    let (_, page) = app.get_json(&format!("/api/v1/organizations/{city}/completeness?year=2026")).await;
    let late = page["not_submitted"].as_array().expect("list");
    assert_eq!(late.len(), 1, "{page}");
    assert_eq!(late[0]["organization_id"], cs[2].organization_id);
    assert!(late[0]["contacts"][0].as_str().expect("contact").contains("district-2-boss"));

    // "Accepted only" counts district 0 alone; "everything logged" all three.
    let (status, accepted) = app
        .get_json(&format!("/api/v1/organizations/{}/rollup?year=2026&basis=accepted", out.province_id))
        .await;
    assert_eq!(status, 200, "{accepted}");
    assert_eq!(accepted["basis"], "accepted");
    assert_eq!(accepted["totals"]["districts"], 1);
    assert_eq!(accepted["totals"]["figures"]["visitors"], direct(cs[0].id, "visitors").await);
    assert_eq!(accepted["districts"].as_array().expect("districts").len(), 1);
    let (_, logged) =
        app.get_json(&format!("/api/v1/organizations/{}/rollup?year=2026", out.province_id)).await;
    assert_eq!(logged["totals"]["figures"]["visitors"], total_visitors);
    let (status, bad) =
        app.get_json(&format!("/api/v1/organizations/{}/rollup?year=2026&basis=some", out.province_id)).await;
    assert_eq!(status, 422);
    assert!(bad["error"]["fields"]["basis"].is_string());
    let pdf =
        app.client
            .get(app.url(&format!(
                "/api/v1/organizations/{}/rollup.pdf?year=2026&basis=accepted",
                out.province_id
            )))
            .send()
            .await
            .expect("pdf");
    assert_eq!(pdf.status().as_u16(), 200);
    assert!(pdf.bytes().await.expect("bytes").starts_with(b"%PDF"));
    app.stop().await;
}

async fn day_statuses(store: &Store, campaign_id: i32) -> Vec<eventday_domain::DayStatus> {
    venue::Entity::find()
        .filter(venue::Column::CampaignId.eq(campaign_id))
        .all(store.conn())
        .await
        .expect("venues")
        .into_iter()
        .map(|v| v.day_status)
        .collect()
}

/// The next submission notice of a live subscription (entries and totals are skipped).
async fn next_submission(
    sub: &mut eventday_store::live::Subscription,
) -> eventday_store::live::LiveSubmission {
    use eventday_store::live::LiveMessage;
    let wait = async {
        loop {
            match sub.next().await.expect("feed") {
                Some(LiveMessage::Submission(s)) => return (*s).clone(),
                Some(_) => {}
                None => panic!("the feed ended"),
            }
        }
    };
    tokio::time::timeout(std::time::Duration::from_secs(20), wait).await.expect("a submission notice")
}

#[tokio::test]
async fn a_return_reopens_the_accepted_days_audited_and_reaches_the_campaign_and_city_feeds() {
    use eventday_domain::DayStatus;
    use eventday_store::live::{self, Scope};
    let app = spawn_app().await;
    let store = &app.db.store;
    synthetic::generate(store, &SyntheticSpec { districts: 2, seed: 9, year: 2026 }, |_| {})
        .await
        .expect("generate");
    let c = campaigns(store).await[0].clone();
    let district = c.organization_id;
    let city = organization::Entity::find_by_id(district)
        .one(store.conn())
        .await
        .expect("db")
        .and_then(|o| o.parent_id)
        .expect("a city");
    let before = day_statuses(store, c.id).await;
    let accepted = before.iter().filter(|d| **d == DayStatus::Accepted).count();
    assert!(accepted > 0, "{before:?}");

    let mut campaign_feed = live::subscribe(store, Scope::Campaign(c.id), None).await.expect("subscribe");
    let city_campaigns = live::subtree_campaigns(store, city).await.expect("subtree");
    let mut city_feed = live::subscribe(store, Scope::Campaigns(std::sync::Arc::new(city_campaigns)), None)
        .await
        .expect("subscribe");

    let as_district = organizer_of(store, district).await;
    let as_city = organizer_of(store, city).await;
    let base = app.url(&format!("/api/v1/campaigns/{}/submission", c.id));
    let (status, body) =
        send(as_district.post(format!("{base}/submit")).json(&json!({"note": "请审核"}))).await;
    assert_eq!(status, 200, "{body}");
    let seen = next_submission(&mut city_feed).await;
    assert_eq!((seen.campaign_id, seen.status.as_str()), (c.id, "submitted"));
    assert_eq!(seen.parent_organization_id, city);
    assert_eq!(next_submission(&mut campaign_feed).await.status, "submitted");

    // An empty comment is refused naming the field, and changes nothing.
    let (status, body) = send(as_city.post(format!("{base}/return")).json(&json!({"comment": "  "}))).await;
    assert_eq!(status, 422, "{body}");
    assert!(body["error"]["fields"]["comment"].is_string(), "{body}");
    assert_eq!(day_statuses(store, c.id).await, before);

    let (status, body) =
        send(as_city.post(format!("{base}/return")).json(&json!({"comment": "投诉数与台账不符"}))).await;
    assert_eq!(status, 200, "{body}");
    let seen = next_submission(&mut campaign_feed).await;
    assert_eq!((seen.campaign_id, seen.status.as_str()), (c.id, "returned"));
    assert_eq!(next_submission(&mut city_feed).await.status, "returned");

    // Reopened: every accepted day open again (the others as they were), each audited as
    // reopened by the city's organizer.
    let after = day_statuses(store, c.id).await;
    let expected: Vec<DayStatus> =
        before.iter().map(|d| if *d == DayStatus::Accepted { DayStatus::Open } else { *d }).collect();
    assert_eq!(after, expected);
    let reopened = audit_event::Entity::find()
        .filter(audit_event::Column::Action.eq("day_reopen"))
        .all(store.conn())
        .await
        .expect("audit");
    assert_eq!(reopened.len(), accepted);
    assert!(reopened.iter().all(|e| e.user_id.is_some()), "the acting user is recorded");
    // And the district may log again.
    let venue_id = venue::Entity::find()
        .filter(venue::Column::CampaignId.eq(c.id))
        .one(store.conn())
        .await
        .expect("db")
        .expect("a venue")
        .id;
    let (status, body) =
        send(as_district.post(app.url(&format!("/api/v1/venues/{venue_id}/log"))).json(&entry(3))).await;
    assert_eq!(status, 201, "{body}");
    app.stop().await;
}

/// A page's HTML as `client` sees it.
async fn page(client: &reqwest::Client, url: String) -> (u16, String) {
    let resp = client.get(url).header("accept", "text/html").send().await.expect("page");
    (resp.status().as_u16(), resp.text().await.expect("html"))
}

/// The organization ids of the completeness table's rows, in order.
fn row_orgs(html: &str) -> Vec<i32> {
    html.split("<tr data-org=\"")
        .skip(1)
        .filter_map(|s| s.split('"').next().and_then(|n| n.parse().ok()))
        .collect()
}

/// The number shown for a figure in the page's totals table (this year's column).
fn total_shown(html: &str, label: &str) -> i64 {
    let at = html.find(&format!("<th scope=\"row\">{label}</th><td class=\"num\">")).expect(label);
    let rest = &html[at..];
    let start = rest.find("<td class=\"num\">").expect("cell") + "<td class=\"num\">".len();
    rest[start..].split('<').next().expect("number").replace(',', "").parse().expect("a whole number")
}

#[tokio::test]
async fn the_reporting_page_pages_its_rows_shows_submissions_decides_and_lists_the_late_with_contacts() {
    let app = spawn_app().await;
    let store = &app.db.store;
    let out = synthetic::generate(store, &SyntheticSpec { districts: 25, seed: 4, year: 2026 }, |_| {})
        .await
        .expect("generate");
    let c = campaigns(store).await[0].clone();
    let district = c.organization_id;
    let city = organization::Entity::find_by_id(district)
        .one(store.conn())
        .await
        .expect("db")
        .and_then(|o| o.parent_id)
        .expect("a city");
    let other_city = organization::Entity::find()
        .filter(organization::Column::ParentId.eq(out.province_id))
        .filter(organization::Column::Id.ne(city))
        .one(store.conn())
        .await
        .expect("db")
        .expect("a second city")
        .id;
    let district_login = format!("district-{}", uuid::Uuid::new_v4().simple());
    let as_district = client_with_token(
        &user_with_token(store, &district_login, Role::Organizer, Some(district), vec![]).await,
    );
    let as_city = organizer_of(store, city).await;
    let as_other_city = organizer_of(store, other_city).await;
    let rollup = |q: &str| app.url(&format!("/organizations/{city}/rollup?year=2026{q}"));

    // Only those above the city see its page.
    let (status, _) = page(&as_other_city, rollup("")).await;
    assert_eq!(status, 403);
    let (status, _) = page(&as_district, rollup("")).await;
    assert_eq!(status, 403);

    // Keyset paging: five rows a page, the next page continues after the last one shown.
    let (status, first) = page(&as_city, rollup("&limit=5")).await;
    assert_eq!(status, 200);
    let first_rows = row_orgs(&first);
    assert_eq!(first_rows.len(), 5, "five rows on the first page");
    let next = first
        .split("id=\"next-page\" href=\"")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .expect("a next-page link")
        .replace("&amp;", "&");
    let (_, second) = page(&as_city, app.url(&next)).await;
    let second_rows = row_orgs(&second);
    assert_eq!(second_rows.len(), 5);
    assert!(second_rows.iter().all(|r| !first_rows.contains(r)), "{first_rows:?} then {second_rows:?}");
    let api = as_city.get(app.url(&format!("/api/v1/organizations/{city}/completeness?year=2026&limit=10")));
    let (_, api) = send(api).await;
    let api_rows: Vec<i32> = api["rows"]
        .as_array()
        .expect("rows")
        .iter()
        .map(|r| r["organization_id"].as_i64().expect("id") as i32)
        .collect();
    assert_eq!([first_rows, second_rows].concat(), api_rows, "the page's rows are the API's, in order");

    // The district submits: its row says so in words, with accept and return.
    let (status, body) = send(
        as_district.post(app.url(&format!("/api/v1/campaigns/{}/submission/submit", c.id))).json(&json!({})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let (_, html) = page(&as_city, rollup("&limit=100")).await;
    let row = html.split(&format!("<tr data-org=\"{district}\"")).nth(1).expect("the district's row");
    let row = row.split("</tr>").next().expect("row end").replace("&#x2f;", "/");
    assert!(row.contains(">已报送<"), "{row}");
    assert!(row.contains(&format!("data-accept=\"{}\"", c.id)), "{row}");
    assert!(row.contains(&format!("/api/v1/campaigns/{}/submission/report.pdf", c.id)), "{row}");

    // Accepted-only totals: nothing before the acceptance, the API's accepted roll-up after.
    let (_, html) = page(&as_city, rollup("&basis=accepted")).await;
    assert_eq!(total_shown(&html, "接待群众"), 0);
    assert!(
        html.replace("&#x2f;", "/")
            .contains(&format!("/api/v1/organizations/{city}/rollup.pdf?year=2026&amp;basis=accepted")),
        "the PDF link carries the basis"
    );
    let (status, _) =
        send(as_city.post(app.url(&format!("/api/v1/campaigns/{}/submission/accept", c.id)))).await;
    assert_eq!(status, 200);
    let (_, html) = page(&as_city, rollup("&basis=accepted")).await;
    let visitors = scalar(
        store,
        &format!("SELECT CAST(SUM(visitors) AS BIGINT) FROM log_entries WHERE campaign_id = {}", c.id),
    )
    .await;
    assert!(visitors > 0);
    let (_, accepted) =
        send(as_city.get(app.url(&format!("/api/v1/organizations/{city}/rollup?year=2026&basis=accepted"))))
            .await;
    assert_eq!(
        total_shown(&html, "接待群众"),
        accepted["totals"]["figures"]["visitors"].as_i64().expect("n")
    );

    // Before the cut-off the late are only counted; after it they are listed with contacts.
    let (_, html) = page(&as_city, rollup("")).await;
    assert!(!html.contains("id=\"not-submitted\""));
    let (status, body) = send(
        as_city
            .put(app.url(&format!("/api/v1/organizations/{city}/submission-cutoff")))
            .json(&json!({"year": 2026, "cutoff_at": "2026-03-20T17:00:00+08:00"})),
    )
    .await;
    assert_eq!(status, 200, "{body}");
    let second_district = campaigns(store).await[1].organization_id;
    let late_login = format!("late-{}", uuid::Uuid::new_v4().simple());
    user_with_token(store, &late_login, Role::Organizer, Some(second_district), vec![]).await;
    let (_, html) = page(&as_city, rollup("")).await;
    let list = html.split("id=\"not-submitted\"").nth(1).expect("the not-submitted list");
    let list = list.split("</ul>").next().expect("list end");
    assert!(list.contains(&late_login), "the late district's organizer is its contact: {list}");
    assert!(!list.contains(&district_login), "an accepted district is not late: {list}");
    // In English, the statuses are in words too.
    let (_, html) = page(&as_city, rollup("&lang=en&limit=100")).await;
    assert!(html.contains(">Accepted<"));
    app.stop().await;
}

#[tokio::test]
async fn the_reporting_page_without_a_year_shows_the_latest_year_that_had_campaigns() {
    let app = spawn_app().await;
    let store = &app.db.store;
    let out = synthetic::generate(store, &SyntheticSpec { districts: 3, seed: 9, year: 2024 }, |_| {})
        .await
        .expect("generate");
    let province = out.province_id;
    let as_province = organizer_of(store, province).await;
    let (status, html) = page(&as_province, app.url(&format!("/organizations/{province}/rollup"))).await;
    assert_eq!(status, 200);
    assert!(html.contains("· 2024 · eventday</title>"), "{}", &html[..html.len().min(600)]);
    let (_, api) =
        send(as_province.get(app.url(&format!("/api/v1/organizations/{province}/rollup?year=2024")))).await;
    let visitors = api["totals"]["figures"]["visitors"].as_i64().expect("visitors");
    assert!(visitors > 0, "{api}");
    assert_eq!(total_shown(&html, "接待群众"), visitors, "the 2024 figures, not an empty year");
    app.stop().await;
}
