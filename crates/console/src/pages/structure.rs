//! The community's structure: grids, buildings and each grid's "1 + 1 + x" teams; admins add
//! grids and buildings and import a CSV; grid workers add their grids' teams.

use crate::api::{self, ApiError};
use crate::{ui, use_lang, use_session};
use leptos::prelude::*;
use linli_protocol::structure::{Buildings, Grids, ImportSummary, TeamKind, Teams};

#[component]
pub fn Structure() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let t = move || lang.t();
    let grids = LocalResource::new(|| api::get::<Grids>("/api/v1/staff/grids"));
    let buildings = LocalResource::new(|| api::get::<Buildings>("/api/v1/staff/buildings"));
    let teams = LocalResource::new(|| api::get::<Teams>("/api/v1/staff/teams"));
    let reload = move || {
        grids.refetch();
        buildings.refetch();
        teams.refetch();
    };
    view! {
        <h1>{move || t().structure_title}</h1>
        <section aria-labelledby="grids-h">
            <h2 id="grids-h">{move || t().grids}</h2>
            {move || match grids.get() {
                None => view! { <p role="status">{t().loading}</p> }.into_any(),
                Some(Err(e)) => view! { <ui::ErrorLine error=e/> }.into_any(),
                Some(Ok(g)) => view! {
                    <table data-testid="grids">
                        <thead><tr><th scope="col">{t().code}</th><th scope="col">{t().name}</th></tr></thead>
                        <tbody>{g.items.into_iter().map(|g| view! { <tr><td>{g.code}</td><td>{g.name.as_str().to_owned()}</td></tr> }).collect_view()}</tbody>
                    </table>
                }.into_any(),
            }}
            <Show when=move || session.is_admin()>
                <SimpleForm
                    id="grid"
                    fields=vec![("code", |t: &crate::i18n::Texts| t.code), ("name", |t: &crate::i18n::Texts| t.name)]
                    path="/api/v1/staff/grids"
                    to_body=|v: &[String]| serde_json::json!({"code": v[0], "name": v[1]})
                    on_done=reload
                />
            </Show>
        </section>
        <section aria-labelledby="buildings-h">
            <h2 id="buildings-h">{move || t().buildings}</h2>
            {move || match buildings.get() {
                None => view! { <p role="status">{t().loading}</p> }.into_any(),
                Some(Err(e)) => view! { <ui::ErrorLine error=e/> }.into_any(),
                Some(Ok(b)) => view! {
                    <table data-testid="buildings">
                        <thead><tr>
                            <th scope="col">{t().code}</th><th scope="col">{t().name}</th><th scope="col">{t().grid}</th>
                            <th scope="col">{t().address}</th><th scope="col">{t().units}</th>
                        </tr></thead>
                        <tbody>{b.items.into_iter().map(|b| view! {
                            <tr><td>{b.code}</td><td>{b.name.as_str().to_owned()}</td><td>{b.grid}</td><td>{b.address.as_str().to_owned()}</td><td>{b.units}</td></tr>
                        }).collect_view()}</tbody>
                    </table>
                }.into_any(),
            }}
            <Show when=move || session.is_admin()>
                <SimpleForm
                    id="building"
                    fields=vec![("code", |t: &crate::i18n::Texts| t.code), ("name", |t: &crate::i18n::Texts| t.name), ("grid", |t: &crate::i18n::Texts| t.grid), ("address", |t: &crate::i18n::Texts| t.address), ("units", |t: &crate::i18n::Texts| t.units)]
                    path="/api/v1/staff/buildings"
                    to_body=|v: &[String]| serde_json::json!({"code": v[0], "name": v[1], "grid": v[2], "address": v[3], "units": v[4].trim().parse::<u32>().unwrap_or(0)})
                    on_done=reload
                />
            </Show>
        </section>
        <section aria-labelledby="teams-h">
            <h2 id="teams-h">{move || t().teams}</h2>
            {move || match teams.get() {
                None => view! { <p role="status">{t().loading}</p> }.into_any(),
                Some(Err(e)) => view! { <ui::ErrorLine error=e/> }.into_any(),
                Some(Ok(list)) => view! {
                    <table data-testid="teams">
                        <thead><tr>
                            <th scope="col">{t().grid}</th><th scope="col">{t().kind}</th><th scope="col">{t().name}</th>
                            <th scope="col">{t().contact}</th><th scope="col">{t().phone}</th>
                        </tr></thead>
                        <tbody>{list.items.into_iter().map(|m| view! {
                            <tr><td>{m.grid}</td><td>{move || t().team_kind(m.kind)}</td><td>{m.name}</td><td>{m.contact_name}</td><td>{m.contact_phone}</td></tr>
                        }).collect_view()}</tbody>
                    </table>
                }.into_any(),
            }}
            <TeamForm on_done=reload/>
        </section>
        <Show when=move || session.is_admin()>
            <Import on_done=reload/>
        </Show>
    }
}

