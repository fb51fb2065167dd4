//! A lookup or action in full: its rendered query or path, and what it is for.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::Scene;
use super::i18n::{S, t};
use super::{draw_header, safe, wrap};
use crate::app::DetailView;
use crate::app::actions;
use crate::app::node::NodeItem;
use crate::lookup::substitute::preview_lookup;

pub fn draw(frame: &mut Frame, area: Rect, state: &Scene, view: &DetailView) {
    let th = &state.theme;
    let Some(inc) = &state.incident else { return };
    let area = draw_header(frame, area, state, inc);
    let lang = inc.language();
    let width = area.width as usize;
    let vars = &inc.walk.values;
    let Some(node) = inc.tree.node(inc.current_node_id()) else {
        return;
    };
    let mut lines: Vec<Line> = Vec::new();
    let para = |lines: &mut Vec<Line>, label: Option<&str>, text: &str, indent: bool| {
        if let Some(label) = label {
            lines.push(Line::styled(label.to_string(), th.strong));
        }
        let pad = if indent { "  " } else { "" };
        for l in wrap::wrap(&safe(text), width.saturating_sub(pad.len()).max(1)) {
            lines.push(Line::from(format!("{pad}{l}")));
        }
    };
    match view.item {
        Some(NodeItem::Lookup(i)) => {
            let Some(l) = node.lookups.get(i) else { return };
            para(&mut lines, None, l.title.get(lang), false);
            lines[0] = lines[0].clone().style(th.strong);
            let window = l.window.as_ref().map(|w| w.value.as_str()).unwrap_or("-");
            lines.push(Line::from(format!(
                "{}: {}   {}: {}",
                t(lang, S::Provider),
                l.provider.name(),
                t(lang, S::Window),
                safe(window)
            )));
            lines.push(Line::default());
            let query = preview_lookup(l, &inc.tree.variables, vars);
            para(&mut lines, Some(t(lang, S::Query)), &query, true);
            lines.push(Line::default());
            para(
                &mut lines,
                Some(t(lang, S::LookFor)),
                l.look_for.get(lang),
                true,
            );
        }
        Some(NodeItem::Action(i)) => {
            let Some(a) = node.actions.get(i) else { return };
            para(&mut lines, None, a.title.get(lang), false);
            lines[0] = lines[0].clone().style(th.strong);
            if a.destructive {
                lines.push(Line::styled(
                    format!("[{}]", t(lang, S::Destructive)),
                    th.strong,
                ));
            }
            lines.push(Line::default());
            let (path, body) = actions::preview(&inc.tree, a, vars);
            para(
                &mut lines,
                Some(t(lang, S::Method)),
                &format!("{} {path}", a.method.name()),
                true,
            );
            if let Some(body) = &body {
                para(&mut lines, None, body, true);
            }
            lines.push(Line::default());
            para(
                &mut lines,
                Some(t(lang, S::Description)),
                a.description.get(lang),
                true,
            );
        }
        _ => {}
    }
    lines.push(Line::default());
    for l in wrap::wrap(t(lang, S::NotRunHere), width.max(1)) {
        lines.push(Line::styled(l, th.muted));
    }
    let max = lines.len().saturating_sub(area.height as usize) as u16;
    frame.render_widget(
        Paragraph::new(lines).scroll((view.scroll.min(max), 0)),
        area,
    );
}
