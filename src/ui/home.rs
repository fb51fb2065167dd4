//! The home screen and the new-incident form.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Scene;
use super::i18n::{self, S, t};
use super::{safe, scroll_to, wrap};
use crate::app::home::{
    FIELD_LANGUAGE, FIELD_TITLE, FIELD_TREE, FIELD_VARS, HomeItem, Shown, home_items,
};
use crate::app::{HomeView, NewIncidentForm};
use crate::scenario::text::run_title;
use crate::text::lang::Lang;

pub fn draw_home(frame: &mut Frame, area: Rect, state: &Scene, view: &HomeView) {
    let th = &state.theme;
    let lang = &state.lang;
    let width = area.width as usize;
    let (heading, none) = listing(lang, view.shown);
    let mut lines = vec![
        Line::styled(t(lang, S::AppTitle), th.strong),
        Line::default(),
        Line::styled(heading, th.strong),
    ];
    let items = home_items(state);
    let mut focus_line = 0;
    let open = items
        .iter()
        .filter(|i| matches!(i, HomeItem::Resume(_)))
        .count();
    if open == 0 {
        let text = if state.loading {
            t(lang, S::Loading)
        } else {
            none
        };
        lines.push(Line::styled(format!("  {text}"), th.muted));
    }
    for (n, item) in items.iter().enumerate() {
        let first_exercise = matches!(item, HomeItem::Exercise { scenario: 0, mode }
            if *mode == crate::store::event::Mode::Training);
        if *item == HomeItem::New {
            lines.push(Line::default());
        }
        if first_exercise {
            lines.push(Line::default());
            let heading = Lang::of(lang).text("exercise", "training-and-tabletop-heading");
            lines.push(Line::styled(heading, th.strong));
        }
        let text = match item {
            HomeItem::Resume(i) => {
                let inc = &state.incidents[*i];
                let mut badge = i18n::mode_badge(lang, inc.mode).to_string();
                if inc.closed {
                    badge = format!("{} {badge}", i18n::closed_badge(lang));
                }
                let age = super::elapsed(state.now - inc.created_at);
                // The store knows the node id; the tree knows its title.
                let at = inc
                    .current_node
                    .as_deref()
                    .map(|n| {
                        state
                            .tree(&inc.tree_id)
                            .and_then(|t| t.node(n))
                            .map_or(n, |node| node.title.get(lang))
                    })
                    .map(|n| format!(" - {}", safe(n)))
                    .unwrap_or_default();
                // Proposals waiting for a second person: what a teammate acts on.
                let waiting = if inc.pending_approvals > 0 {
                    let text = Lang::of(lang).fill(
                        "approval",
                        crate::app::approval::AW::HeaderPending.key(),
                        &[("n", &inc.pending_approvals.to_string())],
                    );
                    format!(" [{text}]")
                } else {
                    String::new()
                };
                format!(
                    "{}  {badge}{waiting} {age}  {}{at}",
                    safe(&inc.id),
                    safe(&inc.title)
                )
            }
            HomeItem::New => format!("+ {}", t(lang, S::NewIncident)),
            HomeItem::Practice => format!("+ {}", t(lang, S::PracticeIncident)),
            HomeItem::Exercise { scenario, mode } => match state.scenarios.get(*scenario) {
                Some(sc) => format!("+ {}", safe(&run_title(*mode, sc, lang))),
                None => continue,
            },
        };
        let is_sel = n == view.cursor;
        if is_sel {
            focus_line = lines.len();
        }
        let marker = if is_sel { "> " } else { "  " };
        let text = wrap::cut(&format!("{marker}{text}"), width);
        lines.push(super::item_line(text, is_sel, th));
    }
    let height = area.height as usize;
    let scroll = scroll_to(focus_line, height, 0);
    frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), area);
    if let Some(form) = &view.attach {
        draw_attach(frame, area, state, form);
    }
}

/// The heading of the incidents listed by `shown`, and what it says when
/// there are none.
fn listing(lang: &str, shown: Shown) -> (&'static str, &'static str) {
    let words = |heading, none| {
        let lang = crate::text::lang::Lang::of(lang);
        (lang.text("message", heading), lang.text("message", none))
    };
    match shown {
        Shown::Open => (t(lang, S::OpenIncidents), t(lang, S::NoOpenIncidents)),
        Shown::Closed => words("closed-incidents", "no-closed-incidents"),
        Shown::All => words("all-incidents", "no-incidents"),
    }
}

