//! The sync engine in the browser: the platform client, the push/pull loop, the triggers and
//! the one-tab-at-a-time lock. Components read [`SyncStatus`] and call [`Sync`]'s methods.

use super::{classify, Backoff, Outcome, PULL_LIMIT, PUSH_BATCH, TIMER_MS};
use crate::json::{from_json, get, parse, stringify, to_json};
use crate::store::model::{LocalRecord, OutboxEntry, OutboxState, RecordSync};
use crate::store::model::{PullFrom, PulledChange, PulledPage};
use crate::store::{keys, Store};
use gloo_net::http::Request;
use leptos::prelude::*;
use linli_protocol::ids::Id;
use linli_protocol::sync::{
    DisplayName, EnrollRequest, EnrollResponse, InviteCode, PushResponse, PushResult,
};
use linli_protocol::text::Text;
use std::cell::Cell;
use std::rc::Rc;
use wasm_bindgen::prelude::*;
use wasm_bindgen_futures::JsFuture;

/// What the Sync screen and the header show.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct SyncStatus {
    /// Records only on this phone, waiting to be sent.
    pub pending: usize,
    /// Records the platform refused for good.
    pub rejected: Vec<OutboxEntry>,
    /// Records kept from a household this phone has left: never sent, exportable.
    pub parked: usize,
    pub last_sync_ms: Option<f64>,
    pub syncing: bool,
    /// The platform no longer knows this device.
    pub needs_reenroll: bool,
    /// The last failure, in plain words (network, platform).
    pub last_error: Option<SyncError>,
    pub enrolled: Option<EnrollResponse>,
    /// The status has been read from the phone's storage (until then `enrolled` is unknown,
    /// not "not enrolled").
    pub known: bool,
    /// Bumped whenever stored data may have changed (a save, a sync): screens reload on it.
    pub rev: u32,
    /// The last save the phone's storage refused (cleared by the next save that works): shown
    /// to the person in plain words, whichever screen they saved on.
    pub save_error: Option<crate::store::StoreError>,
}

impl SyncStatus {
    /// Whether this phone has joined a household: `None` until the stored status has been
    /// read. Screens that differ for a joined phone show "loading" while it is `None`, so an
    /// enrolled phone never flashes the invitation to join (or a form it cannot use).
    pub fn joined(&self) -> Option<bool> {
        self.known.then_some(self.enrolled.is_some())
    }
}

/// Why the last sync did not finish.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SyncError {
    Offline,
    Server,
    Refused,
    Storage,
}

/// A current time in Unix ms.
pub fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// A UUIDv7 made on the phone.
pub fn new_id() -> Id {
    let mut random = [0u8; 10];
    let ok = web_sys::window()
        .and_then(|w| w.crypto().ok())
        .is_some_and(|c| c.get_random_values_with_u8_array(&mut random).is_ok());
    if !ok {
        for b in random.iter_mut() {
            *b = (js_sys::Math::random() * 256.0) as u8;
        }
    }
    Id::v7(now_ms() as u64, random)
}

/// How long any request may take before it is given up (and retried later).
pub const REQUEST_TIMEOUT_MS: u32 = 30_000;

/// An answer from the platform.
struct Reply {
    status: u16,
    text: String,
    /// `Retry-After` (seconds) on a 429 or 503: the least wait before trying again.
    retry_after_s: Option<u32>,
}

/// Sends a request with a deadline: after [`REQUEST_TIMEOUT_MS`] it is aborted, so a platform
/// or network that never answers cannot hold the sync (and its lock) for ever. The response
/// body is read within the same deadline. `Err(None)`: no answer.
async fn send(
    req: gloo_net::http::RequestBuilder,
    body: Option<String>,
) -> Result<Reply, Option<u16>> {
    let controller = web_sys::AbortController::new().ok();
    let req = match &controller {
        Some(c) => req.abort_signal(Some(&c.signal())),
        None => req,
    };
    let req = match body {
        Some(b) => req.body(b),
        None => req.build(),
    }
    .map_err(|_| None)?;
    let _deadline = controller
        .map(|c| gloo_timers::callback::Timeout::new(REQUEST_TIMEOUT_MS, move || c.abort()));
    let res = req.send().await.map_err(|_| None)?;
    let status = res.status();
    let retry_after_s = res
        .headers()
        .get("retry-after")
        .and_then(|h| super::retry_after_s(&h));
    let text = res.text().await.map_err(|_| None)?;
    Ok(Reply {
        status,
        text,
        retry_after_s,
    })
}

