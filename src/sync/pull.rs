//! Reading the team's side: the comments others wrote in the attached
//! Sentinel incident (teammates' Cairn, the portal) are fetched and kept
//! apart from the hash chain (`store::remote`); this incident's own pushed
//! comments are recognised by id and left out.

use crate::lookup::sentinel::Sentinel;
use crate::store::{IncidentId, Store};

use super::drain::SyncError;

/// Fetches the incident's comments and keeps those by others; returns how
/// many were new or changed.
pub async fn pull(
    store: &mut Store,
    sentinel: &Sentinel<'_>,
    id: &IncidentId,
) -> Result<u64, SyncError> {
    let incident = super::drain::target(store, id)?;
    let comments = sentinel.comments(&incident).await?;
    let changed = store.keep_remote(id, &comments)?;
    // A teammate's approval of one of this incident's proposals becomes
    // an event here, naming the comment it came from.
    super::approvals::record_pulled(store, id)?;
    Ok(changed)
}
