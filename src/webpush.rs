//! Web Push on the phone: the page asks the service worker (which holds the push manager) to
//! subscribe with the platform's key and register the subscription with this device's token
//! and language, or to unsubscribe at sign-out. Only the More and Alerts screens and the sync
//! screen use it, so it lives in their chunks, never in the first load.

use js_sys::{Array, Function, Object, Promise, Reflect};
use wasm_bindgen::prelude::*;
use wasm_bindgen::JsCast;
use wasm_bindgen_futures::JsFuture;

/// Whether this phone will be woken by serious alerts while the app is closed.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Reach {
    /// Subscribed and registered with the platform.
    Closed,
    /// Not possible here (no push service, blocked, offline): alerts show when the app is open.
    OpenOnly,
}

/// Subscribes (or renews the subscription) and registers it for `token`'s device in `lang`.
pub async fn subscribe(token: &str, lang: &str) -> Reach {
    let msg = Object::new();
    let _ = Reflect::set(&msg, &"type".into(), &"PUSH_SUBSCRIBE".into());
    let _ = Reflect::set(&msg, &"token".into(), &token.into());
    let _ = Reflect::set(&msg, &"lang".into(), &lang.into());
    match ask_worker(&msg).await {
        Some(reply) if Reflect::get(&reply, &"ok".into()).ok() == Some(JsValue::TRUE) => {
            Reach::Closed
        }
        _ => Reach::OpenOnly,
    }
}

/// Registers this phone for pushes in `lang`, once its storage is open; `None` when it has not
/// joined (the platform wakes enrolled devices only).
pub async fn renew(
    slot: leptos::prelude::StoredValue<
        Option<crate::sync::engine::Sync>,
        leptos::prelude::LocalStorage,
    >,
    lang: &str,
) -> Option<Reach> {
    let device = crate::data::service(slot).await.enrolled().await?;
    Some(subscribe(&device.token, lang).await)
}

/// Stops notifications on this phone (at once, even offline) and tells the platform if it can.
pub async fn unsubscribe(token: Option<&str>) {
    let msg = Object::new();
    let _ = Reflect::set(&msg, &"type".into(), &"PUSH_UNSUBSCRIBE".into());
    if let Some(t) = token {
        let _ = Reflect::set(&msg, &"token".into(), &t.into());
    }
    let _ = ask_worker(&msg).await;
}

/// Posts `msg` to the service worker controlling the page with a reply port and waits (at most
/// 10 s: an older worker still in control does not answer) for its answer. No worker, no answer.
async fn ask_worker(msg: &Object) -> Option<JsValue> {
    let active = web_sys::window()?
        .navigator()
        .service_worker()
        .controller()?;
    let ctor = Reflect::get(&js_sys::global(), &"MessageChannel".into())
        .ok()?
        .dyn_into::<Function>()
        .ok()?;
    let channel = Reflect::construct(&ctor, &Array::new()).ok()?;
    let port1 = Reflect::get(&channel, &"port1".into()).ok()?;
    let port2 = Reflect::get(&channel, &"port2".into()).ok()?;
    let reply = Promise::new(&mut |resolve, _| {
        let on_message = Closure::once_into_js(move |event: JsValue| {
            let data = Reflect::get(&event, &"data".into()).unwrap_or_default();
            let _ = resolve.call1(&JsValue::NULL, &data);
        });
        let _ = Reflect::set(&port1, &"onmessage".into(), &on_message);
    });
    active
        .post_message_with_transferable(msg, &Array::of1(&port2))
        .ok()?;
    let answer = JsFuture::from(reply);
    let late = gloo_timers::future::TimeoutFuture::new(10_000);
    match futures_util::future::select(answer, late).await {
        futures_util::future::Either::Left((answer, _)) => answer.ok(),
        futures_util::future::Either::Right(_) => None,
    }
}
