//! Where trees come from: the shipped trees embedded in the binary, the
//! user's own trees in `<config dir>/trees/`, and explicit paths (the
//! generic [`Catalog`] does the finding).

use std::path::{Path, PathBuf};

use sha2::{Digest, Sha256};

use super::load::{MAX_TREE_BYTES, parse_bytes};
use super::model::Tree;

mod generic;
pub use generic::{Catalog, CatalogError, Source, Source as TreeSource, default_config_dir};

/// The trees' catalog.
pub fn catalog() -> Catalog<'static, Tree> {
    Catalog {
        kind: "tree",
        folder: "trees",
        shipped: "trees",
        max_bytes: MAX_TREE_BYTES,
        parse: Box::new(parse_bytes),
        id: |t| &t.id.value,
    }
}

/// Every tree shipped in the binary, in file-name order.
pub fn shipped() -> Vec<TreeSource> {
    catalog().shipped()
}

/// The `*.toml` files in `<config_dir>/trees/` (default config dir when
/// `None`), sorted.
pub fn user_tree_files(config_dir: Option<&Path>) -> Vec<PathBuf> {
    catalog().user_files(config_dir)
}

/// The readable UTF-8 user trees (unreadable ones are left to `cairn check`,
/// which reports them with their error).
pub fn user_trees(config_dir: Option<&Path>) -> Vec<TreeSource> {
    catalog().user_sources(config_dir)
}

/// Reads at most one byte more than a tree may have.
pub fn read_capped(path: &Path) -> std::io::Result<Vec<u8>> {
    generic::read_capped(path, MAX_TREE_BYTES)
}

/// A tree by id (user trees first, so a user can override a shipped tree,
/// then shipped trees) or by path.
pub fn find(id_or_path: &str) -> Result<(Tree, TreeSource), CatalogError> {
    find_in(id_or_path, None)
}

/// [`find`] with an explicit config directory (`None`: the default one).
pub fn find_in(
    id_or_path: &str,
    config_dir: Option<&Path>,
) -> Result<(Tree, TreeSource), CatalogError> {
    catalog().find(id_or_path, config_dir)
}

/// SHA-256 of the source text, lower-case hex: the store records it so an
/// incident names exactly the tree it was walked with.
pub fn source_hash(text: &str) -> String {
    hex::encode(Sha256::digest(text.as_bytes()))
}
