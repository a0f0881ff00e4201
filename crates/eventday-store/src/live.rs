//! The live feed: new log entries and updated campaign totals, for Server-Sent Events.
//!
//! Delivery is a per-process [`tokio::sync::broadcast`] channel with a bounded buffer. On SQLite
//! (one process) the write path hands committed entries to it directly. On PostgreSQL every
//! instance listens on the channel `eventday_log`; writers send `NOTIFY` with the ids of the
//! entries they committed (inside the writing transaction, so it is delivered exactly when the
//! entries are visible), and each instance's listener reads those entries back and broadcasts
//! them locally. Nothing lives only in one process: an entry that reached any instance's
//! subscribers is in the database.
//!
//! Every event carries a cursor (`created_at` in microseconds and the entry id), and a
//! subscriber that falls more than the buffer behind is told so and dropped; it reconnects with
//! the last cursor it saw and the missed entries are read back from the database, so no memory
//! is ever held for a slow or vanished client.

use crate::error::StoreError;
use crate::sql::statement;
use crate::{Backend, Store};
use chrono::{DateTime, TimeZone, Utc};
use eventday_domain::log::NewLogEntry;
use eventday_domain::totals::Figures;
use sea_orm::{ConnectionTrait, DatabaseConnection, FromQueryResult, Value};
use serde::Serialize;
use std::collections::{BTreeSet, HashSet, VecDeque};
use std::fmt;
use std::sync::Arc;
use std::time::Duration;
use tokio::sync::{broadcast, oneshot};

/// The PostgreSQL notification channel.
pub const CHANNEL: &str = "eventday_log";
/// Default number of events a subscriber may fall behind before it is dropped.
pub const DEFAULT_BUFFER: usize = 1_024;
/// Entries read from the database per page when a subscriber resumes.
const RESUME_PAGE: u64 = 500;
/// Ids per `NOTIFY` (a payload must stay under PostgreSQL's 8,000 bytes).
const IDS_PER_NOTIFY: usize = 100;
/// Totals are sent at most this often per subscriber.
const TOTALS_EVERY: Duration = Duration::from_millis(500);

/// Where an event stands in the feed: `created_at` (µs since the epoch) and the entry id.
#[derive(Debug, Clone, PartialEq, Eq, PartialOrd, Ord, Hash)]
pub struct Cursor {
    /// `created_at` in microseconds.
    pub micros: i64,
    /// Entry id.
    pub id: String,
}

impl fmt::Display for Cursor {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(f, "{}_{}", self.micros, self.id)
    }
}

impl std::str::FromStr for Cursor {
    type Err = String;
    fn from_str(s: &str) -> Result<Self, Self::Err> {
        let (micros, id) = s.split_once('_').ok_or("expected MICROS_ID")?;
        let micros = micros.parse::<i64>().map_err(|_| "the time part is not a whole number")?;
        let id = uuid::Uuid::parse_str(id).map_err(|_| "the id part is not a UUID")?;
        Ok(Cursor { micros, id: id.to_string() })
    }
}

/// A committed log entry as the live feed shows it.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LiveEntry {
    /// Entry id (client-made UUID).
    pub id: String,
    /// Campaign.
    pub campaign_id: i32,
    /// Venue.
    pub venue_id: i32,
    /// When it happened.
    pub recorded_at: DateTime<Utc>,
    /// Author.
    pub author_name: String,
    /// Figures.
    pub figures: Figures,
    /// Note.
    pub note: String,
    /// When it was stored (the feed's order).
    pub created_at: DateTime<Utc>,
}

impl LiveEntry {
    /// The entry as the write path stored it (`created_at` is the value written to the row).
    #[must_use]
    pub fn from_new(campaign_id: i32, e: &NewLogEntry, created_at: DateTime<Utc>) -> Self {
        LiveEntry {
            id: e.id.to_string(),
            campaign_id,
            venue_id: i32::try_from(e.venue_id).unwrap_or_default(),
            recorded_at: e.recorded_at,
            author_name: e.author_name.clone(),
            figures: e.figures,
            note: e.note.clone(),
            created_at: truncate_micros(created_at),
        }
    }

    /// Its place in the feed.
    #[must_use]
    pub fn cursor(&self) -> Cursor {
        Cursor { micros: self.created_at.timestamp_micros(), id: self.id.clone() }
    }
}

