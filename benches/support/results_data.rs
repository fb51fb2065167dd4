//! A generated 100,000-row x 20-column Log Analytics response and a screen
//! state showing it, shared by the results-table benchmark and the
//! peak-memory example (`examples/results_rss.rs`).

use std::sync::Arc;

use chrono::{DateTime, Utc};

use cairn::app::lookups::{LookupMsg, RunOutcome, prepare, start};
use cairn::app::results::ResultsView;
use cairn::app::{
    IncidentMeta, Keymap, LoadedIncident, LoadedIncidentMsg, Msg, Screen, State, update,
};
use cairn::lookup::canonical::evidence;
use cairn::lookup::table::LookupResult;
use cairn::store::event::Mode;
use cairn::tree::{Tree, load};

pub const ROWS: usize = 100_000;

/// The columns of the generated rows, with their Log Analytics types.
pub const COLUMNS: [(&str, &str); 20] = [
    ("TimeGenerated", "datetime"),
    ("UserPrincipalName", "string"),
    ("IPAddress", "string"),
    ("AppDisplayName", "string"),
    ("ResultType", "long"),
    ("ResultDescription", "string"),
    ("UserAgent", "string"),
    ("CorrelationId", "guid"),
    ("RiskScore", "real"),
    ("IsInteractive", "bool"),
    ("Location", "string"),
    ("DeviceDetail", "dynamic"),
    ("ConditionalAccessStatus", "string"),
    ("Duration", "timespan"),
    ("RequestBytes", "long"),
    ("AuthenticationRequirement", "string"),
    ("TokenIssuerType", "string"),
    ("SessionId", "guid"),
    ("Latency", "real"),
    ("Tags", "dynamic"),
];

/// Sign-in style rows: strings, datetimes, longs, reals, bools, guids,
/// dynamic JSON text, timespans, and a null now and then.
pub fn response(rows: usize) -> String {
    let mut out = String::with_capacity(rows * 720);
    out.push_str(r#"{"tables":[{"name":"PrimaryResult","columns":["#);
    for (i, (n, t)) in COLUMNS.iter().enumerate() {
        if i > 0 {
            out.push(',');
        }
        out.push_str(&format!(r#"{{"name":"{n}","type":"{t}"}}"#));
    }
    out.push_str(r#"],"rows":["#);
    for r in 0..rows {
        if r > 0 {
            out.push(',');
        }
        let ip = format!("203.0.113.{}", r % 250);
        let ua = if r % 3 == 0 {
            "axios/1.6.8".to_string()
        } else {
            format!(
                "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/{}.0.0.0",
                100 + r % 30
            )
        };
        let desc = if r % 5 == 0 {
            "null".to_string()
        } else {
            "\"Success\"".to_string()
        };
        out.push_str(&format!(
            concat!(
                r#"["2026-11-{:02}T{:02}:{:02}:{:02}.{:07}Z","user{}@contoso.example","{}","Office 365 Exchange Online",{},{},"#,
                r#""{}","{:08x}-1e4e-49d9-b579-fe0b331d3642",{:.3},{},"Tokyo, JP","#,
                r#""{{\"deviceId\":\"{:08x}-aaaa-bbbb-cccc-000000000000\",\"operatingSystem\":\"Windows 11\",\"browser\":\"Edge 130\"}}","#,
                r#""notApplied","00:00:{:02}.{:03}",{},"multiFactorAuthentication","AzureAD","#,
                r#""{:08x}-2222-3333-4444-555555555555",{:.2},"[\"t{}\",\"risk\"]"]"#
            ),
            1 + r % 28,
            r % 24,
            r % 60,
            (r * 7) % 60,
            r % 10_000_000,
            r % 5000,
            ip,
            if r % 11 == 0 { 50126 } else { 0 },
            desc,
            ua,
            r,
            (r % 1000) as f64 / 7.0,
            r % 2 == 0,
            r,
            r % 60,
            r % 1000,
            r * 13,
            r,
            (r % 500) as f64 / 3.0,
            r % 9,
        ));
    }
    out.push_str("]}]}");
    out
}

fn clock() -> DateTime<Utc> {
    DateTime::parse_from_rfc3339("2026-11-26T03:00:00Z")
        .unwrap()
        .with_timezone(&Utc)
}

/// A live incident on the shipped tree, its results screen showing `result`
/// as the answer of the first lookup of `trigger-unfamiliar-properties`.
pub fn state_with(result: Arc<LookupResult>, size: (u16, u16)) -> State {
    let path = concat!(env!("CARGO_MANIFEST_DIR"), "/trees/token-theft.toml");
    let tree: Arc<Tree> =
        Arc::new(load::parse(path, &std::fs::read_to_string(path).unwrap()).unwrap());
    let mut state = State::new(
        Keymap::load(None).unwrap(),
        vec![tree.clone()],
        "en",
        clock(),
    );
    state.size = size;
    let loaded = LoadedIncident {
        meta: IncidentMeta {
            id: "INC-0001".into(),
            title: "Bench".into(),
            tree_id: tree.id.value.clone(),
            mode: Mode::Live,
            language: "en".into(),
            created_at: clock(),
        },
        tree: tree.clone(),
        state: Default::default(),
        scenario: None,
    };
    update(
        &mut state,
        Msg::IncidentOpened(Ok(Box::new(LoadedIncidentMsg(loaded)))),
    );
    let node = "trigger-unfamiliar-properties";
    let lookup = &tree.node(node).unwrap().lookups[0];
    let values = [("upn".to_string(), "aiko.tanaka@contoso.example".to_string())].into();
    let prepared = prepare(&tree, lookup, &values, None).unwrap();
    let (run, _) = start(&mut state, node, prepared);
    let evidence = evidence(&result, cairn::store::RESULT_CAP as usize);
    update(
        &mut state,
        Msg::Lookup(LookupMsg::Finished {
            run,
            started_at: clock(),
            finished_at: clock(),
            outcome: RunOutcome::Rows { result, evidence },
        }),
    );
    let view = ResultsView::for_run(&state.lookups.runs[&run]);
    state.screen = Screen::Results(view);
    state
}

/// A field of /proc/self/status (`VmHWM:`, `VmRSS:`), for the peak-memory
/// examples; "unavailable" off Linux.
#[allow(dead_code)] // not used by the benchmarks that share this file
pub fn status(field: &str) -> String {
    std::fs::read_to_string("/proc/self/status")
        .unwrap_or_default()
        .lines()
        .find(|l| l.starts_with(field))
        .map(|l| l.split_whitespace().skip(1).collect::<Vec<_>>().join(" "))
        .unwrap_or_else(|| "unavailable".into())
}
