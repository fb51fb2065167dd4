//! Reading the team's side: the comments others wrote in the attached
//! Sentinel incident (teammates' Cairn, the portal) are fetched and kept
//! apart from the hash chain (`store::remote`); this incident's own pushed
//! comments are recognised by id and left out.

use crate::lookup::sentinel::Sentinel;
use crate::store::remote::RemoteTask;
use crate::store::{IncidentId, Store};

use super::drain::SyncError;

/// Fetches the incident's comments (keeping those by others) and its
/// `[cairn]` tasks (so a teammate completing or reopening one is seen);
/// returns how many were new or changed.
pub async fn pull(
    store: &mut Store,
    sentinel: &Sentinel<'_>,
    id: &IncidentId,
) -> Result<u64, SyncError> {
    let incident = super::drain::target(store, id)?;
    let comments = sentinel.comments(&incident).await?;
    let mut changed = store.keep_remote(id, &comments)?;
    // A teammate's approval of one of this incident's proposals becomes
    // an event here, naming the comment it came from.
    super::approvals::record_pulled(store, id)?;
    let tasks = sentinel.cairn_tasks(&incident).await?;
    changed += store.keep_remote_tasks(id, &tasks)?;
    Ok(changed)
}

/// A walked node's task as someone else left it: its status in Sentinel
/// differs from the one this incident's walk last gave it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TaskChange {
    pub task: RemoteTask,
    /// What this walk last wrote (`New` or `Completed`).
    pub ours: &'static str,
}

/// The incident's tasks that others completed or reopened, from the tasks
/// kept by the last pull and the walk's own plan.
pub fn task_changes(store: &Store, id: &IncidentId) -> Result<Vec<TaskChange>, SyncError> {
    // Until this walk's own task writes have landed, a difference is ours.
    let pending = store.outbox_pending(id, usize::MAX >> 1)?;
    if pending
        .iter()
        .any(|p| p.item == crate::store::outbox::Item::Task)
    {
        return Ok(Vec::new());
    }
    let meta = store.incident(id)?;
    let events = store.events(id)?;
    let tree = crate::tree::load::parse(&meta.tree_id, &meta.tree_source).ok();
    let mut ours = std::collections::BTreeMap::new();
    for w in super::tasks::plan(tree.as_ref(), &meta.language, &events)
        .into_values()
        .flatten()
    {
        ours.insert(w.id.hyphenated().to_string(), w.status.as_str());
    }
    Ok(store
        .remote_tasks(id)?
        .into_iter()
        .filter_map(|task| {
            let ours = *ours.get(&task.id)?;
            (task.status != ours).then_some(TaskChange { task, ours })
        })
        .collect())
}
