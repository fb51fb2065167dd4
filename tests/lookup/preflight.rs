//! `cairn preflight` against the loopback mock: a workspace without
//! AADUserRiskEvents, one with empty tables, and Graph tokens without a
//! permission or without the directory roles.

use std::sync::Arc;

use cairn::lookup::auth::{AccessToken, StaticToken};
use cairn::lookup::preflight::{self, Status};

use super::mock::{Mock, Reply};
use super::support::{client_with, settings};

const ALL_SCOPES: &[&str] = &[
    "ThreatHunting.Read.All",
    "AuditLog.Read.All",
    "IdentityRiskyUser.ReadWrite.All",
    "User.Read.All",
    "Directory.Read.All",
    "UserAuthenticationMethod.ReadWrite.All",
    "MailboxSettings.ReadWrite",
    "User.EnableDisableAccount.All",
    "Device.ReadWrite.All",
    "User.RevokeSessions.All",
];

/// Role template ids (Microsoft's list) of roles that cover every call of
/// the shipped tree: Global Reader, Privileged Authentication
/// Administrator, Security Administrator, Cloud Device Administrator.
const ENOUGH_ROLES: &[&str] = &[
    "f2ef992c-3afb-46b9-b7cf-a126ee74c451",
    "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
    "194ae4cb-b126-40b2-bd5b-6091b380977d",
    "7698a772-787b-4ac8-901f-60d6b08affd2",
];

/// An unsigned JWT with these claims: preflight only reads them.
fn token(claims: serde_json::Value) -> AccessToken {
    use base64::Engine as _;
    let b64 = |bytes: &[u8]| base64::engine::general_purpose::URL_SAFE_NO_PAD.encode(bytes);
    AccessToken::new(
        format!(
            "{}.{}.sig",
            b64(b"{\"alg\":\"none\"}"),
            b64(claims.to_string().as_bytes())
        ),
        std::time::SystemTime::now() + std::time::Duration::from_secs(3600),
    )
}

/// A delegated token with every Graph permission the shipped tree names
/// except those in `without`, and the directory roles `wids`.
fn delegated(without: &[&str], wids: &[&str]) -> AccessToken {
    let scopes: Vec<&str> = ALL_SCOPES
        .iter()
        .copied()
        .filter(|s| !without.contains(s))
        .collect();
    token(serde_json::json!({ "scp": scopes.join(" "), "wids": wids }))
}

/// The query a probe sent.
fn query_of(r: &super::mock::Request) -> String {
    let body = r.json();
    body.get("query")
        .or_else(|| body.get("Query"))
        .and_then(|q| q.as_str())
        .unwrap()
        .to_string()
}

/// A count probe's answer in the wire format of its API.
fn count_reply(hunting: bool, n: u64) -> Reply {
    if hunting {
        Reply::json(
            200,
            &format!(
                r#"{{"schema":[{{"Name":"Count","Type":"Int64"}}],"results":[{{"Count":{n}}}]}}"#
            ),
        )
    } else {
        Reply::json(
            200,
            &format!(
                r#"{{"tables":[{{"name":"PrimaryResult","columns":[{{"name":"Count","type":"long"}}],"rows":[[{n}]]}}]}}"#
            ),
        )
    }
}

