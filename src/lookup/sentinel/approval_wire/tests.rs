use chrono::DateTime;

use super::*;
use crate::store::event::Actor;

const URL: &str = "https://graph.microsoft.com/v1.0/users/a%40contoso.com";

fn event(kind: EventKind) -> Event {
    Event {
        seq: 9,
        at: DateTime::from_timestamp(1_800_000_000, 0).unwrap(),
        actor: Actor {
            user: "kim".into(),
            host: "soc-1".into(),
            ssh_client: None,
        },
        kind,
        prev_hash: "a".repeat(64),
        hash: "b".repeat(64),
    }
}

fn kim() -> Signer {
    Signer {
        oid: Some("11111111-1111-1111-1111-111111111111".into()),
        upn: Some("kim@contoso.com".into()),
        actor: "kim@soc-1".into(),
    }
}

fn proposal(body: &str) -> EventKind {
    EventKind::ApprovalProposed {
        node: "contain".into(),
        action: "disable-user".into(),
        method: "PATCH".into(),
        url: URL.into(),
        body: Some(body.into()),
        request_sha256: request_sha256("PATCH", URL, Some(body)),
        proposer: kim(),
        policy: "second-person".into(),
        reason: "two continents `in` *one* hour \u{1b}[2J".into(),
        expires_at: DateTime::from_timestamp(1_800_001_800, 0).unwrap(),
    }
}

/// The JSON of a wire part, re-encoded as a comment line.
fn line_of(json: &serde_json::Value) -> String {
    format!("`{MARK}{}`", URL_SAFE_NO_PAD.encode(json.to_string()))
}

#[test]
fn a_proposal_reads_back_from_its_line_the_same() {
    let e = event(proposal(r#"{"accountEnabled": false}"#));
    let comment = format!(
        "**\\[cairn\\]** Proposes ...\n`{}`\nkim@soc-1",
        encode(&e).unwrap()
    );
    let Some(Ok(Wire::Proposal {
        hash,
        url,
        reason,
        proposer,
        ..
    })) = decode(&comment)
    else {
        panic!("{comment}");
    };
    assert_eq!(hash, e.hash);
    assert_eq!(url, URL);
    assert_eq!(proposer, kim());
    // The text is data: kept as written, shown later only through visible().
    assert!(reason.contains('\u{1b}'));
}

#[test]
fn a_decision_read_from_sentinel_is_not_sent_on_again() {
    let decided = |source| {
        event(EventKind::ApprovalDecided {
            proposal: "b".repeat(16),
            request_sha256: "d".repeat(64),
            approved: true,
            approver: kim(),
            reason: "ok".into(),
            source,
        })
    };
    assert!(encode(&decided(ApprovalSource::Here)).is_some());
    let pulled = ApprovalSource::Sentinel {
        comment: "x".into(),
        author: "y".into(),
    };
    assert!(encode(&decided(pulled)).is_none());
    assert_eq!(decode("a note with no approval part"), None);
}

#[test]
fn a_request_changed_in_transit_is_refused() {
    let e = event(proposal(r#"{"accountEnabled": false}"#));
    let line = encode(&e).unwrap();
    let bytes = URL_SAFE_NO_PAD.decode(&line[MARK.len()..]).unwrap();
    let mut json: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    json["body"] = serde_json::json!(r#"{"accountEnabled": true}"#);
    let err = decode(&line_of(&json)).unwrap().unwrap_err();
    assert!(err.contains("request hash does not match"), "{err}");
}

#[test]
fn hostile_parts_are_refused_with_a_reason_never_a_panic() {
    let e = event(proposal("{}"));
    let line = encode(&e).unwrap();
    let bytes = URL_SAFE_NO_PAD.decode(&line[MARK.len()..]).unwrap();
    let good: serde_json::Value = serde_json::from_slice(&bytes).unwrap();
    let with = |key: &str, value: serde_json::Value| {
        let mut j = good.clone();
        j[key] = value;
        decode(&line_of(&j)).unwrap()
    };
    let cases = [
        with("method", "GET".into()),
        with("url", "javascript:alert(1)".into()),
        with("hash", "B".repeat(64).into()),
        with("policy", "anyone".into()),
        with("reason", "x".repeat(MAX_REASON_CHARS + 1).into()),
        with(
            "proposer",
            serde_json::json!({"oid": "not-a-guid", "actor": "kim@soc-1"}),
        ),
        with("extra", true.into()),
    ];
    for (i, case) in cases.iter().enumerate() {
        assert!(case.is_err(), "case {i}: {case:?}");
    }
    for text in [
        format!("{MARK}!!!"),
        MARK.to_string(),
        format!("{MARK}{}", "A".repeat(MAX_ENCODED + 10)),
        format!("{MARK}{}", URL_SAFE_NO_PAD.encode("[1,2]")),
        format!(
            "{MARK}{}",
            URL_SAFE_NO_PAD.encode("{\"kind\":\"decision\"}")
        ),
    ] {
        assert!(matches!(decode(&text), Some(Err(_))), "{text:.60}");
    }
}
