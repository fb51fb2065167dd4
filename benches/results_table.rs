//! Frame time of the results screen while scrolling a 100,000-row x
//! 20-column result, rendered to ratatui's `TestBackend` at 80x24 and
//! 200x50 (target: <= 2 ms per frame). One iteration is one key through
//! `update` (page down, wrapping to the top at the end) and one full draw.
//!
//! Run: `cargo bench --bench results_table`
//! Peak memory of holding the same result: `cargo run --release --example results_rss`.

use std::hint::black_box;
use std::sync::Arc;

use criterion::{Criterion, criterion_group, criterion_main};
use ratatui::Terminal;
use ratatui::backend::TestBackend;
use ratatui::crossterm::event::{KeyCode, KeyEvent, KeyModifiers};

use cairn::app::{Msg, Screen, update};
use cairn::lookup::loganalytics::parse_response;

#[path = "support/results_data.rs"]
mod data;

fn key(code: KeyCode) -> Msg {
    Msg::Key(KeyEvent::new(code, KeyModifiers::NONE))
}

fn frames(c: &mut Criterion) {
    let body = data::response(data::ROWS);
    let result = Arc::new(parse_response(body.as_bytes()).unwrap());
    drop(body);
    assert_eq!(result.row_count(), data::ROWS);
    let mut group = c.benchmark_group("results_table");
    for (w, h) in [(80u16, 24u16), (200, 50)] {
        let mut state = data::state_with(result.clone(), (w, h));
        let mut terminal = Terminal::new(TestBackend::new(w, h)).unwrap();
        group.bench_function(format!("scroll_page_{w}x{h}"), |b| {
            b.iter(|| {
                let at_end =
                    matches!(&state.screen, Screen::Results(v) if v.row + 1 >= v.rows.len());
                let k = if at_end {
                    KeyCode::Home
                } else {
                    KeyCode::PageDown
                };
                update(&mut state, key(k));
                terminal
                    .draw(|f| cairn::ui::draw(f, &state, &Default::default()))
                    .unwrap();
                black_box(terminal.backend().buffer().area);
            })
        });
        group.bench_function(format!("scroll_line_right_{w}x{h}"), |b| {
            let mut step = 0u32;
            b.iter(|| {
                step += 1;
                let k = match step % 40 {
                    0..=19 => KeyCode::Down,
                    20..=29 => KeyCode::Right,
                    _ => KeyCode::Left,
                };
                update(&mut state, key(k));
                terminal
                    .draw(|f| cairn::ui::draw(f, &state, &Default::default()))
                    .unwrap();
                black_box(terminal.backend().buffer().area);
            })
        });
    }
    group.finish();
}

criterion_group!(benches, frames);
criterion_main!(benches);
