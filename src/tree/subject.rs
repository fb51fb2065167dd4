//! Subjects: the affected users and devices a walk goes round for. A
//! variable may belong to a subject's scope; a choice may open the next
//! subject of a scope, which files the current values of that scope's
//! variables under the subject just finished and leaves them unset, so a
//! second user's values never overwrite the first's.

use super::model::{Choice, Tree};

/// What a scoped variable describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// An affected user account.
    User,
    /// A device under investigation. A new user brings new devices, so
    /// opening a user also closes the device scope.
    Device,
}

impl Scope {
    pub const ALL: [Scope; 2] = [Scope::User, Scope::Device];

    pub fn name(self) -> &'static str {
        match self {
            Scope::User => "user",
            Scope::Device => "device",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The scopes whose variables a new subject of `self` leaves unset.
    fn closes(self, var: Scope) -> bool {
        match self {
            Scope::User => true,
            Scope::Device => var == Scope::Device,
        }
    }
}

impl Tree {
    /// The variables `choice` files away (in declaration order), when it
    /// opens a new subject.
    pub fn closed_by(&self, choice: &Choice) -> Option<(Scope, Vec<String>)> {
        let scope = choice.opens?;
        let names = self
            .variables
            .iter()
            .filter(|v| v.scope.is_some_and(|s| scope.closes(s)))
            .map(|v| v.name.value.clone())
            .collect();
        Some((scope, names))
    }
}
