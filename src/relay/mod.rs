//! Outage relay (in the `volunteer` chunk, see `src/chunks.rs`): phones pass records and signed alerts to each other by QR
//! codes or a file, with no network at all.
//!
//! - **Hand over** (`/relay/send`): this phone's unsent records, sealed to the platform's key
//!   (only the community can read them), shown as a loop of QR codes; the volunteer's phone
//!   scans them, shows a receipt, this phone scans the receipt and shows "handed to a
//!   volunteer". The records stay in this phone's outbox until the platform's own answer.
//! - **Pass on** (`/relay/alerts`): the community's signed alerts and rebuttals as QR codes;
//!   the other phone checks each signature before showing anything as official.
//! - **Scan** (`/relay/scan`): camera (an explicit button), a photo, or a file.
//!
//! Formats and checks are in `linli_protocol::{relay, carry, signing, seal}`; the rules of
//! what is offered and remembered in [`plan`]; the browser's half in [`camera`].

pub mod camera;
pub mod plan;
pub mod words;

use crate::data::{loaded, service};
use crate::markup::{show, Html};
use crate::state::{use_sync, use_ui};
use crate::store::keys;
use crate::store::model::{ContentItem, OutboxState};
use crate::sync::engine::Sync;
use leptos::prelude::*;
use linli_protocol::carry::{self, Bundle};
use linli_protocol::relay::{self, Assembler, Density, RelayError};
use linli_protocol::signing::KeySet;
use linli_protocol::sync::{PulledKind, PushedKind};
use plan::{Handed, Offers};
use words::relay_words;

/// Meta keys of the relay.
const OFFERED: &str = "relay_offered";
const HANDED: &str = "relay_handed";
const RECEIVED: &str = "relay_received";
/// How fast the QR loop turns (ms per code): 3 per second.
const FRAME_MS: u32 = 333;
/// How often a camera picture is decoded (ms).
const SCAN_MS: u32 = 150;
/// A label that holds a file input: the label is the button (its text the input's name).
const LABEL_STYLE: &str = "position:relative";
/// The file input itself, invisible but still focusable and named by its label.
const HIDDEN_INPUT: &str =
    "position:absolute;inset:0;opacity:0;width:100%;height:100%;cursor:pointer";
/// The largest relay file read.
const MAX_FILE_BYTES: f64 = 512.0 * 1024.0;

/// Calls `tick` every `ms` until it returns false.
fn every(ms: u32, tick: impl Fn() -> bool + 'static) {
    leptos::task::spawn_local(async move {
        loop {
            gloo_timers::future::TimeoutFuture::new(ms).await;
            if !tick() {
                break;
            }
        }
    });
}

/// The keys this phone trusts, from what it received from the platform.
async fn trusted(s: &Sync) -> Option<KeySet> {
    let first = s.store.meta(keys::KEYS_FIRST).await.ok()??;
    let latest = s.store.meta(keys::KEYS_LATEST).await.ok().flatten();
    carry::trusted_keys(&first, latest.as_deref()).ok()
}

/// `N` random bytes from the browser's CSPRNG.
fn random<const N: usize>() -> Option<[u8; N]> {
    camera::random(N as u32)?.try_into().ok()
}

fn now_ms() -> f64 {
    js_sys::Date::now()
}

/// The ids of records still waiting to be sent.
async fn unsent_ids(s: &Sync) -> Vec<String> {
    s.store
        .unsent()
        .await
        .unwrap_or_default()
        .into_iter()
        .filter(|e| matches!(e.state, OutboxState::Queued | OutboxState::InFlight))
        .map(|e| e.id)
        .collect()
}

/// One QR code as an SVG path (4-module quiet zone), from the protocol's encoder.
fn qr_svg(text: &str, version: u8) -> Option<(String, usize)> {
    let (size, modules) = relay::qr_matrix(text, version).ok()?;
    let d = crate::qr::svg_path(size, |x, y| modules[y * size + x]);
    Some((d, size + 8))
}

/// A QR code drawn large, on white, with its accessible name.
fn qr_view(text: &str, version: u8, label: &'static str, testid: &'static str) -> impl IntoView {
    qr_svg(text, version).map(|(d, side)| {
        view! {
            <svg style="display:block;width:100%;max-width:28rem;height:auto;margin:.5rem auto" viewBox=format!("0 0 {side} {side}") role="img" aria-label=label
                data-testid=testid data-text=text.to_owned()>
                <rect width="100%" height="100%" fill="#fff"></rect>
                <path d=d fill="#000"></path>
            </svg>
        }
    })
}

