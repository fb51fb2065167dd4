//! Four eyes through the shared incident, with two (three) Cairn
//! instances on one Sentinel incident of the loopback mock: a proposal
//! pushed by one is reviewed and approved by another, whose decision comes
//! back as an event of the proposer's record; the same identity never
//! counts; a changed request, an expired or a rejected proposal never
//! opens the gate; and a run cut off after the approval leaves a state the
//! next open resolves.

use base64::Engine as _;
use base64::engine::general_purpose::URL_SAFE_NO_PAD;
use chrono::{Duration, Utc};

use cairn::store::approval::{DEFAULT_EXPIRY, Refusal, gate, request_sha256};
use cairn::store::event::{ApprovalSource, EventKind, Signer};
use cairn::store::projection::proposal_id;
use cairn::store::{IncidentId, Store};

use super::sentinel_attach::{Env, cairn, env_as, text};
use super::sentinel_mock::SentinelMock;

const KIM: &str = "11111111-1111-4111-8111-111111111111";
const MIKA: &str = "22222222-2222-4222-8222-222222222222";
const URL: &str = "https://graph.microsoft.com/v1.0/users/alex%40contoso.com";
const BODY: &str = r#"{"accountEnabled": false}"#;

/// A token the mock accepts as NAME's, whose claims carry `oid`.
fn jwt(name: &str, oid: &str) -> String {
    let claims = serde_json::json!({"oid": oid, "upn": format!("{name}@contoso.com")});
    format!(
        "sentinel-token-{name}.{}.x",
        URL_SAFE_NO_PAD.encode(claims.to_string())
    )
}

