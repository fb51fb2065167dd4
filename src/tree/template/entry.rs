//! A value checked where it is typed, not first at the confirmation: its
//! type (`tree::value`), then the path-segment rule for every place the
//! tree puts the variable into a URL path (a Graph lookup's path, an
//! action's path). A value such as `..` for a variable only ever used in
//! KQL is fine; for one that names a Graph object it is refused at once,
//! saying which call it would have retargeted.

use super::escape::{EncodeError, check_path_segment};
use super::scan::{Piece, scan};
use super::{Target, value};
use crate::text::lang::{Lang, msg_key};
use crate::tree::model::{Provider, Tree};
use crate::tree::value::ValueError;

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum EntryError {
    #[error("{0}")]
    Invalid(#[from] ValueError),
    /// The value could leave its URL path segment in `owner`.
    #[error("{}", unsafe_in_path(Lang::EN, .owner, .source))]
    UnsafeInPath { owner: String, source: EncodeError },
}

impl EntryError {
    /// This refusal in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        match self {
            EntryError::Invalid(e) => e.describe(lang),
            EntryError::UnsafeInPath { owner, source } => unsafe_in_path(lang, owner, source),
        }
    }
}

fn unsafe_in_path(lang: Lang, owner: &str, source: &EncodeError) -> String {
    let (value, key) = match source {
        EncodeError::UnsafeSegment(v) => (v.as_str(), msg_key!("value", "unsafe-in-path")),
        EncodeError::SlashInId(v) => (v.as_str(), msg_key!("value", "id-in-path")),
        EncodeError::ControlCharacter(_) => ("", msg_key!("value", "unsafe-in-path")),
    };
    let reason = source.describe(lang);
    lang.fill(
        "value",
        key,
        &[("reason", &reason), ("value", value), ("owner", owner)],
    )
}

/// Every call whose URL path holds `{{name}}` (`action 'delete-inbox-rule'`,
/// `lookup 'user-profile'`), in tree order.
pub fn path_uses(tree: &Tree, name: &str) -> Vec<String> {
    let graph_lookups = tree
        .lookups()
        .filter(|(_, l)| l.provider == Provider::Graph)
        .map(|(_, l)| (format!("lookup '{}'", l.id.value), &l.query.value));
    let actions = tree
        .actions()
        .map(|(_, a)| (format!("action '{}'", a.id.value), &a.path.value));
    graph_lookups
        .chain(actions)
        .filter(|(_, template)| in_path(template, name))
        .map(|(owner, _)| owner)
        .collect()
}

fn in_path(template: &str, name: &str) -> bool {
    // A malformed template is the tree check's to report; it takes no value.
    scan(template, Target::GraphPath).is_ok_and(|pieces| {
        pieces.iter().any(|p| {
            matches!(p, Piece::Placeholder { name: n, context, .. }
                if n == name && context.in_url_path())
        })
    })
}

/// The canonical value of `raw` for the tree's variable `name`, or why it
/// is refused: invalid for its type, or unable to stay one path segment
/// where the tree uses it in a URL path (the first such call is named).
/// An undeclared name is checked as free text.
pub fn accept(tree: &Tree, name: &str, raw: &str) -> Result<String, EntryError> {
    let var_type = tree
        .variable(name)
        .map_or(crate::tree::model::VarType::String, |v| v.var_type);
    let canonical = value::normalize(var_type, raw)?;
    if let Err(source) = check_path_segment(&canonical)
        && let Some(owner) = path_uses(tree, name).into_iter().next()
    {
        return Err(EntryError::UnsafeInPath { owner, source });
    }
    Ok(canonical)
}
