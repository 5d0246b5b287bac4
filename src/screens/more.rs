//! More: the household and other screens, language, large text, notifications, storage,
//! export of everything this phone holds, sync and sign-out, about.

use super::alerts::{permission_signal, request_notifications};
use super::fragment;
use crate::i18n::Lang;
use crate::markup::show;
use crate::state::{use_sync, use_ui};
use leptos::prelude::*;

/// Whether the browser keeps this site's data, and how many bytes it uses.
async fn storage_status() -> (Option<bool>, Option<f64>) {
    use wasm_bindgen_futures::JsFuture;
    let Some(storage) = web_sys::window().map(|w| w.navigator().storage()) else {
        return (None, None);
    };
    let persisted = match storage.persisted() {
        Ok(p) => JsFuture::from(p).await.ok().and_then(|v| v.as_bool()),
        Err(_) => None,
    };
    let used = match storage.estimate() {
        Ok(p) => JsFuture::from(p)
            .await
            .ok()
            .and_then(|e| js_sys::Reflect::get(&e, &"usage".into()).ok())
            .and_then(|u| u.as_f64()),
        Err(_) => None,
    };
    (persisted, used)
}

/// Writes every record of this phone (sent or not) and what waits to be sent to a JSON file.
async fn export_all(s: crate::sync::engine::Sync) {
    let mut items = Vec::new();
    for kind in linli_protocol::sync::PushedKind::ALL
        .iter()
        .map(|k| k.as_str())
    {
        for r in s.store.records(kind).await.unwrap_or_default() {
            items.push(format!(
                r#"{{"id":{},"kind":{},"sync":"{}","body":{}}}"#,
                crate::json::quote(&r.id),
                crate::json::quote(&r.kind),
                match r.sync {
                    crate::store::model::RecordSync::Local => "local",
                    crate::store::model::RecordSync::Sent => "sent",
                    crate::store::model::RecordSync::Rejected => "rejected",
                },
                r.body
            ));
        }
    }
    let text = format!(r#"{{"records":[{}]}}"#, items.join(","));
    crate::browser::download("linli-my-data.json", &text);
}

#[component]
pub fn More() -> impl IntoView {
    let ui = use_ui();
    let sync = use_sync();
    // `None` until the browser answers; the page is drawn then (the notification card's text
    // and button depend on it, and nothing below it should move).
    let notify = permission_signal();
    // Whether serious alerts reach this phone while the app is closed: registered again when
    // notifications are allowed, the phone joins, or the language changes (the platform
    // writes the notification in it). `None` while checking.
    let reach = RwSignal::new(None::<Option<crate::webpush::Reach>>);
    // Only a change of device, not every sync, registers again.
    let device = Memo::new(move |_| {
        ui.sync
            .with(|s| s.enrolled.as_ref().map(|e| e.device_id.clone()))
    });
    let asked = StoredValue::new(0u32);
    Effect::new(move |_| {
        let lang = ui.lang.get().tag();
        device.get();
        if notify.get().flatten().as_deref() == Some("granted") {
            reach.set(None);
            asked.update_value(|n| *n += 1);
            let this = asked.get_value();
            leptos::task::spawn_local(async move {
                let answer = crate::webpush::renew(sync, lang).await;
                // A later request (the language changed again) has the last word.
                if asked.get_value() == this {
                    reach.set(Some(answer));
                }
            });
        }
    });
    let storage = RwSignal::new((None::<bool>, None::<f64>));
    // In a task of its own, not the one that builds the page: asking the browser about storage
    // costs the main thread several ms (the first `estimate()` of a page took up to 24 ms in
    // profiles).
    leptos::task::spawn_local(async move {
        crate::browser::yield_to_browser().await;
        storage.set(storage_status().await)
    });
    let ask = move |_| {
        leptos::task::spawn_local(async move { notify.set(Some(request_notifications().await)) });
    };
    let export = move |_| {
        if let Some(s) = sync.get_value() {
            leptos::task::spawn_local(export_all(s));
        }
    };
    view! {
        <section class="page" data-testid="page-more">
            {move || {
                let t = ui.t();
                let Some(permission) = notify.get() else {
                    return show(fragment(|h| super::loading(h, t))).into_any();
                };
                let current = ui.lang.get();
                let large = ui.large_text.get();
                let enrolled = ui.facts().enrolled;
                let links = fragment(|h| {
                    h.el("h1", &[], t.more_title);
                    let mut link = |href: &str, label: &str, id: &str| {
                        h.el("a", &[("href", href), ("class", "card link-card"), ("data-testid", id)], label);
                    };
                    if enrolled {
                        link("/household", t.household_title, "more-household");
                        link("/help", t.help_title, "more-help");
                    }
                    link("/guides", t.guides_title, "more-guides");
                    link("/facilities", t.facilities_title, "more-facilities");
                    link("/notices", t.notices_title, "more-notices");
                });
                view! {
                    {show(links)}
                    <fieldset class="card">
                        <legend>{t.language}</legend>
                        {Lang::ALL.into_iter().map(|lang| view! {
                            <label class="choice">
                                <input type="radio" name="lang" value=lang.tag() prop:checked=current == lang
                                    on:change=move |_| ui.choose_lang(lang) data-testid=format!("lang-{}", lang.tag())/>
                                <span lang=lang.tag()>{lang.native_name()}</span>
                            </label>
                        }).collect_view()}
                    </fieldset>
                    <div class="card">
                        <label class="choice">
                            <input type="checkbox" prop:checked=large
                                on:change=move |ev| ui.choose_large_text(event_target_checked(&ev)) data-testid="large-text"/>
                            <span>{t.large_text}</span>
                        </label>
                        <p class="hint">{t.large_text_hint}</p>
                    </div>
                    <div class="card" data-testid="more-notifications">
                        <h2>{t.notifications}</h2>
                        <p>{match permission.as_deref() {
                            Some("granted") => t.notify_on,
                            Some("denied") => t.words().notify_denied,
                            Some(_) => t.notify_offer,
                            None => t.words().notify_unsupported,
                        }}</p>
                        {(permission.as_deref() == Some("granted")).then(|| {
                            let w = t.words();
                            reach.get().map(|r| view! {
                                <p data-testid="push-reach">{match r {
                                    Some(crate::webpush::Reach::Closed) => w.push_closed,
                                    Some(crate::webpush::Reach::OpenOnly) => w.push_open_only,
                                    None => w.push_join,
                                }}</p>
                            })
                        })}
                        {(permission.as_deref() == Some("default")).then(|| view! {
                            <button class="btn" on:click=ask>{t.notify_allow}</button>
                        })}
                    </div>
                    <div class="card" data-testid="more-storage">
                        <h2>{t.storage}</h2>
                        // The browser answers later; only these lines are drawn again then.
                        {move || { let (persisted, used) = storage.get(); view! {
                            <p>{match persisted { Some(true) => t.words().storage_persisted, Some(false) => t.words().storage_not_persisted, None => t.words().storage_unknown }}</p>
                            {used.map(|u| view! { <p>{(t.storage_used)((u / 1024.0).ceil() as usize)}</p> })}
                        }}}
                        {enrolled.then(|| view! {
                            <button class="btn" on:click=export data-testid="export-data">{t.export_data}</button>
                        })}
                    </div>
                    {show(fragment(|h| {
                        h.wrap("div", &[("class", "card")], |h| {
                            h.el("a", &[("href", "/sync"), ("class", "btn"), ("data-testid", "more-sync")], t.sync_title);
                            h.el("a", &[("href", "/relay"), ("class", "btn"), ("data-testid", "more-relay")], t.words().relay_link);
                            if enrolled {
                                h.el("p", &[("class", "hint")], t.words().sign_out_where);
                            }
                        });
                        h.wrap("div", &[("class", "card")], |h| {
                            h.el("h2", &[], t.about).el("p", &[], t.words().about_body);
                            h.el("p", &[("class", "hint")], &format!("{} {}", t.version, env!("CARGO_PKG_VERSION")));
                        });
                    }))}
                }
                .into_any()
            }}
        </section>
    }
}
