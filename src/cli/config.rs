//! `cairn config init|path`.

use std::process::ExitCode;

use crate::lookup::config;

use super::ConfigAction;

pub fn run(action: ConfigAction) -> anyhow::Result<ExitCode> {
    match action {
        ConfigAction::Init => {
            let path = config::path()?;
            config::init(&path)?;
            let path = path.display().to_string();
            println!("{}", super::say::fill("config-wrote", &[("path", &path)]));
            println!("{}", super::say::text("config-next"));
            Ok(ExitCode::SUCCESS)
        }
        ConfigAction::Path => {
            println!("{}", config::path()?.display());
            Ok(ExitCode::SUCCESS)
        }
    }
}
