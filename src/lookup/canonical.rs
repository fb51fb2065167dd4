//! Canonical JSON of a lookup result, and its SHA-256, for the evidence
//! record: the same rows always give the same bytes, whatever map order the
//! JSON library uses, so a stored hash can be checked later.

use sha2::{Digest, Sha256};

use super::table::{Cell, Dynamic, LookupResult, format_real};

/// `{"tables":[{"name":..,"columns":[{"name":..,"type":..}],"rows":[[..]]}],"warning":..}`
/// with no whitespace, object keys sorted inside dynamic values, reals that
/// are not finite written as the strings `NaN`, `Infinity`, `-Infinity`.
pub fn canonical_json(result: &LookupResult) -> Vec<u8> {
    let mut out = Vec::with_capacity(1024);
    out.extend_from_slice(b"{\"tables\":[");
    for (t, table) in result.tables.iter().enumerate() {
        if t > 0 {
            out.push(b',');
        }
        out.extend_from_slice(b"{\"name\":");
        push_str(&mut out, &table.name);
        out.extend_from_slice(b",\"columns\":[");
        for (c, col) in table.columns.iter().enumerate() {
            if c > 0 {
                out.push(b',');
            }
            out.extend_from_slice(b"{\"name\":");
            push_str(&mut out, &col.name);
            out.extend_from_slice(b",\"type\":");
            push_str(&mut out, col.col_type.name());
            out.push(b'}');
        }
        out.extend_from_slice(b"],\"rows\":[");
        for (r, row) in table.rows.iter().enumerate() {
            if r > 0 {
                out.push(b',');
            }
            out.push(b'[');
            for (c, cell) in row.iter().enumerate() {
                if c > 0 {
                    out.push(b',');
                }
                push_cell(&mut out, cell);
            }
            out.push(b']');
        }
        out.extend_from_slice(b"]}");
    }
    out.push(b']');
    if let Some(w) = &result.warning {
        out.extend_from_slice(b",\"warning\":");
        push_str(&mut out, w);
    }
    out.push(b'}');
    out
}

/// Lower-case hex SHA-256 of `bytes`.
pub fn sha256_hex(bytes: &[u8]) -> String {
    hex::encode(Sha256::digest(bytes))
}

fn push_str(out: &mut Vec<u8>, s: &str) {
    // serde_json's string escaping is deterministic and minimal.
    serde_json::to_writer(&mut *out, s).expect("writing to a Vec cannot fail");
}

fn push_cell(out: &mut Vec<u8>, cell: &Cell) {
    match cell {
        Cell::Null => out.extend_from_slice(b"null"),
        Cell::Bool(b) => out.extend_from_slice(if *b { b"true" } else { b"false" }),
        Cell::Long(n) => out.extend_from_slice(n.to_string().as_bytes()),
        Cell::Real(x) if x.is_finite() => {
            serde_json::to_writer(&mut *out, x).expect("writing to a Vec cannot fail")
        }
        Cell::Real(x) => push_str(out, &format_real(*x)),
        Cell::Str(s)
        | Cell::Datetime(s)
        | Cell::Timespan(s)
        | Cell::Guid(s)
        | Cell::Decimal(s)
        | Cell::Dynamic(Dynamic::Raw(s)) => push_str(out, s),
        Cell::Dynamic(Dynamic::Json(v)) => push_value(out, v),
        Cell::Dynamic(d @ Dynamic::Text(_)) => push_value(out, &d.json().unwrap_or_default()),
    }
}

fn push_value(out: &mut Vec<u8>, v: &serde_json::Value) {
    use serde_json::Value;
    match v {
        Value::Object(map) => {
            let mut keys: Vec<&String> = map.keys().collect();
            keys.sort();
            out.push(b'{');
            for (i, k) in keys.into_iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                push_str(out, k);
                out.push(b':');
                push_value(out, &map[k]);
            }
            out.push(b'}');
        }
        Value::Array(items) => {
            out.push(b'[');
            for (i, item) in items.iter().enumerate() {
                if i > 0 {
                    out.push(b',');
                }
                push_value(out, item);
            }
            out.push(b']');
        }
        scalar => serde_json::to_writer(&mut *out, scalar).expect("writing to a Vec cannot fail"),
    }
}

/// The fields of a `lookup_run` event that describe its result.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Evidence {
    pub row_count: u64,
    /// SHA-256 of the full canonical JSON.
    pub result_sha256: String,
    /// The canonical JSON, cut at `result_cap` bytes (on a character boundary).
    pub result: String,
    pub result_bytes: u64,
    pub result_cap: u64,
    pub result_truncated: bool,
}

/// Canonical JSON, hash and capped copy of `result`.
pub fn evidence(result: &LookupResult, cap: usize) -> Evidence {
    let json = canonical_json(result);
    let sha = sha256_hex(&json);
    let total = json.len();
    let text = String::from_utf8(json).expect("canonical JSON is UTF-8");
    let mut cut = cap.min(total);
    while !text.is_char_boundary(cut) {
        cut -= 1;
    }
    Evidence {
        row_count: result.row_count() as u64,
        result_sha256: sha,
        result: text[..cut].to_string(),
        result_bytes: total as u64,
        result_cap: cap as u64,
        result_truncated: cut < total,
    }
}

#[derive(serde::Deserialize)]
struct Stored {
    #[serde(default)]
    tables: Vec<super::la_table::LaTable>,
    #[serde(default)]
    warning: Option<String>,
}

/// Reads a stored result back (the inverse of [`canonical_json`]), so a
/// reopened incident shows its rows without asking the tenant again.
/// `None` when the text is not a whole result (cut at the store's cap).
pub fn from_canonical(text: &str) -> Option<LookupResult> {
    let stored: Stored = serde_json::from_str(text).ok()?;
    Some(LookupResult {
        tables: stored.tables.into_iter().map(|t| t.0).collect(),
        warning: stored.warning,
    })
}
