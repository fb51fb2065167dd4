//! The timeline screen: one entry per recorded thing, newest at the bottom,
//! each a time, what it was and where, wrapped under its own text.

use ratatui::Frame;
use ratatui::layout::Rect;
use ratatui::text::Line;
use ratatui::widgets::Paragraph;

use super::Scene;
use super::i18n::{S, t};
use super::{draw_header, safe, scroll_to, wrap};
use crate::app::timeline::{Entry, Kind, TimelineView, What};
use crate::store::event::{ActionStatus, LookupStatus, ValueSource};
use crate::store::projection::Via;
use crate::tree::{NodeKind, Tree};

fn pick(lang: &str, en: &'static str, ja: &'static str) -> &'static str {
    if lang == "ja" { ja } else { en }
}

pub fn kind_label(lang: &str, kind: Option<Kind>) -> &'static str {
    match kind {
        None => pick(lang, "all", "すべて"),
        Some(Kind::Decision) => pick(lang, "decisions", "判断"),
        Some(Kind::Note) => pick(lang, "notes", "メモ"),
        Some(Kind::Lookup) => pick(lang, "lookups", "ルックアップ"),
        Some(Kind::Action) => pick(lang, "actions", "アクション"),
        Some(Kind::Variable) => pick(lang, "values", "変数"),
    }
}

fn lookup_status(lang: &str, s: LookupStatus) -> &'static str {
    match s {
        LookupStatus::Succeeded => pick(lang, "succeeded", "成功"),
        LookupStatus::Partial => pick(lang, "partial", "一部のみ"),
        LookupStatus::Failed => pick(lang, "failed", "失敗"),
        LookupStatus::Cancelled => pick(lang, "cancelled", "取消"),
        LookupStatus::TimedOut => pick(lang, "timed out", "タイムアウト"),
    }
}

fn action_status(lang: &str, s: ActionStatus) -> &'static str {
    match s {
        ActionStatus::Succeeded => pick(lang, "succeeded", "成功"),
        ActionStatus::Failed => pick(lang, "failed", "失敗"),
        ActionStatus::Unknown => pick(lang, "unknown", "不明"),
        ActionStatus::Simulated => pick(lang, "simulated", "模擬"),
        ActionStatus::Abandoned => pick(lang, "abandoned", "中止"),
    }
}

fn node_title<'a>(tree: &'a Tree, lang: &str, id: &'a str) -> &'a str {
    tree.node(id).map_or(id, |n| n.title.get(lang))
}

