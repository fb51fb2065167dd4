//! The node screen's preview and `y` copy go through the same template
//! engine as the run form and the action: hostile values, one typed and one
//! bound from a result column, come out escaped for every target, and what
//! is copied is exactly what is sent.

use ratatui::crossterm::event::KeyCode;

use super::*;
use crate::app::fixture::mini_tree;
use crate::app::node::{NodeItem, NodeView, node_items};
use crate::tree::{At, Binding, HttpMethod, Localized, Lookup, Provider, Tree, VarType, Variable};

const UPN: &str = "o'brien@contoso.com";
const AGENT: &str = "' or 1==1 //";

fn at(s: &str) -> At<String> {
    At::new(s.to_string(), 0..0)
}

fn lookup(id: &str, provider: Provider, query: &str) -> Lookup {
    Lookup {
        id: at(id),
        title: Localized::single("en", id),
        provider,
        query: at(query),
        window: None,
        look_for: Localized::single("en", "-"),
        bind: Vec::new(),
        requires: Default::default(),
    }
}

/// The mini tree with a free-text variable bound from a result column,
/// lookups for the three providers and an action with a path and a body.
fn hostile_tree() -> Arc<Tree> {
    let mut tree = (*mini_tree()).clone();
    for (name, var_type) in [("agent", VarType::String), ("rule", VarType::String)] {
        tree.variables.push(Variable {
            name: at(name),
            var_type,
            description: Localized::single("en", name),
            required: false,
            scope: None,
        });
    }
    let triage = &mut tree.nodes[0];
    triage.lookups[0].bind.push(Binding {
        column: "IPAddress".into(),
        variable: at("agent"),
    });
    triage.lookups.push(lookup(
        "agents",
        Provider::Hunting,
        "CloudAppEvents | where UserAgent == '{{agent}}' | where AccountUpn =~ '{{upn}}'",
    ));
    triage.lookups.push(lookup(
        "messages",
        Provider::Graph,
        "/users/{{upn}}/messages?$filter=subject eq '{{agent}}'",
    ));
    let contain = &mut tree.nodes[1];
    contain.actions.push(crate::tree::Action {
        id: at("rename-rule"),
        title: Localized::single("en", "Rename the rule"),
        method: HttpMethod::Patch,
        path: at("/users/{{upn}}/mailFolders/inbox/messageRules/{{rule}}"),
        body: Some(r#"{"displayName": "{{agent}}", "by": "{{upn}}"}"#.into()),
        description: Localized::single("en", "-"),
        destructive: true,
        confirm: None,
        requires: Default::default(),
        approval: None,
    });
    Arc::new(tree)
}

fn set_rule(h: &mut Harness, rule: &str) {
    let inc = h.state.incident.as_mut().unwrap();
    inc.walk.values.insert("rule".into(), rule.into());
}

/// Puts the node screen's cursor on `item` and presses `key`.
fn on_item(h: &mut Harness, item: NodeItem, key_char: char) -> Vec<Effect> {
    let inc = h.state.incident.as_ref().unwrap();
    let node = inc.tree.node(inc.current_node_id()).unwrap().clone();
    let cursor = node_items(&node)
        .iter()
        .position(|i| *i == item)
        .unwrap_or_else(|| panic!("{item:?} not on the screen"));
    h.state.screen = Screen::Node(NodeView {
        cursor,
        ..Default::default()
    });
    h.send(key(key_char))
}

fn copied(effects: &[Effect]) -> String {
    match effects {
        [Effect::Copy(text)] => text.clone(),
        other => panic!("no copy in {other:?}"),
    }
}

#[test]
fn copy_preview_and_sent_request_agree_and_escape_hostile_values_for_every_target() {
    let mut h = Harness::opened_on(hostile_tree());
    set_upn(&mut h, UPN);
    // Bind the hostile agent from the first lookup's result column.
    let effects = on_item(&mut h, NodeItem::Lookup(0), 'g');
    assert!(effects.is_empty(), "{effects:?}");
    let (run, _, _) = run_effect(&h.send(code(KeyCode::Enter)));
    h.send(finished(run, result(&[("x@b.co", AGENT)])));
    h.send(key('l'));
    h.send(key('='));
    h.send(code(KeyCode::Enter));
    assert!(matches!(
        h.recorded.last(),
        Some(EventKind::VariableSet { name, value, source: ValueSource::Lookup { .. } })
            if name == "agent" && value == AGENT
    ));
    set_rule(&mut h, "AQAAAJ5dZqA=");

    let expected = [
        r"SigninLogs | where UserPrincipalName =~ 'o\'brien@contoso.com'",
        r"CloudAppEvents | where UserAgent == '\' or 1==1 //' | where AccountUpn =~ 'o\'brien@contoso.com'",
        "/users/o%27brien%40contoso.com/messages?$filter=subject%20eq%20%27%27%27%20or%201%3D%3D1%20%2F%2F%27",
    ];
    for (i, want) in expected.iter().enumerate() {
        let copy = copied(&on_item(&mut h, NodeItem::Lookup(i), 'y'));
        assert_eq!(copy, *want, "copy of lookup {i}");
        on_item(&mut h, NodeItem::Lookup(i), 'g');
        let (_, request, _) = run_effect(&h.send(code(KeyCode::Enter)));
        assert_eq!(request.text, copy, "the run form sends what was copied");
    }

    // The action: path and body as previewed, confirmed and recorded.
    h.state.screen = Screen::Node(NodeView::default());
    h.send(key('2'));
    h.send(key('y'));
    assert_eq!(h.current(), "contain");
    let item = NodeItem::Action(1);
    let copy = copied(&on_item(&mut h, item, 'y'));
    assert_eq!(
        copy,
        "/users/o%27brien%40contoso.com/mailFolders/inbox/messageRules/AQAAAJ5dZqA%3D"
    );
    let inc = h.state.incident.as_ref().unwrap();
    let action = &inc.tree.node("contain").unwrap().actions[1];
    let (path, body) = crate::app::actions::preview(&inc.tree, action, &inc.walk.values);
    let body = body.unwrap();
    assert_eq!(path, copy);
    assert_eq!(
        body,
        r#"{"displayName": "' or 1==1 //", "by": "o'brien@contoso.com"}"#
    );
    on_item(&mut h, item, 'g');
    let Screen::Action(view) = &h.state.screen else {
        panic!("{:?}", h.state.screen)
    };
    let run = &h.state.lookups.actions[&view.run];
    assert_eq!(run.request.path, copy);
    assert_eq!(run.request.body.as_deref(), Some(body.as_str()));
    assert_eq!(run.url, format!("https://graph.microsoft.com/v1.0{copy}"));
}

#[test]
fn a_path_value_that_would_leave_its_segment_is_refused_before_confirmation() {
    let mut h = Harness::opened_on(hostile_tree());
    set_upn(&mut h, UPN);
    h.send(key('2'));
    h.send(key('y'));
    for hostile in ["..", ".", "a/b", "%2e%2e", "x%2Fy", "a\\b", "a?b", "a#b"] {
        set_rule(&mut h, hostile);
        let copy = copied(&on_item(&mut h, NodeItem::Action(1), 'y'));
        assert!(
            copy.ends_with("/messageRules/{{rule}}"),
            "{hostile}: {copy}"
        );
        on_item(&mut h, NodeItem::Action(1), 'g');
        assert!(
            matches!(h.state.screen, Screen::Node(_)),
            "{hostile}: {:?}",
            h.state.screen
        );
        assert!(
            matches!(&h.state.notice, Some(Notice::Invalid(e)) if e.contains("cannot stand in a URL path")),
            "{hostile}: {:?}",
            h.state.notice
        );
        assert!(h.state.lookups.actions.is_empty(), "{hostile}");
    }
}

/// Opens the variables editor on `name`, types `text` and saves it.
fn edit_variable(h: &mut Harness, name: &str, text: &str) -> Option<String> {
    h.state.screen = h.state.node_screen();
    h.send(key('v'));
    let vars = &h.state.incident.as_ref().unwrap().tree.variables;
    let index = vars.iter().position(|v| v.name.value == name).unwrap();
    if let Screen::Variables(view) = &mut h.state.screen {
        view.cursor = index;
    }
    h.send(code(KeyCode::Enter));
    h.send(ctrl('u'));
    h.type_text(text);
    h.send(code(KeyCode::Enter));
    match &h.state.screen {
        Screen::Variables(view) => view.error.clone(),
        other => panic!("{other:?}"),
    }
}

#[test]
fn the_variables_editor_refuses_a_value_that_would_leave_a_path_the_variable_is_used_in() {
    let mut h = Harness::opened_on(hostile_tree());
    for hostile in ["..", ".", "a/b", "%2e%2e", "x%2Fy", "a\\b", "a?b", "a#b"] {
        let before = h.recorded.len();
        let error = edit_variable(&mut h, "rule", hostile);
        let error = error.unwrap_or_else(|| panic!("{hostile} accepted"));
        assert!(
            error.contains("cannot stand in a URL path") && error.contains("action 'rename-rule'"),
            "{hostile}: {error}"
        );
        assert_eq!(h.recorded.len(), before, "{hostile} was recorded");
    }
    // The same text is fine where the tree never puts it in a path.
    assert_eq!(edit_variable(&mut h, "agent", ".."), None);
    assert!(matches!(
        h.recorded.last(),
        Some(EventKind::VariableSet { name, value, .. }) if name == "agent" && value == ".."
    ));
    // An honest id is taken, and in Japanese the refusal is explained in Japanese.
    assert_eq!(edit_variable(&mut h, "rule", "AQAAAJ5dZqA="), None);
    h.state.screen = h.state.node_screen();
    h.send(key('L'));
    let error = edit_variable(&mut h, "rule", "..").unwrap();
    assert!(error.contains("URL のパスに使えません"), "{error}");
}
