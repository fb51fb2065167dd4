//! From the spanned TOML document to the tree model, reporting every missing,
//! unknown, mistyped or out-of-place field on the way.

use toml::de::DeTable;

use super::convert_calls::{read_action, read_lookup};
use super::fields::{Name, Obj, Reader};
use super::model::*;
use super::subject::Scope;
use super::validate::Notes;

const ROOT_KEYS: &[&str] = &["tree", "variables", "nodes"];
const TREE_KEYS: &[&str] = &[
    "id",
    "version",
    "languages",
    "title",
    "start",
    "sources",
    "approval",
];
/// The approval policies' names, for messages (a unit test keeps them in
/// step with the model).
pub(super) const APPROVAL_NAMES: &[&str] = &["none", "second-person", "same-host"];
const VARIABLE_KEYS: &[&str] = &["name", "type", "description", "required", "scope"];
const NODE_KEYS: &[&str] = &[
    "id",
    "phase",
    "kind",
    "title",
    "body",
    "next",
    "status",
    "attack",
    "choices",
    "checklist",
    "lookups",
    "actions",
    "references",
];
const CHOICE_KEYS: &[&str] = &["id", "label", "next", "opens"];
const SCOPE_NAMES: &[&str] = &["user", "device"];
const CHECKLIST_KEYS: &[&str] = &["id", "text", "mandatory"];
const REFERENCE_KEYS: &[&str] = &["title", "url"];

// The allowed values, for messages (the model's `name()`s; a unit test
// keeps them in step).
const TYPE_NAMES: &[&str] = &["upn", "guid", "ip", "datetime", "timespan", "string"];
const PHASE_NAMES: &[&str] = &[
    "prepare",
    "triage",
    "investigate",
    "contain",
    "recover",
    "root-cause",
    "close",
];
const KIND_NAMES: &[&str] = &["decision", "step", "outcome"];
const STATUS_NAMES: &[&str] = &[
    "no-compromise",
    "contained",
    "contained-and-recovered",
    "escalated",
    "inconclusive",
];

/// Converts the document; problems go to `r`, facts validation needs that
/// the model does not keep go to the returned [`Notes`].
pub(crate) fn convert(r: &mut Reader, root: &DeTable) -> (Tree, Notes) {
    let root = Obj {
        table: root,
        span: 0..0,
        what: Name::Fixed("the file"),
    };
    r.known_keys(&root, ROOT_KEYS);
    let mut notes = Notes::default();

    let mut tree = match root.get("tree").map(|v| (v.get_ref(), v.span())) {
        Some((toml::de::DeValue::Table(t), span)) => read_tree(
            r,
            &Obj {
                table: t,
                span,
                what: Name::Fixed("[tree]"),
            },
        ),
        Some((_, span)) => {
            r.report(span, "'tree' must be a table ([tree])");
            empty_tree()
        }
        None => {
            r.report(0..0, "the file has no [tree] table");
            empty_tree()
        }
    };

    for (i, (table, span)) in r.tables(&root, "variables").into_iter().enumerate() {
        let obj = Obj::item(table, span, "variable", i, Some("name"), None);
        tree.variables.push(read_variable(r, obj));
    }

    let node_tables = r.tables(&root, "nodes");
    match root.get("nodes").map(|v| (v.get_ref(), v.span())) {
        None => r.report(0..0, "the file has no [[nodes]]"),
        Some((toml::de::DeValue::Array(items), span)) if items.is_empty() => {
            r.report(span, "'nodes' is empty: a tree needs at least one node")
        }
        _ => {}
    }
    for (i, (table, span)) in node_tables.into_iter().enumerate() {
        let obj = Obj::item(table, span, "node", i, Some("id"), None);
        let node = read_node(r, obj, i, &mut notes);
        tree.nodes.push(node);
    }
    check_approvals(r, &tree);
    (tree, notes)
}

/// An action may raise the tree's approval policy, never lower it: a
/// lower one is a mistake the author must see, not a silent override.
fn check_approvals(r: &mut Reader, tree: &Tree) {
    for node in &tree.nodes {
        for action in &node.actions {
            if let Some(own) = &action.approval
                && own.value < tree.approval
            {
                r.report(
                    own.span.clone(),
                    format!(
                        "action '{}' of node '{}' has approval '{}', lower than the tree's '{}': an action can only raise the tree's approval policy",
                        action.id.value,
                        node.id.value,
                        own.value.name(),
                        tree.approval.name()
                    ),
                );
            }
        }
    }
}

fn empty_tree() -> Tree {
    Tree {
        id: At::new(String::new(), 0..0),
        version: String::new(),
        title: Localized::default(),
        languages: Vec::new(),
        sources: Vec::new(),
        start: At::new(String::new(), 0..0),
        variables: Vec::new(),
        nodes: Vec::new(),
        approval: ApprovalPolicy::None,
    }
}

