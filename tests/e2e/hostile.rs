//! Attacker-written text stored in an incident never reaches the terminal
//! as control sequences: it is shown with visible markers.

use std::time::Duration;

use crate::escapes;
use crate::harness::{Session, TestEnv};

/// Escape sequences, C1 controls, bidi and zero-width characters. Each
/// hostile character must be shown as its marker, `<U+001B>`.
pub const HOSTILE: &[&str] = &[
    "csi \x1b[31mRED",
    "title \x1b]0;pwned\x07",
    "link \x1b]8;;https://evil.example\x1b\\x",
    "clip \x1b]52;c;ZXZpbA==\x07",
    "dcs \x1bP1$r\x1b\\",
    "c1 \u{9b}2J",
    "bidi \u{202E}txt.exe",
    "zw ad\u{200B}min",
];

pub fn hostile_text() -> String {
    HOSTILE.join(" | ")
}

/// `raw` with every unsafe character replaced by its marker.
pub fn marked(raw: &str) -> String {
    raw.chars()
        .map(|c| match c as u32 {
            cp if cairn::text::is_unsafe(c) => format!("<U+{cp:04X}>"),
            _ => c.to_string(),
        })
        .collect()
}

/// Whether `screen` shows `raw` with every unsafe character replaced by its
/// marker.
pub fn shown_with_markers(screen: &str, raw: &str) -> bool {
    screen.contains(&marked(raw))
}

fn run_in_pty(env: &TestEnv, args: &[&str]) -> Session {
    let mut s = Session::spawn(env.cairn(args), 200, 50);
    let status = s.wait_exit(Duration::from_secs(20)).expect("exit");
    assert!(
        status.success(),
        "cairn {args:?}: {status:?}\n{}",
        s.screen_text()
    );
    s
}

#[test]
fn stored_hostile_text_is_shown_with_markers_by_the_cli() {
    let env = TestEnv::new();
    let tree = concat!(env!("CARGO_MANIFEST_DIR"), "/trees/token-theft.toml");
    let title = format!("t {}", hostile_text());
    let created = env.cairn_output(&[
        "debug-store",
        "create",
        "--tree-id",
        "token-theft",
        "--source",
        tree,
        "--title",
        &title,
    ]);
    let id = created.trim().to_string();
    env.cairn_output(&["note", &id, &hostile_text()]);

    for args in [
        vec!["show", &id],
        vec!["list"],
        vec!["export", &id, "--format", "md"],
    ] {
        let s = run_in_pty(&env, &args);
        assert_eq!(escapes::foreign(&s.raw()), vec![], "cairn {args:?}");
        // The screen shows every marker, so nothing was silently dropped.
        let screen = s.screen_text().replace('\n', "");
        if args[0] == "export" {
            // Markdown escapes the rest of the text; each hostile character
            // is still named.
            for c in hostile_text()
                .chars()
                .filter(|c| cairn::text::is_unsafe(*c))
            {
                let named = format!("U+{:04X}", c as u32);
                assert!(screen.contains(&named), "export: {named} not shown");
            }
            continue;
        }
        let shown = if args[0] == "list" {
            &HOSTILE[..2]
        } else {
            HOSTILE
        };
        for raw in shown {
            assert!(
                shown_with_markers(&screen, raw),
                "cairn {args:?}: {raw:?} not shown with markers:\n{screen}"
            );
        }
    }
}
