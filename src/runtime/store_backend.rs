//! The screen's backend on the SQLite incident store.

use std::collections::BTreeMap;

use crate::app::{IncidentMeta, IncidentSummary, NewIncident, WriteError};
use crate::store::event::{Event, EventKind};
use crate::store::{self, IncidentId, Status, Store};

use super::backend::{Backend, Opened};

pub struct StoreBackend {
    store: Store,
    /// Tree id to (version, source text) of the trees new incidents may use.
    sources: BTreeMap<String, (String, String)>,
    /// The store's `data_version` at the last check for other writers.
    data_version: Option<i64>,
}

impl StoreBackend {
    /// `sources`: (tree id, tree version, tree source) of installed trees.
    pub fn new(store: Store, sources: impl IntoIterator<Item = (String, String, String)>) -> Self {
        let sources = sources
            .into_iter()
            .map(|(id, version, text)| (id, (version, text)))
            .collect();
        Self {
            store,
            sources,
            data_version: None,
        }
    }
}

fn id(text: &str) -> Result<IncidentId, String> {
    IncidentId::parse(text).map_err(|e| e.to_string())
}

/// The error for the status line: a full disk or a read-only store is
/// said in a few words (the path would push the reason off an 80-column
/// line); anything else in full.
fn err(e: store::StoreError) -> String {
    match e.read_only_why() {
        Some(why) => why.to_string(),
        None => e.to_string(),
    }
}

impl Backend for StoreBackend {
    fn list(&mut self) -> Result<Vec<IncidentSummary>, String> {
        // Every incident: the home screen filters by status itself.
        let summaries = self.store.list(true).map_err(err)?;
        summaries
            .into_iter()
            .map(|s| {
                let incident = self.store.incident(&s.id).map_err(err)?;
                Ok(IncidentSummary {
                    id: s.id.to_string(),
                    title: s.title,
                    tree_id: s.tree_id,
                    mode: incident.mode,
                    created_at: incident.created_at,
                    current_node: s.current_node,
                    closed: s.status == Status::Closed,
                    pending_approvals: s.pending_approvals,
                })
            })
            .collect()
    }

    fn create(&mut self, new: &NewIncident) -> Result<Opened, String> {
        let (version, source) = self
            .sources
            .get(&new.tree_id)
            .cloned()
            .ok_or_else(|| format!("the tree '{}' is not installed", new.tree_id))?;
        let variables = new.initial_events();
        // The incident, its first values and an exercise's opening in one
        // transaction.
        let created = self
            .store
            .create_incident_with(
                store::NewIncident {
                    title: new.title.clone(),
                    tree_id: new.tree_id.clone(),
                    tree_version: version,
                    tree_source: source,
                    language: new.language.clone(),
                    mode: new.mode,
                },
                variables,
            )
            .map_err(err)?;
        self.load(created.as_str())
    }

    fn load(&mut self, text: &str) -> Result<Opened, String> {
        let id = id(text)?;
        let incident = self.store.incident(&id).map_err(err)?;
        // Commits from here on are what the watch reports.
        self.data_version = self.store.data_version().ok();
        let events = self.store.events(&id).map_err(err)?;
        Ok(Opened {
            meta: IncidentMeta {
                id: incident.id.to_string(),
                title: incident.title,
                tree_id: incident.tree_id,
                mode: incident.mode,
                language: incident.language,
                created_at: incident.created_at,
            },
            tree_source: Some(incident.tree_source),
            events,
        })
    }

    fn append(
        &mut self,
        text: &str,
        based_on: Option<u64>,
        kinds: Vec<EventKind>,
    ) -> Result<Vec<Event>, WriteError> {
        match self.store.append_batch(&id(text)?, based_on, kinds) {
            Ok(events) => Ok(events),
            Err(store::StoreError::Stale { actor, at, .. }) => Err(WriteError::Stale { actor, at }),
            Err(e) => Err(WriteError::Failed(err(e))),
        }
    }

    fn events_after(&mut self, text: &str, seq: u64) -> Result<Vec<Event>, String> {
        self.store.events_after(&id(text)?, seq).map_err(err)
    }

    fn read_only(&self) -> Option<store::ReadOnlyWhy> {
        self.store.read_only()
    }

    fn changed(&mut self) -> bool {
        // The first check only learns the version; a failed one says nothing.
        let Ok(version) = self.store.data_version() else {
            return false;
        };
        let changed = self.data_version.is_some_and(|v| v != version);
        self.data_version = Some(version);
        changed
    }

    fn take_unwitnessed(&mut self) -> Option<String> {
        self.store.take_unwitnessed()
    }
}
