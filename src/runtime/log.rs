//! The log file: `cairn.log` in the state directory, never the screen.
//!
//! Events are `tracing` events, written by `tracing-subscriber`'s formatter
//! to a `tracing-appender` file. The file is created 0600 in a 0700
//! directory; the level is `$CAIRN_LOG` (`error`, `warn`, `info`, `debug`,
//! `trace`; default `info`). Every line goes through [`Redacting`]: made
//! safe with [`crate::text::visible`] (a log viewed with `cat` cannot drive
//! the terminal), with anything shaped like a bearer token or JWT and the
//! value of any secret-named field replaced, as a last line of defence:
//! callers must not log secrets in the first place.

use std::borrow::Cow;
use std::fs::{self, OpenOptions};
use std::io;
use std::os::unix::fs::{DirBuilderExt, OpenOptionsExt};
use std::path::{Path, PathBuf};
use std::str::FromStr;
use std::sync::OnceLock;

use tracing::{Event, Subscriber};
use tracing_subscriber::filter::LevelFilter;
use tracing_subscriber::fmt::format::Writer;
use tracing_subscriber::fmt::{FmtContext, FormatEvent, FormatFields};
use tracing_subscriber::registry::LookupSpan;

use crate::text::{Medium, visible};

/// Past this size the log is moved to `cairn.log.1` at start.
const ROTATE_BYTES: u64 = 1024 * 1024;

static PATH: OnceLock<PathBuf> = OnceLock::new();

/// Where logs go: `$XDG_STATE_HOME/cairn` (default `~/.local/state/cairn`).
pub fn state_dir() -> Option<PathBuf> {
    let dirs = directories::ProjectDirs::from("", "", "cairn")?;
    Some(
        dirs.state_dir()
            .map(Path::to_path_buf)
            .unwrap_or_else(|| dirs.cache_dir().to_path_buf()),
    )
}

/// Opens the log in `dir` and installs the subscriber (once per process);
/// returns the log's path.
pub fn init(dir: &Path) -> io::Result<PathBuf> {
    if let Some(path) = PATH.get() {
        return Ok(path.clone());
    }
    fs::DirBuilder::new()
        .recursive(true)
        .mode(0o700)
        .create(dir)?;
    let path = dir.join("cairn.log");
    if fs::metadata(&path).is_ok_and(|m| m.len() > ROTATE_BYTES) {
        let _ = fs::rename(&path, dir.join("cairn.log.1"));
    }
    // The appender opens an existing file as it is: create it private first.
    OpenOptions::new()
        .create(true)
        .append(true)
        .mode(0o600)
        .open(&path)?;
    let appender = tracing_appender::rolling::never(dir, "cairn.log");
    let level = std::env::var("CAIRN_LOG")
        .ok()
        .and_then(|l| LevelFilter::from_str(l.trim()).ok())
        .unwrap_or(LevelFilter::INFO);
    let subscriber = tracing_subscriber::fmt()
        .with_ansi(false)
        .with_max_level(level)
        .with_writer(appender)
        .event_format(Redacting(tracing_subscriber::fmt::format()))
        .finish();
    tracing::subscriber::set_global_default(subscriber).map_err(io::Error::other)?;
    Ok(PATH.get_or_init(|| path).clone())
}

/// The log file's path, once [`init`] succeeded.
pub fn path() -> Option<&'static Path> {
    PATH.get().map(PathBuf::as_path)
}

/// Formats an event with the inner formatter, then makes the line visible
/// and redacted before it reaches the file.
pub struct Redacting<F>(pub F);

impl<S, N, F> FormatEvent<S, N> for Redacting<F>
where
    S: Subscriber + for<'a> LookupSpan<'a>,
    N: for<'a> FormatFields<'a> + 'static,
    F: FormatEvent<S, N>,
{
    fn format_event(
        &self,
        ctx: &FmtContext<'_, S, N>,
        mut writer: Writer<'_>,
        event: &Event<'_>,
    ) -> std::fmt::Result {
        let mut line = String::new();
        self.0.format_event(ctx, Writer::new(&mut line), event)?;
        let line = line.trim_end_matches('\n');
        writeln!(writer, "{}", visible(&redact(line), Medium::Cli))
    }
}

/// Field names whose values are secrets wherever they appear
/// (`client_secret=…`, `"password": …`).
const SECRET_KEYS: [&str; 5] = ["secret", "password", "assertion", "token", "authorization"];

