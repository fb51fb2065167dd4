//! Reports and machine-readable exports of an incident.
