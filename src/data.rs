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
    let ui = use_ui();
    let slot = use_sync();
    let (out, set_out) = signal_local(None);
    Effect::new(move |_| {
        ui.sync.with(|s| s.rev);
        if let Some(s) = slot.get_value() {
            let fut = load(s);
            leptos::task::spawn_local(async move { set_out.set(Some(fut.await)) });
        }
    });
    out
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

/// Everyone in the household: the enrolled person first, then members added on this phone.
/// A member edited on this phone appears once, as last saved.
pub async fn members(s: &Sync) -> Vec<Member> {
    let mut out = Vec::new();
    if let Some(device) = s.enrolled().await {
        let name = s
            .store
            .meta(crate::store::keys::SELF_NAME)
            .await
            .ok()
            .flatten();
        out.push(Member {
            id: device.member_id.clone(),
            name: name.unwrap_or_default(),
            birth_year: None,
            flags: Vec::new(),
            is_self: true,
            sync: RecordSync::Sent,
        });
    }
    for (r, m) in own::<HouseholdMember>(s).await {
        if out.iter().any(|o: &Member| o.id == r.id) {
            continue;
        }
        out.push(Member {
            id: r.id,
            name: m.display_name.as_str().to_owned(),
            birth_year: m.birth_year.map(i64::from),
            flags: m.flags,
            is_self: false,
            sync: r.sync,
        });
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
