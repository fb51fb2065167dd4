//! End-to-end tests through a real pseudo-terminal (one test binary).

#[path = "e2e/cli.rs"]
mod cli;
#[path = "e2e/cli_lang.rs"]
mod cli_lang;
#[path = "e2e/closed.rs"]
mod closed;
#[path = "e2e/disk.rs"]
mod disk;
#[path = "e2e/escapes.rs"]
mod escapes;
#[path = "e2e/exercise.rs"]
mod exercise;
// Not every helper is used by every group of tests.
#[allow(dead_code)]
#[path = "e2e/harness.rs"]
mod harness;
#[path = "e2e/history.rs"]
mod history;
#[path = "e2e/hostile.rs"]
mod hostile;
#[path = "e2e/hostile_outputs.rs"]
mod hostile_outputs;
#[path = "e2e/jump.rs"]
mod jump;
#[path = "e2e/lifecycle.rs"]
mod lifecycle;
#[path = "e2e/lookups.rs"]
mod lookups;
#[path = "e2e/probe.rs"]
mod probe;
#[path = "e2e/responders.rs"]
mod responders;
#[path = "e2e/results.rs"]
mod results;
#[path = "e2e/screen.rs"]
mod screen;
#[path = "e2e/signals.rs"]
mod signals;
#[path = "e2e/terminal.rs"]
mod terminal;
#[path = "e2e/timeline.rs"]
mod timeline;
#[path = "e2e/tmux.rs"]
mod tmux;
#[path = "e2e/walk.rs"]
mod walk;
#[path = "e2e/witness.rs"]
mod witness;
