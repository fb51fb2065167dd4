//! What `cairn train` and `cairn tabletop` share: the known trees, picking
//! a scenario, the practice incident in the store, and line-mode prompts.

use std::io::{BufRead, Write};
use std::path::Path;

use anyhow::{Context, bail};

use super::store_access::open_store;
use crate::scenario::{Scenario, catalog};
use crate::store::event::{EventKind, Mode};
use crate::store::{IncidentId, NewIncident, Store};
use crate::text::{Medium, visible};
use crate::tree::catalog::{TreeSource, default_config_dir, shipped, user_trees};
use crate::tree::{Localized, Node, NodeKind, Tree};

/// Every tree that loads (user trees first, so a user copy wins), with its
/// source text, which the incident stores.
pub fn known_trees() -> Vec<(Tree, TreeSource)> {
    let config = default_config_dir();
    user_trees(config.as_deref())
        .into_iter()
        .chain(shipped())
        .filter_map(|src| {
            crate::tree::load::parse(&src.origin, &src.text)
                .ok()
                .map(|t| (t, src))
        })
        .collect()
}

/// The scenario named on the command line, or one picked from a numbered
/// list of every available scenario.
pub fn pick_scenario(
    requested: Option<&str>,
    trees: &[&Tree],
    next_line: &mut dyn FnMut() -> Option<String>,
    out: &mut impl Write,
    lang: &str,
) -> anyhow::Result<Scenario> {
    let config = default_config_dir();
    if let Some(id) = requested {
        return Ok(catalog::find(id, trees, config.as_deref())?);
    }
    let mut all: Vec<Scenario> = catalog::user_scenario_files(config.as_deref())
        .iter()
        .filter_map(|p| catalog::load_path(p, trees).ok())
        .collect();
    all.extend(catalog::shipped(trees).into_iter().flatten());
    if all.is_empty() {
        bail!("no scenario is available");
    }
    writeln!(out, "Scenarios:")?;
    for (i, s) in all.iter().enumerate() {
        writeln!(
            out,
            "  {}. {} ({})",
            i + 1,
            text(&s.title, lang),
            visible(&s.id, Medium::Cli)
        )?;
    }
    loop {
        write!(out, "Pick a scenario [1-{}]: ", all.len())?;
        out.flush()?;
        let Some(line) = next_line() else {
            bail!("no scenario picked");
        };
        if let Ok(n) = line.trim().parse::<usize>()
            && (1..=all.len()).contains(&n)
        {
            return Ok(all.swap_remove(n - 1));
        }
    }
}

/// One line of input without its line ending; `None` at end of input.
pub fn read_line(input: &mut impl BufRead) -> anyhow::Result<Option<String>> {
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    Ok(Some(line.trim_end_matches(['\n', '\r']).to_string()))
}

/// Localised text from a file, safe for the terminal.
pub fn text(l: &Localized, lang: &str) -> String {
    visible(l.get(lang), Medium::CliLines).into_owned()
}

pub use crate::scenario::text::run_title;

/// The incident a practice run is recorded in.
pub struct Recorder {
    store: Store,
    pub id: IncidentId,
}

impl Recorder {
    pub fn create(
        data_dir: Option<&Path>,
        title: String,
        tree: &Tree,
        source: &TreeSource,
        lang: &str,
        mode: Mode,
    ) -> anyhow::Result<Self> {
        let mut store = open_store(data_dir)?;
        let id = store.create_incident(NewIncident {
            title,
            tree_id: tree.id.value.clone(),
            tree_version: tree.version.clone(),
            tree_source: source.text.clone(),
            language: lang.to_string(),
            mode,
        })?;
        Ok(Self { store, id })
    }

    /// Appends each event; returns the sequence number of the last one.
    pub fn record(&mut self, events: Vec<EventKind>) -> anyhow::Result<u64> {
        let mut last = 0;
        for e in events {
            last = self
                .store
                .append(&self.id, e)
                .context("cannot record the event")?
                .seq;
        }
        Ok(last)
    }
}

/// The node as text: phase, title, body, checklist, choices.
pub fn show_node(out: &mut impl Write, node: &Node, lang: &str) -> std::io::Result<()> {
    writeln!(out)?;
    writeln!(
        out,
        "== [{}] {}",
        node.phase.label(lang),
        text(&node.title, lang)
    )?;
    let body = text(&node.body, lang);
    if !body.is_empty() {
        writeln!(out, "{body}")?;
    }
    for item in &node.checklist {
        let mark = if item.mandatory {
            tr(lang, " (mandatory)", " (必須)")
        } else {
            ""
        };
        writeln!(out, "  [ ] {}{mark}", text(&item.text, lang))?;
    }
    for (i, lookup) in node.lookups.iter().enumerate() {
        writeln!(out, "  l {}: {}", i + 1, text(&lookup.title, lang))?;
    }
    for action in &node.actions {
        writeln!(
            out,
            "  action: {} ({})",
            text(&action.title, lang),
            visible(&action.id, Medium::Cli)
        )?;
    }
    if let NodeKind::Decision { choices } = &node.kind {
        for (i, c) in choices.iter().enumerate() {
            writeln!(out, "  {}. {}", i + 1, text(&c.label, lang))?;
        }
    }
    Ok(())
}

/// The choice id a typed number picks at a decision node.
pub fn choice_by_number(node: &Node, typed: &str) -> Option<String> {
    let NodeKind::Decision { choices } = &node.kind else {
        return None;
    };
    let n: usize = typed.trim().parse().ok()?;
    choices.get(n.checked_sub(1)?).map(|c| c.id.value.clone())
}

/// A line-mode message in English or Japanese.
pub fn tr(lang: &str, en: &'static str, ja: &'static str) -> &'static str {
    if lang == "ja" { ja } else { en }
}
