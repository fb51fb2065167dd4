//! `cairn preflight`: before an incident, does the responder's tenant hold
//! what a tree needs? Every KQL lookup runs as a zero-row probe (the query
//! with `| take 0`, over its own window), so a missing table or a column
//! that does not resolve shows up as the service's error; each table read
//! is counted (`preflight_tables`), so an empty one shows too; the Graph
//! token's scopes, app roles and directory roles (`wids`) are compared with
//! each call's declared Graph permissions and Entra roles.

use std::collections::{BTreeMap, BTreeSet};

use super::auth::Resource;
use super::auth::claims::TokenClaims;
use super::auth::directory_roles::{GLOBAL_ADMINISTRATOR, template_id};
use super::error::LookupError;
use super::http::ApiClient;
use super::substitute::{render_lookup, window_timespan};
use super::{hunting, loganalytics};
use crate::tree::{Provider, Requires, Tree, VarType};

/// A value of each type that passes Cairn's validation, for probes and for
/// the CI export of queries; the string carries both quote kinds so the
/// escaping is exercised too.
pub fn sample_value(ty: VarType) -> &'static str {
    match ty {
        VarType::Upn => "alex.wilber@contoso.example",
        VarType::Guid => "3ddfcfc8-9383-446f-83cc-3ab9be4be18f",
        VarType::Ip => "203.0.113.77",
        VarType::Datetime => "2026-11-25T08:00:00Z",
        VarType::Timespan => "1d",
        VarType::String => "it's \"odd\"",
    }
}

/// Sample values for every variable of `tree`.
pub fn sample_values(tree: &Tree) -> BTreeMap<String, String> {
    tree.variables
        .iter()
        .map(|v| (v.name.value.clone(), sample_value(v.var_type).to_string()))
        .collect()
}

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Status {
    Ok,
    /// Something the tree needs is not there: a table, a column, a permission.
    Missing,
    /// The probe could not tell (network, sign-in, an unexpected answer).
    Error,
    /// An event-driven table had no rows in the window: worth knowing, not
    /// a failure.
    Quiet,
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Missing => "MISSING",
            Status::Error => "ERROR",
            Status::Quiet => "quiet",
        }
    }
}

/// One line of the report.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Row {
    /// `loganalytics`, `hunting`, `graph` (a Graph read) or `action`.
    pub kind: &'static str,
    pub node: String,
    pub id: String,
    pub status: Status,
    pub detail: String,
}

#[derive(Debug, Clone, Default, PartialEq, Eq)]
pub struct Report {
    pub rows: Vec<Row>,
}

impl Report {
    pub fn all_ok(&self) -> bool {
        self.rows
            .iter()
            .all(|r| matches!(r.status, Status::Ok | Status::Quiet))
    }

    /// The report as an aligned plain-text table.
    pub fn render(&self) -> String {
        let width = |f: fn(&Row) -> usize, title: usize| {
            self.rows.iter().map(f).max().unwrap_or(0).max(title)
        };
        let (k, n, i) = (
            width(|r| r.kind.len(), 4),
            width(|r| r.node.chars().count(), 4),
            width(|r| r.id.chars().count(), 2),
        );
        let mut out = format!(
            "{:<k$}  {:<n$}  {:<i$}  {:<7}  detail\n",
            "kind", "node", "id", "status"
        );
        for r in &self.rows {
            out.push_str(&format!(
                "{:<k$}  {:<n$}  {:<i$}  {:<7}  {}\n",
                r.kind,
                r.node,
                r.id,
                r.status.name(),
                crate::text::visible(&r.detail, crate::text::Medium::Cli)
            ));
        }
        let missing = self
            .rows
            .iter()
            .filter(|r| !matches!(r.status, Status::Ok | Status::Quiet))
            .count();
        out.push_str(&format!("{} checks, {missing} not ok\n", self.rows.len()));
        out
    }
}

/// Probes every KQL lookup of `tree` and compares the Graph token with the
/// declared Graph permissions.
pub async fn run(tree: &Tree, client: &ApiClient) -> Report {
    let values = sample_values(tree);
    let mut rows = Vec::new();
    let mut probed: BTreeMap<(&str, String, Option<String>), (Status, String)> = BTreeMap::new();
    for (node, lookup) in tree.lookups() {
        if lookup.provider == Provider::Graph {
            continue;
        }
        let kind = lookup.provider.name();
        let rendered = render_lookup(lookup, &tree.variables, &values)
            .and_then(|r| Ok((r, window_timespan(lookup, None)?)));
        let (status, detail) = match rendered {
            Err(e) => (Status::Error, e.to_string()),
            Ok((r, timespan)) => {
                let key = (kind, r.text.clone(), timespan.clone());
                match probed.get(&key) {
                    Some(known) => known.clone(),
                    None => {
                        let outcome =
                            probe(client, lookup.provider, &r.text, timespan.as_deref()).await;
                        probed.insert(key, outcome.clone());
                        outcome
                    }
                }
            }
        };
        rows.push(Row {
            kind,
            node: node.id.value.clone(),
            id: lookup.id.value.clone(),
            status,
            detail,
        });
    }
    rows.extend(super::preflight_tables::table_rows(tree, client).await);
    rows.extend(permission_rows(tree, client).await);
    Report { rows }
}

