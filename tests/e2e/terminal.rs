//! Terminal behaviour of the real binary: pastes, bursts of input, Ctrl+C
//! and Ctrl+Z, signals and hang-ups.

use std::time::Duration;

use crate::harness::{Session, TestEnv, keys};
use crate::walk::{events, incident_id, of_type};

const T: Duration = Duration::from_secs(10);
const PASTE_START: &str = "\x1b[200~";
const PASTE_END: &str = "\x1b[201~";

/// A practice incident on its first node.
fn practice(env: &TestEnv) -> Session {
    let mut s = Session::spawn(env.cairn(&[]), 80, 24);
    s.wait_for("Practice incident", T).unwrap();
    s.press("p", "Ready to investigate?", T);
    s
}

fn note_texts(env: &TestEnv, id: &str) -> Vec<String> {
    of_type(&events(env, id), "note_added")
        .iter()
        .filter_map(|e| e.get("text").or_else(|| e.pointer("/data/text")))
        .filter_map(|t| t.as_str().map(str::to_string))
        .collect()
}

#[test]
fn bracketed_paste_is_enabled_and_a_paste_on_the_node_screen_is_not_keys() {
    let env = TestEnv::new();
    let mut s = practice(&env);
    s.wait_for_bytes(b"\x1b[?2004h", T).unwrap();
    let id = incident_id(&s);
    // `1` would choose "Yes", `n` open the note editor.
    s.send(&format!("{PASTE_START}see https://x/1 n{PASTE_END}"));
    s.wait_for("Paste ignored", T).unwrap();
    let screen = s.screen_text();
    assert!(screen.contains("Ready to investigate?"), "{screen}");
    drop(s);
    assert!(of_type(&events(&env, &id), "choice_made").is_empty());
}

/// 2,000 characters at once, as a terminal without bracketed paste sends
/// them: every one arrives without another key being pressed.
#[test]
fn a_burst_of_two_thousand_characters_arrives_whole() {
    let env = TestEnv::new();
    let mut s = practice(&env);
    let id = incident_id(&s);
    s.press("n", "Note on", T);
    let text: String = (0..2000).map(|i| (b'a' + (i % 26) as u8) as char).collect();
    s.send(&text);
    // The last characters typed are on screen without another key.
    s.wait_for(&text[1990..], T).unwrap();
    s.press(keys::CTRL_S, "Path:", T);
    drop(s);
    assert_eq!(note_texts(&env, &id), vec![text]);
}

#[test]
fn a_bracketed_paste_into_a_note_is_inserted_whole() {
    let env = TestEnv::new();
    let mut s = practice(&env);
    let id = incident_id(&s);
    s.press("n", "Note on", T);
    let line: String = (0..999).map(|i| (b'a' + (i % 26) as u8) as char).collect();
    s.send(&format!("{PASTE_START}{line}\r{line}{PASTE_END}"));
    s.wait_for(&line[990..], T).unwrap();
    s.press(keys::CTRL_S, "Path:", T);
    drop(s);
    assert_eq!(note_texts(&env, &id), vec![format!("{line}\n{line}")]);
}

fn count(haystack: &[u8], needle: &[u8]) -> usize {
    haystack
        .windows(needle.len())
        .filter(|w| *w == needle)
        .count()
}

#[test]
fn q_on_the_node_screen_goes_home_and_q_on_home_quits() {
    let env = TestEnv::new();
    let mut s = practice(&env);
    let id = incident_id(&s);
    s.send("q");
    s.wait_for("Practice incident", T).unwrap();
    s.wait_for(&id, T).unwrap();
    s.send("q");
    let status = s.wait_exit(T).expect("q quits on the home screen");
    assert!(status.success(), "{status:?}");
}

#[test]
fn ctrl_c_with_an_unsaved_note_asks_and_the_exit_says_how_to_resume() {
    let env = TestEnv::new();
    let mut s = practice(&env);
    let id = incident_id(&s);
    s.press("n", "Note on", T);
    s.send("draft 51c2");
    s.wait_for("draft 51c2", T).unwrap();
    s.press("\x03", "Quit Cairn?", T);
    assert!(
        s.screen_text().contains("Unsaved text"),
        "{}",
        s.screen_text()
    );
    // No: the draft is still there, the editor still open.
    s.send("n");
    s.settle(Duration::from_millis(200), T);
    let screen = s.screen_text();
    assert!(
        !screen.contains("Quit Cairn?") && screen.contains("draft 51c2"),
        "{screen}"
    );
    s.press("\x03", "Quit Cairn?", T);
    s.send("y");
    let status = s.wait_exit(T).expect("quit after yes");
    assert!(status.success(), "{status:?}");
    assert_eq!(s.alternate_and_hidden(), (false, false));
    s.wait_for(&format!("cairn open {id}"), T).unwrap();
}

