//! The app shell: header with connectivity, update prompt, routes and the bottom tab bar.

use crate::icons::{Icon, Svg};
use crate::markup::show;
use crate::pages::{Checkin, NotFound};
use crate::screens::alerts::{AlertDetail, AlertList};
use crate::screens::checkin::CheckinForm;
use crate::screens::help::{HelpDetail, HelpList};
use crate::screens::home::Home;
use crate::screens::household::{Household, MemberForm};
use crate::screens::library::{Facilities, GuideDetail, GuideList, Notices};
use crate::screens::more::More;
use crate::screens::rumors::{RumorDetail, RumorList, RumorTipForm};
use crate::state::{use_ui, Ui};
use crate::store::Store;
use crate::sync::engine::{Sync, SyncError};
use crate::sync_ui::{Join, SyncScreen};
use crate::{browser, chunks, pwa, settings};
use leptos::prelude::*;

/// The whole application.
#[component]
pub fn App() -> impl IntoView {
    let prefs = settings::Preferences::load(&settings::LocalStorage::open(), &browser::languages());
    let ui = Ui::new(prefs, browser::is_online());
    let nav = crate::router::install();
    provide_context(ui);
    browser::watch_online(ui.online);
    pwa::register(ui.update_ready);

    // The store opens asynchronously; until then (and if it cannot) the app still renders.
    let sync_slot = StoredValue::new_local(None::<Sync>);
    provide_context(sync_slot);
    let store_unavailable = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        match Store::open().await {
            Ok(store) => {
                store_unavailable.set(false);
                let service = Sync::new(store, ui.sync);
                sync_slot.set_value(Some(service.clone()));
                // Screens start reading now, while the sync status is read (both mostly wait
                // on IndexedDB); the status read then does not make them read again.
                ui.sync.update(|s| s.rev = s.rev.wrapping_add(1));
                service.read_status(false).await;
                service.start();
            }
            // Whether this phone joined is then unknown, not "no": screens must not invite the
            // person to join (it would fail on save, or look as if the phone forgot its household).
            Err(_) => {
                store_unavailable.set(true);
                ui.sync.update(|s| s.last_error = Some(SyncError::Storage));
            }
        }
    });
    // An open that never answers (a browser's IndexedDB bug, or a stuck disk) would leave Home
    // on "loading" for good: after a few seconds the shell says so, and clears it if the open
    // answers after all.
    leptos::task::spawn_local(async move {
        gloo_timers::future::TimeoutFuture::new(STORE_PATIENCE_MS).await;
        if sync_slot.with_value(Option::is_none) {
            store_unavailable.set(true);
        }
    });

    // The screen is drawn in a task of its own after the shell (header, tab bar): mounting
    // everything at once was the start's longest task, which blocks input on a slow phone.
    let shell_drawn = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        browser::yield_to_browser().await;
        shell_drawn.set(true);
    });

    crate::screens::alerts::watch_new_alerts();
    Effect::new(move |_| {
        let lang = ui.lang.get();
        browser::set_root_attribute("lang", Some(lang.tag()));
        browser::set_title(lang.strings().app_name);
    });
    Effect::new(move |_| {
        browser::set_root_attribute("data-text", ui.large_text.get().then_some("large"));
    });

    view! {
        <div class="app" data-testid="app">
            <Header/>
            <UpdatePrompt/>
            <StorageNotice unavailable=store_unavailable/>
            <main id="main" class="main">{move || shell_drawn.get().then(|| screen(&nav.path.get()))}</main>
            <TabBar/>
        </div>
    }
}

/// The screen for a path; unknown paths get "page not found". Home is in the main module; every other screen is in a wasm chunk loaded on first use (and
/// precached by the service worker, so offline too), which keeps the first load small. Which
/// chunk is [`chunks::ROUTES`]; the loader preloads a deep link's chunk by the same table.
fn screen(path: &str) -> AnyView {
    let segs: Vec<String> = crate::router::segments(path)
        .into_iter()
        .map(str::to_owned)
        .collect();
    let owner = Owner::current().unwrap_or_default();
    match (segs.first().map(String::as_str), chunks::chunk_for(&segs)) {
        (None, _) => view! { <Home/> }.into_any(),
        (_, Some(chunks::FORMS)) => deferred(chunks::FORMS, Box::pin(form_screens(owner, segs))),
        (_, Some(chunks::READING)) => {
            deferred(chunks::READING, Box::pin(reading_screens(owner, segs)))
        }
        (_, Some(chunks::VOLUNTEER)) => {
            deferred(chunks::VOLUNTEER, Box::pin(volunteer_screens(owner, segs)))
        }
        _ => view! { <NotFound/> }.into_any(),
    }
}

