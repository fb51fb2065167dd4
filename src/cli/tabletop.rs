//! `cairn tabletop [SCENARIO]`: a facilitator's console in line mode. The
//! story, injects on their timers, at their nodes or by hand, the team's
//! decisions with reasons, quick notes, timers, and simulated actions; the
//! session is a tabletop incident, and `cairn export ID --format aar`
//! writes its after-action report.

use std::io::Write;
use std::path::Path;
use std::process::ExitCode;
use std::sync::mpsc::{Receiver, RecvTimeoutError, channel};
use std::time::Duration;

use anyhow::Context;

use super::practice::{
    Recorder, choice_by_number, known_trees, pick_scenario, read_line, show_node, text, tr,
};
use super::practice_lookups::PracticeLookups;
use crate::scenario::duration::format_offset;
use crate::scenario::tabletop::Update;
use crate::scenario::{Clock, SystemClock, Tabletop};
use crate::store::event::{Mode, NoteTag};
use crate::text::{Medium, visible};
use crate::tree::{NodeKind, Tree};

const HELP: &str =
    "Keys: a number records the team's choice (then its reason), Enter continues a step,
r releases the next inject, s/i/n TEXT notes a strength/improvement/note,
l N runs the node's Nth lookup (recorded data), set NAME VALUE sets a variable,
v lists them, a ACTION simulates an action, t shows the timers, q ends.";
const HELP_JA: &str = "キー: 番号でチームの選択を記録 (続けて理由)、Enter で次のステップへ、
r で次のインジェクトを投入、s/i/n テキスト で良かった点/改善点/メモ、
l N でノードの N 番目のルックアップ (記録データ)、set 名前 値 で変数を設定、
v で一覧、a アクション で模擬実行、t でタイマー、q で終了。";

pub fn run(
    data_dir: Option<&Path>,
    scenario: Option<&str>,
    lang: &str,
) -> anyhow::Result<ExitCode> {
    let (tx, rx) = channel();
    // Lines arrive on a thread so injects are released on time while the
    // room is talking.
    std::thread::spawn(move || {
        let stdin = std::io::stdin();
        let mut input = stdin.lock();
        while let Ok(Some(line)) = read_line(&mut input) {
            if tx.send(line).is_err() {
                break;
            }
        }
    });
    let mut out = std::io::stdout().lock();
    session(data_dir, scenario, lang, &rx, &mut out, &SystemClock)
}

fn show_update(out: &mut impl Write, update: &Update<'_>, lang: &str) -> std::io::Result<()> {
    for inject in &update.injects {
        writeln!(
            out,
            "\n>>> INJECT [{}]: {}\n",
            visible(&inject.id, Medium::Cli),
            text(&inject.message, lang)
        )?;
    }
    Ok(())
}

