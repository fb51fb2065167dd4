//! The frame around every screen: the incident header, the status line,
//! and popups with the confirm dialog drawn in one (the footer's key hints
//! are in `footer`).
//! Apart from the screen dispatch in `ui` because every screen shares these
//! and their layout rules (narrow footers keep help and quit) are their own.

use ratatui::Frame;
use ratatui::layout::{Constraint, Layout, Rect};
use ratatui::style::{Modifier, Style};
use ratatui::text::{Line, Span};
use ratatui::widgets::{Clear, Paragraph};

use super::Scene;
use super::i18n::{self, S, t};
use super::theme::Theme;
use super::{bold, bordered, exercise, lookups, safe, wrap};
use crate::app::{Action, ConfirmDialog, Context, Incident, Notice};

/// The header of every incident screen: who, what, where, how long, and
/// whether it is real.
pub fn draw_header(frame: &mut Frame, area: Rect, state: &Scene, inc: &Incident) -> Rect {
    let th = &state.theme;
    let lang = inc.language();
    let [line1, line2, rest] = Layout::vertical([
        Constraint::Length(1),
        Constraint::Length(1),
        Constraint::Min(0),
    ])
    .areas(area);
    let mode_badge = i18n::mode_badge(lang, inc.meta.mode);
    let badge_style = match inc.meta.mode {
        crate::store::event::Mode::Live => th.badge_live,
        _ => th.badge_practice,
    };
    let closed_badge;
    let badge = if inc.walk.closed.is_some() {
        closed_badge = format!("{} {mode_badge}", i18n::closed_badge(lang));
        closed_badge.as_str()
    } else {
        mode_badge
    };
    let width = area.width as usize;
    let left_room = width.saturating_sub(wrap::width(badge) + 1);
    let left = wrap::cut(
        &format!("{}  {}", safe(&inc.meta.id), safe(&inc.meta.title)),
        left_room,
    );
    let pad = width.saturating_sub(wrap::width(&left) + wrap::width(badge));
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(left, th.title),
            Span::raw(" ".repeat(pad)),
            Span::styled(badge, badge_style),
        ])),
        line1,
    );
    let node = inc.tree.node(inc.current_node_id());
    let phase = node.map(|n| n.phase.label(lang)).unwrap_or("");
    let elapsed = elapsed(state.now - inc.meta.created_at);
    let info = exercise::header_info(state, inc).unwrap_or_else(|| {
        format!(
            "{} | {} | {} {}",
            safe(inc.tree.title.get(lang)),
            phase,
            t(lang, S::Elapsed),
            elapsed
        )
    });
    // Proposals waiting for a second person, where the responder looks.
    let waiting = crate::app::approval::pending(&inc.walk, state.now);
    let info = if waiting > 0 {
        let badge = crate::text::lang::Lang::of(lang).fill(
            "approval",
            crate::app::approval::AW::HeaderPending.key(),
            &[("n", &waiting.to_string())],
        );
        format!("{info} | {badge}")
    } else {
        info
    };
    // The Sentinel push, right-aligned on the second line: the info is cut
    // first (to 24 columns at least), so a failure's reason stays readable.
    let push = crate::app::push::badge(state).map(|b| push_badge(lang, b));
    let push = push
        .map(|p| wrap::cut(&p, width.saturating_sub(24)))
        .unwrap_or_default();
    let push_style = match crate::app::push::badge(state) {
        Some(crate::app::push::Badge::Failing { .. }) => th.badge_live,
        _ => th.muted,
    };
    let info = wrap::cut(&info, width.saturating_sub(wrap::width(&push) + 1));
    let pad = width.saturating_sub(wrap::width(&info) + wrap::width(&push));
    frame.render_widget(
        Paragraph::new(Line::from(vec![
            Span::styled(info, th.muted),
            Span::raw(" ".repeat(pad)),
            Span::styled(push, push_style),
        ])),
        line2,
    );
    rest
}

/// `synced`, `12 pending`, `failing: why` (why may quote remote text: made safe).
fn push_badge(lang: &str, badge: &crate::app::push::Badge) -> String {
    use crate::app::push::Badge;
    match badge {
        Badge::Synced => format!("Sentinel {}", t(lang, S::Synced)),
        Badge::Pending(n) => format!("Sentinel {n} {}", t(lang, S::Pending)),
        // The reason first: the pending count is what the screen shows
        // once it works again.
        Badge::Failing { why, .. } => format!("Sentinel {}: {}", t(lang, S::Failing), safe(why)),
    }
}

/// `1d 02h`, `3h 05m`, `12m`: minutes are enough for a responder.
pub fn elapsed(d: chrono::TimeDelta) -> String {
    let mins = d.num_minutes().max(0);
    let (days, hours, m) = (mins / 1440, (mins / 60) % 24, mins % 60);
    if days > 0 {
        format!("{days}d {hours:02}h")
    } else if hours > 0 {
        format!("{hours}h {m:02}m")
    } else {
        format!("{m}m")
    }
}

