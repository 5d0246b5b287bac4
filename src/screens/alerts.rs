//! Alerts: active and past lists, a plain-language detail page with "I'm safe" / "I need
//! help", and the announcement of new serious alerts (banner, and a system notification when
//! the resident allowed them).

use super::{back, empty_list, fragment, loading, local_time, saved_line};
use crate::data::{loaded, own, published};
use crate::domain::alerts::{deserves_notice, is_active, is_drill, split};
use crate::json::{from_json, to_json};
use crate::markup::{show, Html};
use crate::state::{use_sync, use_ui};
use crate::store::keys;
use crate::sync::engine::{self, Sync};
use leptos::prelude::*;
use linli_protocol::ids::Id;
use linli_protocol::published::{Alert, MsgType, Severity};
use linli_protocol::pushed::{AckResponse, AlertAck};
use linli_protocol::time::Timestamp;

const SEVERITIES: [Severity; 5] = [
    Severity::Extreme,
    Severity::Severe,
    Severity::Moderate,
    Severity::Minor,
    Severity::Unknown,
];

/// The CSS class suffix of a severity (colour tokens in `style/main.css`).
fn sev_class(s: Severity) -> &'static str {
    ["extreme", "severe", "moderate", "minor", "unknown"][super::pos(&SEVERITIES, &s)]
}

pub type Alerts = Vec<(String, Alert)>;

pub async fn load_alerts(s: &Sync) -> Alerts {
    published::<Alert>(s).await
}

/// A card for a list (Home and Alerts): severity, DRILL, status, headline.
pub fn alert_card(h: &mut Html, t: &'static crate::i18n::Strings, lang: &str, id: &str, a: &Alert) {
    let sev = sev_class(a.severity);
    let status = match a.msg_type {
        MsgType::Update => Some(t.alert_updated),
        MsgType::Cancel => Some(t.alert_cancelled),
        MsgType::Alert => None,
    };
    let line = format!(
        "{} · {}",
        a.event.get(lang),
        local_time(a.sent.unix_ms() as f64)
    );
    let href = format!("/alerts/{id}");
    let class = format!("card alert-card sev-{sev}");
    h.wrap(
        "a",
        &[
            ("href", &href),
            ("class", &class),
            ("data-testid", "alert-card"),
        ],
        |h| {
            if is_drill(a) {
                h.el("span", &[("class", "drill")], t.drill);
            }
            h.el(
                "span",
                &[("class", &format!("badge sev-{sev}"))],
                t.severity[super::pos(&SEVERITIES, &a.severity)],
            );
            if let Some(s) = status {
                h.el("span", &[("class", "badge")], s);
            }
            h.el(
                "strong",
                &[("class", "alert-headline")],
                a.headline.get(lang),
            );
            h.el("span", &[("class", "hint")], &line);
        },
    );
}

/// `/alerts`: active alerts (most severe first), then past ones.
#[component]
pub fn AlertList() -> impl IntoView {
    let ui = use_ui();
    let data = loaded(|s| async move { load_alerts(&s).await });
    let synced = Memo::new(move |_| ui.sync.with(|s| s.last_sync_ms));
    let permission = permission_signal();
    view! {
        <section class="page" data-testid="page-alerts">
            <h1>{move || ui.t().alerts_title}</h1>
            // Until the stored status is read, only "loading": the building picker (before
            // joining) and the list then appear together, so nothing already drawn moves down
            // and an enrolled phone never flashes the picker.
            <Show
                when=move || ui.facts().known && permission.with(Option::is_some)
                fallback=move || show(fragment(|h| loading(h, ui.t())))
            >
            <Show when=move || ui.facts().joined() == Some(false)>
                <BuildingPicker/>
            </Show>
            <NotifyOffer state=permission/>
            {move || {
                // Drawn again after each sync (about once a minute), so an alert that has
                // expired while the list is open moves to the past ones.
                synced.track();
                let t = ui.t();
                let lang = ui.lang.get().tag();
                let mut h = Html::new();
                let crate::state::SyncFacts { updated, enrolled, .. } = ui.facts();
                let body = if enrolled { t.words().alerts_empty_body } else { t.words().alerts_empty_public };
                match data.get() {
                    None => loading(&mut h, t),
                    Some(list) if list.is_empty() => empty_list(&mut h, t, updated, t.alerts_empty_title, body),
                    Some(list) => {
                        let (active, past) = split(list, engine::now_ms());
                        h.el("h2", &[], t.alerts_active);
                        if active.is_empty() {
                            h.el("p", &[("class", "card")], t.alerts_none_active);
                        }
                        h.wrap("div", &[("data-testid", "alerts-active")], |h| {
                            active.iter().for_each(|(id, a)| alert_card(h, t, lang, id, a));
                        });
                        if !past.is_empty() {
                            h.el("h2", &[], t.alerts_past);
                            h.wrap("div", &[("data-testid", "alerts-past")], |h| {
                                past.iter().for_each(|(id, a)| alert_card(h, t, lang, id, a));
                            });
                        }
                    }
                }
                show(h)
            }}
            </Show>
        </section>
    }
}

