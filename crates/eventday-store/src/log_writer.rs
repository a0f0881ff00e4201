//! Group commit for log submissions: one writer task per process takes every submission that
//! arrived while the previous transaction was committing and writes them in one transaction.
//!
//! A single-row commit costs one fsync (about 2,000–4,500 a second here); sixty-four phones
//! posting at once would queue on it. The writer is fed by a bounded channel (so a flood waits
//! in the callers, not in memory) and acknowledges each submission only after its batch
//! committed. Validation happens before enqueueing, in the caller, so a bad entry never reaches
//! a batch; an entry that still breaks a constraint (its venue deleted meanwhile) makes the
//! batch roll back, and the batch is then written one entry per transaction so every caller
//! gets its own answer. Idempotency is unchanged: the insert is `ON CONFLICT (id) DO NOTHING
//! RETURNING id`, an id that was not inserted is compared with the stored row's fingerprint
//! (identical: the stored entry, 200; different: conflict, 409), and one id appears at most once
//! per batch (a second copy waits for the next batch and then sees the stored row).

use crate::entities::{audit_event, log_entry, log_entry_material};
use crate::error::StoreError;
use crate::live::{self, LiveEntry};
use crate::log::{LogEntry, Outcome};
use crate::{Backend, Store};
use chrono::{DateTime, Utc};
use eventday_domain::log::NewLogEntry;
use sea_orm::sea_query::{Alias, OnConflict, Query};
use sea_orm::{ActiveValue::NotSet, ConnectionTrait, EntityTrait, Set, Value};
use std::collections::{HashMap, HashSet};
use tokio::sync::{mpsc, oneshot};

/// Submissions waiting for the writer before callers have to wait to enqueue.
const QUEUE: usize = 4_096;
/// Most entries in one transaction.
const MAX_BATCH: usize = 256;

/// A validated submission, ready to write.
#[derive(Debug, Clone)]
pub(crate) struct Prepared {
    /// The entry (id, venue, figures, materials ...).
    pub entry: NewLogEntry,
    /// Its venue.
    pub venue_id: i32,
    /// Who sent it.
    pub actor: Option<i32>,
}

/// What the writer checks about a venue before taking its entries: it exists, its day is not
/// locked, and an entry's time falls within its campaign's day (in the campaign's zone).
#[derive(Debug, Clone)]
pub(crate) struct VenueDay {
    pub campaign_id: i32,
    pub name: String,
    pub locked: bool,
    pub start: DateTime<Utc>,
    pub end: DateTime<Utc>,
}

impl VenueDay {
    /// `Err` with the field message when `at` is outside the campaign day.
    pub(crate) fn check_time(&self, at: DateTime<Utc>) -> Result<(), String> {
        if at < self.start || at >= self.end {
            return Err("must be within the campaign day".into());
        }
        Ok(())
    }
}

/// The venues of `ids` that exist, with their campaign day, in one query.
pub(crate) async fn venue_days(
    db: &impl ConnectionTrait,
    ids: &[i32],
) -> Result<HashMap<i32, VenueDay>, StoreError> {
    #[derive(sea_orm::FromQueryResult)]
    struct Row {
        id: i32,
        name: String,
        day_status: String,
        campaign_id: i32,
        timezone: String,
        date: chrono::NaiveDate,
    }
    let mut out = HashMap::with_capacity(ids.len());
    if ids.is_empty() {
        return Ok(out);
    }
    let marks = vec!["?"; ids.len()].join(", ");
    let sql = format!(
        "SELECT v.id AS id, v.name AS name, v.day_status AS day_status, c.id AS campaign_id, \
         c.timezone AS timezone, c.date AS date \
         FROM venues v JOIN campaigns c ON c.id = v.campaign_id WHERE v.id IN ({marks})"
    );
    let values = ids.iter().map(|&i| i.into()).collect();
    use sea_orm::FromQueryResult;
    let rows = Row::find_by_statement(crate::rollup::statement(db.get_database_backend(), &sql, values))
        .all(db)
        .await?;
    for r in rows {
        let bad = |m: String| StoreError::Db(sea_orm::DbErr::Type(m));
        let zone = eventday_domain::time::parse_zone(&r.timezone).map_err(bad)?;
        let (start, end) = eventday_domain::time::day_bounds(r.date, zone).map_err(bad)?;
        let locked = r.day_status == eventday_domain::DayStatus::Accepted.as_str();
        out.insert(r.id, VenueDay { campaign_id: r.campaign_id, name: r.name, locked, start, end });
    }
    Ok(out)
}