async fn attached(env: &Env) -> IncidentId {
    let out = cairn(env, &["new", "--tree", "token-theft", "--sentinel", "42"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    IncidentId::parse(text(&out.stdout).trim()).unwrap()
}

async fn sync(env: &Env, id: &IncidentId) {
    let out = cairn(env, &["sync", id.as_str()]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
}

fn kim() -> Signer {
    Signer {
        oid: Some(KIM.into()),
        upn: Some("kim@contoso.com".into()),
        actor: "kim@soc-1".into(),
    }
}

/// A proposal as the confirmation screen records it; returns its id.
fn propose(env: &Env, id: &IncidentId, body: &str, expires_in: Duration) -> String {
    let mut store = Store::open(&env.data).unwrap();
    let event = store
        .append(
            id,
            EventKind::ApprovalProposed {
                node: "containment-impact".into(),
                action: "disable-user".into(),
                method: "PATCH".into(),
                url: URL.into(),
                body: Some(body.into()),
                request_sha256: request_sha256("PATCH", URL, Some(body)),
                proposer: kim(),
                policy: "second-person".into(),
                reason: "sign-ins from two continents within the hour".into(),
                expires_at: Utc::now() + expires_in,
            },
        )
        .unwrap();
    proposal_id(&event.hash)
}

fn decisions(env: &Env, id: &IncidentId) -> Vec<EventKind> {
    Store::open(&env.data)
        .unwrap()
        .events(id)
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .filter(|k| matches!(k, EventKind::ApprovalDecided { .. }))
        .collect()
}

fn gate_now(env: &Env, id: &IncidentId, body: &str) -> Result<String, Refusal> {
    let state = Store::open(&env.data).unwrap().state(id).unwrap();
    gate(
        &state,
        &request_sha256("PATCH", URL, Some(body)),
        Utc::now(),
    )
    .map(|(_, d)| d.approver.oid.clone().unwrap_or_default())
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_teammate_approves_through_sentinel_and_the_same_identity_never_counts() {
    let mock = SentinelMock::start().await;
    let kim_env = env_as(&mock, &jwt("kim", KIM));
    let mika_env = env_as(&mock, &jwt("mika", MIKA));
    // Kim again, on a second machine: another record, the same identity.
    let kim2_env = env_as(&mock, &jwt("kim", KIM));
    let (kim_id, mika_id, kim2_id) = (
        attached(&kim_env).await,
        attached(&mika_env).await,
        attached(&kim2_env).await,
    );
    let proposal = propose(&kim_env, &kim_id, BODY, DEFAULT_EXPIRY);
    sync(&kim_env, &kim_id).await;
    sync(&mika_env, &mika_id).await;
    sync(&kim2_env, &kim2_id).await;

    // Mika sees it waiting and reviews the exact request and its hash.
    let out = cairn(&mika_env, &["approvals", mika_id.as_str()]).await;
    let listed = text(&out.stdout);
    assert!(listed.contains("1 pending approval"), "{listed}");
    assert!(
        listed.contains(&format!("{proposal}  waiting for your review")),
        "{listed}"
    );
    let out = cairn(&mika_env, &["approvals", mika_id.as_str(), &proposal]).await;
    let review = text(&out.stdout);
    assert!(
        review.contains(&format!("request     PATCH {URL}")),
        "{review}"
    );
    assert!(review.contains(BODY), "{review}");
    assert!(
        review.contains(&request_sha256("PATCH", URL, Some(BODY))),
        "{review}"
    );

    // Kim on the other machine may not approve Kim's own proposal.
    let out = cairn(
        &kim2_env,
        &["approve", kim2_id.as_str(), &proposal, "--reason", "me"],
    )
    .await;
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("the same identity cannot approve its own proposal"),
        "{}",
        text(&out.stderr)
    );
    assert!(decisions(&kim2_env, &kim2_id).is_empty());
    // Nor does a decision someone wrote in Mika's name from Kim's account
    // (Sentinel says Kim wrote it) count: it is not recorded at all.
    let mut kim2_store = Store::open(&kim2_env.data).unwrap();
    kim2_store
        .append(
            &kim2_id,
            EventKind::ApprovalDecided {
                proposal: proposal.clone(),
                request_sha256: request_sha256("PATCH", URL, Some(BODY)),
                approved: true,
                approver: Signer {
                    oid: Some(MIKA.into()),
                    upn: Some("mika@contoso.com".into()),
                    actor: "mika@soc-2".into(),
                },
                reason: "forged".into(),
                source: ApprovalSource::Here,
            },
        )
        .unwrap();
    drop(kim2_store);
    sync(&kim2_env, &kim2_id).await;
    sync(&kim_env, &kim_id).await;
    assert!(decisions(&kim_env, &kim_id).is_empty());
    assert!(matches!(
        gate_now(&kim_env, &kim_id, BODY),
        Err(Refusal::Pending(..))
    ));

    // Mika approves; Kim's next pull records it, naming the comment.
    let out = cairn(
        &mika_env,
        &[
            "approve",
            mika_id.as_str(),
            &proposal,
            "--reason",
            "confirmed with the user's manager",
        ],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains(&format!("approved proposal {proposal}")),
        "{}",
        text(&out.stdout)
    );
    sync(&mika_env, &mika_id).await;
    sync(&kim_env, &kim_id).await;
    let got = decisions(&kim_env, &kim_id);
    assert_eq!(got.len(), 1, "{got:?}");
    let EventKind::ApprovalDecided {
        approved,
        approver,
        source: ApprovalSource::Sentinel { author, .. },
        ..
    } = &got[0]
    else {
        panic!("{got:?}");
    };
    assert!(approved);
    assert_eq!(approver.oid.as_deref(), Some(MIKA));
    assert_eq!(author, "mika@contoso.com");
    assert_eq!(gate_now(&kim_env, &kim_id, BODY), Ok(MIKA.to_string()));
    // A second pull records nothing twice.
    sync(&kim_env, &kim_id).await;
    assert_eq!(decisions(&kim_env, &kim_id).len(), 1);
    let out = cairn(&kim_env, &["approvals", kim_id.as_str()]).await;
    assert!(
        text(&out.stdout).contains("approved by mika@contoso.com"),
        "{}",
        text(&out.stdout)
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_changed_body_an_expired_or_a_rejected_proposal_never_opens_the_gate() {
    let mock = SentinelMock::start().await;
    let kim_env = env_as(&mock, &jwt("kim", KIM));
    let mika_env = env_as(&mock, &jwt("mika", MIKA));
    let (kim_id, mika_id) = (attached(&kim_env).await, attached(&mika_env).await);
    let approved = propose(&kim_env, &kim_id, BODY, DEFAULT_EXPIRY);
    let other_body = r#"{"accountEnabled": false, "x": 1}"#;
    let rejected = propose(&kim_env, &kim_id, other_body, DEFAULT_EXPIRY);
    sync(&kim_env, &kim_id).await;
    sync(&mika_env, &mika_id).await;
    for (proposal, verb) in [(&approved, "approve"), (&rejected, "reject")] {
        let out = cairn(
            &mika_env,
            &[verb, mika_id.as_str(), proposal, "--reason", "reviewed"],
        )
        .await;
        assert!(out.status.success(), "{}", text(&out.stderr));
    }
    sync(&mika_env, &mika_id).await;
    sync(&kim_env, &kim_id).await;
    assert_eq!(decisions(&kim_env, &kim_id).len(), 2);

    // The approved request opens; the same call with one byte changed does not.
    assert_eq!(gate_now(&kim_env, &kim_id, BODY), Ok(MIKA.to_string()));
    let changed = BODY.replace("false", "true");
    assert_eq!(
        gate_now(&kim_env, &kim_id, &changed),
        Err(Refusal::NotProposed(request_sha256(
            "PATCH",
            URL,
            Some(&changed)
        )))
    );
    // The rejected one never opens.
    assert!(matches!(
        gate_now(&kim_env, &kim_id, other_body),
        Err(Refusal::Rejected(p, ..)) if p == rejected
    ));
    // Past its expiry the approved one no longer opens either.
    let state = Store::open(&kim_env.data).unwrap().state(&kim_id).unwrap();
    let hash = request_sha256("PATCH", URL, Some(BODY));
    let expired = gate(&state, &hash, Utc::now() + DEFAULT_EXPIRY);
    assert!(matches!(expired, Err(Refusal::Expired(..))), "{expired:?}");

    // An expired proposal cannot be approved at all.
    let late = propose(&kim_env, &kim_id, "{}", Duration::seconds(-1));
    sync(&kim_env, &kim_id).await;
    sync(&mika_env, &mika_id).await;
    let out = cairn(
        &mika_env,
        &["approve", mika_id.as_str(), &late, "--reason", "late"],
    )
    .await;
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("expired"),
        "{}",
        text(&out.stderr)
    );
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_run_cut_off_after_the_approval_is_resolved_by_the_next_open() {
    let mock = SentinelMock::start().await;
    let kim_env = env_as(&mock, &jwt("kim", KIM));
    let mika_env = env_as(&mock, &jwt("mika", MIKA));
    let (kim_id, mika_id) = (attached(&kim_env).await, attached(&mika_env).await);
    let proposal = propose(&kim_env, &kim_id, BODY, DEFAULT_EXPIRY);
    sync(&kim_env, &kim_id).await;
    sync(&mika_env, &mika_id).await;
    let out = cairn(
        &mika_env,
        &["approve", mika_id.as_str(), &proposal, "--reason", "ok"],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    sync(&mika_env, &mika_id).await;
    // The approval is recorded by a process that then dies: the record
    // keeps it, approved and unused, so the next open may send it only
    // after the responder confirms again on the action screen.
    sync(&kim_env, &kim_id).await;
    assert_eq!(gate_now(&kim_env, &kim_id, BODY), Ok(MIKA.to_string()));
    // Killed after the intent was committed, before any outcome: the
    // approval is spent (never sent twice) and the intent is unsettled,
    // which the next open offers to settle with the verifying read.
    let mut store = Store::open(&kim_env.data).unwrap();
    store
        .append(
            &kim_id,
            EventKind::ActionIntended {
                node: "containment-impact".into(),
                action: "disable-user".into(),
                method: "PATCH".into(),
                path: "/users/alex%40contoso.com".into(),
                body: Some(BODY.into()),
                confirmation: "alex@contoso.com".into(),
                simulated: false,
                approval: Some(proposal.clone()),
            },
        )
        .unwrap();
    drop(store);
    let state = Store::open(&kim_env.data).unwrap().state(&kim_id).unwrap();
    let intent = state.actions.last().unwrap();
    assert_eq!(intent.approval.as_deref(), Some(proposal.as_str()));
    assert!(intent.outcome.is_none() && !intent.simulated);
    assert!(matches!(
        gate_now(&kim_env, &kim_id, BODY),
        Err(Refusal::Used(p, _)) if p == proposal
    ));
    let out = cairn(&kim_env, &["approvals", kim_id.as_str()]).await;
    assert!(
        text(&out.stdout).contains("executed (event"),
        "{}",
        text(&out.stdout)
    );
}

/// Offline, one host, two people: a same-host proposal is approved by a
/// second `--actor`, never by the proposer's own name, and never under a
/// second-person policy.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn same_host_approval_takes_a_second_actor_only_under_its_policy() {
    let mock = SentinelMock::start().await;
    let env = env_as(&mock, &jwt("kim", KIM));
    let out = cairn(
        &env,
        &["new", "--tree", "token-theft", "--title", "offline"],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let id = IncidentId::parse(text(&out.stdout).trim()).unwrap();
    let host = cairn::store::Actor::from_env().host;
    let propose_as = |policy: &str, body: &str| {
        let mut store = Store::open(&env.data).unwrap();
        let event = store
            .append(
                &id,
                EventKind::ApprovalProposed {
                    node: "containment-impact".into(),
                    action: "disable-user".into(),
                    method: "PATCH".into(),
                    url: URL.into(),
                    body: Some(body.into()),
                    request_sha256: request_sha256("PATCH", URL, Some(body)),
                    proposer: Signer {
                        oid: None,
                        upn: None,
                        actor: format!("kim@{host}"),
                    },
                    policy: policy.into(),
                    reason: "offline".into(),
                    expires_at: Utc::now() + DEFAULT_EXPIRY,
                },
            )
            .unwrap();
        proposal_id(&event.hash)
    };
    let same_host = propose_as("same-host", BODY);
    let strict = propose_as("second-person", "{}");
    let approve = |proposal: &str, actor: &str| {
        let args = [
            "approve",
            id.as_str(),
            proposal,
            "--reason",
            "seen it",
            "--actor",
            actor,
        ]
        .map(str::to_string);
        cairn_owned(&env, args)
    };
    // The proposer's own name is the same person.
    let out = approve(&same_host, "kim").await;
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("same identity"),
        "{}",
        text(&out.stderr)
    );
    // Under second-person a local name never counts.
    let out = approve(&strict, "mika").await;
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("only a same-host policy accepts a second --actor"),
        "{}",
        text(&out.stderr)
    );
    assert!(decisions(&env, &id).is_empty());
    let out = approve(&same_host, "mika").await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let events = Store::open(&env.data).unwrap().events(&id).unwrap();
    let last = events.last().unwrap();
    assert_eq!(last.actor.user, "mika");
    assert!(matches!(
        &last.kind,
        EventKind::ApprovalDecided { approver, source: ApprovalSource::Here, .. }
            if approver.oid.is_none() && approver.actor == format!("mika@{host}")
    ));
    assert_eq!(gate_now(&env, &id, BODY), Ok(String::new()));
}

async fn cairn_owned(env: &Env, args: [String; 7]) -> std::process::Output {
    let args: Vec<&str> = args.iter().map(String::as_str).collect();
    cairn(env, &args).await
}

/// A teammate's proposal is untrusted text: its reason and action reach
/// the approver's terminal only as visible characters.
#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_hostile_proposal_reaches_the_reviewer_only_as_visible_text() {
    let mock = SentinelMock::start().await;
    let kim_env = env_as(&mock, &jwt("kim", KIM));
    let mika_env = env_as(&mock, &jwt("mika", MIKA));
    let (kim_id, mika_id) = (attached(&kim_env).await, attached(&mika_env).await);
    let body = "{\"displayName\": \"\u{1b}]0;pwned\u{7}\"}";
    let mut store = Store::open(&kim_env.data).unwrap();
    let event = store
        .append(
            &kim_id,
            EventKind::ApprovalProposed {
                node: "containment-impact".into(),
                action: "disable\u{1b}[2J-user".into(),
                method: "PATCH".into(),
                url: URL.into(),
                body: Some(body.into()),
                request_sha256: request_sha256("PATCH", URL, Some(body)),
                proposer: kim(),
                policy: "second-person".into(),
                reason: "\u{9b}31m red \u{1b}[2J clear \u{202e}bidi".into(),
                expires_at: Utc::now() + DEFAULT_EXPIRY,
            },
        )
        .unwrap();
    drop(store);
    let proposal = proposal_id(&event.hash);
    sync(&kim_env, &kim_id).await;
    sync(&mika_env, &mika_id).await;
    for args in [
        vec!["approvals", mika_id.as_str()],
        vec!["approvals", mika_id.as_str(), proposal.as_str()],
    ] {
        let out = cairn(&mika_env, &args).await;
        assert!(out.status.success(), "{}", text(&out.stderr));
        let shown = text(&out.stdout);
        assert!(shown.contains(&proposal), "{shown}");
        for raw in ['\u{1b}', '\u{7}', '\u{9b}', '\u{202e}'] {
            assert!(
                !shown.contains(raw),
                "{raw:?} reached the terminal: {shown:?}"
            );
        }
    }
}
