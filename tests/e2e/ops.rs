//! Event-day operations: roll-ups, the synthetic province, backups and the live feed.

use crate::helpers::{
    ServerProcess as Server, TestDb, client_with_token, run_eventday as eventday, scalar, spawn_app,
    user_with_token,
};
use chrono::{Duration as ChronoDuration, TimeZone, Utc};
use eventday_domain::Role;
use eventday_domain::log::NewLogEntry;
use eventday_domain::totals::Figures;
use eventday_store::Store;
use eventday_store::live::{self, LiveEntry, LiveMessage, Scope};
use eventday_store::queries;
use eventday_store::rollup::{self, RollupReader};
use eventday_store::synthetic::{self, SyntheticSpec};
use sea_orm::{ConnectionTrait, Statement};
use serde_json::Value;
use std::collections::{BTreeSet, HashSet};
use std::time::Duration;

fn spec(districts: u32, seed: u64) -> SyntheticSpec {
    SyntheticSpec { districts, seed, year: 2026 }
}

/// Figures of every campaign summed the slow way, from the log entries themselves.
async fn direct_sums(store: &Store) -> (i64, i64, i64) {
    (
        scalar(store, "SELECT CAST(COUNT(*) AS BIGINT) FROM log_entries").await,
        scalar(store, "SELECT CAST(COALESCE(SUM(visitors), 0) AS BIGINT) FROM log_entries").await,
        scalar(store, "SELECT CAST(COALESCE(SUM(money_recovered_fen), 0) AS BIGINT) FROM log_entries").await,
    )
}

#[tokio::test]
async fn rollup_of_a_synthetic_province_matches_its_log_entries_page_by_page() {
    let mut app = spawn_app().await;
    let out = synthetic::generate(&app.db.store, &spec(3, 7), |_| {}).await.expect("generate");
    app.client = organizer_of(&app.db.store, out.province_id).await;
    let store = &app.db.store;
    assert_eq!(out.districts_written, 3);
    assert_eq!(out.venues_written, 51);
    let (entries, visitors, money) = direct_sums(store).await;
    assert!(entries > 3 * 17 * 40, "about 50 entries per venue, got {entries}");

    let path = format!("/api/v1/organizations/{}/rollup?year=2026&limit=2", out.province_id);
    let (status, page1) = app.get_json(&path).await;
    assert_eq!(status, 200, "{page1}");
    assert_eq!(page1["totals"]["districts"], 3);
    assert_eq!(page1["totals"]["venues"], 51);
    assert_eq!(page1["totals"]["log_entries"], entries);
    assert_eq!(page1["totals"]["figures"]["visitors"], visitors);
    assert_eq!(page1["totals"]["figures"]["money_recovered_fen"], money);
    let districts1 = page1["districts"].as_array().expect("districts");
    assert_eq!(districts1.len(), 2);
    assert_eq!(districts1[0]["parent"], "合成001市消费者协会");
    assert_eq!(districts1[0]["venues"], 17);
    let after = page1["next_after"].as_i64().expect("a next page");
    let (status, page2) = app.get_json(&format!("{path}&after={after}")).await;
    assert_eq!(status, 200, "{page2}");
    let districts2 = page2["districts"].as_array().expect("districts");
    assert_eq!(districts2.len(), 1);
    assert!(page2["next_after"].is_null());

    let all: Vec<&Value> = districts1.iter().chain(districts2).collect();
    let ids: HashSet<i64> = all.iter().map(|d| d["campaign_id"].as_i64().expect("id")).collect();
    assert_eq!(ids.len(), 3, "every district exactly once");
    for d in &all {
        let id = i32::try_from(d["campaign_id"].as_i64().expect("id")).expect("i32");
        let summary = queries::campaign_summary(store, id).await.expect("summary");
        assert_eq!(d["log_entries"], summary.totals.log_entries);
        assert_eq!(d["figures"]["visitors"], summary.totals.figures.visitors);
        assert_eq!(d["figures"]["complaints_settled"], summary.totals.figures.complaints_settled);
    }

    // The streaming reader gives the same districts with their venues, a page at a time.
    let mut reader = RollupReader::new(store, out.province_id, 2026, 2);
    let mut seen = 0;
    let mut reader_entries = 0;
    while let Some(page) = reader.next_page().await.expect("page") {
        assert!(page.len() <= 2);
        for (district, venues) in page {
            assert_eq!(venues.len(), 17);
            assert_eq!(venues[0].kind, eventday_domain::VenueKind::Main);
            assert_eq!(venues.iter().map(|v| v.log_entries).sum::<i64>(), district.log_entries);
            assert_eq!(venues.iter().map(|v| v.figures.visitors).sum::<i64>(), district.figures.visitors);
            reader_entries += district.log_entries;
            seen += 1;
        }
    }
    assert_eq!((seen, reader_entries), (3, entries));
    app.stop().await;
}

