//! `cairn` (the home screen) and `cairn open ID`: the full-screen navigator.

use std::path::{Path, PathBuf};
use std::process::ExitCode;
use std::sync::Arc;

use anyhow::Context as _;

use crate::app::Keymap;
use crate::runtime::{self, MemoryBackend, Options};
use crate::tree::{Tree, catalog, load};

/// The shipped keymap with the user's overrides; a bad user file stops the
/// start with its file and line rather than running with surprising keys.
pub fn load_keymap(config: Option<&Path>) -> anyhow::Result<Keymap> {
    let user = config.map(|d| d.join("keymap.toml")).filter(|p| p.exists());
    let text = match &user {
        Some(path) => Some(
            std::fs::read_to_string(path).with_context(|| format!("reading {}", path.display()))?,
        ),
        None => None,
    };
    let name = user.as_ref().map(|p| p.display().to_string());
    let user = name.as_deref().zip(text.as_deref());
    Ok(Keymap::load(user)?)
}

pub fn run(_data_dir: Option<PathBuf>, open: Option<String>) -> anyhow::Result<ExitCode> {
    let config = catalog::default_config_dir();
    let keymap = load_keymap(config.as_deref())?;
    let trees = load_trees(config.as_deref());
    let lang = std::env::var("LANG")
        .ok()
        .filter(|l| l.starts_with("ja"))
        .map_or("en", |_| "ja");
    runtime::run(Options {
        backend: Box::new(MemoryBackend::default()),
        trees,
        keymap,
        lang: lang.to_string(),
        open,
    })?;
    Ok(ExitCode::SUCCESS)
}

/// The shipped trees and the user's valid trees (a user tree with the id of
/// a shipped one replaces it). Invalid trees are left out here; `cairn check`
/// reports them with every error.
pub fn load_trees(config: Option<&Path>) -> Vec<Arc<Tree>> {
    let mut trees: Vec<Arc<Tree>> = Vec::new();
    let sources = catalog::shipped()
        .into_iter()
        .chain(catalog::user_trees(config));
    for source in sources {
        let Ok(tree) = load::parse(&source.origin, &source.text) else {
            continue;
        };
        trees.retain(|t| t.id.value != tree.id.value);
        trees.push(Arc::new(tree));
    }
    trees
}
