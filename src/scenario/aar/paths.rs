//! The two sections that follow the walk: the timeline, and the team's
//! decisions against the playbook's expected path.

use std::fmt::Write as _;
use std::time::Duration;

use super::{Report, offset};
use crate::scenario::check::expected_path;
use crate::store::event::{ActionStatus, InjectCause};
use crate::text::markdown::code_span;
use crate::text::{Medium, visible};

impl Report<'_> {
    pub(super) fn timeline(&self, out: &mut String) {
        let _ = writeln!(out, "## {}\n", self.l("timeline"));
        let _ = writeln!(
            out,
            "| {} | {} |\n|---|---|",
            self.l("time"),
            self.l("event")
        );
        // Keyed by time, then by sequence: what caused what stays in order.
        let mut rows: Vec<(Duration, u64, String)> = Vec::new();
        for inj in &self.facts.injects {
            let message = self
                .scenario
                .and_then(|s| s.inject(&inj.inject))
                .map_or_else(
                    || visible(&inj.inject, Medium::Markdown).into_owned(),
                    |x| self.text(&x.message),
                );
            let how = match inj.cause {
                InjectCause::Time => "⏱",
                InjectCause::Node => "📍",
                InjectCause::Manual => "✋",
            };
            rows.push((
                inj.at,
                inj.seq,
                format!(
                    "{how} **{}** {}: {message}",
                    self.l("inject"),
                    code_span(&inj.inject)
                ),
            ));
        }
        for d in &self.facts.decisions {
            let mut row = format!(
                "**{}** — {}: {}",
                self.l("decision"),
                self.node_title(&d.node),
                self.choice_label(&d.node, &d.choice)
            );
            if let Some(reason) = &d.reason {
                let _ = write!(
                    row,
                    " — _{}: {}_",
                    self.l("reason"),
                    visible(reason, Medium::Markdown)
                );
            }
            rows.push((d.at, d.seq, row));
        }
        for a in &self.facts.actions {
            let status = match (a.simulated, a.outcome) {
                (true, _) | (_, Some(ActionStatus::Simulated)) => self.l("simulated"),
                (false, Some(ActionStatus::Succeeded)) => self.l("succeeded"),
                (false, Some(ActionStatus::Failed)) => self.l("failed"),
                (false, Some(ActionStatus::Abandoned)) => self.l("abandoned"),
                (false, _) => self.l("unknown"),
            };
            rows.push((
                a.at,
                a.seq,
                format!(
                    "**{}** {}: {} ({status})",
                    self.l("action"),
                    code_span(&a.action),
                    code_span(&format!("{} {}", a.method, a.path))
                ),
            ));
        }
        for (seq, from, to, at) in &self.facts.backtracks {
            rows.push((
                *at,
                *seq,
                format!(
                    "{}: {} → {}",
                    self.l("backtrack"),
                    self.node_title(from),
                    self.node_title(to)
                ),
            ));
        }
        if let Some(end) = self
            .facts
            .visits
            .last()
            .filter(|_| self.outcome().is_some())
        {
            rows.push((
                end.at,
                u64::MAX,
                format!(
                    "**{}:** {}",
                    self.l("outcome-reached"),
                    self.node_title(&end.node)
                ),
            ));
        }
        rows.sort_by_key(|(at, order, _)| (*at, *order));
        for (at, _, row) in rows {
            let _ = writeln!(out, "| {} | {row} |", offset(at));
        }
        out.push('\n');
    }

    pub(super) fn against_playbook(&self, out: &mut String) {
        let Some(s) = self.scenario else { return };
        let _ = writeln!(out, "## {}\n", self.l("vs-playbook"));
        let expected: Vec<String> = expected_path(s, self.tree)
            .iter()
            .map(|n| self.node_title(n))
            .collect();
        let taken: Vec<String> = self
            .facts
            .visits
            .iter()
            .map(|v| self.node_title(&v.node))
            .collect();
        let _ = writeln!(
            out,
            "- **{}:** {}",
            self.l("expected"),
            expected.join(" → ")
        );
        let _ = writeln!(out, "- **{}:** {}\n", self.l("team"), taken.join(" → "));
        let _ = writeln!(
            out,
            "| # | {} | {} | {} | {} |\n|---|---|---|---|---|",
            self.l("node"),
            self.l("team"),
            self.l("expected"),
            self.l("match")
        );
        let mut deviations = Vec::new();
        for (i, d) in self.facts.decisions.iter().enumerate() {
            let Some(e) = s.expectation(&d.node) else {
                continue;
            };
            let ok = e.choice.value == d.choice;
            let _ = writeln!(
                out,
                "| {} | {} | {} | {} | {} |",
                i + 1,
                self.node_title(&d.node),
                self.choice_label(&d.node, &d.choice),
                self.choice_label(&d.node, &e.choice),
                if ok { "✓" } else { "✗" }
            );
            if !ok {
                deviations.push((d, e));
            }
        }
        for (d, e) in deviations {
            let _ = writeln!(out, "\n### {}\n", self.node_title(&d.node));
            if let Some(why) = e.explanation(&d.choice) {
                let _ = writeln!(
                    out,
                    "- {}: {}",
                    self.choice_label(&d.node, &d.choice),
                    self.text(why)
                );
            }
            if let Some(why) = e.explanation(&e.choice) {
                let _ = writeln!(out, "- {}: {}", self.l("why"), self.text(why));
            }
        }
        out.push('\n');
    }
}
