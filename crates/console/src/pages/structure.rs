//! The community's structure: grids, buildings and each grid's "1 + 1 + x" teams; admins add
//! and change grids and buildings and import a CSV; grid workers add and change their grids'
//! teams.

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
    // What each form holds, so that a row's "Edit" can fill it.
    let grid_form = FormState::new(2);
    let building_form = FormState::new(5);
    let team_form = TeamState::new(
        session
            .account()
            .and_then(|a| a.grids.first().cloned())
            .unwrap_or_default(),
    );
    let admin = move || session.is_admin();
    view! {
        <h1>{move || t().structure_title}</h1>
        <section aria-labelledby="grids-h">
            <h2 id="grids-h">{move || t().grids}</h2>
            {move || match grids.get() {
                None => view! { <p role="status">{t().loading}</p> }.into_any(),
                Some(Err(e)) => view! { <ui::ErrorLine error=e/> }.into_any(),
                Some(Ok(g)) => view! {
                    <table data-testid="grids">
                        <thead><tr><th scope="col">{t().code}</th><th scope="col">{t().name}</th><th scope="col"><span class="visually-hidden">{t().edit}</span></th></tr></thead>
                        <tbody>{g.items.into_iter().map(|g| {
                            let values = StoredValue::new(vec![g.code.clone(), g.name.as_str().to_owned()]);
                            view! {
                                <tr>
                                    <td>{g.code.clone()}</td><td>{g.name.as_str().to_owned()}</td>
                                    <td><Show when=admin><EditButton label=g.code.clone() on_click=move || grid_form.edit(values.get_value())/></Show></td>
                                </tr>
                            }
                        }).collect_view()}</tbody>
                    </table>
                }.into_any(),
            }}
            <Show when=move || session.is_admin()>
                <SimpleForm
                    id="grid"
                    fields=vec![("code", |t: &crate::i18n::Texts| t.code), ("name", |t: &crate::i18n::Texts| t.name)]
                    path="/api/v1/staff/grids"
                    to_body=|v: &[String]| serde_json::json!({"code": v[0], "name": v[1]})
                    state=grid_form
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
                            <th scope="col"><span class="visually-hidden">{t().edit}</span></th>
                        </tr></thead>
                        <tbody>{b.items.into_iter().map(|b| {
                            let values = StoredValue::new(vec![b.code.clone(), b.name.as_str().to_owned(), b.grid.clone(), b.address.as_str().to_owned(), b.units.to_string()]);
                            let volunteers_href = format!("/console/buildings/{}/volunteers", crate::model::encode(&b.code));
                            let volunteers_of = format!(" {}", b.code);
                            view! {
                                <tr>
                                    <td>{b.code.clone()}</td><td>{b.name.as_str().to_owned()}</td><td>{b.grid.clone()}</td><td>{b.address.as_str().to_owned()}</td><td>{b.units}</td>
                                    <td>
                                        <a href=volunteers_href data-testid="building-volunteers">
                                            {move || t().volunteers_link}<span class="visually-hidden">{volunteers_of}</span>
                                        </a>
                                        " "
                                        <Show when=admin><EditButton label=b.code.clone() on_click=move || building_form.edit(values.get_value())/></Show>
                                    </td>
                                </tr>
                            }
                        }).collect_view()}</tbody>
                    </table>
                }.into_any(),
            }}
            <Show when=move || session.is_admin()>
                <SimpleForm
                    id="building"
                    fields=vec![("code", |t: &crate::i18n::Texts| t.code), ("name", |t: &crate::i18n::Texts| t.name), ("grid", |t: &crate::i18n::Texts| t.grid), ("address", |t: &crate::i18n::Texts| t.address), ("units", |t: &crate::i18n::Texts| t.units)]
                    path="/api/v1/staff/buildings"
                    to_body=|v: &[String]| serde_json::json!({"code": v[0], "name": v[1], "grid": v[2], "address": v[3], "units": units(&v[4])})
                    state=building_form
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
                            <th scope="col"><span class="visually-hidden">{t().edit}</span></th>
                        </tr></thead>
                        <tbody>{list.items.into_iter().map(|m| {
                            let item = m.clone();
                            view! {
                                <tr>
                                    <td>{m.grid}</td><td>{move || t().team_kind(m.kind)}</td><td>{m.name.clone()}</td><td>{m.contact_name}</td><td>{m.contact_phone}</td>
                                    <td><EditButton label=m.name on_click=move || team_form.edit(&item)/></td>
                                </tr>
                            }
                        }).collect_view()}</tbody>
                    </table>
                }.into_any(),
            }}
            <TeamForm state=team_form on_done=reload/>
        </section>
        <Show when=move || session.is_admin()>
            <Import on_done=reload/>
        </Show>
    }
}

type Label = fn(&crate::i18n::Texts) -> &'static str;

/// The units field as a number; anything else goes to the platform as typed, which refuses it
/// naming `units` (a typo must not become 0).
fn units(v: &str) -> serde_json::Value {
    match v.trim() {
        "" => 0.into(),
        n => n.parse::<u32>().map_or_else(|_| n.into(), Into::into),
    }
}

/// What a grid or building form holds, and which existing row it is editing (its code).
#[derive(Clone, Copy)]
struct FormState {
    values: RwSignal<Vec<String>>,
    editing: RwSignal<Option<String>>,
}

