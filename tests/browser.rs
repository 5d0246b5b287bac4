//! Browser tests (wasm-bindgen-test in headless Chromium): what needs a real `localStorage`
//! and a real DOM.
#![cfg(target_arch = "wasm32")]

use linli::i18n::Lang;
use linli::settings::{self, LocalStorage, Preferences};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

fn clear() {
    let storage = web_sys::window().unwrap().local_storage().unwrap().unwrap();
    storage.clear().unwrap();
}

#[wasm_bindgen_test]
fn a_chosen_language_survives_a_new_storage_handle() {
    clear();
    settings::save_lang(&LocalStorage::open(), Lang::ZhHans);
    // A fresh handle, as after a reload, reads what was written to the browser's storage.
    let prefs = Preferences::load(&LocalStorage::open(), &["en-US"]);
    assert_eq!(prefs.lang, Lang::ZhHans);
    let raw = web_sys::window()
        .unwrap()
        .local_storage()
        .unwrap()
        .unwrap()
        .get_item(settings::LANG_KEY)
        .unwrap();
    assert_eq!(raw.as_deref(), Some("zh-Hans"));
}

#[wasm_bindgen_test]
fn the_browser_languages_are_navigator_languages_in_order() {
    // What the app's first-visit language choice reads (the choice itself, `Lang::choose`, is
    // tested natively; that the page then shows it, in tests/e2e/shell.spec.ts).
    let navigator = web_sys::window().unwrap().navigator();
    let expected: Vec<String> = navigator
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    assert!(!expected.is_empty(), "navigator.languages is readable");
    assert_eq!(linli::browser::languages(), expected);
}

#[wasm_bindgen_test]
fn large_text_is_remembered_in_the_browser_storage() {
    // The type actually growing, and after a reload, is tested in tests/e2e/shell.spec.ts.
    clear();
    assert!(!Preferences::load(&LocalStorage::open(), &["en"]).large_text);
    settings::save_large_text(&LocalStorage::open(), true);
    assert!(Preferences::load(&LocalStorage::open(), &["en"]).large_text);
    settings::save_large_text(&LocalStorage::open(), false);
    assert!(!Preferences::load(&LocalStorage::open(), &["en"]).large_text);
}
