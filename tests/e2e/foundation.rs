//! The foundation: migrations, the demo campaign, totals, typed constraint errors, read API.

use crate::helpers::{TestDb, demo_json, spawn_app};
use chrono::Utc;
use eventday_store::demo::{self, LoadOutcome, table_counts};
use eventday_store::entities::{booth, campaign};
use eventday_store::{ConstraintKind, StoreError};
use sea_orm::{ActiveModelTrait, ActiveValue::NotSet, EntityTrait, Set};
use serde_json::Value;
use std::collections::HashMap;

fn i(v: &Value) -> i64 {
    v.as_i64().unwrap_or_else(|| panic!("not an integer: {v}"))
}

#[tokio::test]
async fn migrations_run_on_an_empty_database_and_again_without_change() {
    let db = TestDb::new().await;
    let counts = table_counts(db.store.conn()).await.expect("counts");
    assert_eq!(counts.len(), 16);
    assert!(counts.iter().all(|(_, n)| *n == 0), "{counts:?}");
    db.store.migrate().await.expect("second migrate is a no-op");
    db.cleanup().await;
}

#[tokio::test]
async fn demo_loads_twice_with_identical_counts() {
    let db = TestDb::new().await;
    let file = demo::parse(eventday::DEMO_CAMPAIGN_JSON).expect("demo parses");
    let first = demo::load(&db.store, &file).await.expect("first load");
    let after_first = table_counts(db.store.conn()).await.expect("counts");
    let second = demo::load(&db.store, &file).await.expect("second load");
    let after_second = table_counts(db.store.conn()).await.expect("counts");

    assert!(matches!(first, LoadOutcome::Created(_)));
    assert_eq!(second, LoadOutcome::AlreadyLoaded(first.campaign_id()));
    assert_eq!(after_first, after_second);
    let n: HashMap<_, _> = after_first.into_iter().collect();
    let json = demo_json();
    assert_eq!(n["venues"], 17);
    assert_eq!(n["campaigns"], 1);
    assert_eq!(n["organizations"], 3, "district, city and province");
    assert_eq!(n["log_entries"] as usize, json["log_entries"].as_array().map_or(0, Vec::len));
    assert_eq!(n["booths"] as usize, json["booths"].as_array().map_or(0, Vec::len));
    db.cleanup().await;
}

