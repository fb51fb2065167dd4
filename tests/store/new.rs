//! `cairn new`: trees from the catalog, typed `--set`, and what goes wrong.

use cairn::store::event::{EventKind, Mode, ValueSource};
use cairn::store::{IncidentId, Store};

use crate::support::{cairn, enter, fixture, run};

/// A data dir whose sibling config folder holds the mini tree as a user tree.
fn with_user_tree() -> (tempfile::TempDir, std::path::PathBuf) {
    let tmp = tempfile::tempdir().unwrap();
    let trees = tmp.path().join("config/trees");
    std::fs::create_dir_all(&trees).unwrap();
    std::fs::copy(fixture("mini.toml"), trees.join("mini.toml")).unwrap();
    let dir = tmp.path().join("data");
    (tmp, dir)
}

#[test]
fn new_prints_only_the_id_and_records_typed_variables() {
    let (_tmp, dir) = with_user_tree();
    let out = run(cairn(
        &dir,
        &[
            "new",
            "--tree",
            "mini",
            "--title",
            "Sign-in alert 4711",
            "--lang",
            "ja",
            "--set",
            "upn=Kim@Contoso.com",
            "--set",
            "attacker_ip= 2001:DB8::7 ",
        ],
    ));
    assert_eq!(out.code, Some(0), "{}", out.stderr);
    let id = IncidentId::parse(out.stdout.trim()).unwrap();
    assert_eq!(
        out.stdout,
        format!("{id}\n"),
        "stdout is just the id, for pipelines"
    );
    assert!(id.as_str().starts_with("M-"));
    let store = Store::open(&dir).unwrap();
    let incident = store.incident(&id).unwrap();
    assert_eq!(
        (incident.tree_id.as_str(), incident.tree_version.as_str()),
        ("mini", "1.0.0")
    );
    assert_eq!(incident.language, "ja");
    assert_eq!(incident.mode, Mode::Live);
    assert_eq!(
        incident.tree_source,
        std::fs::read_to_string(fixture("mini.toml")).unwrap()
    );
    let events = store.events(&id).unwrap();
    let sets: Vec<(String, String)> = events
        .iter()
        .filter_map(|e| match &e.kind {
            EventKind::VariableSet {
                name,
                value,
                source: ValueSource::Typed,
            } => Some((name.clone(), value.clone())),
            _ => None,
        })
        .collect();
    assert_eq!(
        sets,
        [
            ("upn".to_string(), "Kim@Contoso.com".to_string()),
            ("attacker_ip".to_string(), "2001:db8::7".to_string())
        ]
    );
    assert_eq!(store.verify(&id).unwrap().broken, None);
}

#[test]
fn bad_trees_languages_and_values_fail_and_record_nothing() {
    let (_tmp, dir) = with_user_tree();
    let cases: [(&[&str], &str); 6] = [
        (&["--tree", "token-thief"], "no tree with id 'token-thief'"),
        (
            &["--tree", "mini", "--set", "upn=alice"],
            "--set upn: invalid upn value: 'alice' is not a user principal name",
        ),
        (
            &["--tree", "mini", "--set", "attacker_ip=192.0.2.300"],
            "'192.0.2.300' is not an IPv4 or IPv6 address",
        ),
        (
            &["--tree", "mini", "--set", "up=a@b.com"],
            "tree 'mini' has no variable 'up' (did you mean 'upn'?)",
        ),
        (
            &["--tree", "mini", "--set", "upn"],
            "--set 'upn': expected NAME=VALUE",
        ),
        (
            &["--tree", "mini", "--lang", "fr"],
            "tree 'mini' is not available in language 'fr'; it provides: en, ja",
        ),
    ];
    for (args, message) in cases {
        let mut all = vec!["new", "--title", "t"];
        all.extend_from_slice(args);
        let out = run(cairn(&dir, &all));
        assert_eq!(out.code, Some(1), "{args:?}");
        assert!(out.stderr.contains(message), "{args:?}: {}", out.stderr);
        assert!(out.stdout.is_empty());
    }
    // A valid value after an invalid one: still nothing is created.
    let out = run(cairn(
        &dir,
        &[
            "new",
            "--tree",
            "mini",
            "--title",
            "t",
            "--set",
            "upn=a@b.com",
            "--set",
            "attacker_ip=x",
        ],
    ));
    assert_eq!(out.code, Some(1));
    let list = run(cairn(&dir, &["list", "--all"]));
    assert!(list.stdout.is_empty(), "{}", list.stdout);
    assert!(list.stderr.contains("No incidents"));
}

#[test]
fn open_without_a_terminal_creates_and_says_it_did_not_open() {
    let (_tmp, dir) = with_user_tree();
    let out = run(cairn(
        &dir,
        &[
            "new",
            "--tree",
            "mini",
            "--title",
            "t",
            "--set",
            "upn=a@b.com",
            "--open",
        ],
    ));
    assert_eq!(out.code, Some(0));
    assert!(
        out.stderr.contains("--open needs a terminal; ")
            && out.stderr.contains("was created but not opened"),
        "{}",
        out.stderr
    );
    assert!(IncidentId::parse(out.stdout.trim()).is_ok());
}

#[test]
fn show_warns_when_the_installed_tree_changed_and_keeps_the_stored_copy() {
    let (tmp, dir) = with_user_tree();
    let out = run(cairn(
        &dir,
        &[
            "new",
            "--tree",
            "mini",
            "--title",
            "drift",
            "--set",
            "upn=a@b.com",
        ],
    ));
    let id = out.stdout.trim().to_string();
    let out = run(cairn(&dir, &["show", &id]));
    assert!(!out.stderr.contains("warning"), "{}", out.stderr);
    let user_tree = tmp.path().join("config/trees/mini.toml");
    let changed = std::fs::read_to_string(&user_tree)
        .unwrap()
        .replace("version = \"1.0.0\"", "version = \"1.1.0\"")
        .replace("Did the user sign in?", "Was it the user?");
    std::fs::write(&user_tree, changed).unwrap();
    let mut store = Store::open(&dir).unwrap();
    let id = IncidentId::parse(&id).unwrap();
    store.append(&id, enter("triage")).unwrap();
    drop(store);
    let out = run(cairn(&dir, &["show", id.as_str()]));
    assert_eq!(out.code, Some(0));
    assert!(
        out.stderr.contains(&format!(
            "tree 'mini' has changed since this incident started (stored 1.0.0, now 1.1.0 from {}",
            user_tree.display()
        )),
        "{}",
        out.stderr
    );
    assert!(out.stderr.contains(&format!(
        "{id} continues with the copy stored when it was created"
    )));
    assert!(
        out.stdout
            .contains("current node  triage (Did the user sign in?)"),
        "{}",
        out.stdout
    );
}
