//! Saving a copy of result rows to a new file (CSV or JSON), never over an
//! existing one. Apart from the executor because it is plain file writing,
//! tested without a runtime.

use std::io::Write;

use crate::app::results::row_json;
use crate::lookup::table::ResultTable;

/// Writes rows to a new file: CSV (RFC 4180 quoting) or a JSON array of
/// objects. An existing file is never replaced.
pub fn save_copy(
    path: &str,
    table: &ResultTable,
    rows: &[usize],
    json: bool,
) -> Result<(), String> {
    // Rows are incident data: owner-only, like the store.
    let file = super::private_file::create_new(std::path::Path::new(path)).map_err(|e| match e
        .kind()
    {
        std::io::ErrorKind::AlreadyExists => {
            format!("{path} already exists; choose another name")
        }
        _ => format!("{path}: {}", super::private_file::write_error(&e)),
    })?;
    let mut out = std::io::BufWriter::new(file);
    let io = |e: std::io::Error| format!("{path}: {}", super::private_file::write_error(&e));
    if json {
        out.write_all(b"[").map_err(io)?;
        for (i, &row) in rows.iter().enumerate() {
            if i > 0 {
                out.write_all(b",\n").map_err(io)?;
            }
            let obj = row_json(table, row).unwrap_or_else(|| "{}".into());
            out.write_all(obj.as_bytes()).map_err(io)?;
        }
        out.write_all(b"]\n").map_err(io)?;
    } else {
        let header: Vec<String> = table.columns.iter().map(|c| csv_field(&c.name)).collect();
        writeln!(out, "{}", header.join(",")).map_err(io)?;
        for &row in rows {
            let Some(cells) = table.rows.get(row) else {
                continue;
            };
            let fields: Vec<String> = cells.iter().map(|c| csv_field(&c.text())).collect();
            writeln!(out, "{}", fields.join(",")).map_err(io)?;
        }
    }
    out.flush().map_err(io)
}

fn csv_field(s: &str) -> String {
    if s.contains([',', '"', '\n', '\r']) {
        format!("\"{}\"", s.replace('"', "\"\""))
    } else {
        s.to_string()
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lookup::table::{Cell, Column, ColumnType};

    #[test]
    fn saved_copies_never_overwrite_and_quote_csv() {
        let dir = tempfile::tempdir().unwrap();
        let table = ResultTable {
            name: "t".into(),
            columns: vec![
                Column {
                    name: "a".into(),
                    col_type: ColumnType::String,
                },
                Column {
                    name: "n".into(),
                    col_type: ColumnType::Long,
                },
            ],
            rows: vec![
                vec![Cell::Str("x,\"y\"".into()), Cell::Long(1)],
                vec![Cell::Str("plain".into()), Cell::Long(2)],
            ],
        };
        let csv = dir.path().join("r.csv");
        let csv = csv.to_str().unwrap();
        save_copy(csv, &table, &[1, 0], false).unwrap();
        assert_eq!(
            std::fs::read_to_string(csv).unwrap(),
            "a,n\nplain,2\n\"x,\"\"y\"\"\",1\n"
        );
        let again = save_copy(csv, &table, &[0], false).unwrap_err();
        assert!(again.contains("already exists"), "{again}");
        assert!(
            std::fs::read_to_string(csv)
                .unwrap()
                .starts_with("a,n\nplain")
        );
        let json = dir.path().join("r.json");
        save_copy(json.to_str().unwrap(), &table, &[0], true).unwrap();
        let v: serde_json::Value =
            serde_json::from_str(&std::fs::read_to_string(json).unwrap()).unwrap();
        assert_eq!(v[0]["a"], "x,\"y\"");
        assert_eq!(v[0]["n"], 1);
        use std::os::unix::fs::PermissionsExt;
        for file in [dir.path().join("r.csv"), dir.path().join("r.json")] {
            let mode = std::fs::metadata(&file).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600, "{}", file.display());
        }
    }
}
