//! The screen's path against the mock: a lookup started by `update`, run by
//! the runtime's executor, answered by the loopback server, and recorded in
//! a SQLite store in a temporary directory.

use std::sync::{Arc, Mutex};
use std::time::Duration;

use chrono::Utc;
use tokio::sync::mpsc;

use cairn::app::lookups::{LookupEffect, LookupMsg, RunState, prepare, start};
use cairn::app::{Effect, Keymap, Msg, NewIncident, State};
use cairn::lookup::canonical;
use cairn::lookup::retry::Progress;
use cairn::runtime::lookups::{Executor, Live};
use cairn::runtime::{Shared, StoreBackend, run_store_effect};
use cairn::store::event::{EventKind, LookupStatus, Mode, ValueSource};
use cairn::test_app::{Handled, Lookups, TestApp};
use cairn::tree::{Tree, load};

use super::mock::{Mock, Reply};
use super::support::{client, fixture};

pub(super) fn token_theft() -> (Arc<Tree>, String) {
    let path = format!("{}/trees/token-theft.toml", env!("CARGO_MANIFEST_DIR"));
    let text = std::fs::read_to_string(&path).unwrap();
    (Arc::new(load::parse(&path, &text).unwrap()), text)
}

/// The runtime's executor, answering through the session's channel.
pub(super) struct Executing(pub(super) Executor);

impl Lookups for Executing {
    fn handle(&mut self, effect: LookupEffect) -> Handled {
        self.0.execute(effect);
        Handled::Taken
    }
}

pub(super) struct Session {
    pub(super) app: TestApp<Executing>,
    rx: mpsc::UnboundedReceiver<Msg>,
    /// The store's directory.
    pub(super) dir: tempfile::TempDir,
}

cairn::wraps_test_app!(Session, Executing);

impl Session {
    /// A live incident on the token-theft tree, in a fresh SQLite store,
    /// with an executor whose live client points at `base`.
    pub(super) fn live(
        base: &str,
        tweak: impl FnOnce(&mut cairn::lookup::http::ApiClient),
    ) -> Session {
        let (mut api, _) = client(base);
        tweak(&mut api);
        Session::with(Live {
            client: Arc::new(api),
            auth: cairn::lookup::error::AuthKind::Unknown,
            credentials: None,
        })
    }

    fn with(live: Live) -> Session {
        Session::typed(
            live,
            vec![("upn".into(), "aiko.tanaka@contoso.example".into())],
        )
    }

    /// A live incident created with `variables` as typed in the new-incident
    /// form; actions go to the live connection's Graph base, as in the runtime.
    pub(super) fn typed(live: Live, variables: Vec<(String, String)>) -> Session {
        let dir = tempfile::tempdir().unwrap();
        let (tree, text) = token_theft();
        let store = cairn::store::Store::open(dir.path()).unwrap();
        let backend =
            StoreBackend::new(store, [(tree.id.value.clone(), tree.version.clone(), text)]);
        let store: Shared = Arc::new(Mutex::new(Box::new(backend)));
        let trees = vec![tree];
        let (tx, rx) = mpsc::unbounded_channel();
        let executor = Executor::new(Ok(live), tx);
        let mut state = State::new(Keymap::load(None).unwrap(), trees.clone(), "en", Utc::now());
        if let Some(base) = executor.graph_base() {
            state.lookups = cairn::app::lookups::Lookups::new(&base);
        }
        let mut s = Session {
            app: TestApp {
                state,
                store,
                trees,
                others: Vec::new(),
                lookups: Executing(executor),
            },
            rx,
            dir,
        };
        let new = NewIncident {
            tree_id: "token-theft".into(),
            title: "Live lookup test".into(),
            language: "en".into(),
            mode: Mode::Live,
            variables,
            variable_source: ValueSource::Typed,
            opening: Vec::new(),
        };
        let opened = run_store_effect(&s.store, &s.trees, Effect::CreateIncident(new)).unwrap();
        s.send(opened);
        s
    }

    /// Starts lookup `index` of `node` with the incident's values.
    pub(super) fn start(&mut self, node: &str, index: usize) -> u64 {
        let tree = self.trees[0].clone();
        let lookup = &tree.node(node).unwrap().lookups[index];
        let values = self.state.incident.as_ref().unwrap().walk.values.clone();
        let prepared = prepare(&tree, lookup, &values, None).unwrap();
        let (run, effects) = start(&mut self.state, node, prepared);
        self.run(effects);
        run
    }

    /// Receives executor messages until the run finishes; returns the progress seen.
    pub(super) async fn finish(&mut self) -> Vec<Progress> {
        self.until(|m| matches!(m, LookupMsg::Finished { .. }))
            .await
    }

