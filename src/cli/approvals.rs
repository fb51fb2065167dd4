//! `cairn approvals ID [PROPOSAL]`, `cairn approve ID PROPOSAL --reason R`
//! and `cairn reject ...`: a second responder reviews the exact request of
//! a proposal (this incident's, or a teammate's read from the shared
//! Sentinel incident) and records a decision naming its hash. The
//! judgement of whether a request may run is `store::approval`.

use std::fmt::Write;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};
use chrono::{DateTime, Utc};

use super::store_access::{incident_id, open_store, open_store_read_only, safe};
use crate::lookup::auth::Resource;
use crate::lookup::auth::claims::TokenClaims;
use crate::store::approval::{MAX_REASON_CHARS, Standing, same_identity, standing};
use crate::store::event::{Actor, ApprovalSource, EventKind, Signer};
use crate::store::export::{describe_signer, format_time};
use crate::store::{IncidentState, Store};
use crate::sync::approvals::{RemoteProposal, proposals};

/// One proposal as the approver reviews it, wherever it was read from.
struct Review {
    id: String,
    action: String,
    method: String,
    url: String,
    body: Option<String>,
    request_sha256: String,
    proposer: Signer,
    policy: String,
    reason: String,
    expires_at: DateTime<Utc>,
    /// Read from a teammate's comment (else proposed in this incident).
    remote: Option<String>,
}

fn reviews(
    store: &Store,
    id: &crate::store::IncidentId,
    state: &IncidentState,
) -> anyhow::Result<(Vec<Review>, Vec<String>)> {
    let mut all: Vec<Review> = state
        .proposals
        .iter()
        .map(|p| Review {
            id: p.id.clone(),
            action: p.action.clone(),
            method: p.method.clone(),
            url: p.url.clone(),
            body: p.body.clone(),
            request_sha256: p.request_sha256.clone(),
            proposer: p.proposer.clone(),
            policy: p.policy.clone(),
            reason: p.reason.clone(),
            expires_at: p.expires_at,
            remote: None,
        })
        .collect();
    let mut refused = Vec::new();
    for r in proposals(&store.remote_comments(id)?) {
        match r {
            Ok(RemoteProposal {
                id,
                author,
                action,
                method,
                url,
                body,
                request_sha256,
                proposer,
                policy,
                reason,
                expires_at,
                ..
            }) if !all.iter().any(|a| a.id == id) => all.push(Review {
                id,
                action,
                method,
                url,
                body,
                request_sha256,
                proposer,
                policy,
                reason,
                expires_at,
                remote: Some(author),
            }),
            Ok(_) => {}
            Err(why) => refused.push(why),
        }
    }
    Ok((all, refused))
}

/// Where a proposal stands, in words, from this incident's record.
fn status(state: &IncidentState, r: &Review, now: DateTime<Utc>) -> (bool, String) {
    if let Some(p) = state.proposal(&r.id) {
        return match standing(state, p, now) {
            Standing::Pending { ignored } if ignored.is_empty() => (true, "pending".into()),
            Standing::Pending { ignored } => (
                true,
                format!("pending (ignored: {})", safe(&ignored.join("; "))),
            ),
            Standing::Approved(d) => (
                false,
                format!(
                    "approved by {}, not yet executed",
                    safe(&describe_signer(&d.approver))
                ),
            ),
            Standing::Rejected(d) => (
                false,
                format!("rejected by {}", safe(&describe_signer(&d.approver))),
            ),
            Standing::Expired => (false, "expired".into()),
            Standing::Used(seq) => (false, format!("executed (event {seq})")),
        };
    }
    match state.decisions_on(&r.id).last() {
        Some(d) if d.approved => (false, "you approved it".into()),
        Some(_) => (false, "you rejected it".into()),
        None if now >= r.expires_at => (false, "expired".into()),
        None => (true, "waiting for your review".into()),
    }
}

pub fn list(data_dir: Option<&Path>, id: &str, proposal: Option<&str>) -> anyhow::Result<ExitCode> {
    let id = incident_id(id)?;
    let store = open_store_read_only(data_dir)?;
    let state = store.state(&id)?;
    let (all, refused) = reviews(&store, &id, &state)?;
    let now = Utc::now();
    let mut out = String::new();
    if let Some(wanted) = proposal {
        let Some(r) = all.iter().find(|r| r.id == wanted) else {
            bail!("{id} has no proposal {}", safe(wanted));
        };
        write_request(&mut out, r);
        let _ = writeln!(out, "status      {}", status(&state, r, now).1);
        for d in state.decisions_on(&r.id) {
            let verdict = if d.approved { "approved" } else { "rejected" };
            let _ = writeln!(
                out,
                "decision    {verdict} by {} at {}: {}",
                safe(&describe_signer(&d.approver)),
                format_time(d.stamp.at),
                safe(&d.reason)
            );
        }
        print!("{out}");
        return Ok(ExitCode::SUCCESS);
    }
    let pending = all.iter().filter(|r| status(&state, r, now).0).count();
    let _ = writeln!(out, "{id}: {pending} pending approval");
    for r in &all {
        let from = match &r.remote {
            Some(author) => format!(" (from Sentinel, {})", safe(author)),
            None => String::new(),
        };
        let _ = writeln!(
            out,
            "  {}  {}  {} {} {}  by {}{from}, expires {}",
            r.id,
            status(&state, r, now).1,
            safe(&r.action),
            safe(&r.method),
            safe(&r.url),
            safe(&describe_signer(&r.proposer)),
            format_time(r.expires_at)
        );
    }
    for why in refused {
        let _ = writeln!(out, "  ignored: {}", safe(&why));
    }
    print!("{out}");
    Ok(ExitCode::SUCCESS)
}

