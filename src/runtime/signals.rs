//! Fatal signals as messages for the event loop: SIGHUP, SIGINT, SIGQUIT,
//! SIGUSR1, SIGALRM and SIGTERM, whose default action would kill Cairn
//! with the terminal raw, in the alternate screen, cursor hidden, and
//! whatever was in flight unrecorded. SIGXFSZ (`ulimit -f` exceeded) is
//! ignored instead: the write then fails with EFBIG, which is reported as
//! an error like any other, rather than a silent kill.
//!
//! The loop receives a [`Shutdown`] from [`listen`], lets pending store
//! writes finish, restores the terminal (drop the guard) and exits with
//! [`Shutdown::exit_code`] (128 + n). If it does not manage within
//! [`GRACE`], or a second signal arrives, a watchdog restores the terminal
//! itself and exits: a wedged loop never leaves the user's terminal in the
//! alternate screen. Committed store transactions survive either way.

use std::io;
use std::time::Duration;

use tokio::signal::unix::{SignalKind, signal};
use tokio::sync::mpsc;

use super::terminal;

/// How long the loop has to shut down cleanly after a signal.
pub const GRACE: Duration = Duration::from_secs(3);

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Signal {
    Hangup,
    Interrupt,
    Quit,
    User1,
    Alarm,
    Terminate,
}

impl Signal {
    pub const ALL: [Signal; 6] = [
        Signal::Hangup,
        Signal::Interrupt,
        Signal::Quit,
        Signal::User1,
        Signal::Alarm,
        Signal::Terminate,
    ];

    /// The Linux signal number.
    pub fn number(self) -> i32 {
        match self {
            Signal::Hangup => 1,
            Signal::Interrupt => 2,
            Signal::Quit => 3,
            Signal::User1 => 10,
            Signal::Alarm => 14,
            Signal::Terminate => 15,
        }
    }

    /// Its conventional name, for the record and the log.
    pub fn name(self) -> &'static str {
        match self {
            Signal::Hangup => "SIGHUP",
            Signal::Interrupt => "SIGINT",
            Signal::Quit => "SIGQUIT",
            Signal::User1 => "SIGUSR1",
            Signal::Alarm => "SIGALRM",
            Signal::Terminate => "SIGTERM",
        }
    }
}

/// SIGXFSZ is ignored for the whole process, so exceeding the file-size
/// limit fails the write (EFBIG) instead of killing Cairn silently.
pub fn ignore_file_size_limit_signal() {
    // A handler that only sets a flag nobody reads: the signal is caught,
    // so its default action (terminate, core) never happens.
    let flag = std::sync::Arc::new(std::sync::atomic::AtomicBool::new(false));
    if let Err(e) = signal_hook::flag::register(signal_hook::consts::SIGXFSZ, flag) {
        super::log::warn(format_args!("could not catch SIGXFSZ: {e}"));
    }
}

/// A request to stop, caused by a signal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub struct Shutdown(pub Signal);

impl Shutdown {
    /// The conventional exit status for death by this signal: 128 + n.
    pub fn exit_code(self) -> i32 {
        128 + self.0.number()
    }
}

/// Starts listening for the fatal signals. The first signal is sent on
/// the returned channel and arms the watchdog; a second one restores the
/// terminal and exits at once.
///
/// The listener runs on its own thread (with its own small runtime), so it
/// outlives the caller's runtime: a process stuck after its loop ended
/// (say, writing an error to a terminal that no longer reads) still exits
/// on a signal.
pub fn listen() -> io::Result<mpsc::Receiver<Shutdown>> {
    let (tx, rx) = mpsc::channel(4);
    let (ready_tx, ready_rx) = std::sync::mpsc::channel::<io::Result<()>>();
    std::thread::Builder::new()
        .name("cairn-signals".into())
        .spawn(move || {
            let runtime = match tokio::runtime::Builder::new_current_thread()
                .enable_io()
                .build()
            {
                Ok(rt) => rt,
                Err(e) => {
                    let _ = ready_tx.send(Err(e));
                    return;
                }
            };
            runtime.block_on(forward(tx, ready_tx));
        })?;
    ready_rx
        .recv()
        .unwrap_or_else(|_| Err(io::Error::other("the signal thread ended")))?;
    Ok(rx)
}

async fn forward(tx: mpsc::Sender<Shutdown>, ready: std::sync::mpsc::Sender<io::Result<()>>) {
    let streams: io::Result<Vec<_>> = Signal::ALL
        .iter()
        .map(|s| Ok((*s, signal(SignalKind::from_raw(s.number()))?)))
        .collect();
    let streams = match streams {
        Ok(s) => {
            let _ = ready.send(Ok(()));
            s
        }
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    // One task per signal, all feeding one queue, in arrival order.
    let (any_tx, mut any_rx) = mpsc::unbounded_channel::<Signal>();
    for (which, mut stream) in streams {
        let any_tx = any_tx.clone();
        tokio::spawn(async move {
            while stream.recv().await.is_some() {
                if any_tx.send(which).is_err() {
                    break;
                }
            }
        });
    }
    drop(any_tx);
    let mut first: Option<Shutdown> = None;
    while let Some(received) = any_rx.recv().await {
        super::log::warn(format_args!("received {}", received.name()));
        match first {
            None => {
                let shutdown = Shutdown(received);
                first = Some(shutdown);
                arm_watchdog(shutdown);
                let _ = tx.try_send(shutdown);
            }
            Some(shutdown) => force_exit(shutdown),
        }
    }
}

/// A plain thread, so it fires even if the async runtime is stuck.
fn arm_watchdog(shutdown: Shutdown) {
    std::thread::spawn(move || {
        std::thread::sleep(GRACE);
        super::log::error("shutdown took too long; forcing exit");
        force_exit(shutdown);
    });
}

fn force_exit(shutdown: Shutdown) -> ! {
    terminal::restore();
    std::process::exit(shutdown.exit_code())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn exit_codes_are_128_plus_the_signal_number() {
        assert_eq!(Shutdown(Signal::Hangup).exit_code(), 129);
        assert_eq!(Shutdown(Signal::Interrupt).exit_code(), 130);
        assert_eq!(Shutdown(Signal::Quit).exit_code(), 131);
        assert_eq!(Shutdown(Signal::User1).exit_code(), 138);
        assert_eq!(Shutdown(Signal::Alarm).exit_code(), 142);
        assert_eq!(Shutdown(Signal::Terminate).exit_code(), 143);
    }
}
