//! Opening the database (SQLite by default, PostgreSQL by URL) and running migrations.

use crate::error::StoreError;
use crate::live::LiveHub;
use crate::log::writer::LogWriter;
use eventday_migrations::{Migrator, MigratorTrait};
use sea_orm::sqlx::sqlite::{SqliteConnectOptions, SqliteJournalMode, SqliteSynchronous};
use sea_orm::{
    ConnectOptions, Database, DatabaseConnection, DatabaseTransaction, SqliteTransactionMode,
    TransactionOptions, TransactionTrait,
};
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::OnceCell;

/// Which database engine a store runs on.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Backend {
    /// Embedded SQLite file.
    Sqlite,
    /// PostgreSQL server.
    Postgres,
}

/// The application's handle on the database; cheap to clone.
#[derive(Clone, Debug)]
pub struct Store {
    db: DatabaseConnection,
    /// The log writer's own connections (see [`Store::log_write_tx`]).
    log_db: DatabaseConnection,
    backend: Backend,
    /// The live feed of this process, started on first use (see [`crate::live`]).
    live: Arc<OnceCell<Arc<LiveHub>>>,
    live_buffer: usize,
    /// The group-commit writer of log submissions, started on first use.
    writer: Arc<std::sync::OnceLock<LogWriter>>,
    /// Recent session and token lookups (see [`crate::auth_cache`]).
    auth_cache: Arc<crate::auth_cache::AuthCache>,
    /// Recent venue scope lookups (see [`crate::auth_cache::ScopeCache`]).
    scope_cache: Arc<crate::auth_cache::ScopeCache>,
}

/// How long a SQLite writer waits for another writer before giving up.
const SQLITE_BUSY_TIMEOUT: Duration = Duration::from_secs(10);

impl Store {
    /// Connects to `url` (`sqlite://file.db?mode=rwc` or `postgres://...`).
    ///
    /// SQLite is opened in WAL mode with foreign keys on, `synchronous=FULL` (an acknowledged
    /// write survives a crash) and a busy timeout; statement logging is off on both engines.
    ///
    /// # Errors
    /// [`StoreError::InvalidUrl`] for a URL that names no supported database,
    /// [`StoreError::Connect`] when it cannot be opened or reached.
    pub async fn connect(url: &str) -> Result<Self, StoreError> {
        Self::connect_with(url, 8).await
    }

    /// Like [`Store::connect`], for a command that reads one thing and exits (`eventday report`):
    /// one SQLite connection, so the schema is parsed and each statement prepared once, not once
    /// per pooled connection. Only for callers that never hold a connection (a transaction, a
    /// streamed query) while asking for another.
    ///
    /// # Errors
    /// As [`Store::connect`].
    pub async fn connect_for_one_read(url: &str) -> Result<Self, StoreError> {
        Self::connect_with(url, 1).await
    }

