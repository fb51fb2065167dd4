use std::process::ExitCode;
use std::time::Duration;

use cairn::text::{Medium, visible};
use clap::Parser;

fn main() -> ExitCode {
    // Before anything writes: past `ulimit -f` a write fails (EFBIG) with
    // a message instead of the process dying silently.
    cairn::runtime::signals::ignore_file_size_limit_signal();
    let cli = cairn::cli::Cli::parse();
    match cairn::cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            // Bounded: after a hangup, standard error may never drain.
            // Errors quote what they failed on (a config line, an id), so
            // they reach the terminal as visible text like any other.
            let message = format!("cairn: {err:#}");
            let message = format!("{}\n", visible(&message, Medium::CliLines));
            cairn::runtime::terminal::eprint_bounded(&message, Duration::from_secs(1));
            ExitCode::FAILURE
        }
    }
}
