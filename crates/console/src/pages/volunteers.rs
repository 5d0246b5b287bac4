//! A building's volunteers: staff give a person of the building who has a phone the volunteer
//! scope over it, or take it back after a confirmation. Their phone shows (or drops) the Building
//! tab and the building's roster at its next sync.

use crate::api::{self, ApiError};
use crate::model::encode;
use crate::{ui, use_lang, use_session};
use leptos::prelude::*;
use leptos_router::hooks::use_params_map;
use linli_protocol::staff::{BuildingResident, BuildingResidents};

#[component]
pub fn Volunteers() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let t = move || lang.t();
    let params = use_params_map();
    let code = move || params.read().get("code").unwrap_or_default();
    let people = LocalResource::new(move || {
        let path = format!("/api/v1/staff/buildings/{}/residents", encode(&code()));
        async move { api::get::<BuildingResidents>(&path).await }
    });
    let message = RwSignal::new(None::<Result<String, String>>);
    // The person whose removal waits for a confirmation.
    let confirming = RwSignal::new(None::<BuildingResident>);
    let busy = RwSignal::new(false);
    let change = move |person: BuildingResident, add: bool| {
        busy.set(true);
        let path = format!(
            "/api/v1/staff/buildings/{}/volunteers/{}",
            encode(&code()),
            encode(&person.member_id)
        );
        leptos::task::spawn_local(async move {
            let method = if add { "PUT" } else { "DELETE" };
            let done: Result<serde_json::Value, ApiError> =
                api::send::<serde_json::Value, _>(method, &path, None).await;
            match done {
                Ok(_) => {
                    let said = if add {
                        lang.t().volunteer_added
                    } else {
                        lang.t().volunteer_removed
                    };
                    message.set(Some(Ok(said(&person.name))));
                    confirming.set(None);
                    people.refetch();
                }
                Err(e) => {
                    session.failed(&e);
                    message.set(Some(Err(e.message(lang.t()))));
                }
            }
            busy.set(false);
        });
    };
    view! {
        <h1>{move || (t().volunteers_title)(&code())}</h1>
        <p class="hint">{move || t().volunteers_hint}</p>
        <div role="status" aria-live="polite" data-testid="volunteer-message">
            {move || message.get().map(|m| match m {
                Ok(s) => view! { <p class="ok">{s}</p> }.into_any(),
                Err(e) => view! { <p class="error">{e}</p> }.into_any(),
            })}
        </div>
        {move || confirming.get().map(|person| {
            let yes = person.clone();
            view! {
                <section class="card confirm" role="alertdialog" aria-labelledby="confirm-remove" data-testid="confirm-remove">
                    <p id="confirm-remove">{(t().confirm_remove_volunteer)(&person.name)}</p>
                    <div class="buttons">
                        <button type="button" class="danger" data-testid="confirm-remove-yes" disabled=busy on:click=move |_| change(yes.clone(), false)>{t().remove_volunteer_yes}</button>
                        <button type="button" data-testid="confirm-remove-no" on:click=move |_| confirming.set(None)>{t().cancel}</button>
                    </div>
                </section>
            }
        })}
        {move || match people.get() {
            None => view! { <p role="status">{t().loading}</p> }.into_any(),
            Some(Err(e)) => view! { <ui::ErrorLine error=e/> }.into_any(),
            Some(Ok(p)) if p.residents.is_empty() => view! { <p class="muted" data-testid="no-residents">{t().no_residents_with_phone}</p> }.into_any(),
            Some(Ok(p)) => view! {
                <table data-testid="residents">
                    <thead><tr>
                        <th scope="col">{t().unit}</th><th scope="col">{t().name}</th>
                        <th scope="col">{t().volunteer}</th>
                        <th scope="col"><span class="visually-hidden">{t().act}</span></th>
                    </tr></thead>
                    <tbody>{p.residents.into_iter().map(|r| {
                        let person = r.clone();
                        let label = r.name.clone();
                        view! {
                            <tr data-testid="resident">
                                <td>{r.unit.clone()}</td><td>{r.name.clone()}</td>
                                <td>{move || if r.volunteer { t().volunteer_yes } else { "" }}</td>
                                <td>
                                    <button type="button" class="small" disabled=busy
                                        data-testid=if r.volunteer { "remove-volunteer" } else { "make-volunteer" }
                                        on:click=move |_| if person.volunteer { confirming.set(Some(person.clone())) } else { change(person.clone(), true) }>
                                        {move || if r.volunteer { t().remove_volunteer } else { t().make_volunteer }}
                                        <span class="visually-hidden">{format!(" {label}")}</span>
                                    </button>
                                </td>
                            </tr>
                        }
                    }).collect_view()}</tbody>
                </table>
            }.into_any(),
        }}
    }
}
