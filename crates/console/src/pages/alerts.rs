//! Alerts in the caller's scope, and each alert's roll-call: per building, enrolled households,
//! "I'm safe", "I need help" and no reply — as a chart and as the table behind it.

use crate::api;
use crate::i18n::Lang;
use crate::{ui, use_lang, use_session};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use linli_protocol::notify::PushStats;
use linli_protocol::published::{Alert, AlertStatus, MsgType};
use linli_protocol::staff::{PendingHouseholds, RollCall, StaffAlertItem, StaffAlerts};

fn severity_class(a: &Alert) -> String {
    format!("badge sev-{}", super::queue::wire(a.severity))
}

fn area_text(a: &Alert, lang: Lang) -> String {
    if a.area.grids.is_empty() && a.area.buildings.is_empty() {
        return lang.t().whole_community.to_owned();
    }
    let desc = a.area.desc.get(lang.tag());
    let codes: Vec<&str> = a
        .area
        .grids
        .iter()
        .chain(&a.area.buildings)
        .map(String::as_str)
        .collect();
    format!("{desc} ({})", codes.join(", "))
}

#[component]
pub fn Alerts() -> impl IntoView {
    let lang = use_lang();
    let t = move || lang.t();
    let list = LocalResource::new(|| api::get::<StaffAlerts>("/api/v1/staff/alerts"));
    view! {
        <h1>{move || t().alerts_title}</h1>
        <p><A href="/console/alerts/new" attr:class="button primary" attr:data-testid="new-alert">{move || t().new_alert}</A></p>
        {move || match list.get() {
            None => view! { <p role="status">{t().loading}</p> }.into_any(),
            Some(Err(e)) => view! { <ui::ErrorLine error=e/> }.into_any(),
            Some(Ok(l)) if l.items.is_empty() => view! { <p class="empty">{t().alerts_empty}</p> }.into_any(),
            Some(Ok(l)) => view! {
                <table data-testid="alerts">
                    <thead><tr>
                        <th scope="col">{t().headline}</th>
                        <th scope="col">{t().severity}</th>
                        <th scope="col">{t().area}</th>
                        <th scope="col">{t().sent}</th>
                        <th scope="col">{t().expires}</th>
                    </tr></thead>
                    <tbody>
                        {l.items.into_iter().map(|i| view! { <AlertRow item=i/> }).collect_view()}
                    </tbody>
                </table>
            }.into_any(),
        }}
    }
}

#[component]
fn AlertRow(item: StaffAlertItem) -> impl IntoView {
    let lang = use_lang();
    let t = move || lang.t();
    let a = item.alert.clone();
    let headline = {
        let a = a.clone();
        move || a.headline.get(lang.0.get().tag()).to_owned()
    };
    let area = {
        let a = a.clone();
        move || area_text(&a, lang.0.get())
    };
    let drill = a.status == AlertStatus::Exercise;
    let cancelled = a.msg_type == MsgType::Cancel;
    view! {
        <tr data-testid="alert-row">
            <td>
                <A href=format!("/console/alerts/{}", item.id)>{headline}</A>
                {drill.then(|| view! { " " <span class="badge drill">{move || t().drill}</span> })}
                {item.withdrawn.then(|| view! { " " <span class="badge muted">{move || t().withdrawn}</span> })}
                {cancelled.then(|| view! { " " <span class="badge muted">{move || t().cancelled_alert}</span> })}
            </td>
            <td><span class=severity_class(&a)>{move || t().severity(a.severity)}</span></td>
            <td>{area}</td>
            <td>{ui::local_time(item.alert.sent.as_str())}</td>
            <td>{ui::local_time(item.alert.expires.as_str())}</td>
        </tr>
    }
}

