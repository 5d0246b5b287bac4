//! Phone numbers in what the community publishes (guides, alerts), so each can be a `tel:` link:
//! a person in an emergency taps the number instead of copying it.

/// The emergency numbers written on their own (three digits), which are links even though
/// three digits are otherwise too short to be a phone number.
const EMERGENCY: [&str; 6] = ["999", "112", "110", "119", "120", "911"];

/// `text` split into runs: `(true, number)` for a phone number, `(false, text)` otherwise.
/// Numbers are the emergency numbers standing alone, and 8–15 digits written in groups separated
/// by single spaces or hyphens, optionally after a `+` ("2835 1473", "+852 2835-1473"). Dates,
/// times, temperatures and amounts are left alone ("2026-11-28", "14:00", "37.3", "3,000").
pub fn split(text: &str) -> Vec<(bool, &str)> {
    let b = text.as_bytes();
    let mut out = Vec::new();
    let mut plain = 0;
    let mut i = 0;
    while i < b.len() {
        let starts = (b[i].is_ascii_digit()
            || (b[i] == b'+' && b.get(i + 1).is_some_and(u8::is_ascii_digit)))
            && (i == 0 || !is_joined(b[i - 1]));
        if !starts {
            i += 1;
            continue;
        }
        // The longest run of digits with single spaces or hyphens between them.
        let mut j = i + 1;
        while j < b.len() {
            if b[j].is_ascii_digit() {
                j += 1;
            } else if (b[j] == b' ' || b[j] == b'-') && b.get(j + 1).is_some_and(u8::is_ascii_digit)
            {
                j += 2;
            } else {
                break;
            }
        }
        let run = &text[i..j];
        let digits = run.bytes().filter(u8::is_ascii_digit).count();
        let ends_clean = j == b.len()
            || !(is_joined(b[j]) || matches!(b[j], b'.' | b',' | b':' | b'%'))
            || (b[j] == b'.' || b[j] == b',') && !b.get(j + 1).is_some_and(u8::is_ascii_digit);
        let is_date = run.len() == 10 && run.as_bytes()[4] == b'-' && run.as_bytes()[7] == b'-';
        let phone =
            ends_clean && !is_date && ((8..=15).contains(&digits) || EMERGENCY.contains(&run));
        if phone {
            if plain < i {
                out.push((false, &text[plain..i]));
            }
            out.push((true, run));
            plain = j;
        }
        i = j;
    }
    if plain < text.len() {
        out.push((false, &text[plain..]));
    }
    out
}

/// A character that makes a number part of something else (a word, a decimal, a time).
fn is_joined(c: u8) -> bool {
    c.is_ascii_alphanumeric() || matches!(c, b'.' | b':' | b'/' | b'_' | b'-' | b'+')
}

/// The `tel:` address of a number as written.
pub fn tel(number: &str) -> String {
    let digits: String = number
        .chars()
        .filter(|c| c.is_ascii_digit() || *c == '+')
        .collect();
    format!("tel:{digits}")
}

#[cfg(test)]
mod tests {
    use super::*;

    fn phones(text: &str) -> Vec<&str> {
        split(text)
            .into_iter()
            .filter(|(p, _)| *p)
            .map(|(_, s)| s)
            .collect()
    }

    #[test]
    fn emergency_numbers_and_phone_numbers_become_links() {
        assert_eq!(phones("有生命危險請打 999。"), ["999"]);
        assert_eq!(phones("Call 999 or 112 now"), ["999", "112"]);
        assert_eq!(phones("熱線 2835 1473（24 小時）"), ["2835 1473"]);
        assert_eq!(phones("Hotline +852 2835-1473."), ["+852 2835-1473"]);
        assert_eq!(tel("+852 2835-1473"), "tel:+85228351473");
        assert_eq!(tel("999"), "tel:999");
        // The text around them is kept, in order.
        let parts = split("打 999 求助");
        assert_eq!(parts, [(false, "打 "), (true, "999"), (false, " 求助")]);
        assert_eq!(
            parts.iter().map(|(_, s)| *s).collect::<String>(),
            "打 999 求助"
        );
    }

    #[test]
    fn dates_times_temperatures_and_amounts_stay_text() {
        for text in [
            "Until 2026-11-28 14:00",
            "37.3 °C or more",
            "About 3,000 people",
            "Room 9990",
            "Flat 12-101",
            "Signal No. 8",
            "Call 9995",
            "v1.112",
            "120kg",
        ] {
            assert!(phones(text).is_empty(), "{text}: {:?}", phones(text));
        }
        assert!(split("").is_empty());
    }
}
