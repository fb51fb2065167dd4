//! The hash chain: canonical JSON and SHA-256 over each event and the hash
//! of the one before it, so any later edit, insertion or deletion shows.
//!
//! hash(n) = SHA-256( prev_hash(n) as lower-case hex
//!                    || canonical JSON of {"actor","at","incident","kind","seq"} )
//!
//! Canonical JSON: object keys sorted by their UTF-8 bytes, no whitespace,
//! strings and numbers as serde_json writes them. `at` is RFC 3339 UTC with
//! exactly six fractional digits and `Z`.

use chrono::{DateTime, SecondsFormat, Timelike, Utc};
use serde_json::Value;
use sha2::{Digest, Sha256};

/// The `prev_hash` of an incident's first event.
pub const GENESIS: &str = "0000000000000000000000000000000000000000000000000000000000000000";

pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

/// The JSON text of `value` in Cairn's canonical form.
pub fn canonical_json(value: &Value) -> String {
    let mut out = String::new();
    write_canonical(value, &mut out);
    out
}

fn write_canonical(value: &Value, out: &mut String) {
    match value {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push('{');
            for (i, key) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                out.push_str(&Value::String(key.clone()).to_string());
                out.push(':');
                write_canonical(&map[key], out);
            }
            out.push('}');
        }
        Value::Array(items) => {
            out.push('[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(',');
                }
                write_canonical(item, out);
            }
            out.push(']');
        }
        scalar => out.push_str(&scalar.to_string()),
    }
}

/// Event time as stored and hashed.
pub fn format_at(at: DateTime<Utc>) -> String {
    at.to_rfc3339_opts(SecondsFormat::Micros, true)
}

/// The current time at the precision the store keeps, so an event read back
/// is equal to the one that was written.
pub fn now() -> DateTime<Utc> {
    let t = Utc::now();
    t.with_nanosecond(t.nanosecond() / 1000 * 1000).unwrap_or(t)
}

/// An event row exactly as stored: what the chain is computed over.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct RawEvent {
    pub seq: u64,
    pub at: String,
    pub actor: String,
    pub kind: String,
    pub prev_hash: String,
    pub hash: String,
}

/// The hash an event must carry. `actor` and `kind` are JSON texts; text
/// that is not JSON is hashed as a JSON string so a mangled row still gets
/// a (mismatching) hash instead of an error.
pub fn event_hash(
    prev_hash: &str,
    incident: &str,
    seq: u64,
    at: &str,
    actor: &str,
    kind: &str,
) -> String {
    let parse =
        |text: &str| serde_json::from_str(text).unwrap_or_else(|_| Value::String(text.to_string()));
    let content = serde_json::json!({
        "actor": parse(actor),
        "at": at,
        "incident": incident,
        "kind": parse(kind),
        "seq": seq,
    });
    let mut hasher = Sha256::new();
    hasher.update(prev_hash.as_bytes());
    hasher.update(canonical_json(&content).as_bytes());
    hex::encode(hasher.finalize())
}

/// Where and why a chain stops verifying.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Broken {
    pub seq: u64,
    pub reason: String,
}

/// Checks sequence numbers, links and hashes of one incident's rows (in
/// `seq` order) and returns the first event that fails.
pub fn verify_rows(incident: &str, rows: &[RawEvent]) -> Option<Broken> {
    let mut prev = GENESIS.to_string();
    for (i, row) in rows.iter().enumerate() {
        let expected_seq = i as u64 + 1;
        let broken = |reason: String| {
            Some(Broken {
                seq: row.seq,
                reason,
            })
        };
        if row.seq != expected_seq {
            return broken(format!(
                "expected event {expected_seq} here, found {} (an event is missing or was inserted)",
                row.seq
            ));
        }
        if row.prev_hash != prev {
            return broken(
                "its prev_hash does not match the hash of the event before it".to_string(),
            );
        }
        let computed = event_hash(
            &row.prev_hash,
            incident,
            row.seq,
            &row.at,
            &row.actor,
            &row.kind,
        );
        if computed != row.hash {
            return broken(
                "its content does not match its hash (it was changed after it was recorded)"
                    .to_string(),
            );
        }
        prev = row.hash.clone();
    }
    None
}

#[cfg(test)]
mod tests {
    use super::*;

    fn chain(n: u64) -> Vec<RawEvent> {
        let mut prev = GENESIS.to_string();
        (1..=n)
            .map(|seq| {
                let at = format!("2026-11-26T03:00:0{seq}.000000Z");
                let actor = r#"{"host":"jump","user":"kim"}"#.to_string();
                let kind = format!(r#"{{"text":"note {seq}","type":"note_added"}}"#);
                let hash = event_hash(&prev, "TT-20261126-1", seq, &at, &actor, &kind);
                let row = RawEvent {
                    seq,
                    at,
                    actor,
                    kind,
                    prev_hash: prev.clone(),
                    hash: hash.clone(),
                };
                prev = hash;
                row
            })
            .collect()
    }

    #[test]
    fn canonical_json_sorts_keys_at_every_level() {
        let v: Value =
            serde_json::from_str(r#"{"b":1,"a":{"z":"\u001b","y":[{"d":1,"c":2}]}}"#).unwrap();
        assert_eq!(
            canonical_json(&v),
            r#"{"a":{"y":[{"c":2,"d":1}],"z":"\u001b"},"b":1}"#
        );
    }

    #[test]
    fn an_intact_chain_verifies_and_every_kind_of_tampering_is_caught() {
        let rows = chain(4);
        assert_eq!(verify_rows("TT-20261126-1", &rows), None);
        // The same rows under another incident id do not verify.
        assert_eq!(verify_rows("TT-20261126-2", &rows).unwrap().seq, 1);

        let mut edited = rows.clone();
        edited[2].kind = edited[2].kind.replace("note 3", "note three");
        let b = verify_rows("TT-20261126-1", &edited).unwrap();
        assert_eq!(b.seq, 3);
        assert!(b.reason.contains("changed"), "{}", b.reason);

        let mut deleted = rows.clone();
        deleted.remove(1);
        assert_eq!(verify_rows("TT-20261126-1", &deleted).unwrap().seq, 3);

        // Rehashing an edited event still breaks the link to the next one.
        let mut rehashed = rows.clone();
        rehashed[1].at = "2026-11-26T04:00:00.000000Z".to_string();
        rehashed[1].hash = event_hash(
            &rehashed[1].prev_hash,
            "TT-20261126-1",
            2,
            &rehashed[1].at,
            &rehashed[1].actor,
            &rehashed[1].kind,
        );
        let b = verify_rows("TT-20261126-1", &rehashed).unwrap();
        assert_eq!(b.seq, 3);
        assert!(b.reason.contains("prev_hash"));
    }

    #[test]
    fn stored_times_round_trip() {
        let t = now();
        let parsed: DateTime<Utc> = DateTime::parse_from_rfc3339(&format_at(t)).unwrap().into();
        assert_eq!(parsed, t);
        assert!(format_at(t).ends_with('Z'));
    }
}
