//! Defender XDR advanced hunting through Graph:
//! `POST {graph}/security/runHuntingQuery` with `{"Query", "Timespan"}`.
//! Rows arrive as objects keyed by column name; every key of the response
//! is matched case-insensitively.

use std::sync::Arc;

use reqwest::Method;

use super::auth::Resource;
use super::error::LookupError;
use super::http::{Answer, ApiClient, Call};
use super::retry::ProgressSender;
use super::stream::{BodyParser, malformed, parse_body};
use super::table::LookupResult;

pub async fn query(
    client: &ApiClient,
    query: &str,
    timespan: Option<&str>,
    progress: Option<&ProgressSender>,
) -> Result<LookupResult, LookupError> {
    let url = format!("{}/security/runHuntingQuery", client.endpoints.graph);
    let mut body = serde_json::json!({ "Query": query });
    if let Some(ts) = timespan {
        body["Timespan"] = ts.into();
    }
    let answer = client
        .read(
            Call {
                resource: Resource::Graph,
                method: Method::POST,
                url: &url,
                json_body: Some(serde_json::to_vec(&body).expect("JSON of strings")),
                extra_headers: &[],
                retry: true,
            },
            progress,
            Arc::new(Parser),
        )
        .await?;
    match answer {
        Answer::Parsed { value, .. } => Ok(value.unwrap_or_default()),
        Answer::Refused(raw) => Err(LookupError::Api(raw.api_error())),
    }
}

/// Reads a `huntingQueryResults` body as it arrives, rows straight into
/// the table (`hunting_table`).
pub(crate) struct Parser;

impl BodyParser for Parser {
    type Out = LookupResult;

    fn service(&self) -> &'static str {
        "hunting"
    }

    fn parse<R: std::io::Read>(&self, body: R) -> Result<LookupResult, LookupError> {
        let table = super::hunting_table::read(body).map_err(|e| malformed(self.service(), &e))?;
        Ok(LookupResult {
            tables: vec![table],
            warning: None,
        })
    }
}

/// Parses a body held in memory (a recording), as [`Parser`] does.
pub fn parse_response(body: &[u8]) -> Result<LookupResult, LookupError> {
    Ok(parse_body(&Parser, body)?.unwrap_or_default())
}