/// Why a screen could not be shown: its chunk did not load (offline before it was cached).
pub struct ChunkMissing;

impl From<leptos::wasm_split::SplitLoaderError> for ChunkMissing {
    fn from(_: leptos::wasm_split::SplitLoaderError) -> Self {
        ChunkMissing
    }
}

type Screen = Result<AnyView, ChunkMissing>;
type Loading = std::pin::Pin<Box<dyn std::future::Future<Output = Screen>>>;

thread_local! {
    /// The chunks instantiated in this page so far.
    static ARRIVED: std::cell::RefCell<Vec<&'static str>> = const { std::cell::RefCell::new(Vec::new()) };
}

/// Shows "loading" until the screen's chunk has arrived, then the screen; if the chunk cannot
/// be loaded, says so (the screen works again once the phone is online).
fn deferred(chunk: &'static str, load: Loading) -> AnyView {
    let ui = use_ui();
    let first = !ARRIVED.with(|a| a.borrow().contains(&chunk));
    let slot = StoredValue::new_local(None::<Screen>);
    let ready = RwSignal::new(false);
    leptos::task::spawn_local(async move {
        let screen = load.await;
        if first {
            // The first time, building the screen's DOM waits for a task of its own, so
            // instantiating the chunk and rendering the screen are two shorter tasks rather
            // than one long one. Later the chunk is there and the screen shows at once.
            crate::browser::yield_to_browser().await;
            if screen.is_ok() {
                ARRIVED.with(|a| a.borrow_mut().push(chunk));
            }
        }
        if slot.try_set_value(Some(screen)).is_none() {
            ready.set(true);
        }
    });
    (move || {
        // Only `ready` is tracked: the screen manages its own language.
        let t = ui.lang.get_untracked().strings();
        let taken = if ready.get() {
            slot.try_update_value(Option::take).flatten()
        } else {
            None
        };
        match taken {
            Some(Ok(view)) => view,
            Some(Err(ChunkMissing)) => show(crate::screens::fragment(|h| {
                h.el(
                    "p",
                    &[
                        ("class", "card"),
                        ("role", "alert"),
                        ("data-testid", "chunk-missing"),
                    ],
                    t.screen_unavailable,
                );
            }))
            .into_any(),
            None => show(crate::screens::fragment(|h| crate::screens::loading(h, t))).into_any(),
        }
    })
    .into_any()
}

fn segs_str(segs: &[String]) -> Vec<&str> {
    segs.iter().map(String::as_str).collect()
}

/// The screens in the `forms` chunk: what residents write (the check-in tab and form,
/// household, help), joining and the Sync screen.
#[leptos::wasm_split::wasm_split(forms, wasm_split_path = ::leptos::wasm_split, fallible)]
fn form_screens(owner: Owner, segs: Vec<String>) -> Screen {
    owner.with(|| {
        Ok(match segs_str(&segs).as_slice() {
            ["checkin"] => view! { <Checkin/> }.into_any(),
            ["checkin", m] => view! { <CheckinForm member=m.to_string()/> }.into_any(),
            ["household"] => view! { <Household/> }.into_any(),
            ["household", "new"] => view! { <MemberForm id=None/> }.into_any(),
            ["household", m] => view! { <MemberForm id=Some(m.to_string())/> }.into_any(),
            ["help"] => view! { <HelpList/> }.into_any(),
            ["help", "new"] => view! { <crate::pages::HelpNew/> }.into_any(),
            ["help", r] => view! { <HelpDetail id=r.to_string()/> }.into_any(),
            ["join"] => view! { <Join/> }.into_any(),
            ["sync"] => view! { <SyncScreen/> }.into_any(),
            _ => view! { <NotFound/> }.into_any(),
        })
    })
}

