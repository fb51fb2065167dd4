//! Generated trees (1,000 and 10,000 nodes) as TOML text, shared by the tree loading
//! benchmark (`benches/tree_load.rs`) and the instruction-count harness
//! (`examples/tree_load_profile.rs`).

use std::fmt::Write as _;

/// Which nodes carry what: a node gets an item when `index % every == 0`.
pub struct Mix {
    pub body_every: usize,
    pub lookup_every: usize,
    pub action_every: usize,
}

pub const FULL: Mix = Mix {
    body_every: 1,
    lookup_every: 1,
    action_every: 50,
};
pub const SPARSE: Mix = Mix {
    body_every: 4,
    lookup_every: 10,
    action_every: 50,
};

/// A valid tree of `blocks` × 5 nodes. Each block: two steps, a decision
/// (into the block or on to the next block), a step and an outcome, so every
/// node is reachable and can reach an outcome.
pub fn generate(blocks: usize, mix: &Mix) -> String {
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
