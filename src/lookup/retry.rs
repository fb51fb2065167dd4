//! Retry policy for read calls: 429, 500, 502, 503, 504 and dropped
//! connections are retried, honouring `Retry-After` (seconds, decimal
//! seconds or an HTTP date), otherwise with capped, jittered exponential
//! back-off. A `Retry-After` above the cap is not shortened: the call stops
//! and says how long the service asked to wait. Waiting goes through a [`Sleeper`]
//! so tests replace long waits with fake time, and every wait is published
//! as [`Progress`] for the screen.

use std::future::Future;
use std::pin::Pin;
use std::sync::Arc;
use std::sync::atomic::{AtomicU64, Ordering};
use std::time::{Duration, SystemTime};

use chrono::{DateTime, Utc};

/// How long to wait, returned as a future. Production uses `tokio::time::sleep`.
pub type Sleeper = Arc<dyn Fn(Duration) -> Pin<Box<dyn Future<Output = ()> + Send>> + Send + Sync>;

pub fn tokio_sleeper() -> Sleeper {
    Arc::new(|d| Box::pin(tokio::time::sleep(d)))
}

#[derive(Clone)]
pub struct RetryPolicy {
    /// Retries after the first attempt.
    pub max_retries: u32,
    pub base_delay: Duration,
    pub max_delay: Duration,
    pub sleeper: Sleeper,
}

impl std::fmt::Debug for RetryPolicy {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.debug_struct("RetryPolicy")
            .field("max_retries", &self.max_retries)
            .field("base_delay", &self.base_delay)
            .field("max_delay", &self.max_delay)
            .finish_non_exhaustive()
    }
}

impl Default for RetryPolicy {
    fn default() -> Self {
        Self {
            max_retries: 4,
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(60),
            sleeper: tokio_sleeper(),
        }
    }
}

impl RetryPolicy {
    /// The wait before retry number `attempt` (1-based): `Retry-After` if the
    /// service gave one, else jittered exponential back-off. `None` when the
    /// service asks for longer than the cap: retrying sooner would be
    /// refused again, so the caller reports the wait instead.
    pub fn delay(&self, attempt: u32, retry_after: Option<Duration>) -> Option<Duration> {
        if let Some(d) = retry_after {
            return (d <= self.max_delay).then_some(d);
        }
        let exp = self
            .base_delay
            .saturating_mul(
                1u32.checked_shl(attempt.saturating_sub(1))
                    .unwrap_or(u32::MAX),
            )
            .min(self.max_delay);
        // "Equal jitter": half fixed, half random, so waits never collapse to 0.
        let half = exp / 2;
        Some(half + half.mul_f64(jitter_unit()))
    }
}

/// Statuses worth retrying for a read.
pub fn is_retryable(status: u16) -> bool {
    matches!(status, 429 | 500 | 502 | 503 | 504)
}

/// Parses a `Retry-After` value: integer or decimal seconds, or an HTTP date
/// (a date in the past means "now").
pub fn parse_retry_after(value: &str, now: SystemTime) -> Option<Duration> {
    let value = value.trim();
    if let Ok(secs) = value.parse::<f64>() {
        return (secs.is_finite() && (0.0..86_400.0 * 7.0).contains(&secs))
            .then(|| Duration::from_secs_f64(secs));
    }
    let date: DateTime<Utc> = DateTime::parse_from_rfc2822(value)
        .ok()?
        .with_timezone(&Utc);
    let now: DateTime<Utc> = now.into();
    Some((date - now).to_std().unwrap_or(Duration::ZERO))
}

/// A cheap uniform number in [0, 1): jitter needs spread, not secrecy.
fn jitter_unit() -> f64 {
    static STATE: AtomicU64 = AtomicU64::new(0);
    let seed = SystemTime::now()
        .duration_since(SystemTime::UNIX_EPOCH)
        .map(|d| d.as_nanos() as u64)
        .unwrap_or(0x9E37_79B9_7F4A_7C15);
    let mut x = STATE.fetch_add(0x9E37_79B9_7F4A_7C15, Ordering::Relaxed) ^ seed;
    // splitmix64 finaliser
    x = (x ^ (x >> 30)).wrapping_mul(0xBF58_476D_1CE4_E5B9);
    x = (x ^ (x >> 27)).wrapping_mul(0x94D0_49BB_1331_11EB);
    x ^= x >> 31;
    (x >> 11) as f64 / (1u64 << 53) as f64
}

/// What a running lookup is doing, for a spinner and a retry line.
#[derive(Debug, Clone, PartialEq)]
pub enum Progress {
    /// Attempt `attempt` (1-based) is on the wire.
    Sending {
        attempt: u32,
    },
    /// Waiting `delay` before the next attempt because of `reason` (HTTP
    /// status, or 0 when the connection dropped).
    Waiting {
        attempt: u32,
        delay: Duration,
        reason: u16,
        /// True when the delay came from `Retry-After`.
        from_retry_after: bool,
    },
    /// Following a next-page link; `rows` rows so far.
    Paging {
        page: u32,
        rows: usize,
    },
    /// Re-asking for a token after a 401.
    Reauthenticating,
    Finished,
}

/// Where progress goes; a run without an observer ignores it.
pub type ProgressSender = tokio::sync::watch::Sender<Progress>;

pub(crate) fn report(progress: Option<&ProgressSender>, p: Progress) {
    if let Some(tx) = progress {
        tx.send_replace(p);
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn retry_after_forms() {
        let now = SystemTime::UNIX_EPOCH + Duration::from_secs(1_445_412_480); // 2015-10-21T07:28:00Z
        assert_eq!(
            parse_retry_after("120", now),
            Some(Duration::from_secs(120))
        );
        assert_eq!(
            parse_retry_after("2.128", now),
            Some(Duration::from_millis(2128))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:28:30 GMT", now),
            Some(Duration::from_secs(30))
        );
        assert_eq!(
            parse_retry_after("Wed, 21 Oct 2015 07:00:00 GMT", now),
            Some(Duration::ZERO)
        );
        assert_eq!(parse_retry_after("soon", now), None);
        assert_eq!(parse_retry_after("-1", now), None);
        assert_eq!(parse_retry_after("NaN", now), None);
    }

    #[test]
    fn backoff_grows_is_jittered_and_capped() {
        let p = RetryPolicy {
            base_delay: Duration::from_secs(1),
            max_delay: Duration::from_secs(10),
            ..RetryPolicy::default()
        };
        for _ in 0..50 {
            let d1 = p.delay(1, None).unwrap();
            assert!(
                d1 >= Duration::from_millis(500) && d1 <= Duration::from_secs(1),
                "{d1:?}"
            );
            let d3 = p.delay(3, None).unwrap();
            assert!(
                d3 >= Duration::from_secs(2) && d3 <= Duration::from_secs(4),
                "{d3:?}"
            );
            let d9 = p.delay(40, None).unwrap();
            assert!(
                d9 >= Duration::from_secs(5) && d9 <= Duration::from_secs(10),
                "{d9:?}"
            );
        }
        let spread: std::collections::HashSet<_> = (0..20).map(|_| p.delay(4, None)).collect();
        assert!(spread.len() > 1, "jitter must vary the delay");
        assert_eq!(
            p.delay(1, Some(Duration::from_secs(3))),
            Some(Duration::from_secs(3))
        );
        // Longer than the cap is not silently shortened.
        assert_eq!(p.delay(1, Some(Duration::from_secs(300))), None);
    }
}
