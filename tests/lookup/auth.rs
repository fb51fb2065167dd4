//! Sign-in flows against the mock: device code, client credentials, a fake
//! `az`, the per-resource cache, and the 401-refresh-once rule.

use std::collections::HashMap;
use std::sync::Arc;
use std::time::Duration;

use cairn::lookup::auth::{AuthError, Credentials, Resource, TokenSource};
use cairn::lookup::config::{AuthMethod, Cloud, Config};
use cairn::lookup::error::LookupError;
use cairn::lookup::http::{ApiClient, build_http};
use cairn::lookup::loganalytics;

use super::mock::{Mock, Reply};
use super::support::{WORKSPACE, endpoints, fake_sleeper, settings};

const TENANT: &str = "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee";
const CLIENT: &str = "12345678-1234-1234-1234-123456789012";

fn config(base: &str, auth: AuthMethod) -> Config {
    Config {
        tenant: TENANT.into(),
        cloud: Cloud::Public,
        workspace: WORKSPACE.into(),
        extra_workspaces: vec![],
        auth,
        endpoints: endpoints(base),
        http: settings(),
        sentinel: None,
        approval_floor: Default::default(),
    }
}

fn oauth_error(code: &str) -> Reply {
    Reply::json(
        400,
        &format!(
            r#"{{"error":"{code}","error_description":"AADSTS70016: OAuth 2.0 device flow error.","error_codes":[70016],"timestamp":"2026-11-26 03:00:00Z","trace_id":"t","correlation_id":"c","error_uri":"https://login.microsoftonline.com/error?code=70016"}}"#
        ),
    )
}

fn device_code_reply() -> Reply {
    Reply::json(
        200,
        r#"{"device_code":"DEVICE-SECRET","user_code":"ABCD-EFGH","verification_uri":"https://microsoft.com/devicelogin","expires_in":900,"interval":5,"message":"To sign in, use a web browser to open the page https://microsoft.com/devicelogin and enter the code ABCD-EFGH to authenticate."}"#,
    )
}

