//! The footer's key hints: which actions each screen hints, most useful
//! first, and only those the screen offers now (no choice keys without
//! choices); a narrow footer keeps help and quit. Apart from the rest of
//! the frame (`chrome`) because these rules are their own.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Scene;
use super::i18n::{self, S, t};
use super::wrap;
use crate::app::{Action, Context};
use crate::store::event::Mode;

/// The actions hinted in the footer of each context, most useful first.
fn hint_actions(ctx: Context, mode: Option<Mode>, closed: bool) -> &'static [Action] {
    use Action::*;
    if closed && ctx == Context::Node {
        return &[Help, Quit, Reopen, Results, Map, Search, Copy, Home];
    }
    match (ctx, mode) {
        (Context::Node, Some(Mode::Training)) => {
            return &[
                Help, Quit, Choose1, Hint, Exercise, Toggle, Run, Results, Note, Map,
            ];
        }
        (Context::Panel, Some(Mode::Training)) => return &[Help, Back, Down],
        (Context::Panel, Some(Mode::Tabletop)) => {
            return &[Help, Back, ReleaseInject, Pause, EndExercise, Note, Down];
        }
        (Context::Notes, Some(Mode::Tabletop)) => return &[Save, Cancel, Tag, Attach],
        (Context::Node, Some(Mode::Tabletop)) => {
            return &[
                Help,
                Quit,
                Choose1,
                ReleaseInject,
                Pause,
                Exercise,
                Note,
                Toggle,
                Run,
                Results,
                Map,
            ];
        }
        _ => {}
    }
    match ctx {
        Context::Home => &[
            Help,
            Quit,
            Select,
            NewIncident,
            Filter,
            CloseIncident,
            Reopen,
            Language,
            Practice,
        ],
        Context::NewIncident => &[NextField, Right, Submit, Cancel],
        Context::Node => &[
            Help, Quit, Choose1, Toggle, Run, Results, Backtrack, Note, Timeline, Map, Search,
            Variables, Copy, Language,
        ],
        Context::RunLookup => &[Run, NextField, Cancel],
        Context::Results => &[
            Help, Back, Retry, Select, History, Filter, Sort, Bind, Copy, SaveFile, Cancel, CopyRow,
        ],
        Context::RunHistory => &[Help, Select, Back],
        Context::ResultsInput => &[Save, Cancel],
        Context::RowDetail => &[Copy, Back],
        Context::BindPicker => &[Select, Back],
        Context::ActionConfirm => &[Run, Cancel],
        Context::ActionResult => &[Verify, Back],
        Context::SignIn => &[Back],
        Context::Map | Context::Search => &[Help, Select, Back],
        Context::Help => &[Down, Back],
        Context::Detail => &[Copy, Back],
        Context::Notes => &[Save, Cancel, Attach],
        Context::Reason | Context::Jump | Context::CloseIncident => &[Save, Cancel],
        Context::Variables => &[Help, Select, Copy, Back],
        Context::VariableEdit => &[Save, Cancel],
        Context::Confirm => &[Yes, No],
        Context::Global => &[Help, Quit],
        Context::Feedback => &[Back, Down],
        Context::Panel => &[Help, Back, ReleaseInject, Note, Down],
        Context::Inject => &[Back],
        Context::Timeline => &[Help, Back, Filter, NodeFilter, Last, Language],
    }
}

pub(super) fn draw_footer(frame: &mut Frame, area: Rect, state: &Scene) {
    let th = &state.theme;
    let lang = state.language();
    let ctx = state.context();
    let mut spans = Vec::new();
    let mut used = 0;
    // Hints are listed most important first, so a narrow footer keeps help
    // and quit; they are drawn in a friendlier order.
    let mut shown: Vec<Action> = Vec::new();
    let mode = crate::app::exercise::of(state).map(|(inc, _)| inc.meta.mode);
    let closed = crate::app::closed::is_closed(state);
    for action in hint_actions(ctx, mode, closed) {
        if ctx == Context::Node && !node_offers(state, *action) {
            continue;
        }
        if ctx == Context::Home && !home_offers(state, *action) {
            continue;
        }
        if *action == Action::Retry && !retry_offered(state) {
            continue;
        }
        let Some(key) = state.keymap.keys_for(ctx, *action).into_iter().next() else {
            continue;
        };
        let w = hint_width(lang, ctx, *action, &key.to_string());
        if used + w > area.width as usize {
            break;
        }
        used += w;
        shown.push(*action);
    }
    let priority = shown
        .iter()
        .take_while(|a| matches!(a, Action::Help | Action::Quit))
        .count();
    shown.rotate_left(priority);
    for action in &shown {
        let Some(key) = state.keymap.keys_for(ctx, *action).into_iter().next() else {
            continue;
        };
        let label = if *action == Action::Choose1 {
            "1-9".to_string()
        } else {
            key.to_string()
        };
        let text = i18n::action_label_in(lang, ctx, *action);
        let text = if *action == Action::Choose1 {
            t(lang, S::Choices)
        } else {
            text
        };
        spans.push(Span::styled(label, th.key.add_modifier(Modifier::REVERSED)));
        spans.push(Span::raw(format!(" {text}  ")));
    }
    frame.render_widget(Paragraph::new(Line::from(spans)), area);
}

/// Whether the node on screen has what `action` works on: no choice keys
/// without choices, no tick without a checklist, no run without lookups
/// or actions.
fn node_offers(state: &Scene, action: Action) -> bool {
    use crate::tree::NodeKind;
    let Some(node) = state
        .incident
        .as_ref()
        .and_then(|inc| inc.tree.node(inc.current_node_id()))
    else {
        return true;
    };
    match action {
        Action::Choose1 | Action::ChooseWithReason => {
            matches!(&node.kind, NodeKind::Decision { choices } if !choices.is_empty())
        }
        Action::Toggle => !node.checklist.is_empty(),
        Action::Run => !node.lookups.is_empty() || !node.actions.is_empty(),
        Action::RunAll | Action::Results => !node.lookups.is_empty(),
        _ => true,
    }
}

/// Close is offered on an open incident, reopen on a closed one.
fn home_offers(state: &Scene, action: Action) -> bool {
    use crate::app::home::{HomeItem, home_items};
    let crate::app::Screen::Home(view) = &state.screen else {
        return true;
    };
    let closed = match home_items(state).get(view.cursor) {
        Some(HomeItem::Resume(i)) => state.incidents[*i].closed,
        _ => return !matches!(action, Action::CloseIncident | Action::Reopen),
    };
    match action {
        Action::CloseIncident => !closed,
        Action::Reopen => closed,
        _ => true,
    }
}

/// The results screen shows a run that ended without rows: offer to run it
/// again.
fn retry_offered(state: &Scene) -> bool {
    use crate::app::lookups::RunState;
    let crate::app::Screen::Results(view) = &state.screen else {
        return false;
    };
    state
        .lookups
        .runs
        .get(&view.run)
        .is_some_and(|r| matches!(r.state, RunState::Failed { .. } | RunState::Cancelled))
}

fn hint_width(lang: &str, ctx: Context, action: Action, key: &str) -> usize {
    let (label, text) = if action == Action::Choose1 {
        ("1-9", t(lang, S::Choices))
    } else {
        (key, i18n::action_label_in(lang, ctx, action))
    };
    wrap::width(label) + 1 + wrap::width(text) + 2
}
