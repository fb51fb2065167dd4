//! A short line-mode training session (`--line`) on the built binary in a
//! real pseudo-terminal (80x24): typed keys, echoed input, the scorecard on screen, no escape
//! sequence in the byte stream, the run in the store.

use std::io::{Read, Write};
use std::sync::{Arc, Mutex};
use std::time::{Duration, Instant};

use portable_pty::{CommandBuilder, PtySize, native_pty_system};

#[test]
fn training_session_in_a_pty() {
    let data = tempfile::tempdir().unwrap();
    let config = tempfile::tempdir().unwrap();
    let pair = native_pty_system()
        .openpty(PtySize {
            rows: 24,
            cols: 80,
            pixel_width: 0,
            pixel_height: 0,
        })
        .unwrap();
    let mut cmd = CommandBuilder::new(env!("CARGO_BIN_EXE_cairn"));
    cmd.args([
        "--data-dir",
        data.path().to_str().unwrap(),
        "train",
        "benign-travel",
        "--lang",
        "ja",
        "--line",
    ]);
    cmd.env("CAIRN_CONFIG_DIR", config.path());
    cmd.env("TERM", "xterm-256color");
    let mut child = pair.slave.spawn_command(cmd).unwrap();
    drop(pair.slave);
    let mut reader = pair.master.try_clone_reader().unwrap();
    let mut writer = pair.master.take_writer().unwrap();
    let raw = Arc::new(Mutex::new(Vec::new()));
    let sink = Arc::clone(&raw);
    let reading = std::thread::spawn(move || {
        let mut chunk = [0u8; 8192];
        while let Ok(n) = reader.read(&mut chunk) {
            if n == 0 {
                break;
            }
            sink.lock().unwrap().extend_from_slice(&chunk[..n]);
        }
    });
    let seen = |text: &str| String::from_utf8_lossy(&raw.lock().unwrap()).contains(text);
    let wait_for = |text: &str| {
        let deadline = Instant::now() + Duration::from_secs(20);
        while !seen(text) {
            assert!(
                Instant::now() < deadline,
                "{text:?} never appeared:\n{}",
                String::from_utf8_lossy(&raw.lock().unwrap())
            );
            std::thread::sleep(Duration::from_millis(20));
        }
    };
    // ready, unfamiliar properties, a lookup, investigate, a step, a hint,
    // legitimate.
    for (key, then) in [
        ("1", "choice> "),
        ("2", "choice> "),
        ("l 1", "198.51.100.77"),
        ("2", "Enter> "),
        ("", "choice> "),
        ("h", "ヒント (-3)"),
        ("1", "cairn export"),
    ] {
        writer.write_all(format!("{key}\r").as_bytes()).unwrap();
        writer.flush().unwrap();
        wait_for(then);
    }
    let deadline = Instant::now() + Duration::from_secs(20);
    let status = loop {
        if let Some(s) = child.try_wait().unwrap() {
            break s;
        }
        assert!(Instant::now() < deadline, "cairn train did not exit");
        std::thread::sleep(Duration::from_millis(20));
    };
    assert!(status.success());
    drop(writer);
    drop(pair.master);
    let _ = reading.join();
    let bytes = raw.lock().unwrap().clone();
    assert!(
        !bytes.contains(&0x1b),
        "line mode writes no escape sequence"
    );
    let nz = |n: u16| std::num::NonZeroU16::new(n).unwrap();
    let mut screen = vt100::Parser::new(nz(24), nz(80), 0);
    screen.process(&bytes);
    let contents = screen.screen().contents();
    assert!(contents.contains("cairn export"), "{contents}");
    let text = String::from_utf8_lossy(&bytes);
    // 40 points earned, one 3-point hint.
    assert!(text.contains("**スコア: 37 / 40 (92%)**"), "{text}");
    let store = cairn::store::Store::open(data.path()).unwrap();
    assert_eq!(store.list(true).unwrap().len(), 1);
}
