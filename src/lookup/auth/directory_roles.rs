//! Microsoft Entra built-in directory roles by name, with the role template
//! id a token's `wids` claim carries. The one table of them; from
//! Microsoft's published list ("Microsoft Entra built-in roles",
//! MicrosoftDocs/entra-docs `docs/identity/role-based-access-control/
//! permissions-reference.md`, commit d5f7a99c). Only the roles trees name.

/// (role name as trees write it, role template id).
pub const ROLE_TEMPLATES: &[(&str, &str)] = &[
    (
        "Authentication Administrator",
        "c4e39bd9-1100-46d3-8c65-fb160da0071f",
    ),
    (
        "Cloud Device Administrator",
        "7698a772-787b-4ac8-901f-60d6b08affd2",
    ),
    ("Directory Readers", "88d8e3e3-8f55-4a1e-953a-9b9898b8876b"),
    ("Global Administrator", GLOBAL_ADMINISTRATOR),
    ("Global Reader", "f2ef992c-3afb-46b9-b7cf-a126ee74c451"),
    (
        "Intune Administrator",
        "3a2c62db-5318-420d-8d74-23affee5d9d5",
    ),
    (
        "Privileged Authentication Administrator",
        "7be44c8a-adaf-4e2a-84d6-ab2649e08a13",
    ),
    ("Reports Reader", "4a5d8f65-41da-4de4-8968-e035b65339cf"),
    (
        "Security Administrator",
        "194ae4cb-b126-40b2-bd5b-6091b380977d",
    ),
    ("Security Operator", "5f2222b1-57c3-48ba-8ad5-d4759f1fde6f"),
    ("Security Reader", "5d6b6bb7-de71-4623-b4af-96380a352509"),
    ("User Administrator", "fe930be7-5e62-47db-91af-98c3a49a38b1"),
];

/// Global Administrator can do what every other role can.
pub const GLOBAL_ADMINISTRATOR: &str = "62e90394-69f5-4237-9190-012177145e10";

/// The template id of a role named as trees write it.
pub fn template_id(name: &str) -> Option<&'static str> {
    ROLE_TEMPLATES
        .iter()
        .find(|(n, _)| n.eq_ignore_ascii_case(name.trim()))
        .map(|(_, id)| *id)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn names_and_ids_are_unique_and_ids_are_guids() {
        let mut names: Vec<_> = ROLE_TEMPLATES.iter().map(|(n, _)| *n).collect();
        let mut ids: Vec<_> = ROLE_TEMPLATES.iter().map(|(_, i)| *i).collect();
        names.sort();
        names.dedup();
        ids.sort();
        ids.dedup();
        assert_eq!(names.len(), ROLE_TEMPLATES.len());
        assert_eq!(ids.len(), ROLE_TEMPLATES.len());
        for id in ids {
            assert!(
                crate::tree::value::normalize(crate::tree::VarType::Guid, id).is_ok(),
                "{id}"
            );
        }
        assert_eq!(
            template_id("user administrator"),
            Some("fe930be7-5e62-47db-91af-98c3a49a38b1")
        );
        assert_eq!(template_id("Tenant Creator"), None);
    }
}
