//! `spawn_app()` and friends.

use eventday_store::Store;
use std::sync::atomic::{AtomicU32, Ordering};

/// A fresh, migrated database just for one test.
pub struct TestDb {
    pub store: Store,
    /// The database URL (for tests that start the real binary on it).
    pub url: String,
    _dir: Option<tempfile::TempDir>,
    pg_admin: Option<(String, String)>,
}

impl TestDb {
    pub async fn new() -> TestDb {
        let (url, dir, pg_admin) = match std::env::var("EVENTDAY_TEST_DATABASE_URL") {
            Ok(admin_url) if !admin_url.is_empty() => {
                static N: AtomicU32 = AtomicU32::new(0);
                let name = format!(
                    "eventday_t_{}_{}_{}",
                    std::process::id(),
                    N.fetch_add(1, Ordering::SeqCst),
                    uuid::Uuid::new_v4().simple().to_string().get(..8).unwrap_or("x")
                );
                let admin = Store::connect(&admin_url).await.expect("admin connection to PostgreSQL");
                use sea_orm::ConnectionTrait;
                admin
                    .conn()
                    .execute_unprepared(&format!("CREATE DATABASE {name}"))
                    .await
                    .expect("create test database");
                admin.conn().clone().close().await.ok();
                let base =
                    admin_url.rsplit_once('/').map(|(b, _)| b.to_owned()).expect("URL with a database");
                (format!("{base}/{name}"), None, Some((admin_url, name)))
            }
            _ => {
                let dir = tempfile::tempdir().expect("temp dir");
                let url = format!("sqlite://{}?mode=rwc", dir.path().join("test.db").display());
                (url, Some(dir), None)
            }
        };
        let store = Store::connect(&url).await.expect("connect test database");
        store.migrate().await.expect("migrate test database");
        TestDb { store, url, _dir: dir, pg_admin }
    }

    /// Drops a PostgreSQL test database (SQLite files go with their temp dir).
    pub async fn cleanup(self) {
        let TestDb { store, pg_admin, .. } = self;
        store.conn().clone().close().await.ok();
        if let Some((admin_url, name)) = pg_admin
            && let Ok(admin) = Store::connect(&admin_url).await
        {
            use sea_orm::ConnectionTrait;
            admin
                .conn()
                .execute_unprepared(&format!("DROP DATABASE IF EXISTS {name} WITH (FORCE)"))
                .await
                .ok();
            admin.conn().clone().close().await.ok();
        }
    }
}

/// A running server on an ephemeral loopback port.
pub struct TestApp {
    pub addr: String,
    pub client: reqwest::Client,
    pub db: TestDb,
    pub server: tokio::task::JoinHandle<()>,
}

impl TestApp {
    pub fn url(&self, path: &str) -> String {
        format!("http://{}{}", self.addr, path)
    }

    pub async fn get_json(&self, path: &str) -> (u16, serde_json::Value) {
        let resp = self.client.get(self.url(path)).send().await.expect("request");
        let status = resp.status().as_u16();
        let body = resp.json().await.expect("JSON body");
        (status, body)
    }

    pub async fn stop(self) {
        self.server.abort();
        self.db.cleanup().await;
    }
}

pub async fn spawn_app() -> TestApp {
    let db = TestDb::new().await;
    let listener = tokio::net::TcpListener::bind("127.0.0.1:0").await.expect("bind");
    let addr = listener.local_addr().expect("addr").to_string();
    let app = eventday_web::router(eventday_web::AppState { store: db.store.clone() });
    let server = tokio::spawn(async move {
        axum::serve(listener, app).await.ok();
    });
    TestApp { addr, client: reqwest::Client::new(), db, server }
}

/// The demo file as plain JSON, read independently of the product's own types.
pub fn demo_json() -> serde_json::Value {
    serde_json::from_str(eventday::DEMO_CAMPAIGN_JSON).expect("demo JSON")
}
