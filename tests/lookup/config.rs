//! Configuration: template, never overwriting, clouds, line:column errors,
//! and `cairn auth status` without tokens in its output.

use cairn::lookup::config::{self, AuthMethod, Cloud, ConfigError};

#[test]
fn init_writes_a_template_that_parses_and_never_overwrites() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("nested/cairn/config.toml");
    config::init(&path).unwrap();
    let text = std::fs::read_to_string(&path).unwrap();
    assert!(text.starts_with("# Cairn configuration."));
    let cfg = config::load(&path).unwrap();
    assert_eq!(cfg.cloud, Cloud::Public);
    assert_eq!(
        cfg.auth,
        AuthMethod::AzureCli {
            az_path: "az".into()
        }
    );
    assert_eq!(cfg.endpoints.graph, "https://graph.microsoft.com/v1.0");
    assert_eq!(cfg.http.query_wait_secs, 180);

    std::fs::write(&path, "tenant = \"mine\"\n").unwrap();
    assert!(matches!(
        config::init(&path),
        Err(ConfigError::Exists { .. })
    ));
    assert_eq!(
        std::fs::read_to_string(&path).unwrap(),
        "tenant = \"mine\"\n"
    );
    assert!(matches!(
        config::load(&dir.path().join("absent.toml")),
        Err(ConfigError::Missing { .. })
    ));
}

const GOOD: &str = r#"tenant = "contoso.onmicrosoft.com"
cloud = "usgov"
workspace = "AAAAAAAA-1111-2222-3333-444444444444"
[auth]
method = "client-secret"
client_id = "12345678-1234-1234-1234-123456789012"
client_secret_env = "CAIRN_SECRET"
[endpoints]
graph = "http://127.0.0.1:8080/v1.0/"
"#;

#[test]
fn clouds_choose_hosts_and_overrides_win() {
    let cfg = config::parse(GOOD, "c.toml").unwrap();
    assert_eq!(cfg.workspace, "aaaaaaaa-1111-2222-3333-444444444444");
    assert_eq!(cfg.endpoints.authority, "https://login.microsoftonline.us");
    assert_eq!(cfg.endpoints.log_analytics, "https://api.loganalytics.us");
    assert_eq!(cfg.endpoints.graph, "http://127.0.0.1:8080/v1.0");
    assert_eq!(
        cfg.endpoints.graph_scope,
        "https://graph.microsoft.us/.default"
    );
    assert_eq!(
        cfg.auth,
        AuthMethod::ClientSecret {
            client_id: "12345678-1234-1234-1234-123456789012".into(),
            env_var: "CAIRN_SECRET".into()
        }
    );
    let china = Cloud::China.endpoints();
    assert_eq!(china.authority, "https://login.chinacloudapi.cn");
    assert_eq!(china.graph, "https://microsoftgraph.chinacloudapi.cn/v1.0");
    let public = Cloud::Public.endpoints();
    assert_eq!(
        public.log_analytics_scope,
        "https://api.loganalytics.io/.default"
    );
}

fn error_at(text: &str) -> (usize, usize, String) {
    match config::parse(text, "c.toml") {
        Err(ConfigError::Invalid {
            line,
            column,
            message,
            path,
        }) => {
            assert_eq!(path, "c.toml");
            (line, column, message)
        }
        other => panic!("expected an error, got {other:?}"),
    }
}

#[test]
fn bad_configuration_is_reported_at_its_line_and_column() {
    let (l, c, m) = error_at(&GOOD.replace("cloud = \"usgov\"", "cloud = \"mars\""));
    assert_eq!((l, c), (2, 9), "{m}");
    let (l, c, m) = error_at(&GOOD.replace("AAAAAAAA-1111", "nope"));
    assert_eq!((l, c), (3, 13));
    assert!(m.contains("not a GUID"), "{m}");
    let (l, _, m) = error_at(&GOOD.replace("client-secret\"", "password\""));
    assert_eq!(l, 5);
    assert!(m.contains("unknown auth method 'password'"), "{m}");
    let (l, c, m) = error_at(&GOOD.replace("http://127.0.0.1:8080", "http://graph.example"));
    assert_eq!((l, c), (9, 9));
    assert!(m.contains("plain http"), "{m}");
    let (l, _, m) = error_at(&GOOD.replace("CAIRN_SECRET", "hunter2 is my secret"));
    assert_eq!(l, 7);
    assert!(m.contains("NAME"), "{m}");
    let (l, _, m) = error_at(&format!("{GOOD}colour = \"blue\"\n"));
    assert!(m.contains("colour"), "{m}");
    assert_eq!(l, 10);
    let (l, _, _) = error_at("tenant = \"x.com\"\nworkspace = ");
    assert_eq!(l, 2);
    let (_, _, m) =
        error_at(&GOOD.replace("client_id = \"12345678-1234-1234-1234-123456789012\"\n", ""));
    assert!(m.contains("needs auth.client_id"), "{m}");
}

