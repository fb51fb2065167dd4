//! Attaching a Sentinel incident: read it with its entities and alerts,
//! then plan the events that record the link and fill the tree's variables
//! from the entities (each value naming the entity it came from).

use crate::lookup::sentinel::{
    Alert, Entity, EntityKind, Incident, IncidentRef, Sentinel, SentinelError,
};
use crate::store::event::{EventKind, ValueSource};
use crate::text::{Medium, visible};
use crate::tree::Tree;
use crate::tree::model::VarType;

/// What Sentinel holds about one incident.
#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    pub incident: Incident,
    pub entities: Vec<Entity>,
    pub alerts: Vec<Alert>,
}

/// The label a Sentinel incident must carry before a tabletop or training
/// incident may be attached to it: an exercise's comments, tasks, owner,
/// status and close then reach only an incident someone set up for it,
/// never a real one picked by a mistyped number.
pub const EXERCISE_LABEL: &str = "cairn-exercise";

impl Attachment {
    /// True when the Sentinel incident is marked for exercises.
    pub fn is_for_exercises(&self) -> bool {
        self.incident
            .labels
            .iter()
            .any(|l| l.trim().eq_ignore_ascii_case(EXERCISE_LABEL))
    }
}

/// Reads the incident, its entities and its alerts.
pub async fn fetch(
    sentinel: &Sentinel<'_>,
    reference: &IncidentRef,
) -> Result<Attachment, SentinelError> {
    let incident = sentinel.incident(reference).await?;
    let entities = sentinel.entities(&incident.name).await?;
    let alerts = sentinel.alerts(&incident.name).await?;
    Ok(Attachment {
        incident,
        entities,
        alerts,
    })
}

/// The events to record, and what was left out and why (for the responder).
#[derive(Debug, Clone, PartialEq)]
pub struct Plan {
    pub events: Vec<EventKind>,
    pub notes: Vec<String>,
}

impl Attachment {
    /// The title a new Cairn incident takes from this one.
    pub fn title(&self) -> String {
        let title = self.incident.title.trim();
        match self.incident.number {
            Some(n) if title.is_empty() => format!("Sentinel incident #{n}"),
            _ if title.is_empty() => format!("Sentinel incident {}", self.incident.name),
            _ => title.to_string(),
        }
    }

    /// The link event, then one `variable_set` per tree variable an entity
    /// fills: Account -> `upn`, Ip -> the tree's one IP variable, Host ->
    /// `user_device_id` / `mde_device_id`. Variables for which `is_set` is true
    /// are left alone (a responder's value is never overwritten); the first
    /// entity of a kind wins and the others are noted.
    pub fn plan(&self, tree: &Tree, is_set: &dyn Fn(&str) -> bool) -> Plan {
        let inc = &self.incident;
        let owner = [
            &inc.owner.user_principal_name,
            &inc.owner.assigned_to,
            &inc.owner.email,
        ]
        .into_iter()
        .find_map(|o| o.as_ref().filter(|o| !o.trim().is_empty()).cloned());
        let mut plan = Plan {
            events: vec![EventKind::SentinelAttached {
                incident: inc.id.clone(),
                name: inc.name.to_string(),
                number: inc.number,
                title: inc.title.clone(),
                severity: inc.severity.clone(),
                status: inc.status.clone(),
                owner,
                labels: inc.labels.clone(),
                alerts: self.alerts.iter().map(|a| a.display_name.clone()).collect(),
            }],
            notes: Vec::new(),
        };
        let ip_vars: Vec<&str> = tree
            .variables
            .iter()
            .filter(|v| v.var_type == VarType::Ip)
            .map(|v| v.name.value.as_str())
            .collect();
        for entity in &self.entities {
            let candidates: Vec<(Option<&str>, Option<String>)> = match entity.kind {
                EntityKind::Account => vec![(Some("upn"), entity.upn())],
                EntityKind::Ip => {
                    if ip_vars.len() > 1 {
                        plan.notes.push(format!(
                            "IP entity {}: the tree has several IP variables ({}); set one by hand",
                            visible(&entity.name, Medium::Cli),
                            ip_vars.join(", ")
                        ));
                    }
                    let target = (ip_vars.len() == 1).then(|| ip_vars[0]);
                    vec![(target, entity.address().map(str::to_string))]
                }
                EntityKind::Host => {
                    let (aad, mde) = entity.device_ids();
                    vec![
                        (Some("user_device_id"), aad.map(str::to_string)),
                        (Some("mde_device_id"), mde.map(str::to_string)),
                    ]
                }
                EntityKind::Other(_) => continue,
            };
            for (target, raw) in candidates {
                let (Some(name), Some(raw)) = (target, raw) else {
                    continue;
                };
                plan.fill(tree, entity, inc.name.as_str(), name, &raw, is_set);
            }
        }
        plan
    }
}