/// The screens in the `reading` chunk: what the community publishes, and More (settings and
/// links, mostly to these screens; its notification offer is the alert list's).
#[leptos::wasm_split::wasm_split(reading, wasm_split_path = ::leptos::wasm_split, fallible)]
fn reading_screens(owner: Owner, segs: Vec<String>) -> Screen {
    owner.with(|| {
        Ok(match segs_str(&segs).as_slice() {
            ["alerts"] => view! { <AlertList/> }.into_any(),
            ["alerts", a] => view! { <AlertDetail id=a.to_string()/> }.into_any(),
            ["rumors"] => view! { <RumorList/> }.into_any(),
            ["rumors", "tip"] => view! { <RumorTipForm/> }.into_any(),
            ["rumors", r] => view! { <RumorDetail id=r.to_string()/> }.into_any(),
            ["guides"] => view! { <GuideList/> }.into_any(),
            ["guides", g] => view! { <GuideDetail key=g.to_string()/> }.into_any(),
            ["notices"] => view! { <Notices open=None/> }.into_any(),
            ["notices", n] => view! { <Notices open=Some(n.to_string())/> }.into_any(),
            ["facilities"] => view! { <Facilities/> }.into_any(),
            ["more"] => view! { <More/> }.into_any(),
            _ => view! { <NotFound/> }.into_any(),
        })
    })
}

/// The screens in the `volunteer` chunk: the Building tab, and the outage relay (passing
/// records and signed alerts between phones by QR code or file), which residents use too.
#[leptos::wasm_split::wasm_split(volunteer, wasm_split_path = ::leptos::wasm_split, fallible)]
fn volunteer_screens(owner: Owner, segs: Vec<String>) -> Screen {
    use crate::relay::{Offer, RelayHome, Scan, ShowFrames};
    use crate::screens::building::{AssignedList, BuildingHome, DoorPage};
    owner.with(|| {
        Ok(match segs_str(&segs).as_slice() {
            ["building"] => view! { <BuildingHome/> }.into_any(),
            ["building", "requests"] => view! { <AssignedList/> }.into_any(),
            ["building", "h", h] => view! { <DoorPage id=h.to_string()/> }.into_any(),
            ["relay"] => view! { <RelayHome/> }.into_any(),
            ["relay", "send"] => view! { <ShowFrames offer=Offer::Records/> }.into_any(),
            ["relay", "alerts"] => view! { <ShowFrames offer=Offer::Content/> }.into_any(),
            ["relay", "scan"] => view! { <Scan/> }.into_any(),
            _ => view! { <NotFound/> }.into_any(),
        })
    })
}

/// App name and the online/offline indicator; offline adds a quiet explanatory banner.
#[component]
fn Header() -> impl IntoView {
    let ui = use_ui();
    // Connected means the platform answers, not only that the phone has a network: after a
    // sync that got no answer (or a 5xx), the header says the platform is not reachable.
    let reachable = move || {
        ui.sync.with(|s| {
            !matches!(
                s.last_error,
                Some(SyncError::Offline) | Some(SyncError::Server)
            )
        })
    };
    let online = move || ui.online.get() && reachable();
    view! {
        <header class="header">
            <span class="brand">
                <img src="/icons/icon-192.png" alt="" width="28" height="28"/>
                <span>{move || ui.t().app_name}</span>
            </span>
            <span class="net" class:net-off=move || !online() role="status" data-testid="net-status">
                {move || if online() {
                    view! { <Svg icon=Icon::Online/> }
                } else {
                    view! { <Svg icon=Icon::Offline/> }
                }}
                <span>{move || match (ui.online.get(), reachable()) {
                    (true, true) => ui.t().online,
                    (true, false) => ui.t().unreachable,
                    _ => ui.t().offline,
                }}</span>
            </span>
            // Only an enrolled phone has something to sync; before that the badge would mislead.
            {move || {
                let t = ui.t();
                let crate::state::SyncFacts { enrolled, pending, .. } = ui.facts();
                (enrolled || pending > 0).then(|| view! {
                    <a href="/sync" class="sync-badge" data-testid="sync-badge">
                        <Svg icon=Icon::Refresh/>
                        <span>{if pending > 0 { (t.pending_badge)(pending) } else { t.synced_badge.to_owned() }}</span>
                    </a>
                })
            }}
            // Hangs below the sticky header, over the page: a new alert never pushes the page
            // down (no layout shift), and stays in view while the page scrolls.
            <AlertBanner/>
        </header>
        <Show when=move || !ui.online.get()>
            <p class="banner banner-quiet" data-testid="offline-banner">{move || ui.t().offline_banner}</p>
        </Show>
        {move || ui.sync.with(|s| s.save_error.clone()).map(|e| {
            let t = ui.t();
            view! {
                <p class="banner banner-alert" role="alert" data-testid="save-error">
                    {if e == crate::store::StoreError::Full { t.save_err_full } else { t.save_err_other }}
                </p>
            }
        })}
    }
}

