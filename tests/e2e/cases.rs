//! Complaint cases (issue 22): intake with and without consent, the public status page, the ODR
//! clock and illegal moves, the signed report's addendum, evidence photos, and the purge of
//! personal data — each checked in the raw database rows where personal data is concerned.

use crate::helpers::{TestApp, client_with_token, open_days, scalar, send, spawn_app, user_with_token};
use eventday_domain::Role;
use eventday_store::Store;
use eventday_store::entities::{campaign, venue};
use eventday_store::synthetic::{self, SyntheticSpec};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::{Value, json};

const PHONE: &str = "13812341234";
const NAME: &str = "张三丰";

/// A synthetic district campaign (its days opened again), an organizer of the district, the
/// campaign and one of its venues.
async fn setting(store: &Store) -> (reqwest::Client, campaign::Model, i32) {
    synthetic::generate(store, &SyntheticSpec { districts: 1, seed: 22, year: 2026 }, |_| {})
        .await
        .expect("generate");
    let c = campaign::Entity::find()
        .order_by_asc(campaign::Column::Id)
        .one(store.conn())
        .await
        .expect("db")
        .expect("campaign");
    open_days(store, c.id).await;
    let v = venue::Entity::find()
        .filter(venue::Column::CampaignId.eq(c.id))
        .one(store.conn())
        .await
        .expect("db")
        .expect("venue");
    let login = format!("case-organizer-{}", uuid::Uuid::new_v4().simple());
    let token = user_with_token(store, &login, Role::Organizer, Some(c.organization_id), vec![]).await;
    (client_with_token(&token), c, v.id)
}

fn intake(consent: bool, name: Option<&str>, phone: Option<&str>) -> Value {
    let mut b = json!({"client_id": uuid::Uuid::new_v4(), "category": "家用电器", "amount_claimed_fen": 50_000,
        "description": "电视机屏幕一周后出现坏点", "consent": consent});
    if let Some(n) = name {
        b["consumer_name"] = json!(n);
    }
    if let Some(p) = phone {
        b["consumer_phone"] = json!(p);
    }
    b
}

/// Takes a case at the venue as `org`: the status and the answer.
async fn take(app: &TestApp, org: &reqwest::Client, venue_id: i32, body: Value) -> (u16, Value) {
    send(org.post(app.url(&format!("/api/v1/venues/{venue_id}/cases"))).json(&body)).await
}

/// Rows of `table` whose text (every column, cast) contains `needle`.
async fn rows_containing(store: &Store, table: &str, columns: &[&str], needle: &str) -> i64 {
    let cond: Vec<String> =
        columns.iter().map(|c| format!("COALESCE(CAST({c} AS TEXT), '') LIKE '%{needle}%'")).collect();
    scalar(store, &format!("SELECT COUNT(*) FROM {table} WHERE {}", cond.join(" OR "))).await
}

/// A small PNG by its magic bytes, different for each `n`.
fn png(n: u8) -> Vec<u8> {
    let mut b = b"\x89PNG\r\n\x1a\n".to_vec();
    b.extend((0..300u32).map(|i| u8::try_from(i % 251).unwrap_or(0) ^ n));
    b
}

