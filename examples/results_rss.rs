//! Peak memory of holding a 100,000-row x 20-column lookup result on the
//! results screen (target: <= 200 MB): generates the Log Analytics
//! response, parses it as a live answer would be, computes the evidence
//! (canonical JSON and SHA-256) the way the runtime does, opens the results
//! screen on it, draws one 200x50 frame, then prints VmHWM and VmRSS from
//! /proc/self/status (Linux).
//!
//! Run: `cargo run --release --example results_rss`

use std::sync::Arc;

use ratatui::Terminal;
use ratatui::backend::TestBackend;

use cairn::lookup::loganalytics::parse_response;

#[path = "../benches/support/results_data.rs"]
mod data;

fn main() {
    let body = data::response(data::ROWS);
    let body_mb = body.len() as f64 / 1e6;
    let result = Arc::new(parse_response(body.as_bytes()).expect("generated response parses"));
    let after_parse = data::status("VmRSS:");
    // The HTTP body is gone once parsed, as in the runtime.
    drop(body);
    let parsed = data::status("VmRSS:");
    let state = data::state_with(result.clone(), (200, 50));
    let mut terminal = Terminal::new(TestBackend::new(200, 50)).unwrap();
    terminal
        .draw(|f| cairn::ui::draw(f, &state, &Default::default()))
        .unwrap();
    println!(
        "rows: {} x {} columns; response body: {body_mb:.1} MB",
        result.row_count(),
        result.tables[0].columns.len()
    );
    println!("VmRSS with body and parsed rows: {after_parse}");
    println!("VmRSS with the parsed rows only: {parsed}");
    println!("VmHWM (peak RSS): {}", data::status("VmHWM:"));
    println!("VmRSS (holding the result): {}", data::status("VmRSS:"));
}
