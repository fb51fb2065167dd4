//! Defender XDR advanced hunting through Graph:
//! `POST {graph}/security/runHuntingQuery` with `{"Query", "Timespan"}`.
//! Rows arrive as objects keyed by column name; every key of the response
//! is matched case-insensitively.

use reqwest::Method;

use super::auth::Resource;
use super::cells::RawCell;
use super::error::{LookupError, parse_api_error};
use super::http::{ApiClient, Call};
use super::retry::ProgressSender;
use super::table::{Cell, Column, ColumnType, LookupResult, ResultTable};

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
    let raw = client
        .send(
            Call {
                resource: Resource::Graph,
                method: Method::POST,
                url: &url,
                json_body: Some(serde_json::to_vec(&body).expect("JSON of strings")),
                extra_headers: &[],
                retry: true,
            },
            progress,
        )
        .await?;
    match raw.status {
        204 => Ok(LookupResult::default()),
        200..=299 => parse_response(&raw.body),
        status => Err(LookupError::Api(parse_api_error(status, &raw.body))),
    }
}

fn get_ci<'a>(
    map: &'a serde_json::Map<String, serde_json::Value>,
    key: &str,
) -> Option<&'a serde_json::Value> {
    map.get(key).or_else(|| {
        map.iter()
            .find(|(k, _)| k.eq_ignore_ascii_case(key))
            .map(|(_, v)| v)
    })
}

/// Parses a `huntingQueryResults` body: streamed into the table when it
/// comes in the service's order, else read as a tree.
pub fn parse_response(body: &[u8]) -> Result<LookupResult, LookupError> {
    if body.iter().all(u8::is_ascii_whitespace) {
        return Ok(LookupResult::default());
    }
    let table = match super::hunting_table::stream(body) {
        Some(table) => table,
        None => parse_tree(body)?,
    };
    Ok(LookupResult {
        tables: vec![table],
        warning: None,
    })
}

fn bad(m: &str) -> LookupError {
    LookupError::Malformed(format!("hunting response: {m}"))
}

/// The columns a `schema` array declares.
pub(crate) fn columns_of(schema: &[serde_json::Value]) -> Result<Vec<Column>, LookupError> {
    let mut columns = Vec::with_capacity(schema.len());
    for (i, col) in schema.iter().enumerate() {
        let col = col
            .as_object()
            .ok_or_else(|| bad(&format!("schema entry {i} is not an object")))?;
        let name = get_ci(col, "name")
            .and_then(|n| n.as_str())
            .ok_or_else(|| bad(&format!("schema entry {i} has no name")))?;
        let col_type = get_ci(col, "type").and_then(|t| t.as_str()).unwrap_or("");
        columns.push(Column {
            name: name.to_string(),
            col_type: ColumnType::parse(col_type),
        });
    }
    Ok(columns)
}

/// The whole body as a `serde_json::Value` tree, for bodies that do not
/// stream (results before the schema) and for wording what is malformed.
fn parse_tree(body: &[u8]) -> Result<ResultTable, LookupError> {
    let value: serde_json::Value = serde_json::from_slice(body).map_err(|e| bad(&e.to_string()))?;
    let root = value.as_object().ok_or_else(|| bad("not an object"))?;
    let schema = get_ci(root, "schema")
        .and_then(|s| s.as_array())
        .ok_or_else(|| bad("no schema"))?;
    let columns = columns_of(schema)?;
    let results = match get_ci(root, "results") {
        Some(serde_json::Value::Array(rows)) => rows.as_slice(),
        Some(serde_json::Value::Null) | None => &[],
        Some(_) => return Err(bad("results is not an array")),
    };
    let mut rows = Vec::with_capacity(results.len());
    for (r, row) in results.iter().enumerate() {
        let obj = row
            .as_object()
            .ok_or_else(|| bad(&format!("result {r} is not an object")))?;
        rows.push(
            columns
                .iter()
                .map(|c| match get_ci(obj, &c.name) {
                    Some(v) => RawCell::from_value(v.clone()).into_cell(&c.col_type),
                    None => Cell::Null,
                })
                .collect(),
        );
    }
    Ok(ResultTable {
        name: "HuntingResults".into(),
        columns,
        rows,
    })
}