#[tokio::test]
async fn a_case_without_consent_stores_no_name_or_phone_and_the_status_page_shows_no_personal_data() {
    let app = spawn_app().await;
    let store = &app.db.store;
    let (org, _c, venue_id) = setting(store).await;
    let url = app.url(&format!("/api/v1/venues/{venue_id}/cases"));

    // A phone without the consent tick is refused, naming `consent`, and nothing is stored.
    let (status, err) = send(org.post(&url).json(&intake(false, Some(NAME), Some(PHONE)))).await;
    assert_eq!(status, 422, "{err}");
    assert!(err["error"]["fields"]["consent"].is_string(), "{err}");
    assert_eq!(scalar(store, "SELECT COUNT(*) FROM complaint_cases").await, 0);

    // Anonymous: stored without a name or phone at all.
    let (status, anon) = send(org.post(&url).json(&intake(false, None, None))).await;
    assert_eq!(status, 201, "{anon}");
    let id = anon["dispute_id"].as_i64().expect("id");
    assert_eq!(
        scalar(store, &format!("SELECT COUNT(*) FROM complaint_cases WHERE dispute_id = {id} AND consumer_name_enc IS NULL AND consumer_phone_enc IS NULL AND consent = FALSE")).await,
        1
    );
    assert!(anon["consumer_phone_masked"].is_null());

    // With consent: kept sealed (the raw row does not hold the number), shown masked.
    let body = intake(true, Some(NAME), Some(PHONE));
    let (status, case) = send(org.post(&url).json(&body)).await;
    assert_eq!(status, 201, "{case}");
    assert_eq!(case["consumer_phone_masked"], "138****1234");
    assert_eq!(case["consumer_name_masked"], "张*");
    let code = case["code"].as_str().expect("code").to_owned();
    assert_eq!(code.len(), 8);
    let cols = ["consumer_name_enc", "consumer_phone_enc", "code", "client_id"];
    assert_eq!(rows_containing(store, "complaint_cases", &cols, PHONE).await, 0);
    assert_eq!(rows_containing(store, "complaint_cases", &cols, NAME).await, 0);
    assert_eq!(
        scalar(store, "SELECT COUNT(*) FROM complaint_cases WHERE consumer_phone_enc IS NOT NULL").await,
        1
    );
    // A retry with the same client id answers the stored case.
    let (status, again) = send(org.post(&url).json(&body)).await;
    assert_eq!((status, &again["dispute_id"]), (200, &case["dispute_id"]));
    assert_eq!(scalar(store, "SELECT COUNT(*) FROM complaint_cases").await, 2);

    // The public status page: the stage, no name, phone, amount or description.
    let page = reqwest::get(app.url(&format!("/case/{}", code.to_lowercase()))).await.expect("page");
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.expect("html");
    assert!(html.contains(&code) && html.contains("已受理"), "{html}");
    for secret in [PHONE, "1234", NAME, "张*", "500", "电视机", "家用电器"] {
        assert!(!html.contains(secret), "the status page shows {secret}");
    }
    let missing = reqwest::get(app.url("/case/ZZZZZZZZ")).await.expect("page");
    assert_eq!(missing.status().as_u16(), 404);

    // The organizers' full view is audited, and the audit trail never holds the values.
    let (status, full) =
        send(org.post(app.url(&format!("/api/v1/disputes/{}/case/contact", case["dispute_id"])))).await;
    assert_eq!(status, 200, "{full}");
    assert_eq!((full["name"].as_str(), full["phone"].as_str()), (Some(NAME), Some(PHONE)));
    assert_eq!(
        scalar(store, "SELECT COUNT(*) FROM audit_events WHERE action = 'reveal' AND entity = 'case'").await,
        1
    );
    for secret in [PHONE, NAME] {
        assert_eq!(rows_containing(store, "audit_events", &["before", "after"], secret).await, 0, "{secret}");
    }
    app.stop().await;
}

