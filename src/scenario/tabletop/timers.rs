//! The tabletop's clocks: time since the start and time spent in each
//! phase, for the facilitator's panel and the report. Apart from the walk
//! because these only read the visits the walk records.

use std::time::Duration;

use super::Tabletop;
use crate::scenario::clock::between;
use crate::tree::Phase;

impl Tabletop<'_> {
    /// Time since the exercise started.
    pub fn elapsed(&self) -> Duration {
        between(self.started_at, self.clock.now())
    }

    /// Time spent in each phase so far, in the order first entered; the
    /// current phase's timer is still running.
    pub fn phase_times(&self) -> Vec<(Phase, Duration)> {
        let now = self.elapsed();
        let mut out: Vec<(Phase, Duration)> = Vec::new();
        for (i, (node, from)) in self.visits.iter().enumerate() {
            let until = self.visits.get(i + 1).map_or(now, |(_, t)| *t);
            let spent = until.saturating_sub(*from);
            match out.iter_mut().find(|(p, _)| *p == node.phase) {
                Some((_, total)) => *total += spent,
                None => out.push((node.phase, spent)),
            }
        }
        out
    }
}
