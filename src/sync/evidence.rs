//! Evidence a responder marked (a lookup run's result) as a Sentinel
//! bookmark in the workspace plus a relation from the incident to it. The
//! bookmark's id and the relation's name are one UUIDv5 of the mark's
//! event hash (`outbox::bookmark_id`), so pushing the mark again writes the
//! same two objects. The bookmark carries the run's exact query, its result
//! (cut to fit, the cut said), and the SHA-256 of the full result, which
//! the local record also holds: anyone can check the two agree.

use crate::lookup::sentinel::{Bookmark, IncidentName, Sentinel, SentinelError};
use crate::store::Event;
use crate::store::event::EventKind;
use crate::store::outbox::bookmark_id;
use crate::text::{Medium, visible};

/// Characters of a result kept in a bookmark's `queryResult`.
pub const RESULT_CHARS: usize = 10_000;

/// The bookmark for mark `mark` of the run `run` (its `lookup_run` event),
/// in the incident `genesis` names; None when `run` is not a lookup run.
pub fn bookmark(mark: &Event, run: &Event, genesis: &str) -> Option<Bookmark> {
    let EventKind::LookupRun {
        node,
        lookup,
        provider,
        query,
        finished_at,
        row_count,
        result_sha256,
        result,
        result_truncated,
        ..
    } = &run.kind
    else {
        return None;
    };
    let note = match &mark.kind {
        EventKind::EvidenceMarked { note, .. } => note.as_deref(),
        _ => None,
    };
    let hash = result_sha256.as_deref().unwrap_or("none");
    let cut_here = result
        .as_deref()
        .is_some_and(|r| r.chars().count() > RESULT_CHARS);
    let query_result = result
        .as_deref()
        .map(|r| r.chars().take(RESULT_CHARS).collect::<String>());
    let chain: String = genesis.chars().take(16).collect();
    let mut notes = format!(
        "Marked as evidence in Cairn by {} (chain {chain}, event {}). Lookup {} at step {} \
         ({provider}), {} rows. Evidence SHA-256 of the full result: {hash}.",
        mark.actor.label(),
        mark.seq,
        lookup,
        node,
        row_count.map_or("no".to_string(), |n| n.to_string()),
    );
    if cut_here || *result_truncated {
        notes.push_str(" The result here is cut; the hash is of the whole result.");
    }
    if let Some(note) = note {
        notes.push_str("\n\n");
        notes.push_str(note);
    }
    Some(Bookmark {
        display_name: visible(&format!("[cairn] {lookup} at {node}"), Medium::Cli).into_owned(),
        query: query.clone(),
        query_result,
        notes: visible(&notes, Medium::Cli).into_owned(),
        labels: vec![
            "cairn".into(),
            format!("sha256:{}", hash.chars().take(16).collect::<String>()),
        ],
        event_time: finished_at.to_rfc3339(),
    })
}

/// Writes the bookmark of `mark`, then relates the incident to it.
pub async fn push(
    sentinel: &Sentinel<'_>,
    incident: &IncidentName,
    mark: &Event,
    run: Option<&Event>,
    genesis: &str,
) -> Result<(), SentinelError> {
    let Some(b) = run.and_then(|run| bookmark(mark, run, genesis)) else {
        // The store refuses a mark of anything but a lookup run.
        return Err(SentinelError::Malformed(format!(
            "event {} marks no lookup run",
            mark.seq
        )));
    };
    let id = bookmark_id(&mark.hash);
    sentinel.put_bookmark(id, &b).await?;
    sentinel
        .put_relation(incident, id, &sentinel.bookmark_resource_id(id))
        .await
}
