//! Log Analytics against the mock: every column type, partial errors,
//! error envelopes with hints, no-data answers, throttling, timeouts.

use std::time::Duration;

use cairn::lookup::error::{LookupError, TimeoutKind};
use cairn::lookup::loganalytics;
use cairn::lookup::retry::Progress;
use cairn::lookup::table::{Cell, ColumnType, Dynamic};

use super::mock::{Mock, Reply};
use super::support::{WORKSPACE, client, client_with, fixture, settings};

#[tokio::test]
async fn sends_the_documented_request_and_parses_every_column_type() {
    let body = fixture("la_all_types.json");
    let mock = Mock::start(move |_, _| Reply::json(200, &body)).await;
    let (client, _) = client(&mock.base());
    let result = loganalytics::query(&client, "T | take 4", Some("P7D"), None)
        .await
        .unwrap();

    let req = &mock.requests()[0];
    assert_eq!(req.method, "POST");
    assert_eq!(req.target, format!("/v1/workspaces/{WORKSPACE}/query"));
    assert_eq!(req.header("authorization"), Some("Bearer test-token-1"));
    assert_eq!(req.header("prefer"), Some("wait=30"));
    assert!(
        req.header("content-type")
            .unwrap()
            .starts_with("application/json")
    );
    assert_eq!(
        req.json(),
        serde_json::json!({"query": "T | take 4", "timespan": "P7D"})
    );

    let t = result.primary().unwrap();
    assert_eq!(t.name, "PrimaryResult");
    let types: Vec<&str> = t.columns.iter().map(|c| c.col_type.name()).collect();
    assert_eq!(
        types,
        [
            "bool", "string", "datetime", "dynamic", "guid", "int", "long", "real", "timespan",
            "decimal"
        ]
    );
    let r0 = &t.rows[0];
    assert_eq!(r0[0], Cell::Bool(true));
    assert_eq!(r0[2], Cell::Datetime("2026-11-23T09:12:00.1Z".into()));
    assert_eq!(
        r0[3],
        Cell::Dynamic(Dynamic::Json(
            serde_json::json!([{"app":"Outlook"},{"files":212},{"result":"blocked"}])
        ))
    );
    assert_eq!(
        r0[4],
        Cell::Guid("0b7e2c41-9a3d-4f6e-8c15-2d9e7a4b6f03".into())
    );
    assert_eq!(r0[5], Cell::Long(2_147_483_647));
    assert_eq!(r0[6], Cell::Long(i64::MAX));
    assert_eq!(r0[7], Cell::Real(f64::MAX));
    assert_eq!(r0[8], Cell::Timespan("00:00:00.0000001".into()));
    assert_eq!(r0[9], Cell::Decimal("79228162514264337593543950335".into()));
    let r1 = &t.rows[1];
    assert_eq!(r1[6], Cell::Long(i64::MIN));
    assert!(matches!(r1[7], Cell::Real(x) if x.is_nan()));
    assert_eq!(r1[3], Cell::Dynamic(Dynamic::Raw("not json {".into())));
    assert_eq!(r1[2], Cell::Null);
    // Hostile text is kept exactly but shown with visible markers.
    assert_eq!(r1[1], Cell::Str("\u{1b}]0;owned\u{7}x\u{202e}evil".into()));
    assert_eq!(r1[1].display(), "<U+001B>]0;owned<U+0007>x<U+202E>evil");
    assert_eq!(t.rows[2][7], Cell::Real(f64::INFINITY));
    assert_eq!(t.rows[3][7], Cell::Real(f64::NEG_INFINITY));
    assert_eq!(t.rows[2][0], Cell::Null);
    assert_eq!(t.columns[3].col_type, ColumnType::Dynamic);
    assert!(result.warning.is_none());
}

