//! Load + validate a generated 10,000-node tree (target: <= 50 ms).
//! Run: `cargo bench --bench tree_load`.
//!
//! Two mixes of the same 10,000-node shape: `full` gives every step and
//! decision a bilingual body, a checklist item and a lookup (about 6 MB of
//! TOML); `sparse` gives every node a bilingual title, one node in four a
//! body, one in ten a lookup and a checklist item (about 2 MB). The `toml`
//! crate's parser alone is benched on both for comparison: well-formed trees
//! are read by Cairn's fast reader, and the `toml` crate only parses files
//! that reader declines (syntax errors and unusual TOML).

use criterion::{Criterion, criterion_group, criterion_main};

use cairn::tree::load::parse;

#[path = "support/tree_gen.rs"]
mod tree_gen;

use tree_gen::{FULL, SPARSE, generate};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("tree_load");
    group.sample_size(10);
    for (name, mix) in [("sparse", &SPARSE), ("full", &FULL)] {
        let source = generate(2000, mix);
        let tree = parse("bench.toml", &source).unwrap_or_else(|d| panic!("generated tree: {d}"));
        assert_eq!(tree.nodes.len(), 10_000);
        eprintln!(
            "{name}: {} nodes, {} lookups, {} bytes",
            tree.nodes.len(),
            tree.lookups().count(),
            source.len()
        );
        group.bench_function(format!("parse_and_validate_10k_{name}"), |b| {
            b.iter(|| parse("bench.toml", std::hint::black_box(&source)).map(|t| t.nodes.len()))
        });
        group.bench_function(format!("toml_parse_only_10k_{name}"), |b| {
            b.iter(|| {
                toml::de::DeTable::parse(std::hint::black_box(&source)).map(|t| t.get_ref().len())
            })
        });
    }
    // The real playbook, for scale.
    for source in cairn::tree::catalog::shipped() {
        let name = source.origin.trim_start_matches("shipped:").to_string();
        group.bench_function(format!("parse_and_validate_{name}"), |b| {
            b.iter(|| {
                parse(&source.origin, std::hint::black_box(&source.text)).map(|t| t.nodes.len())
            })
        });
    }
    group.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
