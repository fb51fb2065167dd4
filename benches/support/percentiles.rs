//! p50/p99/max of a set of timings: the benchmark targets are percentiles,
//! and Criterion reports means.

use std::time::Duration;

/// The sample at quantile `p` (0..=1) of sorted `samples`.
pub fn at(samples: &[Duration], p: f64) -> Duration {
    samples[((samples.len() as f64 * p).ceil() as usize).clamp(1, samples.len()) - 1]
}

/// Prints `label: n=… p50=… p99=… max=…`.
pub fn percentiles(label: &str, mut samples: Vec<Duration>) {
    samples.sort();
    println!(
        "{label}: n={} p50={:.2} ms p99={:.2} ms max={:.2} ms",
        samples.len(),
        at(&samples, 0.50).as_secs_f64() * 1e3,
        at(&samples, 0.99).as_secs_f64() * 1e3,
        samples[samples.len() - 1].as_secs_f64() * 1e3
    );
}
