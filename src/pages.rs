//! One component per route. Until later features land, each tab shows a designed empty state
//! that says what will appear and what to do next.

use crate::i18n::{Lang, Strings};
use crate::icons::{Icon, Svg};
use crate::state::use_ui;
use leptos::prelude::*;
use leptos_router::components::A;

type Text = fn(&Strings) -> &'static str;

/// A page with a heading and an empty state; `join` adds the "Join your community" action.
#[component]
fn EmptyPage(
    id: &'static str,
    title: Text,
    icon: Icon,
    empty_title: Text,
    empty_body: Text,
    #[prop(optional)] join: bool,
) -> impl IntoView {
    let ui = use_ui();
    view! {
        <section class="page" data-testid=id>
            <h1>{move || title(ui.t())}</h1>
            <div class="empty card">
                <span class="empty-icon"><Svg icon=icon/></span>
                <h2>{move || empty_title(ui.t())}</h2>
                <p>{move || empty_body(ui.t())}</p>
                {join.then(|| view! {
                    <A href="/join" attr:class="btn btn-primary" attr:data-testid="join-link">
                        {move || ui.t().join_action}
                    </A>
                })}
            </div>
        </section>
    }
}

#[component]
pub fn Home() -> impl IntoView {
    view! { <EmptyPage id="page-home" title=|s| s.home_title icon=Icon::Users empty_title=|s| s.home_empty_title empty_body=|s| s.home_empty_body join=true/> }
}

#[component]
pub fn Checkin() -> impl IntoView {
    let ui = use_ui();
    view! {
        <Show
            when=move || ui.sync.with(|s| s.enrolled.is_some())
            fallback=|| view! { <EmptyPage id="page-checkin" title=|s| s.checkin_title icon=Icon::Heart empty_title=|s| s.checkin_empty_title empty_body=|s| s.checkin_empty_body join=true/> }
        >
            <section class="page" data-testid="page-checkin">
                <h1>{move || ui.t().checkin_title}</h1>
                <crate::sync_ui::QuickCheckin/>
            </section>
        </Show>
    }
}

#[component]
pub fn Alerts() -> impl IntoView {
    view! { <EmptyPage id="page-alerts" title=|s| s.alerts_title icon=Icon::Bell empty_title=|s| s.alerts_empty_title empty_body=|s| s.alerts_empty_body/> }
}

#[component]
pub fn Rumors() -> impl IntoView {
    view! { <EmptyPage id="page-rumors" title=|s| s.rumors_title icon=Icon::Shield empty_title=|s| s.rumors_empty_title empty_body=|s| s.rumors_empty_body/> }
}

/// Settings: language, large text, about.
#[component]
pub fn More() -> impl IntoView {
    let ui = use_ui();
    let lang_option = move |lang: Lang| {
        view! {
            <label class="choice">
                <input
                    type="radio"
                    name="lang"
                    value=lang.tag()
                    prop:checked=move || ui.lang.get() == lang
                    on:change=move |_| ui.choose_lang(lang)
                    data-testid=format!("lang-{}", lang.tag())
                />
                <span lang=lang.tag()>{lang.native_name()}</span>
            </label>
        }
    };
    view! {
        <section class="page" data-testid="page-more">
            <h1>{move || ui.t().more_title}</h1>
            <fieldset class="card">
                <legend>{move || ui.t().language}</legend>
                {Lang::ALL.into_iter().map(lang_option).collect_view()}
            </fieldset>
            <div class="card">
                <label class="choice">
                    <input
                        type="checkbox"
                        prop:checked=move || ui.large_text.get()
                        on:change=move |ev| ui.choose_large_text(event_target_checked(&ev))
                        data-testid="large-text"
                    />
                    <span>{move || ui.t().large_text}</span>
                </label>
                <p class="hint">{move || ui.t().large_text_hint}</p>
            </div>
            <div class="card">
                <h2>{move || ui.t().about}</h2>
                <p>{move || ui.t().about_body}</p>
                <p class="hint">{move || ui.t().version} " " {env!("CARGO_PKG_VERSION")}</p>
            </div>
        </section>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    let ui = use_ui();
    view! {
        <section class="page" data-testid="page-not-found">
            <h1>{move || ui.t().not_found_title}</h1>
            <div class="card">
                <p>{move || ui.t().not_found_body}</p>
                <A href="/" attr:class="btn btn-primary">{move || ui.t().back_home}</A>
            </div>
        </section>
    }
}
