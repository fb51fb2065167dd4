//! The action screens: the confirmation of an action, its progress and
//! outcome, and the device-code sign-in. Text that came from a service
//! passes through `text::visible`.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::{Line, Span};
use ratatui::widgets::Paragraph;

use super::Scene;
use super::home::input_spans;
use super::lookup_text::{L, tl};
use super::lookups::{para, requires_lines};
use super::{bold, dim, draw_header, safe, selected};
use crate::app::actions::{ActionPhase, ActionView};
use crate::app::lookups::SignInView;
use crate::lookup::action::Verified;
use crate::store::event::ActionStatus;
use crate::text::{Medium, visible};

/// The action screen's `> ` line with what is being typed.
pub(super) fn prompt_line(view: &ActionView, width: usize) -> Line<'static> {
    let mut spans = vec![Span::raw("> ")];
    spans.extend(input_spans(
        view.input.text(),
        view.input.cursor(),
        true,
        width.saturating_sub(2),
    ));
    Line::from(spans)
}

pub fn draw_action(frame: &mut Frame, area: Rect, state: &Scene, view: &ActionView) {
    let Some(inc) = &state.incident else { return };
    let lang = inc.language();
    let area = draw_header(frame, area, state, inc);
    let width = area.width as usize;
    let Some(run) = state.lookups.actions.get(&view.run) else {
        return;
    };
    let action = inc
        .tree
        .node(&run.node)
        .and_then(|n| n.actions.iter().find(|a| a.id.value == run.action));
    let title = action.map_or(run.action.clone(), |a| safe(a.title.get(lang)).into_owned());
    let mut lines: Vec<Line<'static>> = Vec::new();
    para(
        &mut lines,
        &format!("{}: {title}", tl(lang, L::ConfirmAction)),
        width,
        bold(),
    );
    for need in action
        .map(|a| requires_lines(lang, &a.requires))
        .unwrap_or_default()
    {
        para(&mut lines, &need, width, dim());
    }
    let mode = if run.simulated() {
        tl(lang, L::Simulated)
    } else {
        tl(lang, L::LiveWarning)
    };
    para(&mut lines, mode, width, selected());
    lines.push(Line::default());
    lines.push(Line::styled(tl(lang, L::Request).to_string(), bold()));
    para(
        &mut lines,
        &format!(
            "  {} {}",
            run.request.method.name(),
            visible(&run.url, Medium::Screen)
        ),
        width,
        ratatui::style::Style::new(),
    );
    if let Some(body) = &run.request.body {
        para(
            &mut lines,
            &format!("  {}: {}", tl(lang, L::Body), visible(body, Medium::Screen)),
            width,
            ratatui::style::Style::new(),
        );
    }
    super::approval::request_lines(&mut lines, state, run, lang, width);
    lines.push(Line::default());
    match &run.phase {
        ActionPhase::Proposing { .. }
        | ActionPhase::ProposalSaving { .. }
        | ActionPhase::Proposed { .. } => {
            super::approval::phase_lines(&mut lines, run, view, lang, width);
        }
        ActionPhase::Confirming => {
            let label = format!(
                "{} ({}): ",
                tl(lang, L::TypeToConfirm),
                visible(&run.expected, Medium::Screen)
            );
            para(&mut lines, &label, width, bold());
            lines.push(prompt_line(view, width));
        }
        ActionPhase::Recording { .. } => {
            para(&mut lines, tl(lang, L::RecordingIntent), width, dim())
        }
        ActionPhase::Abandoning { .. } => para(&mut lines, tl(lang, L::Abandoning), width, dim()),
        ActionPhase::Abandoned { .. } => para(&mut lines, tl(lang, L::Abandoned), width, bold()),
        ActionPhase::Sending { .. } => {
            let text = format!(
                "{} {}",
                super::lookups::spinner(state),
                tl(lang, L::Sending)
            );
            para(&mut lines, &text, width, dim());
        }
        ActionPhase::Done { report, .. }
        | ActionPhase::Verifying { report, .. }
        | ActionPhase::Verified { report, .. } => {
            let text = format!(
                "{}: {} {}",
                tl(lang, L::Outcome),
                status_name(report.status),
                visible(&report.detail, Medium::Screen)
            );
            para(&mut lines, &text, width, bold());
            match &run.phase {
                ActionPhase::Done { .. } => {
                    if let Some(plan) = &report.verify {
                        let text = format!(
                            "{} GET {}",
                            tl(lang, L::VerifyOffer),
                            visible(&plan.get_path(), Medium::Screen)
                        );
                        para(&mut lines, &text, width, ratatui::style::Style::new());
                    }
                }
                ActionPhase::Verifying { .. } => {
                    para(&mut lines, tl(lang, L::Verifying), width, dim())
                }
                ActionPhase::Verified { verified, .. } => {
                    let text = match verified {
                        Verified::Done => "verified: it took effect".to_string(),
                        Verified::NotDone => "verified: it did NOT take effect".to_string(),
                        Verified::StillUnknown(why) => {
                            format!("still unknown: {}", visible(why, Medium::Screen))
                        }
                    };
                    para(&mut lines, &text, width, bold());
                }
                _ => {}
            }
        }
    }
    if let Some(e) = &run.error {
        lines.push(Line::default());
        para(
            &mut lines,
            &format!("! {}", visible(e, Medium::Screen)),
            width,
            bold(),
        );
    }
    frame.render_widget(Paragraph::new(lines), area);
}

fn status_name(s: ActionStatus) -> &'static str {
    match s {
        ActionStatus::Succeeded => "SUCCEEDED",
        ActionStatus::Failed => "FAILED",
        ActionStatus::Unknown => "UNKNOWN",
        ActionStatus::Simulated => "SIMULATED",
        ActionStatus::Abandoned => "ABANDONED",
    }
}

pub fn draw_sign_in(frame: &mut Frame, area: Rect, state: &Scene, view: &SignInView) {
    let lang = state.language();
    let width = area.width as usize;
    let mut lines: Vec<Line<'static>> = Vec::new();
    para(&mut lines, tl(lang, L::SignIn), width, bold());
    lines.push(Line::default());
    match (&view.user_code, &view.result) {
        (_, Some(Ok(()))) => para(&mut lines, tl(lang, L::SignInDone), width, bold()),
        (_, Some(Err(e))) => para(
            &mut lines,
            &format!(
                "{}: {}",
                tl(lang, L::SignInFailed),
                visible(e, Medium::Screen)
            ),
            width,
            bold(),
        ),
        (None, None) => para(
            &mut lines,
            &format!(
                "{} {}",
                super::lookups::spinner(state),
                tl(lang, L::SignInWaiting)
            ),
            width,
            dim(),
        ),
        (Some(code), None) => {
            let uri = view.verification_uri.as_deref().unwrap_or("");
            para(
                &mut lines,
                &format!("{}: {}", tl(lang, L::Open), visible(uri, Medium::Screen)),
                width,
                ratatui::style::Style::new(),
            );
            para(
                &mut lines,
                &format!("{}: {}", tl(lang, L::Code), visible(code, Medium::Screen)),
                width,
                selected(),
            );
            lines.push(Line::default());
            if let Some(m) = &view.message {
                para(&mut lines, &visible(m, Medium::Screen), width, dim());
            }
            lines.push(Line::default());
            para(
                &mut lines,
                &format!(
                    "{} {}",
                    super::lookups::spinner(state),
                    tl(lang, L::SignInPolling)
                ),
                width,
                dim(),
            );
        }
    }
    frame.render_widget(Paragraph::new(lines), area);
}
