//! `cairn show ID`: the incident's derived state, as plain text.

use std::fmt::Write;
use std::path::Path;
use std::process::ExitCode;

use super::store_access::{incident_id, open_store_read_only, own_tree, safe, tree_drift};
use crate::store::event::EventKind;
use crate::store::export::{describe_event, describe_source, format_time, lookup_names};
use crate::store::projection::Via;
use crate::tree::Tree;

pub fn run(data_dir: Option<&Path>, id: &str) -> anyhow::Result<ExitCode> {
    let id = incident_id(id)?;
    let store = open_store_read_only(data_dir)?;
    let incident = store.incident(&id)?;
    let state = store.state(&id)?;
    let verification = store.verify(&id)?;
    let tree = own_tree(&incident);
    let lang = state
        .language
        .clone()
        .unwrap_or_else(|| incident.language.clone());
    let node = |id: &str| node_label(tree.as_ref(), &lang, id);
    if let Some(warning) = tree_drift(&incident) {
        eprintln!("cairn: warning: {warning}");
    }

    let mut out = String::new();
    let _ = writeln!(out, "{}  {}", incident.id, safe(&incident.title));
    let chain = match &verification.broken {
        None => "hash chain intact".to_string(),
        Some(b) => format!("hash chain BROKEN at event {}: {}", b.seq, safe(&b.reason)),
    };
    let fields = [
        ("status", incident.status.name().to_string()),
        (
            "tree",
            format!(
                "{} {} (sha256 {})",
                safe(&incident.tree_id),
                safe(&incident.tree_version),
                &incident.tree_sha256[..incident.tree_sha256.len().min(12)]
            ),
        ),
        ("mode", format!("{:?}", incident.mode).to_lowercase()),
        ("language", safe(&lang)),
        ("created", format_time(incident.created_at)),
        (
            "last activity",
            state.last_activity.map(format_time).unwrap_or_default(),
        ),
        (
            "current node",
            state
                .current_node
                .as_deref()
                .map(node)
                .unwrap_or_else(|| "(not started)".into()),
        ),
        ("events", format!("{} ({chain})", verification.events)),
        ("head", verification.head_text()),
    ];
    for (name, value) in fields {
        let _ = writeln!(out, "  {name:<14}{value}");
    }

    section(&mut out, "Path", state.path.is_empty());
    for (i, step) in state.path.iter().enumerate() {
        let how = match &step.via {
            Via::Entered => String::new(),
            Via::Choice {
                from,
                choice,
                reason,
            } => {
                let why = reason
                    .as_deref()
                    .map(|r| format!(": {}", safe(r)))
                    .unwrap_or_default();
                format!("  (chose {} at {}{why})", safe(choice), safe(from))
            }
            Via::Backtrack { from } => format!("  (back from {})", safe(from)),
            Via::Jump { from, reason } => {
                format!("  (jumped from {}: {})", safe(from), safe(reason))
            }
        };
        let _ = writeln!(
            out,
            "  {:>3}. {}  {}{how}",
            i + 1,
            format_time(step.stamp.at),
            node(&step.node)
        );
    }

    section(&mut out, "Checklist", state.checklist.is_empty());
    for ((node_id, item), entry) in &state.checklist {
        let mark = if entry.checked { "x" } else { " " };
        let _ = writeln!(
            out,
            "  [{mark}] {}/{}  ({}, {})",
            safe(node_id),
            safe(item),
            safe(&entry.stamp.actor.label()),
            format_time(entry.stamp.at)
        );
    }
    if let Some(tree) = &tree {
        for n in tree
            .nodes
            .iter()
            .filter(|n| state.visited.contains(&n.id.value))
        {
            for item in n
                .checklist
                .iter()
                .filter(|i| i.mandatory && !state.is_checked(&n.id.value, &i.id.value))
            {
                let _ = writeln!(
                    out,
                    "  [ ] {}/{}  OPEN, mandatory: {}",
                    n.id.value,
                    item.id.value,
                    safe(item.text.get(&lang))
                );
            }
        }
    }

    section(&mut out, "Variables", state.variables.is_empty());
    for (name, var) in &state.variables {
        let _ = writeln!(
            out,
            "  {} = {}  ({}, {}, {})",
            safe(name),
            safe(&var.current.value),
            safe(&describe_source(&var.current.source)),
            safe(&var.current.stamp.actor.label()),
            format_time(var.current.stamp.at)
        );
    }

    for s in &state.subjects {
        let _ = writeln!(
            out,
            "  earlier {} {}: {} (filed {})",
            safe(&s.scope),
            s.number,
            safe(s.label()),
            format_time(s.closed.at)
        );
        for (name, var) in &s.values {
            let _ = writeln!(
                out,
                "    {} = {}  ({})",
                safe(name),
                safe(&var.current.value),
                safe(&describe_source(&var.current.source))
            );
        }
        let runs: Vec<String> = lookup_names(&state, s)
            .iter()
            .map(|(seq, id)| format!("{} #{seq}", safe(id)))
            .collect();
        if !runs.is_empty() {
            let _ = writeln!(out, "    lookup runs: {}", runs.join(", "));
        }
    }

    section(&mut out, "Notes", state.notes.is_empty());
    for note in &state.notes {
        let amended = if note.is_amended() {
            format!(" (amended {}x)", note.versions.len() - 1)
        } else {
            String::new()
        };
        let _ = writeln!(
            out,
            "  #{} {} {}{amended}: {}",
            note.added().seq,
            format_time(note.added().at),
            safe(&note.added().actor.label()),
            safe(note.text())
        );
    }

    section(&mut out, "Lookups", state.lookups.is_empty());
    for event in &state.lookups {
        let _ = writeln!(
            out,
            "  #{} {}  {}",
            event.seq,
            format_time(event.at),
            safe(&describe_event(&event.kind))
        );
        if let EventKind::LookupRun { query, .. } = &event.kind {
            let _ = writeln!(out, "       query: {}", safe(query));
        }
    }

    section(&mut out, "Actions", state.actions.is_empty());
    for a in &state.actions {
        let outcome = match &a.outcome {
            Some(o) => format!("{:?}", o.status).to_lowercase(),
            None => "OUTCOME NOT RECORDED".to_string(),
        };
        let sim = if a.simulated { " (simulated)" } else { "" };
        let _ = writeln!(
            out,
            "  #{} {} {} {}{sim} -> {outcome}",
            a.intent.seq,
            safe(&a.action),
            safe(&a.method),
            safe(&a.path)
        );
    }
    // Attached incidents: what others wrote in Sentinel, apart from the chain.
    if let Some(target) = store.outbox_state(&id)?.target {
        let remote = store.remote_comments(&id)?;
        let title = format!(
            "Remote (Sentinel incident {}, not in the chain)",
            safe(&target)
        );
        section(&mut out, &title, remote.is_empty());
        for r in &remote {
            // Each comment on one line: its text is untrusted remote text.
            let text: String = r
                .comment
                .message
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ");
            let text: String = text.chars().take(300).collect();
            let _ = writeln!(
                out,
                "  remote {} {}: {}",
                safe(&r.comment.created),
                safe(&r.comment.author),
                safe(&text)
            );
        }
        // Walked nodes' tasks a teammate completed or reopened in Sentinel.
        let changes = crate::sync::pull::task_changes(&store, &id)?;
        section(&mut out, "Remote task changes", changes.is_empty());
        for c in &changes {
            let _ = writeln!(
                out,
                "  remote task {}: {} by {} at {} (this walk: {})",
                safe(&c.task.title),
                safe(&c.task.status),
                safe(c.task.changed_by.as_deref().unwrap_or("unknown")),
                safe(c.task.changed_at.as_deref().unwrap_or("?")),
                c.ours
            );
        }
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

fn section(out: &mut String, title: &str, empty: bool) {
    let _ = writeln!(out, "\n{title}{}", if empty { ": none" } else { "" });
}

fn node_label(tree: Option<&Tree>, lang: &str, id: &str) -> String {
    match tree.and_then(|t| t.node(id)) {
        Some(node) => format!("{} ({})", safe(id), safe(node.title.get(lang))),
        None => safe(id),
    }
}
