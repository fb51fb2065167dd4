//! Graph reads with paging, the foreign-nextLink refusal, hunting, and
//! write actions (never retried; unknown outcomes verified by a GET).

use std::time::Duration;

use cairn::lookup::action::{self, ActionRequest, Verified, VerifyPlan};
use cairn::lookup::error::LookupError;
use cairn::lookup::table::{Cell, ColumnType, Dynamic};
use cairn::lookup::{graph, hunting};
use cairn::store::event::ActionStatus;
use cairn::tree::model::HttpMethod;

use super::mock::{Mock, Reply};
use super::support::{client, client_with, settings, token};

#[tokio::test]
async fn graph_follows_next_links_on_the_same_host() {
    let mock = Mock::start(|req, _| {
        let host = req.header("host").unwrap().to_string();
        if req.target.contains("skiptoken=2") {
            Reply::json(200, r#"{"value":[{"id":"3","ipAddress":"203.0.113.9","riskDetail":null}]}"#)
        } else if req.target.contains("skiptoken=1") {
            // An empty page in the middle is legal.
            Reply::json(200, &format!(r#"{{"value":[],"@odata.nextLink":"http://{host}/v1.0/auditLogs/signIns?$skiptoken=2"}}"#))
        } else {
            Reply::json(200, &format!(
                r#"{{"@odata.context":"http://{host}/v1.0/$metadata#auditLogs/signIns","@odata.nextLink":"http://{host}/v1.0/auditLogs/signIns?$top=2&$skiptoken=1","value":[{{"id":"1","ipAddress":"198.51.100.7","status":{{"errorCode":0}},"isInteractive":true,"riskScore":5}},{{"id":"2","ipAddress":"192.0.2.10","isInteractive":false}}]}}"#
            ))
        }
    })
    .await;
    let (client, _) = client(&mock.base());
    let result = graph::get(&client, "/auditLogs/signIns?$top=2", None)
        .await
        .unwrap();
    assert_eq!(mock.count(), 3);
    let reqs = mock.requests();
    assert_eq!(reqs[0].target, "/v1.0/auditLogs/signIns?$top=2");
    assert!(
        reqs.iter()
            .all(|r| r.header("authorization") == Some("Bearer test-token-1"))
    );
    let t = result.primary().unwrap();
    let names: Vec<&str> = t.columns.iter().map(|c| c.name.as_str()).collect();
    assert_eq!(
        names,
        [
            "id",
            "ipAddress",
            "status",
            "isInteractive",
            "riskScore",
            "riskDetail"
        ]
    );
    assert_eq!(t.rows.len(), 3);
    assert_eq!(t.columns[2].col_type, ColumnType::Dynamic);
    assert_eq!(
        t.rows[0][2],
        Cell::Dynamic(Dynamic::Json(serde_json::json!({"errorCode": 0})))
    );
    assert_eq!(t.rows[0][4], Cell::Long(5));
    assert_eq!(t.rows[1][4], Cell::Null);
    assert_eq!(t.rows[2][1], Cell::Str("203.0.113.9".into()));
}

#[tokio::test]
async fn a_next_link_to_another_host_is_refused_and_gets_no_token() {
    let foreign = Mock::start(|_, _| Reply::json(200, r#"{"value":[]}"#)).await;
    // Same IP, other port: a different origin all the same.
    let foreign_link = format!("{}/v1.0/users?$skiptoken=steal", foreign.base());
    let mock = Mock::start(move |_, _| {
        Reply::json(
            200,
            &format!(r#"{{"value":[{{"id":"1"}}],"@odata.nextLink":"{foreign_link}"}}"#),
        )
    })
    .await;
    let (client, _) = client(&mock.base());
    // The page fetched is kept; the warning names the refused link.
    let result = graph::get(&client, "/users", None).await.unwrap();
    assert_eq!(result.row_count(), 1);
    let warning = result.warning.unwrap();
    assert!(warning.contains("skiptoken=steal"), "{warning}");
    assert_eq!(
        foreign.count(),
        0,
        "the token must never reach another host"
    );

    for link in [
        "https://evil.example/v1.0/users",
        "ftp://127.0.0.1/x",
        "http://user:pw@127.0.0.1/x",
        "not a url",
    ] {
        assert!(
            graph::check_same_origin("http://127.0.0.1:8080/v1.0", link).is_err(),
            "{link}"
        );
    }
    assert!(
        graph::check_same_origin(
            "https://graph.microsoft.com/v1.0",
            "https://graph.microsoft.com:443/v1.0/x"
        )
        .is_ok()
    );
    assert!(graph::url_for(&client, "//evil.example/x").is_err());
    assert!(graph::url_for(&client, "users").is_err());
}

#[tokio::test]
async fn graph_errors_use_the_innererror_envelope() {
    let mock = Mock::start(|_, _| {
        Reply::json(403, r#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges to complete the operation.","innerError":{"date":"2026-11-26T03:00:00","request-id":"r","client-request-id":"c"}}}"#)
    })
    .await;
    let (client, _) = client(&mock.base());
    match graph::get(&client, "/users/x/authentication/methods", None).await {
        Err(LookupError::Api(e)) => {
            assert_eq!(e.code, "Authorization_RequestDenied");
            assert!(
                e.hint
                    .as_deref()
                    .unwrap()
                    .to_string()
                    .contains("missing permission")
            );
        }
        other => panic!("{other:?}"),
    }
}

#[tokio::test]
async fn hunting_posts_query_and_timespan_and_matches_keys_case_insensitively() {
    let mock = Mock::start(|_, _| {
        Reply::json(200, r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#microsoft.graph.security.huntingQueryResults",
          "Schema":[{"Name":"Timestamp","Type":"DateTime"},{"name":"FileName","type":"String"},{"name":"Size","type":"Int64"},{"name":"Extra","type":"Dynamic"}],
          "results":[{"Timestamp":"2024-03-26T09:39:50.7688641Z","filename":"cmd.exe","SIZE":9007199254740993,"Extra":"{\"k\":[1]}"},
                     {"Timestamp":"2024-03-26T09:40:00Z","FileName":"a.docx","Extra":{"k":2}}]}"#)
    })
    .await;
    let (client, _) = client(&mock.base());
    let result = hunting::query(&client, "CloudAppEvents | take 2", Some("P30D"), None)
        .await
        .unwrap();
    let req = &mock.requests()[0];
    assert_eq!(req.method, "POST");
    assert_eq!(req.target, "/v1.0/security/runHuntingQuery");
    assert_eq!(
        req.json(),
        serde_json::json!({"Query": "CloudAppEvents | take 2", "Timespan": "P30D"})
    );
    let t = result.primary().unwrap();
    assert_eq!(
        t.rows[0][0],
        Cell::Datetime("2024-03-26T09:39:50.7688641Z".into())
    );
    assert_eq!(t.rows[0][1], Cell::Str("cmd.exe".into()));
    assert_eq!(t.rows[0][2], Cell::Long(9_007_199_254_740_993));
    assert_eq!(
        t.rows[0][3],
        Cell::Dynamic(Dynamic::Json(serde_json::json!({"k": [1]})))
    );
    assert_eq!(t.rows[1][2], Cell::Null);
    assert_eq!(
        t.rows[1][3],
        Cell::Dynamic(Dynamic::Json(serde_json::json!({"k": 2})))
    );
}

fn delete_method(id: &str) -> ActionRequest {
    ActionRequest {
        method: HttpMethod::Delete,
        path: format!(
            "/users/adele%40contoso.com/authentication/microsoftAuthenticatorMethods/{id}"
        ),
        body: None,
    }
}

#[tokio::test]
async fn a_delete_succeeds_on_204_and_throttling_is_not_retried() {
    let mock = Mock::start(|req, _| match req.method.as_str() {
        "DELETE" if req.target.ends_with("/m1") => Reply::empty(204),
        _ => Reply::json(
            429,
            r#"{"error":{"code":"TooManyRequests","message":"Please retry again later."}}"#,
        )
        .with_header("Retry-After", "1"),
    })
    .await;
    let (client, waits) = client(&mock.base());
    let ok = action::perform(&client, &delete_method("m1")).await;
    assert_eq!(ok.status, ActionStatus::Succeeded);
    assert_eq!(ok.http_status, Some(204));
    assert_eq!(mock.requests()[0].method, "DELETE");

    let throttled = action::perform(&client, &delete_method("m2")).await;
    assert_eq!(throttled.status, ActionStatus::Failed);
    assert_eq!(throttled.http_status, Some(429));
    assert!(
        throttled.detail.contains("Nothing was changed"),
        "{}",
        throttled.detail
    );
    assert_eq!(mock.count(), 2, "a write is sent exactly once");
    assert!(waits.lock().unwrap().is_empty());
}

#[tokio::test]
async fn a_timed_out_write_is_unknown_and_a_get_settles_it() {
    let mock = Mock::start(|req, _| match req.method.as_str() {
        "DELETE" => Reply::empty(204).delayed(Duration::from_secs(5)),
        "POST" => Reply::json(200, r#"{"value":true}"#).delayed(Duration::from_secs(5)),
        _ if req.target.contains("signInSessionsValidFromDateTime") => {
            let now = chrono::Utc::now().to_rfc3339();
            Reply::json(
                200,
                &format!(r#"{{"signInSessionsValidFromDateTime":"{now}"}}"#),
            )
        }
        _ => Reply::json(
            404,
            r#"{"error":{"code":"Request_ResourceNotFound","message":"Resource not found."}}"#,
        ),
    })
    .await;
    let mut s = settings();
    s.total_timeout = Duration::from_millis(300);
    let (client, _) = client_with(
        &mock.base(),
        s,
        std::sync::Arc::new(cairn::lookup::auth::StaticToken(token("t"))),
    );

    let report = action::perform(&client, &delete_method("m9")).await;
    assert_eq!(report.status, ActionStatus::Unknown);
    assert!(
        report.detail.starts_with("outcome unknown"),
        "{}",
        report.detail
    );
    let plan = report.verify.clone().unwrap();
    assert_eq!(
        plan,
        VerifyPlan::ExpectGone {
            path: "/users/adele%40contoso.com/authentication/microsoftAuthenticatorMethods/m9"
                .into()
        }
    );
    assert_eq!(action::verify(&client, &plan).await, Verified::Done);
    assert_eq!(
        mock.requests()
            .iter()
            .filter(|r| r.method == "DELETE")
            .count(),
        1
    );

    let revoke = ActionRequest {
        method: HttpMethod::Post,
        path: "/users/adele%40contoso.com/revokeSignInSessions".into(),
        body: None,
    };
    let report = action::perform(&client, &revoke).await;
    assert_eq!(report.status, ActionStatus::Unknown);
    let plan = report.verify.unwrap();
    assert_eq!(
        plan.get_path(),
        "/users/adele%40contoso.com?$select=signInSessionsValidFromDateTime"
    );
    assert_eq!(action::verify(&client, &plan).await, Verified::Done);
    assert!(
        mock.requests()
            .iter()
            .any(|r| r.method == "POST" && r.header("content-length") == Some("0"))
    );
}

#[tokio::test]
async fn practice_actions_are_simulated_and_send_nothing() {
    let r = action::simulate(&delete_method("m1"));
    assert_eq!(r.status, ActionStatus::Simulated);
    assert!(r.detail.contains("nothing was sent"));
    assert!(r.detail.contains("DELETE /users/adele%40contoso.com"));
}

#[tokio::test]
async fn redirects_are_not_followed_so_the_token_stays_home() {
    let foreign = Mock::start(|_, _| Reply::json(200, r#"{"value":[]}"#)).await;
    let target = format!("{}/v1.0/users", foreign.base());
    let mock = Mock::start(move |_, _| Reply::empty(302).with_header("Location", &target)).await;
    let (client, _) = client(&mock.base());
    let err = graph::get(&client, "/users", None).await.unwrap_err();
    assert!(
        matches!(&err, LookupError::Api(e) if e.status == 302),
        "{err}"
    );
    assert_eq!(foreign.count(), 0);
}

#[tokio::test]
async fn endless_paging_stops_with_a_warning() {
    let mock = Mock::start(|req, i| {
        let host = req.header("host").unwrap().to_string();
        Reply::json(200, &format!(r#"{{"value":[{{"id":"{i}"}}],"@odata.nextLink":"http://{host}/v1.0/users?$skiptoken={i}"}}"#))
    })
    .await;
    let (client, _) = client(&mock.base());
    let result = graph::get(&client, "/users", None).await.unwrap();
    assert_eq!(mock.count(), graph::MAX_PAGES as usize);
    assert_eq!(result.row_count(), graph::MAX_PAGES as usize);
    assert!(result.warning.unwrap().contains("stopped after"));
}
