//! Answers are parsed from the body's chunks as they arrive, not after the
//! whole body is held: a body that goes wrong in its first half is refused
//! at once, while the rest of it is still on its way (the mock stalls
//! longer than the read timeout before sending the second half; a reader
//! that waited for the whole body would time out instead).

use std::time::Duration;

use cairn::lookup::error::LookupError;
use cairn::lookup::{graph, hunting, loganalytics};

use super::mock::{Mock, Reply};
use super::support::client;

/// `head` (malformed), then as much again of more rows, sent in two
/// halves with a minute between them.
fn stalled(head: &str) -> Reply {
    let body = format!("{head}{}", ",[0]".repeat(head.len() / 4 + 16));
    Reply::json(200, &body).stalled(Duration::from_secs(60))
}

fn assert_malformed(err: LookupError, what: &str) {
    assert!(
        matches!(err, LookupError::Malformed(_)),
        "{what}: wanted the parse error while the body is still arriving, got {err:?}"
    );
}

#[tokio::test]
async fn a_broken_log_analytics_body_is_refused_before_it_ends() {
    let mock = Mock::start(|_, _| {
        stalled(
            r#"{"tables":[{"name":"T","columns":[{"name":"a","type":"long"}],"rows":[[1],[2,3]"#,
        )
    })
    .await;
    let (client, _) = client(&mock.base());
    let err = loganalytics::query(&client, "T", None, None)
        .await
        .unwrap_err();
    assert!(err.to_string().contains("row 1 has more values"), "{err}");
    assert_malformed(err, "Log Analytics");
}

#[tokio::test]
async fn a_broken_hunting_body_is_refused_before_it_ends() {
    let mock = Mock::start(|_, _| {
        stalled(r#"{"schema":[{"name":"A","type":"string"}],"results":[{"A":"x"},7"#)
    })
    .await;
    let (client, _) = client(&mock.base());
    let err = hunting::query(&client, "T", None, None).await.unwrap_err();
    assert!(
        err.to_string().contains("result 1 is not an object"),
        "{err}"
    );
    assert_malformed(err, "hunting");
}

#[tokio::test]
async fn a_broken_graph_page_is_refused_before_it_ends() {
    let mock = Mock::start(|_, _| stalled(r#"{"value":[{"id":"1"}],"@odata.nextLink":5"#)).await;
    let (client, _) = client(&mock.base());
    let err = graph::get(&client, "/users", None).await.unwrap_err();
    assert!(
        err.to_string().contains("@odata.nextLink is not a string"),
        "{err}"
    );
    assert_malformed(err, "Graph");
}

#[tokio::test]
async fn blank_and_non_object_bodies_keep_their_meaning() {
    // A blank 200 is "no data" for every provider; a JSON array is refused.
    let mock = Mock::start(|req, _| {
        if req.target.contains("users") || req.target.contains("query") {
            Reply::json(200, "  \n ")
        } else {
            Reply::json(200, "[1]")
        }
    })
    .await;
    let (client, _) = client(&mock.base());
    let la = loganalytics::query(&client, "T", None, None).await.unwrap();
    assert!(la.tables.is_empty());
    let g = graph::get(&client, "/users", None).await.unwrap();
    assert_eq!(g.tables[0].rows.len(), 0);
    let err = hunting::query(&client, "T", None, None).await.unwrap_err();
    assert!(err.to_string().contains("not a JSON object"), "{err}");
}
