//! Small pieces every page uses: the language picker, an error line, times shown in local time,
//! and the sound cue.

use crate::api::ApiError;
use crate::i18n::Lang;
use crate::{use_lang, use_session};
use leptos::prelude::*;

/// The browser's clock (Unix ms).
pub fn now_ms() -> i64 {
    js_sys::Date::now() as i64
}

/// An RFC 3339 instant as local date and time ("2026-11-28 17:00").
pub fn local_time(iso: &str) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(iso));
    if d.get_time().is_nan() {
        return iso.to_owned();
    }
    format!(
        "{:04}-{:02}-{:02} {:02}:{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date(),
        d.get_hours(),
        d.get_minutes()
    )
}

/// Unix ms of an RFC 3339 instant (0 if unreadable).
pub fn instant_ms(iso: &str) -> i64 {
    let t = js_sys::Date::new(&wasm_bindgen::JsValue::from_str(iso)).get_time();
    if t.is_nan() {
        0
    } else {
        t as i64
    }
}

/// A short two-tone sound (the optional cue for new requests).
pub fn beep() {
    let Ok(ctx) = web_sys::AudioContext::new() else {
        return;
    };
    let (Ok(osc), Ok(gain)) = (ctx.create_oscillator(), ctx.create_gain()) else {
        return;
    };
    gain.gain().set_value(0.15);
    let _ = osc.connect_with_audio_node(&gain);
    let _ = gain.connect_with_audio_node(&ctx.destination());
    osc.frequency().set_value(880.0);
    let t = ctx.current_time();
    let _ = osc.frequency().set_value_at_time(660.0, t + 0.15);
    let _ = osc.start();
    let _ = osc.stop_with_when(t + 0.3);
}

/// Picks the console's language.
#[component]
pub fn LanguagePicker() -> impl IntoView {
    let lang = use_lang();
    view! {
        <label class="lang">
            <span class="visually-hidden">{move || lang.t().language}</span>
            <select
                data-testid="language"
                on:change=move |ev| {
                    if let Some(l) = Lang::from_tag(&event_target_value(&ev)) {
                        lang.0.set(l);
                    }
                }
            >
                {Lang::ALL
                    .into_iter()
                    .map(|l| {
                        view! {
                            <option value=l.tag() selected=move || lang.0.get() == l>
                                {l.name()}
                            </option>
                        }
                    })
                    .collect_view()}
            </select>
        </label>
    }
}

/// A failed call, said in the chosen language (a 401 also returns to the sign-in screen).
#[component]
pub fn ErrorLine(error: ApiError) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    session.failed(&error);
    view! { <p class="error" role="alert">{move || error.message(lang.t())}</p> }
}
