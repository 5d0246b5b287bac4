//! What screens read: the household, its records and the published content, decoded with the
//! protocol types from the store, reloaded whenever the sync engine says data changed.

use crate::json::from_json;
use crate::state::{use_sync, use_ui};
use crate::store::model::{LocalRecord, RecordSync};
use crate::sync::engine::Sync;
use leptos::prelude::*;
use linli_protocol::pushed::{HouseholdMember, MemberFlag};
use linli_protocol::sync::{Pulled, Pushed};
use serde::de::DeserializeOwned;
use std::future::Future;

/// Runs `load` with the sync service now and after every change of stored data; the signal
/// is `None` until the first answer (screens show a loading line, never a blank).
pub fn loaded<T, Fut>(
    load: impl Fn(Sync) -> Fut + 'static,
) -> ReadSignal<Option<T>, leptos::prelude::LocalStorage>
where
    T: 'static,
    Fut: Future<Output = T> + 'static,
{
    let slot = use_sync();
    let rev = data_rev();
    let (out, set_out) = signal_local(None);
    Effect::new(move |_| {
        rev.get();
        if let Some(s) = slot.get_value() {
            let fut = load(s);
            leptos::task::spawn_local(async move { set_out.set(Some(fut.await)) });
        }
    });
    out
}

/// Changes when stored data changed (the sync engine's `rev`), and only then: the sync status
/// also changes for "syncing…", counts and errors, which must not make every screen read again.
pub fn data_rev() -> Memo<u32> {
    let ui = use_ui();
    Memo::new(move |_| ui.sync.with(|s| s.rev))
}

/// The sync service, once it is there: a screen opened by a deep link mounts before the
/// phone's storage is open, and would otherwise find none (checked every 50 ms).
pub async fn service(slot: StoredValue<Option<Sync>, LocalStorage>) -> Sync {
    loop {
        if let Some(s) = slot.get_value() {
            return s;
        }
        gloo_timers::future::TimeoutFuture::new(50).await;
    }
}

/// Published content of one kind, decoded; items that do not decode are skipped.
pub async fn published<T: DeserializeOwned + Pulled>(s: &Sync) -> Vec<(String, T)> {
    s.store
        .content(T::KIND.as_str())
        .await
        .unwrap_or_default()
        .into_iter()
        .filter_map(|c| Some((c.id, from_json::<T>(&c.body)?)))
        .collect()
}

/// The household's own records of one kind, newest first, with their sync state.
pub async fn own<T: DeserializeOwned + Pushed>(s: &Sync) -> Vec<(LocalRecord, T)> {
    s.store
        .records(T::KIND.as_str())
        .await
        .unwrap_or_default()
        .into_iter()
        .filter_map(|r| {
            let body = from_json::<T>(&r.body)?;
            Some((r, body))
        })
        .collect()
}

/// The household's records of one kind made on this phone and, pulled, those its other phones
/// made (or a volunteer made for it): every phone of the household shows the same. What this
/// phone holds itself wins (an edit not yet sent).
pub async fn shared<T: DeserializeOwned + Pushed + Pulled>(s: &Sync) -> Vec<(LocalRecord, T)> {
    household_records(s, <T as Pulled>::KIND.as_str())
        .await
        .into_iter()
        .filter_map(|r| {
            let body = from_json::<T>(&r.body)?;
            Some((r, body))
        })
        .collect()
}

/// The records of one kind [`shared`] decodes: this phone's, then the pulled ones it lacks.
async fn household_records(s: &Sync, kind: &str) -> Vec<LocalRecord> {
    let (records, content) =
        futures_util::future::join(s.store.records(kind), s.store.content(kind)).await;
    let mut records = records.unwrap_or_default();
    for c in content.unwrap_or_default() {
        if !records.iter().any(|r| r.id == c.id) {
            records.push(LocalRecord {
                id: c.id,
                kind: kind.to_owned(),
                body: c.body,
                sync: RecordSync::Sent,
                updated_ms: 0.0,
            });
        }
    }
    records
}

/// A person of the household as the screens show them.
#[derive(Clone, Debug, PartialEq)]
pub struct Member {
    pub id: String,
    pub name: String,
    pub birth_year: Option<i64>,
    pub flags: Vec<MemberFlag>,
    /// The person who enrolled this phone (created on the platform at enrolment).
    pub is_self: bool,
    pub sync: RecordSync,
}

/// Everyone in the household: the person who enrolled this phone first, then everyone else —
/// added on this phone or on another phone of the household.
pub async fn members(s: &Sync) -> Vec<Member> {
    let (device, shared) =
        futures_util::future::join(s.enrolled(), shared::<HouseholdMember>(s)).await;
    let me = device.map(|d| d.member_id);
    let mut out: Vec<Member> = shared
        .into_iter()
        .map(|(r, m)| Member {
            is_self: me.as_deref() == Some(r.id.as_str()),
            id: r.id,
            name: m.display_name.as_str().to_owned(),
            birth_year: m.birth_year.map(i64::from),
            flags: m.flags,
            sync: r.sync,
        })
        .collect();
    if let Some(me) = me {
        if !out.iter().any(|m| m.is_self) {
            // Not pulled yet (just enrolled, offline): the name typed at /join.
            let name = s
                .store
                .meta(crate::store::keys::SELF_NAME)
                .await
                .ok()
                .flatten();
            out.push(Member {
                id: me,
                name: name.unwrap_or_default(),
                birth_year: None,
                flags: Vec::new(),
                is_self: true,
                sync: RecordSync::Sent,
            });
        }
    }
    // The enrolled person first, then in the order the records came (a rotation, not a sort:
    // a sort would bring a sorting routine into the first load for one element's move).
    if let Some(i) = out.iter().position(|m| m.is_self) {
        out[..=i].rotate_right(1);
    }
    out
}

/// A file shipped with the app (`/data/…`, precached by the service worker, so offline too);
/// `None` when it cannot be read.
pub async fn shipped(path: &str) -> Option<String> {
    match gloo_net::http::Request::get(path).send().await {
        Ok(r) if r.ok() => r.text().await.ok(),
        _ => None,
    }
}
