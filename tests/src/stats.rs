//! Summaries of timing samples for the benchmark commands.

/// The `p`-quantile (0..=1) of `samples`, nearest rank; sorts them.
pub fn percentile(samples: &mut [f64], p: f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index]
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn nearest_rank() {
        let mut samples = [5.0, 1.0, 3.0, 2.0, 4.0];
        assert_eq!(percentile(&mut samples, 0.5), 3.0);
        assert_eq!(percentile(&mut samples, 0.0), 1.0);
        assert_eq!(percentile(&mut samples, 1.0), 5.0);
    }
}
