//! Configuration: tenant, cloud, workspace, auth method, endpoints, HTTP
//! limits. The file is untrusted input: every error names its line and column.

use std::path::{Path, PathBuf};
use std::time::Duration;

use serde::Deserialize;
use serde_spanned::Spanned;

/// The commented template `cairn config init` writes.
pub fn template() -> &'static str {
    crate::assets::file("assets/config_template.toml")
        .expect("build.rs embeds every file of assets/")
}

#[derive(Debug, Clone, Copy, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "lowercase")]
pub enum Cloud {
    Public,
    Usgov,
    China,
}

/// Where each service lives and which scope its tokens need.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Endpoints {
    /// Sign-in authority, without the tenant (`https://login.microsoftonline.com`).
    pub authority: String,
    /// Log Analytics query API root, without `/v1`.
    pub log_analytics: String,
    pub log_analytics_scope: String,
    /// Graph root including the API version (`https://graph.microsoft.com/v1.0`).
    pub graph: String,
    pub graph_scope: String,
    /// Azure Resource Manager root (`https://management.azure.com`), where
    /// Sentinel incidents live.
    pub arm: String,
    pub arm_scope: String,
}

impl Cloud {
    pub fn endpoints(self) -> Endpoints {
        let (authority, la, la_scope, graph, graph_scope, arm) = match self {
            Cloud::Public => (
                "https://login.microsoftonline.com",
                "https://api.loganalytics.azure.com",
                "https://api.loganalytics.io/.default",
                "https://graph.microsoft.com/v1.0",
                "https://graph.microsoft.com/.default",
                "https://management.azure.com",
            ),
            Cloud::Usgov => (
                "https://login.microsoftonline.us",
                "https://api.loganalytics.us",
                "https://api.loganalytics.us/.default",
                "https://graph.microsoft.us/v1.0",
                "https://graph.microsoft.us/.default",
                "https://management.usgovcloudapi.net",
            ),
            Cloud::China => (
                "https://login.chinacloudapi.cn",
                "https://api.loganalytics.azure.cn",
                "https://api.loganalytics.azure.cn/.default",
                "https://microsoftgraph.chinacloudapi.cn/v1.0",
                "https://microsoftgraph.chinacloudapi.cn/.default",
                "https://management.chinacloudapi.cn",
            ),
        };
        Endpoints {
            authority: authority.into(),
            log_analytics: la.into(),
            log_analytics_scope: la_scope.into(),
            graph: graph.into(),
            graph_scope: graph_scope.into(),
            arm: arm.into(),
            arm_scope: format!("{arm}/.default"),
        }
    }
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub enum AuthMethod {
    AzureCli {
        az_path: PathBuf,
    },
    DeviceCode {
        client_id: String,
    },
    /// The secret itself is read from `env_var` when a token is needed.
    ClientSecret {
        client_id: String,
        env_var: String,
    },
    ClientCertificate {
        client_id: String,
        certificate_path: PathBuf,
    },
}

#[derive(Debug, Clone, PartialEq, Eq)]
pub struct HttpSettings {
    pub connect_timeout: Duration,
    pub read_timeout: Duration,
    pub total_timeout: Duration,
    pub query_wait_secs: u32,
    pub max_retries: u32,
    pub max_backoff: Duration,
    pub use_system_proxy: bool,
}

/// How much longer than the server-side wait (`Prefer: wait=N`) Cairn
/// waits for an answer: the service needs time to send it after its wait.
pub const WAIT_MARGIN: Duration = Duration::from_secs(30);

impl HttpSettings {
    /// The timeouts made coherent with the server-side wait: a read may
    /// last the whole wait plus the margin, a lookup at least that long.
    /// Longer configured timeouts are kept; shorter ones are raised, since
    /// Cairn would otherwise give up on a query it asked the server to run.
    pub fn coherent(mut self) -> Self {
        let wait = Duration::from_secs(u64::from(self.query_wait_secs)) + WAIT_MARGIN;
        self.read_timeout = self.read_timeout.max(wait);
        self.total_timeout = self.total_timeout.max(self.read_timeout + WAIT_MARGIN);
        self
    }
}

impl Default for HttpSettings {
    fn default() -> Self {
        Self {
            connect_timeout: Duration::from_secs(10),
            read_timeout: Duration::from_secs(180) + WAIT_MARGIN,
            total_timeout: Duration::from_secs(300),
            query_wait_secs: 180,
            max_retries: 4,
            max_backoff: Duration::from_secs(60),
            use_system_proxy: true,
        }
    }
}

/// A validated configuration.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Config {
    pub tenant: String,
    pub cloud: Cloud,
    pub workspace: String,
    pub extra_workspaces: Vec<String>,
    pub auth: AuthMethod,
    pub endpoints: Endpoints,
    pub http: HttpSettings,
    /// The Sentinel workspace incidents are attached from, if configured.
    pub sentinel: Option<crate::lookup::sentinel::SentinelWorkspace>,
    /// The organisation's floor for approvals (`[approvals] minimum`):
    /// raises every action's policy, never lowers one.
    pub approval_floor: crate::tree::ApprovalPolicy,
}

