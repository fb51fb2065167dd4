//! Shared helpers: a live client pointed at a mock, fake time.

use std::sync::{Arc, Mutex};
use std::time::{Duration, SystemTime};

use cairn::lookup::auth::{AccessToken, StaticToken, TokenSource};
use cairn::lookup::config::{Endpoints, HttpSettings};
use cairn::lookup::http::{ApiClient, build_http};
use cairn::lookup::retry::{RetryPolicy, Sleeper};

pub const WORKSPACE: &str = "11111111-2222-3333-4444-555555555555";

/// A sleeper that returns at once and remembers every requested wait.
pub fn fake_sleeper() -> (Sleeper, Arc<Mutex<Vec<Duration>>>) {
    let waits = Arc::new(Mutex::new(Vec::new()));
    let w = waits.clone();
    let sleeper: Sleeper = Arc::new(move |d| {
        w.lock().unwrap().push(d);
        Box::pin(async {})
    });
    (sleeper, waits)
}

pub fn settings() -> HttpSettings {
    HttpSettings {
        connect_timeout: Duration::from_secs(2),
        read_timeout: Duration::from_secs(5),
        total_timeout: Duration::from_secs(10),
        query_wait_secs: 30,
        max_retries: 3,
        max_backoff: Duration::from_secs(60),
        use_system_proxy: false,
    }
}

pub fn endpoints(base: &str) -> Endpoints {
    Endpoints {
        authority: base.to_string(),
        log_analytics: base.to_string(),
        log_analytics_scope: "https://api.loganalytics.io/.default".into(),
        graph: format!("{base}/v1.0"),
        graph_scope: "https://graph.microsoft.com/.default".into(),
        arm: base.to_string(),
        arm_scope: "https://management.azure.com/.default".into(),
    }
}

pub fn token(secret: &str) -> AccessToken {
    AccessToken::new(secret.into(), SystemTime::now() + Duration::from_secs(3600))
}

pub fn client_with(
    base: &str,
    settings: HttpSettings,
    tokens: Arc<dyn TokenSource>,
) -> (ApiClient, Arc<Mutex<Vec<Duration>>>) {
    let (sleeper, waits) = fake_sleeper();
    let client = ApiClient {
        http: build_http(&settings).unwrap(),
        tokens,
        endpoints: endpoints(base),
        workspace: WORKSPACE.into(),
        extra_workspaces: vec![],
        retry: RetryPolicy {
            max_retries: settings.max_retries,
            base_delay: Duration::from_secs(1),
            max_delay: settings.max_backoff,
            sleeper,
        },
        settings,
    };
    (client, waits)
}

pub fn client(base: &str) -> (ApiClient, Arc<Mutex<Vec<Duration>>>) {
    client_with(
        base,
        settings(),
        Arc::new(StaticToken(token("test-token-1"))),
    )
}

pub fn fixture(name: &str) -> String {
    std::fs::read_to_string(format!(
        "{}/tests/fixtures/lookup/{name}",
        env!("CARGO_MANIFEST_DIR")
    ))
    .unwrap()
}
