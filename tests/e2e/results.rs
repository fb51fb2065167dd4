//! Issue 5's hostile-strings test on the real screen: Log Analytics rows
//! written by an attacker (escape sequences, C1 controls, bidi overrides,
//! zero-width characters) reach the pty only as visible markers. A loopback
//! mock server answers the query; a fake `az` supplies the token.

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::os::unix::fs::PermissionsExt;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
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

/// Answers every request on 127.0.0.1 with `body`; returns the base URL
/// and the number of requests answered so far.
fn serve(body: String) -> (String, Arc<AtomicUsize>) {
    serve_in_turn(vec![body])
}

/// Answers the n-th request with `bodies[n]` (the last one from then on).
pub(crate) fn serve_in_turn(bodies: Vec<String>) -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let served = Arc::new(AtomicUsize::new(0));
    let count = served.clone();
    std::thread::spawn(move || {
        for stream in listener.incoming().flatten() {
            let n = count.fetch_add(1, Ordering::SeqCst);
            let body = &bodies[n.min(bodies.len() - 1)];
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
    (base, served)
}

/// A live configuration pointing Log Analytics at `base`, with a fake az,
/// in the default place.
pub(crate) fn configure(env: &TestEnv, base: &str) {
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
    configure(&env, &serve(hostile_response()).0);
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
    let id = new_incident(env, "first lookup");
    let mut args = open_args.to_vec();
    args.extend(["open", &id]);
    let mut s = open_at_lookup(env, &args, (120, 40));
    show_results(&mut s, "csi ", Duration::from_secs(3));
    s
}

/// `cairn new` for alice on the token-theft tree; the incident's id.
pub(crate) fn new_incident(env: &TestEnv, title: &str) -> String {
    env.cairn_output(&[
        "new",
        "--tree",
        "token-theft",
        "--title",
        title,
        "--set",
        "upn=alice@contoso.example",
    ])
    .trim()
    .to_string()
}

/// The screen `args` start (a new incident's), walked to the first node
/// with a Log Analytics lookup, the cursor on it.
pub(crate) fn open_at_lookup(env: &TestEnv, args: &[&str], size: (u16, u16)) -> Session {
    let mut s = Session::spawn(env.cairn(args), size.0, size.1);
    s.wait_for("Ready to investigate?", T).unwrap();
    s.press("1", "What triggered", T);
    s.press("1", "Anomalous token", T);
    s
}

/// Runs the lookup under the cursor and waits up to `wait` for `text` on
/// its results (opening them if the screen stayed on the node).
pub(crate) fn show_results(s: &mut Session, text: &str, wait: Duration) {
    s.press("g", "Enter runs it", T);
    s.send("\r");
    if s.wait_for(text, Duration::from_secs(3)).is_err() {
        s.send("o");
    }
    let _ = s.wait_for(text, wait);
}

/// A Log Analytics answer of one `IPAddress` column.
pub(crate) fn ip_rows(ips: &[&str]) -> String {
    let rows: Vec<serde_json::Value> = ips.iter().map(|ip| serde_json::json!([ip])).collect();
    serde_json::json!({
        "tables": [{
            "name": "PrimaryResult",
            "columns": [{"name": "IPAddress", "type": "string"}],
            "rows": rows
        }]
    })
    .to_string()
}

pub(crate) fn quit(s: &mut Session) {
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
    let (base, _) = serve(hostile_response());
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

/// Quitting and `cairn open ID` again shows the stored rows of the lookup
/// at once: the results come from the record, not from a new query.
#[test]
fn a_reopened_incident_shows_stored_results_without_querying_again() {
    let env = TestEnv::new();
    let (base, served) = serve(ip_rows(&["198.51.100.44", "198.51.100.45"]));
    configure(&env, &base);
    let id = new_incident(&env, "resume rows");
    let mut s = open_at_lookup(&env, &["open", &id], (120, 40));
    show_results(&mut s, "198.51.100.45", T);
    assert!(s.screen_text().contains("198.51.100.45"));
    s.send("\x1b");
    s.settle(Duration::from_millis(200), T);
    s.send("Q");
    assert!(s.wait_exit(T).expect("quit").success());
    assert_eq!(served.load(Ordering::SeqCst), 1);

    let mut s = Session::spawn(env.cairn(&["open", &id]), 120, 40);
    s.wait_for("Anomalous token", T).unwrap();
    s.press("o", "198.51.100.45", T);
    assert!(
        s.screen_text().contains("198.51.100.44"),
        "{}",
        s.screen_text()
    );
    quit(&mut s);
    assert_eq!(
        served.load(Ordering::SeqCst),
        1,
        "the results were queried again"
    );
}
