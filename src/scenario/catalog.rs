//! Where scenarios come from: the shipped ones embedded in the binary (so
//! practice works from any directory), the user's own in
//! `<config dir>/scenarios/`, and explicit paths.

use std::path::{Path, PathBuf};

use super::diag::{Diagnostics, did_you_mean};
use super::model::Scenario;
use super::parse::{MAX_SCENARIO_BYTES, load, load_bytes};
use crate::tree::Tree;
use crate::tree::catalog::hint_text;

/// The shipped scenarios: (file name, text).
pub const SHIPPED: &[(&str, &str)] = &[
    (
        "aitm.toml",
        include_str!("../../assets/scenarios/aitm.toml"),
    ),
    (
        "benign-travel.toml",
        include_str!("../../assets/scenarios/benign-travel.toml"),
    ),
];

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("no scenario '{id}'{}; available: {}", hint_text(.hint), .available.join(", "))]
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

/// Every shipped scenario, loaded against `trees`.
pub fn shipped(trees: &[&Tree]) -> Vec<Result<Scenario, Diagnostics>> {
    SHIPPED
        .iter()
        .map(|(name, text)| load(&format!("shipped:{name}"), text, trees))
        .collect()
}

/// The scenarios a user can start: their own valid ones first (a user
/// scenario with a shipped id replaces it), then the shipped ones. Invalid
/// files are left out here; `cairn train FILE` reports their errors.
pub fn available(trees: &[&Tree], config_dir: Option<&Path>) -> Vec<Scenario> {
    let mut out: Vec<Scenario> = user_scenario_files(config_dir)
        .iter()
        .filter_map(|p| load_path(p, trees).ok())
        .collect();
    for s in shipped(trees).into_iter().flatten() {
        if !out.iter().any(|u| u.id.value == s.id.value) {
            out.push(s);
        }
    }
    out
}

/// `*.toml` files in `<config dir>/scenarios/`, sorted.
pub fn user_scenario_files(config_dir: Option<&Path>) -> Vec<PathBuf> {
    let Some(dir) = config_dir.map(|d| d.join("scenarios")) else {
        return Vec::new();
    };
    let mut files: Vec<PathBuf> = std::fs::read_dir(dir)
        .into_iter()
        .flatten()
        .flatten()
        .map(|e| e.path())
        .filter(|p| p.extension().is_some_and(|x| x == "toml"))
        .collect();
    files.sort();
    files
}

/// Loads a scenario file from disk (capped, any bytes).
pub fn load_path(path: &Path, trees: &[&Tree]) -> Result<Scenario, CatalogError> {
    let read_err = |source| CatalogError::Read {
        path: path.display().to_string(),
        source,
    };
    let meta = std::fs::metadata(path).map_err(read_err)?;
    if meta.len() > MAX_SCENARIO_BYTES as u64 {
        let too_big = std::io::Error::other(format!(
            "file is {} bytes; scenarios are limited to {MAX_SCENARIO_BYTES}",
            meta.len()
        ));
        return Err(read_err(too_big));
    }
    let bytes = std::fs::read(path).map_err(read_err)?;
    load_bytes(&path.display().to_string(), &bytes, trees).map_err(CatalogError::Invalid)
}

/// Finds a scenario by id (user scenarios first, then shipped ones) or, when
/// `id_or_path` names a file, loads that file.
pub fn find(
    id_or_path: &str,
    trees: &[&Tree],
    config_dir: Option<&Path>,
) -> Result<Scenario, CatalogError> {
    let as_path = Path::new(id_or_path);
    if id_or_path.ends_with(".toml") || as_path.components().count() > 1 {
        return load_path(as_path, trees);
    }
    let mut available = Vec::new();
    // A broken user file must not hide the shipped scenarios; its errors are
    // shown only if the id is found nowhere.
    let mut broken = None;
    for path in user_scenario_files(config_dir) {
        match load_path(&path, trees) {
            Ok(s) if s.id.value == id_or_path => return Ok(s),
            Ok(s) => available.push(s.id.value),
            Err(e) => broken = broken.or(Some(e)),
        }
    }
    for (name, text) in SHIPPED {
        match load(&format!("shipped:{name}"), text, trees) {
            Ok(s) if s.id.value == id_or_path => return Ok(s),
            Ok(s) => available.push(s.id.value),
            // Shipped scenarios need the shipped tree; without it they are
            // simply not available.
            Err(_) => {}
        }
    }
    if let Some(e) = broken {
        return Err(e);
    }
    let hint = did_you_mean(id_or_path, available.iter().map(String::as_str)).map(str::to_string);
    Err(CatalogError::NotFound {
        id: id_or_path.to_string(),
        hint,
        available,
    })
}
