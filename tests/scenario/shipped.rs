//! The shipped scenarios against the shipped tree: they validate, a
//! scripted run along the playbook's path scores 100%, their recordings
//! answer every lookup on that path, and the documented example loads.

use std::path::Path;
use std::time::Duration;

use cairn::scenario::catalog::find;
use cairn::scenario::{FakeClock, Scenario, TrainingRun, expected_path};
use cairn::tree::{NodeKind, OutcomeStatus, Phase, Tree};

use crate::training::t0;

fn shipped_tree() -> Tree {
    let source = cairn::tree::catalog::shipped()
        .into_iter()
        .find(|s| s.origin.ends_with("token-theft.toml"))
        .expect("token-theft is shipped");
    cairn::tree::load::parse(&source.origin, &source.text).unwrap_or_else(|d| panic!("{d}"))
}

fn shipped_scenario(tree: &Tree, id: &str) -> Scenario {
    find(id, &[tree], None).unwrap_or_else(|e| panic!("{e}"))
}

#[test]
fn every_shipped_scenario_validates_against_the_shipped_tree() {
    let tree = shipped_tree();
    let ids: Vec<String> = cairn::scenario::catalog::shipped(&[&tree])
        .into_iter()
        .map(|r| r.unwrap_or_else(|d| panic!("{d}")).id.value)
        .collect();
    assert_eq!(ids, ["aitm", "benign-travel"]);
    assert_eq!(cairn::assets::dir(cairn::assets::SCENARIOS).len(), 2);
}

/// Walks the expected path with the clock moving, and returns the run.
fn scripted_run<'a>(tree: &'a Tree, s: &'a Scenario, clock: &'a FakeClock) -> TrainingRun<'a> {
    let (mut run, _) = TrainingRun::start(tree, s, clock).unwrap();
    let mut steps = 0;
    while !run.is_finished() {
        clock.advance(Duration::from_secs(40));
        let node = run.current();
        match &node.kind {
            NodeKind::Decision { .. } => {
                let expected = s
                    .expectation(&node.id)
                    .expect("validated coverage")
                    .choice
                    .value
                    .clone();
                let r = run.choose(&expected).unwrap();
                assert!(r.scored.correct);
                assert!(!r.explanation.get("en").is_empty() && !r.explanation.get("ja").is_empty());
            }
            _ => {
                run.advance().unwrap();
            }
        }
        steps += 1;
        assert!(steps < 200, "the walk does not end");
    }
    run
}

#[test]
fn aitm_along_the_playbook_scores_full_marks_through_containment_and_recovery() {
    let tree = shipped_tree();
    let s = shipped_scenario(&tree, "aitm");
    let clock = FakeClock::new(t0());
    let run = scripted_run(&tree, &s, &clock);
    assert!(matches!(
        run.current().kind,
        NodeKind::Outcome {
            status: OutcomeStatus::ContainedAndRecovered
        }
    ));
    let card = run.scorecard();
    assert_eq!(card.percent(), Some(100), "{}", card.render("en"));
    assert!(card.mistakes.is_empty());
    let phases: Vec<Phase> = card.phases.iter().map(|p| p.phase).collect();
    assert!(
        phases.contains(&Phase::Contain) && phases.contains(&Phase::RootCause),
        "{phases:?}"
    );
    assert!(card.render("ja").contains("| 封じ込め |"));
    let path = expected_path(&s, &tree);
    for phase in [Phase::Contain, Phase::Recover] {
        assert!(
            path.iter().any(|n| tree.node(n).unwrap().phase == phase),
            "{phase:?} on the path"
        );
    }
}

#[test]
fn benign_travel_along_the_playbook_ends_with_no_compromise() {
    let tree = shipped_tree();
    let s = shipped_scenario(&tree, "benign-travel");
    let clock = FakeClock::new(t0());
    let run = scripted_run(&tree, &s, &clock);
    assert!(matches!(
        run.current().kind,
        NodeKind::Outcome {
            status: OutcomeStatus::NoCompromise
        }
    ));
    let card = run.scorecard();
    assert_eq!(card.percent(), Some(100), "{}", card.render("en"));
    // Both ends of the first decision: the AiTM scenario expects the other.
    let aitm = shipped_scenario(&tree, "aitm");
    assert_ne!(
        s.expectation("user-confirmation").unwrap().choice.value,
        aitm.expectation("user-confirmation").unwrap().choice.value
    );
}

