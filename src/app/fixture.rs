//! A small two-language tree built in code, and a stand-in store, for unit tests.

use std::sync::Arc;

use chrono::{DateTime, Utc};

use crate::app::*;
use crate::store::event::{Event, EventKind, Mode};
use crate::tree::{
    At, ChecklistItem, Choice, HttpMethod, Localized, Lookup, Node, NodeKind, OutcomeStatus, Phase,
    Provider, Requires, Tree, VarType, Variable,
};

fn loc(en: &str, ja: &str) -> Localized {
    let mut l = Localized::single("en", en);
    l.texts.insert("ja", ja);
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
        opens: None,
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
        requires: Requires {
            azure_rbac: vec![at("Log Analytics Reader")],
            ..Requires::default()
        },
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
    contain.actions.push(crate::tree::Action {
        id: at("revoke-sessions"),
        title: loc("Revoke sign-in sessions", "サインイン セッションを取り消す"),
        method: HttpMethod::Post,
        path: at("/users/{{upn}}/revokeSignInSessions"),
        body: None,
        description: loc("Invalidates refresh tokens.", "更新トークンを無効にする。"),
        destructive: true,
        confirm: Some(at("upn")),
        requires: Requires {
            graph: vec![at("User.RevokeSessions.All")],
            entra_roles: vec![at("User Administrator")],
            ..Requires::default()
        },
        approval: None,
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
            scope: None,
        }],
        nodes: vec![triage, contain, closed, contained],
        approval: Default::default(),
    })
}

pub fn now() -> DateTime<Utc> {
    DateTime::from_timestamp(1_780_000_000, 0).unwrap()
}

pub fn state() -> State {
    State::new(Keymap::load(None).unwrap(), vec![mini_tree()], "en", now())
}

pub use crate::test_app::{code, ctrl, key};

/// An event as the stand-in store records it, at the fixed test time.
pub fn event(seq: u64, kind: EventKind) -> Event {
    Event::stand_in(seq, now(), kind)
}

/// A stand-in store: numbers events and confirms (or fails) every write.
pub struct Harness {
    pub state: State,
    pub seq: u64,
    pub recorded: Vec<EventKind>,
    pub fail_writes: bool,
}

impl Harness {
    pub fn new() -> Self {
        Harness {
            state: state(),
            seq: 0,
            recorded: Vec::new(),
            fail_writes: false,
        }
    }

    /// An incident opened on the mini tree, at its start node.
    pub fn opened() -> Self {
        Self::opened_with(mini_tree(), Vec::new())
    }

    /// The mini tree's fresh incident opened while the store refuses
    /// writes (a full disk): entering the start node is not recorded.
    pub fn opened_while_writes_fail() -> Self {
        let mut h = Harness::new();
        h.fail_writes = true;
        h.open(mini_tree(), Vec::new())
    }

    /// A practice incident opened on `tree`, at its start node.
    pub fn opened_on(tree: Arc<Tree>) -> Self {
        Self::opened_with(tree, Vec::new())
    }

    /// An incident at `triage` that was closed (by `cairn close` or another
    /// screen) before this screen opened it.
    pub fn opened_closed() -> Self {
        let stored = [
            EventKind::NodeEntered {
                node: "triage".into(),
            },
            EventKind::IncidentClosed { summary: None },
        ];
        let events: Vec<Event> = (1..)
            .zip(stored)
            .map(|(seq, kind)| {
                let mut event = event(seq, kind);
                event.actor.user = "kim".into();
                event
            })
            .collect();
        let mut h = Self::opened_with(mini_tree(), events);
        h.seq = 2;
        h
    }

    /// The mini tree's incident opened again with the events `recorded`
    /// (numbered from 1 in order), as `cairn open ID` finds them.
    pub fn reopened(recorded: Vec<EventKind>) -> Self {
        let events = (1..).zip(recorded).map(|(seq, kind)| event(seq, kind));
        Self::opened_with(mini_tree(), events.collect())
    }

    fn opened_with(tree: Arc<Tree>, events: Vec<Event>) -> Self {
        Harness::new().open(tree, events)
    }

    fn open(mut self, tree: Arc<Tree>, events: Vec<Event>) -> Self {
        // The stand-in store holds these events: its next seq follows them.
        self.seq = events.last().map_or(0, |e| e.seq);
        let meta = IncidentMeta {
            id: "INC-1".into(),
            title: "Test".into(),
            tree_id: "mini".into(),
            mode: Mode::Practice,
            language: "en".into(),
            created_at: now(),
        };
        let loaded = LoadedIncident {
            meta,
            tree,
            state: crate::store::IncidentState::from_events(&events),
            scenario: None,
        };
        self.send(Msg::IncidentOpened(Ok(Box::new(LoadedIncidentMsg(loaded)))));
        self
    }

    /// Sends a message and answers every store write it causes; returns the
    /// effects that were not writes.
    pub fn send(&mut self, msg: Msg) -> Vec<Effect> {
        let mut others = Vec::new();
        let mut queue = vec![msg];
        while let Some(msg) = queue.pop() {
            for effect in update(&mut self.state, msg) {
                match effect {
                    Effect::Record {
                        req,
                        based_on,
                        kinds,
                        ..
                    } => {
                        let result = if self.fail_writes {
                            Err(WriteError::Failed("disk full".to_string()))
                        } else {
                            self.store(based_on, kinds)
                        };
                        queue.insert(0, Msg::Recorded { req, result });
                    }
                    other => others.push(other),
                }
            }
        }
        others
    }

    /// Numbers and keeps a batch as the store would, refusing it when it was
    /// based on a head other than the last event.
    fn store(
        &mut self,
        based_on: Option<u64>,
        kinds: Vec<EventKind>,
    ) -> Result<Vec<Event>, WriteError> {
        if let Some(seen) = based_on
            && seen != self.seq
        {
            return Err(WriteError::Stale {
                actor: "other@host".into(),
                at: now(),
            });
        }
        Ok(kinds
            .into_iter()
            .map(|kind| {
                self.seq += 1;
                self.recorded.push(kind.clone());
                event(self.seq, kind)
            })
            .collect())
    }

    /// Carries out effects an update returned (as `send` does for its
    /// own): writes are answered, the others returned.
    pub fn send_effects(&mut self, effects: Vec<Effect>) -> Vec<Effect> {
        let mut others = Vec::new();
        for effect in effects {
            match effect {
                Effect::Record { .. } => others.extend(self.commit(effect)),
                other => others.push(other),
            }
        }
        others
    }

    /// Sends a message without answering its store writes: they stay in
    /// flight (returned with the other effects) until `commit`.
    pub fn hold(&mut self, msg: Msg) -> Vec<Effect> {
        update(&mut self.state, msg)
    }

    /// Commits a write `hold` returned, as the store would, and feeds the
    /// confirmation back; returns the effects that were not writes.
    pub fn commit(&mut self, effect: Effect) -> Vec<Effect> {
        let Effect::Record {
            req,
            based_on,
            kinds,
            ..
        } = effect
        else {
            panic!("not a write: {effect:?}")
        };
        let result = self.store(based_on, kinds);
        self.send(Msg::Recorded { req, result })
    }

    /// Types `text` one key at a time.
    pub fn type_text(&mut self, text: &str) {
        for c in text.chars() {
            self.send(key(c));
        }
    }

    pub fn current(&self) -> &str {
        self.state.incident.as_ref().unwrap().current_node_id()
    }
}
