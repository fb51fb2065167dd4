//! Drives a program in a real pseudo-terminal.
//!
//! Output is read continuously on a thread into a `vt100` screen and a raw
//! byte log, so tests can wait for text on the screen and also inspect
//! every byte the program sent.

use std::io::{Read, Write};
use std::path::{Path, PathBuf};
use std::sync::atomic::{AtomicBool, Ordering};
use std::sync::{Arc, Condvar, Mutex};
use std::thread::JoinHandle;
use std::time::{Duration, Instant};

use portable_pty::{Child, CommandBuilder, ExitStatus, MasterPty, PtySize, native_pty_system};

/// A private home for one test: data, state, config and HOME directories.
pub struct TestEnv {
    root: tempfile::TempDir,
    /// Extra variables for every program started in this environment.
    pub vars: Vec<(String, String)>,
}

impl TestEnv {
    pub fn new() -> Self {
        let root = tempfile::tempdir().expect("temp dir");
        for sub in ["data", "state", "config", "home"] {
            std::fs::create_dir_all(root.path().join(sub)).expect("mkdir");
        }
        Self {
            root,
            vars: vec![("TERM".into(), "xterm".into())],
        }
    }

    pub fn path(&self, sub: &str) -> PathBuf {
        self.root.path().join(sub)
    }

    pub fn set(&mut self, key: &str, value: &str) {
        self.vars.retain(|(k, _)| k != key);
        self.vars.push((key.into(), value.into()));
    }

    fn base_vars(&self) -> Vec<(String, String)> {
        let dir = |s: &str| self.path(s).display().to_string();
        let mut vars = vec![
            ("PATH".into(), std::env::var("PATH").unwrap_or_default()),
            ("HOME".into(), dir("home")),
            ("CAIRN_DATA_DIR".into(), dir("data")),
            ("XDG_DATA_HOME".into(), dir("data")),
            ("XDG_STATE_HOME".into(), dir("state")),
            ("XDG_CONFIG_HOME".into(), dir("config")),
            ("LANG".into(), "C.UTF-8".into()),
        ];
        vars.extend(self.vars.iter().cloned());
        vars
    }

    /// A pty command for `program` with this environment and nothing else.
    pub fn command(&self, program: &Path, args: &[&str]) -> CommandBuilder {
        let mut cmd = CommandBuilder::new(program);
        cmd.args(args);
        cmd.env_clear();
        for (k, v) in self.base_vars() {
            cmd.env(k, v);
        }
        cmd.cwd(self.root.path());
        cmd
    }

    /// The built `cairn` binary in a pty.
    pub fn cairn(&self, args: &[&str]) -> CommandBuilder {
        self.command(Path::new(env!("CARGO_BIN_EXE_cairn")), args)
    }

    /// Runs `cairn` without a pty, whatever its exit status.
    pub fn cairn_run(&self, args: &[&str]) -> std::process::Output {
        self.run(Path::new(env!("CARGO_BIN_EXE_cairn")), args)
    }

    /// Runs `program` without a pty with this environment and nothing
    /// else, whatever its exit status.
    pub fn run(&self, program: &Path, args: &[&str]) -> std::process::Output {
        std::process::Command::new(program)
            .args(args)
            .env_clear()
            .envs(self.base_vars())
            .output()
            .expect("run program")
    }

    /// Runs `cairn` without a pty (for `export`, `list` ...) and returns
    /// its standard output; panics with stderr on failure.
    pub fn cairn_output(&self, args: &[&str]) -> String {
        let out = self.cairn_run(args);
        assert!(
            out.status.success(),
            "cairn {args:?} failed: {}",
            String::from_utf8_lossy(&out.stderr)
        );
        String::from_utf8(out.stdout).expect("utf-8 output")
    }
}

struct Output {
    parser: vt100::Parser,
    raw: Vec<u8>,
    closed: bool,
    /// When the first and the latest chunk of output arrived.
    first_at: Option<Instant>,
    last_at: Option<Instant>,
    /// When each chunk arrived, with the length of `raw` after it.
    chunks: Vec<(Instant, usize)>,
}

