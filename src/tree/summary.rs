//! The one-line summary `cairn check` prints for a valid tree.

use std::fmt;

use super::model::{NodeKind, Phase, Provider, Tree};
use crate::text::{Medium, visible};

/// Counts describing a tree at a glance.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Summary {
    pub id: String,
    pub version: String,
    pub nodes: usize,
    pub steps: usize,
    pub decisions: usize,
    pub outcomes: usize,
    /// First and last phase used, in phase order.
    pub phases: Option<(Phase, Phase)>,
    /// Lookup counts in [`Provider::ALL`] order.
    pub lookups_by_provider: Vec<(Provider, usize)>,
    pub actions: usize,
    pub destructive_actions: usize,
    pub languages: Vec<String>,
}

impl Summary {
    pub fn of(tree: &Tree) -> Self {
        let count = |f: fn(&NodeKind) -> bool| tree.nodes.iter().filter(|n| f(&n.kind)).count();
        let phases = tree.nodes.iter().map(|n| n.phase);
        let lookups_by_provider = Provider::ALL
            .into_iter()
            .map(|p| (p, tree.lookups().filter(|(_, l)| l.provider == p).count()))
            .collect();
        Summary {
            id: tree.id.value.clone(),
            version: tree.version.clone(),
            nodes: tree.nodes.len(),
            steps: count(|k| matches!(k, NodeKind::Step { .. })),
            decisions: count(|k| matches!(k, NodeKind::Decision { .. })),
            outcomes: count(|k| matches!(k, NodeKind::Outcome { .. })),
            phases: phases.clone().min().zip(phases.max()),
            lookups_by_provider,
            actions: tree.actions().count(),
            destructive_actions: tree.actions().filter(|(_, a)| a.destructive).count(),
            languages: tree.languages.clone(),
        }
    }

    pub fn lookups(&self) -> usize {
        self.lookups_by_provider.iter().map(|(_, n)| n).sum()
    }
}

impl fmt::Display for Summary {
    /// `token-theft 1.0.0: 42 nodes (20 step, 15 decision, 7 outcome),
    /// phases prepare..close, lookups 18 (loganalytics 12, hunting 3, graph 3),
    /// actions 6 (5 destructive), languages en ja`
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        write!(
            f,
            "{} {}: {} nodes ({} step, {} decision, {} outcome)",
            visible(&self.id, Medium::Cli),
            visible(&self.version, Medium::Cli),
            self.nodes,
            self.steps,
            self.decisions,
            self.outcomes
        )?;
        if let Some((first, last)) = self.phases {
            write!(f, ", phases {}..{}", first.name(), last.name())?;
        }
        write!(f, ", lookups {}", self.lookups())?;
        let by_provider: Vec<String> = self
            .lookups_by_provider
            .iter()
            .filter(|(_, n)| *n > 0)
            .map(|(p, n)| format!("{} {n}", p.name()))
            .collect();
        if !by_provider.is_empty() {
            write!(f, " ({})", by_provider.join(", "))?;
        }
        write!(
            f,
            ", actions {} ({} destructive), languages {}",
            self.actions,
            self.destructive_actions,
            visible(&self.languages.join(" "), Medium::Cli)
        )
    }
}
