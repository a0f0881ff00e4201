//! The JSON API: CRUD happy paths, every error class, log idempotency, pagination, photos, audit.

use crate::helpers::{TestApp, spawn_app};
use reqwest::StatusCode;
use serde_json::{Value, json};

/// A campaign on 2013-03-15 (Asia/Shanghai) with one 20 x 10 m venue and one material.
struct Fixture {
    campaign: i64,
    venue: i64,
    material: i64,
}

async fn post(app: &TestApp, path: &str, body: &Value) -> (StatusCode, Value) {
    let resp = app.client.post(app.url(path)).json(body).send().await.expect("request");
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn put(app: &TestApp, path: &str, body: &Value) -> (StatusCode, Value) {
    let resp = app.client.put(app.url(path)).json(body).send().await.expect("request");
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

async fn raw(app: &TestApp, path: &str, content_type: &str, body: Vec<u8>) -> (StatusCode, Value) {
    let resp = app
        .client
        .post(app.url(path))
        .header("content-type", content_type)
        .body(body)
        .send()
        .await
        .expect("request");
    let status = resp.status();
    (status, resp.json().await.unwrap_or(Value::Null))
}

fn id(v: &Value) -> i64 {
    v["id"].as_i64().unwrap_or_else(|| panic!("no id in {v}"))
}

async fn fixture(app: &TestApp) -> Fixture {
    let (s, org) =
        post(app, "/api/v1/organizations", &json!({"name": "江岸区消费者协会", "parent_id": app.root_org}))
            .await;
    assert_eq!(s, StatusCode::CREATED, "{org}");
    let (s, c) = post(
        app,
        "/api/v1/campaigns",
        &json!({"organization_id": id(&org), "year": 2013, "date": "2013-03-15", "title": "2013年3·15", "theme": "消费与服务"}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{c}");
    let (s, v) = post(
        app,
        &format!("/api/v1/campaigns/{}/venues", id(&c)),
        &json!({"kind": "main", "name": "主会场", "width_m": 20.0, "depth_m": 10.0}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{v}");
    let (s, m) = post(
        app,
        &format!("/api/v1/campaigns/{}/materials", id(&c)),
        &json!({"name": "宣传资料", "unit_label": "份", "planned": 1000}),
    )
    .await;
    assert_eq!(s, StatusCode::CREATED, "{m}");
    Fixture { campaign: id(&c), venue: id(&v), material: id(&m) }
}

fn entry(f: &Fixture, uuid: &str, visitors: i64, at: &str) -> Value {
    json!({
        "id": uuid, "recorded_at": at, "author_name": "后湖分会 xx",
        "visitors": visitors, "consultations": 3, "materials": {f.material.to_string(): 5}, "note": "上午"
    })
}

#[tokio::test]
async fn every_planning_resource_can_be_created_read_updated_listed_and_deleted() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let c = f.campaign;
    let (_, unit) = post(&app, "/api/v1/units", &json!({"name": "湖北经视", "kind": "media"})).await;
    let u = id(&unit);
    let cases: Vec<(String, Value, &str, Value)> = vec![
        (
            format!("/api/v1/campaigns/{c}/participations"),
            json!({"unit_id": u, "media": true}),
            "participations",
            json!({"unit_id": u, "sponsor": true}),
        ),
        (
            format!("/api/v1/venues/{}/booths", f.venue),
            json!({"topic": "民生消费咨询台", "kind": "consultation", "x": 0, "y": 0, "w": 3, "h": 2, "unit_ids": [u]}),
            "booths",
            json!({"topic": "烟草识别专题咨询", "kind": "consultation", "x": 5, "y": 0, "w": 3, "h": 2}),
        ),
        (
            format!("/api/v1/venues/{}/activities", f.venue),
            json!({"kind": "school_lecture", "title": "进校园", "starts_at": "2013-03-15T01:00:00Z", "ends_at": "2013-03-15T02:00:00Z"}),
            "activities",
            json!({"kind": "school_lecture", "title": "进校园", "place": "长春街小学", "starts_at": "2013-03-15T01:00:00Z", "ends_at": "2013-03-15T03:00:00Z", "participants": 80}),
        ),
        (
            format!("/api/v1/campaigns/{c}/media"),
            json!({"outlet_unit_id": u, "channel": "tv", "format": "live", "date": "2013-03-15", "headline": "直播", "venue_ids": [f.venue]}),
            "media",
            json!({"outlet_unit_id": u, "channel": "tv", "format": "report", "date": "2013-03-15", "headline": "报道"}),
        ),
        (
            format!("/api/v1/campaigns/{c}/officials"),
            json!({"name": "张三", "title": "副区长"}),
            "officials",
            json!({"name": "张三", "title": "区长", "masked": false}),
        ),
        (
            format!("/api/v1/campaigns/{c}/disputes"),
            json!({"venue_id": f.venue, "category": "食品", "amount_claimed_fen": 5000, "received_on": "2013-03-15"}),
            "disputes",
            json!({"venue_id": f.venue, "category": "家电", "amount_claimed_fen": 6000, "received_on": "2013-03-15"}),
        ),
        (
            format!("/api/v1/campaigns/{c}/narrative"),
            json!({"lang": "zh", "key": "what", "heading": "主要做法", "body": "一、……"}),
            "narrative",
            json!({"lang": "zh", "key": "what", "position": 2, "heading": "主要做法", "body": "二、……"}),
        ),
    ];
    for (list, create, item, update) in cases {
        let (s, created) = post(&app, &list, &create).await;
        assert_eq!(s, StatusCode::CREATED, "{list}: {created}");
        let path = format!("/api/v1/{item}/{}", id(&created));
        let (s, got) = app.get_json(&path).await;
        assert_eq!((s, &got), (200, &created), "{path}");
        let (s, updated) = put(&app, &path, &update).await;
        assert_eq!(s, StatusCode::OK, "{path}: {updated}");
        assert_ne!(updated, created, "{path} changed nothing");
        let (s, listed) = app.get_json(&list).await;
        assert_eq!(s, 200);
        assert_eq!(listed.as_array().map(Vec::len), Some(1), "{list}: {listed}");
        let resp = app.client.delete(app.url(&path)).send().await.expect("delete");
        assert_eq!(resp.status(), StatusCode::NO_CONTENT, "{path}");
        assert_eq!(app.get_json(&path).await.0, 404, "{path} still there");
    }
    // Allocations.
    let alloc = format!("/api/v1/materials/{}/allocations/{}", f.material, f.venue);
    let (s, a) = put(&app, &alloc, &json!({"quantity": 200})).await;
    assert_eq!((s, a["quantity"].as_i64()), (StatusCode::OK, Some(200)));
    let (_, list) = app.get_json(&format!("/api/v1/materials/{}/allocations", f.material)).await;
    assert_eq!(list.as_array().map(Vec::len), Some(1));
    app.stop().await;
}

#[tokio::test]
async fn disputes_follow_their_workflow_and_settling_records_money() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let (_, d) = post(
        &app,
        &format!("/api/v1/campaigns/{}/disputes", f.campaign),
        &json!({"venue_id": f.venue, "category": "食品", "amount_claimed_fen": 5000, "received_on": "2013-03-15"}),
    )
    .await;
    let status = format!("/api/v1/disputes/{}/status", id(&d));
    let (s, _) = post(&app, &status, &json!({"status": "mediating"})).await;
    assert_eq!(s, StatusCode::OK);
    let (s, settled) = post(&app, &status, &json!({"status": "settled", "amount_recovered_fen": 4000})).await;
    assert_eq!(s, StatusCode::OK, "{settled}");
    assert_eq!(settled["amount_recovered_fen"], 4000);
    assert!(settled["closed_on"].is_string(), "{settled}");
    let (s, err) = post(&app, &status, &json!({"status": "mediating"})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err["error"]["fields"]["status"].is_string(), "{err}");
    app.stop().await;
}

#[tokio::test]
async fn an_overlapping_booth_is_refused_naming_the_booth_it_overlaps() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let booths = format!("/api/v1/venues/{}/booths", f.venue);
    let (_, first) = post(
        &app,
        &booths,
        &json!({"topic": "电动车行业专题咨询", "kind": "consultation", "x": 0, "y": 0, "w": 4, "h": 2}),
    )
    .await;
    let (s, err) = post(
        &app,
        &booths,
        &json!({"topic": "民生消费咨询台", "kind": "info", "x": 3, "y": 1, "w": 4, "h": 2}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    let why = err["error"]["fields"]["rect"].as_str().unwrap_or_default();
    assert!(why.contains(&id(&first).to_string()) && why.contains("电动车行业专题咨询"), "{err}");
    let (s, err) =
        post(&app, &booths, &json!({"topic": "外面", "kind": "info", "x": 19, "y": 0, "w": 4, "h": 2})).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err["error"]["fields"]["rect"].is_string());
    // Shrinking the venue so the booth would stick out is refused too.
    let (s, err) = put(
        &app,
        &format!("/api/v1/venues/{}", f.venue),
        &json!({"kind": "main", "name": "主会场", "width_m": 3.0, "depth_m": 10.0}),
    )
    .await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(err["error"]["fields"]["width_m"].as_str().unwrap_or_default().contains("电动车"), "{err}");
    app.stop().await;
}

#[tokio::test]
async fn identical_concurrent_log_posts_store_one_row_and_answer_the_same_body() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let body = entry(&f, "7d444840-9dc0-11d1-b245-5ffdce74fad2", 12, "2013-03-15T02:00:00Z");
    let path = format!("/api/v1/venues/{}/log", f.venue);
    let tasks: Vec<_> = (0..20)
        .map(|_| {
            let (client, url, body) = (app.client.clone(), app.url(&path), body.clone());
            tokio::spawn(async move {
                let resp = client.post(url).json(&body).send().await.expect("request");
                (resp.status(), resp.json::<Value>().await.expect("json"))
            })
        })
        .collect();
    let mut results = Vec::new();
    for t in tasks {
        results.push(t.await.expect("task"));
    }
    let created = results.iter().filter(|(s, _)| *s == StatusCode::CREATED).count();
    let ok = results.iter().filter(|(s, _)| *s == StatusCode::OK).count();
    assert_eq!((created, ok), (1, 19), "{results:?}");
    assert!(results.iter().all(|(_, b)| *b == results[0].1), "bodies differ");
    let (_, page) = app.get_json(&path).await;
    assert_eq!(page["entries"].as_array().map(Vec::len), Some(1));
    assert_eq!(page["entries"][0]["materials"][f.material.to_string()], 5);

    let (s, err) =
        post(&app, &path, &entry(&f, "7d444840-9dc0-11d1-b245-5ffdce74fad2", 13, "2013-03-15T02:00:00Z"))
            .await;
    assert_eq!(s, StatusCode::CONFLICT, "{err}");
    assert_eq!(err["error"]["code"], "conflict");
    let (_, audit) = app.get_json("/api/v1/audit?entity=log_entry").await;
    assert_eq!(audit.as_array().map(Vec::len), Some(1), "one audit row for one stored entry");
    app.stop().await;
}

#[tokio::test]
async fn the_log_pages_newest_first_with_a_cursor_and_filters_by_since() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let path = format!("/api/v1/venues/{}/log", f.venue);
    for i in 0..7 {
        let uuid = format!("00000000-0000-4000-8000-00000000000{i}");
        let (s, b) = post(&app, &path, &entry(&f, &uuid, i, &format!("2013-03-15T0{i}:00:00Z"))).await;
        assert_eq!(s, StatusCode::CREATED, "{b}");
    }
    let mut seen = Vec::new();
    let mut cursor: Option<String> = None;
    loop {
        let q = cursor.as_ref().map_or(String::new(), |c| format!("&cursor={c}"));
        let (s, page) = app.get_json(&format!("{path}?limit=3{q}")).await;
        assert_eq!(s, 200, "{page}");
        for e in page["entries"].as_array().expect("entries") {
            seen.push(e["visitors"].as_i64().unwrap_or(-1));
        }
        match page["next_cursor"].as_str() {
            Some(c) => cursor = Some(c.to_owned()),
            None => break,
        }
    }
    assert_eq!(seen, [6, 5, 4, 3, 2, 1, 0]);
    let (_, page) = app.get_json(&format!("{path}?since=2013-03-15T05:00:00Z")).await;
    let v: Vec<i64> =
        page["entries"].as_array().expect("entries").iter().filter_map(|e| e["visitors"].as_i64()).collect();
    assert_eq!(v, [6, 5]);
    let (_, all) = app.get_json(&format!("/api/v1/campaigns/{}/log?limit=500", f.campaign)).await;
    assert_eq!(all["entries"].as_array().map(Vec::len), Some(7));
    let (s, bad) = app.get_json(&format!("{path}?cursor=nonsense")).await;
    assert_eq!(s, 400, "{bad}");
    let (s, _) = app.get_json(&format!("{path}?limit=501")).await;
    assert_eq!(s, 400);
    app.stop().await;
}

#[tokio::test]
async fn a_bad_log_entry_is_refused_naming_every_bad_field() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let path = format!("/api/v1/venues/{}/log", f.venue);
    let body = json!({
        "id": "11111111-1111-4111-8111-111111111111",
        // 2013-03-15 00:30 in Shanghai is fine; 16:30 UTC on the 15th is the 16th there.
        "recorded_at": "2013-03-15T16:30:00Z",
        "author_name": "x\u{0}y",
        "visitors": -1,
        "materials": {"999": 1},
        "booth_id": 12345,
    });
    let (s, err) = post(&app, &path, &body).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    let fields = err["error"]["fields"].as_object().expect("fields");
    for name in ["recorded_at", "author_name", "visitors", "materials.999", "booth_id"] {
        assert!(fields.contains_key(name), "{name} not named in {err}");
    }
    // Only the time wrong: the group-commit writer checks it and names it alone.
    let body = json!({
        "id": "22222222-2222-4222-8222-222222222222",
        "recorded_at": "2013-03-15T16:30:00Z",
        "author_name": "后湖分会",
        "visitors": 2,
    });
    let (s, err) = post(&app, &path, &body).await;
    assert_eq!(s, StatusCode::UNPROCESSABLE_ENTITY, "{err}");
    let fields = err["error"]["fields"].as_object().expect("fields");
    assert_eq!(fields.keys().collect::<Vec<_>>(), vec!["recorded_at"], "{err}");
    let (_, page) = app.get_json(&path).await;
    assert_eq!(page["entries"].as_array().map(Vec::len), Some(0), "nothing stored");
    app.stop().await;
}

#[tokio::test]
async fn every_error_class_answers_in_the_envelope_and_never_5xx() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let units = "/api/v1/units";
    // (what, content type, body, expected status, field that must be named)
    type Case<'a> = (&'a str, &'a str, Vec<u8>, u16, Option<&'a str>);
    let cases: Vec<Case> = vec![
        ("malformed", "application/json", b"{\"name\": \"a\",, }".to_vec(), 400, None),
        ("truncated", "application/json", b"{\"name\": \"a\", \"kind\": \"med".to_vec(), 400, None),
        ("wrong type", "application/json", br#"{"name": 5, "kind": "media"}"#.to_vec(), 400, Some("name")),
        (
            "unknown field",
            "application/json",
            br#"{"name": "a", "kind": "media", "colour": 1}"#.to_vec(),
            400,
            Some("colour"),
        ),
        ("not json", "text/plain", br#"{"name": "a", "kind": "media"}"#.to_vec(), 415, None),
        ("no type", "", br#"{"name": "a", "kind": "media"}"#.to_vec(), 415, None),
        ("nul", "application/json", br#"{"name": "a\u0000b", "kind": "media"}"#.to_vec(), 422, Some("name")),
        (
            "long",
            "application/json",
            format!(r#"{{"name": "{}", "kind": "media"}}"#, "长".repeat(10_000)).into_bytes(),
            422,
            Some("name"),
        ),
        ("oversized", "application/json", vec![b' '; 3 * 1024 * 1024], 413, None),
    ];
    for (what, ct, body, status, field) in cases {
        let mut req = app.client.post(app.url(units)).body(body);
        if !ct.is_empty() {
            req = req.header("content-type", ct);
        }
        let resp = req.send().await.expect("request");
        let got = resp.status().as_u16();
        let b: Value = resp.json().await.unwrap_or(Value::Null);
        assert_eq!(got, status, "{what}: {b}");
        assert!(b["error"]["code"].is_string() && b["error"]["message"].is_string(), "{what}: {b}");
        if let Some(field) = field {
            assert!(b["error"]["fields"][field].is_string(), "{what}: {b}");
        }
    }
    let (s, b) = app.get_json("/api/v1/venues/999999").await;
    assert_eq!((s, b["error"]["code"].as_str()), (404, Some("not_found")));
    let (s, b) = app.get_json("/api/v1/venues/abc").await;
    assert_eq!((s, b["error"]["code"].as_str()), (400, Some("bad_request")));
    let (s, _) = post(&app, units, &json!({"name": "楚天都市报", "kind": "media"})).await;
    assert_eq!(s, StatusCode::CREATED);
    let (s, b) = post(&app, units, &json!({"name": "楚天都市报", "kind": "media"})).await;
    assert_eq!((s, b["error"]["code"].as_str()), (StatusCode::CONFLICT, Some("conflict")));
    // The duplicate is named as a field, in words, never in the database's own terms.
    assert!(b["error"]["fields"]["name"].is_string(), "{b}");
    let text = b.to_string();
    assert!(!text.contains("UNIQUE") && !text.contains("uq_") && !text.contains("units."), "{b}");
    // A unit still referenced cannot be deleted.
    let (_, u) = post(&app, units, &json!({"name": "工商局", "kind": "agency"})).await;
    post(&app, &format!("/api/v1/campaigns/{}/participations", f.campaign), &json!({"unit_id": id(&u)}))
        .await;
    let resp = app.client.delete(app.url(&format!("/api/v1/units/{}", id(&u)))).send().await.expect("delete");
    assert_eq!(resp.status(), StatusCode::CONFLICT);
    // Oversized over the JSON limit on a log route, sent chunked (no Content-Length).
    let stream = futures_like_body(3 * 1024 * 1024);
    let resp = app
        .client
        .post(app.url(&format!("/api/v1/venues/{}/log", f.venue)))
        .header("content-type", "application/json")
        .body(stream)
        .send()
        .await
        .expect("request");
    assert_eq!(resp.status(), StatusCode::PAYLOAD_TOO_LARGE);
    app.stop().await;
}

/// A large body; reqwest sends a Vec with a Content-Length, which the limit layer answers early.
fn futures_like_body(n: usize) -> Vec<u8> {
    let mut v = b"{\"note\": \"".to_vec();
    v.extend(std::iter::repeat_n(b'a', n));
    v.extend(b"\"}");
    v
}

#[tokio::test]
async fn photos_are_judged_by_their_bytes_and_come_back_identical() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let uuid = "22222222-2222-4222-8222-222222222222";
    let (s, _) =
        post(&app, &format!("/api/v1/venues/{}/log", f.venue), &entry(&f, uuid, 1, "2013-03-15T02:00:00Z"))
            .await;
    assert_eq!(s, StatusCode::CREATED);
    let photos = format!("/api/v1/log/{uuid}/photos");
    let mut png = b"\x89PNG\r\n\x1a\n".to_vec();
    png.extend((0..5000u32).map(|i| (i % 251) as u8));
    let (s, meta) = raw(&app, &photos, "image/png", png.clone()).await;
    assert_eq!(s, StatusCode::CREATED, "{meta}");
    assert_eq!(meta["content_type"], "image/png");
    let jpeg = [0xFF, 0xD8, 0xFF, 0xE0, 1, 2, 3].to_vec();
    let form = reqwest::multipart::Form::new().part(
        "photo",
        reqwest::multipart::Part::bytes(jpeg.clone()).file_name("a.png").mime_str("image/png").expect("mime"),
    );
    let resp = app.client.post(app.url(&photos)).multipart(form).send().await.expect("multipart");
    assert_eq!(resp.status(), StatusCode::CREATED);
    let jmeta: Value = resp.json().await.expect("json");
    assert_eq!(jmeta["content_type"], "image/jpeg", "sniffed, not declared");

    let (s, err) = raw(&app, &photos, "image/png", b"just some text pretending".to_vec()).await;
    assert_eq!(s, StatusCode::UNSUPPORTED_MEDIA_TYPE, "{err}");
    let mut big = b"\x89PNG\r\n\x1a\n".to_vec();
    big.resize(6 * 1024 * 1024, 0);
    let (s, err) = raw(&app, &photos, "image/png", big).await;
    assert_eq!(s, StatusCode::PAYLOAD_TOO_LARGE, "{err}");

    let resp = app.client.get(app.url(&format!("/api/v1/photos/{}", id(&meta)))).send().await.expect("get");
    assert_eq!(resp.headers()["content-type"], "image/png");
    assert_eq!(resp.bytes().await.expect("bytes").to_vec(), png);
    let (_, list) = app.get_json(&photos).await;
    assert_eq!(list.as_array().map(Vec::len), Some(2));
    app.stop().await;
}

#[tokio::test]
async fn writes_leave_audit_rows_with_before_and_after() {
    let app = spawn_app().await;
    let f = fixture(&app).await;
    let path = format!("/api/v1/materials/{}", f.material);
    let (s, _) = put(&app, &path, &json!({"name": "宣传资料", "unit_label": "份", "planned": 2000})).await;
    assert_eq!(s, StatusCode::OK);
    let (_, events) = app.get_json(&format!("/api/v1/audit?entity=material&entity_id={}", f.material)).await;
    let events = events.as_array().expect("events").clone();
    assert_eq!(events.len(), 2, "{events:?}");
    assert_eq!(events[0]["action"], "update");
    assert!(events[0]["before"].as_str().unwrap_or_default().contains("1000"));
    assert!(events[0]["after"].as_str().unwrap_or_default().contains("2000"));
    assert_eq!(events[1]["action"], "create");
    let (_, doc) = app.get_json("/api/openapi.json").await;
    assert!(doc["paths"]["/api/v1/venues/{id}/log"]["post"].is_object());
    app.stop().await;
}
