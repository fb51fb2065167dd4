//! The screens' own words in English and Japanese. Tree text comes from the
//! tree; these are only the labels around it.

use crate::app::{Action, Context};
use crate::store::event::Mode;
use crate::tree::OutcomeStatus;

/// A label of the screen chrome.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum S {
    AppTitle,
    OpenIncidents,
    NoOpenIncidents,
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
    Value,
    DiscardNote,
    DiscardReason,
    YesNo,
    Copied,
    WriteFailed,
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
    Body,
    Confirm,
}

pub fn t(lang: &str, s: S) -> &'static str {
    let (en, ja) = match s {
        S::AppTitle => ("Cairn - incident response", "Cairn - インシデント対応"),
        S::OpenIncidents => ("Open incidents", "対応中のインシデント"),
        S::NoOpenIncidents => ("No open incidents.", "対応中のインシデントはありません。"),
        S::NewIncident => ("New incident", "新しいインシデント"),
        S::PracticeIncident => (
            "Practice incident (token theft, nothing is sent)",
            "練習インシデント (トークン盗難、何も送信しない)",
        ),
        S::Loading => ("Loading...", "読み込み中..."),
        S::Tree => ("Tree", "ツリー"),
        S::Title => ("Title", "タイトル"),
        S::Language => ("Language", "言語"),
        S::Required => ("(required)", "(必須)"),
        S::Checklist => ("Checklist", "チェックリスト"),
        S::Lookups => ("Lookups", "ルックアップ"),
        S::Actions => ("Actions", "アクション"),
        S::Choices => ("Choices", "選択肢"),
        S::ContinueTo => ("Continue to", "次へ"),
        S::Outcome => ("Outcome", "結果"),
        S::Notes => ("Notes", "メモ"),
        S::References => ("References", "参考資料"),
        S::Path => ("Path", "経路"),
        S::Elapsed => ("elapsed", "経過"),
        S::Saving => ("saving...", "保存中..."),
        S::Destructive => ("DESTRUCTIVE", "破壊的"),
        S::Window => ("window", "期間"),
        S::LookFor => ("Look for", "確認点"),
        S::Map => ("Map", "マップ"),
        S::YouAreHere => ("you are here", "現在地"),
        S::Visited => ("visited", "訪問済み"),
        S::Search => ("Search", "検索"),
        S::SearchHint => (
            "Type to search node titles and text (English and Japanese).",
            "ノードのタイトルと本文を検索 (英語と日本語)。",
        ),
        S::NoMatches => ("No matches.", "一致なし。"),
        S::Help => ("Help", "ヘルプ"),
        S::KeysHere => ("Keys on this screen", "この画面のキー"),
        S::KeysEverywhere => ("Keys everywhere", "全画面共通のキー"),
        S::Query => ("Query", "クエリ"),
        S::Provider => ("Provider", "プロバイダー"),
        S::Method => ("Method", "メソッド"),
        S::Description => ("Description", "説明"),
        S::NotRunHere => (
            "Shown with the incident's values, escaped as it is sent; copy it with the copy key, run it from the node screen.",
            "インシデントの値で、送信されるとおりにエスケープして表示。コピーキーでコピー、ノード画面で実行できる。",
        ),
        S::NoteOn => ("Note on", "メモ:"),
        S::IncidentNote => ("Incident note", "インシデントのメモ"),
        S::ReasonFor => ("Reason for", "理由:"),
        S::ReasonHint => (
            "Optional; saved with the choice.",
            "任意。選択と一緒に記録される。",
        ),
        S::Variables => ("Variables", "変数"),
        S::Unset => ("(unset)", "(未設定)"),
        S::Type => ("type", "型"),
        S::Value => ("Value", "値"),
        S::DiscardNote => (
            "Discard the unsaved note?",
            "保存していないメモを破棄しますか?",
        ),
        S::DiscardReason => ("Discard the typed reason?", "入力した理由を破棄しますか?"),
        S::YesNo => ("y: yes   n: no", "y: はい   n: いいえ"),
        S::Copied => (
            "Copied to your clipboard (OSC 52).",
            "クリップボードにコピーした (OSC 52)。",
        ),
        S::WriteFailed => (
            "NOT SAVED - your text is kept, try again:",
            "保存されていない - 入力は残っています。再試行してください:",
        ),
        S::LoadFailed => ("Could not load:", "読み込めない:"),
        S::Invalid => ("Invalid:", "無効:"),
        S::NothingToCopy => ("Nothing to copy here.", "ここにはコピーするものがない。"),
        S::NoPreviousNode => ("No earlier node on the path.", "経路に前のノードがない。"),
        S::StillSaving => (
            "Still saving - one moment.",
            "保存中 - 少し待ってください。",
        ),
        S::ChangedBy => ("Changed by", "変更者:"),
        S::RefusedChangedBy => (
            "NOT SAVED (text kept) - changed by",
            "保存されていない (入力は残っています) - 変更者:",
        ),
        S::ChangedAt => ("at", "時刻"),
        S::PasteIgnored => (
            "Paste ignored: no text field here.",
            "貼り付けは無視した: ここには入力欄がない。",
        ),
        S::NoTrees => ("No decision trees found.", "決定木が見つからない。"),
        S::TooSmall => ("Terminal too small", "端末が小さすぎます"),
        S::IncidentNoteHint => (
            "Attached to the whole incident.",
            "インシデント全体に紐づく。",
        ),
        S::IncidentTag => ("[incident]", "[インシデント]"),
        S::NoteHint => (
            "Attached to the incident and this node.",
            "インシデントとこのノードに紐づく。",
        ),
        S::Body => ("Details", "詳細"),
        S::Confirm => ("Confirm", "確認"),
    };
    if lang == "ja" { ja } else { en }
}

