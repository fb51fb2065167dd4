//! Placeholder scanning: the byte scan, and the context of each placeholder
//! in each target language.

use std::collections::BTreeMap;

use super::*;

#[test]
fn finds_placeholders_with_spaces_and_unterminated_ones() {
    let found = placeholders("a '{{ upn }}' b {{ip}} c {{x");
    assert_eq!(
        found,
        vec![
            Placeholder::Named {
                range: 3..12,
                name: "upn"
            },
            Placeholder::Named {
                range: 16..22,
                name: "ip"
            },
            Placeholder::Unterminated { range: 25..27 },
        ]
    );
}

/// The same scan with substring search, as the byte scan replaced.
fn by_substring_search(text: &str) -> Vec<Placeholder<'_>> {
    let mut out = Vec::new();
    let mut from = 0;
    while let Some(open) = text[from..].find("{{").map(|i| i + from) {
        let Some(len) = text[open + 2..].find("}}") else {
            out.push(Placeholder::Unterminated {
                range: open..open + 2,
            });
            break;
        };
        let end = open + 2 + len + 2;
        out.push(Placeholder::Named {
            range: open..end,
            name: text[open + 2..end - 2].trim(),
        });
        from = end;
    }
    out
}

proptest::proptest! {
    #[test]
    fn byte_scan_finds_what_substring_search_finds(text in "[{} aé]{0,24}") {
        proptest::prop_assert_eq!(placeholders(&text), by_substring_search(&text));
    }
}

fn contexts(template: &str, target: Target) -> Vec<Context> {
    scan(template, target)
        .unwrap()
        .into_iter()
        .filter_map(|p| match p {
            Piece::Placeholder { context, .. } => Some(context),
            Piece::Literal(_) => None,
        })
        .collect()
}

#[test]
fn each_language_tags_its_contexts() {
    assert_eq!(
        contexts(
            "T | where a == '{{x}}' and b == \"{{x}}\" // '{{x}}'\n| where c == @'{{x}}' or d == {{x}}",
            Target::Kql
        ),
        [
            Context::KqlSingleQuoted,
            Context::KqlOther,
            Context::KqlOther,
            Context::KqlOther,
            Context::KqlOther
        ]
    );
    assert_eq!(
        contexts(
            "/u/{{x}}/d(id='{{x}}')?$filter=a eq '{{x}}' and t ge {{x}}",
            Target::GraphPath
        ),
        [
            Context::PathSegment,
            Context::PathODataString,
            Context::ODataString,
            Context::QueryBare
        ]
    );
    assert_eq!(
        contexts(
            r#"{"a": "{{x}}", "b": {{x}}, "c": "\"{{x}}"}"#,
            Target::JsonBody
        ),
        [Context::JsonString, Context::JsonOther, Context::JsonString]
    );
}

/// `upn` is a UPN, `text` free text; nothing else is declared.
fn types(name: &str) -> Option<VarType> {
    [("upn", VarType::Upn), ("text", VarType::String)]
        .into_iter()
        .find_map(|(n, t)| (n == name).then_some(t))
}

fn values(pairs: &[(&str, &str)]) -> BTreeMap<String, String> {
    BTreeMap::from_iter(pairs.iter().map(|&(k, v)| (k.into(), v.into())))
}

#[test]
fn preview_escapes_what_it_can_and_keeps_the_rest_visible() {
    let kql = "T | where U =~ '{{upn}}' and A == '{{text}}' and B == {{text}} and C == '{{nope}}'";
    // Unset: every placeholder stays as written.
    assert_eq!(
        preview(kql, Target::Kql, types, &values(&[])),
        "T | where U =~ '{{upn}}' and A == '{{text}}' and B == {{text}} and C == '{{nope}}'"
    );
    // Set: escaped where quoted; still refused bare; undeclared kept.
    let set = values(&[("upn", "o'brien@contoso.com"), ("text", "' or 1==1 //")]);
    assert_eq!(
        preview(kql, Target::Kql, types, &set),
        r"T | where U =~ 'o\'brien@contoso.com' and A == '\' or 1==1 //' and B == {{text}} and C == '{{nope}}'"
    );
    // An invalid value is never shown in place of the placeholder.
    let bad = values(&[("upn", "not a upn")]);
    assert_eq!(preview("'{{upn}}'", Target::Kql, types, &bad), "'{{upn}}'");
    let body = r#"{"a": "{{text}}"}"#;
    let quoted = values(&[("text", r#"say "hi" \ bye"#)]);
    assert_eq!(
        preview(body, Target::JsonBody, types, &quoted),
        r#"{"a": "say \"hi\" \\ bye"}"#
    );
}

proptest::proptest! {
    #[test]
    fn a_complete_preview_is_what_render_sends(text in "\\PC{1,30}", upn in "[a-z]{1,8}@[a-z]{1,8}\\.com") {
        let vals = values(&[("upn", &upn), ("text", &text)]);
        for (template, target) in [
            ("T | where U =~ '{{upn}}' and A == '{{text}}'", Target::Kql),
            ("/users/{{upn}}?$filter=a eq '{{text}}'", Target::GraphPath),
            (r#"{"u": "{{upn}}", "t": "{{text}}"}"#, Target::JsonBody),
        ] {
            if let Ok(sent) = render("t", template, target, types, &vals) {
                proptest::prop_assert_eq!(preview(template, target, types, &vals), sent.text);
            }
        }
    }
}