#[component]
pub fn RollCallPage() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let t = move || lang.t();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let alert = LocalResource::new(move || {
        let id = id();
        async move {
            api::get::<StaffAlerts>("/api/v1/staff/alerts")
                .await
                .map(|l| l.items.into_iter().find(|i| i.id == id))
        }
    });
    let roll = LocalResource::new(move || {
        let id = id();
        async move {
            api::get::<RollCall>(&format!(
                "/api/v1/staff/alerts/{}/roll-call",
                crate::model::encode(&id)
            ))
            .await
        }
    });
    // The roll-call fills in as replies arrive.
    if let Ok(h) =
        set_interval_with_handle(move || roll.refetch(), std::time::Duration::from_secs(5))
    {
        on_cleanup(move || h.clear());
    }
    let confirming = RwSignal::new(false);
    let chosen = RwSignal::new(None::<String>);
    let message = RwSignal::new(None::<String>);
    let cancel = move |_| {
        let path = format!(
            "/api/v1/staff/alerts/{}/cancel",
            crate::model::encode(&id())
        );
        leptos::task::spawn_local(async move {
            match api::send::<(), serde_json::Value>("POST", &path, None).await {
                Ok(_) => {
                    message.set(Some(lang.t().cancelled_alert.into()));
                    alert.refetch();
                }
                Err(e) => {
                    session.failed(&e);
                    message.set(Some(e.message(lang.t())));
                }
            }
            confirming.set(false);
        });
    };
    view! {
        <p><A href="/console/alerts">{move || format!("← {}", t().alerts_title)}</A></p>
        {move || match alert.get() {
            Some(Ok(Some(item))) => {
                let a = item.alert.clone();
                let live = !item.withdrawn && a.msg_type != MsgType::Cancel;
                view! {
                    <h1>{move || format!("{}: {}", t().roll_call, a.headline.get(lang.0.get().tag()))}</h1>
                    <p>
                        <span class=severity_class(&item.alert)>{move || t().severity(item.alert.severity)}</span>
                        " " {area_text(&item.alert, lang.0.get())}
                    </p>
                    <Show when=move || live>
                        <p><A href=format!("/console/alerts/{}/edit", item.id) attr:class="button" attr:data-testid="update-alert">{move || t().update_alert}</A></p>
                        <Show when=move || confirming.get() fallback=move || view! {
                            <button type="button" data-testid="cancel-alert" on:click=move |_| confirming.set(true)>{t().cancel_alert}</button>
                        }>
                            <div class="confirm" role="alertdialog" aria-labelledby="confirm-cancel">
                                <p id="confirm-cancel">{t().confirm_cancel_alert}</p>
                                <button type="button" class="danger" data-testid="confirm-cancel-alert" on:click=cancel>{t().cancel_alert}</button>
                                <button type="button" on:click=move |_| confirming.set(false)>{t().cancel}</button>
                            </div>
                        </Show>
                    </Show>
                }.into_any()
            }
            Some(Ok(None)) => view! { <p>{t().not_found}</p> }.into_any(),
            Some(Err(e)) => view! { <ui::ErrorLine error=e/> }.into_any(),
            None => view! { <p role="status">{t().loading}</p> }.into_any(),
        }}
        <div role="status" aria-live="polite">{move || message.get()}</div>
        {move || match roll.get() {
            None => view! { <p role="status">{t().loading}</p> }.into_any(),
            Some(Err(e)) => view! { <ui::ErrorLine error=e/> }.into_any(),
            Some(Ok(r)) => view! { <RollCallView roll=r chosen=chosen/> }.into_any(),
        }}
        {move || chosen.get().map(|b| view! { <Pending alert=id() building=b/> })}
        {move || view! { <PushPanel alert=id()/> }}
    }
}

/// How the alert's push notifications went, refreshed every 5 s, and a resend.
#[component]
fn PushPanel(alert: String) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let t = move || lang.t();
    let path = format!("/api/v1/staff/alerts/{}/push", crate::model::encode(&alert));
    let stats = {
        let path = path.clone();
        LocalResource::new(move || {
            let path = path.clone();
            async move { api::get::<PushStats>(&path).await }
        })
    };
    if let Ok(h) =
        set_interval_with_handle(move || stats.refetch(), std::time::Duration::from_secs(5))
    {
        on_cleanup(move || h.clear());
    }
    let confirming = RwSignal::new(false);
    let message = RwSignal::new(None::<String>);
    let resend = move |_| {
        let path = format!("{path}/resend");
        leptos::task::spawn_local(async move {
            match api::send::<(), PushStats>("POST", &path, None).await {
                Ok(_) => {
                    message.set(Some(lang.t().push_resent.into()));
                    stats.refetch();
                }
                Err(e) => {
                    session.failed(&e);
                    message.set(Some(e.message(lang.t())));
                }
            }
            confirming.set(false);
        });
    };
    view! {
        <section class="card" aria-labelledby="push-h" data-testid="push-stats">
            <h2 id="push-h">{move || t().push_title}</h2>
            {move || match stats.get() {
                None => view! { <p role="status">{t().loading}</p> }.into_any(),
                Some(Err(e)) => view! { <ui::ErrorLine error=e/> }.into_any(),
                Some(Ok(s)) => view! {
                    {(!s.notifies).then(|| view! { <p>{t().push_not_serious}</p> })}
                    <dl class="counts">
                        <dt>{t().push_notified}</dt><dd data-testid="push-notified">{s.notified}</dd>
                        <dt>{t().push_pending}</dt><dd data-testid="push-pending">{s.pending}</dd>
                        <dt>{t().push_failed}</dt><dd data-testid="push-failed">{s.failed}</dd>
                        <dt>{t().push_no_subscription}</dt><dd data-testid="push-none">{s.no_subscription}</dd>
                    </dl>
                }.into_any(),
            }}
            <Show when=move || confirming.get() fallback=move || view! {
                <button type="button" data-testid="push-resend" on:click=move |_| confirming.set(true)>{t().push_resend}</button>
            }>
                <div class="confirm" role="alertdialog" aria-labelledby="confirm-resend">
                    <p id="confirm-resend">{t().confirm_push_resend}</p>
                    <button type="button" data-testid="confirm-push-resend" on:click=resend.clone()>{t().push_resend}</button>
                    <button type="button" on:click=move |_| confirming.set(false)>{t().cancel}</button>
                </div>
            </Show>
            <div role="status" aria-live="polite">{move || message.get()}</div>
        </section>
    }
}