type Answer = Result<(LogEntry, Outcome), StoreError>;

struct Job {
    item: Prepared,
    reply: oneshot::Sender<Answer>,
}

/// The handle on the writer task.
#[derive(Debug, Clone)]
pub(crate) struct LogWriter {
    jobs: mpsc::Sender<Job>,
}

impl std::fmt::Debug for Job {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("Job").field("id", &self.item.entry.id).finish()
    }
}

impl LogWriter {
    /// Starts the writer task on `store` (a handle without a writer of its own, so that the
    /// task ends when the last outside handle is dropped).
    ///
    /// The writer runs on a thread of its own (a single-threaded runtime): each of a batch's
    /// statements is a round trip (to SQLite's worker thread, or to PostgreSQL over its own
    /// pool's connections, which it opens and so drives on this runtime), and on the shared
    /// runtime the writer's wake-up after each one would queue behind the HTTP handlers' tasks,
    /// while every post waits for the writer. On SQLite its checkpointer runs on the calling
    /// runtime.
    pub(crate) fn start(store: Store) -> LogWriter {
        let (jobs, rx) = mpsc::channel(QUEUE);
        let wrote = (store.backend() == Backend::Sqlite).then(|| {
            let (wrote, checkpoints) = mpsc::channel(1);
            tokio::spawn(checkpointer(store.clone(), checkpoints));
            wrote
        });
        match tokio::runtime::Builder::new_current_thread().enable_all().build() {
            Ok(runtime) => {
                let spawned = std::thread::Builder::new()
                    .name("eventday-log-writer".into())
                    .spawn(move || runtime.block_on(run(store, rx, wrote)));
                if let Err(e) = spawned {
                    // The closure (and with it the queue's receiver) is gone: posts get "stopped".
                    tracing::error!(error = %e, "cannot start the log writer thread");
                }
            }
            Err(e) => {
                tracing::warn!(error = %e, "no runtime for the log writer thread; it shares the server's");
                tokio::spawn(run(store, rx, wrote));
            }
        }
        LogWriter { jobs }
    }

    /// Writes one submission with whatever else is being submitted; returns once it committed.
    pub(crate) async fn submit(&self, item: Prepared) -> Answer {
        let (reply, answer) = oneshot::channel();
        self.jobs.send(Job { item, reply }).await.map_err(|_| stopped())?;
        answer.await.map_err(|_| stopped())?
    }
}

fn stopped() -> StoreError {
    StoreError::Db(sea_orm::DbErr::Custom("the log writer stopped".into()))
}

/// SQLite: how often, at most, the checkpointer moves committed pages from the WAL into the
/// database file.
const CHECKPOINT_EVERY: std::time::Duration = std::time::Duration::from_millis(20);

/// SQLite: runs `PRAGMA wal_checkpoint(PASSIVE)` on a pool connection after the writer
/// committed, at most every [`CHECKPOINT_EVERY`], so that copying pages into the database file
/// (and its fsync) happens beside the writer instead of inside one of its commits every 1,000
/// pages, where every post queued behind that commit waited for it. PASSIVE never waits for
/// readers or the writer. The writer's connection keeps a far larger automatic checkpoint as the
/// backstop, and other connections keep SQLite's default. Ends with the writer.
async fn checkpointer(store: Store, mut wrote: mpsc::Receiver<()>) {
    while wrote.recv().await.is_some() {
        if let Err(e) = store.conn().execute_unprepared("PRAGMA wal_checkpoint(PASSIVE)").await {
            tracing::warn!(error = %e, "WAL checkpoint failed; the writer's automatic checkpoint remains");
        }
        tokio::time::sleep(CHECKPOINT_EVERY).await;
    }
}

async fn run(store: Store, mut rx: mpsc::Receiver<Job>, wrote: Option<mpsc::Sender<()>>) {
    let mut deferred: Vec<Job> = Vec::new();
    loop {
        let mut batch = std::mem::take(&mut deferred);
        if batch.is_empty() {
            match rx.recv().await {
                Some(job) => batch.push(job),
                None => return,
            }
        }
        while batch.len() < MAX_BATCH {
            match rx.try_recv() {
                Ok(job) => batch.push(job),
                Err(_) => break,
            }
        }
        let mut ids = HashSet::new();
        let (now, later): (Vec<Job>, Vec<Job>) = batch.into_iter().partition(|j| ids.insert(j.item.entry.id));
        deferred = later;
        commit(&store, now).await;
        if let Some(wrote) = &wrote {
            // Full means a checkpoint is already due.
            let _ = wrote.try_send(());
        }
    }
}

