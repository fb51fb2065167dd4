//! Where scenarios come from: the shipped ones embedded in the binary (so
//! practice works from any directory), the user's own in
//! `<config dir>/scenarios/`, and explicit paths (the generic [`Catalog`]
//! does the finding).

use std::path::Path;

use super::diag::Diagnostics;
use super::model::Scenario;
use super::parse::{MAX_SCENARIO_BYTES, load, load_bytes};
use crate::tree::Tree;
use crate::tree::catalog::Catalog;
pub use crate::tree::catalog::CatalogError;

/// The scenarios' catalog, each checked against `trees`.
pub fn catalog<'a>(trees: &'a [&'a Tree]) -> Catalog<'a, Scenario> {
    Catalog {
        kind: "scenario",
        folder: "scenarios",
        shipped: crate::assets::SCENARIOS,
        max_bytes: MAX_SCENARIO_BYTES,
        parse: Box::new(move |origin, bytes| load_bytes(origin, bytes, trees)),
        id: |s| &s.id.value,
    }
}

/// Every shipped scenario, loaded against `trees`.
pub fn shipped(trees: &[&Tree]) -> Vec<Result<Scenario, Diagnostics>> {
    catalog(trees)
        .shipped()
        .iter()
        .map(|s| load(&s.origin, &s.text, trees))
        .collect()
}

/// The scenarios a user can start: their own valid ones first (a user
/// scenario with a shipped id replaces it), then the shipped ones. Invalid
/// files are left out here; `cairn train FILE` reports their errors.
pub fn available(trees: &[&Tree], config_dir: Option<&Path>) -> Vec<Scenario> {
    catalog(trees)
        .available(config_dir)
        .into_iter()
        .map(|(s, _)| s)
        .collect()
}

/// Finds a scenario by id (user scenarios first, then shipped ones) or, when
/// `id_or_path` names a file, loads that file.
pub fn find(
    id_or_path: &str,
    trees: &[&Tree],
    config_dir: Option<&Path>,
) -> Result<Scenario, CatalogError> {
    catalog(trees).find(id_or_path, config_dir).map(|(s, _)| s)
}
