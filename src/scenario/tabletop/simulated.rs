//! Actions in a tabletop: the team rehearses them, typed confirmation
//! included, but nothing is ever sent; intents and outcomes are recorded as
//! simulated. Apart from the walk because this is the one place a tabletop
//! touches actions, and keeping it alone makes "never sent" easy to check.

use super::{Tabletop, TabletopError};
use crate::store::event::{ActionStatus, EventKind};

impl Tabletop<'_> {
    /// Records that the team would run an action. Nothing is ever sent: the
    /// intent is recorded as simulated; a destructive action still needs the
    /// typed confirmation, so the team rehearses it.
    pub fn simulate_action(
        &self,
        action: &str,
        confirmation: &str,
    ) -> Result<EventKind, TabletopError> {
        let node = self.current;
        let a = node
            .actions
            .iter()
            .find(|a| a.id.value == action)
            .ok_or_else(|| TabletopError::UnknownAction {
                node: node.id.value.clone(),
                action: action.to_string(),
            })?;
        if a.destructive {
            let expected = a
                .confirm
                .as_ref()
                .and_then(|var| {
                    self.scenario
                        .variables
                        .iter()
                        .find(|v| v.name.value == var.value)
                })
                .map_or_else(|| a.id.value.clone(), |v| v.value.clone());
            if confirmation.trim() != expected {
                return Err(TabletopError::ConfirmationMismatch { expected });
            }
        }
        let mut path = a.path.value.clone();
        for v in &self.scenario.variables {
            path = path.replace(&format!("{{{{{}}}}}", v.name.value), &v.value);
        }
        Ok(EventKind::ActionIntended {
            node: node.id.value.clone(),
            action: a.id.value.clone(),
            method: a.method.name().to_string(),
            path,
            body: a.body.clone(),
            confirmation: confirmation.trim().to_string(),
            simulated: true,
            approval: None,
        })
    }

    /// The outcome of a simulated action, once its intent has a sequence
    /// number in the store.
    pub fn simulated_outcome(intent_seq: u64) -> EventKind {
        EventKind::ActionOutcome {
            intent: intent_seq,
            status: ActionStatus::Simulated,
            http_status: None,
            detail: Some("simulated: nothing was sent in a tabletop".to_string()),
        }
    }
}
