//! Changing one's own password; the platform then ends every session of the account, this one
//! too, and the console returns to the sign-in screen.

use crate::api::{self, ApiError};
use crate::{use_lang, use_session};
use leptos::prelude::*;

#[component]
pub fn ChangePassword() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let t = move || lang.t();
    let current = RwSignal::new(String::new());
    let new = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let body =
            serde_json::json!({"current": current.get_untracked(), "new": new.get_untracked()});
        leptos::task::spawn_local(async move {
            match api::send::<_, serde_json::Value>("POST", "/api/v1/staff/password", Some(&body))
                .await
            {
                Ok(_) => session.signed_out(),
                Err(ApiError::Refused(_, m)) => message.set(Some(m)),
                Err(e) => {
                    session.failed(&e);
                    message.set(Some(e.message(lang.t())));
                }
            }
        });
    };
    view! {
        <h1>{move || t().change_password}</h1>
        <form class="card narrow" on:submit=submit>
            <p class="hint">{move || t().change_password_hint}</p>
            <label for="current-password">{move || t().current_password}</label>
            <input id="current-password" type="password" autocomplete="current-password" required
                data-testid="current-password" prop:value=current on:input=move |ev| current.set(event_target_value(&ev))/>
            <label for="new-password">{move || t().new_password}</label>
            <input id="new-password" type="password" autocomplete="new-password" required minlength="10"
                data-testid="new-password" prop:value=new on:input=move |ev| new.set(event_target_value(&ev))/>
            <div role="alert" data-testid="password-error">{move || message.get().map(|m| view! { <p class="error">{m}</p> })}</div>
            <button type="submit" class="primary" data-testid="change-password">{move || t().change_password}</button>
        </form>
    }
}
