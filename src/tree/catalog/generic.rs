//! Files Cairn finds by id: trees and scenarios. Each kind is shipped in the
//! binary and may also sit in a folder of the user's configuration directory
//! (`<config>/trees/`, `<config>/scenarios/`), where a user's file takes the
//! place of a shipped one with the same id. Explicit paths load directly.
//! Here beside the tree because scenarios share the tree's diagnostics.

use std::io::Read;
use std::path::{Path, PathBuf};

use crate::tree::error::Diagnostics;
use crate::tree::suggest::did_you_mean;

/// A file's text and where it came from.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Source {
    /// `shipped:token-theft.toml`, or the file's path.
    pub origin: String,
    pub text: String,
}

#[derive(Debug, thiserror::Error)]
pub enum CatalogError {
    #[error("no {kind} with id '{id}'{}; available: {}", hint_text(.hint), list(.available))]
    NotFound {
        kind: &'static str,
        id: String,
        hint: Option<String>,
        available: Vec<String>,
    },
    #[error("cannot read {path}: {source}")]
    Read {
        path: String,
        source: std::io::Error,
    },
    #[error("{0}")]
    Invalid(Diagnostics),
}

/// The " (did you mean 'x'?)" tail of a not-found message, if any.
fn hint_text(hint: &Option<String>) -> String {
    hint.as_ref()
        .map(|h| format!(" (did you mean '{h}'?)"))
        .unwrap_or_default()
}

fn list(ids: &[String]) -> String {
    if ids.is_empty() {
        "none".into()
    } else {
        ids.join(", ")
    }
}

/// Cairn's configuration directory: `$CAIRN_CONFIG_DIR`, else the
/// platform's (e.g. `~/.config/cairn`).
pub fn default_config_dir() -> Option<PathBuf> {
    if let Some(dir) = std::env::var_os("CAIRN_CONFIG_DIR").filter(|d| !d.is_empty()) {
        return Some(PathBuf::from(dir));
    }
    directories::ProjectDirs::from("", "", "cairn").map(|d| d.config_dir().to_path_buf())
}

/// Reads at most one byte more than `max`, so a huge file or a device like
/// /dev/zero cannot exhaust memory or hang; the parser reports the excess.
pub fn read_capped(path: &Path, max: usize) -> std::io::Result<Vec<u8>> {
    let mut bytes = Vec::new();
    std::fs::File::open(path)?
        .take(max as u64 + 1)
        .read_to_end(&mut bytes)?;
    Ok(bytes)
}

/// Turns a file's bytes, labelled with its origin, into an item.
pub type ParseBytes<'a, T> = Box<dyn Fn(&str, &[u8]) -> Result<T, Diagnostics> + 'a>;

/// One kind of file: where its shipped copies and the user's are, how it is
/// read and what its id is.
pub struct Catalog<'a, T> {
    /// Named in messages: "tree", "scenario".
    pub kind: &'static str,
    /// The folder of the configuration directory holding the user's files.
    pub folder: &'static str,
    /// The shipped folder (`trees`, `assets/scenarios`) whose `*.toml`
    /// files are this kind's.
    pub shipped: &'static str,
    pub max_bytes: usize,
    pub parse: ParseBytes<'a, T>,
    pub id: fn(&T) -> &str,
}

