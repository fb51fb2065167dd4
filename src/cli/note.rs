//! `cairn note ID [TEXT]`: appends a note (from standard input without TEXT).

use std::io::Read;
use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};

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
                .context("reading the note from standard input")?;
            buf
        }
    };
    let text = text.trim_end_matches(['\n', '\r']).to_string();
    if text.trim().is_empty() {
        bail!("the note is empty; nothing recorded");
    }
    if text.len() > MAX_NOTE_BYTES {
        bail!("the note is longer than {MAX_NOTE_BYTES} bytes; nothing recorded");
    }
    let mut store = open_store(data_dir).with_context(|| format!("note NOT saved to {id}"))?;
    let event = store
        .append(&id, EventKind::NoteAdded { node: None, text })
        .with_context(|| format!("note NOT saved to {id}"))?;
    println!("{id}: note saved as event {}", event.seq);
    warn_if_unwitnessed();
    Ok(ExitCode::SUCCESS)
}
