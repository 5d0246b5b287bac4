//! Linli (鄰里): the resident and volunteer PWA.
//!
//! Business rules live in plain modules tested natively ([`i18n`], [`settings`]); components in
//! [`app`] and [`pages`] stay thin and talk to the browser only through [`browser`] and [`pwa`].

pub mod app;
pub mod browser;
pub mod data;
pub mod domain;
pub mod i18n;
pub mod icons;
pub mod json;
pub mod markup;
pub mod ordering;
pub mod pages;
pub mod pwa;
pub mod router;
pub mod screens;
pub mod settings;
pub mod state;
pub mod store;
pub mod sync;
pub mod sync_ui;

pub use app::App;