pub(super) fn draw_status(frame: &mut Frame, area: Rect, state: &Scene) {
    let th = &state.theme;
    let lang = state.language();
    // Errors in reverse video too, so they stand out without colour.
    let alarm = th.error.add_modifier(Modifier::REVERSED);
    let (text, style) = match &state.notice {
        Some(Notice::Copied) => (t(lang, S::Copied).to_string(), Style::new()),
        Some(Notice::CopyUnconfirmed { via, file }) => (
            i18n::copy_unconfirmed(
                lang,
                via,
                file.as_ref()
                    .map(|p| safe(p).into_owned())
                    .map_err(|e| safe(e).into_owned()),
            ),
            Style::new(),
        ),
        Some(Notice::WriteFailed(e)) => (format!("{} {}", t(lang, S::WriteFailed), safe(e)), alarm),
        Some(Notice::Unwitnessed(e)) => (format!("{} {}", t(lang, S::Unwitnessed), safe(e)), alarm),
        Some(Notice::LoadFailed(e)) => (format!("{} {}", t(lang, S::LoadFailed), safe(e)), alarm),
        Some(Notice::Invalid(e)) => (format!("{} {}", t(lang, S::Invalid), safe(e)), alarm),
        Some(Notice::EvidenceMarked(Some(seq))) => (
            crate::text::lang::Lang::of(lang).fill(
                "message",
                "evidence-marked",
                &[("seq", &seq.to_string())],
            ),
            Style::new(),
        ),
        Some(Notice::EvidenceMarked(None)) => (
            crate::text::lang::Lang::of(lang)
                .text("message", "evidence-not-recorded")
                .to_string(),
            alarm,
        ),
        Some(Notice::Attached(name)) => (
            crate::text::lang::Lang::of(lang).fill(
                "message",
                "attached-sentinel",
                &[("name", &safe(name))],
            ),
            Style::new(),
        ),
        Some(Notice::NothingToCopy) => (t(lang, S::NothingToCopy).to_string(), Style::new()),
        Some(Notice::NoPreviousNode) => (t(lang, S::NoPreviousNode).to_string(), Style::new()),
        Some(Notice::SavingInProgress) => (t(lang, S::StillSaving).to_string(), Style::new()),
        Some(Notice::JumpNeedsReason) => (t(lang, S::JumpNeedsReason).to_string(), alarm),
        Some(Notice::Changed { actor, at }) => {
            (changed_by(lang, S::ChangedBy, actor, at), Style::new())
        }
        Some(Notice::Refused { actor, at }) => {
            (changed_by(lang, S::RefusedChangedBy, actor, at), alarm)
        }
        Some(Notice::PasteIgnored) => (t(lang, S::PasteIgnored).to_string(), Style::new()),
        Some(Notice::NoTrees) => (t(lang, S::NoTrees).to_string(), alarm),
        Some(Notice::ReadOnly) => {
            let key = state
                .keymap
                .keys_for(Context::Node, Action::Reopen)
                .into_iter()
                .next()
                .map(|k| k.to_string())
                .unwrap_or_default();
            (i18n::read_only(lang, &key), alarm)
        }
        Some(Notice::TickKeys) => {
            let keys: Vec<String> = state
                .keymap
                .keys_for(Context::Node, Action::Toggle)
                .iter()
                .map(|k| k.to_string())
                .collect();
            (i18n::tick_keys(lang, &keys.join(" / ")), Style::new())
        }
        Some(Notice::Lookups(n)) => match lookups::notice_text(lang, n) {
            (text, true) => (text, alarm),
            (text, false) => (text, Style::new()),
        },
        Some(Notice::Exercise(crate::app::exercise::ExerciseNotice::InjectArrived)) => {
            (exercise::inject_arrived(state, lang), th.strong)
        }
        Some(Notice::Exercise(n)) => (exercise::notice_text(lang, *n), Style::new()),
        None if !state.pending.is_empty() => (t(lang, S::Saving).to_string(), th.muted),
        None if state.loading => (t(lang, S::Loading).to_string(), th.muted),
        None => match state.store_read_only {
            Some(why) => (i18n::store_read_only(lang, why).to_string(), alarm),
            None => (String::new(), Style::new()),
        },
    };
    let text = wrap::cut(&text, area.width as usize);
    frame.render_widget(Paragraph::new(Line::styled(text, style)), area);
}

