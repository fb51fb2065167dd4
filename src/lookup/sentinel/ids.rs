//! The names that become ARM URL path segments: each is checked against
//! ARM's own naming rules here, and percent-encoded where the URL is built.

use std::fmt;

use super::{SentinelError, SentinelWorkspace};

/// A resource group name: 1-90 letters, digits, `_ ( ) - .`, not ending in `.`.
pub fn resource_group(value: &str) -> Result<String, String> {
    let ok = (1..=90).contains(&value.chars().count())
        && value
            .chars()
            .all(|c| c.is_alphanumeric() || matches!(c, '_' | '(' | ')' | '-' | '.'))
        && !value.ends_with('.');
    if ok {
        Ok(value.to_string())
    } else {
        Err(format!(
            "sentinel.resource_group '{}' is not a resource group name (1-90 letters, digits, \
             _ ( ) - . and not ending in '.')",
            crate::text::visible(value, crate::text::Medium::Cli)
        ))
    }
}

/// A Log Analytics workspace name: 4-63 letters, digits and `-`, starting
/// and ending with a letter or digit.
pub fn workspace_name(value: &str) -> Result<String, String> {
    let b = value.as_bytes();
    let ok = (4..=63).contains(&b.len())
        && b.iter().all(|c| c.is_ascii_alphanumeric() || *c == b'-')
        && b.first().is_some_and(u8::is_ascii_alphanumeric)
        && b.last().is_some_and(u8::is_ascii_alphanumeric);
    if ok {
        Ok(value.to_string())
    } else {
        Err(format!(
            "sentinel.workspace_name '{}' is not a workspace name (4-63 letters, digits and \
             '-', starting and ending with a letter or digit)",
            crate::text::visible(value, crate::text::Medium::Cli)
        ))
    }
}

/// An incident's ARM name (`incidentId`, usually a GUID).
#[derive(Debug, Clone, PartialEq, Eq, Hash)]
pub struct IncidentName(String);