type Label = fn(&crate::i18n::Texts) -> &'static str;

/// A one-line form of text fields that POSTs what `build` makes of them.
#[component]
fn SimpleForm(
    id: &'static str,
    fields: Vec<(&'static str, Label)>,
    path: &'static str,
    to_body: fn(&[String]) -> serde_json::Value,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let t = move || lang.t();
    let values = RwSignal::new(vec![String::new(); fields.len()]);
    let message = RwSignal::new(None::<Result<(), String>>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = to_body(&values.get_untracked());
        leptos::task::spawn_local(async move {
            match api::send::<_, serde_json::Value>("POST", path, Some(&body)).await {
                Ok(_) => {
                    values.update(|v| v.iter_mut().for_each(String::clear));
                    message.set(Some(Ok(())));
                    on_done();
                }
                Err(e) => {
                    session.failed(&e);
                    message.set(Some(Err(e.message(lang.t()))));
                }
            }
        });
    };
    view! {
        <form class="inline" on:submit=submit data-testid=format!("add-{id}")>
            {fields.into_iter().enumerate().map(|(i, (name, label))| {
                let input_id = format!("{id}-{name}");
                view! {
                    <span class="field">
                        <label for=input_id.clone()>{move || label(t())}</label>
                        <input id=input_id data-testid=format!("{id}-{name}") prop:value=move || values.get()[i].clone()
                            on:input=move |ev| { let v = event_target_value(&ev); values.update(|vals| vals[i] = v); }/>
                    </span>
                }
            }).collect_view()}
            <button type="submit">{move || t().add}</button>
            <span role="status">{move || message.get().map(|m| match m {
                Ok(()) => view! { <span class="ok">{t().saved}</span> }.into_any(),
                Err(e) => view! { <span class="error">{e}</span> }.into_any(),
            })}</span>
        </form>
    }
}

#[component]
fn TeamForm(on_done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let t = move || lang.t();
    let grid = RwSignal::new(
        session
            .account()
            .and_then(|a| a.grids.first().cloned())
            .unwrap_or_default(),
    );
    let kind = RwSignal::new(TeamKind::VolunteerTeam.as_str().to_owned());
    let name = RwSignal::new(String::new());
    let contact = RwSignal::new(String::new());
    let phone = RwSignal::new(String::new());
    let message = RwSignal::new(None::<Result<(), String>>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = serde_json::json!({"grid": grid.get_untracked(), "kind": kind.get_untracked(), "name": name.get_untracked(),
            "contact_name": contact.get_untracked(), "contact_phone": phone.get_untracked()});
        leptos::task::spawn_local(async move {
            match api::send::<_, serde_json::Value>("POST", "/api/v1/staff/teams", Some(&body))
                .await
            {
                Ok(_) => {
                    name.set(String::new());
                    message.set(Some(Ok(())));
                    on_done();
                }
                Err(e) => {
                    session.failed(&e);
                    message.set(Some(Err(e.message(lang.t()))));
                }
            }
        });
    };
    let text = move |id: &'static str, label: Label, value: RwSignal<String>| {
        view! {
            <span class="field">
                <label for=id>{move || label(t())}</label>
                <input id=id data-testid=id prop:value=value on:input=move |ev| value.set(event_target_value(&ev))/>
            </span>
        }
    };
    view! {
        <form class="inline" on:submit=submit aria-label=move || t().add_team>
            {text("team-grid", |t| t.grid, grid)}
            <span class="field">
                <label for="team-kind">{move || t().kind}</label>
                <select id="team-kind" on:change=move |ev| kind.set(event_target_value(&ev))>
                    {TeamKind::ALL.into_iter().map(|k| view! {
                        <option value=k.as_str() selected=move || kind.get() == k.as_str()>{move || t().team_kind(k)}</option>
                    }).collect_view()}
                </select>
            </span>
            {text("team-name", |t| t.name, name)}
            {text("team-contact", |t| t.contact, contact)}
            {text("team-phone", |t| t.phone, phone)}
            <button type="submit">{move || t().add_team}</button>
            <span role="status">{move || message.get().map(|m| match m {
                Ok(()) => view! { <span class="ok">{t().saved}</span> }.into_any(),
                Err(e) => view! { <span class="error">{e}</span> }.into_any(),
            })}</span>
        </form>
    }
}

