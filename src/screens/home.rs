//! Home: what matters now, most important first — active alerts, today's check-in of each
//! member, open requests for help, whether everything is sent, and the shortcuts.

use super::alerts::{alert_card, load_alerts, Alerts};
use super::help::{is_open, request_card, requests, Request};
use super::{loading, local_date};
use crate::data::{loaded, members};
use crate::domain::alerts::split;
use crate::domain::health::latest_for;
use crate::markup::{show, Html};
use crate::state::use_ui;
use crate::sync::engine;
use leptos::prelude::*;
use linli_protocol::pushed::HealthReport;

#[component]
pub fn Home() -> impl IntoView {
    let ui = use_ui();
    let data = loaded(|s| async move {
        // Four reads at once: each waits mostly on IndexedDB, not on this thread.
        let (reports, members, alerts, requests) = futures_util::future::join4(
            crate::data::shared::<HealthReport>(&s),
            members(&s),
            load_alerts(&s),
            requests(&s),
        )
        .await;
        let reports: Vec<HealthReport> = reports.into_iter().map(|(_, r)| r).collect();
        let today = local_date(0);
        let people: Vec<(String, bool)> = members
            .into_iter()
            .map(|m| {
                let done = latest_for(&reports, &m.id, &today).is_some();
                (m.name, done)
            })
            .collect();
        let (active, _) = split(alerts, engine::now_ms());
        let open: Vec<_> = requests.into_iter().filter(is_open).collect();
        (active, people, open)
    });
    view! {
        <section class="page" data-testid="page-home">
            {move || {
                let t = ui.t();
                let lang = ui.lang.get().tag();
                let crate::state::SyncFacts { known, enrolled, pending, .. } = ui.facts();
                let mut h = Html::new();
                h.el("h1", &[], t.home_title);
                if !known {
                    // The storage is still opening: an enrolled phone must not flash "join".
                    loading(&mut h, t);
                } else if !enrolled {
                    // Before joining, the community's public alerts still come first.
                    data.with(|d| if let Some((active, _, _)) = d {
                        active_alerts(&mut h, t, lang, active);
                    });
                    h.wrap("div", &[("class", "empty card")], |h| {
                        h.el("h2", &[], t.home_empty_title).el("p", &[], t.home_empty_body);
                        h.el("a", &[("href", "/join"), ("class", "btn btn-primary"), ("data-testid", "join-link")], t.join_action);
                    });
                } else {
                    data.with(|d| match d {
                        None => loading(&mut h, t),
                        Some((active, people, open)) => summary(&mut h, t, lang, active, people, open),
                    });
                    let sync_line = if pending > 0 { (t.home_pending)(pending) } else { t.home_all_sent.to_owned() };
                    h.el("a", &[("href", "/sync"), ("class", "card sync-line"), ("data-testid", "home-sync")], &sync_line);
                }
                h.wrap("nav", &[("class", "shortcuts"), ("aria-label", t.shortcuts)], |h| {
                    h.el("a", &[("href", "/guides"), ("class", "btn"), ("data-testid", "home-guides")], t.guides_title);
                    h.el("a", &[("href", "/facilities"), ("class", "btn"), ("data-testid", "home-facilities")], t.facilities_title);
                    h.el("a", &[("href", "/notices"), ("class", "btn")], t.notices_title);
                });
                show(h)
            }}
        </section>
    }
}

/// The active alerts, most severe first; nothing when there are none.
fn active_alerts(h: &mut Html, t: &'static crate::i18n::Strings, lang: &str, active: &Alerts) {
    if !active.is_empty() {
        h.el("h2", &[], t.alerts_active);
        h.wrap("div", &[("data-testid", "home-alerts")], |h| {
            active
                .iter()
                .for_each(|(id, a)| alert_card(h, t, lang, id, a));
        });
    }
}

/// Active alerts, today's check-ins and the open requests for help.
fn summary(
    h: &mut Html,
    t: &'static crate::i18n::Strings,
    lang: &str,
    active: &Alerts,
    people: &[(String, bool)],
    open: &[Request],
) {
    active_alerts(h, t, lang, active);
    let done = people.iter().filter(|(_, d)| *d).count();
    let everyone = !people.is_empty() && done == people.len();
    h.wrap(
        "div",
        &[("class", "card"), ("data-testid", "home-checkin")],
        |h| {
            h.el("h2", &[], t.checkin_title);
            h.el("p", &[], &(t.home_checked_in)(done, people.len()));
            h.wrap("ul", &[("class", "plain")], |h| {
                for (name, done) in people {
                    let mark = if *done { "✓ " } else { "○ " };
                    let state = if *done {
                        t.home_done
                    } else {
                        t.checkin_not_yet
                    };
                    h.el("li", &[], &format!("{mark}{name} — {state}"));
                }
            });
            // Once everyone has checked in, Home stops asking and offers to look instead.
            let (class, label) = if everyone {
                ("btn", t.checkin_view)
            } else {
                ("btn btn-primary", t.checkin_open)
            };
            h.el(
                "a",
                &[
                    ("href", "/checkin"),
                    ("class", class),
                    ("data-testid", "home-checkin-go"),
                ],
                label,
            );
        },
    );
    h.wrap(
        "div",
        &[("class", "card"), ("data-testid", "home-help")],
        |h| {
            h.el("h2", &[], t.help_title);
            if open.is_empty() {
                h.el("p", &[], t.help_none_open);
            }
            open.iter().for_each(|r| request_card(h, t, r));
            h.el("a", &[("href", "/help/new"), ("class", "btn")], t.help_new);
        },
    );
}