/// A record saved now on this phone and its outbox entry, queued to be sent.
fn queued(id: &str, kind: &str, body: String) -> (LocalRecord, OutboxEntry) {
    let now = now_ms();
    let record = LocalRecord {
        id: id.into(),
        kind: kind.into(),
        body: body.clone(),
        sync: RecordSync::Local,
        updated_ms: now,
    };
    let entry = OutboxEntry {
        id: id.into(),
        kind: kind.into(),
        body,
        state: OutboxState::Queued,
        created_ms: now,
        attempts: 0,
        error: None,
    };
    (record, entry)
}

/// Before joining: the buildings one may pick (`PublicBuildings` JSON text), or `None` when the
/// platform cannot be reached.
pub async fn public_buildings() -> Option<String> {
    let reply = send(Request::get("/api/v1/public/buildings"), None)
        .await
        .ok()?;
    (classify(Some(reply.status)) == Outcome::Ok).then_some(reply.text)
}

/// Enrols this phone with an invite code. `Err` carries the platform's error code, or `None`
/// when the platform could not be reached.
pub async fn enroll(code: &str, name: &str, unit: &str) -> Result<EnrollResponse, Option<String>> {
    let req = EnrollRequest {
        invite_code: InviteCode::parse(code.trim())
            .map_err(|_| Some("invalid_invite".to_owned()))?,
        display_name: DisplayName::parse(name.trim())
            .map_err(|_| Some("bad_request".to_owned()))?,
        device_label: Text::parse("phone").ok(),
        unit: match unit.trim() {
            "" => None,
            u => Some(Text::parse(u).map_err(|_| Some("bad_unit".to_owned()))?),
        },
    };
    let body = to_json(&req).unwrap_or_default();
    let Reply { status, text, .. } = send(
        Request::post("/api/v1/enroll").header("Content-Type", "application/json"),
        Some(body),
    )
    .await
    .map_err(|_| None)?;
    if (200..300).contains(&status) {
        from_json::<EnrollResponse>(&text).ok_or(None)
    } else {
        let code = from_json::<linli_protocol::ErrorBody>(&text).map(|e| e.error.code);
        Err(Some(code.unwrap_or_else(|| "error".into())))
    }
}

/// The sync service: one per page, shared through context.
#[derive(Clone)]
pub struct Sync {
    pub store: Store,
    pub status: RwSignal<SyncStatus>,
    running: Rc<Cell<bool>>,
    again: Rc<Cell<bool>>,
    failures: Rc<Cell<u32>>,
    /// The longest `Retry-After` the platform asked for since the last retry was scheduled.
    retry_after_s: Rc<Cell<Option<u32>>>,
    /// This tab, for the localStorage lease where Web Locks are missing.
    tab: Rc<str>,
    /// How the app's tabs tell each other about saves. One object per tab, for sending and
    /// receiving: a BroadcastChannel never delivers to the object that posted.
    channel: Rc<Option<web_sys::BroadcastChannel>>,
}

impl Sync {
    pub fn new(store: Store, status: RwSignal<SyncStatus>) -> Sync {
        Sync {
            store,
            status,
            running: Rc::new(Cell::new(false)),
            again: Rc::new(Cell::new(false)),
            failures: Rc::new(Cell::new(0)),
            retry_after_s: Rc::new(Cell::new(None)),
            tab: format!("tab-{}", (js_sys::Math::random() * 1e12) as u64).into(),
            channel: Rc::new(web_sys::BroadcastChannel::new("linli-sync").ok()),
        }
    }

    /// Reloads the counts from the store and tells the screens that data changed.
    pub async fn refresh(&self) {
        self.read_status(true).await;
    }