#[tokio::test]
async fn partial_error_keeps_rows_and_warns() {
    let body = r#"{"tables":[{"name":"PrimaryResult","columns":[{"name":"n","type":"long"}],"rows":[[1]]}],
      "error":{"code":"PartialError","message":"There were some errors when processing your query.",
      "details":[{"code":"EngineError","message":"Something went wrong processing your query on the server.",
      "innererror":{"code":"-2133196797","message":"The results of this query exceed the set limit of 1 records.","severity":2,"severityName":"Error"}}]}}"#;
    let mock = Mock::start(move |_, _| Reply::json(200, body)).await;
    let (client, _) = client(&mock.base());
    let result = loganalytics::query(&client, "T", None, None).await.unwrap();
    assert_eq!(result.row_count(), 1);
    let w = result.warning.unwrap();
    assert!(w.starts_with("PartialError: There were some errors"), "{w}");
    assert!(w.contains("exceed the set limit of 1 records"), "{w}");
    assert!(mock.requests()[0].json().get("timespan").is_none());
}

#[tokio::test]
async fn no_data_answers_are_empty_results() {
    for reply in [
        Reply::empty(204),
        Reply::empty(200),
        Reply::json(200, "  \n"),
    ] {
        let mock = Mock::start(move |_, _| reply.clone()).await;
        let (client, _) = client(&mock.base());
        let result = loganalytics::query(&client, "T", None, None).await.unwrap();
        assert!(result.is_empty());
        assert!(result.tables.is_empty());
    }
}

async fn api_error(status: u16, body: &'static str) -> cairn::lookup::error::ApiError {
    let mock = Mock::start(move |_, _| Reply::json(status, body)).await;
    let (client, _) = client(&mock.base());
    match loganalytics::query(&client, "T", None, None).await {
        Err(LookupError::Api(e)) => e,
        other => panic!("expected an API error, got {other:?}"),
    }
}

