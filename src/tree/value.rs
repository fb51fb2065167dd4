//! Typed variable values: everything a responder types or a lookup row binds
//! is checked here before it is stored or substituted into a query.

use std::net::IpAddr;

use chrono::{DateTime, NaiveDate, NaiveDateTime, SecondsFormat, Utc};

use super::model::VarType;
use crate::text::lang::{Lang, msg_key};

/// Longest value accepted for any variable; Entra UPNs are far shorter.
pub const MAX_VALUE_LEN: usize = 1024;
const MAX_UPN_LEN: usize = 256;

/// Why a typed value was refused; worded by the message catalogues (the
/// `value` table), in English for files and logs, in the screen's language
/// on screen.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum ValueError {
    Empty,
    TooLong { len: usize, max: usize },
    ControlCharacter(u32),
    Upn(String),
    Guid(String),
    Ip(String),
    Datetime(String),
    Timespan(String),
}

impl ValueError {
    /// This refusal in `lang`.
    pub fn describe(&self, lang: Lang) -> String {
        let (key, value) = match self {
            ValueError::Empty => (msg_key!("value", "Empty"), String::new()),
            ValueError::TooLong { len, max } => {
                let (len, max) = (len.to_string(), max.to_string());
                return lang.fill("value", "TooLong", &[("len", &len), ("max", &max)]);
            }
            ValueError::ControlCharacter(c) => {
                let code = format!("{c:04X}");
                return lang.fill("value", "ControlCharacter", &[("code", &code)]);
            }
            ValueError::Upn(v) => (msg_key!("value", "Upn"), v.clone()),
            ValueError::Guid(v) => (msg_key!("value", "Guid"), v.clone()),
            ValueError::Ip(v) => (msg_key!("value", "Ip"), v.clone()),
            ValueError::Datetime(v) => (msg_key!("value", "Datetime"), v.clone()),
            ValueError::Timespan(v) => (msg_key!("value", "Timespan"), v.clone()),
        };
        lang.fill("value", key, &[("value", &value)])
    }
}

impl std::fmt::Display for ValueError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.describe(Lang::EN))
    }
}

impl std::error::Error for ValueError {}

/// Checks `raw` against `var_type` and returns its canonical form.
///
/// Canonical forms are what gets stored and substituted: lower-case GUIDs,
/// re-serialised IP addresses, UTC datetimes, so the same entity typed two
/// ways is one value.
pub fn normalize(var_type: VarType, raw: &str) -> Result<String, ValueError> {
    let value = raw.trim();
    if value.is_empty() {
        return Err(ValueError::Empty);
    }
    let len = value.chars().count();
    if len > MAX_VALUE_LEN {
        return Err(ValueError::TooLong {
            len,
            max: MAX_VALUE_LEN,
        });
    }
    // The output predicate, plus the joiner: a typed value has no emoji
    // sequence to keep, and a hidden joiner makes two values look alike.
    if let Some(c) = value
        .chars()
        .find(|&c| crate::text::is_unsafe(c) || c == '\u{200D}')
    {
        return Err(ValueError::ControlCharacter(c as u32));
    }
    match var_type {
        VarType::Upn => upn(value),
        VarType::Guid => uuid::Uuid::try_parse(value)
            .map(|u| u.hyphenated().to_string())
            .map_err(|_| ValueError::Guid(value.to_string())),
        VarType::Ip => value
            .parse::<IpAddr>()
            .map(|ip| ip.to_string())
            .map_err(|_| ValueError::Ip(value.to_string())),
        VarType::Datetime => datetime(value),
        VarType::Timespan => {
            if is_timespan(value) {
                Ok(value.to_string())
            } else {
                Err(ValueError::Timespan(value.to_string()))
            }
        }
        VarType::String => Ok(value.to_string()),
    }
}

fn upn(value: &str) -> Result<String, ValueError> {
    let bad = || ValueError::Upn(value.to_string());
    if value.len() > MAX_UPN_LEN {
        return Err(bad());
    }
    let (local, domain) = value.rsplit_once('@').ok_or_else(bad)?;
    let local_ok = !local.is_empty()
        && local
            .chars()
            .all(|c| c.is_ascii_alphanumeric() || "._-+'!#$%&*/=?^`{|}~".contains(c))
        && !local.starts_with('.')
        && !local.ends_with('.');
    let labels: Vec<&str> = domain.split('.').collect();
    let domain_ok = labels.len() >= 2
        && labels.iter().all(|l| {
            !l.is_empty()
                && l.len() <= 63
                && !l.starts_with('-')
                && !l.ends_with('-')
                && l.chars().all(|c| c.is_ascii_alphanumeric() || c == '-')
        });
    if local_ok && domain_ok {
        Ok(value.to_string())
    } else {
        Err(bad())
    }
}

