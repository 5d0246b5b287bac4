//! The household's phones and unit (More → Household): another phone joins with a code or QR
//! code shown here; a phone can be removed from another (its token revoked); the unit (flat)
//! can be changed. These need the network: the page says so offline instead of guessing.

use super::local_time;
use crate::json::{from_json, quote};
use crate::markup::{show, Html};
use crate::state::{use_sync, use_ui};
use crate::sync::engine::call;
use leptos::prelude::*;
use linli_protocol::volunteer::{HouseholdInfo, HouseholdInvite, Unit};

/// What the section shows.
#[derive(Clone, PartialEq)]
enum Loaded {
    Loading,
    Offline,
    Ready(HouseholdInfo),
}

#[component]
pub fn HouseholdPhones() -> impl IntoView {
    let ui = use_ui();
    let sync = use_sync();
    let info = RwSignal::new(Loaded::Loading);
    let invite = RwSignal::new(None::<HouseholdInvite>);
    let confirm = RwSignal::new(None::<String>);
    let editing = RwSignal::new(false);
    let unit = RwSignal::new(String::new());
    let unit_error = RwSignal::new(false);
    let failed = RwSignal::new(false);

    // One request as this phone; the answer's JSON, or `None` (offline, refused).
    let request = move |method: &'static str, path: String, body: Option<String>| async move {
        let token = crate::data::service(sync).await.enrolled().await?.token;
        match call(method, &path, &token, body).await {
            Some((status, text)) if (200..300).contains(&status) => Some(text),
            _ => None,
        }
    };
    let reload = move || {
        leptos::task::spawn_local(async move {
            let got = request("GET", "/api/v1/household".into(), None).await;
            info.set(match got.as_deref().and_then(from_json::<HouseholdInfo>) {
                Some(i) => Loaded::Ready(i),
                None => Loaded::Offline,
            });
        })
    };
    reload();

    let add = move |_| {
        leptos::task::spawn_local(async move {
            let got = request(
                "POST",
                "/api/v1/household/invites".into(),
                Some("{}".into()),
            )
            .await;
            let made = got.as_deref().and_then(from_json::<HouseholdInvite>);
            failed.set(made.is_none());
            invite.set(made);
        })
    };
    let remove = move |id: String| {
        leptos::task::spawn_local(async move {
            let path = format!("/api/v1/household/devices/{id}");
            let done = request("DELETE", path, None).await.is_some();
            failed.set(!done);
            confirm.set(None);
            reload();
        })
    };
    let save_unit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let typed = unit.get_untracked();
        if Unit::parse(typed.trim()).is_err() {
            unit_error.set(true);
            super::focus("unit-input");
            return;
        }
        unit_error.set(false);
        leptos::task::spawn_local(async move {
            let body = format!(r#"{{"unit":{}}}"#, quote(typed.trim()));
            let got = request("PUT", "/api/v1/household/unit".into(), Some(body)).await;
            match got.as_deref().and_then(from_json::<HouseholdInfo>) {
                Some(i) => {
                    info.set(Loaded::Ready(i));
                    editing.set(false);
                    failed.set(false);
                }
                None => failed.set(true),
            }
        })
    };

    view! {
        <div class="card" data-testid="household-phones">
            {move || {
                let t = ui.t();
                let mut h = Html::new();
                h.el("h2", &[], t.words().phones_title);
                match info.get() {
                    Loaded::Loading => super::loading(&mut h, t),
                    Loaded::Offline => {
                        h.el("p", &[("data-testid", "phones-offline")], t.words().phones_offline);
                    }
                    Loaded::Ready(i) => {
                        let line = if i.unit.is_empty() { t.words().unit_none.to_owned() } else { (t.words().unit_current)(&i.unit) };
                        h.el("p", &[("data-testid", "household-unit")], &line);
                    }
                }
                if failed.get() {
                    h.el("p", &[("class", "field-error"), ("role", "alert"), ("data-testid", "phones-error")], t.words().phones_error);
                }
                show(h)
            }}
            {move || {
                let t = ui.t();
                let Loaded::Ready(i) = info.get() else { return None };
                let rows = i.devices.into_iter().map(|d| {
                    let id = d.id.clone();
                    let asking = confirm.with(|c| c.as_deref() == Some(d.id.as_str()));
                    let when = local_time(d.enrolled.unix_ms() as f64);
                    view! {
                        <li class="phone-row" data-testid="household-phone">
                            <span>{d.name.clone()}" · "{when}</span>
                            {if d.this_device {
                                view! { <strong>{t.words().phone_this}</strong> }.into_any()
                            } else if asking {
                                let id = id.clone();
                                view! {
                                    <div role="alert">
                                        <p>{(t.words().phone_remove_confirm)(&d.name)}</p>
                                        <button class="btn btn-danger" on:click=move |_| remove(id.clone()) data-testid="phone-remove-confirm">{t.words().phone_remove}</button>
                                        <button class="btn" on:click=move |_| confirm.set(None)>{t.cancel}</button>
                                    </div>
                                }.into_any()
                            } else {
                                view! {
                                    <button class="btn" on:click=move |_| confirm.set(Some(id.clone())) data-testid="phone-remove"
                                        aria-label=format!("{} — {}", t.words().phone_remove, d.name)>{t.words().phone_remove}</button>
                                }.into_any()
                            }}
                        </li>
                    }
                }).collect_view();
                Some(view! {
                    <ul class="plain">{rows}</ul>
                    {if editing.get() {
                        let err = unit_error.get().then_some(t.words().unit_err);
                        view! {
                            <form class="form" on:submit=save_unit novalidate>
                                <label for="unit-input">{t.words().unit_label}</label>
                                <input id="unit-input" class="short" maxlength="20" autocomplete="off"
                                    aria-describedby="unit-input-error" aria-invalid=err.is_some().to_string()
                                    prop:value=move || unit.get() on:input=move |ev| unit.set(event_target_value(&ev))
                                    data-testid="unit-input"/>
                                <p class="field-error" id="unit-input-error">{err}</p>
                                <button type="submit" class="btn btn-primary" data-testid="unit-save">{t.words().unit_save}</button>
                                <button type="button" class="btn" on:click=move |_| editing.set(false)>{t.cancel}</button>
                            </form>
                        }.into_any()
                    } else {
                        let current = i.unit.clone();
                        view! {
                            <button class="btn" on:click=move |_| { unit.set(current.clone()); editing.set(true) } data-testid="unit-change">{t.words().unit_change}</button>
                        }.into_any()
                    }}
                    <button class="btn btn-primary" on:click=add data-testid="phone-add">{t.words().phone_add}</button>
                })
            }}
            {move || invite.get().map(|inv| {
                let t = ui.t();
                let origin = web_sys::window().and_then(|w| w.location().origin().ok()).unwrap_or_default();
                let link = format!("{origin}/join?code={}", inv.code);
                let until = local_time(inv.expires.unix_ms() as f64);
                let qr = crate::qr::path(&link);
                view! {
                    <div class="invite" data-testid="phone-invite" role="status">
                        <p>{(t.words().phone_add_body)(&until)}</p>
                        <p class="invite-code" data-testid="phone-invite-code">{inv.code.clone()}</p>
                        {qr.map(|(d, side)| view! {
                            <svg class="qr" viewBox=format!("0 0 {side} {side}") role="img" aria-label=t.words().phone_qr_label data-testid="phone-invite-qr">
                                <rect width="100%" height="100%" fill="#fff"></rect>
                                <path d=d fill="#000"></path>
                            </svg>
                        })}
                    </div>
                }
            })}
        </div>
    }
}
