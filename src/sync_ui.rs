//! Screens for enrolment (`/join`), the Sync screen (`/sync`) and the quick daily check-in.
//! They call the [`Sync`](crate::sync::engine::Sync) service; none touches IndexedDB or fetch.

use crate::json::{quote, to_json};
use crate::markup::show;
use crate::router::{navigate, query_param, use_nav};
use crate::screens::fragment;
use crate::state::{use_sync, use_ui};
use crate::sync::engine::{self, SyncError};
use leptos::prelude::*;
use linli_protocol::ids::Id;
use linli_protocol::pushed::HealthReport;
use linli_protocol::time::{Date, Timestamp};

#[derive(Clone, Copy, PartialEq, Eq)]
enum JoinError {
    Code,
    Name,
    Unit,
    Invalid,
    Offline,
    RateLimited,
    /// The phone's storage has not opened: the household could not be kept.
    Storage,
}

/// Enrolment: an invite code (typed, or from `/join?code=…`) and a name.
#[component]
pub fn Join() -> impl IntoView {
    let ui = use_ui();
    let sync = use_sync();
    let code =
        RwSignal::new(query_param(&use_nav().query.get_untracked(), "code").unwrap_or_default());
    let name = RwSignal::new(String::new());
    let unit = RwSignal::new(String::new());
    let error = RwSignal::new(None::<JoinError>);
    let busy = RwSignal::new(false);

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        if let Err(field) = engine::check_enroll(
            &code.get_untracked(),
            &name.get_untracked(),
            &unit.get_untracked(),
        ) {
            error.set(Some(match field {
                "invite_code" => JoinError::Code,
                "unit" => JoinError::Unit,
                _ => JoinError::Name,
            }));
            return;
        }
        let Some(service) = sync.get_value() else {
            error.set(Some(JoinError::Storage));
            return;
        };
        busy.set(true);
        error.set(None);
        leptos::task::spawn_local(async move {
            // On a phone already enrolled, a volunteer code adds the building to this person's
            // volunteer scope and keeps the household; any other code enrols as before.
            if service.enrolled().await.is_some() {
                match service.claim_volunteer(&code.get_untracked()).await {
                    Ok(()) => {
                        busy.set(false);
                        navigate("/building");
                        return;
                    }
                    // Not a volunteer code (or this phone's enrolment was revoked): the code
                    // enrols as on a new phone.
                    Err(Some(c)) if c == "invalid_invite" || c == "unauthorized" => {}
                    // Offline, rate limited or the platform failing: stop here. Enrolling with
                    // a volunteer code would move this phone into a new household of its own.
                    Err(failed) => {
                        error.set(Some(match failed.as_deref() {
                            Some("rate_limited") => JoinError::RateLimited,
                            _ => JoinError::Offline,
                        }));
                        busy.set(false);
                        return;
                    }
                }
            }
            match engine::enroll(
                &code.get_untracked(),
                &name.get_untracked(),
                &unit.get_untracked(),
            )
            .await
            {
                Ok(device) => {
                    service.adopt(&device, name.get_untracked().trim()).await;
                    engine::request_persistence().await;
                    // Allowed notifications before joining (or joined again): serious alerts
                    // now also reach the phone while the app is closed.
                    if crate::screens::alerts::notification_permission().as_deref()
                        == Some("granted")
                    {
                        let lang = ui.lang.get_untracked().tag();
                        leptos::task::spawn_local(async move {
                            crate::webpush::subscribe(&device.token, lang).await;
                        });
                    }
                    service.refresh().await;
                    service.trigger();
                    navigate("/checkin");
                }
                Err(Some(code)) if code == "rate_limited" => {
                    error.set(Some(JoinError::RateLimited))
                }
                Err(Some(_)) => error.set(Some(JoinError::Invalid)),
                Err(None) => error.set(Some(JoinError::Offline)),
            }
            busy.set(false);
        });
    };
    // One reactive block per language, error and busy state; the typed values live in signals
    // so a re-render keeps them.
    view! {
        <section class="page" data-testid="page-join">
            {move || {
                let t = ui.t();
                let err = error.get();
                let enrolled = ui.sync.with(|s| s.enrolled.as_ref().map(|d| d.building_id.clone()));
                let message = err.map(|e| match e {
                    JoinError::Code => t.join_err_code,
                    JoinError::Name => t.join_err_name,
                    JoinError::Unit => t.words().unit_err,
                    JoinError::Invalid => t.words().join_err_invalid,
                    JoinError::Offline => t.words().join_err_offline,
                    JoinError::RateLimited => t.words().join_err_rate,
                    JoinError::Storage => t.words().sync_err_storage,
                });
                let summary = matches!(err, Some(JoinError::Invalid | JoinError::Offline | JoinError::RateLimited | JoinError::Storage)).then_some(message).flatten();
                let code_err = (err == Some(JoinError::Code)).then_some(message).flatten();
                let name_err = (err == Some(JoinError::Name)).then_some(message).flatten();
                let unit_err = (err == Some(JoinError::Unit)).then_some(message).flatten();
                view! {
                    {show(fragment(|h| {
                        h.el("h1", &[], t.join_title);
                        if let Some(b) = &enrolled {
                            h.el("p", &[("class", "card status-ok"), ("data-testid", "join-enrolled")], &format!("{}{b}", t.joined_as));
                        }
                        h.el("p", &[], t.words().join_body);
                    }))}
                    <form class="card form" on:submit=submit novalidate>
                        {summary.map(|m| view! { <p class="error-summary" role="alert" data-testid="join-error">{m}</p> })}
                        <label for="join-code">{t.join_code}</label>
                        <p class="hint" id="join-code-hint">{t.join_code_hint}</p>
                        <input id="join-code" name="code" autocomplete="off" autocapitalize="characters"
                            aria-describedby="join-code-hint join-code-error" aria-invalid=code_err.is_some().to_string()
                            prop:value=code.get_untracked() on:input=move |ev| code.set(event_target_value(&ev))
                            data-testid="join-code"/>
                        <p class="field-error" id="join-code-error">{code_err}</p>
                        <label for="join-name">{t.join_name}</label>
                        <p class="hint" id="join-name-hint">{t.words().join_name_hint}</p>
                        <input id="join-name" name="name" autocomplete="name" maxlength="50"
                            aria-describedby="join-name-hint join-name-error" aria-invalid=name_err.is_some().to_string()
                            prop:value=name.get_untracked() on:input=move |ev| name.set(event_target_value(&ev))
                            data-testid="join-name"/>
                        <p class="field-error" id="join-name-error">{name_err}</p>
                        <label for="join-unit">{t.words().unit_label}</label>
                        <p class="hint" id="join-unit-hint">{t.words().unit_hint}</p>
                        <input id="join-unit" name="unit" autocomplete="off" maxlength="20" class="short"
                            aria-describedby="join-unit-hint join-unit-error" aria-invalid=unit_err.is_some().to_string()
                            prop:value=unit.get_untracked() on:input=move |ev| unit.set(event_target_value(&ev))
                            data-testid="join-unit"/>
                        <p class="field-error" id="join-unit-error">{unit_err}</p>
                        <button type="submit" class="btn btn-primary" disabled=busy.get() data-testid="join-submit">{t.join_submit}</button>
                    </form>
                }
            }}
        </section>
    }
}

