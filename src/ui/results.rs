//! The results screen: only the rows in view are turned into text, so a
//! 100k-row result draws as fast as a 10-row one. Every cell passes through
//! `text::visible` before it reaches the buffer.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::Modifier;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Scene;
use super::home::input_spans;
use super::lookup_text::{L, tl};
use super::lookups::run_status_line;
use super::{bold, dim, draw_header, popup, safe, selected, wrap};
use crate::app::lookups::{Run, RunState};
use crate::app::results::{ResultsMode, ResultsView, shown};
use crate::lookup::table::{Cell, ResultTable};
use crate::text::{Medium, visible};

pub fn draw(frame: &mut Frame, area: Rect, state: &Scene, view: &ResultsView) {
    let Some(inc) = &state.incident else { return };
    let lang = inc.language();
    let area = draw_header(frame, area, state, inc);
    let Some((run, table)) = shown(state, view) else {
        return;
    };
    let [info, query, note, body] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    let width = area.width as usize;
    let title = inc
        .tree
        .lookup(&run.node, &run.lookup)
        .map_or(run.lookup.clone(), |l| safe(l.title.get(lang)).into_owned());
    let mut status = String::new();
    match (&run.state, table) {
        (RunState::Done { result }, Some(t)) => {
            status.push_str(&format!(
                " {} / {}",
                view.rows.len(),
                super::lookup_text::row_count(lang, t.rows.len() as u64)
            ));
            if result.tables.len() > 1 {
                status.push_str(&format!(" (+{} tables)", result.tables.len() - 1));
            }
            status.push_str(&column_position(view, width, lang));
            if let Some((col, desc)) = view.sort
                && let Some(c) = t.columns.get(col)
            {
                let arrow = if desc { "v" } else { "^" };
                status.push_str(&format!(
                    ", {} {} {arrow}",
                    tl(lang, L::SortedBy),
                    visible(&c.name, Medium::Screen)
                ));
            }
        }
        _ => status.push_str(&format!(" {}", run_status_line(state, run, lang))),
    }
    // The status (spinner, retry wait, counts) is never cut: a long title
    // gives way to it.
    let title = format!("{title} [{}]", run.request.provider.name());
    let room = width
        .saturating_sub(wrap::width(&status))
        .max(width.min(12));
    let head = format!("{}{status}", wrap::cut(&title, room));
    frame.render_widget(
        Paragraph::new(Line::styled(wrap::cut(&head, width), bold())),
        info,
    );
    let window = run
        .request
        .timespan
        .as_deref()
        .map(|w| format!(" ({} {w})", tl(lang, L::Window)))
        .unwrap_or_default();
    // The query's own line breaks read as spaces on this one line.
    let one_line: Vec<String> = run
        .request
        .text
        .lines()
        .map(|l| visible(l.trim(), Medium::Screen).into_owned())
        .filter(|l| !l.is_empty())
        .collect();
    let q = format!("{}{window}", one_line.join(" "));
    frame.render_widget(
        Paragraph::new(Line::styled(wrap::cut(&q, width), dim())),
        query,
    );
    draw_note_line(frame, note, state, view, run, lang);
    match (&view.mode, table) {
        (ResultsMode::Detail { scroll }, Some(t)) => {
            draw_detail(frame, body, t, view, *scroll, lang)
        }
        (_, Some(t)) if !t.columns.is_empty() => draw_table(frame, body, t, view),
        _ => draw_state(frame, body, state, run, lang),
    }
    if let ResultsMode::History { cursor } = view.mode {
        super::run_history::draw(frame, area, state, view.run, cursor, lang);
    }
    if let ResultsMode::Bind(picker) = &view.mode {
        // The value being bound first; each variable with the value it
        // holds, so overwriting one is never a surprise.
        let mut lines: Vec<Line> = vec![
            Line::styled(
                wrap::cut(&format!("= {}", visible(&picker.value, Medium::Screen)), 46),
                bold(),
            ),
            Line::default(),
        ];
        for (i, name) in picker.options.iter().enumerate() {
            let tag = if i < picker.suggested {
                format!("  ({})", tl(lang, L::Suggested))
            } else {
                String::new()
            };
            let now = inc
                .walk
                .values
                .get(name)
                .map(|v| format!(" [{}]", visible(v, Medium::Screen)))
                .unwrap_or_default();
            let text = wrap::cut(&format!("{name}{tag}{now}"), 44);
            lines.push(if i == picker.cursor {
                Line::styled(format!("> {text}"), selected())
            } else {
                Line::from(format!("  {text}"))
            });
        }
        if let Some(e) = &picker.error {
            lines.push(Line::default());
            for l in wrap::wrap(&visible(e, Medium::Screen), 46) {
                lines.push(Line::styled(l, bold()));
            }
        }
        let height = (lines.len() as u16 + 2).min(area.height);
        let inner = popup(frame, area, 50, height, tl(lang, L::BindTo));
        let cursor_line =
            (picker.cursor + 2).saturating_sub(inner.height.saturating_sub(1) as usize);
        frame.render_widget(Paragraph::new(lines).scroll((cursor_line as u16, 0)), inner);
    }
}

