//! What the journey checks after each step: a run's record and what the
//! mock received, and the exports.

use std::collections::{BTreeMap, BTreeSet};

use serde_json::Value;

use cairn::app::lookups::Run;
use cairn::lookup::replay::Replay;
use cairn::store::event::{EventKind, LookupStatus};
use cairn::tree::Lookup;
use cairn::tree::model::Provider;

use super::journey_driver::Journey;
use super::journey_mock::{GRAPH_TOKEN, LA_TOKEN, expected_on_the_wire, received_text};
use super::mock::Request;

/// What walking every lookup showed.
#[derive(Default)]
pub struct Walked {
    pub ran: usize,
    pub paged: usize,
    pub providers: BTreeSet<&'static str>,
    /// Variables bound from a row so far.
    pub bound: BTreeSet<String>,
    /// (variable, later lookup that sent it, where in the request)
    pub reached: Vec<(String, String, &'static str)>,
}

/// The run is in the store as a `lookup_run` with its status and row
/// count; returns its sequence number.
pub fn check_recorded(j: &Journey, at: &str, run: &Run, rows: usize) -> u64 {
    let seq = run
        .recorded_seq
        .unwrap_or_else(|| panic!("{at}: not recorded"));
    let events = j.recorded();
    let Some(EventKind::LookupRun {
        lookup,
        status,
        row_count,
        query,
        ..
    }) = events.iter().find(|e| e.seq == seq).map(|e| &e.kind)
    else {
        panic!("{at}: event {seq} is not a lookup_run")
    };
    assert_eq!(lookup, &run.lookup, "{at}");
    assert_eq!(*status, LookupStatus::Succeeded, "{at}");
    assert_eq!(*row_count, Some(rows as u64), "{at}");
    assert_eq!(query, &run.request.text, "{at}");
    seq
}

/// What the mock received is what was shown and recorded, with the right
/// token, each value escaped for where it landed; a second page followed.
pub fn check_sent(at: &str, lookup: &Lookup, run: &Run, seen: &[Request], walked: &mut Walked) {
    let first = seen.first().unwrap_or_else(|| panic!("{at}: nothing sent"));
    let token = match lookup.provider {
        Provider::LogAnalytics => LA_TOKEN,
        _ => GRAPH_TOKEN,
    };
    assert_eq!(
        first.header("authorization"),
        Some(format!("Bearer {token}").as_str()),
        "{at}"
    );
    let text = received_text(lookup.provider, first);
    let query = &run.request.text;
    match lookup.provider {
        Provider::Graph => assert_eq!(
            text.split('?').next(),
            Some(format!("/v1.0{}", query.split('?').next().unwrap()).as_str()),
            "{at}: path"
        ),
        _ => assert_eq!(&text, query, "{at}: query text"),
    }
    for (name, value) in &run.variables {
        let (context, wire) = expected_on_the_wire(lookup, name, value);
        assert!(
            text.contains(&wire),
            "{at}: {name} as a {context} should be {wire} in\n{text}"
        );
        if walked.bound.contains(name) {
            walked.reached.push((name.clone(), at.to_string(), context));
        }
    }
    if let Some(second) = seen.get(1) {
        assert!(second.target.contains("skiptoken=page2"), "{at}");
        assert_eq!(
            second.header("authorization"),
            Some(format!("Bearer {GRAPH_TOKEN}").as_str()),
            "{at}: page 2"
        );
        walked.paged += 1;
    }
}

/// Markdown and JSON exports built as `cairn export` builds them, from a
/// second store handle: every run, the bound attacker IP with its source,
/// both intents and outcomes. Returns both texts.
pub fn export(j: &Journey, id: &str, replay: &Replay, ran: usize) -> (String, String) {
    let store = cairn::store::Store::open(j.s.dir.path()).unwrap();
    let incident_id = cairn::store::IncidentId::parse(id).unwrap();
    let incident = store.incident(&incident_id).unwrap();
    let events = store.events(&incident_id).unwrap();
    let verification = store.verify(&incident_id).unwrap();
    assert!(verification.broken.is_none(), "export: the chain is intact");
    let own_tree = cairn::tree::load::parse("stored", &incident.tree_source).unwrap();
    let report = cairn::store::export::Report {
        incident: &incident,
        events: &events,
        verification: &verification,
        tree: Some(&own_tree),
    };
    let markdown = cairn::store::export::markdown::render(&report);
    let json = cairn::store::export::json::render(&report);

    let exported: Value = serde_json::from_str(&json).unwrap();
    let of_type = |t: &str| -> Vec<Value> {
        exported["events"]
            .as_array()
            .unwrap()
            .iter()
            .filter(|e| e["type"] == t)
            .cloned()
            .collect()
    };
    assert_eq!(of_type("lookup_run").len(), ran, "export: every run");
    for (_, lookup) in j.tree.lookups() {
        assert!(
            markdown.contains(&format!("Ran lookup {}", lookup.id.value)),
            "export: {} missing from the Markdown",
            lookup.id.value
        );
    }
    let ip = &replay.manifest.discovered["attacker_ip"];
    let bound: BTreeMap<String, Value> = of_type("variable_set")
        .into_iter()
        .map(|e| (e["name"].as_str().unwrap().to_string(), e))
        .collect();
    let bound_ip = &bound["attacker_ip"];
    assert_eq!(bound_ip["value"], ip.as_str(), "export: {bound_ip}");
    assert_eq!(bound_ip["source"]["kind"], "lookup", "export: {bound_ip}");
    let seq = bound_ip["source"]["lookup_seq"].as_u64().unwrap();
    let name = cairn::text::visible("attacker_ip", cairn::text::Medium::Markdown);
    let row = markdown
        .lines()
        .find(|l| l.starts_with(&format!("| {name} |")))
        .expect("export: attacker_ip in the Markdown's variables");
    assert!(
        row.contains(ip.as_str()) && row.contains(&format!("lookup (event {seq}), row ")),
        "export: attacker_ip and its source in the Markdown: {row}"
    );
    assert_eq!(of_type("action_intended").len(), 2, "export: intents");
    let outcomes = of_type("action_outcome");
    assert_eq!(outcomes.len(), 2, "export: outcomes");
    assert!(outcomes.iter().all(|o| o["status"] == "succeeded"));
    for action in ["revoke-sessions", "delete-authenticator-method"] {
        assert!(
            markdown.contains(&format!("Intends action {action}")),
            "export: {action} in the Markdown"
        );
    }
    (markdown, json)
}
