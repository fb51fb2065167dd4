//! Rendering: pure functions from state to ratatui widgets, no I/O.

pub mod markdown;
pub mod theme;
