//! Reports and machine-readable exports of an incident.

mod checklist;
mod describe;
mod evidence;
pub mod json;
pub mod markdown;
mod subjects;

pub use describe::{
    event as describe_event, signer as describe_signer, source as describe_source,
    time as format_time,
};
pub use subjects::lookup_names;

use super::Verification;
use super::event::Event;
use super::incident::Incident;
use crate::tree::Tree;

/// Everything an export is made from.
pub struct Report<'a> {
    pub incident: &'a Incident,
    pub events: &'a [Event],
    pub verification: &'a Verification,
    /// The incident's own tree (parsed from its stored source), for node
    /// titles and checklist texts; without it the report shows ids only.
    pub tree: Option<&'a Tree>,
}
