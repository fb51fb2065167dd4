//! Incident persistence: an append-only, hash-chained event log per incident.

pub mod event;