fn datetime(value: &str) -> Result<String, ValueError> {
    let utc: Option<DateTime<Utc>> = DateTime::parse_from_rfc3339(value)
        .map(|d| d.with_timezone(&Utc))
        .ok()
        .or_else(|| {
            NaiveDateTime::parse_from_str(value, "%Y-%m-%d %H:%M:%S")
                .ok()
                .map(|n| n.and_utc())
        })
        .or_else(|| {
            NaiveDate::parse_from_str(value, "%Y-%m-%d")
                .ok()
                .and_then(|d| d.and_hms_opt(0, 0, 0))
                .map(|n| n.and_utc())
        });
    utc.map(|d| d.to_rfc3339_opts(SecondsFormat::AutoSi, true))
        .ok_or_else(|| ValueError::Datetime(value.to_string()))
}

/// A KQL timespan literal in the short form the trees use: `90d`, `1.5h`,
/// `30m`, `10s`, `100ms`.
pub fn is_timespan(value: &str) -> bool {
    let unit_start = value
        .find(|c: char| !(c.is_ascii_digit() || c == '.'))
        .unwrap_or(value.len());
    let (number, unit) = value.split_at(unit_start);
    let number_ok = !number.is_empty()
        && !number.starts_with('.')
        && !number.ends_with('.')
        && number.matches('.').count() <= 1
        && number.len() <= 9;
    number_ok && matches!(unit, "d" | "h" | "m" | "s" | "ms")
}

/// The timespan as an ISO 8601 duration (`P7D`, `PT12H`), the form both
/// query APIs take for their `timespan` parameter.
pub fn timespan_to_iso8601(value: &str) -> Option<String> {
    if !is_timespan(value) {
        return None;
    }
    let unit_start = value.find(|c: char| !(c.is_ascii_digit() || c == '.'))?;
    let (number, unit) = value.split_at(unit_start);
    Some(match unit {
        "d" => format!("P{number}D"),
        "h" => format!("PT{number}H"),
        "m" => format!("PT{number}M"),
        "s" => format!("PT{number}S"),
        "ms" => {
            let secs: f64 = number.parse().ok()?;
            format!("PT{}S", secs / 1000.0)
        }
        _ => return None,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn canonical_forms() {
        assert_eq!(
            normalize(VarType::Guid, "3DDFCFC8-9383-446F-83CC-3AB9BE4BE18F").unwrap(),
            "3ddfcfc8-9383-446f-83cc-3ab9be4be18f"
        );
        assert_eq!(
            normalize(VarType::Ip, " 2001:DB8::1 ").unwrap(),
            "2001:db8::1"
        );
        assert_eq!(
            normalize(VarType::Datetime, "2026-11-26T12:00:00+09:00").unwrap(),
            "2026-11-26T03:00:00Z"
        );
        assert_eq!(
            normalize(VarType::Datetime, "2026-11-26").unwrap(),
            "2026-11-26T00:00:00Z"
        );
        assert_eq!(
            normalize(VarType::Upn, "o'brien@contoso.com").unwrap(),
            "o'brien@contoso.com"
        );
    }

    #[test]
    fn rejects_hostile_and_malformed_values() {
        assert!(matches!(
            normalize(VarType::Upn, "a@b.com' | union *"),
            Err(ValueError::Upn(_))
        ));
        assert!(matches!(
            normalize(VarType::Upn, "alice"),
            Err(ValueError::Upn(_))
        ));
        assert!(matches!(
            normalize(VarType::Ip, "192.0.2.300"),
            Err(ValueError::Ip(_))
        ));
        assert!(matches!(
            normalize(VarType::String, "ad\u{200B}min"),
            Err(ValueError::ControlCharacter(0x200B))
        ));
        for hidden in [
            "ad\u{200D}min",
            "ok\u{E0041}",
            "a\u{2028}b",
            "x\u{00AD}y",
            "\u{061C}1",
        ] {
            assert!(
                matches!(
                    normalize(VarType::String, hidden),
                    Err(ValueError::ControlCharacter(_))
                ),
                "{hidden:?}"
            );
        }
        assert!(matches!(
            normalize(VarType::String, "a\nb"),
            Err(ValueError::ControlCharacter(0x0A))
        ));
        assert!(matches!(
            normalize(VarType::Timespan, "7 days"),
            Err(ValueError::Timespan(_))
        ));
        assert!(matches!(
            normalize(VarType::Guid, "not-a-guid"),
            Err(ValueError::Guid(_))
        ));
        assert_eq!(normalize(VarType::String, "  "), Err(ValueError::Empty));
    }

    #[test]
    fn timespans_convert_to_iso8601() {
        assert_eq!(timespan_to_iso8601("7d").as_deref(), Some("P7D"));
        assert_eq!(timespan_to_iso8601("12h").as_deref(), Some("PT12H"));
        assert_eq!(timespan_to_iso8601("1.5h").as_deref(), Some("PT1.5H"));
        assert_eq!(timespan_to_iso8601("500ms").as_deref(), Some("PT0.5S"));
        assert_eq!(timespan_to_iso8601("7w"), None);
    }
}
