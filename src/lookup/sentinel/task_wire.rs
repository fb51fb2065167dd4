//! `GET incidents/{id}/tasks` as Cairn reads it back: the `[cairn]` tasks,
//! leniently (unknown fields ignored) and untrusted (made visible where shown).

use serde::Deserialize;

use super::SentinelError;

fn malformed(what: &str, e: impl std::fmt::Display) -> SentinelError {
    SentinelError::Malformed(format!("{what}: {e}"))
}

/// One page of `GET incidents/{id}/tasks`: the tasks titled `[cairn] ...`
/// (the walk's, Cairn's or a teammate's Cairn's) and the next page's URL.
/// The rest of the incident's tasks are people's own and are left alone.
pub(super) fn cairn_tasks(
    body: &[u8],
) -> Result<(Vec<crate::store::remote::RemoteTask>, Option<String>), SentinelError> {
    #[derive(Deserialize)]
    struct List {
        #[serde(default)]
        value: Vec<RawTask>,
        #[serde(default, rename = "nextLink")]
        next_link: Option<String>,
    }
    #[derive(Deserialize)]
    struct RawTask {
        #[serde(default)]
        name: String,
        #[serde(default)]
        properties: TaskProps,
    }
    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    struct TaskProps {
        #[serde(default)]
        title: String,
        #[serde(default)]
        status: String,
        #[serde(default)]
        last_modified_time_utc: Option<String>,
        #[serde(default)]
        last_modified_by: Option<Who>,
    }
    #[derive(Deserialize, Default)]
    #[serde(rename_all = "camelCase")]
    struct Who {
        #[serde(default)]
        user_principal_name: Option<String>,
        #[serde(default)]
        email: Option<String>,
        #[serde(default)]
        name: Option<String>,
    }
    let list: List = serde_json::from_slice(body).map_err(|e| malformed("tasks", e))?;
    let tasks = list
        .value
        .into_iter()
        .filter(|t| !t.name.trim().is_empty() && t.properties.title.starts_with("[cairn] "))
        .map(|t| {
            let who = t.properties.last_modified_by.unwrap_or_default();
            crate::store::remote::RemoteTask {
                id: t.name.to_ascii_lowercase(),
                title: t.properties.title,
                status: t.properties.status,
                changed_by: [who.user_principal_name, who.email, who.name]
                    .into_iter()
                    .flatten()
                    .find(|a| !a.trim().is_empty()),
                changed_at: t.properties.last_modified_time_utc,
            }
        })
        .collect();
    Ok((tasks, list.next_link))
}
