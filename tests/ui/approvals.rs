//! Four eyes on the action screen at 80x24, in both languages: the
//! proposal step (the exact request, its hash, the reason asked) and the
//! proposal recorded; in practice the exercise approves, and the intent
//! sent after confirming again names the proposal.

use ratatui::crossterm::event::KeyCode;

use super::driver::Driver;
use cairn::app::{NodeView, Screen};
use cairn::store::event::{ApprovalSource, EventKind};
use cairn::tree::ApprovalPolicy;

fn snap(name: &str, lang: &str, screen: String) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(format!("{name}_{lang}"), screen));
}

/// Revoke sessions on the token-theft tree, under an organisation floor of
/// second-person, confirmed: the screen asks why.
fn proposing(lang: &str) -> Driver {
    proposing_in(lang, false)
}

/// [`proposing`], on an incident made live before the action opens (the
/// token named the proposer; nobody plays the approver).
fn proposing_in(lang: &str, live: bool) -> Driver {
    let mut d = Driver::practice(lang);
    if live {
        d.state.incident.as_mut().unwrap().meta.mode = cairn::store::event::Mode::Live;
        d.state.lookups.approvals.oid = Some("11111111-1111-4111-8111-111111111111".into());
    }
    d.go_to("containment-tasks");
    d.state.screen = Screen::Node(NodeView {
        cursor: 10,
        ..Default::default()
    });
    d.state.lookups.approvals.floor = ApprovalPolicy::SecondPerson;
    d.state.lookups.approvals.actor = "kim@soc-1".into();
    let inc = d.state.incident.as_mut().unwrap();
    inc.walk
        .values
        .insert("upn".into(), "mika.sato@contoso.example".into());
    d.keys("g");
    d.keys("mika.sato@contoso.example");
    d.key(KeyCode::Enter);
    d
}

#[test]
fn the_proposal_screens_show_the_exact_request_and_its_hash() {
    for lang in ["en", "ja"] {
        let mut d = proposing(lang);
        let screen = d.screen();
        assert!(screen.contains("SHA-256"), "{screen}");
        snap("approval_propose", lang, screen);
        d.keys("risky sign-ins");
        d.key(KeyCode::Enter);
        snap("approval_proposed", lang, d.screen());
    }
}

#[test]
fn practice_approves_and_the_sent_intent_names_the_proposal() {
    let mut d = proposing("en");
    let id = d.state.incident.as_ref().unwrap().meta.id.clone();
    let before = d.events(&id).len();
    // Enter without a reason records nothing.
    d.key(KeyCode::Enter);
    assert_eq!(d.events(&id).len(), before);
    d.keys("risky sign-ins");
    d.key(KeyCode::Enter);
    let events = d.events(&id);
    let [
        EventKind::ApprovalProposed {
            request_sha256,
            reason,
            ..
        },
        EventKind::ApprovalDecided {
            source: ApprovalSource::Simulated,
            request_sha256: approved,
            ..
        },
    ] = &events[before..]
    else {
        panic!("{:?}", &events[before..])
    };
    assert_eq!(reason, "risky sign-ins");
    assert_eq!(approved, request_sha256);
    d.key(KeyCode::Enter);
    d.keys("mika.sato@contoso.example");
    d.key(KeyCode::Enter);
    let events = d.events(&id);
    assert!(
        events.iter().any(|e| matches!(
            e,
            EventKind::ActionIntended {
                approval: Some(_),
                simulated: true,
                ..
            }
        )),
        "{events:?}"
    );
}

#[test]
fn a_waiting_proposal_shows_on_the_header_and_on_its_action() {
    for lang in ["en", "ja"] {
        let mut d = proposing_in(lang, true);
        d.keys("risky sign-ins");
        d.key(KeyCode::Enter);
        d.key(KeyCode::Esc);
        let screen = d.screen();
        let (badge, mark) = match lang {
            "en" => ("1 awaiting approval", "[awaiting approval]"),
            _ => ("承認待ち 1 件", "[承認待ち]"),
        };
        assert!(screen.contains(badge), "{screen}");
        assert!(screen.contains(mark), "{screen}");
        snap("approval_waiting_node", lang, screen);
        // Home lists the incident with its waiting proposal.
        d.keys("q");
        let home = d.screen();
        assert!(home.contains(&format!("[{badge}]")), "{home}");
    }
}

