//! Draining the outbox into the Sentinel incident: rows in order, at most
//! [`MAX_IN_FLIGHT`] writes at once, each a `PUT` under an id derived from
//! its event, so a retry after a lost answer, a crash, a second Cairn or a
//! re-sync replaces what is there instead of adding to it. A row is marked
//! sent only after Sentinel acknowledged its write.

use std::collections::BTreeMap;
use std::time::Duration;

use crate::lookup::sentinel::{IncidentName, Sentinel, SentinelError};
use crate::store::event::EventKind;
use crate::store::outbox::{Field, Item, Pending, comment_id};
use crate::store::{Event, IncidentId, Store, StoreError};

use super::comment::comment;
use super::evidence;
use super::fields::{self, Change};
use super::tasks::{self, TaskWrite};

/// Writes in flight at once. Sentinel asks for one incident's children to
/// be written sequentially (parallel writes can answer a spurious 409,
/// which is retried); four keeps a backlog moving without provoking that.
pub const MAX_IN_FLIGHT: usize = 4;

/// Rows read from the store per round trip.
const BATCH: usize = 64;

#[derive(Debug, thiserror::Error)]
pub enum SyncError {
    #[error("{0} is not attached to a Sentinel incident (`cairn attach {0} --sentinel REF`)")]
    NotAttached(String),
    #[error("{0}")]
    Store(#[from] StoreError),
    #[error("{0}")]
    Sentinel(#[from] SentinelError),
}

impl SyncError {
    /// True when waiting and draining again may succeed unchanged.
    pub fn is_transient(&self) -> bool {
        matches!(self, SyncError::Sentinel(e) if e.is_transient())
    }

    /// How long to wait before the `attempt`-th retry (from 1): what the
    /// service asked for, else doubling from 1 s up to a minute.
    pub fn wait(&self, attempt: u32) -> Duration {
        let asked = match self {
            SyncError::Sentinel(e) => e.retry_after(),
            _ => None,
        };
        asked.unwrap_or_else(|| Duration::from_secs(1 << attempt.saturating_sub(1).min(6)))
    }
}

/// How far an incident's push is.
#[derive(Debug, Clone, Copy, Default, PartialEq, Eq)]
pub struct Progress {
    /// Rows sent by this drain.
    pub sent: u64,
    /// Rows still pending.
    pub pending: u64,
}

/// The Sentinel incident `id` is attached to.
pub fn target(store: &Store, id: &IncidentId) -> Result<IncidentName, SyncError> {
    let target = store
        .outbox_state(id)?
        .target
        .ok_or_else(|| SyncError::NotAttached(id.to_string()))?;
    Ok(IncidentName::parse(&target)?)
}

/// Sends every pending row of `id`, oldest first, until none is left
/// (`Ok`) or a write fails (`Err`, the rows before it stay sent, the rest
/// pending). `progress` hears after each acknowledged window.
pub async fn drain(
    store: &mut Store,
    sentinel: &Sentinel<'_>,
    id: &IncidentId,
    progress: &mut dyn FnMut(Progress),
) -> Result<Progress, SyncError> {
    let incident = target(store, id)?;
    // Rows for events recorded before the outbox existed.
    store.outbox_reconcile(id)?;
    let meta = store.incident(id)?;
    let genesis = store.chain_genesis(id)?;
    let tree = crate::tree::load::parse(&meta.tree_id, &meta.tree_source).ok();
    let mut done = Progress {
        sent: 0,
        pending: store.outbox_state(id)?.pending,
    };
    let mut plan = None;
    loop {
        let rows = store.outbox_pending(id, BATCH)?;
        if rows.is_empty() {
            return Ok(done);
        }
        // Task writes depend on the whole walk: plan them from all events,
        // again only when rows reach beyond what was planned.
        let last = rows.last().map_or(0, |r| r.event.seq);
        let planned_to = plan.as_ref().map_or(0, |(to, _)| *to);
        if rows.iter().any(|r| r.item == Item::Task) && last > planned_to {
            let events = store.events(id)?;
            let to = events.last().map_or(0, |e| e.seq);
            plan = Some((to, tasks::plan(tree.as_ref(), &meta.language, &events)));
        }
        let no_tasks = Default::default();
        let writes = plan.as_ref().map_or(&no_tasks, |(_, p)| p);
        // The runs marked as evidence in these rows.
        let mut runs = BTreeMap::new();
        if rows.iter().any(|r| r.item == Item::Bookmark) {
            for e in store.events(id)? {
                if matches!(e.kind, EventKind::LookupRun { .. }) {
                    runs.insert(e.seq, e);
                }
            }
        }
        let ctx = Context {
            incident: &incident,
            writes,
            runs: &runs,
            genesis: &genesis,
        };
        let mut start = 0;
        while start < rows.len() {
            let window = window(&rows[start..]);
            let results = send_window(sentinel, &ctx, window).await;
            let sent: Vec<i64> = window
                .iter()
                .zip(&results)
                .filter(|(_, r)| r.is_ok())
                .map(|(row, _)| row.row)
                .collect();
            store.outbox_mark_sent(&sent)?;
            done.sent += sent.len() as u64;
            done.pending -= (sent.len() as u64).min(done.pending);
            progress(done);
            if let Some((row, Err(e))) = window.iter().zip(results).find(|(_, r)| r.is_err()) {
                store.outbox_note_failure(row.row, &e.to_string())?;
                return Err(e.into());
            }
            start += window.len();
        }
    }
}

/// The next rows to send together: up to [`MAX_IN_FLIGHT`], and at most
/// one serial row (task writes of one node must land New before Completed;
/// the incident's fields are read and written one change at a time).
fn window(rows: &[Pending]) -> &[Pending] {
    let mut serial = 0;
    let len = rows
        .iter()
        .take(MAX_IN_FLIGHT)
        .take_while(|r| {
            serial += usize::from(r.item.is_serial());
            serial <= 1
        })
        .count();
    &rows[..len.max(1)]
}

/// What a send needs beyond its row.
struct Context<'a> {
    incident: &'a IncidentName,
    /// Task writes by event seq.
    writes: &'a BTreeMap<u64, Vec<TaskWrite>>,
    /// Lookup runs by seq (those marked as evidence in the rows sent).
    runs: &'a BTreeMap<u64, Event>,
    genesis: &'a str,
}

/// Sends the rows of one window at once (never more than [`MAX_IN_FLIGHT`]).
async fn send_window(
    sentinel: &Sentinel<'_>,
    ctx: &Context<'_>,
    window: &[Pending],
) -> Vec<Result<(), SentinelError>> {
    let one = |i: usize| async move {
        match window.get(i) {
            Some(row) => Some(send(sentinel, ctx, row).await),
            None => None,
        }
    };
    const _: () = assert!(MAX_IN_FLIGHT == 4, "send_window joins four sends");
    let (a, b, c, d) = tokio::join!(one(0), one(1), one(2), one(3));
    [a, b, c, d].into_iter().flatten().collect()
}

async fn send(
    sentinel: &Sentinel<'_>,
    ctx: &Context<'_>,
    row: &Pending,
) -> Result<(), SentinelError> {
    let (incident, writes, genesis) = (ctx.incident, ctx.writes, ctx.genesis);
    match row.item {
        Item::Comment => {
            let id = comment_id(&row.event.hash);
            sentinel
                .put_comment(incident, id, &comment(&row.event, genesis))
                .await?;
        }
        Item::Task => {
            for w in writes.get(&row.event.seq).into_iter().flatten() {
                sentinel
                    .put_task(incident, w.id, &w.title, &w.description, w.status)
                    .await?;
            }
        }
        Item::Bookmark => {
            let run = match &row.event.kind {
                EventKind::EvidenceMarked { lookup_seq, .. } => ctx.runs.get(lookup_seq),
                _ => None,
            };
            evidence::push(sentinel, incident, &row.event, run, genesis).await?;
        }
        Item::Field(field) => {
            let me = match field {
                Field::Claim => sentinel.me().await,
                _ => None,
            };
            if let Some(change) = Change::of(field, &row.event.kind, me.as_ref()) {
                fields::apply(sentinel, incident, &change).await?;
            }
        }
    }
    Ok(())
}
