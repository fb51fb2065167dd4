//! `cairn export ID --format md|json|aar [-o FILE]`.

use std::io::Write;
use std::os::unix::fs::OpenOptionsExt;
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use super::ExportFormat;
use super::store_access::{incident_id, open_store_read_only, own_tree};
use crate::store::export::{Report, json, markdown};

pub fn run(
    data_dir: Option<&Path>,
    id: &str,
    format: ExportFormat,
    output: Option<&Path>,
) -> anyhow::Result<ExitCode> {
    let id = incident_id(id)?;
    let store = open_store_read_only(data_dir)?;
    let incident = store.incident(&id)?;
    let events = store.events(&id)?;
    let verification = store.verify(&id)?;
    let tree = own_tree(&incident);
    let report = Report {
        incident: &incident,
        events: &events,
        verification: &verification,
        tree: tree.as_ref(),
    };
    let text = match format {
        ExportFormat::Md => markdown::render(&report),
        ExportFormat::Aar => super::aar::render(&incident, &events, &verification.head_text())?,
        ExportFormat::Json => json::render(&report),
    };
    match output {
        None => std::io::stdout().write_all(text.as_bytes())?,
        Some(path) => {
            // Evidence: readable by the owner only, like the store itself.
            let mut file = std::fs::OpenOptions::new()
                .write(true)
                .create(true)
                .truncate(true)
                .mode(0o600)
                .open(path)
                .with_context(|| format!("cannot write {}", path.display()))?;
            file.write_all(text.as_bytes())
                .and_then(|_| file.sync_all())
                .with_context(|| format!("cannot write {}", path.display()))?;
            eprintln!(
                "{id}: exported to {} (head {})",
                path.display(),
                verification.head_text()
            );
        }
    }
    if let Some(b) = &verification.broken {
        eprintln!(
            "cairn: warning: the hash chain of {id} is BROKEN at event {}",
            b.seq
        );
    }
    Ok(ExitCode::SUCCESS)
}
