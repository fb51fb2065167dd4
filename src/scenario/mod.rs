//! Practice scenarios: the format (a TOML file per scenario, checked against
//! its tree), scored training runs, tabletop exercises with injects, and the
//! after-action report. Everything here is pure: time comes from a [`Clock`],
//! records go out as [`EventKind`](crate::store::event::EventKind)s.

pub mod aar;
mod approvals;
pub mod catalog;
mod check;
pub(crate) mod clock;
pub(crate) mod diag;
pub(crate) mod duration;
mod fields;
pub(crate) mod injects;
mod items;
pub(crate) mod model;
mod parse;
pub(crate) mod scorecard;
pub mod tabletop;
pub(crate) mod text;
pub(crate) mod training;

pub use check::expected_path;
pub use clock::{Clock, FakeClock, SystemClock};
pub use diag::{Diagnostic, Diagnostics};
pub use injects::InjectQueue;
pub use model::*;
pub use parse::{MAX_SCENARIO_BYTES, load, load_bytes};
pub use scorecard::Scorecard;
pub use tabletop::{Tabletop, TabletopError};
pub use training::{TrainingError, TrainingRun};