    async fn connect_with(url: &str, sqlite_connections: u32) -> Result<Self, StoreError> {
        let backend = if url.starts_with("sqlite:") {
            url.parse::<SqliteConnectOptions>().map_err(|e| StoreError::InvalidUrl(format!("{e}")))?;
            Backend::Sqlite
        } else if url.starts_with("postgres://") || url.starts_with("postgresql://") {
            Backend::Postgres
        } else {
            return Err(StoreError::InvalidUrl(
                "expected a URL starting with sqlite:, postgres:// or postgresql://".into(),
            ));
        };
        if backend == Backend::Postgres {
            check_reachable(url).await?;
        }
        let mut opts = ConnectOptions::new(url.to_owned());
        opts.sqlx_logging(false)
            .connect_timeout(Duration::from_secs(10))
            .acquire_timeout(Duration::from_secs(30));
        match backend {
            Backend::Sqlite => {
                // A connection to a local file does not go stale: no ping before each use.
                opts.max_connections(sqlite_connections)
                    .test_before_acquire(false)
                    .map_sqlx_sqlite_opts(sqlite_options);
            }
            Backend::Postgres => {
                opts.max_connections(16);
            }
        }
        // The log writer's own pool, opened on the first log post (commands that never log do
        // not pay for it). SQLite: one connection, so that its page cache (the indexes it
        // inserts into) stays warm from one batch to the next. PostgreSQL: two connections and
        // no ping before use, because every batch waits for its `BEGIN`: sqlx pings a
        // connection when it returns to the pool, and with two the next batch takes the other
        // one meanwhile. (Should PostgreSQL restart, the first batch on a dead connection fails
        // and is written entry by entry on fresh connections; its posts may get 5xx answers and
        // are retried by their senders with the same ids.)
        let mut log_opts = opts.clone();
        log_opts.connect_lazy(true);
        if backend == Backend::Sqlite {
            log_opts.max_connections(1).map_sqlx_sqlite_opts(|o| {
                // Checkpoints are the log writer's checkpointer's job (see `log::writer`); the
                // writer's own automatic checkpoint is only the backstop, at about 40 MB of WAL.
                sqlite_options(o).pragma("wal_autocheckpoint", WRITER_AUTOCHECKPOINT_PAGES.to_string())
            });
        } else {
            log_opts.max_connections(2).test_before_acquire(false);
        }
        let log_db = Database::connect(log_opts)
            .await
            .map_err(|e| StoreError::Connect(redact(&e.to_string(), url)))?;
        let db =
            Database::connect(opts).await.map_err(|e| StoreError::Connect(redact(&e.to_string(), url)))?;
        Ok(Self {
            db,
            log_db,
            backend,
            live: Arc::default(),
            live_buffer: crate::live::DEFAULT_BUFFER,
            writer: Arc::default(),
            auth_cache: Arc::default(),
            scope_cache: Arc::default(),
        })
    }

    /// Sets how many live-feed events a subscriber may fall behind before it is dropped (and
    /// must resume from its cursor). Takes effect only before the feed is first used.
    #[must_use]
    pub fn with_live_buffer(mut self, events: usize) -> Self {
        self.live_buffer = events.max(1);
        self
    }

    pub(crate) fn live_buffer(&self) -> usize {
        self.live_buffer
    }

    /// The live-feed hub, started on first call (on PostgreSQL this connects the listener).
    pub(crate) async fn live_hub(&self) -> Result<Arc<LiveHub>, StoreError> {
        self.live.get_or_try_init(|| LiveHub::start(self)).await.cloned()
    }

    /// This process's log writer, started on first call. The task gets a handle without the
    /// writer cell, so it ends once every outside handle (and so the queue's sender) is gone.
    pub(crate) fn log_writer(&self) -> &LogWriter {
        self.writer.get_or_init(|| LogWriter::start(Store { writer: Arc::default(), ..self.clone() }))
    }

    pub(crate) fn auth_cache(&self) -> &crate::auth_cache::AuthCache {
        &self.auth_cache
    }

    pub(crate) fn scope_cache(&self) -> &crate::auth_cache::ScopeCache {
        &self.scope_cache
    }

    /// The hub if anything has subscribed in this process.
    pub(crate) fn live_hub_if_started(&self) -> Option<Arc<LiveHub>> {
        self.live.get().cloned()
    }

    /// Brings the schema up to date.
    ///
    /// # Errors
    /// [`StoreError::Migrate`] when a migration fails.
    pub async fn migrate(&self) -> Result<(), StoreError> {
        Migrator::up(&self.db, None).await.map_err(|e| StoreError::Migrate(e.to_string()))
    }

    /// The engine behind this store.
    #[must_use]
    pub fn backend(&self) -> Backend {
        self.backend
    }

    /// The connection pool, for the queries in this crate.
    #[must_use]
    pub fn conn(&self) -> &DatabaseConnection {
        &self.db
    }