/// Upload a structure CSV; the platform imports all of it or nothing, naming the bad line.
#[component]
fn Import(on_done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let t = move || lang.t();
    let message = RwSignal::new(None::<Result<ImportSummary, String>>);
    let input = NodeRef::<leptos::html::Input>::new();
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(file) = input.get().and_then(|i| i.files()).and_then(|f| f.get(0)) else {
            message.set(Some(Err(lang.t().field_required.into())));
            return;
        };
        leptos::task::spawn_local(async move {
            let text = wasm_bindgen_futures::JsFuture::from(file.text()).await;
            let Some(text) = text.ok().and_then(|t| t.as_string()) else {
                message.set(Some(Err(lang.t().error_network.into())));
                return;
            };
            // The browser reads the file as UTF-8 and replaces what is not; a GBK or Big5 file
            // (Excel's default on Chinese Windows) would import as garbled names.
            if text.contains('\u{FFFD}') {
                message.set(Some(Err(lang.t().csv_not_utf8.into())));
                return;
            }
            match api::post_text::<ImportSummary>(
                "/api/v1/staff/structure/import",
                "text/csv",
                text,
            )
            .await
            {
                Ok(s) => {
                    message.set(Some(Ok(s)));
                    on_done();
                }
                Err(e) => {
                    session.failed(&e);
                    message.set(Some(Err(match e {
                        ApiError::Refused(_, m) => m,
                        other => other.message(lang.t()),
                    })));
                }
            }
        });
    };
    view! {
        <section aria-labelledby="import-h" class="card">
            <h2 id="import-h">{move || t().import_title}</h2>
            <p class="hint">{move || t().import_hint}</p>
            <form on:submit=submit>
                <label for="import-file">{move || t().import_file}</label>
                <input id="import-file" type="file" accept=".csv,text/csv" node_ref=input data-testid="import-file"/>
                <button type="submit" data-testid="import-submit">{move || t().import_button}</button>
            </form>
            <div role="status" aria-live="polite" data-testid="import-result">
                {move || message.get().map(|m| match m {
                    Ok(s) => view! { <p class="ok">{format!("{}{} {} / {} {} / {} {}", t().imported, s.grids, t().grids, s.buildings, t().buildings, s.teams, t().teams)}</p> }.into_any(),
                    Err(e) => view! { <p class="error">{e}</p> }.into_any(),
                })}
            </div>
        </section>
    }
}
