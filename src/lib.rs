//! Linli (鄰里): the resident and volunteer PWA.
//!
//! Business rules live in plain modules tested natively ([`i18n`], [`settings`]); components in
//! [`app`] and [`pages`] stay thin and talk to the browser only through [`browser`] and [`pwa`].

pub mod app;
pub mod browser;
pub mod chunks;
pub mod data;
pub mod domain;
pub mod i18n;
pub mod icons;
pub mod json;
pub mod markup;
pub mod ordering;
pub mod pages;
pub mod pwa;
pub mod qr;
pub mod relay;
pub mod router;
pub mod screens;
pub mod settings;
pub mod state;
pub mod store;
pub mod sync;
pub mod sync_ui;
pub mod webpush;
pub mod words;

pub use app::App;

/// Starts the app. Mounting waits for a task of its own: the task that compiled and
/// instantiated the wasm ends first (and the boot splash can paint), so start-up is two
/// shorter tasks rather than one long one that blocks input.
pub fn start() {
    gloo_timers::callback::Timeout::new(0, || leptos::mount::mount_to_body(App)).forget();
}
