//! The shipped practice scenario: it answers every lookup of the shipped
//! token-theft tree with rows, its bindings yield valid values, and
//! practice actions are simulated.

use std::collections::BTreeMap;

use cairn::lookup::error::LookupError;
use cairn::lookup::replay::Replay;
use cairn::lookup::run::{Backend, LookupRequest};
use cairn::lookup::substitute::{render_lookup, window_timespan};
use cairn::tree::model::Tree;
use cairn::tree::value::normalize;

pub fn shipped_tree(id: &str) -> Tree {
    let source = cairn::tree::catalog::shipped()
        .into_iter()
        .find(|s| s.origin.contains(id))
        .unwrap_or_else(|| {
            panic!(
                "not shipped: {:?}",
                cairn::tree::catalog::shipped()
                    .iter()
                    .map(|s| s.origin.clone())
                    .collect::<Vec<_>>()
            )
        });
    cairn::tree::load::parse(&source.origin, &source.text).expect("the shipped tree is valid")
}

pub fn scenario() -> Replay {
    Replay::shipped("aitm").expect("the aitm scenario is shipped")
}

pub fn all_values(replay: &Replay) -> BTreeMap<String, String> {
    let mut values = replay.manifest.variables.clone();
    values.extend(replay.manifest.discovered.clone());
    values
}

#[tokio::test]
async fn practice_answers_every_lookup_of_the_shipped_tree_with_rows() {
    let replay = scenario();
    let tree = shipped_tree(&replay.manifest.tree);
    assert_eq!(tree.id.value, "token-theft");
    let values = all_values(&replay);
    let empty = replay.manifest.empty.clone();
    assert!(
        empty.len() <= 2,
        "almost every lookup must answer with rows"
    );
    let backend = Backend::Replay(std::sync::Arc::new(replay));
    let mut walked = 0;
    for (node, lookup) in tree.lookups() {
        let rendered = render_lookup(lookup, &tree.variables, &values)
            .unwrap_or_else(|e| panic!("{}/{}: {e}", node.id.value, lookup.id.value));
        let req = LookupRequest {
            lookup_id: lookup.id.value.clone(),
            provider: lookup.provider,
            text: rendered.text,
            timespan: window_timespan(lookup, None).unwrap(),
        };
        let result = backend
            .run(&req, None)
            .await
            .unwrap_or_else(|e| panic!("{}/{}: {e}", node.id.value, lookup.id.value));
        let declared_empty = empty.contains_key(&lookup.id.value);
        assert_eq!(
            result.row_count() == 0,
            declared_empty,
            "{}/{}: {} rows",
            node.id.value,
            lookup.id.value,
            result.row_count()
        );
        assert!(!result.primary().unwrap().columns.is_empty());
        walked += 1;
    }
    assert!(walked >= 50, "walked {walked} lookups");
}

#[tokio::test]
async fn every_binding_finds_its_column_and_a_valid_value() {
    let replay = scenario();
    let tree = shipped_tree(&replay.manifest.tree);
    let backend = Backend::Replay(std::sync::Arc::new(replay.clone()));
    let mut found: BTreeMap<String, Vec<String>> = BTreeMap::new();
    for (node, lookup) in tree.lookups() {
        if lookup.bind.is_empty() || replay.manifest.empty.contains_key(&lookup.id.value) {
            continue;
        }
        let req = LookupRequest {
            lookup_id: lookup.id.value.clone(),
            provider: lookup.provider,
            text: String::new(),
            timespan: None,
        };
        let result = backend.run(&req, None).await.unwrap();
        let table = result.primary().unwrap();
        for binding in &lookup.bind {
            let where_ = format!(
                "{}/{} column {}",
                node.id.value, lookup.id.value, binding.column
            );
            let col = table
                .column_index(&binding.column)
                .unwrap_or_else(|| panic!("{where_}: column missing"));
            let var = tree.variable(&binding.variable.value).unwrap();
            let valid: Vec<String> = table
                .rows
                .iter()
                .filter_map(|r| r[col].bind_value())
                .filter_map(|v| normalize(var.var_type, &v).ok())
                .collect();
            assert!(
                !valid.is_empty(),
                "{where_}: no value valid as {}",
                var.var_type.name()
            );
            found
                .entry(var.name.value.clone())
                .or_default()
                .extend(valid);
        }
    }
    // Each value the scenario says the data reveals can be bound from a row.
    for (name, value) in &replay.manifest.discovered {
        if let Some(values) = found.get(name) {
            assert!(
                values.contains(value),
                "{name} = {value} is never offered: {values:?}"
            );
        }
    }
    for name in [
        "attacker_ip",
        "user_device_id",
        "registered_device_id",
        "registered_device_object_id",
        "auth_method_id",
        "inbox_rule_id",
        "user_object_id",
    ] {
        assert!(found.contains_key(name), "{name} can never be bound");
    }
}

