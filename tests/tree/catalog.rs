//! The catalog (shipped and user trees, lookup by id or path) and
//! `cairn check`.

use std::process::Command;

use cairn::tree::catalog::{self, CatalogError};
use cairn::tree::load::parse;

use super::common::{fixture, fixture_path};

#[test]
fn every_shipped_tree_validates() {
    let shipped = catalog::shipped();
    assert!(
        shipped
            .iter()
            .any(|s| s.origin == "shipped:token-theft.toml"),
        "the token-theft playbook is shipped"
    );
    for source in shipped {
        if let Err(d) = parse(&source.origin, &source.text) {
            panic!("{} does not validate:\n{d}", source.origin);
        }
    }
}

#[test]
fn the_token_theft_tree_is_found_by_id() {
    let empty = tempfile::tempdir().unwrap();
    let (tree, source) = catalog::find_in("token-theft", Some(empty.path())).unwrap();
    assert_eq!(source.origin, "shipped:token-theft.toml");
    assert_eq!(tree.languages, ["en", "ja"]);
    assert_eq!(catalog::source_hash(&source.text).len(), 64);
}

#[test]
fn the_shipped_trees_are_exactly_the_trees_folder() {
    let dir = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("trees");
    let mut on_disk: Vec<(String, String)> = std::fs::read_dir(dir)
        .map(|entries| {
            entries
                .map(|e| e.unwrap().path())
                .filter(|p| p.extension().is_some_and(|x| x == "toml"))
                .map(|p| {
                    let name = p.file_name().unwrap().to_string_lossy().into_owned();
                    (
                        format!("shipped:{name}"),
                        std::fs::read_to_string(&p).unwrap(),
                    )
                })
                .collect()
        })
        .unwrap_or_default();
    on_disk.sort();
    let shipped: Vec<(String, String)> = catalog::shipped()
        .into_iter()
        .map(|s| (s.origin, s.text))
        .collect();
    assert_eq!(shipped, on_disk);
}

fn config_with_trees(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("trees")).unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join("trees").join(name), text).unwrap();
    }
    dir
}

#[test]
fn user_trees_are_the_toml_files_of_the_config_trees_folder() {
    let base = fixture("base.toml");
    let config = config_with_trees(&[("b.toml", &base), ("a.toml", "x"), ("notes.txt", "n")]);
    let trees = catalog::user_trees(Some(config.path()));
    let origins: Vec<String> = trees
        .iter()
        .map(|t| {
            std::path::Path::new(&t.origin)
                .file_name()
                .unwrap()
                .to_string_lossy()
                .into_owned()
        })
        .collect();
    assert_eq!(origins, ["a.toml", "b.toml"]);
    assert_eq!(trees[1].text, base);
    let missing = tempfile::tempdir().unwrap();
    assert!(catalog::user_trees(Some(missing.path())).is_empty());
}

#[test]
fn find_by_id_by_path_and_with_a_suggestion() {
    let config = config_with_trees(&[("mine.toml", &fixture("base.toml"))]);
    let (tree, source) = catalog::find_in("base", Some(config.path())).unwrap();
    assert_eq!(tree.id.value, "base");
    assert!(source.origin.ends_with("mine.toml"));

    let path = fixture_path("mini.toml");
    let (tree, source) = catalog::find_in(path.to_str().unwrap(), Some(config.path())).unwrap();
    assert_eq!(tree.id.value, "mini");
    assert_eq!(source.text, fixture("mini.toml"));

    match catalog::find_in("bsae", Some(config.path())) {
        Err(CatalogError::NotFound {
            hint, available, ..
        }) => {
            assert_eq!(hint.as_deref(), Some("base"));
            assert!(available.contains(&"base".to_string()));
        }
        other => panic!("expected NotFound, got {other:?}"),
    }
    let broken = fixture_path("invalid/unknown-start.toml");
    match catalog::find_in(broken.to_str().unwrap(), None) {
        Err(CatalogError::Invalid(d)) => assert!(d.to_string().contains("tirage")),
        other => panic!("expected Invalid, got {other:?}"),
    }
}

