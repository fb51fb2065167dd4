//! Embeds every `trees/*.toml` in the binary, so adding a shipped tree needs
//! no code change and `cairn` works from any directory.

use std::env;
use std::fs;
use std::path::{Path, PathBuf};

fn main() {
    println!("cargo:rerun-if-changed=trees");
    let dir = Path::new(&env::var("CARGO_MANIFEST_DIR").expect("cargo sets CARGO_MANIFEST_DIR"))
        .join("trees");
    let mut files: Vec<PathBuf> = fs::read_dir(&dir)
        .map(|entries| {
            entries
                .filter_map(|e| e.ok().map(|e| e.path()))
                .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
                .collect()
        })
        .unwrap_or_default();
    files.sort();

    let mut code = String::from(
        "/// (file name, source) of every shipped tree.\npub static SHIPPED: &[(&str, &str)] = &[\n",
    );
    for path in &files {
        let name = path.file_name().expect("a file").to_string_lossy();
        println!("cargo:rerun-if-changed={}", path.display());
        code.push_str(&format!(
            "    ({name:?}, include_str!({:?})),\n",
            path.display().to_string()
        ));
    }
    code.push_str("];\n");
    let out =
        PathBuf::from(env::var("OUT_DIR").expect("cargo sets OUT_DIR")).join("shipped_trees.rs");
    fs::write(out, code).expect("OUT_DIR is writable");
}
