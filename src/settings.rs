//! The phone's display preferences (language, large text), remembered across launches.
//!
//! Preferences live in `localStorage` under versioned keys; the rules for reading them back are
//! plain functions over a [`KeyValue`] store so they are tested natively with a map.

use crate::i18n::Lang;

/// Storage key of the chosen language.
pub const LANG_KEY: &str = "linli.v1.lang";
/// Storage key of the large-text mode.
pub const LARGE_TEXT_KEY: &str = "linli.v1.large_text";

/// A minimal string key-value store: `localStorage` in the browser, a map in native tests.
pub trait KeyValue {
    fn get(&self, key: &str) -> Option<String>;
    /// Stores a value; failures (private mode, quota) are ignored by design: a preference that
    /// cannot be remembered must never stop the app.
    fn set(&self, key: &str, value: &str);
}

/// The display preferences the app starts with.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub struct Preferences {
    pub lang: Lang,
    pub large_text: bool,
}

impl Preferences {
    /// Reads the remembered preferences; a language never chosen falls back to the browser's
    /// preferences (`navigator.languages`), and unreadable values to the defaults.
    pub fn load<S: AsRef<str>>(store: &impl KeyValue, browser_languages: &[S]) -> Preferences {
        let lang = store
            .get(LANG_KEY)
            .and_then(|t| Lang::from_tag(&t))
            .unwrap_or_else(|| Lang::choose(browser_languages));
        let large_text = store.get(LARGE_TEXT_KEY).as_deref() == Some("1");
        Preferences { lang, large_text }
    }
}

/// Remembers the language the user picked.
pub fn save_lang(store: &impl KeyValue, lang: Lang) {
    store.set(LANG_KEY, lang.tag());
}

/// Remembers the large-text mode.
pub fn save_large_text(store: &impl KeyValue, on: bool) {
    store.set(LARGE_TEXT_KEY, if on { "1" } else { "0" });
}

/// `window.localStorage`, or nothing when the browser refuses it (some private modes).
pub struct LocalStorage(Option<web_sys::Storage>);

impl LocalStorage {
    pub fn open() -> LocalStorage {
        LocalStorage(web_sys::window().and_then(|w| w.local_storage().ok().flatten()))
    }
}

impl KeyValue for LocalStorage {
    fn get(&self, key: &str) -> Option<String> {
        self.0.as_ref()?.get_item(key).ok().flatten()
    }
    fn set(&self, key: &str, value: &str) {
        if let Some(s) = &self.0 {
            let _ = s.set_item(key, value);
        }
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use std::cell::RefCell;
    use std::collections::HashMap;

    #[derive(Default)]
    struct Map(RefCell<HashMap<String, String>>);
    impl KeyValue for Map {
        fn get(&self, key: &str) -> Option<String> {
            self.0.borrow().get(key).cloned()
        }
        fn set(&self, key: &str, value: &str) {
            self.0.borrow_mut().insert(key.into(), value.into());
        }
    }

    #[test]
    fn first_launch_follows_the_browser() {
        let p = Preferences::load(&Map::default(), &["zh-HK"]);
        assert_eq!(
            p,
            Preferences {
                lang: Lang::ZhHant,
                large_text: false
            }
        );
    }

    #[test]
    fn a_chosen_language_wins_over_the_browser() {
        let store = Map::default();
        save_lang(&store, Lang::ZhHans);
        save_large_text(&store, true);
        let p = Preferences::load(&store, &["en-US"]);
        assert_eq!(
            p,
            Preferences {
                lang: Lang::ZhHans,
                large_text: true
            }
        );
        save_large_text(&store, false);
        assert!(!Preferences::load(&store, &["en-US"]).large_text);
    }

    #[test]
    fn a_corrupt_value_falls_back_instead_of_failing() {
        let store = Map::default();
        store.set(LANG_KEY, "klingon");
        store.set(LARGE_TEXT_KEY, "yes please");
        let p = Preferences::load(&store, &["zh-CN"]);
        assert_eq!(
            p,
            Preferences {
                lang: Lang::ZhHans,
                large_text: false
            }
        );
    }
}