async fn probe(
    client: &ApiClient,
    provider: Provider,
    query: &str,
    timespan: Option<&str>,
) -> (Status, String) {
    // A trailing comment would swallow the probe's operator: start it on its own line.
    let text = format!("{query}\n| take 0");
    let result = match provider {
        Provider::LogAnalytics => loganalytics::query(client, &text, timespan, None).await,
        _ => hunting::query(client, &text, timespan, None).await,
    };
    match result {
        Ok(_) => (Status::Ok, "resolves".into()),
        Err(LookupError::Api(e)) if e.status == 400 => {
            let why = e
                .inner
                .last()
                .map(|(_, m)| m.clone())
                .unwrap_or_else(|| e.message.clone());
            (
                Status::Missing,
                format!("does not resolve (table or column missing): {why}"),
            )
        }
        Err(LookupError::Api(e)) if e.status == 403 || e.status == 401 => (
            Status::Missing,
            format!("access refused ({}): {}", e.status, e.message),
        ),
        Err(e) => (Status::Error, e.to_string()),
    }
}

/// One row per Graph-calling lookup and action: are its declared Graph
/// permissions in the token?
async fn permission_rows(tree: &Tree, client: &ApiClient) -> Vec<Row> {
    let claims = match client.tokens.token(Resource::Graph, false).await {
        Ok(token) => TokenClaims::of(token.secret()),
        Err(e) => Err(e.to_string()),
    };
    let lookups = tree
        .lookups()
        .filter(|(_, l)| l.provider != Provider::LogAnalytics)
        .map(|(n, l)| (l.provider.name(), n, &l.id.value, &l.requires));
    let actions = tree
        .actions()
        .map(|(n, a)| ("action", n, &a.id.value, &a.requires));
    lookups
        .chain(actions)
        .map(|(kind, node, id, requires)| {
            let (status, detail) = match &claims {
                Err(e) => (Status::Error, format!("cannot read the Graph token: {e}")),
                Ok(claims) => {
                    let (s1, d1) = check_permissions(requires, &claims.permissions());
                    let (s2, d2) = check_roles(requires, claims);
                    (worse(s1, s2), format!("{d1}; {d2}"))
                }
            };
            Row {
                kind,
                node: node.id.value.clone(),
                id: id.clone(),
                status,
                detail,
            }
        })
        .collect()
}

fn check_permissions(requires: &Requires, have: &BTreeSet<String>) -> (Status, String) {
    let need: Vec<&str> = requires.graph.iter().map(|p| p.value.as_str()).collect();
    if need.is_empty() {
        return (Status::Ok, "declares no Graph permission".into());
    }
    match need.iter().find(|p| grants(have, p)) {
        Some(p) => (Status::Ok, format!("token has {p}")),
        None => (
            Status::Missing,
            format!("token lacks {}", need.join(" or ")),
        ),
    }
}

/// A delegated token (one with scopes) acts as the signed-in user, so the
/// user also needs one of the declared directory roles; an app-only token
/// has no `wids` and needs none.
fn check_roles(requires: &Requires, claims: &TokenClaims) -> (Status, String) {
    let need: Vec<&str> = requires
        .entra_roles
        .iter()
        .map(|r| r.value.as_str())
        .collect();
    if need.is_empty() {
        return (Status::Ok, "declares no Entra role".into());
    }
    if claims.scopes.is_empty() {
        return (
            Status::Ok,
            "app-only token: no directory role needed".into(),
        );
    }
    let held = &claims.directory_roles;
    if held.contains(GLOBAL_ADMINISTRATOR) {
        return (Status::Ok, "user is Global Administrator".into());
    }
    let mut unknown = Vec::new();
    for name in &need {
        match template_id(name) {
            Some(id) if held.contains(id) => return (Status::Ok, format!("user holds {name}")),
            Some(_) => {}
            None => unknown.push(*name),
        }
    }
    if !unknown.is_empty() {
        return (
            Status::Error,
            format!("unknown Entra role {} (no template id)", unknown.join(", ")),
        );
    }
    (
        Status::Missing,
        format!("user holds none of the roles {}", need.join(" or ")),
    )
}

fn worse(a: Status, b: Status) -> Status {
    let rank = |s: Status| match s {
        Status::Ok | Status::Quiet => 0,
        Status::Error => 1,
        Status::Missing => 2,
    };
    if rank(b) > rank(a) { b } else { a }
}

/// Whether `have` holds `need` or its read-write twin (`X.ReadWrite.All`
/// includes `X.Read.All`).
fn grants(have: &BTreeSet<String>, need: &str) -> bool {
    let twin: Vec<&str> = need
        .split('.')
        .map(|part| if part == "Read" { "ReadWrite" } else { part })
        .collect();
    have.contains(need) || have.contains(&twin.join("."))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn read_write_grants_read() {
        let have: BTreeSet<String> = [
            "Directory.ReadWrite.All".to_string(),
            "MailboxSettings.ReadWrite".to_string(),
        ]
        .into();
        assert!(grants(&have, "Directory.Read.All"));
        assert!(grants(&have, "MailboxSettings.Read"));
        assert!(!grants(&have, "User.Read.All"));
    }
}
