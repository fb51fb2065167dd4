//! The screen benchmark: the release binary in a real pty at 80x24 with a
//! data directory of 20 incidents. See docs/benchmarks.md.
//!
//! cargo bench --bench tui_pty            (CAIRN_BENCH_RUNS=N, default 20)

#[allow(dead_code)]
#[path = "../tests/e2e/harness.rs"]
mod harness;

use std::time::{Duration, Instant};

use harness::{Session, TestEnv};

const TIMEOUT: Duration = Duration::from_secs(10);
/// Output quiet for this long means the frame is finished.
const QUIET: Duration = Duration::from_millis(150);
const TITLE: &str = "Bench incident";

fn main() {
    let runs: usize = std::env::var("CAIRN_BENCH_RUNS")
        .ok()
        .and_then(|v| v.parse().ok())
        .unwrap_or(20);
    let tree = std::env::var("CAIRN_BENCH_TREE").unwrap_or_else(|_| "token-theft".into());
    let env = TestEnv::new();
    for i in 1..=20 {
        let title = format!("{TITLE} {i:02}");
        env.cairn_output(&["new", "--tree", &tree, "--title", &title]);
    }
    println!("cairn screen benchmark: 80x24 pty, 20 incidents, {runs} cold starts");

    let mut starts = Vec::new();
    let mut first_bytes = Vec::new();
    for _ in 0..runs {
        let spawned = Instant::now();
        let mut s = Session::spawn(env.cairn(&[]), 80, 24);
        let ready = s
            .wait_for_at(TITLE, TIMEOUT)
            .expect("the home screen lists incidents");
        starts.push(ready - spawned);
        first_bytes.push(s.first_output_at().expect("output") - spawned);
        s.settle(QUIET, TIMEOUT);
        s.send("q");
        s.wait_exit(TIMEOUT).expect("cairn quits on q");
    }

    let mut s = Session::spawn(env.cairn(&[]), 80, 24);
    s.wait_for(TITLE, TIMEOUT).expect("home screen");
    s.settle(QUIET, TIMEOUT);
    let cursor: Vec<usize> = (0..20)
        .map(|i| s.bytes_in_response(if i % 4 < 2 { "j" } else { "k" }, QUIET))
        .collect();

    // The screen redraws once a minute for its elapsed-time display.
    harness::avoid_minute_boundary(Duration::from_secs(5));
    let before = s.raw_len();
    std::thread::sleep(Duration::from_secs(5));
    let idle = s.raw_len() - before;

    // Into the practice incident, then node changes: choose, back.
    s.bytes_in_response("p", QUIET);
    s.wait_for("Ready to investigate?", TIMEOUT)
        .expect("practice incident");
    let mut nodes = Vec::new();
    for _ in 0..10 {
        nodes.push(node_change(
            &mut s,
            "1",
            "Path: Ready to investigate? > What triggered this i...",
        ));
        nodes.push(node_change(&mut s, "b", "Path: Ready to investigate?"));
    }
    let rss_kib = s.peak_rss_kib();
    s.send("Q");
    let _ = s.wait_exit(TIMEOUT);

    report(
        "cold start to first complete frame, p50",
        ms(p50(&starts)),
        "<= 20 ms",
    );
    report("cold start, max", ms(*starts.iter().max().unwrap()), "");
    report("first byte, p50", ms(p50(&first_bytes)), "");
    report(
        "bytes per cursor move, median",
        format!("{} B", p50(&cursor)),
        "<= 512 B",
    );
    report(
        "bytes per cursor move, max",
        format!("{} B", max(&cursor)),
        "",
    );
    report(
        "bytes per node change, median",
        format!("{} B", p50(&nodes)),
        "<= 4096 B",
    );
    report(
        "bytes per node change, max",
        format!("{} B", max(&nodes)),
        "",
    );
    report("bytes while idle 5 s", format!("{idle} B"), "0 B");
    let rss = rss_kib.map_or("unknown".into(), |k| format!("{:.1} MB", k as f64 / 1024.0));
    report("peak RSS (VmHWM)", rss, "<= 25 MB");

    two_screens(runs);
}

