//! What a lookup or an action needs from the responder's identity: Graph
//! permissions, Microsoft Entra directory roles, Azure RBAC roles on the
//! workspace. Read from `requires = { graph = [...], entra_roles = [...],
//! azure_rbac = [...] }` and checked against the provider it serves.

use super::fields::{Name, Obj, Reader};
use super::model::{At, Provider, Requires};
use toml::de::DeValue;

const REQUIRES_KEYS: &[&str] = &["graph", "entra_roles", "azure_rbac"];

/// What calls the thing being read: a lookup's provider, or an action (a
/// Graph write).
#[derive(Debug, Clone, Copy)]
pub(super) enum Caller {
    Lookup(Provider),
    Action,
}

/// Reads `requires` of `obj` (absent: empty) and reports entries that are
/// blank, misshapen or wrong for the caller.
pub(super) fn read_requires(r: &mut Reader, obj: &Obj, caller: Caller) -> Requires {
    let Some(value) = obj.get("requires") else {
        return Requires::default();
    };
    let DeValue::Table(table) = value.get_ref() else {
        r.report(
            value.span(),
            format!(
                "requires of {} must be a table (requires = {{ graph = [...], entra_roles = [...], azure_rbac = [...] }}), found {}",
                obj.what,
                value.get_ref().type_str()
            ),
        );
        return Requires::default();
    };
    let what = Name::Key {
        key: "requires",
        owner: &obj.what,
    };
    let inner = Obj {
        table,
        span: value.span(),
        what,
    };
    r.known_keys(&inner, REQUIRES_KEYS);
    let mut read = |key: &str| -> Vec<At<String>> {
        let list = r.strings(&inner, key);
        for entry in &list {
            if entry.value.trim().is_empty() {
                r.report(
                    entry.span.clone(),
                    format!("an entry of '{key}' in {} is blank", inner.what),
                );
            }
        }
        list
    };
    let requires = Requires {
        graph: read("graph"),
        entra_roles: read("entra_roles"),
        azure_rbac: read("azure_rbac"),
    };
    for p in &requires.graph {
        if !p.value.trim().is_empty() && !is_graph_permission(&p.value) {
            r.report(
                p.span.clone(),
                format!(
                    "'{}' in {} is not a Graph permission name (like User.Read.All or ThreatHunting.Read.All)",
                    p.value, inner.what
                ),
            );
        }
    }
    let span = value.span();
    match caller {
        Caller::Lookup(Provider::LogAnalytics) => {
            if requires.azure_rbac.is_empty() {
                r.report(
                    span.clone(),
                    format!(
                        "{} runs in a Log Analytics workspace: its requires needs an azure_rbac role (e.g. \"Log Analytics Reader\")",
                        obj.what
                    ),
                );
            }
            if let Some(p) = requires.graph.first() {
                r.report(
                    p.span.clone(),
                    format!(
                        "{} runs in a Log Analytics workspace, which Graph permissions do not open: use azure_rbac",
                        obj.what
                    ),
                );
            }
        }
        Caller::Lookup(_) | Caller::Action => {
            if requires.graph.is_empty() {
                r.report(
                    span,
                    format!(
                        "{} calls Microsoft Graph: its requires needs a graph permission",
                        obj.what
                    ),
                );
            }
        }
    }
    requires
}

/// `Resource.Operation[.Scope]`: dot-separated words, each starting with a
/// capital letter.
fn is_graph_permission(name: &str) -> bool {
    let parts: Vec<&str> = name.split('.').collect();
    parts.len() >= 2
        && parts.iter().all(|p| {
            p.chars().next().is_some_and(|c| c.is_ascii_uppercase())
                && p.chars().all(|c| c.is_ascii_alphanumeric())
        })
}

#[cfg(test)]
mod tests {
    use super::is_graph_permission;

    #[test]
    fn graph_permission_names() {
        for ok in [
            "User.Read.All",
            "ThreatHunting.Read.All",
            "User.RevokeSessions.All",
            "MailboxSettings.Read",
        ] {
            assert!(is_graph_permission(ok), "{ok}");
        }
        for bad in [
            "User",
            "user.read.all",
            "User.Read.",
            "User Read",
            "User.Read-All",
            "",
        ] {
            assert!(!is_graph_permission(bad), "{bad}");
        }
    }
}
