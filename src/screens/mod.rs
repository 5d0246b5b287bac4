//! The resident's screens beyond the shell. Each reads through [`crate::data`] and writes
//! through the [`Sync`](crate::sync::engine::Sync) service; the rules they apply live in
//! [`crate::domain`] and the protocol crate. What a screen only shows (cards, articles,
//! timelines) is written with [`crate::markup`]; forms and buttons are Leptos views.

pub mod alerts;
pub mod building;
pub mod checkin;
pub mod help;
pub mod home;
pub mod household;
pub mod library;
pub mod more;
pub mod phones;
pub mod rumors;

use crate::i18n::Strings;
use crate::icons::Icon;
use crate::markup::Html;
use crate::store::model::RecordSync;

/// The phone's local date `days_back` days ago, as `YYYY-MM-DD`.
pub fn local_date(days_back: u32) -> String {
    let d = js_sys::Date::new_0();
    d.set_date(d.get_date() - days_back);
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}

/// A time as the phone's local `YYYY-MM-DD HH:MM`.
pub fn local_time(ms: f64) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(ms));
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// Where a record is: "saved on this phone" or "sent to the community" (or refused).
pub fn saved_line(h: &mut Html, t: &'static Strings, sync: RecordSync) {
    let (class, text) = match sync {
        RecordSync::Local => ("saved saved-local", t.saved_local),
        RecordSync::Sent => ("saved saved-sent", t.saved_sent),
        RecordSync::Rejected => ("saved saved-rejected", t.saved_rejected),
    };
    h.wrap(
        "span",
        &[("class", class), ("data-testid", "saved-state")],
        |h| {
            h.icon(Icon::Refresh).text(text);
        },
    );
}

/// A "back to …" link above a detail screen.
pub fn back(h: &mut Html, href: &str, label: &str) {
    h.wrap("a", &[("href", href), ("class", "back")], |h| {
        h.text("‹ ").text(label);
    });
}

/// The line shown while a screen's data loads (a blink on a phone, never a blank page).
pub fn loading(h: &mut Html, t: &'static Strings) {
    h.el("p", &[("class", "hint"), ("role", "status")], t.loading);
}

/// The empty state of a list the community publishes, saying what is true: a phone that has
/// never reached the platform does not know whether there is anything, so it says so instead of
/// "there is none"; once updated, `body` (which, before joining, says what joining adds).
pub fn empty_list(h: &mut Html, t: &'static Strings, updated: bool, title: &str, body: &str) {
    let (title, body) = if updated {
        (title, body)
    } else {
        (t.words().not_updated_title, t.words().not_updated_body)
    };
    h.wrap(
        "div",
        &[("class", "empty card"), ("data-testid", "empty-state")],
        |h| {
            h.el("h2", &[], title).el("p", &[], body);
        },
    );
}

/// "N characters left" under a text field with a limit, kept up to date as the person types
/// (and announced politely), so the limit is known before saving rather than after.
pub fn chars_left(
    id: &'static str,
    limit: usize,
    text: leptos::prelude::RwSignal<String>,
) -> impl leptos::prelude::IntoView {
    use leptos::prelude::*;
    let ui = crate::state::use_ui();
    view! {
        <p class="hint" id=id aria-live="polite">
            {move || (ui.t().words().chars_left)(limit.saturating_sub(text.with(|t| t.chars().count())))}
        </p>
    }
}

/// A fragment holding only what `write` writes, to place inside a Leptos view.
pub fn fragment(write: impl FnOnce(&mut Html)) -> Html {
    let mut h = Html::new();
    write(&mut h);
    h
}

/// Moves keyboard focus to a field (after an error, so the person lands on it); false when
/// there is no such element (yet).
pub fn focus(id: &str) -> bool {
    use wasm_bindgen::JsCast;
    web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
        .map(|el| el.focus())
        .is_some()
}

/// Focuses (and so scrolls to) an element that is about to be drawn: a confirmation drawn once
/// the screen has read the saved record back, which takes a few frames. Tries for up to 2 s.
pub async fn focus_when_drawn(id: &str) {
    for _ in 0..40 {
        if focus(id) {
            return;
        }
        gloo_timers::future::TimeoutFuture::new(50).await;
    }
}

/// Position of an enum value in its list (labels are arrays in the same order).
pub fn pos<T: PartialEq>(all: &[T], v: &T) -> usize {
    all.iter().position(|x| x == v).unwrap_or(0)
}
