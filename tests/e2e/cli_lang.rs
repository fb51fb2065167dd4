//! The CLI's own messages follow `--lang`, else the locale (`LC_ALL`,
//! `LC_MESSAGES`, `LANG`), and `cairn list` shows and filters by mode.

use crate::harness::TestEnv;

fn run(env: &TestEnv, args: &[&str]) -> (bool, String, String) {
    let out = env.cairn_run(args);
    (
        out.status.success(),
        String::from_utf8(out.stdout).expect("utf-8 stdout"),
        String::from_utf8(out.stderr).expect("utf-8 stderr"),
    )
}

fn japanese() -> TestEnv {
    let mut env = TestEnv::new();
    env.set("LANG", "ja_JP.UTF-8");
    env
}

#[test]
fn messages_follow_lang_and_the_flag_wins() {
    let env = japanese();
    let (ok, id, err) = run(&env, &["new", "--tree", "token-theft", "--title", "T1"]);
    assert!(ok, "{err}");
    let id = id.trim().to_string();
    // The incident is in the locale's language too.
    let (_, show, _) = run(&env, &["show", &id]);
    assert!(show.contains("言語          ja"), "{show}");
    assert!(show.contains("ハッシュ チェーンは正常"), "{show}");

    let (_, list, _) = run(&env, &["list"]);
    let header = list.lines().next().unwrap_or_default();
    assert!(
        header.starts_with("ID") && header.contains("タイトル"),
        "{list}"
    );
    assert!(
        header.contains("モード") && header.contains("最終操作"),
        "{list}"
    );
    let (_, list, _) = run(&env, &["list", "--lang", "en"]);
    let header = list.lines().next().unwrap_or_default();
    assert!(
        header.contains("TITLE") && header.contains("MODE"),
        "{list}"
    );
    assert!(!list.contains("タイトル"), "{list}");

    let (ok, _, err) = run(&env, &["note", &id, "  "]);
    assert!(!ok);
    assert!(err.contains("メモが空です"), "{err}");
    let (ok, _, err) = run(&env, &["--lang", "en", "note", &id, "  "]);
    assert!(!ok);
    assert!(err.contains("the note is empty; nothing recorded"), "{err}");

    let (ok, out, err) = run(&env, &["close", &id, "--reason", "誤検知"]);
    assert!(ok, "{err}");
    assert!(out.contains(&format!("{id}: 終了しました")), "{out}");
    let (ok, out, err) = run(&env, &["reopen", &id, "--lang", "en"]);
    assert!(ok, "{err}");
    assert!(out.contains(&format!("{id}: reopened")), "{out}");
    // The closing's reason is in the record.
    let (_, json, _) = run(&env, &["export", &id, "--format", "json"]);
    assert!(json.contains("誤検知"), "{json}");
}

#[test]
fn lc_all_then_lc_messages_win_over_lang() {
    let mut env = japanese();
    env.set("LC_ALL", "en_US.UTF-8");
    let (ok, _, err) = run(&env, &["new", "--tree", "token-theft", "--title", " "]);
    assert!(!ok);
    assert!(err.contains("--title is empty"), "{err}");
    env.set("LC_ALL", "");
    env.set("LC_MESSAGES", "ja_JP.UTF-8");
    env.set("LANG", "en_US.UTF-8");
    let (ok, _, err) = run(&env, &["new", "--tree", "token-theft", "--title", " "]);
    assert!(!ok);
    assert!(err.contains("--title が空です"), "{err}");
    let (_, _, err) = run(&env, &["show", "NOPE"]);
    assert!(!err.is_empty());
}

#[test]
fn list_has_a_mode_column_and_filters_by_mode() {
    let env = TestEnv::new();
    let (ok, id, err) = run(
        &env,
        &["new", "--tree", "token-theft", "--title", "Live one"],
    );
    assert!(ok, "{err}");
    let id = id.trim();
    let (_, list, _) = run(&env, &["list", "--mode", "live"]);
    let row = list.lines().find(|l| l.starts_with(id)).unwrap_or_default();
    assert!(row.contains(" live "), "{list}");
    let (ok, list, err) = run(&env, &["list", "--mode", "practice"]);
    assert!(ok);
    assert!(!list.contains(id), "{list}");
    assert!(err.contains("No matching incidents"), "{err}");
    let (ok, _, err) = run(&env, &["list", "--mode", "nonsense"]);
    assert!(!ok, "{err}");
}

/// The screen follows `--lang` too, over the locale.
#[test]
fn the_screen_follows_the_flag() {
    use crate::harness::Session;
    use std::time::Duration;
    let env = TestEnv::new();
    let mut s = Session::spawn(env.cairn(&["--lang", "ja"]), 80, 24);
    s.wait_for("Cairn - インシデント対応", Duration::from_secs(10))
        .unwrap();
    s.wait_for("新しいインシデント", Duration::from_secs(10))
        .unwrap();
    s.send("Q");
    assert!(
        s.wait_exit(Duration::from_secs(10))
            .expect("quit")
            .success()
    );
}