#[tokio::test]
async fn an_odr_deadline_skips_a_weekend_and_a_public_holiday_and_illegal_moves_name_the_field() {
    let app = spawn_app().await;
    let store = &app.db.store;
    let (org, _c, venue_id) = setting(store).await;
    let (_, case) = take(&app, &org, venue_id, intake(false, None, None)).await;
    let steps = app.url(&format!("/api/v1/disputes/{}/case/steps", case["dispute_id"]));

    // Referred on Monday 15 June 2026: two weekends and the Dragon Boat Festival (19 June) skipped.
    let (status, odr) = send(org.post(&steps).json(&json!({"stage": "referred_odr", "on": "2026-06-15",
        "means": "ODR平台", "result": "已转企业"})))
    .await;
    assert_eq!(status, 200, "{odr}");
    assert_eq!(odr["odr_deadline"], "2026-06-30");
    assert_eq!(odr["stage"], "referred_odr");
    assert_eq!(odr["overdue"], true, "the deadline is long past");

    // Back to mediating is not a move a case makes: 422 naming `stage`, nothing changed.
    let (status, err) = send(org.post(&steps).json(&json!({"stage": "mediating", "on": "2026-07-01"}))).await;
    assert_eq!(status, 422, "{err}");
    assert!(err["error"]["fields"]["stage"].is_string(), "{err}");
    // Settling needs the amount; a 12315 referral its number.
    let (status, err) = send(org.post(&steps).json(&json!({"stage": "settled", "on": "2026-07-01"}))).await;
    assert!(status == 422 && err["error"]["fields"]["amount_recovered_fen"].is_string(), "{err}");
    let (status, err) =
        send(org.post(&steps).json(&json!({"stage": "referred_12315", "on": "2026-07-01"}))).await;
    assert!(status == 422 && err["error"]["fields"]["reference_12315"].is_string(), "{err}");
    // The dispute's own status move is refused for a case (it would bypass the case's steps).
    let (status, _) = send(
        org.post(app.url(&format!("/api/v1/disputes/{}/status", case["dispute_id"])))
            .json(&json!({"status": "closed"})),
    )
    .await;
    assert_eq!(status, 409);
    let (status, done) = send(org.post(&steps).json(&json!({"stage": "referred_12315", "on": "2026-07-02",
        "reference_12315": "1234567890"})))
    .await;
    assert_eq!(status, 200, "{done}");
    assert_eq!(done["reference_12315"], "1234567890");
    assert_eq!(done["steps"].as_array().map(Vec::len), Some(2));
    assert_eq!(
        scalar(
            store,
            &format!(
                "SELECT COUNT(*) FROM disputes WHERE id = {} AND status = 'referred'",
                case["dispute_id"]
            )
        )
        .await,
        1
    );
    app.stop().await;
}

#[tokio::test]
async fn a_case_settled_after_the_report_was_submitted_appears_in_the_addendum_and_the_signed_figures_stay() {
    let app = spawn_app().await;
    let store = &app.db.store;
    let (org, c, venue_id) = setting(store).await;
    let (_, case) = take(&app, &org, venue_id, intake(false, None, None)).await;
    let submit = app.url(&format!("/api/v1/campaigns/{}/submission/submit", c.id));
    let (status, signed) = send(org.post(&submit).json(&json!({"note": "请审核"}))).await;
    assert_eq!(status, 200, "{signed}");
    let signed_settled = signed["figures"]["disputes"]["settled"].as_i64().expect("settled");
    let signed_recovered = signed["figures"]["disputes"]["amount_recovered_fen"].as_i64().expect("recovered");
    let before = eventday_store::report_data::campaign_report_data(store, c.id, eventday_domain::Lang::Zh)
        .await
        .expect("report data");
    assert!(before.addendum.is_none(), "nothing changed yet");

    // Weeks later the enterprise pays back 123.45 yuan.
    let steps = app.url(&format!("/api/v1/disputes/{}/case/steps", case["dispute_id"]));
    let (status, settled) = send(org.post(&steps).json(&json!({"stage": "settled", "on": "2026-04-10",
        "means": "电话", "result": "企业退款", "amount_recovered_fen": 12_345})))
    .await;
    assert_eq!(status, 200, "{settled}");

    let data = eventday_store::report_data::campaign_report_data(store, c.id, eventday_domain::Lang::Zh)
        .await
        .expect("report data");
    // The body keeps the signed figures; the addendum has the new ones and the change.
    assert_eq!(data.disputes.settled, u64::try_from(signed_settled).expect("count"));
    assert_eq!(data.disputes.amount_recovered_fen, signed_recovered);
    let a = data.addendum.as_ref().expect("an addendum");
    assert_eq!(a.now.settled, a.signed.settled + 1);
    assert_eq!(a.now.amount_recovered_fen, signed_recovered + 12_345);
    assert_eq!(a.changes.len(), 1);
    assert_eq!(a.changes[0].code, case["code"].as_str().expect("code"));
    assert_eq!(a.changes[0].stage, eventday_domain::CaseStage::Settled);
    assert_eq!(a.changes[0].amount_recovered_fen, Some(12_345));
    // The stored submission is untouched, and the report renders with its addendum page.
    let (_, state) = send(org.get(app.url(&format!("/api/v1/campaigns/{}/submission", c.id)))).await;
    assert_eq!(state["submission"]["figures"]["disputes"]["settled"], signed_settled);
    let pdf = org.get(app.url(&format!("/api/v1/campaigns/{}/report.pdf", c.id))).send().await.expect("pdf");
    assert_eq!(pdf.status().as_u16(), 200);
    app.stop().await;
}

