//! Every plain output of a tree and an incident full of terminal escapes
//! and invisible characters (`graph` in three formats, `check`, `show`,
//! `list`, the Markdown, JSON and after-action exports): no control or
//! invisible character reaches standard output or error, and each one is
//! named by its marker.

use std::path::PathBuf;

use crate::harness::TestEnv;

/// CSI, OSC 0 (title), OSC 52 (clipboard), OSC 8 (hyperlink), DCS, a C1
/// CSI, BEL, tag characters spelling "hi", bidi override and mark, line
/// separator, soft hyphen and zero-width space.
const PIECES: &[&str] = &[
    "\x1b[31mCSI",
    "\x1b]0;pwned\x07",
    "\x1b]52;c;ZXZpbA==\x07",
    "\x1b]8;;https://evil.example\x1b\\x",
    "\x1bP1$r\x1b\\",
    "\u{9b}2J",
    "bel\x07",
    "tag\u{E0068}\u{E0069}",
    "bidi\u{202E}txt",
    "rlm\u{200F}x",
    "sep\u{2028}x",
    "shy\u{AD}y",
    "zw\u{200B}q",
];

/// The code points every output must name.
const NAMED: &[u32] = &[
    0x1B, 0x07, 0x9B, 0xE0068, 0xE0069, 0x202E, 0x200F, 0x2028, 0xAD, 0x200B,
];

fn hostile() -> String {
    PIECES.join(" ")
}

/// `s` as the inside of a TOML basic string.
fn toml_escaped(s: &str) -> String {
    s.chars()
        .map(|c| match c {
            '"' => "\\\"".to_string(),
            '\\' => "\\\\".to_string(),
            c if c.is_ascii_graphic() || c == ' ' => c.to_string(),
            c if (c as u32) > 0xFFFF => format!("\\U{:08X}", c as u32),
            c => format!("\\u{:04X}", c as u32),
        })
        .collect()
}

/// The shipped tree with the hostile text in its title, version, first
/// node title and first choice label.
fn hostile_tree(env: &TestEnv) -> PathBuf {
    let h = toml_escaped(&hostile());
    let source = std::fs::read_to_string(concat!(
        env!("CARGO_MANIFEST_DIR"),
        "/trees/token-theft.toml"
    ))
    .unwrap();
    let mut changed = source.clone();
    for (from, to) in [
        (
            "title.en = \"Token theft\"",
            format!("title.en = \"Token theft {h}\""),
        ),
        ("version = \"1.0.0\"", format!("version = \"1.0.0 {h}\"")),
        (
            "title.en = \"Ready to investigate?\"",
            format!("title.en = \"Ready {h}\""),
        ),
        (
            "label.en = \"Ready: go to triage\"",
            format!("label.en = \"Go {h}\""),
        ),
    ] {
        assert!(changed.contains(from), "the shipped tree has {from}");
        changed = changed.replacen(from, &to, 1);
    }
    let path = env.path("home").join("hostile.toml");
    std::fs::write(&path, changed).unwrap();
    path
}

/// No raw control, bidi or invisible character, and explicitly no ESC,
/// BEL or C1 byte sequence.
fn assert_clean(what: &str, bytes: &[u8]) -> String {
    let text = String::from_utf8(bytes.to_vec()).expect("UTF-8 output");
    assert!(!bytes.contains(&0x1b), "{what}: ESC byte");
    assert!(!bytes.contains(&0x07), "{what}: BEL byte");
    assert!(
        !text.chars().any(|c| ('\u{80}'..='\u{9f}').contains(&c)),
        "{what}: C1 control"
    );
    let raw: Vec<String> = text
        .chars()
        .filter(|&c| c != '\n' && cairn::text::is_unsafe(c))
        .map(|c| format!("U+{:04X}", c as u32))
        .collect();
    assert!(raw.is_empty(), "{what}: raw {raw:?}");
    text
}

fn assert_named(what: &str, text: &str, marker: impl Fn(u32) -> String) {
    for &cp in NAMED {
        let m = marker(cp);
        assert!(text.contains(&m), "{what}: {m} not shown in\n{text}");
    }
}

fn marker(cp: u32) -> String {
    format!("<U+{cp:04X}>")
}

/// Standard output and error, each checked clean.
fn run_clean(env: &TestEnv, args: &[&str], success: bool) -> (String, String) {
    let out = env.cairn_run(args);
    assert_eq!(out.status.success(), success, "cairn {args:?}: {out:?}");
    let stderr = assert_clean(&format!("{args:?} stderr"), &out.stderr);
    let stdout = assert_clean(&format!("{args:?} stdout"), &out.stdout);
    (stdout, stderr)
}

/// Both streams as one text, for markers that may land on either.
fn run_clean_all(env: &TestEnv, args: &[&str], success: bool) -> String {
    let (stdout, stderr) = run_clean(env, args, success);
    stdout + &stderr
}

