//! Reading a scenario file: TOML → [`Scenario`], checked against its tree,
//! with every problem reported at once.

use toml::de::{DeTable, DeValue};

use super::check;
use super::diag::{Diagnostics, Problem, with_suggestion};
use super::fields::{Fields, Problems, type_name};
use super::items::{read_expectation, read_hint, read_inject};
use super::model::*;
use crate::tree::value::normalize;
use crate::tree::{At, Tree};

/// Largest file Cairn reads as a scenario; real ones are a few dozen KiB.
pub const MAX_SCENARIO_BYTES: usize = 4 * 1024 * 1024;
pub(super) const MAX_POINTS: u32 = 1000;

/// Reads scenario bytes (any bytes: invalid UTF-8 is an error, not a panic).
pub fn load_bytes(label: &str, bytes: &[u8], trees: &[&Tree]) -> Result<Scenario, Diagnostics> {
    if bytes.len() > MAX_SCENARIO_BYTES {
        // Files are read capped, so the true size may be larger still.
        let message = format!("file is over {MAX_SCENARIO_BYTES} bytes, the limit for scenarios");
        return Err(Diagnostics::single(label, "", Problem::new(0..0, message)));
    }
    match std::str::from_utf8(bytes) {
        Ok(src) => load(label, src, trees),
        Err(e) => {
            let at = e.valid_up_to();
            let src = String::from_utf8_lossy(bytes);
            // Lossy decoding keeps offsets up to the first bad byte.
            let message = format!("file is not valid UTF-8 (bad byte at offset {at})");
            Err(Diagnostics::single(
                label,
                &src,
                Problem::new(at..at + 1, message),
            ))
        }
    }
}

/// Reads and validates a scenario against the trees Cairn knows.
pub fn load(label: &str, src: &str, trees: &[&Tree]) -> Result<Scenario, Diagnostics> {
    let (doc, errors) = DeTable::parse_recoverable(src);
    if !errors.is_empty() {
        let items = errors
            .iter()
            .map(|e| {
                let message = format!("TOML syntax: {}", e.message().trim());
                Problem::new(e.span().unwrap_or(0..0), message)
            })
            .collect();
        return Err(Diagnostics::from_problems(label, src, items));
    }
    let mut problems = Problems::default();
    let scenario = read(doc.get_ref(), trees, &mut problems);
    match scenario {
        Some(s) if problems.items.is_empty() => Ok(s),
        _ => {
            if problems.items.is_empty() {
                problems.add(0..0, "scenario could not be read");
            }
            Err(Diagnostics::from_problems(label, src, problems.items))
        }
    }
}

const TOP: &[&str] = &[
    "scenario",
    "variables",
    "scoring",
    "expect",
    "hints",
    "injects",
    "approvals",
    "discovered",
    "empty",
];
const HEAD: &[&str] = &["id", "tree", "recordings", "title", "story"];

fn read(doc: &DeTable<'_>, trees: &[&Tree], p: &mut Problems) -> Option<Scenario> {
    let top = Fields::new(doc, 0..0, "the file", TOP, p);
    let (head_table, head_span) = top.table("scenario", true, p)?;
    let head = Fields::new(head_table, head_span.clone(), "[scenario]", HEAD, p);
    let id = head.string("id", true, p);
    if let Some(id) = &id {
        check_id(id, "scenario id", p);
    }
    let tree_id = head.string("tree", true, p);
    let tree = tree_id.as_ref().and_then(|t| resolve_tree(t, trees, p));
    let languages = tree.map(|t| t.languages.as_slice());
    let recordings = head.string("recordings", false, p);
    if let Some(r) = &recordings {
        check_id(r, "recording set name", p);
    }
    let title = head.localized("title", languages, true, p);
    let story = head.localized("story", languages, true, p);

    let variables = read_variables(&top, tree, p);
    check_recording_notes(&top, tree, p);
    let scoring = read_scoring(&top, p);
    let cx = Cx { tree, languages };
    let expectations: Vec<_> = top
        .tables("expect", p)
        .into_iter()
        .enumerate()
        .filter_map(|(i, (t, span))| read_expectation(&cx, t, span, i, p))
        .collect();
    let hints: Vec<_> = top
        .tables("hints", p)
        .into_iter()
        .enumerate()
        .filter_map(|(i, (t, span))| read_hint(&cx, t, span, i, scoring.hint_cost, p))
        .collect();
    let injects: Vec<_> = top
        .tables("injects", p)
        .into_iter()
        .enumerate()
        .filter_map(|(i, (t, span))| read_inject(&cx, t, span, i, p))
        .collect();
    let approvals: Vec<_> = top
        .tables("approvals", p)
        .into_iter()
        .enumerate()
        .filter_map(|(i, (t, span))| super::approvals::read_approval(&cx, t, span, i, p))
        .collect();

    let scenario = Scenario {
        id: id?,
        tree: tree_id?,
        title: title?,
        story: story?,
        recordings,
        variables,
        scoring,
        expectations,
        hints,
        injects,
        approvals,
    };
    if let Some(tree) = tree {
        check::cross_check(&scenario, tree, p);
    }
    Some(scenario)
}

