//! Copy to the responder's own clipboard with OSC 52: the terminal (or tmux,
//! or the SSH client's terminal) does the copying, so it works remotely.
//!
//! Under tmux or GNU screen the sequence may never reach the terminal:
//! tmux's default `set-clipboard external` drops it from applications, and
//! passthrough (`allow-passthrough on`) is off by default. Cairn sends it
//! both plain and wrapped for passthrough, and since it cannot tell whether
//! either arrived, the runtime also writes the text to an owner-only file
//! and says where.

/// A terminal multiplexer between Cairn and the terminal.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Multiplexer {
    Tmux,
    Screen,
}

impl Multiplexer {
    /// From `$TMUX` and `$STY`, as tmux and screen set them.
    pub fn detect(tmux: Option<&str>, sty: Option<&str>) -> Option<Self> {
        let set = |v: Option<&str>| v.is_some_and(|v| !v.is_empty());
        if set(tmux) {
            Some(Multiplexer::Tmux)
        } else if set(sty) {
            Some(Multiplexer::Screen)
        } else {
            None
        }
    }

    pub fn from_env() -> Option<Self> {
        let tmux = std::env::var("TMUX").ok();
        let sty = std::env::var("STY").ok();
        Self::detect(tmux.as_deref(), sty.as_deref())
    }

    pub fn name(self) -> &'static str {
        match self {
            Multiplexer::Tmux => "tmux",
            Multiplexer::Screen => "screen",
        }
    }
}

/// What to write for a copy: the plain sequence (a terminal, or tmux with
/// `set-clipboard on`), plus the same wrapped for the multiplexer's
/// passthrough.
pub fn sequences(text: &str, mux: Option<Multiplexer>) -> String {
    let plain = osc52(text);
    match mux {
        None => plain,
        // tmux: DCS tmux; ... ST, every ESC inside doubled.
        Some(Multiplexer::Tmux) => {
            format!(
                "{plain}\x1bPtmux;{}\x1b\\",
                plain.replace('\x1b', "\x1b\x1b")
            )
        }
        // screen: the sequence inside DCS ... ST.
        Some(Multiplexer::Screen) => format!("{plain}\x1bP{plain}\x1b\\"),
    }
}

const ALPHABET: &[u8; 64] = b"ABCDEFGHIJKLMNOPQRSTUVWXYZabcdefghijklmnopqrstuvwxyz0123456789+/";

/// The escape sequence that sets the clipboard to `text`. The payload is
/// base64, so nothing in `text` can end the sequence early.
pub fn osc52(text: &str) -> String {
    format!("\x1b]52;c;{}\x07", base64(text.as_bytes()))
}

fn base64(bytes: &[u8]) -> String {
    let mut out = String::with_capacity(bytes.len().div_ceil(3) * 4);
    for chunk in bytes.chunks(3) {
        let b = [
            chunk[0],
            chunk.get(1).copied().unwrap_or(0),
            chunk.get(2).copied().unwrap_or(0),
        ];
        let n = (u32::from(b[0]) << 16) | (u32::from(b[1]) << 8) | u32::from(b[2]);
        for i in 0..4 {
            if i <= chunk.len() {
                out.push(ALPHABET[((n >> (18 - 6 * i)) & 63) as usize] as char);
            } else {
                out.push('=');
            }
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn encodes_rfc4648_vectors() {
        for (plain, enc) in [
            ("", ""),
            ("f", "Zg=="),
            ("fo", "Zm8="),
            ("foo", "Zm9v"),
            ("foob", "Zm9vYg=="),
            ("fooba", "Zm9vYmE="),
            ("foobar", "Zm9vYmFy"),
        ] {
            assert_eq!(base64(plain.as_bytes()), enc);
        }
        assert_eq!(osc52("a\x07b"), "\x1b]52;c;YQdi\x07");
    }

    #[test]
    fn multiplexers_are_detected_and_get_the_sequence_wrapped() {
        assert_eq!(Multiplexer::detect(None, None), None);
        assert_eq!(Multiplexer::detect(Some(""), None), None);
        assert_eq!(
            Multiplexer::detect(Some("/tmp/tmux-0/default,1,0"), None),
            Some(Multiplexer::Tmux)
        );
        assert_eq!(
            Multiplexer::detect(None, Some("1234.pts-0.host")),
            Some(Multiplexer::Screen)
        );
        assert_eq!(sequences("f", None), "\x1b]52;c;Zg==\x07");
        assert_eq!(
            sequences("f", Some(Multiplexer::Tmux)),
            "\x1b]52;c;Zg==\x07\x1bPtmux;\x1b\x1b]52;c;Zg==\x07\x1b\\"
        );
        assert_eq!(
            sequences("f", Some(Multiplexer::Screen)),
            "\x1b]52;c;Zg==\x07\x1bP\x1b]52;c;Zg==\x07\x1b\\"
        );
    }
}