/// Cuts a time to whole microseconds, the precision both databases store, so that a cursor made
/// from memory equals one read back.
#[must_use]
pub fn truncate_micros(t: DateTime<Utc>) -> DateTime<Utc> {
    Utc.timestamp_micros(t.timestamp_micros()).single().unwrap_or(t)
}

/// Running totals of one campaign, sent after new entries.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LiveTotals {
    /// Campaign.
    pub campaign_id: i32,
    /// Log entries so far.
    pub log_entries: i64,
    /// Summed figures.
    pub figures: Figures,
}

/// A campaign's submission (报送) just moved: submitted, accepted, returned or withdrawn.
#[derive(Debug, Clone, PartialEq, Eq, Serialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct LiveSubmission {
    /// Campaign.
    pub campaign_id: i32,
    /// Its organization (the district).
    pub organization_id: i32,
    /// The organization it is submitted to.
    pub parent_organization_id: i32,
    /// Its status now: submitted, accepted or returned.
    pub status: String,
}

/// The prefix of a submission's `NOTIFY` payload (entry payloads are UUIDs, never this).
const SUBMISSION_PREFIX: &str = "submission:";

impl LiveSubmission {
    fn payload(&self) -> String {
        format!(
            "{SUBMISSION_PREFIX}{}:{}:{}:{}",
            self.campaign_id, self.organization_id, self.parent_organization_id, self.status
        )
    }

    fn parse(payload: &str) -> Option<LiveSubmission> {
        let mut parts = payload.strip_prefix(SUBMISSION_PREFIX)?.split(':');
        let campaign_id = parts.next()?.parse().ok()?;
        let organization_id = parts.next()?.parse().ok()?;
        let parent_organization_id = parts.next()?.parse().ok()?;
        let status = parts.next()?.to_owned();
        Some(LiveSubmission { campaign_id, organization_id, parent_organization_id, status })
    }
}

/// What goes through a process's hub.
#[derive(Debug, Clone)]
enum HubEvent {
    Entry(Arc<LiveEntry>),
    Submission(Arc<LiveSubmission>),
}

/// What a subscriber receives.
#[derive(Debug, Clone)]
pub enum LiveMessage {
    /// A new log entry.
    Entry(Arc<LiveEntry>),
    /// A submission of a campaign in scope moved (not replayed on resume: a page that reconnects
    /// reads the state again).
    Submission(Arc<LiveSubmission>),
    /// Updated totals of the campaigns whose entries were just sent.
    Totals(Vec<LiveTotals>),
    /// The subscriber fell too far behind and is dropped; reconnect with the last cursor.
    Lagged,
}

/// Which entries a subscription wants.
#[derive(Debug, Clone)]
pub enum Scope {
    /// One campaign.
    Campaign(i32),
    /// The campaigns of an organization's subtree (as they were when the subscription began).
    Campaigns(Arc<HashSet<i32>>),
}

impl Scope {
    fn contains(&self, campaign_id: i32) -> bool {
        match self {
            Scope::Campaign(c) => *c == campaign_id,
            Scope::Campaigns(set) => set.contains(&campaign_id),
        }
    }
}

/// The per-process hub; created lazily by the store on first use.
pub(crate) struct LiveHub {
    sender: broadcast::Sender<HubEvent>,
    /// Dropped with the hub, which stops the PostgreSQL listener.
    _stop: Option<oneshot::Sender<()>>,
}

impl fmt::Debug for LiveHub {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("LiveHub").field("subscribers", &self.sender.receiver_count()).finish()
    }
}

fn listener_error(e: sea_orm::sqlx::Error) -> StoreError {
    StoreError::Db(sea_orm::DbErr::Conn(sea_orm::RuntimeErr::SqlxError(e.into())))
}

