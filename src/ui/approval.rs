//! The action screen's approval lines: the policy and the request's hash
//! when a second person must approve, and the proposing steps.

use ratatui::style::Style;
use ratatui::text::Line;

use super::action_screens::prompt_line;
use super::lookups::para;
use super::{bold, dim};
use crate::app::State;
use crate::app::actions::{ActionPhase, ActionRun, ActionView};
use crate::app::approval::{AW, policy_and_hash};
use crate::text::lang::Lang;

/// Under the request: what approval it needs and the hash the approver
/// will see (nothing when its policy needs none).
pub fn request_lines(
    lines: &mut Vec<Line<'static>>,
    state: &State,
    run: &ActionRun,
    lang: &str,
    width: usize,
) {
    let (policy, hash) = policy_and_hash(state, run);
    if !policy.required() {
        return;
    }
    let lang = Lang::of(lang);
    let needed = lang.fill("approval", AW::Needed.key(), &[("policy", policy.name())]);
    para(lines, &needed, width, bold());
    para(
        lines,
        &format!("  {}: {hash}", AW::RequestHash.text(lang)),
        width,
        Style::new(),
    );
    if let Some(p) = &run.approval {
        let text = lang.fill("approval", AW::Approved.key(), &[("id", p)]);
        para(lines, &text, width, dim());
    }
}

/// The proposing phases (nothing for any other phase).
pub fn phase_lines(
    lines: &mut Vec<Line<'static>>,
    run: &ActionRun,
    view: &ActionView,
    lang: &str,
    width: usize,
) {
    let lang = Lang::of(lang);
    match &run.phase {
        ActionPhase::Proposing { .. } => {
            para(lines, AW::ReasonPrompt.text(lang), width, bold());
            lines.push(prompt_line(view, width));
        }
        ActionPhase::ProposalSaving { .. } => para(lines, AW::Saving.text(lang), width, dim()),
        ActionPhase::Proposed { proposal } => {
            let text = lang.fill("approval", AW::Proposed.key(), &[("id", proposal)]);
            para(lines, &text, width, bold());
        }
        _ => {}
    }
}
