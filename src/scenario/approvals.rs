//! `[[approvals]]` of a scenario: how the exercise plays the second
//! responder when an action needs approval. Without an entry the exercise
//! approves at once; an entry can make it reject, or answer only after some
//! exercise time (paused time does not count).

use toml::de::DeTable;

use super::diag::with_suggestion;
use super::duration::parse_offset;
use super::fields::{Fields, Problems};
use super::model::ScenarioApproval;
use super::parse::Cx;
use crate::tree::{At, Span};

pub(super) fn read_approval(
    cx: &Cx<'_>,
    t: &DeTable<'_>,
    span: Span,
    i: usize,
    p: &mut Problems,
) -> Option<ScenarioApproval> {
    let name = format!("approvals[{}]", i + 1);
    let f = Fields::new(t, span, &name, &["action", "answer", "after"], p);
    let action = f.string("action", true, p)?;
    if let Some(tree) = cx.tree {
        let known = tree
            .nodes
            .iter()
            .flat_map(|n| n.actions.iter())
            .any(|a| a.id.value == action.value);
        if !known {
            let message = with_suggestion(
                format!("tree '{}' has no action '{}'", tree.id.value, action.value),
                &action,
                tree.nodes
                    .iter()
                    .flat_map(|n| n.actions.iter().map(|a| a.id.as_str())),
            );
            p.add(action.span.clone(), message);
        }
    }
    let answer = f.string("answer", true, p)?;
    let reject = match answer.value.as_str() {
        "approve" => false,
        "reject" => true,
        other => {
            p.add(
                answer.span.clone(),
                format!("'answer' in {name} is '{other}': expected approve or reject"),
            );
            return None;
        }
    };
    let after = match f.string("after", false, p) {
        None => None,
        Some(a) => match parse_offset(&a) {
            Ok(d) => Some(At::new(d, a.span.clone())),
            Err(e) => {
                p.add(a.span.clone(), format!("'after' in {name}: {e}"));
                return None;
            }
        },
    };
    Some(ScenarioApproval {
        action,
        reject,
        after,
    })
}
