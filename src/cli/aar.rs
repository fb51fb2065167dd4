//! `cairn export ID --format aar`: the after-action report of an incident,
//! against the tree it was started with and the scenario it ran.

use crate::scenario::{aar, catalog};
use crate::store::{Event, Incident, IncidentState};
use crate::text::lang::Lang;
use crate::text::{Medium, visible};

/// Renders the report; a scenario that can no longer be found is reported
/// on standard error and the report is made without it.
pub fn render(incident: &Incident, events: &[Event], head: &str) -> anyhow::Result<String> {
    let tree = crate::tree::load::parse(&incident.tree_id, &incident.tree_source)
        .map_err(|d| anyhow::anyhow!("{}\n{d}", super::say::text("stored-tree-broken")))?;
    let config_dir = crate::tree::catalog::default_config_dir();
    let state = IncidentState::from_events(events);
    let scenario = match aar::scenario_id(&state) {
        None => None,
        Some(id) => match catalog::find(id, &[&tree], config_dir.as_deref()) {
            Ok(s) => Some(s),
            Err(e) => {
                let why = e.to_string();
                let (id, why) = (visible(id, Medium::Cli), visible(&why, Medium::Cli));
                let fills = [("id", id.as_ref()), ("why", why.as_ref())];
                eprintln!("{}", super::say::fill("aar-no-scenario", &fills));
                None
            }
        },
    };
    let mut text = aar::render(
        &incident.title,
        &state,
        &tree,
        scenario.as_ref(),
        &incident.language,
    );
    // The record's head, so a copy of the report witnesses it.
    let lang = Lang::of(&incident.language);
    let (label, check) = (
        lang.text("message", "record-head"),
        lang.text("message", "record-head-check"),
    );
    text.push_str(&format!(
        "\n---\n\n{label} `{head}` (`cairn verify {} --head {head}` {check}).\n",
        incident.id
    ));
    Ok(text)
}
