//! The jump screen: where the map or search would take the walk, what the
//! record will say, and the reason being typed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::home::labelled_input;
use super::i18n::{self, S, t};
use super::{Scene, draw_header, safe, wrap};
use crate::app::JumpView;
use crate::tree::NodeKind;

pub fn draw(frame: &mut Frame, area: Rect, state: &Scene, view: &JumpView) {
    let th = &state.theme;
    let Some(inc) = &state.incident else { return };
    let area = draw_header(frame, area, state, inc);
    let lang = inc.language();
    let width = area.width as usize;
    let Some(node) = inc.tree.node(&view.target) else {
        return;
    };
    let from = inc
        .tree
        .node(inc.current_node_id())
        .map_or(inc.current_node_id(), |n| n.title.get(lang));
    let mut lines = Vec::new();
    let head = format!(
        "{}: {} | {}",
        t(lang, S::JumpTo),
        node.phase.label(lang),
        safe(node.title.get(lang))
    );
    lines.extend(
        wrap::wrap(&head, width)
            .into_iter()
            .map(|l| Line::styled(l, th.title)),
    );
    if let NodeKind::Outcome { status } = &node.kind {
        let outcome = format!(
            "== {}: {}",
            t(lang, S::Outcome),
            i18n::outcome(lang, *status)
        );
        lines.push(Line::styled(wrap::cut(&outcome, width), th.strong));
    }
    let from = format!("{}: {}", t(lang, S::JumpFrom), safe(from));
    lines.push(Line::styled(wrap::cut(&from, width), th.muted));
    lines.push(Line::default());
    for l in wrap::wrap(t(lang, S::JumpNotDecision), width) {
        lines.push(Line::styled(l, th.strong));
    }
    let label = t(lang, S::JumpReason);
    lines.push(labelled_input(label, &view.reason, width, th.strong));
    lines.push(Line::default());
    // The target's text, as far as it fits: enough to see where this goes.
    let body = node.body.get(lang);
    if !body.trim().is_empty() {
        let w = u16::try_from(width).unwrap_or(u16::MAX);
        lines.extend(super::markdown::render(body, w, th).lines);
    }
    frame.render_widget(Paragraph::new(lines), area);
}
