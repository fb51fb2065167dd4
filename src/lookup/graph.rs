//! Microsoft Graph reads: `GET {graph}{path}`, following `@odata.nextLink`
//! only while it stays on the configured Graph scheme, host and port.

use reqwest::{Method, Url};

use super::auth::Resource;
use super::cells::RawCell;
use super::error::{LookupError, parse_api_error};
use super::http::{ApiClient, Call};
use super::retry::{Progress, ProgressSender, report};
use super::table::{Cell, Column, ColumnType, LookupResult, ResultTable};
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
    let mut objects: Vec<Object> = Vec::new();
    let mut warning = None;
    let mut fetched = std::collections::HashSet::new();
    for page in 1..=MAX_PAGES {
        fetched.insert(url.clone());
        let raw = client
            .send(
                Call {
                    resource: Resource::Graph,
                    method: Method::GET,
                    url: &url,
                    json_body: None,
                    extra_headers: &[],
                    retry: true,
                },
                progress,
            )
            .await?;
        if !(200..300).contains(&raw.status) {
            return Err(LookupError::Api(parse_api_error(raw.status, &raw.body)));
        }
        if raw.status == 204 || raw.body.iter().all(u8::is_ascii_whitespace) {
            break;
        }
        let next = absorb_page(&raw.body, &mut objects)?;
        report(
            progress,
            Progress::Paging {
                page,
                rows: objects.len(),
            },
        );
        match next {
            Some(link) => {
                // A refused or repeated link ends the paging; the pages
                // already fetched are kept and the warning says why.
                let stop = |why: String| {
                    format!(
                        "stopped after page {page} ({} rows kept): {why}",
                        objects.len()
                    )
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
                        objects.len()
                    ));
                }
                url = normalised;
            }
            None => break,
        }
    }
    Ok(LookupResult {
        tables: vec![table_from_objects(objects)],
        warning,
    })
}

/// A JSON object with its keys in the order the server sent them.
pub type Object = Vec<(String, serde_json::Value)>;

struct Ordered(Object);

impl<'de> serde::Deserialize<'de> for Ordered {
    fn deserialize<D: serde::Deserializer<'de>>(d: D) -> Result<Self, D::Error> {
        struct V;
        impl<'de> serde::de::Visitor<'de> for V {
            type Value = Ordered;
            fn expecting(&self, f: &mut std::fmt::Formatter) -> std::fmt::Result {
                f.write_str("a JSON object")
            }
            fn visit_map<A: serde::de::MapAccess<'de>>(
                self,
                mut map: A,
            ) -> Result<Ordered, A::Error> {
                let mut out = Vec::new();
                while let Some((k, v)) = map.next_entry::<String, serde_json::Value>()? {
                    out.push((k, v));
                }
                Ok(Ordered(out))
            }
        }
        d.deserialize_map(V)
    }
}

/// Adds a page's entities to `objects`; returns its next link, if any.
pub fn absorb_page(body: &[u8], objects: &mut Vec<Object>) -> Result<Option<String>, LookupError> {
    let bad = |m: String| LookupError::Malformed(format!("Graph response: {m}"));
    let Ordered(mut root) = serde_json::from_slice(body).map_err(|e| bad(e.to_string()))?;
    let mut take = |key: &str| {
        root.iter()
            .position(|(k, _)| k == key)
            .map(|i| root.remove(i).1)
    };
    let next = match take("@odata.nextLink") {
        Some(serde_json::Value::String(s)) => Some(s),
        Some(serde_json::Value::Null) | None => None,
        Some(_) => return Err(bad("@odata.nextLink is not a string".into())),
    };
    let value = take("value");
    take("@odata.context");
    match value {
        Some(serde_json::Value::Array(items)) => {
            // Re-read the items in order: Value objects have sorted keys.
            let ordered: Vec<Ordered> = ordered_items(body).unwrap_or_default();
            for (i, item) in items.into_iter().enumerate() {
                match item {
                    serde_json::Value::Object(o) => objects.push(match ordered.get(i) {
                        Some(Ordered(fields)) if fields.len() == o.len() => fields.clone(),
                        _ => o.into_iter().collect(),
                    }),
                    // A collection of scalars: one column named "value".
                    other => objects.push(vec![("value".into(), other)]),
                }
            }
        }
        // A scalar such as `{"value": true}`.
        Some(scalar) => {
            root.push(("value".into(), scalar));
            objects.push(root);
        }
        // A single entity.
        None => objects.push(root),
    }
    Ok(next)
}

/// The `value` array's objects with key order kept.
fn ordered_items(body: &[u8]) -> Option<Vec<Ordered>> {
    #[derive(serde::Deserialize)]
    struct Page {
        value: Vec<OrderedOrNot>,
    }
    #[derive(serde::Deserialize)]
    #[serde(untagged)]
    enum OrderedOrNot {
        Obj(Ordered),
        #[allow(dead_code)]
        Other(serde_json::Value),
    }
    let page: Page = serde_json::from_slice(body).ok()?;
    Some(
        page.value
            .into_iter()
            .map(|v| match v {
                OrderedOrNot::Obj(o) => o,
                OrderedOrNot::Other(_) => Ordered(Vec::new()),
            })
            .collect(),
    )
}

/// One column per top-level key, in order of first appearance; the type is
/// that of the first non-null value.
pub fn table_from_objects(objects: Vec<Object>) -> ResultTable {
    let mut names: Vec<String> = Vec::new();
    let mut types: Vec<Option<ColumnType>> = Vec::new();
    for o in &objects {
        for (k, v) in o {
            if k == "@odata.context" || k == "@odata.nextLink" {
                continue;
            }
            let idx = match names.iter().position(|n| n == k) {
                Some(i) => i,
                None => {
                    names.push(k.clone());
                    types.push(None);
                    names.len() - 1
                }
            };
            if types[idx].is_none() {
                types[idx] = infer(v);
            }
        }
    }
    let columns: Vec<Column> = names
        .into_iter()
        .zip(types)
        .map(|(name, t)| Column {
            name,
            col_type: t.unwrap_or(ColumnType::String),
        })
        .collect();
    let rows = objects
        .into_iter()
        .map(|o| {
            let mut cells = vec![Cell::Null; columns.len()];
            for (k, v) in o {
                if let Some(i) = columns.iter().position(|c| c.name == k) {
                    cells[i] = RawCell::from_value(v).into_cell(&columns[i].col_type);
                }
            }
            cells
        })
        .collect();
    ResultTable {
        name: "value".into(),
        columns,
        rows,
    }
}

fn infer(v: &serde_json::Value) -> Option<ColumnType> {
    use serde_json::Value;
    match v {
        Value::Null => None,
        Value::Bool(_) => Some(ColumnType::Bool),
        Value::Number(n) if n.is_i64() || n.is_u64() => Some(ColumnType::Long),
        Value::Number(_) => Some(ColumnType::Real),
        Value::String(_) => Some(ColumnType::String),
        Value::Array(_) | Value::Object(_) => Some(ColumnType::Dynamic),
    }
}
