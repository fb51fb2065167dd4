//! `cairn close ID --sentinel`: closes the incident here and, once the
//! responder typed the Sentinel incident's number, records that its
//! Sentinel incident is to be closed too, classified from the outcome the
//! walk ended on. The close itself travels through the outbox (exactly
//! once, read-modify-write with the incident's etag); Sentinel is never
//! closed without this typed confirmation.

use std::io::{BufRead, IsTerminal, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};

use super::store_access::{incident_id, open_store, warn_if_unwitnessed};
use crate::store::EventKind;
use crate::store::event::Mode;
use crate::sync::fields::classification;
use crate::text::{Medium, visible};
use crate::tree::model::NodeKind;

pub fn run(
    data_dir: Option<&Path>,
    id: &str,
    confirm: Option<&str>,
    summary: Option<String>,
) -> anyhow::Result<ExitCode> {
    let id = incident_id(id)?;
    let mut store = open_store(data_dir).with_context(|| format!("{id} NOT closed"))?;
    let meta = store.incident(&id)?;
    let events = store.events(&id)?;
    let state = crate::store::IncidentState::from_events(&events);
    if meta.mode == Mode::Practice {
        bail!("{id} is a practice incident: it never reaches Sentinel");
    }
    let Some((name, number)) = events.iter().rev().find_map(|e| match &e.kind {
        EventKind::SentinelAttached { name, number, .. } => Some((name.clone(), *number)),
        _ => None,
    }) else {
        bail!("{id} is not attached to a Sentinel incident (`cairn attach {id} --sentinel REF`)");
    };
    // The outcome the walk ended on decides the classification.
    let tree = crate::tree::load::parse(&meta.tree_id, &meta.tree_source).ok();
    let outcome = state.current_node.as_deref().and_then(|n| {
        let node = tree.as_ref()?.node(n)?;
        match node.kind {
            NodeKind::Outcome { status } => {
                Some((status, node.title.get(&meta.language).to_string()))
            }
            _ => None,
        }
    });
    let (class, reason) = classification(outcome.as_ref().map(|(s, _)| *s));
    let comment = match &outcome {
        Some((status, title)) => format!(
            "Closed from Cairn incident {id}: the walk ended on \"{}\" ({}).",
            visible(title, Medium::Cli),
            status.name()
        ),
        None => format!("Closed from Cairn incident {id} before the walk reached an outcome."),
    };
    let expected = number.map_or(name.clone(), |n| n.to_string());
    let shown = number.map_or(name.clone(), |n| format!("#{n}"));
    let what = match reason {
        Some(r) => format!("{class} ({r})"),
        None => class.to_string(),
    };
    let typed = match confirm {
        Some(typed) => typed.trim().to_string(),
        None if std::io::stdin().is_terminal() => {
            eprint!("Close Sentinel incident {shown} as {what}? Type {expected} to confirm: ");
            std::io::stderr().flush().ok();
            let mut line = String::new();
            std::io::stdin().lock().read_line(&mut line)?;
            line.trim().to_string()
        }
        None => bail!(
            "{id} NOT closed: closing Sentinel incident {shown} as {what} needs its number \
             typed: add --confirm {expected}"
        ),
    };
    if typed != expected {
        bail!(
            "{id} NOT closed: '{}' is not {expected}, the Sentinel incident's number",
            visible(&typed, Medium::Cli)
        );
    }
    let mut kinds = Vec::new();
    if state.closed.is_none() {
        let summary = summary.filter(|r| !r.trim().is_empty());
        kinds.push(EventKind::IncidentClosed { summary });
    }
    kinds.push(EventKind::SentinelCloseConfirmed {
        classification: class.into(),
        reason: reason.map(str::to_string),
        comment,
        outcome: outcome.map(|(s, _)| s.name().to_string()),
        confirmation: typed,
    });
    let events = store
        .append_batch(&id, None, kinds)
        .with_context(|| format!("{id} NOT closed"))?;
    let last = events.last().map_or(0, |e| e.seq);
    println!(
        "{id}: closed (event {last}); Sentinel incident {shown} will be closed as {what} \
         (`cairn sync {id}` sends it now)"
    );
    warn_if_unwitnessed();
    Ok(ExitCode::SUCCESS)
}
