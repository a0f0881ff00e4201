//! Online, consistent backups of a SQLite database while the server keeps running.
//!
//! `VACUUM INTO` reads the database inside one read transaction, so the copy is a consistent
//! snapshot even while writers commit (WAL mode lets them go on meanwhile). The copy is written
//! next to the target under a temporary name and renamed into place, so a failed backup never
//! leaves a half-written file under the requested name.

use crate::error::StoreError;
use crate::{Backend, Store};
use sea_orm::{ConnectionTrait, Statement};
use std::path::Path;

/// The command that backs up a PostgreSQL database, for messages and documentation.
pub const PG_DUMP_HINT: &str = "for PostgreSQL use pg_dump, e.g. \
     `pg_dump --format=custom --file=eventday.dump \"$EVENTDAY_DATABASE_URL\"` \
     (restore with `pg_restore --clean --dbname=URL eventday.dump`)";

/// Copies the whole SQLite database into the new file `out`.
///
/// # Errors
/// [`StoreError::Unsupported`] on PostgreSQL (use pg_dump), [`StoreError::Conflict`] when `out`
/// exists and `overwrite` is false, [`StoreError::Io`] when the file cannot be written or moved,
/// database errors otherwise.
pub async fn backup_sqlite(store: &Store, out: &Path, overwrite: bool) -> Result<u64, StoreError> {
    if store.backend() != Backend::Sqlite {
        return Err(StoreError::Unsupported(format!(
            "eventday backup copies SQLite databases only; {PG_DUMP_HINT}"
        )));
    }
    if out.exists() && !overwrite {
        return Err(StoreError::Conflict(format!(
            "{} already exists; choose another file or pass --force to replace it",
            out.display()
        )));
    }
    let name = out.file_name().map(|n| n.to_string_lossy().into_owned()).unwrap_or_else(|| "backup".into());
    let partial = out.with_file_name(format!(".{name}.partial-{}", std::process::id()));
    // A leftover from an earlier crashed attempt would make VACUUM INTO fail.
    let _ = std::fs::remove_file(&partial);
    let target = partial
        .to_str()
        .ok_or_else(|| StoreError::Io(format!("{} is not a UTF-8 path", partial.display())))?
        .to_owned();
    let db = store.conn();
    let result = db
        .execute_raw(Statement::from_sql_and_values(
            db.get_database_backend(),
            "VACUUM INTO ?",
            [target.into()],
        ))
        .await;
    if let Err(e) = result {
        let _ = std::fs::remove_file(&partial);
        return Err(match e {
            sea_orm::DbErr::Exec(_) | sea_orm::DbErr::Query(_) => {
                StoreError::Io(format!("cannot write {}: {e}", out.display()))
            }
            other => other.into(),
        });
    }
    let size = std::fs::metadata(&partial).map(|m| m.len()).unwrap_or(0);
    std::fs::rename(&partial, out).map_err(|e| {
        let _ = std::fs::remove_file(&partial);
        StoreError::Io(format!("cannot move the backup to {}: {e}", out.display()))
    })?;
    Ok(size)
}
