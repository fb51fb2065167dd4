//! `cairn graph TREE --format mermaid|dot|markdown --lang LANG`.

use std::process::ExitCode;

use anyhow::bail;

use super::GraphFormat;
use crate::text::{Medium, visible};
use crate::tree::graph;

pub fn run(tree: &str, format: GraphFormat, lang: Option<&str>) -> anyhow::Result<ExitCode> {
    let Some(tree) = super::find_tree(tree)? else {
        return Ok(ExitCode::FAILURE);
    };
    let lang = &super::say::content_lang(lang, &tree.languages);
    if !tree.languages.iter().any(|l| l == lang) {
        bail!(super::say::fill(
            "graph-no-language",
            &[
                ("tree", &visible(&tree.id.value, Medium::Cli)),
                ("lang", &visible(lang, Medium::Cli)),
                ("langs", &visible(&tree.languages.join(" "), Medium::Cli)),
            ]
        ));
    }
    let text = match format {
        GraphFormat::Mermaid => graph::mermaid(&tree, lang),
        GraphFormat::Dot => graph::dot(&tree, lang),
        GraphFormat::Markdown => graph::markdown(&tree, lang),
    };
    print!("{text}");
    Ok(ExitCode::SUCCESS)
}
