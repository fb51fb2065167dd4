//! `cairn new --sentinel` and `cairn attach --sentinel` against the Sentinel
//! mock: the link and the entity values are recorded, each value with the
//! entity it came from; typed values win; a second attach links nothing twice.

use std::path::{Path, PathBuf};
use std::process::{Command, Output, Stdio};

use cairn::store::event::{EventKind, ValueSource};
use cairn::store::{IncidentId, Store};

use super::sentinel_mock::{INCIDENT, RG, SUB, SentinelMock, WS};

pub struct Env {
    _tmp: tempfile::TempDir,
    pub data: PathBuf,
    config: PathBuf,
    config_dir: PathBuf,
}

/// A data dir, and a configuration whose ARM host is the mock and whose
/// token comes from a stand-in `az`.
#[cfg(unix)]
pub fn env(mock: &SentinelMock) -> Env {
    env_as(mock, "sentinel-token")
}

/// [`env`] whose stand-in `az` hands out `token` (the mock's user).
#[cfg(unix)]
pub fn env_as(mock: &SentinelMock, token: &str) -> Env {
    use std::os::unix::fs::PermissionsExt;
    let tmp = tempfile::tempdir().unwrap();
    let az = tmp.path().join("az");
    std::fs::write(
        &az,
        format!("#!/bin/sh\necho '{{\"accessToken\":\"{token}\",\"expires_on\":4070908800}}'\n"),
    )
    .unwrap();
    std::fs::set_permissions(&az, std::fs::Permissions::from_mode(0o755)).unwrap();
    let config = tmp.path().join("config.toml");
    std::fs::write(
        &config,
        format!(
            "tenant = \"contoso.onmicrosoft.com\"\nworkspace = \"aaaaaaaa-1111-2222-3333-444444444444\"\n\
             [auth]\nmethod = \"azure-cli\"\naz_path = \"{}\"\n\
             [endpoints]\narm = \"{}\"\n\
             [http]\nuse_system_proxy = false\n\
             [sentinel]\nsubscription = \"{SUB}\"\nresource_group = \"{RG}\"\nworkspace_name = \"{WS}\"\n",
            az.display(),
            mock.server.base()
        ),
    )
    .unwrap();
    Env {
        data: tmp.path().join("data"),
        config_dir: tmp.path().join("cairn-config"),
        config,
        _tmp: tmp,
    }
}

/// `cairn` with the environment's data dir and configuration.
pub fn command(env: &Env, args: &[&str]) -> Command {
    let mut cmd = Command::new(env!("CARGO_BIN_EXE_cairn"));
    cmd.arg("--data-dir")
        .arg(&env.data)
        .args(args)
        .env("CAIRN_CONFIG", &env.config)
        .env("CAIRN_CONFIG_DIR", &env.config_dir)
        .env("USER", "kim")
        .env_remove("CAIRN_DATA_DIR")
        .env_remove("SSH_CONNECTION")
        .stdin(Stdio::null());
    cmd
}

pub async fn cairn(env: &Env, args: &[&str]) -> Output {
    let mut cmd = command(env, args);
    tokio::task::spawn_blocking(move || cmd.output().unwrap())
        .await
        .unwrap()
}

pub fn text(b: &[u8]) -> String {
    String::from_utf8_lossy(b).into_owned()
}

fn events(data: &Path, id: &IncidentId) -> Vec<EventKind> {
    let store = Store::open(data).unwrap();
    store
        .events(id)
        .unwrap()
        .into_iter()
        .map(|e| e.kind)
        .collect()
}

