//! What every store command needs: the store, a parsed incident id, and
//! safe printing of recorded text.

use std::path::{Path, PathBuf};

use anyhow::Context;

use crate::store::{Incident, IncidentId, Store, default_data_dir, witness};
use crate::text::{Medium, visible};
use crate::tree::{Tree, catalog, load};

/// Opens the store in `--data-dir` / `CAIRN_DATA_DIR`, else the user's data
/// directory.
pub fn open_store(data_dir: Option<&Path>) -> anyhow::Result<Store> {
    let dir = data_dir_or_default(data_dir)?;
    tighten_modes(&dir);
    Ok(Store::open(&dir)?)
}

/// Opens the store for a command that only reads (`show`, `list`, `export`,
/// `verify`): it never checkpoints or removes a `-wal` file.
pub fn open_store_read_only(data_dir: Option<&Path>) -> anyhow::Result<Store> {
    let dir = data_dir_or_default(data_dir)?;
    tighten_modes(&dir);
    let store = Store::open_read_only(&dir)?;
    if let Some(why) = store.read_only() {
        let (why, dir) = (why.to_string(), safe(&dir.display().to_string()));
        let fills = [("why", why.as_str()), ("dir", &dir)];
        eprintln!("{}", super::say::fill("store-read-only", &fills));
    }
    Ok(store)
}

/// Opens the store for the screen: for writing, or, when it cannot be
/// written now, for reading (the screen shows why; writes try again).
pub fn open_store_for_screen(data_dir: Option<&Path>) -> anyhow::Result<Store> {
    let dir = data_dir_or_default(data_dir)?;
    tighten_modes(&dir);
    Ok(Store::open_or_read_only(&dir)?)
}

fn data_dir_or_default(data_dir: Option<&Path>) -> anyhow::Result<PathBuf> {
    match data_dir {
        Some(dir) => Ok(dir.to_path_buf()),
        None => default_data_dir().context(super::say::text("no-home")),
    }
}

/// After a write: says so when the saved event could not be added to the
/// head log (the event itself is saved).
pub fn warn_if_unwitnessed() {
    if let Some(problem) = witness::take_failure() {
        let problem = safe(&problem);
        eprintln!("{}", super::say::fill("warning", &[("what", &problem)]));
    }
}

/// The data directory is the owner's only (0700) and the store's files too
/// (0600): looser modes left by an older version, a copy or a umask are
/// tightened, and the responder is told.
fn tighten_modes(dir: &Path) {
    use crate::runtime::private_file::tighten;
    let db = dir.join(crate::store::DB_FILE);
    let mut files = vec![(dir.to_path_buf(), 0o700)];
    for suffix in ["", "-wal", "-shm"] {
        let mut name = db.clone().into_os_string();
        name.push(suffix);
        files.push((name.into(), 0o600));
    }
    for (path, mode) in files {
        match tighten(&path, mode) {
            Ok(true) => {
                let (path, mode) = (safe(&path.display().to_string()), format!("{mode:o}"));
                let fills = [("path", path.as_str()), ("mode", &mode)];
                eprintln!("{}", super::say::fill("mode-tightened", &fills));
            }
            Ok(false) => {}
            // Missing files are normal (a new store, no WAL yet); others
            // surface when the store opens.
            Err(_) => {}
        }
    }
}

pub fn incident_id(text: &str) -> anyhow::Result<IncidentId> {
    Ok(IncidentId::parse(text)?)
}

/// Recorded text for the terminal: control characters shown, not obeyed.
pub fn safe(text: &str) -> String {
    visible(text, Medium::Cli).into_owned()
}

/// The tree an incident was started with, parsed from the source stored
/// with it (so titles match what the responder saw). `None` if that copy no
/// longer parses (the report then shows ids only).
pub fn own_tree(incident: &Incident) -> Option<Tree> {
    load::parse(
        &format!("tree stored with {}", incident.id),
        &incident.tree_source,
    )
    .ok()
}

/// A warning when the tree now installed under the incident's tree id is not
/// the one the incident was started with (it resumes against its own copy).
pub fn tree_drift(incident: &Incident) -> Option<String> {
    let id = incident.id.to_string();
    let keep = super::say::fill("tree-keep", &[("id", &id)]);
    match catalog::find(&incident.tree_id) {
        Ok((tree, source)) => {
            if catalog::source_hash(&source.text) == catalog::source_hash(&incident.tree_source) {
                None
            } else {
                let fills = [
                    ("tree", safe(&incident.tree_id)),
                    ("stored", safe(&incident.tree_version)),
                    ("now", safe(&tree.version)),
                    ("origin", safe(&source.origin)),
                    ("keep", keep),
                ];
                let fills: Vec<(&str, &str)> =
                    fills.iter().map(|(k, v)| (*k, v.as_str())).collect();
                Some(super::say::fill("tree-changed", &fills))
            }
        }
        Err(_) => {
            let tree = safe(&incident.tree_id);
            let fills = [("tree", tree.as_str()), ("keep", &keep)];
            Some(super::say::fill("tree-gone", &fills))
        }
    }
}
