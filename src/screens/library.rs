//! Reading matter that must work with no network: emergency guides (shipped as precached JSON,
//! so they read offline on the very first launch), notices, and facilities with distance and
//! direction from the phone.

use super::{back, fragment, loading, local_time, pos};
use crate::data::{loaded, published};
use crate::domain::places::{bearing_deg, compass_point, distance_m, distance_text};
use crate::json::from_json;
use crate::markup::{show, Html};
use crate::state::{use_sync, use_ui};
use crate::sync::engine;
use leptos::prelude::*;
use linli_protocol::published::{Facility, FacilityKind, FacilityStatus, Guide, Hazard, Notice};

const HAZARDS: [Hazard; 8] = [
    Hazard::Earthquake,
    Hazard::Fire,
    Hazard::Flood,
    Hazard::Typhoon,
    Hazard::Epidemic,
    Hazard::PowerOutage,
    Hazard::Heat,
    Hazard::Other,
];
const HAZARD_KEYS: [&str; 8] = [
    "earthquake",
    "fire",
    "flood",
    "typhoon",
    "epidemic",
    "power_outage",
    "heat",
    "other",
];
pub const FACILITY_KINDS: [FacilityKind; 5] = [
    FacilityKind::Shelter,
    FacilityKind::AssemblyPoint,
    FacilityKind::SupplyPoint,
    FacilityKind::Clinic,
    FacilityKind::Aed,
];
const FACILITY_STATUSES: [FacilityStatus; 3] = [
    FacilityStatus::Open,
    FacilityStatus::Closed,
    FacilityStatus::Full,
];

/// Guides: the shipped ones (`/data/guides.json`), with those the platform published added,
/// or replacing the shipped guide for the same hazard. Keyed by hazard, or by id for extra ones.
async fn guides(s: Option<engine::Sync>) -> Vec<(String, Guide)> {
    // Fetched and decoded once per page load: every sync would otherwise redo both.
    thread_local!(static SHIPPED: std::cell::RefCell<Option<Vec<Guide>>> = const { std::cell::RefCell::new(None) });
    let shipped = match SHIPPED.with(|c| c.borrow().clone()) {
        Some(list) => list,
        None => {
            let list: Vec<Guide> = crate::data::shipped("/data/guides.json")
                .await
                .and_then(|t| from_json(&t))
                .unwrap_or_default();
            if !list.is_empty() {
                SHIPPED.with(|c| *c.borrow_mut() = Some(list.clone()));
            }
            list
        }
    };
    let mut out: Vec<(String, Guide)> = shipped
        .into_iter()
        .map(|g| (HAZARD_KEYS[pos(&HAZARDS, &g.hazard)].to_owned(), g))
        .collect();
    if let Some(s) = s {
        for (id, g) in published::<Guide>(&s).await {
            match out
                .iter_mut()
                .find(|(_, o)| o.hazard == g.hazard && g.hazard != Hazard::Other)
            {
                Some(slot) => slot.1 = g,
                None => out.push((id, g)),
            }
        }
    }
    out
}

/// Like [`loaded`], but runs before (and without) the store: guides need no enrolment.
fn guides_signal() -> ReadSignal<Option<Vec<(String, Guide)>>, LocalStorage> {
    let slot = use_sync();
    let rev = crate::data::data_rev();
    let (out, set) = signal_local(None);
    Effect::new(move |_| {
        rev.get();
        let s = slot.get_value();
        leptos::task::spawn_local(async move { set.set(Some(guides(s).await)) });
    });
    out
}

/// `/guides`: one card per hazard.
#[component]
pub fn GuideList() -> impl IntoView {
    let ui = use_ui();
    let data = guides_signal();
    view! {
        <section class="page" data-testid="page-guides">
            {move || {
                let t = ui.t();
                let lang = ui.lang.get().tag();
                let mut h = Html::new();
                back(&mut h, "/more", t.tab_more);
                h.el("h1", &[], t.guides_title);
                data.with(|d| match d {
                    None => loading(&mut h, t),
                    Some(list) if list.is_empty() => {
                        h.el("p", &[("class", "card")], t.guides_missing);
                    }
                    Some(list) => {
                        for (key, g) in list {
                            let href = format!("/guides/{key}");
                            h.wrap("a", &[("href", &href), ("class", "card link-card"), ("data-testid", "guide-card")], |h| {
                                h.el("strong", &[], g.title.get(lang));
                            });
                        }
                    }
                });
                show(h)
            }}
        </section>
    }
}

