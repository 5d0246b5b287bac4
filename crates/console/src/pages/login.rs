//! Sign-in: username and password; the platform answers with the session cookie.

use crate::api::{self, ApiError};
use crate::{ui, use_lang, use_session};
use leptos::prelude::*;
use linli_protocol::staff::ConsoleSession;

#[component]
pub fn Login() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let t = move || lang.t();
    let username = RwSignal::new(String::new());
    let password = RwSignal::new(String::new());
    let error = RwSignal::new(None::<String>);
    let busy = RwSignal::new(false);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        busy.set(true);
        error.set(None);
        let body = serde_json::json!({"username": username.get(), "password": password.get()});
        leptos::task::spawn_local(async move {
            match api::send::<_, ConsoleSession>("POST", "/api/v1/staff/session", Some(&body)).await
            {
                Ok(s) => session.signed_in(s),
                Err(e) => {
                    let t = lang.t();
                    error.set(Some(match e {
                        ApiError::SignedOut => t.login_wrong.into(),
                        ApiError::Refused(429, _) => t.login_too_many.into(),
                        other => other.message(t),
                    }));
                    busy.set(false);
                }
            }
        });
    };
    view! {
        <main id="main" class="login">
            <div class="card">
                <h1>{move || t().login_title}</h1>
                <p class="muted">{move || t().login_intro}</p>
                <form on:submit=submit>
                    <label for="username">{move || t().username}</label>
                    <input id="username" name="username" autocomplete="username" required
                        data-testid="login-username"
                        prop:value=username on:input=move |ev| username.set(event_target_value(&ev))/>
                    <label for="password">{move || t().password}</label>
                    <input id="password" name="password" type="password" autocomplete="current-password" required
                        data-testid="login-password"
                        prop:value=password on:input=move |ev| password.set(event_target_value(&ev))/>
                    {move || error.get().map(|e| view! { <p class="error" role="alert" data-testid="login-error">{e}</p> })}
                    <button type="submit" class="primary" data-testid="login-submit" disabled=busy>
                        {move || t().sign_in}
                    </button>
                </form>
                <ui::LanguagePicker/>
            </div>
        </main>
    }
}
