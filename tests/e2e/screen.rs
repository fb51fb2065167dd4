//! Cairn's own screens in a real pty: terminal discipline on the real
//! binary. Keys come from `assets/keymap.toml` (home: `p` practice, `?`
//! help, `q` quit).

use std::time::Duration;

use crate::escapes;
use crate::harness::{Session, TestEnv, avoid_minute_boundary, contains};

const T: Duration = Duration::from_secs(10);
const QUIET: Duration = Duration::from_millis(200);
/// On the home screen in English whatever the store holds.
const HOME: &str = "Practice incident";

fn home(env: &TestEnv, cols: u16, rows: u16) -> Session {
    let s = Session::spawn(env.cairn(&[]), cols, rows);
    s.wait_for(HOME, T).unwrap();
    s.settle(QUIET, T);
    s
}

/// Shows more than one screen so more styles are on the wire: help, back,
/// then the practice incident if the build has one.
fn visit_screens(s: &mut Session) {
    for keys in ["?", "\x1b", "j", "k"] {
        s.bytes_in_response(keys, QUIET);
    }
}

fn quit(s: &mut Session) {
    s.send("Q");
    let status = s.wait_exit(T).expect("cairn quits on Q");
    assert!(status.success(), "{status:?}");
    assert_eq!(
        s.alternate_and_hidden(),
        (false, false),
        "terminal not restored"
    );
}

#[test]
fn the_home_screen_sends_only_cairns_sequences_and_quitting_restores() {
    let env = TestEnv::new();
    let mut s = home(&env, 80, 24);
    visit_screens(&mut s);
    quit(&mut s);
    assert_eq!(escapes::foreign(&s.raw()), vec![]);
}

#[test]
fn no_color_sends_no_colour_codes() {
    let mut env = TestEnv::new();
    env.set("NO_COLOR", "1");
    env.set("COLORTERM", "truecolor");
    let mut s = home(&env, 80, 24);
    visit_screens(&mut s);
    quit(&mut s);
    assert_eq!(escapes::colours(&s.raw()), vec![]);
}

#[test]
fn plain_terminals_get_no_24_bit_or_256_colour() {
    for term in ["xterm", "linux", "screen"] {
        let mut env = TestEnv::new();
        env.set("TERM", term);
        let mut s = home(&env, 80, 24);
        visit_screens(&mut s);
        quit(&mut s);
        // crossterm writes the 16 named colours as `38;5;N` with N < 16: the
        // same palette entries as `30..37`/`90..97`, which every terminal has.
        let fancy: Vec<_> = escapes::colours(&s.raw())
            .into_iter()
            .filter(|(kind, params)| {
                *kind != "ansi" && !(*kind == "indexed" && params.get(2).is_some_and(|n| *n < 16))
            })
            .collect();
        assert_eq!(fancy, vec![], "TERM={term}");
    }
}

#[test]
fn nothing_is_written_while_idle() {
    let env = TestEnv::new();
    let mut s = home(&env, 80, 24);
    // The once-a-minute redraw of elapsed times is not idle output.
    avoid_minute_boundary(Duration::from_secs(2));
    let before = s.raw_len();
    std::thread::sleep(Duration::from_secs(2));
    assert_eq!(s.raw_len() - before, 0, "bytes written while idle");
    quit(&mut s);
}

#[test]
fn a_resize_storm_is_coalesced_and_survived() {
    let env = TestEnv::new();
    let mut s = home(&env, 80, 24);
    let frame = s.raw_len();
    let before = s.raw_len();
    // Spread out like a window being dragged: each resize is its own
    // SIGWINCH, so only the program can coalesce them.
    for i in 0..300u16 {
        let (cols, rows) = match i % 5 {
            0 => (0, 0),
            1 => (1, 1),
            2 => (79, 23),
            3 => (100, 30),
            _ => (80, 24),
        };
        s.resize(cols, rows);
        std::thread::sleep(Duration::from_millis(2));
    }
    s.resize(80, 24);
    s.wait_for(HOME, T).unwrap();
    s.settle(QUIET, T);
    let storm = s.raw_len() - before;
    // 300 resizes drawn one by one would be hundreds of frames.
    assert!(
        storm < 12 * frame,
        "{storm} bytes for the storm, a first frame is {frame}"
    );
    quit(&mut s);
}

#[test]
fn zero_and_one_cell_terminals_do_not_panic() {
    for (cols, rows) in [(0, 0), (1, 1), (0, 24), (80, 0)] {
        let env = TestEnv::new();
        let mut s = Session::spawn(env.cairn(&[]), cols, rows);
        std::thread::sleep(Duration::from_millis(500));
        assert!(
            s.wait_exit(Duration::ZERO).is_none(),
            "exited at {cols}x{rows}"
        );
        s.resize(80, 24);
        s.wait_for(HOME, T)
            .unwrap_or_else(|e| panic!("after starting at {cols}x{rows}: {e}"));
        quit(&mut s);
        assert!(!contains(&s.raw(), b"panicked"), "{cols}x{rows}");
    }
}

fn signal_restores(name: &str, code: u32) {
    let env = TestEnv::new();
    let mut s = home(&env, 80, 24);
    s.send_signal(name);
    let status = s.wait_exit(T).expect("cairn exits on the signal");
    assert_eq!(
        (status.exit_code(), status.signal()),
        (code, None),
        "cairn must catch {name}, restore and exit 128+n"
    );
    let raw = s.raw();
    let tail = &raw[raw.len().saturating_sub(64)..];
    assert!(contains(tail, b"\x1b[?1049l"), "left the alternate screen");
    assert!(contains(tail, b"\x1b[?25h"), "cursor shown again");
    assert_eq!(s.alternate_and_hidden(), (false, false));
}

#[test]
fn sighup_restores_the_terminal_and_exits_129() {
    signal_restores("HUP", 129);
}

#[test]
fn sigterm_restores_the_terminal_and_exits_143() {
    signal_restores("TERM", 143);
}

#[test]
fn sigint_restores_the_terminal_and_exits_130() {
    signal_restores("INT", 130);
}

#[test]
fn a_stalled_link_cannot_hang_the_screen_on_sigterm() {
    let env = TestEnv::new();
    let mut s = home(&env, 80, 24);
    // The link stalls: nothing reads the pty while keys keep the screen
    // redrawing, until the pty buffer is full and writes would block.
    s.pause_reading(true);
    // One key at a time, so each is drawn (a burst is drawn once).
    for i in 0..1500 {
        s.send(if i % 2 == 0 { "j" } else { "k" });
        std::thread::sleep(Duration::from_millis(2));
    }
    let start = std::time::Instant::now();
    s.send_signal("TERM");
    let status = s.wait_exit(Duration::from_secs(15));
    let status = status.expect("a blocked write hung the shutdown");
    assert!(
        start.elapsed() < Duration::from_secs(8),
        "took {:?}",
        start.elapsed()
    );
    assert!(!status.success(), "{status:?}");
}