fn read_tree(r: &mut Reader, obj: &Obj) -> Tree {
    r.known_keys(obj, TREE_KEYS);
    let id = r.req_str(obj, "id");
    let version = r.req_str(obj, "version").value;
    if !obj.has("languages") {
        r.report(
            obj.span.clone(),
            "[tree] is missing required key 'languages'",
        );
    }
    let languages = r.strings(obj, "languages");
    check_languages(r, obj, &languages);
    let title = r.localized(obj, "title", true);
    let start = r.req_str(obj, "start");
    let sources = read_references(r, obj, "sources");
    Tree {
        id,
        version,
        title,
        languages: languages.into_iter().map(|l| l.value).collect(),
        sources,
        start,
        variables: Vec::new(),
        nodes: Vec::new(),
        approval: r
            .opt_enum(
                obj,
                "approval",
                "approval policy",
                APPROVAL_NAMES,
                ApprovalPolicy::parse,
            )
            .map(|a| a.value)
            .unwrap_or_default(),
    }
}

/// `languages` lists at least one code, each once, each like `en` or `pt-br`.
fn check_languages(r: &mut Reader, obj: &Obj, languages: &[At<String>]) {
    if obj.has("languages") && languages.is_empty() {
        let span = obj.get("languages").map(|v| v.span()).unwrap_or(0..0);
        r.report(span, "tree.languages must list at least one language");
    }
    for (i, lang) in languages.iter().enumerate() {
        let code = lang.as_str();
        let mut parts = code.split('-');
        let primary_ok = parts.next().is_some_and(|p| {
            (2..=3).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_lowercase())
        });
        let rest_ok = parts
            .all(|p| (1..=8).contains(&p.len()) && p.bytes().all(|b| b.is_ascii_alphanumeric()));
        if !(primary_ok && rest_ok) {
            r.report(
                lang.span.clone(),
                format!("'{code}' in tree.languages is not a language code (e.g. en, ja, pt-br)"),
            );
        } else if languages[..i].iter().any(|l| l.value == lang.value) {
            r.report(
                lang.span.clone(),
                format!("language '{code}' is listed twice in tree.languages"),
            );
        }
    }
}

fn read_references(r: &mut Reader, obj: &Obj, key: &'static str) -> Vec<Reference> {
    r.tables(obj, key)
        .into_iter()
        .enumerate()
        .map(|(i, (table, span))| {
            let item = Obj::item(table, span, key, i, None, Some(&obj.what));
            r.known_keys(&item, REFERENCE_KEYS);
            Reference {
                title: r.req_str(&item, "title").value,
                url: r.req_str(&item, "url").value,
            }
        })
        .collect()
}

fn read_variable(r: &mut Reader, obj: Obj) -> Variable {
    let name = r.req_str(&obj, "name");
    r.known_keys(&obj, VARIABLE_KEYS);
    let var_type = r
        .req_enum(&obj, "type", "type", TYPE_NAMES, VarType::parse)
        .unwrap_or(VarType::String);
    Variable {
        name,
        var_type,
        description: r.localized(&obj, "description", true),
        required: r.opt_bool(&obj, "required"),
        scope: opt_scope(r, &obj, "scope"),
    }
}

fn read_node(r: &mut Reader, obj: Obj, index: usize, notes: &mut Notes) -> Node {
    let id = r.req_str(&obj, "id");
    r.known_keys(&obj, NODE_KEYS);
    let phase = r
        .req_enum(&obj, "phase", "phase", PHASE_NAMES, Phase::parse)
        .unwrap_or(Phase::Triage);
    let title = r.localized(&obj, "title", true);
    let body = r.localized(&obj, "body", false);
    let kind_name = r.req_enum(&obj, "kind", "kind", KIND_NAMES, |k| {
        KIND_NAMES.iter().copied().find(|name| *name == k)
    });
    let kind = read_kind(r, &obj, kind_name, index, notes);

    let checklist = r
        .tables(&obj, "checklist")
        .into_iter()
        .enumerate()
        .map(|(i, (table, span))| {
            let item = Obj::item(
                table,
                span,
                "checklist item",
                i,
                Some("id"),
                Some(&obj.what),
            );
            let id = r.req_str(&item, "id");
            r.known_keys(&item, CHECKLIST_KEYS);
            ChecklistItem {
                id,
                text: r.localized(&item, "text", true),
                mandatory: r.opt_bool(&item, "mandatory"),
            }
        })
        .collect();

    let lookups = r
        .tables(&obj, "lookups")
        .into_iter()
        .enumerate()
        .map(|(i, (table, span))| read_lookup(r, &obj, i, table, span))
        .collect();

    let mut actions = Vec::new();
    for (i, (table, span)) in r.tables(&obj, "actions").into_iter().enumerate() {
        let action = read_action(r, &obj, i, table, span);
        if let Some(body) = &action.1 {
            notes
                .action_body_spans
                .insert((index, i), body.span.clone());
        }
        actions.push(action.0);
    }

    let references = read_references(r, &obj, "references");
    let attack = r.strings(&obj, "attack");
    for technique in &attack {
        if !is_attack_id(&technique.value) {
            r.report(
                technique.span.clone(),
                format!(
                    "'{}' in {} is not a MITRE ATT&CK technique id (e.g. T1528 or T1550.001)",
                    technique.value, obj.what
                ),
            );
        }
    }

    Node {
        id,
        phase,
        title,
        body,
        kind,
        checklist,
        lookups,
        actions,
        references,
        attack: attack.into_iter().map(|a| a.value).collect(),
        span: obj.span.clone(),
    }
}

