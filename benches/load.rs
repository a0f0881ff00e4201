//! Load tool: posts log entries to a real `eventday serve` on 127.0.0.1 from N concurrent clients
//! and prints throughput and p50/p95/p99 latency; then measures the store's single-row autocommit
//! insert rate on the same database without HTTP, and prints the ratio of the two.
//!
//! ```text
//! cargo bench --bench load -- [--database sqlite|postgres] [--database-url URL] \
//!     [--clients 64] [--seconds 10] [--requests N] [--insert-seconds 5]
//! ```
//!
//! It starts the server itself (the `eventday` binary, `serve` on a fresh database with the demo
//! campaign reopened and an organizer's API token: a
//! temporary SQLite file, or a new PostgreSQL database created through the admin URL
//! `--database-url`, default `postgres://postgres@127.0.0.1:5432/postgres`, dropped at the end),
//! binds only to 127.0.0.1 and stops by itself after `--seconds` or `--requests`.

#![allow(clippy::unwrap_used, clippy::expect_used)]

use chrono::{Duration as ChronoDuration, NaiveDate, TimeZone, Utc};
use eventday_store::Store;
use sea_orm::ConnectionTrait;
use std::io::{BufRead, BufReader};
use std::process::{Child, Command, Stdio};
use std::sync::Arc;
use std::sync::atomic::{AtomicBool, AtomicU64, Ordering};
use std::time::{Duration, Instant};

struct Options {
    postgres: bool,
    admin_url: String,
    clients: usize,
    seconds: u64,
    requests: Option<u64>,
    insert_seconds: u64,
}

fn options() -> Options {
    let mut o = Options {
        postgres: false,
        admin_url: "postgres://postgres@127.0.0.1:5432/postgres".into(),
        clients: 64,
        seconds: 10,
        requests: None,
        insert_seconds: 5,
    };
    let args: Vec<String> = std::env::args().skip(1).collect();
    let mut i = 0;
    while i < args.len() {
        let value = || args.get(i + 1).cloned().unwrap_or_default();
        match args[i].as_str() {
            "--database" => {
                o.postgres = match value().as_str() {
                    "postgres" | "postgresql" | "pg" => true,
                    "sqlite" => false,
                    other => panic!("--database must be sqlite or postgres, not {other:?}"),
                };
                i += 1;
            }
            "--database-url" => {
                o.admin_url = value();
                o.postgres = true;
                i += 1;
            }
            "--clients" => {
                o.clients = value().parse().expect("--clients N");
                i += 1;
            }
            "--seconds" => {
                o.seconds = value().parse().expect("--seconds N");
                i += 1;
            }
            "--requests" => {
                o.requests = Some(value().parse().expect("--requests N"));
                i += 1;
            }
            "--insert-seconds" => {
                o.insert_seconds = value().parse().expect("--insert-seconds N");
                i += 1;
            }
            "--bench" => {} // cargo bench passes this to harness=false targets
            other => panic!("unknown option {other:?} (see the top of benches/load.rs)"),
        }
        i += 1;
    }
    assert!(o.clients > 0 && o.seconds > 0, "--clients and --seconds must be positive");
    o
}

/// A fresh database for the run; dropped (PostgreSQL) or deleted (SQLite) at the end.
struct Scratch {
    url: String,
    admin: Option<(String, String)>,
    _dir: Option<tempfile::TempDir>,
}

async fn scratch(o: &Options) -> Scratch {
    if o.postgres {
        let name = format!("eventday_load_{}", std::process::id());
        let admin = Store::connect(&o.admin_url).await.expect("admin connection to PostgreSQL");
        admin.conn().execute_unprepared(&format!("CREATE DATABASE {name}")).await.expect("create database");
        admin.conn().clone().close().await.ok();
        let base = o.admin_url.rsplit_once('/').map(|(b, _)| b.to_owned()).expect("URL with a database");
        Scratch { url: format!("{base}/{name}"), admin: Some((o.admin_url.clone(), name)), _dir: None }
    } else {
        let dir = tempfile::tempdir().expect("temp dir");
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("load.db").display());
        Scratch { url, admin: None, _dir: Some(dir) }
    }
}

impl Scratch {
    async fn drop_database(&self) {
        if let Some((admin_url, name)) = &self.admin
            && let Ok(admin) = Store::connect(admin_url).await
        {
            admin
                .conn()
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await
                .ok();
        }
    }
}