struct Shared {
    output: Mutex<Output>,
    changed: Condvar,
    paused: AtomicBool,
}

/// A program running in a pty of a given size.
pub struct Session {
    child: Box<dyn Child + Send + Sync>,
    master: Box<dyn MasterPty + Send>,
    input: Box<dyn Write + Send>,
    shared: Arc<Shared>,
    reader: Option<JoinHandle<()>>,
    status: Option<ExitStatus>,
}

impl Session {
    pub fn spawn(cmd: CommandBuilder, cols: u16, rows: u16) -> Self {
        let pair = native_pty_system()
            .openpty(size(cols, rows))
            .expect("open pty");
        let child = pair.slave.spawn_command(cmd).expect("spawn in pty");
        // Only the child keeps the slave open, so EOF means it is gone.
        drop(pair.slave);
        let mut reader = pair.master.try_clone_reader().expect("pty reader");
        let input = pair.master.take_writer().expect("pty writer");
        let shared = Arc::new(Shared {
            output: Mutex::new(Output {
                parser: vt100::Parser::new(nonzero(rows), nonzero(cols), 0),
                raw: Vec::new(),
                closed: false,
                first_at: None,
                last_at: None,
                chunks: Vec::new(),
            }),
            changed: Condvar::new(),
            paused: AtomicBool::new(false),
        });
        let thread_shared = Arc::clone(&shared);
        let reader_thread = std::thread::spawn(move || {
            let mut chunk = [0u8; 16 * 1024];
            loop {
                while thread_shared.paused.load(Ordering::SeqCst) {
                    std::thread::sleep(Duration::from_millis(5));
                }
                let n = reader.read(&mut chunk).unwrap_or(0);
                let mut out = thread_shared.output.lock().unwrap();
                if n == 0 {
                    out.closed = true;
                    thread_shared.changed.notify_all();
                    return;
                }
                let now = Instant::now();
                out.first_at.get_or_insert(now);
                out.last_at = Some(now);
                out.parser.process(&chunk[..n]);
                out.raw.extend_from_slice(&chunk[..n]);
                let len = out.raw.len();
                out.chunks.push((now, len));
                thread_shared.changed.notify_all();
            }
        });
        Self {
            child,
            master: pair.master,
            input,
            shared,
            reader: Some(reader_thread),
            status: None,
        }
    }

    pub fn pid(&self) -> u32 {
        self.child.process_id().expect("child pid")
    }

    /// Types `text` (may hold escape sequences for special keys).
    pub fn send(&mut self, text: &str) {
        self.input.write_all(text.as_bytes()).expect("write to pty");
        self.input.flush().expect("flush pty");
    }

    /// Waits until the screen shows `text`; the error carries the screen.
    pub fn wait_for(&self, text: &str, timeout: Duration) -> Result<(), String> {
        self.wait_until(timeout, |out| out.parser.screen().contents().contains(text))
            .map_err(|screen| format!("{text:?} did not appear; screen:\n{screen}"))
    }

    /// Like [`Session::wait_for`], returning when the output that made
    /// `text` appear arrived: the chunks are replayed to find the first one
    /// after which it is on screen (later chunks may have arrived before
    /// this thread looked).
    pub fn wait_for_at(&self, text: &str, timeout: Duration) -> Result<Instant, String> {
        self.wait_for(text, timeout)?;
        let out = self.shared.output.lock().unwrap();
        let (rows, cols) = out.parser.screen().size();
        let mut parser = vt100::Parser::new(rows, cols, 0);
        let mut from = 0;
        for (at, end) in &out.chunks {
            parser.process(&out.raw[from..*end]);
            from = *end;
            if parser.screen().contents().contains(text) {
                return Ok(*at);
            }
        }
        Ok(out.last_at.expect("output arrived"))
    }