/// Every lookup on the expected path has a recording, and every recording
/// an inject swaps in exists and parses as JSON.
fn assert_recordings_cover_the_path(tree: &Tree, s: &Scenario) {
    let name = s
        .recordings
        .as_ref()
        .expect("shipped scenarios name their recordings");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("assets/scenarios")
        .join(name.as_str());
    let mut files: Vec<String> = Vec::new();
    for node in expected_path(s, tree) {
        for lookup in &tree.node(node).unwrap().lookups {
            files.push(format!("{}.json", lookup.id.value));
        }
    }
    for inject in &s.injects {
        if let Some(o) = &inject.replace_recording {
            files.push(o.file.value.clone());
        }
    }
    for file in files {
        let path = dir.join(&file);
        let text =
            std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{}: {e}", path.display()));
        serde_json::from_str::<serde_json::Value>(&text)
            .unwrap_or_else(|e| panic!("{}: {e}", path.display()));
    }
}

#[test]
fn recordings_cover_every_lookup_on_both_paths() {
    let tree = shipped_tree();
    for id in ["aitm", "benign-travel"] {
        assert_recordings_cover_the_path(&tree, &shipped_scenario(&tree, id));
    }
}

/// benign-travel's recordings go through the replay provider exactly as a
/// practice walk runs them, including the file its inject swaps in.
#[tokio::test]
async fn benign_travel_recordings_answer_through_the_replay_provider() {
    use cairn::lookup::replay::Replay;
    use cairn::lookup::run::{Backend, LookupRequest};
    use cairn::lookup::substitute::{render_lookup, window_timespan};
    use cairn::scenario::InjectQueue;

    let tree = shipped_tree();
    let s = shipped_scenario(&tree, "benign-travel");
    let dir = Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/scenarios/benign-travel");
    let replay = Replay::load_dir(&dir).unwrap();
    assert_eq!(replay.manifest.id, s.id.value);
    let values = replay.manifest.variables.clone();
    let backend = Backend::Replay(std::sync::Arc::new(replay));
    let mut queue = InjectQueue::new(&s);
    let ask = |lookup: &cairn::tree::Lookup, queue: &InjectQueue<'_>| {
        let rendered = render_lookup(lookup, &tree.variables, &values).unwrap();
        // The replay provider answers from the file the released injects name.
        let recording = queue
            .recording_for(&lookup.id)
            .map_or(lookup.id.value.clone(), |f| {
                f.trim_end_matches(".json").to_string()
            });
        LookupRequest {
            lookup_id: recording,
            provider: lookup.provider,
            text: rendered.text,
            timespan: window_timespan(lookup, None).unwrap(),
        }
    };
    for node in expected_path(&s, &tree) {
        for lookup in &tree.node(node).unwrap().lookups {
            let result = backend.run(&ask(lookup, &queue), None).await.unwrap();
            assert!(result.row_count() > 0, "{node}/{}", lookup.id.value);
        }
    }
    let signins = tree
        .lookups()
        .find(|(_, l)| l.id.value == "signins-user")
        .unwrap()
        .1;
    let before = backend
        .run(&ask(signins, &queue), None)
        .await
        .unwrap()
        .row_count();
    queue.release_next(Duration::from_secs(60)); // manager-reply
    queue.release_due(Duration::from_secs(400)); // venue-signin
    let after = backend
        .run(&ask(signins, &queue), None)
        .await
        .unwrap()
        .row_count();
    assert_eq!(
        after,
        before + 1,
        "the venue sign-in appears after its inject"
    );
}

#[test]
fn shipped_scenarios_are_found_from_any_directory() {
    // Embedded in the binary: no file lookup relative to the working dir.
    let tree = shipped_tree();
    let elsewhere = tempfile::tempdir().unwrap();
    let s = find("benign-travel", &[&tree], Some(elsewhere.path())).unwrap();
    assert_eq!(
        s.title.get("ja"),
        "見慣れないサインイン: 出張中の営業担当者"
    );
}

