//! A lookup's run history on the results screen: every run, newest first,
//! with its time, window, status and rows; choosing an older one shows its
//! stored rows, after a restart as in the session that ran it.

use ratatui::crossterm::event::KeyCode;

use super::*;
use crate::app::NodeView;
use crate::app::run_history::entries;

fn open_results(h: &mut Harness) {
    h.state.screen = Screen::Node(NodeView::default());
    h.send(key('j'));
    h.send(key('j'));
    h.send(key('o'));
}

fn shown(h: &Harness) -> (u64, Vec<String>, &ResultsMode) {
    let Screen::Results(view) = &h.state.screen else {
        panic!("{:?} {:?}", h.state.screen, h.state.notice)
    };
    let result = h.state.lookups.runs[&view.run].result().cloned();
    let users = view
        .rows
        .iter()
        .filter_map(|&i| {
            result
                .as_ref()
                .map(|r| r.tables[0].rows[i][0].text().into_owned())
        })
        .collect();
    (view.run, users, &view.mode)
}

#[test]
fn after_a_restart_the_history_lists_every_run_and_enter_shows_an_older_runs_rows() {
    let first = two_runs();
    let mut h = Harness::reopened(first.recorded.clone());
    open_results(&mut h);
    let (latest, users, _) = shown(&h);
    assert_eq!(users, ["x@b.co", "y@b.co"], "the latest run opens first");

    h.send(key('H'));
    let list = entries(&h.state, latest);
    assert_eq!(list.len(), 2);
    assert_eq!(list[0].run, latest, "newest first");
    assert_eq!(
        (list[0].status, list[0].rows),
        (Some(LookupStatus::Succeeded), Some(2))
    );
    assert_eq!(
        (list[1].status, list[1].rows),
        (Some(LookupStatus::Succeeded), Some(1))
    );
    assert!(list[1].started_at < list[0].started_at);
    assert!(matches!(shown(&h).2, ResultsMode::History { cursor: 0 }));
    assert_eq!(h.state.context(), crate::app::Context::RunHistory);

    // The older run's rows come back from the record, with no new query.
    h.send(key('j'));
    let effects = h.send(code(KeyCode::Enter));
    assert!(effects.is_empty(), "{effects:?}");
    let (older, users, mode) = shown(&h);
    assert_eq!(older, list[1].run);
    assert_eq!(users, ["old@b.co"]);
    assert!(matches!(mode, ResultsMode::Table));
    assert!(crate::app::run_history::is_earlier(
        &h.state,
        &h.state.lookups.runs[&older]
    ));
    // The newest run keeps its rows for the node screen.
    assert!(h.state.lookups.runs[&latest].result().is_some());

    // Back to the newest: the older one lets go of its rows again.
    h.send(key('H'));
    assert!(matches!(shown(&h).2, ResultsMode::History { cursor: 1 }));
    h.send(key('k'));
    h.send(code(KeyCode::Enter));
    assert_eq!(shown(&h).1, ["x@b.co", "y@b.co"]);
    assert!(matches!(
        h.state.lookups.runs[&older].state,
        RunState::Superseded
    ));
    assert!(h.state.pending.is_empty(), "looking back records nothing");
}

#[test]
fn a_run_in_flight_and_a_failed_run_are_listed_with_their_status() {
    let mut h = two_runs();
    open_run_form(&mut h);
    let (failed, _, _) = run_effect(&h.send(code(KeyCode::Enter)));
    h.send(failed_with(failed, "403"));
    h.send(code(KeyCode::Esc));
    h.state.screen = Screen::Node(NodeView::default());
    open_run_form(&mut h);
    let (running, _, _) = run_effect(&h.send(code(KeyCode::Enter)));
    open_results(&mut h);
    assert_eq!(shown(&h).0, running);
    h.send(key('H'));
    let list = entries(&h.state, running);
    let status: Vec<_> = list.iter().map(|e| (e.status, e.rows)).collect();
    assert_eq!(
        status,
        [
            (None, None),
            (Some(LookupStatus::Failed), None),
            (Some(LookupStatus::Succeeded), Some(2)),
            (Some(LookupStatus::Succeeded), Some(1)),
        ]
    );
    // Esc leaves the list for the table it was opened over.
    h.send(code(KeyCode::Esc));
    assert!(matches!(shown(&h).2, ResultsMode::Table));
}
