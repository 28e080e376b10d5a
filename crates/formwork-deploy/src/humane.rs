//! Durations as a person reads them: `8 s`, `2 min 5 s`, `1 h 3 min`.

use std::time::Duration;

/// Formats a duration rounded to the second (`8.015624634s` is `8 s`),
/// with minutes and hours from one minute on. Under half a second is
/// `under 1 s`, so that a real wait never reads as `0 s`.
pub fn humane(d: Duration) -> String {
    let secs = d.as_secs() + u64::from(d.subsec_millis() >= 500);
    if secs == 0 {
        return "under 1 s".into();
    }
    let (h, m, s) = (secs / 3600, secs / 60 % 60, secs % 60);
    match (h, m, s) {
        (0, 0, s) => format!("{s} s"),
        (0, m, 0) => format!("{m} min"),
        (0, m, s) => format!("{m} min {s} s"),
        (h, 0, _) => format!("{h} h"),
        (h, m, _) => format!("{h} h {m} min"),
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn rounds_to_seconds_and_names_units() {
        let f = |secs: f64| humane(Duration::from_secs_f64(secs));
        assert_eq!(f(8.015_624_634), "8 s");
        assert_eq!(f(8.6), "9 s");
        assert_eq!(f(0.2), "under 1 s");
        assert_eq!(f(60.0), "1 min");
        assert_eq!(f(125.0), "2 min 5 s");
        assert_eq!(f(3600.0 + 180.0 + 7.0), "1 h 3 min");
        assert_eq!(f(7200.0), "2 h");
    }
}
