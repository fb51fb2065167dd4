//! `cairn train [SCENARIO]`: a scored training run in line mode. Each
//! decision is scored and explained at once, hints cost points, and the
//! scorecard ends the run; everything is recorded as a training incident.

use std::io::{BufRead, Write};
use std::path::Path;
use std::process::ExitCode;

use anyhow::Context;

use super::practice::{
    Recorder, choice_by_number, known_trees, pick_scenario, read_line, show_node, text, tr,
};
use super::practice_lookups::PracticeLookups;
use crate::scenario::clock::between;
use crate::scenario::{Clock, InjectQueue, SystemClock, TrainingRun};
use crate::store::event::Mode;
use crate::tree::{NodeKind, Tree};

const HELP: &str = "Keys: a number chooses, Enter continues a step, l N runs the node's Nth lookup
(recorded data), set NAME VALUE sets a variable, v lists them, h shows a hint
(costs points), ? shows the keys, q quits.";
const HELP_JA: &str =
    "キー: 番号で選択、Enter で次のステップへ、l N でノードの N 番目のルックアップを
実行 (記録データ)、set 名前 値 で変数を設定、v で一覧、h でヒント (減点あり)、
? でキー一覧、q で終了。";

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
    let title = super::practice::run_title(Mode::Training, &scenario, lang);
    let mut rec = Recorder::create(data_dir, title, tree, source, lang, Mode::Training)?;
    let (mut run, opening) = TrainingRun::start(tree, &scenario, clock)?;
    rec.record(opening)?;

    writeln!(
        out,
        "\n# {}\n\n{}\n",
        text(&scenario.title, lang),
        text(&scenario.story, lang)
    )?;
    writeln!(out, "{}", tr(lang, HELP, HELP_JA))?;
    let mut lookups = PracticeLookups::new(&scenario, lang);
    let mut queue = InjectQueue::new(&scenario);
    let started = clock.now();
    'walk: while !run.is_finished() {
        let node = run.current();
        show_node(out, node, lang)?;
        let elapsed = between(started, clock.now());
        let released = queue.release_on_node(&node.id, elapsed);
        show_injects(out, &mut rec, released, lang)?;
        let is_decision = matches!(node.kind, NodeKind::Decision { .. });
        loop {
            let due = queue.release_due(between(started, clock.now()));
            show_injects(out, &mut rec, due, lang)?;
            let prompt = if is_decision { "choice> " } else { "Enter> " };
            write!(out, "{prompt}")?;
            out.flush()?;
            let Some(line) = read_line(input)? else {
                break 'walk;
            };
            let line = line.trim();
            let (command, rest) = line.split_once(' ').unwrap_or((line, ""));
            match command {
                "q" => break 'walk,
                "?" => writeln!(out, "{}", tr(lang, HELP, HELP_JA))?,
                "h" => match run.hint() {
                    Some(h) => {
                        let label = tr(lang, "Hint", "ヒント");
                        writeln!(out, "{label} (-{}): {}", h.cost, text(h.text, lang))?;
                        rec.record(vec![h.event])?;
                    }
                    None => writeln!(
                        out,
                        "{}",
                        tr(
                            lang,
                            "No hint left here.",
                            "このノードのヒントはもうありません。"
                        )
                    )?,
                },
                "l" => lookups.run(out, &mut rec, tree, node, rest, Some(&queue))?,
                "set" => lookups.set(out, &mut rec, tree, rest)?,
                "v" => lookups.show_values(out)?,
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
                                "✓ {} (+{}): {}",
                                tr(lang, "Correct", "正解"),
                                r.scored.points,
                                text(r.explanation, lang)
                            )?;
                        } else {
                            writeln!(
                                out,
                                "✗ {}: {}",
                                tr(
                                    lang,
                                    "Not the playbook's choice",
                                    "プレイブックの想定と異なる"
                                ),
                                text(r.explanation, lang)
                            )?;
                            writeln!(
                                out,
                                "  {}: {}",
                                tr(lang, "The playbook", "プレイブック"),
                                text(r.expected_explanation, lang)
                            )?;
                        }
                        rec.record(r.events)?;
                        break;
                    }
                    None => writeln!(
                        out,
                        "{}",
                        tr(
                            lang,
                            "Type the number of a choice; ? shows the keys.",
                            "選択肢の番号を入力 (? でキー一覧)。"
                        )
                    )?,
                },
                _ => writeln!(
                    out,
                    "{}",
                    tr(
                        lang,
                        "Press Enter to continue; ? shows the keys.",
                        "Enter で次へ (? でキー一覧)。"
                    )
                )?,
            }
        }
    }
    writeln!(out, "\n{}", run.scorecard().render(lang))?;
    let recorded = tr(lang, "Recorded as incident", "記録したインシデント:");
    let report = tr(lang, "Report", "報告書");
    writeln!(
        out,
        "{recorded} {id}. {report}: cairn export {id} --format aar",
        id = rec.id
    )?;
    Ok(ExitCode::SUCCESS)
}

fn show_injects(
    out: &mut impl Write,
    rec: &mut Recorder,
    released: Vec<(&crate::scenario::Inject, crate::store::event::EventKind)>,
    lang: &str,
) -> anyhow::Result<()> {
    for (inject, event) in released {
        writeln!(out, "\n>>> {}\n", text(&inject.message, lang))?;
        rec.record(vec![event])?;
    }
    Ok(())
}