/// `/alerts/:id`: what happened, where, what to do, until when, who sent it; the reply.
#[component]
pub fn AlertDetail(id: String) -> impl IntoView {
    let ui = use_ui();
    let sync = use_sync();
    let id = StoredValue::new(id);
    let id = move || id.get_value();
    let data = loaded(|s| async move { (load_alerts(&s).await, own::<AlertAck>(&s).await) });
    let reply = move |response: AckResponse| {
        let (Some(s), Ok(alert_id)) = (sync.get_value(), Id::parse(&id())) else {
            return;
        };
        let ack = AlertAck {
            alert_id,
            response,
            at: Timestamp::from_unix_ms(engine::now_ms() as i64),
        };
        let Some(body) = to_json(&ack) else { return };
        leptos::task::spawn_local(async move {
            let _ = s
                .save(linli_protocol::sync::PushedKind::AlertAck.as_str(), body)
                .await;
        });
    };
    // The article is read-only markup; the reply card below it keeps its buttons.
    let can_reply = move || {
        let id = id();
        data.with(|d| {
            d.as_ref().is_some_and(|(alerts, _)| {
                alerts
                    .iter()
                    .any(|(i, a)| *i == id && is_active(a, engine::now_ms()))
            })
        }) && ui.sync.with(|s| s.enrolled.is_some())
    };
    view! {
        <section class="page" data-testid="page-alert">
            {move || {
                let t = ui.t();
                let lang = ui.lang.get().tag();
                let id = id();
                let mut h = Html::new();
                back(&mut h, "/alerts", t.alerts_title);
                data.with(|d| match d {
                    None => loading(&mut h, t),
                    Some((alerts, acks)) => match alerts.iter().find(|(i, _)| *i == id) {
                        None => {
                            h.el("p", &[("class", "card")], t.alert_gone);
                        }
                        Some((_, a)) => {
                            alert_article(&mut h, t, lang, a);
                            if let Some((rec, k)) = acks.iter().find(|(_, k)| k.alert_id.as_str() == id) {
                                h.wrap("p", &[("class", "card"), ("role", "status"), ("data-testid", "ack-state")], |h| {
                                    h.text(if k.response == AckResponse::Safe { t.ack_safe_sent } else { t.ack_help_sent });
                                    h.text(" ");
                                    saved_line(h, t, rec.sync);
                                });
                            }
                        }
                    },
                });
                show(h)
            }}
            <Show when=move || ui.facts().joined() == Some(false)>
                <a href="/join" class="btn card" data-testid="ack-join">{move || ui.t().words().ack_join}</a>
            </Show>
            <Show when=can_reply>
                <div class="card">
                    <h2>{move || ui.t().ack_title}</h2>
                    <button class="btn btn-primary" on:click=move |_| reply(AckResponse::Safe) data-testid="ack-safe">{move || ui.t().ack_safe}</button>
                    <button class="btn btn-help" on:click=move |_| reply(AckResponse::NeedHelp) data-testid="ack-help">{move || ui.t().ack_help}</button>
                </div>
            </Show>
        </section>
    }
}

