//! Microsoft Graph reads: `GET {graph}{path}`, following `@odata.nextLink`
//! only while it stays on the configured Graph scheme, host and port.

use std::sync::{Arc, Mutex};

use reqwest::{Method, Url};

use super::auth::Resource;
use super::error::LookupError;
use super::graph_rows::GraphRows;
use super::http::{Answer, ApiClient, Call};
use super::retry::{Progress, ProgressSender, report};
use super::stream::BodyParser;
use super::table::LookupResult;
use crate::text::{Medium, visible};

/// Pages followed at most; a runaway server cannot keep a lookup forever.
pub const MAX_PAGES: u32 = 200;

/// The absolute URL for a lookup path below the API version.
pub fn url_for(client: &ApiClient, path: &str) -> Result<Url, LookupError> {
    exact_url(&client.endpoints.graph, path)
}

/// `base` + `path` as the HTTP client will send it. The URL parser resolves
/// dot segments, turns `\` into `/` and encodes some characters; a path it
/// would rewrite is refused, so the URL shown, confirmed and recorded is
/// the one that goes on the wire and a value cannot retarget the call.
pub fn exact_url(base: &str, path: &str) -> Result<Url, LookupError> {
    let shown = |s: &str| visible(s, Medium::Screen).into_owned();
    if !path.starts_with('/') || path.starts_with("//") {
        return Err(LookupError::Config(format!(
            "Graph path must start with a single '/': {}",
            shown(path)
        )));
    }
    let written = format!("{base}{path}");
    let url = Url::parse(&written).map_err(|e| LookupError::Config(format!("Graph URL: {e}")))?;
    // A fragment is never sent, so it too would change the target.
    if url.as_str() != written || url.fragment().is_some() {
        return Err(LookupError::Rewritten {
            shown: shown(&written),
            sent: shown(url.as_str()),
        });
    }
    check_same_origin(base, url.as_str())?;
    Ok(url)
}

/// Refuses any URL whose scheme, host or port differs from `base`.
pub fn check_same_origin(base: &str, candidate: &str) -> Result<(), LookupError> {
    let refuse = || LookupError::ForeignNextLink {
        url: visible(
            &candidate.chars().take(200).collect::<String>(),
            Medium::Screen,
        )
        .into_owned(),
    };
    let base = Url::parse(base).map_err(|e| LookupError::Config(format!("Graph base: {e}")))?;
    let other = Url::parse(candidate).map_err(|_| refuse())?;
    let same = base.scheme() == other.scheme()
        && base.host_str() == other.host_str()
        && base.port_or_known_default() == other.port_or_known_default()
        && other.username().is_empty()
        && other.password().is_none();
    if same { Ok(()) } else { Err(refuse()) }
}

/// GETs `path` and every following page.
pub async fn get(
    client: &ApiClient,
    path: &str,
    progress: Option<&ProgressSender>,
) -> Result<LookupResult, LookupError> {
    let mut url = url_for(client, path)?.to_string();
    // Shared with the parser's thread, which adds each page as it arrives.
    let rows = Arc::new(Mutex::new(GraphRows::default()));
    let count = || rows.lock().map_or(0, |r| r.len());
    let mut warning = None;
    let mut fetched = std::collections::HashSet::new();
    for page in 1..=MAX_PAGES {
        fetched.insert(url.clone());
        let answer = client
            .read(
                Call {
                    resource: Resource::Graph,
                    method: Method::GET,
                    url: &url,
                    json_body: None,
                    extra_headers: &[],
                    retry: true,
                },
                progress,
                Arc::new(PageParser(rows.clone())),
            )
            .await?;
        let next = match answer {
            Answer::Refused(raw) => {
                return Err(LookupError::Api(raw.api_error()));
            }
            // 204 or a blank body: no more rows.
            Answer::Parsed { value: None, .. } => break,
            Answer::Parsed {
                value: Some(next), ..
            } => next,
        };
        report(
            progress,
            Progress::Paging {
                page,
                rows: count(),
            },
        );
        match next {
            Some(link) => {
                // A refused or repeated link ends the paging; the pages
                // already fetched are kept and the warning says why.
                let stop = |why: String| {
                    format!("stopped after page {page} ({} rows kept): {why}", count())
                };
                if let Err(e) = check_same_origin(&client.endpoints.graph, &link) {
                    warning = Some(stop(e.to_string()));
                    break;
                }
                let normalised = Url::parse(&link).map_or(link.clone(), |u| u.to_string());
                if fetched.contains(&normalised) {
                    warning = Some(stop(
                        "the next-page link names a page already fetched, so paging would never end"
                            .into(),
                    ));
                    break;
                }
                if page == MAX_PAGES {
                    warning = Some(format!(
                        "stopped after {MAX_PAGES} pages ({} rows); more are available: narrow the query",
                        count()
                    ));
                }
                url = normalised;
            }
            None => break,
        }
    }
    // The parser's thread let go of its handle when its page ended.
    let rows = Arc::try_unwrap(rows)
        .map_err(|_| LookupError::Malformed("a Graph page is still being read".into()))?
        .into_inner()
        .map_err(|_| LookupError::Malformed("a Graph page could not be read".into()))?;
    Ok(LookupResult {
        tables: vec![rows.table()],
        warning,
    })
}

/// Adds one page to the rows as it arrives; its value is the next link.
struct PageParser(Arc<Mutex<GraphRows>>);

impl BodyParser for PageParser {
    type Out = Option<String>;

    fn service(&self) -> &'static str {
        "Graph"
    }

    fn parse<R: std::io::Read>(&self, body: R) -> Result<Option<String>, LookupError> {
        let mut rows = self
            .0
            .lock()
            .map_err(|_| LookupError::Malformed("a Graph page could not be read".into()))?;
        rows.absorb_from(body)
    }
}