#[tokio::test]
async fn summary_totals_equal_values_computed_from_the_demo_file() {
    let mut app = spawn_app().await;
    let file = demo::parse(eventday::DEMO_CAMPAIGN_JSON).expect("demo parses");
    let id = demo::load(&app.db.store, &file).await.expect("load").campaign_id();
    app.act_as_organizer_of(id).await;

    // Independent computation straight from the JSON file.
    let json = demo_json();
    let entries = json["log_entries"].as_array().expect("entries");
    let total = |field: &str| entries.iter().map(|e| i(&e[field])).sum::<i64>();
    let mut per_venue_visitors: HashMap<String, i64> = HashMap::new();
    for e in entries {
        *per_venue_visitors.entry(e["venue"].as_str().unwrap_or_default().to_owned()).or_default() +=
            i(&e["visitors"]);
    }
    let mut handed: HashMap<String, i64> = HashMap::new();
    for e in entries {
        for (k, v) in e["materials"].as_object().expect("materials") {
            *handed.entry(k.clone()).or_default() += i(v);
        }
    }
    let recovered_in_disputes: i64 =
        json["disputes"].as_array().expect("disputes").iter().map(|d| i(&d["amount_recovered_fen"])).sum();

    let (status, s) = app.get_json(&format!("/api/v1/campaigns/{id}/summary")).await;
    assert_eq!(status, 200, "{s}");
    let t = &s["totals"];
    assert_eq!(i(&t["venues"]), 17);
    assert_eq!(i(&t["sub_venues"]), 16);
    assert_eq!(t["per_venue"].as_array().map(Vec::len), Some(17));
    assert_eq!(t["per_venue"][0]["name"], "二七航天双城", "main venue first");
    for field in
        ["visitors", "consultations", "complaints_received", "complaints_settled", "money_recovered_fen"]
    {
        assert_eq!(i(&t["figures"][field]), total(field), "{field}");
    }
    assert!(total("visitors") > 0, "the demo must have a day of entries");
    assert_eq!(i(&t["figures"]["money_recovered_fen"]), recovered_in_disputes);
    assert_eq!(i(&t["log_entries"]), entries.len() as i64);
    assert_eq!(i(&t["units"]), json["participations"].as_array().map_or(0, Vec::len) as i64);
    assert_eq!(i(&t["reconciliation_members"]), 10);

    let venue_names: HashMap<String, String> = json["venues"]
        .as_array()
        .expect("venues")
        .iter()
        .map(|v| {
            (
                v["name"].as_str().unwrap_or_default().to_owned(),
                v["key"].as_str().unwrap_or_default().to_owned(),
            )
        })
        .collect();
    for v in t["per_venue"].as_array().expect("per venue") {
        let key = &venue_names[v["name"].as_str().unwrap_or_default()];
        assert_eq!(i(&v["figures"]["visitors"]), per_venue_visitors.get(key).copied().unwrap_or(0), "{key}");
    }

    // 40 banners, 8 balloons and 500 leaflets, as the 2013 summary says.
    let materials = t["materials"].as_array().expect("materials");
    let handed_by_name: HashMap<&str, i64> =
        materials.iter().map(|m| (m["name"].as_str().unwrap_or_default(), i(&m["handed_out"]))).collect();
    for m in json["materials"].as_array().expect("materials") {
        let key = m["key"].as_str().unwrap_or_default();
        assert_eq!(handed_by_name[m["name"].as_str().unwrap_or_default()], handed[key], "{key}");
    }
    let mut handed_sorted: Vec<i64> = handed.values().copied().collect();
    handed_sorted.sort_unstable();
    assert_eq!(handed_sorted, vec![8, 40, 500]);
    app.stop().await;
}

#[tokio::test]
async fn constraint_violations_are_typed_errors() {
    let db = TestDb::new().await;
    let file = demo::parse(eventday::DEMO_CAMPAIGN_JSON).expect("demo parses");
    let id = demo::load(&db.store, &file).await.expect("load").campaign_id();
    let existing =
        campaign::Entity::find_by_id(id).one(db.store.conn()).await.expect("query").expect("campaign");

    // A second campaign for the same organization on the same day.
    let again = campaign::ActiveModel { id: NotSet, ..existing.clone().into() };
    let err = StoreError::from(again.insert(db.store.conn()).await.expect_err("duplicate day"));
    assert!(matches!(err, StoreError::Constraint { kind: ConstraintKind::Unique, .. }), "{err:?}");

    // A booth of a venue that does not exist.
    let orphan = booth::ActiveModel {
        id: NotSet,
        venue_id: Set(999_999),
        topic: Set("烟草识别专题咨询".into()),
        kind: Set(eventday_domain::BoothKind::Consultation),
        x: Set(0.0),
        y: Set(0.0),
        w: Set(2.0),
        h: Set(2.0),
        rotation_deg: Set(0.0),
        placed: Set(true),
    };
    let err = StoreError::from(orphan.insert(db.store.conn()).await.expect_err("unknown venue"));
    assert!(matches!(err, StoreError::Constraint { kind: ConstraintKind::ForeignKey, .. }), "{err:?}");

    // A negative count that got past the domain checks is still refused by the database.
    let venue_id = i64::from(
        eventday_store::entities::venue::Entity::find()
            .one(db.store.conn())
            .await
            .expect("q")
            .expect("venue")
            .id,
    );
    let entry = eventday_domain::log::NewLogEntry {
        id: uuid::Uuid::new_v4(),
        venue_id,
        booth_id: None,
        activity_id: None,
        recorded_at: Utc::now(),
        author_name: "测试".into(),
        figures: eventday_domain::Figures { visitors: -5, ..Default::default() },
        materials: Default::default(),
        note: String::new(),
    };
    let err = eventday_store::queries::insert_log_entry_row(db.store.conn(), id, &entry, None, Utc::now())
        .await
        .expect_err("negative visitors");
    assert!(matches!(err, StoreError::Constraint { kind: ConstraintKind::Check, .. }), "{err:?}");

    let counts: HashMap<_, _> = table_counts(db.store.conn()).await.expect("counts").into_iter().collect();
    assert_eq!(counts["campaigns"], 1);
    assert_eq!(counts["log_entries"] as usize, file.log_entries.len());
    db.cleanup().await;
}