impl Plan {
    fn fill(
        &mut self,
        tree: &Tree,
        entity: &Entity,
        incident: &str,
        name: &str,
        raw: &str,
        is_set: &dyn Fn(&str) -> bool,
    ) {
        let Some(var) = tree.variable(name) else {
            return;
        };
        let kind = match &entity.kind {
            EntityKind::Account => "Account",
            EntityKind::Ip => "Ip",
            EntityKind::Host => "Host",
            EntityKind::Other(k) => k.as_str(),
        };
        let shown =
            |s: &str| visible(&s.chars().take(120).collect::<String>(), Medium::Cli).into_owned();
        let taken = self
            .events
            .iter()
            .any(|e| matches!(e, EventKind::VariableSet { name: n, .. } if n == name));
        if taken || is_set(name) {
            self.notes.push(format!(
                "{kind} entity {}: {name} is already set; '{}' not used",
                shown(&entity.name),
                shown(raw)
            ));
            return;
        }
        match crate::tree::template::accept(tree, name, raw) {
            Ok(value) => self.events.push(EventKind::VariableSet {
                name: name.to_string(),
                value,
                source: ValueSource::Sentinel {
                    incident: incident.to_string(),
                    entity: entity.name.clone(),
                    entity_kind: kind.to_string(),
                },
            }),
            Err(e) => self.notes.push(format!(
                "{kind} entity {}: '{}' is not a valid {} for {name}: {e}",
                shown(&entity.name),
                shown(raw),
                var.var_type.name()
            )),
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use crate::lookup::sentinel::{IncidentName, Owner};

    const MINI: &str = include_str!("../../tests/fixtures/trees/mini.toml");

    fn entity(kind: EntityKind, name: &str, properties: serde_json::Value) -> Entity {
        Entity {
            kind,
            name: name.into(),
            properties,
        }
    }

    fn attachment(entities: Vec<Entity>) -> Attachment {
        Attachment {
            incident: Incident {
                name: IncidentName::parse("inc-1").unwrap(),
                id: "/subscriptions/x/incidents/inc-1".into(),
                number: Some(7),
                title: "  ".into(),
                severity: "Low".into(),
                status: "New".into(),
                owner: Owner::default(),
                labels: vec![],
                description: String::new(),
                etag: None,
            },
            entities,
            alerts: vec![],
        }
    }

    fn sets(plan: &Plan) -> Vec<(&str, &str)> {
        plan.events
            .iter()
            .filter_map(|e| match e {
                EventKind::VariableSet { name, value, .. } => Some((name.as_str(), value.as_str())),
                _ => None,
            })
            .collect()
    }

    #[test]
    fn bad_and_surplus_entity_values_are_noted_never_recorded() {
        let tree = crate::tree::load::parse("mini.toml", MINI).unwrap();
        let a = attachment(vec![
            entity(
                EntityKind::Account,
                "acc-bad",
                serde_json::json!({"accountName": "no\u{1b}[2J", "upnSuffix": "x y"}),
            ),
            entity(
                EntityKind::Account,
                "acc-2",
                serde_json::json!({"accountName": "kim", "upnSuffix": "contoso.com"}),
            ),
            entity(
                EntityKind::Ip,
                "ip-bad",
                serde_json::json!({"address": "999.1.1.1"}),
            ),
            entity(
                EntityKind::Ip,
                "ip-2",
                serde_json::json!({"address": "2001:DB8::7"}),
            ),
            entity(
                EntityKind::Ip,
                "ip-3",
                serde_json::json!({"address": "198.51.100.1"}),
            ),
            // The mini tree has no device variables: nothing to fill, nothing to say.
            entity(
                EntityKind::Host,
                "host-1",
                serde_json::json!({"additionalData": {"AadDeviceId": "3f2504e0-4f89-41d3-9a0c-0305e82c3301"}}),
            ),
        ]);
        let plan = a.plan(&tree, &|_| false);
        assert!(matches!(plan.events[0], EventKind::SentinelAttached { .. }));
        assert_eq!(
            sets(&plan),
            vec![("upn", "kim@contoso.com"), ("attacker_ip", "2001:db8::7")]
        );
        assert_eq!(plan.notes.len(), 3, "{:#?}", plan.notes);
        assert!(plan.notes[0].contains("acc-bad") && plan.notes[0].contains("not a valid upn"));
        assert!(!plan.notes.iter().any(|n| n.contains('\u{1b}')));
        assert!(plan.notes[2].contains("attacker_ip is already set; '198.51.100.1' not used"));
        assert_eq!(a.title(), "Sentinel incident #7");

        let typed = a.plan(&tree, &|name| name == "upn");
        assert_eq!(sets(&typed), vec![("attacker_ip", "2001:db8::7")]);
    }
}