#[tokio::test]
async fn the_campaigns_case_list_shows_each_case_as_its_own_page_does() {
    let app = spawn_app().await;
    let store = &app.db.store;
    let (org, c, venue_id) = setting(store).await;
    let (status, unit) =
        send(org.post(app.url("/api/v1/units")).json(&json!({"name": "江城电器商行", "kind": "enterprise"})))
            .await;
    assert_eq!(status, 201, "{unit}");
    let unit_id = unit["id"].as_i64().expect("unit id");
    let (status, p) = send(
        org.post(app.url(&format!("/api/v1/campaigns/{}/participations", c.id)))
            .json(&json!({"unit_id": unit_id, "reconciliation_member": true})),
    )
    .await;
    assert_eq!(status, 201, "{p}");
    let mut with_enterprise = intake(true, Some(NAME), Some(PHONE));
    with_enterprise["enterprise_unit_id"] = json!(unit_id);
    let (_, first) = take(&app, &org, venue_id, with_enterprise).await;
    let (_, second) = take(&app, &org, venue_id, intake(false, None, None)).await;
    let steps = app.url(&format!("/api/v1/disputes/{}/case/steps", first["dispute_id"]));
    for step in [
        json!({"stage": "mediating", "on": "2026-03-16", "means": "电话", "result": "约谈企业"}),
        json!({"stage": "settled", "on": "2026-03-20", "means": "面谈", "result": "退款", "amount_recovered_fen": 20_000}),
    ] {
        let (status, body) = send(org.post(&steps).json(&step)).await;
        assert_eq!(status, 200, "{body}");
    }
    let (status, list) = send(org.get(app.url(&format!("/api/v1/campaigns/{}/cases", c.id)))).await;
    assert_eq!(status, 200, "{list}");
    let list = list.as_array().expect("a list").clone();
    assert_eq!(list.len(), 2, "{list:?}");
    for case in [&second, &first] {
        let id = case["dispute_id"].as_i64().expect("id");
        let (_, one) = send(org.get(app.url(&format!("/api/v1/disputes/{id}/case")))).await;
        let listed = list.iter().find(|c| c["dispute_id"] == one["dispute_id"]).expect("listed");
        assert_eq!(listed, &one, "the list and the case page agree");
    }
    let (_, one) = send(org.get(app.url(&format!("/api/v1/disputes/{}/case", first["dispute_id"])))).await;
    assert_eq!(one["steps"].as_array().map(Vec::len), Some(2), "{one}");
    assert_eq!(
        (&one["enterprise_unit_id"], &one["enterprise"], &one["odr_member"]),
        (&json!(unit_id), &json!("江城电器商行"), &json!(true)),
        "{one}"
    );
    app.stop().await;
}

