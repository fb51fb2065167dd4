//! The inject queue of an exercise: what has been released, what is due,
//! and which recordings the released injects have swapped in.

use std::time::Duration;

use super::clock::between;
use super::model::{Inject, Scenario, Trigger};
use crate::store::IncidentState;
use crate::store::event::{EventKind, InjectCause};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Released {
    pub inject: String,
    /// Time since the exercise started.
    pub at: Duration,
    pub cause: InjectCause,
}

/// The scenario's injects in file order, each released at most once.
#[derive(Debug, Clone)]
pub struct InjectQueue<'a> {
    scenario: &'a Scenario,
    released: Vec<Released>,
}

impl<'a> InjectQueue<'a> {
    pub fn new(scenario: &'a Scenario) -> Self {
        Self {
            scenario,
            released: Vec::new(),
        }
    }

    /// The queue with every release the incident recorded marked, timed
    /// from the exercise's start.
    pub fn recorded(scenario: &'a Scenario, state: &IncidentState) -> Self {
        let mut queue = Self::new(scenario);
        let start = state.started_at().unwrap_or_default();
        for r in &state.injects {
            queue.mark(&r.inject, between(start, r.stamp.at), r.cause);
        }
        queue
    }

    pub fn released(&self) -> &[Released] {
        &self.released
    }

    pub fn is_released(&self, id: &str) -> bool {
        self.released.iter().any(|r| r.inject == id)
    }

    /// Injects not yet released, in queue (file) order.
    pub fn pending(&self) -> impl Iterator<Item = &'a Inject> + '_ {
        self.scenario
            .injects
            .iter()
            .filter(|i| !self.is_released(&i.id))
    }

    /// The next time-triggered inject and how long until it is due.
    pub fn next_timed(&self, elapsed: Duration) -> Option<(&'a Inject, Duration)> {
        self.pending()
            .filter_map(|i| match &i.trigger {
                Trigger::After(d) => Some((i, d.value.saturating_sub(elapsed))),
                Trigger::OnNode(_) => None,
            })
            .min_by_key(|(_, wait)| *wait)
    }

    /// Records `inject` as released and returns the event to store.
    pub fn mark(&mut self, id: &str, at: Duration, cause: InjectCause) -> Option<EventKind> {
        if self.is_released(id) || self.scenario.inject(id).is_none() {
            return None;
        }
        self.released.push(Released {
            inject: id.to_string(),
            at,
            cause,
        });
        Some(EventKind::InjectReleased {
            inject: id.to_string(),
            cause,
        })
    }

    /// Releases every time-triggered inject due at `elapsed`, earliest first.
    pub fn release_due(&mut self, elapsed: Duration) -> Vec<(&'a Inject, EventKind)> {
        let mut due: Vec<(&'a Inject, Duration)> = self
            .pending()
            .filter_map(|i| match &i.trigger {
                Trigger::After(d) if d.value <= elapsed => Some((i, d.value)),
                _ => None,
            })
            .collect();
        due.sort_by_key(|(_, d)| *d);
        due.into_iter()
            .filter_map(|(i, _)| self.mark(&i.id, elapsed, InjectCause::Time).map(|e| (i, e)))
            .collect()
    }

    /// Releases the injects waiting for `node`.
    pub fn release_on_node(
        &mut self,
        node: &str,
        elapsed: Duration,
    ) -> Vec<(&'a Inject, EventKind)> {
        let waiting: Vec<&'a Inject> = self
            .pending()
            .filter(|i| matches!(&i.trigger, Trigger::OnNode(n) if n.value == node))
            .collect();
        waiting
            .into_iter()
            .filter_map(|i| self.mark(&i.id, elapsed, InjectCause::Node).map(|e| (i, e)))
            .collect()
    }

    /// The facilitator's "release next": the first pending inject, whatever
    /// its trigger.
    pub fn release_next(&mut self, elapsed: Duration) -> Option<(&'a Inject, EventKind)> {
        let next = self.pending().next()?;
        self.mark(&next.id, elapsed, InjectCause::Manual)
            .map(|e| (next, e))
    }

    /// The recording file that answers `lookup` now: the latest released
    /// inject that replaces it, else `None` (the default `<lookup>.json`).
    pub fn recording_for(&self, lookup: &str) -> Option<&'a str> {
        self.released
            .iter()
            .rev()
            .filter_map(|r| self.scenario.inject(&r.inject))
            .filter_map(|i| i.replace_recording.as_ref())
            .find(|o| o.lookup.value == lookup)
            .map(|o| o.file.as_str())
    }
}