/// Writes a batch, falling back to one transaction per entry when the batch as a whole fails.
async fn commit(store: &Store, jobs: Vec<Job>) {
    let items: Vec<&Prepared> = jobs.iter().map(|j| &j.item).collect();
    match write(store, &items).await {
        Ok((answers, published)) => {
            for (job, answer) in jobs.into_iter().zip(answers) {
                let _ = job.reply.send(answer);
            }
            live::publish_local(store, &published);
        }
        Err(err) if jobs.len() == 1 => {
            if let Some(job) = jobs.into_iter().next() {
                let _ = job.reply.send(Err(err));
            }
        }
        Err(err) => {
            tracing::info!(error = %err, entries = jobs.len(), "batch failed; writing its entries one by one");
            for job in jobs {
                let answer = match write(store, &[&job.item]).await {
                    Ok((mut answers, published)) => {
                        live::publish_local(store, &published);
                        answers.pop().unwrap_or_else(|| Err(stopped()))
                    }
                    Err(e) => Err(e),
                };
                let _ = job.reply.send(answer);
            }
        }
    }
}

fn log_entry_of(p: &Prepared, campaign_id: i32, now: DateTime<Utc>) -> LogEntry {
    let e = &p.entry;
    LogEntry {
        id: e.id.to_string(),
        campaign_id,
        venue_id: p.venue_id,
        booth_id: e.booth_id.and_then(|b| i32::try_from(b).ok()),
        activity_id: e.activity_id.and_then(|a| i32::try_from(a).ok()),
        recorded_at: e.recorded_at,
        author_user_id: p.actor,
        author_name: e.author_name.clone(),
        visitors: e.figures.visitors,
        consultations: e.figures.consultations,
        complaints_received: e.figures.complaints_received,
        complaints_settled: e.figures.complaints_settled,
        money_recovered_fen: e.figures.money_recovered_fen,
        materials: e.materials.iter().filter_map(|(m, q)| Some((i32::try_from(*m).ok()?, *q))).collect(),
        note: e.note.clone(),
        created_at: now,
    }
}