/// The relay hub: what this phone can hand over, pass on, or scan.
#[component]
pub fn RelayHome() -> impl IntoView {
    let ui = use_ui();
    let counts = loaded(|s: Sync| async move {
        let unsent = unsent_ids(&s).await;
        let handed = Handed::read(s.store.meta(HANDED).await.ok().flatten().as_deref());
        let alerts = s
            .store
            .content(PulledKind::Alert.as_str())
            .await
            .unwrap_or_default();
        let rebuttals = s
            .store
            .content(PulledKind::Rebuttal.as_str())
            .await
            .unwrap_or_default();
        let passable = plan::content_to_pass(&alerts, &rebuttals, now_ms() as i64).len();
        (unsent.len(), handed.waiting(&unsent), passable)
    });
    move || {
        let t = ui.t();
        let w = relay_words(t);
        let mut h = Html::new();
        h.wrap(
            "section",
            &[("class", "page"), ("data-testid", "page-relay")],
            |h| {
                crate::screens::back(h, "/sync", t.sync_title);
                h.el("h1", &[], w.title);
                h.el("p", &[], w.intro);
                let Some((waiting, handed, passable)) = counts.get() else {
                    crate::screens::loading(h, t);
                    return;
                };
                h.wrap("div", &[("class", "card")], |h| {
                    h.el("h2", &[], w.hand_title);
                    h.el("p", &[("class", "hint")], w.hand_body);
                    if waiting == 0 {
                        h.el("p", &[("data-testid", "relay-waiting")], w.hand_none);
                    } else {
                        h.el(
                            "p",
                            &[("data-testid", "relay-waiting")],
                            &(w.waiting)(waiting),
                        );
                        if handed > 0 {
                            h.el(
                                "p",
                                &[("data-testid", "relay-handed")],
                                &(w.handed_waiting)(handed),
                            );
                        }
                        h.el(
                            "a",
                            &[
                                ("href", "/relay/send"),
                                ("class", "btn btn-primary"),
                                ("data-testid", "relay-hand"),
                            ],
                            w.hand_open,
                        );
                    }
                });
                h.wrap("div", &[("class", "card")], |h| {
                    h.el("h2", &[], w.pass_title);
                    h.el("p", &[("class", "hint")], w.pass_body);
                    if passable == 0 {
                        h.el("p", &[], w.pass_none);
                    } else {
                        h.el("p", &[], &(w.passable)(passable));
                        h.el(
                            "a",
                            &[
                                ("href", "/relay/alerts"),
                                ("class", "btn"),
                                ("data-testid", "relay-pass"),
                            ],
                            w.pass_open,
                        );
                    }
                });
                h.wrap("div", &[("class", "card")], |h| {
                    h.el("h2", &[], w.scan_title);
                    h.el("p", &[("class", "hint")], w.scan_body);
                    h.el(
                        "a",
                        &[
                            ("href", "/relay/scan"),
                            ("class", "btn"),
                            ("data-testid", "relay-scan"),
                        ],
                        w.scan_open,
                    );
                });
            },
        );
        show(h)
    }
}

/// What the QR loop shows, once prepared.
#[derive(Clone, PartialEq)]
enum Prepared {
    Loading,
    /// Why nothing can be shown.
    Cannot(Cannot),
    Ready {
        frames: Vec<String>,
        /// The same message at the highest density, for the file.
        file: String,
    },
}

/// Which loop: this phone's records, or the community's signed content.
#[derive(Clone, Copy, PartialEq)]
pub enum Offer {
    Records,
    Content,
}

/// Why an offer cannot be shown.
#[derive(Clone, Copy, Debug, PartialEq)]
enum Cannot {
    NotJoined,
    NothingWaiting,
    NothingSigned,
    NoKeys,
    TooMany,
    Storage,
}

