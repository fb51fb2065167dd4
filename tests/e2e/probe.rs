//! A small program built on Cairn's terminal runtime, run in a pty by the
//! lifecycle tests. It is this test binary itself, re-executed with
//! `CAIRN_PROBE` set, so the runtime can be tested on its own before (and
//! independently of) the full screen.

use std::io::Write;
use std::path::PathBuf;
use std::time::Duration;

use cairn::runtime::{log, signals, terminal};
use ratatui::widgets::Paragraph;

use crate::harness::TestEnv;

/// The pty command that runs `scenario` in the probe.
pub fn command(env: &TestEnv, scenario: &str) -> portable_pty::CommandBuilder {
    let exe = std::env::current_exe().expect("test binary path");
    let args = [
        "probe::probe_child",
        "--exact",
        "--ignored",
        "--nocapture",
        "--test-threads=1",
    ];
    let mut cmd = env.command(&exe, &args);
    cmd.env("CAIRN_PROBE", scenario);
    cmd.env("CAIRN_PROBE_OUT", env.path("probe-out"));
    cmd
}

#[test]
#[ignore = "run by the lifecycle tests inside a pty"]
fn probe_child() {
    let Ok(scenario) = std::env::var("CAIRN_PROBE") else {
        return;
    };
    let out = PathBuf::from(std::env::var("CAIRN_PROBE_OUT").expect("CAIRN_PROBE_OUT"));
    if let Some(dir) = log::state_dir() {
        log::init(&dir).expect("open the log");
    }
    let runtime = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    runtime.block_on(async move {
        let mut shutdown = signals::listen().expect("listen for signals");
        let (mut tui, guard) = terminal::enter().expect("enter the terminal");
        let mut frame_no = 0u64;
        let mut failed_frames = 0u64;
        let mut draw = |text: String| {
            if let Err(e) = tui.draw(|f| f.render_widget(Paragraph::new(text), f.area())) {
                tracing::warn!("frame failed: {e}");
                failed_frames += 1;
            }
            failed_frames
        };
        draw("PROBE_READY".into());
        match scenario.as_str() {
            "drop" => {
                drop(guard);
                // What the terminal looks like to the next program.
                let stty = std::process::Command::new("stty")
                    .args(["-a", "-F", "/dev/tty"])
                    .output()
                    .unwrap();
                let mut report = stty.stdout;
                report.extend_from_slice(&stty.stderr);
                std::fs::write(&out, report).unwrap();
                std::process::exit(0);
            }
            "panic" => panic!("boom \x1b]0;pwned\x07 at 3 a.m."),
            "signal" | "flood" => {
                let flood = scenario == "flood";
                let mut failed = 0;
                let signal = loop {
                    tokio::select! {
                        Some(s) = shutdown.recv() => break s,
                        () = tokio::time::sleep(Duration::from_millis(10)), if flood => {
                            frame_no += 1;
                            let line = format!("frame {frame_no} ").repeat(40);
                            failed = draw(line.repeat(24));
                        }
                    }
                };
                // Stands for the store writes the loop finishes first.
                let mut f = std::fs::File::create(&out).unwrap();
                writeln!(f, "finished {signal:?}").unwrap();
                writeln!(f, "failed frames {failed}").unwrap();
                f.sync_all().unwrap();
                drop(guard);
                std::process::exit(signal.exit_code());
            }
            other => panic!("unknown probe scenario {other}"),
        }
    });
}
