//! Rumor tips residents sent: newest unhandled first, with building and time; mark one handled,
//! linked to the rebuttal that answers it.

use crate::api;
use crate::{ui, use_lang, use_session};
use leptos::prelude::*;
use linli_protocol::staff::{RumorTipItem, RumorTips, StaffRebuttals};

#[component]
pub fn Tips() -> impl IntoView {
    let lang = use_lang();
    let t = move || lang.t();
    let tips = LocalResource::new(|| api::get::<RumorTips>("/api/v1/staff/rumor-tips"));
    let rebuttals = LocalResource::new(|| api::get::<StaffRebuttals>("/api/v1/staff/rebuttals"));
    view! {
        <h1>{move || t().tips_title}</h1>
        {move || match tips.get() {
            None => view! { <p role="status">{t().loading}</p> }.into_any(),
            Some(Err(e)) => view! { <ui::ErrorLine error=e/> }.into_any(),
            Some(Ok(l)) if l.items.is_empty() => view! { <p class="empty" data-testid="tips-empty">{t().tips_empty}</p> }.into_any(),
            Some(Ok(l)) => view! {
                <ul class="cards" data-testid="tips">
                    {l.items.into_iter().map(|tip| view! { <Tip tip=tip rebuttals=rebuttals on_change=move || tips.refetch()/> }).collect_view()}
                </ul>
            }.into_any(),
        }}
    }
}

#[component]
fn Tip(
    tip: RumorTipItem,
    rebuttals: LocalResource<Result<StaffRebuttals, api::ApiError>>,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let t = move || lang.t();
    let chosen = RwSignal::new(tip.rebuttal_id.clone().unwrap_or_default());
    let message = RwSignal::new(None::<String>);
    let id = StoredValue::new(tip.id.clone());
    let select_id = format!("rebuttal-{}", tip.id);
    let mark = move |_| {
        let r = chosen.get_untracked();
        let body = if r.is_empty() {
            serde_json::json!({})
        } else {
            serde_json::json!({"rebuttal_id": r})
        };
        let path = format!(
            "/api/v1/staff/rumor-tips/{}/handled",
            crate::model::encode(&id.get_value())
        );
        leptos::task::spawn_local(async move {
            match api::send::<_, serde_json::Value>("POST", &path, Some(&body)).await {
                Ok(_) => on_change(),
                Err(e) => {
                    session.failed(&e);
                    message.set(Some(e.message(lang.t())));
                }
            }
        });
    };
    let handled = tip.handled_at.clone();
    let is_handled = handled.is_some();
    view! {
        <li class="card" data-testid="tip" class:handled=is_handled>
            <p class="tip-text">{tip.text.clone()}</p>
            <p class="muted">{format!("{} · {}", tip.building, ui::local_time(&tip.at))}</p>
            {handled.map(|at| view! {
                <p class="ok">{move || format!("{} · {} · {}", t().handled, ui::local_time(&at), tip.handled_by.clone().unwrap_or_default())}</p>
            })}
            <label for=select_id.clone()>{move || t().link_rebuttal}</label>
            <select id=select_id on:change=move |ev| chosen.set(event_target_value(&ev))>
                <option value="">{move || t().no_rebuttal}</option>
                {move || rebuttals.get().and_then(|r| r.ok()).map(|r| r.items.into_iter().map(|i| {
                    let v = i.id.clone();
                    let selected = { let v = v.clone(); move || chosen.get() == v };
                    view! { <option value=v selected=selected>{i.rebuttal.claim.get(lang.0.get().tag()).to_owned()}</option> }
                }).collect_view())}
            </select>
            <button type="button" data-testid="mark-handled" on:click=mark>{move || t().mark_handled}</button>
            <div role="status">{move || message.get()}</div>
        </li>
    }
}
