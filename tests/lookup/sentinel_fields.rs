//! The Sentinel incident's own fields through the outbox: claimed when
//! nobody owns it, Active on the first decision, closed (only after the
//! number was typed) with the classification the outcome maps to; each a
//! read-modify-write with the incident's etag that never undoes a
//! person's change, survives a lost answer without writing twice, and
//! stops after a second conflict.

use std::sync::Arc;
use std::time::Duration;

use cairn::lookup::http::ApiClient;
use cairn::lookup::sentinel::Sentinel;
use cairn::store::event::EventKind;
use cairn::store::{IncidentId, Store};
use cairn::sync::drain::drain;
use serde_json::json;

use super::sentinel_mock::{Fault, INCIDENT, SentinelMock};
use super::sentinel_mock_incident::jwt;
use super::sentinel_sync::attached_incident;
use super::support::{client_with, settings, token};

const KIM_OID: &str = "6c1f4b8e-2d3a-4e5f-9a0b-1c2d3e4f5a6b";

/// A client whose token is kim's delegated sign-in.
fn kim(mock: &SentinelMock) -> ApiClient {
    let mut s = settings();
    s.read_timeout = Duration::from_millis(300);
    let (api, _) = client_with(
        &mock.server.base(),
        s,
        Arc::new(cairn::lookup::auth::StaticToken(token(&jwt(
            "kim@contoso.com",
            KIM_OID,
        )))),
    );
    api
}

/// The mock, with its incident owned by nobody.
async fn unowned() -> SentinelMock {
    let mock = SentinelMock::start().await;
    mock.state
        .lock()
        .unwrap()
        .incidents
        .get_mut(INCIDENT)
        .unwrap()
        .properties["owner"] =
        json!({"objectId": null, "email": null, "userPrincipalName": null, "assignedTo": null});
    mock
}

fn choice(node: &str) -> EventKind {
    EventKind::ChoiceMade {
        node: node.into(),
        choice: "yes".into(),
        next: "containment-impact".into(),
        reason: Some("seen".into()),
    }
}

