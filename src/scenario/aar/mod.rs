//! The after-action report: a Markdown document a team lead can hand out,
//! built from an incident's events, its tree and (when it ran one) its
//! scenario.

mod facts;
mod paths;

use std::fmt::Write as _;
use std::time::Duration;

use facts::Facts;

use super::duration::format_offset;
use super::model::Scenario;
use super::text::label;
use crate::store::IncidentState;
use crate::store::event::NoteTag;
use crate::text::markdown::{code_span, quote};
use crate::text::{Medium, visible};
use crate::tree::{Localized, NodeKind, Phase, Tree};

/// The id of the scenario an incident ran, from its `scenario_started`
/// event, so an export can find the scenario to report against.
pub fn scenario_id(state: &IncidentState) -> Option<&str> {
    state.scenario.as_ref().map(|s| s.scenario.as_str())
}

/// Renders the report in `lang` (`en` or `ja`; other codes fall back to
/// English labels and the tree's texts in that language where present).
pub fn render(
    incident_title: &str,
    state: &IncidentState,
    tree: &Tree,
    scenario: Option<&Scenario>,
    lang: &str,
) -> String {
    let facts = Facts::of(state);
    let r = Report {
        tree,
        scenario,
        lang,
        facts: &facts,
    };
    let mut out = String::new();
    r.header(&mut out, incident_title);
    r.summary(&mut out);
    r.story(&mut out);
    r.timeline(&mut out);
    r.against_playbook(&mut out);
    r.phase_times(&mut out);
    r.open_items(&mut out);
    r.notes(&mut out);
    out
}

struct Report<'a> {
    tree: &'a Tree,
    scenario: Option<&'a Scenario>,
    lang: &'a str,
    facts: &'a Facts,
}

fn offset(d: Duration) -> String {
    format!("T+{}", format_offset(d))
}