#[test]
fn ctrl_z_gives_the_terminal_back_and_takes_it_again() {
    let env = TestEnv::new();
    let mut s = practice(&env);
    let entered = count(&s.raw(), b"\x1b[?1049h");
    s.send("\x1a");
    s.wait_for_bytes(b"\x1b[?1049l", T).unwrap();
    // Here the process group has no job control, so the stop is skipped
    // by the kernel; elsewhere the shell would continue it.
    if s.wait_for_bytes(b"\x1b[?1049l\x1b[?25h\x1b[?1049h", Duration::from_secs(2))
        .is_err()
    {
        s.send_signal("CONT");
    }
    let deadline = std::time::Instant::now() + T;
    while count(&s.raw(), b"\x1b[?1049h") <= entered {
        assert!(std::time::Instant::now() < deadline, "never re-entered");
        std::thread::sleep(Duration::from_millis(20));
    }
    s.wait_for("Ready to investigate?", T).unwrap();
    s.settle(Duration::from_millis(200), T);
    assert_eq!(s.alternate_and_hidden(), (true, true));
    // Keys work again.
    s.send("Q");
    assert!(s.wait_exit(T).expect("quit").success());
}

#[test]
fn sigquit_on_the_screen_restores_exits_131_and_says_how_to_resume() {
    let env = TestEnv::new();
    let mut s = practice(&env);
    let id = incident_id(&s);
    s.send_signal("QUIT");
    let status = s.wait_exit(T).expect("exit on SIGQUIT");
    assert_eq!((status.exit_code(), status.signal()), (131, None));
    assert_eq!(s.alternate_and_hidden(), (false, false));
    s.wait_for(&format!("cairn open {id}"), T).unwrap();
}

/// SIGXFSZ (`ulimit -f` exceeded) is ignored: writes fail with EFBIG and
/// say so, instead of the process dying with the terminal raw.
#[test]
fn sigxfsz_does_not_kill_cairn() {
    let env = TestEnv::new();
    let mut s = practice(&env);
    s.send_signal("XFSZ");
    s.settle(Duration::from_millis(300), T);
    s.press("n", "Note on", T);
    s.press(keys::ESC, "Ready to investigate?", T);
    s.send("Q");
    assert!(s.wait_exit(T).expect("quit").success());
}

/// The terminal closes under Cairn (an SSH link drops): it exits 129 as
/// for the hang-up, without a panic from writing to the dead terminal.
#[test]
fn closing_the_terminal_exits_129_without_a_panic() {
    use portable_pty::{PtySize, native_pty_system};
    use rustix::event::{PollFd, PollFlags, Timespec, poll};
    use std::os::fd::BorrowedFd;

    let env = TestEnv::new();
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut child = pair.slave.spawn_command(env.cairn(&[])).unwrap();
    drop(pair.slave);
    let raw = pair.master.as_raw_fd().expect("master fd");
    // SAFETY: the master outlives every use of this borrow below.
    let fd = unsafe { BorrowedFd::borrow_raw(raw) };
    let mut output = Vec::new();
    let deadline = std::time::Instant::now() + T;
    while !crate::harness::contains(&output, b"Practice") {
        assert!(std::time::Instant::now() < deadline, "no home screen");
        let mut fds = [PollFd::new(&fd, PollFlags::IN)];
        let wait = Timespec {
            tv_sec: 0,
            tv_nsec: 100_000_000,
        };
        if poll(&mut fds, Some(&wait)).unwrap_or(0) > 0 {
            let mut buf = [0u8; 8192];
            let n = rustix::io::read(fd, &mut buf).unwrap_or(0);
            output.extend_from_slice(&buf[..n]);
        }
    }
    // Close the only descriptor of the master side: the pty hangs up.
    drop(pair.master);
    let deadline = std::time::Instant::now() + T;
    let status = loop {
        if let Some(status) = child.try_wait().unwrap() {
            break status;
        }
        assert!(
            std::time::Instant::now() < deadline,
            "no exit after hang-up"
        );
        std::thread::sleep(Duration::from_millis(20));
    };
    assert_eq!((status.exit_code(), status.signal()), (129, None));
    let log = std::fs::read_to_string(env.path("state").join("cairn").join("cairn.log"))
        .unwrap_or_default();
    assert!(!log.contains("panic"), "{log}");
}

/// Under tmux the copy is sent plain and wrapped for passthrough; since it
/// may still be dropped, it is also written to an owner-only file, named on
/// screen.
#[test]
fn a_copy_under_tmux_is_wrapped_and_also_written_to_a_file() {
    use std::os::unix::fs::PermissionsExt;
    let mut env = TestEnv::new();
    env.set("TMUX", "/tmp/tmux-1000/default,4242,0");
    let mut s = Session::spawn(env.cairn(&[]), 200, 30);
    s.wait_for("Practice incident", T).unwrap();
    s.press("p", "Ready to investigate?", T);
    s.send("y");
    s.wait_for("Sent through tmux", T).unwrap();
    s.wait_for_bytes(b"\x1bPtmux;\x1b\x1b]52;c;", T).unwrap();
    s.wait_for_bytes(b"\x1b]52;c;", T).unwrap();
    let file = env.path("state").join("cairn").join("clipboard.txt");
    s.wait_for(&file.display().to_string(), T).unwrap();
    let mode = std::fs::metadata(&file).unwrap().permissions().mode() & 0o777;
    assert_eq!(mode, 0o600);
    assert!(!std::fs::read_to_string(&file).unwrap().is_empty());
}
