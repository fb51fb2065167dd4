//! Nothing recorded is out of reach on screen: a node scrolls to its very
//! end, and the timeline lists the incident's records in the screen's
//! language.

use ratatui::crossterm::event::KeyCode;

use crate::app::fixture::{Harness, code, ctrl, key};
use crate::test_app::render;

fn note(h: &mut Harness, text: &str) {
    h.send(key('n'));
    for c in text.chars() {
        h.send(key(c));
    }
    h.send(ctrl('s'));
}

/// A note far longer than the screen, ending in a word to look for.
fn long_note(h: &mut Harness) {
    let mut text = "start of the note ".repeat(40);
    text.push_str("LAST-WORD");
    note(h, &text);
}

#[test]
fn end_scrolls_a_node_to_its_last_line_and_up_returns_to_the_items() {
    let mut h = Harness::opened();
    long_note(&mut h);
    let top = render(&h.state, 60, 20);
    assert!(!top.contains("LAST-WORD"), "{top}");
    h.send(code(KeyCode::End));
    let end = render(&h.state, 60, 20);
    assert!(end.contains("LAST-WORD"), "{end}");
    assert!(!end.contains("1. Yes, legitimate"), "{end}");
    h.send(key('k'));
    let back = render(&h.state, 60, 20);
    assert!(back.contains("2. No or unsure"), "{back}");
    assert!(!back.contains("LAST-WORD"), "{back}");
    h.send(code(KeyCode::Home));
    let home = render(&h.state, 60, 20);
    assert!(home.contains("[ ] User contacted"), "{home}");
}

#[test]
fn j_and_page_down_scroll_on_past_the_last_item_to_the_end() {
    let mut h = Harness::opened();
    long_note(&mut h);
    // To the last choice with the keys a responder uses, then on.
    for _ in 0..4 {
        h.send(key('j'));
    }
    assert!(!render(&h.state, 60, 20).contains("LAST-WORD"));
    for _ in 0..3 {
        h.send(code(KeyCode::PageDown));
    }
    let end = render(&h.state, 60, 20);
    assert!(end.contains("LAST-WORD"), "{end}");
    // Further keys keep the end in view: the screen never scrolls past it.
    for _ in 0..20 {
        h.send(key('j'));
    }
    let still = render(&h.state, 60, 20);
    assert!(still.contains("LAST-WORD"), "{still}");
}

#[test]
fn the_timeline_lists_decisions_with_reasons_and_notes_in_both_languages() {
    for (lang, needles) in [
        (
            "en",
            [
                "Timeline - kind: all  node: all",
                "Note [Did the user sign in?]: checked the IPs",
                "Decided at Did the user sign in?: No or unsure -> Revoke",
                "(reason: user denies it)",
            ],
        ),
        (
            "ja",
            [
                "タイムライン - 種類: すべて  ノード: すべて",
                "メモ [ユーザー本人のサインインか?]: checked the IPs",
                "判断: ユーザー本人のサインインか?: いいえ、または不明",
                "(理由: user denies it)",
            ],
        ),
    ] {
        let mut h = Harness::opened();
        if crate::text::lang::Lang::of(lang) != crate::text::lang::Lang::EN {
            h.send(key('L'));
        }
        note(&mut h, "checked the IPs");
        h.send(key('x'));
        // To the second choice, and choose it with a reason.
        h.send(key('j'));
        h.send(key('j'));
        h.send(key('j'));
        h.send(key('j'));
        h.send(key('r'));
        for c in "user denies it".chars() {
            h.send(key(c));
        }
        h.send(ctrl('s'));
        assert_eq!(h.current(), "contain");
        h.send(key('t'));
        let text = render(&h.state, 80, 24);
        let flat = text.split_whitespace().collect::<Vec<_>>().join(" ");
        for needle in needles {
            let needle = needle.split_whitespace().collect::<Vec<_>>().join(" ");
            assert!(
                flat.contains(&needle),
                "{lang}: missing {needle:?} in\n{text}"
            );
        }
        h.send(key('f'));
        let decisions = render(&h.state, 80, 24);
        assert!(!decisions.contains("checked the IPs"), "{decisions}");
    }
}
