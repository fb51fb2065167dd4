//! The screens' own words. The labels (S) and action names are read from
//! the message catalogues (`assets/i18n/<lang>.toml`); tree text comes from
//! the tree.

use crate::app::{Action, Context};
use crate::store::event::Mode;
use crate::text::lang::{Lang, message_keys, msg_key};
use crate::tree::OutcomeStatus;

/// The catalogues' table of whole messages.
const MSG: &str = "message";

message_keys! {
    /// A label of the screen chrome: its key in the catalogues' `[screen]`.
    S in "screen" {
        AppTitle,
        NewIncident,
        PracticeIncident,
        Loading,
        Tree,
        Title,
        Language,
        Required,
        Checklist,
        Lookups,
        Actions,
        Choices,
        ContinueTo,
        Outcome,
        Notes,
        References,
        Path,
        Elapsed,
        Saving,
        Synced,
        Pending,
        Failing,
        Destructive,
        Window,
        LookFor,
        Map,
        YouAreHere,
        Visited,
        Search,
        SearchHint,
        NoMatches,
        Help,
        KeysHere,
        KeysEverywhere,
        Query,
        Provider,
        Method,
        Description,
        NotRunHere,
        NoteOn,
        IncidentNote,
        ReasonFor,
        ReasonHint,
        Variables,
        Unset,
        Type,
        DiscardNote,
        DiscardReason,
        JumpTo,
        JumpFrom,
        JumpNotDecision,
        JumpReason,
        JumpNeedsReason,
        JumpToOutcome,
        YesNo,
        Copied,
        WriteFailed,
        Unwitnessed,
        LoadFailed,
        Invalid,
        NothingToCopy,
        NoPreviousNode,
        StillSaving,
        ChangedBy,
        ChangedAt,
        RefusedChangedBy,
        PasteIgnored,
        NoTrees,
        TooSmall,
        NoteHint,
        IncidentNoteHint,
        IncidentTag,
        Confirm,
    }
}

pub fn t(lang: impl Into<Lang>, s: S) -> &'static str {
    s.text(lang.into())
}

/// A copy through tmux/screen, which may not reach the clipboard.
pub fn copy_unconfirmed(lang: &str, via: &str, file: Result<String, String>) -> String {
    let lang = Lang::of(lang);
    match file {
        Ok(path) => lang.fill(
            MSG,
            "copy-unconfirmed-file",
            &[("via", via), ("path", &path)],
        ),
        Err(e) => lang.fill(
            MSG,
            "copy-unconfirmed-no-file",
            &[("via", via), ("error", &e)],
        ),
    }
}

/// The question before quitting with something at stake.
pub fn quit_question(lang: &str, stake: &crate::app::quit::AtStake) -> String {
    let lang = Lang::of(lang);
    let mut parts = Vec::new();
    if stake.draft {
        parts.push(lang.text(MSG, "quit-draft").to_string());
    }
    if stake.lookups > 0 {
        parts.push(lang.fill(MSG, "quit-lookups", &[("n", &stake.lookups.to_string())]));
    }
    if stake.actions > 0 {
        parts.push(lang.fill(MSG, "quit-actions", &[("n", &stake.actions.to_string())]));
    }
    parts.push(lang.text(MSG, "quit-question").to_string());
    parts.join(" ")
}

/// An earlier affected user or device: "user 1", "device 2".
pub fn subject(lang: &str, scope: &str, n: usize) -> String {
    let key = if scope == "device" {
        "subject-device"
    } else {
        "subject-user"
    };
    Lang::of(lang).fill(MSG, key, &[("n", &n.to_string())])
}

/// The header's marker of a closed incident, before the mode badge.
pub fn closed_badge(lang: &str) -> &'static str {
    Lang::of(lang).text(MSG, "closed-badge")
}

/// Why a key did nothing on a closed incident, and how to reopen it.
pub fn read_only(lang: &str, key: &str) -> String {
    Lang::of(lang).fill(MSG, "read-only", &[("key", key)])
}

/// Enter on a checklist item, which only the tick keys change.
pub fn tick_keys(lang: &str, keys: &str) -> String {
    Lang::of(lang).fill(MSG, "tick-keys", &[("keys", keys)])
}

/// The banner of a store opened for reading only.
pub fn store_read_only(lang: &str, why: crate::store::ReadOnlyWhy) -> &'static str {
    let key = match why {
        crate::store::ReadOnlyWhy::DiskFull => msg_key!("message", "read-only-disk-full"),
        crate::store::ReadOnlyWhy::NotWritable => msg_key!("message", "read-only-not-writable"),
    };
    Lang::of(lang).text(MSG, key)
}