/// A centred box over `area`, cleared first.
pub fn popup(frame: &mut Frame, area: Rect, width: u16, height: u16, title: &str) -> Rect {
    let w = width.min(area.width);
    let h = height.min(area.height);
    let rect = Rect {
        x: area.x + (area.width - w) / 2,
        y: area.y + (area.height - h) / 2,
        width: w,
        height: h,
    };
    frame.render_widget(Clear, rect);
    // A wide character just left of the box would spill into its border.
    if rect.x > 0 {
        let buf = frame.buffer_mut();
        for y in rect.y..rect.y + rect.height {
            let cell = &mut buf[(rect.x - 1, y)];
            if wrap::width(cell.symbol()) > 1 {
                cell.set_symbol(" ");
            }
        }
    }
    let block = bordered().title(Span::styled(format!(" {title} "), bold()));
    let inner = block.inner(rect);
    frame.render_widget(block, rect);
    inner
}

pub(super) fn draw_dialog(
    th: &Theme,
    frame: &mut Frame,
    area: Rect,
    lang: &str,
    dialog: &ConfirmDialog,
) {
    let question = match dialog {
        ConfirmDialog::LeaveWithOpenItems { open, .. } => i18n::leave_open_items(lang, *open),
        ConfirmDialog::DiscardNote => t(lang, S::DiscardNote).to_string(),
        ConfirmDialog::DiscardReason => t(lang, S::DiscardReason).to_string(),
        ConfirmDialog::Quit(stake) => i18n::quit_question(lang, stake),
        ConfirmDialog::Reopen => i18n::reopen_question(lang).to_string(),
        ConfirmDialog::EndExercise => exercise::end_question(lang).to_string(),
        ConfirmDialog::JumpToOutcome => t(lang, S::JumpToOutcome).to_string(),
        ConfirmDialog::TeammateChose {
            author, choice, at, ..
        } => i18n::teammate_chose(lang, &safe(author), &safe(choice), at.as_ref(), true),
        ConfirmDialog::CloseAtOutcome => crate::text::lang::Lang::of(lang)
            .text("home", "close-at-outcome")
            .to_string(),
    };
    let inner_width = 50usize;
    let mut lines: Vec<Line> = wrap::wrap(&question, inner_width)
        .into_iter()
        .map(Line::from)
        .collect();
    lines.push(Line::default());
    lines.push(Line::styled(t(lang, S::YesNo), th.strong));
    let inner = popup(
        frame,
        area,
        inner_width as u16 + 4,
        lines.len() as u16 + 2,
        t(lang, S::Confirm),
    );
    let inner = Rect {
        x: inner.x + 1,
        width: inner.width.saturating_sub(2),
        ..inner
    };
    frame.render_widget(Paragraph::new(lines), inner);
}

/// "<lead> <actor> at <time>": who changed the incident, and when.
fn changed_by(lang: &str, lead: S, actor: &str, at: &chrono::DateTime<chrono::Utc>) -> String {
    format!(
        "{} {} {} {}",
        t(lang, lead),
        safe(actor),
        t(lang, S::ChangedAt),
        at.format("%H:%M:%S UTC")
    )
}

#[cfg(test)]
mod tests {
    use crate::app::Msg;
    use crate::app::fixture::Harness;
    use crate::app::push::Badge;
    use crate::store::event::{EventKind, Mode};

    fn attached(mode: Mode) -> Harness {
        let mut h = Harness::reopened(vec![
            EventKind::attached_stand_in("inc-1"),
            EventKind::NodeEntered {
                node: "triage".into(),
            },
        ]);
        h.state.incident.as_mut().unwrap().meta.mode = mode;
        h
    }

    fn second_line(h: &Harness) -> String {
        let screen = crate::test_app::render(&h.state, 80, 24);
        screen.lines().nth(1).unwrap().to_string()
    }

    #[test]
    fn the_header_shows_the_sentinel_push_at_80_columns() {
        let mut h = attached(Mode::Live);
        assert!(!second_line(&h).contains("Sentinel"), "nothing said yet");
        for (badge, shown) in [
            (Badge::Pending(12), "Sentinel 12 pending"),
            (Badge::Synced, "Sentinel synced"),
            (
                Badge::Failing {
                    pending: 3,
                    why: "throttled by Sentinel (HTTP 429)\u{1b}[2J; asked to wait 30 s".into(),
                },
                "Sentinel failing: throttled by Sentinel (HTTP 429)",
            ),
        ] {
            h.send(Msg::Pushed {
                incident: "INC-1".into(),
                badge,
            });
            let line = second_line(&h);
            assert!(line.contains(shown), "{line}");
            assert!(!line.contains('\u{1b}'), "{line}");
            assert!(line.starts_with("Mini playbook"), "{line}");
        }
        // A report about another incident, or for practice, shows nothing.
        let mut other = attached(Mode::Live);
        other.send(Msg::Pushed {
            incident: "INC-2".into(),
            badge: Badge::Synced,
        });
        assert!(!second_line(&other).contains("Sentinel"));
        let mut practice = attached(Mode::Practice);
        practice.send(Msg::Pushed {
            incident: "INC-1".into(),
            badge: Badge::Synced,
        });
        assert!(!second_line(&practice).contains("Sentinel"));
    }
}
