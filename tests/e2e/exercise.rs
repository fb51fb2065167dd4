//! A short training session on the full screen of the built binary, in
//! Japanese, at 80x24: the story, scored choices with their explanations,
//! injects on reaching their nodes, a hint, the confirmation of open
//! mandatory items, and the scorecard; the terminal restored on quit, no
//! foreign escape sequence, and the run in the store for its report.

use std::time::Duration;

use crate::escapes;
use crate::harness::{Session, TestEnv, keys};
use crate::walk::incident_id;

const T: Duration = Duration::from_secs(10);
/// More than any node has items: the cursor ends on the way on.
const TO_LAST_ITEM: &str = "jjjjjjjjjjjjjjjjjjjjjjjjjjjjjj";

#[test]
fn a_training_run_on_the_full_screen_ends_on_its_scorecard() {
    let env = TestEnv::new();
    let mut s = Session::spawn(
        env.cairn(&["train", "benign-travel", "--lang", "ja"]),
        80,
        24,
    );
    // The story first; a choice typed over it does nothing.
    s.wait_for("見慣れないサインイン", T).unwrap();
    s.wait_for("Enter: 続ける", T).unwrap();
    let id = incident_id(&s);
    s.press(keys::ENTER, "調査を始める準備", T);
    s.press("1", "正解 (+10)", T);
    s.press(keys::ENTER, "調査のきっかけは何か", T);
    s.press("2", "正解 (+10)", T);
    s.press(keys::ENTER, "スコア 20/20", T);
    // The trigger's own decision: investigate; the investigation checklist
    // releases an inject.
    s.press("2", "正解 (+10)", T);
    s.press(keys::ENTER, "SD-4821", T);
    s.press(keys::ENTER, "調査チェックリスト", T);
    s.send(TO_LAST_ITEM);
    s.press(keys::ENTER, "必須", T);
    s.press("y", "健二さんが人事名簿の番号で電話に出た", T);
    s.press(keys::ENTER, "ヒント減点 -0", T);
    s.press("h", "ヒント減点 -3", T);
    s.press("1", "必須", T);
    s.press("y", "正解 (+10)", T);
    s.press(keys::ENTER, "スコア: 37 / 40 (92%)", T);
    let card = s.screen_text();
    assert!(card.contains("スコアカード"), "{card}");
    assert!(card.contains("誤り: 0"), "{card}");
    // q closes the scorecard, then Q quits from the outcome.
    s.press("q", "結果", T);
    s.send("Q");
    assert!(s.wait_exit(T).expect("quit").success());
    assert_eq!(escapes::foreign(&s.raw()), vec![]);
    assert_eq!(s.alternate_and_hidden(), (false, false));

    // The run is a training incident whose report reads its decisions.
    let report = env.cairn_output(&["export", &id, "--format", "aar"]);
    assert!(
        report.contains("健二さんが人事名簿の番号で電話に出た"),
        "{report}"
    );
    let json = env.cairn_output(&["export", &id, "--format", "json"]);
    assert_eq!(json.matches("\"decision_scored\"").count(), 4, "{json}");
    assert_eq!(json.matches("\"hint_shown\"").count(), 1, "{json}");
}

#[test]
fn a_tabletop_on_the_full_screen_keeps_injects_reasons_and_notes_for_its_report() {
    let env = TestEnv::new();
    let mut s = Session::spawn(env.cairn(&["tabletop", "aitm"]), 80, 24);
    s.wait_for("Enter: continue", T).unwrap();
    let id = incident_id(&s);
    // The clock runs in the header while the room talks.
    s.press(keys::ENTER, "00:00:0", T);
    s.press("i", "Mika messages the service desk", T);
    s.press(keys::ENTER, "Ready to investigate?", T);
    s.press("1", "Reason for 1.", T);
    s.send("logs at hand");
    s.press(keys::CTRL_S, "What triggered this investigation?", T);
    s.press("n", "Note on", T);
    s.send("\x07");
    s.send("fast escalation");
    s.press(keys::CTRL_S, "What triggered this investigation?", T);
    s.press("e", "Time per phase", T);
    // Below the inject queue: the decision with its reason, the tagged note.
    s.press("jjjjjjjjjjjjjjjj", "Reason given: logs at hand", T);
    s.wait_for("[Strengths] fast escalation", T).unwrap();
    s.press("e", "What triggered this investigation?", T);
    s.send("Q");
    assert!(s.wait_exit(T).expect("quit").success());
    assert_eq!(escapes::foreign(&s.raw()), vec![]);

    let report = env.cairn_output(&["export", &id, "--format", "aar"]);
    for text in [
        "Mika messages the service desk",
        "logs at hand",
        "fast escalation",
    ] {
        assert!(report.contains(text), "{text:?} not in\n{report}");
    }
}

