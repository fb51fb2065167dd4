//! Cairn: a terminal navigator for incident-response decision trees.

pub mod app;
pub mod assets;
pub mod cli;
pub mod lookup;
pub mod runtime;
pub mod scenario;
pub mod store;
pub mod sync;
pub mod text;
pub mod tree;
pub mod ui;

#[cfg(test)]
mod architecture_tests;