    /// Starts a write transaction. On SQLite it takes the write lock at once (`BEGIN IMMEDIATE`)
    /// so that two writers queue on the busy timeout instead of failing on lock upgrade.
    ///
    /// # Errors
    /// A database error when the transaction cannot start.
    pub async fn write_tx(&self) -> Result<DatabaseTransaction, StoreError> {
        self.begin_write(&self.db).await
    }

    /// The log writer's write transaction, like [`Store::write_tx`] but on the writer's own pool.
    pub(crate) async fn log_write_tx(&self) -> Result<DatabaseTransaction, StoreError> {
        self.begin_write(&self.log_db).await
    }

    async fn begin_write(&self, db: &DatabaseConnection) -> Result<DatabaseTransaction, StoreError> {
        let opts = TransactionOptions {
            sqlite_transaction_mode: (self.backend == Backend::Sqlite)
                .then_some(SqliteTransactionMode::Immediate),
            ..TransactionOptions::default()
        };
        Ok(db.begin_with_options(opts).await?)
    }

    /// Checks the database answers.
    ///
    /// # Errors
    /// A database error when it does not.
    pub async fn ping(&self) -> Result<(), StoreError> {
        Ok(self.db.ping().await?)
    }
}

/// Every SQLite connection's settings.
fn sqlite_options(o: SqliteConnectOptions) -> SqliteConnectOptions {
    o.journal_mode(SqliteJournalMode::Wal)
        .synchronous(SqliteSynchronous::Full)
        .foreign_keys(true)
        .busy_timeout(SQLITE_BUSY_TIMEOUT)
        // 16 MiB of page cache per connection (the default is 2 MiB): the log's indexes are
        // keyed by random ids, so a batch touches many pages.
        .pragma("cache_size", "-16384")
}

/// The log writer's connection checkpoints by itself only past this many WAL pages (SQLite's
/// default is 1,000); below it, the log writer's checkpointer does it beside the writer.
const WRITER_AUTOCHECKPOINT_PAGES: u32 = 10_000;

/// Fails fast, naming the cause, when nothing listens at a PostgreSQL URL's address (the
/// pool would otherwise only report a timeout).
async fn check_reachable(url: &str) -> Result<(), StoreError> {
    use sea_orm::sqlx::postgres::PgConnectOptions;
    let opts: PgConnectOptions =
        url.parse().map_err(|e| StoreError::InvalidUrl(redact(&format!("{e}"), url)))?;
    let (host, port) = (opts.get_host().to_owned(), opts.get_port());
    if host.starts_with('/') {
        return Ok(()); // a Unix socket directory: let the driver report
    }
    let attempt =
        tokio::time::timeout(Duration::from_secs(5), tokio::net::TcpStream::connect((host.as_str(), port)));
    match attempt.await {
        Ok(Ok(_)) => Ok(()),
        Ok(Err(e)) => Err(StoreError::Connect(format!("cannot reach PostgreSQL at {host}:{port}: {e}"))),
        Err(_) => Err(StoreError::Connect(format!(
            "cannot reach PostgreSQL at {host}:{port}: no answer within 5 s"
        ))),
    }
}

/// Removes a password from any URL echoed in an error message.
fn redact(message: &str, url: &str) -> String {
    match url.split_once("://").and_then(|(_, rest)| rest.split_once('@')) {
        Some((userinfo, _)) if userinfo.contains(':') => {
            let password = userinfo.split_once(':').map_or("", |(_, p)| p);
            if password.is_empty() { message.to_owned() } else { message.replace(password, "***") }
        }
        _ => message.to_owned(),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn redacts_passwords_from_messages() {
        assert_eq!(
            redact("failed for postgres://u:s3cret@h/db", "postgres://u:s3cret@h/db"),
            "failed for postgres://u:***@h/db"
        );
        assert_eq!(redact("plain", "sqlite://x.db"), "plain");
    }
}
