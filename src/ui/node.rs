//! The node screen: header, breadcrumb, the node, and what can be done at it.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Scene;
use super::i18n::{self, S, t};
use super::{draw_header, safe, scroll_to, wrap};
use crate::app::actions;
use crate::app::node::{NodeItem, node_items};
use crate::app::{Incident, NodeView};
use crate::lookup::substitute::preview_lookup;
use crate::store::event::EventKind;
use crate::tree::{Node, NodeKind};

pub fn draw(frame: &mut Frame, area: Rect, state: &Scene, view: &NodeView) {
    let Some(inc) = &state.incident else { return };
    let area = draw_header(frame, area, state, inc);
    let [crumb, body] = Layout::vertical([Constraint::Length(1), Constraint::Min(0)]).areas(area);
    draw_breadcrumb(frame, crumb, inc, &state.theme);
    let Some(node) = inc.tree.node(inc.current_node_id()) else {
        return;
    };
    let (lines, focus) = node_lines(state, inc, node, view, body.width as usize);
    let height = body.height as usize;
    // Show the title and body first; scroll only as far as the cursor needs.
    let mut scroll = scroll_to(focus.unwrap_or(0), height, 0);
    // On the last item, what follows it (the notes) comes into view too, as
    // far as the item itself stays on screen: nothing is out of reach.
    let items = crate::app::node::node_items(node).len();
    let end = lines.len().saturating_sub(height);
    if let Some(focus) = focus.filter(|_| items > 0 && view.cursor + 1 >= items) {
        scroll = scroll.max(focus.min(end));
    }
    // Scrolled on past the last item (or a node without items): as far
    // as the end of the node, no further.
    if view.cursor + 1 >= items {
        scroll = (scroll + usize::from(view.past_end)).min(end.max(scroll));
    }
    frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), body);
}

fn draw_breadcrumb(frame: &mut Frame, area: Rect, inc: &Incident, th: &super::theme::Theme) {
    let lang = inc.language();
    let titles: Vec<String> = inc
        .walk
        .trail
        .iter()
        .map(|id| {
            let title = inc.tree.node(id).map_or(id.as_str(), |n| n.title.get(lang));
            wrap::cut(&safe(title), 24)
        })
        .collect();
    let label = format!("{}: ", t(lang, S::Path));
    let room = (area.width as usize).saturating_sub(wrap::width(&label));
    let path = wrap::cut_front(&titles.join(" > "), room);
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(label, th.muted),
            Span::styled(path, th.muted),
        ])),
        area,
    );
}

