//! Load + validate generated trees. Target: a 1,000-node bilingual tree
//! (ten times the largest real playbook) in <= 20 ms. The 10,000-node
//! figures are information only. Run: `cargo bench --bench tree_load`.
//!
//! Two mixes of the same shape: `full` gives every step and decision a
//! bilingual body, a checklist item and a lookup; `sparse` gives every node
//! a bilingual title, one node in four a body, one in ten a lookup and a
//! checklist item. The `toml` crate's parse alone is benched next to them:
//! it is the first stage of every load.

use criterion::{Criterion, criterion_group, criterion_main};

use cairn::tree::load::parse;

#[path = "support/tree_gen.rs"]
mod tree_gen;

use tree_gen::{FULL, SPARSE, generate};

fn bench(c: &mut Criterion) {
    let mut group = c.benchmark_group("tree_load");
    group.sample_size(10);
    for (nodes, label) in [(1_000, "1k"), (10_000, "10k")] {
        for (name, mix) in [("sparse", &SPARSE), ("full", &FULL)] {
            let source = generate(nodes / 5, mix);
            let tree =
                parse("bench.toml", &source).unwrap_or_else(|d| panic!("generated tree: {d}"));
            assert_eq!(tree.nodes.len(), nodes);
            eprintln!(
                "{label} {name}: {} nodes, {} lookups, {} bytes",
                tree.nodes.len(),
                tree.lookups().count(),
                source.len()
            );
            group.bench_function(format!("parse_and_validate_{label}_{name}"), |b| {
                b.iter(|| parse("bench.toml", std::hint::black_box(&source)).map(|t| t.nodes.len()))
            });
            group.bench_function(format!("toml_parse_only_{label}_{name}"), |b| {
                b.iter(|| {
                    toml::de::DeTable::parse(std::hint::black_box(&source))
                        .map(|t| t.get_ref().len())
                })
            });
        }
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
