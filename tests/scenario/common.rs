//! A small tree built in code (the fixtures' tree), and helpers.

use cairn::scenario::{self, Diagnostics, Scenario};
use cairn::tree::*;

fn loc(en: &str, ja: &str) -> Localized {
    let texts = [("en", en), ("ja", ja)].into_iter().collect();
    Localized { texts, span: 0..0 }
}

fn at(s: &str) -> At<String> {
    At::new(s.to_string(), 0..0)
}

fn node(id: &str, phase: Phase, title: &str, kind: NodeKind) -> Node {
    Node {
        id: at(id),
        phase,
        title: loc(title, &format!("{title} (ja)")),
        body: Localized::default(),
        kind,
        checklist: Vec::new(),
        lookups: Vec::new(),
        actions: Vec::new(),
        references: Vec::new(),
        attack: Vec::new(),
        span: 0..0,
    }
}

fn decision(choices: &[(&str, &str, &str)]) -> NodeKind {
    NodeKind::Decision {
        choices: choices
            .iter()
            .map(|(id, label, next)| Choice {
                id: at(id),
                label: loc(label, &format!("{label} (ja)")),
                next: at(next),
                opens: None,
            })
            .collect(),
    }
}

fn item(id: &str, text: &str, mandatory: bool) -> ChecklistItem {
    ChecklistItem {
        id: at(id),
        text: loc(text, &format!("{text} (ja)")),
        mandatory,
    }
}

/// `mini`: triage → (legit: benign | suspicious: scope) ; scope → contain ;
/// contain → (revoke: recover | watch: scope) ; recover → done.
pub fn mini_tree() -> Tree {
    let mut triage = node(
        "triage",
        Phase::Triage,
        "Did the user sign in?",
        decision(&[
            ("legit", "Yes, legitimate", "benign"),
            ("suspicious", "No or unsure", "scope"),
        ]),
    );
    triage
        .checklist
        .push(item("asked-user", "User contacted out of band", true));
    triage.lookups.push(Lookup {
        id: at("recent-signins"),
        title: loc("Recent sign-ins", "最近のサインイン"),
        provider: Provider::LogAnalytics,
        query: at("SigninLogs | where UserPrincipalName =~ '{{upn}}'"),
        window: Some(at("7d")),
        look_for: loc("Unfamiliar IPs", "見慣れない IP"),
        bind: Vec::new(),
        requires: Default::default(),
    });
    let mut scope = node(
        "scope",
        Phase::Investigate,
        "Scope the compromise",
        NodeKind::Step {
            next: at("contain"),
        },
    );
    scope
        .checklist
        .push(item("reviewed-mfa", "MFA methods reviewed", false));
    let mut contain = node(
        "contain",
        Phase::Contain,
        "Contain now?",
        decision(&[
            ("revoke", "Revoke sessions", "recover"),
            ("watch", "Keep watching", "scope"),
        ]),
    );
    contain.actions.push(Action {
        id: at("revoke-sessions"),
        title: loc("Revoke sessions", "セッション取り消し"),
        method: HttpMethod::Post,
        path: at("/users/{{upn}}/revokeSignInSessions"),
        body: None,
        description: loc("Invalidates refresh tokens", "更新トークンを無効化"),
        destructive: true,
        confirm: Some(at("upn")),
        requires: Default::default(),
        approval: None,
    });
    let mut recover = node(
        "recover",
        Phase::Recover,
        "Recover the account",
        NodeKind::Step { next: at("done") },
    );
    recover
        .checklist
        .push(item("reset-password", "Password reset", true));
    recover
        .checklist
        .push(item("remove-method", "Rogue MFA method removed", false));
    let done = node(
        "done",
        Phase::Close,
        "Contained and recovered",
        NodeKind::Outcome {
            status: OutcomeStatus::ContainedAndRecovered,
        },
    );
    let benign = node(
        "benign",
        Phase::Close,
        "No compromise",
        NodeKind::Outcome {
            status: OutcomeStatus::NoCompromise,
        },
    );
    Tree {
        id: at("mini"),
        version: "1.0.0".to_string(),
        title: loc("Mini playbook", "ミニ プレイブック"),
        languages: vec!["en".to_string(), "ja".to_string()],
        sources: Vec::new(),
        start: at("triage"),
        variables: vec![
            Variable {
                name: at("upn"),
                var_type: VarType::Upn,
                description: loc("UPN", "UPN"),
                required: true,
                scope: None,
            },
            Variable {
                name: at("attacker_ip"),
                var_type: VarType::Ip,
                description: loc("Attacker IP", "攻撃者 IP"),
                required: false,
                scope: None,
            },
        ],
        nodes: vec![triage, scope, contain, recover, done, benign],
        approval: Default::default(),
    }
}

pub fn fixture(name: &str) -> String {
    let path = format!(
        "{}/tests/fixtures/scenario/{name}",
        env!("CARGO_MANIFEST_DIR")
    );
    std::fs::read_to_string(&path).unwrap_or_else(|e| panic!("{path}: {e}"))
}

pub fn load_fixture(name: &str) -> Result<Scenario, Diagnostics> {
    let tree = mini_tree();
    scenario::load(name, &fixture(name), &[&tree])
}

pub fn valid() -> Scenario {
    load_fixture("valid.toml").unwrap_or_else(|d| panic!("{d}"))
}

/// `line:col: message` for each problem: what the tests compare.
pub fn summaries(d: &Diagnostics) -> Vec<String> {
    d.iter()
        .map(|d| format!("{}:{}: {}", d.line, d.column, d.message))
        .collect()
}
