//! English and Japanese labels of the lookup, results and action screens.

use crate::text::lang::{Lang, message_keys};

message_keys! {
    /// A label of the lookup, results and action screens: its key in the
    /// catalogues' `[lookup]`.
    L in "lookup" {
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
    }
}

/// `1 row`, `3 rows`, `3 行`: the count with the word that fits it.
pub fn row_count(lang: &str, n: u64) -> String {
    match (lang, n) {
        ("ja", n) => format!("{n} 行"),
        (_, 1) => "1 row".to_string(),
        (_, n) => format!("{n} rows"),
    }
}

pub fn tl(lang: impl Into<Lang>, s: L) -> &'static str {
    s.text(lang.into())
}