#[cfg(unix)]
#[tokio::test]
async fn auth_status_reports_availability_without_tokens() {
    use std::os::unix::fs::PermissionsExt;
    let dir = tempfile::tempdir().unwrap();
    let az = dir.path().join("az");
    std::fs::write(
        &az,
        "#!/bin/sh\ncase \"$*\" in *graph*) echo 'ERROR: AADSTS50076 MFA required' >&2; exit 1;; esac\necho '{\"accessToken\":\"SECRET-TOKEN-VALUE\",\"expires_on\":4070908800}'\n",
    )
    .unwrap();
    std::fs::set_permissions(&az, std::fs::Permissions::from_mode(0o755)).unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(
        &path,
        format!(
            "tenant = \"contoso.onmicrosoft.com\"\nworkspace = \"aaaaaaaa-1111-2222-3333-444444444444\"\n[auth]\nmethod = \"azure-cli\"\naz_path = \"{}\"\n{SENTINEL}",
            az.display()
        ),
    )
    .unwrap();
    let mut out = Vec::new();
    let ok = cairn::cli::auth::status(&path, &mut out).await.unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(!ok);
    assert!(!out.contains("SECRET-TOKEN-VALUE"), "{out}");
    assert!(
        out.contains("Log Analytics    https://api.loganalytics.io/.default: available"),
        "{out}"
    );
    assert!(
        out.contains("Microsoft Graph  https://graph.microsoft.com/.default: NOT available"),
        "{out}"
    );
    assert!(out.contains("AADSTS50076"), "{out}");
    assert!(
        out.contains("Sentinel (ARM)   https://management.azure.com/.default: available"),
        "{out}"
    );
    assert!(
        out.contains("resource group soc-rg, workspace soc-ws-01"),
        "{out}"
    );
}

const SENTINEL: &str = r#"
[sentinel]
subscription = "0B9F7C2E-1A2B-4C3D-8E9F-0A1B2C3D4E5F"
resource_group = "soc-rg"
workspace_name = "soc-ws-01"
"#;

#[test]
fn sentinel_coordinates_are_optional_validated_and_get_the_arm_audience() {
    let plain = config::parse(GOOD, "c.toml").unwrap();
    assert_eq!(plain.sentinel, None);
    assert_eq!(plain.endpoints.arm, "https://management.usgovcloudapi.net");
    assert_eq!(
        plain.endpoints.arm_scope,
        "https://management.usgovcloudapi.net/.default"
    );
    let public = GOOD.replace("cloud = \"usgov\"\n", "");
    let cfg = config::parse(&format!("{public}{SENTINEL}"), "c.toml").unwrap();
    assert_eq!(
        cfg.endpoints.arm_scope,
        "https://management.azure.com/.default"
    );
    let s = cfg.sentinel.unwrap();
    assert_eq!(s.subscription, "0b9f7c2e-1a2b-4c3d-8e9f-0a1b2c3d4e5f");
    assert_eq!(
        (s.resource_group.as_str(), s.workspace_name.as_str()),
        ("soc-rg", "soc-ws-01")
    );

    // A moved ARM host (a test server, a proxy) carries its own audience.
    let moved = GOOD.replace(
        "[endpoints]\n",
        "[endpoints]\narm = \"http://127.0.0.1:9/\"\n",
    );
    let cfg = config::parse(&moved, "c.toml").unwrap();
    assert_eq!(cfg.endpoints.arm, "http://127.0.0.1:9");
    assert_eq!(cfg.endpoints.arm_scope, "http://127.0.0.1:9/.default");

    let with = format!("{GOOD}{SENTINEL}");
    let (l, c, m) = error_at(&with.replace("soc-rg", "soc/../rg"));
    assert_eq!((l, c), (13, 18), "{m}");
    assert!(m.contains("resource group name"), "{m}");
    let (l, _, m) = error_at(&with.replace("soc-ws-01", "ws?x=1"));
    assert_eq!(l, 14);
    assert!(m.contains("workspace name"), "{m}");
    let (l, _, m) = error_at(&with.replace("0B9F7C2E-1A2B", "subscription-one"));
    assert_eq!(l, 12);
    assert!(m.contains("sentinel.subscription"), "{m}");
    let (_, _, m) = error_at(&with.replace("workspace_name = \"soc-ws-01\"\n", ""));
    assert!(m.contains("workspace_name"), "{m}");
}

/// Runs the built binary with only the given environment (and PATH).
fn cairn(args: &[&str], env: &[(&str, &str)]) -> std::process::Output {
    let mut cmd = std::process::Command::new(env!("CARGO_BIN_EXE_cairn"));
    cmd.args(args).env_clear();
    cmd.env("PATH", std::env::var("PATH").unwrap_or_default());
    for (k, v) in env {
        cmd.env(k, v);
    }
    cmd.output().unwrap()
}