/// The alert itself in plain language: what happened, where, what to do, until when, who.
fn alert_article(h: &mut Html, t: &'static crate::i18n::Strings, lang: &str, a: &Alert) {
    let sev = sev_class(a.severity);
    let active = is_active(a, engine::now_ms());
    h.wrap(
        "article",
        &[("class", &format!("alert-detail sev-{sev}"))],
        |h| {
            if is_drill(a) {
                h.el("p", &[("class", "drill drill-band")], t.drill);
            }
            h.wrap("p", &[], |h| {
                h.el(
                    "span",
                    &[("class", &format!("badge sev-{sev}"))],
                    t.severity[super::pos(&SEVERITIES, &a.severity)],
                );
                match a.msg_type {
                    MsgType::Update => {
                        h.el(
                            "span",
                            &[("class", "badge"), ("data-testid", "alert-status")],
                            t.alert_updated,
                        );
                    }
                    MsgType::Cancel => {
                        h.el(
                            "span",
                            &[("class", "badge"), ("data-testid", "alert-status")],
                            t.alert_cancelled,
                        );
                    }
                    MsgType::Alert => {}
                }
                if !active && a.msg_type != MsgType::Cancel {
                    h.el("span", &[("class", "badge")], t.alert_expired);
                }
            });
            h.el("h1", &[], a.headline.get(lang));
            let sections = [
                (
                    t.alert_what,
                    format!("{} — {}", a.event.get(lang), a.description.get(lang)),
                ),
                (t.alert_where, a.area.desc.get(lang).to_owned()),
                (t.alert_todo, a.instruction.get(lang).to_owned()),
                (t.alert_until, local_time(a.expires.unix_ms() as f64)),
                (
                    t.alert_from,
                    format!(
                        "{} · {}",
                        a.sender_name.get(lang),
                        local_time(a.sent.unix_ms() as f64)
                    ),
                ),
            ];
            for (title, text) in sections {
                h.el("h2", &[], title).el_dialable("p", &[], &text);
            }
        },
    );
}

/// Before joining: "your building (optional)", so its and its grid's alerts reach this phone
/// too. The list comes from the platform and is kept for offline use.
#[component]
fn BuildingPicker() -> impl IntoView {
    use linli_protocol::sync::PublicBuildings;
    let ui = use_ui();
    let sync = use_sync();
    let list = RwSignal::new(None::<PublicBuildings>);
    let picked = RwSignal::new(String::new());
    leptos::task::spawn_local(async move {
        let s = crate::data::service(sync).await;
        picked.set(
            s.store
                .meta(keys::PUBLIC_BUILDING)
                .await
                .ok()
                .flatten()
                .unwrap_or_default(),
        );
        let kept = s.store.meta(keys::PUBLIC_BUILDINGS).await.ok().flatten();
        list.set(kept.as_deref().and_then(from_json));
        if let Some(text) = engine::public_buildings().await {
            if let Some(l) = from_json::<PublicBuildings>(&text) {
                let _ = s.store.set_meta(keys::PUBLIC_BUILDINGS, &text).await;
                list.set(Some(l));
            }
        }
    });
    let pick = move |code: String| {
        let Some(s) = sync.get_value() else { return };
        picked.set(code.clone());
        leptos::task::spawn_local(async move {
            if s.store.pick_public_building(&code).await.is_ok() {
                s.trigger();
            }
        });
    };
    // Drawn at once (its options fill in when the list arrives), so the alerts below it never
    // move down under the reader's eyes.
    move || {
        let t = ui.t();
        let buildings = list.get().map(|l| l.buildings).unwrap_or_default();
        view! {
            <div class="card">
                <label for="public-building">{t.words().public_building}</label>
                <p class="hint" id="public-building-hint">{t.words().public_building_hint}</p>
                <select id="public-building" aria-describedby="public-building-hint" data-testid="public-building"
                    on:change=move |ev| pick(event_target_value(&ev))>
                    <option value="" selected=picked.get_untracked().is_empty()>{t.words().public_building_none}</option>
                    {buildings.into_iter().map(|b| {
                        let selected = picked.get_untracked() == b.code;
                        view! { <option value=b.code.clone() selected=selected>{format!("{} ({})", b.name, b.code)}</option> }
                    }).collect_view()}
                </select>
            </div>
        }
    }
}

