//! `[[approvals]]` in a scenario: how the exercise plays the second
//! responder. Each entry names an action of the tree and an answer; a late
//! answer has an `after`. Mistakes are located like every scenario error.

use cairn::scenario;

use crate::common::*;

fn with(extra: &str) -> Result<cairn::scenario::Scenario, Vec<String>> {
    let tree = mini_tree();
    let text = format!("{}\n{extra}", fixture("valid.toml"));
    scenario::load("s.toml", &text, &[&tree]).map_err(|d| {
        summaries(&d)
            .into_iter()
            .map(|s| s.split_once(": ").map(|(_, m)| m.to_string()).unwrap_or(s))
            .collect()
    })
}

#[test]
fn an_entry_names_the_action_its_answer_and_when() {
    let s =
        with("[[approvals]]\naction = \"revoke-sessions\"\nanswer = \"reject\"\nafter = \"5m\"\n")
            .unwrap();
    let a = s.approval_for("revoke-sessions").unwrap();
    assert!(a.reject);
    assert_eq!(
        a.after.as_ref().map(|d| d.value),
        Some(std::time::Duration::from_secs(300))
    );
    assert!(valid().approvals.is_empty());
}

#[test]
fn an_unknown_action_answer_or_time_is_an_error() {
    let e = with("[[approvals]]\naction = \"revoke-session\"\nanswer = \"approve\"\n").unwrap_err();
    assert_eq!(
        e,
        vec!["tree 'mini' has no action 'revoke-session' (did you mean 'revoke-sessions'?)"]
    );
    let e = with("[[approvals]]\naction = \"revoke-sessions\"\nanswer = \"maybe\"\n").unwrap_err();
    assert_eq!(
        e,
        vec!["'answer' in approvals[1] is 'maybe': expected approve or reject"]
    );
    let e = with(
        "[[approvals]]\naction = \"revoke-sessions\"\nanswer = \"approve\"\nafter = \"soon\"\n",
    )
    .unwrap_err();
    assert_eq!(e.len(), 1, "{e:?}");
    assert!(e[0].starts_with("'after' in approvals[1]: "), "{e:?}");
    let e = with("[[approvals]]\nanswer = \"approve\"\n").unwrap_err();
    assert_eq!(e, vec!["missing key 'action' in approvals[1]"]);
}