fn granted(access: &str, refresh: Option<&str>) -> Reply {
    let refresh = refresh
        .map(|r| format!(r#","refresh_token":"{r}""#))
        .unwrap_or_default();
    Reply::json(
        200,
        &format!(
            r#"{{"token_type":"Bearer","scope":"s","expires_in":3599,"ext_expires_in":3599,"access_token":"{access}"{refresh}}}"#
        ),
    )
}

#[tokio::test]
async fn device_code_polls_through_pending_and_slow_down() {
    let polls = std::sync::atomic::AtomicUsize::new(0);
    let mock = Mock::start(move |req, _| {
        if req.target.ends_with("/devicecode") {
            return device_code_reply();
        }
        match req.form_value("grant_type").as_deref() {
            Some("urn:ietf:params:oauth:grant-type:device_code") => {
                match polls.fetch_add(1, std::sync::atomic::Ordering::SeqCst) {
                    0 => oauth_error("authorization_pending"),
                    1 => oauth_error("slow_down"),
                    2 => oauth_error("authorization_pending"),
                    _ => granted("graph-token", Some("refresh-1")),
                }
            }
            Some("refresh_token") => granted("la-token", Some("refresh-2")),
            _ => Reply::empty(500),
        }
    })
    .await;
    let cfg = config(
        &mock.base(),
        AuthMethod::DeviceCode {
            client_id: CLIENT.into(),
        },
    );
    let (sleeper, waits) = fake_sleeper();
    let creds = Credentials::new(&cfg, build_http(&cfg.http).unwrap()).with_sleeper(sleeper);

    assert_eq!(
        creds.token(Resource::Graph, false).await.unwrap_err(),
        AuthError::NotSignedIn
    );
    let prompt = creds.device_start().await.unwrap();
    assert_eq!(prompt.user_code, "ABCD-EFGH");
    assert_eq!(prompt.verification_uri, "https://microsoft.com/devicelogin");
    assert!(prompt.message.contains("ABCD-EFGH"));
    assert!(!format!("{prompt:?}").contains("DEVICE-SECRET"));
    creds.device_finish(&prompt).await.unwrap();
    // 5 s interval, +5 s for good after slow_down.
    assert_eq!(
        *waits.lock().unwrap(),
        [5, 5, 10, 10].map(Duration::from_secs).to_vec()
    );

    let reqs = mock.requests();
    assert_eq!(reqs[0].target, format!("/{TENANT}/oauth2/v2.0/devicecode"));
    assert_eq!(reqs[0].form_value("client_id").as_deref(), Some(CLIENT));
    assert_eq!(
        reqs[0].form_value("scope").as_deref(),
        Some("https://graph.microsoft.com/.default offline_access")
    );
    assert_eq!(reqs[1].target, format!("/{TENANT}/oauth2/v2.0/token"));
    assert_eq!(
        reqs[1].form_value("device_code").as_deref(),
        Some("DEVICE-SECRET")
    );

    // Graph comes from the sign-in; Log Analytics from the refresh token.
    assert_eq!(
        creds.token(Resource::Graph, false).await.unwrap().secret(),
        "graph-token"
    );
    let la = creds.token(Resource::LogAnalytics, false).await.unwrap();
    assert_eq!(la.secret(), "la-token");
    let refresh = mock.requests().last().unwrap().clone();
    assert_eq!(
        refresh.form_value("refresh_token").as_deref(),
        Some("refresh-1")
    );
    assert_eq!(
        refresh.form_value("scope").as_deref(),
        Some("https://api.loganalytics.io/.default offline_access")
    );
    // Cached: no new request.
    let before = mock.count();
    creds.token(Resource::LogAnalytics, false).await.unwrap();
    assert_eq!(mock.count(), before);
    // Forced refresh uses the rotated refresh token.
    creds.token(Resource::LogAnalytics, true).await.unwrap();
    assert_eq!(
        mock.requests()
            .last()
            .unwrap()
            .form_value("refresh_token")
            .as_deref(),
        Some("refresh-2")
    );
    // Nothing secret in Debug output.
    let shown = format!("{creds:?} {la:?}");
    assert!(
        !shown.contains("la-token") && !shown.contains("refresh-"),
        "{shown}"
    );
}

async fn device_flow_ending_with(code: &'static str) -> AuthError {
    let mock = Mock::start(move |req, i| {
        if req.target.ends_with("/devicecode") {
            device_code_reply()
        } else if i < 2 {
            oauth_error("authorization_pending")
        } else {
            oauth_error(code)
        }
    })
    .await;
    let cfg = config(
        &mock.base(),
        AuthMethod::DeviceCode {
            client_id: CLIENT.into(),
        },
    );
    let (sleeper, _) = fake_sleeper();
    let creds = Credentials::new(&cfg, build_http(&cfg.http).unwrap()).with_sleeper(sleeper);
    let prompt = creds.device_start().await.unwrap();
    creds.device_finish(&prompt).await.unwrap_err()
}

#[tokio::test]
async fn device_code_stops_on_decline_expiry_and_bad_code() {
    assert_eq!(
        device_flow_ending_with("authorization_declined").await,
        AuthError::Declined
    );
    assert_eq!(
        device_flow_ending_with("expired_token").await,
        AuthError::Expired
    );
    assert_eq!(
        device_flow_ending_with("bad_verification_code").await,
        AuthError::BadVerificationCode
    );
    assert!(matches!(
        device_flow_ending_with("invalid_client").await,
        AuthError::Refused { ref error, .. } if error == "invalid_client"
    ));
}

#[tokio::test]
async fn device_code_gives_up_when_the_code_lifetime_is_over() {
    let mock = Mock::start(|req, _| {
        if req.target.ends_with("/devicecode") {
            Reply::json(200, r#"{"device_code":"d","user_code":"U","verification_uri":"https://x","expires_in":12,"interval":5,"message":"m"}"#)
        } else {
            oauth_error("authorization_pending")
        }
    })
    .await;
    let cfg = config(
        &mock.base(),
        AuthMethod::DeviceCode {
            client_id: CLIENT.into(),
        },
    );
    let (sleeper, waits) = fake_sleeper();
    let creds = Credentials::new(&cfg, build_http(&cfg.http).unwrap()).with_sleeper(sleeper);
    let prompt = creds.device_start().await.unwrap();
    assert_eq!(
        creds.device_finish(&prompt).await.unwrap_err(),
        AuthError::Expired
    );
    assert_eq!(waits.lock().unwrap().len(), 3);
}

#[tokio::test]
async fn client_secret_comes_from_the_named_environment_variable() {
    let mock = Mock::start(|req, _| {
        if req.form_value("client_secret").as_deref() == Some("s3cret") {
            granted(&format!("tok-for-{}", req.form_value("scope").unwrap()), None)
        } else {
            Reply::json(401, r#"{"error":"invalid_client","error_description":"AADSTS7000215: Invalid client secret provided."}"#)
        }
    })
    .await;
    let cfg = config(
        &mock.base(),
        AuthMethod::ClientSecret {
            client_id: CLIENT.into(),
            env_var: "CAIRN_TEST_SECRET".into(),
        },
    );
    let env: HashMap<String, String> =
        [("CAIRN_TEST_SECRET".to_string(), "s3cret".to_string())].into();
    let creds = Credentials::new(&cfg, build_http(&cfg.http).unwrap())
        .with_env(Arc::new(move |k| env.get(k).cloned()));
    let g = creds.token(Resource::Graph, false).await.unwrap();
    assert_eq!(g.secret(), "tok-for-https://graph.microsoft.com/.default");
    let req = &mock.requests()[0];
    assert_eq!(
        req.form_value("grant_type").as_deref(),
        Some("client_credentials")
    );
    assert_eq!(req.form_value("client_id").as_deref(), Some(CLIENT));

    let missing =
        Credentials::new(&cfg, build_http(&cfg.http).unwrap()).with_env(Arc::new(|_| None));
    assert_eq!(
        missing.token(Resource::Graph, false).await.unwrap_err(),
        AuthError::SecretMissing("CAIRN_TEST_SECRET".into())
    );
    let wrong = Credentials::new(&cfg, build_http(&cfg.http).unwrap())
        .with_env(Arc::new(|_| Some("nope".into())));
    let err = wrong.token(Resource::Graph, false).await.unwrap_err();
    assert!(
        matches!(&err, AuthError::Refused { error, description } if error == "invalid_client" && description.contains("7000215")),
        "{err}"
    );
    assert!(!err.to_string().contains("nope"));
}

fn b64url_decode(s: &str) -> Vec<u8> {
    let value = |c: u8| -> u32 {
        match c {
            b'A'..=b'Z' => (c - b'A') as u32,
            b'a'..=b'z' => (c - b'a' + 26) as u32,
            b'0'..=b'9' => (c - b'0' + 52) as u32,
            b'-' => 62,
            b'_' => 63,
            _ => panic!("not base64url: {c}"),
        }
    };
    let mut out = Vec::new();
    for chunk in s.as_bytes().chunks(4) {
        let mut n = 0u32;
        for (i, &c) in chunk.iter().enumerate() {
            n |= value(c) << (18 - 6 * i);
        }
        for i in 0..chunk.len() - 1 {
            out.push((n >> (16 - 8 * i)) as u8);
        }
    }
    out
}

fn fixture_path(name: &str) -> std::path::PathBuf {
    std::path::Path::new(env!("CARGO_MANIFEST_DIR"))
        .join("tests/fixtures/lookup")
        .join(name)
}

/// base64url SHA-256 of the fixture certificate's DER, computed with openssl.
const FIXTURE_THUMBPRINT: &str = "P3fEzjIKbYsFGn3VnwXKH7EeId5cD_VNRVVjx1z3zC4";

#[tokio::test]
async fn client_certificate_signs_a_verifiable_ps256_assertion() {
    use aws_lc_rs::signature::{KeyPair, RSA_PSS_2048_8192_SHA256, RsaKeyPair, UnparsedPublicKey};
    let mock = Mock::start(|_, _| granted("cert-token", None)).await;
    let cfg = config(
        &mock.base(),
        AuthMethod::ClientCertificate {
            client_id: CLIENT.into(),
            certificate_path: fixture_path("client-cert.pem"),
        },
    );
    let creds = Credentials::new(&cfg, build_http(&cfg.http).unwrap());
    let token = creds.token(Resource::LogAnalytics, false).await.unwrap();
    assert_eq!(token.secret(), "cert-token");

    let req = &mock.requests()[0];
    assert_eq!(req.target, format!("/{TENANT}/oauth2/v2.0/token"));
    assert_eq!(
        req.form_value("grant_type").as_deref(),
        Some("client_credentials")
    );
    assert_eq!(
        req.form_value("client_assertion_type").as_deref(),
        Some("urn:ietf:params:oauth:client-assertion-type:jwt-bearer")
    );
    assert_eq!(
        req.form_value("scope").as_deref(),
        Some("https://api.loganalytics.io/.default")
    );
    assert!(req.form_value("client_secret").is_none());
    let jwt = req.form_value("client_assertion").unwrap();
    let parts: Vec<&str> = jwt.split('.').collect();
    assert_eq!(parts.len(), 3);
    let header: serde_json::Value = serde_json::from_slice(&b64url_decode(parts[0])).unwrap();
    assert_eq!(header["alg"], "PS256");
    assert_eq!(header["typ"], "JWT");
    assert_eq!(header["x5t#S256"], FIXTURE_THUMBPRINT);
    let claims: serde_json::Value = serde_json::from_slice(&b64url_decode(parts[1])).unwrap();
    assert_eq!(
        claims["aud"],
        format!("{}/{TENANT}/oauth2/v2.0/token", mock.base())
    );
    assert_eq!(claims["iss"], CLIENT);
    assert_eq!(claims["sub"], CLIENT);
    let (nbf, exp) = (
        claims["nbf"].as_u64().unwrap(),
        claims["exp"].as_u64().unwrap(),
    );
    assert_eq!(exp - nbf, 600);
    assert!(uuid::Uuid::try_parse(claims["jti"].as_str().unwrap()).is_ok());

    // The signature verifies with the certificate's public key.
    let pem_text = std::fs::read_to_string(fixture_path("client-cert.pem")).unwrap();
    let key_der = pem::parse_many(&pem_text)
        .unwrap()
        .into_iter()
        .find(|b| b.tag() == "PRIVATE KEY")
        .unwrap();
    let key = RsaKeyPair::from_pkcs8(key_der.contents()).unwrap();
    let verifier = UnparsedPublicKey::new(&RSA_PSS_2048_8192_SHA256, key.public_key().as_ref());
    let signature = b64url_decode(parts[2]);
    let input = format!("{}.{}", parts[0], parts[1]);
    verifier.verify(input.as_bytes(), &signature).unwrap();
    assert!(verifier.verify(b"tampered", &signature).is_err());
}

#[test]
fn certificate_files_are_checked() {
    use cairn::lookup::auth::certificate::CertificateKey;
    let pkcs8 = std::fs::read_to_string(fixture_path("client-cert.pem")).unwrap();
    let pkcs1 = std::fs::read_to_string(fixture_path("client-cert-pkcs1.pem")).unwrap();
    assert_eq!(
        CertificateKey::from_pem(&pkcs8).unwrap().thumbprint(),
        FIXTURE_THUMBPRINT
    );
    assert_eq!(
        CertificateKey::from_pem(&pkcs1).unwrap().thumbprint(),
        FIXTURE_THUMBPRINT
    );
    let shown = format!("{:?}", CertificateKey::from_pem(&pkcs8).unwrap());
    assert!(
        shown.contains("<redacted>") && !shown.contains("BEGIN"),
        "{shown}"
    );
    let cert_only = &pkcs8[..pkcs8.find("-----BEGIN PRIVATE KEY-----").unwrap()];
    assert!(
        matches!(CertificateKey::from_pem(cert_only), Err(AuthError::Certificate(m)) if m.contains("no PRIVATE KEY"))
    );
    let key_only = &pkcs8[pkcs8.find("-----BEGIN PRIVATE KEY-----").unwrap()..];
    assert!(
        matches!(CertificateKey::from_pem(key_only), Err(AuthError::Certificate(m)) if m.contains("no CERTIFICATE"))
    );
    let encrypted =
        "-----BEGIN ENCRYPTED PRIVATE KEY-----\nMIIB\n-----END ENCRYPTED PRIVATE KEY-----\n";
    assert!(CertificateKey::from_pem(encrypted).is_err());
}

#[tokio::test]
async fn a_missing_certificate_file_is_reported() {
    let cfg = config(
        "http://127.0.0.1:9",
        AuthMethod::ClientCertificate {
            client_id: CLIENT.into(),
            certificate_path: "/nonexistent/x.pem".into(),
        },
    );
    let creds = Credentials::new(&cfg, build_http(&cfg.http).unwrap());
    let err = creds.token(Resource::Graph, false).await.unwrap_err();
    assert!(
        matches!(&err, AuthError::Certificate(m) if m.contains("/nonexistent/x.pem")),
        "{err}"
    );
}

#[cfg(unix)]
fn fake_az(dir: &std::path::Path, body: &str) -> std::path::PathBuf {
    use std::os::unix::fs::PermissionsExt;
    let path = dir.join("az");
    std::fs::write(&path, format!("#!/bin/sh\n{body}\n")).unwrap();
    std::fs::set_permissions(&path, std::fs::Permissions::from_mode(0o755)).unwrap();
    path
}

#[cfg(unix)]
#[tokio::test]
async fn azure_cli_is_run_with_scope_and_tenant() {
    let dir = tempfile::tempdir().unwrap();
    let log = dir.path().join("args");
    let az = fake_az(
        dir.path(),
        &format!(
            "echo \"$@\" >> '{}'\necho '{{\"accessToken\":\"az-token\",\"expiresOn\":\"2099-01-01 00:00:00.000000\",\"expires_on\":4070908800,\"tenant\":\"t\",\"tokenType\":\"Bearer\"}}'",
            log.display()
        ),
    );
    let cfg = config("http://127.0.0.1:9", AuthMethod::AzureCli { az_path: az });
    let creds = Credentials::new(&cfg, build_http(&cfg.http).unwrap());
    let t = creds.token(Resource::LogAnalytics, false).await.unwrap();
    assert_eq!(t.secret(), "az-token");
    creds.token(Resource::LogAnalytics, false).await.unwrap();
    creds.token(Resource::Graph, false).await.unwrap();
    let args = std::fs::read_to_string(&log).unwrap();
    assert_eq!(
        args.lines().collect::<Vec<_>>(),
        [
            format!(
                "account get-access-token --scope https://api.loganalytics.io/.default --tenant {TENANT} -o json"
            ),
            format!(
                "account get-access-token --scope https://graph.microsoft.com/.default --tenant {TENANT} -o json"
            ),
        ]
    );
}

#[cfg(unix)]
#[tokio::test]
async fn azure_cli_failures_are_explained() {
    let dir = tempfile::tempdir().unwrap();
    let az = fake_az(
        dir.path(),
        "echo \"ERROR: Please run 'az login' to setup account.\" >&2\nexit 1",
    );
    let cfg = config("http://127.0.0.1:9", AuthMethod::AzureCli { az_path: az });
    let creds = Credentials::new(&cfg, build_http(&cfg.http).unwrap());
    let err = creds.token(Resource::Graph, false).await.unwrap_err();
    assert!(
        matches!(&err, AuthError::AzureCli(m) if m.contains("run `az login`")),
        "{err}"
    );

    let cfg = config(
        "http://127.0.0.1:9",
        AuthMethod::AzureCli {
            az_path: dir.path().join("missing-az"),
        },
    );
    let creds = Credentials::new(&cfg, build_http(&cfg.http).unwrap());
    let err = creds.token(Resource::Graph, false).await.unwrap_err();
    assert!(
        matches!(&err, AuthError::AzureCli(m) if m.contains("not found")),
        "{err}"
    );
}

#[tokio::test]
async fn a_401_refreshes_once_then_asks_to_sign_in_again() {
    // Token endpoint and API on one mock: tokens are numbered per issue.
    let issued = std::sync::atomic::AtomicUsize::new(0);
    let mock = Mock::start(move |req, _| {
        if req.target.contains("/oauth2/") {
            let n = issued.fetch_add(1, std::sync::atomic::Ordering::SeqCst);
            return granted(&format!("tok{n}"), None);
        }
        match req.header("authorization") {
            Some("Bearer tok1") if !req.target.contains("always") => {
                Reply::json(200, r#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"n","type":"long"}],"rows":[[7]]}]}"#)
            }
            _ => Reply::json(401, r#"{"error":{"code":"AuthenticationFailed","message":"The 'Authorization' header is missing."}}"#),
        }
    })
    .await;
    let cfg = config(
        &mock.base(),
        AuthMethod::ClientSecret {
            client_id: CLIENT.into(),
            env_var: "S".into(),
        },
    );
    let http = build_http(&cfg.http).unwrap();
    let creds = Credentials::new(&cfg, http.clone()).with_env(Arc::new(|_| Some("x".into())));
    let client = ApiClient::new(&cfg, http, Arc::new(creds));
    let r = loganalytics::query(&client, "T", None, None).await.unwrap();
    assert_eq!(r.row_count(), 1);

    let mut cfg2 = cfg.clone();
    cfg2.workspace = "always".into();
    let mut client2 = client.clone();
    client2.workspace = cfg2.workspace;
    let err = loganalytics::query(&client2, "T", None, None)
        .await
        .unwrap_err();
    assert_eq!(err, LookupError::SignInAgain);
}
