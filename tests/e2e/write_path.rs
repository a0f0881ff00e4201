//! One write path: every door (API, CSV over HTTP and from the command line, the demo loader)
//! writes through the store's one function per entity, with the same rules and audit events.

use crate::helpers::{TestDb, spawn_app};
use eventday_domain::csv::Kind;
use eventday_store::csv_io::{self, ImportOptions};
use eventday_store::entities::{audit_event, user};
use eventday_store::{Store, StoreError, demo};
use sea_orm::{ColumnTrait, EntityTrait, QueryFilter, QueryOrder};
use serde_json::json;

/// The audit events of one entity kind, oldest first: (action, acting user).
async fn audit_of(store: &Store, entity: &str) -> Vec<(String, Option<i32>)> {
    audit_event::Entity::find()
        .filter(audit_event::Column::Entity.eq(entity))
        .order_by_asc(audit_event::Column::Id)
        .all(store.conn())
        .await
        .expect("audit events")
        .into_iter()
        .map(|e| (e.action, e.user_id))
        .collect()
}

async fn user_id(store: &Store, login: &str) -> i32 {
    user::Entity::find()
        .filter(user::Column::Login.eq(login))
        .one(store.conn())
        .await
        .expect("q")
        .expect("user")
        .id
}

/// A campaign created through the API under the test organizer's organization.
async fn new_campaign(app: &crate::helpers::TestApp, title: &str, date: &str) -> i32 {
    let year: i32 = date[..4].parse().expect("year");
    let body = json!({"organization_id": app.root_org, "year": year, "date": date,
        "timezone": "Asia/Shanghai", "title": title, "theme": "消费与服务"});
    let resp = app.client.post(app.url("/api/v1/campaigns")).json(&body).send().await.expect("post");
    assert_eq!(resp.status().as_u16(), 201);
    resp.json::<serde_json::Value>().await.expect("json")["id"].as_i64().expect("id") as i32
}

const UNITS: &str = "名称,类型,联系方式\n区市场监管局,职能部门,\n区烟草专卖局,职能部门,\n中百仓储,企业,\n";
const UNITS_AGAIN: &str =
    "名称,类型,联系方式\n区市场监管局,职能部门,\n区烟草专卖局,职能部门,8888\n武商集团,企业,\n";

#[tokio::test]
async fn a_csv_import_over_the_api_leaves_one_audit_event_per_written_row_naming_the_importer() {
    let app = spawn_app().await;
    let id = new_campaign(&app, "审计活动", "2014-03-15").await;
    let admin = Some(user_id(&app.db.store, "test-admin").await);
    let upload = |body: &'static str| {
        let form = reqwest::multipart::Form::new()
            .part("file", reqwest::multipart::Part::bytes(body.as_bytes()).file_name("units.csv"));
        app.client.post(app.url(&format!("/api/v1/campaigns/{id}/import/units"))).multipart(form).send()
    };
    let resp = upload(UNITS).await.expect("import");
    assert_eq!(resp.status().as_u16(), 200);
    let created: Vec<_> = std::iter::repeat_n(("create".to_owned(), admin), 3).collect();
    assert_eq!(audit_of(&app.db.store, "unit").await, created);

    // One unchanged row (no event), one changed (update), one new (create).
    let resp = upload(UNITS_AGAIN).await.expect("import again");
    let report: serde_json::Value = resp.json().await.expect("json");
    assert_eq!(
        (report["created"].clone(), report["updated"].clone(), report["unchanged"].clone()),
        (json!(1), json!(1), json!(1))
    );
    let events = audit_of(&app.db.store, "unit").await;
    assert_eq!(events.len(), 5, "{events:?}");
    assert_eq!(events[3..], [("update".to_owned(), admin), ("create".to_owned(), admin)]);
    app.stop().await;
}

#[tokio::test]
async fn a_csv_import_from_the_command_line_leaves_audit_events_without_an_acting_user() {
    let db = TestDb::new().await;
    let file = demo::parse(eventday::DEMO_CAMPAIGN_JSON).expect("demo parses");
    let id = demo::load(&db.store, &file).await.expect("demo loads").campaign_id();
    let before = audit_of(&db.store, "unit").await.len();
    let dir = tempfile::tempdir().expect("dir");
    let path = dir.path().join("units.csv");
    std::fs::write(&path, "名称,类型\n新华社湖北分社,媒体\n江汉大学,学校\n").expect("write");
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_eventday"))
        .args(["import", "units", "--campaign", &id.to_string(), path.to_str().expect("path")])
        .args(["--database-url", &db.url])
        .output()
        .expect("run eventday");
    assert!(out.status.success(), "{}", String::from_utf8_lossy(&out.stderr));
    let events = audit_of(&db.store, "unit").await;
    assert_eq!(events[before..], [("create".to_owned(), None), ("create".to_owned(), None)]);
    db.cleanup().await;
}

const TWO_VENUES: &str = "名称,类型,宽（米）,深（米）,开始时间,结束时间\n\
                          主会场,主会场,60,30,09:00,12:00\n\
                          广场,主会场,20,10,09:00,11:30\n";

#[tokio::test]
async fn a_second_main_venue_is_refused_by_the_api_csv_and_demo_loader_alike() {
    let app = spawn_app().await;
    let id = new_campaign(&app, "一个主会场", "2014-03-15").await;
    let venue = |name: &str| json!({"kind": "main", "name": name, "width_m": 40.0, "depth_m": 30.0});
    let post = |body: serde_json::Value| {
        app.client.post(app.url(&format!("/api/v1/campaigns/{id}/venues"))).json(&body).send()
    };
    assert_eq!(post(venue("主会场")).await.expect("post").status().as_u16(), 201);
    let resp = post(venue("第二主会场")).await.expect("post");
    assert_eq!(resp.status().as_u16(), 422);
    let body: serde_json::Value = resp.json().await.expect("json");
    let why = body["error"]["fields"]["kind"].as_str().unwrap_or_default().to_owned();
    assert!(why.contains("one main venue"), "{body}");

    // CSV: into an empty campaign, the file's second main venue is refused on its line.
    let other = new_campaign(&app, "CSV 主会场", "2015-03-15").await;
    let report =
        csv_io::import(&app.db.store, other, Kind::Venues, TWO_VENUES.as_bytes(), ImportOptions::default())
            .await
            .expect("import runs");
    assert_eq!(report.errors.len(), 1, "{report:?}");
    let e = &report.errors[0];
    assert_eq!((e.line, e.column.as_str()), (3, "类型"));
    assert_eq!(e.message, why, "the CSV door states the API's rule");

    // The demo loader: the same rule, the same words.
    let mut file: serde_json::Value = serde_json::from_str(eventday::DEMO_CAMPAIGN_JSON).expect("json");
    file["venues"][1]["kind"] = json!("main");
    let file = demo::parse(&file.to_string()).expect("the file itself is well formed");
    match demo::load(&app.db.store, &file).await {
        Err(StoreError::Invalid(v)) => {
            let msg = v.fields.get("kind").cloned().unwrap_or_default();
            assert!(msg.contains("one main venue"), "{v:?}");
        }
        other => panic!("expected the one-main-venue refusal, got {other:?}"),
    }
    app.stop().await;
}
