//! The run form and a run's progress (the action confirmation and the
//! device-code sign-in are in `action_screens`). Text that came from a
//! service passes through `text::visible`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Scene;
use super::home::input_spans;
use super::lookup_text::{L, row_count, tl};
use super::{bold, dim, draw_header, safe, selected, wrap};
use crate::app::lookups::{LookupNotice, Run, RunForm, RunState, form_request, lookup_of};
use crate::lookup::retry::Progress;
use crate::text::{Medium, visible};

const SPINNER: [&str; 4] = ["|", "/", "-", "\\"];

/// The spinner frame for `state.now`: it only moves while ticks arrive,
/// and ticks arrive only while something runs.
pub fn spinner(state: &Scene) -> &'static str {
    SPINNER[(state.now.timestamp_subsec_millis() / 250) as usize % 4]
}

/// `| running 3s, attempt 2` and the retry state, or how the run ended.
pub fn run_status_line(state: &Scene, run: &Run, lang: &str) -> String {
    match &run.state {
        RunState::Running { progress } => {
            let secs = (state.now - run.started_at).num_seconds().max(0);
            let mut s = format!("{} {} {secs}s", spinner(state), tl(lang, L::Running));
            match progress {
                Some(Progress::Sending { attempt }) if *attempt > 1 => {
                    s.push_str(&format!(", {} {attempt}", tl(lang, L::Attempt)));
                }
                Some(Progress::Waiting {
                    attempt,
                    delay,
                    reason,
                    from_retry_after,
                }) => {
                    let after = if *from_retry_after {
                        format!(" {}", tl(lang, L::RetryAfter))
                    } else {
                        String::new()
                    };
                    // Status 0: the connection dropped before an answer.
                    let why = match reason {
                        0 => "connection lost".to_string(),
                        r => format!("HTTP {r}"),
                    };
                    s.push_str(&format!(
                        ", {why}: {} {:.1}s{after} ({} {})",
                        tl(lang, L::WaitingRetry),
                        delay.as_secs_f64(),
                        tl(lang, L::Attempt),
                        attempt + 1
                    ));
                }
                Some(Progress::Paging { page, rows }) => {
                    s.push_str(&format!(
                        ", {} {page}, {rows} {}",
                        tl(lang, L::Paging),
                        tl(lang, L::Rows)
                    ));
                }
                Some(Progress::Reauthenticating) => {
                    s.push_str(&format!(", {}", tl(lang, L::Reauth)))
                }
                _ => {}
            }
            s
        }
        RunState::Done { result } => row_count(lang, result.row_count() as u64),
        RunState::Failed { .. } => tl(lang, L::Failed).to_string(),
        RunState::Cancelled => tl(lang, L::Cancelled).to_string(),
        RunState::Superseded => tl(lang, L::Superseded).to_string(),
        RunState::Throttled { status, until } => format!(
            "HTTP {status}: {} {} ({} UTC)",
            tl(lang, L::ThrottledWait),
            countdown(state, *until),
            until.format("%H:%M:%S")
        ),
    }
}

/// Time left until `until`, as a clock (`00:09:58`).
pub fn countdown(state: &Scene, until: chrono::DateTime<chrono::Utc>) -> String {
    super::exercise::clock((until - state.now).to_std().unwrap_or_default())
}

/// The status the node screen shows under a lookup, on its own line so a
/// long title never cuts it: the spinner with any retry, the row count
/// with a partial answer's warning, or a failure's short reason and the
/// retry key.
pub fn node_status(state: &Scene, node: &str, lookup: &str) -> Option<String> {
    let inc = state.incident.as_ref()?;
    let run = state.lookups.latest(&inc.meta.id, node, lookup)?;
    let lang = inc.language();
    let retry = || {
        let key = state
            .keymap
            .keys_for(
                crate::app::Context::Node,
                crate::app::Action::ChooseWithReason,
            )
            .into_iter()
            .next()
            .map(|k| k.to_string())
            .unwrap_or_default();
        format!(" ({key}: {})", tl(lang, L::Retry))
    };
    Some(match &run.state {
        RunState::Running { .. } => run_status_line(state, run, lang),
        RunState::Done { result } => {
            let rows = row_count(lang, result.row_count() as u64);
            match &result.warning {
                Some(w) => format!(
                    "{rows}; {}: {}",
                    tl(lang, L::Warning),
                    visible(w, Medium::Screen)
                ),
                None => rows,
            }
        }
        RunState::Failed { message, .. } => {
            // The short reason: the first line, before the remedy and the
            // ids (the results screen shows them whole, and copies them).
            // Runs recorded before the remedy had its own line keep it
            // after ". Hint: ".
            let first = message.lines().next().unwrap_or_default();
            let reason = first.split(". Hint: ").next().unwrap_or(first);
            format!(
                "{}: {}{}",
                tl(lang, L::Failed),
                visible(reason, Medium::Screen),
                retry()
            )
        }
        RunState::Cancelled => format!("{}{}", tl(lang, L::CancelledShort), retry()),
        RunState::Throttled { until, .. } => {
            format!("{} {}", tl(lang, L::Wait), countdown(state, *until))
        }
        RunState::Superseded => return None,
    })
}

