//! Home: what matters now, most important first — active alerts, today's check-in of each
//! member, open requests for help, whether everything is sent, and the shortcuts.

use super::alerts::{alert_card, load_alerts};
use super::help::{is_open, request_card, requests};
use super::local_date;
use crate::data::{loaded, members, own};
use crate::domain::alerts::split;
use crate::domain::health::latest_for;
use crate::i18n::with_n;
use crate::state::use_ui;
use crate::sync::engine;
use leptos::prelude::*;
use linli_protocol::pushed::HealthReport;

#[component]
pub fn Home() -> impl IntoView {
    let ui = use_ui();
    let data = loaded(|s| async move {
        let reports: Vec<HealthReport> = own::<HealthReport>(&s, "health_report")
            .await
            .into_iter()
            .map(|(_, r)| r)
            .collect();
        let today = local_date(0);
        let people: Vec<(String, bool)> = members(&s)
            .await
            .into_iter()
            .map(|m| {
                let done = latest_for(&reports, &m.id, &today).is_some();
                (m.name, done)
            })
            .collect();
        let (active, _) = split(load_alerts(&s).await, engine::now_ms());
        let open: Vec<_> = requests(&s).await.into_iter().filter(is_open).collect();
        (active, people, open)
    });
    view! {
        <section class="page" data-testid="page-home">
            {move || {
                let t = ui.t();
                let lang = ui.lang.get().tag();
                let (enrolled, pending) = ui.sync.with(|s| (s.enrolled.is_some(), s.pending));
                let shortcuts = view! {
                    <nav class="shortcuts" aria-label=t.shortcuts>
                        <a href="/guides" class="btn" data-testid="home-guides">{t.guides_title}</a>
                        <a href="/facilities" class="btn" data-testid="home-facilities">{t.facilities_title}</a>
                        <a href="/notices" class="btn">{t.notices_title}</a>
                    </nav>
                };
                if !enrolled {
                    return view! {
                        <h1>{t.home_title}</h1>
                        <div class="empty card">
                            <h2>{t.home_empty_title}</h2>
                            <p>{t.home_empty_body}</p>
                            <a href="/join" class="btn btn-primary" data-testid="join-link">{t.join_action}</a>
                        </div>
                        {shortcuts}
                    }.into_any();
                }
                let body = data.with(|d| {
                    let Some((active, people, open)) = d else { return super::loading(t).into_any() };
                    let done = people.iter().filter(|(_, d)| *d).count();
                    view! {
                        {(!active.is_empty()).then(|| view! {
                            <h2>{t.alerts_active}</h2>
                            <div data-testid="home-alerts">{active.iter().map(|(id, a)| alert_card(t, lang, id, a)).collect_view()}</div>
                        })}
                        <div class="card" data-testid="home-checkin">
                            <h2>{t.checkin_title}</h2>
                            <p>{with_n(t.home_checked_in, done).replace("{m}", &people.len().to_string())}</p>
                            <ul class="plain">{people.iter().map(|(name, done)| view! {
                                <li>{if *done { "✓ " } else { "○ " }}{name.clone()} " — " {if *done { t.home_done } else { t.checkin_not_yet }}</li>
                            }).collect_view()}</ul>
                            <a href="/checkin" class="btn btn-primary" data-testid="home-checkin-go">{t.checkin_open}</a>
                        </div>
                        <div class="card" data-testid="home-help">
                            <h2>{t.help_title}</h2>
                            {if open.is_empty() { Some(view! { <p>{t.help_none_open}</p> }) } else { None }}
                            {open.iter().map(|r| request_card(t, r)).collect_view()}
                            <a href="/help/new" class="btn">{t.help_new}</a>
                        </div>
                    }.into_any()
                });
                view! {
                    <h1>{t.home_title}</h1>
                    {body}
                    <a href="/sync" class="card sync-line" data-testid="home-sync">
                        {if pending > 0 { with_n(t.home_pending, pending) } else { t.home_all_sent.to_owned() }}
                    </a>
                    {shortcuts}
                }.into_any()
            }}
        </section>
    }
}