    /// Reloads the counts from the store; `data_changed` makes the screens read their data again.
    pub async fn read_status(&self, data_changed: bool) {
        // One read of the outbox (refused entries included) and the rest at the same time.
        let (unsent, last, enrolled) = futures_util::future::join3(
            self.store.unsent(),
            self.store.meta(keys::LAST_SYNC),
            self.enrolled(),
        )
        .await;
        let count = |f: fn(&OutboxState) -> bool| {
            unsent
                .as_ref()
                .map(|u| u.iter().filter(|e| f(&e.state)).count())
        };
        let pending = count(|s| matches!(s, OutboxState::Queued | OutboxState::InFlight));
        let parked = count(|s| *s == OutboxState::Parked);
        // The refused ones in the order `Store::rejected` gives (the outbox is read in id order).
        let mut rejected: Vec<OutboxEntry> = unsent
            .iter()
            .flatten()
            .filter(|e| e.state == OutboxState::Rejected)
            .cloned()
            .collect();
        crate::ordering::sort_by_rank(&mut rejected, crate::store::model::send_rank);
        let last = last
            .ok()
            .flatten()
            .and_then(|v| v.parse::<i64>().ok())
            .map(|ms| ms as f64);
        self.status.update(|s| {
            s.pending = pending.unwrap_or(s.pending);
            s.parked = parked.unwrap_or(s.parked);
            s.rejected = rejected;
            s.last_sync_ms = last;
            s.enrolled = enrolled;
            s.known = true;
            if data_changed {
                s.rev = s.rev.wrapping_add(1);
            }
        });
    }

    /// This phone's enrolment, with the volunteer scope last pulled (staff may have given or
    /// taken buildings since the enrolment) over the one it was enrolled with.
    pub async fn enrolled(&self) -> Option<EnrollResponse> {
        let json = self.store.meta(keys::DEVICE).await.ok().flatten()?;
        let mut device: EnrollResponse = from_json(&json)?;
        // `{"buildings":[…]}`, read with the browser's parser (no decoder in the first load);
        // only this person's (another person of the household may have used this phone before).
        let pulled = self.store.content("volunteer_scope").await.ok();
        if let Some(scope) = pulled
            .and_then(|items| items.into_iter().find(|i| i.id == device.member_id))
            .and_then(|item| parse(&item.body))
        {
            device.volunteer_buildings = js_sys::Array::from(&get(&scope, "buildings"))
                .iter()
                .filter_map(|b| b.as_string())
                .collect();
        }
        Some(device)
    }