impl LiveHub {
    /// Starts the hub; on PostgreSQL, also the listener (LISTEN has taken effect on return, so
    /// nothing committed after this is missed).
    pub(crate) async fn start(store: &Store) -> Result<Arc<LiveHub>, StoreError> {
        let (sender, _) = broadcast::channel(store.live_buffer().max(1));
        if store.backend() != Backend::Postgres {
            return Ok(Arc::new(LiveHub { sender, _stop: None }));
        }
        let pool = store.conn().get_postgres_connection_pool().clone();
        let mut listener =
            sea_orm::sqlx::postgres::PgListener::connect_with(&pool).await.map_err(listener_error)?;
        listener.listen(CHANNEL).await.map_err(listener_error)?;
        let (stop, stopped) = oneshot::channel();
        // The listener holds the connection pool and a sender, not the store: the store holds
        // the hub, and the listener must end once the hub is gone (or the pool is closed).
        tokio::spawn(listen(store.conn().clone(), sender.clone(), listener, stopped));
        Ok(Arc::new(LiveHub { sender, _stop: Some(stop) }))
    }
}

/// Receives notifications until the hub is dropped or the pool closed, reading the notified
/// entries back and broadcasting them. The listener reconnects by itself when its connection
/// drops.
async fn listen(
    db: DatabaseConnection,
    sender: broadcast::Sender<HubEvent>,
    mut listener: sea_orm::sqlx::postgres::PgListener,
    mut stopped: oneshot::Receiver<()>,
) {
    loop {
        let next = tokio::select! {
            _ = &mut stopped => return,
            n = listener.recv() => n,
        };
        match next {
            Ok(n) => {
                if n.payload().starts_with(SUBMISSION_PREFIX) {
                    match LiveSubmission::parse(n.payload()) {
                        Some(s) => {
                            let _ = sender.send(HubEvent::Submission(Arc::new(s)));
                        }
                        None => {
                            tracing::warn!(payload = n.payload(), "live feed: unreadable submission notice")
                        }
                    }
                    continue;
                }
                let ids: Vec<String> = n.payload().split(',').map(str::to_owned).collect();
                match entries_by_id(&db, &ids).await {
                    Ok(entries) => {
                        for e in entries {
                            let _ = sender.send(HubEvent::Entry(Arc::new(e)));
                        }
                    }
                    Err(e) => tracing::warn!(error = %e, "live feed: cannot read notified entries"),
                }
            }
            Err(sea_orm::sqlx::Error::PoolClosed) => return,
            Err(e) => {
                tracing::warn!(error = %e, "live feed: listener failed; retrying");
                tokio::select! {
                    _ = &mut stopped => return,
                    () = tokio::time::sleep(Duration::from_secs(1)) => {}
                }
            }
        }
    }
}

/// Sends `NOTIFY` for committed-to-be entries inside the writing transaction `tx` (PostgreSQL
/// delivers it at commit, and never if the transaction rolls back). Returns `false` on SQLite,
/// where the caller publishes with [`publish_log_entries`] after commit instead.
///
/// # Errors
/// Database errors.
pub async fn notify_in_tx(tx: &impl ConnectionTrait, entries: &[LiveEntry]) -> Result<bool, StoreError> {
    let backend = tx.get_database_backend();
    if backend != sea_orm::DbBackend::Postgres {
        return Ok(false);
    }
    for chunk in entries.chunks(IDS_PER_NOTIFY) {
        let payload = chunk.iter().map(|e| e.id.as_str()).collect::<Vec<_>>().join(",");
        tx.execute_raw(statement(backend, "SELECT pg_notify(?, ?)", vec![CHANNEL.into(), payload.into()]))
            .await?;
    }
    Ok(true)
}

/// Publishes entries that were just committed: on SQLite straight to this process's
/// subscribers, on PostgreSQL by `NOTIFY` to every instance (this one included). The log write
/// path calls it after commit unless it already used [`notify_in_tx`].
///
/// # Errors
/// Database errors (PostgreSQL only); the entries themselves are stored either way.
pub async fn publish_log_entries(store: &Store, entries: &[LiveEntry]) -> Result<(), StoreError> {
    if entries.is_empty() {
        return Ok(());
    }
    match store.backend() {
        Backend::Postgres => {
            notify_in_tx(store.conn(), entries).await?;
        }
        Backend::Sqlite => publish_local(store, entries),
    }
    Ok(())
}

/// Hands entries to this process's subscribers (SQLite, after commit). Does nothing when
/// nobody ever subscribed.
pub fn publish_local(store: &Store, entries: &[LiveEntry]) {
    if let Some(hub) = store.live_hub_if_started() {
        for e in entries {
            let _ = hub.sender.send(HubEvent::Entry(Arc::new(e.clone())));
        }
    }
}

