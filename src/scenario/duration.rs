//! Inject offsets: `90s`, `10m`, `1h30m`, `2h`.

use std::time::Duration;

/// Longest offset a scenario may use; a tabletop is a working day at most.
pub const MAX_OFFSET: Duration = Duration::from_secs(24 * 3600);

/// Parses one or more `<number><unit>` parts, units `h`, `m`, `s`, each at
/// most once and in that order.
pub fn parse_offset(text: &str) -> Result<Duration, String> {
    let bad = || format!("'{text}' is not a duration (expected e.g. 90s, 10m, 1h30m)");
    if text.is_empty() {
        return Err(bad());
    }
    let mut total: u64 = 0;
    let mut rest = text;
    let mut last_rank = 0;
    while !rest.is_empty() {
        let digits = rest.find(|c: char| !c.is_ascii_digit()).ok_or_else(bad)?;
        if digits == 0 || digits > 6 {
            return Err(bad());
        }
        let n: u64 = rest[..digits].parse().map_err(|_| bad())?;
        let unit = rest[digits..].chars().next().ok_or_else(bad)?;
        let (rank, secs) = match unit {
            'h' => (1, 3600),
            'm' => (2, 60),
            's' => (3, 1),
            _ => return Err(bad()),
        };
        if rank <= last_rank {
            return Err(bad());
        }
        last_rank = rank;
        total += n * secs;
        rest = &rest[digits + 1..];
    }
    let d = Duration::from_secs(total);
    if d > MAX_OFFSET {
        return Err(format!("'{text}' is longer than 24h"));
    }
    Ok(d)
}

/// `1h05m`, `12m30s`, `45s`: how offsets appear in reports and on screen.
pub fn format_offset(d: Duration) -> String {
    let s = d.as_secs();
    let (h, m, sec) = (s / 3600, (s % 3600) / 60, s % 60);
    if h > 0 {
        format!("{h}h{m:02}m{sec:02}s")
    } else if m > 0 {
        format!("{m}m{sec:02}s")
    } else {
        format!("{sec}s")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn parses_units_in_order() {
        assert_eq!(parse_offset("90s"), Ok(Duration::from_secs(90)));
        assert_eq!(parse_offset("10m"), Ok(Duration::from_secs(600)));
        assert_eq!(parse_offset("1h30m"), Ok(Duration::from_secs(5400)));
        assert_eq!(parse_offset("0s"), Ok(Duration::ZERO));
    }

    #[test]
    fn rejects_malformed() {
        for bad in [
            "", "10", "m", "10 m", "1m1h", "1m1m", "-5m", "1.5h", "10x", "25h", "9999999s",
        ] {
            assert!(parse_offset(bad).is_err(), "{bad}");
        }
    }

    #[test]
    fn formats_for_reports() {
        assert_eq!(format_offset(Duration::from_secs(45)), "45s");
        assert_eq!(format_offset(Duration::from_secs(750)), "12m30s");
        assert_eq!(format_offset(Duration::from_secs(3900)), "1h05m00s");
    }
}
