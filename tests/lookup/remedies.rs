//! Remedies that fit: a refusal's hint follows how Cairn signs in and what
//! the call declares it needs (`requires` in the tree).

use cairn::lookup::error::{ApiError, AuthKind, Fit, parse_api_error};
use cairn::tree::{At, Requires};

fn at(s: &str) -> At<String> {
    At::new(s.to_string(), 0..0)
}

const DENIED: &str = r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation."}}"#;
const UNAUTHORIZED: &str = r#"{"error":{"code":"InvalidAuthenticationToken","message":"Access token validation failure."}}"#;

fn hint(e: ApiError) -> String {
    e.hint
        .as_deref()
        .map(ToString::to_string)
        .unwrap_or_default()
}

fn revoke() -> Requires {
    Requires {
        graph: vec![at("User.RevokeSessions.All")],
        entra_roles: vec![at("User Administrator")],
        ..Requires::default()
    }
}

#[test]
fn a_graph_write_refused_names_its_declared_permission_not_a_workspace_role() {
    let fit = Fit {
        auth: AuthKind::DeviceCode,
        requires: revoke(),
        graph: true,
    };
    let h = hint(parse_api_error(403, DENIED.as_bytes()).fit(&fit));
    assert!(
        h.contains("Graph permission User.RevokeSessions.All"),
        "{h}"
    );
    assert!(h.contains("Entra role User Administrator"), "{h}");
    assert!(!h.contains("Log Analytics"), "{h}");
    // An app signing in as itself holds no directory role.
    let app = Fit {
        auth: AuthKind::ClientSecret,
        ..fit
    };
    let h = hint(parse_api_error(403, DENIED.as_bytes()).fit(&app));
    assert!(
        h.contains("User.RevokeSessions.All") && !h.contains("Entra role"),
        "{h}"
    );
    // Nothing declared: the service's kind decides.
    let bare = Fit {
        graph: true,
        ..Fit::default()
    };
    let h = hint(parse_api_error(403, DENIED.as_bytes()).fit(&bare));
    assert!(
        h.contains("Graph permission") && !h.contains("Log Analytics"),
        "{h}"
    );
    let la = Fit::default();
    let h = hint(parse_api_error(403, DENIED.as_bytes()).fit(&la));
    assert!(h.contains("Log Analytics Reader"), "{h}");
}

#[test]
fn a_refused_credential_is_fixed_the_way_cairn_signs_in() {
    let refused = |auth| {
        let fit = Fit {
            auth,
            ..Fit::default()
        };
        hint(parse_api_error(401, UNAUTHORIZED.as_bytes()).fit(&fit))
    };
    assert!(refused(AuthKind::DeviceCode).contains("device code"));
    let secret = refused(AuthKind::ClientSecret);
    assert!(
        secret.contains("client secret") && !secret.contains("device"),
        "{secret}"
    );
    assert!(refused(AuthKind::ClientCertificate).contains("certificate"));
    assert!(refused(AuthKind::AzureCli).contains("az login"));
}

#[test]
fn other_hints_are_kept() {
    let audience =
        r#"{"error":{"code":"InvalidAuthenticationTokenAudience","message":"wrong aud"}}"#;
    let fit = Fit {
        auth: AuthKind::ClientSecret,
        requires: revoke(),
        graph: true,
    };
    let h = hint(parse_api_error(403, audience.as_bytes()).fit(&fit));
    assert!(h.contains("audience"), "{h}");
}

/// The service's request and correlation ids are kept and shown with the
/// error, so a responder can quote them in a support case.
#[test]
fn request_and_correlation_ids_are_kept_and_shown() {
    let graph = r#"{"error":{"code":"TooManyRequests","message":"Please retry again later.","innerError":{"code":"429","date":"2020-08-18T12:51:51","message":"Please retry after","request-id":"94fb3b52-452a-4535-a601-69e0a90e3aa2","client-request-id":"94fb3b52-452a-4535-a601-69e0a90e3aa2","status":"429"}}}"#;
    let e = parse_api_error(429, graph.as_bytes());
    assert_eq!(
        e.ids.to_vec(),
        vec![
            (
                "request-id".to_string(),
                "94fb3b52-452a-4535-a601-69e0a90e3aa2".to_string()
            ),
            (
                "client-request-id".to_string(),
                "94fb3b52-452a-4535-a601-69e0a90e3aa2".to_string()
            ),
        ]
    );
    assert!(
        e.to_string()
            .contains("[request-id 94fb3b52-452a-4535-a601-69e0a90e3aa2, client-request-id"),
        "{e}"
    );
    let la = r#"{"error":{"message":"bad","code":"BadArgumentError","correlationId":"7c1d-la","innererror":{"code":"SyntaxError","message":"x"}}}"#;
    let e = parse_api_error(400, la.as_bytes());
    assert_eq!(
        e.ids.to_vec(),
        vec![("correlationId".to_string(), "7c1d-la".to_string())]
    );
    assert!(e.to_string().ends_with("[correlationId 7c1d-la]"), "{e}");
}
