//! Several affected users and devices: the scoped variables, the choices
//! that open the next subject, and the two device variables each used for
//! what it means (the device under investigation is read, never written;
//! the device registered on the account is the one disabled or deleted).

use cairn::tree::NodeKind;
use cairn::tree::subject::Scope;

use super::common::tree;

const INVESTIGATED: [&str; 2] = ["user_device_id", "mde_device_id"];
const REGISTERED: [&str; 2] = ["registered_device_id", "registered_device_object_id"];

fn placeholders(text: &str) -> Vec<String> {
    text.split("{{")
        .skip(1)
        .filter_map(|s| s.split_once("}}").map(|(name, _)| name.trim().to_string()))
        .collect()
}

#[test]
fn variables_of_a_user_or_a_device_are_scoped_and_the_attacker_is_not() {
    let tree = tree();
    let scope = |name: &str| {
        tree.variable(name)
            .unwrap_or_else(|| panic!("no variable {name}"))
            .scope
    };
    for name in ["upn", "user_object_id", "auth_method_id", "inbox_rule_id"] {
        assert_eq!(scope(name), Some(Scope::User), "{name}");
    }
    for name in REGISTERED {
        assert_eq!(
            scope(name),
            Some(Scope::User),
            "{name}: registered on the user's account"
        );
    }
    for name in INVESTIGATED {
        assert_eq!(scope(name), Some(Scope::Device), "{name}");
    }
    for name in ["attacker_ip", "attacker_user_agent", "incident_start"] {
        assert_eq!(scope(name), None, "{name} is the incident's");
    }
    assert!(
        tree.variable("device_id").is_none(),
        "one name, one meaning"
    );
}

#[test]
fn other_affected_opens_the_next_user_or_device_and_nothing_else_does() {
    let tree = tree();
    let mut opening = Vec::new();
    for node in &tree.nodes {
        if let NodeKind::Decision { choices } = &node.kind {
            for c in choices.iter().filter(|c| c.opens.is_some()) {
                opening.push((node.id.as_str(), c.id.as_str(), c.opens.unwrap()));
            }
        }
    }
    assert_eq!(
        opening,
        [
            ("other-affected", "new-users", Scope::User),
            ("other-affected", "new-devices", Scope::Device),
        ]
    );
    // The next user's UPN can be bound where it is found.
    let node = tree.node("other-affected").unwrap();
    assert!(
        node.lookups
            .iter()
            .any(|l| l.bind.iter().any(|b| b.variable.as_str() == "upn"))
    );
}

#[test]
fn no_write_call_addresses_the_device_under_investigation() {
    let tree = tree();
    for (node, action) in tree.actions() {
        let mut used = placeholders(&action.path.value);
        used.extend(action.confirm.iter().map(|c| c.value.clone()));
        for name in INVESTIGATED {
            assert!(
                !used.iter().any(|u| u == name),
                "{}/{} writes to {name}",
                node.id.as_str(),
                action.id.as_str()
            );
        }
        if action.path.value.starts_with("/devices") {
            assert!(
                used.iter().all(|u| REGISTERED.contains(&u.as_str())),
                "{}/{} addresses a device by {used:?}",
                node.id.as_str(),
                action.id.as_str()
            );
            let confirm = action.confirm.as_ref().map(|c| c.as_str());
            assert!(
                confirm.is_some_and(|c| used.iter().any(|u| u == c)),
                "{} confirms with the id it sends",
                action.id.as_str()
            );
        }
    }
}

#[test]
fn each_device_variable_is_bound_and_read_for_its_own_device() {
    let tree = tree();
    for (node, lookup) in tree.lookups() {
        let at = format!("{}/{}", node.id.as_str(), lookup.id.as_str());
        for b in &lookup.bind {
            let var = b.variable.as_str();
            let from_registration = lookup.query.value.contains("registeredDevices")
                || lookup.query.value.contains("Register device");
            if REGISTERED.contains(&var) {
                assert!(
                    from_registration,
                    "{at}: {var} bound from a non-registration lookup"
                );
            }
            if var == "user_device_id" {
                assert!(
                    !from_registration
                        && ["EntraDeviceId", "deviceId_"].contains(&b.column.as_str()),
                    "{at}: user_device_id bound from {}",
                    b.column
                );
            }
        }
        // Defender's device tables read the investigated device only.
        for name in placeholders(&lookup.query.value) {
            assert!(!REGISTERED.contains(&name.as_str()), "{at} reads {name}");
        }
    }
    let mapping = tree
        .lookups()
        .find(|(_, l)| l.id.as_str() == "mde-device-from-entra")
        .unwrap()
        .1;
    assert_eq!(placeholders(&mapping.query.value), ["user_device_id"]);
}