#[tokio::test]
async fn evidence_photos_are_stored_once_refused_when_not_images_and_kept_from_other_venues_and_the_public() {
    let app = spawn_app().await;
    let store = &app.db.store;
    let (org, c, venue_id) = setting(store).await;
    let (_, case) = take(&app, &org, venue_id, intake(true, Some(NAME), Some(PHONE))).await;
    let id = case["dispute_id"].as_i64().expect("id");
    let upload = app.url(&format!("/api/v1/disputes/{id}/case/evidence"));

    // Stored once: the same picture sent again (a retry after a lost answer) answers the stored row.
    let (status, first) = send(org.post(&upload).header("content-type", "image/png").body(png(1))).await;
    assert_eq!(status, 201, "{first}");
    assert_eq!(first["content_type"], "image/png");
    assert!(first.get("bytes").is_none(), "{first}");
    let (status, again) =
        send(org.post(&upload).header("content-type", "application/octet-stream").body(png(1))).await;
    assert_eq!((status, &again["id"]), (200, &first["id"]), "{again}");
    let count = || async {
        scalar(store, &format!("SELECT COUNT(*) FROM case_evidence WHERE dispute_id = {id}")).await
    };
    assert_eq!(count().await, 1);
    // One audit event for the one photo stored, without its bytes.
    assert_eq!(
        scalar(
            store,
            "SELECT COUNT(*) FROM audit_events WHERE entity = 'case_evidence' AND action = 'create'"
        )
        .await,
        1
    );
    assert_eq!(
        scalar(
            store,
            "SELECT COUNT(*) FROM audit_events WHERE entity = 'case_evidence' AND after LIKE '%\"bytes\"%'"
        )
        .await,
        0
    );

    // Not an image by its bytes (whatever it claims to be): 422 naming `file`, nothing stored.
    let (status, err) = send(
        org.post(&upload).header("content-type", "image/jpeg").body(b"<html>not a photo</html>".to_vec()),
    )
    .await;
    assert_eq!(status, 422, "{err}");
    assert!(err["error"]["fields"]["file"].is_string(), "{err}");
    assert_eq!(count().await, 1);

    // The organizer sees it: in the list, as bytes, and as a thumbnail with alt text on the case page.
    let (status, list) = send(org.get(&upload)).await;
    assert_eq!(status, 200, "{list}");
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    let bytes_url = app.url(&format!("/api/v1/case-evidence/{}", first["id"]));
    let got = org.get(&bytes_url).send().await.expect("photo");
    assert_eq!(got.status().as_u16(), 200);
    assert_eq!(got.headers().get("content-type").and_then(|v| v.to_str().ok()), Some("image/png"));
    assert_eq!(got.bytes().await.expect("bytes").to_vec(), png(1));
    let page = org.get(app.url(&format!("/disputes/{id}/case"))).send().await.expect("page");
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.expect("html");
    let thumb = format!("src=\"/api/v1/case-evidence/{}\"", first["id"]);
    assert!(html.contains(&thumb) && html.contains("alt=\"证据照片 1\""), "{html}");
    assert!(html.contains("id=\"evidence-file\""), "the organizer may add photos");

    // Another venue's lead of the same campaign: the case page, but no photos, and no photo route.
    let other = venue::Entity::find()
        .filter(venue::Column::CampaignId.eq(c.id))
        .filter(venue::Column::Id.ne(venue_id))
        .one(store.conn())
        .await
        .expect("db")
        .expect("another venue");
    let login = format!("case-lead-b-{}", uuid::Uuid::new_v4().simple());
    let lead_b = client_with_token(&user_with_token(store, &login, Role::Lead, None, vec![other.id]).await);
    let page = lead_b.get(app.url(&format!("/disputes/{id}/case"))).send().await.expect("page");
    assert_eq!(page.status().as_u16(), 200);
    let html = page.text().await.expect("html");
    assert!(!html.contains("/api/v1/case-evidence/") && !html.contains("evidence-file"), "{html}");
    for (status, what) in [
        (lead_b.get(&bytes_url).send().await.expect("r").status().as_u16(), "bytes"),
        (lead_b.get(&upload).send().await.expect("r").status().as_u16(), "list"),
        (
            lead_b
                .post(&upload)
                .header("content-type", "image/png")
                .body(png(2))
                .send()
                .await
                .expect("r")
                .status()
                .as_u16(),
            "upload",
        ),
    ] {
        assert_eq!(status, 403, "another venue's lead got the {what}");
    }
    // The case's own lead gets them.
    let login = format!("case-lead-a-{}", uuid::Uuid::new_v4().simple());
    let lead_a = client_with_token(&user_with_token(store, &login, Role::Lead, None, vec![venue_id]).await);
    assert_eq!(lead_a.get(&bytes_url).send().await.expect("r").status().as_u16(), 200);

    // The public: no bytes, and the status page neither shows nor links them.
    assert_eq!(reqwest::get(&bytes_url).await.expect("r").status().as_u16(), 401);
    let status_page = reqwest::get(app.url(&format!("/case/{}", case["code"].as_str().expect("code"))))
        .await
        .expect("page")
        .text()
        .await
        .expect("html");
    assert!(status_page.contains(case["code"].as_str().expect("code")), "{status_page}");
    assert!(!status_page.contains("case-evidence") && !status_page.contains("<img"), "{status_page}");
    app.stop().await;
}

