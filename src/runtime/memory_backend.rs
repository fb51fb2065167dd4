//! [`MemoryBackend`]: incidents kept in memory, a test hook. It is built
//! only for Cairn's own tests (`cfg(test)`, or the `test-hooks` feature
//! the integration tests turn on), never into the release binary.

use std::collections::BTreeMap;
use std::sync::{Arc, Mutex};

use chrono::{DateTime, TimeDelta, Utc};

use super::backend::{Backend, Opened};
use crate::app::{IncidentMeta, IncidentSummary, NewIncident, WriteError};
use crate::store::event::{Actor, Event, EventKind};
use crate::store::{IncidentState, Status};

/// Incidents kept in memory, for tests.
#[derive(Debug, Default)]
pub struct MemoryBackend {
    incidents: BTreeMap<String, (IncidentMeta, Vec<Event>)>,
    /// When set, every append fails with this message.
    pub fail_appends: Option<String>,
    /// When set, a fixed clock: incidents start here and each event is one
    /// minute after the previous, so tests see the same times every run.
    pub clock: Option<DateTime<Utc>>,
    /// When set, wins over `clock`: every event is stamped with the time it
    /// holds, which a test moves (exercises measure time between events).
    pub now: Option<Arc<Mutex<DateTime<Utc>>>>,
}

impl MemoryBackend {
    /// A backend whose times start at `start` and advance a minute per event.
    pub fn with_clock(start: DateTime<Utc>) -> Self {
        Self {
            clock: Some(start),
            ..Self::default()
        }
    }

    /// A backend that stamps events with `now`, as the test sets it.
    pub fn with_shared_clock(now: Arc<Mutex<DateTime<Utc>>>) -> Self {
        Self {
            now: Some(now),
            ..Self::default()
        }
    }

    pub fn events(&self, id: &str) -> Option<&[Event]> {
        self.incidents.get(id).map(|(_, e)| e.as_slice())
    }
}

impl Backend for MemoryBackend {
    fn list(&mut self) -> Result<Vec<IncidentSummary>, String> {
        let now = match (&self.now, self.clock) {
            (Some(now), _) => *now.lock().unwrap_or_else(|e| e.into_inner()),
            (None, Some(start)) => start,
            (None, None) => Utc::now(),
        };
        Ok(self
            .incidents
            .values()
            .rev()
            .map(|(meta, events)| {
                // Closed or reopened as the one projection reads the events.
                let state = IncidentState::from_events(events);
                IncidentSummary {
                    id: meta.id.clone(),
                    title: meta.title.clone(),
                    tree_id: meta.tree_id.clone(),
                    mode: meta.mode,
                    created_at: meta.created_at,
                    current_node: None,
                    closed: state.status() == Status::Closed,
                    pending_approvals: crate::app::approval::pending(&state, now),
                }
            })
            .collect())
    }

    fn create(&mut self, new: &NewIncident) -> Result<Opened, String> {
        let id = format!("INC-{:04}", self.incidents.len() + 1);
        let meta = IncidentMeta {
            id: id.clone(),
            title: new.title.clone(),
            tree_id: new.tree_id.clone(),
            mode: new.mode,
            language: new.language.clone(),
            created_at: self.clock.unwrap_or_else(Utc::now),
        };
        self.incidents
            .insert(id.clone(), (meta.clone(), Vec::new()));
        let kinds = new.initial_events();
        if !kinds.is_empty() {
            self.append(&id, None, kinds).map_err(|e| e.to_string())?;
        }
        self.load(&id)
    }

    fn load(&mut self, id: &str) -> Result<Opened, String> {
        let (meta, events) = self
            .incidents
            .get(id)
            .cloned()
            .ok_or_else(|| format!("no incident '{id}'"))?;
        Ok(Opened {
            meta,
            tree_source: None,
            events,
        })
    }

    fn append(
        &mut self,
        id: &str,
        based_on: Option<u64>,
        kinds: Vec<EventKind>,
    ) -> Result<Vec<Event>, WriteError> {
        if let Some(e) = &self.fail_appends {
            return Err(WriteError::Failed(e.clone()));
        }
        let (_, events) = self
            .incidents
            .get_mut(id)
            .ok_or_else(|| format!("no incident '{id}'"))?;
        if let (Some(seen), Some(last)) = (based_on, events.last())
            && seen != last.seq
        {
            return Err(WriteError::Stale {
                actor: last.actor.label(),
                at: last.at,
            });
        }
        let mut added = Vec::new();
        for kind in kinds {
            let seq = events.len() as u64 + 1;
            let at = match (&self.now, self.clock) {
                (Some(now), _) => *now.lock().unwrap_or_else(|e| e.into_inner()),
                (None, Some(start)) => start + TimeDelta::minutes(seq as i64),
                (None, None) => Utc::now(),
            };
            let event = Event {
                seq,
                at,
                actor: Actor {
                    user: "memory".into(),
                    host: "memory".into(),
                    ssh_client: None,
                },
                // Not a chain: a stand-in hash per event, so ids derived
                // from hashes (a proposal's) differ as the real store's do.
                hash: crate::store::chain::sha256_hex(format!("{id}\0{seq}\0{kind:?}").as_bytes()),
                kind,
                prev_hash: String::new(),
            };
            events.push(event.clone());
            added.push(event);
        }
        Ok(added)
    }

    fn events_after(&mut self, id: &str, seq: u64) -> Result<Vec<Event>, String> {
        let (_, events) = self
            .incidents
            .get(id)
            .ok_or_else(|| format!("no incident '{id}'"))?;
        Ok(events.iter().filter(|e| e.seq > seq).cloned().collect())
    }

    /// Nothing else writes to memory.
    fn changed(&mut self) -> bool {
        false
    }
}