/// Notification permission, asked in context (on the Alerts screen, after a tap), never on load.
/// `state` is [`permission_signal`]'s.
#[component]
fn NotifyOffer(state: RwSignal<Option<Option<String>>>) -> impl IntoView {
    let ui = use_ui();
    let slot = use_sync();
    let ask = move |_| {
        leptos::task::spawn_local(async move {
            let answer = request_notifications().await;
            let granted = answer.as_deref() == Some("granted");
            state.set(Some(answer));
            // Serious alerts then also reach the phone while the app is closed.
            if granted {
                crate::webpush::renew(slot, ui.lang.get_untracked().tag()).await;
            }
        });
    };
    view! {
        {move || {
            let t = ui.t();
            (state.get().flatten().as_deref() == Some("default")).then(|| view! {
                <div class="card">
                    <p>{t.notify_offer}</p>
                    <button class="btn" on:click=ask data-testid="notify-allow">{t.notify_allow}</button>
                </div>
            })
        }}
    }
}

/// `granted`, `denied`, `default`, or `None` where the browser has no notifications.
pub fn notification_permission() -> Option<String> {
    let n = js_sys::Reflect::get(&js_sys::global(), &"Notification".into()).ok()?;
    if n.is_undefined() {
        return None;
    }
    js_sys::Reflect::get(&n, &"permission".into())
        .ok()?
        .as_string()
}

/// The notification permission as [`notification_permission`] gives it, read without blocking:
/// `Notification.permission` is a synchronous call to the browser process on every read (2–9 ms
/// of a deep link's first screen task in profiles, more on a busy phone), the Permissions API
/// answers asynchronously. Where it does not know notifications, the synchronous read.
async fn notification_state() -> Option<String> {
    use wasm_bindgen::JsCast;
    let global = js_sys::global();
    if js_sys::Reflect::get(&global, &"Notification".into())
        .ok()?
        .is_undefined()
    {
        return None;
    }
    let asked = async {
        let navigator = js_sys::Reflect::get(&global, &"navigator".into()).ok()?;
        let permissions = js_sys::Reflect::get(&navigator, &"permissions".into()).ok()?;
        let query = js_sys::Reflect::get(&permissions, &"query".into())
            .ok()?
            .dyn_into::<js_sys::Function>()
            .ok()?;
        let what = js_sys::Object::new();
        js_sys::Reflect::set(&what, &"name".into(), &"notifications".into()).ok()?;
        let status = query
            .call1(&permissions, &what)
            .ok()?
            .dyn_into::<js_sys::Promise>()
            .ok()?;
        let status = wasm_bindgen_futures::JsFuture::from(status).await.ok()?;
        let state = js_sys::Reflect::get(&status, &"state".into())
            .ok()?
            .as_string()?;
        // The Permissions API says "prompt" where `Notification.permission` says "default".
        Some(if state == "prompt" {
            "default".to_owned()
        } else {
            state
        })
    };
    asked.await.or_else(notification_permission)
}

thread_local! {
    /// The notification permission this page last learnt, so that a screen opened again draws
    /// at once instead of showing "loading" while the browser answers.
    static PERMISSION: std::cell::RefCell<Option<Option<String>>> =
        const { std::cell::RefCell::new(None) };
}

fn remember(state: &Option<String>) {
    PERMISSION.with(|p| *p.borrow_mut() = Some(state.clone()));
}

