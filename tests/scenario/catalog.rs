//! Finding scenarios: user directory, explicit paths, suggestions.

use cairn::scenario::catalog::{CatalogError, find};

use crate::common::*;

fn user_dir_with(files: &[(&str, &str)]) -> tempfile::TempDir {
    let dir = tempfile::tempdir().unwrap();
    std::fs::create_dir(dir.path().join("scenarios")).unwrap();
    for (name, text) in files {
        std::fs::write(dir.path().join("scenarios").join(name), text).unwrap();
    }
    dir
}

#[test]
fn finds_a_user_scenario_by_id_and_by_path() {
    let tree = mini_tree();
    let dir = user_dir_with(&[("mine.toml", &fixture("valid.toml"))]);
    let s = find("mini-aitm", &[&tree], Some(dir.path())).unwrap();
    assert_eq!(s.id.value, "mini-aitm");
    let path = dir.path().join("scenarios/mine.toml");
    let s = find(path.to_str().unwrap(), &[&tree], None).unwrap();
    assert_eq!(s.tree.value, "mini");
}

#[test]
fn unknown_id_suggests_the_closest() {
    let tree = mini_tree();
    let dir = user_dir_with(&[("mine.toml", &fixture("valid.toml"))]);
    match find("mini-atm", &[&tree], Some(dir.path())) {
        Err(CatalogError::NotFound {
            hint, available, ..
        }) => {
            assert_eq!(hint.as_deref(), Some("mini-aitm"));
            assert!(available.contains(&"mini-aitm".to_string()));
        }
        other => panic!("{other:?}"),
    }
}

#[test]
fn a_broken_user_file_is_reported_when_nothing_matches() {
    let tree = mini_tree();
    let dir = user_dir_with(&[
        ("a.toml", &fixture("valid.toml")),
        ("b.toml", &fixture("bad-duration.toml")),
    ]);
    // The good file is still found despite its broken neighbour.
    assert_eq!(
        find("mini-aitm", &[&tree], Some(dir.path()))
            .unwrap()
            .id
            .value,
        "mini-aitm"
    );
    match find("nothing-like-it", &[&tree], Some(dir.path())) {
        Err(CatalogError::Invalid(d)) => assert!(d.to_string().contains("b.toml:66:9"), "{d}"),
        other => panic!("{other:?}"),
    }
}

#[test]
fn missing_file_is_a_read_error() {
    let tree = mini_tree();
    assert!(matches!(
        find("/nonexistent/x.toml", &[&tree], None),
        Err(CatalogError::Read { .. })
    ));
}