/// Starts `eventday serve --demo` on an ephemeral loopback port and returns it with its address.
fn start_server(url: &str) -> (Child, String) {
    let mut child = Command::new(env!("CARGO_BIN_EXE_eventday"))
        .args(["serve", "--bind", "127.0.0.1:0", "--database-url", url])
        .env("EVENTDAY_LOG", "warn")
        .stdout(Stdio::piped())
        .stderr(Stdio::inherit())
        .spawn()
        .expect("start eventday serve");
    let stdout = child.stdout.take().expect("stdout");
    let mut lines = BufReader::new(stdout).lines();
    let addr = loop {
        let line = lines.next().expect("server exited before serving").expect("read stdout");
        if let Some(rest) = line.strip_prefix("eventday is serving on http://") {
            break rest.trim().to_owned();
        }
    };
    assert!(addr.starts_with("127.0.0.1:"), "server must listen on loopback only, got {addr}");
    // Keep draining stdout so the server never blocks on a full pipe.
    std::thread::spawn(move || for _ in lines {});
    (child, addr)
}

/// The demo campaign's venue ids and event day.
async fn venues(client: &reqwest::Client, base: &str) -> (Vec<i64>, NaiveDate) {
    let list: serde_json::Value =
        client.get(format!("{base}/api/v1/campaigns")).send().await.unwrap().json().await.unwrap();
    let c = &list["campaigns"][0];
    let id = c["id"].as_i64().expect("a demo campaign");
    let date: NaiveDate = c["date"].as_str().unwrap().parse().unwrap();
    let summary: serde_json::Value = client
        .get(format!("{base}/api/v1/campaigns/{id}/summary"))
        .send()
        .await
        .unwrap()
        .json()
        .await
        .unwrap();
    let ids = summary["totals"]["per_venue"]
        .as_array()
        .unwrap()
        .iter()
        .map(|v| v["venue_id"].as_i64().unwrap())
        .collect();
    (ids, date)
}

/// The body of one post.
#[derive(serde::Serialize)]
struct Post<'a> {
    id: uuid::Uuid,
    recorded_at: chrono::DateTime<Utc>,
    author_name: &'a str,
    visitors: i64,
    consultations: i64,
    complaints_received: i64,
    complaints_settled: i64,
    money_recovered_fen: i64,
    note: &'a str,
}

fn percentile(sorted: &[u64], p: f64) -> f64 {
    if sorted.is_empty() {
        return 0.0;
    }
    let idx = ((sorted.len() as f64 - 1.0) * p).round() as usize;
    sorted[idx.min(sorted.len() - 1)] as f64 / 1000.0
}

