//! The few browser facts the shell needs: preferred languages, connectivity and the `<html>`
//! element's attributes. Everything here tolerates a missing `window` (never panics).

use leptos::prelude::*;

/// `navigator.languages`, most preferred first (empty when unavailable).
pub fn languages() -> Vec<String> {
    let Some(window) = web_sys::window() else {
        return Vec::new();
    };
    let navigator = window.navigator();
    let list: Vec<String> = navigator
        .languages()
        .iter()
        .filter_map(|v| v.as_string())
        .collect();
    if list.is_empty() {
        navigator.language().into_iter().collect()
    } else {
        list
    }
}

/// `navigator.onLine`; assumes online when unknown.
pub fn is_online() -> bool {
    web_sys::window().is_none_or(|w| w.navigator().on_line())
}

/// Keeps `online` in step with the browser's `online` / `offline` events.
pub fn watch_online(online: RwSignal<bool>) {
    // The handles live as long as the page: the shell never unmounts.
    std::mem::forget(window_event_listener(leptos::ev::online, move |_| {
        online.set(true)
    }));
    std::mem::forget(window_event_listener(leptos::ev::offline, move |_| {
        online.set(false)
    }));
}

/// Sets (or, with `None`, removes) an attribute of the `<html>` element.
pub fn set_root_attribute(name: &str, value: Option<&str>) {
    let Some(root) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.document_element())
    else {
        return;
    };
    let _ = match value {
        Some(v) => root.set_attribute(name, v),
        None => root.remove_attribute(name),
    };
}

/// Sets `document.title`.
pub fn set_title(title: &str) {
    if let Some(doc) = web_sys::window().and_then(|w| w.document()) {
        doc.set_title(title);
    }
}

/// Offers `text` to the user as a downloaded JSON file.
pub fn download(file_name: &str, text: &str) {
    download_as(file_name, "application/json", text)
}

/// Offers `text` to the user as a downloaded file of type `mime`.
pub fn download_as(file_name: &str, mime: &str, text: &str) {
    use wasm_bindgen::JsCast;
    let Some(doc) = web_sys::window().and_then(|w| w.document()) else {
        return;
    };
    let parts = js_sys::Array::of1(&wasm_bindgen::JsValue::from_str(text));
    let opts = web_sys::BlobPropertyBag::new();
    opts.set_type(mime);
    let Ok(blob) = web_sys::Blob::new_with_str_sequence_and_options(&parts, &opts) else {
        return;
    };
    let Ok(url) = web_sys::Url::create_object_url_with_blob(&blob) else {
        return;
    };
    if let Some(a) = doc
        .create_element("a")
        .ok()
        .and_then(|e| e.dyn_into::<web_sys::HtmlAnchorElement>().ok())
    {
        a.set_href(&url);
        a.set_download(file_name);
        a.click();
    }
    let _ = web_sys::Url::revoke_object_url(&url);
}

/// Lets the browser handle input and paint before the caller goes on (a new task, not a
/// microtask), so long start-up work is several short tasks rather than one that blocks.
pub async fn yield_to_browser() {
    gloo_timers::future::TimeoutFuture::new(0).await;
}

/// Reloads the page.
pub fn reload() {
    if let Some(w) = web_sys::window() {
        let _ = w.location().reload();
    }
}
