//! The note and reason editors and the variables panel.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Style;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;
use ratatui_textarea::TextArea;

use super::Scene;
use super::home::input_spans;
use super::i18n::{S, t};
use super::theme::Theme;
use super::{draw_header, safe, scroll_to, wrap};
use crate::app::{NoteEditor, ReasonEditor, VariablesView};
use crate::tree::NodeKind;

fn draw_textarea(
    th: &Theme,
    frame: &mut Frame,
    area: Rect,
    title: String,
    hint: &str,
    textarea: &TextArea<'static>,
) {
    let width = area.width as usize;
    let [head, hint_area, edit] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(3),
    ])
    .areas(area);
    frame.render_widget(
        Paragraph::new(Line::styled(wrap::cut(&title, width), th.strong)),
        head,
    );
    frame.render_widget(
        Paragraph::new(Line::styled(wrap::cut(hint, width), th.muted)),
        hint_area,
    );
    // The editor widget draws the typed text itself; typed control keys never
    // become characters (the editor maps them to editing commands).
    let mut boxed = textarea.clone();
    boxed.set_block(super::bordered().border_style(th.border));
    boxed.set_cursor_style(super::input_cursor());
    frame.render_widget(&boxed, edit);
}

pub fn draw_note(frame: &mut Frame, area: Rect, state: &Scene, editor: &NoteEditor) {
    let th = &state.theme;
    let Some(inc) = &state.incident else { return };
    let area = draw_header(frame, area, state, inc);
    let lang = inc.language();
    let mut title = match editor.node.as_deref().and_then(|n| inc.tree.node(n)) {
        Some(node) => format!("{} {}", t(lang, S::NoteOn), safe(node.title.get(lang))),
        None => t(lang, S::IncidentNote).to_string(),
    };
    if let Some(tag) = editor.tag {
        // Where the note goes in the after-action report, shown up front.
        title = format!("[{}] {title}", super::exercise::tag_label(lang, tag));
    }
    let hint = match (&editor.saving, &editor.node) {
        (Some(_), _) => t(lang, S::Saving),
        (None, Some(_)) => t(lang, S::NoteHint),
        (None, None) => t(lang, S::IncidentNoteHint),
    };
    draw_textarea(th, frame, area, title, hint, &editor.textarea);
}

pub fn draw_reason(frame: &mut Frame, area: Rect, state: &Scene, editor: &ReasonEditor) {
    let th = &state.theme;
    let Some(inc) = &state.incident else { return };
    let area = draw_header(frame, area, state, inc);
    let lang = inc.language();
    let label = inc
        .tree
        .node(inc.current_node_id())
        .and_then(|n| match &n.kind {
            NodeKind::Decision { choices } => choices.get(editor.choice),
            _ => None,
        })
        .map(|c| c.label.get(lang))
        .unwrap_or("");
    let title = format!(
        "{} {}. {}",
        t(lang, S::ReasonFor),
        editor.choice + 1,
        safe(label)
    );
    draw_textarea(
        th,
        frame,
        area,
        title,
        t(lang, S::ReasonHint),
        &editor.textarea,
    );
}

pub fn draw_variables(frame: &mut Frame, area: Rect, state: &Scene, view: &VariablesView) {
    let th = &state.theme;
    let Some(inc) = &state.incident else { return };
    let area = draw_header(frame, area, state, inc);
    let lang = inc.language();
    let width = area.width as usize;
    let mut lines = vec![Line::styled(t(lang, S::Variables), th.strong)];
    let mut focus = 0;
    for (i, var) in inc.tree.variables.iter().enumerate() {
        let is_sel = i == view.cursor;
        if is_sel {
            focus = lines.len() + 1;
        }
        let req = if var.required {
            format!(" {}", t(lang, S::Required))
        } else {
            String::new()
        };
        let marker = if is_sel { "> " } else { "  " };
        let head = wrap::cut(
            &format!("{marker}{} ({}){req}", safe(&var.name), var.var_type.name()),
            width,
        );
        lines.push(Line::styled(head, th.strong));
        let room = width.saturating_sub(6);
        let mut value = vec![Span::raw("    = ")];
        match (&view.editing, inc.walk.values.get(var.name.as_str())) {
            (Some(input), _) if is_sel => {
                value.extend(input_spans(input.text(), input.cursor(), true, room));
            }
            (_, Some(v)) => {
                let style = if is_sel { th.selected } else { Style::new() };
                value.push(Span::styled(wrap::cut(&safe(v), room), style));
            }
            (_, None) => {
                let style = if is_sel { th.selected } else { th.muted };
                value.push(Span::styled(t(lang, S::Unset), style));
            }
        }
        lines.push(Line::from(value));
        // The values earlier users or devices had stay in view, apart.
        for s in &inc.walk.subjects {
            if let Some((_, v)) = s.values.iter().find(|(n, _)| *n == var.name.value) {
                let label = super::i18n::subject(lang, &s.scope, s.number);
                let text = format!("    {label}: {}", safe(&v.current.value));
                lines.push(Line::styled(wrap::cut(&text, width), th.muted));
            }
        }
        if is_sel && let Some(err) = &view.error {
            let text = format!("{} {}", t(lang, S::Invalid), safe(err));
            for l in wrap::wrap(&text, width.saturating_sub(4).max(1)) {
                lines.push(Line::styled(format!("    {l}"), th.selected));
            }
        }
        if is_sel && view.saving.is_some() {
            lines.push(Line::styled(
                format!("    {}", t(lang, S::Saving)),
                th.muted,
            ));
        }
        // The value and any message under it stay in view, also for the
        // last variables of a long list.
        if is_sel {
            focus = lines.len() - 1;
        }
        let desc = wrap::cut(&format!("    {}", safe(var.description.get(lang))), width);
        lines.push(Line::styled(desc, th.muted));
    }
    let scroll = scroll_to(focus, area.height as usize, 0);
    frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), area);
}