impl<T> Catalog<'_, T> {
    /// Every shipped file, in file-name order.
    pub fn shipped(&self) -> Vec<Source> {
        crate::assets::dir(self.shipped)
            .into_iter()
            .filter(|(name, _)| name.ends_with(".toml"))
            .map(|(name, text)| Source {
                origin: format!("shipped:{name}"),
                text: (*text).to_string(),
            })
            .collect()
    }

    /// The `*.toml` files of the user's folder in `config_dir` (the default
    /// one when `None`), sorted. A missing folder is no error: most users
    /// have none.
    pub fn user_files(&self, config_dir: Option<&Path>) -> Vec<PathBuf> {
        let Some(dir) = config_dir
            .map(Path::to_path_buf)
            .or_else(default_config_dir)
        else {
            return Vec::new();
        };
        let mut files: Vec<PathBuf> = std::fs::read_dir(dir.join(self.folder))
            .map(|entries| {
                entries
                    .filter_map(|e| e.ok().map(|e| e.path()))
                    .filter(|p| p.extension().is_some_and(|x| x == "toml") && p.is_file())
                    .collect()
            })
            .unwrap_or_default();
        files.sort();
        files
    }

    /// The user's readable UTF-8 files (unreadable ones are left to the
    /// commands that check them, which report them with their error).
    pub fn user_sources(&self, config_dir: Option<&Path>) -> Vec<Source> {
        self.user_files(config_dir)
            .into_iter()
            .filter_map(|path| {
                let text = String::from_utf8(read_capped(&path, self.max_bytes).ok()?).ok()?;
                Some(Source {
                    origin: path.display().to_string(),
                    text,
                })
            })
            .collect()
    }

    /// Loads and validates the file at `path`.
    pub fn load_path(&self, path: &Path) -> Result<(T, Source), CatalogError> {
        let origin = path.display().to_string();
        let bytes = read_capped(path, self.max_bytes).map_err(|source| CatalogError::Read {
            path: origin.clone(),
            source,
        })?;
        let item = (self.parse)(&origin, &bytes).map_err(CatalogError::Invalid)?;
        // The parser accepted it, so it is UTF-8.
        let text = String::from_utf8(bytes).unwrap_or_default();
        Ok((item, Source { origin, text }))
    }

    /// Every valid item a user can pick: the user's first, then the shipped
    /// ones whose id no user file took. Invalid files are left out here.
    pub fn available(&self, config_dir: Option<&Path>) -> Vec<(T, Source)> {
        let mut out: Vec<(T, Source)> = Vec::new();
        for source in self
            .user_sources(config_dir)
            .into_iter()
            .chain(self.shipped())
        {
            if let Ok(item) = (self.parse)(&source.origin, source.text.as_bytes())
                && !out.iter().any(|(o, _)| (self.id)(o) == (self.id)(&item))
            {
                out.push((item, source));
            }
        }
        out
    }

    /// An item by id (the user's files first, so a user can replace a
    /// shipped one, then the shipped ones) or by path (anything with a path
    /// separator or a `.toml` ending).
    pub fn find(
        &self,
        id_or_path: &str,
        config_dir: Option<&Path>,
    ) -> Result<(T, Source), CatalogError> {
        if looks_like_path(id_or_path) {
            return self.load_path(Path::new(id_or_path));
        }
        let mut available = Vec::new();
        // A broken user file must not hide the others; its errors are shown
        // only if the id is found nowhere.
        let mut broken = None;
        for path in self.user_files(config_dir) {
            match self.load_path(&path) {
                Ok((item, source)) if (self.id)(&item) == id_or_path => return Ok((item, source)),
                Ok((item, _)) => available.push((self.id)(&item).to_string()),
                Err(e) => broken = broken.or(Some(e)),
            }
        }
        for source in self.shipped() {
            // A shipped file that does not load (a scenario whose tree is
            // missing) is simply not available.
            if let Ok(item) = (self.parse)(&source.origin, source.text.as_bytes()) {
                if (self.id)(&item) == id_or_path {
                    return Ok((item, source));
                }
                available.push((self.id)(&item).to_string());
            }
        }
        if let Some(e) = broken {
            return Err(e);
        }
        available.sort();
        available.dedup();
        Err(CatalogError::NotFound {
            kind: self.kind,
            id: id_or_path.to_string(),
            hint: did_you_mean(id_or_path, available.iter().map(String::as_str))
                .map(str::to_string),
            available,
        })
    }
}

fn looks_like_path(s: &str) -> bool {
    s.contains('/') || s.contains(std::path::MAIN_SEPARATOR) || s.ends_with(".toml")
}