/// The Sync screen: what is only on this phone, errors in plain words, sync, export, sign out.
#[component]
pub fn SyncScreen() -> impl IntoView {
    let ui = use_ui();
    let sync = use_sync();
    let confirm_sign_out = RwSignal::new(false);
    let status = ui.sync;
    let sync_now = move |_| {
        if let Some(s) = sync.get_value() {
            s.trigger();
        }
    };
    let export = move |_| {
        let Some(s) = sync.get_value() else { return };
        leptos::task::spawn_local(async move {
            let unsent = s.store.unsent().await.unwrap_or_default();
            // Entries as JSON text (their bodies are JSON already), for the user to keep or hand on.
            let items: Vec<String> = unsent
                .iter()
                .map(|e| {
                    let error = e
                        .error
                        .as_deref()
                        .map(quote)
                        .unwrap_or_else(|| "null".into());
                    format!(
                        r#"{{"id":{},"kind":{},"state":{},"error":{error},"body":{}}}"#,
                        quote(&e.id),
                        quote(&e.kind),
                        quote(e.state.as_str()),
                        e.body
                    )
                })
                .collect();
            crate::browser::download(
                "linli-unsent.json",
                &format!(r#"{{"items":[{}]}}"#, items.join(",")),
            );
        });
    };
    let sign_out = move |_| {
        let Some(s) = sync.get_value() else { return };
        leptos::task::spawn_local(async move {
            // Serious alerts stop waking this phone for the person signing out; the wipe does not
            // wait for it.
            let token = s.enrolled().await.map(|d| d.token);
            leptos::task::spawn_local(async move {
                crate::webpush::unsubscribe(token.as_deref()).await;
            });
            if s.store.wipe().await.is_ok() {
                s.refresh().await;
                confirm_sign_out.set(false);
            }
        });
    };
    // One reactive block for the whole screen: it is small, and one closure costs far less
    // wasm than one per text.
    view! {
        <section class="page" data-testid="page-sync">
            {move || {
                let t = ui.t();
                let st = status.get();
                let unsent = st.pending + st.rejected.len() + st.parked;
                let enrolled = st.enrolled.is_some();
                let error = st.last_error.map(|e| match e {
                    SyncError::Offline => t.sync_err_offline,
                    SyncError::Server => t.words().sync_err_server,
                    SyncError::Refused => t.sync_err_refused,
                    SyncError::Storage => t.words().sync_err_storage,
                });
                let pending = if st.pending > 0 {
                    (t.sync_pending)(st.pending)
                } else if !st.known {
                    t.loading.to_owned()
                } else if !enrolled {
                    // Nothing is sent before joining: only the public content is read.
                    t.words().sync_public_only.to_owned()
                } else if st.rejected.is_empty() {
                    t.sync_all_sent.to_owned()
                } else {
                    String::new()
                };
                let last = st.last_sync_ms.map(crate::screens::local_time).unwrap_or_else(|| t.sync_never.to_owned());
                let sign_out_card = if !enrolled {
                    None
                } else if confirm_sign_out.get() {
                    Some(view! {
                        <div class="card">
                            {(unsent > 0).then(|| view! {
                                <p class="field-error" role="alert" data-testid="sign-out-warning">{(t.sign_out_warn)(unsent)}</p>
                            })}
                            <button class="btn btn-danger" on:click=sign_out data-testid="sign-out-confirm">{t.sign_out_confirm}</button>
                            <button class="btn" on:click=move |_| confirm_sign_out.set(false)>{t.cancel}</button>
                        </div>
                    }.into_any())
                } else {
                    Some(view! {
                        <div class="card">
                            <button class="btn" on:click=move |_| confirm_sign_out.set(true) data-testid="sign-out">{t.sign_out}</button>
                        </div>
                    }.into_any())
                };
                let top = fragment(|h| {
                    h.el("h1", &[], t.sync_title);
                    if st.joined() == Some(false) {
                        h.wrap("div", &[("class", "card")], |h| {
                            h.el("p", &[], t.sync_not_enrolled);
                            h.el("a", &[("href", "/join"), ("class", "btn btn-primary")], t.join_action);
                        });
                    }
                });
                // The live region stays in the page; only its content is rewritten, so screen
                // readers announce the change.
                let status_text = fragment(|h| {
                        if !pending.is_empty() {
                            h.el("p", &[("data-testid", "sync-pending")], &pending);
                        }
                        if !st.rejected.is_empty() {
                            h.el("p", &[("data-testid", "sync-kept")], &(t.sync_kept)(st.rejected.len()));
                        }
                        if st.parked > 0 {
                            h.el("p", &[("data-testid", "sync-parked")], &(t.sync_parked)(st.parked));
                        }
                        let ms = st.last_sync_ms.map(|ms| (ms as i64).to_string()).unwrap_or_default();
                        let last_line = format!("{} {last}", t.sync_last);
                        if ms.is_empty() {
                            h.el("p", &[("class", "hint"), ("data-testid", "sync-last")], &last_line);
                        } else {
                            h.el("p", &[("class", "hint"), ("data-testid", "sync-last"), ("data-ms", &ms)], &last_line);
                        }
                        if let Some(text) = error {
                            h.el("p", &[("class", "field-error"), ("data-testid", "sync-error")], text);
                        }
                        if st.needs_reenroll {
                            h.el("p", &[("class", "field-error"), ("data-testid", "sync-reenroll")], t.words().sync_reenroll);
                            h.el("a", &[("href", "/join"), ("class", "btn")], t.join_action);
                        }
                });
                let rejected = fragment(|h| {
                    if !st.rejected.is_empty() {
                        h.wrap("div", &[("class", "card"), ("data-testid", "sync-rejected")], |h| {
                            h.el("p", &[], t.sync_rejected);
                            h.wrap("ul", &[], |h| {
                                for e in &st.rejected {
                                    h.el("li", &[], &rejection_words(t, &e.kind, e.error.as_deref().unwrap_or_default()));
                                }
                            });
                        });
                    }
                });
                view! {
                    {show(top)}
                    <div class="card" role="status" data-testid="sync-summary">{show(status_text)}</div>
                    <div class="card">
                        {enrolled.then(|| view! {
                            <button class="btn btn-primary" on:click=sync_now disabled=st.syncing data-testid="sync-now">
                                {if st.syncing { t.sync_running } else { t.sync_now }}
                            </button>
                        })}
                        <button class="btn" on:click=export disabled=unsent == 0 data-testid="sync-export">{t.sync_export}</button>
                    </div>
                    <div class="card">
                        <p class="hint">{t.words().relay_hint}</p>
                        <a href="/relay" class="btn" data-testid="sync-relay">{t.words().relay_link}</a>
                    </div>
                    {show(rejected)}
                    {sign_out_card}
                }
            }}
        </section>
    }
}

/// A rejected record in plain words: what it was and why the platform refused it. `error` is
/// the kept `code: detail` text; the detail (the field as the platform named it) follows in
/// brackets for whoever helps the resident fix it.
pub fn rejection_words(t: &'static crate::i18n::Strings, kind: &str, error: &str) -> String {
    use linli_protocol::sync::PushedKind;
    let what = PushedKind::parse(kind)
        .and_then(|k| PushedKind::ALL.iter().position(|x| *x == k))
        .and_then(|i| t.words().record_kinds.get(i).copied())
        .unwrap_or(kind);
    let (code, detail) = error.split_once(": ").unwrap_or((error, ""));
    let why = match code {
        "invalid" => t.reject_invalid,
        "id_conflict" => t.reject_conflict,
        _ => t.reject_other,
    };
    if detail.is_empty() {
        format!("{what}: {why}")
    } else {
        format!("{what}: {why} ({detail})")
    }
}

/// Whom the one-tap check-in is for, from the check-in tab's data: the enrolled person's name,
/// and whether today's report so far had a fever or symptoms.
#[derive(Clone, Debug, Default, PartialEq)]
pub struct QuickFor {
    pub name: String,
    pub abnormal_today: bool,
}

/// Saves "I feel well today" for the enrolled person; `true` when saved.
pub async fn save_well(s: &engine::Sync, member: &str) -> bool {
    // Built from the protocol type, so it is valid before it is saved.
    let (Ok(member_id), Ok(date)) = (
        Id::parse(member),
        Date::parse(&crate::screens::local_date(0)),
    ) else {
        return false;
    };
    let report = HealthReport {
        member_id,
        date,
        temperature_c: None,
        symptoms: Vec::new(),
        note: None,
        reported_at: Timestamp::from_unix_ms(engine::now_ms() as i64),
        reported_by_volunteer: None,
        reported_by: None,
    };
    let Some(body) = to_json(&report) else {
        return false;
    };
    s.save(
        linli_protocol::sync::PushedKind::HealthReport.as_str(),
        body,
    )
    .await
    .is_ok()
}

/// "{name}: I feel well today" for the enrolled person: a health report saved on the phone at
/// once. If today's report so far had a fever or symptoms, a one-tap "well" would silently
/// supersede it: the button opens that person's check-in form instead, which asks first.
#[component]
pub fn QuickCheckin(who: Signal<QuickFor>) -> impl IntoView {
    let ui = use_ui();
    let sync = use_sync();
    let saved = RwSignal::new(0usize);
    let check_in = move |_| {
        let Some(s) = sync.get_value() else { return };
        let Some(member) = ui
            .sync
            .with_untracked(|st| st.enrolled.as_ref().map(|d| d.member_id.clone()))
        else {
            return;
        };
        if who.with_untracked(|w| w.abnormal_today) {
            navigate(&format!("/checkin/{member}?well=1"));
            return;
        }
        leptos::task::spawn_local(async move {
            if save_well(&s, &member).await {
                saved.update(|n| *n += 1);
            }
        });
    };
    view! {
        {move || {
            let t = ui.t();
            let crate::state::SyncFacts { enrolled, pending, .. } = ui.facts();
            let n = saved.get();
            let label = who.with(|w| {
                if w.name.is_empty() {
                    t.checkin_quick.to_owned()
                } else {
                    (t.checkin_quick_for)(&w.name)
                }
            });
            enrolled.then(|| view! {
                <div class="card">
                    <button class="btn btn-primary" on:click=check_in data-testid="checkin-quick">{label}</button>
                    {(n > 0).then(|| view! {
                        <p role="status" data-testid="checkin-saved">
                            {if pending > 0 { t.checkin_saved_local } else { t.checkin_saved_sent }}
                        </p>
                        <p class="hint">{(t.checkin_count)(n)}</p>
                    })}
                </div>
            })
        }}
    }
}

#[cfg(test)]
mod tests {
    use super::rejection_words;
    use crate::i18n::Lang;

    #[test]
    fn a_rejection_reads_as_what_and_why_in_the_chosen_language() {
        let en = Lang::En.strings();
        assert_eq!(
            rejection_words(en, "health_report", "invalid: body.temperature_c: too high"),
            "Health check-in: some details were not accepted; check them and enter it again (body.temperature_c: too high)"
        );
        assert_eq!(
            rejection_words(en, "help_request", "id_conflict"),
            "Help request: it clashes with another record already sent"
        );
        let hant = Lang::ZhHant.strings();
        assert_eq!(
            rejection_words(hant, "rumor_tip", "forbidden: not yours"),
            "謠言舉報: 社區平台拒絕了這項記錄 (not yours)"
        );
        // Every pushed kind has words, the volunteers' too (a missing one used to be an index
        // out of bounds when such a record was refused).
        assert_eq!(
            rejection_words(en, "door_knock", "forbidden: body.household_id: not yours"),
            "Door-knock visit: the community platform refused it (body.household_id: not yours)"
        );
        assert!(rejection_words(en, "volunteer_help_action", "x")
            .starts_with("Work on an assigned request"));
    }
}
