//! Embeds every file of `trees/` and `assets/` in the binary as one table
//! (`src/assets.rs` reads it), so a shipped tree, scenario or recording
//! needs no code change and `cairn` works from any directory.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

/// The folders whose files are shipped, relative to the crate root.
const ROOTS: &[&str] = &["trees", "assets"];

fn walk(dir: &Path, out: &mut Vec<PathBuf>) {
    let Ok(entries) = fs::read_dir(dir) else {
        return;
    };
    for path in entries.filter_map(|e| e.ok().map(|e| e.path())) {
        if path.is_dir() {
            walk(&path, out);
        } else if path.is_file() {
            out.push(path);
        }
    }
}

fn main() {
    let root =
        PathBuf::from(env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"));
    let mut files = Vec::new();
    for dir in ROOTS {
        // A folder makes cargo rescan it whole, so new files are seen.
        println!("cargo:rerun-if-changed={dir}");
        walk(&root.join(dir), &mut files);
    }
    let mut entries: Vec<(String, PathBuf)> = files
        .into_iter()
        .map(|path| {
            let rel = path.strip_prefix(&root).expect("under the crate root");
            let rel = rel
                .components()
                .map(|c| c.as_os_str().to_string_lossy().into_owned())
                .collect::<Vec<_>>()
                .join("/");
            (rel, path)
        })
        .collect();
    entries.sort();

    let mut code = String::from(
        "/// (path from the crate root with `/`, text) of every shipped file, by path.\n\
         pub static FILES: &[(&str, &str)] = &[\n",
    );
    for (rel, path) in &entries {
        code.push_str(&format!(
            "    ({rel:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out = PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("assets.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}
