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
use leptos_router::components::{Route, Router, Routes, A};
use leptos_router::path;

/// The whole application.
#[component]
pub fn App() -> impl IntoView {
    let prefs = settings::Preferences::load(&settings::LocalStorage::open(), &browser::languages());
    let ui = Ui::new(prefs, browser::is_online());
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
        <Router>
            <div class="app" data-testid="app">
                <Header/>
                <UpdatePrompt/>
                <AlertBanner/>
                <main id="main" class="main">
                    <Routes fallback=NotFound>
                        <Route path=path!("/") view=Home/>
                        <Route path=path!("/checkin") view=Checkin/>
                        <Route path=path!("/checkin/:member") view=CheckinForm/>
                        <Route path=path!("/household") view=Household/>
                        <Route path=path!("/household/:id") view=MemberForm/>
                        <Route path=path!("/help") view=HelpList/>
                        <Route path=path!("/help/new") view=HelpForm/>
                        <Route path=path!("/help/:id") view=HelpDetail/>
                        <Route path=path!("/alerts") view=AlertList/>
                        <Route path=path!("/alerts/:id") view=AlertDetail/>
                        <Route path=path!("/rumors") view=RumorList/>
                        <Route path=path!("/rumors/tip") view=RumorTipForm/>
                        <Route path=path!("/rumors/:id") view=RumorDetail/>
                        <Route path=path!("/guides") view=GuideList/>
                        <Route path=path!("/guides/:key") view=GuideDetail/>
                        <Route path=path!("/notices") view=Notices/>
                        <Route path=path!("/notices/:id") view=Notices/>
                        <Route path=path!("/facilities") view=Facilities/>
                        <Route path=path!("/more") view=More/>
                        <Route path=path!("/join") view=Join/>
                        <Route path=path!("/sync") view=SyncScreen/>
                    </Routes>
                </main>
                <TabBar/>
            </div>
        </Router>
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
                    <A href="/sync" attr:class="sync-badge" attr:data-testid="sync-badge">
                        <Svg icon=Icon::Refresh/>
                        <span>{if pending > 0 { crate::i18n::with_n(t.pending_badge, pending) } else { t.synced_badge.to_owned() }}</span>
                    </A>
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
                <A href=format!("/alerts/{id}") on:click=move |_| ui.alert_banner.set(None)>
                    <Svg icon=Icon::Bell/>
                    <span>{t.new_alert} " " {headline}</span>
                </A>
                <button class="btn btn-small" on:click=move |_| ui.alert_banner.set(None) aria-label=t.dismiss>"×"</button>
            </div>
        })
    }
}

/// The five-tab bottom navigation; the current tab carries `aria-current="page"`.
#[component]
fn TabBar() -> impl IntoView {
    let ui = use_ui();
    let tab = move |href: &'static str,
                    icon: Icon,
                    label: fn(&crate::i18n::Strings) -> &'static str,
                    id: &'static str| {
        view! {
            <A href=href exact=true attr:class="tab" attr:data-testid=id>
                <Svg icon=icon/>
                <span class="tab-label">{move || label(ui.t())}</span>
            </A>
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
