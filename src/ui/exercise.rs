//! The exercise screens: the explanation after a scored decision, the
//! training scorecard, the tabletop facilitator's panel, the story and
//! injects shown over the screen, and the exercise line of the header.

use std::time::Duration;

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::Scene;
use super::theme::Theme;
use super::{draw_header, safe, wrap};
use crate::app::exercise::{self, ExerciseNotice, FeedbackView, PanelView};
use crate::app::{Action, Incident};
use crate::scenario::FakeClock;
use crate::scenario::text::label;
use crate::store::event::{Mode, NoteTag};
use crate::tree::{NodeKind, Tree};

/// A word of the exercise screens (the catalogues' `exercise` table).
pub(super) fn tr(lang: &str, key: &str) -> &'static str {
    crate::text::lang::Lang::of(lang).text("exercise", key)
}

/// `01:02:03`: a tabletop clock is read across the room.
pub fn clock(d: Duration) -> String {
    let s = d.as_secs();
    format!("{:02}:{:02}:{:02}", s / 3600, (s / 60) % 60, s % 60)
}

/// The exercise's part of the header: score so far, or the clock and the
/// next inject.
pub fn header_info(state: &Scene, inc: &Incident) -> Option<String> {
    let ex = inc.exercise.as_ref()?;
    let lang = inc.language();
    // The incident's title (line one) already names the scenario.
    let phase = inc
        .tree
        .node(inc.current_node_id())
        .map_or("", |n| n.phase.label(lang));
    let clock_now = FakeClock::new(state.now);
    match inc.meta.mode {
        Mode::Training => {
            let card = ex
                .training(&inc.tree, &inc.walk, &clock_now)
                .ok()?
                .scorecard();
            Some(format!(
                "{phase} | {} {}/{} | {} -{}",
                label(lang, "score"),
                card.total(),
                card.max,
                label(lang, "hint-cost"),
                card.hint_cost
            ))
        }
        Mode::Tabletop => {
            let elapsed = ex.elapsed(&inc.tree, &inc.walk, state.now);
            let queue = ex.queue(&inc.walk);
            let next = match queue.next_timed(elapsed) {
                Some((_, wait)) => format!("{} {}", tr(lang, "next-inject-in"), clock(wait)),
                None => format!(
                    "{} {}/{}",
                    label(lang, "injects-released"),
                    queue.released().len(),
                    ex.scenario.injects.len()
                ),
            };
            let paused = if inc.walk.paused() {
                format!(" {}", tr(lang, "paused"))
            } else {
                String::new()
            };
            Some(format!("{phase} | {}{paused} | {next}", clock(elapsed)))
        }
        _ => None,
    }
}

/// The hints already revealed at the current node, for the node screen.
pub fn hint_lines(inc: &Incident, width: usize, th: &Theme) -> Vec<Line<'static>> {
    let Some(ex) = inc
        .exercise
        .as_ref()
        .filter(|_| inc.meta.mode == Mode::Training)
    else {
        return Vec::new();
    };
    let lang = inc.language();
    let node = inc.current_node_id();
    let shown: Vec<u32> = inc
        .walk
        .hints
        .iter()
        .filter(|h| h.node == node)
        .map(|h| h.hint)
        .collect();
    let hints: Vec<_> = ex.scenario.hints_for(node).collect();
    let mut lines = Vec::new();
    let left = hints.len().saturating_sub(shown.len());
    if shown.is_empty() && left == 0 {
        return lines;
    }
    lines.push(Line::default());
    lines.push(Line::styled(hints_left(lang, left), th.strong));
    for i in shown {
        let Some(h) = hints.get(i as usize) else {
            continue;
        };
        let text = format!("(-{}) {}", h.cost, safe(h.text.get(lang)));
        for (n, l) in wrap::wrap(&text, width.saturating_sub(4).max(1))
            .into_iter()
            .enumerate()
        {
            let prefix = if n == 0 { "  * " } else { "    " };
            lines.push(Line::from(format!("{prefix}{l}")));
        }
    }
    lines
}