/// A building's households with no reply, care needs first: the door-knock list.
#[component]
fn Pending(alert: String, building: String) -> impl IntoView {
    let lang = use_lang();
    let t = move || lang.t();
    let path = format!(
        "/api/v1/staff/alerts/{}/roll-call/{}",
        crate::model::encode(&alert),
        crate::model::encode(&building)
    );
    let list = LocalResource::new(move || {
        let path = path.clone();
        async move { api::get::<PendingHouseholds>(&path).await }
    });
    view! {
        <section class="card" aria-labelledby="pending-h" data-testid="pending">
            <h2 id="pending-h">{move || (t().pending_title)(&building)}</h2>
            {move || match list.get() {
                None => view! { <p role="status">{t().loading}</p> }.into_any(),
                Some(Err(e)) => view! { <ui::ErrorLine error=e/> }.into_any(),
                Some(Ok(l)) if l.items.is_empty() => view! { <p class="empty">{t().pending_empty}</p> }.into_any(),
                Some(Ok(l)) => view! {
                    <ol class="pending">
                        {l.items.into_iter().map(|h| view! {
                            <li data-testid="pending-household">
                                {h.members.into_iter().map(|m| {
                                    let flags = m.flags.clone();
                                    view! {
                                        <span class="member">
                                            {m.display_name}
                                            {(!flags.is_empty()).then(|| view! {
                                                " " <span class="badge care">{move || flags.iter().map(|f| t().flag(*f)).collect::<Vec<_>>().join("、")}</span>
                                            })}
                                        </span>
                                    }
                                }).collect_view()}
                            </li>
                        }).collect_view()}
                    </ol>
                }.into_any(),
            }}
        </section>
    }
}

/// The chart (stacked bars, one per building) and the table with the same numbers.
#[component]
fn RollCallView(roll: RollCall, chosen: RwSignal<Option<String>>) -> impl IntoView {
    let lang = use_lang();
    let t = move || lang.t();
    let max = roll
        .buildings
        .iter()
        .map(|b| b.households)
        .max()
        .unwrap_or(0)
        .max(1);
    let (h, s, n, r) = roll.buildings.iter().fold((0, 0, 0, 0), |acc, b| {
        (
            acc.0 + b.households,
            acc.1 + b.safe,
            acc.2 + b.need_help,
            acc.3 + b.no_reply,
        )
    });
    let row_h = 28;
    let height = (roll.buildings.len() as u32 * row_h).max(row_h);
    let bars = roll
        .buildings
        .iter()
        .enumerate()
        .map(|(i, b)| {
            let y = i as u32 * row_h;
            let w = |v: u32| v * 400 / max;
            let (ws, wn, wr) = (w(b.safe), w(b.need_help), w(b.no_reply));
            view! {
                <g>
                    <text x="0" y=y + 18 class="bar-label">{b.building.clone()}</text>
                    <rect x="90" y=y + 4 width=ws height="20" class="bar-safe"/>
                    <rect x=90 + ws y=y + 4 width=wn height="20" class="bar-help"/>
                    <rect x=90 + ws + wn y=y + 4 width=wr height="20" class="bar-none"/>
                </g>
            }
        })
        .collect_view();
    view! {
        <figure class="chart">
            <svg viewBox=format!("0 0 500 {height}") width="100%" role="img" aria-label=move || t().rollcall_chart>{bars}</svg>
            <figcaption class="legend">
                <span class="key safe"></span>{move || t().safe}" "
                <span class="key help"></span>{move || t().need_help}" "
                <span class="key none"></span>{move || t().no_reply}
            </figcaption>
        </figure>
        <table data-testid="roll-call">
            <thead><tr>
                <th scope="col">{move || t().building}</th>
                <th scope="col">{move || t().households}</th>
                <th scope="col">{move || t().safe}</th>
                <th scope="col">{move || t().need_help}</th>
                <th scope="col">{move || t().no_reply}</th>
            </tr></thead>
            <tbody>
                {roll.buildings.into_iter().map(|b| view! {
                    <tr data-testid="roll-call-row" data-building=b.building.clone()>
                        <th scope="row">
                            {b.building.clone()}
                            {(b.no_reply > 0).then(|| {
                                let building = b.building.clone();
                                view! {
                                    " " <button type="button" class="small" data-testid="show-pending"
                                        on:click=move |_| chosen.set(Some(building.clone()))>
                                        {move || t().show_pending}
                                    </button>
                                }
                            })}
                        </th>
                        <td>{b.households}</td>
                        <td data-testid="roll-safe">{b.safe}</td>
                        <td data-testid="roll-need-help">{b.need_help}</td>
                        <td data-testid="roll-no-reply">{b.no_reply}</td>
                    </tr>
                }).collect_view()}
            </tbody>
            <tfoot><tr>
                <th scope="row">{move || t().total}</th>
                <td>{h}</td><td>{s}</td><td>{n}</td><td>{r}</td>
            </tr></tfoot>
        </table>
    }
}
