//! Peak memory of one live lookup that answers 200,000 rows x 20 columns,
//! for each provider: Log Analytics (`tables`/`rows` arrays, dynamic
//! values as JSON text), Defender hunting (`schema` + one object per row,
//! dynamic values as JSON objects) and Graph (one `value` page of objects).
//! The same rows in each provider's wire format.
//!
//! The process forks itself: the parent generates the response and serves
//! it once on 127.0.0.1; the child runs the lookup through the real client
//! (`lookup::run::Backend::Live`: the HTTP read parsed into the result
//! table) and prints VmHWM (peak RSS) and VmRSS from /proc/self/status, so
//! the generator's memory is not counted.
//!
//! Run: `cargo run --release --example lookup_rss -- loganalytics|hunting|graph [ROWS]`

use std::io::{BufRead, BufReader, Read, Write};
use std::net::TcpListener;
use std::process::Command;
use std::sync::Arc;
use std::time::{Duration, SystemTime};

use cairn::lookup::auth::{AccessToken, StaticToken};
use cairn::lookup::config::{Endpoints, HttpSettings};
use cairn::lookup::http::{ApiClient, build_http};
use cairn::lookup::retry::RetryPolicy;
use cairn::lookup::run::{Backend, LookupRequest};
use cairn::tree::model::Provider;

// The example uses only the columns and the status reader.
#[allow(dead_code)]
#[path = "../benches/support/results_data.rs"]
mod data;

use data::{COLUMNS, status};

