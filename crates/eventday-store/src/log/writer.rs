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
//! per batch (a second copy waits for the next batch and then sees the stored row). The
//! transaction itself is [`super::batch`].

use super::batch::{Answer, Prepared, write};
use crate::error::StoreError;
use crate::live;
use crate::{Backend, Store};
use sea_orm::ConnectionTrait;
use std::collections::HashSet;
use tokio::sync::{mpsc, oneshot};

/// Submissions waiting for the writer before callers have to wait to enqueue.
const QUEUE: usize = 4_096;
/// Most entries in one transaction.
const MAX_BATCH: usize = 256;

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

pub(super) fn stopped() -> StoreError {
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
        // One job per id per batch; and a correction waits for the next batch when its target,
        // or another correction of that target, is in this one (so it finds them stored).
        let (now, later): (Vec<Job>, Vec<Job>) = batch.into_iter().partition(|j| {
            let target = j.item.correction.as_ref().map(|c| c.corrects);
            let free = ids.insert(j.item.entry.id) && target.is_none_or(|t| !ids.contains(&t));
            if free && let Some(t) = target {
                // Marks the target taken for later corrections of it; an entry with the target's
                // own id later in the batch waits too, which is harmless.
                ids.insert(t);
            }
            free
        });
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

#[cfg(test)]
mod tests {
    #![allow(clippy::unwrap_used, clippy::expect_used)]
    use super::*;
    use crate::entities::{log_entry, venue};
    use crate::log::Outcome;
    use chrono::{TimeZone, Utc};
    use eventday_domain::log::NewLogEntry;
    use eventday_domain::totals::Figures;
    use sea_orm::EntityTrait;
    use sea_orm::{ColumnTrait, QueryFilter};

    async fn demo_store() -> (Store, tempfile::TempDir, i32, i32) {
        let dir = tempfile::tempdir().unwrap();
        let url = format!("sqlite://{}?mode=rwc", dir.path().join("w.db").display());
        let store = Store::connect(&url).await.unwrap();
        store.migrate().await.unwrap();
        let file = crate::demo::parse(include_str!("../../../../assets/demo/campaign-2013.json")).unwrap();
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
            correction: None,
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
