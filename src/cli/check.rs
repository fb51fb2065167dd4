//! `cairn check [PATH...]`: validate trees, summarise the valid ones.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::tree::catalog::{self, read_capped};
use crate::tree::load::parse_bytes;
use crate::tree::summary::Summary;

/// Checks `paths`, or every shipped and user tree when none are given.
/// Summaries go to stdout, problems to stderr; exit 1 if any tree is invalid.
pub fn run(paths: &[PathBuf]) -> anyhow::Result<ExitCode> {
    let mut inputs: Vec<(String, Result<Vec<u8>, String>)> = Vec::new();
    if paths.is_empty() {
        for source in catalog::shipped() {
            inputs.push((source.origin, Ok(source.text.into_bytes())));
        }
        for path in catalog::user_tree_files(None) {
            let bytes = read_capped(&path).map_err(|e| e.to_string());
            inputs.push((path.display().to_string(), bytes));
        }
        if inputs.is_empty() {
            eprintln!("{}", super::say::text("check-no-trees"));
            return Ok(ExitCode::FAILURE);
        }
    } else {
        for path in paths {
            let bytes = read_capped(path).map_err(|e| e.to_string());
            inputs.push((path.display().to_string(), bytes));
        }
    }

    let mut failed = false;
    for (origin, bytes) in inputs {
        let result = match bytes {
            Ok(bytes) => parse_bytes(&origin, &bytes).map_err(|d| d.to_string()),
            Err(e) => {
                let origin = crate::text::visible(&origin, crate::text::Medium::Cli);
                let fills = [("origin", origin.as_ref()), ("why", e.as_str())];
                Err(super::say::fill("check-unreadable", &fills))
            }
        };
        match result {
            Ok(tree) => println!("{}", Summary::of(&tree)),
            Err(report) => {
                failed = true;
                eprintln!("{report}");
            }
        }
    }
    Ok(if failed {
        ExitCode::FAILURE
    } else {
        ExitCode::SUCCESS
    })
}
