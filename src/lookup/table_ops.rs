//! Filtering, sorting and column fitting over a result table. Operations
//! work on row indices (a view), so a 100k-row table is never copied.

use std::cmp::Ordering;

use unicode_width::UnicodeWidthStr;

use super::table::{Cell, Dynamic, ResultTable};
use crate::text::{Medium, visible};

/// Rows to inspect when fitting widths; a screen refits as the view scrolls.
pub const WIDTH_SAMPLE_ROWS: usize = 2000;

impl ResultTable {
    /// All row indices, in order.
    pub fn all_rows(&self) -> Vec<usize> {
        (0..self.rows.len()).collect()
    }

    /// Rows any cell of which contains `needle` (case-insensitive). Compared
    /// on the shown text when a cell has hidden characters, so typing the
    /// marker (`<U+001B>`) finds them. An empty needle keeps every row.
    pub fn filter(&self, needle: &str) -> Vec<usize> {
        let needle = needle.to_lowercase();
        if needle.is_empty() {
            return self.all_rows();
        }
        self.rows
            .iter()
            .enumerate()
            .filter(|(_, row)| {
                row.iter().any(|c| {
                    let text = c.text();
                    contains_ci(&visible(&text, Medium::Screen), &needle)
                })
            })
            .map(|(i, _)| i)
            .collect()
    }

    /// Sorts `view` by `column` (stable: equal keys keep their order), with
    /// typed comparison: numbers numerically, datetimes and timespans by
    /// time, text case-insensitively; nulls first ascending.
    pub fn sort(&self, view: &mut Vec<usize>, column: usize, descending: bool) {
        let mut keyed: Vec<(SortKey, usize)> = view
            .iter()
            .map(|&i| {
                let key = self.rows[i].get(column).map_or(SortKey::Null, SortKey::of);
                (key, i)
            })
            .collect();
        keyed.sort_by(|a, b| {
            let o = a.0.cmp(&b.0);
            if descending { o.reverse() } else { o }
        });
        *view = keyed.into_iter().map(|(_, i)| i).collect();
    }

    /// Display width of each column over the first rows of `view`, header
    /// included, each at most `cap` cells (and at least 1).
    pub fn fit_widths(&self, view: &[usize], cap: usize) -> Vec<usize> {
        let cap = cap.max(1);
        let mut widths: Vec<usize> = self
            .columns
            .iter()
            .map(|c| visible(&c.name, Medium::Screen).width().clamp(1, cap))
            .collect();
        for &i in view.iter().take(WIDTH_SAMPLE_ROWS) {
            for (col, cell) in self.rows[i].iter().enumerate() {
                if let Some(w) = widths.get_mut(col)
                    && *w < cap
                {
                    *w = (*w).max(cell.display().width().min(cap));
                }
            }
        }
        widths
    }
}

/// Case-insensitive substring test; `needle` is already lower-case.
fn contains_ci(haystack: &str, needle: &str) -> bool {
    if haystack.is_ascii() && needle.is_ascii() {
        let (h, n) = (haystack.as_bytes(), needle.as_bytes());
        n.len() <= h.len() && h.windows(n.len()).any(|w| w.eq_ignore_ascii_case(n))
    } else {
        haystack.to_lowercase().contains(needle)
    }
}

/// A precomputed, totally ordered key for one cell.
#[derive(Debug, Clone, PartialEq)]
enum SortKey {
    Null,
    Bool(bool),
    Number(f64, i64),
    Time(i128),
    Text(String),
}

impl SortKey {
    fn of(cell: &Cell) -> Self {
        match cell {
            Cell::Null => SortKey::Null,
            Cell::Bool(b) => SortKey::Bool(*b),
            // The i64 breaks ties that f64 cannot tell apart.
            Cell::Long(n) => SortKey::Number(*n as f64, *n),
            Cell::Real(x) => SortKey::Number(*x, 0),
            Cell::Decimal(s) => match s.parse::<f64>() {
                Ok(x) => SortKey::Number(x, 0),
                Err(_) => SortKey::Text(s.to_lowercase()),
            },
            Cell::Datetime(s) => match chrono::DateTime::parse_from_rfc3339(s) {
                Ok(d) => SortKey::Time(
                    d.timestamp() as i128 * 1_000_000_000 + d.timestamp_subsec_nanos() as i128,
                ),
                Err(_) => SortKey::Text(s.to_lowercase()),
            },
            Cell::Timespan(s) => match timespan_ticks(s) {
                Some(t) => SortKey::Time(t),
                None => SortKey::Text(s.to_lowercase()),
            },
            Cell::Dynamic(Dynamic::Json(serde_json::Value::Number(n))) => SortKey::number(n),
            Cell::Dynamic(Dynamic::Text(s))
                if s.starts_with(|c: char| c == '-' || c.is_ascii_digit()) =>
            {
                match serde_json::from_str::<serde_json::Number>(s) {
                    Ok(n) => SortKey::number(&n),
                    Err(_) => SortKey::Text(s.to_lowercase()),
                }
            }
            other => SortKey::Text(other.text().to_lowercase()),
        }
    }

