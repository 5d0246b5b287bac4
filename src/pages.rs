//! The shell's own pages: the check-in tab before enrolment (a designed empty state that says
//! what will appear and what to do next) and "page not found".

use crate::icons::Icon;
use crate::markup::{show, Html};
use crate::state::use_ui;
use leptos::prelude::*;

/// A page with a heading and an empty state, and the "Join your community" action.
fn empty_page(
    id: &str,
    title: &str,
    icon: Icon,
    empty_title: &str,
    empty_body: &str,
    join: &str,
) -> Html {
    let mut h = Html::new();
    h.wrap("section", &[("class", "page"), ("data-testid", id)], |h| {
        h.el("h1", &[], title);
        h.wrap("div", &[("class", "empty card")], |h| {
            h.wrap("span", &[("class", "empty-icon")], |h| {
                h.icon(icon);
            });
            h.el("h2", &[], empty_title).el("p", &[], empty_body);
            h.el(
                "a",
                &[
                    ("href", "/join"),
                    ("class", "btn btn-primary"),
                    ("data-testid", "join-link"),
                ],
                join,
            );
        });
    });
    h
}

/// A page with its heading and "loading", while the stored status is still being read.
fn loading_page(id: &str, title: &str, t: &'static crate::i18n::Strings) -> Html {
    let mut h = Html::new();
    h.wrap("section", &[("class", "page"), ("data-testid", id)], |h| {
        h.el("h1", &[], title);
        crate::screens::loading(h, t);
    });
    h
}

#[component]
pub fn Checkin() -> impl IntoView {
    let ui = use_ui();
    view! {
        <Show
            when=move || ui.facts().joined() == Some(true)
            fallback=move || {
                let t = ui.t();
                match ui.facts().joined() {
                    None => show(loading_page("page-checkin", t.checkin_title, t)),
                    Some(_) => show(empty_page("page-checkin", t.checkin_title, Icon::Heart, t.checkin_empty_title, t.words().checkin_empty_body, t.join_action)),
                }
            }
        >
            <crate::screens::checkin::Members/>
        </Show>
    }
}

/// `/help/new`: before joining, the page says that asking for help needs joining (the request
/// goes to the community's queue under the household) instead of a form that cannot be sent.
#[component]
pub fn HelpNew() -> impl IntoView {
    let ui = use_ui();
    view! {
        <Show
            when=move || ui.facts().joined() == Some(true)
            fallback=move || {
                let t = ui.t();
                match ui.facts().joined() {
                    None => show(loading_page("page-help-new", t.help_new, t)),
                    Some(_) => show(empty_page("page-help-new", t.help_new, Icon::Users, t.words().help_join_title, t.words().help_join_body, t.join_action)),
                }
            }
        >
            <crate::screens::help::HelpForm/>
        </Show>
    }
}

#[component]
pub fn NotFound() -> impl IntoView {
    let ui = use_ui();
    move || {
        let t = ui.t();
        let mut h = Html::new();
        h.wrap(
            "section",
            &[("class", "page"), ("data-testid", "page-not-found")],
            |h| {
                h.el("h1", &[], t.not_found_title);
                h.wrap("div", &[("class", "card")], |h| {
                    h.el("p", &[], t.not_found_body);
                    h.el(
                        "a",
                        &[("href", "/"), ("class", "btn btn-primary")],
                        t.back_home,
                    );
                });
            },
        );
        show(h)
    }
}
