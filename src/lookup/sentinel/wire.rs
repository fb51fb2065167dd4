//! What Sentinel answers, read leniently (unknown fields ignored, missing
//! optional fields empty) but never trusted: every string here is untrusted
//! text and is made visible where it is shown.

use serde::Deserialize;

use super::{IncidentName, SentinelError};

/// An incident as `GET incidents/{id}` answers it.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Incident {
    pub name: IncidentName,
    /// The full ARM id, as Sentinel gave it.
    pub id: String,
    pub number: Option<u64>,
    pub title: String,
    pub severity: String,
    pub status: String,
    pub owner: Owner,
    pub labels: Vec<String>,
    pub description: String,
    pub etag: Option<String>,
}

#[derive(Debug, Clone, Default, PartialEq, Eq, Deserialize)]
#[serde(rename_all = "camelCase")]
pub struct Owner {
    #[serde(default)]
    pub object_id: Option<String>,
    #[serde(default)]
    pub email: Option<String>,
    #[serde(default)]
    pub user_principal_name: Option<String>,
    #[serde(default)]
    pub assigned_to: Option<String>,
}

#[derive(Deserialize)]
struct RawIncident {
    #[serde(default)]
    id: String,
    name: String,
    #[serde(default)]
    etag: Option<String>,
    properties: RawIncidentProps,
}

#[derive(Deserialize)]
#[serde(rename_all = "camelCase")]
struct RawIncidentProps {
    title: String,
    severity: String,
    status: String,
    #[serde(default)]
    incident_number: Option<u64>,
    #[serde(default)]
    owner: Option<Owner>,
    #[serde(default)]
    labels: Vec<RawLabel>,
    #[serde(default)]
    description: Option<String>,
}

/// Labels are `{labelName, labelType}` objects; a bare string is accepted too.
#[derive(Deserialize)]
#[serde(untagged)]
enum RawLabel {
    Object {
        #[serde(rename = "labelName")]
        label_name: String,
    },
    Text(String),
}

fn malformed(what: &str, e: impl std::fmt::Display) -> SentinelError {
    SentinelError::Malformed(format!("{what}: {e}"))
}

pub(super) fn incident(body: &[u8]) -> Result<Incident, SentinelError> {
    let raw: RawIncident = serde_json::from_slice(body).map_err(|e| malformed("incident", e))?;
    incident_from(raw)
}

fn incident_from(raw: RawIncident) -> Result<Incident, SentinelError> {
    let p = raw.properties;
    Ok(Incident {
        name: IncidentName::parse(&raw.name).map_err(|e| malformed("incident name", e))?,
        id: raw.id,
        number: p.incident_number,
        title: p.title,
        severity: p.severity,
        status: p.status,
        owner: p.owner.unwrap_or_default(),
        labels: p
            .labels
            .into_iter()
            .map(|l| match l {
                RawLabel::Object { label_name } | RawLabel::Text(label_name) => label_name,
            })
            .collect(),
        description: p.description.unwrap_or_default(),
        etag: raw.etag,
    })
}

/// The first incident of a `GET incidents?$filter=...` page, if any.
pub(super) fn first_of_list(body: &[u8]) -> Result<Option<Incident>, SentinelError> {
    #[derive(Deserialize)]
    struct List {
        #[serde(default)]
        value: Vec<RawIncident>,
    }
    let list: List = serde_json::from_slice(body).map_err(|e| malformed("incident list", e))?;
    list.value.into_iter().next().map(incident_from).transpose()
}

/// The entity kinds Cairn maps to tree variables; the rest are kept as `Other`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum EntityKind {
    Account,
    Ip,
    Host,
    Other(String),
}

/// One entity of `POST incidents/{id}/entities`.
#[derive(Debug, Clone, PartialEq)]
pub struct Entity {
    pub kind: EntityKind,
    /// The entity's own id (ARM name), naming it as a value's source.
    pub name: String,
    pub properties: serde_json::Value,
}

impl Entity {
    fn text(&self, key: &str) -> Option<&str> {
        self.properties
            .get(key)
            .and_then(serde_json::Value::as_str)
            .map(str::trim)
            .filter(|s| !s.is_empty())
    }

    /// An account's UPN: `accountName@upnSuffix`, else `additionalData.UserPrincipalName`.
    pub fn upn(&self) -> Option<String> {
        if self.kind != EntityKind::Account {
            return None;
        }
        if let (Some(name), Some(suffix)) = (self.text("accountName"), self.text("upnSuffix")) {
            return Some(format!("{name}@{suffix}"));
        }
        self.properties
            .pointer("/additionalData/UserPrincipalName")
            .and_then(serde_json::Value::as_str)
            .map(str::to_string)
    }

