//! Subjects in the projection: a `subject_opened` event files the current
//! values of a user's or device's variables, and the lookup runs that used
//! them, under that subject, so the next one starts unset and nothing of
//! the first is lost.

use std::collections::{BTreeMap, BTreeSet};

use super::{IncidentState, Stamp, SubjectRecord, VariableState, VariableValue, Via};
use crate::store::event::EventKind;

impl IncidentState {
    /// Every variable's record: the current subject's, then those filed
    /// under earlier subjects (for readers that list every value set).
    pub fn every_variable(&self) -> impl Iterator<Item = (&String, &VariableState)> {
        self.variables.iter().chain(
            self.subjects
                .iter()
                .flat_map(|s| s.values.iter().map(|(n, v)| (n, v))),
        )
    }

    /// The subjects of `scope` filed so far, oldest first.
    pub fn subjects_of<'a>(&'a self, scope: &'a str) -> impl Iterator<Item = &'a SubjectRecord> {
        self.subjects.iter().filter(move |s| s.scope == scope)
    }

    /// Files the values of `variables` (and the runs that used them) under
    /// the subject they described, and leaves them unset. A value set at
    /// the node where the choice was made (a bind from "other affected
    /// users?") names the next subject: it stays, and the value it replaced
    /// is filed.
    pub(super) fn open_subject(&mut self, scope: &str, variables: &[String], stamp: Stamp) {
        let since = self.decided_since();
        let mut values = Vec::new();
        for name in variables {
            let Some(var) = self.variables.remove(name) else {
                continue;
            };
            let (before, after): (Vec<_>, Vec<_>) = var
                .history
                .into_iter()
                .chain(std::iter::once(var.current))
                .partition(|v| v.stamp.seq < since);
            if let Some(state) = state_of(before) {
                values.push((name.clone(), state));
            }
            match state_of(after) {
                Some(state) => {
                    self.values
                        .insert(name.clone(), state.current.value.clone());
                    self.variables.insert(name.clone(), state);
                }
                None => {
                    self.values.remove(name);
                }
            }
        }
        let filed: BTreeSet<u64> = self
            .subjects_of(scope)
            .flat_map(|s| s.lookups.iter().copied())
            .collect();
        let used_here = |used: &BTreeMap<String, String>| {
            values.iter().any(|(name, var): &(String, VariableState)| {
                used.get(name).is_some_and(|v| {
                    *v == var.current.value || var.history.iter().any(|h| h.value == *v)
                })
            })
        };
        let lookups = self
            .lookups
            .iter()
            .filter(|e| !filed.contains(&e.seq))
            .filter(|e| matches!(&e.kind, EventKind::LookupRun { variables, .. } if used_here(variables)))
            .map(|e| e.seq)
            .collect();
        let number = 1 + self.subjects_of(scope).count();
        self.subjects.push(SubjectRecord {
            scope: scope.to_string(),
            number,
            values,
            lookups,
            closed: stamp,
        });
    }

    /// The seq at which the walk entered the node whose choice (the newest
    /// step) opens the subject; with no such choice, every value is filed.
    fn decided_since(&self) -> u64 {
        let mut steps = self.path.iter().rev();
        let Some(Via::Choice { from, .. }) = steps.next().map(|s| &s.via) else {
            return u64::MAX;
        };
        steps.find(|s| &s.node == from).map_or(0, |s| s.stamp.seq)
    }
}

/// Values in the order set, as a variable's record (the newest current).
fn state_of(mut values: Vec<VariableValue>) -> Option<VariableState> {
    let current = values.pop()?;
    Some(VariableState {
        current,
        history: values,
    })
}

#[cfg(test)]
#[path = "subjects_tests.rs"]
mod tests;
