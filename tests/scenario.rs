//! Scenario integration tests: format validation, training, tabletop,
//! injects, the after-action report and the shipped scenarios.

#[path = "scenario/aar.rs"]
mod aar;
#[path = "scenario/approvals.rs"]
mod approvals;
#[path = "scenario/catalog.rs"]
mod catalog;
#[path = "scenario/cli.rs"]
mod cli;
#[path = "scenario/common.rs"]
mod common;
#[path = "scenario/export.rs"]
mod export;
#[path = "scenario/shipped.rs"]
mod shipped;
#[path = "scenario/tabletop.rs"]
mod tabletop;
#[path = "scenario/training.rs"]
mod training;
#[path = "scenario/validation.rs"]
mod validation;