fn draw_note_line(
    frame: &mut Frame,
    area: Rect,
    state: &Scene,
    view: &ResultsView,
    run: &Run,
    lang: &str,
) {
    let width = area.width as usize;
    let line = match &view.mode {
        ResultsMode::Filter(input) | ResultsMode::SavePath(input) => {
            let label = if matches!(view.mode, ResultsMode::Filter(_)) {
                tl(lang, L::Filter)
            } else {
                tl(lang, L::SaveTo)
            };
            let label = format!("{label}: ");
            let room = width.saturating_sub(wrap::width(&label));
            let mut spans = vec![Span::styled(label, bold())];
            spans.extend(input_spans(input.text(), input.cursor(), true, room));
            Line::from(spans)
        }
        // An earlier run says so first: its rows are not the newest.
        _ if let Some(tag) = super::run_history::earlier_tag(state, run, lang) => {
            Line::styled(wrap::cut(&tag, width), bold())
        }
        _ => {
            let warning = run.result().and_then(|r| r.warning.clone());
            match warning {
                Some(w) => Line::styled(
                    wrap::cut(
                        &format!(
                            "! {}: {}",
                            tl(lang, L::Warning),
                            visible(&w, Medium::Screen)
                        ),
                        width,
                    ),
                    bold(),
                ),
                None if !view.filter.is_empty() => Line::styled(
                    wrap::cut(
                        &format!(
                            "{}: {}",
                            tl(lang, L::Filter),
                            visible(&view.filter, Medium::Screen)
                        ),
                        width,
                    ),
                    dim(),
                ),
                None => Line::default(),
            }
        }
    };
    frame.render_widget(Paragraph::new(line), area);
}

/// Exactly `width` cells: cut with `...` or padded with spaces.
fn fit(text: &str, width: usize) -> String {
    let mut s = wrap::cut(text, width);
    let w = wrap::width(&s);
    if w < width {
        s.push_str(&" ".repeat(width - w));
    }
    s
}

fn cell_text(cell: &Cell) -> String {
    visible(&cell.text(), Medium::Screen).into_owned()
}

/// `, col 2/8 <>`: the cursor's column of how many, and `<` / `>` when
/// columns are hidden to the left / right (scrolled to by column).
fn column_position(view: &ResultsView, width: usize, lang: &str) -> String {
    let total = view.widths.len();
    if total == 0 {
        return String::new();
    }
    let shown = view.visible_columns(width);
    let left = if shown.start > 0 { "<" } else { "" };
    let right = if shown.end < total { ">" } else { "" };
    let more = if left.is_empty() && right.is_empty() {
        String::new()
    } else {
        format!(" {left}{right}")
    };
    format!(", {} {}/{total}{more}", tl(lang, L::Column), view.col + 1)
}

fn draw_table(frame: &mut Frame, area: Rect, table: &ResultTable, view: &ResultsView) {
    if area.height == 0 {
        return;
    }
    let width = area.width as usize;
    let cols = view.visible_columns(width);
    let mut lines: Vec<Line> = Vec::with_capacity(area.height as usize);
    let mut header: Vec<Span> = Vec::new();
    for c in cols.clone() {
        let name = visible(&table.columns[c].name, Medium::Screen).into_owned();
        let style = if c == view.col {
            bold().add_modifier(Modifier::UNDERLINED)
        } else {
            bold()
        };
        header.push(Span::styled(fit(&name, view.widths[c]), style));
        header.push(Span::raw("|"));
    }
    lines.push(Line::from(header));
    let height = area.height as usize - 1;
    let first = view.scroll.min(view.rows.len());
    let last = (first + height).min(view.rows.len());
    for (pos, &row) in view.rows[first..last].iter().enumerate() {
        let is_cursor = first + pos == view.row;
        let cells = &table.rows[row];
        let mut spans: Vec<Span> = Vec::with_capacity(cols.len() * 2);
        for c in cols.clone() {
            let text = cells.get(c).map(cell_text).unwrap_or_default();
            let text = fit(&text, view.widths[c]);
            let style = match (is_cursor, c == view.col) {
                (true, true) => selected().add_modifier(Modifier::BOLD | Modifier::UNDERLINED),
                (true, false) => selected(),
                _ => ratatui::style::Style::new(),
            };
            spans.push(Span::styled(text, style));
            spans.push(Span::raw("|"));
        }
        lines.push(Line::from(spans));
    }
    frame.render_widget(Paragraph::new(lines), area);
}