/// Announces a submission's move inside the writing transaction `tx` on PostgreSQL (delivered to
/// every instance at commit, never on rollback). Returns `false` on SQLite, where the caller
/// calls [`publish_submission_local`] after commit instead.
///
/// # Errors
/// Database errors.
pub async fn notify_submission_in_tx(
    tx: &impl ConnectionTrait,
    s: &LiveSubmission,
) -> Result<bool, StoreError> {
    let backend = tx.get_database_backend();
    if backend != sea_orm::DbBackend::Postgres {
        return Ok(false);
    }
    tx.execute_raw(statement(backend, "SELECT pg_notify(?, ?)", vec![CHANNEL.into(), s.payload().into()]))
        .await?;
    Ok(true)
}

/// Hands a submission's move to this process's subscribers (SQLite, after commit).
pub fn publish_submission_local(store: &Store, s: LiveSubmission) {
    if let Some(hub) = store.live_hub_if_started() {
        let _ = hub.sender.send(HubEvent::Submission(Arc::new(s)));
    }
}

#[derive(FromQueryResult)]
struct EntryRow {
    id: String,
    campaign_id: i32,
    venue_id: i32,
    recorded_at: DateTime<Utc>,
    author_name: String,
    visitors: i64,
    consultations: i64,
    complaints_received: i64,
    complaints_settled: i64,
    money_recovered_fen: i64,
    note: String,
    created_at: DateTime<Utc>,
}

impl From<EntryRow> for LiveEntry {
    fn from(r: EntryRow) -> Self {
        LiveEntry {
            id: r.id,
            campaign_id: r.campaign_id,
            venue_id: r.venue_id,
            recorded_at: r.recorded_at,
            author_name: r.author_name,
            figures: Figures {
                visitors: r.visitors,
                consultations: r.consultations,
                complaints_received: r.complaints_received,
                complaints_settled: r.complaints_settled,
                money_recovered_fen: r.money_recovered_fen,
            },
            note: r.note,
            created_at: r.created_at,
        }
    }
}

const ENTRY_COLUMNS: &str = "id, campaign_id, venue_id, recorded_at, author_name, visitors, consultations, \
     complaints_received, complaints_settled, money_recovered_fen, note, created_at";

async fn entries_by_id(db: &DatabaseConnection, ids: &[String]) -> Result<Vec<LiveEntry>, StoreError> {
    if ids.is_empty() {
        return Ok(Vec::new());
    }
    let marks = vec!["?"; ids.len()].join(", ");
    let values: Vec<Value> = ids.iter().map(|i| i.clone().into()).collect();
    let mut rows: Vec<LiveEntry> = EntryRow::find_by_statement(statement(
        db.get_database_backend(),
        &format!("SELECT {ENTRY_COLUMNS} FROM log_entries WHERE id IN ({marks})"),
        values,
    ))
    .all(db)
    .await?
    .into_iter()
    .map(LiveEntry::from)
    .collect();
    rows.sort_by_key(LiveEntry::cursor);
    Ok(rows)
}

/// Entries in `scope` after `after`, in feed order, at most `limit`.
async fn entries_after(
    store: &Store,
    scope: &Scope,
    after: &Cursor,
    limit: u64,
) -> Result<Vec<LiveEntry>, StoreError> {
    let db = store.conn();
    let at = Utc.timestamp_micros(after.micros).single().unwrap_or_default();
    let mut values: Vec<Value> = vec![at.into(), at.into(), after.id.clone().into()];
    let scope_sql = match scope {
        Scope::Campaign(c) => {
            values.push((*c).into());
            "campaign_id = ?".to_owned()
        }
        Scope::Campaigns(set) if set.is_empty() => "1 = 0".to_owned(),
        Scope::Campaigns(set) => {
            let ids: BTreeSet<i32> = set.iter().copied().collect();
            values.extend(ids.iter().map(|&c| Value::from(c)));
            format!("campaign_id IN ({})", vec!["?"; ids.len()].join(", "))
        }
    };
    values.push(i64::try_from(limit).unwrap_or(500).into());
    let rows = EntryRow::find_by_statement(statement(
        db.get_database_backend(),
        &format!(
            "SELECT {ENTRY_COLUMNS} FROM log_entries \
             WHERE (created_at > ? OR (created_at = ? AND id > ?)) AND {scope_sql} \
             ORDER BY created_at, id LIMIT ?"
        ),
        values,
    ))
    .all(db)
    .await?;
    Ok(rows.into_iter().map(LiveEntry::from).collect())
}

