//! A small client-side router: the path is a signal, links are plain `<a href>` caught by one
//! document click handler, and the back button works through `popstate`. It replaces
//! `leptos_router`, whose generic route matching cost more wasm than all our screens' routing
//! needs (measured in BENCHMARKS.md); matching a path is a plain function, tested natively.

use leptos::prelude::*;
use wasm_bindgen::closure::Closure;
use wasm_bindgen::JsCast;

/// Where the app is: the path, and the query string (without `?`).
#[derive(Clone, Copy)]
pub struct Nav {
    pub path: RwSignal<String>,
    pub query: RwSignal<String>,
}

thread_local!(static NAV: std::cell::Cell<Option<Nav>> = const { std::cell::Cell::new(None) });

/// The current location, set up once by [`install`].
pub fn use_nav() -> Nav {
    NAV.with(|n| n.get())
        .expect("router::install runs before any screen")
}

fn location() -> (String, String) {
    let loc = web_sys::window().map(|w| w.location());
    let path = loc
        .as_ref()
        .and_then(|l| l.pathname().ok())
        .unwrap_or_else(|| "/".into());
    let query = loc
        .and_then(|l| l.search().ok())
        .unwrap_or_default()
        .trim_start_matches('?')
        .to_owned();
    (path, query)
}

/// Reads the location, follows the back button and catches clicks on same-origin links.
pub fn install() -> Nav {
    let (path, query) = location();
    let nav = Nav {
        path: RwSignal::new(path),
        query: RwSignal::new(query),
    };
    NAV.with(|n| n.set(Some(nav)));
    let Some(window) = web_sys::window() else {
        return nav;
    };
    let on_pop = Closure::<dyn Fn()>::new(move || {
        let (p, q) = location();
        nav.path.set(p);
        nav.query.set(q);
    });
    let _ = window.add_event_listener_with_callback("popstate", on_pop.as_ref().unchecked_ref());
    on_pop.forget();
    let on_click = Closure::<dyn Fn(web_sys::MouseEvent)>::new(move |ev: web_sys::MouseEvent| {
        if ev.default_prevented()
            || ev.button() != 0
            || ev.meta_key()
            || ev.ctrl_key()
            || ev.shift_key()
            || ev.alt_key()
        {
            return;
        }
        let Some(a) = ev
            .target()
            .and_then(|t| t.dyn_into::<web_sys::Element>().ok())
            .and_then(|e| e.closest("a[href]").ok().flatten())
        else {
            return;
        };
        if a.has_attribute("target") || a.has_attribute("download") {
            return;
        }
        let href = a.get_attribute("href").unwrap_or_default();
        if !href.starts_with('/') || href.starts_with("//") {
            return;
        }
        ev.prevent_default();
        navigate(&href);
    });
    if let Some(doc) = window.document() {
        let _ = doc.add_event_listener_with_callback("click", on_click.as_ref().unchecked_ref());
    }
    on_click.forget();
    nav
}

/// Goes to an in-app address (`/path?query`), adding a history entry, and scrolls to the top.
pub fn navigate(href: &str) {
    let nav = use_nav();
    if let Some(w) = web_sys::window() {
        if let Ok(h) = w.history() {
            let _ = h.push_state_with_url(&wasm_bindgen::JsValue::NULL, "", Some(href));
        }
        w.scroll_to_with_x_and_y(0.0, 0.0);
    }
    let (path, query) = href.split_once('?').unwrap_or((href, ""));
    nav.path.set(path.to_owned());
    nav.query.set(query.to_owned());
}

/// The path's segments: `/help/123` → `["help", "123"]`.
pub fn segments(path: &str) -> Vec<&str> {
    path.split('/').filter(|s| !s.is_empty()).collect()
}

/// A query parameter, percent-decoded (`code` of `?code=AB%2DCD`).
pub fn query_param(query: &str, name: &str) -> Option<String> {
    web_sys::UrlSearchParams::new_with_str(query)
        .ok()?
        .get(name)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn paths_split_into_segments() {
        assert_eq!(segments("/"), Vec::<&str>::new());
        assert_eq!(segments("/help/01a2"), vec!["help", "01a2"]);
        assert_eq!(segments("/alerts/"), vec!["alerts"]);
    }
}
