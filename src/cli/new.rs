//! `cairn new --tree ID --title TEXT [--lang L] [--set NAME=VALUE ...]
//! [--sentinel REF]`: creates an incident and prints its id (an alert
//! pipeline can call it). With `--sentinel`, the incident is created from a
//! Sentinel incident: its title, the link, and variables from its entities.

use std::path::Path;
use std::process::ExitCode;

use anyhow::{Context, bail};

use super::store_access::open_store;
use crate::store::NewIncident;
use crate::store::event::{EventKind, Mode, ValueSource};
use crate::tree::suggest::did_you_mean;
use crate::tree::{Tree, catalog, template};

pub struct NewArgs<'a> {
    pub tree: &'a str,
    pub title: Option<&'a str>,
    pub lang: &'a str,
    pub set: &'a [String],
    pub open: bool,
    pub sentinel: Option<&'a str>,
}

pub fn run(data_dir: Option<&Path>, args: NewArgs) -> anyhow::Result<ExitCode> {
    if args.title.is_some_and(|t| t.trim().is_empty()) {
        bail!("--title is empty; an incident needs a title");
    }
    let (tree, source) = catalog::find(args.tree)?;
    if !tree.languages.iter().any(|l| l == args.lang) {
        bail!(
            "tree '{}' is not available in language '{}'; it provides: {}",
            tree.id.value,
            args.lang,
            tree.languages.join(", ")
        );
    }
    // Everything is validated before anything is recorded.
    let mut variables = parse_sets(&tree, args.set)?;
    let mut title = args.title.map(str::to_string);
    if let Some(reference) = args.sentinel {
        let attachment = super::attach::fetch(reference).context("incident NOT created")?;
        // What the responder typed wins over what an entity says.
        let typed: Vec<String> = variables.iter().filter_map(typed_name).collect();
        let plan = attachment.plan(&tree, &|name| typed.iter().any(|t| t == name));
        super::attach::report_notes(&plan);
        variables.splice(0..0, plan.events);
        title.get_or_insert_with(|| attachment.title());
    }
    let Some(title) = title else {
        bail!("--title is missing; an incident needs a title");
    };
    for var in tree.variables.iter().filter(|v| v.required) {
        if !variables
            .iter()
            .any(|e| matches!(e, EventKind::VariableSet { name, .. } if *name == var.name.value))
        {
            eprintln!(
                "cairn: note: tree '{}' asks for {} ({}); set it with --set {}=VALUE or on the screen",
                tree.id.value,
                var.name.value,
                var.description.get(args.lang),
                var.name.value
            );
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
                language: args.lang.to_string(),
                mode: Mode::Live,
            },
            variables,
        )
        .context("incident NOT created")?;
    println!("{id}");
    // A live incident without a usable configuration cannot run a lookup:
    // say so now, not when the responder first presses a key.
    if let Err(e) = crate::lookup::config::path().and_then(|p| crate::lookup::config::load(&p)) {
        eprintln!(
            "cairn: warning: {id} is a live incident, but lookups and actions cannot run: {e}"
        );
    }
    super::store_access::warn_if_unwitnessed();
    if args.open {
        use std::io::IsTerminal;
        if !std::io::stdin().is_terminal() {
            // Scripts get the id and a clear word, never a half-drawn screen.
            eprintln!("cairn: --open needs a terminal; {id} was created but not opened");
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
            bail!("--set '{set}': expected NAME=VALUE");
        };
        let name = name.trim();
        let Some(var) = tree.variable(name) else {
            let names = tree.variables.iter().map(|v| v.name.value.as_str());
            let hint = did_you_mean(name, names.clone())
                .map(|h| format!(" (did you mean '{h}'?)"))
                .unwrap_or_default();
            let all: Vec<&str> = names.collect();
            bail!(
                "--set {name}: tree '{}' has no variable '{name}'{hint}; its variables: {}",
                tree.id.value,
                all.join(", ")
            );
        };
        let value = template::accept(tree, name, raw)
            .with_context(|| format!("--set {name}: invalid {} value", var.var_type.name()))?;
        if events
            .iter()
            .any(|e| matches!(e, EventKind::VariableSet { name: n, .. } if n == name))
        {
            bail!("--set {name}: given more than once");
        }
        events.push(EventKind::VariableSet {
            name: name.to_string(),
            value,
            source: ValueSource::Typed,
        });
    }
    Ok(events)
}