impl FormState {
    fn new(fields: usize) -> FormState {
        FormState {
            values: RwSignal::new(vec![String::new(); fields]),
            editing: RwSignal::new(None),
        }
    }
    /// Fills the form from a row (its code first) to change it.
    fn edit(&self, values: Vec<String>) {
        self.editing.set(values.first().cloned());
        self.values.set(values);
    }
    fn clear(&self) {
        self.editing.set(None);
        self.values.update(|v| v.iter_mut().for_each(String::clear));
    }
}

/// "Edit" on a table row; its accessible name says which row.
#[component]
fn EditButton(label: String, on_click: impl Fn() + 'static) -> impl IntoView {
    let lang = use_lang();
    view! {
        <button type="button" class="small" data-testid="edit-row" on:click=move |_| on_click()>
            {move || lang.t().edit}<span class="visually-hidden">{format!(" {label}")}</span>
        </button>
    }
}

/// A one-line form of text fields: adds a row (POST), or, filled by a row's "Edit", changes it
/// (PUT to `path/{code}`; the code cannot change).
#[component]
fn SimpleForm(
    id: &'static str,
    fields: Vec<(&'static str, Label)>,
    path: &'static str,
    to_body: fn(&[String]) -> serde_json::Value,
    state: FormState,
    on_done: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let t = move || lang.t();
    let values = state.values;
    let message = RwSignal::new(None::<Result<(), String>>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = to_body(&values.get_untracked());
        let (method, url) = match state.editing.get_untracked() {
            Some(code) => ("PUT", format!("{path}/{}", crate::model::encode(&code))),
            None => ("POST", path.to_owned()),
        };
        leptos::task::spawn_local(async move {
            match api::send::<_, serde_json::Value>(method, &url, Some(&body)).await {
                Ok(_) => {
                    state.clear();
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
                // The code is what the row is known by: fixed while editing.
                let locked = move || i == 0 && state.editing.get().is_some();
                view! {
                    <span class="field">
                        <label for=input_id.clone()>{move || label(t())}</label>
                        <input id=input_id data-testid=format!("{id}-{name}") prop:value=move || values.get()[i].clone()
                            readonly=locked
                            on:input=move |ev| { let v = event_target_value(&ev); values.update(|vals| vals[i] = v); }/>
                    </span>
                }
            }).collect_view()}
            <button type="submit">{move || if state.editing.get().is_some() { t().save } else { t().add }}</button>
            <Show when=move || state.editing.get().is_some()>
                <button type="button" on:click=move |_| state.clear()>{move || t().cancel}</button>
            </Show>
            <span role="status">{move || message.get().map(|m| match m {
                Ok(()) => view! { <span class="ok">{t().saved}</span> }.into_any(),
                Err(e) => view! { <span class="error">{e}</span> }.into_any(),
            })}</span>
        </form>
    }
}

/// The team form's fields, and which team it is editing.
#[derive(Clone, Copy)]
struct TeamState {
    grid: RwSignal<String>,
    kind: RwSignal<String>,
    name: RwSignal<String>,
    contact: RwSignal<String>,
    phone: RwSignal<String>,
    editing: RwSignal<Option<i64>>,
}

impl TeamState {
    fn new(grid: String) -> TeamState {
        TeamState {
            grid: RwSignal::new(grid),
            kind: RwSignal::new(TeamKind::VolunteerTeam.as_str().to_owned()),
            name: RwSignal::new(String::new()),
            contact: RwSignal::new(String::new()),
            phone: RwSignal::new(String::new()),
            editing: RwSignal::new(None),
        }
    }
    fn edit(&self, t: &linli_protocol::structure::TeamItem) {
        self.grid.set(t.grid.clone());
        self.kind.set(t.kind.as_str().to_owned());
        self.name.set(t.name.clone());
        self.contact.set(t.contact_name.clone());
        self.phone.set(t.contact_phone.clone());
        self.editing.set(Some(t.id));
    }
    fn clear(&self) {
        self.editing.set(None);
        for s in [self.name, self.contact, self.phone] {
            s.set(String::new());
        }
    }
}

#[component]
fn TeamForm(state: TeamState, on_done: impl Fn() + Copy + Send + Sync + 'static) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let t = move || lang.t();
    let TeamState {
        grid,
        kind,
        name,
        contact,
        phone,
        editing,
    } = state;
    let message = RwSignal::new(None::<Result<(), String>>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body = serde_json::json!({"grid": grid.get_untracked(), "kind": kind.get_untracked(), "name": name.get_untracked(),
            "contact_name": contact.get_untracked(), "contact_phone": phone.get_untracked()});
        let (method, url) = match editing.get_untracked() {
            Some(id) => ("PUT", format!("/api/v1/staff/teams/{id}")),
            None => ("POST", "/api/v1/staff/teams".to_owned()),
        };
        leptos::task::spawn_local(async move {
            match api::send::<_, serde_json::Value>(method, &url, Some(&body)).await {
                Ok(_) => {
                    state.clear();
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
            <button type="submit" data-testid="team-submit">{move || if editing.get().is_some() { t().save } else { t().add_team }}</button>
            <Show when=move || editing.get().is_some()>
                <button type="button" on:click=move |_| state.clear()>{move || t().cancel}</button>
            </Show>
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
