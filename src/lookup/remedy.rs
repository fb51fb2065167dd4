//! Remedies of the service's errors, and the words of every lookup error,
//! in the language of the screen that shows them: the texts live in the
//! catalogues' `[lookup-error]` (`assets/i18n/*.toml`), English is what
//! `Display` and the record use.

use super::error::{ApiError, AuthKind, Fit, LookupError, TimeoutKind};
use crate::text::lang::{Lang, message_keys};

message_keys! {
    /// A remedy or an error's words: its key in `[lookup-error]`.
    E in "lookup-error" {
        HintWrongAudience,
        HintKqlError,
        HintWorkspaceNotFound,
        HintNotFound,
        HintPermission,
        HintPermissionNeeds,
        HintPermissionGraph,
        HintPermissionWorkspace,
        HintRefused,
        HintRefusedDeviceCode,
        HintRefusedSecret,
        HintRefusedCertificate,
        HintRefusedAzureCli,
        HintThrottled,
        HintTooLong,
        HintBadRequest,
        NeedGraph,
        NeedEntraRole,
        NeedAzureRole,
        NeedOr,
        NeedAnd,
        Api,
        ApiHint,
        SignInAgain,
        TimeoutConnect,
        TimeoutRead,
        TimeoutTotal,
        Network,
        Unreachable,
        Malformed,
        ForeignNextLink,
        Rewritten,
        WaitTooLong,
        NoRecording,
    }
}

/// The remedy of an [`ApiError`], worded when shown.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Hint {
    /// A remedy worded whole by its key.
    Says(E),
    /// A refusal naming what the call declares it needs: each kind
    /// (`graph`, `entra_roles`, `azure_roles`) with its alternatives.
    Needs(Vec<(&'static str, Vec<String>)>),
}

impl Hint {
    pub fn text(&self, lang: Lang) -> String {
        match self {
            Hint::Says(key) => key.text(lang).to_string(),
            Hint::Needs(needs) => {
                let or = E::NeedOr.text(lang);
                let listed: Vec<String> = needs
                    .iter()
                    .map(|(kind, entries)| {
                        let what = match *kind {
                            "graph" => E::NeedGraph,
                            "entra_roles" => E::NeedEntraRole,
                            _ => E::NeedAzureRole,
                        };
                        lang.fill("lookup-error", what.key(), &[("names", &entries.join(or))])
                    })
                    .collect();
                lang.fill(
                    "lookup-error",
                    E::HintPermissionNeeds.key(),
                    &[("needs", &listed.join(E::NeedAnd.text(lang)))],
                )
            }
        }
    }
}

/// In English, as the record keeps it.
impl std::fmt::Display for Hint {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(&self.text(Lang::EN))
    }
}

/// The general remedy of an error, before it is fitted to the call.
pub(crate) fn hint_for(e: &ApiError) -> Option<E> {
    if e.has_code("InvalidAuthenticationTokenAudience") {
        return Some(E::HintWrongAudience);
    }
    if e.has_code("SyntaxError") || e.has_code("SemanticError") {
        return Some(E::HintKqlError);
    }
    if e.has_code("PathNotFoundError")
        || e.has_code("WorkspaceNotFoundError")
        || e.has_code("ResourceNotFound")
        || (e.status == 404 && e.code.contains("Workspace"))
    {
        return Some(E::HintWorkspaceNotFound);
    }
    if e.has_code("Request_ResourceNotFound") {
        return Some(E::HintNotFound);
    }
    if e.has_code("InsufficientAccessError")
        || e.has_code("Authorization_RequestDenied")
        || e.has_code("Forbidden")
        || e.has_code("UnauthorizedClient")
        || e.status == 403
    {
        return Some(E::HintPermission);
    }
    if e.status == 401 {
        return Some(E::HintRefused);
    }
    if e.status == 429 {
        return Some(E::HintThrottled);
    }
    if e.status == 504 || e.has_code("GatewayTimeout") {
        return Some(E::HintTooLong);
    }
    if e.status == 400 && e.has_code("BadArgumentError") {
        return Some(E::HintBadRequest);
    }
    None
}