/// `/guides/:key`: the guide's sections and steps.
#[component]
pub fn GuideDetail(key: String) -> impl IntoView {
    let ui = use_ui();
    let data = guides_signal();
    view! {
        <section class="page" data-testid="page-guide">
            {move || {
                let t = ui.t();
                let lang = ui.lang.get().tag();
                let mut h = Html::new();
                back(&mut h, "/guides", t.guides_title);
                data.with(|d| match d.as_ref().map(|list| list.iter().find(|(k, _)| *k == key)) {
                    None => loading(&mut h, t),
                    Some(None) => {
                        h.el("p", &[("class", "card")], t.guides_missing);
                    }
                    Some(Some((_, g))) => {
                        h.el("h1", &[], g.title.get(lang));
                        for s in &g.sections {
                            h.wrap("div", &[("class", "card")], |h| {
                                h.el("h2", &[], s.heading.get(lang));
                                h.wrap("ol", &[("class", "steps")], |h| {
                                    s.steps.iter().for_each(|st| {
                                        h.el_dialable("li", &[], st.get(lang));
                                    });
                                });
                            });
                        }
                    }
                });
                show(h)
            }}
        </section>
    }
}

fn current_notices(list: Vec<(String, Notice)>) -> Vec<(String, Notice)> {
    let now = engine::now_ms() as i64;
    let mut list: Vec<_> = list
        .into_iter()
        .filter(|(_, n)| n.expires.as_ref().is_none_or(|e| e.unix_ms() > now))
        .collect();
    crate::ordering::sort_by_rank(&mut list, |(_, n)| (-n.published.unix_ms(), 0));
    list
}

/// `/notices` and `/notices/:id`: community notices (expired ones are hidden).
#[component]
pub fn Notices(open: Option<String>) -> impl IntoView {
    let ui = use_ui();
    let data = loaded(|s| async move { current_notices(published::<Notice>(&s).await) });
    view! {
        <section class="page" data-testid="page-notices">
            {move || {
                let t = ui.t();
                let lang = ui.lang.get().tag();
                let mut h = Html::new();
                match &open {
                    Some(_) => back(&mut h, "/notices", t.notices_title),
                    None => back(&mut h, "/more", t.tab_more),
                }
                data.with(|d| match (d, &open) {
                    (None, _) => loading(&mut h, t),
                    (Some(list), Some(id)) => match list.iter().find(|(i, _)| i == id) {
                        Some((_, n)) => {
                            h.wrap("article", &[("class", "card")], |h| {
                                h.el("h1", &[], n.title.get(lang));
                                h.el("p", &[("class", "hint")], &local_time(n.published.unix_ms() as f64));
                                h.el("p", &[("class", "prose")], n.body.get(lang));
                            });
                        }
                        None => {
                            h.el("p", &[("class", "card")], t.notice_gone);
                        }
                    },
                    (Some(list), None) => {
                        h.el("h1", &[], t.notices_title);
                        if list.is_empty() {
                            h.el("p", &[("class", "card")], t.notices_empty);
                        }
                        for (id, n) in list {
                            let href = format!("/notices/{id}");
                            h.wrap("a", &[("href", &href), ("class", "card link-card"), ("data-testid", "notice-card")], |h| {
                                h.el("strong", &[], n.title.get(lang));
                                h.el("span", &[("class", "hint")], &local_time(n.published.unix_ms() as f64));
                            });
                        }
                    }
                });
                show(h)
            }}
        </section>
    }
}

/// A number as JavaScript writes it (keeps Rust's float formatting out of the wasm).
fn js_number(x: f64) -> String {
    js_sys::Number::from(x)
        .to_string_with_radix(10)
        .map(String::from)
        .unwrap_or_default()
}

#[derive(Clone, Copy, PartialEq)]
enum Position {
    Unknown,
    Asking,
    At(f64, f64),
    Failed,
}

/// Asks the browser for the phone's position (GPS works offline); only after a tap.
fn locate(position: RwSignal<Position>) {
    use wasm_bindgen::closure::Closure;
    use wasm_bindgen::JsCast;
    let Some(geo) = web_sys::window().and_then(|w| w.navigator().geolocation().ok()) else {
        position.set(Position::Failed);
        return;
    };
    position.set(Position::Asking);
    let ok = Closure::once_into_js(move |p: wasm_bindgen::JsValue| {
        let coords = js_sys::Reflect::get(&p, &"coords".into()).unwrap_or_default();
        let get = |k: &str| {
            js_sys::Reflect::get(&coords, &k.into())
                .ok()
                .and_then(|v| v.as_f64())
        };
        position.set(match (get("latitude"), get("longitude")) {
            (Some(lat), Some(lon)) => Position::At(lat, lon),
            _ => Position::Failed,
        });
    });
    let err = Closure::once_into_js(move |_: wasm_bindgen::JsValue| position.set(Position::Failed));
    let options = web_sys::PositionOptions::new();
    options.set_maximum_age(600_000);
    options.set_timeout(20_000);
    if geo
        .get_current_position_with_error_callback_and_options(
            ok.unchecked_ref(),
            Some(err.unchecked_ref()),
            &options,
        )
        .is_err()
    {
        position.set(Position::Failed);
    }
}

