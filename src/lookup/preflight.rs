//! `cairn preflight`: before an incident, does the responder's tenant hold
//! what a tree needs? Every KQL lookup runs as a zero-row probe (the query
//! with `| take 0`, over its own window), so a missing table or a column
//! that does not resolve shows up as the service's error; the Graph token's
//! scopes and roles are compared with each call's declared permissions.

use std::collections::{BTreeMap, BTreeSet};

use super::auth::Resource;
use super::auth::claims::TokenClaims;
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
}

impl Status {
    pub fn name(self) -> &'static str {
        match self {
            Status::Ok => "ok",
            Status::Missing => "MISSING",
            Status::Error => "ERROR",
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
        self.rows.iter().all(|r| r.status == Status::Ok)
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
        let missing = self.rows.iter().filter(|r| r.status != Status::Ok).count();
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
    let granted = match client.tokens.token(Resource::Graph, false).await {
        Ok(token) => TokenClaims::of(token.secret()).map(|c| c.permissions()),
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
            let (status, detail) = match &granted {
                Err(e) => (Status::Error, format!("cannot read the Graph token: {e}")),
                Ok(have) => check_permissions(requires, have),
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
