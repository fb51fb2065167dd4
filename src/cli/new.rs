//! `cairn new --tree ID --title TEXT [--lang L] [--set NAME=VALUE ...]
//! [--sentinel REF]`: creates an incident and prints its id (an alert
//! pipeline can call it). With `--sentinel`, the incident is created from a
//! Sentinel incident: its title, the link, and variables from its entities.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};

use super::say;
use super::store_access::open_store;
use crate::store::NewIncident;
use crate::store::event::{EventKind, Mode, ValueSource};
use crate::tree::suggest::did_you_mean;
use crate::tree::{Tree, catalog, template};

pub struct NewArgs<'a> {
    pub tree: &'a str,
    pub title: Option<&'a str>,
    /// `--lang`, when given; else the chosen language if the tree has it.
    pub lang: Option<&'a str>,
    pub set: &'a [String],
    pub open: bool,
    pub sentinel: Option<&'a str>,
}

pub fn run(data_dir: Option<&Path>, args: NewArgs) -> anyhow::Result<ExitCode> {
    if args.title.is_some_and(|t| t.trim().is_empty()) {
        bail!(say::text("new-title-empty"));
    }
    let (tree, source) = catalog::find(args.tree)?;
    let lang = &say::content_lang(args.lang, &tree.languages);
    if !tree.languages.iter().any(|l| l == lang) {
        bail!(say::fill(
            "new-no-language",
            &[
                ("tree", &tree.id.value),
                ("lang", lang),
                ("langs", &tree.languages.join(", ")),
            ]
        ));
    }
    // Everything is validated before anything is recorded.
    let mut variables = parse_sets(&tree, args.set)?;
    let mut title = args.title.map(str::to_string);
    if let Some(reference) = args.sentinel {
        let attachment = super::attach::fetch(reference).context(say::text("new-not-created"))?;
        // What the responder typed wins over what an entity says.
        let typed: Vec<String> = variables.iter().filter_map(typed_name).collect();
        let plan = attachment.plan(&tree, &|name| typed.iter().any(|t| t == name));
        super::attach::report_notes(&plan);
        variables.splice(0..0, plan.events);
        title.get_or_insert_with(|| attachment.title());
    }
    let Some(title) = title else {
        bail!(say::text("new-title-missing"));
    };
    for var in tree.variables.iter().filter(|v| v.required) {
        if !variables
            .iter()
            .any(|e| matches!(e, EventKind::VariableSet { name, .. } if *name == var.name.value))
        {
            let fills = [
                ("tree", tree.id.value.as_str()),
                ("name", &var.name.value),
                ("description", var.description.get(lang)),
            ];
            eprintln!("{}", say::fill("new-asks-for", &fills));
        }
    }
    let mut store = open_store(data_dir)?;
    let id = store
        .create_incident_with(
            NewIncident {
                title,
                tree_id: tree.id.value.clone(),
                tree_version: tree.version.clone(),
                tree_source: source.text,
                language: lang.to_string(),
                mode: Mode::Live,
            },
            variables,
        )
        .context(say::text("new-not-created"))?;
    println!("{id}");
    // A live incident without a usable configuration cannot run a lookup:
    // say so now, not when the responder first presses a key.
    if let Err(e) = crate::lookup::config::path().and_then(|p| crate::lookup::config::load(&p)) {
        let (id, why) = (id.to_string(), e.to_string());
        eprintln!(
            "{}",
            say::fill("new-no-config", &[("id", &id), ("why", &why)])
        );
    }
    super::store_access::warn_if_unwitnessed();
    if args.open {
        use std::io::IsTerminal;
        if !std::io::stdin().is_terminal() {
            // Scripts get the id and a clear word, never a half-drawn screen.
            let id = id.to_string();
            eprintln!("{}", say::fill("new-open-needs-terminal", &[("id", &id)]));
            return Ok(ExitCode::SUCCESS);
        }
        // The screen opens its own store handle.
        drop(store);
        return super::open::run(data_dir.map(Path::to_path_buf), Some(id.to_string()));
    }
    Ok(ExitCode::SUCCESS)
}

fn typed_name(event: &EventKind) -> Option<String> {
    match event {
        EventKind::VariableSet { name, .. } => Some(name.clone()),
        _ => None,
    }
}

/// `NAME=VALUE` pairs checked against the tree's variables and their types.
fn parse_sets(tree: &Tree, sets: &[String]) -> anyhow::Result<Vec<EventKind>> {
    let mut events: Vec<EventKind> = Vec::new();
    for set in sets {
        let Some((name, raw)) = set.split_once('=') else {
            bail!(say::fill("set-syntax", &[("set", set)]));
        };
        let name = name.trim();
        let Some(var) = tree.variable(name) else {
            let names = tree.variables.iter().map(|v| v.name.value.as_str());
            let hint = did_you_mean(name, names.clone())
                .map(|h| say::fill("did-you-mean", &[("name", h)]))
                .unwrap_or_default();
            let all: Vec<&str> = names.collect();
            bail!(say::fill(
                "set-unknown",
                &[
                    ("name", name),
                    ("tree", &tree.id.value),
                    ("hint", &hint),
                    ("names", &all.join(", ")),
                ]
            ));
        };
        let value = template::accept(tree, name, raw).with_context(|| {
            let fills = [("name", name), ("type", var.var_type.name())];
            say::fill("set-invalid", &fills)
        })?;
        if events
            .iter()
            .any(|e| matches!(e, EventKind::VariableSet { name: n, .. } if n == name))
        {
            bail!(say::fill("set-twice", &[("name", name)]));
        }
        events.push(EventKind::VariableSet {
            name: name.to_string(),
            value,
            source: ValueSource::Typed,
        });
    }
    Ok(events)
}