#[tokio::test]
async fn purge_leaves_the_statistics_intact_and_no_personal_data_in_the_raw_rows() {
    let app = spawn_app().await;
    let store = &app.db.store;
    let (org, c, venue_id) = setting(store).await;
    let (_, case) = take(&app, &org, venue_id, intake(true, Some(NAME), Some(PHONE))).await;
    let id = case["dispute_id"].as_i64().expect("id");
    let (status, _) = send(org.post(app.url(&format!("/api/v1/disputes/{id}/case/steps"))).json(&json!({
        "stage": "settled", "on": "2026-03-16", "means": "现场", "result": "商家退款给消费者", "amount_recovered_fen": 30_000}))).await;
    assert_eq!(status, 200);
    for n in [1, 2] {
        let (status, _) = send(
            org.post(app.url(&format!("/api/v1/disputes/{id}/case/evidence")))
                .header("content-type", "image/png")
                .body(png(n)),
        )
        .await;
        assert_eq!(status, 201);
    }
    // Before the purge the trail holds the free text as it was written (what the purge must take out).
    let of_case = format!(
        "((entity = 'dispute' AND entity_id = '{id}') OR (entity = 'case_step' AND entity_id IN (SELECT CAST(id AS TEXT) FROM case_steps WHERE dispute_id = {id})))"
    );
    let audit_with = |needle: &'static str| {
        let of_case = of_case.clone();
        async move {
            scalar(
                store,
                &format!("SELECT COUNT(*) FROM audit_events WHERE {of_case} AND (COALESCE(before, '') LIKE '%{needle}%' OR COALESCE(after, '') LIKE '%{needle}%')"),
            )
            .await
        }
    };
    assert!(audit_with("电视机").await > 0 && audit_with("商家退款").await > 0, "the trail held the text");
    let audit_events = scalar(store, &format!("SELECT COUNT(*) FROM audit_events WHERE {of_case}")).await;
    let totals = || async {
        eventday_store::queries::campaign_summary(store, c.id).await.expect("summary").totals.disputes
    };
    let stats = totals().await;

    // Inside the retention period nothing goes; past it the personal data and free text do.
    let today = eventday_store::cases::today();
    assert_eq!(eventday_store::cases::purge(store, None, today).await.expect("purge").cases, 0);
    let (status, _) = send(
        org.put(app.url(&format!("/api/v1/organizations/{}/case-settings", c.organization_id)))
            .json(&json!({"retention_days": 30})),
    )
    .await;
    assert_eq!(status, 200);
    let later = chrono::NaiveDate::from_ymd_opt(2026, 5, 1).expect("date");
    assert_eq!(eventday_store::cases::purge(store, None, later).await.expect("purge").cases, 1);
    assert_eq!(eventday_store::cases::purge(store, None, later).await.expect("purge").cases, 0, "once");

    assert_eq!(totals().await, stats, "statistics intact");
    assert_eq!(
        scalar(store, &format!("SELECT COUNT(*) FROM case_evidence WHERE dispute_id = {id}")).await,
        0
    );
    assert_eq!(scalar(store, "SELECT COUNT(*) FROM case_evidence").await, 0);
    // The case's audit events are all still there, without the description or the step's result
    // (searched in the raw JSON), and with their other fields as written.
    assert_eq!(
        scalar(store, &format!("SELECT COUNT(*) FROM audit_events WHERE {of_case}")).await,
        audit_events
    );
    assert_eq!(audit_with("电视机").await, 0);
    assert_eq!(audit_with("商家退款").await, 0);
    assert!(audit_with("\"amount_recovered_fen\":30000").await > 0, "other fields stay");
    assert!(audit_with("\"category\":\"家用电器\"").await > 0, "other fields stay");
    assert!(audit_with("\"means\":\"现场\"").await > 0, "other fields stay");
    assert_eq!(
        scalar(store, &format!("SELECT COUNT(*) FROM audit_events WHERE action = 'purge' AND entity = 'case_evidence' AND entity_id = '{id}' AND after LIKE '%\"photos_deleted\":2%'")).await,
        1
    );
    // A purged case takes no new photos (they are personal data too).
    let (status, err) = send(
        org.post(app.url(&format!("/api/v1/disputes/{id}/case/evidence")))
            .header("content-type", "image/png")
            .body(png(3)),
    )
    .await;
    assert!(status == 422 && err["error"]["fields"]["file"].is_string(), "{status} {err}");
    assert_eq!(
        scalar(store, &format!("SELECT COUNT(*) FROM disputes WHERE id = {id} AND status = 'settled' AND amount_recovered_fen = 30000 AND summary = ''")).await,
        1
    );
    assert_eq!(
        scalar(store, &format!("SELECT COUNT(*) FROM complaint_cases WHERE dispute_id = {id} AND consumer_name_enc IS NULL AND consumer_phone_enc IS NULL AND purged_at IS NOT NULL")).await,
        1
    );
    for secret in [PHONE, NAME, "电视机", "商家退款"] {
        assert_eq!(rows_containing(store, "case_steps", &["means", "result"], secret).await, 0, "{secret}");
        assert_eq!(rows_containing(store, "disputes", &["summary", "category"], secret).await, 0, "{secret}");
        assert_eq!(
            rows_containing(store, "complaint_cases", &["consumer_name_enc", "consumer_phone_enc"], secret)
                .await,
            0
        );
    }
    for secret in [PHONE, NAME, "电视机", "商家退款"] {
        assert_eq!(rows_containing(store, "audit_events", &["before", "after"], secret).await, 0, "{secret}");
    }
    let (_, shown) = send(org.get(app.url(&format!("/api/v1/disputes/{id}/case")))).await;
    assert!(shown["consumer_phone_masked"].is_null() && shown["purged_at"].is_string(), "{shown}");
    app.stop().await;
}