/// Two screens (alice's and bob's `cairn open ID`) on one incident: the
/// bytes both write while idle, and how long bob's screen takes to show a
/// move alice makes, from her key press to the output on his screen that
/// shows it (so her commit is included: an upper bound on the reaction).
fn two_screens(runs: usize) {
    let mut env = TestEnv::new();
    let out = env.cairn_output(&["new", "--tree", "token-theft", "--title", TITLE]);
    let id = out.trim().to_string();
    let mut open_as = |user: &str| {
        env.set("USER", user);
        let s = Session::spawn(env.cairn(&["open", &id]), 80, 24);
        s.wait_for("Ready: go to triage", TIMEOUT)
            .expect("the incident's first node");
        s
    };
    let mut a = open_as("alice");
    let mut b = open_as("bob");
    a.settle(QUIET, TIMEOUT);
    b.settle(QUIET, TIMEOUT);

    harness::avoid_minute_boundary(Duration::from_secs(5));
    let before = (a.raw_len(), b.raw_len());
    std::thread::sleep(Duration::from_secs(5));
    let idle = (a.raw_len() - before.0, b.raw_len() - before.1);

    // Forward (choose 1) and back (b), each seen on bob's screen by a text
    // only the node reached shows.
    let moves = [
        ("1", "What triggered this investigation?"),
        ("b", "Ready: go to triage"),
    ];
    let mut reactions = Vec::new();
    for i in 0..runs.max(2) {
        let (key, shows) = moves[i % 2];
        let pressed = Instant::now();
        a.send(key);
        b.wait_for(shows, TIMEOUT)
            .unwrap_or_else(|e| panic!("bob's screen did not follow alice's {key:?}: {e}"));
        reactions.push(pressed.elapsed());
        a.wait_for(shows, TIMEOUT).expect("alice's own move");
        // Both screens quiet again before the next move.
        a.settle(QUIET, TIMEOUT);
        b.settle(QUIET, TIMEOUT);
    }
    for s in [&mut a, &mut b] {
        s.send("Q");
    }
    for s in [&mut a, &mut b] {
        let _ = s.wait_exit(TIMEOUT);
    }
    println!(
        "two screens on one incident, {} moves by alice",
        reactions.len()
    );
    report(
        "reaction to another process's commit, p50",
        ms(p50(&reactions)),
        "<= 1 s",
    );
    report("reaction, max", ms(max(&reactions)), "<= 1 s");
    report(
        "bytes while idle 5 s, both screens",
        format!("{} B + {} B", idle.0, idle.1),
        "0 B",
    );
}

/// Bytes written for one node change, checked by the breadcrumb it leads
/// to; a key refused because the previous change was still being committed
/// is pressed again and not counted.
fn node_change(s: &mut Session, key: &str, path: &str) -> usize {
    let path_line = |s: &Session| {
        let screen = s.screen_text();
        screen
            .lines()
            .find(|l| l.starts_with("Path:"))
            .map(|l| l.trim_end().to_string())
    };
    for _ in 0..20 {
        let bytes = s.bytes_in_response(key, QUIET);
        if path_line(s).as_deref() == Some(path) {
            return bytes;
        }
        assert!(
            s.screen_text().contains("Still saving"),
            "{key:?} did not lead to {path:?}:\n{}",
            s.screen_text()
        );
        std::thread::sleep(QUIET);
    }
    panic!("{key:?} kept being refused");
}

fn report(what: &str, value: String, target: &str) {
    println!("  {what:<40} {value:>10}   {target}");
}

fn ms(d: Duration) -> String {
    format!("{:.1} ms", d.as_secs_f64() * 1000.0)
}

fn p50<T: Ord + Copy>(values: &[T]) -> T {
    let mut v = values.to_vec();
    v.sort();
    v[v.len() / 2]
}

fn max<T: Ord + Copy>(values: &[T]) -> T {
    *values.iter().max().expect("values")
}
