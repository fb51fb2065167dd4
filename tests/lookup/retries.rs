//! Retries, waits and paging limits against a loopback mock: reads are
//! retried on server errors and dropped connections, writes never; a long
//! Retry-After is reported, not shortened; paging stops on a repeated or
//! foreign next link and keeps what it fetched; what is recorded for a
//! Graph query is what went on the wire.

use std::collections::BTreeMap;
use std::time::Duration;

use cairn::lookup::action::{self, ActionRequest};
use cairn::lookup::error::LookupError;
use cairn::lookup::graph;
use cairn::store::event::ActionStatus;
use cairn::tree::model::{HttpMethod, VarType};
use cairn::tree::template::{Target, render};

use super::mock::{Mock, Reply};
use super::support::{client, client_with, settings, token};

const PAGE: &str = r#"{"value":[{"id":"1"}]}"#;

#[tokio::test]
async fn reads_are_retried_on_server_errors_and_dropped_connections() {
    let mock = Mock::start(|_, i| match i {
        0 => Reply::json(500, r#"{"error":{"code":"InternalServerError"}}"#),
        1 => Reply::empty(502),
        2 => Reply::dropped(),
        _ => Reply::json(200, PAGE),
    })
    .await;
    let (client, waits) = client(&mock.base());
    let result = graph::get(&client, "/users", None).await.unwrap();
    assert_eq!(result.row_count(), 1);
    assert_eq!(mock.count(), 4);
    assert_eq!(waits.lock().unwrap().len(), 3, "a pause before each retry");
}

#[tokio::test]
async fn writes_are_never_retried_on_server_errors_or_dropped_connections() {
    for reply in [Reply::empty(502), Reply::empty(503), Reply::dropped()] {
        let dropped = reply.drop_connection;
        let mock = Mock::start(move |_, _| reply.clone()).await;
        let (client, waits) = client(&mock.base());
        let report = action::perform(
            &client,
            &ActionRequest {
                method: HttpMethod::Delete,
                path: "/devices/0b6f3e1a-55c2-4c1e-8d7a-91e2c3d4b5a6".into(),
                body: None,
            },
        )
        .await;
        assert_eq!(mock.count(), 1, "a write is sent once");
        assert!(waits.lock().unwrap().is_empty());
        let expected = if dropped {
            ActionStatus::Unknown
        } else {
            ActionStatus::Failed
        };
        assert_eq!(report.status, expected, "{}", report.detail);
    }
}

#[tokio::test]
async fn a_retry_after_above_the_cap_is_reported_not_shortened() {
    let mock = Mock::start(|_, i| match i {
        0 => Reply::json(429, r#"{"error":{"code":"TooManyRequests"}}"#)
            .with_header("Retry-After", "2"),
        _ => Reply::json(429, r#"{"error":{"code":"TooManyRequests"}}"#)
            .with_header("Retry-After", "600"),
    })
    .await;
    let (client, waits) = client(&mock.base());
    let err = graph::get(&client, "/users", None).await.unwrap_err();
    assert!(
        matches!(err, LookupError::WaitTooLong { status: 429, wait, .. } if wait == Duration::from_secs(600)),
        "{err}"
    );
    let text = err.to_string();
    assert!(
        text.contains("600 s") && text.contains("60 s") && text.contains(" UTC"),
        "{text}"
    );
    // The short wait was honoured; the long one was not shortened to the cap.
    assert_eq!(*waits.lock().unwrap(), vec![Duration::from_secs(2)]);
    assert_eq!(mock.count(), 2);
}

#[tokio::test]
async fn a_next_link_to_a_page_already_fetched_stops_paging_with_a_warning() {
    let mock = Mock::start(|req, _| {
        let host = req.header("host").unwrap().to_string();
        // Page 2 links back to page 1.
        let next = if req.target.contains("skiptoken") {
            format!("http://{host}/v1.0/users?$top=1")
        } else {
            format!("http://{host}/v1.0/users?$top=1&$skiptoken=2")
        };
        Reply::json(
            200,
            &format!(r#"{{"value":[{{"id":"x"}}],"@odata.nextLink":"{next}"}}"#),
        )
    })
    .await;
    let (client, _) = client(&mock.base());
    let result = graph::get(&client, "/users?$top=1", None).await.unwrap();
    assert_eq!(mock.count(), 2);
    assert_eq!(result.row_count(), 2);
    let warning = result.warning.unwrap();
    assert!(
        warning.contains("already fetched") && warning.contains("2 rows kept"),
        "{warning}"
    );
}

#[tokio::test]
async fn a_refused_foreign_next_link_keeps_the_pages_fetched_and_says_why() {
    let foreign = Mock::start(|_, _| Reply::json(200, PAGE)).await;
    let link = format!("{}/v1.0/users?$skiptoken=steal", foreign.base());
    let mock = Mock::start(move |req, _| {
        let host = req.header("host").unwrap().to_string();
        let next = if req.target.contains("skiptoken=2") {
            link.clone()
        } else {
            format!("http://{host}/v1.0/users?$skiptoken=2")
        };
        Reply::json(
            200,
            &format!(r#"{{"value":[{{"id":"a"}},{{"id":"b"}}],"@odata.nextLink":"{next}"}}"#),
        )
    })
    .await;
    let (client, _) = client(&mock.base());
    let result = graph::get(&client, "/users", None).await.unwrap();
    assert_eq!(result.row_count(), 4);
    let warning = result.warning.unwrap();
    assert!(
        warning.contains("stopped after page 2 (4 rows kept)")
            && warning.contains("refused to follow")
            && warning.contains("skiptoken=steal"),
        "{warning}"
    );
    assert_eq!(foreign.count(), 0, "the token never leaves the Graph host");
}

#[tokio::test]
async fn the_recorded_graph_query_is_the_wire_form() {
    let mock = Mock::start(|_, _| Reply::json(200, PAGE)).await;
    let (client, _) = client(&mock.base());
    let types = |name: &str| (name == "upn").then_some(VarType::Upn);
    let values = BTreeMap::from([("upn".to_string(), "o'brien@contoso.com".to_string())]);
    let rendered = render(
        "lookup 'signins'",
        "/auditLogs/signIns?$filter=userPrincipalName eq '{{upn}}' and status/errorCode eq 0&$top=50",
        Target::GraphPath,
        types,
        &values,
    )
    .unwrap();
    graph::get(&client, &rendered.text, None).await.unwrap();
    assert_eq!(
        mock.requests()[0].target,
        format!("/v1.0{}", rendered.text),
        "what is recorded is what was sent"
    );
}

#[tokio::test]
async fn a_read_may_last_the_whole_server_side_wait() {
    // The configured read timeout is raised to the server wait plus margin.
    let mut s = settings();
    s.query_wait_secs = 1;
    s.read_timeout = Duration::from_millis(100);
    let s = s.coherent();
    assert!(
        s.read_timeout > Duration::from_secs(1),
        "{:?}",
        s.read_timeout
    );
    assert!(s.total_timeout > s.read_timeout);
    let mock = Mock::start(|_, _| Reply::json(200, PAGE).delayed(Duration::from_millis(400))).await;
    let (client, _) = client_with(
        &mock.base(),
        s,
        std::sync::Arc::new(cairn::lookup::auth::StaticToken(token("t"))),
    );
    assert!(graph::get(&client, "/users", None).await.is_ok());
}
