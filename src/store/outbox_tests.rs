//! The outbox's ids and its classification of events.

use super::*;

#[test]
fn ids_are_stable_and_distinct() {
    let hash = "ab".repeat(32);
    assert_eq!(comment_id(&hash), comment_id(&hash));
    assert_eq!(comment_id(&hash).get_version_num(), 5);
    assert_ne!(comment_id(&hash), comment_id(&"cd".repeat(32)));
    // Pinned (checked with Python's uuid.uuid5): a change here would
    // make every comment already pushed look new to a re-sync.
    assert_eq!(
        comment_id(&"0".repeat(64)).to_string(),
        "232a8871-eb32-5eb8-971a-4ebe2cdc4db0"
    );
    assert_eq!(
        task_id("g", "n", 1).to_string(),
        "6a305562-bc8b-59bd-b2c2-3c8357bbc93c"
    );
    assert_eq!(
        bookmark_id(&"0".repeat(64)).to_string(),
        "e06f09dc-9a88-57f2-bf86-1df3c40761db"
    );
    assert_ne!(bookmark_id(&hash), comment_id(&hash));
    assert_ne!(task_id("g", "n", 1), task_id("g", "n", 2));
    assert_ne!(task_id("g", "n", 1), task_id("h", "n", 1));
}

#[test]
fn walk_moves_are_tasks_not_comments_and_decisions_are_both() {
    let entered = EventKind::NodeEntered { node: "n".into() };
    assert!(!is_pushed(&entered) && moves_tasks(&entered));
    let choice = EventKind::ChoiceMade {
        node: "n".into(),
        choice: "c".into(),
        next: "m".into(),
        reason: Some("because".into()),
    };
    assert!(is_pushed(&choice) && moves_tasks(&choice));
    let hint = EventKind::HintShown {
        node: "n".into(),
        hint: 0,
        cost: 1,
    };
    assert!(!is_pushed(&hint) && !moves_tasks(&hint));
}
