use chrono::{DateTime, Duration, Utc};

use super::*;
use crate::store::Event;
use crate::store::event::{Actor, EventKind};

const URL: &str = "https://graph.microsoft.com/v1.0/users/a%40contoso.com";
const BODY: &str = r#"{"accountEnabled": false}"#;

fn t0() -> DateTime<Utc> {
    DateTime::from_timestamp(1_800_000_000, 0).unwrap()
}

fn signer(oid: Option<&str>, actor: &str) -> Signer {
    Signer {
        oid: oid.map(str::to_string),
        upn: oid.map(|o| format!("{o}@contoso.com")),
        actor: actor.into(),
    }
}

struct Log {
    events: Vec<Event>,
}

impl Log {
    fn push(&mut self, minutes: i64, kind: EventKind) -> String {
        let seq = self.events.len() as u64 + 1;
        let hash = format!("{seq:0>64}");
        self.events.push(Event {
            seq,
            at: t0() + Duration::minutes(minutes),
            actor: Actor {
                user: "u".into(),
                host: "h".into(),
                ssh_client: None,
            },
            kind,
            prev_hash: String::new(),
            hash: hash.clone(),
        });
        crate::store::projection::proposal_id(&hash)
    }

    fn propose(&mut self, body: &str, proposer: Signer, policy: ApprovalPolicy) -> String {
        self.push(
            0,
            EventKind::ApprovalProposed {
                node: "contain".into(),
                action: "disable-user".into(),
                method: "PATCH".into(),
                url: URL.into(),
                body: Some(body.into()),
                request_sha256: request_sha256("PATCH", URL, Some(body)),
                proposer,
                policy: policy.name().into(),
                reason: "the account is signing in from two continents".into(),
                expires_at: t0() + DEFAULT_EXPIRY,
            },
        )
    }

    fn decide(&mut self, minutes: i64, proposal: &str, body: &str, approved: bool, who: Signer) {
        self.decide_from(minutes, proposal, body, approved, who, ApprovalSource::Here);
    }

    fn decide_from(
        &mut self,
        minutes: i64,
        proposal: &str,
        body: &str,
        approved: bool,
        approver: Signer,
        source: ApprovalSource,
    ) {
        self.push(
            minutes,
            EventKind::ApprovalDecided {
                proposal: proposal.into(),
                request_sha256: request_sha256("PATCH", URL, Some(body)),
                approved,
                approver,
                reason: "seen the sign-ins".into(),
                source,
            },
        );
    }

    fn state(&self) -> IncidentState {
        IncidentState::from_events(&self.events)
    }
}

fn log() -> Log {
    Log { events: Vec::new() }
}

fn kim() -> Signer {
    signer(Some("11111111-1111-1111-1111-111111111111"), "kim@soc-1")
}

fn mika() -> Signer {
    signer(Some("22222222-2222-2222-2222-222222222222"), "mika@soc-2")
}

fn hash(body: &str) -> String {
    request_sha256("PATCH", URL, Some(body))
}

#[test]
fn the_request_hash_covers_method_url_and_every_byte_of_the_body() {
    let base = hash(BODY);
    assert_eq!(base.len(), 64);
    assert_ne!(base, request_sha256("POST", URL, Some(BODY)));
    assert_ne!(
        base,
        request_sha256("PATCH", &format!("{URL}x"), Some(BODY))
    );
    assert_ne!(base, hash(&BODY.replace("false", "true")));
    assert_ne!(
        request_sha256("PATCH", URL, None),
        request_sha256("PATCH", URL, Some(""))
    );
}

#[test]
fn an_approval_by_another_identity_opens_the_gate() {
    let mut log = log();
    let p = log.propose(BODY, kim(), ApprovalPolicy::SecondPerson);
    assert!(matches!(
        gate(&log.state(), &hash(BODY), t0()),
        Err(Refusal::Pending(..))
    ));
    log.decide(5, &p, BODY, true, mika());
    let state = log.state();
    let (proposal, decision) = gate(&state, &hash(BODY), t0() + Duration::minutes(6)).unwrap();
    assert_eq!(proposal.id, p);
    assert_eq!(decision.approver, mika());
}

#[test]
fn an_approval_by_the_same_identity_is_refused() {
    let mut log = log();
    let p = log.propose(BODY, kim(), ApprovalPolicy::SecondPerson);
    // The same oid from another machine and actor is still the same person.
    let kim_elsewhere = signer(kim().oid.as_deref(), "kim@laptop");
    log.decide(5, &p, BODY, true, kim_elsewhere);
    let err = gate(&log.state(), &hash(BODY), t0() + Duration::minutes(6)).unwrap_err();
    assert!(
        err.to_string()
            .contains("the approver is the proposer: a second person must approve"),
        "{err}"
    );
}

