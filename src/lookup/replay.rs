//! Practice data: lookups answered from recorded responses in the services'
//! real wire formats, one file per lookup id under
//! `assets/scenarios/<name>/<lookup-id>.json`, described by the scenario
//! file beside the folder, `<name>.toml` (its tree, the incident's variable
//! values, what the data reveals).

use std::collections::BTreeMap;
use std::path::Path;

use serde::Deserialize;

use super::error::LookupError;
use super::graph_rows::GraphRows;
use super::run::LookupRequest;
use super::table::LookupResult;
use super::{hunting, loganalytics};
use crate::tree::model::Provider;

/// What the recordings' scenario file says about them.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Manifest {
    pub id: String,
    /// The tree whose lookups the recordings answer.
    pub tree: String,
    /// Variable values the practice incident starts with.
    pub variables: BTreeMap<String, String>,
    /// Values the recorded data reveals (what a responder binds on the way),
    /// for trainers and tests.
    pub discovered: BTreeMap<String, String>,
    /// Lookups whose recorded answer is deliberately empty, with the reason.
    pub empty: BTreeMap<String, String>,
}

/// The parts of a scenario file the replay reads; the scenario module
/// checks the whole file.
#[derive(Deserialize)]
struct ScenarioFile {
    scenario: Head,
    #[serde(default)]
    variables: BTreeMap<String, String>,
    #[serde(default)]
    discovered: BTreeMap<String, String>,
    #[serde(default)]
    empty: BTreeMap<String, String>,
}

#[derive(Deserialize)]
struct Head {
    id: String,
    tree: String,
}

#[derive(Debug, Clone, PartialEq)]
pub struct Replay {
    pub manifest: Manifest,
    /// Lookup id to recorded response body.
    recordings: BTreeMap<String, String>,
}

impl Replay {
    /// Builds a replay from its scenario file (labelled `origin` in errors)
    /// and `(lookup id, body)` pairs.
    pub fn from_parts(
        origin: &str,
        scenario_toml: &str,
        recordings: impl IntoIterator<Item = (String, String)>,
    ) -> Result<Self, LookupError> {
        let file: ScenarioFile = toml::from_str(scenario_toml)
            .map_err(|e| LookupError::Config(format!("{origin}: {}", e.message())))?;
        Ok(Self {
            manifest: Manifest {
                id: file.scenario.id,
                tree: file.scenario.tree,
                variables: file.variables,
                discovered: file.discovered,
                empty: file.empty,
            },
            recordings: recordings.into_iter().collect(),
        })
    }

    /// The scenario file describing the recordings in `dir`: `<dir>.toml`.
    pub fn scenario_file(dir: &Path) -> std::path::PathBuf {
        dir.with_extension("toml")
    }

    /// Loads every `dir/*.json` and the scenario file beside `dir`.
    pub fn load_dir(dir: &Path) -> Result<Self, LookupError> {
        let io = |e: std::io::Error, p: &Path| LookupError::Config(format!("{}: {e}", p.display()));
        let manifest_path = Self::scenario_file(dir);
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
        Self::from_parts(&manifest_path.display().to_string(), &manifest, recordings)
    }

    /// The scenario shipped inside Cairn, by id.
    pub fn shipped(id: &str) -> Option<Self> {
        let manifest = crate::assets::file(&format!("{}/{id}.toml", crate::assets::SCENARIOS))?;
        let recordings = crate::assets::dir(&format!("{}/{id}", crate::assets::SCENARIOS))
            .into_iter()
            .filter_map(|(name, body)| {
                let stem = name.strip_suffix(".json")?;
                Some((stem.to_string(), body.to_string()))
            });
        Some(
            Self::from_parts(&format!("shipped:{id}.toml"), manifest, recordings)
                .expect("shipped scenarios are checked by tests"),
        )
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
