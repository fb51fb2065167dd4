//! Linking an existing Cairn incident to a Sentinel incident already read
//! (`attach::fetch`): the one path `cairn attach` and the home screen share.
//! Practice never links; an exercise links only to an incident labelled
//! for exercises; a second link to another incident is refused.

use crate::store::event::Mode;
use crate::store::{IncidentId, IncidentState, Store, StoreError};
use crate::text::{Medium, visible};

use super::attach::{Attachment, EXERCISE_LABEL};

#[derive(Debug, thiserror::Error)]
pub enum LinkError {
    #[error("{0} is a practice incident; practice never leaves this machine")]
    Practice(String),
    #[error("{id} is already attached to Sentinel incident {other}")]
    OtherIncident { id: String, other: String },
    #[error(
        "{id} is an exercise: it may only be attached to a Sentinel incident labelled \
         '{EXERCISE_LABEL}' (a training incident), and {name} is not"
    )]
    NotForExercises { id: String, name: String },
    #[error("the incident's stored tree does not load:\n{0}")]
    Tree(String),
    #[error("{0}")]
    Store(#[from] StoreError),
}

/// What linking did.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Linked {
    /// The Sentinel incident's ARM name.
    pub name: String,
    /// Values taken from its entities (0 when it was linked already).
    pub values: usize,
    /// What of its entities was not used.
    pub notes: Vec<String>,
    /// True when the incident was linked to it before: nothing recorded.
    pub already: bool,
}

/// Records the link and the entity values of `attachment` in incident `id`.
pub fn link(
    store: &mut Store,
    id: &IncidentId,
    attachment: &Attachment,
) -> Result<Linked, LinkError> {
    let incident = store.incident(id)?;
    let name = attachment.incident.name.to_string();
    let shown = |s: &str| visible(s, Medium::Cli).into_owned();
    match incident.mode {
        Mode::Practice => return Err(LinkError::Practice(id.to_string())),
        Mode::Tabletop | Mode::Training if !attachment.is_for_exercises() => {
            return Err(LinkError::NotForExercises {
                id: id.to_string(),
                name: shown(&name),
            });
        }
        _ => {}
    }
    let events = store.events(id)?;
    let state = IncidentState::from_events(&events);
    match &state.sentinel {
        Some(existing) if !existing.eq_ignore_ascii_case(&name) => {
            return Err(LinkError::OtherIncident {
                id: id.to_string(),
                other: shown(existing),
            });
        }
        Some(_) => {
            return Ok(Linked {
                name,
                values: 0,
                notes: Vec::new(),
                already: true,
            });
        }
        None => {}
    }
    let tree = crate::tree::load::parse(&incident.tree_id, &incident.tree_source)
        .map_err(|d| LinkError::Tree(d.to_string()))?;
    let plan = attachment.plan(&tree, &|name| state.variables.contains_key(name));
    let values = plan.events.len().saturating_sub(1);
    // The link goes first: should a later append fail, the incident is
    // attached and linking again says so rather than linking twice.
    for kind in plan.events {
        store.append(id, kind)?;
    }
    Ok(Linked {
        name,
        values,
        notes: plan.notes,
        already: false,
    })
}
