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
    FIELD_LANGUAGE, FIELD_TITLE, FIELD_TREE, FIELD_VARS, HomeItem, Section, home_sections,
};
use crate::app::{Action, Context, HomeView, NewIncidentForm};
use crate::scenario::text::run_title;
use crate::text::lang::{Lang, msg_key};

pub fn draw_home(frame: &mut Frame, area: Rect, state: &Scene, view: &HomeView) {
    if let Some(form) = &view.closing {
        super::home_close::draw(frame, area, state, form);
        return;
    }
    let th = &state.theme;
    let lang = &state.lang;
    let words = Lang::of(lang);
    let width = area.width as usize;
    let mut lines = vec![Line::styled(t(lang, S::AppTitle), th.strong)];
    let mut focus_line = 0;
    let mut n = 0;
    let mut item = |lines: &mut Vec<Line<'static>>, item: &HomeItem| {
        let is_sel = n == view.cursor;
        n += 1;
        let Some(text) = item_text(state, item) else {
            return;
        };
        if is_sel {
            focus_line = lines.len();
        }
        let marker = if is_sel { "> " } else { "  " };
        let text = wrap::cut(&format!("{marker}{text}"), width);
        lines.push(super::item_line(text, is_sel, th));
    };
    lines.push(Line::default());
    item(&mut lines, &HomeItem::New);
    item(&mut lines, &HomeItem::Practice);
    if state.loading && state.incidents.is_empty() {
        lines.push(Line::styled(format!("  {}", t(lang, S::Loading)), th.muted));
    }
    let sections = home_sections(state);
    let alone = sections.len() == 1;
    for listed in &sections {
        let count = listed.count.to_string();
        let mut heading = words.fill("home", section_key(listed.section), &[("n", &count)]);
        if listed.folded {
            let key = state
                .keymap
                .keys_for(Context::Home, Action::Filter)
                .first()
                .map(ToString::to_string)
                .unwrap_or_default();
            let folded = words.fill("home", "closed-folded", &[("key", &key)]);
            heading = format!("{heading}  {folded}");
        }
        lines.push(Line::default());
        lines.push(Line::styled(wrap::cut(&heading, width), th.strong));
        if alone && listed.items.is_empty() {
            lines.push(Line::styled(
                format!("  {}", words.text("home", "none")),
                th.muted,
            ));
        }
        for entry in &listed.items {
            item(&mut lines, entry);
        }
    }
    let height = area.height as usize;
    let scroll = scroll_to(focus_line, height, 0);
    frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), area);
    if let Some(form) = &view.attach {
        draw_attach(frame, area, state, form);
    }
}

/// The line of one menu entry (`None` for a scenario no longer loaded).
fn item_text(state: &Scene, item: &HomeItem) -> Option<String> {
    let lang = &state.lang;
    Some(match item {
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
        HomeItem::Exercise { scenario, mode } => {
            let sc = state.scenarios.get(*scenario)?;
            format!("+ {}", safe(&run_title(*mode, sc, lang)))
        }
    })
}

/// The heading of a section in the catalogues' `[home]`.
fn section_key(section: Section) -> &'static str {
    match section {
        Section::Live => msg_key!("home", "live"),
        Section::Practice => msg_key!("home", "practice"),
        Section::Exercises => msg_key!("home", "exercises"),
        Section::Closed => msg_key!("home", "closed"),
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

/// `label: ` then the focused one-line `input`, in what is left of `width`
/// (the search query, a jump's reason, a closing's reason).
pub fn labelled_input(
    label: &str,
    input: &crate::app::input::LineInput,
    width: usize,
    style: Style,
) -> Line<'static> {
    let label = format!("{label}: ");
    let room = width.saturating_sub(wrap::width(&label));
    let mut spans = vec![Span::styled(label, style)];
    spans.extend(input_spans(input.text(), input.cursor(), true, room));
    Line::from(spans)
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