    /// Receives executor messages, feeding each to `update`, through the
    /// first one `last` accepts.
    pub(super) async fn until(&mut self, last: impl Fn(&LookupMsg) -> bool) -> Vec<Progress> {
        let mut seen = Vec::new();
        loop {
            let msg = tokio::time::timeout(Duration::from_secs(10), self.rx.recv())
                .await
                .expect("the run answers")
                .unwrap();
            if let Msg::Lookup(LookupMsg::Progress { progress, .. }) = &msg {
                seen.push(progress.clone());
            }
            let done = matches!(&msg, Msg::Lookup(m) if last(m));
            self.send(msg);
            if done {
                return seen;
            }
        }
    }

    pub(super) fn events(&self) -> Vec<EventKind> {
        let id = self.state.incident.as_ref().unwrap().meta.id.clone();
        self.app.events(&id)
    }
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn a_live_lookup_runs_through_the_executor_and_is_recorded_in_the_store() {
    let body = fixture("la_all_types.json");
    let mock = Mock::start(move |_, _| Reply::json(200, &body)).await;
    let mut s = Session::live(&mock.base(), |_| {});
    let run = s.start("trigger-unfamiliar-properties", 1);
    s.finish().await;

    let sent = mock.requests()[0].json();
    let result = s.state.lookups.runs[&run].result().unwrap().clone();
    let events = s.events();
    let Some(EventKind::LookupRun {
        query,
        status,
        row_count,
        result_sha256,
        result: kept,
        timespan,
        variables,
        ..
    }) = events
        .iter()
        .find(|e| matches!(e, EventKind::LookupRun { .. }))
    else {
        panic!("{events:?}")
    };
    // The record holds exactly what was sent, and the rows' hash.
    assert_eq!(sent["query"].as_str(), Some(query.as_str()));
    assert_eq!(sent["timespan"].as_str(), timespan.as_deref());
    assert!(query.contains("=~ 'aiko.tanaka@contoso.example'"));
    assert_eq!(variables["upn"], "aiko.tanaka@contoso.example");
    assert_eq!(*status, LookupStatus::Succeeded);
    assert_eq!(*row_count, Some(result.row_count() as u64));
    let json = canonical::canonical_json(&result);
    assert_eq!(
        result_sha256.as_deref(),
        Some(canonical::sha256_hex(&json).as_str())
    );
    assert_eq!(kept.as_deref().map(str::as_bytes), Some(json.as_slice()));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn throttling_is_visible_while_it_waits_and_errors_keep_their_hint() {
    let body = fixture("la_all_types.json");
    let mock = Mock::start(move |_, i| match i {
        0 => Reply::json(429, r#"{"error":{"code":"TooManyRequests","message":"slow"}}"#)
            .with_header("Retry-After", "1"),
        1 => Reply::json(200, &body),
        _ => Reply::json(
            403,
            r#"{"error":{"code":"InsufficientAccessError","message":"The provided credentials have insufficient access"}}"#,
        ),
    })
    .await;
    // Waits are shortened, but real, so the screen can see them.
    let mut s = Session::live(&mock.base(), |api| {
        api.retry.sleeper = Arc::new(|_| Box::pin(tokio::time::sleep(Duration::from_millis(100))));
    });
    let run = s.start("trigger-unfamiliar-properties", 1);
    let seen = s.finish().await;
    assert!(
        seen.iter().any(|p| matches!(
            p,
            Progress::Waiting {
                reason: 429,
                from_retry_after: true,
                ..
            }
        )),
        "{seen:?}"
    );
    assert!(s.state.lookups.runs[&run].result().is_some());

    let again = s.start("trigger-unfamiliar-properties", 0);
    s.finish().await;
    let RunState::Failed { message, .. } = &s.state.lookups.runs[&again].state else {
        panic!("{:?}", s.state.lookups.runs[&again].state)
    };
    assert!(
        message.contains("403") && message.contains("InsufficientAccessError"),
        "{message}"
    );
    assert!(message.contains("Hint: missing permission"), "{message}");
    assert!(s.events().iter().any(|e| matches!(
        e,
        EventKind::LookupRun { status: LookupStatus::Failed, message: Some(m), .. } if m == message
    )));
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn cancelling_a_slow_lookup_drops_its_task_and_records_the_cancel() {
    let body = fixture("la_all_types.json");
    let mock =
        Mock::start(move |_, _| Reply::json(200, &body).delayed(Duration::from_secs(30))).await;
    let mut s = Session::live(&mock.base(), |_| {});
    let run = s.start("trigger-unfamiliar-properties", 1);
    assert_eq!(s.lookups.0.running(), 1);
    let effects = cairn::app::lookups::cancel(&mut s.state, run);
    assert!(effects.contains(&Effect::Lookup(LookupEffect::Cancel { run })));
    s.run(effects);
    // The aborted task ends without ever sending its answer.
    for _ in 0..100 {
        if s.lookups.0.running() == 0 {
            break;
        }
        tokio::task::yield_now().await;
        tokio::time::sleep(Duration::from_millis(1)).await;
    }
    assert_eq!(s.lookups.0.running(), 0);
    while let Ok(msg) = s.rx.try_recv() {
        assert!(
            matches!(msg, Msg::Lookup(LookupMsg::Progress { .. })),
            "a cancelled run answered: {msg:?}"
        );
    }
    assert!(s.events().iter().any(|e| matches!(
        e,
        EventKind::LookupRun {
            status: LookupStatus::Cancelled,
            ..
        }
    )));
}

/// The token endpoint's answers for a device-code sign-in: one pending
/// poll, then tokens whose values must never be seen anywhere.
fn sign_in_server(req: &super::mock::Request, body: &str) -> Reply {
    let granted = |access: &str| {
        Reply::json(
            200,
            &format!(
                r#"{{"token_type":"Bearer","scope":"s","expires_in":3599,"access_token":"{access}","refresh_token":"REFRESH-SECRET-9"}}"#
            ),
        )
    };
    if req.target.ends_with("/devicecode") {
        return Reply::json(
            200,
            r#"{"device_code":"DEVICE-SECRET","user_code":"ABCD-EFGH","verification_uri":"https://microsoft.com/devicelogin","expires_in":900,"interval":5,"message":"To sign in, open https://microsoft.com/devicelogin and enter ABCD-EFGH."}"#,
        );
    }
    if req.target.ends_with("/oauth2/v2.0/token") {
        return match req.form_value("grant_type").as_deref() {
            Some("refresh_token") => granted("LA-TOKEN-SECRET-7"),
            _ if req.form_value("device_code").is_some() => granted("GRAPH-TOKEN-SECRET-7"),
            _ => Reply::empty(500),
        };
    }
    Reply::json(200, body)
}

#[tokio::test(flavor = "multi_thread", worker_threads = 2)]
async fn device_code_sign_in_is_shown_in_the_screen_and_no_token_is_ever_seen() {
    use cairn::lookup::auth::Credentials;
    use cairn::lookup::config::{AuthMethod, Cloud, Config};
    let body = fixture("la_all_types.json");
    let mock = Mock::start(move |req, _| sign_in_server(req, &body)).await;
    let cfg = Config {
        tenant: "aaaaaaaa-bbbb-cccc-dddd-eeeeeeeeeeee".into(),
        cloud: Cloud::Public,
        workspace: super::support::WORKSPACE.into(),
        extra_workspaces: vec![],
        auth: AuthMethod::DeviceCode {
            client_id: "12345678-1234-1234-1234-123456789012".into(),
        },
        endpoints: super::support::endpoints(&mock.base()),
        http: super::support::settings(),
        sentinel: None,
        approval_floor: Default::default(),
    };
    let (sleeper, _) = super::support::fake_sleeper();
    let http = cairn::lookup::http::build_http(&cfg.http).unwrap();
    let creds = Arc::new(Credentials::new(&cfg, http.clone()).with_sleeper(sleeper));
    let api = cairn::lookup::http::ApiClient::new(&cfg, http, creds.clone());
    let mut s = Session::with(Live {
        client: Arc::new(api),
        auth: cairn::lookup::error::AuthKind::of(&cfg.auth),
        credentials: Some(creds),
    });

    // Not signed in: the run fails and says how to sign in.
    let first = s.start("trigger-unfamiliar-properties", 1);
    s.finish().await;
    assert!(matches!(
        s.state.lookups.runs[&first].state,
        RunState::Failed { sign_in: true, .. }
    ));

    let effects = cairn::app::actions::start_sign_in(&mut s.state);
    s.run(effects);
    s.until(|m| matches!(m, LookupMsg::DeviceCode { .. })).await;
    let prompt = s.screen();
    assert!(prompt.contains("ABCD-EFGH"), "{prompt}");
    assert!(
        prompt.contains("https://microsoft.com/devicelogin"),
        "{prompt}"
    );
    s.until(|m| matches!(m, LookupMsg::SignedIn(_))).await;
    let done = s.screen();
    assert!(done.contains("Signed in"), "{done}");

    let second = s.start("trigger-unfamiliar-properties", 1);
    s.finish().await;
    assert!(s.state.lookups.runs[&second].result().is_some());
    let sent = mock.requests();
    assert!(
        sent.iter()
            .any(|r| r.header("authorization") == Some("Bearer LA-TOKEN-SECRET-7"))
    );

    // No token, refresh token or device code in the store, state or screens.
    let recorded = format!("{:?}", s.events());
    let state = format!("{:?}{:?}", s.state.lookups, s.state.screen);
    for secret in ["TOKEN-SECRET", "REFRESH-SECRET", "DEVICE-SECRET"] {
        for (what, text) in [
            ("store", &recorded),
            ("state", &state),
            ("prompt", &prompt),
            ("screen", &done),
        ] {
            assert!(!text.contains(secret), "{secret} in the {what}");
        }
    }
}
