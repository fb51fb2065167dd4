//! What one turn of the loop does besides `update`: terminal events as
//! messages, effects sent off, a frame drawn (with its clipboard writes),
//! Ctrl+Z. Apart from `run`, which owns the loop and its timers.

use std::io::{self, Write};

use ratatui::crossterm::event::{Event as TermEvent, KeyEventKind};
use tokio::sync::mpsc;

use super::{attach, clipboard, log, lookups, private_file, terminal};
use crate::app::{Effect, Msg, State};

/// Ctrl+Z: gives the terminal back, stops (as the shell's job control
/// expects), and takes the terminal again when continued.
pub(super) fn suspend() -> io::Result<()> {
    terminal::restore();
    tracing::info!("suspended");
    // Stops here until SIGCONT. In a process group with no job control (an
    // orphaned group) the kernel discards it and this returns at once.
    let _ = rustix::process::kill_process(rustix::process::getpid(), rustix::process::Signal::TSTP);
    terminal::reenter()?;
    tracing::info!("continued");
    Ok(())
}

/// One frame, then any clipboard copies: the only writes to the terminal.
pub(super) fn draw(
    terminal: &mut terminal::Tui,
    state: &State,
    theme: &crate::ui::theme::Theme,
    clipboard: &mut Vec<String>,
    mux: Option<clipboard::Multiplexer>,
) -> io::Result<()> {
    terminal.draw(|f| crate::ui::draw(f, state, theme))?;
    for text in clipboard.drain(..) {
        let out = terminal.backend_mut();
        out.write_all(clipboard::sequences(&text, mux).as_bytes())?;
        out.flush()?;
    }
    Ok(())
}

/// A copy that cannot be confirmed is also written, owner-only, to
/// `clipboard.txt` in Cairn's state directory (replaced by each copy).
pub(super) fn copy_to_file(text: &str) -> Result<String, String> {
    let dir = log::state_dir().ok_or("no state directory")?;
    std::fs::create_dir_all(&dir).map_err(|e| e.to_string())?;
    let path = dir.join("clipboard.txt");
    private_file::replace(&path, text.as_bytes()).map_err(|e| private_file::write_error(&e))?;
    Ok(path.display().to_string())
}

/// What the loop does after an update's effects were sent off.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub(super) enum Next {
    Continue,
    Suspend,
    Quit,
}

/// Sends store effects to the worker, queues clipboard writes for the next
/// draw, and says what the loop does next.
pub(super) fn dispatch(
    effects: Vec<Effect>,
    jobs: &mpsc::UnboundedSender<Effect>,
    executor: &mut lookups::Executor,
    clipboard: &mut Vec<String>,
    attacher: &attach::Attacher,
) -> Next {
    let mut next = Next::Continue;
    for effect in effects {
        match effect {
            Effect::Quit => next = Next::Quit,
            Effect::Suspend if next == Next::Continue => next = Next::Suspend,
            Effect::Suspend => {}
            Effect::Copy(text) => clipboard.push(text),
            Effect::Lookup(e) => executor.execute(e),
            Effect::AttachSentinel {
                incident,
                reference,
            } => attacher.spawn(incident, reference),
            other => {
                let _ = jobs.send(other);
            }
        }
    }
    next
}

/// Terminal events to messages; a run of resizes becomes its last one, so a
/// resize storm costs one layout and one draw.
pub fn to_messages(events: Vec<TermEvent>) -> Vec<Msg> {
    let mut out: Vec<Msg> = Vec::new();
    for ev in events {
        let msg = match ev {
            TermEvent::Key(key) if key.kind != KeyEventKind::Release => Msg::Key(key),
            TermEvent::Paste(text) => Msg::Paste(text),
            TermEvent::Resize(w, h) => Msg::Resize(w, h),
            _ => continue,
        };
        if let (Msg::Resize(..), Some(Msg::Resize(..))) = (&msg, out.last()) {
            out.pop();
        }
        out.push(msg);
    }
    out
}
