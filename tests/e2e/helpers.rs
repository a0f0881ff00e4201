//! `spawn_app()` and friends.

use eventday_domain::Role;
use eventday_store::Store;
use eventday_store::accounts::{self, NewUser};
use eventday_store::entities::organization;
use sea_orm::{ActiveModelTrait, Set};
use std::sync::atomic::{AtomicU32, Ordering};

/// A fresh, migrated database just for one test.
pub struct TestDb {
    pub store: Store,
    /// Its URL, for a server process of the binary.
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
    /// The root organization of the test organizer `client` acts as.
    pub root_org: i32,
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

    /// Makes `client` call as an organizer of the campaign's organization (via an API token).
    pub async fn act_as_organizer_of(&mut self, campaign_id: i32) {
        use sea_orm::EntityTrait;
        let org = eventday_store::entities::campaign::Entity::find_by_id(campaign_id)
            .one(self.db.store.conn())
            .await
            .expect("campaign query")
            .expect("campaign")
            .organization_id;
        let token =
            user_with_token(&self.db.store, "test-organizer", Role::Organizer, Some(org), vec![]).await;
        self.client = client_with_token(&token);
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
    let app = eventday_web::router(eventday_web::AppState::new(db.store.clone()));
    let server = tokio::spawn(async move {
        axum::serve(listener, app.into_make_service_with_connect_info::<std::net::SocketAddr>()).await.ok();
    });
    // Every request of `client` is made by an organizer of a root organization, under which the
    // tests create what they plan.
    let root_org = organization::ActiveModel {
        name: Set("测试上级协会".into()),
        parent_id: Set(None),
        created_at: Set(chrono::Utc::now()),
        ..Default::default()
    }
    .insert(db.store.conn())
    .await
    .expect("root organization")
    .id;
    let token = user_with_token(&db.store, "test-admin", Role::Organizer, Some(root_org), vec![]).await;
    TestApp { addr, client: client_with_token(&token), db, server, root_org }
}

/// An HTTP client that sends `Authorization: Bearer <token>` with every request.
pub fn client_with_token(token: &str) -> reqwest::Client {
    let mut headers = reqwest::header::HeaderMap::new();
    let value = reqwest::header::HeaderValue::from_str(&format!("Bearer {token}")).expect("header value");
    headers.insert(reqwest::header::AUTHORIZATION, value);
    reqwest::Client::builder().default_headers(headers).build().expect("client")
}

pub const TEST_PASSWORD: &str = "correct horse battery";

/// Creates a user with [`TEST_PASSWORD`] and returns an API token of theirs.
pub async fn user_with_token(
    store: &Store,
    login: &str,
    role: Role,
    organization_id: Option<i32>,
    venue_ids: Vec<i32>,
) -> String {
    let new = NewUser {
        login: login.into(),
        display_name: String::new(),
        role,
        organization_id,
        venue_ids,
        password: TEST_PASSWORD.into(),
    };
    let u = accounts::create_user(store, new, None).await.expect("create user");
    accounts::create_api_token(store, u.id, "test").await.expect("token").1
}

/// The demo file as plain JSON, read independently of the product's own types.
pub fn demo_json() -> serde_json::Value {
    serde_json::from_str(eventday::DEMO_CAMPAIGN_JSON).expect("demo JSON")
}

/// Runs the `eventday` binary without the environment's database URL and bind address;
/// returns (exit code, stdout, stderr).
pub fn run_eventday(args: &[&str]) -> (i32, String, String) {
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_eventday"))
        .args(args)
        .env_remove("EVENTDAY_DATABASE_URL")
        .env_remove("EVENTDAY_BIND")
        .output()
        .expect("run eventday");
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

/// Opens every venue's day of a campaign again (the demo campaign is over, its days accepted),
/// for tests that play the day itself.
pub async fn open_days(store: &Store, campaign_id: i32) {
    use eventday_store::entities::venue;
    use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
    venue::Entity::update_many()
        .col_expr(venue::Column::DayStatus, sea_orm::sea_query::Expr::val("open"))
        .filter(venue::Column::CampaignId.eq(campaign_id))
        .exec(store.conn())
        .await
        .expect("open the days");
}

/// A real `eventday serve` child process on a loopback port.
pub struct ServerProcess {
    child: std::process::Child,
    pub base: String,
    /// The address it listens on (`127.0.0.1:port`).
    pub addr: String,
}

impl ServerProcess {
    /// Serves `url` on an ephemeral port (and loads the demo first with `demo`).
    pub fn start(url: &str, demo: bool) -> ServerProcess {
        Self::start_on(url, "127.0.0.1:0", demo)
    }

    /// Serves `url` on `bind` (as a restarted server takes its predecessor's port).
    pub fn start_on(url: &str, bind: &str, demo: bool) -> ServerProcess {
        use std::io::{BufRead, BufReader};
        let mut args = vec!["serve", "--bind", bind, "--database-url", url];
        if demo {
            args.push("--demo");
        }
        let mut child = std::process::Command::new(env!("CARGO_BIN_EXE_eventday"))
            .args(&args)
            .env("EVENTDAY_LOG", "warn")
            .stdout(std::process::Stdio::piped())
            .spawn()
            .expect("start eventday serve");
        let mut lines = BufReader::new(child.stdout.take().expect("stdout")).lines();
        let addr = loop {
            let line = lines.next().expect("the server exited before serving").expect("stdout line");
            if let Some(rest) = line.strip_prefix("eventday is serving on http://") {
                break rest.trim().to_owned();
            }
        };
        assert!(addr.starts_with("127.0.0.1:"), "{addr}");
        std::thread::spawn(move || for _ in lines {});
        ServerProcess { child, base: format!("http://{addr}"), addr }
    }

    /// SIGKILL: no shutdown, no flushing, as a crash or an OOM kill.
    pub fn kill(mut self) {
        self.child.kill().expect("kill");
        self.child.wait().expect("wait");
    }

    /// SIGTERM, as a deployment's restart does, and waits (at most `limit`) for the process to
    /// end by itself; panics when it does not.
    pub fn terminate(mut self, limit: std::time::Duration) -> std::process::ExitStatus {
        let pid = self.child.id().to_string();
        let sent = std::process::Command::new("kill").args(["-TERM", &pid]).status().expect("run kill");
        assert!(sent.success(), "kill -TERM {pid}");
        let until = std::time::Instant::now() + limit;
        loop {
            if let Some(status) = self.child.try_wait().expect("wait") {
                return status;
            }
            assert!(std::time::Instant::now() < until, "the server did not stop within {limit:?} of SIGTERM");
            std::thread::sleep(std::time::Duration::from_millis(100));
        }
    }
}

impl Drop for ServerProcess {
    fn drop(&mut self) {
        let _ = self.child.kill();
        let _ = self.child.wait();
    }
}

/// The one integer a SQL query answers (`SELECT COUNT(*) …`), read straight from the database.
pub async fn scalar(store: &Store, sql: &str) -> i64 {
    use sea_orm::ConnectionTrait;
    let db = store.conn();
    let row = db
        .query_one_raw(sea_orm::Statement::from_string(db.get_database_backend(), sql.to_owned()))
        .await
        .expect("query")
        .expect("a row");
    row.try_get_by_index::<i64>(0).expect("an integer")
}

/// Sends a request and returns its status and its body as JSON (or as a string when it is not).
pub async fn send(req: reqwest::RequestBuilder) -> (u16, serde_json::Value) {
    let resp = req.send().await.expect("request");
    let status = resp.status().as_u16();
    let text = resp.text().await.expect("body");
    (status, serde_json::from_str(&text).unwrap_or(serde_json::Value::String(text)))
}
