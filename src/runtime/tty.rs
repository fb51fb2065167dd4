//! A terminal writer that cannot hang.
//!
//! After an SSH link drops, the pty may stop draining: a blocking write then
//! waits forever and shutdown never finishes. [`TtyWriter`] buffers a frame
//! and flushes it with non-blocking writes, waiting for the terminal at most
//! a deadline; past it the frame is discarded and the flush fails with
//! `TimedOut`, so the caller can go on shutting down. Only `flush` writes
//! (ratatui flushes after every frame); dropping the writer discards what
//! was never flushed rather than risk blocking.
//!
//! It opens `/dev/tty` afresh: `O_NONBLOCK` then applies to Cairn's own open
//! file description only, never to the shell's standard output.

use std::fs::File;
use std::io::{self, Write};
use std::os::fd::{AsFd, OwnedFd};
use std::time::{Duration, Instant};

use rustix::event::{PollFd, PollFlags, Timespec, poll};
use rustix::fs::{Mode, OFlags, fcntl_getfl, fcntl_setfl};
use rustix::io::Errno;

/// How long a frame may wait for a slow terminal during normal use.
pub const FRAME_DEADLINE: Duration = Duration::from_secs(2);
/// How long the restore sequence may wait while shutting down.
pub const RESTORE_DEADLINE: Duration = Duration::from_millis(500);

pub struct TtyWriter {
    fd: OwnedFd,
    buffer: Vec<u8>,
    deadline: Duration,
    written: u64,
    /// The terminal hung up (EIO and the like): said once, then every
    /// later write is discarded, so nothing (ratatui's own drop showing the
    /// cursor included) reports the same dead terminal again.
    gone: bool,
}

impl TtyWriter {
    /// Opens the controlling terminal for non-blocking writes, or falls back
    /// to a duplicate of standard output when there is none.
    pub fn open(deadline: Duration) -> io::Result<Self> {
        let flags = OFlags::WRONLY | OFlags::NOCTTY | OFlags::CLOEXEC | OFlags::NONBLOCK;
        match rustix::fs::open("/dev/tty", flags, Mode::empty()) {
            Ok(fd) => Ok(Self::from_fd(fd, deadline)),
            // No controlling terminal: writes to a shared stdout stay
            // blocking (changing its flags would leak to the parent), but
            // the poll before each write still bounds the usual stall.
            Err(_) => {
                let fd = io::stdout().as_fd().try_clone_to_owned()?;
                Ok(Self::from_fd(fd, deadline))
            }
        }
    }

    /// Wraps an already open terminal (tests use a pty end), making it
    /// non-blocking.
    pub fn from_file(file: File, deadline: Duration) -> io::Result<Self> {
        let fd = OwnedFd::from(file);
        let flags = fcntl_getfl(&fd)?;
        fcntl_setfl(&fd, flags | OFlags::NONBLOCK)?;
        Ok(Self::from_fd(fd, deadline))
    }

    fn from_fd(fd: OwnedFd, deadline: Duration) -> Self {
        Self {
            fd,
            buffer: Vec::with_capacity(16 * 1024),
            deadline,
            written: 0,
            gone: false,
        }
    }

    pub fn set_deadline(&mut self, deadline: Duration) {
        self.deadline = deadline;
    }

    /// Bytes handed to the terminal so far.
    pub fn bytes_written(&self) -> u64 {
        self.written
    }

    /// Whether the terminal hung up.
    pub fn is_gone(&self) -> bool {
        self.gone
    }

    fn write_out(&mut self) -> io::Result<()> {
        if self.gone {
            self.buffer.clear();
            return Ok(());
        }
        let start = Instant::now();
        let mut done = 0;
        let result = loop {
            if done == self.buffer.len() {
                break Ok(());
            }
            match rustix::io::write(&self.fd, &self.buffer[done..]) {
                Ok(n) => {
                    done += n;
                    self.written += n as u64;
                }
                Err(Errno::INTR) => {}
                Err(Errno::AGAIN) => {
                    let Some(left) = self.deadline.checked_sub(start.elapsed()) else {
                        break Err(io::Error::new(
                            io::ErrorKind::TimedOut,
                            "the terminal stopped accepting output",
                        ));
                    };
                    wait_writable(&self.fd, left)?;
                }
                Err(e) => {
                    self.gone = hung_up(e);
                    break Err(e.into());
                }
            }
        };
        // On failure the rest of the frame is dropped: the next frame is
        // drawn in full anyway, and the buffer must not grow without bound.
        self.buffer.clear();
        result
    }
}

