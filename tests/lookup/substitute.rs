//! Golden substitution tests with hostile values.

use std::collections::BTreeMap;

use cairn::tree::model::VarType;
use cairn::tree::template::{
    RenderError, Target, kql_single_quoted, odata_string, percent_encode, render,
};

fn types(name: &str) -> Option<VarType> {
    match name {
        "upn" => Some(VarType::Upn),
        "ip" => Some(VarType::Ip),
        "since" => Some(VarType::Datetime),
        "device" => Some(VarType::Guid),
        "text" | "rule" => Some(VarType::String),
        _ => None,
    }
}

fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    pairs
        .iter()
        .map(|(k, v)| (k.to_string(), v.to_string()))
        .collect()
}

fn kql(template: &str, pairs: &[(&str, &str)]) -> Result<String, RenderError> {
    render("lookup 't'", template, Target::Kql, types, &values(pairs)).map(|r| r.text)
}

fn graph(template: &str, pairs: &[(&str, &str)]) -> Result<String, RenderError> {
    render(
        "lookup 't'",
        template,
        Target::GraphPath,
        types,
        &values(pairs),
    )
    .map(|r| r.text)
}

#[test]
fn kql_golden_hostile_values() {
    let t = "T | where X == '{{ text }}' | take 10";
    let cases = [
        ("'", r"T | where X == '\'' | take 10"),
        ("\"", r#"T | where X == '"' | take 10"#),
        ("\\", r"T | where X == '\\' | take 10"),
        ("a|b", "T | where X == 'a|b' | take 10"),
        ("//x", "T | where X == '//x' | take 10"),
        ("') | union *", r"T | where X == '\') | union *' | take 10"),
        (
            "x' or 1==1 //",
            r"T | where X == 'x\' or 1==1 //' | take 10",
        ),
        ("ユーザー é 😀", "T | where X == 'ユーザー é 😀' | take 10"),
        (r"\'", r"T | where X == '\\\'' | take 10"),
    ];
    for (value, expected) in cases {
        assert_eq!(
            kql(t, &[("text", value)]).unwrap(),
            expected,
            "value {value:?}"
        );
    }
}

#[test]
fn kql_escaper_handles_every_named_control_and_refuses_others() {
    assert_eq!(
        kql_single_quoted("a\tb\nc\rd\u{7}e\u{8}f\u{c}g").unwrap(),
        r"a\tb\nc\rd\ae\bf\fg"
    );
    assert!(kql_single_quoted("a\u{1b}[31m").is_err());
    assert!(kql_single_quoted("a\u{0}").is_err());
    assert!(kql_single_quoted("a\u{85}").is_err());
}

#[test]
fn newline_in_a_value_is_refused_by_type_validation() {
    let err = kql("T | where X == '{{text}}'", &[("text", "a\nb")]).unwrap_err();
    assert!(
        matches!(err, RenderError::Invalid { ref name, .. } if name == "text"),
        "{err}"
    );
}

#[test]
fn hostile_upn_is_refused_by_its_type() {
    let err = kql(
        "SigninLogs | where UserPrincipalName =~ '{{upn}}'",
        &[("upn", "a@contoso.com') | union *")],
    )
    .unwrap_err();
    assert!(matches!(err, RenderError::Invalid { .. }), "{err}");
    // An apostrophe is legal in a UPN and must be escaped, not refused.
    assert_eq!(
        kql(
            "SigninLogs | where UserPrincipalName =~ '{{upn}}'",
            &[("upn", "o'brien@contoso.com")]
        )
        .unwrap(),
        r"SigninLogs | where UserPrincipalName =~ 'o\'brien@contoso.com'"
    );
}

#[test]
fn placeholders_outside_single_quotes_are_refused() {
    let pairs = [("text", "x"), ("ip", "192.0.2.1")];
    for t in [
        "T | where X == {{text}}",
        "T | where X == \"{{text}}\"",
        "T | where X == @'{{text}}'",
        "T // '{{text}}'",
        "T | where X == 'a' and Y == {{ip}}",
        "T | where X == 'it\\'s' | where Y == {{ip}}",
        "T | where X == ```{{text}}```",
    ] {
        let err = kql(t, &pairs).unwrap_err();
        assert!(
            matches!(err, RenderError::Unquoted { ref owner, ref name, .. } if owner == "lookup 't'" && (name == "text" || name == "ip")),
            "{t}: {err}"
        );
        assert!(err.to_string().contains("lookup 't'"), "{err}");
    }
    // Escaped quote inside a literal keeps the placeholder inside it.
    assert_eq!(
        kql("T | where X == 'it\\'s {{text}}'", &pairs).unwrap(),
        "T | where X == 'it\\'s x'"
    );
    // Obfuscated literals are ordinary single-quoted strings.
    assert_eq!(
        kql("T | where X == h'{{text}}'", &pairs).unwrap(),
        "T | where X == h'x'"
    );
}

#[test]
fn missing_variables_are_listed_exactly() {
    let err = kql(
        "T | where A == '{{upn}}' and B == '{{ip}}' and C == '{{upn}}' and D == '{{text}}'",
        &[("text", "ok"), ("ip", "  ")],
    )
    .unwrap_err();
    assert_eq!(
        err,
        RenderError::Missing {
            owner: "lookup 't'".into(),
            names: vec!["upn".into(), "ip".into()]
        }
    );
    assert_eq!(err.to_string(), "lookup 't' needs values for: upn, ip");
}

#[test]
fn undeclared_and_malformed_placeholders_are_errors() {
    assert!(matches!(
        kql("T | where A == '{{nope}}'", &[]),
        Err(RenderError::Undeclared { .. })
    ));
    assert!(matches!(
        kql("T | where A == '{{upn'", &[]),
        Err(RenderError::Template { .. })
    ));
    assert!(matches!(
        kql("T | where A == '{{Upn-x}}'", &[]),
        Err(RenderError::Template { .. })
    ));
}

#[test]
fn canonical_values_are_substituted_and_reported() {
    let r = render(
        "lookup 't'",
        "T | where D == '{{device}}' and I == '{{ip}}'",
        Target::Kql,
        types,
        &values(&[
            ("device", "3DDFCFC8-9383-446F-83CC-3AB9BE4BE18F"),
            ("ip", " 2001:DB8::1 "),
        ]),
    )
    .unwrap();
    assert_eq!(
        r.text,
        "T | where D == '3ddfcfc8-9383-446f-83cc-3ab9be4be18f' and I == '2001:db8::1'"
    );
    assert_eq!(r.variables["ip"], "2001:db8::1");
}

#[test]
fn graph_path_segments_are_percent_encoded() {
    assert_eq!(
        graph(
            "/users/{{upn}}/authentication/methods",
            &[("upn", "o'brien+x@contoso.com")]
        )
        .unwrap(),
        "/users/o%27brien%2Bx%40contoso.com/authentication/methods"
    );
    assert_eq!(percent_encode("a/b?c#d e|ü"), "a%2Fb%3Fc%23d%20e%7C%C3%BC");
    assert_eq!(percent_encode("AZaz09-._~"), "AZaz09-._~");
}

#[test]
fn odata_filter_strings_double_quotes_then_encode() {
    assert_eq!(odata_string("') or 1 eq 1"), "%27%27%29%20or%201%20eq%201");
    assert_eq!(
        graph(
            "/auditLogs/signIns?$filter=userPrincipalName eq '{{upn}}' and createdDateTime ge {{since}}&$top=50",
            &[("upn", "o'brien@contoso.com"), ("since", "2026-11-20")]
        )
        .unwrap(),
        "/auditLogs/signIns?$filter=userPrincipalName%20eq%20%27o%27%27brien%40contoso.com%27%20and%20createdDateTime%20ge%202026-11-20T00%3A00%3A00Z&$top=50"
    );
    assert_eq!(
        graph(
            "/users?$filter=displayName eq '{{text}}'",
            &[("text", "a'&$top=1#")]
        )
        .unwrap(),
        "/users?$filter=displayName%20eq%20%27a%27%27%26%24top%3D1%23%27"
    );
    assert_eq!(
        graph("/devices(deviceId='{{text}}')", &[("text", "x'y")]).unwrap(),
        "/devices(deviceId='x%27%27y')"
    );
}

#[test]
fn bare_strings_in_a_graph_query_are_refused() {
    let err = graph(
        "/users?$filter=displayName eq {{text}}",
        &[("text", "x or 1 eq 1")],
    )
    .unwrap_err();
    assert!(matches!(err, RenderError::Unquoted { .. }), "{err}");
}

fn lookup_with_window(window: Option<&str>) -> cairn::tree::model::Lookup {
    use cairn::tree::model::{At, Localized, Lookup, Provider};
    Lookup {
        id: At::new("w".into(), 0..0),
        title: Localized::single("en", "w"),
        provider: Provider::LogAnalytics,
        query: At::new("T".into(), 0..0),
        window: window.map(|w| At::new(w.to_string(), 0..0)),
        look_for: Localized::single("en", ""),
        bind: vec![],
    }
}

#[test]
fn window_becomes_an_iso8601_timespan_with_a_per_run_override() {
    use cairn::lookup::substitute::{SubstituteError, window_timespan};
    let l = lookup_with_window(Some("7d"));
    assert_eq!(window_timespan(&l, None).unwrap().as_deref(), Some("P7D"));
    assert_eq!(
        window_timespan(&l, Some("12h")).unwrap().as_deref(),
        Some("PT12H")
    );
    assert!(matches!(
        window_timespan(&l, Some("7 days")),
        Err(SubstituteError::Window { .. })
    ));
    assert_eq!(
        window_timespan(&lookup_with_window(None), None).unwrap(),
        None
    );
}

/// Reads a single-quoted Kusto literal starting at `s[0] == '\''`; returns
/// its decoded content and the byte length consumed.
fn read_kql_literal(s: &str) -> Option<(String, usize)> {
    let mut chars = s.char_indices();
    assert_eq!(chars.next()?.1, '\'');
    let mut out = String::new();
    while let Some((i, c)) = chars.next() {
        match c {
            '\'' => return Some((out, i + 1)),
            '\\' => {
                let (_, e) = chars.next()?;
                out.push(match e {
                    '\'' => '\'',
                    '\\' => '\\',
                    '"' => '"',
                    't' => '\t',
                    'n' => '\n',
                    'r' => '\r',
                    'a' => '\u{7}',
                    'b' => '\u{8}',
                    'f' => '\u{c}',
                    _ => return None,
                });
            }
            '\n' | '\r' => return None,
            c => out.push(c),
        }
    }
    None
}

proptest::proptest! {
    #[test]
    fn any_escaped_string_stays_inside_its_literal(value in "[\\PC\t\n\r\u{7}\u{8}\u{c}]{0,40}") {
        // Any script, quotes, backslashes, pipes, and the named controls.
        let escaped = kql_single_quoted(&value).unwrap();
        let query = format!("'{escaped}' | take 1");
        let (decoded, used) = read_kql_literal(&query).unwrap();
        proptest::prop_assert_eq!(decoded, value);
        proptest::prop_assert_eq!(&query[used..], " | take 1");
    }

    #[test]
    fn odata_strings_never_leave_their_quotes(value in "\\PC{0,40}") {
        let encoded = odata_string(&value);
        proptest::prop_assert!(encoded.bytes().all(|b| b.is_ascii_alphanumeric() || b"-._~%".contains(&b)));
        proptest::prop_assert!(!encoded.contains('\''));
    }
}
