//! The app's rules, as plain functions tested natively: no browser, no Leptos.

pub mod alerts;
pub mod health;
pub mod places;
pub mod search;
