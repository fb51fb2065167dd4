//! The Sentinel client against the loopback Sentinel mock: reads by number,
//! id and ARM id, entities and alerts, idempotent comment and task writes,
//! and each fault the service can answer with.

use std::pin::Pin;
use std::sync::{Arc, Mutex};
use std::time::Duration;

use cairn::lookup::auth::{AccessToken, AuthError, Resource, TokenSource};
use cairn::lookup::error::{LookupError, TimeoutKind};
use cairn::lookup::http::ApiClient;
use cairn::lookup::sentinel::{
    EntityKind, IncidentName, IncidentRef, Sentinel, SentinelError, TaskStatus,
};

use super::sentinel_mock::{Fault, INCIDENT, RG, SUB, SentinelMock, WS};
use super::support::{client_with, settings, token};

/// Hands out the mock's token and remembers which resource each was for.
struct Recording(Mutex<Vec<Resource>>);

impl TokenSource for Recording {
    fn token(
        &self,
        resource: Resource,
        _force_refresh: bool,
    ) -> Pin<Box<dyn std::future::Future<Output = Result<AccessToken, AuthError>> + Send + '_>>
    {
        self.0.lock().unwrap().push(resource);
        Box::pin(async { Ok(token("sentinel-token")) })
    }
}

struct Setup {
    mock: SentinelMock,
    api: ApiClient,
    waits: Arc<Mutex<Vec<Duration>>>,
    tokens: Arc<Recording>,
}

async fn setup() -> Setup {
    let mock = SentinelMock::start().await;
    let mut s = settings();
    s.read_timeout = Duration::from_millis(300);
    let tokens = Arc::new(Recording(Mutex::new(Vec::new())));
    let (api, waits) = client_with(&mock.server.base(), s, tokens.clone());
    Setup {
        mock,
        api,
        waits,
        tokens,
    }
}

fn name() -> IncidentName {
    IncidentName::parse(INCIDENT).unwrap()
}

fn comment_id(n: u128) -> uuid::Uuid {
    uuid::Uuid::from_u128(n)
}

#[tokio::test]
async fn an_incident_is_read_by_number_id_or_arm_id_with_its_entities_and_alerts() {
    let t = setup().await;
    let sentinel = Sentinel::new(&t.api, &SentinelMock::workspace());
    let by_number = sentinel.incident(&IncidentRef::Number(42)).await.unwrap();
    assert_eq!(by_number.name.as_str(), INCIDENT);
    assert_eq!(by_number.number, Some(42));
    assert_eq!(
        by_number.title,
        "Suspicious token use from an unfamiliar location"
    );
    assert_eq!(
        (by_number.severity.as_str(), by_number.status.as_str()),
        ("High", "New")
    );
    assert_eq!(by_number.owner.assigned_to.as_deref(), Some("Mika"));
    assert_eq!(by_number.labels, vec!["token-theft".to_string()]);
    assert_eq!(by_number.etag.as_deref(), Some("\"incident-etag-1\""));

    let by_name = sentinel
        .incident(&IncidentRef::parse(INCIDENT).unwrap())
        .await
        .unwrap();
    assert_eq!(by_name, by_number);
    let arm = IncidentRef::parse(&by_number.id).unwrap();
    assert_eq!(sentinel.incident(&arm).await.unwrap(), by_number);

    let entities = sentinel.entities(&name()).await.unwrap();
    assert_eq!(entities.len(), 4);
    assert_eq!(entities[0].upn().as_deref(), Some("alex.doe@contoso.com"));
    assert_eq!(entities[1].address(), Some("203.0.113.7"));
    assert_eq!(
        entities[2].host().as_deref(),
        Some("LAPTOP-7.corp.contoso.com")
    );
    assert_eq!(entities[3].kind, EntityKind::Other("MailMessage".into()));
    assert_eq!(entities[0].address(), None, "an account has no address");
    let alerts = sentinel.alerts(&name()).await.unwrap();
    assert_eq!(alerts.len(), 1);
    assert_eq!(alerts[0].display_name, "Anomalous token");

    // Every call asked for an ARM token and carried the api-version; the
    // resource group's parentheses and the filter were escaped.
    assert!(
        t.tokens
            .0
            .lock()
            .unwrap()
            .iter()
            .all(|r| *r == Resource::Arm)
    );
    let requests = t.mock.server.requests();
    assert_eq!(requests.len(), 5);
    assert!(requests[0].target.contains(
        "/resourceGroups/soc-rg%28prod%29/providers/Microsoft.OperationalInsights/workspaces/soc-ws-01/"
    ), "{}", requests[0].target);
    assert!(
        requests[0].target.ends_with(
            "/incidents?api-version=2025-09-01&$filter=properties%2FincidentNumber%20eq%2042&$top=1"
        ),
        "{}",
        requests[0].target
    );
    assert_eq!(requests[3].method, "POST");
    assert_eq!(requests[3].header("content-length"), Some("0"));
}