pub fn draw_feedback(frame: &mut Frame, area: Rect, state: &Scene, view: &FeedbackView) {
    let Some(inc) = &state.incident else { return };
    let area = draw_header(frame, area, state, inc);
    let th = &state.theme;
    let lang = inc.language();
    let width = area.width as usize;
    let node = inc.tree.node(&view.node);
    let choice_label = |id: &str| -> String {
        match node.map(|n| &n.kind) {
            Some(NodeKind::Decision { choices }) => choices
                .iter()
                .find(|c| c.id.value == id)
                .map_or(id.to_string(), |c| safe(c.label.get(lang)).into_owned()),
            _ => id.to_string(),
        }
    };
    let mut lines: Vec<Line<'static>> = Vec::new();
    let para = |lines: &mut Vec<Line<'static>>, text: &str, style| {
        for l in wrap::wrap(text, width.max(1)) {
            lines.push(Line::styled(l, style));
        }
    };
    if let Some(n) = node {
        para(&mut lines, &safe(n.title.get(lang)), th.muted);
    }
    if view.correct {
        let verdict = format!("OK  {} (+{})", label(lang, "correct"), view.points);
        para(
            &mut lines,
            &verdict,
            th.ok.add_modifier(ratatui::style::Modifier::BOLD),
        );
    } else {
        let verdict = format!("X  {}", tr(lang, "not-the-playbook-s-choice"));
        para(
            &mut lines,
            &verdict,
            th.error.add_modifier(ratatui::style::Modifier::BOLD),
        );
    }
    lines.push(Line::default());
    let chose = format!(
        "{}: {}",
        label(lang, "you-chose"),
        choice_label(&view.choice)
    );
    para(&mut lines, &chose, th.strong);
    let md = |text: &str| super::markdown::render(text, width as u16, th).lines;
    lines.extend(md(view.explanation.get(lang)));
    if !view.correct {
        lines.push(Line::default());
        let expected = format!(
            "{}: {}",
            label(lang, "playbook"),
            choice_label(&view.expected)
        );
        para(&mut lines, &expected, th.strong);
        lines.extend(md(view.expected_explanation.get(lang)));
    }
    let walk = match &walk_path(inc) {
        Some(crate::scenario::WalkPath::Chosen) => tr(lang, "the-walk-follows-your-choice-so"),
        _ => tr(lang, "the-walk-continues-on-the-playbook"),
    };
    lines.push(Line::default());
    para(&mut lines, walk, th.muted);
    let scroll = view.scroll.min(lines.len().saturating_sub(1));
    frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), area);
}

fn walk_path(inc: &Incident) -> Option<crate::scenario::WalkPath> {
    inc.exercise.as_ref().map(|e| e.scenario.scoring.walk)
}

pub fn draw_panel(frame: &mut Frame, area: Rect, state: &Scene, view: &PanelView) {
    let Some(inc) = &state.incident else { return };
    let Some(ex) = &inc.exercise else { return };
    let area = draw_header(frame, area, state, inc);
    let width = area.width as usize;
    let lines = match inc.meta.mode {
        Mode::Training => {
            let clock_now = FakeClock::new(state.now);
            match ex.training(&inc.tree, &inc.walk, &clock_now) {
                Ok(run) => {
                    super::scorecard::scorecard_lines(&run.scorecard(), inc, width, &state.theme)
                }
                Err(e) => vec![Line::from(safe(&e.to_string()).into_owned())],
            }
        }
        _ => super::facilitator::panel_lines(state, inc, ex, width),
    };
    let scroll = view.scroll.min(lines.len().saturating_sub(1));
    frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), area);
}

