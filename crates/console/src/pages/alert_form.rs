//! Publishing an alert: the three languages side by side, the area by grids and buildings, the
//! drill flag and how long it holds, a preview of the phone's card, and one confirmation that
//! says how many buildings it goes to.

use crate::api;
use crate::i18n::{Lang, Texts};
use crate::model::{buildings_reached, AlertDraft, FormError, Tri};
use crate::{ui, use_lang, use_session};
use leptos::prelude::*;
use leptos_router::hooks::use_navigate;
use linli_protocol::published::Severity;
use linli_protocol::structure::{Buildings, Grids};

const SEVERITIES: [Severity; 4] = [
    Severity::Extreme,
    Severity::Severe,
    Severity::Moderate,
    Severity::Minor,
];

/// A new alert.
#[component]
pub fn AlertForm() -> impl IntoView {
    view! { <AlertFormBody initial=AlertDraft::default() editing=None/> }
}

/// An update of a published alert (CAP `Update`): the form filled from it.
#[component]
pub fn AlertEdit() -> impl IntoView {
    let lang = use_lang();
    let t = move || lang.t();
    let params = leptos_router::hooks::use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let alert = LocalResource::new(move || {
        let id = id();
        async move {
            api::get::<linli_protocol::staff::StaffAlerts>("/api/v1/staff/alerts")
                .await
                .map(|l| l.items.into_iter().find(|i| i.id == id))
        }
    });
    view! {
        {move || match alert.get() {
            None => view! { <p role="status">{t().loading}</p> }.into_any(),
            Some(Err(e)) => view! { <ui::ErrorLine error=e/> }.into_any(),
            Some(Ok(None)) => view! { <p>{t().not_found}</p> }.into_any(),
            Some(Ok(Some(item))) => view! {
                <AlertFormBody initial=AlertDraft::from_alert(&item.alert, ui::now_ms()) editing=Some(item.id)/>
            }.into_any(),
        }}
    }
}