#[tokio::test]
async fn absent_incidents_and_other_workspaces_are_named_not_guessed() {
    let t = setup().await;
    let sentinel = Sentinel::new(&t.api, &SentinelMock::workspace());
    let e = sentinel
        .incident(&IncidentRef::Number(7))
        .await
        .unwrap_err();
    assert_eq!(e, SentinelError::NotFound("#7".into()));
    let other = "00000000-0000-4000-8000-000000000001";
    let e = sentinel
        .incident(&IncidentRef::parse(other).unwrap())
        .await
        .unwrap_err();
    assert_eq!(e, SentinelError::NotFound(other.into()));
    assert!(!e.is_transient());
    let foreign = format!(
        "/subscriptions/{SUB}/resourceGroups/{RG}/providers/Microsoft.OperationalInsights/\
         workspaces/another-ws/providers/Microsoft.SecurityInsights/incidents/{INCIDENT}"
    );
    let before = t.mock.server.count();
    let e = sentinel
        .incident(&IncidentRef::parse(&foreign).unwrap())
        .await
        .unwrap_err();
    assert!(matches!(e, SentinelError::OtherWorkspace { .. }), "{e}");
    assert_eq!(
        t.mock.server.count(),
        before,
        "nothing is sent for another workspace"
    );
    assert!(e.to_string().contains(WS));
}

#[tokio::test]
async fn a_comment_written_twice_under_one_id_exists_once() {
    let t = setup().await;
    let sentinel = Sentinel::new(&t.api, &SentinelMock::workspace());
    let first = sentinel
        .put_comment(&name(), comment_id(1), "**decided**: not confirmed")
        .await
        .unwrap();
    assert!(first.created);
    assert!(first.etag.is_some());
    let again = sentinel
        .put_comment(&name(), comment_id(1), "**decided**: not confirmed")
        .await
        .unwrap();
    assert!(!again.created);
    sentinel
        .put_comment(&name(), comment_id(2), "note")
        .await
        .unwrap();
    let comments = t.mock.comments();
    assert_eq!(comments.len(), 2);
    assert_eq!(comments[0].0, comment_id(1).hyphenated().to_string());
    assert_eq!(comments[0].1.message, "**decided**: not confirmed");

    let long = "x".repeat(30_001);
    let before = t.mock.server.count();
    let e = sentinel
        .put_comment(&name(), comment_id(3), &long)
        .await
        .unwrap_err();
    assert_eq!(e, SentinelError::TooLong(30_001));
    assert_eq!(
        t.mock.server.count(),
        before,
        "an over-long comment is never sent"
    );
    sentinel
        .put_comment(&name(), comment_id(3), &long[1..])
        .await
        .unwrap();
}

#[tokio::test]
async fn a_task_is_created_new_and_completed_in_place() {
    let t = setup().await;
    let sentinel = Sentinel::new(&t.api, &SentinelMock::workspace());
    let id = comment_id(10);
    let w = sentinel
        .put_task(
            &name(),
            id,
            "[cairn] Confirm the sign-in",
            "",
            TaskStatus::New,
        )
        .await
        .unwrap();
    assert!(w.created);
    let w = sentinel
        .put_task(
            &name(),
            id,
            "[cairn] Confirm the sign-in",
            "left by a decision",
            TaskStatus::Completed,
        )
        .await
        .unwrap();
    assert!(!w.created);
    let tasks = t.mock.tasks();
    assert_eq!(tasks.len(), 1);
    assert_eq!(tasks[0].1.status, "Completed");
    assert_eq!(tasks[0].1.description, "left by a decision");
}

