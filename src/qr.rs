//! QR codes drawn as one SVG path (the household invite: another phone scans it to join).

use qrcodegen::{QrCode, QrCodeEcc};

/// The QR code of `text` (error correction M) as the `d` of one SVG path in a square of
/// `size` modules plus a 4-module quiet zone on each side; `None` if the text is too long.
pub fn path(text: &str) -> Option<(String, i32)> {
    let qr = QrCode::encode_text(text, QrCodeEcc::Medium).ok()?;
    let n = qr.size();
    let d = svg_path(n as usize, |x, y| qr.get_module(x as i32, y as i32));
    Some((d, n + 8))
}

/// The `d` of one SVG path drawing a QR code of `size` modules (dark where `dark(x, y)`), each
/// row's runs of dark modules as rectangles, offset by a 4-module quiet zone. The household
/// invite and the outage relay draw their codes with it.
pub fn svg_path(size: usize, dark: impl Fn(usize, usize) -> bool) -> String {
    let mut d = String::new();
    for y in 0..size {
        let mut x = 0;
        while x < size {
            if dark(x, y) {
                // One run of dark modules on this row as one rectangle.
                let start = x;
                while x < size && dark(x, y) {
                    x += 1;
                }
                d.push_str(&format!(
                    "M{} {}h{}v1h-{}z",
                    start + 4,
                    y + 4,
                    x - start,
                    x - start
                ));
            } else {
                x += 1;
            }
        }
    }
    d
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn a_join_link_fits_and_every_run_is_a_closed_rectangle_inside_the_quiet_zone() {
        let (d, side) = path("https://linli.example/join?code=K7PM-Q2XD").unwrap();
        assert!((21 + 8..=177 + 8).contains(&side));
        let runs = d.matches('M').count();
        assert_eq!(runs, d.matches('z').count());
        assert!(runs > 20, "{runs} runs");
        // Nothing is drawn in the quiet zone.
        for run in d.split('M').filter(|r| !r.is_empty()) {
            let mut xy = run.split(['h', ' ']);
            let x: i32 = xy.next().unwrap().parse().unwrap();
            let y: i32 = xy.next().unwrap().parse().unwrap();
            assert!(x >= 4 && y >= 4 && x < side - 4 && y < side - 4, "{run}");
        }
        assert!(path(&"x".repeat(5000)).is_none());
    }
}
