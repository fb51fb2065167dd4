//! Lookup rows on the real binary: a practice incident answered from a
//! user's scenario folder whose rows are attacker-written. The pty receives
//! only Cairn's own sequences; the screen shows every hostile character as
//! a visible marker.

use std::time::{Duration, Instant};

use crate::escapes;
use crate::harness::{Session, TestEnv, keys};
use crate::hostile::{HOSTILE, marked};

const T: Duration = Duration::from_secs(10);

/// `<config>/cairn/scenarios/aitm/` beside its scenario file `aitm.toml`:
/// the practice recordings, with the risk events of the user replaced by
/// hostile rows.
fn hostile_scenario(env: &TestEnv) {
    let dir = env.path("config").join("cairn/scenarios/aitm");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(
        dir.with_extension("toml"),
        "[scenario]\nid = \"aitm\"\ntree = \"token-theft\"\ntitle.en = \"hostile\"\n",
    )
    .unwrap();
    let rows: Vec<serde_json::Value> = HOSTILE
        .iter()
        .map(|h| serde_json::json!(["2026-11-23T08:42:31Z", h, "high"]))
        .collect();
    let body = serde_json::json!({
        "tables": [{
            "name": "PrimaryResult",
            "columns": [
                {"name": "TimeGenerated", "type": "datetime"},
                {"name": "RiskEventType", "type": "string"},
                {"name": "RiskLevel", "type": "string"},
            ],
            "rows": rows,
        }]
    });
    std::fs::write(dir.join("risk-events-user.json"), body.to_string()).unwrap();
}

fn step(s: &mut Session, keys: &str, text: &str) {
    for _ in 0..10 {
        s.send(keys);
        if s.wait_for(text, Duration::from_secs(2)).is_ok() {
            s.settle(Duration::from_millis(100), T);
            return;
        }
        if !s.screen_text().contains("Still saving") {
            break;
        }
        s.settle(Duration::from_millis(200), T);
    }
    s.wait_for(text, T).unwrap();
}

#[test]
fn hostile_lookup_rows_reach_the_pty_only_as_markers() {
    let env = TestEnv::new();
    hostile_scenario(&env);
    let mut s = Session::spawn(env.cairn(&[]), 200, 50);
    s.wait_for("Practice incident", T).unwrap();
    step(&mut s, "p", "Ready to investigate?");
    step(&mut s, "1", "What triggered this investigation?");
    step(&mut s, "1", "Anomalous token");
    // The node's first item is its lookup: run it (upn already holds the
    // practice value), and the rows come from the folder above.
    step(&mut s, "g", "Exactly what will be sent");
    step(&mut s, keys::ENTER, "8 / 8 rows");
    let screen = s.screen_text().replace('\n', "");
    for raw in HOSTILE {
        // The table cuts a cell at 40 columns: the markers before the cut.
        let shown: String = marked(raw).chars().take(37).collect();
        assert!(
            screen.contains(&shown),
            "{raw:?} not shown with markers:\n{}",
            s.screen_text()
        );
    }
    // Every row in detail, too. Each key waits for the screen it leads to:
    // an Esc and a `j` read together are one Alt+j, as on any terminal.
    for row in 1..=HOSTILE.len() {
        s.send(keys::ENTER);
        s.wait_for(&format!("Row {row} / {}", HOSTILE.len()), T)
            .unwrap();
        s.send(keys::ESC);
        let closed = Instant::now() + T;
        while s.screen_text().contains("Row ") && Instant::now() < closed {
            std::thread::sleep(Duration::from_millis(20));
        }
        s.send("j");
        s.settle(Duration::from_millis(50), T);
    }
    s.send("q");
    s.settle(Duration::from_millis(100), T);
    s.send("Q");
    s.wait_exit(T).expect("exit");
    assert_eq!(escapes::foreign(&s.raw()), vec![]);
}
