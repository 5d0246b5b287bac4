//! The shell's shared UI state, provided once as a Leptos context.

use crate::i18n::{Lang, Strings};
use crate::settings::{self, LocalStorage, Preferences};
use leptos::prelude::*;

pub use crate::sync::engine::SyncStatus;

/// The facts screens draw from the sync status (see [`Ui::facts`]). Kept in a `Memo<u32>`,
/// whose code the app already has (a memo of a type of its own measured ~350 B more first load).
#[derive(Clone, Copy, Debug, Default, PartialEq)]
pub struct SyncFacts {
    /// The stored status has been read (until then `enrolled` is unknown).
    pub known: bool,
    pub enrolled: bool,
    /// Records only on this phone.
    pub pending: usize,
    /// The phone has reached the platform at least once.
    pub updated: bool,
}

impl SyncFacts {
    /// Whether this phone has joined: `None` until the stored status has been read. Screens
    /// that differ for a joined phone show "loading" while it is `None`, so an enrolled phone
    /// never flashes the invitation to join (or a form it cannot use).
    pub fn joined(self) -> Option<bool> {
        self.known.then_some(self.enrolled)
    }

    fn of(s: &SyncStatus) -> SyncFacts {
        SyncFacts {
            known: s.known,
            enrolled: s.enrolled.is_some(),
            pending: s.pending,
            updated: s.last_sync_ms.is_some(),
        }
    }

    /// Three flags and the count in one `u32` (a phone never holds 2^28 unsent records).
    fn pack(self) -> u32 {
        u32::from(self.known)
            | u32::from(self.enrolled) << 1
            | u32::from(self.updated) << 2
            | (self.pending as u32) << 4
    }

    fn unpack(bits: u32) -> SyncFacts {
        SyncFacts {
            known: bits & 1 != 0,
            enrolled: bits & 2 != 0,
            updated: bits & 4 != 0,
            pending: (bits >> 4) as usize,
        }
    }
}

#[cfg(test)]
mod tests {
    use super::SyncFacts;

    #[test]
    fn facts_survive_packing() {
        for bits in 0..8u32 {
            for pending in [0, 1, 7, 300, 0x0fff_ffff] {
                let f = SyncFacts {
                    known: bits & 1 != 0,
                    enrolled: bits & 2 != 0,
                    updated: bits & 4 != 0,
                    pending,
                };
                assert_eq!(SyncFacts::unpack(f.pack()), f);
            }
        }
    }
}

/// Reactive state every screen can read: language, text size, connectivity, pending update.
#[derive(Clone, Copy)]
pub struct Ui {
    pub lang: RwSignal<Lang>,
    pub large_text: RwSignal<bool>,
    pub online: RwSignal<bool>,
    pub update_ready: RwSignal<bool>,
    /// What the sync engine reports (pending records, errors, enrolment).
    pub sync: RwSignal<SyncStatus>,
    /// [`SyncFacts`], packed: read them with [`Ui::facts`].
    facts: Memo<u32>,
    /// A new serious alert to announce: (id, headline).
    pub alert_banner: RwSignal<Option<(String, String)>>,
}

impl Ui {
    pub fn new(prefs: Preferences, online: bool) -> Ui {
        let sync = RwSignal::new(SyncStatus::default());
        Ui {
            lang: RwSignal::new(prefs.lang),
            large_text: RwSignal::new(prefs.large_text),
            online: RwSignal::new(online),
            update_ready: RwSignal::new(false),
            sync,
            facts: Memo::new(move |_| sync.with(SyncFacts::of).pack()),
            alert_banner: RwSignal::new(None),
        }
    }

    /// What most screens show of the sync status (tracked). It tells its readers only when one
    /// of these changes: the status itself changes several times per sync ("syncing…", the
    /// time), and a screen that tracked all of it was built again each time.
    pub fn facts(&self) -> SyncFacts {
        SyncFacts::unpack(self.facts.get())
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