    /// A host's device ids from `additionalData`: the Entra deviceId
    /// (`AadDeviceId`) and the Defender for Endpoint id (`MdatpDeviceId`).
    /// Field names as Defender-sourced incidents carry them (unconfirmed
    /// against a published schema); an absent one is simply not used.
    pub fn device_ids(&self) -> (Option<&str>, Option<&str>) {
        if self.kind != EntityKind::Host {
            return (None, None);
        }
        let extra = |key: &str| {
            self.properties
                .get("additionalData")
                .and_then(|d| d.get(key))
                .and_then(serde_json::Value::as_str)
        };
        (extra("AadDeviceId"), extra("MdatpDeviceId"))
    }

    /// An IP entity's address.
    pub fn address(&self) -> Option<&str> {
        (self.kind == EntityKind::Ip)
            .then(|| self.text("address"))
            .flatten()
    }

    /// A host's name, with its DNS domain when Sentinel has one.
    pub fn host(&self) -> Option<String> {
        if self.kind != EntityKind::Host {
            return None;
        }
        let host = self.text("hostName")?;
        Some(match self.text("dnsDomain") {
            Some(domain) => format!("{host}.{domain}"),
            None => host.to_string(),
        })
    }
}

pub(super) fn entities(body: &[u8]) -> Result<Vec<Entity>, SentinelError> {
    #[derive(Deserialize)]
    struct List {
        #[serde(default)]
        entities: Vec<RawEntity>,
    }
    #[derive(Deserialize)]
    struct RawEntity {
        kind: String,
        #[serde(default)]
        name: String,
        #[serde(default)]
        properties: serde_json::Value,
    }
    let list: List = serde_json::from_slice(body).map_err(|e| malformed("entities", e))?;
    Ok(list
        .entities
        .into_iter()
        .map(|e| Entity {
            kind: match e.kind.as_str() {
                "Account" => EntityKind::Account,
                "Ip" => EntityKind::Ip,
                "Host" => EntityKind::Host,
                _ => EntityKind::Other(e.kind),
            },
            name: e.name,
            properties: e.properties,
        })
        .collect())
}

/// One alert of `POST incidents/{id}/alerts`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub struct Alert {
    pub name: String,
    pub display_name: String,
    pub severity: String,
    pub status: String,
}

pub(super) fn alerts(body: &[u8]) -> Result<Vec<Alert>, SentinelError> {
    #[derive(Deserialize)]
    struct List {
        #[serde(default)]
        value: Vec<RawAlert>,
    }
    #[derive(Deserialize)]
    struct RawAlert {
        #[serde(default)]
        name: String,
        #[serde(default)]
        properties: AlertProps,
    }
    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    struct AlertProps {
        #[serde(default)]
        alert_display_name: String,
        #[serde(default)]
        severity: String,
        #[serde(default)]
        status: String,
    }
    let list: List = serde_json::from_slice(body).map_err(|e| malformed("alerts", e))?;
    Ok(list
        .value
        .into_iter()
        .map(|a| Alert {
            name: a.name,
            display_name: a.properties.alert_display_name,
            severity: a.properties.severity,
            status: a.properties.status,
        })
        .collect())
}

/// The etag of a written comment or task, if the answer carried one.
pub(super) fn etag(body: &[u8]) -> Option<String> {
    #[derive(Deserialize)]
    struct WithEtag {
        etag: Option<String>,
    }
    serde_json::from_slice::<WithEtag>(body).ok()?.etag
}

/// One page of `GET incidents/{id}/comments`: the comments and the next
/// page's URL, if any. A comment without a name is skipped (nothing could
/// tell it apart from the next one).
pub(super) fn comments(
    body: &[u8],
) -> Result<(Vec<crate::store::remote::RemoteComment>, Option<String>), SentinelError> {
    #[derive(Deserialize)]
    struct List {
        #[serde(default)]
        value: Vec<RawComment>,
        #[serde(default, rename = "nextLink")]
        next_link: Option<String>,
    }
    #[derive(Deserialize)]
    struct RawComment {
        #[serde(default)]
        name: String,
        #[serde(default)]
        properties: CommentProps,
    }
    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    struct CommentProps {
        #[serde(default)]
        message: String,
        #[serde(default)]
        created_time_utc: Option<String>,
        #[serde(default)]
        author: Option<Author>,
    }
    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    struct Author {
        #[serde(default)]
        name: Option<String>,
        #[serde(default)]
        user_principal_name: Option<String>,
        #[serde(default)]
        email: Option<String>,
    }
    let list: List = serde_json::from_slice(body).map_err(|e| malformed("comments", e))?;
    let comments = list
        .value
        .into_iter()
        .filter(|c| !c.name.trim().is_empty())
        .map(|c| {
            let author = c.properties.author.unwrap_or_default();
            let author = [author.user_principal_name, author.email, author.name]
                .into_iter()
                .flatten()
                .find(|a| !a.trim().is_empty())
                .unwrap_or_else(|| "unknown".into());
            crate::store::remote::RemoteComment {
                id: c.name.to_ascii_lowercase(),
                author,
                created: c.properties.created_time_utc.unwrap_or_default(),
                message: c.properties.message,
            }
        })
        .collect();
    Ok((comments, list.next_link))
}
