//! Splits a terminal byte stream into control sequences and checks them
//! against what Cairn itself emits.

/// One control sequence (or a stray control byte) from the stream.
#[derive(Debug, Clone, PartialEq, Eq)]
pub enum Seq {
    /// `ESC [ params intermediates final`, `private` is a leading `?<=>`.
    Csi {
        private: Option<u8>,
        params: String,
        final_byte: u8,
    },
    /// `ESC ] payload (BEL | ESC \)`.
    Osc(String),
    /// DCS, SOS, PM or APC strings: `ESC P/X/^/_ ... ESC \`.
    String(u8),
    /// Any other `ESC x`.
    Esc(u8),
    /// A C0 control other than ESC, or a C1 control (as a code point).
    Control(u32),
}

/// Parses every control sequence out of `bytes` (text is skipped).
pub fn sequences(bytes: &[u8]) -> Vec<Seq> {
    let mut out = Vec::new();
    let text = String::from_utf8_lossy(bytes);
    let chars: Vec<char> = text.chars().collect();
    let mut i = 0;
    while i < chars.len() {
        let c = chars[i];
        i += 1;
        if c != '\x1b' {
            let cp = c as u32;
            if cp < 0x20 || (0x7f..=0x9f).contains(&cp) {
                out.push(Seq::Control(cp));
            }
            continue;
        }
        let Some(&kind) = chars.get(i) else {
            out.push(Seq::Esc(0));
            break;
        };
        i += 1;
        match kind {
            '[' => {
                let private = chars
                    .get(i)
                    .filter(|c| "?<=>".contains(**c))
                    .map(|c| *c as u8);
                if private.is_some() {
                    i += 1;
                }
                let mut params = String::new();
                let mut final_byte = 0;
                while let Some(&c) = chars.get(i) {
                    i += 1;
                    if ('\x40'..='\x7e').contains(&c) {
                        final_byte = c as u8;
                        break;
                    }
                    params.push(c);
                }
                out.push(Seq::Csi {
                    private,
                    params,
                    final_byte,
                });
            }
            ']' | 'P' | 'X' | '^' | '_' => {
                let mut payload = String::new();
                while let Some(&c) = chars.get(i) {
                    i += 1;
                    if c == '\x07' && kind == ']' {
                        break;
                    }
                    if c == '\x1b' && chars.get(i) == Some(&'\\') {
                        i += 1;
                        break;
                    }
                    payload.push(c);
                }
                out.push(if kind == ']' {
                    Seq::Osc(payload)
                } else {
                    Seq::String(kind as u8)
                });
            }
            other => out.push(Seq::Esc(other as u8)),
        }
    }
    out
}

/// DEC private modes Cairn (through crossterm) may set or reset.
const PRIVATE_MODES: &[&str] = &[
    "25", "1049", "2004", "1000", "1002", "1003", "1006", "1015", "1004", "7",
];

/// Returns every sequence that Cairn does not emit; empty means clean.
pub fn foreign(bytes: &[u8]) -> Vec<Seq> {
    sequences(bytes)
        .into_iter()
        .filter(|seq| !is_cairns(seq))
        .collect()
}

fn is_cairns(seq: &Seq) -> bool {
    match seq {
        Seq::Csi {
            private: None,
            params,
            final_byte,
        } => {
            let numeric = params.chars().all(|c| c.is_ascii_digit() || c == ';');
            // Cursor moves, erase, scroll, SGR.
            numeric && b"HfABCDGdJKSTmX".contains(final_byte)
        }
        Seq::Csi {
            private: Some(b'?'),
            params,
            final_byte: b'h' | b'l',
        } => params.split(';').all(|p| PRIVATE_MODES.contains(&p)),
        // OSC 52 (clipboard, on an explicit copy) with a base64 payload.
        Seq::Osc(payload) => payload.strip_prefix("52;c;").is_some_and(|b64| {
            b64.chars()
                .all(|c| c.is_ascii_alphanumeric() || "+/=".contains(c))
        }),
        // Save and restore cursor.
        Seq::Esc(b'7' | b'8') => true,
        Seq::Control(cp) => matches!(cp, 0x0a | 0x0d | 0x08),
        _ => false,
    }
}

/// The numeric parameters of every SGR sequence in the stream.
pub fn sgr_params(bytes: &[u8]) -> Vec<Vec<u16>> {
    sequences(bytes)
        .into_iter()
        .filter_map(|seq| match seq {
            Seq::Csi {
                private: None,
                params,
                final_byte: b'm',
            } => Some(params.split(';').map(|p| p.parse().unwrap_or(0)).collect()),
            _ => None,
        })
        .collect()
}

/// SGR colour selections (not resets to the default colour) in the stream:
/// `(kind, params)` with kind "ansi", "indexed" or "rgb".
pub fn colours(bytes: &[u8]) -> Vec<(&'static str, Vec<u16>)> {
    let mut found = Vec::new();
    for params in sgr_params(bytes) {
        let mut i = 0;
        while i < params.len() {
            match params[i] {
                38 | 48 | 58 => {
                    match params.get(i + 1) {
                        Some(5) => {
                            found.push(("indexed", params[i..(i + 3).min(params.len())].to_vec()));
                            i += 3;
                        }
                        Some(2) => {
                            found.push(("rgb", params[i..(i + 5).min(params.len())].to_vec()));
                            i += 5;
                        }
                        _ => i += 1,
                    }
                    continue;
                }
                p @ (30..=37 | 40..=47 | 90..=97 | 100..=107) => found.push(("ansi", vec![p])),
                _ => {}
            }
            i += 1;
        }
    }
    found
}

#[cfg(test)]
mod self_tests {
    use super::*;

    #[test]
    fn the_checker_accepts_cairns_own_output() {
        let stream = b"\x1b[?1049h\x1b[?25l\x1b[1;1H\x1b[2J\x1b[38;5;74m\x1b[1mtitle\x1b[0m\
                       \x1b[12;3H\xe6\x97\xa5\x1b[39m\x1b[49m\r\n\x1b]52;c;aGVsbG8=\x07\x1b[?1049l\x1b[?25h";
        assert_eq!(foreign(stream), vec![]);
    }

    #[test]
    fn the_checker_flags_hostile_sequences() {
        let cases: &[&[u8]] = &[
            b"\x1b]0;title\x07",
            b"\x1b]8;;http://x\x1b\\",
            b"\x1b]52;c;$(rm)\x07",
            b"\x1bP1$r\x1b\\",
            b"\xc2\x9b31m",
            b"\x07",
            b"\x1b[6n",
            b"\x1b[?1h",
            b"\x1b[>c",
            b"\x1bc",
            b"\x0e",
        ];
        for case in cases {
            assert!(
                !foreign(case).is_empty(),
                "{:?} should be flagged",
                String::from_utf8_lossy(case)
            );
        }
    }

    #[test]
    fn colours_are_classified() {
        let stream = b"\x1b[38;2;1;2;3m\x1b[48;5;17m\x1b[31;1m\x1b[39;49m\x1b[0m";
        let kinds: Vec<&str> = colours(stream).into_iter().map(|(k, _)| k).collect();
        assert_eq!(kinds, vec!["rgb", "indexed", "ansi"]);
    }
}
