//! `cairn config init|path`.

use std::process::ExitCode;

use crate::lookup::config;

use super::ConfigAction;

pub fn run(action: ConfigAction) -> anyhow::Result<ExitCode> {
    match action {
        ConfigAction::Init => {
            let path = config::path()?;
            config::init(&path)?;
            println!("wrote {}", path.display());
            println!("edit tenant, workspace and [auth], then run `cairn auth status`");
            Ok(ExitCode::SUCCESS)
        }
        ConfigAction::Path => {
            println!("{}", config::path()?.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}
