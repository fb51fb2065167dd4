//! Labels of the lookup, results and action screens, from the message
//! catalogues (`assets/i18n/<lang>.toml`).

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
        Paging,
        Reauth,
        Rows,
        NoRows,
        Failed,
        Cancelled,
        Superseded,
        SignInHint,
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

pub fn tl(lang: impl Into<Lang>, s: L) -> &'static str {
    s.text(lang.into())
}
