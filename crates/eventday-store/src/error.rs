//! Typed store errors: constraint violations are classified so the API can map them to 409/422.

use eventday_domain::ValidationError;
use sea_orm::{DbErr, RuntimeErr};

/// Which database constraint a write broke.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum ConstraintKind {
    /// A unique key or primary key.
    Unique,
    /// A foreign key (a reference to something that does not exist, or is still referenced).
    ForeignKey,
    /// A CHECK constraint (e.g. a negative count).
    Check,
    /// A NOT NULL column.
    NotNull,
}

/// Everything the store can fail with.
#[derive(Debug, thiserror::Error)]
pub enum StoreError {
    /// The database URL could not be understood.
    #[error("invalid database URL: {0}")]
    InvalidUrl(String),
    /// The database could not be reached or opened.
    #[error("cannot connect to the database: {0}")]
    Connect(String),
    /// Running the migrations failed.
    #[error("migration failed: {0}")]
    Migrate(String),
    /// The input broke a validation rule before reaching the database.
    #[error(transparent)]
    Invalid(#[from] ValidationError),
    /// The write broke a database constraint.
    #[error("{kind:?} constraint violated: {detail}")]
    Constraint {
        /// Which kind of constraint.
        kind: ConstraintKind,
        /// The database's own words (constraint name where it gives one).
        detail: String,
    },
    /// The thing asked for does not exist.
    #[error("{entity} {id} not found")]
    NotFound {
        /// Entity name.
        entity: &'static str,
        /// Its id.
        id: String,
    },
    /// The write conflicts with what is stored (e.g. same id, different content).
    #[error("conflict: {0}")]
    Conflict(String),
    /// The acting user may not make this change (e.g. move an organization they are not above).
    #[error("{0}")]
    Forbidden(String),
    /// The operation is not available on this database engine (the message says what to use).
    #[error("{0}")]
    Unsupported(String),
    /// A file could not be written or moved.
    #[error("{0}")]
    Io(String),
    /// The venue's day was accepted by an organizer: its figures are locked until reopened.
    #[error(
        "the day of venue {venue_id} ({name}) has been accepted; its figures are locked until an organizer reopens it"
    )]
    VenueLocked {
        /// Venue id.
        venue_id: i32,
        /// Venue name.
        name: String,
    },
    /// The campaign's submission was accepted by its parent organization: its figures are locked
    /// until the accepting level withdraws its acceptance.
    #[error(
        "the submission of campaign {campaign_id} has been accepted by its parent organization; its figures are locked until the acceptance is withdrawn"
    )]
    SubmissionLocked {
        /// Campaign id.
        campaign_id: i32,
    },
    /// Any other database failure.
    #[error("database error: {0}")]
    Db(DbErr),
}

impl From<DbErr> for StoreError {
    fn from(err: DbErr) -> Self {
        classify(err)
    }
}

/// Turns constraint violations into [`StoreError::Constraint`], leaving other errors as they are.
fn classify(err: DbErr) -> StoreError {
    let sqlx_err = match &err {
        DbErr::Exec(RuntimeErr::SqlxError(e)) | DbErr::Query(RuntimeErr::SqlxError(e)) => Some(e),
        _ => None,
    };
    if let Some(db) = sqlx_err.and_then(|e| e.as_database_error()) {
        use sea_orm::sqlx::error::ErrorKind;
        let kind = match db.kind() {
            ErrorKind::UniqueViolation => Some(ConstraintKind::Unique),
            ErrorKind::ForeignKeyViolation => Some(ConstraintKind::ForeignKey),
            ErrorKind::CheckViolation => Some(ConstraintKind::Check),
            ErrorKind::NotNullViolation => Some(ConstraintKind::NotNull),
            // SQLite reports an ON DELETE RESTRICT refusal as SQLITE_CONSTRAINT_TRIGGER (1811),
            // which sqlx does not classify; its message is the foreign-key one.
            _ if db.message().contains("FOREIGN KEY constraint failed") => Some(ConstraintKind::ForeignKey),
            _ => None,
        };
        if let Some(kind) = kind {
            let detail = db.constraint().map_or_else(|| db.message().to_owned(), str::to_owned);
            return StoreError::Constraint { kind, detail };
        }
    }
    StoreError::Db(err)
}
