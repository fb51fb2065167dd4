//! `cairn` (the home screen) and `cairn open ID`: the full-screen navigator.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;
use std::time::Duration;

use anyhow::Context as _;

use crate::app::Keymap;
use crate::runtime::{self, Options, StoreBackend};
use crate::tree::{Tree, catalog};

/// The shipped keymap with the user's overrides; a bad user file stops the
/// start with its file and line rather than running with surprising keys.
pub fn load_keymap(config: Option<&Path>) -> anyhow::Result<Keymap> {
    let user = config.map(|d| d.join("keymap.toml")).filter(|p| p.exists());
    let text = match &user {
        Some(path) => Some(std::fs::read_to_string(path).with_context(|| {
            let path = path.display().to_string();
            super::say::fill("reading", &[("path", &path)])
        })?),
        None => None,
    };
    let name = user.as_ref().map(|p| p.display().to_string());
    let user = name.as_deref().zip(text.as_deref());
    Ok(Keymap::load(user)?)
}

pub fn run(data_dir: Option<PathBuf>, open: Option<String>) -> anyhow::Result<ExitCode> {
    start(data_dir, open, None)
}

/// Opens a training run or tabletop just created from `scenario` (which may
/// come from a file the screen could not find again by its id).
pub fn run_exercise(
    data_dir: Option<PathBuf>,
    id: String,
    scenario: Arc<crate::scenario::Scenario>,
) -> anyhow::Result<ExitCode> {
    start(data_dir, Some(id), Some(scenario))
}

fn start(
    data_dir: Option<PathBuf>,
    open: Option<String>,
    scenario: Option<Arc<crate::scenario::Scenario>>,
) -> anyhow::Result<ExitCode> {
    let config = catalog::default_config_dir();
    let keymap = load_keymap(config.as_deref())?;
    let installed = load_trees(config.as_deref());
    let store = super::store_access::open_store_for_screen(data_dir.as_deref())?;
    let store_dir = store.path().parent().map(Path::to_path_buf);
    let sources = installed
        .iter()
        .map(|(t, source)| (t.id.value.clone(), t.version.clone(), source.clone()));
    let backend = StoreBackend::new(store, sources);
    let trees = installed.into_iter().map(|(t, _)| t).collect();
    let lang = super::say::lang().code();
    let exited = runtime::run(Options {
        backend: Box::new(backend),
        trees,
        keymap,
        lang: lang.to_string(),
        open,
        scenario,
        data_dir: store_dir,
    })?;
    if let Some(id) = &exited.incident {
        // Bounded: after a hang-up nobody reads standard error any more.
        let hint = format!("{}\n", super::say::fill("resume-with", &[("id", id)]));
        runtime::terminal::eprint_bounded(&hint, Duration::from_millis(500));
    }
    Ok(ExitCode::from(u8::try_from(exited.code).unwrap_or(1)))
}

/// The shipped trees and the user's valid trees with their sources (a user
/// tree with the id of a shipped one replaces it). Invalid trees are left
/// out here; `cairn check` reports them with every error.
pub fn load_trees(config: Option<&Path>) -> Vec<(Arc<Tree>, String)> {
    catalog::catalog()
        .available(config)
        .into_iter()
        .map(|(tree, source)| (Arc::new(tree), source.text))
        .collect()
}