#[derive(Debug, Clone, PartialEq, Eq, thiserror::Error)]
pub enum ConfigError {
    #[error("{path}:{line}:{column}: {message}")]
    Invalid {
        path: String,
        line: usize,
        column: usize,
        message: String,
    },
    #[error("{path}: {message}")]
    Io { path: String, message: String },
    #[error("no configuration at {path}; run `cairn config init` to create one")]
    Missing { path: String },
    #[error("{path} already exists; Cairn never overwrites a configuration")]
    Exists { path: String },
    #[error("no home or configuration directory could be found; set CAIRN_CONFIG_DIR")]
    NoConfigDir,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawConfig {
    tenant: Spanned<String>,
    #[serde(default = "default_cloud")]
    cloud: Cloud,
    workspace: Spanned<String>,
    #[serde(default)]
    extra_workspaces: Vec<Spanned<String>>,
    auth: Spanned<RawAuth>,
    #[serde(default)]
    endpoints: RawEndpoints,
    #[serde(default)]
    http: RawHttp,
    sentinel: Option<Spanned<RawSentinel>>,
    approvals: Option<RawApprovals>,
}

/// `[approvals]`: the organisation's policy (`docs/approvals.md`).
#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawApprovals {
    minimum: Spanned<String>,
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
pub(crate) struct RawSentinel {
    pub subscription: Spanned<String>,
    pub resource_group: Spanned<String>,
    pub workspace_name: Spanned<String>,
}

fn default_cloud() -> Cloud {
    Cloud::Public
}

#[derive(Deserialize)]
#[serde(deny_unknown_fields)]
struct RawAuth {
    method: Spanned<String>,
    client_id: Option<Spanned<String>>,
    client_secret_env: Option<Spanned<String>>,
    certificate_path: Option<PathBuf>,
    az_path: Option<PathBuf>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawEndpoints {
    authority: Option<Spanned<String>>,
    log_analytics: Option<Spanned<String>>,
    log_analytics_scope: Option<String>,
    graph: Option<Spanned<String>>,
    graph_scope: Option<String>,
    arm: Option<Spanned<String>>,
    arm_scope: Option<String>,
}

#[derive(Deserialize, Default)]
#[serde(deny_unknown_fields)]
struct RawHttp {
    connect_timeout_secs: Option<u64>,
    read_timeout_secs: Option<u64>,
    total_timeout_secs: Option<u64>,
    query_wait_secs: Option<Spanned<u32>>,
    max_retries: Option<u32>,
    max_backoff_secs: Option<u64>,
    use_system_proxy: Option<bool>,
}

static CHOSEN: std::sync::OnceLock<PathBuf> = std::sync::OnceLock::new();

/// Records the configuration file named on the command line (`--config`
/// or `CAIRN_CONFIG`); every later [`path`] answers it. The first wins.
pub fn choose_path(path: PathBuf) {
    let _ = CHOSEN.set(path);
}

/// Where the configuration is read from: the file chosen on the command
/// line, else [`default_path`]. Every command and the screen ask here, so
/// `auth status` never tests a file the screen does not use.
pub fn path() -> Result<PathBuf, ConfigError> {
    match CHOSEN.get() {
        Some(p) => Ok(p.clone()),
        None => default_path(),
    }
}

/// The default configuration file: `config.toml` in Cairn's configuration
/// directory (`$CAIRN_CONFIG_DIR`, else e.g. `~/.config/cairn`), beside the
/// user's `trees/`.
pub fn default_path() -> Result<PathBuf, ConfigError> {
    crate::tree::catalog::default_config_dir()
        .map(|d| d.join("config.toml"))
        .ok_or(ConfigError::NoConfigDir)
}

/// Writes the commented template to `path`, refusing to replace any file.
pub fn init(path: &Path) -> Result<(), ConfigError> {
    let shown = path.display().to_string();
    if let Some(dir) = path.parent() {
        std::fs::create_dir_all(dir).map_err(|e| ConfigError::Io {
            path: dir.display().to_string(),
            message: e.to_string(),
        })?;
    }
    // create_new: atomic "only if absent", so a race cannot clobber a file.
    let mut file = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .open(path)
        .map_err(|e| match e.kind() {
            std::io::ErrorKind::AlreadyExists => ConfigError::Exists {
                path: shown.clone(),
            },
            _ => ConfigError::Io {
                path: shown.clone(),
                message: e.to_string(),
            },
        })?;
    std::io::Write::write_all(&mut file, template().as_bytes()).map_err(|e| ConfigError::Io {
        path: shown,
        message: e.to_string(),
    })
}

/// Reads and validates the configuration at `path`.
pub fn load(path: &Path) -> Result<Config, ConfigError> {
    let shown = path.display().to_string();
    let text = match std::fs::read_to_string(path) {
        Ok(t) => t,
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            return Err(ConfigError::Missing { path: shown });
        }
        Err(e) => {
            return Err(ConfigError::Io {
                path: shown,
                message: e.to_string(),
            });
        }
    };
    parse(&text, &shown)
}

/// Parses configuration text; `path` is only used in messages.
pub fn parse(text: &str, path: &str) -> Result<Config, ConfigError> {
    let invalid = |span: std::ops::Range<usize>, message: String| {
        let (line, column) = line_column(text, span.start);
        ConfigError::Invalid {
            path: path.to_string(),
            line,
            column,
            message,
        }
    };
    let raw: RawConfig = toml::from_str(text).map_err(|e| {
        invalid(
            e.span().unwrap_or(0..0),
            e.message().trim().replace('\n', "; "),
        )
    })?;
    super::config_check::validate(raw_into_parts(raw), &invalid)
}

/// The fields `config_check` validates, with their spans.
pub(crate) struct Parts {
    pub tenant: Spanned<String>,
    pub cloud: Cloud,
    pub workspace: Spanned<String>,
    pub extra_workspaces: Vec<Spanned<String>>,
    pub auth_span: std::ops::Range<usize>,
    pub method: Spanned<String>,
    pub client_id: Option<Spanned<String>>,
    pub client_secret_env: Option<Spanned<String>>,
    pub certificate_path: Option<PathBuf>,
    pub az_path: Option<PathBuf>,
    pub endpoint_overrides: [Option<Spanned<String>>; 4],
    pub scope_overrides: [Option<String>; 3],
    pub sentinel: Option<Spanned<RawSentinel>>,
    pub approvals_minimum: Option<Spanned<String>>,
    pub http: HttpSettings,
    pub query_wait_span: Option<std::ops::Range<usize>>,
}

fn raw_into_parts(raw: RawConfig) -> Parts {
    let auth_span = raw.auth.span();
    let auth = raw.auth.into_inner();
    let defaults = HttpSettings::default();
    let secs = |v: Option<u64>, d: Duration| v.map(Duration::from_secs).unwrap_or(d);
    Parts {
        tenant: raw.tenant,
        cloud: raw.cloud,
        workspace: raw.workspace,
        extra_workspaces: raw.extra_workspaces,
        auth_span,
        method: auth.method,
        client_id: auth.client_id,
        client_secret_env: auth.client_secret_env,
        certificate_path: auth.certificate_path,
        az_path: auth.az_path,
        endpoint_overrides: [
            raw.endpoints.authority,
            raw.endpoints.log_analytics,
            raw.endpoints.graph,
            raw.endpoints.arm,
        ],
        scope_overrides: [
            raw.endpoints.log_analytics_scope,
            raw.endpoints.graph_scope,
            raw.endpoints.arm_scope,
        ],
        sentinel: raw.sentinel,
        approvals_minimum: raw.approvals.map(|a| a.minimum),
        query_wait_span: raw.http.query_wait_secs.as_ref().map(|s| s.span()),
        http: HttpSettings {
            connect_timeout: secs(raw.http.connect_timeout_secs, defaults.connect_timeout),
            read_timeout: secs(raw.http.read_timeout_secs, defaults.read_timeout),
            total_timeout: secs(raw.http.total_timeout_secs, defaults.total_timeout),
            query_wait_secs: raw
                .http
                .query_wait_secs
                .map(Spanned::into_inner)
                .unwrap_or(defaults.query_wait_secs),
            max_retries: raw.http.max_retries.unwrap_or(defaults.max_retries),
            max_backoff: secs(raw.http.max_backoff_secs, defaults.max_backoff),
            use_system_proxy: raw.http.use_system_proxy.unwrap_or(true),
        }
        .coherent(),
    }
}

/// 1-based line and column (in characters) of a byte offset.
pub fn line_column(text: &str, offset: usize) -> (usize, usize) {
    let mut offset = offset.min(text.len());
    while !text.is_char_boundary(offset) {
        offset -= 1;
    }
    let before = &text[..offset];
    let line = before.matches('\n').count() + 1;
    let column = before.rsplit('\n').next().unwrap_or("").chars().count() + 1;
    (line, column)
}
