//! Resize coalescing.
//!
//! A window being dragged, or tmux re-attaching, produces bursts of
//! hundreds of resize events; redrawing the full screen for each one sent
//! megabytes over SSH in a probe. The loop drains every pending event and
//! keeps only the last resize of the batch.

use std::io;
use std::time::Duration;

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
}
