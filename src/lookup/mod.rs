//! Lookups: providers (Log Analytics, Defender hunting, Graph), the Sentinel
//! incident client, auth,
//! substitution and result tables.
//!
//! Nothing here touches the screen: the runtime drives these async functions
//! and renders what they return.

pub mod action;
pub mod auth;
pub mod canonical;
pub(crate) mod cells;
pub mod config;
mod config_check;
pub mod error;
pub mod graph;
pub mod graph_rows;
pub mod http;
pub mod hunting;
mod hunting_table;
mod la_table;
pub mod loganalytics;
pub mod preflight;
pub mod preflight_tables;
pub mod remedy;
pub mod replay;
pub mod retry;
pub mod run;
pub mod sentinel;
pub mod stream;
pub mod substitute;
pub mod table;
pub(crate) mod table_ops;
