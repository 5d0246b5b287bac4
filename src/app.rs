//! The app shell: header with connectivity, update prompt, routes and the bottom tab bar.

use crate::icons::{Icon, Svg};
use crate::pages::{Checkin, NotFound};
use crate::screens::alerts::{AlertDetail, AlertList};
use crate::screens::checkin::CheckinForm;
use crate::screens::help::{HelpDetail, HelpForm, HelpList};
use crate::screens::home::Home;
use crate::screens::household::{Household, MemberForm};
use crate::screens::library::{Facilities, GuideDetail, GuideList, Notices};
use crate::screens::more::More;
use crate::screens::rumors::{RumorDetail, RumorList, RumorTipForm};
use crate::state::{use_ui, Ui};
use crate::store::Store;
use crate::sync::engine::{Sync, SyncError};
use crate::sync_ui::{Join, SyncScreen};
use crate::{browser, pwa, settings};
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
    leptos::task::spawn_local(async move {
        match Store::open().await {
            Ok(store) => {
                let service = Sync::new(store, ui.sync);
                sync_slot.set_value(Some(service.clone()));
                service.refresh().await;
                service.start();
            }
            Err(_) => ui.sync.update(|s| s.last_error = Some(SyncError::Storage)),
        }
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
            <AlertBanner/>
            <main id="main" class="main">{move || screen(&nav.path.get())}</main>
            <TabBar/>
        </div>
    }
}

/// The screen for a path; unknown paths get "page not found".
fn screen(path: &str) -> AnyView {
    let id = |s: &str| s.to_owned();
    match crate::router::segments(path).as_slice() {
        [] => view! { <Home/> }.into_any(),
        ["checkin"] => view! { <Checkin/> }.into_any(),
        ["checkin", m] => view! { <CheckinForm member=id(m)/> }.into_any(),
        ["household"] => view! { <Household/> }.into_any(),
        ["household", "new"] => view! { <MemberForm id=None/> }.into_any(),
        ["household", m] => view! { <MemberForm id=Some(id(m))/> }.into_any(),
        ["help"] => view! { <HelpList/> }.into_any(),
        ["help", "new"] => view! { <HelpForm/> }.into_any(),
        ["help", r] => view! { <HelpDetail id=id(r)/> }.into_any(),
        ["alerts"] => view! { <AlertList/> }.into_any(),
        ["alerts", a] => view! { <AlertDetail id=id(a)/> }.into_any(),
        ["rumors"] => view! { <RumorList/> }.into_any(),
        ["rumors", "tip"] => view! { <RumorTipForm/> }.into_any(),
        ["rumors", r] => view! { <RumorDetail id=id(r)/> }.into_any(),
        ["guides"] => view! { <GuideList/> }.into_any(),
        ["guides", g] => view! { <GuideDetail key=id(g)/> }.into_any(),
        ["notices"] => view! { <Notices open=None/> }.into_any(),
        ["notices", n] => view! { <Notices open=Some(id(n))/> }.into_any(),
        ["facilities"] => view! { <Facilities/> }.into_any(),
        ["more"] => view! { <More/> }.into_any(),
        ["join"] => view! { <Join/> }.into_any(),
        ["sync"] => view! { <SyncScreen/> }.into_any(),
        _ => view! { <NotFound/> }.into_any(),
    }
}

/// App name and the online/offline indicator; offline adds a quiet explanatory banner.
#[component]
fn Header() -> impl IntoView {
    let ui = use_ui();
    let online = move || ui.online.get();
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
                <span>{move || if online() { ui.t().online } else { ui.t().offline }}</span>
            </span>
            // Only an enrolled phone has something to sync; before that the badge would mislead.
            {move || {
                let t = ui.t();
                let (enrolled, pending) = ui.sync.with(|s| (s.enrolled.is_some(), s.pending));
                (enrolled || pending > 0).then(|| view! {
                    <a href="/sync" class="sync-badge" data-testid="sync-badge">
                        <Svg icon=Icon::Refresh/>
                        <span>{if pending > 0 { crate::i18n::with_n(t.pending_badge, pending) } else { t.synced_badge.to_owned() }}</span>
                    </a>
                })
            }}
        </header>
        <Show when=move || !online()>
            <p class="banner banner-quiet" data-testid="offline-banner">{move || ui.t().offline_banner}</p>
        </Show>
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

/// "New alert: …" after a sync brought a serious one; tapping opens it, closing hides it.
#[component]
fn AlertBanner() -> impl IntoView {
    let ui = use_ui();
    move || {
        let t = ui.t();
        ui.alert_banner.get().map(|(id, headline)| view! {
            <div class="banner banner-alert" role="alert" data-testid="alert-banner">
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
            {tab("/more", Icon::More, |s| s.tab_more, "tab-more")}
        </nav>
    }
}
