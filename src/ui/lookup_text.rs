//! English and Japanese labels of the lookup, results and action screens.

use crate::app::Action;

#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum L {
    RunLookup,
    Needs,
    NeedsGraph,
    NeedsEntraRole,
    NeedsAzureRbac,
    Or,
    QueryToSend,
    Window,
    WindowHint,
    NeedsValue,
    RunHint,
    Running,
    RunningHint,
    Attempt,
    WaitingRetry,
    RetryAfter,
    ThrottledWait,
    ThrottledHint,
    Wait,
    Paging,
    Reauth,
    Rows,
    NoRows,
    Failed,
    Cancelled,
    Superseded,
    SignInHint,
    Retry,
    CancelledShort,
    Column,
    Filter,
    SaveTo,
    SortedBy,
    Warning,
    RowDetail,
    BindTo,
    Suggested,
    ConfirmAction,
    Request,
    Body,
    TypeToConfirm,
    Simulated,
    LiveWarning,
    RecordingIntent,
    Abandoning,
    Abandoned,
    Sending,
    Outcome,
    VerifyOffer,
    Verifying,
    SignIn,
    SignInWaiting,
    SignInPolling,
    SignInDone,
    SignInFailed,
    Code,
    Open,
    NotRunYet,
    NoSignInNeeded,
    Bound,
    Saved,
    SaveFailed,
    StartedRuns,
    NeedValues,
    PracticeData,
}

/// `1 row`, `3 rows`, `3 行`: the count with the word that fits it.
pub fn row_count(lang: &str, n: u64) -> String {
    match (lang, n) {
        ("ja", n) => format!("{n} 行"),
        (_, 1) => "1 row".to_string(),
        (_, n) => format!("{n} rows"),
    }
}

