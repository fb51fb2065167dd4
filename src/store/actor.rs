//! Who is recording: `user@host`, plus the SSH client address when the
//! responder came in over SSH (several people share one jump host).

use super::event::Actor;

impl Actor {
    /// The actor of this process, from the environment.
    pub fn from_env() -> Actor {
        let user = ["USER", "LOGNAME"]
            .iter()
            .find_map(|name| std::env::var(name).ok().filter(|v| !v.trim().is_empty()))
            .unwrap_or_else(uid_name);
        let host = std::fs::read_to_string("/proc/sys/kernel/hostname")
            .or_else(|_| std::fs::read_to_string("/etc/hostname"))
            .ok()
            .map(|h| h.trim().to_string())
            .filter(|h| !h.is_empty())
            .or_else(|| std::env::var("HOSTNAME").ok())
            .unwrap_or_else(|| "unknown-host".to_string());
        let ssh_client = std::env::var("SSH_CONNECTION")
            .ok()
            .and_then(|conn| ssh_client_address(&conn));
        Actor {
            user,
            host,
            ssh_client,
        }
    }

    /// `user@host`, with ` via <address>` when over SSH.
    pub fn label(&self) -> String {
        match &self.ssh_client {
            Some(addr) => format!("{}@{} via {addr}", self.user, self.host),
            None => format!("{}@{}", self.user, self.host),
        }
    }
}

/// `SSH_CONNECTION` is "client_ip client_port server_ip server_port".
fn ssh_client_address(conn: &str) -> Option<String> {
    let addr = conn.split_whitespace().next()?;
    addr.parse::<std::net::IpAddr>()
        .ok()
        .map(|ip| ip.to_string())
}

#[cfg(unix)]
fn uid_name() -> String {
    use std::os::unix::fs::MetadataExt;
    std::fs::metadata("/proc/self")
        .map(|m| format!("uid{}", m.uid()))
        .unwrap_or_else(|_| "unknown-user".to_string())
}

#[cfg(not(unix))]
fn uid_name() -> String {
    "unknown-user".to_string()
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn ssh_client_is_the_first_field_and_must_be_an_address() {
        assert_eq!(
            ssh_client_address("203.0.113.7 52514 10.0.0.5 22").as_deref(),
            Some("203.0.113.7")
        );
        assert_eq!(
            ssh_client_address("2001:db8::7 52514 2001:db8::1 22").as_deref(),
            Some("2001:db8::7")
        );
        assert_eq!(ssh_client_address("\u{1b}[31m 1 2 3"), None);
        assert_eq!(ssh_client_address(""), None);
    }
}
