//! Service worker registration and the "new version available" prompt.
//!
//! The worker (`public/sw.js`) is registered only in release builds. A new worker never takes
//! over by itself: when one is installed and waiting, the page shows a prompt, and only the
//! user's tap asks it to activate (`SKIP_WAITING`), after which the page reloads once.

use leptos::prelude::*;
use std::cell::Cell;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;
use web_sys::{ServiceWorkerContainer, ServiceWorkerRegistration, ServiceWorkerState};

thread_local! {
    /// Set when the user asked for the new version, so the controller change reloads the page.
    static RELOAD_ON_CONTROLLER_CHANGE: Cell<bool> = const { Cell::new(false) };
}

fn container() -> Option<ServiceWorkerContainer> {
    let navigator = web_sys::window()?.navigator();
    // `navigator.serviceWorker` is undefined outside secure contexts.
    let present = js_sys::Reflect::has(&navigator, &JsValue::from_str("serviceWorker")).ok()?;
    present.then(|| navigator.service_worker())
}

/// Registers `/sw.js` (release builds only) and sets `update_ready` when a new version waits.
pub fn register(update_ready: RwSignal<bool>) {
    if cfg!(debug_assertions) {
        return;
    }
    let Some(container) = container() else {
        return;
    };
    let on_controller_change = Closure::<dyn FnMut()>::new(|| {
        if RELOAD_ON_CONTROLLER_CHANGE.with(Cell::get) {
            if let Some(w) = web_sys::window() {
                let _ = w.location().reload();
            }
        }
    });
    container.set_oncontrollerchange(Some(on_controller_change.as_ref().unchecked_ref()));
    on_controller_change.forget();

    leptos::task::spawn_local(async move {
        let Ok(reg) = JsFuture::from(container.register("/sw.js")).await else {
            return;
        };
        let reg: ServiceWorkerRegistration = reg.unchecked_into();
        // A page with no controller is a first install: nothing old to replace, no prompt.
        let has_controller = move || container.controller().is_some();
        if reg.waiting().is_some() && has_controller() {
            update_ready.set(true);
        }
        let reg_for_event = reg.clone();
        let on_update_found = Closure::<dyn FnMut()>::new(move || {
            let Some(worker) = reg_for_event.installing() else {
                return;
            };
            let watched = worker.clone();
            let has_controller = has_controller.clone();
            let on_state = Closure::<dyn FnMut()>::new(move || {
                if watched.state() == ServiceWorkerState::Installed && has_controller() {
                    update_ready.set(true);
                }
            });
            worker.set_onstatechange(Some(on_state.as_ref().unchecked_ref()));
            on_state.forget();
        });
        reg.set_onupdatefound(Some(on_update_found.as_ref().unchecked_ref()));
        on_update_found.forget();
    });
}

/// Activates the waiting version and reloads; reloads plainly when nothing is waiting.
pub fn apply_update() {
    let reload = || {
        if let Some(w) = web_sys::window() {
            let _ = w.location().reload();
        }
    };
    let Some(container) = container() else {
        return reload();
    };
    leptos::task::spawn_local(async move {
        let waiting = match JsFuture::from(container.get_registration()).await {
            Ok(r) if !r.is_undefined() => r.unchecked_into::<ServiceWorkerRegistration>().waiting(),
            _ => None,
        };
        match waiting {
            Some(worker) => {
                RELOAD_ON_CONTROLLER_CHANGE.with(|c| c.set(true));
                if worker
                    .post_message(&JsValue::from_str("SKIP_WAITING"))
                    .is_err()
                {
                    reload();
                }
            }
            None => reload(),
        }
    });
}