    /// When the first byte of output arrived.
    pub fn first_output_at(&self) -> Option<Instant> {
        self.shared.output.lock().unwrap().first_at
    }

    /// Peak resident set size of the program in KiB (`VmHWM`).
    pub fn peak_rss_kib(&self) -> Option<u64> {
        let status = std::fs::read_to_string(format!("/proc/{}/status", self.pid())).ok()?;
        status
            .lines()
            .find_map(|l| l.strip_prefix("VmHWM:"))
            .and_then(|v| v.trim().trim_end_matches("kB").trim().parse().ok())
    }

    /// Waits until `done` holds for the output, or the timeout passes.
    fn wait_until(
        &self,
        timeout: Duration,
        mut done: impl FnMut(&Output) -> bool,
    ) -> Result<(), String> {
        let deadline = Instant::now() + timeout;
        let mut out = self.shared.output.lock().unwrap();
        loop {
            if done(&out) {
                return Ok(());
            }
            let left = deadline.saturating_duration_since(Instant::now());
            if left.is_zero() || out.closed {
                return Err(out.parser.screen().contents());
            }
            out = self.shared.changed.wait_timeout(out, left).unwrap().0;
        }
    }

    /// Waits until `needle` appears in the raw output.
    pub fn wait_for_bytes(&self, needle: &[u8], timeout: Duration) -> Result<(), String> {
        self.wait_until(timeout, |out| contains(&out.raw, needle))
            .map_err(|_| {
                let raw = self.raw();
                let tail = &raw[raw.len().saturating_sub(2000)..];
                format!(
                    "{:?} never sent; output ends with {:?}",
                    String::from_utf8_lossy(needle),
                    String::from_utf8_lossy(tail)
                )
            })
    }

    pub fn screen_text(&self) -> String {
        self.shared
            .output
            .lock()
            .unwrap()
            .parser
            .screen()
            .contents()
    }

    /// Whether the program left the terminal in the alternate screen and
    /// with the cursor hidden, as parsed from its output.
    pub fn alternate_and_hidden(&self) -> (bool, bool) {
        let out = self.shared.output.lock().unwrap();
        let screen = out.parser.screen();
        (screen.alternate_screen(), screen.hide_cursor())
    }

    /// Every byte received so far.
    pub fn raw(&self) -> Vec<u8> {
        self.shared.output.lock().unwrap().raw.clone()
    }

    pub fn raw_len(&self) -> usize {
        self.shared.output.lock().unwrap().raw.len()
    }

    /// Waits until no byte has arrived for `quiet`, up to `timeout`.
    pub fn settle(&self, quiet: Duration, timeout: Duration) {
        let deadline = Instant::now() + timeout;
        let mut last = self.raw_len();
        while Instant::now() < deadline {
            std::thread::sleep(quiet);
            let now = self.raw_len();
            if now == last {
                return;
            }
            last = now;
        }
    }

    /// Sends `keys`, then waits for `text` on the screen. A key pressed
    /// while the previous change is still being committed is refused
    /// ("Still saving"): wait for the commit and press it again, as a user
    /// would.
    pub fn press(&mut self, keys: &str, text: &str, timeout: Duration) {
        for _ in 0..10 {
            self.send(keys);
            if self.wait_for(text, Duration::from_secs(2)).is_ok() {
                self.settle(Duration::from_millis(100), timeout);
                return;
            }
            if !self.screen_text().contains("Still saving") {
                break;
            }
            self.settle(Duration::from_millis(200), timeout);
        }
        self.wait_for(text, timeout).unwrap();
    }

    /// Sends `keys` and returns how many bytes the program wrote in
    /// response: waits up to a second for the first byte, then until the
    /// output has been quiet for `quiet`.
    pub fn bytes_in_response(&mut self, keys: &str, quiet: Duration) -> usize {
        let before = self.raw_len();
        self.send(keys);
        let _ = self.wait_until(Duration::from_secs(1), |out| out.raw.len() > before);
        self.settle(quiet, Duration::from_secs(10));
        self.raw_len() - before
    }