#[tokio::main]
async fn main() {
    let o = options();
    let db = scratch(&o).await;
    let token = {
        let store = Store::connect(&db.url).await.expect("connect");
        store.migrate().await.expect("migrate");
        let campaign = eventday::load_demo(&store).await.expect("demo").campaign_id();
        // The demo day is closed and its venues accepted (locked): reopen them to log again.
        store
            .conn()
            .execute_unprepared("UPDATE venues SET day_status = 'open', accepted_at = NULL")
            .await
            .expect("reopen venues");
        let org = eventday_store::queries::campaign_summary(&store, campaign)
            .await
            .unwrap()
            .campaign
            .organization_id;
        let user = eventday_store::accounts::create_user(
            &store,
            eventday_store::accounts::NewUser {
                login: "load-organizer".into(),
                display_name: String::new(),
                role: eventday_domain::Role::Organizer,
                organization_id: Some(org),
                venue_ids: vec![],
                password: "load tool password".into(),
            },
            None,
        )
        .await
        .expect("user");
        eventday_store::accounts::create_api_token(&store, user.id, "load").await.expect("token").1
    };
    let (mut server, addr) = start_server(&db.url);
    let base = format!("http://{addr}");
    let mut headers = reqwest::header::HeaderMap::new();
    headers.insert(reqwest::header::AUTHORIZATION, format!("Bearer {token}").parse().unwrap());
    let client = reqwest::Client::builder()
        .pool_max_idle_per_host(o.clients)
        .default_headers(headers)
        .build()
        .unwrap();
    let (venue_ids, date) = venues(&client, &base).await;
    // 10:00 local (UTC+8) on the event day, plus up to six hours.
    let day_start = Utc.from_utc_datetime(&date.and_hms_opt(2, 0, 0).unwrap());

    println!(
        "load: {} clients posting log entries to {base} ({}) for {} s{}",
        o.clients,
        if o.postgres { "PostgreSQL" } else { "SQLite" },
        o.seconds,
        o.requests.map(|r| format!(" or {r} requests")).unwrap_or_default()
    );
    let stop = Arc::new(AtomicBool::new(false));
    let sent = Arc::new(AtomicU64::new(0));
    let started = Instant::now();
    let deadline = started + Duration::from_secs(o.seconds);
    let mut tasks = Vec::new();
    // Request URLs parsed once, bodies serialized without an intermediate JSON tree: the load
    // tool shares the machine's cores with the server, so it spends as little of them as it can.
    let urls: Vec<reqwest::Url> =
        venue_ids.iter().map(|v| format!("{base}/api/v1/venues/{v}/log").parse().unwrap()).collect();
    for c in 0..o.clients {
        let (client, urls, stop, sent) = (client.clone(), urls.clone(), stop.clone(), sent.clone());
        let limit = o.requests;
        let author = format!("load client {c}");
        tasks.push(tokio::spawn(async move {
            let mut latencies = Vec::new();
            let mut errors = 0u64;
            let mut n = 0usize;
            while !stop.load(Ordering::Relaxed) && Instant::now() < deadline {
                if let Some(limit) = limit
                    && sent.fetch_add(1, Ordering::Relaxed) >= limit
                {
                    break;
                }
                let url = urls[(c + n) % urls.len()].clone();
                n += 1;
                let body = serde_json::to_vec(&Post {
                    id: uuid::Uuid::now_v7(),
                    recorded_at: day_start + ChronoDuration::seconds(((c * 997 + n * 13) % 21_600) as i64),
                    author_name: &author,
                    visitors: 3,
                    consultations: 1,
                    complaints_received: 1,
                    complaints_settled: 1,
                    money_recovered_fen: 100,
                    note: "load test",
                })
                .unwrap();
                let t = Instant::now();
                let resp = client
                    .post(url)
                    .header(reqwest::header::CONTENT_TYPE, "application/json")
                    .body(body)
                    .send()
                    .await;
                let ok = match resp {
                    Ok(r) => {
                        let ok = r.status().is_success();
                        let _ = r.bytes().await;
                        ok
                    }
                    Err(_) => false,
                };
                latencies.push(t.elapsed().as_micros() as u64);
                if !ok {
                    errors += 1;
                }
            }
            (latencies, errors)
        }));
    }
    let mut latencies = Vec::new();
    let mut errors = 0;
    for t in tasks {
        let (l, e) = t.await.unwrap();
        latencies.extend(l);
        errors += e;
    }
    stop.store(true, Ordering::Relaxed);
    let elapsed = started.elapsed().as_secs_f64();
    latencies.sort_unstable();
    let ok = latencies.len() as u64 - errors;
    let throughput = ok as f64 / elapsed;
    println!(
        "http: {} requests ({} failed) in {elapsed:.1} s = {throughput:.0} entries/s; latency p50 {:.1} ms, p95 {:.1} ms, p99 {:.1} ms, max {:.1} ms",
        latencies.len(),
        errors,
        percentile(&latencies, 0.50),
        percentile(&latencies, 0.95),
        percentile(&latencies, 0.99),
        percentile(&latencies, 1.0),
    );
    server.kill().ok();
    server.wait().ok();

    // The baseline: one autocommit insert per row, no HTTP, same database and settings.
    let store = Store::connect(&db.url).await.expect("connect");
    let venue = venue_ids[0];
    let campaign: i32 = {
        let row = store
            .conn()
            .query_one_raw(sea_orm::Statement::from_string(
                store.conn().get_database_backend(),
                format!("SELECT campaign_id FROM venues WHERE id = {venue}"),
            ))
            .await
            .unwrap()
            .unwrap();
        row.try_get("", "campaign_id").unwrap()
    };
    let t = Instant::now();
    let mut rows = 0u64;
    while t.elapsed() < Duration::from_secs(o.insert_seconds) {
        let e = eventday_domain::log::NewLogEntry {
            id: uuid::Uuid::now_v7(),
            venue_id: venue,
            booth_id: None,
            activity_id: None,
            recorded_at: day_start,
            author_name: "baseline".into(),
            figures: eventday_domain::totals::Figures { visitors: 1, ..Default::default() },
            materials: Default::default(),
            note: String::new(),
        };
        eventday_store::queries::insert_log_entry_row(store.conn(), campaign, &e, None, Utc::now())
            .await
            .expect("single-row insert");
        rows += 1;
    }
    let single = rows as f64 / t.elapsed().as_secs_f64();
    println!("store: single-row autocommit inserts without HTTP: {single:.0} rows/s");
    println!("ratio: HTTP throughput / single-row rate = {:.2}", throughput / single);
    store.conn().clone().close().await.ok();
    db.drop_database().await;
}
