//! The map outline, search results and the help screen.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::Scene;
use super::home::labelled_input;
use super::i18n::{self, S, t};
use super::{draw_header, safe, scroll_to, wrap};
use crate::app::views::map_order;
use crate::app::{Context, HelpView, MapView, SearchView};
use crate::tree::Phase;

pub fn draw_map(frame: &mut Frame, area: Rect, state: &Scene, view: &MapView) {
    let th = &state.theme;
    let Some(inc) = &state.incident else { return };
    let area = draw_header(frame, area, state, inc);
    let lang = inc.language();
    let width = area.width as usize;
    let tree = &inc.tree;
    let current = inc.current_node_id();
    let legend = format!(
        "{} - @ {}  + {}  - {}",
        t(lang, S::Map),
        t(lang, S::YouAreHere),
        t(lang, S::Path),
        t(lang, S::Visited)
    );
    let mut lines = vec![Line::styled(wrap::cut(&legend, width), th.strong)];
    let mut focus = 0;
    let mut phase: Option<Phase> = None;
    for (pos, index) in map_order(tree).into_iter().enumerate() {
        let node = &tree.nodes[index];
        if phase != Some(node.phase) {
            phase = Some(node.phase);
            lines.push(Line::styled(node.phase.label(lang).to_string(), th.strong));
        }
        let id = node.id.as_str();
        let mark = if id == current {
            "@"
        } else if inc.walk.trail.iter().any(|p| p == id) {
            "+"
        } else if inc.walk.visited.contains(id) {
            "-"
        } else {
            " "
        };
        let is_sel = pos == view.cursor;
        if is_sel {
            focus = lines.len();
        }
        let cursor = if is_sel { ">" } else { " " };
        // A teammate's recorded choice there (from Sentinel): who and which.
        let theirs = crate::app::teammates::at(state, id).map(|c| {
            let label = match &node.kind {
                crate::tree::NodeKind::Decision { choices } => choices
                    .iter()
                    .find(|x| x.id.value == c.choice)
                    .map_or(c.choice.as_str(), |x| x.label.get(lang)),
                _ => c.choice.as_str(),
            };
            format!("  [{}: {}]", safe(&c.author), safe(label))
        });
        let text = wrap::cut(
            &format!(
                "{cursor} {mark} {}{}",
                safe(node.title.get(lang)),
                theirs.unwrap_or_default()
            ),
            width,
        );
        lines.push(super::item_line(text, is_sel, th));
    }
    let scroll = scroll_to(focus, area.height as usize, 0);
    frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), area);
}

pub fn draw_search(frame: &mut Frame, area: Rect, state: &Scene, view: &SearchView) {
    let th = &state.theme;
    let Some(inc) = &state.incident else { return };
    let area = draw_header(frame, area, state, inc);
    let lang = inc.language();
    let width = area.width as usize;
    let query = labelled_input(t(lang, S::Search), &view.query, width, th.strong);
    let mut lines = vec![
        query,
        Line::styled(wrap::cut(t(lang, S::SearchHint), width), th.muted),
        Line::default(),
    ];
    if view.results.is_empty() && !view.query.text().trim().is_empty() {
        lines.push(Line::from(t(lang, S::NoMatches)));
    }
    let mut focus = 0;
    for (pos, index) in view.results.iter().enumerate() {
        let node = &inc.tree.nodes[*index];
        let is_sel = pos == view.cursor;
        if is_sel {
            focus = lines.len();
        }
        let cursor = if is_sel { "> " } else { "  " };
        let text = wrap::cut(
            &format!(
                "{cursor}{} | {}",
                node.phase.label(lang),
                safe(node.title.get(lang))
            ),
            width,
        );
        lines.push(super::item_line(text, is_sel, th));
    }
    let scroll = scroll_to(focus, area.height as usize, 0);
    frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), area);
}

/// Help is generated from the keymap: what is bound is what is listed.
pub fn draw_help(frame: &mut Frame, area: Rect, state: &Scene, view: &HelpView) {
    let th = &state.theme;
    let lang = state.language();
    let width = area.width as usize;
    let mut lines = vec![Line::styled(t(lang, S::Help), th.strong), Line::default()];
    let section = |lines: &mut Vec<Line>, title: &str, ctx: Context| {
        lines.push(Line::styled(title.to_string(), th.strong));
        let bindings = state.keymap.bindings_of(ctx);
        // The nine choose-N bindings read best as one line.
        let choose: Vec<String> = bindings
            .iter()
            .filter(|(a, _)| a.choice_index().is_some())
            .flat_map(|(_, k)| k.iter().map(|k| k.to_string()))
            .collect();
        for (action, keys) in bindings {
            let keys: Vec<String> = match action.choice_index() {
                Some(0) => choose.clone(),
                Some(_) => continue,
                None => keys.iter().map(|k| k.to_string()).collect(),
            };
            let label = if action.choice_index().is_some() {
                t(lang, S::Choices)
            } else {
                i18n::action_label_in(lang, ctx, action)
            };
            let keys = wrap::cut(&keys.join(" "), 22);
            let pad = 24usize.saturating_sub(wrap::width(&keys));
            let text = format!("  {keys}{}{label}", " ".repeat(pad));
            lines.push(Line::from(wrap::cut(&text, width)));
        }
        lines.push(Line::default());
    };
    section(&mut lines, t(lang, S::KeysHere), view.context);
    section(&mut lines, t(lang, S::KeysEverywhere), Context::Global);
    let max = lines.len().saturating_sub(area.height as usize) as u16;
    frame.render_widget(
        Paragraph::new(lines).scroll((view.scroll.min(max), 0)),
        area,
    );
}
