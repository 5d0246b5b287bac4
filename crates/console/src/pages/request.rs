//! A help request's page: the household's building, the member and the care needs they shared,
//! the description and full history; assign, in progress, resolved (with a note the resident
//! sees). The resident's confirmation closes it.

use crate::api;
use crate::{ui, use_lang, use_session};
use leptos::prelude::*;
use leptos_router::components::A;
use leptos_router::hooks::use_params_map;
use linli_protocol::published::{HelpActor, HelpStatus};
use linli_protocol::staff::{BuildingVolunteers, DoorKnockLog, HelpRequestDetail};

#[component]
pub fn RequestPage() -> impl IntoView {
    let lang = use_lang();
    let t = move || lang.t();
    let params = use_params_map();
    let id = move || params.read().get("id").unwrap_or_default();
    let detail = LocalResource::new(move || {
        let id = id();
        async move {
            api::get::<HelpRequestDetail>(&format!(
                "/api/v1/staff/help-requests/{}",
                crate::model::encode(&id)
            ))
            .await
        }
    });
    view! {
        <p><A href="/console/">{move || format!("← {}", t().back_to_queue)}</A></p>
        <h1>{move || t().request_title}</h1>
        {move || match detail.get() {
            None => view! { <p role="status">{t().loading}</p> }.into_any(),
            Some(Err(e)) => view! { <ui::ErrorLine error=e/> }.into_any(),
            Some(Ok(d)) => view! { <Detail detail=d on_change=move || detail.refetch()/> }.into_any(),
        }}
    }
}

#[component]
fn Detail(
    detail: HelpRequestDetail,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let t = move || lang.t();
    let r = detail.request.clone();
    let member = detail.member.clone();
    let history = r.history.clone();
    let status = r.status;
    let urgency_class = format!("badge urgency-{}", super::queue::wire(r.urgency));
    view! {
        <div class="columns">
            <section class="card" aria-labelledby="who">
                <h2 id="who">
                    <span class=urgency_class>{move || t().urgency(r.urgency)}</span>" "
                    {move || t().category(r.category)}
                    {r.overdue.then(|| view! { " " <span class="badge overdue">{move || t().overdue}</span> })}
                </h2>
                <dl>
                    <dt>{move || t().status}</dt>
                    <dd data-testid="request-status">{move || t().status(status)}</dd>
                    <dt>{move || t().building}</dt>
                    <dd data-testid="request-building">{format!("{} {} ({})", r.building, detail.building_name, r.grid)}</dd>
                    <dt>{move || t().member}</dt>
                    <dd data-testid="request-member">{member.as_ref().map(|m| m.display_name.clone()).unwrap_or_else(|| "—".into())}</dd>
                    <dt>{move || t().care_flags}</dt>
                    <dd data-testid="request-flags">{
                        let flags = member.as_ref().map(|m| m.flags.clone()).unwrap_or_default();
                        move || if flags.is_empty() {
                            t().no_care_flags.to_owned()
                        } else {
                            flags.iter().map(|f| t().flag(*f)).collect::<Vec<_>>().join("、")
                        }
                    }</dd>
                    <dt>{move || t().due}</dt>
                    <dd>{ui::local_time(&r.due_at)}</dd>
                    {r.alert_id.clone().map(|a| view! {
                        <dt>{move || t().from_alert}</dt>
                        <dd><A href=format!("/console/alerts/{a}")>{move || t().roll_call}</A></dd>
                    })}
                </dl>
                <h3>{move || t().description}</h3>
                <p class="description" data-testid="request-description">{r.description.clone()}</p>
            </section>
            <section class="card" aria-labelledby="hist">
                <h2 id="hist">{move || t().history}</h2>
                <ol class="history" data-testid="request-history">
                    {history.into_iter().map(|h| {
                        let by = match (h.by.clone(), h.by_role) {
                            (Some(b), _) => b,
                            (None, Some(HelpActor::Household)) => t().by_household.to_owned(),
                            _ => String::new(),
                        };
                        view! {
                            <li>
                                <strong>{move || t().status(h.status)}</strong>
                                " · " {ui::local_time(h.at.as_str())}
                                {(!by.is_empty()).then(|| view! { " · " {by.clone()} })}
                                {h.note.clone().map(|n| view! { <p>{n}</p> })}
                            </li>
                        }
                    }).collect_view()}
                </ol>
            </section>
        </div>
        <Actions id=r.id.clone() building=r.building.clone() status=status on_change=on_change/>
        <Visits building=r.building.clone()/>
    }
}

