//! The shell's shared UI state, provided once as a Leptos context.

use crate::i18n::{Lang, Strings};
use crate::settings::{self, LocalStorage, Preferences};
use leptos::prelude::*;

pub use crate::sync::engine::SyncStatus;

/// Reactive state every screen can read: language, text size, connectivity, pending update.
#[derive(Clone, Copy)]
pub struct Ui {
    pub lang: RwSignal<Lang>,
    pub large_text: RwSignal<bool>,
    pub online: RwSignal<bool>,
    pub update_ready: RwSignal<bool>,
    /// What the sync engine reports (pending records, errors, enrolment).
    pub sync: RwSignal<SyncStatus>,
    /// A new serious alert to announce: (id, headline).
    pub alert_banner: RwSignal<Option<(String, String)>>,
}

impl Ui {
    pub fn new(prefs: Preferences, online: bool) -> Ui {
        Ui {
            lang: RwSignal::new(prefs.lang),
            large_text: RwSignal::new(prefs.large_text),
            online: RwSignal::new(online),
            update_ready: RwSignal::new(false),
            sync: RwSignal::new(SyncStatus::default()),
            alert_banner: RwSignal::new(None),
        }
    }

    /// The current string table (tracks the language signal).
    pub fn t(&self) -> &'static Strings {
        self.lang.get().strings()
    }

    /// The user picked a language: show it and remember it.
    pub fn choose_lang(&self, lang: Lang) {
        settings::save_lang(&LocalStorage::open(), lang);
        self.lang.set(lang);
    }

    /// The user switched large text: apply it and remember it.
    pub fn choose_large_text(&self, on: bool) {
        settings::save_large_text(&LocalStorage::open(), on);
        self.large_text.set(on);
    }
}

/// The shell's [`Ui`] state; panics only if called outside the app (a programming error).
pub fn use_ui() -> Ui {
    expect_context::<Ui>()
}

/// The sync service, once the store is open.
pub fn use_sync() -> StoredValue<Option<crate::sync::engine::Sync>, leptos::prelude::LocalStorage> {
    expect_context::<StoredValue<Option<crate::sync::engine::Sync>, leptos::prelude::LocalStorage>>(
    )
}