/// The story when an exercise opens, then each inject as it is released,
/// over whatever screen is showing.
pub fn draw_overlay(frame: &mut Frame, area: Rect, state: &Scene) {
    let Some((inc, ex)) = exercise::of(state) else {
        return;
    };
    let lang = inc.language();
    let (title, text) = if ex.story_pending {
        (
            safe(ex.scenario.title.get(lang)).into_owned(),
            safe(ex.scenario.story.get(lang)).into_owned(),
        )
    } else {
        let Some(inject) = exercise::shown_inject(state) else {
            return;
        };
        (
            label(lang, "inject").to_string(),
            safe(inject.message.get(lang)).into_owned(),
        )
    };
    let inner_width = area.width.saturating_sub(8).clamp(20, 70) as usize;
    // Scenario text is written as paragraphs with hard line breaks: reflow it.
    let mut lines: Vec<Line> =
        super::markdown::render(&text, inner_width as u16, &state.theme).lines;
    lines.push(Line::default());
    let key = state
        .keymap
        .keys_for(crate::app::Context::Inject, Action::Back)
        .into_iter()
        .next()
        .map(|k| k.to_string())
        .unwrap_or_default();
    lines.push(Line::styled(
        format!("{key}: {}", tr(lang, "continue")),
        state.theme.strong,
    ));
    let height = (lines.len() as u16 + 2).min(area.height);
    let inner = super::popup(frame, area, inner_width as u16 + 4, height, &title);
    let inner = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        ..inner
    };
    frame.render_widget(Paragraph::new(lines), inner);
}

/// An inject released while this screen cannot show it: what it says,
/// as far as the status line goes.
pub fn inject_arrived(state: &Scene, lang: &str) -> String {
    let message = exercise::shown_inject(state)
        .map(|i| {
            i.message
                .get(lang)
                .split_whitespace()
                .collect::<Vec<_>>()
                .join(" ")
        })
        .unwrap_or_default();
    format!("{} {}", tr(lang, "inject-arrived"), safe(&message))
}

/// The question before the facilitator ends the tabletop.
pub fn end_question(lang: &str) -> &'static str {
    tr(lang, "end-the-exercise-the-clock-stops")
}

pub fn notice_text(lang: &str, n: ExerciseNotice) -> String {
    match n {
        ExerciseNotice::NoHintLeft => tr(lang, "no-hint-left-at-this-node"),
        ExerciseNotice::NoInjectLeft => tr(lang, "every-inject-has-been-released"),
        ExerciseNotice::ForwardOnly => tr(lang, "training-walks-forward-only-each-decision"),
        ExerciseNotice::NotATabletop => tr(lang, "only-a-tabletop-s-clock-can"),
        ExerciseNotice::ClockStopped => tr(lang, "the-exercise-clock-has-stopped-outcome"),
        ExerciseNotice::NotAnExercise => tr(lang, "not-an-exercise-start-one-with"),
        ExerciseNotice::InjectArrived => tr(lang, "inject-arrived"),
    }
    .to_string()
}

pub fn tag_label(lang: &str, tag: NoteTag) -> &'static str {
    match tag {
        NoteTag::Strength => label(lang, "strengths"),
        NoteTag::Improvement => label(lang, "improvements"),
        NoteTag::Note => label(lang, "note"),
    }
}

/// Where the exercise's after-action report comes from, shown at the end
/// of the scorecard and the facilitator's panel.
pub fn report_command(inc: &Incident) -> String {
    format!(
        "{}: cairn export {} --format aar",
        label(inc.language(), "aar"),
        safe(&inc.meta.id)
    )
}

/// A node's title in `lang`, or its id when the tree has no such node.
pub fn node_title<'a>(tree: &'a Tree, id: &'a str, lang: &str) -> &'a str {
    tree.node(id).map_or(id, |n| n.title.get(lang))
}

/// The hints heading with how many are left, worded per language (Japanese
/// reads "残り 2 件", "残りなし" rather than an English word order).
fn hints_left(lang: &str, left: usize) -> String {
    let lang = crate::text::lang::Lang::of(lang);
    match left {
        0 => lang.text("exercise", "hints-none-left").to_string(),
        n => lang.fill("exercise", "hints-left", &[("n", &n.to_string())]),
    }
}