#[tokio::test]
async fn tallies_follow_inserts_updates_and_deletes_of_log_entries() {
    let db = TestDb::new().await;
    let out = synthetic::generate(&db.store, &spec(1, 3), |_| {}).await.expect("generate");
    let conn = db.store.conn();
    conn.execute_unprepared(
        "DELETE FROM log_entries WHERE id IN (SELECT id FROM log_entries ORDER BY id LIMIT 10)",
    )
    .await
    .expect("delete");
    conn.execute_unprepared(
        "UPDATE log_entries SET visitors = visitors + 1000, \
         venue_id = (SELECT MAX(id) FROM venues) WHERE id = (SELECT MIN(id) FROM log_entries)",
    )
    .await
    .expect("update");
    let (entries, visitors, money) = direct_sums(&db.store).await;
    let totals = rollup::rollup_totals(&db.store, out.province_id, 2026).await.expect("totals");
    assert_eq!(totals.log_entries, entries);
    assert_eq!(totals.figures.visitors, visitors);
    assert_eq!(totals.figures.money_recovered_fen, money);
    let venues = rollup::rollup_venues(&db.store, &[1]).await.expect("venues");
    let last = venues.iter().max_by_key(|v| v.venue_id).expect("venues");
    let direct_last = scalar(
        &db.store,
        &format!("SELECT CAST(SUM(visitors) AS BIGINT) FROM log_entries WHERE venue_id = {}", last.venue_id),
    )
    .await;
    assert_eq!(last.figures.visitors, direct_last);
    db.cleanup().await;
}

#[tokio::test]
async fn rollup_names_bad_parameters_and_unknown_organizations() {
    let mut app = spawn_app().await;
    let out = synthetic::generate(&app.db.store, &spec(1, 1), |_| {}).await.expect("generate");
    app.client = organizer_of(&app.db.store, out.province_id).await;
    let base = format!("/api/v1/organizations/{}/rollup", out.province_id);
    for (query, field) in
        [("", "year"), ("?year=abc", "year"), ("?year=1900", "year"), ("?year=2026&limit=0", "limit")]
    {
        let (status, body) = app.get_json(&format!("{base}{query}")).await;
        assert_eq!(status, 422, "{query}: {body}");
        assert!(body["error"]["fields"][field].is_string(), "{query}: {body}");
    }
    let (status, body) = app.get_json("/api/v1/organizations/999999/rollup?year=2026").await;
    assert_eq!(status, 404, "{body}");
    let (status, body) = app.get_json("/api/v1/organizations/x/rollup?year=2026").await;
    assert_eq!(status, 400, "{body}");
    // A year without campaigns is an empty roll-up, not an error.
    let (status, body) = app.get_json(&format!("{base}?year=2025")).await;
    assert_eq!(status, 200);
    assert_eq!(body["totals"]["districts"], 0);
    assert_eq!(body["districts"].as_array().map(Vec::len), Some(0));
    app.stop().await;
}

#[tokio::test]
async fn synthetic_generation_is_deterministic_and_a_rerun_changes_nothing() {
    let (a, b, c) = (TestDb::new().await, TestDb::new().await, TestDb::new().await);
    let mut progress = Vec::new();
    synthetic::generate(&a.store, &spec(2, 11), |p| progress.push(p.districts_done)).await.expect("a");
    synthetic::generate(&b.store, &spec(2, 11), |_| {}).await.expect("b");
    synthetic::generate(&c.store, &spec(2, 12), |_| {}).await.expect("c");
    assert_eq!(progress.last(), Some(&2));
    let ids = |s: Store| async move {
        let db = s.conn().clone();
        db.query_all_raw(Statement::from_string(
            db.get_database_backend(),
            "SELECT id, visitors FROM log_entries ORDER BY id".to_owned(),
        ))
        .await
        .expect("ids")
        .into_iter()
        .map(|r| (r.try_get::<String>("", "id").expect("id"), r.try_get::<i64>("", "visitors").expect("v")))
        .collect::<Vec<_>>()
    };
    let (ia, ib, ic) = (ids(a.store.clone()).await, ids(b.store.clone()).await, ids(c.store.clone()).await);
    assert_eq!(ia, ib, "same seed, same data");
    assert_ne!(ia, ic, "another seed, other data");

    let again = synthetic::generate(&a.store, &spec(2, 11), |_| {}).await.expect("rerun");
    assert_eq!((again.districts_written, again.entries_written), (0, 0));
    assert_eq!(ids(a.store.clone()).await.len(), ia.len());
    for db in [a, b, c] {
        db.cleanup().await;
    }
}

/// A client acting as an organizer of `organization_id` (and so of its whole subtree).
async fn organizer_of(store: &Store, organization_id: i32) -> reqwest::Client {
    let login = format!("organizer-{organization_id}-{}", uuid::Uuid::new_v4().simple());
    client_with_token(&user_with_token(store, &login, Role::Organizer, Some(organization_id), vec![]).await)
}

/// Loads the demo campaign and returns a client acting as an organizer of its district.
async fn demo_with_organizer(store: &Store) -> reqwest::Client {
    let campaign = eventday::load_demo(store).await.expect("demo").campaign_id();
    // The demo day is closed and its venues' days accepted (locked); reopen them to log again.
    store
        .conn()
        .execute_unprepared("UPDATE venues SET day_status = 'open', accepted_at = NULL")
        .await
        .expect("reopen the demo venues");
    let org = queries::campaign_summary(store, campaign).await.expect("summary").campaign.organization_id;
    organizer_of(store, org).await
}

