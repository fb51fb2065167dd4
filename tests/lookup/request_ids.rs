//! Request ids a failed call's response headers carry are kept with its
//! error, beside those of the error body, so the details show them and
//! `y` copies them for a support case.

use cairn::lookup::error::LookupError;
use cairn::lookup::{graph, hunting, loganalytics};

use super::mock::{Mock, Reply};
use super::support::client;

fn ids(err: LookupError) -> (Vec<(String, String)>, String) {
    let text = err.to_string();
    match err {
        LookupError::Api(e) => (e.ids.to_vec(), text),
        other => panic!("wanted the service's error, got {other:?}"),
    }
}

fn pair(name: &str, id: &str) -> (String, String) {
    (name.to_string(), id.to_string())
}

#[tokio::test]
async fn graph_ids_come_from_the_headers_and_the_body_each_once() {
    let mock = Mock::start(|_, _| {
        Reply::json(
            403,
            r#"{"error":{"code":"Authorization_RequestDenied","message":"no","innerError":{"request-id":"r-1","client-request-id":"c-body"}}}"#,
        )
        .with_header("request-id", "r-1")
        .with_header("client-request-id", "c-1")
    })
    .await;
    let (client, _) = client(&mock.base());
    let (ids, text) = ids(graph::get(&client, "/users", None).await.unwrap_err());
    assert_eq!(
        ids,
        vec![
            pair("request-id", "r-1"),
            pair("client-request-id", "c-1"),
            pair("client-request-id", "c-body"),
        ]
    );
    assert!(
        text.ends_with("[request-id r-1, client-request-id c-1, client-request-id c-body]"),
        "{text}"
    );
}

#[tokio::test]
async fn azure_ids_of_log_analytics_and_hunting_are_kept() {
    let mock = Mock::start(|req, _| {
        let reply = Reply::json(
            400,
            r#"{"error":{"code":"BadArgumentError","message":"bad"}}"#,
        );
        if req.target.contains("runHuntingQuery") {
            reply.with_header("request-id", "h-1")
        } else {
            reply
                .with_header("x-ms-request-id", "la-1")
                .with_header("x-ms-correlation-request-id", "corr-1")
        }
    })
    .await;
    let (client, _) = client(&mock.base());
    let (la, text) = ids(loganalytics::query(&client, "T", None, None)
        .await
        .unwrap_err());
    assert_eq!(
        la,
        vec![
            pair("x-ms-request-id", "la-1"),
            pair("x-ms-correlation-request-id", "corr-1")
        ]
    );
    assert!(
        text.contains("[x-ms-request-id la-1, x-ms-correlation-request-id corr-1]"),
        "{text}"
    );
    let (hunt, _) = ids(hunting::query(&client, "T", None, None).await.unwrap_err());
    assert_eq!(hunt, vec![pair("request-id", "h-1")]);
}
