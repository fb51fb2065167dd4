//! Writes every KQL lookup of every shipped tree as JSON on stdout, for the
//! CI check with Microsoft's Kusto language service (tools/kql-check):
//! the query as Cairn sends it (typed sample values substituted and
//! escaped), where it runs, and the columns its binds read.
//!
//! `cargo run --example kql_lookups > target/kql-lookups.json`

use std::collections::BTreeMap;

use cairn::lookup::substitute::render_lookup;
use cairn::tree::{Provider, VarType, load::parse};
use serde_json::json;

/// A value of each type that passes Cairn's validation; the string one
/// carries both quote kinds so the escaping is exercised too.
fn sample(ty: VarType) -> &'static str {
    match ty {
        VarType::Upn => "alex.wilber@contoso.example",
        VarType::Guid => "3ddfcfc8-9383-446f-83cc-3ab9be4be18f",
        VarType::Ip => "203.0.113.77",
        VarType::Datetime => "2026-11-25T08:00:00Z",
        VarType::Timespan => "1d",
        VarType::String => "it's \"odd\"",
    }
}

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut lookups = Vec::new();
    for source in cairn::tree::catalog::shipped() {
        let tree = parse(&source.origin, &source.text).map_err(|d| d.to_string())?;
        let values: BTreeMap<String, String> = tree
            .variables
            .iter()
            .map(|v| (v.name.value.clone(), sample(v.var_type).to_string()))
            .collect();
        for (node, lookup) in tree.lookups() {
            let target = match lookup.provider {
                Provider::LogAnalytics => "loganalytics",
                Provider::Hunting => "hunting",
                Provider::Graph => continue,
            };
            let rendered = render_lookup(lookup, &tree.variables, &values)?;
            lookups.push(json!({
                "tree": tree.id.value,
                "node": node.id.value,
                "lookup": lookup.id.value,
                "target": target,
                "query": rendered.text,
                "bind": lookup.bind.iter().map(|b| b.column.as_str()).collect::<Vec<_>>(),
            }));
        }
    }
    println!("{}", serde_json::to_string_pretty(&lookups)?);
    Ok(())
}
