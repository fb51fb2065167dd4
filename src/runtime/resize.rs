//! Resize coalescing.
//!
//! A window being dragged, or tmux re-attaching, produces bursts of
//! hundreds of resize events; redrawing the full screen for each one sent
//! megabytes over SSH in a probe. Two tools, used together by the loop:
//! [`coalesce_resizes`] keeps only the last resize of a batch of pending
//! events, and [`ResizeDebounce`] holds the redraw back until resizes have
//! paused, since a dragged window sends them a few milliseconds apart.

use std::io;
use std::time::{Duration, Instant};

use ratatui::crossterm::event::{self, Event};

/// Keeps the last `Resize` of `events` (in its place) and drops the
/// earlier ones; every other event is kept in order.
pub fn coalesce_resizes(events: Vec<Event>) -> Vec<Event> {
    let last = events.iter().rposition(|e| matches!(e, Event::Resize(..)));
    events
        .into_iter()
        .enumerate()
        .filter(|(i, e)| !matches!(e, Event::Resize(..)) || Some(*i) == last)
        .map(|(_, e)| e)
        .collect()
}

/// After `first` arrived, reads every event already waiting (at most
/// `max`, so a flood cannot starve drawing) and coalesces resizes.
pub fn drain_pending(first: Event, max: usize) -> io::Result<Vec<Event>> {
    let mut batch = vec![first];
    while batch.len() < max && event::poll(Duration::ZERO)? {
        batch.push(event::read()?);
    }
    Ok(coalesce_resizes(batch))
}

/// When to redraw after resizes: once none has come for `quiet`, but no
/// later than `max_wait` after the first of a burst, so a long drag still
/// shows progress.
///
/// The loop calls [`ResizeDebounce::resized`] on every resize instead of
/// drawing, waits until [`ResizeDebounce::deadline`] (e.g. with
/// `tokio::time::sleep_until`), and draws when [`ResizeDebounce::take`]
/// says so.
#[derive(Debug, Clone)]
pub struct ResizeDebounce {
    quiet: Duration,
    max_wait: Duration,
    first: Option<Instant>,
    last: Option<Instant>,
}

impl Default for ResizeDebounce {
    fn default() -> Self {
        Self::new(Duration::from_millis(40), Duration::from_millis(250))
    }
}

impl ResizeDebounce {
    pub fn new(quiet: Duration, max_wait: Duration) -> Self {
        Self {
            quiet,
            max_wait,
            first: None,
            last: None,
        }
    }

    /// Records a resize seen at `now`.
    pub fn resized(&mut self, now: Instant) {
        self.first.get_or_insert(now);
        self.last = Some(now);
    }

    /// When a pending redraw becomes due; `None` when nothing is pending.
    pub fn deadline(&self) -> Option<Instant> {
        let (first, last) = (self.first?, self.last?);
        Some((last + self.quiet).min(first + self.max_wait))
    }

    /// True (once) when the pending redraw is due at `now`.
    pub fn take(&mut self, now: Instant) -> bool {
        match self.deadline() {
            Some(due) if now >= due => {
                self.first = None;
                self.last = None;
                true
            }
            _ => false,
        }
    }
}

/// Sleeps until `deadline` (for a `select!` branch guarded by
/// `deadline.is_some()`); returns at once without one.
pub async fn sleep_until(deadline: Option<Instant>) {
    if let Some(deadline) = deadline {
        tokio::time::sleep_until(deadline.into()).await;
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use ratatui::crossterm::event::{KeyCode, KeyEvent};

    fn key(c: char) -> Event {
        Event::Key(KeyEvent::from(KeyCode::Char(c)))
    }

    #[test]
    fn a_burst_of_resizes_becomes_the_last_one() {
        let mut events: Vec<Event> = (0..500).map(|i| Event::Resize(i % 80, i % 24)).collect();
        events.push(Event::Resize(0, 0));
        assert_eq!(coalesce_resizes(events), vec![Event::Resize(0, 0)]);
    }

    #[test]
    fn keys_are_kept_in_order_around_resizes() {
        let events = vec![
            key('j'),
            Event::Resize(10, 10),
            key('k'),
            Event::Resize(1, 1),
            key('q'),
        ];
        assert_eq!(
            coalesce_resizes(events),
            vec![key('j'), key('k'), Event::Resize(1, 1), key('q')]
        );
    }

    #[test]
    fn no_resize_means_no_change() {
        let events = vec![key('a'), key('b')];
        assert_eq!(coalesce_resizes(events.clone()), events);
        assert!(coalesce_resizes(Vec::new()).is_empty());
    }

    #[test]
    fn a_burst_is_drawn_once_after_it_pauses() {
        let t0 = Instant::now();
        let ms = |n| t0 + Duration::from_millis(n);
        let mut d = ResizeDebounce::new(Duration::from_millis(40), Duration::from_millis(250));
        assert_eq!(d.deadline(), None);
        assert!(!d.take(ms(0)));
        let mut draws = 0;
        // A resize every 2 ms for 100 ms, checked at every step.
        for step in 0..50 {
            d.resized(ms(step * 2));
            draws += usize::from(d.take(ms(step * 2)));
        }
        assert_eq!(draws, 0, "nothing drawn while the burst goes on");
        assert_eq!(d.deadline(), Some(ms(98 + 40)));
        assert!(!d.take(ms(137)));
        assert!(d.take(ms(138)));
        assert!(!d.take(ms(500)), "one draw per burst");
    }

    #[test]
    fn a_long_drag_still_redraws_every_max_wait() {
        let t0 = Instant::now();
        let ms = |n| t0 + Duration::from_millis(n);
        let mut d = ResizeDebounce::new(Duration::from_millis(40), Duration::from_millis(250));
        let mut draws = Vec::new();
        for step in 0..500 {
            d.resized(ms(step * 2));
            if d.take(ms(step * 2)) {
                draws.push(step * 2);
            }
        }
        assert_eq!(draws, vec![250, 502, 754]);
    }
}
