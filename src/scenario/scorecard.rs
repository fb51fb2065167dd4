//! The end-of-run scorecard: total, per phase, mistakes with their
//! explanations, hints, and time per decision.

use std::fmt::Write as _;
use std::time::Duration;

use super::duration::format_offset;
use super::model::Scenario;
use super::text::label;
use super::training::{HintUse, ScoredDecision};
use crate::text::{Medium, visible};
use crate::tree::{Localized, Node, NodeKind, Phase, Tree};

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct PhaseScore {
    pub phase: Phase,
    pub decisions: u32,
    pub correct: u32,
    pub earned: u32,
    pub hint_cost: u32,
    pub max: u32,
}

impl PhaseScore {
    /// The phase's points after its hint costs. Not floored at zero: a
    /// phase whose hints cost more than it earned shows the minus, so the
    /// phases add up to the scorecard's total.
    pub fn points(&self) -> i64 {
        i64::from(self.earned) - i64::from(self.hint_cost)
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Mistake {
    pub node: String,
    pub node_title: Localized,
    pub chosen_label: Localized,
    pub expected_label: Localized,
    /// Why the chosen answer was wrong.
    pub why_wrong: Localized,
    /// Why the playbook's answer is right.
    pub why_right: Localized,
}

/// A hint the trainee took, as the scorecard lists it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HintLine {
    pub node_title: Localized,
    pub text: Localized,
    pub cost: u32,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Timing {
    pub node: String,
    pub node_title: Localized,
    pub elapsed: Duration,
    pub correct: bool,
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Scorecard {
    pub scenario_title: Localized,
    /// Points for correct decisions.
    pub earned: u32,
    /// Points spent on hints.
    pub hint_cost: u32,
    /// Points a perfect run of the same decisions would have.
    pub max: u32,
    pub phases: Vec<PhaseScore>,
    pub mistakes: Vec<Mistake>,
    pub hints: Vec<HintLine>,
    pub timings: Vec<Timing>,
    /// The outcome reached, if the run has ended.
    pub outcome: Option<Localized>,
}

impl Scorecard {
    pub(crate) fn build(
        tree: &Tree,
        scenario: &Scenario,
        decisions: &[ScoredDecision],
        hints: &[HintUse],
        current: &Node,
    ) -> Self {
        let mut phases: Vec<PhaseScore> = Vec::new();
        let phase_entry = |phases: &mut Vec<PhaseScore>, phase: Phase| -> usize {
            if let Some(i) = phases.iter().position(|p| p.phase == phase) {
                return i;
            }
            phases.push(PhaseScore {
                phase,
                decisions: 0,
                correct: 0,
                earned: 0,
                hint_cost: 0,
                max: 0,
            });
            phases.len() - 1
        };
        let title = |id: &str| tree.node(id).map(|n| n.title.clone()).unwrap_or_default();
        let mut mistakes = Vec::new();
        let mut timings = Vec::new();
        for d in decisions {
            let i = phase_entry(&mut phases, d.phase);
            let p = &mut phases[i];
            p.decisions += 1;
            p.correct += u32::from(d.correct);
            p.earned += d.points;
            p.max += scenario.scoring.points;
            timings.push(Timing {
                node: d.node.clone(),
                node_title: title(&d.node),
                elapsed: d.elapsed,
                correct: d.correct,
            });
            if !d.correct {
                mistakes.push(mistake(tree, scenario, d));
            }
        }
        for h in hints {
            let i = phase_entry(&mut phases, h.phase);
            phases[i].hint_cost += h.cost;
        }
        phases.sort_by_key(|p| p.phase);
        let outcome =
            matches!(current.kind, NodeKind::Outcome { .. }).then(|| current.title.clone());
        Self {
            scenario_title: scenario.title.clone(),
            earned: phases.iter().map(|p| p.earned).sum(),
            hint_cost: hints.iter().map(|h| h.cost).sum(),
            max: phases.iter().map(|p| p.max).sum(),
            phases,
            mistakes,
            hints: hints
                .iter()
                .map(|h| HintLine {
                    node_title: title(&h.node),
                    text: scenario
                        .hints_for(&h.node)
                        .nth(h.index as usize)
                        .map(|x| x.text.clone())
                        .unwrap_or_default(),
                    cost: h.cost,
                })
                .collect(),
            timings,
            outcome,
        }
    }

    /// Points after hint costs (never below zero).
    pub fn total(&self) -> u32 {
        self.earned.saturating_sub(self.hint_cost)
    }

    /// The total as a percentage of the maximum; `None` before any decision.
    pub fn percent(&self) -> Option<u32> {
        (self.max > 0).then(|| self.total() * 100 / self.max)
    }

    /// The scorecard as Markdown in `lang`.
    pub fn render(&self, lang: &str) -> String {
        let mut out = String::new();
        let l = |key| label(lang, key);
        let _ = writeln!(
            out,
            "# {}: {}\n",
            l("scorecard"),
            visible(self.scenario_title.get(lang), Medium::Markdown)
        );
        let percent = self.percent().map_or("-".to_string(), |p| format!("{p}%"));
        let _ = writeln!(
            out,
            "**{}: {} / {} ({percent})** — {}: {} · {}: {}\n",
            l("score"),
            self.total(),
            self.max,
            l("hint-cost"),
            self.hint_cost,
            l("mistakes"),
            self.mistakes.len()
        );
        if let Some(o) = &self.outcome {
            let _ = writeln!(
                out,
                "{}: {}\n",
                l("outcome"),
                visible(o.get(lang), Medium::Markdown)
            );
        }
        let _ = writeln!(out, "## {}\n", l("by-phase"));
        let _ = writeln!(
            out,
            "| {} | {} | {} | {} |",
            l("phase"),
            l("correct"),
            l("hint-cost"),
            l("points")
        );
        let _ = writeln!(out, "|---|---|---|---|");
        for p in &self.phases {
            let _ = writeln!(
                out,
                "| {} | {}/{} | {} | {}/{} |",
                p.phase.label(lang),
                p.correct,
                p.decisions,
                p.hint_cost,
                p.points(),
                p.max
            );
        }
        let _ = writeln!(out, "\n## {}\n", l("mistakes"));
        if self.mistakes.is_empty() {
            let _ = writeln!(out, "{}", l("no-mistakes"));
        }
        for m in &self.mistakes {
            let _ = writeln!(
                out,
                "### {}\n",
                visible(m.node_title.get(lang), Medium::Markdown)
            );
            let _ = writeln!(
                out,
                "- {}: {} — {}",
                l("you-chose"),
                visible(m.chosen_label.get(lang), Medium::Markdown),
                visible(m.why_wrong.get(lang), Medium::Markdown)
            );
            let _ = writeln!(
                out,
                "- {}: {} — {}\n",
                l("playbook"),
                visible(m.expected_label.get(lang), Medium::Markdown),
                visible(m.why_right.get(lang), Medium::Markdown)
            );
        }
        let _ = writeln!(out, "\n## {}\n", l("time-per-decision"));
        for t in &self.timings {
            let mark = if t.correct { "✓" } else { "✗" };
            let _ = writeln!(
                out,
                "- {mark} {} — {}",
                visible(t.node_title.get(lang), Medium::Markdown),
                format_offset(t.elapsed)
            );
        }
        if !self.hints.is_empty() {
            let _ = writeln!(out, "\n## {}\n", l("hints"));
            for h in &self.hints {
                let _ = writeln!(
                    out,
                    "- {} (−{}): {}",
                    visible(h.node_title.get(lang), Medium::Markdown),
                    h.cost,
                    visible(h.text.get(lang), Medium::Markdown)
                );
            }
        }
        out
    }
}

fn mistake(tree: &Tree, scenario: &Scenario, d: &ScoredDecision) -> Mistake {
    let node = tree.node(&d.node);
    let choice_label = |id: &str| -> Localized {
        match node.map(|n| &n.kind) {
            Some(NodeKind::Decision { choices }) => choices
                .iter()
                .find(|c| c.id.value == id)
                .map(|c| c.label.clone())
                .unwrap_or_default(),
            _ => Localized::default(),
        }
    };
    let exp = scenario.expectation(&d.node);
    let explain = |id: &str| {
        exp.and_then(|e| e.explanation(id))
            .cloned()
            .unwrap_or_default()
    };
    Mistake {
        node: d.node.clone(),
        node_title: node.map(|n| n.title.clone()).unwrap_or_default(),
        chosen_label: choice_label(&d.choice),
        expected_label: choice_label(&d.expected),
        why_wrong: explain(&d.choice),
        why_right: explain(&d.expected),
    }
}
