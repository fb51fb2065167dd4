//! Subjects: the affected users and devices a walk goes round for. A
//! variable may belong to a subject's scope; a choice may open the next
//! subject of a scope, which files the current values of that scope's
//! variables under the subject just finished and leaves them unset, so a
//! second user's values never overwrite the first's.

use super::model::{Choice, Tree};

/// What a scoped variable describes.
#[derive(Debug, Clone, Copy, PartialEq, Eq, Hash, PartialOrd, Ord)]
pub enum Scope {
    /// An affected user account.
    User,
    /// A device under investigation. A new user brings new devices, so
    /// opening a user also closes the device scope.
    Device,
}

impl Scope {
    pub const ALL: [Scope; 2] = [Scope::User, Scope::Device];

    pub fn name(self) -> &'static str {
        match self {
            Scope::User => "user",
            Scope::Device => "device",
        }
    }

    pub fn parse(name: &str) -> Option<Self> {
        Self::ALL.into_iter().find(|s| s.name() == name)
    }

    /// The scopes whose variables a new subject of `self` leaves unset.
    fn closes(self, var: Scope) -> bool {
        match self {
            Scope::User => true,
            Scope::Device => var == Scope::Device,
        }
    }
}

impl Tree {
    /// The variables `choice` files away (in declaration order), when it
    /// opens a new subject.
    pub fn closed_by(&self, choice: &Choice) -> Option<(Scope, Vec<String>)> {
        let scope = choice.opens?;
        let names = self
            .variables
            .iter()
            .filter(|v| v.scope.is_some_and(|s| scope.closes(s)))
            .map(|v| v.name.value.clone())
            .collect();
        Some((scope, names))
    }
}

impl super::validate::Checker<'_> {
    /// A choice that opens a subject needs variables of that scope to file.
    pub(crate) fn subjects(&mut self) {
        let tree = self.tree;
        for (i, node) in tree.nodes.iter().enumerate() {
            let super::model::NodeKind::Decision { choices } = &node.kind else {
                continue;
            };
            for (c, choice) in choices.iter().enumerate() {
                let Some(scope) = choice.opens else { continue };
                if tree.variables.iter().all(|v| v.scope != Some(scope)) {
                    let owner = super::validate::node_name(node, i);
                    self.report(
                        choice.id.span.clone(),
                        format!(
                            "choice {} of {owner} opens the next {} but no variable has scope = \"{}\"",
                            c + 1,
                            scope.name(),
                            scope.name()
                        ),
                    );
                }
            }
        }
    }
}

#[cfg(test)]
mod tests {
    const TREE: &str = r#"
[tree]
id = "t"
version = "1"
languages = ["en"]
start = "a"
title.en = "T"

[[variables]]
name = "upn"
type = "upn"
scope = "user"
description.en = "u"

[[nodes]]
id = "a"
phase = "investigate"
kind = "decision"
title.en = "More?"

[[nodes.choices]]
id = "next-user"
label.en = "Next user"
next = "a"
opens = "user"

[[nodes.choices]]
id = "next-device"
label.en = "Next device"
next = "a"
opens = "device"

[[nodes.choices]]
id = "done"
label.en = "Done"
next = "end"

[[nodes]]
id = "end"
phase = "close"
kind = "outcome"
status = "contained"
title.en = "End"
"#;

    #[test]
    fn opening_a_scope_without_variables_is_an_error() {
        let err = crate::tree::load::parse("t.toml", TREE)
            .unwrap_err()
            .to_string();
        assert!(
            err.contains(
                "choice 2 of node 'a' opens the next device but no variable has scope = \"device\""
            ),
            "{err}"
        );
        assert!(!err.contains("choice 1 of"), "{err}");
        let fixed = TREE.replace("opens = \"device\"\n", "");
        let tree = crate::tree::load::parse("t.toml", &fixed).unwrap();
        let (scope, names) = tree.closed_by(&choice(&tree, "next-user")).unwrap();
        assert_eq!((scope.name(), names), ("user", vec!["upn".to_string()]));
    }

    #[test]
    fn an_unknown_scope_is_named_with_the_allowed_ones() {
        let err = crate::tree::load::parse(
            "t.toml",
            &TREE.replace("scope = \"user\"", "scope = \"usr\""),
        )
        .unwrap_err()
        .to_string();
        assert!(
            err.contains("unknown scope 'usr' (did you mean 'user'?)"),
            "{err}"
        );
    }

    fn choice(tree: &crate::tree::Tree, id: &str) -> crate::tree::Choice {
        let crate::tree::NodeKind::Decision { choices } = &tree.nodes[0].kind else {
            unreachable!()
        };
        choices.iter().find(|c| c.id.value == id).unwrap().clone()
    }
}