/// One line per column: name, type, value; dynamic values as indented JSON.
pub fn detail_lines(table: &ResultTable, row: usize, width: usize) -> Vec<Line<'static>> {
    let mut lines = Vec::new();
    let Some(cells) = table.rows.get(row) else {
        return lines;
    };
    for (col, cell) in table.columns.iter().zip(cells) {
        lines.push(Line::styled(
            wrap::cut(
                &format!(
                    "{} ({})",
                    visible(&col.name, Medium::Screen),
                    visible(col.col_type.name(), Medium::Screen)
                ),
                width,
            ),
            bold(),
        ));
        let text = match cell {
            Cell::Dynamic(d) if d.is_structured() => {
                serde_json::to_string_pretty(&d.json().unwrap_or_default()).unwrap_or_default()
            }
            other => other.text().into_owned(),
        };
        for raw in text.split('\n') {
            // Indentation of pretty JSON is kept; everything else is made visible.
            let indent = raw.len() - raw.trim_start_matches(' ').len();
            let shown = format!(
                "  {}{}",
                &raw[..indent],
                visible(&raw[indent..], Medium::Screen)
            );
            for l in wrap::wrap(&shown, width.max(1)) {
                lines.push(Line::from(l));
            }
        }
    }
    lines
}

fn draw_detail(
    frame: &mut Frame,
    area: Rect,
    table: &ResultTable,
    view: &ResultsView,
    scroll: usize,
    lang: &str,
) {
    let Some(row) = view.current_row() else {
        return;
    };
    let mut lines = vec![Line::styled(
        format!(
            "{} {} / {}",
            tl(lang, L::RowDetail),
            view.row + 1,
            view.rows.len()
        ),
        dim(),
    )];
    lines.extend(detail_lines(table, row, area.width as usize));
    let max = lines.len().saturating_sub(area.height as usize);
    frame.render_widget(
        Paragraph::new(lines).scroll((scroll.min(max) as u16, 0)),
        area,
    );
}

fn draw_state(frame: &mut Frame, area: Rect, state: &Scene, run: &Run, lang: &str) {
    let width = area.width as usize;
    let mut lines: Vec<Line> = Vec::new();
    let mut para = |text: &str, style| {
        for l in wrap::wrap(text, width.max(1)) {
            lines.push(Line::styled(l, style));
        }
    };
    match &run.state {
        RunState::Running { .. } => para(tl(lang, L::RunningHint), dim()),
        RunState::Done { .. } => para(tl(lang, L::NoRows), bold()),
        RunState::Failed { message, sign_in } => {
            // The reason, then the remedy and ids on lines of their own.
            let mut message_lines = message.lines();
            let reason = message_lines.next().unwrap_or_default();
            para(
                &format!(
                    "{}: {}",
                    tl(lang, L::Failed),
                    visible(reason, Medium::Screen)
                ),
                bold(),
            );
            for line in message_lines {
                para(&visible(line, Medium::Screen), ratatui::style::Style::new());
            }
            if *sign_in {
                para(tl(lang, L::SignInHint), ratatui::style::Style::new());
            }
        }
        RunState::Cancelled => para(tl(lang, L::Cancelled), bold()),
        RunState::Superseded => para(tl(lang, L::Superseded), bold()),
        // The countdown again where it wraps: the head line may cut it at 80 columns.
        RunState::Throttled { .. } => {
            para(&run_status_line(state, run, lang), bold());
            para(tl(lang, L::ThrottledHint), dim());
        }
    }
    frame.render_widget(Paragraph::new(lines), area);
}
