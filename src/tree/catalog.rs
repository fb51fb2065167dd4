//! Where trees come from: the shipped trees embedded in the binary, the
//! user's own trees in `<config dir>/trees/`, and explicit paths.

use std::io::Read;
use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::error::Diagnostics;
use super::load::{MAX_TREE_BYTES, parse, parse_bytes};
use super::model::Tree;
use super::suggest::did_you_mean;

mod embedded {
    include!(concat!(env!("OUT_DIR"), "/shipped_trees.rs"));
}

/// A tree's source text and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct TreeSource {
    /// `shipped:token-theft.toml`, or the file's path.
    pub origin: String,
    pub text: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("no tree with id '{id}'{}; available: {}", hint_text(.hint), list(.available))]
    NotFound {
        id: String,
        hint: Option<String>,
        available: Vec<String>,
    },
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(Diagnostics),
}

/// The " (did you mean 'x'?)" tail of a not-found message, if any.
pub(crate) fn hint_text(hint: &Option<String>) -> String {
    hint.as_ref()
        .map(|h| format!(" (did you mean '{h}'?)"))
        .unwrap_or_default()
}

fn list(ids: &[String]) -> String {
    if ids.is_empty() {
        "none".into()
    } else {
        ids.join(", ")
    }
}

/// Every tree shipped in the binary, in file-name order.
pub fn shipped() -> Vec<TreeSource> {
    embedded::SHIPPED
        .iter()
        .map(|(name, text)| TreeSource {
            origin: format!("shipped:{name}"),
            text: (*text).to_string(),
        })
        .collect()
}

/// Cairn's configuration directory: `$CAIRN_CONFIG_DIR`, else the
/// platform's (e.g. `~/.config/cairn`).
pub fn default_config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CAIRN_CONFIG_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "cairn").map(|d| d.config_dir().to_path_buf())
}

/// The `*.toml` files in `<config_dir>/trees/` (default config dir when
/// `None`), sorted. A missing folder is no error: most users have none.
pub fn user_tree_files(config_dir: Option<&Path>) -> Vec<PathBuf> {
    let Some(dir) = config_dir
        .map(Path::to_path_buf)
        .or_else(default_config_dir)
    else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join("trees"))
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort();
    files
}

/// The readable UTF-8 user trees (unreadable ones are left to `cairn check`,
/// which reports them with their error).
pub fn user_trees(config_dir: Option<&Path>) -> Vec<TreeSource> {
    user_tree_files(config_dir)
        .into_iter()
        .filter_map(|path| {
            let bytes = read_capped(&path).ok()?;
            let text = String::from_utf8(bytes).ok()?;
            Some(TreeSource {
                origin: path.display().to_string(),
                text,
            })
        })
        .collect()
}

/// Reads at most one byte more than a tree may have, so a huge file or a
/// device like /dev/zero cannot exhaust memory or hang.
pub fn read_capped(path: &Path) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(MAX_TREE_BYTES as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Loads and validates the tree file at `path`.
pub fn load_path(path: &Path) -> Result<(Tree, TreeSource), CatalogError> {
    let origin = path.display().to_string();
    let bytes = read_capped(path).map_err(|source| CatalogError::Read {
        path: origin.clone(),
        source,
    })?;
    let tree = parse_bytes(&origin, &bytes).map_err(CatalogError::Invalid)?;
    // parse_bytes accepted it, so it is UTF-8.
    let text = String::from_utf8(bytes).unwrap_or_default();
    Ok((tree, TreeSource { origin, text }))
}

/// A tree by id (user trees first, so a user can override a shipped tree,
/// then shipped trees) or by path (anything with a path separator or a
/// `.toml` ending).
pub fn find(id_or_path: &str) -> Result<(Tree, TreeSource), CatalogError> {
    find_in(id_or_path, None)
}

/// [`find`] with an explicit config directory (`None`: the default one).
pub fn find_in(
    id_or_path: &str,
    config_dir: Option<&Path>,
) -> Result<(Tree, TreeSource), CatalogError> {
    if looks_like_path(id_or_path) {
        return load_path(Path::new(id_or_path));
    }
    let mut available = Vec::new();
    for source in user_trees(config_dir).into_iter().chain(shipped()) {
        // Broken trees cannot be found by id; `cairn check` reports them.
        if let Ok(tree) = parse(&source.origin, &source.text) {
            if tree.id.value == id_or_path {
                return Ok((tree, source));
            }
            available.push(tree.id.value);
        }
    }
    available.sort();
    available.dedup();
    Err(CatalogError::NotFound {
        id: id_or_path.to_string(),
        hint: did_you_mean(id_or_path, available.iter().map(String::as_str)).map(str::to_string),
        available,
    })
}

fn looks_like_path(s: &str) -> bool {
    s.contains('/') || s.contains(std::path::MAIN_SEPARATOR) || s.ends_with(".toml")
}

/// SHA-256 of the source text, lower-case hex: the store records it so an
/// incident names exactly the tree it was walked with.
pub fn source_hash(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}