/// A copy through tmux/screen, which may not reach the clipboard.
pub fn copy_unconfirmed(lang: &str, via: &str, file: Result<String, String>) -> String {
    match (lang == "ja", file) {
        (false, Ok(path)) => format!(
            "Sent through {via}, which may not pass it on; also written to {path} (owner-only)."
        ),
        (false, Err(e)) => format!("Sent through {via}, which may not pass it on; no file: {e}"),
        (true, Ok(path)) => {
            format!("{via} 経由で送信 (届かない場合あり)。{path} にも保存した (本人のみ読める)。")
        }
        (true, Err(e)) => format!("{via} 経由で送信 (届かない場合あり)。ファイル保存に失敗: {e}"),
    }
}

/// The question before quitting with something at stake.
pub fn quit_question(lang: &str, stake: &crate::app::quit::AtStake) -> String {
    let ja = lang == "ja";
    let mut parts = Vec::new();
    if stake.draft {
        parts.push(if ja {
            "未保存の入力は失われる。".to_string()
        } else {
            "Unsaved text will be lost.".to_string()
        });
    }
    if stake.lookups > 0 {
        parts.push(if ja {
            format!(
                "実行中のルックアップ {} 件は取消として記録される。",
                stake.lookups
            )
        } else {
            format!(
                "{} running lookup(s) will be recorded as cancelled.",
                stake.lookups
            )
        });
    }
    if stake.actions > 0 {
        parts.push(if ja {
            format!(
                "実行中のアクション {} 件は結果不明として記録される。",
                stake.actions
            )
        } else {
            format!(
                "{} action(s) in flight will be recorded with an unknown outcome.",
                stake.actions
            )
        });
    }
    parts.push(if ja {
        "Cairn を終了しますか?".to_string()
    } else {
        "Quit Cairn?".to_string()
    });
    parts.join(" ")
}

/// The header's marker of a closed incident, before the mode badge.
pub fn closed_badge(lang: &str) -> &'static str {
    if lang == "ja" {
        "[CLOSED 閲覧のみ]"
    } else {
        "[CLOSED read-only]"
    }
}

/// Why a key did nothing on a closed incident, and how to reopen it.
pub fn read_only(lang: &str, key: &str) -> String {
    if lang == "ja" {
        format!("クローズ済みのため記録できません。{key} で再開します (記録されます)。")
    } else {
        format!("Closed: nothing can be recorded. {key} reopens it (recorded).")
    }
}

/// Enter on a checklist item, which only the tick keys change.
pub fn tick_keys(lang: &str, keys: &str) -> String {
    if lang == "ja" {
        format!("チェックは {keys} で切り替えます (Enter では変わりません)。")
    } else {
        format!("{keys} ticks or unticks an item; Enter leaves it as it is.")
    }
}

/// The banner of a store opened for reading only.
pub fn store_read_only(lang: &str, why: crate::store::ReadOnlyWhy) -> &'static str {
    use crate::store::ReadOnlyWhy::*;
    match (why, lang == "ja") {
        (DiskFull, false) => {
            "READ-ONLY: the disk is full. Reading works; writes fail until space is freed."
        }
        (DiskFull, true) => {
            "読み取り専用: ディスクが満杯。閲覧は可能、空きができるまで記録できない。"
        }
        (NotWritable, false) => {
            "READ-ONLY: data directory not writable. Reading works; nothing is recorded."
        }
        (NotWritable, true) => {
            "読み取り専用: データ ディレクトリに書き込めない。閲覧は可能、記録はできない。"
        }
    }
}

pub fn reopen_question(lang: &str) -> &'static str {
    if lang == "ja" {
        "このインシデントを再開しますか? 再開は記録されます。"
    } else {
        "Reopen this closed incident? The reopening is recorded."
    }
}

/// Required items still open when leaving a node.
pub fn leave_open_items(lang: &str, open: usize) -> String {
    if lang == "ja" {
        format!("必須のチェック項目が {open} 件未完了です。このまま進みますか?")
    } else {
        format!("{open} required checklist item(s) still open. Move on anyway?")
    }
}

