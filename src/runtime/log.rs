//! The log file: `cairn.log` in the state directory, never the screen.
//!
//! The file is created 0600 in a 0700 directory. Every line is made safe
//! with [`crate::text::visible`] (a log viewed with `cat` cannot drive the
//! terminal) and anything shaped like a bearer token or JWT is redacted, as
//! a last line of defence: callers must not log secrets in the first place.

use std::borrow::Cow;
use std::fmt::Display;
use std::fs::{self, File, OpenOptions};
use std::io::{self, Write};
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::sync::{Mutex, OnceLock};

use crate::text::{Medium, visible};

/// Past this size the log is moved to `cairn.log.1` at start.
const ROTATE_BYTES: u64 = 1024 * 1024;

struct Sink {
    path: PathBuf,
    file: Mutex<File>,
}

static SINK: OnceLock<Sink> = OnceLock::new();

/// Where logs go: `$XDG_STATE_HOME/cairn` (default `~/.local/state/cairn`).
pub fn state_dir() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "cairn")?;
    Some(
        dirs.state_dir()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| dirs.cache_dir().to_path_buf()),
    )
}

/// Opens the log in `dir` (once per process) and returns its path.
pub fn init(dir: &Path) -> io::Result<PathBuf> {
    if let Some(sink) = SINK.get() {
        return Ok(sink.path.clone());
    }
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    let path = dir.join("cairn.log");
    if fs::metadata(&path).is_ok_and(|m| m.len() > ROTATE_BYTES) {
        let _ = fs::rename(&path, dir.join("cairn.log.1"));
    }
    let file = OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(&path)?;
    let sink = SINK.get_or_init(|| Sink {
        path,
        file: Mutex::new(file),
    });
    Ok(sink.path.clone())
}

/// The log file's path, once [`init`] succeeded.
pub fn path() -> Option<&'static Path> {
    SINK.get().map(|s| s.path.as_path())
}

pub fn info(message: impl Display) {
    write("INFO", message);
}

pub fn warn(message: impl Display) {
    write("WARN", message);
}

pub fn error(message: impl Display) {
    write("ERROR", message);
}

fn write(level: &str, message: impl Display) {
    let Some(sink) = SINK.get() else { return };
    let line = format_line(level, &message.to_string());
    // A poisoned lock only means another thread panicked mid-write.
    let mut file = sink.file.lock().unwrap_or_else(|p| p.into_inner());
    let _ = file.write_all(line.as_bytes());
}

fn format_line(level: &str, message: &str) -> String {
    let now = chrono::Utc::now().format("%Y-%m-%dT%H:%M:%S%.3fZ");
    format!("{now} {level} {}\n", visible(&redact(message), Medium::Cli))
}

/// Replaces bearer tokens and JWT-shaped strings with `[redacted]`.
pub fn redact(message: &str) -> Cow<'_, str> {
    let words: Vec<&str> = message.split(' ').collect();
    let mut changed = false;
    let mut out = Vec::with_capacity(words.len());
    let mut after_bearer = false;
    for word in words {
        let secret = after_bearer || looks_like_jwt(word);
        after_bearer = word.eq_ignore_ascii_case("bearer") || word.ends_with("Bearer");
        if secret && !word.is_empty() {
            changed = true;
            out.push("[redacted]");
        } else {
            out.push(word);
        }
    }
    if changed {
        Cow::Owned(out.join(" "))
    } else {
        Cow::Borrowed(message)
    }
}

/// Three dot-separated base64url parts starting `eyJ` (a JSON header).
fn looks_like_jwt(word: &str) -> bool {
    let token = word.trim_matches(|c: char| !(c.is_ascii_alphanumeric() || "-_.".contains(c)));
    let Some(start) = token.find("eyJ") else {
        return false;
    };
    let token = &token[start..];
    let parts: Vec<&str> = token.split('.').collect();
    parts.len() >= 3
        && parts[..2].iter().all(|p| p.len() >= 8)
        && parts.iter().all(|p| {
            p.chars()
                .all(|c| c.is_ascii_alphanumeric() || c == '-' || c == '_')
        })
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::os::unix::fs::PermissionsExt;

    #[test]
    fn bearer_tokens_and_jwts_are_redacted() {
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoIn0.c2lnbmF0dXJlLXBhcnQ";
        assert_eq!(
            redact(&format!("Authorization: Bearer {jwt} sent")),
            "Authorization: Bearer [redacted] sent"
        );
        assert_eq!(redact(&format!("token=\"{jwt}\"")), "[redacted]");
        assert_eq!(redact("bearer opaque-secret-123"), "bearer [redacted]");
        assert!(matches!(redact("query took 12 ms"), Cow::Borrowed(_)));
        assert_eq!(redact("version 1.2.3 ok"), "version 1.2.3 ok");
    }

    #[test]
    fn log_lines_cannot_carry_escape_sequences() {
        let line = format_line("WARN", "row \x1b]52;c;ZXZpbA==\x07 from \u{202E}x");
        assert!(
            line.ends_with("WARN row <U+001B>]52;c;ZXZpbA==<U+0007> from <U+202E>x\n"),
            "{line}"
        );
        assert_eq!(line.matches('\n').count(), 1);
    }

    #[test]
    fn the_log_file_is_private() {
        let dir = tempfile::tempdir().unwrap();
        let log_dir = dir.path().join("state").join("cairn");
        let path = init(&log_dir).unwrap();
        info("started");
        // init is once per process: a second call keeps the first file.
        assert_eq!(init(dir.path()).unwrap(), path);
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let dir_mode = fs::metadata(&log_dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(dir_mode, 0o700);
        assert!(fs::read_to_string(&path).unwrap().contains("INFO started"));
    }
}
