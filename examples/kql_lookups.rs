//! Writes every KQL lookup of every shipped tree as JSON on stdout, for the
//! CI check with Microsoft's Kusto language service (tools/kql-check):
//! the query as Cairn sends it (typed sample values substituted and
//! escaped), where it runs, and the columns its binds read.
//!
//! `cargo run --example kql_lookups > target/kql-lookups.json`

use cairn::lookup::preflight::sample_values;
use cairn::lookup::substitute::render_lookup;
use cairn::tree::{Provider, load::parse};
use serde_json::json;

fn main() -> Result<(), Box<dyn std::error::Error>> {
    let mut lookups = Vec::new();
    for source in cairn::tree::catalog::shipped() {
        let tree = parse(&source.origin, &source.text).map_err(|d| d.to_string())?;
        let values = sample_values(&tree);
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
