//! Record ids: UUIDv7, made on the phone (pushed kinds) or on the platform (published kinds).

use serde::{Deserialize, Serialize};
use std::fmt;

/// A lowercase hyphenated UUID version 7, e.g. `0190c7a8-3b1e-7c2d-8f00-1234567890ab`.
#[derive(Clone, Debug, PartialEq, Eq, PartialOrd, Ord, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Id(String);

impl Id {
    /// Validates a UUIDv7 (any case on input; stored lowercase).
    pub fn parse(s: &str) -> Result<Id, String> {
        let b = s.as_bytes();
        let shape_ok = b.len() == 36
            && b.iter().enumerate().all(|(i, c)| match i {
                8 | 13 | 18 | 23 => *c == b'-',
                _ => c.is_ascii_hexdigit(),
            });
        if !shape_ok {
            return Err("must be a UUID like 0190c7a8-3b1e-7c2d-8f00-1234567890ab".into());
        }
        if b[14] != b'7' {
            return Err("must be a version 7 UUID".into());
        }
        if !matches!(b[19].to_ascii_lowercase(), b'8' | b'9' | b'a' | b'b') {
            return Err("must be an RFC 9562 (variant 10) UUID".into());
        }
        Ok(Id(s.to_ascii_lowercase()))
    }

    /// Builds a UUIDv7 from a Unix time in milliseconds and 10 random bytes.
    pub fn v7(unix_ms: u64, random: [u8; 10]) -> Id {
        let mut bytes = [0u8; 16];
        bytes[..6].copy_from_slice(&unix_ms.to_be_bytes()[2..]);
        bytes[6..].copy_from_slice(&random);
        bytes[6] = 0x70 | (bytes[6] & 0x0f);
        bytes[8] = 0x80 | (bytes[8] & 0x3f);
        let hex: String = bytes.iter().map(|b| format!("{b:02x}")).collect();
        Id(format!(
            "{}-{}-{}-{}-{}",
            &hex[..8],
            &hex[8..12],
            &hex[12..16],
            &hex[16..20],
            &hex[20..]
        ))
    }

    pub fn as_str(&self) -> &str {
        &self.0
    }
}

impl TryFrom<String> for Id {
    type Error = String;
    fn try_from(s: String) -> Result<Id, String> {
        Id::parse(&s)
    }
}

impl From<Id> for String {
    fn from(id: Id) -> String {
        id.0
    }
}

impl fmt::Display for Id {
    fn fmt(&self, f: &mut fmt::Formatter<'_>) -> fmt::Result {
        f.write_str(&self.0)
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn v7_ids_are_valid_sortable_and_carry_the_time() {
        let a = Id::v7(1_700_000_000_000, [0xff; 10]);
        let b = Id::v7(1_700_000_000_001, [0x00; 10]);
        assert_eq!(Id::parse(a.as_str()).unwrap(), a);
        assert_eq!(Id::parse(b.as_str()).unwrap(), b);
        assert!(a < b, "later ids sort after earlier ones");
        assert!(a.as_str().starts_with("018bcfe5-6800-7"));
    }

    #[test]
    fn other_strings_are_rejected_with_a_reason() {
        assert!(Id::parse("0190C7A8-3B1E-7C2D-8F00-1234567890AB").is_ok());
        assert!(Id::parse("0190c7a8-3b1e-4c2d-8f00-1234567890ab")
            .unwrap_err()
            .contains("version 7"));
        assert!(Id::parse("0190c7a8-3b1e-7c2d-cf00-1234567890ab")
            .unwrap_err()
            .contains("variant"));
        assert!(Id::parse("not-a-uuid").is_err());
        assert!(Id::parse("").is_err());
        assert!(Id::parse("0190c7a83b1e7c2d8f001234567890ab").is_err());
    }
}
