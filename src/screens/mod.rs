//! The resident's screens beyond the shell. Each reads through [`crate::data`] and writes
//! through the [`Sync`](crate::sync::engine::Sync) service; the rules they apply live in
//! [`crate::domain`] and the protocol crate. One reactive block per screen keeps the wasm small.

pub mod alerts;
pub mod checkin;
pub mod help;
pub mod home;
pub mod household;
pub mod library;
pub mod more;
pub mod rumors;

use crate::i18n::Strings;
use crate::icons::{Icon, Svg};
use crate::store::model::RecordSync;
use leptos::prelude::*;

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
pub fn saved_line(t: &'static Strings, sync: RecordSync) -> impl IntoView {
    let (class, text) = match sync {
        RecordSync::Local => ("saved saved-local", t.saved_local),
        RecordSync::Sent => ("saved saved-sent", t.saved_sent),
        RecordSync::Rejected => ("saved saved-rejected", t.saved_rejected),
    };
    view! { <span class=class data-testid="saved-state"><Svg icon=Icon::Refresh/>{text}</span> }
}

/// A "back to …" link above a detail screen.
pub fn back(href: &'static str, label: &'static str) -> impl IntoView {
    view! { <a href=href class="back">{"‹ "}{label}</a> }
}

/// The line shown while a screen's data loads (a blink on a phone, never a blank page).
pub fn loading(t: &'static Strings) -> impl IntoView {
    view! { <p class="hint" role="status">{t.loading}</p> }
}

/// Moves keyboard focus to a field (after an error, so the person lands on it).
pub fn focus(id: &str) {
    use wasm_bindgen::JsCast;
    if let Some(el) = web_sys::window()
        .and_then(|w| w.document())
        .and_then(|d| d.get_element_by_id(id))
        .and_then(|e| e.dyn_into::<web_sys::HtmlElement>().ok())
    {
        let _ = el.focus();
    }
}

/// Position of an enum value in its list (labels are arrays in the same order).
pub fn pos<T: PartialEq>(all: &[T], v: &T) -> usize {
    all.iter().position(|x| x == v).unwrap_or(0)
}
