//! Log Analytics (Sentinel workspace) query API:
//! `POST {base}/v1/workspaces/{id}/query` with `{query, timespan}`.

use std::sync::Arc;

use reqwest::Method;
use serde::Deserialize;

use super::auth::Resource;
use super::error::{ErrorBody, LookupError};
use super::http::{Answer, ApiClient, Call};
use super::la_table::LaTable;
use super::retry::ProgressSender;
use super::stream::{BodyParser, malformed, parse_body};
use super::table::LookupResult;
use crate::text::{Medium, visible};

/// Runs `query` over `timespan` (ISO 8601) in the configured workspace.
pub async fn query(
    client: &ApiClient,
    query: &str,
    timespan: Option<&str>,
    progress: Option<&ProgressSender>,
) -> Result<LookupResult, LookupError> {
    let url = format!(
        "{}/v1/workspaces/{}/query",
        client.endpoints.log_analytics,
        crate::tree::template::percent_encode(&client.workspace)
    );
    let mut body = serde_json::json!({ "query": query });
    if let Some(ts) = timespan {
        body["timespan"] = ts.into();
    }
    if !client.extra_workspaces.is_empty() {
        body["workspaces"] = client.extra_workspaces.clone().into();
    }
    let prefer = [(
        "prefer",
        format!("wait={}", client.settings.query_wait_secs),
    )];
    let answer = client
        .read(
            Call {
                resource: Resource::LogAnalytics,
                method: Method::POST,
                url: &url,
                json_body: Some(serde_json::to_vec(&body).expect("JSON of strings")),
                extra_headers: &prefer,
                retry: true,
            },
            progress,
            Arc::new(Parser),
        )
        .await?;
    match answer {
        // 204: the workspace has no data; an empty 200 means the same.
        Answer::Parsed { value, .. } => Ok(value.unwrap_or_default()),
        Answer::Refused(raw) => Err(LookupError::Api(raw.api_error())),
    }
}

#[derive(Deserialize)]
struct Response {
    #[serde(default)]
    tables: Vec<LaTable>,
    #[serde(default)]
    error: Option<ErrorBody>,
}

/// Reads a 200 body as it arrives: tables, typed cells, and a
/// `PartialError` as warning.
pub(crate) struct Parser;

impl BodyParser for Parser {
    type Out = LookupResult;

    fn service(&self) -> &'static str {
        "Log Analytics"
    }

    fn parse<R: std::io::Read>(&self, body: R) -> Result<LookupResult, LookupError> {
        let bad = |e: serde_json::Error| malformed(self.service(), &e);
        let mut de = serde_json::Deserializer::from_reader(body);
        let response = Response::deserialize(&mut de).map_err(bad)?;
        de.end().map_err(bad)?;
        Ok(LookupResult {
            tables: response.tables.into_iter().map(|t| t.0).collect(),
            warning: response.error.map(|e| warning_text(&e)),
        })
    }
}

/// Parses a 200 body held in memory (a recording), as [`Parser`] does.
pub fn parse_response(body: &[u8]) -> Result<LookupResult, LookupError> {
    Ok(parse_body(&Parser, body)?.unwrap_or_default())
}

/// "PartialError: message (EngineError: detail; -2133196797: inner)".
fn warning_text(e: &ErrorBody) -> String {
    let mut text = format!(
        "{}: {}",
        e.code.as_deref().unwrap_or("PartialError"),
        e.message.as_deref().unwrap_or("")
    );
    let mut inner = Vec::new();
    collect(e, &mut inner);
    if !inner.is_empty() {
        text.push_str(&format!(" ({})", inner.join("; ")));
    }
    visible(&text, Medium::Screen).into_owned()
}

fn collect(e: &ErrorBody, out: &mut Vec<String>) {
    for d in &e.details {
        out.push(format!(
            "{}: {}",
            d.code.as_deref().unwrap_or(""),
            d.message.as_deref().unwrap_or("")
        ));
        collect(d, out);
    }
    if let Some(i) = &e.innererror {
        out.push(format!(
            "{}: {}",
            i.code.as_deref().unwrap_or(""),
            i.message.as_deref().unwrap_or("")
        ));
        collect(i, out);
    }
}
