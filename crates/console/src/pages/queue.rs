//! The help-request queue, the console's home: most urgent and oldest first, overdue marked,
//! filters above, refreshed every 3 seconds with a visible (and optionally audible) cue when a
//! new request arrives, and the count of open requests in the page title.

use crate::api::{self, ApiError};
use crate::model::{waited, Arrivals, QueueFilter};
use crate::{ui, use_lang, use_session};
use leptos::prelude::*;
use leptos_router::components::A;
use linli_protocol::published::HelpStatus;
use linli_protocol::pushed::HelpCategory;
use linli_protocol::staff::{HelpQueue, HelpQueueItem};
use linli_protocol::structure::{Buildings, Grids};
use std::collections::HashSet;
use std::time::Duration;

/// How often the queue asks for news.
const POLL: Duration = Duration::from_secs(3);

const STATUSES: [HelpStatus; 6] = [
    HelpStatus::Received,
    HelpStatus::Assigned,
    HelpStatus::InProgress,
    HelpStatus::Resolved,
    HelpStatus::Confirmed,
    HelpStatus::Cancelled,
];
const CATEGORIES: [HelpCategory; 6] = [
    HelpCategory::Medicine,
    HelpCategory::FoodWater,
    HelpCategory::MedicalCare,
    HelpCategory::ElderlyCare,
    HelpCategory::Utilities,
    HelpCategory::Other,
];

/// The protocol spelling of an enum value (`in_progress`).
pub fn wire<T: serde::Serialize>(v: T) -> String {
    serde_json::to_value(v)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default()
}

