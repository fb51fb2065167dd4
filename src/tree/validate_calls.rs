//! Validation of texts (every declared language present) and of what nodes
//! call out to: lookups (placeholders, windows, binds) and actions
//! (placeholders, destructive flag, confirmation variable, JSON body).

use std::fmt;

use super::model::*;
use super::suggest::did_you_mean;
use super::template::{Piece, Placeholder, Target, placeholders, refusal, scan};
use super::validate::{Checker, given, node_name};
use super::value::is_timespan;

impl Checker<'_> {
    fn missing_texts(&mut self, text: &Localized, field: &str, owner: &dyn fmt::Display) {
        if text.texts.is_empty() && text.span == (0..0) {
            return; // absent: optional, or reported as missing already
        }
        let languages = &self.tree.languages;
        if languages.is_empty() {
            return;
        }
        let mut found = 0;
        for lang in languages {
            let given = text.texts.get(lang);
            found += usize::from(given.is_some());
            if given.is_none_or(|t| t.chars().all(char::is_whitespace)) {
                self.report(
                    text.span.clone(),
                    format!("{field} of {owner} has no '{lang}' text"),
                );
            }
        }
        // Each of the distinct declared languages was found, and there are
        // no more texts than that: none is in an undeclared language.
        if self.languages_distinct && found == text.texts.len() {
            return;
        }
        for lang in text.texts.keys() {
            if !languages.iter().any(|l| l == lang) {
                let hint = did_you_mean(lang, languages.iter().map(String::as_str))
                    .map(|s| format!(" (did you mean '{s}'?)"))
                    .unwrap_or_default();
                self.report(
                    text.span.clone(),
                    format!(
                        "{field} of {owner} has a text in '{lang}', which tree.languages does not list{hint}"
                    ),
                );
            }
        }
    }

    /// Every localized field of the tree carries every declared language.
    pub(crate) fn texts(&mut self) {
        let tree = self.tree;
        self.missing_texts(&tree.title, "title", &"[tree]");
        for var in &tree.variables {
            let owner = format_args!("variable '{}'", var.name.value);
            self.missing_texts(&var.description, "description", &owner);
        }
        for (i, node) in tree.nodes.iter().enumerate() {
            let owner = node_name(node, i);
            self.missing_texts(&node.title, "title", &owner);
            self.missing_texts(&node.body, "body", &owner);
            if let NodeKind::Decision { choices } = &node.kind {
                for (c, choice) in choices.iter().enumerate() {
                    let what = ItemName("choice", None, c, &owner);
                    self.missing_texts(&choice.label, "label", &what);
                }
            }
            for (c, item) in node.checklist.iter().enumerate() {
                let what = item_name("checklist item", &item.id, c, &owner);
                self.missing_texts(&item.text, "text", &what);
            }
            for (l, lookup) in node.lookups.iter().enumerate() {
                let what = item_name("lookup", &lookup.id, l, &owner);
                self.missing_texts(&lookup.title, "title", &what);
                self.missing_texts(&lookup.look_for, "look_for", &what);
            }
            for (a, action) in node.actions.iter().enumerate() {
                let what = item_name("action", &action.id, a, &owner);
                self.missing_texts(&action.title, "title", &what);
                self.missing_texts(&action.description, "description", &what);
            }
        }
    }

    fn unknown_variable(&self, name: &str) -> String {
        let hint = did_you_mean(name, self.variables.iter().copied())
            .map(|s| format!(" (did you mean '{s}'?)"))
            .unwrap_or_default();
        format!("names no declared variable{hint}")
    }

    /// Placeholders of `text` (written at `span`) name declared variables.
    fn check_placeholders(&mut self, text: &str, span: &Span, field: &dyn fmt::Display) {
        // A span exactly as long as the text is the text itself (no escapes),
        // so a placeholder can be pointed at precisely.
        let exact = span.len() == text.len();
        let locate = |range: &Span| {
            if exact {
                span.start + range.start..span.start + range.end
            } else {
                span.clone()
            }
        };
        for placeholder in placeholders(text) {
            match placeholder {
                Placeholder::Named { range, name } => {
                    if !self.variables.contains(name) {
                        let why = self.unknown_variable(name);
                        let shown = &text[range.clone()];
                        self.report(
                            locate(&range),
                            format!("placeholder '{shown}' in {field} {why}"),
                        );
                    }
                }
                Placeholder::Unterminated { range } => self.report(
                    locate(&range),
                    format!("unterminated placeholder in {field}: '{{{{' without '}}}}'"),
                ),
            }
        }
    }

    /// Lookups and actions of every node.
    pub(crate) fn calls(&mut self) {
        let tree = self.tree;
        for (i, node) in tree.nodes.iter().enumerate() {
            let owner = node_name(node, i);
            for (l, lookup) in node.lookups.iter().enumerate() {
                let what = item_name("lookup", &lookup.id, l, &owner);
                self.lookup(lookup, &what);
            }
            for (a, action) in node.actions.iter().enumerate() {
                let what = item_name("action", &action.id, a, &owner);
                self.action(action, &what, (i, a));
            }
        }
    }

    fn lookup(&mut self, lookup: &Lookup, what: &dyn fmt::Display) {
        let query = &lookup.query;
        if given(query) && query.trim().is_empty() {
            self.report(query.span.clone(), format!("query of {what} is empty"));
        }
        if lookup.provider == Provider::Graph && given(query) && !query.starts_with('/') {
            self.report(
                query.span.clone(),
                format!(
                    "query of {what} must be a Graph path starting with '/' (e.g. /users/{{{{upn}}}})"
                ),
            );
        }
        self.check_placeholders(query, &query.span, &format_args!("query of {what}"));
        let target = Target::for_provider(lookup.provider);
        let field = format_args!("query of {what}");
        self.substitutable(query, &query.span, target, &field);
        if let Some(window) = &lookup.window
            && !is_timespan(window)
        {
            self.report(
                window.span.clone(),
                format!(
                    "window '{}' of {what} is not a KQL timespan (e.g. 30m, 12h, 7d)",
                    window.value
                ),
            );
        }
        for (b, bind) in lookup.bind.iter().enumerate() {
            let var = &bind.variable;
            if given(var) && !self.variables.contains(var.as_str()) {
                let why = self.unknown_variable(var);
                self.report(
                    var.span.clone(),
                    format!("bind {} of {what} sets '{}', which {why}", b + 1, var.value),
                );
            }
        }
    }

    /// Placeholders where the run would refuse to substitute: outside a
    /// single-quoted KQL string or a JSON string, or bare in a Graph query
    /// string for a type that is not one token. The template engine decides,
    /// so the check and the run cannot disagree; the author hears of it now
    /// instead of during an incident.
    fn substitutable(&mut self, text: &str, span: &Span, target: Target, field: &dyn fmt::Display) {
        // Unclosed or malformed placeholders are reported by check_placeholders.
        let Ok(pieces) = scan(text, target) else {
            return;
        };
        let exact = span.len() == text.len();
        for piece in pieces {
            let Piece::Placeholder {
                name,
                context,
                range,
            } = piece
            else {
                continue;
            };
            // Undeclared: reported already.
            let Some(var) = self.tree.variable(&name) else {
                continue;
            };
            let Some(why) = refusal(context, var.var_type) else {
                continue;
            };
            let at = if exact {
                span.start + range.start..span.start + range.end
            } else {
                span.clone()
            };
            let shown = &text[range];
            self.report(
                at,
                format!(
                    "placeholder '{shown}' in {field} {why}: Cairn will refuse to run it ({})",
                    why.hint(&format!("{{{{{name}}}}}"))
                ),
            );
        }
    }

    fn action(&mut self, action: &Action, what: &dyn fmt::Display, at: (usize, usize)) {
        let path = &action.path;
        if given(path) && !path.starts_with('/') {
            self.report(
                path.span.clone(),
                format!("path of {what} must be a Graph path starting with '/'"),
            );
        }
        let field = format_args!("path of {what}");
        self.check_placeholders(path, &path.span, &field);
        self.substitutable(path, &path.span, Target::GraphPath, &field);
        if let Some(body) = &action.body {
            let span = self
                .notes
                .action_body_spans
                .get(&at)
                .cloned()
                .unwrap_or_else(|| action.id.span.clone());
            let field = format_args!("body of {what}");
            self.check_placeholders(body, &span, &field);
            self.substitutable(body, &span, Target::JsonBody, &field);
            if let Err(err) = serde_json::from_str::<serde_json::Value>(body) {
                self.report(span, format!("body of {what} is not valid JSON: {err}"));
            }
        }
        if !action.destructive {
            if action.method == HttpMethod::Delete {
                self.report(
                    action.id.span.clone(),
                    format!("{what} is a DELETE and must be marked destructive = true"),
                );
            } else if path.to_ascii_lowercase().contains("revoke") {
                self.report(
                    path.span.clone(),
                    format!("{what} calls a revoke endpoint and must be marked destructive = true"),
                );
            }
        }
        if let Some(confirm) = &action.confirm
            && !self.variables.contains(confirm.as_str())
        {
            let why = self.unknown_variable(confirm);
            self.report(
                confirm.span.clone(),
                format!("confirm of {what} is '{}', which {why}", confirm.value),
            );
        }
    }
}

/// `lookup 'recent-signins' of node 'triage'`, or by position without an
/// id; formatted only when a message is written.
struct ItemName<'a>(
    &'static str,
    Option<&'a At<String>>,
    usize,
    &'a dyn fmt::Display,
);

impl fmt::Display for ItemName<'_> {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        let ItemName(label, id, index, owner) = self;
        match id {
            Some(id) if given(id) => write!(f, "{label} '{}' of {owner}", id.value),
            _ => write!(f, "{label} {} of {owner}", index + 1),
        }
    }
}

fn item_name<'a>(
    label: &'static str,
    id: &'a At<String>,
    index: usize,
    owner: &'a dyn fmt::Display,
) -> ItemName<'a> {
    ItemName(label, Some(id), index, owner)
}