/// The building's door-knock visits and the check-ins volunteers made there, newest first:
/// what the volunteers did, attributed, for whoever follows the request up.
#[component]
fn Visits(building: String) -> impl IntoView {
    let lang = use_lang();
    let t = move || lang.t();
    let path = format!(
        "/api/v1/staff/door-knocks?building={}",
        crate::model::encode(&building)
    );
    let log = LocalResource::new(move || {
        let path = path.clone();
        async move { api::get::<DoorKnockLog>(&path).await }
    });
    view! {
        <section class="card" aria-labelledby="visits">
            <h2 id="visits">{move || t().visits_title}</h2>
            {move || match log.get() {
                None => view! { <p role="status">{t().loading}</p> }.into_any(),
                Some(Err(e)) => view! { <ui::ErrorLine error=e/> }.into_any(),
                Some(Ok(l)) if l.knocks.is_empty() && l.reports.is_empty() => view! { <p class="muted">{t().visits_none}</p> }.into_any(),
                Some(Ok(l)) => view! {
                    <ul class="history" data-testid="visits">
                        {l.knocks.into_iter().take(20).map(|k| view! {
                            <li data-testid="visit">
                                <strong>{format!("{} · ", k.unit)}{move || t().knock(k.outcome)}</strong>
                                " · " {ui::local_time(k.at.as_str())} " · " {k.by.clone()}
                                {k.note.clone().map(|n| view! { <p>{n}</p> })}
                            </li>
                        }).collect_view()}
                        {l.reports.into_iter().take(20).map(|r| view! {
                            <li data-testid="volunteer-report">
                                <strong>{format!("{} · {} · ", r.unit, r.member)}{move || if r.flagged { t().report_flagged } else { t().report_well }}</strong>
                                " · " {ui::local_time(r.at.as_str())} " · " {r.by.clone()}
                            </li>
                        }).collect_view()}
                    </ul>
                }.into_any(),
            }}
        </section>
    }
}

#[component]
fn Actions(
    id: String,
    building: String,
    status: HelpStatus,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let t = move || lang.t();
    // The name residents see; never the login name (an account without a display name
    // starts empty).
    let me = session
        .account()
        .filter(|a| a.display_name != a.username)
        .map(|a| a.display_name)
        .unwrap_or_default();
    let assignee = RwSignal::new(me);
    // Or one of the building's volunteers: their phone then holds the request and works it.
    let volunteer = RwSignal::new(String::new());
    let volunteers_path = format!(
        "/api/v1/staff/buildings/{}/volunteers",
        crate::model::encode(&building)
    );
    let volunteers = LocalResource::new(move || {
        let path = volunteers_path.clone();
        async move { api::get::<BuildingVolunteers>(&path).await }
    });
    let note = RwSignal::new(String::new());
    let message = RwSignal::new(None::<Result<&'static str, String>>);
    let busy = RwSignal::new(false);
    let id = StoredValue::new(id);
    let act = move |next: &'static str| {
        if next == "resolved" && note.get_untracked().trim().is_empty() {
            message.set(Some(Err(lang.t().resolve_needs_note.into())));
            return;
        }
        let mut body = serde_json::json!({"status": next});
        let n = note.get_untracked();
        if !n.trim().is_empty() {
            body["note"] = n.trim().into();
        }
        if next == "assigned" {
            let v = volunteer.get_untracked();
            if v.is_empty() {
                body["assignee"] = assignee.get_untracked().trim().into();
            } else {
                body["volunteer"] = v.into();
            }
        }
        busy.set(true);
        let path = format!(
            "/api/v1/staff/help-requests/{}/status",
            crate::model::encode(&id.get_value())
        );
        leptos::task::spawn_local(async move {
            match api::send::<_, serde_json::Value>("POST", &path, Some(&body)).await {
                Ok(_) => {
                    message.set(Some(Ok(lang.t().saved)));
                    note.set(String::new());
                    on_change();
                }
                Err(e) => {
                    session.failed(&e);
                    message.set(Some(Err(e.message(lang.t()))));
                }
            }
            busy.set(false);
        });
    };
    let closed = status.is_closed();
    view! {
        <section class="card actions" aria-labelledby="act">
            <h2 id="act">{move || t().act}</h2>
            <Show when=move || !closed fallback=move || view! { <p class="muted">{t().resident_confirms}</p> }>
                <label for="assignee">{move || t().assign_to}</label>
                <p class="hint">{move || t().assign_hint}</p>
                <input id="assignee" data-testid="assignee" maxlength="100" prop:value=assignee on:input=move |ev| assignee.set(event_target_value(&ev))/>
                <label for="volunteer">{move || t().assign_volunteer}</label>
                <p class="hint">{move || t().assign_volunteer_hint}</p>
                <select id="volunteer" data-testid="assign-volunteer" on:change=move |ev| volunteer.set(event_target_value(&ev))>
                    <option value="">{move || t().assign_no_volunteer}</option>
                    {move || volunteers.get().and_then(Result::ok).map(|v| v.volunteers.into_iter().map(|v| view! {
                        <option value=v.member_id.clone()>{v.name.clone()}</option>
                    }).collect_view())}
                </select>
                <label for="note">{move || t().note}</label>
                <textarea id="note" data-testid="note" maxlength="500" prop:value=note on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                <div class="buttons">
                    <button type="button" class="primary" data-testid="action-assign" disabled=busy on:click=move |_| act("assigned")>{move || t().assign}</button>
                    <button type="button" data-testid="action-in-progress" disabled=busy on:click=move |_| act("in_progress")>{move || t().mark_in_progress}</button>
                    <button type="button" data-testid="action-resolve" disabled=busy on:click=move |_| act("resolved")>{move || t().mark_resolved}</button>
                </div>
                <p class="muted">{move || t().resident_confirms}</p>
            </Show>
            <div role="status" aria-live="polite" data-testid="action-message">
                {move || message.get().map(|m| match m {
                    Ok(s) => view! { <p class="ok">{s}</p> }.into_any(),
                    Err(e) => view! { <p class="error">{e}</p> }.into_any(),
                })}
            </div>
        </section>
    }
}