/// Checks that a campaign exists.
///
/// # Errors
/// [`StoreError::NotFound`] when it does not, database errors otherwise.
pub async fn ensure_campaign(store: &Store, campaign_id: i32) -> Result<(), StoreError> {
    use sea_orm::EntityTrait;
    crate::entities::campaign::Entity::find_by_id(campaign_id)
        .one(store.conn())
        .await?
        .map(|_| ())
        .ok_or(StoreError::NotFound { entity: "campaign", id: campaign_id.to_string() })
}

/// The running totals of one campaign.
///
/// # Errors
/// Database errors.
pub async fn campaign_totals(store: &Store, campaign_id: i32) -> Result<LiveTotals, StoreError> {
    let db = store.conn();
    let row = crate::rollup::SumRow::find_by_statement(statement(
        db.get_database_backend(),
        &format!(
            "SELECT CAST(COUNT(*) AS BIGINT) AS log_entries, {} FROM log_entries WHERE campaign_id = ? AND {}",
            crate::sums::saturating_sums(db.get_database_backend(), "", &crate::sums::FIGURE_COLUMNS),
            crate::sums::counted_sql(db.get_database_backend(), "")
        ),
        vec![campaign_id.into()],
    ))
    .one(db)
    .await?;
    // Closing tallies replace the log figures of their booth or venue.
    let closing = crate::closing::per_campaign(&crate::closing::adjustments(db, &[campaign_id]).await?);
    let adjustment = closing.get(&campaign_id).copied().unwrap_or_default();
    Ok(row.map_or(
        LiveTotals { campaign_id, log_entries: 0, figures: adjustment.apply(Figures::default()) },
        |r| LiveTotals { campaign_id, log_entries: r.log_entries, figures: adjustment.apply(r.figures()) },
    ))
}

/// One subscriber's view of the feed.
pub struct Subscription {
    store: Store,
    scope: Scope,
    rx: broadcast::Receiver<HubEvent>,
    /// Entries read back from the database after a resume, not sent yet.
    backlog: VecDeque<Arc<LiveEntry>>,
    /// More may be waiting in the database after `last`.
    catching_up: bool,
    /// Ids replayed from the database, so the same entries arriving live are not sent twice.
    /// (Not a cursor comparison: with several instances an entry may commit after one with a
    /// later `created_at`, and must still be delivered.)
    replayed: HashSet<String>,
    last: Option<Cursor>,
    dirty: BTreeSet<i32>,
    last_totals: tokio::time::Instant,
    ended: bool,
}

impl fmt::Debug for Subscription {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.debug_struct("Subscription").field("scope", &self.scope).field("last", &self.last).finish()
    }
}

/// Subscribes to entries in `scope`; with `after`, first replays from the database every entry
/// stored after that cursor.
///
/// # Errors
/// Database errors when the hub cannot start (PostgreSQL listener).
pub async fn subscribe(
    store: &Store,
    scope: Scope,
    after: Option<Cursor>,
) -> Result<Subscription, StoreError> {
    // Subscribe before reading the backlog so nothing committed in between is lost; duplicates
    // are skipped by cursor.
    let rx = store.live_hub().await?.sender.subscribe();
    Ok(Subscription {
        store: store.clone(),
        scope,
        rx,
        backlog: VecDeque::new(),
        catching_up: after.is_some(),
        replayed: HashSet::new(),
        last: after,
        dirty: BTreeSet::new(),
        last_totals: tokio::time::Instant::now(),
        ended: false,
    })
}

/// The campaigns of `organization_id` and all its descendants.
///
/// # Errors
/// [`StoreError::NotFound`] for an unknown organization, database errors otherwise.
pub async fn subtree_campaigns(store: &Store, organization_id: i32) -> Result<HashSet<i32>, StoreError> {
    crate::rollup::organization_name(store, organization_id).await?;
    #[derive(FromQueryResult)]
    struct Row {
        id: i32,
    }
    let db = store.conn();
    let rows = Row::find_by_statement(statement(
        db.get_database_backend(),
        &format!(
            "{} SELECT c.id AS id FROM campaigns c JOIN tree t ON c.organization_id = t.id",
            crate::org_tree::SUBTREE_CTE
        ),
        vec![organization_id.into()],
    ))
    .all(db)
    .await?;
    Ok(rows.into_iter().map(|r| r.id).collect())
}

