//! A responder's session on the real binary and store: walk, note, quit,
//! resume; and a hangup in the middle that loses nothing recorded. Keys
//! from `assets/keymap.toml`: home `p` practice, `Enter` open; node `1`..`9`
//! choose, `j` down, `Enter` continue, `space` tick, `n` note (`Ctrl+s`
//! save), `Q` quit.

use std::time::Duration;

use crate::escapes;
use crate::harness::{Session, TestEnv, contains, keys};

const T: Duration = Duration::from_secs(10);
const NOTE: &str = "pty note 7f3a: risk events checked";

fn home(env: &TestEnv) -> Session {
    let s = Session::spawn(env.cairn(&[]), 80, 24);
    s.wait_for("Practice incident", T).unwrap();
    s
}

fn step(s: &mut Session, keys: &str, text: &str) {
    s.press(keys, text, T);
}

/// Practice incident, then three decisions: ready, the trigger, and on to
/// the investigation checklist.
fn walk_three_decisions(s: &mut Session) {
    step(s, "p", "Ready to investigate?");
    step(s, "1", "What triggered this investigation?");
    step(s, "1", "Anomalous token");
    // The step node's "Continue" is its last item.
    for _ in 0..10 {
        if s.screen_text().contains("> -> Continue") {
            break;
        }
        s.bytes_in_response("j", Duration::from_millis(100));
    }
    step(s, keys::ENTER, "Path: ... > What triggered");
    s.wait_for("Investigation checklist", T).unwrap();
}

fn add_note(s: &mut Session, text: &str) {
    step(s, "n", "Note on Investigation checklist");
    s.send(text);
    s.wait_for(text, T).unwrap();
    step(s, keys::CTRL_S, "Path:");
}

fn screen_line(s: &Session, prefix: &str) -> String {
    s.screen_text()
        .lines()
        .find(|l| l.starts_with(prefix))
        .unwrap_or_else(|| panic!("no line starting {prefix:?}:\n{}", s.screen_text()))
        .trim_end()
        .to_string()
}

/// The id of the incident on screen, from its header.
pub fn incident_id(s: &Session) -> String {
    let header = screen_line(s, "TT-");
    header.split_whitespace().next().unwrap().to_string()
}

pub fn events(env: &TestEnv, id: &str) -> Vec<serde_json::Value> {
    let json = env.cairn_output(&["export", id, "--format", "json"]);
    let doc: serde_json::Value = serde_json::from_str(&json).expect("export is JSON");
    let events = doc.get("events").or(Some(&doc)).and_then(|e| e.as_array());
    events
        .cloned()
        .unwrap_or_else(|| panic!("no events in {json}"))
}

pub fn of_type<'a>(events: &'a [serde_json::Value], kind: &str) -> Vec<&'a serde_json::Value> {
    events
        .iter()
        .filter(|e| e.to_string().contains(&format!("\"type\":\"{kind}\"")))
        .collect()
}

#[test]
fn a_practice_walk_resumes_after_quitting_at_the_same_node_with_path_and_note() {
    let env = TestEnv::new();
    let mut s = home(&env);
    walk_three_decisions(&mut s);
    add_note(&mut s, NOTE);
    let path = screen_line(&s, "Path:");
    let id = incident_id(&s);
    s.send("Q");
    assert!(s.wait_exit(T).expect("quit").success());
    assert_eq!(escapes::foreign(&s.raw()), vec![]);

    let mut s = home(&env);
    s.wait_for(&id, T).unwrap();
    step(&mut s, keys::ENTER, "Path:");
    assert_eq!(screen_line(&s, "Path:"), path);
    // The note sits below the node's items, past what 24 rows show of this
    // node (and the view scrolls only as far as the cursor): look taller.
    s.resize(80, 60);
    s.wait_for(NOTE, T).unwrap();
    s.send("Q");
    assert!(s.wait_exit(T).expect("quit").success());

    let events = events(&env, &id);
    assert!(of_type(&events, "choice_made").len() >= 2, "{events:#?}");
    let notes = of_type(&events, "note_added");
    assert!(
        notes.iter().any(|n| n.to_string().contains(NOTE)),
        "{notes:#?}"
    );
}

#[test]
fn a_hangup_mid_session_restores_the_terminal_and_loses_nothing_recorded() {
    let env = TestEnv::new();
    let mut s = home(&env);
    walk_three_decisions(&mut s);
    add_note(&mut s, NOTE);
    // Tick a checklist item and wait until the screen shows it recorded.
    step(&mut s, " ", "> [x]");
    let id = incident_id(&s);
    // One more tick in flight, and the link drops at once.
    s.send("j ");
    s.send_signal("HUP");
    let status = s.wait_exit(T).expect("cairn exits on SIGHUP");
    assert_eq!((status.exit_code(), status.signal()), (129, None));
    let raw = s.raw();
    let tail = &raw[raw.len().saturating_sub(64)..];
    assert!(contains(tail, b"\x1b[?1049l") && contains(tail, b"\x1b[?25h"));
    assert_eq!(s.alternate_and_hidden(), (false, false));

    let events = events(&env, &id);
    assert!(of_type(&events, "choice_made").len() >= 2, "{events:#?}");
    assert!(
        of_type(&events, "note_added")
            .iter()
            .any(|n| n.to_string().contains(NOTE))
    );
    assert!(
        !of_type(&events, "checklist_toggled").is_empty(),
        "{events:#?}"
    );
    env.cairn_output(&["verify", &id]);
}

/// `cairn new --open` prints the id (so it stays in the shell) and opens the
/// new incident on its start node; the value given with `--set` is recorded.
#[test]
fn new_with_open_lands_on_the_created_incident() {
    let env = TestEnv::new();
    let mut s = Session::spawn(
        env.cairn(&[
            "new",
            "--tree",
            "token-theft",
            "--title",
            "Paged: unfamiliar sign-in",
            "--set",
            "upn=mika.sato@contoso.example",
            "--open",
        ]),
        80,
        24,
    );
    s.wait_for("Ready to investigate?", T).unwrap();
    let screen = s.screen_text();
    assert!(screen.contains("Paged: unfamiliar sign-in"), "{screen}");
    assert!(screen.contains("LIVE"), "{screen}");
    s.send("Q");
    assert!(s.wait_exit(T).expect("exit").success());
    let list = env.cairn_output(&["list"]);
    let id = list
        .lines()
        .find(|l| l.contains("Paged: unfamiliar sign-in"))
        .and_then(|l| l.split_whitespace().next())
        .unwrap_or_else(|| panic!("not listed: {list}"))
        .to_string();
    assert!(contains(&s.raw(), id.as_bytes()), "the id was not printed");
    let json = env.cairn_output(&["export", &id, "--format", "json"]);
    assert!(json.contains("mika.sato@contoso.example"), "{json}");
}