async fn venue_of(store: &Store, campaign: i32, index: usize) -> i64 {
    queries::campaign_summary(store, campaign).await.expect("summary").totals.per_venue[index].venue_id
}

fn entry(venue_id: i64, day: chrono::DateTime<Utc>, n: i64) -> NewLogEntry {
    NewLogEntry {
        id: uuid::Uuid::new_v4(),
        venue_id,
        booth_id: None,
        activity_id: None,
        recorded_at: day + ChronoDuration::minutes(n % 400),
        author_name: format!("测试 {n}"),
        figures: Figures { visitors: 2, consultations: 1, ..Figures::default() },
        materials: Default::default(),
        note: String::new(),
    }
}

/// Writes `n` entries in one transaction each, as the API does, and publishes them.
async fn write_entries(store: &Store, campaign_id: i32, venue_id: i64, n: usize) -> Vec<LiveEntry> {
    let day = Utc.with_ymd_and_hms(2013, 3, 15, 2, 0, 0).single().expect("time");
    let mut out = Vec::new();
    for i in 0..n {
        let e = entry(venue_id, day, i as i64);
        let now = live::truncate_micros(Utc::now());
        let tx = store.write_tx().await.expect("tx");
        queries::insert_log_entry_row(&tx, campaign_id, &e, None, now).await.expect("insert");
        tx.commit().await.expect("commit");
        let le = LiveEntry::from_new(campaign_id, &e, now);
        live::publish_log_entries(store, std::slice::from_ref(&le)).await.expect("publish");
        out.push(le);
    }
    out
}

#[tokio::test]
async fn backup_of_a_running_sqlite_database_is_consistent_and_never_overwrites() {
    let dir = tempfile::tempdir().expect("dir");
    let url = format!("sqlite://{}?mode=rwc", dir.path().join("live.db").display());
    let store = Store::connect(&url).await.expect("connect");
    store.migrate().await.expect("migrate");
    let campaign = eventday::load_demo(&store).await.expect("demo").campaign_id();
    let venue = venue_of(&store, campaign, 0).await;

    // Back up while a writer keeps committing.
    let writer = {
        let store = store.clone();
        tokio::spawn(async move { write_entries(&store, campaign, venue, 200).await.len() })
    };
    let out = dir.path().join("copy.db");
    let out_s = out.to_str().expect("utf-8").to_owned();
    let (url2, out2) = (url.clone(), out_s.clone());
    let (code, stdout, stderr) =
        tokio::task::spawn_blocking(move || eventday(&["backup", "--out", &out2, "--database-url", &url2]))
            .await
            .expect("join");
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("backup written"), "{stdout}");
    assert_eq!(writer.await.expect("writer"), 200);

    let copy_url = format!("sqlite://{}?mode=rw", out.display());
    let copy = Store::connect(&copy_url).await.expect("open the copy");
    let check = copy
        .conn()
        .query_one_raw(Statement::from_string(
            sea_orm::DbBackend::Sqlite,
            "PRAGMA integrity_check".to_owned(),
        ))
        .await
        .expect("check")
        .expect("row");
    assert_eq!(check.try_get_by_index::<String>(0).expect("text"), "ok");
    // A consistent snapshot: the tallies agree with the entries it holds.
    let (entries, visitors, _) = direct_sums(&copy).await;
    let tallied = scalar(&copy, "SELECT CAST(SUM(log_entries) AS BIGINT) FROM venue_tallies").await;
    let tallied_visitors = scalar(&copy, "SELECT CAST(SUM(visitors) AS BIGINT) FROM venue_tallies").await;
    assert_eq!((tallied, tallied_visitors), (entries, visitors));
    let (live_entries, ..) = direct_sums(&store).await;
    assert!(entries <= live_entries);
    copy.conn().clone().close().await.ok();

    // Refuses to overwrite; with --force, the copy equals the quiet database exactly.
    let (code, _, stderr) = eventday(&["backup", "--out", &out_s, "--database-url", &url]);
    assert_ne!(code, 0);
    assert!(stderr.contains("already exists") && stderr.contains("--force"), "{stderr}");
    let (code, _, stderr) = eventday(&["backup", "--out", &out_s, "--force", "--database-url", &url]);
    assert_eq!(code, 0, "{stderr}");
    let copy = Store::connect(&copy_url).await.expect("open the copy");
    assert_eq!(direct_sums(&copy).await, direct_sums(&store).await);
    let summary_live = queries::campaign_summary(&store, campaign).await.expect("live");
    let summary_copy = queries::campaign_summary(&copy, campaign).await.expect("copy");
    assert_eq!(summary_live.totals, summary_copy.totals);
    copy.conn().clone().close().await.ok();

    if let Ok(pg) = std::env::var("EVENTDAY_TEST_DATABASE_URL")
        && !pg.is_empty()
    {
        let target = dir.path().join("pg.db");
        let (code, _, stderr) =
            eventday(&["backup", "--out", target.to_str().expect("utf-8"), "--database-url", &pg]);
        assert_ne!(code, 0);
        assert!(stderr.contains("pg_dump"), "{stderr}");
        assert!(!target.exists());
    }
}

