//! English and Japanese labels of the lookup, results and action screens.

use crate::text::lang::{Lang, message_keys, msg_key};

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
    let key = if n == 1 {
        msg_key!("lookup", "row-count-one")
    } else {
        msg_key!("lookup", "row-count")
    };
    Lang::of(lang).fill("lookup", key, &[("n", &n.to_string())])
}

pub fn tl(lang: impl Into<Lang>, s: L) -> &'static str {
    s.text(lang.into())
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_row_count_takes_the_word_that_fits_it() {
        assert_eq!(row_count("en", 1), "1 row");
        assert_eq!(row_count("en", 0), "0 rows");
        assert_eq!(row_count("en", 3), "3 rows");
        assert_eq!(row_count("ja", 1), "1 行");
        assert_eq!(row_count("ja", 3), "3 行");
    }
}
