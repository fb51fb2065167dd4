//! The incident store: library behaviour, damaged files, process faults and
//! the CLI, in one test binary.

#[path = "store/batches.rs"]
mod batches;
#[path = "store/cli.rs"]
mod cli;
#[path = "store/files.rs"]
mod files;
#[path = "store/log.rs"]
mod log;
#[path = "store/new.rs"]
mod new;
#[path = "store/outbox.rs"]
mod outbox;
#[path = "store/processes.rs"]
mod processes;
#[path = "store/report.rs"]
mod report;
#[path = "store/subjects.rs"]
mod subjects;
#[path = "store/support.rs"]
mod support;
#[path = "store/tamper.rs"]
mod tamper;
#[path = "store/wal.rs"]
mod wal;
#[path = "store/witness.rs"]
mod witness;
