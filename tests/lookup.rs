//! Integration tests of the lookup domain: substitution, result tables,
//! providers against a loopback mock server, auth flows, replay data.

#[path = "lookup/substitute.rs"]
mod substitute;
#[path = "lookup/table.rs"]
mod table;