#[tokio::test]
async fn errors_are_typed_with_codes_and_hints() {
    let e = api_error(400, r#"{"error":{"message":"The request had some invalid properties","code":"BadArgumentError","correlationId":"x","innererror":{"code":"SyntaxError","message":"A recognition error occurred in the query.","innererror":{"code":"SYN0002","message":"Query could not be parsed at 'Audit logs'"}}}}"#).await;
    assert_eq!(e.status, 400);
    assert_eq!(e.code, "BadArgumentError");
    assert_eq!(e.inner[0].0, "SyntaxError");
    assert_eq!(e.inner[1].0, "SYN0002");
    assert!(e.hint.as_deref().unwrap().to_string().contains("KQL"));

    let e = api_error(403, r#"{"error":{"message":"The provided authentication is not valid for this resource","code":"InvalidAuthenticationTokenAudience"}}"#).await;
    assert!(
        e.hint.as_deref().unwrap().to_string().contains("audience"),
        "{e}"
    );

    let e = api_error(403, r#"{"error":{"message":"The provided credentials have insufficient access to perform the requested operation","code":"InsufficientAccessError","innererror":{"code":"UnauthorizedClient","message":"The service principal does not have sufficient permissions"}}}"#).await;
    assert!(
        e.hint
            .as_deref()
            .unwrap()
            .to_string()
            .contains("missing permission"),
        "{e}"
    );

    let e = api_error(
        404,
        r#"{"error":{"message":"The requested path does not exist","code":"PathNotFoundError"}}"#,
    )
    .await;
    assert!(
        e.hint
            .as_deref()
            .unwrap()
            .to_string()
            .contains("workspace not found"),
        "{e}"
    );

    let e = api_error(504, "<html>gateway timeout</html>").await;
    assert_eq!(e.code, "Http504");
    assert!(
        e.hint.as_deref().unwrap().to_string().contains("longer"),
        "{e}"
    );
}

#[tokio::test]
async fn throttling_honours_retry_after_and_reports_progress() {
    let body = fixture("la_all_types.json");
    let mock = Mock::start(move |_, i| match i {
        0 => Reply::json(
            429,
            r#"{"error":{"code":"TooManyRequests","message":"slow down"}}"#,
        )
        .with_header("Retry-After", "2.128"),
        1 => Reply::empty(503),
        _ => Reply::json(200, &body),
    })
    .await;
    let (mut client, waits) = client(&mock.base());
    let (tx, rx) = tokio::sync::watch::channel(Progress::Sending { attempt: 0 });
    // What an observer sees while each wait is running.
    let seen = std::sync::Arc::new(std::sync::Mutex::new(Vec::new()));
    let (inner, s2) = (client.retry.sleeper.clone(), seen.clone());
    client.retry.sleeper = std::sync::Arc::new(move |d| {
        s2.lock().unwrap().push(rx.borrow().clone());
        inner(d)
    });
    let result = loganalytics::query(&client, "T", None, Some(&tx))
        .await
        .unwrap();
    assert_eq!(result.primary().unwrap().rows.len(), 4);
    assert_eq!(mock.count(), 3);
    let waits = waits.lock().unwrap().clone();
    assert_eq!(waits[0], Duration::from_millis(2128));
    // No Retry-After on the 503: back-off with jitter between 0.5 and 1 x 2 s.
    assert!(
        waits[1] >= Duration::from_secs(1) && waits[1] <= Duration::from_secs(2),
        "{waits:?}"
    );
    let seen = seen.lock().unwrap().clone();
    assert_eq!(
        seen[0],
        Progress::Waiting {
            attempt: 1,
            delay: Duration::from_millis(2128),
            reason: 429,
            from_retry_after: true
        }
    );
    assert!(
        matches!(
            seen[1],
            Progress::Waiting {
                attempt: 2,
                reason: 503,
                from_retry_after: false,
                ..
            }
        ),
        "{seen:?}"
    );
    assert_eq!(*tx.borrow(), Progress::Sending { attempt: 3 });
}

#[tokio::test]
async fn retries_are_capped_then_the_error_is_reported() {
    let mock = Mock::start(|_, _| {
        Reply::json(
            429,
            r#"{"error":{"code":"TooManyRequests","message":"Please retry again later."}}"#,
        )
        .with_header("Retry-After", "Wed, 21 Oct 2015 07:28:00 GMT")
    })
    .await;
    let (client, waits) = client(&mock.base());
    let err = loganalytics::query(&client, "T", None, None)
        .await
        .unwrap_err();
    assert!(
        matches!(&err, LookupError::Api(e) if e.status == 429 && e.hint.is_some()),
        "{err}"
    );
    assert_eq!(mock.count(), 4, "one attempt and three retries");
    // A date in the past means "retry now".
    assert_eq!(*waits.lock().unwrap(), vec![Duration::ZERO; 3]);
}

#[tokio::test]
async fn a_stalled_response_hits_the_read_timeout() {
    let body = fixture("la_all_types.json");
    let mock =
        Mock::start(move |_, _| Reply::json(200, &body).stalled(Duration::from_secs(5))).await;
    let mut s = settings();
    s.read_timeout = Duration::from_millis(200);
    let (client, _) = client_with(
        &mock.base(),
        s,
        std::sync::Arc::new(cairn::lookup::auth::StaticToken(super::support::token("t"))),
    );
    let started = std::time::Instant::now();
    let err = loganalytics::query(&client, "T", None, None)
        .await
        .unwrap_err();
    assert_eq!(err, LookupError::Timeout(TimeoutKind::Read));
    assert!(started.elapsed() < Duration::from_secs(3));
}

#[tokio::test]
async fn a_slow_lookup_hits_the_total_timeout_and_can_be_cancelled() {
    use cairn::lookup::run::{Backend, LookupRequest};
    use cairn::tree::model::Provider;
    let mock =
        Mock::start(|_, _| Reply::json(200, "{\"tables\":[]}").delayed(Duration::from_secs(5)))
            .await;
    let mut s = settings();
    s.total_timeout = Duration::from_millis(300);
    let (client, _) = client_with(
        &mock.base(),
        s,
        std::sync::Arc::new(cairn::lookup::auth::StaticToken(super::support::token("t"))),
    );
    let backend = Backend::Live(std::sync::Arc::new(client));
    let req = LookupRequest {
        lookup_id: "slow".into(),
        provider: Provider::LogAnalytics,
        text: "T".into(),
        timespan: None,
    };
    let err = backend.run(&req, None).await.unwrap_err();
    assert_eq!(err, LookupError::Timeout(TimeoutKind::Total));
    assert_eq!(err.status(), cairn::store::event::LookupStatus::TimedOut);

    // Cancelling: dropping the future frees the caller at once.
    let b2 = backend.clone();
    let handle = tokio::spawn(async move { b2.run(&req, None).await });
    tokio::time::sleep(Duration::from_millis(50)).await;
    let started = std::time::Instant::now();
    handle.abort();
    let joined = handle.await;
    assert!(joined.unwrap_err().is_cancelled());
    assert!(started.elapsed() < Duration::from_millis(100));
}

#[tokio::test]
async fn unreachable_service_is_reported_plainly() {
    let listener = std::net::TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    drop(listener);
    let (client, _) = client(&base);
    let err = loganalytics::query(&client, "T", None, None)
        .await
        .unwrap_err();
    assert!(matches!(err, LookupError::Unreachable(_)), "{err:?}");
}

#[test]
fn malformed_bodies_are_errors_not_panics() {
    for body in [
        "{",
        "[]",
        r#"{"tables":[{"name":"x","columns":[{"name":"a","type":"long"}],"rows":[[1,2]]}]}"#,
        r#"{"tables":[{"name":"x","rows":[]}]}"#,
    ] {
        assert!(
            matches!(
                loganalytics::parse_response(body.as_bytes()),
                Err(LookupError::Malformed(_))
            ),
            "{body}"
        );
    }
}

#[test]
fn rows_before_columns_still_parse() {
    let body = br#"{"tables":[{"rows":[[1,"x"],[null,"y"]],"name":"T","columns":[{"name":"n","type":"long"},{"name":"s","type":"string"}]}]}"#;
    let r = loganalytics::parse_response(body).unwrap();
    let t = r.primary().unwrap();
    assert_eq!(
        t.rows,
        vec![
            vec![Cell::Long(1), Cell::Str("x".into())],
            vec![Cell::Null, Cell::Str("y".into())]
        ]
    );
    let short = br#"{"tables":[{"name":"T","columns":[{"name":"n","type":"long"},{"name":"s","type":"string"}],"rows":[[1]]}]}"#;
    let err = loganalytics::parse_response(short).unwrap_err();
    assert!(
        err.to_string().contains("row 0 has 1 values for 2 columns"),
        "{err}"
    );
}

#[tokio::test]
async fn extra_workspaces_are_sent_for_cross_workspace_queries() {
    let mock = Mock::start(|_, _| Reply::empty(204)).await;
    let (mut client, _) = client(&mock.base());
    client.extra_workspaces = vec!["aaaaaaaa-0000-0000-0000-000000000001".into()];
    loganalytics::query(&client, "T", Some("PT12H"), None)
        .await
        .unwrap();
    assert_eq!(
        mock.requests()[0].json(),
        serde_json::json!({"query": "T", "timespan": "PT12H", "workspaces": ["aaaaaaaa-0000-0000-0000-000000000001"]})
    );
}

/// No timespan (an emptied window field): the body carries no `timespan`
/// key, so the service applies its own default.
#[tokio::test]
async fn no_timespan_sends_no_timespan_key() {
    let body = fixture("la_all_types.json");
    let mock = Mock::start(move |_, _| Reply::json(200, &body)).await;
    let (client, _) = client(&mock.base());
    loganalytics::query(&client, "T | take 4", None, None)
        .await
        .unwrap();
    let req = &mock.requests()[0];
    assert_eq!(req.json(), serde_json::json!({"query": "T | take 4"}));
}
