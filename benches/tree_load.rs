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

use std::fmt::Write as _;

use criterion::{Criterion, criterion_group, criterion_main};

use cairn::tree::load::parse;

/// Which nodes carry what: a node gets an item when `index % every == 0`.
struct Mix {
    body_every: usize,
    lookup_every: usize,
    action_every: usize,
}

const FULL: Mix = Mix {
    body_every: 1,
    lookup_every: 1,
    action_every: 50,
};
const SPARSE: Mix = Mix {
    body_every: 4,
    lookup_every: 10,
    action_every: 50,
};

/// A valid tree of `blocks` × 5 nodes. Each block: two steps, a decision
/// (into the block or on to the next block), a step and an outcome, so every
/// node is reachable and can reach an outcome.
fn generate(blocks: usize, mix: &Mix) -> String {
    let n = blocks * 5;
    let mut s = String::with_capacity(n * 700);
    s.push_str(
        "[tree]\nid = \"bench\"\nversion = \"1.0.0\"\nlanguages = [\"en\", \"ja\"]\n\
         start = \"n0\"\ntitle = { en = \"Benchmark\", ja = \"ベンチマーク\" }\n\n\
         [[variables]]\nname = \"upn\"\ntype = \"upn\"\nrequired = true\n\
         description = { en = \"User\", ja = \"ユーザー\" }\n\n",
    );
    let phases = ["triage", "investigate", "contain", "recover", "close"];
    for i in 0..n {
        let phase = phases[(i * phases.len()) / n];
        let kind = match i % 5 {
            2 => "decision",
            4 => "outcome",
            _ => "step",
        };
        let _ = write!(
            s,
            "[[nodes]]\nid = \"n{i}\"\nphase = \"{phase}\"\nkind = \"{kind}\"\n\
             title = {{ en = \"Node {i}: check the sign-ins\", ja = \"ノード {i}: サインインを確認\" }}\n"
        );
        if i % mix.body_every == 0 {
            let _ = write!(
                s,
                "body.en = \"Look at **node {i}** and the `SigninLogs` rows.\"\n\
                 body.ja = \"**ノード {i}** と `SigninLogs` の行を確認する。\"\n"
            );
        }
        match kind {
            "outcome" => s.push_str("status = \"contained\"\n"),
            "step" => {
                let _ = writeln!(s, "next = \"n{}\"", i + 1);
            }
            _ => {}
        }
        if kind != "outcome" && i % mix.lookup_every == 0 {
            let _ = write!(
                s,
                "\n[[nodes.checklist]]\nid = \"c{i}\"\ntext = {{ en = \"Checked {i}\", ja = \"確認済み {i}\" }}\nmandatory = true\n\
                 \n[[nodes.lookups]]\nid = \"l{i}\"\ntitle = {{ en = \"Sign-ins {i}\", ja = \"サインイン {i}\" }}\n\
                 provider = \"loganalytics\"\n\
                 query = \"SigninLogs | where UserPrincipalName =~ '{{{{upn}}}}' | take {i}\"\n\
                 window = \"7d\"\nlook_for = {{ en = \"Odd IPs\", ja = \"不審な IP\" }}\n"
            );
        }
        if kind == "decision" {
            let far = (i + 3).min(n - 1);
            let _ = write!(
                s,
                "\n[[nodes.choices]]\nid = \"stay\"\nlabel = {{ en = \"Stay\", ja = \"続ける\" }}\nnext = \"n{}\"\n\
                 \n[[nodes.choices]]\nid = \"move\"\nlabel = {{ en = \"Move on\", ja = \"次へ\" }}\nnext = \"n{far}\"\n",
                i + 1
            );
        }
        if kind == "step" && i % mix.action_every == 0 {
            let _ = write!(
                s,
                "\n[[nodes.actions]]\nid = \"revoke\"\ntitle = {{ en = \"Revoke\", ja = \"取り消し\" }}\n\
                 method = \"POST\"\npath = \"/users/{{{{upn}}}}/revokeSignInSessions\"\n\
                 description = {{ en = \"Revokes tokens\", ja = \"トークンを取り消す\" }}\n\
                 destructive = true\nconfirm = \"upn\"\n"
            );
        }
        s.push('\n');
    }
    s
}

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