/// The node as lines, and the line the cursor is on.
pub fn node_lines(
    state: &Scene,
    inc: &Incident,
    node: &Node,
    view: &NodeView,
    width: usize,
) -> (Vec<Line<'static>>, Option<usize>) {
    let th = &state.theme;
    let lang = inc.language();
    let vars = &inc.walk.values;
    let mut lines: Vec<Line<'static>> = Vec::new();
    let mut focus = None;
    let items = node_items(node);
    let sel = items.get(view.cursor).copied();
    let wrapped = |text: &str, indent: usize| -> Vec<String> {
        wrap::wrap(&safe(text), width.saturating_sub(indent).max(1))
    };

    for l in wrapped(node.title.get(lang), 0) {
        lines.push(Line::styled(l, th.title));
    }
    let body = node.body.get(lang);
    if !body.trim().is_empty() {
        let width = u16::try_from(width).unwrap_or(u16::MAX);
        lines.extend(super::markdown::render(body, width, th).lines);
    }
    lines.extend(super::exercise::hint_lines(inc, width, th));

    // One selectable entry: a marker, the first line, and indented rest.
    // One selectable entry: a marker, the head (wrapped under its own text,
    // past the item's mark of `hang` columns), and dimmed detail lines.
    let mut entry = |lines: &mut Vec<Line<'static>>,
                     item: NodeItem,
                     head: String,
                     hang: usize,
                     rest: Vec<String>| {
        let is_sel = sel == Some(item);
        let marker = if is_sel { "> " } else { "  " };
        let room = width.saturating_sub(2 + hang).max(1);
        let indent = " ".repeat(2 + hang);
        let mark: String = head.chars().take(hang).collect();
        let text: String = head.chars().skip(hang).collect();
        for (i, l) in wrap::wrap(&text, room).into_iter().enumerate() {
            let line = if i == 0 {
                format!("{marker}{mark}{l}")
            } else {
                format!("{indent}{l}")
            };
            lines.push(super::item_line(line, is_sel, th));
        }
        for l in rest {
            lines.push(Line::styled(format!("    {l}"), th.code));
        }
        if is_sel {
            focus = Some(lines.len() - 1);
        }
    };
    let heading = |lines: &mut Vec<Line<'static>>, s: S| {
        lines.push(Line::default());
        lines.push(Line::styled(t(lang, s).to_string(), th.strong));
    };

    if !node.checklist.is_empty() {
        heading(&mut lines, S::Checklist);
        for (i, item) in node.checklist.iter().enumerate() {
            let pending = state.pending_kinds().any(|k| {
                matches!(k, EventKind::ChecklistToggled { node: n, item: it, .. }
                    if *n == node.id.value && *it == item.id.value)
            });
            let mark = if pending {
                "[~]"
            } else if inc.walk.is_checked(&node.id, &item.id) {
                "[x]"
            } else {
                "[ ]"
            };
            let req = if item.mandatory {
                format!(" {}", t(lang, S::Required))
            } else {
                String::new()
            };
            let head = format!("{mark} {}{req}", safe(item.text.get(lang)));
            entry(&mut lines, NodeItem::Check(i), head, 4, Vec::new());
        }
    }
    if !node.lookups.is_empty() {
        heading(&mut lines, S::Lookups);
        for (i, l) in node.lookups.iter().enumerate() {
            let window = l
                .window
                .as_ref()
                .map(|w| format!(", {} {}", t(lang, S::Window), safe(w)))
                .unwrap_or_default();
            let head = format!(
                "? {} [{}{window}]",
                safe(l.title.get(lang)),
                l.provider.name()
            );
            // The run's status first, on lines of its own: nothing cuts it.
            let mut rest: Vec<String> =
                super::lookups::node_status(state, &node.id.value, &l.id.value)
                    .map(|s| wrap::wrap(&format!("=> {s}"), width.saturating_sub(4).max(1)))
                    .unwrap_or_default();
            let query = preview_lookup(l, &inc.tree.variables, vars);
            rest.extend(first_line(&safe(&query), width.saturating_sub(4)));
            // What to look for, in full: the node says "look for ..." and
            // the responder should not have to open the lookup to read it.
            let look_for = format!("{}: {}", t(lang, S::LookFor), safe(l.look_for.get(lang)));
            rest.extend(wrap::wrap(&look_for, width.saturating_sub(4).max(1)));
            entry(&mut lines, NodeItem::Lookup(i), head, 2, rest);
        }
    }
    if !node.actions.is_empty() {
        heading(&mut lines, S::Actions);
        for (i, a) in node.actions.iter().enumerate() {
            let destructive = if a.destructive {
                format!(" [{}]", t(lang, S::Destructive))
            } else {
                String::new()
            };
            let approval =
                crate::app::approval::mark(&inc.walk, &node.id.value, &a.id.value, state.now)
                    .map(|m| format!(" [{}]", m.text(lang.into())))
                    .unwrap_or_default();
            let head = format!("! {}{destructive}{approval}", safe(a.title.get(lang)));
            let (path, _) = actions::preview(&inc.tree, a, vars);
            let path = format!("{} {path}", a.method.name());
            let rest = first_line(&safe(&path), width.saturating_sub(4));
            entry(&mut lines, NodeItem::Action(i), head, 2, rest);
        }
    }
    match &node.kind {
        NodeKind::Decision { choices } => {
            heading(&mut lines, S::Choices);
            for (i, c) in choices.iter().enumerate() {
                let number = format!("{}. ", i + 1);
                let hang = number.len();
                let head = format!("{number}{}", safe(c.label.get(lang)));
                entry(&mut lines, NodeItem::Choice(i), head, hang, Vec::new());
            }
            // What a teammate recorded here, read from Sentinel.
            if let Some(theirs) = crate::app::teammates::at(state, &node.id.value) {
                let label = choices
                    .iter()
                    .find(|c| c.id.value == theirs.choice)
                    .map_or(theirs.choice.as_str(), |c| c.label.get(lang));
                let said = i18n::teammate_chose(
                    lang,
                    &safe(&theirs.author),
                    &safe(label),
                    theirs.at.as_ref(),
                    false,
                );
                for l in wrap::wrap(&said, width.saturating_sub(4)) {
                    lines.push(Line::styled(format!("    {l}"), th.strong));
                }
            }
        }
        NodeKind::Step { next } => {
            lines.push(Line::default());
            let title = inc
                .tree
                .node(next)
                .map_or(next.as_str(), |n| n.title.get(lang));
            let head = format!("-> {}: {}", t(lang, S::ContinueTo), safe(title));
            entry(&mut lines, NodeItem::Next, head, 3, Vec::new());
        }
        NodeKind::Outcome { status } => {
            lines.push(Line::default());
            lines.push(Line::styled(
                format!(
                    "== {}: {}",
                    t(lang, S::Outcome),
                    i18n::outcome(lang, *status)
                ),
                th.strong,
            ));
        }
    }
    // The articles the node's text points to ("linked below"), title and
    // address on their own lines so a terminal selection copies the URL.
    if !node.references.is_empty() {
        heading(&mut lines, S::References);
        for r in &node.references {
            for l in wrapped(&r.title, 4) {
                lines.push(Line::from(format!("  - {l}")));
            }
            // Unwrapped: a URL cut over two lines does not paste.
            lines.push(Line::styled(format!("    {}", safe(&r.url)), th.code));
        }
    }
    // This node's notes and the incident-wide ones, oldest first.
    let notes: Vec<_> = inc
        .walk
        .notes
        .iter()
        .filter(|n| n.node.as_deref().is_none_or(|id| id == node.id.as_str()))
        .collect();
    if !notes.is_empty() {
        heading(&mut lines, S::Notes);
        for n in notes {
            let stamp = n.added().at.format("%H:%M").to_string();
            let tag = if n.node.is_none() {
                format!("{} ", t(lang, S::IncidentTag))
            } else {
                String::new()
            };
            let text = format!("{stamp} {tag}{}", safe(n.text()));
            for (i, l) in wrap::wrap(&text, width.saturating_sub(4).max(1))
                .into_iter()
                .enumerate()
            {
                let prefix = if i == 0 { "  - " } else { "    " };
                lines.push(Line::from(format!("{prefix}{l}")));
            }
        }
    }
    (lines, focus)
}

/// A query or path on one line (whitespace runs collapsed), cut to fit: the
/// detail view shows it whole.
fn first_line(text: &str, width: usize) -> Vec<String> {
    let one: Vec<&str> = text.split_whitespace().collect();
    vec![wrap::cut(&one.join(" "), width)]
}