/// `T1234` or `T1234.001`.
fn is_attack_id(id: &str) -> bool {
    let b = id.as_bytes();
    let digits = |s: &[u8]| s.iter().all(u8::is_ascii_digit);
    match b.len() {
        5 => b[0] == b'T' && digits(&b[1..]),
        9 => b[0] == b'T' && digits(&b[1..5]) && b[5] == b'.' && digits(&b[6..]),
        _ => false,
    }
}

/// The kind with its links; keys that belong to another kind are reported.
/// A node whose kind or links could not be read is noted as incomplete so
/// graph checks do not pile further errors onto it.
fn read_kind(
    r: &mut Reader,
    obj: &Obj,
    kind: Option<&str>,
    index: usize,
    notes: &mut Notes,
) -> NodeKind {
    let foreign = |r: &mut Reader, key: &str, kind: &str, hint: &str| {
        if let Some(span) = obj.key_span(key) {
            r.report(
                span,
                format!(
                    "{} is {kind}: key '{key}' does not belong to it{hint}",
                    obj.what
                ),
            );
        }
    };
    match kind {
        Some("decision") => {
            foreign(r, "next", "a decision", " (each choice has its own next)");
            foreign(r, "status", "a decision", "");
            NodeKind::Decision {
                choices: read_choices(r, obj),
            }
        }
        Some("step") => {
            foreign(
                r,
                "choices",
                "a step",
                " (a step has one next; branches need kind = \"decision\")",
            );
            foreign(r, "status", "a step", "");
            let next = r.req_str(obj, "next");
            if next.is_empty() {
                notes.incomplete_nodes.insert(index);
            }
            NodeKind::Step { next }
        }
        Some("outcome") => {
            foreign(r, "next", "an outcome", " (an outcome ends the walk)");
            foreign(r, "choices", "an outcome", " (an outcome ends the walk)");
            let status = r.req_enum(obj, "status", "status", STATUS_NAMES, OutcomeStatus::parse);
            NodeKind::Outcome {
                status: status.unwrap_or(OutcomeStatus::Inconclusive),
            }
        }
        _ => {
            notes.incomplete_nodes.insert(index);
            if obj.has("choices") {
                NodeKind::Decision {
                    choices: read_choices(r, obj),
                }
            } else {
                NodeKind::Outcome {
                    status: OutcomeStatus::Inconclusive,
                }
            }
        }
    }
}

fn read_choices(r: &mut Reader, obj: &Obj) -> Vec<Choice> {
    r.tables(obj, "choices")
        .into_iter()
        .enumerate()
        .map(|(i, (table, span))| {
            let choice = Obj::item(table, span, "choice", i, None, Some(&obj.what));
            r.known_keys(&choice, CHOICE_KEYS);
            Choice {
                id: r.req_str(&choice, "id"),
                label: r.localized(&choice, "label", true),
                next: r.req_str(&choice, "next"),
                opens: opt_scope(r, &choice, "opens"),
            }
        })
        .collect()
}

fn opt_scope(r: &mut Reader, obj: &Obj, key: &str) -> Option<Scope> {
    if !obj.has(key) {
        return None;
    }
    r.req_enum(obj, key, "scope", SCOPE_NAMES, Scope::parse)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn value_lists_match_the_model() {
        let names = |all: Vec<&'static str>| all;
        assert_eq!(
            TYPE_NAMES,
            names(VarType::ALL.iter().map(|t| t.name()).collect())
        );
        assert_eq!(
            PHASE_NAMES,
            names(Phase::ALL.iter().map(|p| p.name()).collect())
        );
        assert_eq!(
            STATUS_NAMES,
            names(OutcomeStatus::ALL.iter().map(|s| s.name()).collect())
        );
    }
}
