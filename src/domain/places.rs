//! Distance and direction from the phone to a facility (works offline: plain arithmetic).

/// Great-circle distance in metres (haversine, mean Earth radius).
pub fn distance_m(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dp = (lat2 - lat1).to_radians();
    let dl = (lon2 - lon1).to_radians();
    let a = (dp / 2.0).sin().powi(2) + p1.cos() * p2.cos() * (dl / 2.0).sin().powi(2);
    2.0 * 6_371_000.0 * a.sqrt().asin()
}

/// Initial bearing in degrees clockwise from north, 0–360.
pub fn bearing_deg(lat1: f64, lon1: f64, lat2: f64, lon2: f64) -> f64 {
    let (p1, p2) = (lat1.to_radians(), lat2.to_radians());
    let dl = (lon2 - lon1).to_radians();
    let y = dl.sin() * p2.cos();
    let x = p1.cos() * p2.sin() - p1.sin() * p2.cos() * dl.cos();
    (y.atan2(x).to_degrees() + 360.0) % 360.0
}

/// One of eight compass points, 0 = north, 1 = north-east, … 7 = north-west.
pub fn compass_point(bearing: f64) -> usize {
    (((bearing + 22.5) % 360.0) / 45.0) as usize % 8
}

/// Distance as people read it: "350 m" under a kilometre, "1.2 km" above (no float formatting
/// machinery: tenths are computed as integers).
pub fn distance_text(m: f64) -> String {
    if m < 1000.0 {
        format!("{} m", ((m / 10.0).round() * 10.0) as u32)
    } else {
        let tenths = (m / 100.0).round() as u32;
        format!("{}.{} km", tenths / 10, tenths % 10)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn distance_and_direction_match_known_values() {
        // Hong Kong Central to Tsim Sha Tsui: about 2.3 km, roughly north.
        let d = distance_m(22.2819, 114.1582, 22.2988, 114.1722);
        assert!((2_300.0..2_500.0).contains(&d), "{d}");
        let b = bearing_deg(22.2819, 114.1582, 22.2988, 114.1722);
        assert_eq!(compass_point(b), 1, "north-east: {b}");
        assert_eq!(compass_point(bearing_deg(0.0, 0.0, -1.0, 0.0)), 4, "south");
        assert_eq!(compass_point(bearing_deg(0.0, 0.0, 0.0, -1.0)), 6, "west");
        assert_eq!(compass_point(359.0), 0);
    }

    #[test]
    fn distances_read_naturally() {
        assert_eq!(distance_text(347.0), "350 m");
        assert_eq!(distance_text(1_249.0), "1.2 km");
        assert_eq!(distance_text(12_960.0), "13.0 km");
    }
}
