//! `cairn` (the home screen) and `cairn open ID`: the full-screen navigator.

use std::path::{Path, PathBuf};
use std::process::ExitCode;

use anyhow::Context as _;

use crate::app::Keymap;
use crate::runtime::{self, MemoryBackend, Options};

/// Where the user's own keymap lives: `$CAIRN_CONFIG_DIR` or the platform's
/// config directory for Cairn.
pub fn config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CAIRN_CONFIG_DIR") {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "cairn").map(|d| d.config_dir().to_path_buf())
}

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
    let keymap = load_keymap(config_dir().as_deref())?;
    let lang = std::env::var("LANG")
        .ok()
        .filter(|l| l.starts_with("ja"))
        .map_or("en", |_| "ja");
    runtime::run(Options {
        backend: Box::new(MemoryBackend::default()),
        trees: Vec::new(),
        keymap,
        lang: lang.to_string(),
        open,
    })?;
    Ok(ExitCode::SUCCESS)
}
