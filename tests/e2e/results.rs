//! Issue 5's hostile-strings test on the real screen: Log Analytics rows
//! written by an attacker (escape sequences, C1 controls, bidi overrides,
//! zero-width characters) reach the pty only as visible markers. A loopback
//! mock server answers the query; a fake `az` supplies the token.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::time::Duration;

use crate::escapes;
use crate::harness::{Session, TestEnv};
use crate::hostile::{HOSTILE, marked};

const T: Duration = Duration::from_secs(15);

/// A Log Analytics answer whose rows (and one column name) are hostile.
fn hostile_response() -> String {
    let rows: Vec<serde_json::Value> = HOSTILE
        .iter()
        .map(|h| serde_json::json!(["2026-11-20T03:00:00Z", h]))
        .collect();
    serde_json::json!({
        "tables": [{
            "name": "PrimaryResult",
            "columns": [
                {"name": "TimeGenerated", "type": "datetime"},
                {"name": "Agent\u{1b}]0;x\u{7}", "type": "string"}
            ],
            "rows": rows
        }]
    })
    .to_string()
}

/// Answers every request on 127.0.0.1 with `body`; returns the base URL.
fn serve(body: String) -> String {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().unwrap());
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let mut reader = BufReader::new(stream);
            let mut length = 0;
            loop {
                let mut line = String::new();
                if reader.read_line(&mut line).unwrap_or(0) == 0 || line == "\r\n" {
                    break;
                }
                let lower = line.to_ascii_lowercase();
                if let Some(v) = lower.strip_prefix("content-length:") {
                    length = v.trim().parse().unwrap_or(0);
                }
            }
            let mut request = vec![0; length];
            let _ = reader.read_exact(&mut request);
            let mut stream = reader.into_inner();
            let _ = write!(
                stream,
                "HTTP/1.1 200 OK\r\nContent-Type: application/json\r\nContent-Length: {}\r\nConnection: close\r\n\r\n{body}",
                body.len()
            );
        }
    });
    base
}

/// A live configuration pointing Log Analytics at `base`, with a fake az,
/// in the default place.
fn configure(env: &TestEnv, base: &str) {
    let dir = env.path("config").join("cairn");
    std::fs::create_dir_all(&dir).unwrap();
    configure_at(env, base, &dir.join("config.toml"));
}

/// The same configuration written to `path`.
fn configure_at(env: &TestEnv, base: &str, path: &std::path::Path) {
    let az = env.path("home").join("az");
    let expires = chrono::Utc::now().timestamp() + 3600;
    std::fs::write(
        &az,
        format!(
            "#!/bin/sh\necho '{{\"accessToken\":\"test-token\",\"expires_on\":{expires},\"tokenType\":\"Bearer\"}}'\n"
        ),
    )
    .unwrap();
    std::fs::set_permissions(&az, std::fs::Permissions::from_mode(0o755)).unwrap();
    std::fs::write(
        path,
        format!(
            "tenant = \"contoso.example\"\ncloud = \"public\"\n\
             workspace = \"11111111-2222-3333-4444-555555555555\"\n\
             [auth]\nmethod = \"azure-cli\"\naz_path = \"{}\"\n\
             [endpoints]\nlog_analytics = \"{base}\"\n",
            az.display()
        ),
    )
    .unwrap();
}

#[test]
fn hostile_rows_in_a_result_table_reach_the_pty_only_as_markers() {
    let env = TestEnv::new();
    configure(&env, &serve(hostile_response()));
    let mut s = first_lookup_results(&env, &[]);
    s.wait_for("csi ", T).unwrap();
    s.settle(Duration::from_millis(300), T);
    let screen = s.screen_text();
    for raw in HOSTILE.iter().chain(&["Agent\x1b]0;x\x07"]) {
        // The table cuts a cell at 40 columns: the markers before the cut.
        let shown: String = marked(raw).chars().take(37).collect();
        assert!(
            screen.contains(&shown),
            "{raw:?} not shown with markers:\n{screen}"
        );
    }
    quit(&mut s);
    assert_eq!(escapes::foreign(&s.raw()), vec![]);
}

/// Opens a new live incident (with `open_args` before `open`), runs its
/// first Log Analytics lookup and waits for its rows, or for the time out.
fn first_lookup_results(env: &TestEnv, open_args: &[&str]) -> Session {
    let id = env
        .cairn_output(&[
            "new",
            "--tree",
            "token-theft",
            "--title",
            "first lookup",
            "--set",
            "upn=alice@contoso.example",
        ])
        .trim()
        .to_string();
    let mut args = open_args.to_vec();
    args.extend(["open", &id]);
    let mut s = Session::spawn(env.cairn(&args), 120, 40);
    s.wait_for("Ready to investigate?", T).unwrap();
    s.press("1", "What triggered", T);
    s.press("1", "Anomalous token", T);
    // The cursor is on the node's Log Analytics lookup: run it, open results.
    s.press("g", "Enter runs it", T);
    s.send("\r");
    if s.wait_for("csi ", Duration::from_secs(3)).is_err() {
        s.send("o");
    }
    let _ = s.wait_for("csi ", T);
    s
}

fn quit(s: &mut Session) {
    s.send("\x1b");
    s.settle(Duration::from_millis(200), T);
    s.send("Q");
    let _ = s.wait_exit(T);
}

/// The results screen of the first lookup, as text, after quitting.
fn run_first_lookup(env: &TestEnv, open_args: &[&str]) -> String {
    let mut s = first_lookup_results(env, open_args);
    let screen = s.screen_text();
    quit(&mut s);
    screen
}

#[test]
fn the_screen_reads_the_configuration_cairn_config_or_config_names() {
    let base = serve(hostile_response());
    // Nothing in the default place: only the named file can make it work.
    let mut env = TestEnv::new();
    let elsewhere = env.path("home").join("elsewhere.toml");
    configure_at(&env, &base, &elsewhere);
    env.set("CAIRN_CONFIG", &elsewhere.display().to_string());
    let screen = run_first_lookup(&env, &[]);
    assert!(screen.contains("csi "), "CAIRN_CONFIG ignored:\n{screen}");

    let env = TestEnv::new();
    let elsewhere = env.path("home").join("flag.toml");
    configure_at(&env, &base, &elsewhere);
    let flag = elsewhere.display().to_string();
    let screen = run_first_lookup(&env, &["--config", &flag]);
    assert!(screen.contains("csi "), "--config ignored:\n{screen}");
}
