//! `cairn train [SCENARIO]`: a scored training run in line mode. Each
//! decision is scored and explained at once, hints cost points, and the
//! scorecard ends the run; everything is recorded as a training incident.

use std::io::{BufRead, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use super::practice::{
    Recorder, choice_by_number, known_trees, pick_scenario, read_line, show_node, text,
};
use crate::scenario::{Clock, SystemClock, TrainingRun};
use crate::store::event::Mode;
use crate::tree::{NodeKind, Tree};

pub fn run(
    data_dir: Option<&Path>,
    scenario: Option<&str>,
    lang: &str,
) -> anyhow::Result<ExitCode> {
    let stdin = std::io::stdin();
    let mut input = stdin.lock();
    let mut out = std::io::stdout().lock();
    session(data_dir, scenario, lang, &mut input, &mut out, &SystemClock)
}

/// The whole run, reading commands from `input`.
pub fn session(
    data_dir: Option<&Path>,
    requested: Option<&str>,
    lang: &str,
    input: &mut impl BufRead,
    out: &mut impl Write,
    clock: &dyn Clock,
) -> anyhow::Result<ExitCode> {
    let trees = known_trees();
    let refs: Vec<&Tree> = trees.iter().map(|(t, _)| t).collect();
    let scenario = pick_scenario(
        requested,
        &refs,
        &mut || read_line(input).ok().flatten(),
        out,
        lang,
    )?;
    let (tree, source) = trees
        .iter()
        .find(|(t, _)| t.id.value == scenario.tree.value)
        .context("the scenario's tree is not available")?;
    let title = format!("Training: {}", scenario.title.get(lang));
    let mut rec = Recorder::create(data_dir, title, tree, source, lang, Mode::Training)?;
    let (mut run, opening) = TrainingRun::start(tree, &scenario, clock)?;
    rec.record(opening)?;

    writeln!(
        out,
        "\n# {}\n\n{}\n",
        text(&scenario.title, lang),
        text(&scenario.story, lang)
    )?;
    writeln!(
        out,
        "Keys: a number chooses, Enter continues, h shows a hint (costs points), q quits."
    )?;
    'walk: while !run.is_finished() {
        let node = run.current();
        show_node(out, node, lang)?;
        let is_decision = matches!(node.kind, NodeKind::Decision { .. });
        loop {
            let prompt = if is_decision { "choice> " } else { "Enter> " };
            write!(out, "{prompt}")?;
            out.flush()?;
            let Some(line) = read_line(input)? else {
                break 'walk;
            };
            match line.trim() {
                "q" => break 'walk,
                "h" => match run.hint() {
                    Some(h) => {
                        writeln!(out, "Hint (-{} points): {}", h.cost, text(h.text, lang))?;
                        rec.record(vec![h.event])?;
                    }
                    None => writeln!(out, "No hint left here.")?,
                },
                "" if !is_decision => {
                    rec.record(run.advance()?)?;
                    break;
                }
                typed if is_decision => match choice_by_number(node, typed) {
                    Some(choice) => {
                        let r = run.choose(&choice)?;
                        if r.scored.correct {
                            writeln!(
                                out,
                                "✓ Correct (+{}): {}",
                                r.scored.points,
                                text(r.explanation, lang)
                            )?;
                        } else {
                            writeln!(
                                out,
                                "✗ Not the playbook's choice: {}",
                                text(r.explanation, lang)
                            )?;
                            writeln!(
                                out,
                                "  The playbook: {}",
                                text(r.expected_explanation, lang)
                            )?;
                        }
                        rec.record(r.events)?;
                        break;
                    }
                    None => writeln!(out, "Type the number of a choice.")?,
                },
                _ => writeln!(out, "Press Enter to continue.")?,
            }
        }
    }
    writeln!(out, "\n{}", run.scorecard().render(lang))?;
    writeln!(
        out,
        "Recorded as incident {id}. Report: cairn export {id} --format aar",
        id = rec.id
    )?;
    Ok(ExitCode::SUCCESS)
}
