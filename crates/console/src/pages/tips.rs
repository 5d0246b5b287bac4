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
    let text = StoredValue::new(tip.text.clone());
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
            <Show when=move || session.is_admin()>
                <NewRebuttal tip=id.get_value() claim=text.get_value() on_change=on_change/>
            </Show>
        </li>
    }
}

const VERDICTS: [&str; 4] = ["false", "misleading", "unproven", "true"];

/// Publishes a rebuttal answering the tip (admins publish community content) and marks the tip
/// handled with it.
#[component]
fn NewRebuttal(
    tip: String,
    claim: String,
    on_change: impl Fn() + Copy + Send + Sync + 'static,
) -> impl IntoView {
    let lang = use_lang();
    let session = use_session();
    let t = move || lang.t();
    let claim = RwSignal::new(claim);
    let verdict = RwSignal::new("false".to_owned());
    let explanation = RwSignal::new(String::new());
    let message = RwSignal::new(None::<String>);
    let ids = (
        format!("claim-{tip}"),
        format!("verdict-{tip}"),
        format!("explanation-{tip}"),
    );
    let tip = StoredValue::new(tip);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let tag = lang.0.get_untracked().tag();
        if explanation.get_untracked().trim().is_empty() {
            message.set(Some(lang.t().field_required.into()));
            return;
        }
        let body = serde_json::json!({
            "claim": {tag: claim.get_untracked().trim()},
            "verdict": verdict.get_untracked(),
            "explanation": {tag: explanation.get_untracked().trim()},
            "published": linli_protocol::time::Timestamp::from_unix_ms(ui::now_ms()).as_str(),
        });
        let handled = format!(
            "/api/v1/staff/rumor-tips/{}/handled",
            crate::model::encode(&tip.get_value())
        );
        leptos::task::spawn_local(async move {
            let published = api::send::<_, linli_protocol::sync::CreatedResponse>(
                "POST",
                "/api/v1/staff/rebuttals",
                Some(&body),
            )
            .await;
            let linked = match published {
                Ok(r) => {
                    api::send::<_, serde_json::Value>(
                        "POST",
                        &handled,
                        Some(&serde_json::json!({"rebuttal_id": r.id})),
                    )
                    .await
                }
                Err(e) => Err(e),
            };
            match linked {
                Ok(_) => on_change(),
                Err(e) => {
                    session.failed(&e);
                    message.set(Some(e.message(lang.t())));
                }
            }
        });
    };
    view! {
        <details>
            <summary>{move || t().write_rebuttal}</summary>
            <form on:submit=submit>
                <label for=ids.0.clone()>{move || t().claim}</label>
                <input id=ids.0.clone() prop:value=claim on:input=move |ev| claim.set(event_target_value(&ev))/>
                <label for=ids.1.clone()>{move || t().verdict}</label>
                <select id=ids.1.clone() on:change=move |ev| verdict.set(event_target_value(&ev))>
                    {VERDICTS.into_iter().enumerate().map(|(i, v)| view! {
                        <option value=v selected=move || verdict.get() == v>{move || t().verdicts[i]}</option>
                    }).collect_view()}
                </select>
                <label for=ids.2.clone()>{move || t().explanation}</label>
                <textarea id=ids.2.clone() data-testid="rebuttal-explanation" prop:value=explanation on:input=move |ev| explanation.set(event_target_value(&ev))></textarea>
                <button type="submit" class="primary" data-testid="publish-rebuttal">{move || t().publish_and_link}</button>
                <div role="status">{move || message.get()}</div>
            </form>
        </details>
    }
}
