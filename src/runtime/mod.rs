//! The runtime: the one place that owns the terminal and does I/O.

pub mod log;
pub mod resize;
pub mod signals;
pub mod terminal;
pub mod tty;
