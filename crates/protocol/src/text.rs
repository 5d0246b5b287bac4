//! Text fields: lengths counted in characters (not bytes), and localized text.

use serde::{Deserialize, Serialize};

/// A string of `MIN..=MAX` characters; surrounding whitespace does not count toward `MIN`.
#[derive(Clone, Debug, PartialEq, Eq, Hash, Serialize, Deserialize)]
#[serde(try_from = "String", into = "String")]
pub struct Text<const MIN: usize, const MAX: usize>(String);

/// Refuses control characters (other than line breaks and tabs) and the invisible
/// bidirectional overrides and isolates that can make text read differently than it is
/// (U+202A–U+202E, U+2066–U+2069).
pub fn check_chars(s: &str) -> Result<(), String> {
    let bad = |c: char| {
        (c.is_control() && !matches!(c, '\n' | '\r' | '\t'))
            || matches!(c, '\u{202A}'..='\u{202E}' | '\u{2066}'..='\u{2069}')
    };
    if s.chars().any(bad) {
        // A literal: formatting a position would add bytes to the phone's first load.
        return Err("must not contain control or bidirectional-override characters".into());
    }
    Ok(())
}

impl<const MIN: usize, const MAX: usize> Text<MIN, MAX> {
    pub fn parse(s: &str) -> Result<Self, String> {
        check_chars(s)?;
        let n = s.chars().count();
        if s.trim().chars().count() < MIN || n > MAX {
            return Err(if MIN == 0 {
                format!("must be at most {MAX} characters (got {n})")
            } else {
                format!(
                    "must be {MIN}–{MAX} characters (got {})",
                    s.trim().chars().count().min(n)
                )
            });
        }
        Ok(Text(s.to_owned()))
    }
    pub fn as_str(&self) -> &str {
        &self.0
    }
}

/// Optional text (no minimum) defaults to empty.
impl<const MAX: usize> Default for Text<0, MAX> {
    fn default() -> Self {
        Text(String::new())
    }
}

impl<const MIN: usize, const MAX: usize> TryFrom<String> for Text<MIN, MAX> {
    type Error = String;
    fn try_from(s: String) -> Result<Self, String> {
        Self::parse(&s)
    }
}
impl<const MIN: usize, const MAX: usize> From<Text<MIN, MAX>> for String {
    fn from(t: Text<MIN, MAX>) -> String {
        t.0
    }
}

/// Text in the app's languages: at least one of them, each at most 20 000 characters.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[serde(try_from = "RawLocalized")]
pub struct Localized {
    #[serde(rename = "zh-Hant", skip_serializing_if = "Option::is_none")]
    pub zh_hant: Option<String>,
    #[serde(rename = "zh-Hans", skip_serializing_if = "Option::is_none")]
    pub zh_hans: Option<String>,
    #[serde(skip_serializing_if = "Option::is_none")]
    pub en: Option<String>,
}

#[derive(Deserialize)]
struct RawLocalized {
    #[serde(rename = "zh-Hant")]
    zh_hant: Option<String>,
    #[serde(rename = "zh-Hans")]
    zh_hans: Option<String>,
    en: Option<String>,
}

/// The longest one language's text may be.
pub const LOCALIZED_MAX_CHARS: usize = 20_000;

impl TryFrom<RawLocalized> for Localized {
    type Error = String;
    fn try_from(r: RawLocalized) -> Result<Localized, String> {
        let keep = |s: Option<String>| s.filter(|s| !s.trim().is_empty());
        let l = Localized {
            zh_hant: keep(r.zh_hant),
            zh_hans: keep(r.zh_hans),
            en: keep(r.en),
        };
        if l.zh_hant.is_none() && l.zh_hans.is_none() && l.en.is_none() {
            return Err("needs text in at least one of zh-Hant, zh-Hans, en".into());
        }
        for s in [&l.zh_hant, &l.zh_hans, &l.en].into_iter().flatten() {
            check_chars(s)?;
            if s.chars().count() > LOCALIZED_MAX_CHARS {
                return Err(format!(
                    "each language must be at most {LOCALIZED_MAX_CHARS} characters"
                ));
            }
        }
        Ok(l)
    }
}

impl Localized {
    /// The text for a language tag, falling back Traditional ↔ Simplified, then English, then any.
    pub fn get(&self, tag: &str) -> &str {
        let order: [&Option<String>; 3] = match tag {
            "zh-Hant" => [&self.zh_hant, &self.zh_hans, &self.en],
            "zh-Hans" => [&self.zh_hans, &self.zh_hant, &self.en],
            _ => [&self.en, &self.zh_hant, &self.zh_hans],
        };
        order
            .into_iter()
            .flatten()
            .next()
            .map(String::as_str)
            .unwrap_or("")
    }
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn lengths_count_characters_not_bytes() {
        type Note = Text<0, 5>;
        assert!(Note::parse("鄰里鄰里鄰").is_ok());
        assert!(Note::parse("鄰里鄰里鄰里")
            .unwrap_err()
            .contains("at most 5"));
        type Desc = Text<1, 10>;
        assert!(Desc::parse("   ").unwrap_err().contains("1–10"));
        assert!(Desc::parse("藥").is_ok());
    }

    #[test]
    fn control_and_bidi_override_characters_are_refused_line_breaks_kept() {
        type Note = Text<0, 100>;
        assert!(Note::parse("line one\nline two\tend").is_ok());
        assert!(Note::parse("bell\u{7}").unwrap_err().contains("control"));
        assert!(Note::parse("abc\u{202E}cba").is_err());
        assert!(Note::parse("x\u{2066}y").is_err());
        assert!(serde_json::from_str::<Localized>(r#"{"en":"a\u202eb"}"#).is_err());
    }

    #[test]
    fn localized_needs_one_language_and_falls_back() {
        let l: Localized = serde_json::from_str(r#"{"zh-Hant":"地震","en":"Earthquake"}"#).unwrap();
        assert_eq!(l.get("zh-Hans"), "地震");
        assert_eq!(l.get("en"), "Earthquake");
        assert!(serde_json::from_str::<Localized>(r#"{"en":"  "}"#).is_err());
        assert!(serde_json::from_str::<Localized>("{}").is_err());
        assert_eq!(
            serde_json::to_string(&l).unwrap(),
            r#"{"zh-Hant":"地震","en":"Earthquake"}"#
        );
    }
}