#[test]
fn a_changed_request_body_invalidates_the_approval() {
    let mut log = log();
    let p = log.propose(BODY, kim(), ApprovalPolicy::SecondPerson);
    log.decide(5, &p, BODY, true, mika());
    let changed = BODY.replace("false", "true");
    let later = t0() + Duration::minutes(6);
    assert_eq!(
        gate(&log.state(), &hash(&changed), later).unwrap_err(),
        Refusal::NotProposed(hash(&changed))
    );
    // An approval naming another request than the proposal's never counts.
    let mut log2 = self::log();
    let p = log2.propose(BODY, kim(), ApprovalPolicy::SecondPerson);
    log2.decide(5, &p, &changed, true, mika());
    let err = gate(&log2.state(), &hash(BODY), later).unwrap_err();
    assert!(err.to_string().contains("the request changed"), "{err}");
}

#[test]
fn an_expired_proposal_never_opens_even_with_a_late_approval() {
    let mut log = log();
    let p = log.propose(BODY, kim(), ApprovalPolicy::SecondPerson);
    log.decide(31, &p, BODY, true, mika());
    let err = gate(&log.state(), &hash(BODY), t0() + Duration::minutes(32)).unwrap_err();
    assert!(matches!(err, Refusal::Expired(..)), "{err}");
    // Approved in time, but the request is sent after the expiry: refused too.
    let mut log = self::log();
    let p = log.propose(BODY, kim(), ApprovalPolicy::SecondPerson);
    log.decide(10, &p, BODY, true, mika());
    let err = gate(&log.state(), &hash(BODY), t0() + DEFAULT_EXPIRY).unwrap_err();
    assert!(matches!(err, Refusal::Expired(..)), "{err}");
}

#[test]
fn a_rejection_stops_the_proposal_even_after_an_approval() {
    let mut log = log();
    let p = log.propose(BODY, kim(), ApprovalPolicy::SecondPerson);
    log.decide(3, &p, BODY, true, mika());
    let lee = signer(Some("33333333-3333-3333-3333-333333333333"), "lee@soc-3");
    log.decide(4, &p, BODY, false, lee);
    let err = gate(&log.state(), &hash(BODY), t0() + Duration::minutes(5)).unwrap_err();
    assert!(matches!(err, Refusal::Rejected(..)), "{err}");
    assert!(err.to_string().contains("seen the sign-ins"), "{err}");
}

#[test]
fn an_approval_is_used_once_by_the_intent_that_names_it() {
    let mut log = log();
    let p = log.propose(BODY, kim(), ApprovalPolicy::SecondPerson);
    log.decide(3, &p, BODY, true, mika());
    log.push(
        4,
        EventKind::ActionIntended {
            node: "contain".into(),
            action: "disable-user".into(),
            method: "PATCH".into(),
            path: "/users/a%40contoso.com".into(),
            body: Some(BODY.into()),
            confirmation: "a@contoso.com".into(),
            simulated: false,
            approval: Some(p.clone()),
        },
    );
    let state = log.state();
    assert_eq!(state.actions[0].approval.as_deref(), Some(p.as_str()));
    assert_eq!(
        gate(&state, &hash(BODY), t0() + Duration::minutes(5)).unwrap_err(),
        Refusal::Used(p, 3)
    );
}

#[test]
fn same_host_accepts_a_second_local_actor_only_when_the_policy_allows() {
    for (policy, opens) in [
        (ApprovalPolicy::SameHost, true),
        (ApprovalPolicy::SecondPerson, false),
    ] {
        let mut log = log();
        let p = log.propose(BODY, signer(None, "kim@soc-1"), policy);
        log.decide(2, &p, BODY, true, signer(None, "mika@soc-1"));
        let state = log.state();
        let got = gate(&state, &hash(BODY), t0() + Duration::minutes(3));
        assert_eq!(got.is_ok(), opens, "{policy:?}: {got:?}");
        // The same actor twice never counts.
        let mut log = self::log();
        let p = log.propose(BODY, signer(None, "kim@soc-1"), policy);
        log.decide(2, &p, BODY, true, signer(None, "kim@soc-1"));
        assert!(gate(&log.state(), &hash(BODY), t0() + Duration::minutes(3)).is_err());
    }
    // A same-host policy still wants the second actor here, not a claim
    // read from a comment without a signed-in identity.
    let mut log = log();
    let p = log.propose(BODY, signer(None, "kim@soc-1"), ApprovalPolicy::SameHost);
    let source = ApprovalSource::Sentinel {
        comment: "c".into(),
        author: "x".into(),
    };
    log.decide_from(2, &p, BODY, true, signer(None, "x@y"), source);
    assert!(gate(&log.state(), &hash(BODY), t0() + Duration::minutes(3)).is_err());
}
