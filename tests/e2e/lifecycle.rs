//! The terminal runtime in a real pty: every way out restores the terminal.

use std::time::{Duration, Instant};

use crate::harness::{Session, TestEnv, contains};
use crate::{escapes, probe};

const T: Duration = Duration::from_secs(10);
const RESTORE: &[u8] = b"\x1b[?1049l\x1b[?25h";

fn start(env: &TestEnv, scenario: &str) -> Session {
    let s = Session::spawn(probe::command(env, scenario), 80, 24);
    // Raw bytes: the screen may already be restored and gone.
    s.wait_for_bytes(b"PROBE_READY", T).unwrap();
    s
}

/// The restore sequence comes after the last frame and the screen parser
/// agrees that the alternate screen was left and the cursor shown.
fn assert_restored(s: &Session) {
    let raw = s.raw();
    assert!(contains(&raw, b"\x1b[?1049h"), "never entered");
    let enter = raw.windows(8).position(|w| w == b"\x1b[?1049h").unwrap();
    assert!(contains(&raw[enter..], RESTORE), "restore sequence missing");
    assert_eq!(s.alternate_and_hidden(), (false, false));
}

#[test]
fn dropping_the_guard_restores_raw_mode_screen_and_cursor() {
    let env = TestEnv::new();
    let mut s = start(&env, "drop");
    let status = s.wait_exit(T).expect("exit");
    assert!(status.success(), "{status:?}");
    assert_restored(&s);
    let stty = std::fs::read_to_string(env.path("probe-out")).unwrap();
    // Cooked mode again: line editing and echo are back.
    let flags: Vec<&str> = stty.split_whitespace().collect();
    for flag in ["icanon", "echo", "isig", "opost"] {
        assert!(flags.contains(&flag), "{flag} not restored: {stty}");
    }
    assert_eq!(escapes::foreign(&s.raw()), vec![]);
}

fn signal_case(name: &str, code: u32, signal: &str) {
    let env = TestEnv::new();
    let mut s = start(&env, "signal");
    s.send_signal(name);
    let status = s.wait_exit(T).expect("exit after the signal");
    assert_eq!(status.exit_code(), code, "{status:?}");
    assert_restored(&s);
    let finished = std::fs::read_to_string(env.path("probe-out")).unwrap();
    assert_eq!(
        finished.lines().next(),
        Some(format!("finished Shutdown({signal})").as_str())
    );
}

#[test]
fn sighup_restores_finishes_work_and_exits_129() {
    signal_case("HUP", 129, "Hangup");
}

#[test]
fn sigterm_restores_finishes_work_and_exits_143() {
    signal_case("TERM", 143, "Terminate");
}

#[test]
fn sigint_restores_finishes_work_and_exits_130() {
    signal_case("INT", 130, "Interrupt");
}

#[test]
fn sigquit_restores_finishes_work_and_exits_131() {
    signal_case("QUIT", 131, "Quit");
}

#[test]
fn sigusr1_restores_finishes_work_and_exits_138() {
    signal_case("USR1", 138, "User1");
}

#[test]
fn sigalrm_restores_finishes_work_and_exits_142() {
    signal_case("ALRM", 142, "Alarm");
}

#[test]
fn a_panic_restores_the_terminal_and_says_where_the_log_is() {
    let env = TestEnv::new();
    let mut s = start(&env, "panic");
    let status = s.wait_exit(T).expect("exit after the panic");
    assert!(!status.success());
    assert_restored(&s);
    let screen = s.screen_text();
    let log = env.path("state").join("cairn").join("cairn.log");
    assert!(
        screen.contains(&format!("details are in {}", log.display())),
        "{screen}"
    );
    // The panic message is shown, but its escape sequence only as text.
    assert!(screen.contains("boom <U+001B>]0;pwned<U+0007>"), "{screen}");
    assert_eq!(escapes::foreign(&s.raw()), vec![]);
    let logged = std::fs::read_to_string(log).unwrap();
    assert!(logged.contains("panic at"), "{logged}");
}

#[test]
fn a_stalled_terminal_cannot_hang_shutdown() {
    let env = TestEnv::new();
    let mut s = start(&env, "flood");
    // The link stalls: nothing reads the pty any more, the program keeps
    // drawing until its writes would block.
    s.pause_reading(true);
    // Well past the 2 s frame deadline, so frames have timed out even when a
    // loaded machine is slow to fill the pty's buffer.
    std::thread::sleep(Duration::from_millis(5000));
    let start = Instant::now();
    s.send_signal("TERM");
    let status = s.wait_exit(Duration::from_secs(15));
    let status = status.expect("a blocked write hung the shutdown");
    assert_eq!(status.exit_code(), 143);
    // Frame deadline (2 s) + restore deadline (0.5 s), well inside the
    // 3 s watchdog; a blocking write would never return.
    assert!(
        start.elapsed() < Duration::from_secs(8),
        "{:?}",
        start.elapsed()
    );
    let report = std::fs::read_to_string(env.path("probe-out")).unwrap();
    let failed: u64 = report
        .lines()
        .find_map(|l| l.strip_prefix("failed frames "))
        .and_then(|n| n.parse().ok())
        .expect("failed frame count");
    assert!(failed > 0, "the pty never filled up, so nothing was tested");
}