pub fn session(
    data_dir: Option<&Path>,
    requested: Option<&str>,
    lang: &str,
    lines: &Receiver<String>,
    out: &mut impl Write,
    clock: &dyn Clock,
) -> anyhow::Result<ExitCode> {
    let trees = known_trees();
    let refs: Vec<&Tree> = trees.iter().map(|(t, _)| t).collect();
    let scenario = pick_scenario(requested, &refs, &mut || lines.recv().ok(), out, lang)?;
    let (tree, source) = trees
        .iter()
        .find(|(t, _)| t.id.value == scenario.tree.value)
        .context("the scenario's tree is not available")?;
    let title = super::practice::run_title(Mode::Tabletop, &scenario, lang);
    let mut rec = Recorder::create(data_dir, title, tree, source, lang, Mode::Tabletop)?;
    let (mut t, opening) = Tabletop::start(tree, &scenario, clock)?;
    rec.record(opening.events.clone())?;

    writeln!(
        out,
        "\n# {}\n\n{}\n\n{}",
        text(&scenario.title, lang),
        text(&scenario.story, lang),
        tr(lang, HELP, HELP_JA)
    )?;
    show_update(out, &opening, lang)?;
    show_node(out, t.current(), lang)?;
    let mut lookups = PracticeLookups::new(&scenario, lang);
    loop {
        let line = match lines.recv_timeout(Duration::from_millis(500)) {
            Ok(line) => Some(line),
            Err(RecvTimeoutError::Timeout) => None,
            Err(RecvTimeoutError::Disconnected) => break,
        };
        let due = t.tick();
        show_update(out, &due, lang)?;
        rec.record(due.events)?;
        let Some(line) = line else { continue };
        let line = line.trim();
        let node = t.current();
        let (command, rest) = line.split_once(' ').unwrap_or((line, ""));
        match command {
            "q" => break,
            "?" => writeln!(out, "{}", tr(lang, HELP, HELP_JA))?,
            "r" => {
                let u = t.release_next();
                if u.injects.is_empty() {
                    writeln!(
                        out,
                        "{}",
                        tr(
                            lang,
                            "No inject left in the queue.",
                            "キューに残っているインジェクトはありません。"
                        )
                    )?;
                }
                show_update(out, &u, lang)?;
                rec.record(u.events)?;
            }
            "s" | "i" | "n" if !rest.trim().is_empty() => {
                let tag = match command {
                    "s" => NoteTag::Strength,
                    "i" => NoteTag::Improvement,
                    _ => NoteTag::Note,
                };
                rec.record(vec![t.note(tag, rest)?])?;
                writeln!(out, "{}", tr(lang, "Noted.", "記録しました。"))?;
            }
            "t" => timers(out, &t, lang)?,
            "l" => lookups.run(out, &mut rec, tree, node, rest, Some(t.queue()))?,
            "set" => lookups.set(out, &mut rec, tree, rest)?,
            "v" => lookups.show_values(out)?,
            "a" => simulate(out, &mut rec, &t, rest.trim(), lines)?,
            "" if matches!(node.kind, NodeKind::Step { .. }) => {
                let u = t.advance()?;
                rec.record(u.events.clone())?;
                show_update(out, &u, lang)?;
                show_node(out, t.current(), lang)?;
            }
            typed => match choice_by_number(node, typed) {
                Some(choice) => {
                    write!(out, "{}> ", tr(lang, "reason", "理由"))?;
                    out.flush()?;
                    let reason = lines.recv().unwrap_or_default();
                    let u = t.choose(&choice, Some(&reason))?;
                    rec.record(u.events.clone())?;
                    show_update(out, &u, lang)?;
                    show_node(out, t.current(), lang)?;
                }
                None => writeln!(
                    out,
                    "{}",
                    tr(
                        lang,
                        "Unknown command; ? shows the keys.",
                        "不明なコマンド (? でキー一覧)。"
                    )
                )?,
            },
        }
        if t.is_finished() {
            writeln!(
                out,
                "\n{}",
                tr(
                    lang,
                    "The walk has reached an outcome; notes can still be added, q ends.",
                    "結果に到達しました。メモは引き続き追加でき、q で終了します。"
                )
            )?;
        }
    }
    writeln!(
        out,
        "\n{} {id} ({}). {}: cairn export {id} --format aar",
        tr(
            lang,
            "Exercise recorded as incident",
            "演習を記録したインシデント:"
        ),
        format_offset(t.elapsed()),
        tr(lang, "Report", "報告書"),
        id = rec.id
    )?;
    Ok(ExitCode::SUCCESS)
}

fn timers(out: &mut impl Write, t: &Tabletop<'_>, lang: &str) -> std::io::Result<()> {
    writeln!(
        out,
        "{}: {}",
        tr(lang, "Elapsed", "経過時間"),
        format_offset(t.elapsed())
    )?;
    for (phase, spent) in t.phase_times() {
        writeln!(out, "  {}: {}", phase.label(lang), format_offset(spent))?;
    }
    match t.queue().next_timed(t.elapsed()) {
        Some((inject, wait)) => writeln!(
            out,
            "{}: {} ({})",
            tr(lang, "Next timed inject", "次の時刻指定インジェクト"),
            visible(&inject.id, Medium::Cli),
            format_offset(wait)
        )?,
        None => writeln!(
            out,
            "{}",
            tr(
                lang,
                "No timed inject pending.",
                "時刻指定のインジェクトは残っていません。"
            )
        )?,
    }
    writeln!(
        out,
        "{}: {}",
        tr(lang, "Pending injects", "未投入のインジェクト"),
        t.queue().pending().count()
    )
}

/// Records an action as simulated: nothing is ever sent from a tabletop.
fn simulate(
    out: &mut impl Write,
    rec: &mut Recorder,
    t: &Tabletop<'_>,
    action: &str,
    lines: &Receiver<String>,
) -> anyhow::Result<()> {
    let Some(a) = t.current().actions.iter().find(|a| a.id.value == action) else {
        writeln!(
            out,
            "No action '{}' at this node.",
            visible(action, Medium::Cli)
        )?;
        return Ok(());
    };
    let mut confirmation = String::new();
    if a.destructive {
        let what = a
            .confirm
            .as_ref()
            .map_or(a.id.value.as_str(), |c| c.value.as_str());
        write!(
            out,
            "Destructive: type the value of '{}' to confirm> ",
            visible(what, Medium::Cli)
        )?;
        out.flush()?;
        confirmation = lines.recv().unwrap_or_default();
    }
    match t.simulate_action(action, &confirmation) {
        Ok(intent) => {
            let seq = rec.record(vec![intent])?;
            rec.record(vec![Tabletop::simulated_outcome(seq)])?;
            writeln!(
                out,
                "Simulated {} {}: nothing was sent.",
                a.method.name(),
                visible(&a.path, Medium::Cli)
            )?;
        }
        Err(e) => writeln!(out, "Not recorded: {e}")?,
    }
    Ok(())
}
