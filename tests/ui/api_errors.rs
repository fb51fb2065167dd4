//! A service's error and its remedy in the screen's language: the status
//! line under the lookup, the results screen's details, and the remedy
//! fitted to the sign-in in use, in English and Japanese at 80x24. The
//! record keeps the English words.

use cairn::app::Screen;
use cairn::lookup::error::{AuthKind, Fit, LookupError, parse_api_error};
use cairn::store::event::EventKind;
use cairn::tree::{At, Requires};

use super::driver::render;
use super::lookup_status::{fail, running};

fn snap(name: &str, screen: String) {
    let mut settings = insta::Settings::clone_current();
    settings.set_snapshot_path("../snapshots");
    settings.set_prepend_module_to_snapshot(false);
    settings.bind(|| insta::assert_snapshot!(name.to_string(), screen));
}

/// Graph's 403, as a client-secret sign-in that needs AuditLog.Read.All
/// meets it.
fn refused() -> LookupError {
    let mut e = parse_api_error(
        403,
        br#"{"error":{"code":"Authorization_RequestDenied","message":"Insufficient privileges.","innerError":{"request-id":"r-42"}}}"#,
    );
    e.ids = vec![("request-id".to_string(), "r-42".to_string())].into();
    let fit = Fit {
        auth: AuthKind::ClientSecret,
        requires: Requires {
            graph: vec![At::new("AuditLog.Read.All".to_string(), 0..0)],
            ..Requires::default()
        },
        graph: true,
    };
    LookupError::Api(e).fit(&fit)
}

fn flat(screen: &str) -> String {
    screen.split_whitespace().collect::<Vec<_>>().join(" ")
}

#[test]
fn api_errors_and_remedies_speak_the_screens_language() {
    for (lang, status, remedy) in [
        (
            "en",
            "Failed: HTTP 403",
            "Hint: missing permission: this call needs Graph permission AuditLog.Read.All",
        ),
        (
            "ja",
            "失敗: HTTP 403",
            "対処: 権限がありません: この呼び出しには Graph のアクセス許可 AuditLog.Read.All が必要です",
        ),
    ] {
        let (mut d, run) = running(lang);
        fail(&mut d, run, refused().into());
        let node = render(&d.state, 80, 24);
        assert!(flat(&node).contains(status), "{lang}: {node}");
        snap(&format!("node_api_error_{lang}_80x24"), node);

        // The results screen's details: the whole error, remedy and id.
        d.keys("o");
        assert!(matches!(d.state.screen, Screen::Results(_)), "{lang}");
        let details = render(&d.state, 80, 24);
        let words = flat(&details);
        assert!(words.contains(remedy), "{lang}: {details}");
        assert!(words.contains("[request-id r-42]"), "{lang}: {details}");
        snap(&format!("results_api_error_{lang}_80x24"), details);

        // The record keeps English, whatever the screen speaks.
        let id = d.state.incident.as_ref().unwrap().meta.id.clone();
        let recorded = d
            .events(&id)
            .into_iter()
            .find_map(|e| match e {
                EventKind::LookupRun { message, .. } => message,
                _ => None,
            })
            .expect("the failed run is recorded");
        assert!(
            recorded.contains(
                "Hint: missing permission: this call needs Graph permission AuditLog.Read.All"
            ),
            "{recorded}"
        );
    }
}
