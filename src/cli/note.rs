//! `cairn note ID [TEXT]`: appends a note (from standard input without TEXT).

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};

use super::say;
use super::store_access::{incident_id, open_store, warn_if_unwitnessed};
use crate::store::EventKind;

/// Longest note accepted; a pasted log belongs in a lookup, not a note.
const MAX_NOTE_BYTES: usize = 64 * 1024;

pub fn run(data_dir: Option<&Path>, id: &str, text: Option<String>) -> anyhow::Result<ExitCode> {
    let id = incident_id(id)?;
    let text = match text {
        Some(text) => text,
        None => {
            let mut buf = String::new();
            std::io::stdin()
                .take(MAX_NOTE_BYTES as u64 + 1)
                .read_to_string(&mut buf)
                .context(say::text("note-stdin"))?;
            buf
        }
    };
    let text = text.trim_end_matches(['\n', '\r']).to_string();
    if text.trim().is_empty() {
        bail!(say::text("note-empty"));
    }
    if text.len() > MAX_NOTE_BYTES {
        let max = MAX_NOTE_BYTES.to_string();
        bail!(say::fill("note-too-long", &[("max", &max)]));
    }
    let id_text = id.to_string();
    let failed = || say::fill("note-not-saved", &[("id", &id_text)]);
    let mut store = open_store(data_dir).with_context(failed)?;
    let event = store
        .append(&id, EventKind::NoteAdded { node: None, text })
        .with_context(failed)?;
    let seq = event.seq.to_string();
    println!(
        "{}",
        say::fill("note-saved", &[("id", &id_text), ("seq", &seq)])
    );
    warn_if_unwitnessed();
    Ok(ExitCode::SUCCESS)
}
