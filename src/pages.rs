//! The shell's own pages: the check-in tab before enrolment (a designed empty state that says
//! what will appear and what to do next) and "page not found".

use crate::i18n::Strings;
use crate::icons::{Icon, Svg};
use crate::state::use_ui;
use leptos::prelude::*;

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
                    <a href="/join" class="btn btn-primary" data-testid="join-link">
                        {move || ui.t().join_action}
                    </a>
                })}
            </div>
        </section>
    }
}

#[component]
pub fn Checkin() -> impl IntoView {
    let ui = use_ui();
    view! {
        <Show
            when=move || ui.sync.with(|s| s.enrolled.is_some())
            fallback=|| view! { <EmptyPage id="page-checkin" title=|s| s.checkin_title icon=Icon::Heart empty_title=|s| s.checkin_empty_title empty_body=|s| s.checkin_empty_body join=true/> }
        >
            <crate::screens::checkin::Members/>
        </Show>
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
                <a href="/" class="btn btn-primary">{move || ui.t().back_home}</a>
            </div>
        </section>
    }
}