impl Report<'_> {
    fn l(&self, key: &str) -> &'static str {
        label(self.lang, key)
    }

    fn text(&self, l: &Localized) -> String {
        visible(l.get(self.lang), Medium::Markdown).into_owned()
    }

    fn node_title(&self, id: &str) -> String {
        self.tree.node(id).map_or_else(
            || visible(id, Medium::Markdown).into_owned(),
            |n| self.text(&n.title),
        )
    }

    fn choice_label(&self, node: &str, choice: &str) -> String {
        match self.tree.node(node).map(|n| &n.kind) {
            Some(NodeKind::Decision { choices }) => {
                choices.iter().find(|c| c.id.value == choice).map_or_else(
                    || visible(choice, Medium::Markdown).into_owned(),
                    |c| self.text(&c.label),
                )
            }
            _ => visible(choice, Medium::Markdown).into_owned(),
        }
    }

    fn is_phase(&self, node: &str, phase: Phase) -> bool {
        self.tree.node(node).is_some_and(|n| n.phase == phase)
    }

    fn header(&self, out: &mut String, incident_title: &str) {
        let title = self.scenario.map_or_else(
            || visible(incident_title, Medium::Markdown).into_owned(),
            |s| self.text(&s.title),
        );
        let _ = writeln!(out, "# {}: {title}\n", self.l("aar"));
        let _ = writeln!(out, "| | |\n|---|---|");
        let _ = writeln!(
            out,
            "| {} | {} |",
            self.l("exercise"),
            visible(incident_title, Medium::Markdown)
        );
        if let Some(s) = self.scenario {
            let _ = writeln!(out, "| {} | {} |", self.l("scenario"), code_span(&s.id));
        }
        let _ = writeln!(
            out,
            "| {} | {} ({} {}) |",
            self.l("tree"),
            self.text(&self.tree.title),
            code_span(&self.tree.id),
            visible(&self.tree.version, Medium::Markdown)
        );
        if let Some(start) = self.facts.started {
            let _ = writeln!(
                out,
                "| {} | {} |",
                self.l("started"),
                start.format("%Y-%m-%d %H:%M UTC")
            );
        }
        let _ = writeln!(
            out,
            "| {} | {} |",
            self.l("duration"),
            format_offset(self.facts.duration)
        );
        let _ = writeln!(
            out,
            "| {} | {} |\n",
            self.l("participants"),
            visible(&self.facts.actors.join(", "), Medium::Markdown)
        );
    }

    fn outcome(&self) -> Option<String> {
        let last = self.facts.visits.last()?;
        let node = self.tree.node(&last.node)?;
        match node.kind {
            NodeKind::Outcome { status } => {
                Some(format!("{} (`{}`)", self.text(&node.title), status.name()))
            }
            _ => None,
        }
    }

    fn containment(&self) -> String {
        match self.facts.first_entry(|n| self.is_phase(n, Phase::Contain)) {
            Some(v) => format!("{} — {}", format_offset(v.at), self.node_title(&v.node)),
            None => self.l("not-contained").to_string(),
        }
    }

    fn matched(&self) -> (usize, usize) {
        let Some(s) = self.scenario else {
            return (0, 0);
        };
        let judged: Vec<_> = self
            .facts
            .decisions
            .iter()
            .filter_map(|d| s.expectation(&d.node).map(|e| e.choice.value == d.choice))
            .collect();
        (judged.iter().filter(|ok| **ok).count(), judged.len())
    }

    fn summary(&self, out: &mut String) {
        let _ = writeln!(out, "## {}\n", self.l("summary"));
        let outcome = self
            .outcome()
            .unwrap_or_else(|| self.l("in-progress").to_string());
        let _ = writeln!(out, "- **{}:** {outcome}", self.l("outcome-reached"));
        let _ = writeln!(out, "- **{}:** {}", self.l("ttc"), self.containment());
        if let (Some((earned, cost, n)), Some(s)) = (self.facts.score, self.scenario) {
            let max = n * s.scoring.points;
            let total = earned.saturating_sub(cost);
            let percent = (total * 100).checked_div(max).unwrap_or(0);
            let _ = writeln!(
                out,
                "- **{}:** {total} / {max} ({percent}%) · {}: {cost}",
                self.l("score"),
                self.l("hint-cost")
            );
        }
        if let Some(s) = self.scenario {
            let (ok, of) = self.matched();
            let _ = writeln!(out, "- **{}:** {ok} / {of}", self.l("matched"));
            let _ = writeln!(
                out,
                "- **{}:** {} / {}",
                self.l("injects-released"),
                self.facts.injects.len(),
                s.injects.len()
            );
        }
        out.push('\n');
    }

    fn story(&self, out: &mut String) {
        let Some(s) = self.scenario else { return };
        out.push_str(&quote(s.story.get(self.lang).trim()));
        out.push('\n');
    }

    fn phase_times(&self, out: &mut String) {
        let _ = writeln!(out, "## {}\n", self.l("phase-times"));
        let _ = writeln!(
            out,
            "| {} | {} |\n|---|---|",
            self.l("phase"),
            self.l("duration")
        );
        let mut totals: Vec<(Phase, Duration)> = Vec::new();
        let visits = &self.facts.visits;
        for (i, v) in visits.iter().enumerate() {
            let Some(node) = self.tree.node(&v.node) else {
                continue;
            };
            if matches!(node.kind, NodeKind::Outcome { .. }) {
                continue;
            }
            let until = visits.get(i + 1).map_or(self.facts.duration, |n| n.at);
            let spent = until.saturating_sub(v.at);
            match totals.iter_mut().find(|(p, _)| *p == node.phase) {
                Some((_, t)) => *t += spent,
                None => totals.push((node.phase, spent)),
            }
        }
        for (phase, spent) in totals {
            let _ = writeln!(
                out,
                "| {} | {} |",
                phase.label(self.lang),
                format_offset(spent)
            );
        }
        out.push('\n');
    }

    fn open_items(&self, out: &mut String) {
        let _ = writeln!(out, "## {}\n", self.l("open-items"));
        let mut seen: Vec<&str> = Vec::new();
        let mut any = false;
        for v in &self.facts.visits {
            if seen.contains(&v.node.as_str()) {
                continue;
            }
            seen.push(&v.node);
            let Some(node) = self.tree.node(&v.node) else {
                continue;
            };
            for item in &node.checklist {
                let key = (node.id.value.clone(), item.id.value.clone());
                if self.facts.checked.get(&key).copied().unwrap_or(false) {
                    continue;
                }
                any = true;
                let mandatory = if item.mandatory {
                    format!(" **({})**", self.l("mandatory"))
                } else {
                    String::new()
                };
                let _ = writeln!(
                    out,
                    "- [ ] {}{mandatory} — {}",
                    self.text(&item.text),
                    self.text(&node.title)
                );
            }
        }
        if !any {
            let _ = writeln!(out, "{}", self.l("no-open-items"));
        }
        out.push('\n');
    }

    fn notes(&self, out: &mut String) {
        for (tag, key) in [
            (NoteTag::Strength, "strengths"),
            (NoteTag::Improvement, "improvements"),
            (NoteTag::Note, "notes"),
        ] {
            let _ = writeln!(out, "## {}\n", self.l(key));
            let notes: Vec<_> = self.facts.notes.iter().filter(|n| n.tag == tag).collect();
            if notes.is_empty() {
                let _ = writeln!(out, "{}", self.l("none"));
            }
            for n in notes {
                let _ = writeln!(
                    out,
                    "- {} ({})",
                    visible(&n.text, Medium::Markdown),
                    offset(n.at)
                );
            }
            out.push('\n');
        }
    }
}
