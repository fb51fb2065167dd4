//! Where a run is answered: the live tenant connection, or a scenario's
//! recorded responses (a user's own copy first) with any inject swaps.
//! Apart from the executor because tests and the tabletop check choose
//! backends without spawning anything.

use std::sync::Arc;

use super::lookups::Live;
use crate::app::lookups::Source;
use crate::lookup::replay::Replay;
use crate::lookup::run::Backend;

/// The backend a run's source asks for.
pub fn backend_for(source: &Source, live: &Result<Live, String>) -> Result<Backend, String> {
    match source {
        Source::Practice {
            scenario,
            tree,
            swapped,
        } => practice_replay(scenario, tree).and_then(|r| {
            let r = match swapped {
                Some((lookup, file)) => r.with_swapped(lookup, file).map_err(|e| e.to_string())?,
                None => r,
            };
            Ok(Backend::Replay(Arc::new(r)))
        }),
        Source::Live => match live {
            Ok(l) => Ok(Backend::Live(l.client.clone())),
            Err(why) => Err(format!("no live connection: {why}")),
        },
    }
}

/// Recordings for practice: a user's own set in `<config dir>/scenarios/<id>/`
/// with its scenario file `<id>.toml` beside it (to rehearse with local
/// data) wins over the shipped one. Either must record lookups of `tree`.
pub fn practice_replay(scenario: &str, tree: &str) -> Result<Replay, String> {
    let user_dir = crate::tree::catalog::default_config_dir()
        .map(|d| d.join("scenarios").join(scenario))
        .filter(|d| d.is_dir() && Replay::scenario_file(d).is_file());
    let replay = match user_dir {
        Some(dir) => Replay::load_dir(&dir).map_err(|e| e.to_string())?,
        None => Replay::shipped(scenario)
            .ok_or_else(|| format!("no recorded practice data named '{scenario}' is installed"))?,
    };
    if replay.manifest.tree != tree {
        return Err(format!(
            "the practice data '{scenario}' records the tree '{}', not '{tree}'",
            replay.manifest.tree
        ));
    }
    Ok(replay)
}
