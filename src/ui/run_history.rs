//! A lookup's run history, drawn over its results: one line per run, newest
//! first (time, window, status, rows), and the tag that says the results
//! shown are an earlier run's.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::{popup, selected, wrap};
use crate::app::State;
use crate::app::lookups::Run;
use crate::app::run_history::{HistoryEntry, entries, is_earlier};
use crate::store::event::LookupStatus;
use crate::text::{Medium, visible};

/// A word of the run history (the catalogues' `history` table).
fn tr(lang: &str, key: &str) -> &'static str {
    crate::text::lang::Lang::of(lang).text("history", key)
}

fn status_text(lang: &str, status: Option<LookupStatus>) -> &'static str {
    match status {
        None => tr(lang, "running"),
        Some(LookupStatus::Succeeded) => tr(lang, "succeeded"),
        Some(LookupStatus::Partial) => tr(lang, "partial"),
        Some(LookupStatus::Failed) => tr(lang, "failed"),
        Some(LookupStatus::Cancelled) => tr(lang, "cancelled"),
        Some(LookupStatus::TimedOut) => tr(lang, "timed-out"),
    }
}

/// Cells padded to `width` display columns (CJK-aware).
fn pad(text: &str, width: usize) -> String {
    let w = wrap::width(text);
    format!("{text}{}", " ".repeat(width.saturating_sub(w)))
}

fn line_of(lang: &str, e: &HistoryEntry, shown: bool) -> String {
    let window = e
        .window
        .as_deref()
        .map_or("-".into(), |w| visible(w, Medium::Screen).into_owned());
    let rows = e
        .rows
        .map(|n| format!("{n} {}", tr(lang, "rows")))
        .unwrap_or_default();
    let mark = if shown { "*" } else { " " };
    // A run of an earlier affected user or device says whose it was.
    let subject = e
        .subject
        .as_ref()
        .map(|(scope, n)| format!("  {}", super::i18n::subject(lang, scope, *n)))
        .unwrap_or_default();
    format!(
        "{mark} {}  {}  {}  {rows}{subject}",
        e.started_at.format("%Y-%m-%d %H:%M UTC"),
        pad(&window, 6),
        pad(status_text(lang, e.status), 12),
    )
}

/// The history popup over the results of run `run`.
pub fn draw(frame: &mut Frame, area: Rect, state: &State, run: u64, cursor: usize, lang: &str) {
    let list = entries(state, run);
    let lines: Vec<Line> = list
        .iter()
        .enumerate()
        .map(|(i, e)| {
            let text = line_of(lang, e, e.run == run);
            if i == cursor {
                Line::styled(text, selected())
            } else {
                Line::from(text)
            }
        })
        .collect();
    let height = (lines.len() as u16 + 2).min(area.height);
    let title = tr(lang, "run-history");
    let inner = popup(frame, area, 64, height, title);
    let first = cursor.saturating_sub(inner.height.saturating_sub(1) as usize);
    frame.render_widget(Paragraph::new(lines).scroll((first as u16, 0)), inner);
}

/// The results line that says `run` is not its lookup's newest run.
pub fn earlier_tag(state: &State, run: &Run, lang: &str) -> Option<String> {
    let at = run.started_at.format("%Y-%m-%d %H:%M UTC");
    is_earlier(state, run).then(|| match lang {
        "ja" => format!("以前の実行 (開始 {at})、最新ではない"),
        _ => format!("Earlier run (started {at}), not the newest"),
    })
}