#[test]
fn cairn_new_warns_when_a_live_incident_has_no_usable_configuration() {
    let dir = tempfile::tempdir().unwrap();
    let d = |s: &str| dir.path().join(s).display().to_string();
    let absent = d("absent.toml");
    let data = d("data");
    let conf_dir = d("conf");
    let env = [
        ("CAIRN_DATA_DIR", data.as_str()),
        ("CAIRN_CONFIG_DIR", conf_dir.as_str()),
        ("HOME", conf_dir.as_str()),
        ("CAIRN_CONFIG", absent.as_str()),
    ];
    let args = ["new", "--tree", "token-theft", "--title", "t"];
    let out = cairn(&args, &env);
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(
        err.contains("warning") && err.contains("live incident") && err.contains("absent.toml"),
        "{err}"
    );

    let good = d("good.toml");
    std::fs::write(&good, GOOD).unwrap();
    let env = [
        ("CAIRN_DATA_DIR", data.as_str()),
        ("CAIRN_CONFIG_DIR", conf_dir.as_str()),
        ("HOME", conf_dir.as_str()),
    ];
    let out = cairn(
        &[
            "--config",
            &good,
            "new",
            "--tree",
            "token-theft",
            "--title",
            "t",
        ],
        &env,
    );
    assert!(out.status.success());
    let err = String::from_utf8_lossy(&out.stderr);
    assert!(!err.contains("warning"), "{err}");
}

#[test]
fn config_path_and_init_follow_cairn_config_and_the_flag() {
    let dir = tempfile::tempdir().unwrap();
    let named = dir.path().join("named.toml").display().to_string();
    let conf_dir = dir.path().join("conf").display().to_string();
    let env = [
        ("CAIRN_CONFIG_DIR", conf_dir.as_str()),
        ("CAIRN_CONFIG", named.as_str()),
    ];
    let out = cairn(&["config", "path"], &env);
    assert_eq!(String::from_utf8_lossy(&out.stdout).trim(), named);
    let flagged = dir.path().join("flag.toml").display().to_string();
    let out = cairn(&["config", "init", "--config", &flagged], &env);
    assert!(
        out.status.success(),
        "{}",
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(std::path::Path::new(&flagged).exists());
    assert!(!std::path::Path::new(&named).exists());
}

#[cfg(unix)]
#[tokio::test]
async fn auth_status_shows_hosts_and_flags_the_templates_zero_ids() {
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    config::init(&path).unwrap();
    // The template signs in with az; a missing az just fails its line.
    let text = std::fs::read_to_string(&path)
        .unwrap()
        .replace("[auth]", "[auth]\naz_path = \"/nonexistent/az\"");
    std::fs::write(&path, text).unwrap();
    let mut out = Vec::new();
    let ok = cairn::cli::auth::status(&path, &mut out).await.unwrap();
    let out = String::from_utf8(out).unwrap();
    assert!(!ok);
    assert_eq!(
        out.matches("the template's all-zero id").count(),
        2,
        "{out}"
    );
    assert!(
        out.contains("still holds the template's placeholder ids"),
        "{out}"
    );
    for host in [
        "sign-in:       https://login.microsoftonline.com",
        "log analytics: https://api.loganalytics.azure.com",
        "graph:         https://graph.microsoft.com/v1.0",
    ] {
        assert!(out.contains(host), "{host} missing:\n{out}");
    }
}

#[tokio::test]
async fn auth_status_never_prints_a_secret_the_token_endpoint_echoes() {
    use super::mock::{Mock, Reply};
    const SECRET: &str = "Zq8~very/secret+value";
    let mock = Mock::start(|req, _| {
        let echoed = String::from_utf8_lossy(&req.body).to_string();
        Reply::json(
            401,
            &serde_json::json!({
                "error": "invalid_client",
                "error_description": format!("AADSTS7000215: Invalid client secret. Request: {echoed} secret={SECRET}"),
            })
            .to_string(),
        )
    })
    .await;
    let dir = tempfile::tempdir().unwrap();
    let path = dir.path().join("config.toml");
    std::fs::write(
        &path,
        format!(
            "tenant = \"contoso.onmicrosoft.com\"\nworkspace = \"aaaaaaaa-1111-2222-3333-444444444444\"\n\
             [auth]\nmethod = \"client-secret\"\nclient_id = \"12345678-1234-1234-1234-123456789012\"\n\
             client_secret_env = \"CAIRN_TEST_SECRET\"\n[endpoints]\nauthority = \"{}\"\n",
            mock.base()
        ),
    )
    .unwrap();
    let config = path.display().to_string();
    let out = tokio::task::spawn_blocking(move || {
        cairn(
            &["auth", "status", "--config", &config],
            &[("CAIRN_TEST_SECRET", SECRET), ("HOME", "/nonexistent")],
        )
    })
    .await
    .unwrap();
    let text = format!(
        "{}{}",
        String::from_utf8_lossy(&out.stdout),
        String::from_utf8_lossy(&out.stderr)
    );
    assert!(mock.count() >= 1, "the token endpoint was asked");
    assert!(text.contains("AADSTS7000215"), "{text}");
    assert!(text.contains("[redacted]"), "{text}");
    assert!(
        !text.contains("very/secret") && !text.contains("very%2Fsecret"),
        "{text}"
    );
}
