//! `cairn train` and `cairn tabletop`: the run is created in the store with
//! the scenario's opening events, then the navigator opens it as an
//! exercise on the full screen. There is no plain-text mode: without a
//! terminal the command refuses with a clear message.

use std::io::{BufRead, IsTerminal, Write};
use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::{Context, bail};

use super::store_access::open_store;
use crate::scenario::text::run_title;
use crate::scenario::{Scenario, SystemClock, Tabletop, TrainingRun, catalog};
use crate::store::event::{EventKind, Mode};
use crate::store::{IncidentId, NewIncident, Store};
use crate::text::{Medium, visible};
use crate::tree::Tree;
use crate::tree::catalog::TreeSource;
use crate::tree::catalog::default_config_dir;

/// `cairn train` / `cairn tabletop` on the full screen.
pub fn start(
    data_dir: Option<PathBuf>,
    requested: Option<&str>,
    lang: &str,
    mode: Mode,
) -> anyhow::Result<ExitCode> {
    if !(std::io::stdin().is_terminal() && std::io::stdout().is_terminal()) {
        let command = if mode == Mode::Training {
            "train"
        } else {
            "tabletop"
        };
        bail!(super::say::fill(
            "exercise-needs-terminal",
            &[("command", command)]
        ));
    }
    let trees = known_trees();
    let refs: Vec<&Tree> = trees.iter().map(|(t, _)| t).collect();
    let scenario = {
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        let mut out = std::io::stdout().lock();
        pick_scenario(
            requested,
            &refs,
            &mut || read_line(&mut input).ok().flatten(),
            &mut out,
            lang,
        )?
    };
    let (tree, source) = trees
        .iter()
        .find(|(t, _)| t.id.value == scenario.tree.value)
        .context(super::say::text("exercise-no-tree"))?;
    let clock = SystemClock;
    let opening = match mode {
        Mode::Training => TrainingRun::start(tree, &scenario, &clock)?.1,
        _ => Tabletop::start(tree, &scenario, &clock)?.1.events,
    };
    let title = run_title(mode, &scenario, lang);
    let id = record_run(
        data_dir.as_deref(),
        title,
        tree,
        source,
        lang,
        mode,
        opening,
    )?;
    // The screen opens the store itself.
    super::open::run_exercise(data_dir, id.to_string(), Arc::new(scenario))
}

/// Every tree that loads (user trees first, so a user copy wins), with its
/// source text, which the incident stores.
fn known_trees() -> Vec<(Tree, TreeSource)> {
    let config = default_config_dir();
    crate::tree::catalog::catalog().available(config.as_deref())
}

/// The scenario named on the command line, or one picked from a numbered
/// list of every available scenario.
fn pick_scenario(
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
    let mut all = catalog::available(trees, config.as_deref());
    if all.is_empty() {
        bail!(super::say::text("exercise-none"));
    }
    writeln!(out, "{}", super::say::text("exercise-list"))?;
    for (i, s) in all.iter().enumerate() {
        let title = visible(s.title.get(lang), Medium::CliLines);
        writeln!(
            out,
            "  {}. {title} ({})",
            i + 1,
            visible(&s.id, Medium::Cli)
        )?;
    }
    loop {
        let n = all.len().to_string();
        write!(out, "{} ", super::say::fill("exercise-pick", &[("n", &n)]))?;
        out.flush()?;
        let Some(line) = next_line() else {
            bail!(super::say::text("exercise-none-picked"));
        };
        if let Ok(n) = line.trim().parse::<usize>()
            && (1..=all.len()).contains(&n)
        {
            return Ok(all.swap_remove(n - 1));
        }
    }
}

/// One line of input without its line ending; `None` at end of input.
fn read_line(input: &mut impl BufRead) -> anyhow::Result<Option<String>> {
    let mut line = String::new();
    if input.read_line(&mut line)? == 0 {
        return Ok(None);
    }
    Ok(Some(line.trim_end_matches(['\n', '\r']).to_string()))
}

/// Creates the exercise's incident and records its opening events.
fn record_run(
    data_dir: Option<&Path>,
    title: String,
    tree: &Tree,
    source: &TreeSource,
    lang: &str,
    mode: Mode,
    opening: Vec<EventKind>,
) -> anyhow::Result<IncidentId> {
    let mut store: Store = open_store(data_dir)?;
    let id = store.create_incident(NewIncident {
        title,
        tree_id: tree.id.value.clone(),
        tree_version: tree.version.clone(),
        tree_source: source.text.clone(),
        language: lang.to_string(),
        mode,
    })?;
    for event in opening {
        store
            .append(&id, event)
            .context(super::say::text("exercise-not-recorded"))?;
    }
    Ok(id)
}