#[tokio::test]
async fn an_invalid_campaign_file_names_the_field_and_writes_nothing() {
    let db = TestDb::new().await;
    let mut json = demo_json();
    json["log_entries"][3]["visitors"] = Value::from(-1);
    json["booths"][0]["venue"] = Value::from("nowhere");
    let err = demo::parse(&json.to_string()).expect_err("invalid file");
    let msg = err.to_string();
    assert!(msg.contains("log_entries[3].visitors: must not be negative"), "{msg}");
    assert!(msg.contains("booths[0].venue"), "{msg}");

    // A booth off its venue's floor plan is refused by the booth rule of the one write path,
    // as through the API, and the load writes nothing.
    let mut json = demo_json();
    json["booths"][0]["x"] = Value::from(10_000.0);
    let file = demo::parse(&json.to_string()).expect("the file itself is well formed");
    let err = demo::load(&db.store, &file).await.expect_err("booth outside the plan");
    assert!(err.to_string().contains("must lie inside"), "{err}");

    let err = demo::parse("{\"organization\": ").expect_err("truncated JSON");
    assert!(err.to_string().contains("line 1 column"), "{err}");

    let counts = table_counts(db.store.conn()).await.expect("counts");
    assert!(counts.iter().all(|(_, n)| *n == 0));
    db.cleanup().await;
}

#[tokio::test]
async fn read_api_lists_campaigns_and_answers_errors_in_the_envelope() {
    let mut app = spawn_app().await;
    let (status, body) = app.get_json("/api/v1/campaigns").await;
    assert_eq!((status, body["campaigns"].as_array().map(Vec::len)), (200, Some(0)));

    let id = eventday::load_demo(&app.db.store).await.expect("demo").campaign_id();
    app.act_as_organizer_of(id).await;
    let (status, body) = app.get_json("/api/v1/campaigns").await;
    assert_eq!(status, 200);
    assert_eq!(body["campaigns"][0]["theme"], "消费与服务");
    assert_eq!(body["campaigns"][0]["date"], "2013-03-15");
    assert_eq!(body["campaigns"][0]["organization"], "xx区消费者协会");

    let (status, health) = app.get_json("/healthz").await;
    assert_eq!((status, health["status"].as_str()), (200, Some("ok")));

    for (path, code, want) in [
        ("/api/v1/campaigns/999/summary", 404, "not_found"),
        ("/api/v1/campaigns/abc/summary", 400, "bad_request"),
        ("/api/v1/nothing-here", 404, "not_found"),
    ] {
        let (status, body) = app.get_json(path).await;
        assert_eq!(status, code, "{path}");
        assert_eq!(body["error"]["code"], want, "{path}");
        assert!(body["error"]["message"].as_str().is_some_and(|m| !m.is_empty()));
    }

    let page = app.client.get(app.url("/")).send().await.expect("page").text().await.expect("text");
    assert!(page.contains("二七航天双城") && page.contains("消费与服务"), "start page shows the demo");
    app.stop().await;
}