pub fn reopen_question(lang: &str) -> &'static str {
    Lang::of(lang).text(MSG, "reopen-question")
}

/// A teammate's recorded choice at a node: `question` asks before a
/// different local one. `who` and `choice` must already be made visible.
pub fn teammate_chose(
    lang: &str,
    who: &str,
    choice: &str,
    at: Option<&chrono::DateTime<chrono::Utc>>,
    question: bool,
) -> String {
    let at = at.map_or("?".to_string(), |t| t.format("%H:%M UTC").to_string());
    let key = if question {
        "teammate-conflict"
    } else {
        "teammate-chose"
    };
    Lang::of(lang).fill(MSG, key, &[("who", who), ("choice", choice), ("at", &at)])
}

/// Required items still open when leaving a node.
pub fn leave_open_items(lang: &str, open: usize) -> String {
    Lang::of(lang).fill(MSG, "leave-open-items", &[("n", &open.to_string())])
}

/// The mode badge: text, so it reads the same without colour.
pub fn mode_badge(lang: &str, mode: Mode) -> &'static str {
    let key = match mode {
        Mode::Live => msg_key!("mode", "Live"),
        Mode::Practice => msg_key!("mode", "Practice"),
        Mode::Training => msg_key!("mode", "Training"),
        Mode::Tabletop => msg_key!("mode", "Tabletop"),
    };
    Lang::of(lang).text("mode", key)
}

pub fn outcome(lang: &str, status: OutcomeStatus) -> &'static str {
    let key = match status {
        OutcomeStatus::NoCompromise => msg_key!("outcome", "NoCompromise"),
        OutcomeStatus::Contained => msg_key!("outcome", "Contained"),
        OutcomeStatus::ContainedAndRecovered => msg_key!("outcome", "ContainedAndRecovered"),
        OutcomeStatus::Escalated => msg_key!("outcome", "Escalated"),
        OutcomeStatus::Inconclusive => msg_key!("outcome", "Inconclusive"),
    };
    Lang::of(lang).text("outcome", key)
}

/// What an action does on the screen of `ctx`: the few actions whose
/// meaning depends on the screen say what they do there.
pub fn action_label_in(lang: &str, ctx: Context, action: Action) -> &'static str {
    let key = match (ctx, action) {
        (Context::Results, Action::Left) => msg_key!("action", "results-left"),
        (Context::Results, Action::Right) => msg_key!("action", "results-right"),
        (Context::Results, Action::First) => msg_key!("action", "results-first"),
        (Context::Results, Action::Last) => msg_key!("action", "results-last"),
        (Context::Timeline, Action::Filter) => msg_key!("action", "timeline-filter"),
        // Enter records the jump (with its reason), not a text "save".
        (Context::Jump, Action::Save) => msg_key!("action", "jump-save"),
        (Context::CloseIncident, Action::Save) => msg_key!("action", "close-save"),
        _ => return action_label(lang, action),
    };
    Lang::of(lang).text("action", key)
}

/// What an action does, for key hints and the help screen: the action's
/// name in the catalogues' `[action]`.
pub fn action_label(lang: &str, action: Action) -> &'static str {
    Lang::of(lang).text("action", action.name())
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::ui::lookup_text::L;

    /// Every word the screens ask for is in the English catalogue, so no
    /// label ever shows as `?`.
    #[test]
    fn english_has_every_key_the_screens_use() {
        let en = Lang::EN;
        for s in S::ALL {
            assert!(en.has(S::TABLE, s.key()), "[screen] {}", s.key());
        }
        for l in L::ALL {
            assert!(en.has(L::TABLE, l.key()), "[lookup] {}", l.key());
        }
        for a in Action::ALL {
            assert!(en.has("action", a.name()), "[action] {}", a.name());
        }
        for p in crate::tree::Phase::ALL {
            assert!(en.has("phase", p.name()), "[phase] {}", p.name());
        }
        for m in [Mode::Live, Mode::Practice, Mode::Training, Mode::Tabletop] {
            assert_ne!(mode_badge("ja", m), "?");
        }
        assert_eq!(t("ja", S::Help), "ヘルプ");
        assert_eq!(
            t("fr", S::Help),
            "Help",
            "a language without a catalogue reads English"
        );
    }
}
