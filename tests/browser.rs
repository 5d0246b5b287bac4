//! Browser tests (wasm-bindgen-test in headless Chromium): what needs a real `localStorage`
//! and a real DOM.
#![cfg(target_arch = "wasm32")]

use linli::i18n::Lang;
use linli::settings::{self, KeyValue, LocalStorage, Preferences};
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
fn without_a_choice_the_browser_languages_decide() {
    clear();
    let store = LocalStorage::open();
    assert_eq!(store.get(settings::LANG_KEY), None);
    let browser = linli::browser::languages();
    assert!(!browser.is_empty(), "navigator.languages is readable");
    assert_eq!(
        Preferences::load(&store, &browser).lang,
        Lang::choose(&browser)
    );
}

#[wasm_bindgen_test]
fn large_text_is_remembered_and_applied_to_the_root_element() {
    clear();
    settings::save_large_text(&LocalStorage::open(), true);
    assert!(Preferences::load(&LocalStorage::open(), &["en"]).large_text);
    linli::browser::set_root_attribute("data-text", Some("large"));
    let root = web_sys::window()
        .unwrap()
        .document()
        .unwrap()
        .document_element()
        .unwrap();
    assert_eq!(root.get_attribute("data-text").as_deref(), Some("large"));
    linli::browser::set_root_attribute("data-text", None);
    assert_eq!(root.get_attribute("data-text"), None);
}