#[tokio::test]
async fn throttling_waits_retry_after_and_then_reports_it() {
    let t = setup().await;
    let sentinel = Sentinel::new(&t.api, &SentinelMock::workspace());
    t.mock.inject(Fault::Throttle {
        retry_after_secs: 7,
    });
    sentinel
        .put_comment(&name(), comment_id(1), "a")
        .await
        .unwrap();
    assert_eq!(*t.waits.lock().unwrap(), vec![Duration::from_secs(7)]);
    assert_eq!(t.mock.comments().len(), 1);

    // More 429s than the client retries: the caller learns how long to wait.
    for _ in 0..4 {
        t.mock.inject(Fault::Throttle {
            retry_after_secs: 9,
        });
    }
    let e = sentinel
        .put_comment(&name(), comment_id(2), "b")
        .await
        .unwrap_err();
    assert_eq!(
        e,
        SentinelError::Throttled {
            retry_after: Some(Duration::from_secs(9))
        }
    );
    assert!(e.is_transient());
    assert_eq!(e.retry_after(), Some(Duration::from_secs(9)));
    assert_eq!(t.mock.comments().len(), 1);
}

#[tokio::test]
async fn server_faults_are_retried_or_reported_as_transient() {
    let t = setup().await;
    let sentinel = Sentinel::new(&t.api, &SentinelMock::workspace());
    t.mock.inject(Fault::Server(503));
    sentinel
        .put_comment(&name(), comment_id(1), "a")
        .await
        .unwrap();
    assert_eq!(
        t.waits.lock().unwrap().len(),
        1,
        "503 is retried after a back-off"
    );

    // More failures than the client retries: the caller backs off.
    for _ in 0..4 {
        t.mock.inject(Fault::Server(500));
    }
    let e = sentinel
        .put_comment(&name(), comment_id(2), "b")
        .await
        .unwrap_err();
    assert!(
        matches!(e, SentinelError::Unavailable { status: 500, .. }),
        "{e}"
    );
    assert!(e.is_transient());
    assert_eq!(t.mock.comments().len(), 1, "a refused write leaves nothing");

    // A wait longer than the retry cap is handed to the caller, not cut short.
    t.mock.inject(Fault::Throttle {
        retry_after_secs: 600,
    });
    let e = sentinel
        .put_comment(&name(), comment_id(3), "c")
        .await
        .unwrap_err();
    assert_eq!(e.retry_after(), Some(Duration::from_secs(600)));
    assert!(matches!(e, SentinelError::Throttled { .. }), "{e}");
}

#[tokio::test]
async fn a_conflict_is_retried_once_then_reported() {
    let t = setup().await;
    let sentinel = Sentinel::new(&t.api, &SentinelMock::workspace());
    t.mock.inject(Fault::Conflict);
    sentinel
        .put_comment(&name(), comment_id(1), "a")
        .await
        .unwrap();
    assert_eq!(t.mock.comments().len(), 1);
    t.mock.inject(Fault::Conflict);
    t.mock.inject(Fault::Conflict);
    let e = sentinel
        .put_comment(&name(), comment_id(2), "b")
        .await
        .unwrap_err();
    assert!(matches!(e, SentinelError::Conflict(_)), "{e}");
    assert!(e.is_transient());
    assert!(e.to_string().contains("Newer version"), "{e}");
}

#[tokio::test]
async fn a_write_whose_answer_is_lost_is_repeated_without_a_duplicate() {
    let t = setup().await;
    let sentinel = Sentinel::new(&t.api, &SentinelMock::workspace());
    t.mock.inject(Fault::LoseAnswer);
    let e = sentinel
        .put_comment(&name(), comment_id(1), "decided")
        .await
        .unwrap_err();
    assert_eq!(
        e,
        SentinelError::Lookup(LookupError::Timeout(TimeoutKind::Read))
    );
    assert!(e.is_transient());
    assert_eq!(t.mock.comments().len(), 1, "the write was applied");
    let again = sentinel
        .put_comment(&name(), comment_id(1), "decided")
        .await
        .unwrap();
    assert!(!again.created, "the retry replaced the same comment");
    assert_eq!(t.mock.comments().len(), 1);
}
