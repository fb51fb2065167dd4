//! `cairn config init|path`.

use std::path::PathBuf;
use std::process::ExitCode;

use crate::lookup::config;

use super::ConfigAction;

pub fn run(action: ConfigAction) -> anyhow::Result<ExitCode> {
    match action {
        ConfigAction::Init { config: path } => {
            let path = resolve(path)?;
            config::init(&path)?;
            println!("wrote {}", path.display());
            println!("edit tenant, workspace and [auth], then run `cairn auth status`");
            Ok(ExitCode::SUCCESS)
        }
        ConfigAction::Path { config: path } => {
            println!("{}", resolve(path)?.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}

pub(crate) fn resolve(path: Option<PathBuf>) -> anyhow::Result<PathBuf> {
    match path {
        Some(p) => Ok(p),
        None => Ok(config::default_path()?),
    }
}
