//! The Linli staff console: the community office's and grid workers' desk in a browser, served
//! by the platform at `/console/`. Plain Leptos (CSR) — `leptos_router` routes, components that
//! read with resources and write through [`api`] — with the logic in [`model`], tested natively.

pub mod api;
pub mod i18n;
pub mod model;
mod pages;
mod ui;

use crate::api::ApiError;
use crate::i18n::Lang;
use leptos::prelude::*;
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;
use linli_protocol::staff::{ConsoleSession, StaffRole};

/// The signed-in session: `None` while the console asks the platform, then `Some(None)` when
/// nobody is signed in.
#[derive(Clone, Copy)]
pub struct Session(pub RwSignal<Option<Option<ConsoleSession>>>);

impl Session {
    /// The signed-in account, if any.
    pub fn account(&self) -> Option<ConsoleSession> {
        self.0.get().flatten()
    }
    pub fn is_admin(&self) -> bool {
        self.account().is_some_and(|s| s.role == StaffRole::Admin)
    }
    /// Signs in locally with the platform's answer.
    pub fn signed_in(&self, s: ConsoleSession) {
        api::set_csrf(Some(s.csrf.clone()));
        self.0.set(Some(Some(s)));
    }
    /// The platform said 401: back to the sign-in screen.
    pub fn signed_out(&self) {
        api::set_csrf(None);
        self.0.set(Some(None));
    }
    /// Turns a failed call into what to show; a 401 also signs out.
    pub fn failed(&self, e: &ApiError) {
        if *e == ApiError::SignedOut {
            self.signed_out();
        }
    }
}

/// The chosen language (kept in localStorage; defaults to the browser's).
#[derive(Clone, Copy)]
pub struct Language(pub RwSignal<Lang>);

impl Language {
    pub fn t(&self) -> &'static i18n::Texts {
        self.0.get().t()
    }
}

pub fn use_session() -> Session {
    expect_context::<Session>()
}

pub fn use_lang() -> Language {
    expect_context::<Language>()
}

const LANG_KEY: &str = "linli-console-lang";

fn initial_lang() -> Lang {
    let stored = window()
        .local_storage()
        .ok()
        .flatten()
        .and_then(|s| s.get_item(LANG_KEY).ok().flatten())
        .and_then(|t| Lang::from_tag(&t));
    stored.unwrap_or_else(|| {
        let nav = window().navigator().language().unwrap_or_default();
        if nav.starts_with("en") {
            Lang::En
        } else if nav.contains("CN") || nav.contains("Hans") || nav == "zh" {
            Lang::ZhHans
        } else {
            Lang::ZhHant
        }
    })
}

/// The console.
#[component]
pub fn App() -> impl IntoView {
    let session = Session(RwSignal::new(None));
    let lang = Language(RwSignal::new(initial_lang()));
    provide_context(session);
    provide_context(lang);
    Effect::new(move |_| {
        let l = lang.0.get();
        if let Some(root) = document().document_element() {
            let _ = root.set_attribute("lang", l.tag());
        }
        if let Ok(Some(s)) = window().local_storage() {
            let _ = s.set_item(LANG_KEY, l.tag());
        }
    });
    // Who is signed in (the cookie is sent by the browser; script never sees it).
    leptos::task::spawn_local(async move {
        match api::get::<ConsoleSession>("/api/v1/staff/session").await {
            Ok(s) => session.signed_in(s),
            Err(_) => session.signed_out(),
        }
    });
    view! {
        <Router base="/console">
            {move || match session.0.get() {
                None => view! { <p class="loading" role="status">{lang.t().loading}</p> }.into_any(),
                Some(None) => view! { <pages::login::Login/> }.into_any(),
                Some(Some(_)) => view! { <Shell/> }.into_any(),
            }}
        </Router>
    }
}

/// The signed-in frame: header with navigation, language and sign-out; the routed page.
#[component]
fn Shell() -> impl IntoView {
    let session = use_session();
    let lang = use_lang();
    let t = move || lang.t();
    let sign_out_error = RwSignal::new(false);
    let sign_out = move |_| {
        leptos::task::spawn_local(async move {
            // Signed out only when the platform ended the session (or it had ended already):
            // on a shared office computer a cookie left valid is someone else's access.
            match api::send::<(), serde_json::Value>("DELETE", "/api/v1/staff/session", None).await
            {
                Ok(_) | Err(ApiError::SignedOut) => session.signed_out(),
                Err(_) => sign_out_error.set(true),
            }
        });
    };
    let who = move || {
        session
            .account()
            .map(|a| {
                format!(
                    "{}{} ({})",
                    t().signed_in_as,
                    a.display_name,
                    t().role(a.role)
                )
            })
            .unwrap_or_default()
    };
    view! {
        <a class="skip" href="#main">{move || t().skip_to_content}</a>
        <header class="top">
            <p class="brand">{move || t().app_title}</p>
            <nav aria-label=move || t().nav_label>
                <ul>
                    <li><A href="/console/" exact=true>{move || t().nav_queue}</A></li>
                    <li><A href="/console/alerts">{move || t().nav_alerts}</A></li>
                    <li><A href="/console/tips">{move || t().nav_tips}</A></li>
                    <li><A href="/console/structure">{move || t().nav_structure}</A></li>
                    <Show when=move || session.is_admin()>
                        <li><A href="/console/accounts">{move || t().nav_accounts}</A></li>
                        <li><A href="/console/audit">{move || t().nav_audit}</A></li>
                    </Show>
                </ul>
            </nav>
            <div class="who">
                <span data-testid="signed-in-as">{who}</span>
                <ui::LanguagePicker/>
                <A href="/console/password">{move || t().change_password}</A>
                <button type="button" data-testid="sign-out" on:click=sign_out>{move || t().sign_out}</button>
                <Show when=move || sign_out_error.get()>
                    <p class="error" role="alert">{move || t().sign_out_failed}</p>
                </Show>
            </div>
        </header>
        <main id="main" tabindex="-1">
            <Routes fallback=move || view! { <p>{t().not_found}</p> }>
                <Route path=path!("/") view=pages::queue::Queue/>
                <Route path=path!("/requests/:id") view=pages::request::RequestPage/>
                <Route path=path!("/alerts") view=pages::alerts::Alerts/>
                <Route path=path!("/alerts/new") view=pages::alert_form::AlertForm/>
                <Route path=path!("/alerts/:id") view=pages::alerts::RollCallPage/>
                <Route path=path!("/alerts/:id/edit") view=pages::alert_form::AlertEdit/>
                <Route path=path!("/tips") view=pages::tips::Tips/>
                <Route path=path!("/structure") view=pages::structure::Structure/>
                <Route path=path!("/buildings/:code/volunteers") view=pages::volunteers::Volunteers/>
                <Route path=path!("/accounts") view=pages::accounts::Accounts/>
                <Route path=path!("/audit") view=pages::audit::Audit/>
                <Route path=path!("/password") view=pages::password::ChangePassword/>
            </Routes>
        </main>
    }
}
