//! `cairn debug-store ...`: hidden commands the store's fault tests drive in
//! child processes (kill -9, disk full, concurrent writers). Not for users:
//! built only with the `test-hooks` feature, which the tests turn on.

use std::io::Write;
use std::path::{Path, PathBuf};
use std::process::ExitCode;

use clap::Subcommand;

use super::store_access::{incident_id, open_store};
use crate::store::event::Mode;
use crate::store::{EventKind, NewIncident};

#[derive(Debug, Subcommand)]
pub enum DebugStore {
    /// Create an incident from a tree source file without parsing it.
    Create {
        #[arg(long)]
        tree_id: String,
        #[arg(long)]
        source: PathBuf,
        #[arg(long)]
        title: String,
    },
    /// Append COUNT notes, printing `committed SEQ` after each commit.
    Append {
        id: String,
        #[arg(long, default_value_t = 1)]
        count: u64,
        /// Pad each note to this many bytes (to fill a disk quickly).
        #[arg(long, default_value_t = 0)]
        note_bytes: usize,
        #[arg(long, default_value = "note")]
        tag: String,
        /// Append each note as a batch of this many parts (`TAG I.P`), in
        /// one transaction, as one user action is.
        #[arg(long, default_value_t = 1)]
        batch: u64,
    },
}

pub fn run(data_dir: Option<&Path>, command: DebugStore) -> anyhow::Result<ExitCode> {
    match command {
        DebugStore::Create {
            tree_id,
            source,
            title,
        } => {
            let tree_source = std::fs::read_to_string(&source)?;
            let mut store = open_store(data_dir)?;
            let id = store.create_incident(NewIncident {
                title,
                tree_id,
                tree_version: "0".into(),
                tree_source,
                language: "en".into(),
                mode: Mode::Practice,
            })?;
            println!("{id}");
            Ok(ExitCode::SUCCESS)
        }
        DebugStore::Append {
            id,
            count,
            note_bytes,
            tag,
            batch,
        } => {
            let id = incident_id(&id)?;
            let mut store = open_store(data_dir)?;
            let mut stdout = std::io::stdout();
            let note = |text: String| {
                let mut text = text;
                if text.len() < note_bytes {
                    text.push(' ');
                    text.push_str(&"x".repeat(note_bytes - text.len()));
                }
                EventKind::NoteAdded { node: None, text }
            };
            for i in 1..=count {
                let result = if batch > 1 {
                    let parts = (1..=batch).map(|p| note(format!("{tag} {i}.{p}")));
                    store.append_batch(&id, None, parts.collect())
                } else {
                    store
                        .append(&id, note(format!("{tag} {i}")))
                        .map(|e| vec![e])
                };
                match result {
                    Ok(events) => {
                        for event in events {
                            writeln!(stdout, "committed {}", event.seq)?;
                        }
                        stdout.flush()?;
                    }
                    Err(err) => {
                        eprintln!("cairn: {tag} {i} NOT saved: {err}");
                        return Ok(ExitCode::FAILURE);
                    }
                }
            }
            Ok(ExitCode::SUCCESS)
        }
    }
}
