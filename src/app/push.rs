//! The push to the attached Sentinel incident as the screen sees it: which
//! incident the runtime's background sync follows, and the header badge it
//! reports back (synced / N pending / failing: why).

use super::State;
use crate::store::event::Mode;

/// What the background sync last said about the open incident.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Badge {
    Synced,
    Pending(u64),
    Failing { pending: u64, why: String },
}

/// The incident the background sync should follow: the one on screen, when
/// it is attached to a Sentinel incident (practice never syncs).
pub fn followed(state: &State) -> Option<&str> {
    let inc = state.incident.as_ref()?;
    (inc.walk.sentinel.is_some() && inc.meta.mode != Mode::Practice).then_some(inc.meta.id.as_str())
}

/// A report from the background sync; one about an incident no longer on
/// screen is dropped.
pub fn reported(state: &mut State, incident: &str, badge: Badge) {
    if followed(state) == Some(incident) {
        state.push = Some((incident.to_string(), badge));
    }
}

/// The badge to show for the open incident, if it is followed.
pub fn badge(state: &State) -> Option<&Badge> {
    let followed = followed(state)?;
    match &state.push {
        Some((incident, badge)) if incident == followed => Some(badge),
        _ => None,
    }
}