/// Errors that mean the terminal is gone for good, not a slow moment.
pub fn hung_up(e: Errno) -> bool {
    matches!(e, Errno::IO | Errno::NXIO | Errno::PIPE | Errno::BADF)
}

/// Whether a failed write says the terminal hung up.
pub fn is_hang_up(e: &io::Error) -> bool {
    e.raw_os_error()
        .is_some_and(|n| hung_up(Errno::from_raw_os_error(n)))
}

fn wait_writable(fd: &OwnedFd, timeout: Duration) -> io::Result<()> {
    let mut fds = [PollFd::new(fd, PollFlags::OUT)];
    let timeout = Timespec {
        tv_sec: timeout.as_secs() as i64,
        tv_nsec: i64::from(timeout.subsec_nanos()),
    };
    match poll(&mut fds, Some(&timeout)) {
        Ok(_) | Err(Errno::INTR) => Ok(()),
        Err(e) => Err(e.into()),
    }
}

impl Write for TtyWriter {
    fn write(&mut self, bytes: &[u8]) -> io::Result<usize> {
        self.buffer.extend_from_slice(bytes);
        Ok(bytes.len())
    }

    fn flush(&mut self) -> io::Result<()> {
        self.write_out()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use portable_pty::{PtySize, native_pty_system};
    use std::io::Read;

    fn pty() -> Box<dyn portable_pty::MasterPty + Send> {
        let pair = native_pty_system()
            .openpty(PtySize::default())
            .expect("open a pty");
        pair.master
    }

    fn slave_writer(master: &dyn portable_pty::MasterPty, deadline: Duration) -> TtyWriter {
        let path = master.tty_name().expect("pty path");
        let file = File::options().write(true).open(path).expect("open slave");
        TtyWriter::from_file(file, deadline).expect("writer")
    }

    #[test]
    fn a_terminal_that_never_reads_cannot_hang_a_flush() {
        let master = pty();
        let mut writer = slave_writer(master.as_ref(), Duration::from_millis(200));
        let start = Instant::now();
        // Far more than any pty buffers; nobody reads the master side.
        writer.write_all(&vec![b'x'; 4 * 1024 * 1024]).unwrap();
        let err = writer.flush().expect_err("the flush must give up");
        assert_eq!(err.kind(), io::ErrorKind::TimedOut);
        assert!(
            start.elapsed() < Duration::from_secs(3),
            "{:?}",
            start.elapsed()
        );
        // Some bytes went out before the pty filled up; the rest was dropped.
        assert!(writer.bytes_written() > 0);
        assert!(writer.bytes_written() < 4 * 1024 * 1024);
    }

    #[test]
    fn a_reading_terminal_gets_every_byte_in_order() {
        let master = pty();
        let mut reader = master.try_clone_reader().unwrap();
        let mut writer = slave_writer(master.as_ref(), Duration::from_secs(5));
        let payload: Vec<u8> = (0..200_000u32).map(|i| b'a' + (i % 26) as u8).collect();
        let expected = payload.clone();
        let drain = std::thread::spawn(move || {
            let mut got = Vec::new();
            let mut chunk = [0u8; 8192];
            while got.len() < expected.len() {
                let n = reader.read(&mut chunk).unwrap();
                got.extend_from_slice(&chunk[..n]);
            }
            got
        });
        writer.write_all(&payload).unwrap();
        writer.flush().unwrap();
        let got = drain.join().unwrap();
        // The line discipline may translate LF; the payload has none.
        assert_eq!(got, payload);
        assert_eq!(writer.bytes_written(), payload.len() as u64);
    }
}
