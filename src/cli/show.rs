//! `cairn show ID`: the incident's derived state, as plain text.

use std::fmt::Write;
use std::path::Path;
use std::process::ExitCode;

use super::say;
use super::store_access::{incident_id, open_store_read_only, own_tree, safe, tree_drift};
use crate::store::event::EventKind;
use crate::store::export::{describe_event, describe_source, format_time, lookup_names};
use crate::store::projection::Via;
use crate::text::lang::msg_key;
use crate::tree::Tree;
use unicode_width::UnicodeWidthStr;

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
        eprintln!("{}", say::fill("warning", &[("what", &warning)]));
    }

    let mut out = String::new();
    let _ = writeln!(out, "{}  {}", incident.id, safe(&incident.title));
    let chain = match &verification.broken {
        None => say::text("chain-intact").to_string(),
        Some(b) => {
            let (seq, why) = (b.seq.to_string(), safe(&b.reason));
            say::fill("chain-broken", &[("seq", &seq), ("why", &why)])
        }
    };
    let fields = [
        (
            msg_key!("cli", "show-status"),
            incident.status.name().to_string(),
        ),
        (
            msg_key!("cli", "show-tree"),
            format!(
                "{} {} (sha256 {})",
                safe(&incident.tree_id),
                safe(&incident.tree_version),
                &incident.tree_sha256[..incident.tree_sha256.len().min(12)]
            ),
        ),
        (
            msg_key!("cli", "show-mode"),
            super::list::mode_name(incident.mode).to_string(),
        ),
        (msg_key!("cli", "show-language"), safe(&lang)),
        (
            msg_key!("cli", "show-created"),
            format_time(incident.created_at),
        ),
        (
            msg_key!("cli", "show-last-activity"),
            state.last_activity.map(format_time).unwrap_or_default(),
        ),
        (
            msg_key!("cli", "show-current-node"),
            state
                .current_node
                .as_deref()
                .map(node)
                .unwrap_or_else(|| say::text("show-not-started").into()),
        ),
        (
            msg_key!("cli", "show-events"),
            format!("{} ({chain})", verification.events),
        ),
        (msg_key!("cli", "show-head"), verification.head_text()),
    ];
    for (name, value) in fields {
        let name = say::text(name);
        let pad = 14usize.saturating_sub(name.width()).max(1);
        let _ = writeln!(out, "  {name}{}{value}", " ".repeat(pad));
    }

    section(&mut out, say::text("show-path"), state.path.is_empty());
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
                let (choice, from) = (safe(choice), safe(from));
                let fills = [("choice", choice.as_str()), ("from", &from), ("why", &why)];
                say::fill("show-chose", &fills)
            }
            Via::Backtrack { from } => say::fill("show-back-from", &[("from", &safe(from))]),
            Via::Jump { from, reason } => {
                let (from, why) = (safe(from), safe(reason));
                say::fill("show-jumped-from", &[("from", &from), ("why", &why)])
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

    section(
        &mut out,
        say::text("show-checklist"),
        state.checklist.is_empty(),
    );
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
                    "  [ ] {}/{}  {}",
                    n.id.value,
                    item.id.value,
                    say::fill("show-open-item", &[("text", &safe(item.text.get(&lang)))])
                );
            }
        }
    }

    section(
        &mut out,
        say::text("show-variables"),
        state.variables.is_empty(),
    );
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

    section(&mut out, say::text("show-notes"), state.notes.is_empty());
    for note in &state.notes {
        let amended = if note.is_amended() {
            let times = (note.versions.len() - 1).to_string();
            say::fill("show-amended", &[("n", &times)])
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

    section(
        &mut out,
        say::text("show-lookups"),
        state.lookups.is_empty(),
    );
    for event in &state.lookups {
        let _ = writeln!(
            out,
            "  #{} {}  {}",
            event.seq,
            format_time(event.at),
            safe(&describe_event(&event.kind))
        );
        if let EventKind::LookupRun { query, .. } = &event.kind {
            let _ = writeln!(out, "       {}: {}", say::text("show-query"), safe(query));
        }
    }

    section(
        &mut out,
        say::text("show-actions"),
        state.actions.is_empty(),
    );
    for a in &state.actions {
        let outcome = match &a.outcome {
            Some(o) => format!("{:?}", o.status).to_lowercase(),
            None => say::text("show-no-outcome").to_string(),
        };
        let sim = if a.simulated {
            say::text("show-simulated")
        } else {
            ""
        };
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
        let title = say::fill("show-remote", &[("target", &safe(&target))]);
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
                "  {} {} {}: {}",
                say::text("show-remote-mark"),
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
    let none = if empty { say::text("show-none") } else { "" };
    let _ = writeln!(out, "\n{title}{none}");
}

fn node_label(tree: Option<&Tree>, lang: &str, id: &str) -> String {
    match tree.and_then(|t| t.node(id)) {
        Some(node) => format!("{} ({})", safe(id), safe(node.title.get(lang))),
        None => safe(id),
    }
}
