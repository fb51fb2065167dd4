//! A small two-language tree built in code for unit tests.

use std::sync::Arc;

use crate::tree::*;

fn loc(en: &str, ja: &str) -> Localized {
    let mut l = Localized::single("en", en);
    l.texts.insert("ja".into(), ja.into());
    l
}

fn at(s: &str) -> At<String> {
    At::new(s.to_string(), 0..0)
}

fn node(id: &str, phase: Phase, title: Localized, kind: NodeKind) -> Node {
    Node {
        id: at(id),
        phase,
        title,
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

fn choice(id: &str, label: Localized, next: &str) -> Choice {
    Choice {
        id: at(id),
        label,
        next: at(next),
    }
}

pub fn mini_tree() -> Arc<Tree> {
    let mut triage = node(
        "triage",
        Phase::Triage,
        loc("Did the user sign in?", "ユーザー本人のサインインか?"),
        NodeKind::Decision {
            choices: vec![
                choice("legit", loc("Yes, legitimate", "はい、正当"), "closed"),
                choice(
                    "not-legit",
                    loc("No or unsure", "いいえ、または不明"),
                    "contain",
                ),
            ],
        },
    );
    triage.body = loc(
        "Ask the user about the **unfamiliar** sign-in.",
        "見慣れないサインインについて**本人に確認**する。",
    );
    triage.checklist.push(ChecklistItem {
        id: at("asked-user"),
        text: loc("User contacted out of band", "別経路でユーザーに連絡した"),
        mandatory: true,
    });
    triage.checklist.push(ChecklistItem {
        id: at("ticket"),
        text: loc("Ticket opened", "チケットを起票した"),
        mandatory: false,
    });
    triage.lookups.push(Lookup {
        id: at("recent-signins"),
        title: loc("Recent sign-ins", "最近のサインイン"),
        provider: Provider::LogAnalytics,
        query: at("SigninLogs | where UserPrincipalName =~ '{{upn}}'"),
        window: Some(at("7d")),
        look_for: loc("Unfamiliar IPs.", "見慣れない IP。"),
        bind: Vec::new(),
    });
    let mut contain = node(
        "contain",
        Phase::Contain,
        loc(
            "Revoke the user's sessions",
            "ユーザーのセッションを取り消す",
        ),
        NodeKind::Step {
            next: at("contained"),
        },
    );
    contain.actions.push(Action {
        id: at("revoke-sessions"),
        title: loc("Revoke sign-in sessions", "サインイン セッションを取り消す"),
        method: HttpMethod::Post,
        path: at("/users/{{upn}}/revokeSignInSessions"),
        body: None,
        description: loc("Invalidates refresh tokens.", "更新トークンを無効にする。"),
        destructive: true,
        confirm: Some(at("upn")),
    });
    let closed = node(
        "closed",
        Phase::Close,
        loc("No compromise", "侵害なし"),
        NodeKind::Outcome {
            status: OutcomeStatus::NoCompromise,
        },
    );
    let contained = node(
        "contained",
        Phase::Close,
        loc("Contained", "封じ込め完了"),
        NodeKind::Outcome {
            status: OutcomeStatus::Contained,
        },
    );
    Arc::new(Tree {
        id: at("mini"),
        version: "1.0.0".into(),
        title: loc("Mini playbook", "ミニ プレイブック"),
        languages: vec!["en".into(), "ja".into()],
        sources: Vec::new(),
        start: at("triage"),
        variables: vec![Variable {
            name: at("upn"),
            var_type: VarType::Upn,
            description: loc("The affected user's UPN", "影響を受けたユーザーの UPN"),
            required: true,
        }],
        nodes: vec![triage, contain, closed, contained],
    })
}