/// Replaces bearer tokens, JWT-shaped strings and the values of
/// secret-named fields with `[redacted]`.
pub fn redact(message: &str) -> Cow<'_, str> {
    let words: Vec<&str> = message.split(' ').collect();
    let mut changed = false;
    let mut out = Vec::with_capacity(words.len());
    let mut after_key = false;
    for word in words {
        let secret = after_key || looks_like_jwt(word);
        after_key = word.eq_ignore_ascii_case("bearer")
            || word.ends_with("Bearer")
            || (word.ends_with(':') && is_secret_key(word));
        if secret && !word.is_empty() {
            changed = true;
            out.push(Cow::Borrowed("[redacted]"));
        } else if let Some(kept) = secret_assignment(word) {
            changed = true;
            out.push(Cow::Owned(format!("{kept}[redacted]")));
        } else {
            out.push(Cow::Borrowed(word));
        }
    }
    if changed {
        Cow::Owned(out.join(" "))
    } else {
        Cow::Borrowed(message)
    }
}

fn is_secret_key(key: &str) -> bool {
    let key = key.to_ascii_lowercase();
    SECRET_KEYS.iter().any(|k| key.contains(k))
}

/// `client_secret=value` or `"password":"value"`: the part up to and
/// including the separator, when the key names a secret and a value follows.
fn secret_assignment(word: &str) -> Option<&str> {
    let at = word.find(['=', ':'])?;
    let (key, value) = (&word[..at], &word[at + 1..]);
    (is_secret_key(key) && !value.trim_matches(['"', '\'', ',']).is_empty()).then(|| &word[..=at])
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
    fn bearer_tokens_jwts_and_secret_fields_are_redacted() {
        let jwt = "eyJhbGciOiJSUzI1NiJ9.eyJhdWQiOiJodHRwczovL2dyYXBoIn0.c2lnbmF0dXJlLXBhcnQ";
        assert_eq!(
            redact(&format!("Authorization: Bearer {jwt} sent")),
            "Authorization: [redacted] [redacted] sent"
        );
        assert_eq!(redact(&format!("token=\"{jwt}\"")), "[redacted]");
        assert_eq!(redact("bearer opaque-secret-123"), "bearer [redacted]");
        assert_eq!(
            redact("form client_id=abc client_secret=Xy~9.q refused"),
            "form client_id=abc client_secret=[redacted] refused"
        );
        assert_eq!(redact("password: hunter2 x"), "password: [redacted] x");
        assert!(matches!(redact("query took 12 ms"), Cow::Borrowed(_)));
        assert_eq!(redact("version 1.2.3 ok"), "version 1.2.3 ok");
    }

    /// The only test that installs the process-wide subscriber.
    #[test]
    fn the_log_file_is_private_visible_and_holds_no_secret() {
        let dir = tempfile::tempdir().unwrap();
        let log_dir = dir.path().join("state").join("cairn");
        let path = init(&log_dir).unwrap();
        let jwt = "eyJhbGciOiJQUzI1NiJ9.eyJpc3MiOiJjYWlybi1jbGllbnQifQ.c2lnbmF0dXJlLXBhcnQ";
        tracing::info!("started");
        tracing::warn!("token request sent with Bearer {jwt}");
        tracing::error!(client_secret = "S3cr3t~Value.42", "sign-in refused");
        tracing::warn!("row \x1b]52;c;ZXZpbA==\x07 from \u{202E}x");
        tracing::debug!("below the default level");
        // init is once per process: a second call keeps the first file.
        assert_eq!(init(dir.path()).unwrap(), path);
        let mode = fs::metadata(&path).unwrap().permissions().mode() & 0o777;
        assert_eq!(mode, 0o600);
        let dir_mode = fs::metadata(&log_dir).unwrap().permissions().mode() & 0o777;
        assert_eq!(dir_mode, 0o700);
        let text = fs::read_to_string(&path).unwrap();
        assert!(text.contains("INFO") && text.contains("started"), "{text}");
        assert!(
            text.contains("sign-in refused client_secret=[redacted]"),
            "{text}"
        );
        assert!(!text.contains("S3cr3t") && !text.contains(jwt), "{text}");
        assert!(!text.contains("eyJpc3Mi"), "{text}");
        // Escapes arrive as text (the formatter's own `\x1b`, or a marker).
        assert!(
            text.contains("]52;c;ZXZpbA==") && text.contains("<U+202E>x"),
            "{text}"
        );
        assert!(!text.contains(['\x1b', '\x07', '\u{202E}']), "{text}");
        assert!(!text.contains("below the default"), "{text}");
        assert_eq!(text.lines().count(), 4, "{text}");
    }
}
