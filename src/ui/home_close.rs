//! The home screen's form for closing or reopening an incident: which
//! incident, what will be recorded, and the reason being typed.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::home::labelled_input;
use super::{Scene, safe, wrap};
use crate::app::home_close::CloseForm;
use crate::text::lang::{Lang, msg_key};

pub fn draw(frame: &mut Frame, area: Rect, state: &Scene, form: &CloseForm) {
    let th = &state.theme;
    let words = Lang::of(&state.lang);
    let width = area.width as usize;
    let (title, label, hint) = if form.reopen {
        (
            msg_key!("home", "reopen-title"),
            msg_key!("home", "reopen-reason"),
            msg_key!("home", "reopen-hint"),
        )
    } else {
        (
            msg_key!("home", "close-title"),
            msg_key!("home", "close-reason"),
            msg_key!("home", "close-hint"),
        )
    };
    let mut lines = vec![
        Line::styled(words.text("home", title), th.title),
        Line::default(),
    ];
    let which = format!("{}  {}", safe(&form.incident), safe(&form.title));
    lines.push(Line::styled(wrap::cut(&which, width), th.strong));
    lines.push(Line::default());
    let label = words.text("home", label);
    lines.push(labelled_input(label, &form.reason, width, th.strong));
    lines.push(Line::default());
    for l in wrap::wrap(words.text("home", hint), width) {
        lines.push(Line::styled(l, th.muted));
    }
    frame.render_widget(Paragraph::new(lines), area);
}