/// The entry in words, without its time.
pub fn describe(tree: &Tree, lang: &str, e: &Entry) -> String {
    let node = e.node.as_deref().unwrap_or("");
    match &e.what {
        What::Moved { to, via } => match via {
            Via::Choice {
                from,
                choice,
                reason,
            } => {
                let label = match tree.node(from).map(|n| &n.kind) {
                    Some(NodeKind::Decision { choices }) => choices
                        .iter()
                        .find(|c| c.id.value == *choice)
                        .map_or(choice.as_str(), |c| c.label.get(lang)),
                    _ => choice.as_str(),
                };
                let mut s = format!(
                    "{} {}: {label} -> {}",
                    pick(lang, "Decided at", "判断:"),
                    node_title(tree, lang, from),
                    node_title(tree, lang, to)
                );
                if let Some(r) = reason.as_deref().filter(|r| !r.trim().is_empty()) {
                    s.push_str(&format!(" ({}: {r})", pick(lang, "reason", "理由")));
                }
                s
            }
            Via::Backtrack { from } => format!(
                "{} {} -> {}",
                pick(lang, "Back from", "戻る:"),
                node_title(tree, lang, from),
                node_title(tree, lang, to)
            ),
            Via::Entered => format!(
                "{} {}",
                pick(lang, "Entered", "到達:"),
                node_title(tree, lang, to)
            ),
        },
        What::Note {
            text,
            amended,
            incident_wide,
        } => {
            let place = if *incident_wide {
                t(lang, S::IncidentTag).to_string()
            } else {
                format!("[{}]", node_title(tree, lang, node))
            };
            let amended = if *amended {
                pick(lang, " (amended)", " (修正済み)")
            } else {
                ""
            };
            format!("{} {place}{amended}: {text}", pick(lang, "Note", "メモ"))
        }
        What::Lookup {
            lookup,
            status,
            rows,
            message,
        } => {
            let title = tree
                .node(node)
                .and_then(|n| n.lookups.iter().find(|l| l.id.value == *lookup))
                .map_or(lookup.as_str(), |l| l.title.get(lang));
            let mut s = format!(
                "{} {title}: {}",
                pick(lang, "Lookup", "ルックアップ"),
                lookup_status(lang, *status)
            );
            if let Some(n) = rows {
                s.push_str(&format!(", {}", super::lookup_text::row_count(lang, *n)));
            }
            if let Some(m) = message {
                s.push_str(&format!(" - {m}"));
            }
            s
        }
        What::Action {
            action,
            method,
            path,
            simulated,
            outcome,
        } => {
            let title = tree
                .node(node)
                .and_then(|n| n.actions.iter().find(|a| a.id.value == *action))
                .map_or(action.as_str(), |a| a.title.get(lang));
            let sim = if *simulated {
                pick(lang, " (simulated)", " (模擬)")
            } else {
                ""
            };
            let result = match outcome {
                Some(o) => {
                    let http = o
                        .http_status
                        .map(|h| format!(" HTTP {h}"))
                        .unwrap_or_default();
                    let detail = o
                        .detail
                        .as_deref()
                        .map(|d| format!(": {d}"))
                        .unwrap_or_default();
                    format!("{}{http}{detail}", action_status(lang, o.status))
                }
                None => pick(lang, "no outcome recorded", "結果の記録なし").to_string(),
            };
            format!(
                "{} {title}{sim} ({method} {path}) -> {result}",
                pick(lang, "Action", "アクション")
            )
        }
        What::Variable {
            name,
            value,
            source,
        } => {
            let from = match source {
                ValueSource::Typed => pick(lang, "typed", "入力"),
                ValueSource::Lookup { .. } => pick(lang, "from a lookup", "ルックアップから"),
                ValueSource::Scenario { .. } => pick(lang, "scenario", "シナリオ"),
                ValueSource::Sentinel { .. } => pick(lang, "Sentinel", "Sentinel"),
            };
            format!("{name} = {value} ({from})")
        }
    }
}

pub fn draw(frame: &mut Frame, area: Rect, state: &Scene, view: &TimelineView) {
    let th = &state.theme;
    let Some(inc) = &state.incident else { return };
    let area = draw_header(frame, area, state, inc);
    let lang = inc.language();
    let width = area.width as usize;
    let entries = view.filtered(&inc.walk);
    let node = view
        .node
        .as_deref()
        .map_or(kind_label(lang, None), |n| node_title(&inc.tree, lang, n));
    let heading = format!(
        "{} - {}: {}  {}: {}  ({})",
        pick(lang, "Timeline", "タイムライン"),
        pick(lang, "kind", "種類"),
        kind_label(lang, view.kind),
        pick(lang, "node", "ノード"),
        safe(node),
        entries.len()
    );
    let mut lines = vec![Line::styled(wrap::cut(&heading, width), th.strong)];
    if entries.is_empty() {
        lines.push(Line::from(pick(
            lang,
            "Nothing recorded here yet.",
            "まだ記録はない。",
        )));
    }
    let creator = inc.walk.created.as_ref().map(|c| &c.stamp.actor);
    let cursor = view.cursor.min(entries.len().saturating_sub(1));
    let mut focus = 0;
    for (i, e) in entries.iter().enumerate() {
        let is_sel = i == cursor;
        // Another responder's entries say who (synced or shared store).
        let by = match creator {
            Some(c) if *c != e.actor => format!(" ({})", e.actor.label()),
            _ => String::new(),
        };
        let text = format!("{}{by}", describe(&inc.tree, lang, e));
        let head = format!("{} ", e.at.format("%H:%M"));
        let room = width.saturating_sub(2 + head.len()).max(1);
        for (n, l) in wrap::wrap(&safe(&text), room).into_iter().enumerate() {
            let line = match (n, is_sel) {
                (0, true) => format!("> {head}{l}"),
                (0, false) => format!("  {head}{l}"),
                _ => format!("  {}{l}", " ".repeat(head.len())),
            };
            lines.push(super::item_line(line, is_sel, th));
            if is_sel {
                focus = lines.len() - 1;
            }
        }
    }
    let scroll = scroll_to(focus, area.height as usize, 0);
    frame.render_widget(Paragraph::new(lines).scroll((scroll as u16, 0)), area);
}