/// Reads SSE events from a streaming response until `want` returns true or 10 s pass.
async fn read_events(
    resp: &mut reqwest::Response,
    buf: &mut String,
    mut want: impl FnMut(&[(String, String, String)]) -> bool,
) -> Vec<(String, String, String)> {
    let mut events = Vec::new();
    let deadline = tokio::time::Instant::now() + Duration::from_secs(10);
    loop {
        while let Some(end) = buf.find("\n\n") {
            let block: String = buf.drain(..end + 2).collect();
            let (mut event, mut id, mut data) = (String::new(), String::new(), String::new());
            for line in block.lines() {
                if let Some(v) = line.strip_prefix("event:") {
                    event = v.trim().to_owned();
                } else if let Some(v) = line.strip_prefix("id:") {
                    id = v.trim().to_owned();
                } else if let Some(v) = line.strip_prefix("data:") {
                    data.push_str(v.trim());
                }
            }
            if !event.is_empty() {
                events.push((event, id, data));
            }
        }
        if want(&events) {
            return events;
        }
        let chunk = tokio::time::timeout_at(deadline, resp.chunk()).await;
        match chunk {
            Ok(Ok(Some(bytes))) => buf.push_str(&String::from_utf8_lossy(&bytes)),
            _ => return events,
        }
    }
}

fn count(events: &[(String, String, String)], kind: &str) -> usize {
    events.iter().filter(|(e, ..)| e == kind).count()
}

#[tokio::test]
async fn campaign_live_feed_sends_entries_and_totals_and_resumes_from_last_event_id() {
    let mut app = spawn_app().await;
    let store = app.db.store.clone();
    let campaign = eventday::load_demo(&store).await.expect("demo").campaign_id();
    app.act_as_organizer_of(campaign).await;
    let before = queries::campaign_summary(&store, campaign).await.expect("summary").totals.log_entries;
    let venue = venue_of(&store, campaign, 1).await;
    let url = app.url(&format!("/api/v1/campaigns/{campaign}/live"));
    let mut resp = app.client.get(&url).send().await.expect("connect");
    assert_eq!(resp.status(), 200);
    assert!(resp.headers()["content-type"].to_str().unwrap_or_default().starts_with("text/event-stream"));

    let first = write_entries(&store, campaign, venue, 3).await;
    let mut buf = String::new();
    let events = read_events(&mut resp, &mut buf, |ev| {
        count(ev, "entry") >= 3
            && ev
                .iter()
                .any(|(e, _, d)| e == "totals" && d.contains(&format!("\"log_entries\":{}", before + 3)))
    })
    .await;
    let got: Vec<&str> = events.iter().filter(|(e, ..)| e == "entry").map(|(_, id, _)| id.as_str()).collect();
    let sent: Vec<String> = first.iter().map(|e| e.cursor().to_string()).collect();
    assert_eq!(got, sent, "entries in order, with their cursors as event ids: {events:?}");
    assert!(count(&events, "totals") >= 1, "{events:?}");
    drop(resp);

    // Missed while disconnected, replayed from the database on reconnect.
    let missed = write_entries(&store, campaign, venue, 2).await;
    let mut resp = app
        .client
        .get(&url)
        .header("Last-Event-ID", sent.last().expect("a cursor"))
        .send()
        .await
        .expect("reconnect");
    let mut buf = String::new();
    let events = read_events(&mut resp, &mut buf, |ev| count(ev, "entry") >= 2).await;
    let got: Vec<&str> = events.iter().filter(|(e, ..)| e == "entry").map(|(_, id, _)| id.as_str()).collect();
    let want: Vec<String> = missed.iter().map(|e| e.cursor().to_string()).collect();
    assert_eq!(got, want);

    let (status, body) = app.get_json("/api/v1/campaigns/999999/live").await;
    assert_eq!(status, 404, "{body}");
    let resp = app.client.get(&url).header("Last-Event-ID", "garbage").send().await.expect("send");
    assert_eq!(resp.status(), 400);
    app.stop().await;
}

#[tokio::test]
async fn organization_live_feed_carries_entries_of_its_subtree_only() {
    let mut app = spawn_app().await;
    let store = app.db.store.clone();
    let out = synthetic::generate(&store, &spec(2, 5), |_| {}).await.expect("generate");
    app.client = organizer_of(&store, out.province_id).await;
    let campaign = eventday::load_demo(&store).await.expect("demo").campaign_id();
    let demo_venue = venue_of(&store, campaign, 0).await;
    let mut resp = app
        .client
        .get(app.url(&format!("/api/v1/organizations/{}/live", out.province_id)))
        .send()
        .await
        .expect("connect");
    assert_eq!(resp.status(), 200);
    // One entry outside the province (the demo district), then one inside (synthetic district 1).
    write_entries(&store, campaign, demo_venue, 1).await;
    let inside = write_entries(&store, 1, 1, 1).await;
    let mut buf = String::new();
    let events =
        read_events(&mut resp, &mut buf, |ev| count(ev, "entry") >= 1 && count(ev, "totals") >= 1).await;
    let ids: Vec<&str> = events.iter().filter(|(e, ..)| e == "entry").map(|(_, id, _)| id.as_str()).collect();
    assert_eq!(ids, vec![inside[0].cursor().to_string()]);
    app.stop().await;
}