/// The remedies that depend on how Cairn signs in and what the call needs;
/// `None` keeps the general hint.
pub(crate) fn fitted_hint(e: &ApiError, fit: &Fit) -> Option<Hint> {
    match e.hint.as_deref() {
        Some(Hint::Says(E::HintPermission)) => {
            // An app signing in as itself holds no directory role.
            let app_only = matches!(
                fit.auth,
                AuthKind::ClientSecret | AuthKind::ClientCertificate
            );
            let needs: Vec<(&'static str, Vec<String>)> = fit
                .requires
                .lists()
                .into_iter()
                .filter(|(kind, _)| !(app_only && *kind == "entra_roles"))
                .map(|(kind, entries)| (kind, entries.into_iter().map(str::to_string).collect()))
                .collect();
            Some(if !needs.is_empty() {
                Hint::Needs(needs)
            } else if fit.graph {
                Hint::Says(E::HintPermissionGraph)
            } else {
                Hint::Says(E::HintPermissionWorkspace)
            })
        }
        Some(Hint::Says(E::HintRefused)) => Some(Hint::Says(match fit.auth {
            AuthKind::DeviceCode => E::HintRefusedDeviceCode,
            AuthKind::ClientSecret => E::HintRefusedSecret,
            AuthKind::ClientCertificate => E::HintRefusedCertificate,
            AuthKind::AzureCli => E::HintRefusedAzureCli,
            AuthKind::Unknown => return None,
        })),
        _ => None,
    }
}

impl ApiError {
    /// "HTTP 403 Code: message (inner: message)\nHint: … [request-id …]"
    /// in `lang`; the service's own code and message stay as sent.
    pub fn worded(&self, lang: Lang) -> String {
        let status = self.status.to_string();
        let mut out = lang.fill(
            "lookup-error",
            E::Api.key(),
            &[
                ("status", &status),
                ("code", &self.code),
                ("message", &self.message),
            ],
        );
        for (code, message) in &self.inner {
            out.push_str(&format!(" ({code}: {message})"));
        }
        // The remedy on a line of its own: the first line is the short
        // reason a status line shows.
        if let Some(hint) = &self.hint {
            out.push('\n');
            out.push_str(&lang.fill(
                "lookup-error",
                E::ApiHint.key(),
                &[("hint", &hint.text(lang))],
            ));
        }
        if !self.ids.is_empty() {
            let ids: Vec<String> = self.ids.iter().map(|(k, v)| format!("{k} {v}")).collect();
            out.push_str(&format!(" [{}]", ids.join(", ")));
        }
        out
    }
}

impl LookupError {
    /// The error in `lang`. Details that come from elsewhere (a network
    /// library's reason, a sign-in error, a value's refusal) stay as given.
    pub fn worded(&self, lang: Lang) -> String {
        let fill = |key: E, values: &[(&str, &str)]| lang.fill("lookup-error", key.key(), values);
        match self {
            LookupError::Api(e) => e.worded(lang),
            LookupError::Auth(e) => e.to_string(),
            LookupError::SignInAgain => E::SignInAgain.text(lang).to_string(),
            LookupError::Timeout(kind) => match kind {
                TimeoutKind::Connect => E::TimeoutConnect,
                TimeoutKind::Read => E::TimeoutRead,
                TimeoutKind::Total => E::TimeoutTotal,
            }
            .text(lang)
            .to_string(),
            LookupError::Network(d) => fill(E::Network, &[("detail", d)]),
            LookupError::Unreachable(d) => fill(E::Unreachable, &[("detail", d)]),
            LookupError::Malformed(d) => fill(E::Malformed, &[("detail", d)]),
            LookupError::ForeignNextLink { url } => fill(E::ForeignNextLink, &[("url", url)]),
            LookupError::Substitute(e) => e.to_string(),
            LookupError::Config(d) => d.clone(),
            LookupError::Rewritten { shown, sent } => {
                fill(E::Rewritten, &[("shown", shown), ("sent", sent)])
            }
            LookupError::WaitTooLong {
                status,
                wait,
                cap,
                until,
            } => fill(
                E::WaitTooLong,
                &[
                    ("status", &status.to_string()),
                    ("wait", &wait.as_secs_f64().ceil().to_string()),
                    ("cap", &cap.as_secs().to_string()),
                    ("until", &until.format("%H:%M:%S UTC").to_string()),
                ],
            ),
            LookupError::NoRecording { lookup, scenario } => fill(
                E::NoRecording,
                &[("lookup", lookup), ("scenario", scenario)],
            ),
        }
    }
}

/// A failed run's reason as the runtime hands it to the screen: a lookup
/// error, worded in the screen's language when it arrives (and in English
/// for the record), or a text already worded.
#[derive(Debug, Clone, PartialEq)]
pub enum Failure {
    Error(Box<LookupError>),
    Text(String),
}

impl Failure {
    pub fn worded(&self, lang: Lang) -> String {
        match self {
            Failure::Error(e) => e.worded(lang),
            Failure::Text(t) => t.clone(),
        }
    }
}

impl From<LookupError> for Failure {
    fn from(e: LookupError) -> Self {
        Failure::Error(Box::new(e))
    }
}

impl From<String> for Failure {
    fn from(t: String) -> Self {
        Failure::Text(t)
    }
}

impl From<&str> for Failure {
    fn from(t: &str) -> Self {
        Failure::Text(t.to_string())
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn every_remedy_and_error_word_is_in_english() {
        for key in E::ALL {
            assert!(
                Lang::EN.has(E::TABLE, key.key()),
                "[{}] {}",
                E::TABLE,
                key.key()
            );
        }
    }
}
