//! The tabletop facilitator's panel: the clock and per-phase timers, the
//! inject queue, the team's decisions with their reasons, the quick notes,
//! and the story to read out.

use ratatui::style::Style;
use ratatui::text::Line;

use super::Scene;
use super::exercise::{clock, node_title, tag_label, tr};
use super::{safe, wrap};
use crate::app::Incident;
use crate::app::exercise::Exercise;
use crate::scenario::Trigger;
use crate::scenario::text::label;
use crate::tree::NodeKind;

pub fn panel_lines(
    state: &Scene,
    inc: &Incident,
    ex: &Exercise,
    width: usize,
) -> Vec<Line<'static>> {
    let th = &state.theme;
    let lang = inc.language();
    let plain = Style::new();
    let mut lines: Vec<Line<'static>> = Vec::new();
    let push = |lines: &mut Vec<Line<'static>>, text: &str, indent: usize, style: Style| {
        let pad = " ".repeat(indent);
        for (i, l) in wrap::wrap(text, width.saturating_sub(indent + 2).max(1))
            .into_iter()
            .enumerate()
        {
            let lead = if i == 0 {
                pad.clone()
            } else {
                format!("{pad}  ")
            };
            lines.push(Line::styled(format!("{lead}{l}"), style));
        }
    };
    let heading = |lines: &mut Vec<Line<'static>>, text: &str| {
        lines.push(Line::default());
        lines.push(Line::styled(text.to_string(), th.strong));
    };
    let clock_now = ex.clock(&inc.tree, &inc.walk, state.now);
    let table = match ex.tabletop(&inc.tree, &inc.walk, &clock_now) {
        Ok(t) => t,
        Err(e) => return vec![Line::from(safe(&e.to_string()).into_owned())],
    };
    let elapsed = table.elapsed();
    push(&mut lines, &safe(ex.scenario.title.get(lang)), 0, th.title);
    let now_at = format!(
        "{} {} | {}",
        label(lang, "duration"),
        clock(elapsed),
        safe(table.current().title.get(lang))
    );
    push(&mut lines, &now_at, 0, plain);

    heading(&mut lines, label(lang, "phase-times"));
    let times = table.phase_times();
    let current_phase = table.current().phase;
    for (phase, spent) in &times {
        let running = if *phase == current_phase && !table.is_finished() {
            // The clock is stopped while paused: say so, not "running".
            tr(
                lang,
                if inc.walk.paused() {
                    "paused-phase"
                } else {
                    "running"
                },
            )
        } else {
            ""
        };
        let name = wrap::cut(phase.label(lang), 16);
        let pad = " ".repeat(16usize.saturating_sub(wrap::width(&name)));
        push(
            &mut lines,
            &format!("{name}{pad} {}{running}", clock(*spent)),
            2,
            plain,
        );
    }

    heading(
        &mut lines,
        &format!(
            "{} ({}/{})",
            label(lang, "injects-released"),
            table.queue().released().len(),
            ex.scenario.injects.len()
        ),
    );
    let queue = table.queue();
    for inject in &ex.scenario.injects {
        let message = one_paragraph(&safe(inject.message.get(lang)));
        let row = match queue
            .released()
            .iter()
            .find(|r| r.inject == inject.id.value)
        {
            Some(r) => format!("[x] {} {message}", clock(r.at)),
            None => {
                let when = match &inject.trigger {
                    Trigger::After(d) => format!(
                        "{} {} ({} {})",
                        tr(lang, "at"),
                        clock(d.value),
                        tr(lang, "in"),
                        clock(d.value.saturating_sub(elapsed))
                    ),
                    Trigger::OnNode(n) => format!(
                        "{} {}",
                        tr(lang, "on-reaching"),
                        safe(node_title(&inc.tree, n, lang))
                    ),
                };
                format!("[ ] {when}: {message}")
            }
        };
        push(&mut lines, &row, 2, plain);
    }

    heading(&mut lines, tr(lang, "team-decisions"));
    if table.decisions().is_empty() {
        push(&mut lines, label(lang, "none"), 2, th.muted);
    }
    for d in table.decisions() {
        let choice = match inc.tree.node(&d.node).map(|n| &n.kind) {
            Some(NodeKind::Decision { choices }) => choices
                .iter()
                .find(|c| c.id.value == d.choice)
                .map_or(d.choice.clone(), |c| c.label.get(lang).to_string()),
            _ => d.choice.clone(),
        };
        let row = format!(
            "{} {}: {}",
            clock(d.at),
            safe(node_title(&inc.tree, &d.node, lang)),
            safe(&choice)
        );
        push(&mut lines, &row, 2, plain);
        if let Some(reason) = &d.reason {
            let why = format!("{}: {}", label(lang, "reason"), safe(reason));
            push(&mut lines, &why, 6, th.muted);
        }
    }

    heading(&mut lines, tr(lang, "notes"));
    if table.notes().is_empty() {
        push(&mut lines, label(lang, "none"), 2, th.muted);
    }
    for n in table.notes() {
        let row = format!(
            "{} [{}] {}",
            clock(n.at),
            tag_label(lang, n.tag),
            safe(&n.text)
        );
        push(&mut lines, &row, 2, plain);
    }

    heading(&mut lines, label(lang, "scenario"));
    let story = super::markdown::render(
        ex.scenario.story.get(lang),
        width.saturating_sub(2) as u16,
        th,
    );
    lines.extend(story.lines.into_iter().map(|l| {
        let mut spans = vec![ratatui::text::Span::raw("  ")];
        spans.extend(l.spans);
        Line::from(spans)
    }));
    lines.push(Line::default());
    push(
        &mut lines,
        &super::exercise::report_command(inc),
        0,
        th.muted,
    );
    lines
}

/// Hard line breaks of a scenario text folded into one paragraph.
fn one_paragraph(text: &str) -> String {
    text.split_whitespace().collect::<Vec<_>>().join(" ")
}