fn from_entity(entity: &str, kind: &str) -> ValueSource {
    ValueSource::Sentinel {
        incident: INCIDENT.into(),
        entity: entity.into(),
        entity_kind: kind.into(),
    }
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn new_from_a_sentinel_number_records_the_link_and_the_entity_values() {
    let mock = SentinelMock::start().await;
    let env = env(&mock);
    let out = cairn(&env, &["new", "--tree", "token-theft", "--sentinel", "42"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let id = IncidentId::parse(text(&out.stdout).trim()).unwrap();
    let store = Store::open(&env.data).unwrap();
    assert_eq!(
        store.incident(&id).unwrap().title,
        "Suspicious token use from an unfamiliar location"
    );
    drop(store);
    let kinds = events(&env.data, &id);
    assert!(matches!(kinds[0], EventKind::IncidentCreated { .. }));
    let EventKind::SentinelAttached {
        incident,
        name,
        number,
        severity,
        status,
        owner,
        labels,
        alerts,
        ..
    } = &kinds[1]
    else {
        panic!("event 2 is the link: {:?}", kinds[1]);
    };
    assert!(
        incident.ends_with(&format!("/Incidents/{INCIDENT}")),
        "{incident}"
    );
    assert_eq!((name.as_str(), *number), (INCIDENT, Some(42)));
    assert_eq!((severity.as_str(), status.as_str()), ("High", "New"));
    assert_eq!(owner.as_deref(), Some("mika@contoso.com"));
    assert_eq!(labels, &vec!["token-theft".to_string()]);
    assert_eq!(alerts, &vec!["Anomalous token".to_string()]);
    let sets: Vec<(String, String, ValueSource)> = kinds[2..]
        .iter()
        .map(|k| match k {
            EventKind::VariableSet {
                name,
                value,
                source,
            } => (name.clone(), value.clone(), source.clone()),
            other => panic!("only variables follow the link: {other:?}"),
        })
        .collect();
    assert_eq!(
        sets,
        vec![
            (
                "upn".into(),
                "alex.doe@contoso.com".into(),
                from_entity("acc-1", "Account")
            ),
            (
                "attacker_ip".into(),
                "203.0.113.7".into(),
                from_entity("ip-1", "Ip")
            ),
            (
                "user_device_id".into(),
                "3f2504e0-4f89-41d3-9a0c-0305e82c3301".into(),
                from_entity("host-1", "Host")
            ),
            (
                "mde_device_id".into(),
                "4ecd3a0c0b26c6e4f2a5b8d1e0f9a7c6b5d4e3f2".into(),
                from_entity("host-1", "Host")
            ),
        ]
    );
    // Three reads: the incident by number, its entities, its alerts.
    assert_eq!(mock.server.count(), 3);

    let out = cairn(&env, &["export", id.as_str(), "--format", "md"]).await;
    let md = text(&out.stdout);
    assert!(
        md.contains("Attached to Sentinel incident \\#42 (7f1c0c53"),
        "{md}"
    );
    assert!(md.contains("Account entity acc-1"), "{md}");
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attach_links_an_existing_incident_once_and_keeps_typed_values() {
    let mock = SentinelMock::start().await;
    let env = env(&mock);
    let out = cairn(
        &env,
        &[
            "new",
            "--tree",
            "token-theft",
            "--title",
            "Call from the help desk",
            "--set",
            "upn=kim@contoso.com",
        ],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let id = text(&out.stdout).trim().to_string();
    let arm = format!(
        "/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.OperationalInsights/\
         workspaces/{WS}/providers/Microsoft.SecurityInsights/incidents/{INCIDENT}"
    );
    let out = cairn(&env, &["attach", &id, "--sentinel", &arm]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stderr).contains("upn is already set; 'alex.doe@contoso.com' not used"),
        "{}",
        text(&out.stderr)
    );
    let id = IncidentId::parse(&id).unwrap();
    let kinds = events(&env.data, &id);
    assert_eq!(
        kinds.len(),
        2 + 1 + 3,
        "created, typed upn, link, three entity values"
    );
    assert!(matches!(kinds[2], EventKind::SentinelAttached { .. }));
    let upns: Vec<&str> = kinds
        .iter()
        .filter_map(|k| match k {
            EventKind::VariableSet { name, value, .. } if name == "upn" => Some(value.as_str()),
            _ => None,
        })
        .collect();
    assert_eq!(upns, vec!["kim@contoso.com"]);

    // Attaching again records nothing; another incident is refused.
    let out = cairn(&env, &["attach", id.as_str(), "--sentinel", "42"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(text(&out.stdout).contains("already attached"));
    assert_eq!(events(&env.data, &id).len(), kinds.len());
    mock.state
        .lock()
        .unwrap()
        .incidents
        .insert("other-incident".into(), {
            let mut other = super::sentinel_mock::seeded_incident();
            other.number = 43;
            other
        });
    let out = cairn(
        &env,
        &["attach", id.as_str(), "--sentinel", "other-incident"],
    )
    .await;
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("already attached to Sentinel incident"),
        "{}",
        text(&out.stderr)
    );
    assert_eq!(events(&env.data, &id).len(), kinds.len());
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_unknown_incident_or_a_missing_section_creates_nothing() {
    let mock = SentinelMock::start().await;
    let env = env(&mock);
    let out = cairn(&env, &["new", "--tree", "token-theft", "--sentinel", "9"]).await;
    assert!(!out.status.success());
    let err = text(&out.stderr);
    assert!(err.contains("incident NOT created"), "{err}");
    assert!(err.contains("#9 was not found"), "{err}");
    assert!(
        !env.data.join("cairn.db").exists()
            || Store::open(&env.data)
                .unwrap()
                .list(true)
                .unwrap()
                .is_empty()
    );

    let text_cfg = std::fs::read_to_string(&env.config).unwrap();
    let cut = text_cfg.find("[sentinel]").unwrap();
    std::fs::write(&env.config, &text_cfg[..cut]).unwrap();
    let out = cairn(&env, &["new", "--tree", "token-theft", "--sentinel", "42"]).await;
    assert!(!out.status.success());
    assert!(
        text(&out.stderr).contains("add a [sentinel] section"),
        "{}",
        text(&out.stderr)
    );
}
