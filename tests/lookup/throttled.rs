//! A Retry-After longer than Cairn waits on its own, through the whole
//! path: the loopback service asks to wait ten minutes, the client stops
//! without shortening the wait, `update` turns the run into a countdown
//! that nothing is sent during, and the run goes on by itself when the
//! time is up, or ends as cancelled when the responder cancels it.

use chrono::TimeDelta;

use cairn::app::lookups::{RunState, cancel};
use cairn::app::{Effect, Msg};
use cairn::store::event::{EventKind, LookupStatus};

use super::mock::{Mock, Reply};
use super::screen::Session;
use super::support::fixture;

const NODE: &str = "trigger-unfamiliar-properties";

/// Answers 429 with `Retry-After: 600` first, rows after.
async fn throttling_service() -> Mock {
    let body = fixture("la_all_types.json");
    Mock::start(move |_, i| match i {
        0 => Reply::json(
            429,
            r#"{"error":{"code":"TooManyRequests","message":"slow"}}"#,
        )
        .with_header("Retry-After", "600"),
        _ => Reply::json(200, &body),
    })
    .await
}

fn lookup_runs(s: &Session) -> Vec<(LookupStatus, Option<String>)> {
    s.events()
        .into_iter()
        .filter_map(|e| match e {
            EventKind::LookupRun {
                status, message, ..
            } => Some((status, message)),
            _ => None,
        })
        .collect()
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_long_retry_after_is_counted_down_then_the_same_run_goes_on() {
    let mock = throttling_service().await;
    let mut s = Session::live(&mock.base(), |_| {});
    let run = s.start(NODE, 1);
    s.finish().await;

    let RunState::Throttled { status, until } = s.state.lookups.runs[&run].state.clone() else {
        panic!("{:?}", s.state.lookups.runs[&run].state)
    };
    assert_eq!(status, 429);
    let asked = (until - s.state.now).num_seconds();
    assert!((595..=601).contains(&asked), "{asked} s");
    assert_eq!(mock.count(), 1, "the long wait was not shortened");
    assert!(
        lookup_runs(&s).is_empty(),
        "still in flight: not recorded yet"
    );

    // The results screen shows the countdown and how to cancel it.
    let effects = cairn::app::update(&mut s.state, Msg::Tick(until - TimeDelta::seconds(598)));
    assert!(effects.is_empty(), "{effects:?}");
    s.state.screen = cairn::app::Screen::Results(cairn::app::results::ResultsView::new(run));
    let screen = s.screen();
    assert!(screen.contains("HTTP 429"), "{screen}");
    assert!(screen.contains("00:09:58"), "{screen}");
    assert!(screen.contains("Esc cancels"), "{screen}");

    // Halfway: still waiting, nothing sent.
    let effects = cairn::app::update(&mut s.state, Msg::Tick(until - TimeDelta::seconds(300)));
    assert!(effects.is_empty(), "{effects:?}");
    assert!(s.screen().contains("00:05:00"));
    assert_eq!(mock.count(), 1);

    // Time is up: the same run, same query, goes to the service again.
    s.send(Msg::Tick(until + TimeDelta::seconds(1)));
    s.finish().await;
    assert_eq!(mock.count(), 2);
    assert_eq!(mock.requests()[0].body, mock.requests()[1].body);
    assert!(s.state.lookups.runs[&run].result().is_some());
    let runs = lookup_runs(&s);
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert_eq!(runs[0].0, LookupStatus::Succeeded);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_countdown_cancelled_sends_nothing_more_and_is_recorded() {
    let mock = throttling_service().await;
    let mut s = Session::live(&mock.base(), |_| {});
    let run = s.start(NODE, 1);
    s.finish().await;
    let RunState::Throttled { until, .. } = s.state.lookups.runs[&run].state.clone() else {
        panic!("{:?}", s.state.lookups.runs[&run].state)
    };
    let effects = cancel(&mut s.state, run);
    s.run(effects);
    assert_eq!(s.state.lookups.runs[&run].state, RunState::Cancelled);

    let effects = cairn::app::update(&mut s.state, Msg::Tick(until + TimeDelta::seconds(1)));
    assert!(
        !effects.iter().any(|e| matches!(e, Effect::Lookup(_))),
        "{effects:?}"
    );
    assert_eq!(mock.count(), 1);
    let runs = lookup_runs(&s);
    assert_eq!(runs.len(), 1, "{runs:?}");
    assert_eq!(runs[0].0, LookupStatus::Cancelled);
}
