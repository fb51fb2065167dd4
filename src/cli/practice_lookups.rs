//! Lookups in line-mode practice: answered from the scenario's recordings
//! (swapped by released injects), printed as safe text, recorded as
//! evidence like any other run.

use std::collections::BTreeMap;
use std::io::Write;

use chrono::Utc;

use super::practice::{Recorder, text};
use crate::lookup::canonical::evidence;
use crate::lookup::replay::Replay;
use crate::lookup::run::LookupRequest;
use crate::lookup::substitute::{render_lookup, window_timespan};
use crate::scenario::{InjectQueue, Scenario};
use crate::store::RESULT_CAP;
use crate::store::event::{EventKind, LookupStatus, ValueSource};
use crate::text::{Medium, visible};
use crate::tree::value::normalize;
use crate::tree::{Node, Tree};

const MAX_ROWS: usize = 15;
const MAX_CELL: usize = 60;

/// The recorded answers of a scenario and the incident's variable values.
pub struct PracticeLookups {
    replay: Option<Replay>,
    pub values: BTreeMap<String, String>,
    lang: String,
}

impl PracticeLookups {
    pub fn new(scenario: &Scenario, lang: &str) -> Self {
        let replay = scenario.recordings.as_ref().and_then(|name| {
            Replay::shipped(name).or_else(|| {
                let dir = crate::tree::catalog::default_config_dir()?
                    .join("scenarios")
                    .join(name.as_str());
                Replay::load_dir(&dir).ok()
            })
        });
        let values = scenario
            .variables
            .iter()
            .map(|v| (v.name.value.clone(), v.value.clone()))
            .collect();
        Self {
            replay,
            values,
            lang: lang.to_string(),
        }
    }

    /// `set NAME VALUE`: validated by the variable's type, then recorded.
    pub fn set(
        &mut self,
        out: &mut impl Write,
        rec: &mut Recorder,
        tree: &Tree,
        args: &str,
    ) -> anyhow::Result<()> {
        let (name, raw) = args.trim().split_once(' ').unwrap_or((args.trim(), ""));
        let Some(var) = tree.variable(name) else {
            writeln!(
                out,
                "No variable '{}' in this tree.",
                visible(name, Medium::Cli)
            )?;
            return Ok(());
        };
        match normalize(var.var_type, raw) {
            Ok(value) => {
                rec.record(vec![EventKind::VariableSet {
                    name: name.to_string(),
                    value: value.clone(),
                    source: ValueSource::Typed,
                }])?;
                writeln!(out, "{name} = {}", visible(&value, Medium::Cli))?;
                self.values.insert(name.to_string(), value);
            }
            Err(e) => writeln!(out, "Not set: {}", visible(&e.to_string(), Medium::Cli))?,
        }
        Ok(())
    }

    pub fn show_values(&self, out: &mut impl Write) -> std::io::Result<()> {
        for (name, value) in &self.values {
            writeln!(out, "  {name} = {}", visible(value, Medium::Cli))?;
        }
        Ok(())
    }

    /// `l N`: runs the node's Nth lookup from the recordings.
    pub fn run(
        &self,
        out: &mut impl Write,
        rec: &mut Recorder,
        tree: &Tree,
        node: &Node,
        typed: &str,
        queue: Option<&InjectQueue<'_>>,
    ) -> anyhow::Result<()> {
        let lang = self.lang.as_str();
        let Some(lookup) = typed
            .trim()
            .parse::<usize>()
            .ok()
            .and_then(|n| node.lookups.get(n.checked_sub(1)?))
        else {
            writeln!(
                out,
                "This node has {} lookup(s): l 1 .. l {}",
                node.lookups.len(),
                node.lookups.len()
            )?;
            return Ok(());
        };
        let Some(replay) = &self.replay else {
            writeln!(
                out,
                "This scenario has no recorded data: lookups cannot run in practice."
            )?;
            return Ok(());
        };
        let rendered = match render_lookup(lookup, &tree.variables, &self.values) {
            Ok(r) => r,
            Err(e) => {
                writeln!(
                    out,
                    "{} (set it with: set NAME VALUE)",
                    visible(&e.to_string(), Medium::Cli)
                )?;
                return Ok(());
            }
        };
        let recording = queue
            .and_then(|q| q.recording_for(&lookup.id))
            .map_or(lookup.id.value.clone(), |f| {
                f.trim_end_matches(".json").to_string()
            });
        let req = LookupRequest {
            lookup_id: recording,
            provider: lookup.provider,
            text: rendered.text.clone(),
            timespan: window_timespan(lookup, None)?,
        };
        let started_at = Utc::now();
        let answer = replay.answer(&req);
        let finished_at = Utc::now();
        writeln!(out, "-- {} (recorded)", text(&lookup.title, lang))?;
        writeln!(out, "   look for: {}", text(&lookup.look_for, lang))?;
        let (status, ev, message) = match &answer {
            Ok(result) => {
                print_result(out, result)?;
                (
                    LookupStatus::Succeeded,
                    Some(evidence(result, RESULT_CAP as usize)),
                    None,
                )
            }
            Err(e) => {
                writeln!(out, "   {}", visible(&e.to_string(), Medium::Cli))?;
                (LookupStatus::Failed, None, Some(e.to_string()))
            }
        };
        rec.record(vec![EventKind::LookupRun {
            node: node.id.value.clone(),
            lookup: lookup.id.value.clone(),
            provider: lookup.provider.name().to_string(),
            query: rendered.text,
            variables: self.values.clone(),
            timespan: req.timespan,
            started_at,
            finished_at,
            status,
            row_count: ev.as_ref().map(|e| e.row_count),
            result_sha256: ev.as_ref().map(|e| e.result_sha256.clone()),
            result: ev.as_ref().map(|e| e.result.clone()),
            result_bytes: ev.as_ref().map_or(0, |e| e.result_bytes),
            result_cap: ev.as_ref().map_or(0, |e| e.result_cap),
            result_truncated: ev.as_ref().is_some_and(|e| e.result_truncated),
            message,
        }])?;
        Ok(())
    }
}

/// Rows as `column: value` records: wide log rows stay readable in a pane.
fn print_result(
    out: &mut impl Write,
    result: &crate::lookup::table::LookupResult,
) -> std::io::Result<()> {
    if let Some(w) = &result.warning {
        writeln!(out, "   warning: {}", visible(w, Medium::Cli))?;
    }
    let Some(table) = result.primary() else {
        return writeln!(out, "   (no data)");
    };
    if table.rows.is_empty() {
        return writeln!(out, "   (no rows)");
    }
    for (i, row) in table.rows.iter().take(MAX_ROWS).enumerate() {
        let fields: Vec<String> = table
            .columns
            .iter()
            .zip(row)
            .map(|(c, cell)| {
                format!(
                    "{}: {}",
                    visible(&c.name, Medium::Cli),
                    cut(&visible(&cell.display(), Medium::Cli))
                )
            })
            .collect();
        writeln!(out, "   [{}] {}", i + 1, fields.join(" · "))?;
    }
    if table.rows.len() > MAX_ROWS {
        writeln!(out, "   … {} more rows", table.rows.len() - MAX_ROWS)?;
    }
    Ok(())
}

fn cut(s: &str) -> String {
    if s.chars().count() <= MAX_CELL {
        return s.to_string();
    }
    let kept: String = s.chars().take(MAX_CELL - 1).collect();
    format!("{kept}…")
}