impl IncidentName {
    /// Letters, digits, `-`, `_` and `.`, 1-256 characters: what ARM issues.
    pub fn parse(value: &str) -> Result<Self, SentinelError> {
        let ok = (1..=256).contains(&value.len())
            && value
                .bytes()
                .all(|c| c.is_ascii_alphanumeric() || matches!(c, b'-' | b'_' | b'.'))
            && value != "."
            && value != "..";
        if ok {
            Ok(Self(value.to_string()))
        } else {
            Err(bad(value))
        }
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl fmt::Display for IncidentName {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

/// What a responder types after `--sentinel`.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum IncidentRef {
    /// The number the portal shows (`incidentNumber`).
    Number(u64),
    /// The incident id in the configured workspace.
    Name(IncidentName),
    /// A full ARM id; its workspace must be the configured one.
    Arm {
        workspace: SentinelWorkspace,
        name: IncidentName,
    },
}

fn bad(value: &str) -> SentinelError {
    let shown: String = value.chars().take(200).collect();
    SentinelError::BadReference(crate::text::visible(&shown, crate::text::Medium::Cli).into_owned())
}

impl IncidentRef {
    pub fn parse(value: &str) -> Result<Self, SentinelError> {
        let value = value.trim();
        if !value.is_empty() && value.bytes().all(|b| b.is_ascii_digit()) {
            return match value.parse::<u64>() {
                Ok(n) if n > 0 => Ok(IncidentRef::Number(n)),
                _ => Err(bad(value)),
            };
        }
        if value.starts_with('/') {
            return parse_arm_id(value).ok_or_else(|| bad(value));
        }
        IncidentName::parse(value).map(IncidentRef::Name)
    }

    /// Checks an ARM id names the configured workspace (ARM names compare
    /// without regard to case).
    pub fn check_workspace(&self, configured: &SentinelWorkspace) -> Result<(), SentinelError> {
        let IncidentRef::Arm { workspace, name } = self else {
            return Ok(());
        };
        let same = workspace
            .subscription
            .eq_ignore_ascii_case(&configured.subscription)
            && workspace
                .resource_group
                .eq_ignore_ascii_case(&configured.resource_group)
            && workspace
                .workspace_name
                .eq_ignore_ascii_case(&configured.workspace_name);
        if same {
            Ok(())
        } else {
            let show = |w: &SentinelWorkspace| {
                format!(
                    "{}/{}/{}",
                    w.subscription, w.resource_group, w.workspace_name
                )
            };
            Err(SentinelError::OtherWorkspace {
                incident: name.to_string(),
                found: show(workspace),
                configured: show(configured),
            })
        }
    }
}

/// `/subscriptions/S/resourceGroups/G/providers/Microsoft.OperationalInsights/
/// workspaces/W/providers/Microsoft.SecurityInsights/incidents/N`.
fn parse_arm_id(value: &str) -> Option<IncidentRef> {
    let parts: Vec<&str> = value.trim_end_matches('/').split('/').collect();
    let ["", subs, sub, rgs, rg, p1, oi, wss, ws, p2, si, incs, name] = parts.as_slice() else {
        return None;
    };
    let fixed = [
        (subs, "subscriptions"),
        (rgs, "resourceGroups"),
        (p1, "providers"),
        (oi, "Microsoft.OperationalInsights"),
        (wss, "workspaces"),
        (p2, "providers"),
        (si, "Microsoft.SecurityInsights"),
        (incs, "incidents"),
    ];
    if !fixed
        .iter()
        .all(|(got, want)| got.eq_ignore_ascii_case(want))
    {
        return None;
    }
    let subscription = uuid::Uuid::try_parse(sub).ok()?.hyphenated().to_string();
    Some(IncidentRef::Arm {
        workspace: SentinelWorkspace {
            subscription,
            resource_group: resource_group(rg).ok()?,
            workspace_name: workspace_name(ws).ok()?,
        },
        name: IncidentName::parse(name).ok()?,
    })
}

#[cfg(test)]
mod tests {
    use super::*;

    const SUB: &str = "0b9f7c2e-1a2b-4c3d-8e9f-0a1b2c3d4e5f";

    #[test]
    fn references_parse_by_form() {
        assert_eq!(IncidentRef::parse(" 42 ").unwrap(), IncidentRef::Number(42));
        assert!(IncidentRef::parse("0").is_err());
        assert!(IncidentRef::parse("99999999999999999999999").is_err());
        let guid = "7f1c0c53-3a4e-4b43-9d4f-2f8f6b0e6a11";
        assert_eq!(
            IncidentRef::parse(guid).unwrap(),
            IncidentRef::Name(IncidentName::parse(guid).unwrap())
        );
        let arm = format!(
            "/subscriptions/{SUB}/resourceGroups/soc-rg/providers/Microsoft.OperationalInsights/\
             workspaces/soc-ws/providers/Microsoft.SecurityInsights/Incidents/{guid}"
        );
        let r = IncidentRef::parse(&arm).unwrap();
        let IncidentRef::Arm { workspace, name } = &r else {
            panic!("{r:?}")
        };
        assert_eq!(name.as_str(), guid);
        assert_eq!(workspace.resource_group, "soc-rg");
        let configured = SentinelWorkspace {
            subscription: SUB.into(),
            resource_group: "SOC-RG".into(),
            workspace_name: "soc-ws".into(),
        };
        r.check_workspace(&configured).unwrap();
        let other = SentinelWorkspace {
            workspace_name: "other-ws".into(),
            ..configured
        };
        assert!(matches!(
            r.check_workspace(&other),
            Err(SentinelError::OtherWorkspace { .. })
        ));
    }

    #[test]
    fn names_that_could_leave_their_path_segment_are_refused() {
        for bad in [
            "a/b",
            "..",
            "a?b",
            "a#b",
            "a%2Fb",
            "a b",
            "x\u{1b}[2J",
            "",
            "/subscriptions/x/resourceGroups/g",
            "/subscriptions/not-a-guid/resourceGroups/g/providers/Microsoft.OperationalInsights/workspaces/wsws/providers/Microsoft.SecurityInsights/incidents/1",
        ] {
            let e = IncidentRef::parse(bad).unwrap_err();
            assert!(!e.to_string().contains('\u{1b}'), "{e}");
        }
        assert!(resource_group("rg/../x").is_err());
        assert!(resource_group("rg.").is_err());
        assert!(resource_group("rg prod").is_err());
        assert!(resource_group("rg(prod)_1.a").is_ok());
        assert!(workspace_name("ws").is_err());
        assert!(workspace_name("-wsx").is_err());
        assert!(workspace_name("soc-ws-01").is_ok());
    }
}
