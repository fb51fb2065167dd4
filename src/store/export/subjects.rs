//! The report's section on earlier affected users and devices: what each
//! one's variables held and which lookup runs used them, apart from the
//! current subject's values in "Variables".

use std::fmt::Write;

use super::describe;
use super::markdown::variable_table;
use crate::store::event::EventKind;
use crate::store::projection::{IncidentState, SubjectRecord};
use crate::text::{Medium, visible};

pub(super) fn subjects(out: &mut String, state: &IncidentState) {
    if state.subjects.is_empty() {
        return;
    }
    let _ = writeln!(out, "## Earlier affected users and devices\n");
    out.push_str(
        "The walk went on to a further user or device; these values and lookup runs belong to \
         the earlier ones.\n\n",
    );
    for s in &state.subjects {
        let _ = writeln!(
            out,
            "### {} {}: {} (filed {} by {})\n",
            visible(&s.scope, Medium::Markdown),
            s.number,
            visible(s.label(), Medium::Markdown),
            describe::time(s.closed.at),
            visible(&describe::actor(&s.closed.actor), Medium::Markdown)
        );
        if s.values.is_empty() {
            out.push_str("No values were set.\n\n");
        } else {
            variable_table(out, s.values.iter().map(|(n, v)| (n, v)));
        }
        let runs = lookup_names(state, s);
        if !runs.is_empty() {
            let runs: Vec<String> = runs
                .iter()
                .map(|(seq, id)| format!("{} (event {seq})", visible(id, Medium::Markdown)))
                .collect();
            let _ = writeln!(out, "Lookup runs with these values: {}\n", runs.join(", "));
        }
    }
}

/// The (seq, lookup id) of the runs filed with a subject.
pub fn lookup_names<'a>(state: &'a IncidentState, s: &SubjectRecord) -> Vec<(u64, &'a str)> {
    state
        .lookups
        .iter()
        .filter(|e| s.lookups.contains(&e.seq))
        .filter_map(|e| match &e.kind {
            EventKind::LookupRun { lookup, .. } => Some((e.seq, lookup.as_str())),
            _ => None,
        })
        .collect()
}