#[tokio::test]
async fn a_subscriber_that_falls_behind_is_dropped_and_resumes_from_its_cursor() {
    let db = TestDb::new().await;
    // A tiny buffer: a subscriber more than 4 events behind is dropped instead of queueing.
    let store = db.store.clone().with_live_buffer(4);
    let campaign = eventday::load_demo(&store).await.expect("demo").campaign_id();
    let mut sub = live::subscribe(&store, Scope::Campaign(campaign), None).await.expect("subscribe");
    let venue = venue_of(&store, campaign, 0).await;
    let first = write_entries(&store, campaign, venue, 1).await;
    let mut seen: Vec<String> = Vec::new();
    while seen.is_empty() {
        match tokio::time::timeout(Duration::from_secs(5), sub.next()).await.expect("in time").expect("next")
        {
            Some(LiveMessage::Entry(e)) => seen.push(e.id.clone()),
            Some(_) => {}
            None => panic!("ended early"),
        }
    }
    assert_eq!(seen, vec![first[0].id.clone()]);
    let cursor = sub.last_cursor().cloned().expect("cursor");

    // The subscriber stops reading while 30 entries are published.
    let rest = write_entries(&store, campaign, venue, 30).await;
    // On PostgreSQL they arrive through LISTEN/NOTIFY; give the listener time to deliver them all.
    tokio::time::sleep(Duration::from_millis(1500)).await;
    let mut lagged = false;
    loop {
        match tokio::time::timeout(Duration::from_secs(5), sub.next()).await.expect("in time").expect("next")
        {
            Some(LiveMessage::Lagged) => lagged = true,
            Some(LiveMessage::Entry(e)) => seen.push(e.id.clone()),
            Some(LiveMessage::Totals(_) | LiveMessage::Submission(_)) => {}
            None => break,
        }
    }
    assert!(lagged, "a subscriber 30 events behind a buffer of 4 is dropped");

    // Resuming from the last cursor it saw replays every missed entry once, in order.
    let mut resumed = live::subscribe(&store, Scope::Campaign(campaign), Some(cursor)).await.expect("resume");
    let mut replayed: Vec<String> = Vec::new();
    while replayed.len() < rest.len() {
        match tokio::time::timeout(Duration::from_secs(5), resumed.next())
            .await
            .expect("in time")
            .expect("next")
        {
            Some(LiveMessage::Entry(e)) => replayed.push(e.id.clone()),
            Some(_) => {}
            None => break,
        }
    }
    let want: Vec<String> = rest.iter().map(|e| e.id.clone()).collect();
    assert_eq!(replayed, want);
    let unique: BTreeSet<&String> = replayed.iter().collect();
    assert_eq!(unique.len(), replayed.len());
    db.cleanup().await;
}

fn log_body(id: uuid::Uuid, n: usize) -> Value {
    serde_json::json!({
        "id": id,
        "recorded_at": Utc.with_ymd_and_hms(2013, 3, 15, 3, 0, 0).single().expect("t")
            + ChronoDuration::seconds((n % 7200) as i64),
        "author_name": format!("客户端 {n}"),
        "visitors": 1 + (n % 9) as i64,
        "consultations": 1,
        "note": "crash test",
    })
}