    /// Stops (or resumes) reading the pty, like an SSH link that stalls.
    pub fn pause_reading(&self, paused: bool) {
        self.shared.paused.store(paused, Ordering::SeqCst);
    }

    /// Sends a signal (`"HUP"`, `"TERM"`, `"INT"`) to the program.
    pub fn send_signal(&self, name: &str) {
        let status = std::process::Command::new("kill")
            .args(["-s", name, &self.pid().to_string()])
            .status()
            .expect("run kill");
        assert!(status.success(), "kill -s {name} failed");
    }

    /// Resizes the pty (the program gets SIGWINCH) and the parsed screen.
    pub fn resize(&mut self, cols: u16, rows: u16) {
        self.master.resize(size(cols, rows)).expect("resize pty");
        let mut out = self.shared.output.lock().unwrap();
        out.parser.set_size(nonzero(rows), nonzero(cols));
    }

    /// Waits for the program to exit.
    pub fn wait_exit(&mut self, timeout: Duration) -> Option<ExitStatus> {
        let deadline = Instant::now() + timeout;
        while self.status.is_none() {
            if let Some(status) = self.child.try_wait().expect("try_wait") {
                self.status = Some(status);
                break;
            }
            if Instant::now() >= deadline {
                return None;
            }
            std::thread::sleep(Duration::from_millis(10));
        }
        // Let the reader collect the last bytes.
        self.pause_reading(false);
        let _ = self.wait_until(Duration::from_secs(2), |out| out.closed);
        self.status.clone()
    }
}

impl Drop for Session {
    fn drop(&mut self) {
        if self.status.is_none() && self.child.try_wait().ok().flatten().is_none() {
            let _ = self.child.kill();
            let _ = self.child.wait();
        }
        self.pause_reading(false);
        if let Some(reader) = self.reader.take() {
            // The reader ends at EOF, which comes once the child is gone.
            let _ = reader.join();
        }
    }
}

fn size(cols: u16, rows: u16) -> PtySize {
    PtySize {
        rows,
        cols,
        pixel_width: 0,
        pixel_height: 0,
    }
}

/// Sleeps until a window of `span` from now does not cross a wall-clock
/// minute: the screens show elapsed minutes and redraw when they change.
/// The window also starts well after a minute began, so a redraw that a
/// loaded machine delivers late is not counted as idle output.
pub fn avoid_minute_boundary(span: Duration) {
    const LATE_REDRAW_MS: u64 = 1_500;
    let now = chrono::Utc::now();
    let ms = (now.timestamp_millis() % 60_000) as u64;
    let needed = span.as_millis() as u64 + LATE_REDRAW_MS;
    if ms < LATE_REDRAW_MS {
        std::thread::sleep(Duration::from_millis(LATE_REDRAW_MS - ms));
    } else if ms + needed >= 60_000 {
        std::thread::sleep(Duration::from_millis(60_000 - ms + LATE_REDRAW_MS));
    }
}

/// The parsed screen is at least 1x1 even when the pty is 0x0.
fn nonzero(n: u16) -> std::num::NonZeroU16 {
    std::num::NonZeroU16::new(n.max(1)).expect("at least one")
}

pub fn contains(haystack: &[u8], needle: &[u8]) -> bool {
    needle.is_empty() || haystack.windows(needle.len()).any(|w| w == needle)
}

/// Key sequences as a terminal in normal cursor mode sends them.
pub mod keys {
    pub const ENTER: &str = "\r";
    pub const ESC: &str = "\x1b";
    pub const UP: &str = "\x1b[A";
    pub const DOWN: &str = "\x1b[B";
    pub const RIGHT: &str = "\x1b[C";
    pub const LEFT: &str = "\x1b[D";
    pub const TAB: &str = "\t";
    pub const CTRL_S: &str = "\x13";
}