#[component]
fn AlertFormBody(initial: AlertDraft, editing: Option<String>) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let t = move || lang.t();
    let draft = RwSignal::new(initial);
    let editing = StoredValue::new(editing);
    let error = RwSignal::new(None::<FormError>);
    let confirming = RwSignal::new(false);
    let busy = RwSignal::new(false);
    let grids = LocalResource::new(|| api::get::<Grids>("/api/v1/staff/grids"));
    let buildings = LocalResource::new(|| api::get::<Buildings>("/api/v1/staff/buildings"));
    let all_buildings = move || {
        buildings
            .get()
            .and_then(|r| r.ok())
            .map(|b| b.items)
            .unwrap_or_default()
    };
    let reached = move || {
        let d = draft.get();
        buildings_reached(&all_buildings(), &d.grids, &d.buildings)
    };
    let navigate = use_navigate();

    // A grid worker publishes only within their grids: an empty area (the whole community) is
    // an admin's.
    let worker_without_area = move || {
        let d = draft.get_untracked();
        !session.is_admin() && d.grids.is_empty() && d.buildings.is_empty()
    };
    let check = move || match draft
        .get_untracked()
        .to_input(lang.t(), ui::now_ms())
        .and_then(|i| {
            if worker_without_area() {
                Err(FormError {
                    field: "area_desc",
                    message: lang.t().area_needed.into(),
                })
            } else {
                Ok(i)
            }
        }) {
        Ok(_) => {
            error.set(None);
            confirming.set(true);
        }
        Err(e) => {
            error.set(Some(e.clone()));
            if let Some(el) = document()
                .get_element_by_id(&format!("{}-0", e.field))
                .or_else(|| document().get_element_by_id(e.field))
            {
                use wasm_bindgen::JsCast;
                if let Ok(el) = el.dyn_into::<web_sys::HtmlElement>() {
                    let _ = el.focus();
                }
            }
        }
    };
    let publish = move |_| {
        let Ok(input) = draft.get_untracked().to_input(lang.t(), ui::now_ms()) else {
            confirming.set(false);
            return;
        };
        busy.set(true);
        let navigate = navigate.clone();
        let (method, path) = match editing.get_value() {
            Some(id) => (
                "PUT",
                format!("/api/v1/staff/alerts/{}", crate::model::encode(&id)),
            ),
            None => ("POST", "/api/v1/staff/alerts".to_owned()),
        };
        leptos::task::spawn_local(async move {
            match api::send::<_, linli_protocol::sync::CreatedResponse>(method, &path, Some(&input))
                .await
            {
                // An absolute path, taken as it is (resolving would put the base in twice).
                Ok(created) => navigate(
                    &format!("/console/alerts/{}", created.id),
                    leptos_router::NavigateOptions {
                        resolve: false,
                        ..Default::default()
                    },
                ),
                Err(e) => {
                    session.failed(&e);
                    error.set(Some(FormError {
                        field: "area_desc",
                        message: e.message(lang.t()),
                    }));
                    confirming.set(false);
                }
            }
            busy.set(false);
        });
    };

    let tri = move |field: &'static str,
                    label: fn(&Texts) -> &'static str,
                    get: fn(&AlertDraft) -> &Tri,
                    set: fn(&mut AlertDraft) -> &mut Tri,
                    multiline: bool| {
        let invalid = move || error.get().is_some_and(|e| e.field == field);
        view! {
            <fieldset class="tri" aria-invalid=move || invalid().to_string()>
                <legend>{move || label(t())}</legend>
                {Lang::ALL.into_iter().enumerate().map(|(i, l)| {
                    let id = format!("{field}-{i}");
                    let value = move || get(&draft.get()).0[i].clone();
                    let input = move |ev| { let v = event_target_value(&ev); draft.update(|d| set(d).0[i] = v); };
                    view! {
                        <div>
                            <label for=id.clone()>{l.name()}</label>
                            {if multiline {
                                view! { <textarea id=id.clone() lang=l.tag() data-testid=id.clone() prop:value=value on:input=input></textarea> }.into_any()
                            } else {
                                view! { <input id=id.clone() lang=l.tag() data-testid=id.clone() prop:value=value on:input=input/> }.into_any()
                            }}
                        </div>
                    }
                }).collect_view()}
                {move || error.get().filter(|e| e.field == field).map(|e| view! { <p class="error" role="alert">{e.message}</p> })}
            </fieldset>
        }
    };

    view! {
        <h1>{move || if editing.get_value().is_some() { t().alert_edit_title } else { t().alert_form_title }}</h1>
        <div class="columns wide-left">
            <form class="alert-form" on:submit=move |ev| { ev.prevent_default(); check(); }>
                {tri("headline", |t| t.headline, |d| &d.headline, |d| &mut d.headline, false)}
                {tri("event", |t| t.event, |d| &d.event, |d| &mut d.event, false)}
                {tri("description", |t| t.description, |d| &d.description, |d| &mut d.description, true)}
                {tri("instruction", |t| t.instruction, |d| &d.instruction, |d| &mut d.instruction, true)}
                {tri("sender", |t| t.sender_name, |d| &d.sender, |d| &mut d.sender, false)}
                <label for="severity">{move || t().severity}</label>
                <select id="severity" data-testid="severity" on:change=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.severity = v); }>
                    {SEVERITIES.into_iter().map(|s| {
                        let v = super::queue::wire(s);
                        let selected = { let v = v.clone(); move || draft.get().severity == v };
                        view! { <option value=v selected=selected>{move || t().severity(s)}</option> }
                    }).collect_view()}
                </select>
                <fieldset class="area">
                    <legend>{move || t().area}</legend>
                    <p class="hint">{move || if session.is_admin() { t().area_hint } else { t().area_hint_worker }}</p>
                    <div class="choices">
                        {move || grids.get().and_then(|r| r.ok()).map(|g| g.items.into_iter().map(|g| {
                            let code = g.code.clone();
                            let checked = { let code = code.clone(); move || draft.get().grids.contains(&code) };
                            view! {
                                <label class="check">
                                    <input type="checkbox" data-testid=format!("area-grid-{}", g.code) prop:checked=checked on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        let code = code.clone();
                                        draft.update(|d| { d.grids.retain(|c| *c != code); if on { d.grids.push(code); } });
                                    }/>
                                    {format!("{} {}", g.code, g.name.as_str())}
                                </label>
                            }
                        }).collect_view())}
                    </div>
                    <div class="choices">
                        {move || all_buildings().into_iter().map(|b| {
                            let code = b.code.clone();
                            let checked = { let code = code.clone(); move || draft.get().buildings.contains(&code) };
                            view! {
                                <label class="check">
                                    <input type="checkbox" data-testid=format!("area-building-{}", b.code) prop:checked=checked on:change=move |ev| {
                                        let on = event_target_checked(&ev);
                                        let code = code.clone();
                                        draft.update(|d| { d.buildings.retain(|c| *c != code); if on { d.buildings.push(code); } });
                                    }/>
                                    {format!("{} {}", b.code, b.name.as_str())}
                                </label>
                            }
                        }).collect_view()}
                    </div>
                </fieldset>
                {tri("area_desc", |t| t.area_desc, |d| &d.area_desc, |d| &mut d.area_desc, false)}
                <label class="check">
                    <input type="checkbox" data-testid="drill" prop:checked=move || draft.get().drill on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| d.drill = on); }/>
                    {move || t().is_drill}
                </label>
                <label class="check">
                    <input type="checkbox" data-testid="notify" prop:checked=move || draft.get().notify on:change=move |ev| { let on = event_target_checked(&ev); draft.update(|d| d.notify = on); }/>
                    {move || t().notify_phones}
                </label>
                <label for="hours">{move || t().expires_in_hours}</label>
                <input id="hours" data-testid="hours" inputmode="numeric" prop:value=move || draft.get().hours on:input=move |ev| { let v = event_target_value(&ev); draft.update(|d| d.hours = v); }/>
                {move || error.get().filter(|e| e.field == "hours").map(|e| view! { <p class="error" role="alert">{e.message}</p> })}
                <Show when=move || confirming.get() fallback=move || view! {
                    <button type="submit" class="primary" data-testid="publish">{t().publish}</button>
                }>
                    <div class="confirm" role="alertdialog" aria-labelledby="confirm-publish">
                        <p id="confirm-publish" data-testid="confirm-text">{move || (t().confirm_publish)(reached())}</p>
                        <button type="button" class="primary" data-testid="confirm-publish" disabled=busy on:click=publish.clone()>{t().publish}</button>
                        <button type="button" on:click=move |_| confirming.set(false)>{t().cancel}</button>
                    </div>
                </Show>
            </form>
            <Preview draft=draft/>
        </div>
    }
}

/// The alert as the phone's card shows it, in the console's language.
#[component]
fn Preview(draft: RwSignal<AlertDraft>) -> impl IntoView {
    let lang = use_lang();
    let t = move || lang.t();
    let d = move || draft.get();
    view! {
        <aside class="preview" aria-labelledby="preview-title">
            <h2 id="preview-title">{move || t().preview}</h2>
            <p class="hint">{move || t().preview_hint}</p>
            <div class="phone" data-testid="preview">
                <article class=move || format!("alert-card sev-{}", d().severity)>
                    <Show when=move || d().drill>
                        <p class="drill-band">{move || t().drill}</p>
                    </Show>
                    <p class="sev">{move || t().severity(d().severity())}</p>
                    <h3 lang=move || lang.0.get().tag()>{move || d().headline.show(lang.0.get()).to_owned()}</h3>
                    <p>{move || d().description.show(lang.0.get()).to_owned()}</p>
                    <p><strong>{move || d().instruction.show(lang.0.get()).to_owned()}</strong></p>
                    <p class="muted">{move || d().sender.show(lang.0.get()).to_owned()}</p>
                </article>
            </div>
        </aside>
    }
}
