//! Staff accounts (admins): who has access, their role and grids; create one, change a grid
//! worker's grids, disable an account (asked once: it signs that person out at once).

use crate::api;
use crate::{ui, use_lang, use_session};
use leptos::prelude::*;
use linli_protocol::staff::{AccountItem, Accounts as AccountList, StaffRole};

fn grids_of(text: &str) -> Vec<String> {
    text.split([',', ' ', '，'])
        .map(str::trim)
        .filter(|g| !g.is_empty())
        .map(str::to_owned)
        .collect()
}

#[component]
pub fn Accounts() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let t = move || lang.t();
    let list = LocalResource::new(|| api::get::<AccountList>("/api/v1/staff/accounts"));
    let username = RwSignal::new(String::new());
    let display = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let role = RwSignal::new("grid_worker".to_owned());
    let grids = RwSignal::new(String::new());
    let message = RwSignal::new(None::<Result<(), String>>);
    let create = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let admin = role.get_untracked() == "admin";
        let body = serde_json::json!({"username": username.get_untracked(), "password": password.get_untracked(),
            "display_name": display.get_untracked(), "role": role.get_untracked(),
            "grids": if admin { Vec::new() } else { grids_of(&grids.get_untracked()) }});
        leptos::task::spawn_local(async move {
            match api::send::<_, serde_json::Value>("POST", "/api/v1/staff/accounts", Some(&body))
                .await
            {
                Ok(_) => {
                    for s in [username, display, password, grids] {
                        s.set(String::new());
                    }
                    message.set(Some(Ok(())));
                    list.refetch();
                }
                Err(e) => {
                    session.failed(&e);
                    message.set(Some(Err(e.message(lang.t()))));
                }
            }
        });
    };
    let field = move |id: &'static str,
                      label: fn(&crate::i18n::Texts) -> &'static str,
                      value: RwSignal<String>,
                      kind: &'static str| {
        view! {
            <span class="field">
                <label for=id>{move || label(t())}</label>
                <input id=id type=kind data-testid=id prop:value=value on:input=move |ev| value.set(event_target_value(&ev))/>
            </span>
        }
    };
    view! {
        <h1>{move || t().accounts_title}</h1>
        {move || match list.get() {
            None => view! { <p role="status">{t().loading}</p> }.into_any(),
            Some(Err(e)) => view! { <ui::ErrorLine error=e/> }.into_any(),
            Some(Ok(l)) => view! {
                <table data-testid="accounts">
                    <thead><tr>
                        <th scope="col">{t().username}</th><th scope="col">{t().display_name}</th><th scope="col">{t().role}</th>
                        <th scope="col">{t().grids}</th><th scope="col">{t().status}</th><th scope="col">{t().act}</th>
                    </tr></thead>
                    <tbody>{l.items.into_iter().map(|a| view! { <AccountRow account=a on_change=move || list.refetch()/> }).collect_view()}</tbody>
                </table>
            }.into_any(),
        }}
        <form class="card" on:submit=create aria-labelledby="create-h">
            <h2 id="create-h">{move || t().create_account}</h2>
            {field("new-username", |t| t.username, username, "text")}
            {field("new-display", |t| t.display_name, display, "text")}
            {field("new-password", |t| t.password, password, "password")}
            <span class="field">
                <label for="new-role">{move || t().role}</label>
                <select id="new-role" on:change=move |ev| role.set(event_target_value(&ev))>
                    <option value="grid_worker" selected=move || role.get() == "grid_worker">{move || t().role(StaffRole::GridWorker)}</option>
                    <option value="admin" selected=move || role.get() == "admin">{move || t().role(StaffRole::Admin)}</option>
                </select>
            </span>
            {field("new-grids", |t| t.grids, grids, "text")}
            <p class="hint">{move || t().grids_hint}</p>
            <button type="submit" class="primary">{move || t().create_account}</button>
            <div role="status">{move || message.get().map(|m| match m {
                Ok(()) => view! { <p class="ok">{t().saved}</p> }.into_any(),
                Err(e) => view! { <p class="error">{e}</p> }.into_any(),
            })}</div>
        </form>
    }
}

#[component]
fn AccountRow(
    account: AccountItem,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let t = move || lang.t();
    let grids = RwSignal::new(account.grids.join(", "));
    let confirming = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let account = StoredValue::new(account);
    let save = move |disabled: bool| {
        let a = account.get_value();
        let grids = if a.role == StaffRole::Admin {
            Vec::new()
        } else {
            grids_of(&grids.get_untracked())
        };
        let body = serde_json::json!({"display_name": a.display_name, "role": a.role, "grids": grids, "disabled": disabled});
        let path = format!("/api/v1/staff/accounts/{}", a.id);
        leptos::task::spawn_local(async move {
            match api::send::<_, serde_json::Value>("PUT", &path, Some(&body)).await {
                Ok(_) => on_change(),
                Err(e) => {
                    session.failed(&e);
                    message.set(Some(e.message(lang.t())));
                }
            }
            confirming.set(false);
        });
    };
    let a = account.get_value();
    let grid_input = format!("grids-{}", a.id);
    let is_worker = a.role == StaffRole::GridWorker;
    let save_label = format!(" {}", a.username);
    view! {
        <tr data-testid="account-row" data-username=a.username.clone()>
            <td>{a.username.clone()}</td>
            <td>{a.display_name.clone()}</td>
            <td>{move || t().role(a.role)}</td>
            <td>
                <Show when=move || is_worker fallback=|| "—">
                    <label for=grid_input.clone() class="visually-hidden">{move || t().grids}</label>
                    <input id=grid_input.clone() size="10" prop:value=grids on:input=move |ev| grids.set(event_target_value(&ev))/>
                    <button type="button" on:click=move |_| save(a.disabled)>{move || t().save}<span class="visually-hidden">{save_label.clone()}</span></button>
                </Show>
            </td>
            <td>{move || if a.disabled { t().disabled } else { t().active }}</td>
            <td>
                {if a.disabled {
                    view! { <button type="button" on:click=move |_| save(false)>{move || t().enable}</button> }.into_any()
                } else {
                    view! {
                        <Show when=move || confirming.get() fallback=move || view! {
                            <button type="button" data-testid="disable" on:click=move |_| confirming.set(true)>{t().disable}</button>
                        }>
                            <span role="alertdialog" aria-label=move || t().confirm_disable>
                                {move || t().confirm_disable}" "
                                <button type="button" class="danger" data-testid="confirm-disable" on:click=move |_| save(true)>{t().disable}</button>
                                <button type="button" on:click=move |_| confirming.set(false)>{t().cancel}</button>
                            </span>
                        </Show>
                    }.into_any()
                }}
                <span role="status">{move || message.get()}</span>
            </td>
        </tr>
    }
}
