//! The one place a choice becomes the events that record it, so the walk,
//! training and tabletop record a choice that opens the next affected user
//! or device the same way.

use super::event::EventKind;
use crate::tree::model::{Choice, Tree};

/// The `subject_opened` event a choice adds after its `choice_made`, if it
/// opens the next subject of a scope.
pub fn opened_by(tree: &Tree, choice: &Choice) -> Option<EventKind> {
    let (scope, variables) = tree.closed_by(choice)?;
    Some(EventKind::SubjectOpened {
        scope: scope.name().to_string(),
        variables,
    })
}