    fn number(n: &serde_json::Number) -> Self {
        SortKey::Number(n.as_f64().unwrap_or(0.0), n.as_i64().unwrap_or(0))
    }

    fn rank(&self) -> u8 {
        match self {
            SortKey::Null => 0,
            SortKey::Bool(_) => 1,
            SortKey::Number(..) => 2,
            SortKey::Time(_) => 3,
            SortKey::Text(_) => 4,
        }
    }
}

impl Eq for SortKey {}

impl PartialOrd for SortKey {
    fn partial_cmp(&self, other: &Self) -> Option<Ordering> {
        Some(self.cmp(other))
    }
}

impl Ord for SortKey {
    fn cmp(&self, other: &Self) -> Ordering {
        match (self, other) {
            (SortKey::Bool(a), SortKey::Bool(b)) => a.cmp(b),
            (SortKey::Number(a, ai), SortKey::Number(b, bi)) => a.total_cmp(b).then(ai.cmp(bi)),
            (SortKey::Time(a), SortKey::Time(b)) => a.cmp(b),
            (SortKey::Text(a), SortKey::Text(b)) => a.cmp(b),
            _ => self.rank().cmp(&other.rank()),
        }
    }
}

/// `[-][d.]hh:mm:ss[.fffffff]` as 100-nanosecond ticks.
pub fn timespan_ticks(s: &str) -> Option<i128> {
    let (negative, s) = match s.strip_prefix('-') {
        Some(rest) => (true, rest),
        None => (false, s),
    };
    let (main, fraction) = match s.split_once('.') {
        // A dot before the first colon separates days, not a fraction.
        Some((d, rest)) if !d.contains(':') => {
            let (hms, frac) = rest.split_once('.').unwrap_or((rest, ""));
            (format!("{d}:{hms}"), frac)
        }
        Some((hms, frac)) => (format!("0:{hms}"), frac),
        None => (format!("0:{s}"), ""),
    };
    let parts: Vec<i128> = main
        .split(':')
        .map(|p| p.parse::<i128>().ok())
        .collect::<Option<_>>()?;
    let [d, h, m, sec] = parts[..] else {
        return None;
    };
    if fraction.len() > 7 || !fraction.chars().all(|c| c.is_ascii_digit()) {
        return None;
    }
    let frac_ticks: i128 = if fraction.is_empty() {
        0
    } else {
        format!("{fraction:0<7}").parse().ok()?
    };
    // Checked: the text comes from a response and may hold absurd numbers.
    let ticks = d
        .checked_mul(24)?
        .checked_add(h)?
        .checked_mul(60)?
        .checked_add(m)?
        .checked_mul(60)?
        .checked_add(sec)?
        .checked_mul(10_000_000)?
        .checked_add(frac_ticks)?;
    Some(if negative { -ticks } else { ticks })
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn timespans_parse_to_ticks() {
        assert_eq!(timespan_ticks("00:00:00.0000001"), Some(1));
        assert_eq!(timespan_ticks("01:00:00"), Some(36_000_000_000));
        assert_eq!(timespan_ticks("1.00:00:00"), Some(864_000_000_000));
        assert_eq!(timespan_ticks("1.00:00:00.5"), Some(864_005_000_000));
        assert_eq!(timespan_ticks("-00:00:01"), Some(-10_000_000));
        assert_eq!(timespan_ticks("abc"), None);
        assert_eq!(
            timespan_ticks("99999999999999999999999999999999999.00:00:00"),
            None
        );
    }
}