pub fn draw_form(frame: &mut Frame, area: Rect, state: &Scene, form: &NewIncidentForm) {
    let th = &state.theme;
    let lang = &state.lang;
    let width = area.width as usize;
    let Some(tree) = state.trees.get(form.tree) else {
        return;
    };
    let mut lines = vec![
        Line::styled(t(lang, S::NewIncident), th.strong),
        Line::default(),
    ];
    let room = width.saturating_sub(30);
    let option = |index: usize, text: String| {
        let style = if form.focus == index {
            th.selected
        } else {
            th.strong
        };
        vec![Span::styled(wrap::cut(&text, room), style)]
    };
    let field = |lines: &mut Vec<Line>, index: usize, label: String, value: Vec<Span<'static>>| {
        let focused = form.focus == index;
        let marker = if focused { "> " } else { "  " };
        let label = wrap::cut(&format!("{marker}{label}"), 28);
        let pad = 28usize.saturating_sub(wrap::width(&label));
        let mut spans = vec![Span::raw(label), Span::raw(" ".repeat(pad + 1))];
        spans.extend(value);
        lines.push(Line::from(spans));
        if let Some(err) = form.errors.get(&index) {
            let text = format!("{} {}", t(lang, S::Invalid), safe(err));
            for l in wrap::wrap(&text, width.saturating_sub(4)) {
                lines.push(Line::styled(format!("    {l}"), th.selected));
            }
        }
    };
    field(
        &mut lines,
        FIELD_TREE,
        t(lang, S::Tree).to_string(),
        option(FIELD_TREE, format!("< {} >", safe(tree.title.get(lang)))),
    );
    field(
        &mut lines,
        FIELD_TITLE,
        t(lang, S::Title).to_string(),
        input_spans(
            form.title.text(),
            form.title.cursor(),
            form.focus == FIELD_TITLE,
            room,
        ),
    );
    let language = tree
        .languages
        .get(form.language)
        .map_or("en", String::as_str);
    field(
        &mut lines,
        FIELD_LANGUAGE,
        t(lang, S::Language).to_string(),
        option(FIELD_LANGUAGE, format!("< {language} >")),
    );
    for (i, (name, input)) in form.vars.iter().enumerate() {
        let index = FIELD_VARS + i;
        let var = tree.variable(name);
        let label = format!("{} {}", safe(name), t(lang, S::Required));
        field(
            &mut lines,
            index,
            label,
            input_spans(input.text(), input.cursor(), form.focus == index, room),
        );
        if let Some(var) = var {
            let desc = format!(
                "    {} ({} {})",
                safe(var.description.get(lang)),
                t(lang, S::Type),
                var.var_type.name()
            );
            lines.push(Line::styled(wrap::cut(&desc, width), th.muted));
        }
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// A one-line input: the typed text, and when focused the cell under the
/// cursor in reverse video (the terminal's own cursor stays hidden). Long
/// text shows its end, where typing happens.
pub fn input_spans(text: &str, cursor: usize, focused: bool, width: usize) -> Vec<Span<'static>> {
    let text = safe(text).into_owned();
    if !focused {
        return vec![Span::styled(wrap::cut(&text, width), super::bold())];
    }
    let chars: Vec<char> = text.chars().collect();
    let cursor = cursor.min(chars.len());
    let mut start = 0;
    while start < cursor && wrap::width(&chars[start..].iter().collect::<String>()) + 1 > width {
        start += 1;
    }
    let before: String = chars[start..cursor].iter().collect();
    let at: String = chars.get(cursor).map_or(" ".to_string(), |c| c.to_string());
    let after: String = chars.iter().skip(cursor + 1).collect();
    let room = width.saturating_sub(wrap::width(&before) + wrap::width(&at));
    let underlined = Style::new().add_modifier(Modifier::UNDERLINED);
    vec![
        Span::styled(before, underlined),
        Span::styled(at, super::input_cursor()),
        Span::styled(wrap::cut(&after, room), underlined),
    ]
}

/// The attach form over the home list: which incident, the reference being
/// typed, and why it was refused (Sentinel's words, made visible).
fn draw_attach(
    frame: &mut Frame,
    area: Rect,
    state: &Scene,
    form: &crate::app::attach::AttachForm,
) {
    let th = &state.theme;
    let lang = Lang::of(&state.lang);
    let inner_width = 60usize;
    let mut lines = vec![
        Line::from(lang.text("message", "attach-prompt")),
        Line::from(input_spans(
            form.input.text(),
            form.input.cursor(),
            !form.saving,
            inner_width,
        )),
        Line::default(),
    ];
    if form.saving {
        lines.push(Line::styled(
            lang.text("message", "attach-saving"),
            th.muted,
        ));
    } else if let Some(e) = &form.error {
        for l in wrap::wrap(&safe(e), inner_width) {
            lines.push(Line::styled(l, th.badge_live));
        }
    }
    for l in wrap::wrap(lang.text("message", "attach-hint"), inner_width) {
        lines.push(Line::styled(l, th.muted));
    }
    let title = lang.fill("message", "attach-title", &[("id", &safe(&form.incident))]);
    let inner = super::chrome::popup(
        frame,
        area,
        inner_width as u16 + 4,
        lines.len() as u16 + 2,
        &title,
    );
    let inner = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        ..inner
    };
    frame.render_widget(Paragraph::new(lines), inner);
}