pub(super) struct Cx<'a> {
    pub tree: Option<&'a Tree>,
    pub languages: Option<&'a [String]>,
}

pub(crate) fn is_id(s: &str) -> bool {
    let mut chars = s.chars();
    matches!(chars.next(), Some(c) if c.is_ascii_lowercase() || c.is_ascii_digit())
        && chars.all(|c| c.is_ascii_lowercase() || c.is_ascii_digit() || c == '-')
        && s.len() <= 64
}

pub(super) fn check_id(id: &At<String>, what: &str, p: &mut Problems) {
    if !is_id(id) {
        p.add(
            id.span.clone(),
            format!(
                "{what} '{}' must match [a-z0-9][a-z0-9-]* (at most 64 characters)",
                id.value
            ),
        );
    }
}

fn resolve_tree<'a>(id: &At<String>, trees: &[&'a Tree], p: &mut Problems) -> Option<&'a Tree> {
    let found = trees.iter().find(|t| t.id.value == id.value).copied();
    if found.is_none() {
        let known: Vec<&str> = trees.iter().map(|t| t.id.as_str()).collect();
        let message = with_suggestion(
            format!("unknown tree '{}' (known: {})", id.value, known.join(", ")),
            id,
            known.iter().copied(),
        );
        p.add(id.span.clone(), message);
    }
    found
}

fn read_variables(
    top: &Fields<'_, '_>,
    tree: Option<&Tree>,
    p: &mut Problems,
) -> Vec<ScenarioVariable> {
    let Some((table, _)) = top.table("variables", false, p) else {
        return Vec::new();
    };
    let mut out = Vec::new();
    for (name, v) in table.iter() {
        let name_str: &str = name.get_ref();
        let DeValue::String(raw) = v.get_ref() else {
            p.add(
                v.span(),
                format!(
                    "variable '{name_str}' must be a string, found {}",
                    type_name(v.get_ref())
                ),
            );
            continue;
        };
        let Some(tree) = tree else { continue };
        let Some(var) = tree.variable(name_str) else {
            let known = tree.variables.iter().map(|v| v.name.as_str());
            let message = with_suggestion(
                format!("tree '{}' has no variable '{name_str}'", tree.id.value),
                name_str,
                known,
            );
            p.add(name.span(), message);
            continue;
        };
        match normalize(var.var_type, raw) {
            Ok(value) => out.push(ScenarioVariable {
                name: At::new(name_str.to_string(), name.span()),
                value,
            }),
            Err(e) => p.add(
                v.span(),
                format!(
                    "variable '{name_str}' is of type {}: {e}",
                    var.var_type.name()
                ),
            ),
        }
    }
    // The tree's order, so screens list entities the way the playbook does.
    if let Some(tree) = tree {
        out.sort_by_key(|v| {
            tree.variables
                .iter()
                .position(|tv| tv.name.value == v.name.value)
        });
    }
    out
}

/// `[discovered]` (values the recordings reveal) and `[empty]` (lookups whose
/// recorded answer is deliberately empty, with why): notes read by the
/// replay of the recordings, checked here so a typo is found where it is.
fn check_recording_notes(top: &Fields<'_, '_>, tree: Option<&Tree>, p: &mut Problems) {
    for key in ["discovered", "empty"] {
        let Some((table, _)) = top.table(key, false, p) else {
            continue;
        };
        for (name, v) in table.iter() {
            let name_str: &str = name.get_ref();
            if !matches!(v.get_ref(), DeValue::String(s) if !s.trim().is_empty()) {
                p.add(
                    v.span(),
                    format!("'{name_str}' in [{key}] must be a non-empty string"),
                );
            }
            if key == "empty"
                && let Some(tree) = tree
                && !tree.lookups().any(|(_, l)| l.id.value == name_str)
            {
                let known = tree.lookups().map(|(_, l)| l.id.as_str());
                let message = with_suggestion(
                    format!("tree '{}' has no lookup '{name_str}'", tree.id.value),
                    name_str,
                    known,
                );
                p.add(name.span(), message);
            }
        }
    }
}

fn read_scoring(top: &Fields<'_, '_>, p: &mut Problems) -> Scoring {
    let mut scoring = Scoring::default();
    let Some((table, span)) = top.table("scoring", false, p) else {
        return scoring;
    };
    let f = Fields::new(
        table,
        span,
        "[scoring]",
        &["points", "hint_cost", "walk"],
        p,
    );
    if let Some(n) = f.count("points", MAX_POINTS, p) {
        scoring.points = n.value;
    }
    if let Some(n) = f.count("hint_cost", MAX_POINTS, p) {
        scoring.hint_cost = n.value;
    }
    if let Some(w) = f.string("walk", false, p) {
        match WalkPath::parse(&w) {
            Some(walk) => scoring.walk = walk,
            None => p.add(
                w.span.clone(),
                format!(
                    "'walk' in [scoring] must be \"playbook\" or \"chosen\", not '{}'",
                    w.value
                ),
            ),
        }
    }
    scoring
}