pub fn tl(lang: &str, s: L) -> &'static str {
    let (en, ja) = match s {
        L::RunLookup => ("Run lookup", "ルックアップを実行"),
        L::Needs => ("Needs", "必要な権限"),
        L::NeedsGraph => ("Graph permission", "Graph のアクセス許可"),
        L::NeedsEntraRole => ("Entra role", "Entra ロール"),
        L::NeedsAzureRbac => ("Azure RBAC on the workspace", "ワークスペースの Azure RBAC"),
        L::Or => (" or ", " または "),
        L::QueryToSend => ("Exactly what will be sent", "送信される内容 (そのまま)"),
        L::Window => ("Time window", "期間"),
        L::WindowHint => (
            "(e.g. 30m, 12h, 7d; empty: the service's default)",
            "(例: 30m, 12h, 7d。空欄はサービスの既定)",
        ),
        L::NeedsValue => ("Needs a value", "値が必要"),
        L::RunHint => (
            "Enter runs it; Esc goes back without running.",
            "Enter で実行、Esc で実行せずに戻る。",
        ),
        L::Running => ("running", "実行中"),
        L::RunningHint => (
            "Esc cancels the run; q goes back to the node and lets it finish.",
            "Esc で実行を取り消す。q でノードに戻り、実行は続ける。",
        ),
        L::Attempt => ("attempt", "試行"),
        L::WaitingRetry => (
            "throttled/unavailable: retrying in",
            "制限または停止中: 再試行まで",
        ),
        L::RetryAfter => ("(Retry-After)", "(Retry-After)"),
        L::ThrottledWait => (
            "the service asked to wait; runs again in",
            "サービスが待機を要求。再実行まで",
        ),
        L::ThrottledHint => (
            "Nothing is sent until then. Esc cancels the run; q goes back to the node and lets it wait.",
            "それまで何も送信しない。Esc で実行を取り消す。q でノードに戻り、待機は続ける。",
        ),
        L::Wait => ("wait", "待機"),
        L::Paging => ("page", "ページ"),
        L::Reauth => ("signing in again", "再認証中"),
        L::Rows => ("rows", "行"),
        L::NoRows => (
            "No rows: the service found nothing in this window.",
            "行なし: この期間には該当データなし。",
        ),
        L::Failed => ("Failed", "失敗"),
        L::Cancelled => (
            "Cancelled: nothing more will be shown for this run.",
            "取り消し済み: この実行の結果は表示しない。",
        ),
        L::Superseded => (
            "A newer run of this lookup replaced this one.",
            "このルックアップの新しい実行に置き換えられた。",
        ),
        L::SignInHint => (
            "Press S to sign in with a device code.",
            "S でデバイス コードによるサインインを開始。",
        ),
        L::Retry => ("run again", "再実行"),
        L::Column => ("col", "列"),
        L::CancelledShort => ("Cancelled", "取消"),
        L::Filter => ("Filter", "絞り込み"),
        L::SaveTo => (
            "Save a copy to (.csv or .json)",
            "コピーの保存先 (.csv / .json)",
        ),
        L::SortedBy => ("sorted by", "並べ替え"),
        L::Warning => ("Warning", "警告"),
        L::RowDetail => ("Row", "行"),
        L::BindTo => ("Bind this value to a variable", "この値を変数に設定"),
        L::Suggested => ("suggested", "推奨"),
        L::ConfirmAction => ("Confirm action", "アクションの確認"),
        L::Request => ("Request", "リクエスト"),
        L::Body => ("Body", "本文"),
        L::TypeToConfirm => ("Type this to confirm", "確認のため次を入力"),
        L::Simulated => (
            "PRACTICE: simulated, nothing is sent to any tenant.",
            "練習: シミュレーションのみ。テナントには何も送信しない。",
        ),
        L::LiveWarning => (
            "LIVE: this changes the real tenant.",
            "本番: 実際のテナントを変更する。",
        ),
        L::RecordingIntent => (
            "Recording the intent before sending... (Esc: back out, nothing is sent)",
            "送信前に意図を記録中... (Esc: 取りやめる。何も送信しない)",
        ),
        L::Abandoning => (
            "Backing out: nothing will be sent once the intent is recorded...",
            "取りやめ中: 意図の記録後も何も送信しない...",
        ),
        L::Abandoned => (
            "Abandoned: you backed out before the call was sent; nothing was sent.",
            "取りやめ: 呼び出しの送信前に取りやめた。何も送信していない。",
        ),
        L::Sending => (
            "Sent once; waiting for the answer (never retried)...",
            "1 回だけ送信。応答待ち (再試行しない)...",
        ),
        L::Outcome => ("Outcome", "結果"),
        L::VerifyOffer => ("Press v to check with a read:", "v で読み取りにより確認:"),
        L::Verifying => ("Checking...", "確認中..."),
        L::SignIn => ("Sign in (device code)", "サインイン (デバイス コード)"),
        L::SignInWaiting => (
            "Waiting for the service to give a code...",
            "コードの発行を待っています...",
        ),
        L::SignInPolling => (
            "Waiting for you to sign in on another device...",
            "別の端末でのサインインを待っています...",
        ),
        L::SignInDone => (
            "Signed in. The token is kept in memory only.",
            "サインイン完了。トークンはメモリ内にのみ保持。",
        ),
        L::SignInFailed => ("Sign-in failed", "サインイン失敗"),
        L::Code => ("Code", "コード"),
        L::Open => ("Open", "開く"),
        L::NotRunYet => (
            "This lookup has not run yet: press g to run it.",
            "このルックアップは未実行。g で実行。",
        ),
        L::NoSignInNeeded => (
            "Practice data needs no sign-in.",
            "練習データにサインインは不要。",
        ),
        L::Bound => ("Variable set:", "変数を設定:"),
        L::Saved => ("Saved a copy to", "コピーを保存:"),
        L::SaveFailed => ("Not saved:", "保存できなかった:"),
        L::StartedRuns => ("lookups started", "件のルックアップを開始"),
        L::NeedValues => (
            "need values first (g on each):",
            "は値が必要 (それぞれ g で入力):",
        ),
        L::PracticeData => ("practice data", "練習データ"),
    };
    if lang == "ja" { ja } else { en }
}

/// Footer and help labels of the lookup actions, in both languages.
pub fn action_label(action: Action) -> (&'static str, &'static str) {
    match action {
        Action::Run => ("run", "実行"),
        Action::RunAll => ("run all", "すべて実行"),
        Action::Results => ("results", "結果"),
        Action::Filter => ("filter", "絞り込み"),
        Action::Sort => ("sort", "並べ替え"),
        Action::Bind => ("bind to variable", "変数に設定"),
        Action::CopyRow => ("copy row", "行をコピー"),
        Action::CopyQuery => ("copy query", "クエリをコピー"),
        Action::SaveFile => ("save copy", "保存"),
        Action::Verify => ("verify", "確認"),
        Action::Retry => ("run again", "再実行"),
        Action::SignIn => ("sign in", "サインイン"),
        _ => ("", ""),
    }
}
