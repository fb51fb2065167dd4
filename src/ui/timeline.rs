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

/// A word of the timeline (the catalogues' `timeline` table).
fn pick(lang: &str, key: &str) -> &'static str {
    crate::text::lang::Lang::of(lang).text("timeline", key)
}

pub fn kind_label(lang: &str, kind: Option<Kind>) -> &'static str {
    match kind {
        None => pick(lang, "all"),
        Some(Kind::Decision) => pick(lang, "decisions"),
        Some(Kind::Note) => pick(lang, "notes"),
        Some(Kind::Lookup) => pick(lang, "lookups"),
        Some(Kind::Action) => pick(lang, "actions"),
        Some(Kind::Variable) => pick(lang, "values"),
    }
}

fn lookup_status(lang: &str, s: LookupStatus) -> &'static str {
    match s {
        LookupStatus::Succeeded => pick(lang, "succeeded"),
        LookupStatus::Partial => pick(lang, "partial"),
        LookupStatus::Failed => pick(lang, "failed"),
        LookupStatus::Cancelled => pick(lang, "cancelled"),
        LookupStatus::TimedOut => pick(lang, "timed-out"),
    }
}

fn action_status(lang: &str, s: ActionStatus) -> &'static str {
    match s {
        ActionStatus::Succeeded => pick(lang, "succeeded"),
        ActionStatus::Failed => pick(lang, "failed"),
        ActionStatus::Unknown => pick(lang, "unknown"),
        ActionStatus::Simulated => pick(lang, "simulated"),
        ActionStatus::Abandoned => pick(lang, "abandoned"),
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
                    pick(lang, "decided-at"),
                    node_title(tree, lang, from),
                    node_title(tree, lang, to)
                );
                if let Some(r) = reason.as_deref().filter(|r| !r.trim().is_empty()) {
                    s.push_str(&format!(" ({}: {r})", pick(lang, "reason")));
                }
                s
            }
            Via::Backtrack { from } => format!(
                "{} {} -> {}",
                pick(lang, "back-from"),
                node_title(tree, lang, from),
                node_title(tree, lang, to)
            ),
            Via::Jump { from, reason } => format!(
                "{} {} -> {} ({}: {reason})",
                pick(lang, "jumped-from"),
                node_title(tree, lang, from),
                node_title(tree, lang, to),
                pick(lang, "reason")
            ),
            Via::Entered => format!("{} {}", pick(lang, "entered"), node_title(tree, lang, to)),
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
            let amended = if *amended { pick(lang, "amended") } else { "" };
            format!("{} {place}{amended}: {text}", pick(lang, "note"))
        }
        What::Lookup {
            lookup,
            status,
            rows,
            message,
        } => {
            let title = tree
                .lookup(node, lookup)
                .map_or(lookup.as_str(), |l| l.title.get(lang));
            let mut s = format!(
                "{} {title}: {}",
                pick(lang, "lookup"),
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
                pick(lang, "simulated-mark")
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
                None => pick(lang, "no-outcome-recorded").to_string(),
            };
            format!(
                "{} {title}{sim} ({method} {path}) -> {result}",
                pick(lang, "action")
            )
        }
        What::Variable {
            name,
            value,
            source,
        } => {
            let from = match source {
                ValueSource::Typed => pick(lang, "typed"),
                ValueSource::Lookup { .. } => pick(lang, "from-a-lookup"),
                ValueSource::Scenario { .. } => pick(lang, "scenario"),
                ValueSource::Sentinel { .. } => pick(lang, "sentinel"),
            };
            format!("{name} = {value} ({from})")
        }
        What::SubjectFiled {
            scope,
            number,
            label,
        } => {
            let subject = super::i18n::subject(lang, scope, *number);
            match lang {
                "ja" => format!("{subject} ({label}) {}", pick(lang, "subject-filed")),
                _ => format!("{subject} ({label}): {}", pick(lang, "subject-filed")),
            }
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
        pick(lang, "timeline"),
        pick(lang, "kind"),
        kind_label(lang, view.kind),
        pick(lang, "node"),
        safe(node),
        entries.len()
    );
    let mut lines = vec![Line::styled(wrap::cut(&heading, width), th.strong)];
    if entries.is_empty() {
        lines.push(Line::from(pick(lang, "nothing-recorded-here-yet")));
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

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_timeline_words_are_in_every_catalogue() {
        let kinds = [
            None,
            Some(Kind::Decision),
            Some(Kind::Note),
            Some(Kind::Lookup),
            Some(Kind::Action),
            Some(Kind::Variable),
        ];
        for kind in kinds {
            let (en, ja) = (kind_label("en", kind), kind_label("ja", kind));
            assert!(en != "?" && ja != "?" && en != ja, "{kind:?}: {en} / {ja}");
        }
        assert_eq!(kind_label("en", Some(Kind::Variable)), "values");
        assert_eq!(action_status("ja", ActionStatus::Simulated), "模擬");
        assert_eq!(lookup_status("en", LookupStatus::TimedOut), "timed out");
    }
}