#[test]
fn a_timed_inject_arrives_on_the_full_screen_while_nobody_types() {
    let mut env = TestEnv::new();
    // A user scenario: the shipped benign look-alike, its first inject due
    // two seconds in instead of two minutes.
    let shipped = include_str!("../../assets/scenarios/benign-travel.toml");
    assert!(shipped.contains("id = \"benign-travel\"") && shipped.contains("after = \"2m\""));
    let quick = shipped
        .replacen("id = \"benign-travel\"", "id = \"quick-drill\"", 1)
        .replacen("after = \"2m\"", "after = \"2s\"", 1);
    let dir = env.path("config").join("scenarios");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("quick-drill.toml"), quick).unwrap();
    let config = env.path("config").display().to_string();
    env.set("CAIRN_CONFIG_DIR", &config);

    let mut s = Session::spawn(env.cairn(&["tabletop", "quick-drill"]), 80, 24);
    s.wait_for("Tuesday, 02:40", T).unwrap();
    s.send(keys::ENTER);
    // No key from here: the clock ticks and the inject is shown on time.
    s.wait_for("Kenji's manager replies to your page", T)
        .unwrap();
    s.press(keys::ENTER, "1-9 Choices", T);
    s.press("e", "Kenji's manager replies", T);
    assert!(
        s.screen_text().contains("[x] 00:00:0"),
        "{}",
        s.screen_text()
    );
    s.press("e", "1-9 Choices", T);
    s.send("Q");
    assert!(s.wait_exit(T).expect("quit").success());
    assert_eq!(escapes::foreign(&s.raw()), vec![]);
}

#[test]
fn hostile_text_in_a_user_scenario_reaches_the_pty_only_as_markers() {
    let mut env = TestEnv::new();
    // Escape sequences (CSI clear, OSC 52 clipboard, OSC 8 link), a C1
    // control, a bidi override and a zero-width space in the story and in
    // an inject released at the start node.
    let hostile = r"Evil\u001b[2J\u001b]52;c;Zm9v\u0007\u001b]8;;http://x\u001b\\link\u0085\u202Eright\u200Bend";
    let shipped = include_str!("../../assets/scenarios/benign-travel.toml");
    let mut text = shipped.replacen("id = \"benign-travel\"", "id = \"hostile-drill\"", 1);
    assert!(text.contains("story.en = \"\"\""), "an English story");
    text = text.replacen(
        "story.en = \"\"\"",
        &format!("story.en = \"\"\"{hostile} "),
        1,
    );
    text = text.replacen(
        "on_node = \"investigation-checklist\"",
        "on_node = \"readiness\"",
        1,
    );
    let dir = env.path("config").join("scenarios");
    std::fs::create_dir_all(&dir).unwrap();
    std::fs::write(dir.join("hostile-drill.toml"), text).unwrap();
    let config = env.path("config").display().to_string();
    env.set("CAIRN_CONFIG_DIR", &config);

    let mut s = Session::spawn(env.cairn(&["tabletop", "hostile-drill"]), 80, 24);
    s.wait_for("Evil<U+001B>[2J", T).unwrap();
    let screen = s.screen_text();
    assert!(screen.contains("<U+202E>"), "{screen}");
    s.press(keys::ENTER, "SD-4821", T);
    s.press(keys::ENTER, "1-9 Choices", T);
    s.send("Q");
    assert!(s.wait_exit(T).expect("quit").success());
    assert_eq!(escapes::foreign(&s.raw()), vec![]);
}

/// A tabletop on two screens (the facilitator's `cairn tabletop`, a
/// participant's `cairn open ID` on the same data directory): an inject
/// the facilitator releases while the participant reads the timeline is
/// announced there, and shown once the participant is back on the node.
#[test]
fn an_inject_released_by_the_facilitator_is_announced_on_a_participants_other_screen() {
    let env = TestEnv::new();
    let mut f = Session::spawn(env.cairn(&["tabletop", "aitm"]), 80, 24);
    f.wait_for("Enter: continue", T).unwrap();
    let id = incident_id(&f);
    f.press(keys::ENTER, "Ready to investigate?", T);
    let mut p = Session::spawn(env.cairn(&["open", &id]), 80, 24);
    p.wait_for("Ready to investigate?", T).unwrap();
    p.settle(Duration::from_millis(300), T);
    if p.screen_text().contains("Enter: continue") {
        p.press(keys::ENTER, "Path", T);
    }
    p.press("t", "Timeline - kind: all", T);
    f.press("i", "Mika messages the service desk", T);
    p.wait_for("Inject released (shown on the node screen)", T)
        .unwrap();
    assert!(p.screen_text().contains("Timeline"), "{}", p.screen_text());
    p.press("t", "Mika messages the service desk", T);
    for s in [&mut f, &mut p] {
        s.send("Q");
    }
    for s in [&mut f, &mut p] {
        assert!(s.wait_exit(T).expect("quit").success());
    }
}
