//! A fixed amount of tree loading work for profilers: generates the
//! benchmark's tree (`sparse` unless the first argument says `full`; of
//! 10,000 nodes unless the third argument gives another count) and loads it
//! (parse + validate) a given number of times (second argument, default 5).
//! Instruction counts from callgrind do not depend on the machine's load,
//! unlike the benchmark's timings:
//!
//! ```sh
//! cargo build --release --example tree_load_profile
//! valgrind --tool=callgrind --toggle-collect='tree_load_profile::load_once' \
//!     target/release/examples/tree_load_profile sparse 5
//! ```
//!
//! The collected instructions divided by the runs are one load.

#[path = "../benches/support/tree_gen.rs"]
mod tree_gen;

fn main() {
    let mut args = std::env::args().skip(1);
    let mix = match args.next().as_deref() {
        Some("full") => &tree_gen::FULL,
        _ => &tree_gen::SPARSE,
    };
    let runs: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(5);
    let nodes: usize = args.next().and_then(|n| n.parse().ok()).unwrap_or(10_000);
    // The generator makes nodes in blocks of five.
    let source = tree_gen::generate(nodes / 5, mix);
    let loaded: usize = (0..runs).map(|_| load_once(&source)).sum();
    println!("{runs} loads of {} bytes, {loaded} nodes", source.len());
}

/// One load as the benchmark times it: parse, validate, free the tree.
#[inline(never)]
fn load_once(source: &str) -> usize {
    let tree = cairn::tree::load::parse("bench.toml", std::hint::black_box(source))
        .unwrap_or_else(|d| panic!("generated tree: {d}"));
    tree.nodes.len()
}
