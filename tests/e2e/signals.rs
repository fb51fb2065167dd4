//! Fatal signals sent to the real `cairn` screen while a lookup is in
//! flight (the loopback service has the request and never answers): the
//! terminal is given back (alternate screen left, cursor shown), the run is
//! recorded as cancelled with the signal's name, and the exit status is
//! 128 + n, without a panic.

use std::net::TcpListener;
use std::sync::Arc;
use std::sync::atomic::{AtomicUsize, Ordering};
use std::time::{Duration, Instant};

use crate::harness::{TestEnv, contains};
use crate::results::{configure, new_incident, open_at_lookup};
use crate::walk::{events, of_type};

const T: Duration = Duration::from_secs(15);

/// A service on 127.0.0.1 that takes every request and never answers;
/// the base URL and the number of connections taken.
fn never_answers() -> (String, Arc<AtomicUsize>) {
    let listener = TcpListener::bind("127.0.0.1:0").expect("bind loopback");
    let base = format!("http://{}", listener.local_addr().unwrap());
    let taken = Arc::new(AtomicUsize::new(0));
    let count = taken.clone();
    std::thread::spawn(move || {
        let mut held = Vec::new();
        for stream in listener.incoming().flatten() {
            count.fetch_add(1, Ordering::SeqCst);
            held.push(stream);
        }
    });
    (base, taken)
}

fn field<'a>(event: &'a serde_json::Value, name: &str) -> Option<&'a str> {
    event
        .get(name)
        .or_else(|| event.pointer(&format!("/data/{name}")))
        .and_then(|v| v.as_str())
}

fn signal_with_a_lookup_in_flight(signal: &str, code: u32) {
    let env = TestEnv::new();
    let (base, taken) = never_answers();
    configure(&env, &base);
    let id = new_incident(&env, "signal in flight");
    let mut s = open_at_lookup(&env, &["open", &id], (120, 40));
    s.press("g", "Enter runs it", T);
    s.send("\r");
    let deadline = Instant::now() + T;
    while taken.load(Ordering::SeqCst) == 0 {
        assert!(
            Instant::now() < deadline,
            "the lookup never reached the service"
        );
        std::thread::sleep(Duration::from_millis(20));
    }
    // The request is at the service: the run is in flight.
    s.settle(Duration::from_millis(200), T);
    s.send_signal(signal);
    let status = s.wait_exit(T).expect("exit after the signal");
    assert_eq!(
        (status.exit_code(), status.signal()),
        (code, None),
        "SIG{signal}: {status:?}"
    );
    let raw = s.raw();
    assert!(
        contains(&raw, b"\x1b[?1049l") && contains(&raw, b"\x1b[?25h"),
        "SIG{signal}: restore sequence missing"
    );
    assert_eq!(s.alternate_and_hidden(), (false, false), "SIG{signal}");

    let all = events(&env, &id);
    let runs = of_type(&all, "lookup_run");
    assert_eq!(runs.len(), 1, "SIG{signal}: {runs:?}");
    assert_eq!(field(runs[0], "status"), Some("cancelled"), "{:?}", runs[0]);
    let message = field(runs[0], "message").unwrap_or_default();
    assert!(
        message.contains(&format!("SIG{signal}")),
        "SIG{signal}: {message}"
    );
    let log = std::fs::read_to_string(env.path("state").join("cairn").join("cairn.log"))
        .unwrap_or_default();
    assert!(!log.contains("panic"), "SIG{signal}: {log}");
}

#[test]
fn sigusr1_with_a_lookup_in_flight_records_it_restores_and_exits_138() {
    signal_with_a_lookup_in_flight("USR1", 138);
}

#[test]
fn sigalrm_with_a_lookup_in_flight_records_it_restores_and_exits_142() {
    signal_with_a_lookup_in_flight("ALRM", 142);
}

#[test]
fn sigquit_with_a_lookup_in_flight_records_it_restores_and_exits_131() {
    signal_with_a_lookup_in_flight("QUIT", 131);
}