#[test]
fn a_user_tree_takes_the_place_of_a_shipped_tree_with_its_id() {
    let mine = fixture("base.toml").replace("id = \"base\"", "id = \"token-theft\"");
    let config = config_with_trees(&[("my-token-theft.toml", &mine)]);
    let (tree, source) = catalog::find_in("token-theft", Some(config.path())).unwrap();
    assert!(
        source.origin.ends_with("my-token-theft.toml"),
        "{}",
        source.origin
    );
    assert_eq!(tree.nodes.len(), 4);
}

#[test]
fn check_names_a_file_it_cannot_read() {
    let config = tempfile::tempdir().unwrap();
    let missing = config.path().join("nope.toml");
    let (code, stdout, stderr) = cairn(&["check", missing.to_str().unwrap()], config.path());
    assert_eq!((code, stdout.as_str()), (1, ""));
    assert!(stderr.contains("nope.toml: cannot read:"), "{stderr}");
}

#[test]
fn source_hash_is_sha256_hex() {
    assert_eq!(
        catalog::source_hash("abc"),
        "ba7816bf8f01cfea414140de5dae2223b00361a396177a9cb410ff61f20015ad"
    );
}

fn cairn(args: &[&str], config: &std::path::Path) -> (i32, String, String) {
    let out = Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args(args)
        .env("CAIRN_CONFIG_DIR", config)
        .output()
        .unwrap();
    (
        out.status.code().unwrap_or(-1),
        String::from_utf8_lossy(&out.stdout).into_owned(),
        String::from_utf8_lossy(&out.stderr).into_owned(),
    )
}

#[test]
fn check_summarises_valid_trees_and_exits_zero() {
    let config = tempfile::tempdir().unwrap();
    let path = fixture_path("mini.toml");
    let (code, stdout, stderr) = cairn(&["check", path.to_str().unwrap()], config.path());
    assert_eq!((code, stderr.as_str()), (0, ""));
    assert_eq!(
        stdout,
        "mini 1.0.0: 4 nodes (1 step, 1 decision, 2 outcome), phases triage..close, \
         lookups 1 (loganalytics 1), actions 1 (1 destructive), languages en ja\n"
    );
}

#[test]
fn check_reports_every_error_of_every_file_and_exits_one() {
    let config = tempfile::tempdir().unwrap();
    let good = fixture_path("base.toml");
    let bad = fixture_path("invalid/many-errors.toml");
    let (code, stdout, stderr) = cairn(
        &["check", bad.to_str().unwrap(), good.to_str().unwrap()],
        config.path(),
    );
    assert_eq!(code, 1);
    assert!(stdout.starts_with("base 0.1.0: 4 nodes"), "{stdout}");
    let expected = parse("", &fixture("invalid/many-errors.toml"))
        .unwrap_err()
        .len();
    let reported = stderr
        .lines()
        .filter(|l| l.contains("many-errors.toml:"))
        .count();
    assert_eq!(reported, expected, "{stderr}");
}

#[test]
fn check_without_paths_covers_shipped_and_user_trees() {
    let config = config_with_trees(&[
        ("base.toml", &fixture("base.toml")),
        ("broken.toml", &fixture("invalid/unknown-start.toml")),
    ]);
    let (code, stdout, stderr) = cairn(&["check"], config.path());
    assert_eq!(code, 1);
    assert!(
        stdout.lines().any(|l| l.starts_with("base 0.1.0:")),
        "{stdout}"
    );
    assert_eq!(
        stdout.lines().count(),
        catalog::shipped().len() + 1,
        "one line per valid tree: {stdout}"
    );
    assert!(
        stderr.contains("broken.toml:6:10: start points to unknown node 'tirage'"),
        "{stderr}"
    );
}