#[component]
pub fn Queue() -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let t = move || lang.t();
    let filter = RwSignal::new(QueueFilter::default());
    let items = RwSignal::new(None::<Result<Vec<HelpQueueItem>, ApiError>>);
    let arrivals = StoredValue::new(Arrivals::default());
    let fresh = RwSignal::new(HashSet::<String>::new());
    let new_count = RwSignal::new(0usize);
    let sound = RwSignal::new(false);
    let now = RwSignal::new(ui::now_ms());

    let load = move || {
        let path = filter.get_untracked().path();
        leptos::task::spawn_local(async move {
            let answer = api::get::<HelpQueue>(&path).await.map(|q| q.items);
            if let Ok(list) = &answer {
                let new = arrivals
                    .try_update_value(|a| a.observe(list.iter().map(|i| i.id.as_str())))
                    .unwrap_or_default();
                if !new.is_empty() {
                    new_count.update(|n| *n += new.len());
                    fresh.update(|f| f.extend(new));
                    if sound.get_untracked() {
                        ui::beep();
                    }
                }
            } else if let Err(e) = &answer {
                session.failed(e);
            }
            now.set(ui::now_ms());
            items.set(Some(answer));
        });
    };
    // First load, a reload on each filter change, and the poll.
    Effect::new(move |_| {
        filter.track();
        load();
    });
    if let Ok(handle) = set_interval_with_handle(load, POLL) {
        on_cleanup(move || handle.clear());
    }
    // The count of open requests in the title, for a background tab.
    Effect::new(move |_| {
        let open = items
            .get()
            .and_then(|r| r.ok())
            .map(|l| l.iter().filter(|i| !i.status.is_closed()).count())
            .unwrap_or(0);
        document().set_title(&format!("({open}) {} · {}", t().queue_title, t().app_title));
    });
    on_cleanup(move || document().set_title(lang.t().app_title));

    let grids = LocalResource::new(|| api::get::<Grids>("/api/v1/staff/grids"));
    let buildings = LocalResource::new(|| api::get::<Buildings>("/api/v1/staff/buildings"));

    let select = move |label: fn(&crate::i18n::Texts) -> &'static str,
                       id: &'static str,
                       get: fn(&QueueFilter) -> String,
                       set: fn(&mut QueueFilter, String),
                       options: Signal<Vec<(String, String)>>| {
        view! {
            <label for=id>{move || label(t())}</label>
            <select id=id data-testid=id on:change=move |ev| {
                let v = event_target_value(&ev);
                filter.update(|f| set(f, v));
            }>
                <option value="" selected=move || get(&filter.get()).is_empty()>{move || t().any}</option>
                <For each=move || options.get() key=|(v, _)| v.clone() let:((value, text))>
                    <option value=value.clone() selected=move || get(&filter.get()) == value>{text}</option>
                </For>
            </select>
        }
    };
    let status_options = Signal::derive(move || {
        STATUSES
            .iter()
            .map(|s| (wire(*s), t().status(*s).to_owned()))
            .collect()
    });
    let urgency_options = Signal::derive(move || {
        use linli_protocol::pushed::Urgency::*;
        [LifeThreatening, Urgent, Normal]
            .iter()
            .map(|u| (wire(*u), t().urgency(*u).to_owned()))
            .collect()
    });
    let grid_options = Signal::derive(move || {
        grids
            .get()
            .and_then(|r| r.ok())
            .map(|g| {
                g.items
                    .into_iter()
                    .map(|g| (g.code.clone(), format!("{} {}", g.code, g.name.as_str())))
                    .collect()
            })
            .unwrap_or_default()
    });
    let building_options = Signal::derive(move || {
        buildings
            .get()
            .and_then(|r| r.ok())
            .map(|b| {
                b.items
                    .into_iter()
                    .map(|b| (b.code.clone(), format!("{} {}", b.code, b.name.as_str())))
                    .collect()
            })
            .unwrap_or_default()
    });

    let shown = move || items.get();

    view! {
        <h1>{move || t().queue_title}</h1>
        <p class="muted live">{move || t().live_hint}</p>
        <div role="status" aria-live="polite" class="arrivals">
            <Show when=move || { new_count.get() > 0 }>
                <p class="cue" data-testid="new-requests">
                    <span>{move || (t().new_requests)(new_count.get())}</span>
                    <button type="button" on:click=move |_| { new_count.set(0); fresh.set(HashSet::new()); }>
                        {move || t().dismiss}
                    </button>
                </p>
            </Show>
        </div>
        <label class="check">
            <input type="checkbox" data-testid="sound-cue" prop:checked=sound on:change=move |ev| sound.set(event_target_checked(&ev))/>
            {move || t().sound_cue}
        </label>
        <fieldset class="filters">
            <legend>{move || t().filters}</legend>
            {select(|t| t.status, "filter-status", |f| f.status.clone(), |f, v| f.status = v, status_options)}
            {select(|t| t.urgency, "filter-urgency", |f| f.urgency.clone(), |f, v| f.urgency = v, urgency_options)}
            {select(|t| t.grid, "filter-grid", |f| f.grid.clone(), |f, v| f.grid = v, grid_options)}
            {select(|t| t.building, "filter-building", |f| f.building.clone(), |f, v| f.building = v, building_options)}
            <label for="filter-category">{move || t().category}</label>
            <select id="filter-category" data-testid="filter-category" on:change=move |ev| {
                let v = event_target_value(&ev);
                filter.update(|f| f.category = v);
            }>
                <option value="">{move || t().any}</option>
                {CATEGORIES.iter().map(|c| {
                    let c = *c;
                    view! { <option value=wire(c)>{move || t().category(c)}</option> }
                }).collect_view()}
            </select>
        </fieldset>
        {move || match shown() {
            None => view! { <p role="status">{t().loading}</p> }.into_any(),
            Some(Err(e)) => view! { <ui::ErrorLine error=e/> }.into_any(),
            Some(Ok(list)) if list.is_empty() => view! { <p class="empty" data-testid="queue-empty">{t().queue_empty}</p> }.into_any(),
            Some(Ok(list)) => view! {
                <table class="queue" data-testid="queue">
                    <thead>
                        <tr>
                            <th scope="col">{t().urgency}</th>
                            <th scope="col">{t().age}</th>
                            <th scope="col">{t().building}</th>
                            <th scope="col">{t().category}</th>
                            <th scope="col">{t().description}</th>
                            <th scope="col">{t().status}</th>
                            <th scope="col">{t().assignee}</th>
                        </tr>
                    </thead>
                    <tbody>
                        {list.into_iter().map(|i| view! { <QueueRow item=i now=now fresh=fresh/> }).collect_view()}
                    </tbody>
                </table>
            }.into_any(),
        }}
    }
}

#[component]
fn QueueRow(
    item: HelpQueueItem,
    now: RwSignal<i64>,
    fresh: RwSignal<HashSet<String>>,
) -> impl IntoView {
    let lang = use_lang();
    let t = move || lang.t();
    let since = ui::instant_ms(&item.created_at);
    let id = item.id.clone();
    let is_new = move || fresh.get().contains(&id);
    let href = format!("/console/requests/{}", item.id);
    let urgency_class = format!("badge urgency-{}", wire(item.urgency));
    let description = item.description.clone();
    view! {
        <tr data-testid="queue-row" data-id=item.id.clone() class:overdue=item.overdue class:fresh=is_new>
            <td>
                <span class=urgency_class>{move || t().urgency(item.urgency)}</span>
                {item.overdue.then(|| view! { <span class="badge overdue" data-testid="overdue">{move || t().overdue}</span> })}
            </td>
            <td>{move || waited(t(), now.get(), since)}</td>
            <td>{item.building.clone()}</td>
            <td>{move || t().category(item.category)}</td>
            <td class="desc"><A href=href>{description}</A></td>
            <td data-testid="queue-status">{move || t().status(item.status)}</td>
            <td>{item.assignee.clone().unwrap_or_default()}</td>
        </tr>
    }
}