impl Subscription {
    /// The cursor of the last entry handed out (or the resume cursor).
    #[must_use]
    pub fn last_cursor(&self) -> Option<&Cursor> {
        self.last.as_ref()
    }

    fn take(&mut self, e: Arc<LiveEntry>) -> LiveMessage {
        self.last = Some(e.cursor());
        self.dirty.insert(e.campaign_id);
        LiveMessage::Entry(e)
    }

    /// The next message; `None` after [`LiveMessage::Lagged`] or when the hub is gone.
    ///
    /// # Errors
    /// Database errors while catching up or computing totals.
    pub async fn next(&mut self) -> Result<Option<LiveMessage>, StoreError> {
        if self.ended {
            return Ok(None);
        }
        loop {
            if let Some(e) = self.backlog.pop_front() {
                return Ok(Some(self.take(e)));
            }
            if self.catching_up {
                if let Some(after) = self.last.clone() {
                    let page = entries_after(&self.store, &self.scope, &after, RESUME_PAGE).await?;
                    self.catching_up = page.len() as u64 == RESUME_PAGE;
                    self.replayed.extend(page.iter().map(|e| e.id.clone()));
                    self.backlog.extend(page.into_iter().map(Arc::new));
                } else {
                    self.catching_up = false;
                }
                continue;
            }
            // Totals once the burst is over, or at least every TOTALS_EVERY during a long one.
            if !self.dirty.is_empty() && (self.rx.is_empty() || self.last_totals.elapsed() >= TOTALS_EVERY) {
                let mut totals = Vec::with_capacity(self.dirty.len());
                for c in std::mem::take(&mut self.dirty) {
                    totals.push(campaign_totals(&self.store, c).await?);
                }
                self.last_totals = tokio::time::Instant::now();
                return Ok(Some(LiveMessage::Totals(totals)));
            }
            match self.rx.recv().await {
                Ok(HubEvent::Submission(s)) => {
                    if self.scope.contains(s.campaign_id) {
                        return Ok(Some(LiveMessage::Submission(s)));
                    }
                }
                Ok(HubEvent::Entry(e)) => {
                    if !self.scope.contains(e.campaign_id) {
                        continue;
                    }
                    if !self.replayed.is_empty() && self.replayed.contains(&e.id) {
                        continue; // already sent while catching up
                    }
                    return Ok(Some(self.take(e)));
                }
                Err(broadcast::error::RecvError::Lagged(_)) => {
                    self.ended = true;
                    return Ok(Some(LiveMessage::Lagged));
                }
                Err(broadcast::error::RecvError::Closed) => {
                    self.ended = true;
                    return Ok(None);
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn cursors_round_trip_and_order_by_time_then_id() {
        let a = Cursor { micros: 5, id: "00000000-0000-4000-8000-000000000001".into() };
        let b = Cursor { micros: 5, id: "00000000-0000-4000-8000-000000000002".into() };
        let c = Cursor { micros: 6, id: "00000000-0000-4000-8000-000000000000".into() };
        assert!(a < b && b < c);
        assert_eq!(a.to_string().parse::<Cursor>(), Ok(a.clone()));
        assert!("12".parse::<Cursor>().is_err());
        assert!("x_00000000-0000-4000-8000-000000000001".parse::<Cursor>().is_err());
        assert!("1_not-a-uuid".parse::<Cursor>().is_err());
    }

    #[test]
    fn a_submission_notice_round_trips_and_is_never_read_as_entry_ids() {
        let s = LiveSubmission {
            campaign_id: 7,
            organization_id: 3,
            parent_organization_id: 2,
            status: "returned".into(),
        };
        assert_eq!(LiveSubmission::parse(&s.payload()), Some(s));
        assert_eq!(LiveSubmission::parse("00000000-0000-4000-8000-000000000001"), None);
        assert_eq!(LiveSubmission::parse("submission:x:1:2:submitted"), None);
    }
}