#[test]
fn graph_and_check_of_a_hostile_tree_name_every_hidden_character() {
    let env = TestEnv::new();
    let tree = hostile_tree(&env);
    let tree = tree.to_str().unwrap();
    for format in ["markdown", "mermaid", "dot"] {
        let (text, _) = run_clean(
            &env,
            &["graph", tree, "--format", format, "--lang", "en"],
            true,
        );
        if format == "mermaid" {
            // Mermaid labels write `<` and `>` as entity codes.
            assert_named(format, &text, |cp| format!("#lt;U+{cp:04X}#gt;"));
        } else {
            assert_named(format, &text, marker);
        }
        if format == "markdown" {
            let heading = text.lines().next().unwrap();
            assert!(
                heading.starts_with("# Token theft <U+001B>\\[31mCSI <U+001B>\\]0;pwned<U+0007>"),
                "{heading}"
            );
        }
    }
    // The summary quotes the version.
    let (summary, _) = run_clean(&env, &["check", tree], true);
    assert_named("check", &summary, marker);

    // A diagnostic quotes the bad value and its source line.
    let broken = std::fs::read_to_string(tree).unwrap().replacen(
        "next = \"trigger\"",
        &format!("next = \"{}\"", toml_escaped(&hostile())),
        1,
    );
    let broken_path = env.path("home").join("broken.toml");
    std::fs::write(&broken_path, broken).unwrap();
    let diagnostic = run_clean_all(&env, &["check", broken_path.to_str().unwrap()], false);
    assert_named("check diagnostic", &diagnostic, marker);
    assert!(diagnostic.contains("unknown node"), "{diagnostic}");
}

#[test]
fn show_list_and_every_export_of_a_hostile_incident_name_every_hidden_character() {
    let env = TestEnv::new();
    let tree = hostile_tree(&env);
    let title = format!("{} end", hostile());
    let tree_id = format!("tt {}", hostile());
    let (created, _) = run_clean(
        &env,
        &[
            "debug-store",
            "create",
            "--tree-id",
            &tree_id,
            "--source",
            tree.to_str().unwrap(),
            "--title",
            &title,
        ],
        true,
    );
    let id = created.trim().to_string();
    let note = format!(
        "{}\n---\nsee https://evil.example/x and <img src=x onerror=alert(1)>\n# not a heading",
        hostile()
    );
    run_clean(&env, &["note", &id, &note], true);

    for args in [
        vec!["show", &id],
        vec!["list"],
        vec!["export", &id, "--format", "md"],
        vec!["export", &id, "--format", "aar"],
    ] {
        let text = run_clean_all(&env, &args, true);
        assert_named(&format!("{args:?}"), &text, marker);
    }

    // Markdown: the note stays one quoted paragraph of literal text.
    let (md, _) = run_clean(&env, &["export", &id, "--format", "md"], true);
    for expected in [
        "> \\---\n",
        "> see `https://evil.example/x` and &lt;img src=x onerror=alert(1)&gt;\n",
        "> \\# not a heading\n",
    ] {
        assert!(md.contains(expected), "{expected:?} not in\n{md}");
    }

    // JSON: escaped in the file, the exact data once read.
    let (json, _) = run_clean(&env, &["export", &id, "--format", "json"], true);
    assert_named("json", &json, |cp| {
        let c = char::from_u32(cp).unwrap();
        let mut units = [0u16; 2];
        c.encode_utf16(&mut units)
            .iter()
            .map(|u| format!("\\u{u:04x}"))
            .collect()
    });
    let doc: serde_json::Value = serde_json::from_str(&json).expect("valid JSON");
    assert_eq!(doc["incident"]["title"], title.as_str());
    assert_eq!(doc["incident"]["tree_id"], tree_id.as_str());
    let notes: Vec<&serde_json::Value> = doc["events"]
        .as_array()
        .unwrap()
        .iter()
        .filter(|e| e["type"] == "note_added")
        .collect();
    assert_eq!(notes[0]["text"], note.as_str());
}

/// The same tree on the screen: its title, node title and choice label are
/// drawn with markers and the terminal gets only Cairn's own sequences.
#[test]
fn a_hostile_tree_on_the_screen_shows_markers_and_sends_no_foreign_sequence() {
    use std::time::Duration;
    const T: Duration = Duration::from_secs(10);
    let env = TestEnv::new();
    let tree = hostile_tree(&env);
    let title = hostile();
    let mut s = crate::harness::Session::spawn(
        env.cairn(&[
            "new",
            "--tree",
            tree.to_str().unwrap(),
            "--title",
            &title,
            "--open",
        ]),
        200,
        50,
    );
    s.wait_for("Ready <U+001B>[31mCSI", T).unwrap();
    s.settle(Duration::from_millis(300), T);
    let screen = s.screen_text().replace('\n', "");
    for piece in PIECES {
        let shown = crate::hostile::marked(piece);
        assert!(screen.contains(&shown), "{shown} not on screen:\n{screen}");
    }
    assert!(screen.contains("Go <U+001B>[31mCSI"), "{screen}");
    s.send("Q");
    assert!(s.wait_exit(T).expect("exit").success());
    assert_eq!(crate::escapes::foreign(&s.raw()), vec![]);
}
