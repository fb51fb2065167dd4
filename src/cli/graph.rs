//! `cairn graph TREE --format mermaid|dot|markdown --lang LANG`.

use std::process::ExitCode;

use anyhow::bail;

use super::GraphFormat;
use crate::text::{Medium, visible};
use crate::tree::catalog::{self, CatalogError};
use crate::tree::graph;

pub fn run(tree: &str, format: GraphFormat, lang: &str) -> anyhow::Result<ExitCode> {
    let tree = match catalog::find(tree) {
        Ok((tree, _)) => tree,
        Err(CatalogError::Invalid(diagnostics)) => {
            eprintln!("{diagnostics}");
            return Ok(ExitCode::FAILURE);
        }
        Err(other) => return Err(other.into()),
    };
    if !tree.languages.iter().any(|l| l == lang) {
        bail!(
            "tree '{}' has no '{}' texts; it provides: {}",
            visible(&tree.id.value, Medium::Cli),
            visible(lang, Medium::Cli),
            visible(&tree.languages.join(" "), Medium::Cli)
        );
    }
    let text = match format {
        GraphFormat::Mermaid => graph::mermaid(&tree, lang),
        GraphFormat::Dot => graph::dot(&tree, lang),
        GraphFormat::Markdown => graph::markdown(&tree, lang),
    };
    print!("{text}");
    Ok(ExitCode::SUCCESS)
}
