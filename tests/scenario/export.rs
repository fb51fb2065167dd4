//! `cairn export ID --format aar` on the built binary: a tabletop of a
//! shipped scenario recorded in a real store comes out as a report.

use std::process::Command;

use cairn::scenario::catalog::find;
use cairn::scenario::{SystemClock, Tabletop};
use cairn::store::event::{Mode, NoteTag};
use cairn::store::{NewIncident, Store};

#[test]
fn export_aar_of_a_recorded_tabletop() {
    let data = tempfile::tempdir().unwrap();
    let config = tempfile::tempdir().unwrap();
    let source = cairn::tree::catalog::shipped()
        .into_iter()
        .find(|s| s.origin.ends_with("token-theft.toml"))
        .unwrap();
    let tree = cairn::tree::load::parse("token-theft", &source.text).unwrap();
    let scenario = find("benign-travel", &[&tree], None).unwrap();
    let mut store = Store::open(data.path()).unwrap();
    let id = store
        .create_incident(NewIncident {
            title: "Tabletop: travel look-alike".into(),
            tree_id: tree.id.value.clone(),
            tree_version: tree.version.clone(),
            tree_source: source.text.clone(),
            language: "en".into(),
            mode: Mode::Tabletop,
        })
        .unwrap();
    let clock = SystemClock;
    let (mut t, opening) = Tabletop::start(&tree, &scenario, &clock).unwrap();
    let mut record = |events: Vec<cairn::store::event::EventKind>| {
        for e in events {
            store.append(&id, e).unwrap();
        }
    };
    record(opening.events);
    record(t.choose("ready", None).unwrap().events);
    record(
        t.choose("unfamiliar-properties", Some("Identity Protection alert"))
            .unwrap()
            .events,
    );
    record(
        t.choose("investigate", Some("nothing confirms malice yet"))
            .unwrap()
            .events,
    );
    record(t.advance().unwrap().events);
    record(t.release_next().events);
    record(vec![
        t.note(NoteTag::Strength, "Called Kenji on the HR number")
            .unwrap(),
    ]);
    record(
        t.choose("legitimate", Some("confirmed by phone; ticket SD-4821"))
            .unwrap()
            .events,
    );

    let out = Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args([
            "--data-dir",
            data.path().to_str().unwrap(),
            "export",
            &id.to_string(),
            "--format",
            "aar",
        ])
        .env("CAIRN_CONFIG_DIR", config.path())
        .output()
        .unwrap();
    let md = String::from_utf8(out.stdout).unwrap();
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(
        md.starts_with("# After-action report: Unfamiliar sign-in: a salesperson on the road"),
        "{md}"
    );
    assert!(
        md.contains("| Exercise | Tabletop: travel look-alike |"),
        "{md}"
    );
    assert!(md.contains("No compromise"), "{md}");
    assert!(
        md.contains("- **Decisions matching the playbook:** 4 / 4"),
        "{md}"
    );
    assert!(
        md.contains("- **Time to containment:** not reached"),
        "{md}"
    );
    assert!(
        md.contains("_Reason given: confirmed by phone; ticket SD-4821_"),
        "{md}"
    );
    assert!(md.contains("`service-desk-ticket`"), "{md}");
    assert!(md.contains("- Called Kenji on the HR number"), "{md}");
}