/// A workspace where every table has rows except those `empty` names, and
/// AADUserRiskEvents is missing when `risk_missing`.
async fn workspace(empty: &'static [&'static str], risk_missing: bool) -> Mock {
    Mock::start(move |req, _| {
        let body = String::from_utf8_lossy(&req.body).to_string();
        let hunting = req.target.ends_with("/security/runHuntingQuery");
        if risk_missing && body.contains("AADUserRiskEvents") {
            return Reply::json(
                400,
                r#"{"error":{"code":"BadArgumentError","message":"The request had some invalid properties","innererror":{"code":"SemanticError","message":"'where' operator: Failed to resolve table or column expression named 'AADUserRiskEvents'"}}}"#,
            );
        }
        if body.contains("| count") {
            let table = query_of(req).lines().next().unwrap_or("").to_string();
            return count_reply(hunting, if empty.contains(&table.as_str()) { 0 } else { 1 });
        }
        if hunting {
            return Reply::json(200, r#"{"schema":[],"results":[]}"#);
        }
        Reply::json(200, r#"{"tables":[{"name":"PrimaryResult","columns":[],"rows":[]}]}"#)
    })
    .await
}

async fn preflight_with(mock: &Mock, token: AccessToken) -> preflight::Report {
    let (client, _) = client_with(&mock.base(), settings(), Arc::new(StaticToken(token)));
    let tree = cairn::tree::catalog::find("token-theft").unwrap().0;
    preflight::run(&tree, &client).await
}

#[tokio::test]
async fn preflight_finds_the_missing_table_and_the_missing_permission() {
    let mock = workspace(&[], true).await;
    let report = preflight_with(&mock, delegated(&["User.RevokeSessions.All"], ENOUGH_ROLES)).await;
    assert!(!report.all_ok());

    // Every probe asks for no rows over the lookup's own window.
    let requests = mock.requests();
    assert!(!requests.is_empty());
    for r in &requests {
        let body = r.json();
        let query = query_of(r);
        // A zero-row probe, or a count that reads at most one row.
        assert!(
            query.ends_with("\n| take 0") || query.ends_with("\n| take 1\n| count"),
            "{query}"
        );
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
        assert!(
            r.detail
                .contains("user holds Privileged Authentication Administrator"),
            "{}",
            r.detail
        );
    }
    assert!(
        missing.iter().all(|r| r.kind == "action"
            || r.detail.contains("AADUserRiskEvents")
            || r.id.starts_with("AADUserRiskEvents ")),
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

/// Empty tables: a sign-in log with no rows is a connector not enabled; a
/// quiet risk-event table is said as such and fails nothing. A delegated
/// token whose user holds only Security Reader misses every write's role.
#[tokio::test]
async fn preflight_tells_empty_from_quiet_tables_and_compares_directory_roles() {
    let mock = workspace(&["SigninLogs", "AADUserRiskEvents"], false).await;
    let security_reader = "5d6b6bb7-de71-4623-b4af-96380a352509";
    let report = preflight_with(&mock, delegated(&[], &[security_reader])).await;
    let text = report.render();
    let table = |name: &str| -> Vec<&preflight::Row> {
        report
            .rows
            .iter()
            .filter(|r| r.kind == "table" && r.id.starts_with(&format!("{name} (")))
            .collect()
    };
    let signins = table("SigninLogs");
    assert!(!signins.is_empty(), "{text}");
    for r in signins {
        assert_eq!(r.status, Status::Missing, "{text}");
        assert!(
            r.detail
                .contains("empty (connector not enabled / licence missing?)")
        );
    }
    let risk = table("AADUserRiskEvents");
    assert!(!risk.is_empty(), "{text}");
    for r in risk {
        assert_eq!(r.status, Status::Quiet, "{text}");
        assert!(r.detail.starts_with("no rows in window"), "{}", r.detail);
    }
    for r in table("AuditLogs") {
        assert_eq!(r.status, Status::Ok, "{text}");
    }
    // The window of each count is a lookup's own.
    assert!(text.contains("SigninLogs (P14D)"), "{text}");

    // Security Reader reads hunting data but writes nothing.
    let row = |kind: &str, id: &str| {
        report
            .rows
            .iter()
            .find(|r| r.kind == kind && r.id == id)
            .unwrap_or_else(|| panic!("no {kind} {id}:\n{text}"))
    };
    let revoke = row("action", "revoke-sessions");
    assert_eq!(revoke.status, Status::Missing);
    assert!(revoke.detail.contains("token has User.RevokeSessions.All"));
    assert!(revoke.detail.contains("user holds none of the roles User Administrator or Privileged Authentication Administrator"), "{}", revoke.detail);
    let hunt = report.rows.iter().find(|r| r.kind == "hunting").unwrap();
    let by_perm = report
        .rows
        .iter()
        .find(|r| r.kind == "hunting" && r.id == hunt.id && r.detail.contains("user holds"))
        .unwrap_or_else(|| panic!("{text}"));
    assert!(
        by_perm.detail.contains("user holds Security Reader"),
        "{}",
        by_perm.detail
    );
    assert!(!report.all_ok());
}

/// An app-only token (application roles, no scopes, no `wids`) needs no
/// directory role.
#[tokio::test]
async fn an_app_only_token_needs_no_directory_role() {
    let mock = workspace(&[], false).await;
    let report = preflight_with(&mock, token(serde_json::json!({ "roles": ALL_SCOPES }))).await;
    assert!(report.all_ok(), "{}", report.render());
    let revoke = report
        .rows
        .iter()
        .find(|r| r.kind == "action" && r.id == "revoke-sessions")
        .unwrap();
    assert!(
        revoke.detail.contains("app-only token"),
        "{}",
        revoke.detail
    );
}
