//! Practice data: lookups answered from recorded responses in the services'
//! real wire formats, one file per lookup id under
//! `assets/scenarios/<name>/<lookup-id>.json`, with a `scenario.toml`
//! manifest naming the tree and the incident's variable values.

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::error::LookupError;
use super::graph_rows::GraphRows;
use super::run::LookupRequest;
use super::table::LookupResult;
use super::{hunting, loganalytics};
use crate::tree::model::Provider;

/// A scenario's manifest (`scenario.toml`).
#[derive(Debug, Clone, PartialEq, Eq, Deserialize)]
#[serde(deny_unknown_fields)]
pub struct Manifest {
    pub id: String,
    /// The tree whose lookups the recordings answer.
    pub tree: String,
    pub title: BTreeMap<String, String>,
    #[serde(default)]
    pub summary: BTreeMap<String, String>,
    /// Variable values the practice incident starts with.
    #[serde(default)]
    pub variables: BTreeMap<String, String>,
    /// Values the recorded data reveals (what a responder binds on the way),
    /// for trainers and tests.
    #[serde(default)]
    pub discovered: BTreeMap<String, String>,
    /// Lookups whose recorded answer is deliberately empty, with the reason.
    #[serde(default)]
    pub empty: BTreeMap<String, String>,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Replay {
    pub manifest: Manifest,
    /// Lookup id to recorded response body.
    recordings: BTreeMap<String, String>,
}

impl Replay {
    /// Builds a scenario from a manifest and `(lookup id, body)` pairs.
    pub fn from_parts(
        manifest_toml: &str,
        recordings: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, LookupError> {
        let manifest: Manifest = toml::from_str(manifest_toml)
            .map_err(|e| LookupError::Config(format!("scenario.toml: {}", e.message())))?;
        Ok(Self {
            manifest,
            recordings: recordings.into_iter().collect(),
        })
    }

    /// Loads `dir/scenario.toml` and every `dir/*.json`.
    pub fn load_dir(dir: &Path) -> Result<Self, LookupError> {
        let io = |e: std::io::Error, p: &Path| LookupError::Config(format!("{}: {e}", p.display()));
        let manifest_path = dir.join("scenario.toml");
        let manifest =
            std::fs::read_to_string(&manifest_path).map_err(|e| io(e, &manifest_path))?;
        let mut recordings = Vec::new();
        for entry in std::fs::read_dir(dir).map_err(|e| io(e, dir))? {
            let path = entry.map_err(|e| io(e, dir))?.path();
            if path.extension().is_some_and(|x| x == "json")
                && let Some(stem) = path.file_stem().and_then(|s| s.to_str())
            {
                let body = std::fs::read_to_string(&path).map_err(|e| io(e, &path))?;
                recordings.push((stem.to_string(), body));
            }
        }
        Self::from_parts(&manifest, recordings)
    }

    /// The scenario shipped inside Cairn, by id.
    pub fn shipped(id: &str) -> Option<Self> {
        super::scenarios::SHIPPED
            .iter()
            .find(|s| s.id == id)
            .map(|s| {
                Self::from_parts(
                    s.manifest,
                    s.recordings
                        .iter()
                        .map(|(k, v)| (k.to_string(), v.to_string())),
                )
                .expect("shipped scenarios are checked by tests")
            })
    }

    /// The same recordings, with `lookup` answered from `recording` (a file
    /// name such as `signins-user-after.json`) from now on: what a scenario
    /// inject does when the story moves on.
    pub fn with_swapped(mut self, lookup: &str, recording: &str) -> Result<Self, LookupError> {
        let key = recording.strip_suffix(".json").unwrap_or(recording);
        let body = self
            .recordings
            .get(key)
            .cloned()
            .ok_or_else(|| LookupError::NoRecording {
                lookup: key.to_string(),
                scenario: self.manifest.id.clone(),
            })?;
        self.recordings.insert(lookup.to_string(), body);
        Ok(self)
    }

    pub fn has_recording(&self, lookup_id: &str) -> bool {
        self.recordings.contains_key(lookup_id)
    }

    pub fn lookup_ids(&self) -> impl Iterator<Item = &str> {
        self.recordings.keys().map(String::as_str)
    }

    /// Answers a lookup from its recording, parsed exactly as a live response.
    pub fn answer(&self, req: &LookupRequest) -> Result<LookupResult, LookupError> {
        self.answer_from(req, None)
    }

    /// Answers from `recording` (a file name such as `signins-user-after.json`,
    /// as a scenario inject swaps in) instead of `<lookup-id>.json` when given.
    pub fn answer_from(
        &self,
        req: &LookupRequest,
        recording: Option<&str>,
    ) -> Result<LookupResult, LookupError> {
        let key = recording
            .map(|r| r.strip_suffix(".json").unwrap_or(r))
            .unwrap_or(&req.lookup_id);
        let body = self
            .recordings
            .get(key)
            .ok_or_else(|| LookupError::NoRecording {
                lookup: key.to_string(),
                scenario: self.manifest.id.clone(),
            })?;
        let bytes = body.as_bytes();
        match req.provider {
            Provider::LogAnalytics => loganalytics::parse_response(bytes),
            Provider::Hunting => hunting::parse_response(bytes),
            Provider::Graph => {
                let mut rows = GraphRows::default();
                rows.absorb(bytes)?;
                Ok(LookupResult {
                    tables: vec![rows.table()],
                    warning: None,
                })
            }
        }
    }
}