pub fn notice_text(lang: &str, notice: &LookupNotice) -> (String, bool) {
    match notice {
        LookupNotice::Started { started, waiting } => {
            let mut s = format!("{started} {}", tl(lang, L::StartedRuns));
            if !waiting.is_empty() {
                s.push_str(&format!(
                    "; {} {}",
                    waiting.join(", "),
                    tl(lang, L::NeedValues)
                ));
            }
            (s, !waiting.is_empty())
        }
        LookupNotice::NotRunYet => (tl(lang, L::NotRunYet).to_string(), false),
        LookupNotice::Bound(name) => (format!("{} {name}", tl(lang, L::Bound)), false),
        LookupNotice::Saved(Ok(path)) => (
            format!("{} {}", tl(lang, L::Saved), visible(path, Medium::Screen)),
            false,
        ),
        LookupNotice::Saved(Err(e)) => (
            format!("{} {}", tl(lang, L::SaveFailed), visible(e, Medium::Screen)),
            true,
        ),
        LookupNotice::NoSignInNeeded => (tl(lang, L::NoSignInNeeded).to_string(), false),
    }
}

/// What a lookup or action declares it needs, one line per kind (`Graph
/// permission: A or B`), for the run form and the action confirmation.
pub fn requires_lines(lang: &str, requires: &crate::tree::Requires) -> Vec<String> {
    requires
        .lists()
        .into_iter()
        .map(|(kind, entries)| {
            let label = match kind {
                "graph" => L::NeedsGraph,
                "entra_roles" => L::NeedsEntraRole,
                _ => L::NeedsAzureRbac,
            };
            let entries: Vec<String> = entries.iter().map(|e| safe(e).into_owned()).collect();
            format!(
                "{}: {}: {}",
                tl(lang, L::Needs),
                tl(lang, label),
                entries.join(tl(lang, L::Or))
            )
        })
        .collect()
}

pub(super) fn para(
    lines: &mut Vec<Line<'static>>,
    text: &str,
    width: usize,
    style: ratatui::style::Style,
) {
    for l in wrap::wrap(text, width.max(1)) {
        lines.push(Line::styled(l, style));
    }
}

pub fn draw_form(frame: &mut Frame, area: Rect, state: &Scene, form: &RunForm) {
    let Some(inc) = &state.incident else { return };
    let lang = inc.language();
    let area = draw_header(frame, area, state, inc);
    let width = area.width as usize;
    let Some((_, lookup)) = lookup_of(&inc.tree, &form.node, form.lookup) else {
        return;
    };
    let mut lines: Vec<Line<'static>> = Vec::new();
    para(
        &mut lines,
        &format!(
            "{}: {} [{}]",
            tl(lang, L::RunLookup),
            safe(lookup.title.get(lang)),
            lookup.provider.name()
        ),
        width,
        bold(),
    );
    for need in requires_lines(lang, &lookup.requires) {
        para(&mut lines, &need, width, dim());
    }
    lines.push(Line::default());
    let field_line = |label: String, input: &crate::app::input::LineInput, focused: bool| {
        let room = width.saturating_sub(wrap::width(&label));
        let mut spans = vec![Span::styled(
            label,
            if focused { selected() } else { bold() },
        )];
        spans.extend(input_spans(input.text(), input.cursor(), focused, room));
        Line::from(spans)
    };
    for (i, (name, input)) in form.missing.iter().enumerate() {
        let ty = inc
            .tree
            .variables
            .iter()
            .find(|v| v.name.value == *name)
            .map_or("", |v| v.var_type.name());
        let label = format!("{} {name} ({ty}): ", tl(lang, L::NeedsValue));
        lines.push(field_line(label, input, form.field == i));
    }
    // Only a KQL query takes a time window: Graph calls show no field.
    if form.has_window {
        let label = format!("{}: ", tl(lang, L::Window));
        lines.push(field_line(
            label,
            &form.window,
            form.field == form.missing.len(),
        ));
        lines.push(Line::styled(
            wrap::cut(tl(lang, L::WindowHint), width),
            dim(),
        ));
    }
    lines.push(Line::default());
    if let Some(e) = &form.error {
        para(
            &mut lines,
            &format!("! {}", visible(e, Medium::Screen)),
            width,
            bold(),
        );
        lines.push(Line::default());
    }
    lines.push(Line::styled(tl(lang, L::QueryToSend).to_string(), bold()));
    match form_request(state, form) {
        Ok(p) => {
            if let Some(ts) = &p.request.timespan {
                lines.push(Line::from(format!("  timespan = {ts}")));
            }
            for l in p.request.text.lines() {
                for w in wrap::wrap(&visible(l, Medium::Screen), width.saturating_sub(2).max(1)) {
                    lines.push(Line::from(format!("  {w}")));
                }
            }
        }
        Err(e) => para(
            &mut lines,
            &format!("  ({})", visible(&e, Medium::Screen)),
            width,
            dim(),
        ),
    }
    lines.push(Line::default());
    para(&mut lines, tl(lang, L::RunHint), width, dim());
    frame.render_widget(Paragraph::new(lines), area);
}
