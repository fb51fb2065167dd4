//! The result table model: lookup, filter, typed stable sort, widths,
//! canonical JSON and its hash.

use cairn::lookup::canonical::{canonical_json, sha256_hex};
use cairn::lookup::table::{Cell, Column, ColumnType, Dynamic, LookupResult, ResultTable};

fn col(name: &str, t: &str) -> Column {
    Column {
        name: name.into(),
        col_type: ColumnType::parse(t),
    }
}

fn sample() -> ResultTable {
    ResultTable {
        name: "PrimaryResult".into(),
        columns: vec![
            col("TimeGenerated", "datetime"),
            col("IPAddress", "string"),
            col("Count", "long"),
            col("Score", "real"),
        ],
        rows: vec![
            vec![
                Cell::Datetime("2026-11-20T10:00:00.18Z".into()),
                Cell::Str("198.51.100.7".into()),
                Cell::Long(9_223_372_036_854_775_807),
                Cell::Real(f64::NAN),
            ],
            vec![
                Cell::Datetime("2026-11-20T10:00:00.1Z".into()),
                Cell::Str("Alpha".into()),
                Cell::Long(9_223_372_036_854_775_806),
                Cell::Real(1.5),
            ],
            vec![
                Cell::Null,
                Cell::Str("alpha".into()),
                Cell::Long(-3),
                Cell::Real(f64::NEG_INFINITY),
            ],
            vec![
                Cell::Datetime("2026-11-19T23:59:59Z".into()),
                Cell::Str("ALPHA".into()),
                Cell::Long(-3),
                Cell::Null,
            ],
        ],
    }
}

#[test]
fn columns_are_found_case_insensitively_exact_first() {
    let mut t = sample();
    assert_eq!(t.column_index("ipaddress"), Some(1));
    assert_eq!(t.column_index("IPADDRESS"), Some(1));
    assert_eq!(t.column_index("missing"), None);
    t.columns.push(col("ipaddress", "string"));
    assert_eq!(t.column_index("ipaddress"), Some(4));
}

#[test]
fn filter_is_case_insensitive_substring_over_shown_text() {
    let t = sample();
    assert_eq!(t.filter("ALPHA"), vec![1, 2, 3]);
    assert_eq!(t.filter("51.100"), vec![0]);
    assert_eq!(t.filter("nan"), vec![0]);
    assert_eq!(t.filter(""), vec![0, 1, 2, 3]);
    assert!(t.filter("nothing-like-this").is_empty());
}

#[test]
fn sort_is_typed_and_stable() {
    let t = sample();
    let mut view = t.all_rows();
    // Datetimes by time, not by text ("...00.18Z" is later than "...00.1Z").
    t.sort(&mut view, 0, false);
    assert_eq!(view, vec![2, 3, 1, 0]);
    t.sort(&mut view, 0, true);
    assert_eq!(view, vec![0, 1, 3, 2]);
    // Longs near i64::MAX stay distinct; equal keys keep view order.
    let mut view = vec![3, 2, 1, 0];
    t.sort(&mut view, 2, false);
    assert_eq!(view, vec![3, 2, 1, 0]);
    let mut view = t.all_rows();
    t.sort(&mut view, 2, false);
    assert_eq!(view, vec![2, 3, 1, 0]);
    // Text ignores case and is stable among equals.
    let mut view = t.all_rows();
    t.sort(&mut view, 1, false);
    assert_eq!(view, vec![0, 1, 2, 3]);
    // Reals: null first, -inf, 1.5, NaN last.
    let mut view = t.all_rows();
    t.sort(&mut view, 3, false);
    assert_eq!(view, vec![3, 2, 1, 0]);
}

#[test]
fn widths_fit_unicode_and_are_capped() {
    let t = ResultTable {
        name: String::new(),
        columns: vec![col("A", "string"), col("Long header", "string")],
        rows: vec![
            vec![Cell::Str("ユーザー".into()), Cell::Str("x".into())],
            vec![
                Cell::Str("\u{1b}]0;pwn\u{7}".into()),
                Cell::Str("y".repeat(500).into()),
            ],
        ],
    };
    let widths = t.fit_widths(&t.all_rows(), 40);
    // CJK counts two cells each; the escape is measured as its visible markers.
    assert_eq!(widths, vec![22, 40]);
    assert_eq!(t.rows[1][0].display(), "<U+001B>]0;pwn<U+0007>");
    assert_eq!(t.fit_widths(&[0], 40), vec![8, 11]);
}

#[test]
fn cells_display_safely_and_in_detail() {
    let d = Cell::Dynamic(Dynamic::Json(
        serde_json::json!({"b": [1, 2], "a": "x\u{1b}y"}),
    ));
    assert_eq!(d.display(), r#"{"a":"x\u001by","b":[1,2]}"#);
    assert!(d.detail().contains("\n  \"a\""));
    assert_eq!(Cell::Real(f64::INFINITY).display(), "Infinity");
    assert_eq!(Cell::Null.display(), "");
    assert_eq!(Cell::Null.bind_value(), None);
    assert_eq!(
        Cell::Str("203.0.113.9".into()).bind_value().as_deref(),
        Some("203.0.113.9")
    );
}

#[test]
fn canonical_json_is_exact_and_independent_of_key_order() {
    let one = |v: serde_json::Value| LookupResult {
        tables: vec![ResultTable {
            name: "PrimaryResult".into(),
            columns: vec![col("D", "dynamic"), col("R", "real"), col("N", "long")],
            rows: vec![vec![
                Cell::Dynamic(Dynamic::Json(v)),
                Cell::Real(f64::NAN),
                Cell::Long(i64::MIN),
            ]],
        }],
        warning: Some("partial".into()),
    };
    let a = one(serde_json::from_str(r#"{"z":1,"a":{"y":2,"b":[true,null]}}"#).unwrap());
    let b = one(serde_json::from_str(r#"{"a":{"b":[true,null],"y":2},"z":1}"#).unwrap());
    let json = String::from_utf8(canonical_json(&a)).unwrap();
    assert_eq!(
        json,
        r#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"D","type":"dynamic"},{"name":"R","type":"real"},{"name":"N","type":"long"}],"rows":[[{"a":{"b":[true,null],"y":2},"z":1},"NaN",-9223372036854775808]]}],"warning":"partial"}"#
    );
    assert_eq!(canonical_json(&a), canonical_json(&b));
    assert_eq!(
        sha256_hex(&canonical_json(&a)),
        sha256_hex(&canonical_json(&b))
    );
    assert_eq!(
        sha256_hex(b""),
        "e3b0c44298fc1c149afbf4c8996fb92427ae41e4649b934ca495991b7852b855"
    );
    let c = one(serde_json::json!({"z": 2}));
    assert_ne!(
        sha256_hex(&canonical_json(&a)),
        sha256_hex(&canonical_json(&c))
    );
}
