//! `cairn train` and `cairn tabletop` on the full screen: the run is created
//! in the store with the scenario's opening events (the same ones line mode
//! records), then the navigator opens it as an exercise.

use std::io::IsTerminal;
use std::path::PathBuf;
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context;

use super::practice::{Recorder, known_trees, pick_scenario, read_line, run_title};
use crate::scenario::{SystemClock, Tabletop, TrainingRun};
use crate::store::event::Mode;
use crate::tree::Tree;

/// `cairn train` / `cairn tabletop`: the full screen when input and output
/// are a terminal and `--line` was not asked for; line mode otherwise
/// (scripts, tests, piped input).
pub fn start(
    data_dir: Option<PathBuf>,
    scenario: Option<&str>,
    lang: &str,
    line: bool,
    mode: Mode,
) -> anyhow::Result<ExitCode> {
    let screen = !line && std::io::stdin().is_terminal() && std::io::stdout().is_terminal();
    match (screen, mode) {
        (true, _) => run(data_dir, scenario, lang, mode),
        (false, Mode::Training) => super::train::run(data_dir.as_deref(), scenario, lang),
        (false, _) => super::tabletop::run(data_dir.as_deref(), scenario, lang),
    }
}

fn run(
    data_dir: Option<PathBuf>,
    requested: Option<&str>,
    lang: &str,
    mode: Mode,
) -> anyhow::Result<ExitCode> {
    let trees = known_trees();
    let refs: Vec<&Tree> = trees.iter().map(|(t, _)| t).collect();
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut out = std::io::stdout().lock();
    let scenario = pick_scenario(
        requested,
        &refs,
        &mut || read_line(&mut input).ok().flatten(),
        &mut out,
        lang,
    )?;
    drop(out);
    let (tree, source) = trees
        .iter()
        .find(|(t, _)| t.id.value == scenario.tree.value)
        .context("the scenario's tree is not available")?;
    let clock = SystemClock;
    let (title, opening) = match mode {
        Mode::Training => (
            run_title(Mode::Training, &scenario, lang),
            TrainingRun::start(tree, &scenario, &clock)?.1,
        ),
        _ => (
            run_title(Mode::Tabletop, &scenario, lang),
            Tabletop::start(tree, &scenario, &clock)?.1.events,
        ),
    };
    let mut rec = Recorder::create(data_dir.as_deref(), title, tree, source, lang, mode)?;
    rec.record(opening)?;
    let id = rec.id.to_string();
    // The screen opens the store itself.
    drop(rec);
    super::open::run_exercise(data_dir, id, Arc::new(scenario))
}
