//! A copy (`y`) from inside a real tmux: a private server (`-L`, no
//! configuration file, its own TMUX_TMPDIR) runs `cairn`, and what tmux
//! received is read back with `show-buffer`. With tmux's default
//! `set-clipboard external` an application's OSC 52 makes no buffer, so
//! Cairn's fallback file must hold the text and the screen must say where;
//! with `set-clipboard on` the buffer holds exactly the copied text.

use std::path::Path;
use std::process::Output;
use std::time::{Duration, Instant};

use crate::harness::TestEnv;

const TMUX: &str = "/usr/bin/tmux";
const T: Duration = Duration::from_secs(15);

/// A tmux server private to one test; killed when dropped.
struct Server<'a> {
    env: &'a TestEnv,
    socket: String,
}

impl<'a> Server<'a> {
    /// Starts `cairn` (with the test's environment) in a 200x30 session,
    /// after the server options `options` (e.g. `set-clipboard on`).
    fn start(env: &'a TestEnv, options: &[&str]) -> Self {
        let socket = format!(
            "cairn-test-{}-{}",
            std::process::id(),
            std::time::SystemTime::now()
                .duration_since(std::time::UNIX_EPOCH)
                .unwrap()
                .as_nanos()
        );
        let server = Server { env, socket };
        let cairn = env!("CARGO_BIN_EXE_cairn");
        let mut args = vec!["new-session", "-d", "-s", "t", "-x", "200", "-y", "30"];
        if !options.is_empty() {
            // Options set before the program starts: a command sequence.
            args = vec!["start-server", ";"];
            args.extend(options.iter().copied());
            args.extend([";", "new-session", "-d", "-s", "t", "-x", "200", "-y", "30"]);
        }
        args.push(cairn);
        let out = server.tmux(&args);
        assert!(out.status.success(), "tmux did not start: {out:?}");
        server
    }

    fn tmux(&self, args: &[&str]) -> Output {
        let mut all = vec!["-L", &self.socket, "-f", "/dev/null"];
        all.extend(args);
        self.env.run(Path::new(TMUX), &all)
    }

    /// The pane's text, lines joined where tmux wrapped them.
    fn pane(&self) -> String {
        let out = self.tmux(&["capture-pane", "-p", "-J", "-t", "t"]);
        String::from_utf8_lossy(&out.stdout).into_owned()
    }

    fn wait_for(&self, text: &str) -> String {
        let deadline = Instant::now() + T;
        loop {
            let pane = self.pane();
            let flat = pane.split_whitespace().collect::<Vec<_>>().join(" ");
            if flat.contains(text) {
                return pane;
            }
            assert!(
                Instant::now() < deadline,
                "no {text:?} in the pane:\n{pane}"
            );
            std::thread::sleep(Duration::from_millis(50));
        }
    }

    fn keys(&self, keys: &str) {
        let out = self.tmux(&["send-keys", "-t", "t", "-l", keys]);
        assert!(out.status.success(), "{out:?}");
    }

    /// The newest paste buffer, or `None` when tmux made none.
    fn buffer(&self) -> Option<String> {
        let out = self.tmux(&["show-buffer"]);
        out.status
            .success()
            .then(|| String::from_utf8_lossy(&out.stdout).into_owned())
    }
}

impl Drop for Server<'_> {
    fn drop(&mut self) {
        let _ = self.tmux(&["kill-server"]);
    }
}

/// The environment with tmux's sockets inside the test's directory.
fn env() -> Option<TestEnv> {
    if !Path::new(TMUX).exists() {
        println!("skipped: {TMUX} is not installed");
        return None;
    }
    let mut env = TestEnv::new();
    let sockets = env.path("tmux");
    std::fs::create_dir_all(&sockets).unwrap();
    env.set("TMUX_TMPDIR", &sockets.display().to_string());
    Some(env)
}

/// Starts the practice incident and copies with `y`; the fallback file.
fn copy(server: &Server, env: &TestEnv) -> std::path::PathBuf {
    server.wait_for("Practice incident");
    server.keys("p");
    server.wait_for("Ready to investigate?");
    server.keys("y");
    let file = env.path("state").join("cairn").join("clipboard.txt");
    server.wait_for(&file.display().to_string());
    file
}

#[test]
fn under_tmux_defaults_nothing_reaches_a_buffer_and_the_file_has_the_copy() {
    let Some(env) = env() else { return };
    let server = Server::start(&env, &[]);
    let file = copy(&server, &env);
    let pane = server.wait_for("Sent through tmux");
    let copied = std::fs::read_to_string(&file).unwrap();
    assert!(!copied.is_empty(), "{pane}");
    // set-clipboard external: tmux kept nothing of the application's OSC 52.
    assert_eq!(server.buffer(), None, "{pane}");
    server.keys("Q");
}

#[test]
fn under_tmux_with_set_clipboard_on_the_buffer_is_the_copy() {
    let Some(env) = env() else { return };
    let server = Server::start(&env, &["set-option", "-s", "set-clipboard", "on"]);
    let file = copy(&server, &env);
    let copied = std::fs::read_to_string(&file).unwrap();
    let deadline = Instant::now() + T;
    while server.buffer().is_none() && Instant::now() < deadline {
        std::thread::sleep(Duration::from_millis(50));
    }
    assert_eq!(server.buffer().as_deref(), Some(copied.as_str()));
    server.keys("Q");
}
