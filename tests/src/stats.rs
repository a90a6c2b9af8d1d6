//! Summaries of timing samples for the benchmark commands.

/// The `p`-quantile (0..=1) of `samples`, nearest rank; sorts them.
pub fn percentile(samples: &mut [f64], p: f64) -> f64 {
    samples.sort_by(f64::total_cmp);
    let index = ((samples.len() as f64 - 1.0) * p).round() as usize;
    samples[index]
}

/// The mean of the middle half of `samples` (between the quartiles); sorts them. Steadier than the median when the
/// samples fall in two groups (a quiet and a busy moment) and the median sits in the sparse gap between them.
pub fn interquartile_mean(samples: &mut [f64]) -> f64 {
    samples.sort_by(f64::total_cmp);
    let quarter = samples.len() / 4;
    let middle = &samples[quarter..samples.len() - quarter];
    middle.iter().sum::<f64>() / middle.len() as f64
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_middle_half() {
        let mut samples = [100.0, 1.0, 3.0, 2.0, 4.0, 5.0, 6.0, -50.0];
        assert_eq!(interquartile_mean(&mut samples), 3.5);
    }

    #[test]
    fn nearest_rank() {
        let mut samples = [5.0, 1.0, 3.0, 2.0, 4.0];
        assert_eq!(percentile(&mut samples, 0.5), 3.0);
        assert_eq!(percentile(&mut samples, 0.0), 1.0);
        assert_eq!(percentile(&mut samples, 1.0), 5.0);
    }
}
