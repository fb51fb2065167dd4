//! Resize coalescing.
//!
//! A window being dragged, or tmux re-attaching, produces bursts of
//! hundreds of resize events; redrawing the full screen for each one sent
//! megabytes over SSH in a probe. The loop keeps only the last resize of a
//! batch of pending events (`to_messages`), and [`ResizeDebounce`] holds the
//! redraw back until resizes have paused, since a dragged window sends them
//! a few milliseconds apart.

use std::time::{Duration, Instant};

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
