//! Attaching a Sentinel incident: read it with its entities and alerts,
//! then plan the events that record the link and fill the tree's variables
//! from the entities (each value naming the entity it came from).

use crate::lookup::sentinel::{
    Alert, Entity, EntityKind, Incident, IncidentRef, Sentinel, SentinelError,
};
use crate::lookup::visible::visible;
use crate::store::event::{EventKind, ValueSource};
use crate::tree::Tree;
use crate::tree::model::VarType;
use crate::tree::value;

/// What Sentinel holds about one incident.
#[derive(Debug, Clone, PartialEq)]
pub struct Attachment {
    pub incident: Incident,
    pub entities: Vec<Entity>,
    pub alerts: Vec<Alert>,
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
    /// `device_id` / `mde_device_id`. Variables for which `is_set` is true
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
                            visible(&entity.name),
                            ip_vars.join(", ")
                        ));
                    }
                    let target = (ip_vars.len() == 1).then(|| ip_vars[0]);
                    vec![(target, entity.address().map(str::to_string))]
                }
                EntityKind::Host => {
                    let (aad, mde) = entity.device_ids();
                    vec![
                        (Some("device_id"), aad.map(str::to_string)),
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
        let shown = |s: &str| visible(&s.chars().take(120).collect::<String>()).into_owned();
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
        match value::normalize(var.var_type, raw) {
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