async fn demo_venues(client: &reqwest::Client, base: &str) -> (i64, Vec<i64>) {
    let list: Value = client
        .get(format!("{base}/api/v1/campaigns"))
        .send()
        .await
        .expect("list")
        .json()
        .await
        .expect("json");
    let id = list["campaigns"][0]["id"].as_i64().expect("the demo campaign");
    let s: Value = client
        .get(format!("{base}/api/v1/campaigns/{id}/summary"))
        .send()
        .await
        .expect("summary")
        .json()
        .await
        .expect("json");
    let venues = s["totals"]["per_venue"]
        .as_array()
        .expect("venues")
        .iter()
        .map(|v| v["venue_id"].as_i64().expect("id"))
        .collect();
    (id, venues)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn acknowledged_entries_survive_sigkill_and_retries_store_nothing_twice() {
    let db = TestDb::new().await;
    let client = demo_with_organizer(&db.store).await;
    let server = Server::start(&db.url, false);
    let (_, venues) = demo_venues(&client, &server.base).await;
    let before = scalar(&db.store, "SELECT CAST(COUNT(*) AS BIGINT) FROM log_entries").await;

    // Eight clients post until the server dies; each remembers what was acknowledged.
    let acked = std::sync::Arc::new(std::sync::Mutex::new(Vec::<(uuid::Uuid, usize, i64)>::new()));
    let unacked = std::sync::Arc::new(std::sync::Mutex::new(Vec::<(uuid::Uuid, usize, i64)>::new()));
    let mut clients = Vec::new();
    for c in 0..8usize {
        let (client, base, venues) = (client.clone(), server.base.clone(), venues.clone());
        let (acked, unacked) = (acked.clone(), unacked.clone());
        clients.push(tokio::spawn(async move {
            for i in 0..400usize {
                let n = c * 1000 + i;
                let (id, venue) = (uuid::Uuid::new_v4(), venues[n % venues.len()]);
                let sent = client
                    .post(format!("{base}/api/v1/venues/{venue}/log"))
                    .json(&log_body(id, n))
                    .send()
                    .await;
                match sent {
                    Ok(r) if r.status().is_success() => acked.lock().expect("lock").push((id, n, venue)),
                    Ok(r) => panic!("unexpected answer {} before the crash", r.status()),
                    Err(_) => {
                        unacked.lock().expect("lock").push((id, n, venue));
                        return;
                    }
                }
            }
        }));
    }
    // Kill mid-load: once some entries were acknowledged.
    let deadline = tokio::time::Instant::now() + Duration::from_secs(20);
    while acked.lock().expect("lock").len() < 150 && tokio::time::Instant::now() < deadline {
        tokio::time::sleep(Duration::from_millis(5)).await;
    }
    server.kill();
    for c in clients {
        c.await.expect("client");
    }
    let acked = acked.lock().expect("lock").clone();
    let unacked = unacked.lock().expect("lock").clone();
    assert!(acked.len() >= 150, "load ran: {}", acked.len());

    // Every acknowledged entry is there exactly once after a restart.
    let server = Server::start(&db.url, false);
    for (id, ..) in &acked {
        let r = client.get(format!("{}/api/v1/log/{id}", server.base)).send().await.expect("get");
        assert_eq!(r.status(), 200, "acknowledged entry {id} lost");
    }
    let stored = scalar(&db.store, "SELECT CAST(COUNT(*) AS BIGINT) FROM log_entries").await - before;
    assert!(stored >= acked.len() as i64 && stored <= (acked.len() + unacked.len()) as i64, "{stored}");

    // Retrying the unacknowledged ones with the same ids stores each once: 201 if it was lost,
    // 200 if it had been committed before the kill; never 409, never a second row.
    for (id, n, venue) in &unacked {
        let r = client
            .post(format!("{}/api/v1/venues/{venue}/log", server.base))
            .json(&log_body(*id, *n))
            .send()
            .await
            .expect("retry");
        assert!(r.status() == 201 || r.status() == 200, "retry of {id}: {}", r.status());
    }
    let stored = scalar(&db.store, "SELECT CAST(COUNT(*) AS BIGINT) FROM log_entries").await - before;
    assert_eq!(stored, (acked.len() + unacked.len()) as i64);
    // The tallies agree with the entries after the crash.
    let (entries, visitors, _) = direct_sums(&db.store).await;
    let tallied = scalar(&db.store, "SELECT CAST(SUM(log_entries) AS BIGINT) FROM venue_tallies").await;
    let tallied_visitors = scalar(&db.store, "SELECT CAST(SUM(visitors) AS BIGINT) FROM venue_tallies").await;
    assert_eq!((tallied, tallied_visitors), (entries, visitors));
    drop(server);
    db.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn the_log_writer_recovers_when_postgresql_drops_its_connections() {
    if std::env::var("EVENTDAY_TEST_DATABASE_URL").map_or(true, |u| u.is_empty()) {
        println!("skipped: PostgreSQL only (set EVENTDAY_TEST_DATABASE_URL)");
        return;
    }
    use eventday_store::log::{self as store_log, Outcome};
    let db = TestDb::new().await;
    let store = &db.store;
    demo_with_organizer(store).await;
    let campaign = scalar(store, "SELECT CAST(MIN(id) AS BIGINT) FROM campaigns").await;
    let venue = i32::try_from(venue_of(store, campaign as i32, 0).await).expect("venue id");
    let input = |n: usize| -> eventday_domain::inputs::LogEntryInput {
        serde_json::from_value(log_body(uuid::Uuid::now_v7(), n)).expect("input")
    };
    // Opens the writer's connections.
    let (_, outcome) = store_log::submit(store, venue, input(0), None).await.expect("first entry");
    assert_eq!(outcome, Outcome::Created);

    // The database ends every other session, the writer's included (as a restart would);
    // the writer does not ping its connections before use.
    let killed = scalar(
        store,
        "SELECT CAST(COUNT(pg_terminate_backend(pid)) AS BIGINT) FROM pg_stat_activity \
         WHERE datname = current_database() AND pid <> pg_backend_pid()",
    )
    .await;
    assert!(killed >= 1, "the writer's connection was not found");

    // Each entry is sent until it is stored, with the same id, as the lead page retries.
    let mut failures = 0;
    let mut ids = Vec::new();
    for n in 1..=5 {
        let entry = input(n);
        ids.push(entry.id);
        let mut attempts = 0;
        loop {
            attempts += 1;
            match store_log::submit(store, venue, entry.clone(), None).await {
                Ok((_, Outcome::Created | Outcome::Existing)) => break,
                Err(e) => {
                    failures += 1;
                    assert!(attempts < 5, "entry {n} still fails after {attempts} attempts: {e}");
                }
            }
        }
    }
    println!("failed attempts after the sessions ended: {failures}");
    // Two dead connections at most, each failing once.
    assert!(failures <= 4, "{failures} failed attempts");
    let list = ids.iter().map(|i| format!("'{i}'")).collect::<Vec<_>>().join(", ");
    let stored =
        scalar(store, &format!("SELECT CAST(COUNT(*) AS BIGINT) FROM log_entries WHERE id IN ({list})"))
            .await;
    assert_eq!(stored, 5, "each entry stored exactly once");
    db.cleanup().await;
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_entry_posted_to_one_instance_reaches_the_live_feed_of_another() {
    if std::env::var("EVENTDAY_TEST_DATABASE_URL").map_or(true, |u| u.is_empty()) {
        println!(
            "skipped: two instances share a database only on PostgreSQL (set EVENTDAY_TEST_DATABASE_URL)"
        );
        return;
    }
    let db = TestDb::new().await;
    let client = demo_with_organizer(&db.store).await;
    let a = Server::start(&db.url, false);
    let b = Server::start(&db.url, false);
    let (campaign, venues) = demo_venues(&client, &a.base).await;
    let mut feed =
        client.get(format!("{}/api/v1/campaigns/{campaign}/live", b.base)).send().await.expect("feed");
    assert_eq!(feed.status(), 200);

    let id = uuid::Uuid::new_v4();
    let posted = client
        .post(format!("{}/api/v1/venues/{}/log", a.base, venues[3]))
        .json(&log_body(id, 1))
        .send()
        .await
        .expect("post");
    assert_eq!(posted.status(), 201);
    let sent_at = tokio::time::Instant::now();
    let mut buf = String::new();
    let events = read_events(&mut feed, &mut buf, |ev| {
        ev.iter().any(|(e, _, d)| e == "entry" && d.contains(&id.to_string()))
            || sent_at.elapsed() > Duration::from_secs(1)
    })
    .await;
    assert!(
        events.iter().any(|(e, _, d)| e == "entry" && d.contains(&id.to_string())),
        "instance B did not show the entry posted to A: {events:?}"
    );
    assert!(sent_at.elapsed() <= Duration::from_secs(1), "took {:?}", sent_at.elapsed());
    drop((a, b));
    db.cleanup().await;
}

#[tokio::test]
async fn rollup_report_writes_every_district_of_the_subtree_into_one_pdf() {
    let db = TestDb::new().await;
    let out = synthetic::generate(&db.store, &spec(3, 9), |_| {}).await.expect("generate");
    let dir = tempfile::tempdir().expect("dir");
    let pdf = dir.path().join("rollup.pdf");
    let (url, pdf_s, org) =
        (db.url.clone(), pdf.to_str().expect("utf-8").to_owned(), out.province_id.to_string());
    let (code, stdout, stderr) = tokio::task::spawn_blocking(move || {
        eventday(&[
            "report",
            "--rollup",
            "--org",
            &org,
            "--year",
            "2026",
            "--out",
            &pdf_s,
            "--database-url",
            &url,
        ])
    })
    .await
    .expect("join");
    assert_eq!(code, 0, "{stderr}");
    assert!(stdout.contains("3 districts"), "{stdout}");
    let bytes = std::fs::read(&pdf).expect("the PDF");
    assert!(bytes.starts_with(b"%PDF-") && bytes.len() > 10_000, "{} bytes", bytes.len());
    let (code, _, stderr) = eventday(&[
        "report",
        "--rollup",
        "--org",
        "999999",
        "--year",
        "2026",
        "--out",
        dir.path().join("x.pdf").to_str().expect("utf-8"),
        "--database-url",
        &db.url,
    ]);
    assert_ne!(code, 0);
    assert!(stderr.contains("organization 999999 not found"), "{stderr}");
    assert!(!dir.path().join("x.pdf").exists() && !dir.path().join("x.partial").exists());
    db.cleanup().await;
}

#[tokio::test]
async fn rollup_coverage_counts_districts_expected_and_reporting_and_venues_not_yet_accepted() {
    let db = TestDb::new().await;
    let store = &db.store;
    let out = synthetic::generate(store, &spec(3, 5), |_| {}).await.expect("generate");
    // A district with no campaign this year, under the same city as the others.
    let city = scalar(
        store,
        "SELECT CAST(parent_id AS BIGINT) FROM organizations WHERE id = (SELECT MIN(organization_id) FROM campaigns)",
    )
    .await;
    let input = eventday_domain::inputs::OrganizationInput {
        name: "未报送区消费者协会".into(),
        name_en: None,
        parent_id: Some(i32::try_from(city).expect("id")),
    };
    eventday_store::planning::organizations::create(store, None, 0, &input).await.expect("district");
    // Some venues' days accepted.
    let db_conn = store.conn();
    db_conn
        .execute_raw(Statement::from_string(
            db_conn.get_database_backend(),
            "UPDATE venues SET day_status = 'accepted' WHERE id IN (SELECT id FROM venues ORDER BY id LIMIT 7)"
                .to_owned(),
        ))
        .await
        .expect("accept");

    let cov = rollup::rollup_coverage(store, out.province_id, 2026).await.expect("coverage");
    assert_eq!((cov.districts_expected, cov.districts_reporting), (4, 3), "{cov:?}");
    let last: Option<chrono::NaiveDate> = {
        let row = db_conn
            .query_one_raw(Statement::from_string(
                db_conn.get_database_backend(),
                "SELECT MAX(date) AS d FROM campaigns WHERE year = 2026".to_owned(),
            ))
            .await
            .expect("q")
            .expect("row");
        row.try_get("", "d").expect("date")
    };
    assert_eq!(cov.last_date, last);
    assert!(cov.last_date.is_some());
    // Another year: nobody reported.
    let none = rollup::rollup_coverage(store, out.province_id, 2025).await.expect("coverage");
    assert_eq!((none.districts_expected, none.districts_reporting, none.last_date), (4, 0, None));

    let totals = rollup::rollup_totals(store, out.province_id, 2026).await.expect("totals");
    let unaccepted =
        scalar(store, "SELECT CAST(COUNT(*) AS BIGINT) FROM venues WHERE day_status <> 'accepted'").await;
    assert_eq!(totals.venues_unaccepted, unaccepted);
    assert_eq!(totals.venues, 51);
    assert!(totals.venues_unaccepted < 51, "the accepted venues are not counted as unaccepted");
    db.cleanup().await;
}

/// Over mobile data every byte counts: pages, JSON and the report go gzip-compressed to a client
/// that asks and come back byte for byte; a client that does not ask gets them plain, and the live
/// feed is never compressed (each event must reach the phone at once, not when a buffer fills).
#[tokio::test]
async fn responses_are_compressed_for_clients_that_ask_and_the_live_feed_never_is() {
    let mut app = spawn_app().await;
    let store = app.db.store.clone();
    let campaign = eventday::load_demo(&store).await.expect("demo").campaign_id();
    app.act_as_organizer_of(campaign).await;
    for path in [
        format!("/api/v1/campaigns/{campaign}/summary"),
        "/api/openapi.json".to_string(),
        format!("/api/v1/campaigns/{campaign}/report.pdf"),
    ] {
        let plain = app.client.get(app.url(&path)).send().await.expect("plain request");
        assert_eq!(plain.status(), 200, "{path}");
        assert!(plain.headers().get("content-encoding").is_none(), "{path}: compressed unasked");
        let plain = plain.bytes().await.expect("plain body");
        let gz = app
            .client
            .get(app.url(&path))
            .header("accept-encoding", "gzip")
            .send()
            .await
            .expect("gzip request");
        assert_eq!(gz.status(), 200, "{path}");
        assert_eq!(gz.headers().get("content-encoding").map(|v| v.as_bytes()), Some(&b"gzip"[..]), "{path}");
        let packed = gz.bytes().await.expect("gzip body");
        let mut unpacked = Vec::new();
        std::io::Read::read_to_end(&mut flate2::read::GzDecoder::new(&packed[..]), &mut unpacked)
            .expect("gunzip");
        if path.ends_with(".pdf") {
            // A fresh render differs in its creation date and file id; the page count and size agree.
            assert_eq!(unpacked.len(), plain.len(), "{path}");
        } else {
            assert_eq!(unpacked, plain.to_vec(), "{path}");
        }
        assert!(packed.len() < plain.len(), "{path}: {} gzipped vs {} plain", packed.len(), plain.len());
        // Brotli where the client prefers it (browsers ask for "gzip, deflate, br, zstd").
        let br = app
            .client
            .get(app.url(&path))
            .header("accept-encoding", "br;q=1.0, gzip;q=0.5")
            .send()
            .await
            .expect("br request");
        assert_eq!(br.headers().get("content-encoding").map(|v| v.as_bytes()), Some(&b"br"[..]), "{path}");
        let packed = br.bytes().await.expect("br body");
        let mut unpacked = Vec::new();
        std::io::Read::read_to_end(&mut brotli::Decompressor::new(&packed[..], 4096), &mut unpacked)
            .expect("brotli decode");
        if path.ends_with(".pdf") {
            assert_eq!(unpacked.len(), plain.len(), "{path}");
        } else {
            assert_eq!(unpacked, plain.to_vec(), "{path}");
        }
    }
    let live = app
        .client
        .get(app.url(&format!("/api/v1/campaigns/{campaign}/live")))
        .header("accept-encoding", "gzip")
        .send()
        .await
        .expect("live feed");
    assert_eq!(live.status(), 200);
    assert!(live.headers()["content-type"].to_str().unwrap_or_default().starts_with("text/event-stream"));
    assert!(live.headers().get("content-encoding").is_none(), "the live feed was compressed");
    drop(live);
    app.stop().await;
}
