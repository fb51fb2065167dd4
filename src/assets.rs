//! The files shipped inside Cairn: every file of `trees/` and `assets/`,
//! embedded by `build.rs` as one table, so trees, scenarios, recordings,
//! the default keymap and templates are found the same way.

mod table {
    include!(concat!(env!("OUT_DIR"), "/assets.rs"));
}

/// The folder of the shipped scenarios: `<id>.toml` beside the folder of
/// its recordings, `<id>/`.
pub const SCENARIOS: &str = "assets/scenarios";

/// The shipped file at `path` (from the crate root, with `/`).
pub fn file(path: &str) -> Option<&'static str> {
    table::FILES
        .binary_search_by_key(&path, |(p, _)| p)
        .ok()
        .map(|i| table::FILES[i].1)
}

/// The files directly in the shipped folder `dir`, as (file name, text), in
/// name order.
pub fn dir(dir: &str) -> Vec<(&'static str, &'static str)> {
    let prefix = format!("{}/", dir.trim_end_matches('/'));
    table::FILES
        .iter()
        .filter_map(|(path, text)| {
            let name = path.strip_prefix(prefix.as_str())?;
            (!name.contains('/')).then_some((name, *text))
        })
        .collect()
}

#[cfg(test)]
mod tests {
    use std::path::Path;

    /// Every file of the shipped folders is embedded, unchanged.
    #[test]
    fn the_table_is_exactly_the_shipped_folders() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR"));
        let mut on_disk = Vec::new();
        fn walk(dir: &Path, root: &Path, out: &mut Vec<(String, String)>) {
            for entry in std::fs::read_dir(dir).unwrap() {
                let path = entry.unwrap().path();
                if path.is_dir() {
                    walk(&path, root, out);
                } else {
                    let rel = path
                        .strip_prefix(root)
                        .unwrap()
                        .to_string_lossy()
                        .replace('\\', "/");
                    out.push((rel, std::fs::read_to_string(&path).unwrap()));
                }
            }
        }
        for dir in ["trees", "assets"] {
            walk(&root.join(dir), root, &mut on_disk);
        }
        on_disk.sort();
        let embedded: Vec<(String, String)> = super::table::FILES
            .iter()
            .map(|(p, t)| (p.to_string(), t.to_string()))
            .collect();
        assert_eq!(embedded, on_disk);
    }

    #[test]
    fn files_and_folders_are_found_by_path() {
        assert!(super::file("assets/keymap.toml").is_some());
        assert!(super::file("assets/nope.toml").is_none());
        let scenarios: Vec<&str> = super::dir("assets/scenarios")
            .iter()
            .map(|(n, _)| *n)
            .collect();
        assert_eq!(scenarios, ["aitm.toml", "benign-travel.toml"]);
        let aitm = super::dir("assets/scenarios/aitm/");
        assert!(aitm.iter().all(|(n, _)| n.ends_with(".json")));
        assert!(aitm.iter().any(|(n, _)| *n == "signins-user.json"));
    }
}