/// Row `r`'s values as JSON; dynamic values as objects and arrays.
fn row(r: usize) -> [String; 20] {
    let ua = if r.is_multiple_of(3) {
        "axios/1.6.8".to_string()
    } else {
        format!(
            "Mozilla/5.0 (Windows NT 10.0; Win64; x64) Chrome/{}.0.0.0",
            100 + r % 30
        )
    };
    [
        format!(
            "\"2026-11-{:02}T{:02}:{:02}:{:02}.{:07}Z\"",
            1 + r % 28,
            r % 24,
            r % 60,
            (r / 60) % 60,
            r
        ),
        format!("\"user{}@contoso.example\"", r % 5000),
        format!("\"203.0.113.{}\"", r % 250),
        "\"Office 365 Exchange Online\"".into(),
        format!("{}", if r.is_multiple_of(7) { 50126 } else { 0 }),
        if r.is_multiple_of(5) {
            "null".into()
        } else {
            "\"Success\"".into()
        },
        format!("\"{ua}\""),
        format!("\"{r:08x}-1e4e-49d9-b579-fe0b331d3642\""),
        format!("{:.3}", (r % 1000) as f64 / 7.0),
        format!("{}", r.is_multiple_of(2)),
        "\"Tokyo, JP\"".into(),
        format!(
            r#"{{"deviceId":"{r:08x}-aaaa-bbbb-cccc-000000000000","operatingSystem":"Windows 11","browser":"Edge 130"}}"#
        ),
        "\"notApplied\"".into(),
        format!("\"00:00:{:02}.{:03}\"", r % 60, r % 1000),
        format!("{}", r * 17 % 100_000),
        "\"multiFactorAuthentication\"".into(),
        "\"AzureAD\"".into(),
        format!("\"{r:08x}-2222-3333-4444-555555555555\""),
        format!("{:.2}", (r % 500) as f64 / 3.0),
        format!(r#"["t{}","risk"]"#, r % 10),
    ]
}

/// The columns as a JSON array of `{"name", "type"}` objects.
fn schema() -> String {
    let cols: Vec<String> = COLUMNS
        .iter()
        .map(|(n, t)| format!(r#"{{"name":"{n}","type":"{t}"}}"#))
        .collect();
    format!("[{}]", cols.join(","))
}

/// The response body for `provider`.
fn body(provider: &str, rows: usize) -> String {
    let (head, tail) = match provider {
        "loganalytics" => (
            format!(r#"{{"tables":[{{"name":"PrimaryResult","columns":{},"rows":["#, schema()),
            "]}]}",
        ),
        "hunting" => (format!(r#"{{"schema":{},"results":["#, schema()), "]}"),
        "graph" => (
            r#"{"@odata.context":"https://graph.microsoft.com/v1.0/$metadata#auditLogs/signIns","value":["#
                .to_string(),
            "]}",
        ),
        other => panic!("unknown provider {other}"),
    };
    let mut out = String::with_capacity(rows * 800);
    out.push_str(&head);
    for r in 0..rows {
        if r > 0 {
            out.push(',');
        }
        let values = row(r).into_iter().zip(COLUMNS);
        if provider == "loganalytics" {
            // An array per row; dynamic values as JSON text.
            let cells: Vec<String> = values
                .map(|(v, (_, t))| match t {
                    "dynamic" => serde_json::Value::String(v).to_string(),
                    _ => v,
                })
                .collect();
            out.push_str(&format!("[{}]", cells.join(",")));
        } else {
            // An object per row, every column name repeated.
            let fields: Vec<String> = values.map(|(v, (n, _))| format!("\"{n}\":{v}")).collect();
            out.push_str(&format!("{{{}}}", fields.join(",")));
        }
    }
    out.push_str(tail);
    out
}

/// Serves `body` to one request, then returns.
fn serve_once(listener: &TcpListener, body: &[u8]) {
    let (stream, _) = listener.accept().expect("accept");
    let mut reader = BufReader::new(stream);
    let mut length = 0usize;
    loop {
        let mut line = String::new();
        reader.read_line(&mut line).expect("request line");
        let lower = line.to_ascii_lowercase();
        if let Some(v) = lower.strip_prefix("content-length:") {
            length = v.trim().parse().unwrap_or(0);
        }
        if line == "\r\n" || line.is_empty() {
            break;
        }
    }
    let mut request_body = vec![0u8; length];
    reader.read_exact(&mut request_body).expect("request body");
    let mut stream = reader.into_inner();
    let head = format!(
        "HTTP/1.1 200 OK\r\nContent-Type: application/json; charset=utf-8\r\nContent-Length: {}\r\nConnection: close\r\n\r\n",
        body.len()
    );
    stream.write_all(head.as_bytes()).expect("write head");
    stream.write_all(body).expect("write body");
}

fn measure(provider: &str, base: &str) {
    let settings = HttpSettings {
        connect_timeout: Duration::from_secs(5),
        read_timeout: Duration::from_secs(300),
        total_timeout: Duration::from_secs(600),
        query_wait_secs: 180,
        max_retries: 0,
        max_backoff: Duration::from_secs(1),
        use_system_proxy: false,
    };
    let token = AccessToken::new(
        "rss-token".into(),
        SystemTime::now() + Duration::from_secs(3600),
    );
    let client = ApiClient {
        http: build_http(&settings).unwrap(),
        tokens: Arc::new(StaticToken(token)),
        endpoints: Endpoints {
            authority: base.into(),
            log_analytics: base.into(),
            log_analytics_scope: "https://api.loganalytics.io/.default".into(),
            graph: format!("{base}/v1.0"),
            graph_scope: "https://graph.microsoft.com/.default".into(),
            arm: base.into(),
            arm_scope: "https://management.azure.com/.default".into(),
        },
        workspace: "11111111-2222-3333-4444-555555555555".into(),
        extra_workspaces: vec![],
        retry: RetryPolicy {
            max_retries: 0,
            ..RetryPolicy::default()
        },
        settings,
    };
    let (provider, text) = match provider {
        "loganalytics" => (Provider::LogAnalytics, "SigninLogs"),
        "hunting" => (Provider::Hunting, "AADSignInEventsBeta"),
        _ => (Provider::Graph, "/auditLogs/signIns"),
    };
    let request = LookupRequest {
        lookup_id: "rss".into(),
        provider,
        text: text.into(),
        timespan: Some("P7D".into()),
    };
    let rt = tokio::runtime::Builder::new_current_thread()
        .enable_all()
        .build()
        .unwrap();
    let result = rt
        .block_on(Backend::Live(Arc::new(client)).run(&request, None))
        .expect("the lookup answers");
    let table = &result.tables[0];
    println!(
        "{}: {} rows x {} columns",
        provider.name(),
        table.rows.len(),
        table.columns.len()
    );
    println!("VmHWM (peak RSS): {}", status("VmHWM:"));
    println!("VmRSS (holding the result): {}", status("VmRSS:"));
}

fn main() {
    let args: Vec<String> = std::env::args().collect();
    if args.get(1).map(String::as_str) == Some("--measure") {
        measure(&args[2], &args[3]);
        return;
    }
    let provider = args.get(1).map_or("loganalytics", String::as_str);
    let rows: usize = args.get(2).and_then(|r| r.parse().ok()).unwrap_or(200_000);
    let body = body(provider, rows);
    println!("response body: {:.1} MB", body.len() as f64 / 1e6);
    let listener = TcpListener::bind("127.0.0.1:0").unwrap();
    let base = format!("http://{}", listener.local_addr().unwrap());
    let mut child = Command::new(std::env::current_exe().unwrap())
        .args(["--measure", provider, &base])
        .spawn()
        .expect("start the measuring child");
    serve_once(&listener, body.as_bytes());
    assert!(
        child.wait().unwrap().success(),
        "the measuring child failed"
    );
}