impl Cannot {
    fn words(self, w: &'static words::RelayWords) -> &'static str {
        match self {
            Cannot::NotJoined => w.not_joined,
            Cannot::NothingWaiting => w.hand_none,
            Cannot::NothingSigned => w.pass_none,
            Cannot::NoKeys => w.no_keys,
            Cannot::TooMany => w.too_many,
            Cannot::Storage => w.save_failed,
        }
    }
}

/// Builds the bundle (sealing records to the platform's key, once per screen) and remembers a
/// records offer for its receipt.
async fn prepare(s: &Sync, offer: Offer) -> Result<Bundle, Cannot> {
    Ok(match offer {
        Offer::Records => {
            let device = s.enrolled().await.ok_or(Cannot::NotJoined)?;
            let items = plan::records_to_hand(&s.store.unsent().await.unwrap_or_default());
            if items.is_empty() {
                return Err(Cannot::NothingWaiting);
            }
            let keys = trusted(s).await.ok_or(Cannot::NoKeys)?;
            let (Some(eph), Some(nonce)) = (random::<32>(), random::<12>()) else {
                return Err(Cannot::Storage);
            };
            let ids: Vec<String> = items.iter().map(|i| i.id.clone()).collect();
            let bundle = carry::seal_records(&keys, &device.token, items, eph, nonce)
                .map_err(|_| Cannot::NoKeys)?;
            let (message, _) = bundle.frames(Density::High).map_err(|_| Cannot::TooMany)?;
            let mut offers = Offers::read(s.store.meta(OFFERED).await.ok().flatten().as_deref());
            offers.remember(&message, ids);
            s.store
                .set_meta(OFFERED, &offers.to_json())
                .await
                .map_err(|_| Cannot::Storage)?;
            bundle
        }
        Offer::Content => {
            let alerts = s
                .store
                .content(PulledKind::Alert.as_str())
                .await
                .unwrap_or_default();
            let rebuttals = s
                .store
                .content(PulledKind::Rebuttal.as_str())
                .await
                .unwrap_or_default();
            let signed = plan::content_to_pass(&alerts, &rebuttals, now_ms() as i64);
            if signed.is_empty() {
                return Err(Cannot::NothingSigned);
            }
            Bundle::Content {
                v: carry::BUNDLE_VERSION,
                signed,
            }
        }
    })
}

/// The frames of a bundle at `density`, and the same message at the highest density as the
/// file's text (a size change cuts the same message again: a half-scanned loop goes on).
fn cut(bundle: &Bundle, density: Density) -> Prepared {
    match (bundle.frames(density), bundle.frames(Density::High)) {
        (Ok((_, frames)), Ok((_, file))) => Prepared::Ready {
            frames,
            file: file.join("\n"),
        },
        _ => Prepared::Cannot(Cannot::TooMany),
    }
}

/// The QR loop of an offer, with its density setting and the file.
#[component]
pub fn ShowFrames(offer: Offer) -> impl IntoView {
    let ui = use_ui();
    let sync = use_sync();
    let density = RwSignal::new(Density::Medium);
    let prepared = RwSignal::new(Prepared::Loading);
    let shown = RwSignal::new(0usize);
    let bundle = StoredValue::new_local(None::<Bundle>);
    Effect::new(move |_| {
        let d = density.get();
        shown.set(0);
        if let Some(ready) = bundle.with_value(|b| b.as_ref().map(|b| cut(b, d))) {
            prepared.set(ready);
            return;
        }
        leptos::task::spawn_local(async move {
            let s = service(sync).await;
            let made = prepare(&s, offer).await;
            let _ = prepared.try_set(match made {
                Ok(b) => {
                    let ready = cut(&b, density.get_untracked());
                    bundle.set_value(Some(b));
                    ready
                }
                Err(why) => Prepared::Cannot(why),
            });
        });
    });
    // The loop turns until the screen is left (its signals are gone).
    every(FRAME_MS, move || {
        let n = prepared
            .try_with_untracked(|p| match p {
                Prepared::Ready { frames, .. } => frames.len(),
                _ => 0,
            })
            .unwrap_or(0);
        shown.try_update(|i| *i = (*i + 1) % n.max(1)).is_some()
    });
    view! {
        <section class="page" data-testid="page-relay-show">
            {move || {
                let t = ui.t();
                let w = relay_words(t);
                let mut h = Html::new();
                crate::screens::back(&mut h, "/relay", w.title);
                h.el("h1", &[], if offer == Offer::Records { w.hand_title } else { w.pass_title });
                show(h)
            }}
            {move || {
                let t = ui.t();
                let w = relay_words(t);
                match prepared.get() {
                    Prepared::Loading => show(crate::screens::fragment(|h| crate::screens::loading(h, t))).into_any(),
                    Prepared::Cannot(why) => view! {
                        <p class="card" role="alert" data-testid="relay-cannot">{why.words(w)}</p>
                    }.into_any(),
                    Prepared::Ready { frames, file } => {
                        let total = frames.len();
                        let all = frames.join("\n");
                        let version = density.get_untracked().version();
                        let file_for_save = file.clone();
                        view! {
                            <div class="card relay-show" data-testid="relay-frames" data-frames=all data-file=file>
                                <p class="hint">{w.keep_showing}</p>
                                {move || {
                                    let i = shown.get().min(total.saturating_sub(1));
                                    frames.get(i).map(|f| qr_view(f, version, w.qr_label, "relay-qr"))
                                }}
                                <p role="status" data-testid="relay-frame-of">{move || (w.frame_of)(shown.get() + 1, total)}</p>
                                <div class="form">
                                <label for="relay-density">{w.density_label}</label>
                                <select id="relay-density" data-testid="relay-density"
                                    on:change=move |ev| {
                                        if let Some(d) = Density::parse(&event_target_value(&ev)) {
                                            density.set(d);
                                        }
                                    }>
                                    {Density::ALL.iter().zip(w.densities).map(|(d, name)| view! {
                                        <option value=d.as_str() selected=*d == density.get_untracked()>{name}</option>
                                    }).collect_view()}
                                </select>
                                </div>
                                <button class="btn" data-testid="relay-save-file"
                                    on:click=move |_| camera::save_file("linli-relay.txt", &file_for_save)>{w.save_file}</button>
                                <p class="hint">{w.file_hint}</p>
                                {(offer == Offer::Records).then(|| view! {
                                    <a href="/relay/scan" class="btn btn-primary" data-testid="relay-to-receipt">{w.scan_receipt}</a>
                                })}
                            </div>
                        }.into_any()
                    }
                }
            }}
        </section>
    }
}

/// What a scan came to.
#[derive(Clone, PartialEq)]
enum Outcome {
    Nothing,
    /// A frame of another message arrived while one was being collected.
    OtherMessage,
    /// The camera misread a code (the whole did not check out): collecting starts again while
    /// the camera stays on.
    Misread,
    Damaged,
    NotRelay,
    SaveFailed,
    Records {
        count: usize,
        kinds: Vec<(PushedKind, usize)>,
        receipt: String,
        again: bool,
    },
    Content {
        /// (kind, id, title) of each checked item.
        checked: Vec<(PulledKind, String, String)>,
        refused: usize,
    },
    CannotCheck,
    Receipt(usize),
    ReceiptUnknown,
}

/// Stores a whole message: records into this phone's outbox as one `relayed` record (sent when
/// online, like its own), content after checking every signature.
async fn take_message(s: &Sync, packed: Vec<u8>, lang: &str) -> Outcome {
    let Ok(message) = relay::message_id(&packed) else {
        return Outcome::Damaged;
    };
    match Bundle::unpack(&packed) {
        Ok(bundle @ Bundle::Records { .. }) => {
            let Bundle::Records { items, .. } = &bundle else {
                return Outcome::Damaged;
            };
            let count = bundle.count();
            let kinds = plan::by_kind(items.iter().map(|i| i.kind));
            let receipt = relay::receipt(&message, count);
            let mut seen: Vec<String> = s
                .store
                .meta(RECEIVED)
                .await
                .ok()
                .flatten()
                .and_then(|j| serde_json::from_str(&j).ok())
                .unwrap_or_default();
            let again = seen.contains(&message);
            if !again {
                let Some(body) = bundle.relayed_body() else {
                    return Outcome::Damaged;
                };
                if s.save(PushedKind::Relayed.as_str(), body).await.is_err() {
                    return Outcome::SaveFailed;
                }
                seen.push(message);
                let keep = seen.len().saturating_sub(50);
                seen.drain(..keep);
                let _ = s
                    .store
                    .set_meta(RECEIVED, &serde_json::to_string(&seen).unwrap_or_default())
                    .await;
            }
            Outcome::Records {
                count,
                kinds,
                receipt,
                again,
            }
        }
        Ok(Bundle::Content { signed, .. }) => {
            let Some(keys) = trusted(s).await else {
                return Outcome::CannotCheck;
            };
            let now = now_ms() as i64;
            // What this phone already holds stays: a passed-on copy may be older (an alert
            // since updated or cancelled), and its own came from the platform.
            let mut held: Vec<String> = Vec::new();
            for kind in [PulledKind::Alert, PulledKind::Rebuttal] {
                held.extend(
                    s.store
                        .content(kind.as_str())
                        .await
                        .unwrap_or_default()
                        .into_iter()
                        .map(|c| c.key),
                );
            }
            let mut items = Vec::new();
            let mut checked = Vec::new();
            let mut refused = 0;
            for env in &signed {
                match carry::check(&keys, env, now) {
                    Ok(c) => {
                        let Some(body) = plan::stored_body(&c.body, env) else {
                            refused += 1;
                            continue;
                        };
                        checked.push((c.kind, c.id.clone(), title(c.kind, &c.body, lang)));
                        let key = format!("{}:{}", c.kind.as_str(), c.id);
                        if held.contains(&key) {
                            continue;
                        }
                        items.push(ContentItem {
                            key,
                            kind: c.kind.as_str().to_owned(),
                            id: c.id,
                            body,
                        });
                    }
                    Err(_) => refused += 1,
                }
            }
            if !items.is_empty() {
                if s.store.put_content(&items).await.is_err() {
                    return Outcome::SaveFailed;
                }
                s.refresh().await;
            }
            Outcome::Content { checked, refused }
        }
        Err(_) => Outcome::Damaged,
    }
}

/// The headline of an alert or the claim of a rebuttal, in `lang`.
fn title(kind: PulledKind, body: &str, lang: &str) -> String {
    use linli_protocol::published::{Alert, Rebuttal};
    match kind {
        PulledKind::Alert => serde_json::from_str::<Alert>(body)
            .map(|a| a.headline.get(lang).to_owned())
            .unwrap_or_default(),
        PulledKind::Rebuttal => serde_json::from_str::<Rebuttal>(body)
            .map(|r| r.claim.get(lang).to_owned())
            .unwrap_or_default(),
        _ => String::new(),
    }
}

/// A receipt scanned by the phone that showed the records: those records are marked handed.
async fn take_receipt(s: &Sync, message: &str, count: usize) -> Outcome {
    let offers = Offers::read(s.store.meta(OFFERED).await.ok().flatten().as_deref());
    let Some(ids) = offers.receipt(message, count) else {
        return Outcome::ReceiptUnknown;
    };
    let unsent = unsent_ids(s).await;
    let mut handed = Handed::read(s.store.meta(HANDED).await.ok().flatten().as_deref());
    handed.mark(ids, now_ms(), &unsent);
    if s.store.set_meta(HANDED, &handed.to_json()).await.is_err() {
        return Outcome::SaveFailed;
    }
    Outcome::Receipt(count)
}

/// The scanner: camera, photo or file; frames are collected until the message is whole.
#[component]
pub fn Scan() -> impl IntoView {
    let ui = use_ui();
    let sync = use_sync();
    let assembler = StoredValue::new_local(Assembler::new());
    let progress = RwSignal::new(None::<(usize, usize)>);
    let outcome = RwSignal::new(Outcome::Nothing);
    let busy = RwSignal::new(false);
    let camera_on = RwSignal::new(false);
    // The browser is asking for the camera: another tap must not open a second stream.
    let starting = RwSignal::new(false);
    let denied = RwSignal::new(false);
    let camera = StoredValue::new_local(None::<camera::Camera>);
    // Which start of the camera the scanning loop belongs to (a stop ends it).
    let run = StoredValue::new_local(0u32);
    let video = NodeRef::<leptos::html::Video>::new();

    let stop_camera = move || {
        run.try_update_value(|r| *r += 1);
        if let Some(c) = camera.try_update_value(Option::take).flatten() {
            c.stop();
        }
        let _ = camera_on.try_set(false);
    };
    on_cleanup(stop_camera);

    // Every text found (camera, photo or file lines) goes through here.
    let take = move |texts: Vec<String>, from_photo: bool| {
        if busy.get_untracked() {
            return;
        }
        let mut relay_texts = 0;
        for text in texts {
            if let Ok((message, count)) = relay::parse_receipt(&text) {
                busy.set(true);
                stop_camera();
                leptos::task::spawn_local(async move {
                    let s = service(sync).await;
                    outcome.set(take_receipt(&s, &message, count).await);
                    busy.set(false);
                });
                return;
            }
            if !relay::is_frame(&text) {
                continue;
            }
            relay_texts += 1;
            let added = assembler.try_update_value(|a| a.add(&text));
            match added {
                Some(Ok(p)) => {
                    progress.set(Some((p.received, p.total)));
                    if matches!(
                        outcome.get_untracked(),
                        Outcome::OtherMessage | Outcome::Misread
                    ) {
                        outcome.set(Outcome::Nothing);
                    }
                }
                Some(Err(RelayError::OtherMessage)) => outcome.set(Outcome::OtherMessage),
                _ => {}
            }
            let finished = assembler.with_value(|a| a.finish());
            // A code misread by the camera spoils the whole: start collecting again while the
            // other phone's loop goes on (a photo or a file is not read again by itself).
            if matches!(finished, Some(Err(_))) && camera_on.get_untracked() {
                assembler.set_value(Assembler::new());
                progress.set(None);
                outcome.set(Outcome::Misread);
                continue;
            }
            if let Some(result) = finished {
                busy.set(true);
                stop_camera();
                let lang = ui.lang.get_untracked().tag();
                leptos::task::spawn_local(async move {
                    let s = service(sync).await;
                    let got = match result {
                        Ok(packed) => take_message(&s, packed, lang).await,
                        Err(_) => Outcome::Damaged,
                    };
                    assembler.set_value(Assembler::new());
                    outcome.set(got);
                    busy.set(false);
                });
                return;
            }
        }
        if from_photo && relay_texts == 0 {
            outcome.set(Outcome::NotRelay);
        }
    };

    let start_camera = move |_| {
        if starting.get_untracked() || camera_on.get_untracked() {
            return;
        }
        denied.set(false);
        let Some(el) = video.get() else { return };
        starting.set(true);
        leptos::task::spawn_local(async move {
            let cam = camera::Camera::start(el.into()).await;
            let _ = starting.try_set(false);
            let Some(cam) = cam else {
                let _ = denied.try_set(true);
                return;
            };
            // The screen may have been left while the browser asked: turn the camera off.
            if let Some(Some(cam)) = camera.try_set_value(Some(cam)) {
                cam.stop();
                return;
            }
            camera_on.set(true);
            let Some(this_run) = run.try_get_value() else {
                return;
            };
            every(SCAN_MS, move || {
                if run.try_get_value() != Some(this_run) {
                    return false;
                }
                let texts = camera.with_value(|c| c.as_ref().map(|c| c.scan()).unwrap_or_default());
                if !texts.is_empty() {
                    take(texts, false);
                }
                true
            });
        });
    };
    let photo = move |ev: leptos::ev::Event| {
        let Some(file) = camera::chosen_file(&ev) else {
            return;
        };
        leptos::task::spawn_local(async move {
            take(camera::scan_photo(&file).await, true);
        });
    };
    let open_file = move |ev: leptos::ev::Event| {
        let Some(file) = camera::chosen_file(&ev) else {
            return;
        };
        leptos::task::spawn_local(async move {
            match camera::read_text(&file, MAX_FILE_BYTES).await {
                Some(text) => take(plan::file_frames(&text), true),
                None => outcome.set(Outcome::Damaged),
            }
        });
    };
    let restart = move |_| {
        assembler.set_value(Assembler::new());
        progress.set(None);
        outcome.set(Outcome::Nothing);
    };

    view! {
        <section class="page" data-testid="page-relay-scan">
            {move || {
                let w = relay_words(ui.t());
                let mut h = Html::new();
                crate::screens::back(&mut h, "/relay", w.title);
                h.el("h1", &[], w.scan_title);
                h.el("p", &[("class", "hint")], w.camera_hint);
                show(h)
            }}
            <div class="card">
                <video node_ref=video style="width:100%;max-height:60vh;background:#000"
                    hidden=move || !camera_on.get()
                    aria-hidden="true" data-testid="relay-video"></video>
                {move || {
                    let w = relay_words(ui.t());
                    if camera_on.get() {
                        view! { <button class="btn" on:click=move |_| stop_camera() data-testid="relay-camera-off">{w.camera_off}</button> }.into_any()
                    } else {
                        view! { <button class="btn btn-primary" on:click=start_camera disabled=move || starting.get() data-testid="relay-camera-on">{w.camera_on}</button> }.into_any()
                    }
                }}
                {move || denied.get().then(|| view! {
                    <p class="field-error" role="alert" data-testid="relay-camera-denied">{relay_words(ui.t()).camera_denied}</p>
                })}
                <label class="btn" style=LABEL_STYLE>
                    {move || relay_words(ui.t()).photo}
                    <input type="file" accept="image/*" capture="environment" style=HIDDEN_INPUT
                        on:change=photo data-testid="relay-photo"/>
                </label>
                <label class="btn" style=LABEL_STYLE>
                    {move || relay_words(ui.t()).open_file}
                    <input type="file" accept=".txt,text/plain" style=HIDDEN_INPUT
                        on:change=open_file data-testid="relay-file"/>
                </label>
            </div>
            <div class="card" role="status" aria-live="polite" data-testid="relay-progress">
                {move || {
                    let w = relay_words(ui.t());
                    progress.get().map(|(k, n)| (w.progress)(k, n))
                }}
            </div>
            {move || {
                let t = ui.t();
                let w = relay_words(t);
                match outcome.get() {
                    Outcome::Nothing => None,
                    Outcome::OtherMessage => Some(view! {
                        <div class="card" role="alert" data-testid="relay-other">
                            <p>{w.other_message}</p>
                            <button class="btn" on:click=restart>{w.start_again}</button>
                        </div>
                    }.into_any()),
                    Outcome::Records { count, kinds, receipt, again } => {
                        let names = kinds.iter().map(|(k, n)| {
                            let i = PushedKind::ALL.iter().position(|a| a == k).unwrap_or(0);
                            format!("{} {n}", t.words().record_kinds.get(i).copied().unwrap_or(k.as_str()))
                        }).collect::<Vec<_>>().join(", ");
                        Some(view! {
                            <div class="card" role="status" data-testid="relay-received">
                                <p><strong>{if again { w.already.to_owned() } else { (w.received)(count) }}</strong></p>
                                <p>{w.received_kinds}{names}</p>
                                <p>{w.receipt_show}</p>
                                {qr_view(&receipt, 1, w.qr_label, "relay-receipt")}
                                <button class="btn" on:click=restart>{w.start_again}</button>
                            </div>
                        }.into_any())
                    }
                    Outcome::Content { checked, refused } => Some(view! {
                        <div class="card" role="status" data-testid="relay-content">
                            <ul class="plain">
                                {checked.into_iter().map(|(kind, id, title)| {
                                    let href = match kind {
                                        PulledKind::Rebuttal => format!("/rumors/{id}"),
                                        _ => format!("/alerts/{id}"),
                                    };
                                    view! {
                                        <li data-testid="relay-checked">
                                            <span class="badge">{w.checked}</span>" "
                                            <a href=href>{(w.open_item)(&title)}</a>
                                        </li>
                                    }
                                }).collect_view()}
                            </ul>
                            {(refused > 0).then(|| view! {
                                <p class="field-error" data-testid="relay-refused">{(w.refused)(refused)}</p>
                            })}
                            <button class="btn" on:click=restart>{w.start_again}</button>
                        </div>
                    }.into_any()),
                    Outcome::Misread => Some(view! {
                        <p class="card" role="status" data-testid="relay-misread">{w.misread}</p>
                    }.into_any()),
                    Outcome::Receipt(count) => Some(view! {
                        <p class="card" role="status" data-testid="relay-receipt-ok">{(w.receipt_ok)(count)}</p>
                    }.into_any()),
                    other => {
                        let text = match other {
                            Outcome::Damaged => w.damaged,
                            Outcome::NotRelay => w.not_relay,
                            Outcome::SaveFailed => w.save_failed,
                            Outcome::CannotCheck => w.cannot_check,
                            _ => w.receipt_unknown,
                        };
                        Some(view! {
                            <div class="card" role="alert" data-testid="relay-problem">
                                <p>{text}</p>
                                <button class="btn" on:click=restart>{w.start_again}</button>
                            </div>
                        }.into_any())
                    }
                }
            }}
        </section>
    }
}
