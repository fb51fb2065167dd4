//! Practice scenarios: the format (a TOML file per scenario, checked against
//! its tree), scored training runs, tabletop exercises with injects, and the
//! after-action report. Everything here is pure: time comes from a [`Clock`],
//! records go out as [`EventKind`](crate::store::event::EventKind)s.

pub mod aar;
pub mod catalog;
mod check;
pub mod clock;
pub mod diag;
pub mod duration;
mod fields;
pub mod injects;
mod items;
pub mod model;
mod parse;
pub mod scorecard;
pub mod tabletop;
pub mod text;
pub mod training;

pub use check::expected_path;
pub use clock::{Clock, FakeClock, SystemClock};
pub use diag::{Diagnostic, Diagnostics};
pub use injects::InjectQueue;
pub use model::*;
pub use parse::{MAX_SCENARIO_BYTES, load, load_bytes};
pub use scorecard::Scorecard;
pub use tabletop::{Tabletop, TabletopError};
pub use training::{TrainingError, TrainingRun};
