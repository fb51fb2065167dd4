//! Parse time and throughput of a 100,000-row x 20-column Log Analytics
//! response (target: at least 100 MB/s), plus canonical JSON + SHA-256 of
//! the parsed result, filter and sort over it.
//!
//! Run: `cargo bench --bench lookup_parse`

use std::hint::black_box;

use criterion::{Criterion, Throughput, criterion_group, criterion_main};

use cairn::lookup::canonical::{canonical_json, sha256_hex};
use cairn::lookup::loganalytics::parse_response;

// Only the column list is shared with the results benchmark.
#[allow(dead_code)]
#[path = "support/results_data.rs"]
mod data;

const ROWS: usize = 100_000;

/// A realistic sign-in style table: strings, datetimes, longs, reals,
/// bools, guids, dynamic JSON text, timespans, nulls.
fn generate() -> Vec<u8> {
    let mut out = String::with_capacity(ROWS * 700);
    out.push_str(r#"{"tables":[{"name":"PrimaryResult","columns":["#);
    for (i, (n, t)) in data::COLUMNS.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(r#"{{"name":"{n}","type":"{t}"}}"#));
    }
    out.push_str(r#"],"rows":["#);
    for r in 0..ROWS {
        if r > 0 {
            out.push(',');
        }
        let risk = if r % 97 == 0 {
            "\"NaN\"".to_string()
        } else {
            format!("{:.3}", (r % 1000) as f64 / 7.0)
        };
        out.push_str(&format!(
            concat!(
                r#"["2026-11-{:02}T{:02}:{:02}:{:02}.{:07}Z","user{}@contoso.example","198.51.100.{}","Office 365 Exchange Online",{},"#,
                r#""Success","Mozilla/5.0 (Windows NT 10.0; Win64; x64) AppleWebKit/537.36 (KHTML, like Gecko) Chrome/120.0 Safari/537.36","#,
                r#""{:08x}-1111-2222-3333-444455556666",{},{},"Tokyo, JP","{{\"deviceId\":\"\",\"operatingSystem\":\"Windows 10\",\"browser\":\"Chrome 120.0\"}}","#,
                r#""notApplied","00:00:0{}.1234567",{},"singleFactorAuthentication",null,"{:08x}-aaaa-bbbb-cccc-ddddeeeeffff",{}.5,"[\"a\",\"b\"]"]"#
            ),
            1 + r % 28,
            r % 24,
            r % 60,
            (r * 7) % 60,
            r % 10_000_000,
            r % 5000,
            r % 256,
            if r % 13 == 0 { 50126 } else { 0 },
            r,
            risk,
            r % 2 == 0,
            r % 10,
            9_007_199_254_740_993u64 - r as u64,
            r * 31,
            r % 400,
        ));
    }
    out.push_str("]}]}");
    out.into_bytes()
}

fn bench(c: &mut Criterion) {
    let body = generate();
    eprintln!(
        "lookup_parse: response is {:.1} MB ({} rows x 20 columns)",
        body.len() as f64 / 1e6,
        ROWS
    );
    let mut group = c.benchmark_group("loganalytics");
    group.sample_size(10);
    group.throughput(Throughput::Bytes(body.len() as u64));
    group.bench_function("parse_100k_x_20", |b| {
        b.iter(|| black_box(parse_response(black_box(&body)).unwrap()))
    });
    let result = parse_response(&body).unwrap();
    group.bench_function("canonical_json_sha256_100k", |b| {
        b.iter(|| black_box(sha256_hex(&canonical_json(black_box(&result)))))
    });
    group.finish();

    let table = result.primary().unwrap();
    let mut ops = c.benchmark_group("table_100k");
    ops.sample_size(10);
    ops.bench_function("filter", |b| {
        b.iter(|| black_box(table.filter("user4999@")))
    });
    ops.bench_function("sort_by_datetime", |b| {
        b.iter(|| {
            let mut view = table.all_rows();
            table.sort(&mut view, 0, true);
            black_box(view)
        })
    });
    ops.bench_function("fit_widths", |b| {
        let view = table.all_rows();
        b.iter(|| black_box(table.fit_widths(&view, 40)))
    });
    ops.finish();
}

criterion_group!(benches, bench);
criterion_main!(benches);
