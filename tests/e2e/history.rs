//! A lookup's run history over a pty, after quitting and `cairn open ID`:
//! the results open on the newest run, `H` lists every run with its time,
//! window, status and rows, and choosing the older one shows its stored
//! rows. Nothing is queried again.

use std::sync::atomic::Ordering;
use std::time::Duration;

use crate::harness::{Session, TestEnv};
use crate::results::{
    configure, ip_rows, new_incident, open_at_lookup, quit, serve_in_turn, show_results,
};

const T: Duration = Duration::from_secs(15);

/// Runs the node's lookup (the cursor is on it), waits for `row`, goes back.
fn run_lookup(s: &mut Session, row: &str) {
    show_results(s, row, T);
    assert!(s.screen_text().contains(row), "{}", s.screen_text());
    s.send("q");
    s.settle(Duration::from_millis(200), T);
}

#[test]
fn a_reopened_incident_shows_its_run_history_and_an_older_runs_stored_rows() {
    let env = TestEnv::new();
    let (base, served) = serve_in_turn(vec![
        ip_rows(&["198.51.100.44", "198.51.100.45"]),
        ip_rows(&["203.0.113.7"]),
    ]);
    configure(&env, &base);
    let id = new_incident(&env, "run history");
    let mut s = open_at_lookup(&env, &["open", &id], (80, 24));
    run_lookup(&mut s, "198.51.100.45");
    run_lookup(&mut s, "203.0.113.7");
    s.send("Q");
    assert!(s.wait_exit(T).expect("quit").success());
    assert_eq!(served.load(Ordering::SeqCst), 2);

    let mut s = Session::spawn(env.cairn(&["open", &id]), 80, 24);
    s.wait_for("Anomalous token", T).unwrap();
    s.press("o", "203.0.113.7", T);
    s.press("H", "Run history", T);
    let screen = s.screen_text();
    assert!(screen.contains("succeeded     1 rows"), "{screen}");
    assert!(screen.contains("succeeded     2 rows"), "{screen}");
    assert!(screen.contains(" UTC "), "{screen}");
    s.press("j", "Run history", T);
    s.send("\r");
    s.wait_for("198.51.100.44", T).unwrap();
    let screen = s.screen_text();
    assert!(screen.contains("198.51.100.45"), "{screen}");
    assert!(screen.contains("Earlier run (started "), "{screen}");
    assert!(!screen.contains("203.0.113.7"), "{screen}");
    quit(&mut s);
    assert_eq!(
        served.load(Ordering::SeqCst),
        2,
        "the stored runs were queried again"
    );
}