/// The examples of docs/tree-format.md and docs/scenario-format.md load
/// together, so the documentation cannot drift from the format.
#[test]
fn documented_example_validates_against_the_documented_tree() {
    let root = Path::new(env!("CARGO_MANIFEST_DIR"));
    let toml_block = |doc: &str| -> String {
        let text = std::fs::read_to_string(root.join(doc)).unwrap();
        let start = text.rfind("```toml\n").unwrap() + "```toml\n".len();
        text[start..start + text[start..].find("```").unwrap()].to_string()
    };
    let tree = cairn::tree::load::parse("tree-format.md", &toml_block("docs/tree-format.md"))
        .unwrap_or_else(|d| panic!("{d}"));
    let s = cairn::scenario::load(
        "scenario-format.md",
        &toml_block("docs/scenario-format.md"),
        &[&tree],
    )
    .unwrap_or_else(|d| panic!("{d}"));
    assert_eq!(s.id.value, "mini-phish");
    assert_eq!(s.injects.len(), 2);
}

/// A scenario and its recordings tell one story: the story names the
/// address the recordings reveal.
#[test]
fn each_story_names_the_address_its_recordings_reveal() {
    use cairn::lookup::replay::Replay;
    let tree = shipped_tree();
    for id in ["aitm", "benign-travel"] {
        let s = shipped_scenario(&tree, id);
        let replay =
            Replay::shipped(s.recordings.as_ref().unwrap()).expect("recordings are embedded");
        if let Some(ip) = replay.manifest.discovered.get("attacker_ip") {
            for lang in ["en", "ja"] {
                assert!(
                    s.story.get(lang).contains(ip.as_str()),
                    "{id} {lang} story names {ip}"
                );
            }
        }
    }
}

/// What `cairn train benign-travel` used to be checked for in line mode,
/// on the domain: a wrong trigger is explained, a hint costs its points,
/// and the scorecard totals both.
#[test]
fn benign_travel_with_a_wrong_answer_and_a_hint_explains_and_charges() {
    let tree = shipped_tree();
    let s = shipped_scenario(&tree, "benign-travel");
    let clock = FakeClock::new(t0());
    let (mut run, _) = TrainingRun::start(&tree, &s, &clock).unwrap();
    assert!(run.choose("ready").unwrap().scored.correct);
    let wrong = run.choose("anomalous-token").unwrap();
    assert!(!wrong.scored.correct);
    assert!(
        wrong
            .explanation
            .get("en")
            .starts_with("\"Anomalous token\" is a different"),
        "{}",
        wrong.explanation.get("en")
    );
    // The walk goes on along the playbook: steps advance, the trigger's own
    // decision is answered as the scenario expects, and the hint is bought
    // at user-confirmation.
    loop {
        let node = run.current().id.value.clone();
        match run.current().kind {
            NodeKind::Step { .. } => {
                run.advance().unwrap();
            }
            NodeKind::Decision { .. } if node != "user-confirmation" => {
                let expected = s.expectation(&node).unwrap().choice.value.clone();
                assert!(run.choose(&expected).unwrap().scored.correct, "{node}");
            }
            _ => break,
        }
    }
    assert_eq!(run.current().id.value, "user-confirmation");
    let hint = run.hint().expect("the decision has a hint");
    assert_eq!(hint.cost, 3);
    assert!(
        hint.text.get("en").starts_with("Reach Kenji"),
        "{}",
        hint.text.get("en")
    );
    let expected = s
        .expectation(&run.current().id.value)
        .unwrap()
        .choice
        .value
        .clone();
    assert!(run.choose(&expected).unwrap().scored.correct);
    assert!(run.is_finished() || matches!(run.current().kind, NodeKind::Outcome { .. }));
    let card = run.scorecard().render("en");
    assert!(
        card.contains("**Score: 27 / 40 (67%)** — Hint cost: 3 · Mistakes: 1"),
        "{card}"
    );
}