async fn drain_once(store: &mut Store, api: &ApiClient, id: &IncidentId) -> Result<(), String> {
    let sentinel = Sentinel::new(api, &SentinelMock::workspace());
    drain(store, &sentinel, id, &mut |_| {})
        .await
        .map(|_| ())
        .map_err(|e| e.to_string())
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn attaching_claims_an_unowned_incident_and_the_first_decision_activates_it() {
    let mock = unowned().await;
    let api = kim(&mock);
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(tmp.path()).unwrap();
    let id = attached_incident(&mut store);
    store.append(&id, choice("user-confirmation")).unwrap();
    drain_once(&mut store, &api, &id).await.unwrap();
    let held = mock.incident();
    assert_eq!(held["owner"]["objectId"], json!(KIM_OID));
    assert_eq!(held["owner"]["userPrincipalName"], json!("kim@contoso.com"));
    assert_eq!(held["status"], json!("Active"));
    // Everything else is as Sentinel had it.
    assert_eq!(held["severity"], json!("High"));
    assert_eq!(held["labels"][0]["labelName"], json!("token-theft"));
    assert_eq!(mock.incident_writes(), 2);
    // Later decisions change no field: the first one activated it.
    store.append(&id, choice("containment-impact")).unwrap();
    drain_once(&mut store, &api, &id).await.unwrap();
    assert_eq!(mock.incident_writes(), 2);
    assert_eq!(store.outbox_state(&id).unwrap().pending, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn an_owned_incident_is_not_claimed_and_a_persons_change_during_the_write_is_kept() {
    let mock = unowned().await;
    let api = kim(&mock);
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(tmp.path()).unwrap();
    let id = attached_incident(&mut store);
    store.append(&id, choice("user-confirmation")).unwrap();
    // Mika takes the incident and lowers its severity right after Cairn
    // read it to claim it: Cairn's write is stale (409), it reads again,
    // sees an owner and leaves it; activating then keeps her severity.
    mock.edit_after_next_read(json!({
        "owner": {"objectId": "9e9e9e9e-0000-4000-8000-000000000001",
                  "userPrincipalName": "mika@contoso.com", "assignedTo": "Mika"},
        "severity": "Low",
    }));
    drain_once(&mut store, &api, &id).await.unwrap();
    let held = mock.incident();
    assert_eq!(
        held["owner"]["userPrincipalName"],
        json!("mika@contoso.com")
    );
    assert_eq!(held["severity"], json!("Low"));
    assert_eq!(held["status"], json!("Active"));
    assert_eq!(mock.incident_writes(), 1, "only the activation was written");
    let conflicts = mock
        .server
        .requests()
        .iter()
        .filter(|r| {
            r.method == "PUT"
                && r.target.contains("/incidents/7f1c")
                && !r.target.contains("/comments/")
                && !r.target.contains("/tasks/")
        })
        .count();
    assert_eq!(conflicts, 2, "the stale claim and the activation");
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_second_conflict_stops_and_says_so_and_a_lost_answer_is_not_written_twice() {
    let mock = unowned().await;
    let api = kim(&mock);
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(tmp.path()).unwrap();
    let id = attached_incident(&mut store);
    // Someone edits labels after each of Cairn's two reads.
    for label in ["a", "b"] {
        mock.edit_after_next_read(json!({ "labels": [{"labelName": label}] }));
    }
    let err = drain_once(&mut store, &api, &id).await.unwrap_err();
    assert!(
        err.contains("changed twice") && err.contains("owner"),
        "{err}"
    );
    let state = store.outbox_state(&id).unwrap();
    assert_eq!(state.pending, 1);
    assert!(state.last_error.unwrap().contains("changed twice"));
    assert_eq!(mock.incident()["labels"][0]["labelName"], json!("b"));
    assert_eq!(mock.incident_writes(), 0);

    // The read is answered, the write applied but its answer lost: the
    // next drain reads the claim already made and writes nothing.
    mock.inject(Fault::Pass);
    mock.inject(Fault::LoseAnswer);
    let err = drain_once(&mut store, &api, &id).await.unwrap_err();
    assert!(
        err.contains("timed out") || err.contains("timeout"),
        "{err}"
    );
    assert_eq!(mock.incident_writes(), 1);
    drain_once(&mut store, &api, &id).await.unwrap();
    assert_eq!(mock.incident_writes(), 1);
    assert_eq!(mock.incident()["owner"]["objectId"], json!(KIM_OID));
    assert_eq!(mock.incident()["labels"][0]["labelName"], json!("b"));
    assert_eq!(store.outbox_state(&id).unwrap().pending, 0);
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_token_without_a_user_claims_nothing() {
    let mock = unowned().await;
    let mut s = settings();
    s.read_timeout = Duration::from_millis(300);
    let (api, _) = client_with(
        &mock.server.base(),
        s,
        Arc::new(cairn::lookup::auth::StaticToken(token("sentinel-token"))),
    );
    let tmp = tempfile::tempdir().unwrap();
    let mut store = Store::open(tmp.path()).unwrap();
    let id = attached_incident(&mut store);
    drain_once(&mut store, &api, &id).await.unwrap();
    assert_eq!(mock.incident_writes(), 0);
    assert_eq!(mock.incident()["owner"]["objectId"], json!(null));
}

#[cfg(unix)]
#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cairn_close_closes_sentinel_only_with_its_number_typed_and_maps_the_outcome() {
    use super::sentinel_attach::{cairn, env_as, text};
    let mock = SentinelMock::start().await;
    let env = env_as(&mock, &jwt("kim@contoso.com", KIM_OID));
    let out = cairn(&env, &["new", "--tree", "token-theft", "--sentinel", "42"]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let id = IncidentId::parse(text(&out.stdout).trim()).unwrap();
    // The walk ends on the outcome "closed-contained".
    Store::open(&env.data)
        .unwrap()
        .append(
            &id,
            EventKind::NodeEntered {
                node: "closed-contained".into(),
            },
        )
        .unwrap();
    let events = || Store::open(&env.data).unwrap().events(&id).unwrap().len();
    let before = events();
    // No number typed (stdin is not a terminal), or the wrong one: nothing
    // is recorded, here or there.
    for args in [
        vec!["close", id.as_str(), "--sentinel"],
        vec!["close", id.as_str(), "--sentinel", "--confirm", "41"],
    ] {
        let out = cairn(&env, &args).await;
        assert!(!out.status.success());
        assert!(
            text(&out.stderr).contains("NOT closed"),
            "{}",
            text(&out.stderr)
        );
        assert_eq!(events(), before);
    }
    let out = cairn(
        &env,
        &["close", id.as_str(), "--sentinel", "--confirm", "42"],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert!(
        text(&out.stdout).contains("TruePositive"),
        "{}",
        text(&out.stdout)
    );
    let out = cairn(&env, &["sync", id.as_str()]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let held = mock.incident();
    assert_eq!(held["status"], json!("Closed"));
    assert_eq!(held["classification"], json!("TruePositive"));
    assert_eq!(held["classificationReason"], json!("SuspiciousActivity"));
    assert!(
        held["classificationComment"]
            .as_str()
            .unwrap()
            .contains("contained"),
        "{held}"
    );
    // Mika owned it already: the close did not take it from her.
    assert_eq!(
        held["owner"]["userPrincipalName"],
        json!("mika@contoso.com")
    );
    // Once closed there, closing again writes nothing.
    let writes = mock.incident_writes();
    let out = cairn(
        &env,
        &["close", id.as_str(), "--sentinel", "--confirm", "42"],
    )
    .await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    let out = cairn(&env, &["sync", id.as_str()]).await;
    assert!(out.status.success(), "{}", text(&out.stderr));
    assert_eq!(mock.incident_writes(), writes);
}
