//! The training scorecard laid out for the screen.

use ratatui::text::Line;

use super::theme::Theme;
use super::{safe, wrap};
use crate::app::Incident;
use crate::scenario::scorecard::Scorecard;
use crate::scenario::text::label;

/// The scorecard laid out for the screen: headings, aligned phase rows,
/// mistakes with both explanations, time per decision, hints.
pub fn scorecard_lines(
    card: &Scorecard,
    inc: &Incident,
    width: usize,
    th: &Theme,
) -> Vec<Line<'static>> {
    let lang = inc.language();
    let mut lines: Vec<Line<'static>> = Vec::new();
    let push = |lines: &mut Vec<Line<'static>>, text: &str, indent: usize, style| {
        let pad = " ".repeat(indent);
        for l in wrap::wrap(text, width.saturating_sub(indent).max(1)) {
            lines.push(Line::styled(format!("{pad}{l}"), style));
        }
    };
    let plain = ratatui::style::Style::new();
    let title = format!(
        "{}: {}",
        label(lang, "scorecard"),
        safe(card.scenario_title.get(lang))
    );
    push(&mut lines, &title, 0, th.title);
    let percent = card.percent().map_or("-".to_string(), |p| format!("{p}%"));
    let score = format!(
        "{}: {} / {} ({percent})  {}: {}  {}: {}",
        label(lang, "score"),
        card.total(),
        card.max,
        label(lang, "hint-cost"),
        card.hint_cost,
        label(lang, "mistakes"),
        card.mistakes.len()
    );
    push(&mut lines, &score, 0, th.strong);
    match &card.outcome {
        Some(o) => push(
            &mut lines,
            &format!("{}: {}", label(lang, "outcome"), safe(o.get(lang))),
            0,
            plain,
        ),
        None => push(
            &mut lines,
            &format!("{}: {}", label(lang, "outcome"), label(lang, "in-progress")),
            0,
            th.muted,
        ),
    }
    lines.push(Line::default());
    push(&mut lines, label(lang, "by-phase"), 0, th.strong);
    for p in &card.phases {
        let name = wrap::cut(p.phase.label(lang), 16);
        let pad = " ".repeat(16usize.saturating_sub(wrap::width(&name)));
        let row = format!(
            "{name}{pad} {} {}/{}  {} {}  {} {}/{}",
            label(lang, "correct"),
            p.correct,
            p.decisions,
            label(lang, "hint-cost"),
            p.hint_cost,
            label(lang, "points"),
            p.points(),
            p.max
        );
        push(&mut lines, &row, 2, plain);
    }
    lines.push(Line::default());
    push(&mut lines, label(lang, "mistakes"), 0, th.strong);
    if card.mistakes.is_empty() {
        push(&mut lines, label(lang, "no-mistakes"), 2, plain);
    }
    for m in &card.mistakes {
        push(
            &mut lines,
            &format!("X {}", safe(m.node_title.get(lang))),
            2,
            th.error,
        );
        let chose = format!(
            "{}: {} - {}",
            label(lang, "you-chose"),
            safe(m.chosen_label.get(lang)),
            safe(m.why_wrong.get(lang))
        );
        push(&mut lines, &chose, 4, plain);
        let right = format!(
            "{}: {} - {}",
            label(lang, "playbook"),
            safe(m.expected_label.get(lang)),
            safe(m.why_right.get(lang))
        );
        push(&mut lines, &right, 4, plain);
    }
    lines.push(Line::default());
    push(&mut lines, label(lang, "time-per-decision"), 0, th.strong);
    for t in &card.timings {
        let mark = if t.correct { "OK" } else { "X " };
        let row = format!(
            "{mark} {} - {}",
            safe(t.node_title.get(lang)),
            crate::scenario::duration::format_offset(t.elapsed)
        );
        push(&mut lines, &row, 2, plain);
    }
    if !card.hints.is_empty() {
        lines.push(Line::default());
        push(&mut lines, label(lang, "hints"), 0, th.strong);
        for h in &card.hints {
            let row = format!(
                "{} (-{}): {}",
                safe(h.node_title.get(lang)),
                h.cost,
                safe(h.text.get(lang))
            );
            push(&mut lines, &row, 2, plain);
        }
    }
    lines.push(Line::default());
    push(
        &mut lines,
        &super::exercise::report_command(inc),
        0,
        th.muted,
    );
    lines
}
