//! Owning the terminal: raw mode, alternate screen, hidden cursor, and
//! putting everything back on every way out.
//!
//! ```no_run
//! # fn main() -> std::io::Result<()> {
//! use cairn::runtime::{log, terminal};
//! if let Some(dir) = log::state_dir() { let _ = log::init(&dir); }
//! let (mut tui, guard) = terminal::enter()?;   // instead of ratatui::init()
//! tui.draw(|frame| { /* ... */ })?;
//! drop(guard);                                  // or on panic / signal
//! # Ok(()) }
//! ```
//!
//! Restoring is idempotent and never blocks on a dead terminal: it writes
//! through a fresh non-blocking [`TtyWriter`] with a short deadline.

use std::io::{self, Write};
use std::sync::Once;
use std::sync::atomic::{AtomicBool, Ordering};
use std::time::Duration;

use ratatui::Terminal;
use ratatui::backend::CrosstermBackend;
use ratatui::crossterm::terminal::{disable_raw_mode, enable_raw_mode};

use super::log;
use super::tty::{FRAME_DEADLINE, RESTORE_DEADLINE, TtyWriter};
use crate::text::{Medium, visible};

pub type Backend = CrosstermBackend<TtyWriter>;
pub type Tui = Terminal<Backend>;

/// Enter the alternate screen, hide the cursor, and turn on bracketed
/// paste (crossterm's `EnableBracketedPaste`): a paste then arrives as one
/// `Event::Paste`, never as keys that could act as commands.
const ENTER: &[u8] = b"\x1b[?1049h\x1b[?25l\x1b[?2004h";
/// Bracketed paste off, leave the alternate screen,
/// show the cursor.
pub const RESTORE: &[u8] = b"\x1b[?2004l\x1b[?1049l\x1b[?25h";

static ACTIVE: AtomicBool = AtomicBool::new(false);
static PANIC_HOOK: Once = Once::new();

/// Restores the terminal when dropped.
#[must_use = "the terminal is restored when the guard is dropped"]
pub struct TerminalGuard(());

impl Drop for TerminalGuard {
    fn drop(&mut self) {
        restore();
    }
}

/// Takes over the terminal. Installs the panic hook first, so a panic at
/// any later point restores the terminal and says where the log is.
pub fn enter() -> io::Result<(Tui, TerminalGuard)> {
    install_panic_hook();
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let guard = TerminalGuard(());
    let mut writer = TtyWriter::open(FRAME_DEADLINE)?;
    writer.write_all(ENTER)?;
    writer.flush()?;
    let terminal = Terminal::new(CrosstermBackend::new(writer))?;
    Ok((terminal, guard))
}

/// Takes the terminal again after [`restore`] (resuming from Ctrl+Z); the
/// caller redraws in full.
pub fn reenter() -> io::Result<()> {
    enable_raw_mode()?;
    ACTIVE.store(true, Ordering::SeqCst);
    let mut writer = TtyWriter::open(FRAME_DEADLINE)?;
    writer.write_all(ENTER)?;
    writer.flush()
}

/// Whether Cairn currently holds the terminal in raw mode.
pub fn is_active() -> bool {
    ACTIVE.load(Ordering::SeqCst)
}

/// Leaves raw mode and the alternate screen and shows the cursor. Safe to
/// call from any thread, any number of times; only the first call after
/// [`enter`] does anything.
pub fn restore() {
    if !ACTIVE.swap(false, Ordering::SeqCst) {
        return;
    }
    if let Err(e) = disable_raw_mode() {
        log::warn(format_args!("leaving raw mode failed: {e}"));
    }
    match TtyWriter::open(RESTORE_DEADLINE) {
        Ok(mut tty) => {
            let _ = tty.write_all(RESTORE);
            if let Err(e) = tty.flush() {
                log::warn(format_args!("writing the restore sequence failed: {e}"));
            }
        }
        Err(e) => log::warn(format_args!("no terminal to restore: {e}")),
    }
    let _ = io::stdout().flush();
}

/// Writes `message` to standard error, giving up after `deadline`. After a
/// hangup, standard error is the same dead terminal, opened blocking by the
/// shell: a plain `eprintln!` there could keep the process alive forever.
pub fn eprint_bounded(message: &str, deadline: Duration) {
    let (done_tx, done_rx) = std::sync::mpsc::channel();
    let message = message.to_owned();
    let writer = std::thread::Builder::new()
        .name("cairn-stderr".into())
        .spawn(move || {
            let mut err = io::stderr().lock();
            let _ = err.write_all(message.as_bytes());
            let _ = err.flush();
            let _ = done_tx.send(());
        });
    if writer.is_ok() {
        let _ = done_rx.recv_timeout(deadline);
    }
}

fn install_panic_hook() {
    PANIC_HOOK.call_once(|| {
        std::panic::set_hook(Box::new(|info| {
            restore();
            let location = info
                .location()
                .map(|l| format!("{}:{}", l.file(), l.line()))
                .unwrap_or_default();
            let payload = info
                .payload()
                .downcast_ref::<&str>()
                .map(|s| s.to_string())
                .or_else(|| info.payload().downcast_ref::<String>().cloned())
                .unwrap_or_default();
            let backtrace = std::backtrace::Backtrace::capture();
            log::error(format_args!("panic at {location}: {payload}"));
            log::error(format_args!("backtrace: {backtrace}"));
            // The message may quote untrusted data: it reaches the
            // terminal only through `visible`.
            let mut message = format!(
                "cairn: internal error at {location}: {}\n",
                visible(&payload, Medium::Cli)
            );
            message.push_str(&match log::path() {
                Some(path) => format!("cairn: details are in {}\n", path.display()),
                None => "cairn: no log file could be opened\n".to_string(),
            });
            eprint_bounded(&message, RESTORE_DEADLINE);
        }));
    });
}