/// `/facilities`: shelters, assembly points, supply points, clinics and AEDs, filtered by kind,
/// nearest first once the phone's position is known.
#[component]
pub fn Facilities() -> impl IntoView {
    let ui = use_ui();
    let data = loaded(|s| async move { published::<Facility>(&s).await });
    let filter = RwSignal::new(None::<FacilityKind>);
    let position = RwSignal::new(Position::Unknown);
    view! {
        <section class="page" data-testid="page-facilities">
            {move || {
                let t = ui.t();
                let lang = ui.lang.get().tag();
                let kind = filter.get();
                let here = position.get();
                let chip = move |k: Option<FacilityKind>, label: &'static str| view! {
                    <button class="chip" aria-pressed=(kind == k).to_string() on:click=move |_| filter.set(k)>{label}</button>
                };
                let list = data.get().map(|list| {
                    let mut list: Vec<(Option<f64>, Facility)> = list
                        .into_iter()
                        .map(|(_, f)| f)
                        .filter(|f| kind.is_none_or(|k| f.kind == k))
                        .map(|f| {
                            let d = match here {
                                Position::At(lat, lon) => Some(distance_m(lat, lon, f.lat.into(), f.lon.into())),
                                _ => None,
                            };
                            (d, f)
                        })
                        .collect();
                    crate::ordering::sort_by_rank(&mut list, |(d, _)| (d.map_or(0, |d| d as i64), 0));
                    list
                });
                view! {
                    {show(fragment(|h| {
                        back(h, "/more", t.tab_more);
                        h.el("h1", &[], t.facilities_title);
                    }))}
                    <div class="chips" role="group" aria-label=t.facility_filter>
                        {chip(None, t.facility_all)}
                        {FACILITY_KINDS.into_iter().enumerate().map(|(i, k)| chip(Some(k), t.facility_kinds[i])).collect_view()}
                    </div>
                    <div class="card">
                        <button class="btn" on:click=move |_| locate(position) disabled=here == Position::Asking data-testid="locate">{t.locate}</button>
                        <p class="hint" role="status">{match here {
                            Position::Unknown => t.words().locate_hint,
                            Position::Asking => t.locating,
                            Position::At(..) => t.located,
                            Position::Failed => t.words().locate_failed,
                        }}</p>
                    </div>
                    {show(fragment(|h| match list {
                        None => loading(h, t),
                        Some(l) if l.is_empty() => {
                            h.el("p", &[("class", "card")], t.facilities_empty);
                        }
                        Some(l) => l.iter().for_each(|(d, f)| facility_card(h, t, lang, here, *d, f)),
                    }))}
                }
            }}
        </section>
    }
}

/// One facility: kind, status, name, address, capacity, hours, distance and direction, map link.
fn facility_card(
    h: &mut Html,
    t: &'static crate::i18n::Strings,
    lang: &str,
    here: Position,
    distance: Option<f64>,
    f: &Facility,
) {
    let (lat, lon): (f64, f64) = (f.lat.into(), f.lon.into());
    let maps = format!(
        "https://www.google.com/maps/search/?api=1&query={},{}",
        js_number(lat),
        js_number(lon)
    );
    let status = pos(&FACILITY_STATUSES, &f.status);
    h.wrap(
        "div",
        &[("class", "card facility"), ("data-testid", "facility-card")],
        |h| {
            h.wrap("p", &[], |h| {
                h.el(
                    "span",
                    &[("class", "badge")],
                    t.facility_kinds[pos(&FACILITY_KINDS, &f.kind)],
                );
                h.text(" ");
                h.el(
                    "span",
                    &[("class", &format!("badge facility-{status}"))],
                    t.facility_statuses[status],
                );
            });
            h.el("h2", &[], f.name.get(lang));
            h.el("p", &[], f.address.get(lang));
            if let Some(c) = f.capacity {
                h.el("p", &[], &format!("{}{c}", t.capacity));
            }
            if let Some(hours) = &f.hours {
                h.el("p", &[], hours.get(lang));
            }
            if let Some(d) = distance {
                h.wrap("p", &[("data-testid", "facility-distance")], |h| {
                    h.el("strong", &[], &distance_text(d)).text(" ");
                    if let Position::At(a, b) = here {
                        h.text(t.compass[compass_point(bearing_deg(a, b, lat, lon))]);
                    }
                });
            }
            h.el(
                "a",
                &[
                    ("class", "btn"),
                    ("href", &maps),
                    ("target", "_blank"),
                    ("rel", "noopener noreferrer"),
                ],
                t.open_in_maps,
            );
        },
    );
}