/// One transaction for `items` (ids distinct). Returns each item's answer and the entries to
/// publish; an `Err` means the transaction rolled back and nothing was written.
async fn write(store: &Store, items: &[&Prepared]) -> Result<(Vec<Answer>, Vec<LiveEntry>), StoreError> {
    let now = live::truncate_micros(Utc::now());
    let tx = store.log_write_tx().await?;

    // A venue whose day an organizer accepted takes no new entries, nor does a venue deleted
    // since the post was checked, nor a time outside the campaign day; a retry of an entry
    // stored before still gets its answer (checked below, with the other already-stored ids).
    let venue_ids: Vec<i32> =
        items.iter().map(|p| p.venue_id).collect::<std::collections::BTreeSet<_>>().into_iter().collect();
    let days = venue_days(&tx, &venue_ids).await?;
    // Each entry's campaign, or why it is refused.
    let verdict = |p: &Prepared| -> Result<i32, StoreError> {
        match days.get(&p.venue_id) {
            None => Err(StoreError::NotFound { entity: "venue", id: p.venue_id.to_string() }),
            Some(d) if d.locked => {
                Err(StoreError::VenueLocked { venue_id: p.venue_id, name: d.name.clone() })
            }
            Some(d) => d.check_time(p.entry.recorded_at).map(|()| d.campaign_id).map_err(|m| {
                let mut f = eventday_domain::FieldErrors::new();
                f.insert("recorded_at".into(), m);
                StoreError::Invalid(eventday_domain::ValidationError { fields: f })
            }),
        }
    };
    let mut refused: HashMap<uuid::Uuid, StoreError> = HashMap::new();
    let mut open: Vec<(&Prepared, i32)> = Vec::with_capacity(items.len());
    for p in items.iter().copied() {
        match verdict(p) {
            Ok(campaign_id) => open.push((p, campaign_id)),
            Err(e) => {
                refused.insert(p.entry.id, e);
            }
        }
    }
    let campaign_of: HashMap<uuid::Uuid, i32> = open.iter().map(|(p, c)| (p.entry.id, *c)).collect();

    let mut insert = Query::insert();
    insert.into_table(Alias::new("log_entries")).columns(
        [
            "id",
            "campaign_id",
            "venue_id",
            "booth_id",
            "activity_id",
            "recorded_at",
            "author_user_id",
            "author_name",
            "visitors",
            "consultations",
            "complaints_received",
            "complaints_settled",
            "money_recovered_fen",
            "note",
            "content_hash",
            "created_at",
        ]
        .map(Alias::new),
    );
    for (p, campaign_id) in &open {
        let e = &p.entry;
        let row: Vec<Value> = vec![
            e.id.to_string().into(),
            (*campaign_id).into(),
            p.venue_id.into(),
            e.booth_id.and_then(|b| i32::try_from(b).ok()).into(),
            e.activity_id.and_then(|a| i32::try_from(a).ok()).into(),
            e.recorded_at.into(),
            p.actor.into(),
            e.author_name.clone().into(),
            e.figures.visitors.into(),
            e.figures.consultations.into(),
            e.figures.complaints_received.into(),
            e.figures.complaints_settled.into(),
            e.figures.money_recovered_fen.into(),
            e.note.clone().into(),
            e.content_hash().into(),
            now.into(),
        ];
        insert
            .values(row.into_iter().map(Into::into))
            .map_err(|e| StoreError::Db(sea_orm::DbErr::Custom(e.to_string())))?;
    }
    insert
        .on_conflict(OnConflict::column(Alias::new("id")).do_nothing().to_owned())
        .returning_col(Alias::new("id"));
    let claimed: HashSet<String> = if open.is_empty() {
        HashSet::new()
    } else {
        tx.query_all(&insert)
            .await?
            .into_iter()
            .map(|r| r.try_get::<String>("", "id"))
            .collect::<Result<_, _>>()?
    };

    // Ids that were already stored: a retry (same fingerprint) or a conflict.
    let others: Vec<&&Prepared> =
        items.iter().filter(|p| !claimed.contains(&p.entry.id.to_string())).collect();
    let mut stored: HashMap<String, log_entry::Model> = HashMap::new();
    if !others.is_empty() {
        let ids: Vec<String> = others.iter().map(|p| p.entry.id.to_string()).collect();
        use sea_orm::{ColumnTrait, QueryFilter};
        for row in log_entry::Entity::find().filter(log_entry::Column::Id.is_in(ids)).all(&tx).await? {
            stored.insert(row.id.clone(), row);
        }
    }

    let created: Vec<(&Prepared, i32)> =
        open.iter().copied().filter(|(p, _)| claimed.contains(&p.entry.id.to_string())).collect();
    let materials: Vec<log_entry_material::ActiveModel> = created
        .iter()
        .flat_map(|(p, _)| {
            p.entry.materials.iter().filter_map(|(m, q)| {
                Some(log_entry_material::ActiveModel {
                    log_entry_id: Set(p.entry.id.to_string()),
                    material_id: Set(i32::try_from(*m).ok()?),
                    quantity: Set(*q),
                })
            })
        })
        .collect();
    if !materials.is_empty() {
        log_entry_material::Entity::insert_many(materials).exec_without_returning(&tx).await?;
    }
    let mut audits = Vec::with_capacity(created.len());
    for &(p, campaign_id) in &created {
        let after = serde_json::to_string(&log_entry_of(p, campaign_id, now))
            .map_err(|e| StoreError::Db(sea_orm::DbErr::Json(e.to_string())))?;
        audits.push(audit_event::ActiveModel {
            id: NotSet,
            at: Set(now),
            user_id: Set(p.actor),
            action: Set("create".into()),
            entity: Set("log_entry".into()),
            entity_id: Set(p.entry.id.to_string()),
            before: Set(None),
            after: Set(Some(after)),
        });
    }
    if !audits.is_empty() {
        audit_event::Entity::insert_many(audits).exec_without_returning(&tx).await?;
    }
    let published: Vec<LiveEntry> =
        created.iter().map(|&(p, campaign_id)| LiveEntry::from_new(campaign_id, &p.entry, now)).collect();
    let notified = live::notify_in_tx(&tx, &published).await?;

    let mut answers = Vec::with_capacity(items.len());
    for p in items {
        let id = p.entry.id.to_string();
        if let Some(&campaign_id) = campaign_of.get(&p.entry.id).filter(|_| claimed.contains(&id)) {
            answers.push(Ok((log_entry_of(p, campaign_id, now), Outcome::Created)));
        } else {
            answers.push(match stored.remove(&id) {
                Some(row) if row.content_hash == p.entry.content_hash() => {
                    crate::log::load(&tx, row).await.map(|e| (e, Outcome::Existing))
                }
                Some(_) => Err(StoreError::Conflict(format!(
                    "log entry {id} already exists with different content; send a new id for a new entry"
                ))),
                None => Err(refused.remove(&p.entry.id).unwrap_or_else(|| {
                    StoreError::Conflict(format!("log entry {id} is being written; retry"))
                })),
            });
        }
    }
    tx.commit().await?;
    Ok((answers, if notified || store.backend() == Backend::Postgres { Vec::new() } else { published }))
}

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::entities::venue;
    use chrono::TimeZone;
    use eventday_domain::totals::Figures;
    use sea_orm::{ColumnTrait, QueryFilter};

    async fn demo_store() -> (Store, tempfile::TempDir, i32, i32) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("w.db").display());
        let store = Store::connect(&url).await.unwrap();
        store.migrate().await.unwrap();
        let file = crate::demo::parse(include_str!("../../../assets/demo/campaign-2013.json")).unwrap();
        let campaign = crate::demo::load(&store, &file).await.unwrap().campaign_id();
        // The demo day is over (its venues accepted, so locked); these tests log it again.
        store
            .conn()
            .execute_unprepared("UPDATE venues SET day_status = 'open', accepted_at = NULL")
            .await
            .unwrap();
        let v = venue::Entity::find().filter(venue::Column::CampaignId.eq(campaign)).one(store.conn()).await;
        (store, dir, campaign, v.unwrap().unwrap().id)
    }

    fn item(venue_id: i32, visitors: i64) -> Prepared {
        Prepared {
            entry: NewLogEntry {
                id: uuid::Uuid::new_v4(),
                venue_id: i64::from(venue_id),
                booth_id: None,
                activity_id: None,
                recorded_at: Utc.with_ymd_and_hms(2013, 3, 15, 3, 0, 0).unwrap(),
                author_name: "测试".into(),
                figures: Figures { visitors, ..Figures::default() },
                materials: Default::default(),
                note: String::new(),
            },
            venue_id,
            actor: None,
        }
    }

    /// Stored entries written by [`item`].
    async fn entries_of_these_tests(store: &Store) -> usize {
        log_entry::Entity::find()
            .filter(log_entry::Column::AuthorName.eq("测试"))
            .all(store.conn())
            .await
            .unwrap()
            .len()
    }

    fn job(item: Prepared) -> (Job, oneshot::Receiver<Answer>) {
        let (reply, rx) = oneshot::channel();
        (Job { item, reply }, rx)
    }

    #[tokio::test]
    async fn a_batch_that_breaks_a_constraint_is_retried_entry_by_entry_with_one_answer_each() {
        let (store, _dir, _, venue) = demo_store().await;
        let good = [item(venue, 1), item(venue, 2)];
        // Validated once, then its material "disappeared": the foreign key fails inside the batch.
        let mut bad = item(venue, 3);
        bad.entry.materials.insert(999_999, 1);
        let (jobs, answers): (Vec<Job>, Vec<_>) =
            [good[0].clone(), bad, good[1].clone()].into_iter().map(job).unzip();
        commit(&store, jobs).await;
        let mut results = Vec::new();
        for a in answers {
            results.push(a.await.unwrap());
        }
        assert!(matches!(results[0], Ok((_, Outcome::Created))), "{:?}", results[0]);
        assert!(
            matches!(results[1], Err(StoreError::Constraint { kind: crate::ConstraintKind::ForeignKey, .. })),
            "{:?}",
            results[1]
        );
        assert!(matches!(results[2], Ok((_, Outcome::Created))), "{:?}", results[2]);
        for g in &good {
            let stored =
                log_entry::Entity::find_by_id(g.entry.id.to_string()).one(store.conn()).await.unwrap();
            assert!(stored.is_some());
        }
    }

    #[tokio::test]
    async fn in_one_batch_a_time_outside_the_day_a_locked_or_a_deleted_venue_are_refused_alone() {
        let (store, _dir, campaign, venue) = demo_store().await;
        let other = venue::Entity::find()
            .filter(venue::Column::CampaignId.eq(campaign))
            .filter(venue::Column::Id.ne(venue))
            .one(store.conn())
            .await
            .unwrap()
            .unwrap()
            .id;
        store
            .conn()
            .execute_unprepared(&format!("UPDATE venues SET day_status = 'accepted' WHERE id = {other}"))
            .await
            .unwrap();
        let mut late = item(venue, 2);
        late.entry.recorded_at = Utc.with_ymd_and_hms(2013, 3, 15, 17, 0, 0).unwrap(); // the 16th in Shanghai
        let (jobs, answers): (Vec<Job>, Vec<_>) =
            // The last one's venue was deleted after its post was checked.
            [item(venue, 1), late, item(other, 3), item(venue, 4), item(999_999, 5)].into_iter().map(job).unzip();
        commit(&store, jobs).await;
        let mut results = Vec::new();
        for a in answers {
            results.push(a.await.unwrap());
        }
        assert!(matches!(results[0], Ok((_, Outcome::Created))), "{:?}", results[0]);
        match &results[1] {
            Err(StoreError::Invalid(v)) => assert!(v.fields.contains_key("recorded_at"), "{v:?}"),
            other => panic!("{other:?}"),
        }
        assert!(matches!(results[2], Err(StoreError::VenueLocked { venue_id, .. }) if venue_id == other));
        match &results[3] {
            Ok((e, Outcome::Created)) => assert_eq!(e.campaign_id, campaign),
            other => panic!("{other:?}"),
        }
        assert!(matches!(&results[4], Err(StoreError::NotFound { entity: "venue", .. })), "{:?}", results[4]);
        assert_eq!(entries_of_these_tests(&store).await, 2, "only the two good entries");
    }

    /// The database file itself, read past SQLite (the WAL not included).
    fn file_bytes(dir: &tempfile::TempDir) -> Vec<u8> {
        std::fs::read(dir.path().join("w.db")).unwrap()
    }

    #[tokio::test]
    async fn the_checkpointer_moves_committed_entries_into_the_database_file_while_the_store_stays_open() {
        let (store, dir, _, venue) = demo_store().await;
        // Start from an empty WAL: from here on, only a checkpoint changes the database file.
        store.conn().execute_unprepared("PRAGMA wal_checkpoint(TRUNCATE)").await.unwrap();
        let before = file_bytes(&dir);
        let mut tasks = Vec::new();
        for n in 0..40 {
            let store = store.clone();
            tasks.push(tokio::spawn(async move { store.log_writer().submit(item(venue, n)).await }));
        }
        for t in tasks {
            assert!(matches!(t.await.unwrap(), Ok((_, Outcome::Created))));
        }
        // 40 entries are far below the writer's own automatic checkpoint (10,000 pages) and the
        // store stays open, so the file changes only if the checkpointer ran.
        let deadline = std::time::Instant::now() + std::time::Duration::from_secs(10);
        while file_bytes(&dir) == before {
            assert!(std::time::Instant::now() < deadline, "no checkpoint within 10 s of the commits");
            tokio::time::sleep(std::time::Duration::from_millis(20)).await;
        }
        assert_eq!(entries_of_these_tests(&store).await, 40);
    }

    #[tokio::test(flavor = "multi_thread", worker_threads = 2)]
    async fn concurrent_copies_of_one_id_store_it_once_and_a_different_content_is_a_conflict() {
        let (store, _dir, _, venue) = demo_store().await;
        let first = item(venue, 5);
        let mut changed = first.clone();
        changed.entry.figures.visitors = 6;
        let mut tasks = Vec::new();
        for p in [first.clone(), first.clone(), first.clone(), changed] {
            let store = store.clone();
            tasks.push(tokio::spawn(async move { store.log_writer().submit(p).await }));
        }
        let mut created = 0;
        let mut existing = 0;
        let mut conflicts = 0;
        for t in tasks {
            match t.await.unwrap() {
                Ok((_, Outcome::Created)) => created += 1,
                Ok((_, Outcome::Existing)) => existing += 1,
                Err(StoreError::Conflict(_)) => conflicts += 1,
                other => panic!("{other:?}"),
            }
        }
        // The changed copy may arrive first: then it is stored and the three identical ones conflict.
        assert_eq!(created, 1);
        assert!((existing, conflicts) == (2, 1) || (existing, conflicts) == (0, 3), "{existing} {conflicts}");
        let n = log_entry::Entity::find()
            .filter(log_entry::Column::Id.eq(first.entry.id.to_string()))
            .all(store.conn())
            .await
            .unwrap()
            .len();
        assert_eq!(n, 1);
    }
}