    /// Uses a volunteer code on this enrolled phone: its person gains the code's building, the
    /// household stays. `Err` as for [`enroll`].
    pub async fn claim_volunteer(&self, code: &str) -> Result<(), Option<String>> {
        let mut device = self.enrolled().await.ok_or(None)?;
        let body = format!(r#"{{"invite_code":{}}}"#, crate::json::quote(code.trim()));
        let (status, text) = call("POST", "/api/v1/volunteer/claim", &device.token, Some(body))
            .await
            .ok_or(None)?;
        if !(200..300).contains(&status) {
            let code = from_json::<linli_protocol::ErrorBody>(&text).map(|e| e.error.code);
            return Err(Some(code.unwrap_or_else(|| "error".into())));
        }
        let scope = from_json::<linli_protocol::volunteer::VolunteerScope>(&text).ok_or(None)?;
        device.volunteer_buildings = scope.buildings;
        let json = to_json(&device).unwrap_or_default();
        self.store
            .set_meta(keys::DEVICE, &json)
            .await
            .map_err(|_| None)?;
        self.refresh().await;
        self.trigger();
        Ok(())
    }

    /// Keeps a new enrolment. Into another household, what the old one left unsent is parked,
    /// never sent under the new one; the same household keeps everything. A storage failure is
    /// shown as such.
    pub async fn adopt(&self, device: &EnrollResponse, name: &str) {
        let json = to_json(device).unwrap_or_default();
        let before = self.enrolled().await.map(|d| d.household_id);
        let plan =
            crate::store::model::Reenrolment::between(before.as_deref(), &device.household_id);
        if self.store.adopt_enrolment(&json, name, plan).await.is_err() {
            self.status
                .update(|s| s.last_error = Some(SyncError::Storage));
        }
    }

    /// Saves a new record of the household with its outbox entry, then syncs.
    pub async fn save(&self, kind: &str, body: String) -> Result<Id, crate::store::StoreError> {
        let id = new_id();
        let (record, entry) = queued(&id.to_string(), kind, body);
        self.saved(self.store.save_with_outbox(&record, &entry).await)
            .await?;
        Ok(id)
    }

    /// After a save: a failure is kept for the banner (and returned); a success clears it,
    /// refreshes the counts and starts a sync.
    async fn saved(
        &self,
        result: Result<(), crate::store::StoreError>,
    ) -> Result<(), crate::store::StoreError> {
        let failed = result.as_ref().err().cloned();
        self.status.update(|s| s.save_error = failed);
        result?;
        self.refresh().await;
        self.trigger();
        // Another tab may be syncing (holding the lock, past reading the outbox): it syncs
        // once more when it hears of the save, instead of leaving it to the minute timer.
        if let Some(c) = self.channel.as_ref() {
            let _ = c.post_message(&JsValue::from_str("saved"));
        }
        Ok(())
    }

    /// Saves a new version of an existing record (a member's profile) and syncs.
    pub async fn save_edit(
        &self,
        kind: &str,
        id: &str,
        body: String,
    ) -> Result<(), crate::store::StoreError> {
        let (record, entry) = queued(id, kind, body);
        self.saved(self.store.save_edit(&record, &entry).await)
            .await
    }

    /// Asks for a sync now; if one is running, another follows it.
    pub fn trigger(&self) {
        if self.running.get() {
            self.again.set(true);
            return;
        }
        let this = self.clone();
        leptos::task::spawn_local(async move { this.run_locked().await });
    }

    /// Runs one sync under the cross-tab lock (a localStorage lease where Web Locks are missing).
    async fn run_locked(&self) {
        self.running.set(true);
        loop {
            self.again.set(false);
            let this = self.clone();
            let work = move || -> js_sys::Promise {
                let this = this.clone();
                wasm_bindgen_futures::future_to_promise(async move {
                    this.run_once().await;
                    Ok(JsValue::UNDEFINED)
                })
            };
            match locks() {
                Some(locks) => {
                    let options = js_sys::Object::new();
                    let _ = js_sys::Reflect::set(&options, &"ifAvailable".into(), &JsValue::TRUE);
                    let locked_work = work.clone();
                    let cb = Closure::once_into_js(move |lock: JsValue| -> js_sys::Promise {
                        if lock.is_null() {
                            js_sys::Promise::resolve(&JsValue::UNDEFINED) // another tab is syncing
                        } else {
                            locked_work()
                        }
                    });
                    let request = js_sys::Reflect::get(&locks, &"request".into())
                        .ok()
                        .and_then(|f| f.dyn_into::<js_sys::Function>().ok());
                    match request.map(|f| f.call3(&locks, &"linli-sync".into(), &options, &cb)) {
                        Some(Ok(p)) => {
                            let _ = JsFuture::from(js_sys::Promise::from(p)).await;
                        }
                        _ => {
                            let _ = JsFuture::from(work()).await;
                        }
                    }
                }
                None => {
                    if take_lease(&self.tab) {
                        let _ = JsFuture::from(work()).await;
                        release_lease(&self.tab);
                    }
                }
            }
            if !self.again.get() {
                break;
            }
        }
        self.running.set(false);
    }

    async fn run_once(&self) {
        let device = self.enrolled().await;
        self.status.update(|s| s.syncing = true);
        // Pushes tell the screens themselves, batch by batch; a pull that stored nothing (the
        // minute's sync, one that failed offline) must not make every screen read again.
        let mut stored = false;
        let (pushed, pulled) = match &device {
            // A push that fails (the platform's disk full, a refused batch) must not stop new
            // alerts from arriving: pull runs anyway, unless the device is no longer enrolled.
            Some(device) => {
                let pushed = self.push_all(&device.token).await;
                let pulled = match pushed {
                    Err(Outcome::Reenroll) => Err(Outcome::Reenroll),
                    _ => self.pull_all(Some(&device.token), &mut stored).await,
                };
                (pushed, pulled)
            }
            // Before joining, the phone reads what the community publishes, with no token.
            None => (Ok(()), self.pull_all(None, &mut stored).await),
        };
        match pushed.and(pulled) {
            Ok(()) => {
                self.failures.set(0);
                self.retry_after_s.set(None);
                let _ = self
                    .store
                    .set_meta(keys::LAST_SYNC, &(now_ms() as i64).to_string())
                    .await;
                self.status.update(|s| {
                    s.last_error = None;
                    s.needs_reenroll = false;
                });
            }
            Err(outcome) => {
                self.status.update(|s| {
                    s.needs_reenroll = outcome == Outcome::Reenroll;
                    s.last_error = Some(match outcome {
                        Outcome::RetryLater if !crate::browser::is_online() => SyncError::Offline,
                        Outcome::RetryLater => SyncError::Server,
                        Outcome::Storage => SyncError::Storage,
                        _ => SyncError::Refused,
                    });
                });
                if outcome == Outcome::RetryLater {
                    self.schedule_retry();
                }
            }
        }
        self.status.update(|s| s.syncing = false);
        self.read_status(stored).await;
    }

    fn schedule_retry(&self) {
        let failures = self.failures.get() + 1;
        self.failures.set(failures);
        let backoff = Backoff::default();
        let delay = backoff.honouring(
            backoff.delay_ms(failures, js_sys::Math::random()),
            self.retry_after_s.take(),
        );
        let this = self.clone();
        leptos::task::spawn_local(async move {
            gloo_timers::future::TimeoutFuture::new(delay as u32).await;
            this.trigger();
        });
    }

    /// Keeps the longest `Retry-After` of this sync's answers for the retry it schedules.
    fn asked_to_wait(&self, reply: &Reply) {
        let longest = self.retry_after_s.get().max(reply.retry_after_s);
        self.retry_after_s.set(longest);
    }

    async fn push_all(&self, token: &str) -> Result<(), Outcome> {
        // Only a sync holding the lock marks entries "being sent", so any found now were left by
        // one whose answer (or failure) could not be written down — storage failing mid-sync.
        // They go back in the queue here, not only at the next start-up.
        self.store
            .requeue_in_flight()
            .await
            .map_err(|_| Outcome::Storage)?;
        let mut size = PUSH_BATCH;
        loop {
            let queued = self.store.queued().await.map_err(|_| Outcome::Storage)?;
            if queued.is_empty() {
                return Ok(());
            }
            let batch: Vec<OutboxEntry> = queued.into_iter().take(size).collect();
            // Only entries still holding the body read above are sent (an edit may have landed).
            let batch = self
                .store
                .mark_in_flight(&batch)
                .await
                .map_err(|_| Outcome::Storage)?;
            if batch.is_empty() {
                continue;
            }
            // The stored bodies are already JSON text: the request is assembled, not re-encoded.
            let items: Vec<String> = batch
                .iter()
                .map(|e| {
                    format!(
                        r#"{{"id":{},"kind":{},"body":{}}}"#,
                        crate::json::quote(&e.id),
                        crate::json::quote(&e.kind),
                        e.body
                    )
                })
                .collect();
            let body = format!(r#"{{"items":[{}]}}"#, items.join(","));
            // No transaction is open across this request.
            let req = Request::post("/api/v1/sync/push")
                .header("Authorization", &format!("Bearer {token}"))
                .header("Content-Type", "application/json");
            let answer = match send(req, Some(body)).await {
                Ok(Reply { status: 413, .. }) => {
                    let _ = self.store.requeue(&batch).await;
                    match super::smaller_batch(batch.len()) {
                        Some(smaller) => {
                            size = smaller;
                            continue;
                        }
                        // One record alone is too large: keep it, refused, and send the rest.
                        None => Ok(PushResponse {
                            results: batch
                                .iter()
                                .map(|e| {
                                    PushResult::rejected(
                                        &e.id,
                                        "too_large",
                                        "body: larger than the platform accepts".into(),
                                        false,
                                    )
                                })
                                .collect(),
                        }),
                    }
                }
                Ok(reply) => match classify(Some(reply.status)) {
                    Outcome::Ok => {
                        from_json::<PushResponse>(&reply.text).ok_or(Outcome::RetryLater)
                    }
                    other => {
                        self.asked_to_wait(&reply);
                        Err(other)
                    }
                },
                Err(status) => Err(classify(status)),
            };
            match answer {
                Ok(resp) => self
                    .store
                    .apply_results(&batch, &resp.results)
                    .await
                    .map_err(|_| Outcome::Storage)?,
                Err(outcome) => {
                    let _ = self.store.requeue(&batch).await;
                    return Err(outcome);
                }
            }
            self.refresh().await;
        }
    }

    /// Pulls every page: the device's own pull with its token, or the public pull (`None`),
    /// for the building the reader picked if any.
    /// Sets `stored` when a page changed what is stored (also when a later page fails).
    async fn pull_all(&self, token: Option<&str>, stored: &mut bool) -> Result<(), Outcome> {
        let meta = |key| async move { self.store.meta(key).await.map_err(|_| Outcome::Storage) };
        // The enrolment this pull is for: a page that arrives after it changed is not applied.
        let device = meta(keys::DEVICE).await?;
        loop {
            let from = PullFrom {
                device: device.clone(),
                cursor: meta(keys::CURSOR).await?,
                log: meta(keys::LOG_ID).await?,
            };
            let query = format!(
                "cursor={}&limit={PULL_LIMIT}&log={}",
                from.cursor.as_deref().unwrap_or("0"),
                from.log.as_deref().unwrap_or_default()
            );
            let req = match token {
                Some(token) => Request::get(&format!("/api/v1/sync/pull?{query}"))
                    .header("Authorization", &format!("Bearer {token}")),
                None => {
                    // Codes are letters, digits, - and _: nothing to escape in a URL.
                    let building = meta(keys::PUBLIC_BUILDING).await?.unwrap_or_default();
                    Request::get(&format!("/api/v1/public/pull?{query}&building={building}"))
                }
            };
            let reply = send(req, None).await.map_err(classify)?;
            match classify(Some(reply.status)) {
                Outcome::Ok => {}
                other => {
                    self.asked_to_wait(&reply);
                    return Err(other);
                }
            }
            let page = read_pull_page(&reply.text).ok_or(Outcome::RetryLater)?;
            let applied = self
                .store
                .apply_pull(&page, &from)
                .await
                .map_err(|_| Outcome::Storage)?;
            *stored |= applied && (page.reset || !page.changes.is_empty());
            // Not applied: the phone joined or picked a building meanwhile, and the sync that
            // follows pulls for it from the start.
            if !applied || !page.has_more {
                return Ok(());
            }
        }
    }

    /// Starts the triggers: now, when back online, when the page becomes visible, on a timer.
    pub fn start(&self) {
        self.trigger();
        let this = self.clone();
        std::mem::forget(window_event_listener(leptos::ev::online, move |_| {
            this.trigger()
        }));
        let this = self.clone();
        std::mem::forget(window_event_listener(
            leptos::ev::visibilitychange,
            move |_| {
                let visible = web_sys::window()
                    .and_then(|w| w.document())
                    .is_some_and(|d| !d.hidden());
                if visible {
                    this.trigger();
                }
            },
        ));
        let this = self.clone();
        std::mem::forget(gloo_timers::callback::Interval::new(TIMER_MS, move || {
            this.trigger()
        }));
        // A save in another tab of the app.
        if let Some(c) = self.channel.as_ref() {
            let this = self.clone();
            let on_message = Closure::<dyn Fn()>::new(move || this.trigger());
            c.set_onmessage(Some(on_message.as_ref().unchecked_ref()));
            on_message.forget();
        }
    }
}

/// Reads a pull answer with the browser's JSON parser, keeping each body as JSON text.
fn read_pull_page(text: &str) -> Option<PulledPage> {
    let page = parse(text)?;
    let changes = js_sys::Array::from(&get(&page, "changes"))
        .iter()
        .map(|c| {
            let body = get(&c, "body");
            let delete = get(&c, "op").as_string().as_deref() == Some("delete");
            // A published item's signed envelope is kept inside its body (the screens' types
            // ignore it; the outage relay passes it on). Absent on tombstones and private kinds.
            let signed = get(&c, "signed");
            if signed.is_object() {
                let _ = js_sys::Reflect::set(&body, &JsValue::from_str("signed"), &signed);
            }
            Some(PulledChange {
                kind: get(&c, "kind").as_string()?,
                id: get(&c, "id").as_string()?,
                body: if delete || body.is_undefined() || body.is_null() {
                    None
                } else {
                    stringify(&body)
                },
            })
        })
        .collect::<Option<Vec<_>>>()?;
    Some(PulledPage {
        changes,
        next_cursor: get(&page, "next_cursor").as_f64()? as i64,
        has_more: get(&page, "has_more").as_bool()?,
        reset: get(&page, "reset").as_bool().unwrap_or(false),
        log_id: get(&page, "log_id")
            .as_string()
            .filter(|l| linli_protocol::sync::is_log_id(l)),
    })
}

const LEASE_KEY: &str = "linli-sync-lease";

fn lease_storage() -> Option<web_sys::Storage> {
    web_sys::window()?.local_storage().ok().flatten()
}

fn stored_lease(storage: &web_sys::Storage) -> Option<super::Lease> {
    let text = storage.get_item(LEASE_KEY).ok().flatten()?;
    super::Lease::parse(&text)
}

/// Takes the localStorage sync lease for `tab`; true when this tab may sync. Without
/// localStorage there is nothing to coordinate with, and the tab syncs.
fn take_lease(tab: &str) -> bool {
    let Some(storage) = lease_storage() else {
        return true;
    };
    let now = now_ms() as i64;
    if !super::Lease::may_take(stored_lease(&storage).as_ref(), tab, now) {
        return false;
    }
    let mine = super::Lease {
        tab: tab.to_owned(),
        until_ms: now + super::LEASE_MS,
    };
    if storage.set_item(LEASE_KEY, &mine.to_text()).is_err() {
        return true;
    }
    // Read back: of two tabs writing at once, the one whose write stuck syncs.
    stored_lease(&storage).is_some_and(|l| l.tab == tab)
}

/// Gives the lease back if this tab still holds it.
fn release_lease(tab: &str) {
    if let Some(storage) = lease_storage() {
        if stored_lease(&storage).is_some_and(|l| l.tab == tab) {
            let _ = storage.remove_item(LEASE_KEY);
        }
    }
}

fn locks() -> Option<JsValue> {
    let navigator = web_sys::window()?.navigator();
    let locks = js_sys::Reflect::get(&navigator, &"locks".into()).ok()?;
    (!locks.is_undefined() && !locks.is_null()).then_some(locks)
}

/// Asks the browser to keep this site's storage (after enrolment); returns whether it will.
pub async fn request_persistence() -> bool {
    let Some(storage) = web_sys::window().map(|w| w.navigator().storage()) else {
        return false;
    };
    match storage.persist() {
        Ok(p) => JsFuture::from(p)
            .await
            .ok()
            .and_then(|v| v.as_bool())
            .unwrap_or(false),
        Err(_) => false,
    }
}

/// Validates an enrolment request with the protocol's types before sending it; the error names
/// the first bad field in form order.
pub fn check_enroll(code: &str, name: &str, unit: &str) -> Result<(), &'static str> {
    use linli_protocol::sync::{DisplayName, InviteCode};
    InviteCode::parse(code.trim()).map_err(|_| "invite_code")?;
    DisplayName::parse(name.trim()).map_err(|_| "display_name")?;
    linli_protocol::volunteer::Unit::parse(unit.trim()).map_err(|_| "unit")?;
    Ok(())
}

/// A call to the platform as this phone (bearer token): the status and the text of the answer,
/// or `None` when the platform could not be reached.
pub async fn call(
    method: &str,
    path: &str,
    token: &str,
    body: Option<String>,
) -> Option<(u16, String)> {
    let auth = format!("Bearer {token}");
    let req = match method {
        "POST" => Request::post(path),
        "PUT" => Request::put(path),
        "DELETE" => Request::delete(path),
        _ => Request::get(path),
    }
    .header("Authorization", &auth)
    .header("Content-Type", "application/json");
    let reply = send(req, body).await.ok()?;
    Some((reply.status, reply.text))
}
