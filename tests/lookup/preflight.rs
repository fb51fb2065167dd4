//! `cairn preflight` against the loopback mock: a workspace without
//! AADUserRiskEvents and a Graph token without User.RevokeSessions.All.

use std::sync::Arc;

use cairn::lookup::auth::{AccessToken, StaticToken};
use cairn::lookup::preflight::{self, Status};

use super::mock::{Mock, Reply};
use super::support::{client_with, settings};

/// A JWT whose payload grants every Graph permission the shipped tree
/// names except `User.RevokeSessions.All`. Unsigned: preflight only reads
/// the claims.
fn token_without_revoke() -> AccessToken {
    let scopes = [
        "ThreatHunting.Read.All",
        "AuditLog.Read.All",
        "IdentityRiskyUser.ReadWrite.All",
        "User.Read.All",
        "Directory.Read.All",
        "UserAuthenticationMethod.ReadWrite.All",
        "MailboxSettings.ReadWrite",
        "User.EnableDisableAccount.All",
        "Device.ReadWrite.All",
    ]
    .join(" ");
    let payload = serde_json::json!({ "scp": scopes }).to_string();
    let b64 = |bytes: &[u8]| {
        const A: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789-_";
        let mut out = String::new();
        for chunk in bytes.chunks(3) {
            let n =
                chunk.iter().fold(0u32, |n, &b| (n << 8) | u32::from(b)) << (8 * (3 - chunk.len()));
            for i in 0..=chunk.len() {
                out.push(A[((n >> (18 - 6 * i)) & 63) as usize] as char);
            }
        }
        out
    };
    AccessToken::new(
        format!(
            "{}.{}.sig",
            b64(b"{\"alg\":\"none\"}"),
            b64(payload.as_bytes())
        ),
        std::time::SystemTime::now() + std::time::Duration::from_secs(3600),
    )
}

#[tokio::test]
async fn preflight_finds_the_missing_table_and_the_missing_permission() {
    let mock = Mock::start(|req, _| {
        let body = String::from_utf8_lossy(&req.body).to_string();
        if req.target.ends_with("/security/runHuntingQuery") {
            return Reply::json(200, r#"{"schema":[],"results":[]}"#);
        }
        if body.contains("AADUserRiskEvents") {
            return Reply::json(
                400,
                r#"{"error":{"code":"BadArgumentError","message":"The request had some invalid properties","innererror":{"code":"SemanticError","message":"'where' operator: Failed to resolve table or column expression named 'AADUserRiskEvents'"}}}"#,
            );
        }
        Reply::json(200, r#"{"tables":[{"name":"PrimaryResult","columns":[],"rows":[]}]}"#)
    })
    .await;
    let (client, _) = client_with(
        &mock.base(),
        settings(),
        Arc::new(StaticToken(token_without_revoke())),
    );
    let tree = cairn::tree::catalog::find("token-theft").unwrap().0;
    let report = preflight::run(&tree, &client).await;
    assert!(!report.all_ok());

    // Every probe asks for no rows over the lookup's own window.
    let requests = mock.requests();
    assert!(!requests.is_empty());
    for r in &requests {
        let body = r.json();
        let query = body
            .get("query")
            .or_else(|| body.get("Query"))
            .and_then(|q| q.as_str())
            .unwrap();
        assert!(query.ends_with("\n| take 0"), "{query}");
        assert!(
            body.get("timespan")
                .or_else(|| body.get("Timespan"))
                .is_some()
        );
    }

    let missing: Vec<_> = report
        .rows
        .iter()
        .filter(|r| r.status != Status::Ok)
        .collect();
    // The lookups reading AADUserRiskEvents (data-sources unions it, fuzzily
    // in a real workspace; the mock refuses any mention).
    for id in ["risk-events-user", "risk-unfamiliar", "risk-events-ip"] {
        assert!(
            missing
                .iter()
                .any(|r| r.id == id && r.detail.contains("Failed to resolve table")),
            "{id} not reported:\n{}",
            report.render()
        );
    }
    // Every revoke action, and nothing else that the token grants.
    let revokes: Vec<_> = missing.iter().filter(|r| r.kind == "action").collect();
    assert!(!revokes.is_empty());
    for r in &revokes {
        assert_eq!(r.id, "revoke-sessions", "{}", report.render());
        assert!(r.detail.contains("User.RevokeSessions.All"));
    }
    assert!(
        missing
            .iter()
            .all(|r| r.kind == "action" || r.detail.contains("AADUserRiskEvents")),
        "{}",
        report.render()
    );
    let text = report.render();
    assert!(text.starts_with("kind"), "{text}");
    assert!(text.contains("MISSING"), "{text}");
}

#[test]
fn without_a_live_configuration_preflight_says_it_needs_a_tenant() {
    let dir = tempfile::tempdir().unwrap();
    let out = std::process::Command::new(env!("CARGO_BIN_EXE_cairn"))
        .args(["preflight", "token-theft", "--config"])
        .arg(dir.path().join("absent.toml"))
        .env("CAIRN_CONFIG_DIR", dir.path())
        .output()
        .unwrap();
    assert_eq!(out.status.code(), Some(1));
    let stderr = String::from_utf8_lossy(&out.stderr);
    assert!(stderr.contains("needs a live tenant"), "{stderr}");
    assert!(stderr.contains("Practice mode"), "{stderr}");
}
