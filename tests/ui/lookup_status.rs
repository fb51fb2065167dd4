//! A lookup's status on the node screen at 80x24 and 60x20: the spinner
//! with the retry wait, and a failure's short reason with the retry key,
//! on lines of their own so a long title never cuts them.

use std::time::Duration;

use ratatui::crossterm::event::KeyCode;

use super::driver::{Driver, render};
use cairn::app::lookups::{LookupEffect, LookupMsg, RunOutcome};
use cairn::app::{Effect, Msg, NodeView, Screen};
use cairn::lookup::retry::Progress;
use cairn::store::event::LookupStatus;

fn snap(name: &str, screen: String) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name.to_string(), screen));
}

/// A practice run of the sign-in lookup held in flight; returns its id.
pub(super) fn running(lang: &str) -> (Driver, u64) {
    let mut d = Driver::practice(lang);
    d.go_to("trigger-unfamiliar-properties");
    d.state.screen = Screen::Node(NodeView::default());
    d.lookups.hold = true;
    d.keys("g");
    d.key(KeyCode::Enter);
    let Some(Effect::Lookup(LookupEffect::Run { run, .. })) = d.others.last().cloned() else {
        panic!("no run: {:?}", d.others)
    };
    // Back to the node: the run goes on.
    d.keys("q");
    assert!(matches!(d.state.screen, Screen::Node(_)));
    (d, run)
}

fn both_sizes(name: &str, d: &Driver, needles: &[&str]) {
    for (w, h) in [(80, 24), (60, 20)] {
        let screen = render(&d.state, w, h);
        let flat = screen.split_whitespace().collect::<Vec<_>>().join(" ");
        for n in needles {
            assert!(flat.contains(n), "{w}x{h}: missing {n:?} in\n{screen}");
        }
        snap(&format!("{name}_{w}x{h}"), screen);
    }
}

#[test]
fn a_retry_wait_is_shown_whole_under_the_lookup() {
    for lang in ["en", "ja"] {
        let (mut d, run) = running(lang);
        d.send(Msg::Lookup(LookupMsg::Progress {
            run,
            progress: Progress::Waiting {
                attempt: 1,
                delay: Duration::from_millis(4000),
                reason: 429,
                from_retry_after: true,
            },
        }));
        both_sizes(
            &format!("node_lookup_retrying_{lang}"),
            &d,
            &["HTTP 429", "4.0s"],
        );
    }
}

#[test]
fn a_failed_lookup_shows_its_short_reason_and_the_retry_key() {
    for (lang, words) in [("en", "Failed: HTTP 503"), ("ja", "失敗: HTTP 503")] {
        let (mut d, run) = running(lang);
        fail(
            &mut d,
            run,
            "HTTP 503 ServiceUnavailable: the service is busy\nHint: try later".into(),
        );
        both_sizes(&format!("node_lookup_failed_{lang}"), &d, &[words, "(r:"]);
        assert!(!render(&d.state, 80, 24).contains("Hint: try later"));
    }
}

/// Run `run` fails with `message` (worded on arrival, as from the executor).
pub(super) fn fail(d: &mut Driver, run: u64, message: cairn::lookup::remedy::Failure) {
    let now = d.state.now;
    d.send(Msg::Lookup(LookupMsg::Finished {
        run,
        started_at: now,
        finished_at: now,
        outcome: RunOutcome::Failed {
            status: LookupStatus::Failed,
            message,
            sign_in: false,
        },
    }));
}

/// The rows of the user's sign-ins lookup, from the shipped recordings.
pub(super) fn sign_in_results(lang: &str) -> Driver {
    let mut d = Driver::practice(lang);
    d.go_to("trigger-unfamiliar-properties");
    d.state.screen = Screen::Node(NodeView {
        cursor: 1,
        ..Default::default()
    });
    d.keys("g");
    d.key(KeyCode::Enter);
    d
}

/// The results table scrolled right by column: the header says which
/// column of how many and that more lie on both sides; help calls Left and
/// Right what they do here.
#[test]
fn results_scroll_by_column_with_a_position_indicator() {
    for (lang, at, help) in [
        ("en", "col 4/10 <>", "next column"),
        ("ja", "列 4/10 <>", "次の列"),
    ] {
        let mut d = sign_in_results(lang);
        d.keys("lll");
        let screen = render(&d.state, 80, 24);
        assert!(screen.contains(at), "{screen}");
        snap(&format!("results_scrolled_right_{lang}"), screen);
        d.keys("?");
        assert!(d.screen().contains(help), "{}", d.screen());
    }
}

/// The bind picker: the value being bound, each variable with the value it
/// holds, the cursor on the first one not set.
#[test]
fn bind_picker_shows_the_value_and_what_each_variable_holds() {
    for lang in ["en", "ja"] {
        let mut d = sign_in_results(lang);
        d.keys("=");
        let screen = render(&d.state, 80, 24);
        assert!(
            screen.contains("upn [mika.sato@contoso.example]"),
            "{screen}"
        );
        snap(&format!("bind_picker_{lang}"), screen);
    }
}