/// A signal holding the notification permission: `None` until it is known. It starts from the
/// last answer this page had (then checks again), and the synchronous read answers after
/// 300 ms if the Permissions API has not: a promise that never settles must not leave a screen
/// on "loading".
pub fn permission_signal() -> RwSignal<Option<Option<String>>> {
    let state = RwSignal::new(PERMISSION.with(|p| p.borrow().clone()));
    let settle = move |answer: Option<String>| {
        remember(&answer);
        // Only a change draws again (More draws its whole page from it).
        if state
            .try_get_untracked()
            .is_some_and(|s| s.as_ref() != Some(&answer))
        {
            state.try_set(Some(answer));
        }
    };
    leptos::task::spawn_local(async move { settle(notification_state().await) });
    leptos::task::spawn_local(async move {
        gloo_timers::future::TimeoutFuture::new(300).await;
        if state.try_get_untracked() == Some(None) {
            settle(notification_permission());
        }
    });
    state
}

/// Asks for notification permission; returns the new state.
pub async fn request_notifications() -> Option<String> {
    use wasm_bindgen::JsCast;
    let n = js_sys::Reflect::get(&js_sys::global(), &"Notification".into()).ok()?;
    let f = js_sys::Reflect::get(&n, &"requestPermission".into())
        .ok()?
        .dyn_into::<js_sys::Function>()
        .ok()?;
    let p = f.call0(&n).ok()?.dyn_into::<js_sys::Promise>().ok()?;
    let answer = wasm_bindgen_futures::JsFuture::from(p)
        .await
        .ok()?
        .as_string();
    remember(&answer);
    answer
}

/// Shows a system notification (through the service worker where there is one), tagged with
/// the alert like the service worker's push notifications, so one alert shows once.
fn notify(id: &str, title: &str, body: &str) {
    let options = js_sys::Object::new();
    let _ = js_sys::Reflect::set(&options, &"body".into(), &body.into());
    let tag = String::from("alert-") + id;
    let _ = js_sys::Reflect::set(&options, &"tag".into(), &tag.into());
    let _ = js_sys::Reflect::set(&options, &"icon".into(), &"/icons/icon-192.png".into());
    let title = title.to_owned();
    leptos::task::spawn_local(async move {
        let Some(sw) = web_sys::window().map(|w| w.navigator().service_worker()) else {
            return;
        };
        if let Ok(ready) = sw.ready() {
            if let Ok(reg) = wasm_bindgen_futures::JsFuture::from(ready).await {
                if let Ok(show) = js_sys::Reflect::get(&reg, &"showNotification".into()) {
                    use wasm_bindgen::JsCast;
                    if let Ok(f) = show.dyn_into::<js_sys::Function>() {
                        let _ = f.call2(&reg, &title.into(), &options);
                    }
                }
            }
        }
    });
}

/// After every sync: a new active alert of moderate severity or above gets the banner, and a
/// system notification if the resident allowed them. Announced ids are remembered.
pub fn watch_new_alerts() {
    let ui = use_ui();
    let slot = use_sync();
    Effect::new(move |_| {
        ui.sync.with(|s| s.last_sync_ms);
        let Some(s) = slot.get_value() else { return };
        let lang = ui.lang.get_untracked().tag();
        leptos::task::spawn_local(async move {
            let alerts = load_alerts(&s).await;
            let seen_json = s.store.meta(keys::SEEN_ALERTS).await.ok().flatten();
            let mut seen: Vec<String> =
                seen_json.as_deref().and_then(from_json).unwrap_or_default();
            let now = engine::now_ms();
            let mut fresh: Vec<&(String, Alert)> = alerts
                .iter()
                .filter(|(id, a)| deserves_notice(a, now) && !seen.contains(id))
                .collect();
            if fresh.is_empty() {
                return;
            }
            crate::ordering::sort_by_rank(&mut fresh, |(_, a)| {
                (
                    -i64::from(crate::domain::alerts::severity_rank(a.severity)),
                    0,
                )
            });
            let (id, a) = fresh[0];
            ui.alert_banner
                .set(Some((id.clone(), a.headline.get(lang).to_owned())));
            if notification_permission().as_deref() == Some("granted") {
                notify(id, a.headline.get(lang), a.instruction.get(lang));
            }
            seen.extend(fresh.iter().map(|(id, _)| id.clone()));
            if let Some(json) = to_json(&seen) {
                let _ = s.store.set_meta(keys::SEEN_ALERTS, &json).await;
            }
        });
    });
}