/// The mode badge: text, so it reads the same without colour.
pub fn mode_badge(lang: &str, mode: Mode) -> &'static str {
    match (lang, mode) {
        ("ja", Mode::Live) => "[LIVE 本番]",
        ("ja", Mode::Practice) => "[PRACTICE 練習]",
        ("ja", Mode::Training) => "[TRAINING トレーニング]",
        ("ja", Mode::Tabletop) => "[TABLETOP 机上演習]",
        (_, Mode::Live) => "[LIVE]",
        (_, Mode::Practice) => "[PRACTICE]",
        (_, Mode::Training) => "[TRAINING]",
        (_, Mode::Tabletop) => "[TABLETOP]",
    }
}

pub fn outcome(lang: &str, status: OutcomeStatus) -> &'static str {
    let (en, ja) = match status {
        OutcomeStatus::NoCompromise => ("No compromise", "侵害なし"),
        OutcomeStatus::Contained => ("Contained", "封じ込め済み"),
        OutcomeStatus::ContainedAndRecovered => ("Contained and recovered", "封じ込め・復旧済み"),
        OutcomeStatus::Escalated => ("Escalated", "エスカレーション"),
        OutcomeStatus::Inconclusive => ("Inconclusive", "結論なし"),
    };
    if lang == "ja" { ja } else { en }
}

/// What an action does on the screen of `ctx`: the few actions whose
/// meaning depends on the screen say what they do there.
pub fn action_label_in(lang: &str, ctx: Context, action: Action) -> &'static str {
    let (en, ja) = match (ctx, action) {
        (Context::Results, Action::Left) => ("previous column", "前の列"),
        (Context::Results, Action::Right) => ("next column", "次の列"),
        (Context::Results, Action::First) => ("first row", "先頭行"),
        (Context::Results, Action::Last) => ("last row", "最終行"),
        (Context::Timeline, Action::Filter) => ("kind", "種類"),
        _ => return action_label(lang, action),
    };
    if lang == "ja" { ja } else { en }
}

/// What an action does, for key hints and the help screen.
pub fn action_label(lang: &str, action: Action) -> &'static str {
    let (en, ja) = match action {
        Action::Quit => ("quit", "終了"),
        Action::Suspend => ("suspend", "一時停止"),
        Action::Help => ("help", "ヘルプ"),
        Action::Up => ("up", "上"),
        Action::Down => ("down", "下"),
        Action::Left => ("previous option", "前の候補"),
        Action::Right => ("next option", "次の候補"),
        Action::PageUp => ("page up", "前ページ"),
        Action::PageDown => ("page down", "次ページ"),
        Action::Select => ("select", "選択"),
        Action::Toggle => ("tick", "チェック"),
        Action::Choose1 => ("choice 1", "選択肢 1"),
        Action::Choose2 => ("choice 2", "選択肢 2"),
        Action::Choose3 => ("choice 3", "選択肢 3"),
        Action::Choose4 => ("choice 4", "選択肢 4"),
        Action::Choose5 => ("choice 5", "選択肢 5"),
        Action::Choose6 => ("choice 6", "選択肢 6"),
        Action::Choose7 => ("choice 7", "選択肢 7"),
        Action::Choose8 => ("choice 8", "選択肢 8"),
        Action::Choose9 => ("choice 9", "選択肢 9"),
        Action::ChooseWithReason => ("choose with reason", "理由付きで選択"),
        Action::Backtrack => ("back", "戻る"),
        Action::Copy => ("copy", "コピー"),
        Action::Map => ("map", "マップ"),
        Action::Search => ("search", "検索"),
        Action::Note => ("note", "メモ"),
        Action::Variables => ("variables", "変数"),
        Action::Language => ("language", "言語"),
        Action::Home => ("home", "ホーム"),
        Action::Back => ("close", "閉じる"),
        Action::NewIncident => ("new incident", "新規"),
        Action::Practice => ("practice", "練習"),
        Action::Refresh => ("refresh", "更新"),
        Action::NextField => ("next field", "次の項目"),
        Action::PrevField => ("previous field", "前の項目"),
        Action::Submit => ("create", "作成"),
        Action::Cancel => ("cancel", "取消"),
        Action::Save => ("save", "保存"),
        Action::Attach => ("node / incident", "ノード / インシデント"),
        Action::Yes => ("yes", "はい"),
        Action::Reopen => ("reopen", "再開"),
        Action::Timeline => ("timeline", "タイムライン"),
        Action::NodeFilter => ("node", "ノード"),
        Action::First => ("top", "先頭"),
        Action::Last => ("end", "末尾"),
        Action::No => ("no", "いいえ"),
        Action::Hint
        | Action::Exercise
        | Action::ReleaseInject
        | Action::Tag
        | Action::Pause
        | Action::EndExercise => super::exercise::action_label(action),
        other => super::lookup_text::action_label(other),
    };
    if lang == "ja" { ja } else { en }
}
