//! `cairn export ID --format md|json|aar [-o FILE]`.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;

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
            // Evidence: readable by the owner only, like the store itself;
            // written beside the target and renamed over it, never through
            // a symlink and never leaving half a report.
            crate::runtime::private_file::replace(path, text.as_bytes()).map_err(|e| {
                let (path, why) = (
                    path.display().to_string(),
                    crate::runtime::private_file::write_error(&e).to_string(),
                );
                anyhow::anyhow!(super::say::fill(
                    "cannot-write",
                    &[("path", &path), ("why", &why)]
                ))
            })?;
            let (id, path, head) = (
                id.to_string(),
                path.display().to_string(),
                verification.head_text(),
            );
            let fills = [("id", id.as_str()), ("path", &path), ("head", &head)];
            eprintln!("{}", super::say::fill("exported", &fills));
        }
    }
    if let Some(b) = &verification.broken {
        let (id, seq) = (id.to_string(), b.seq.to_string());
        let fills = [("id", id.as_str()), ("seq", &seq)];
        eprintln!("{}", super::say::fill("export-broken", &fills));
    }
    Ok(ExitCode::SUCCESS)
}
