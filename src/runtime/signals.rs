//! SIGTERM, SIGHUP and SIGINT as messages for the event loop.
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
    Terminate,
}

impl Signal {
    pub fn number(self) -> i32 {
        match self {
            Signal::Hangup => 1,
            Signal::Interrupt => 2,
            Signal::Terminate => 15,
        }
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

/// Starts listening for the three signals. The first signal is sent on
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
    let streams = (|| {
        Ok::<_, io::Error>((
            signal(SignalKind::hangup())?,
            signal(SignalKind::interrupt())?,
            signal(SignalKind::terminate())?,
        ))
    })();
    let (mut hangup, mut interrupt, mut terminate) = match streams {
        Ok(s) => {
            let _ = ready.send(Ok(()));
            s
        }
        Err(e) => {
            let _ = ready.send(Err(e));
            return;
        }
    };
    let mut first: Option<Shutdown> = None;
    loop {
        let received = tokio::select! {
            Some(()) = hangup.recv() => Signal::Hangup,
            Some(()) = interrupt.recv() => Signal::Interrupt,
            Some(()) = terminate.recv() => Signal::Terminate,
            else => break,
        };
        tracing::warn!("received {received:?}");
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
        tracing::error!("shutdown took too long; forcing exit");
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
        assert_eq!(Shutdown(Signal::Terminate).exit_code(), 143);
    }
}
