//! Integration tests of the lookup domain: substitution, result tables,
//! providers against a loopback mock server, auth flows, replay data.

#[path = "lookup/action_paths.rs"]
mod action_paths;
#[path = "lookup/auth.rs"]
mod auth;
#[path = "lookup/config.rs"]
mod config;
#[path = "lookup/graph.rs"]
mod graph;
#[path = "lookup/journey.rs"]
mod journey;
#[path = "lookup/journey_checks.rs"]
mod journey_checks;
#[path = "lookup/journey_driver.rs"]
mod journey_driver;
#[path = "lookup/journey_mock.rs"]
mod journey_mock;
#[path = "lookup/loganalytics.rs"]
mod loganalytics;
#[path = "lookup/mock.rs"]
mod mock;
#[path = "lookup/preflight.rs"]
mod preflight;
#[path = "lookup/remedies.rs"]
mod remedies;
#[path = "lookup/replay.rs"]
mod replay;
#[path = "lookup/request_ids.rs"]
mod request_ids;
#[path = "lookup/retries.rs"]
mod retries;
#[path = "lookup/screen.rs"]
mod screen;
#[path = "lookup/sentinel.rs"]
mod sentinel;
#[path = "lookup/sentinel_approvals.rs"]
mod sentinel_approvals;
#[path = "lookup/sentinel_attach.rs"]
mod sentinel_attach;
#[path = "lookup/sentinel_evidence.rs"]
mod sentinel_evidence;
#[path = "lookup/sentinel_fields.rs"]
mod sentinel_fields;
#[path = "lookup/sentinel_mock.rs"]
mod sentinel_mock;
#[path = "lookup/sentinel_mock_incident.rs"]
mod sentinel_mock_incident;
#[path = "lookup/sentinel_push.rs"]
mod sentinel_push;
#[path = "lookup/sentinel_sync.rs"]
mod sentinel_sync;
#[path = "lookup/sentinel_team.rs"]
mod sentinel_team;
#[path = "lookup/streaming.rs"]
mod streaming;
#[path = "lookup/substitute.rs"]
mod substitute;
#[path = "lookup/support.rs"]
mod support;
#[path = "lookup/table.rs"]
mod table;
#[path = "lookup/throttled.rs"]
mod throttled;
