//! The audit log (admins): who did what, when, on what; filtered by action.

use crate::api;
use crate::{ui, use_lang};
use leptos::prelude::*;
use linli_protocol::staff::AuditLog;

#[component]
pub fn Audit() -> impl IntoView {
    let lang = use_lang();
    let t = move || lang.t();
    let action = RwSignal::new(String::new());
    let log = LocalResource::new(move || {
        let a = action.get();
        async move {
            let path = if a.trim().is_empty() {
                "/api/v1/staff/audit".to_owned()
            } else {
                format!(
                    "/api/v1/staff/audit?action={}",
                    crate::model::encode(a.trim())
                )
            };
            api::get::<AuditLog>(&path).await
        }
    });
    view! {
        <h1>{move || t().audit_title}</h1>
        <label for="audit-action">{move || t().action}</label>
        <input id="audit-action" data-testid="audit-action" list="audit-actions"
            on:change=move |ev| action.set(event_target_value(&ev))/>
        <datalist id="audit-actions">
            {["sign_in", "sign_in_failed", "help_status", "alert_publish", "alert_cancel", "account_create",
              "account_update", "account_disable", "structure_import", "rumor_tip_handled", "invites_create"]
                .map(|a| view! { <option value=a></option> }).collect_view()}
        </datalist>
        {move || match log.get() {
            None => view! { <p role="status">{t().loading}</p> }.into_any(),
            Some(Err(e)) => view! { <ui::ErrorLine error=e/> }.into_any(),
            Some(Ok(l)) if l.items.is_empty() => view! { <p class="empty">{t().audit_empty}</p> }.into_any(),
            Some(Ok(l)) => view! {
                <table data-testid="audit">
                    <thead><tr>
                        <th scope="col">{t().at}</th><th scope="col">{t().actor}</th>
                        <th scope="col">{t().action}</th><th scope="col">{t().target}</th><th scope="col">{t().detail}</th>
                    </tr></thead>
                    <tbody>
                        {l.items.into_iter().map(|e| view! {
                            <tr data-testid="audit-row">
                                <td>{ui::local_time(&e.at)}</td><td>{e.actor}</td><td>{e.action}</td><td>{e.target}</td><td>{e.detail}</td>
                            </tr>
                        }).collect_view()}
                    </tbody>
                </table>
            }.into_any(),
        }}
    }
}