#[test]
fn an_approved_proposal_is_marked_on_its_action() {
    let mut d = proposing("en");
    d.keys("risky sign-ins");
    d.key(KeyCode::Enter);
    d.key(KeyCode::Esc);
    let screen = d.screen();
    assert!(screen.contains("[approved]"), "{screen}");
    assert!(!screen.contains("awaiting approval"), "{screen}");
}

/// A tabletop on the AiTM scenario whose approver answers proposals of
/// revoke-sessions as `answer` says, at revoke-sessions, confirmed.
fn tabletop_proposing(reject: bool, after_minutes: Option<u64>) -> (Driver, String) {
    use std::sync::Arc;
    let (mut d, id) = super::exercise::exercise("en", "aitm", cairn::store::event::Mode::Tabletop);
    let inc = d.state.incident.as_mut().unwrap();
    let ex = inc.exercise.as_mut().unwrap();
    // The story was read out; the room is at the action.
    ex.story_pending = false;
    Arc::make_mut(&mut ex.scenario)
        .approvals
        .push(cairn::scenario::ScenarioApproval {
            action: cairn::tree::At::new("revoke-sessions".into(), 0..0),
            reject,
            after: after_minutes
                .map(|m| cairn::tree::At::new(std::time::Duration::from_secs(m * 60), 0..0)),
        });
    d.go_to("containment-tasks");
    d.state.screen = Screen::Node(NodeView {
        cursor: 10,
        ..Default::default()
    });
    d.state.lookups.approvals.floor = ApprovalPolicy::SecondPerson;
    let inc = d.state.incident.as_mut().unwrap();
    inc.walk
        .values
        .insert("upn".into(), "mika.sato@contoso.example".into());
    d.keys("g");
    d.keys("mika.sato@contoso.example");
    d.key(KeyCode::Enter);
    d.keys("rehearse the four eyes");
    d.key(KeyCode::Enter);
    (d, id)
}

fn decided(d: &Driver, id: &str) -> Vec<bool> {
    d.events(id)
        .iter()
        .filter_map(|e| match e {
            EventKind::ApprovalDecided {
                approved,
                source: ApprovalSource::Simulated,
                ..
            } => Some(*approved),
            _ => None,
        })
        .collect()
}

#[test]
fn a_tabletop_can_make_the_approver_reject_and_nothing_runs() {
    let (mut d, id) = tabletop_proposing(true, None);
    assert_eq!(decided(&d, &id), vec![false]);
    d.key(KeyCode::Enter);
    d.keys("mika.sato@contoso.example");
    d.key(KeyCode::Enter);
    let screen = d.screen();
    assert!(screen.contains("rejected"), "{screen}");
    assert!(
        !d.events(&id)
            .iter()
            .any(|e| matches!(e, EventKind::ActionIntended { .. })),
        "a rejected proposal never runs, not even simulated"
    );
}

#[test]
fn a_tabletop_can_make_the_approval_arrive_late() {
    let (mut d, id) = tabletop_proposing(false, Some(5));
    assert!(decided(&d, &id).is_empty());
    let now = d.state.now;
    super::exercise::tick(&mut d, now + chrono::TimeDelta::minutes(4));
    assert!(decided(&d, &id).is_empty(), "not before its time");
    super::exercise::tick(&mut d, now + chrono::TimeDelta::minutes(6));
    assert_eq!(decided(&d, &id), vec![true]);
    // One answer, however often the clock ticks.
    super::exercise::tick(&mut d, now + chrono::TimeDelta::minutes(7));
    assert_eq!(decided(&d, &id), vec![true]);
}