#[test]
fn every_scenario_on_disk_is_compiled_in_unchanged() {
    let root = std::path::Path::new(env!("CARGO_MANIFEST_DIR")).join("assets/scenarios");
    let mut ids = Vec::new();
    for entry in std::fs::read_dir(&root).unwrap() {
        let dir = entry.unwrap().path();
        if !dir.is_dir() {
            continue;
        }
        let on_disk = Replay::load_dir(&dir).unwrap();
        let id = on_disk.manifest.id.clone();
        assert_eq!(dir.file_name().unwrap().to_str(), Some(id.as_str()));
        let shipped = Replay::shipped(&id).unwrap_or_else(|| panic!("{id} is not compiled in"));
        assert_eq!(
            on_disk, shipped,
            "{id}: the embedded recordings differ from the files"
        );
        for (name, value) in on_disk
            .manifest
            .variables
            .iter()
            .chain(&on_disk.manifest.discovered)
        {
            assert!(!value.is_empty(), "{id}: {name}");
        }
        ids.push(id);
    }
    assert!(ids.contains(&"aitm".to_string()), "{ids:?}");
}

#[tokio::test]
async fn every_recording_of_every_scenario_parses() {
    use cairn::tree::model::Provider;
    for (file, _) in cairn::assets::dir(cairn::assets::SCENARIOS) {
        let scenario = file.trim_end_matches(".toml");
        let replay = Replay::shipped(scenario).unwrap();
        let tree = shipped_tree(&replay.manifest.tree);
        let ids: Vec<&str> = replay.lookup_ids().collect();
        assert!(!ids.is_empty(), "{scenario} has recordings");
        for id in ids {
            // Replacement recordings (not lookup ids) parse as the lookup they replace.
            let provider = tree
                .lookups()
                .find(|(_, l)| id.starts_with(l.id.value.as_str()))
                .map_or(Provider::LogAnalytics, |(_, l)| l.provider);
            let req = LookupRequest {
                lookup_id: id.to_string(),
                provider,
                text: String::new(),
                timespan: None,
            };
            replay
                .answer(&req)
                .unwrap_or_else(|e| panic!("{scenario}/{id}: {e}"));
        }
    }
}

#[tokio::test]
async fn a_lookup_without_a_recording_says_so_plainly() {
    let backend = Backend::Replay(std::sync::Arc::new(scenario()));
    let req = LookupRequest {
        lookup_id: "not-recorded".into(),
        provider: cairn::tree::model::Provider::LogAnalytics,
        text: "T".into(),
        timespan: None,
    };
    let err = backend.run(&req, None).await.unwrap_err();
    assert!(matches!(err, LookupError::NoRecording { .. }));
    assert_eq!(
        err.to_string(),
        "no recorded response for lookup 'not-recorded' in practice scenario 'aitm'"
    );
}

#[tokio::test]
async fn practice_actions_are_simulated() {
    use cairn::lookup::action::ActionRequest;
    use cairn::store::event::ActionStatus;
    let backend = Backend::Replay(std::sync::Arc::new(scenario()));
    assert!(backend.simulates_actions());
    let tree = shipped_tree("token-theft");
    let values = all_values(&scenario());
    for (_, action) in tree.actions() {
        let path = cairn::tree::template::render(
            &action.id.value,
            &action.path.value,
            cairn::tree::template::Target::GraphPath,
            |n| tree.variable(n).map(|v| v.var_type),
            &values,
        )
        .unwrap();
        let report = backend
            .act(&ActionRequest {
                method: action.method,
                path: path.text,
                body: action.body.clone(),
            })
            .await;
        assert_eq!(report.status, ActionStatus::Simulated);
        assert!(report.detail.contains("nothing was sent"));
    }
}

#[test]
fn an_inject_can_swap_in_another_recording() {
    use cairn::tree::model::Provider;
    let replay = Replay::shipped("benign-travel").unwrap();
    let req = LookupRequest {
        lookup_id: "signins-user".into(),
        provider: Provider::LogAnalytics,
        text: String::new(),
        timespan: None,
    };
    let default = replay.answer(&req).unwrap();
    let swapped = replay
        .answer_from(&req, Some("signins-user-venue.json"))
        .unwrap();
    assert_ne!(default, swapped);
    let err = replay.answer_from(&req, Some("nope.json")).unwrap_err();
    assert!(err.to_string().contains("'nope'"), "{err}");
}
