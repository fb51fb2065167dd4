use std::process::ExitCode;

use clap::Parser;

fn main() -> ExitCode {
    let cli = cairn::cli::Cli::parse();
    match cairn::cli::run(cli) {
        Ok(code) => code,
        Err(err) => {
            eprintln!("cairn: {err:#}");
            ExitCode::FAILURE
        }
    }
}