/// "A new version is available — Reload", shown only when a new service worker waits.
#[component]
fn UpdatePrompt() -> impl IntoView {
    let ui = use_ui();
    view! {
        <Show when=move || ui.update_ready.get()>
            <div class="banner banner-update" role="alert" data-testid="update-prompt">
                <span>{move || ui.t().update_ready}</span>
                <button class="btn btn-small" data-testid="update-reload" on:click=|_| pwa::apply_update()>
                    <Svg icon=Icon::Refresh/>
                    <span>{move || ui.t().update_reload}</span>
                </button>
            </div>
        </Show>
    }
}

/// What the store announced about other tabs: this tab's storage connection was closed for a
/// newer version (reload to go on), or this tab's upgrade waits for the others to close; or
/// that the storage cannot be opened at all.
#[component]
fn StorageNotice(
    /// The phone's storage did not open, or has not answered for [`STORE_PATIENCE_MS`].
    unavailable: RwSignal<bool>,
) -> impl IntoView {
    let ui = use_ui();
    let notice = RwSignal::new(None::<bool>);
    std::mem::forget(window_event_listener_untyped(
        crate::store::EVENT_OUTDATED,
        move |_| notice.set(Some(true)),
    ));
    std::mem::forget(window_event_listener_untyped(
        crate::store::EVENT_BLOCKED,
        move |_| notice.set(Some(false)),
    ));
    move || {
        let t = ui.t();
        let shown = match notice.get() {
            Some(true) => Some((t.db_outdated, true)),
            Some(false) => Some((t.db_blocked, false)),
            None => unavailable.get().then_some((t.db_unavailable, true)),
        };
        shown.map(|(text, reload)| view! {
            <div class="banner banner-update" role="alert" data-testid="storage-notice">
                <span>{text}</span>
                {reload.then(|| view! {
                    <button class="btn btn-small" on:click=|_| crate::browser::reload()>{t.update_reload}</button>
                })}
            </div>
        })
    }
}

/// How long the shell waits for the phone's storage to open before saying it is not answering.
const STORE_PATIENCE_MS: u32 = 4_000;

/// "New alert: …" after a sync brought a serious one; tapping opens it, closing hides it.
#[component]
fn AlertBanner() -> impl IntoView {
    let ui = use_ui();
    move || {
        let t = ui.t();
        ui.alert_banner.get().map(|(id, headline)| view! {
            <div class="banner banner-alert banner-new-alert" role="alert" data-testid="alert-banner">
                <a href=format!("/alerts/{id}") on:click=move |_| ui.alert_banner.set(None)>
                    <Svg icon=Icon::Bell/>
                    <span>{t.new_alert} " " {headline}</span>
                </a>
                <button class="btn btn-small" on:click=move |_| ui.alert_banner.set(None) aria-label=t.dismiss>"×"</button>
            </div>
        })
    }
}

/// The five-tab bottom navigation; the current tab carries `aria-current="page"`.
#[component]
fn TabBar() -> impl IntoView {
    let ui = use_ui();
    let nav = crate::router::use_nav();
    let tab = move |href: &'static str,
                    icon: Icon,
                    label: fn(&crate::i18n::Strings) -> &'static str,
                    id: &'static str| {
        view! {
            <a href=href class="tab" data-testid=id aria-current=move || (nav.path.get() == href).then_some("page")>
                <Svg icon=icon/>
                <span class="tab-label">{move || label(ui.t())}</span>
            </a>
        }
    };
    view! {
        <nav class="tabbar" aria-label=move || ui.t().nav_label>
            {tab("/", Icon::Home, |s| s.tab_home, "tab-home")}
            {tab("/checkin", Icon::Heart, |s| s.tab_checkin, "tab-checkin")}
            {tab("/alerts", Icon::Bell, |s| s.tab_alerts, "tab-alerts")}
            {tab("/rumors", Icon::Shield, |s| s.tab_rumors, "tab-rumors")}
            // Only a building volunteer has a Building tab.
            {move || ui.sync.with(|s| s.enrolled.as_ref().is_some_and(|d| !d.volunteer_buildings.is_empty()))
                .then(|| tab("/building", Icon::Users, |s| s.tab_building, "tab-building"))}
            {tab("/more", Icon::More, |s| s.tab_more, "tab-more")}
        </nav>
    }
}