/// The exact request, as the approver must read it before deciding.
fn write_request(out: &mut String, r: &Review) {
    let _ = writeln!(out, "proposal    {}", r.id);
    let _ = writeln!(out, "action      {}", safe(&r.action));
    let _ = writeln!(out, "request     {} {}", safe(&r.method), safe(&r.url));
    if let Some(body) = &r.body {
        let _ = writeln!(out, "body        {}", safe(body));
    }
    let _ = writeln!(out, "sha256      {}", r.request_sha256);
    let _ = writeln!(out, "proposed by {}", safe(&describe_signer(&r.proposer)));
    let _ = writeln!(out, "policy      {}", safe(&r.policy));
    let _ = writeln!(out, "reason      {}", safe(&r.reason));
    let _ = writeln!(out, "expires     {}", format_time(r.expires_at));
}

/// The signed-in user, from the token Cairn uses for Sentinel.
fn signed_in() -> anyhow::Result<Signer> {
    let conn = super::attach::connect().context(
        "a decision through the shared incident needs the signed-in identity; offline, under a same-host policy, name the second responder with --actor",
    )?;
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()?;
    let token = runtime
        .block_on(conn.api.tokens.token(Resource::Arm, false))
        .context("signing in to read who approves")?;
    let claims = TokenClaims::of(token.secret())
        .map_err(|e| anyhow::anyhow!("the sign-in token names no user: {e}"))?;
    let Some(oid) = claims.oid else {
        bail!("the sign-in token has no object id (oid): an approval needs one");
    };
    Ok(Signer {
        oid: Some(oid),
        upn: claims.upn,
        actor: Actor::from_env().label(),
    })
}

/// `--actor NAME`: a second responder at this host, offline.
fn local_actor(name: &str) -> anyhow::Result<Actor> {
    let ok = !name.is_empty()
        && name.len() <= 64
        && name
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || matches!(c, '.' | '_' | '-'));
    if !ok {
        bail!("--actor must be 1-64 letters, digits, '.', '_' or '-'");
    }
    Ok(Actor {
        user: name.to_string(),
        ..Actor::from_env()
    })
}

pub fn decide(
    data_dir: Option<&Path>,
    id: &str,
    proposal: &str,
    approved: bool,
    reason: &str,
    actor: Option<String>,
) -> anyhow::Result<ExitCode> {
    let id = incident_id(id)?;
    let reason = reason.trim();
    if reason.is_empty() {
        bail!("--reason is required: say why; nothing recorded");
    }
    if reason.chars().count() > MAX_REASON_CHARS {
        bail!("the reason is longer than {MAX_REASON_CHARS} characters; nothing recorded");
    }
    let mut store = open_store(data_dir)?;
    let state = store.state(&id)?;
    let (all, _) = reviews(&store, &id, &state)?;
    let Some(r) = all.into_iter().find(|r| r.id == proposal) else {
        bail!(
            "{id} has no proposal {}; see `cairn approvals {id}`",
            safe(proposal)
        );
    };
    let approver = match &actor {
        Some(name) => {
            if r.remote.is_some() || r.policy != crate::tree::ApprovalPolicy::SameHost.name() {
                bail!(
                    "proposal {} runs under policy {}: only a same-host policy accepts a second --actor at this host, for a proposal of this incident; nothing recorded",
                    r.id,
                    safe(&r.policy)
                );
            }
            let actor = local_actor(name)?;
            let signer = Signer {
                oid: None,
                upn: None,
                actor: actor.label(),
            };
            store.set_actor(actor);
            signer
        }
        None => signed_in()?,
    };
    if same_identity(&r.proposer, &approver) {
        bail!(
            "{} proposed it: the same identity cannot {} its own proposal; a second person must; nothing recorded",
            safe(&describe_signer(&r.proposer)),
            if approved { "approve" } else { "reject" }
        );
    }
    if state
        .decisions_on(&r.id)
        .any(|d| d.source == ApprovalSource::Here && same_identity(&d.approver, &approver))
    {
        bail!("you already decided on proposal {}; nothing recorded", r.id);
    }
    if approved && Utc::now() >= r.expires_at {
        bail!(
            "proposal {} expired at {}; nothing recorded (the proposer must propose again)",
            r.id,
            format_time(r.expires_at)
        );
    }
    let mut out = String::new();
    write_request(&mut out, &r);
    print!("{out}");
    let event = store
        .append(
            &id,
            EventKind::ApprovalDecided {
                proposal: r.id.clone(),
                request_sha256: r.request_sha256.clone(),
                approved,
                approver,
                reason: reason.to_string(),
                source: ApprovalSource::Here,
            },
        )
        .with_context(|| format!("decision NOT saved to {id}"))?;
    let verdict = if approved { "approved" } else { "rejected" };
    println!(
        "{id}: {verdict} proposal {} as event {}{}",
        r.id,
        event.seq,
        if r.remote.is_some() {
            "; it reaches the proposer with the next `cairn sync` (or the open screen)"
        } else {
            ""
        }
    );
    super::store_access::warn_if_unwitnessed();
    Ok(ExitCode::SUCCESS)
}