/// A status page lookup from `client`: the status, the `Retry-After` seconds, the HTML.
async fn look_up(client: &reqwest::Client, url: &str) -> (u16, Option<i64>, String) {
    let resp = client.get(url).header("Accept", "text/html").send().await.expect("status page");
    let status = resp.status().as_u16();
    let retry = resp.headers().get("retry-after").and_then(|v| v.to_str().ok()?.parse().ok());
    (status, retry, resp.text().await.expect("html"))
}

#[tokio::test]
async fn looking_up_thirty_unknown_codes_locks_the_address_for_every_code_and_a_known_code_never_counts() {
    let app = spawn_app().await;
    let store = &app.db.store;
    let (org, _c, venue_id) = setting(store).await;
    let (status, case) = take(&app, &org, venue_id, intake(false, None, None)).await;
    assert_eq!(status, 201, "{case}");
    let code = case["code"].as_str().expect("code").to_owned();
    let real = app.url(&format!("/case/{code}"));
    let anyone = reqwest::Client::new();
    let key = "case-lookup:127.0.0.1";
    let misses = |k: &str| format!("SELECT COUNT(*) FROM login_throttle WHERE \"key\" = '{k}'");

    // A consumer checking their case again and again is never locked out, nor counted.
    for i in 0..40 {
        let (status, _, html) = look_up(&anyone, &real).await;
        assert_eq!(status, 200, "lookup {i}");
        assert!(html.contains(&code), "lookup {i}");
    }
    assert_eq!(scalar(store, &misses(key)).await, 0, "a known code never counts");

    // Thirty unknown codes (well-formed or not) within the window: each is a 404 and counts.
    let unknown = |i: usize| {
        let a = eventday_domain::cases::CODE_ALPHABET;
        if i % 10 == 9 { format!("not-a-code-{i}") } else { format!("ZZZZZZZ{}", char::from(a[i % a.len()])) }
    };
    for i in 0..30 {
        let (status, retry, _) = look_up(&anyone, &app.url(&format!("/case/{}", unknown(i)))).await;
        assert_eq!((status, retry), (404, None), "miss {i}");
    }
    let failures = scalar(
        store,
        &format!("SELECT COUNT(*) FROM login_throttle WHERE \"key\" = '{key}' AND failures = 30 AND locked_until IS NOT NULL"),
    )
    .await;
    assert_eq!(failures, 1, "the counter lives in the database, locked");

    // Now every lookup from this address waits, the real code too: 429, Retry-After, and words.
    let (status, retry, html) = look_up(&anyone, &real).await;
    assert_eq!(status, 429, "{html}");
    let retry = retry.expect("Retry-After");
    assert!(retry > 0 && retry <= 15 * 60, "{retry}");
    let minutes = (retry + 59) / 60;
    assert!(html.contains("查询了太多不存在的案件编号"), "{html}");
    assert!(html.contains(&format!("请{minutes}分钟后再试")), "the wait in minutes: {html}");
    assert!(!html.contains(&code) && !html.contains("已受理"), "no status while locked");
    let (status, retry, html) = look_up(&anyone, &format!("{real}?lang=en")).await;
    assert_eq!(status, 429);
    let minutes = (retry.expect("Retry-After") + 59) / 60;
    assert!(html.contains("Too many unknown case codes"), "{html}");
    assert!(html.contains(&format!("try again in {minutes} min")), "{html}");
    let (status, retry, _) = look_up(&anyone, &app.url("/case/ZZZZZZZZ")).await;
    assert_eq!((status, retry.is_some()), (429, true), "an unknown code waits too");
    // Refused lookups are not counted further: the lock ends when it said it would.
    assert_eq!(
        scalar(
            store,
            &format!("SELECT COUNT(*) FROM login_throttle WHERE \"key\" = '{key}' AND failures = 30")
        )
        .await,
        1
    );

    // Another address is not affected (loopback is 127.0.0.0/8: the client binds 127.0.0.2).
    let other = reqwest::Client::builder()
        .local_address(std::net::IpAddr::from([127, 0, 0, 2]))
        .build()
        .expect("client");
    let (status, _, html) = look_up(&other, &real).await;
    assert_eq!(status, 200, "{html}");
    assert!(html.contains("已受理"));
    let (status, _, _) = look_up(&other, &app.url("/case/ZZZZZZZZ")).await;
    assert_eq!(status, 404);
    assert_eq!(scalar(store, &misses("case-lookup:127.0.0.2")).await, 1);

    // Logins keep their own counters: an attempt from the locked address is answered (401).
    let (status, _) = send(
        anyone
            .post(app.url("/api/v1/auth/login"))
            .json(&json!({"login": "nobody", "password": "wrong password!"})),
    )
    .await;
    assert_eq!(status, 401);
    app.stop().await;
}
