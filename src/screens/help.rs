//! Requests for help and their closed loop: ask (offline too), follow the status the platform
//! reports (received → assigned → in progress → resolved → confirmed), confirm, reopen or cancel.

use super::{back, focus, fragment, loading, local_time, pos, saved_line};
use crate::data::{loaded, members, own, published, Member};
use crate::json::to_json;
use crate::markup::{show, Html};
use crate::router::navigate;
use crate::state::{use_sync, use_ui};
use crate::store::model::RecordSync;
use crate::sync::engine::{self, Sync};
use leptos::prelude::*;
use linli_protocol::ids::Id;
use linli_protocol::published::{HelpHistoryEntry, HelpRequestState, HelpStatus};
use linli_protocol::pushed::{HelpAction, HelpCategory, HelpRequest, HelpRequestAction, Urgency};
use linli_protocol::text::Text;
use linli_protocol::time::Timestamp;

pub const CATEGORIES: [HelpCategory; 6] = [
    HelpCategory::Medicine,
    HelpCategory::FoodWater,
    HelpCategory::MedicalCare,
    HelpCategory::ElderlyCare,
    HelpCategory::Utilities,
    HelpCategory::Other,
];
pub const URGENCIES: [Urgency; 3] = [Urgency::Normal, Urgency::Urgent, Urgency::LifeThreatening];
pub const STATUSES: [HelpStatus; 6] = [
    HelpStatus::Received,
    HelpStatus::Assigned,
    HelpStatus::InProgress,
    HelpStatus::Resolved,
    HelpStatus::Confirmed,
    HelpStatus::Cancelled,
];

/// A request as the resident sees it: what was asked, and what the platform last said.
#[derive(Clone, Debug)]
pub struct Request {
    pub id: String,
    pub request: HelpRequest,
    /// `None` while it exists only on this phone.
    pub status: Option<HelpStatus>,
    pub history: Vec<HelpHistoryEntry>,
    pub sync: RecordSync,
    /// The resident's own actions not yet sent.
    pub pending_actions: Vec<HelpAction>,
}

/// The household's requests, newest first: pulled state where the platform has answered.
pub async fn requests(s: &Sync) -> Vec<Request> {
    let (pulled, actions, mine) = futures_util::future::join3(
        published::<HelpRequestState>(s),
        own::<HelpRequestAction>(s),
        own::<HelpRequest>(s),
    )
    .await;
    let mut out: Vec<Request> = mine
        .into_iter()
        .map(|(rec, request)| Request {
            status: None,
            history: Vec::new(),
            sync: rec.sync,
            id: rec.id,
            request,
            pending_actions: Vec::new(),
        })
        .collect();
    // Requests made on another phone of the household arrive only by pull.
    for (id, state) in pulled {
        match out.iter_mut().find(|r| r.id == id) {
            Some(r) => {
                r.status = Some(state.status);
                r.history = state.history;
            }
            None => out.push(Request {
                id,
                request: state.request,
                status: Some(state.status),
                history: state.history,
                sync: RecordSync::Sent,
                pending_actions: Vec::new(),
            }),
        }
    }
    // An action is pending until the pulled history shows it: unsent, or sent but not yet
    // reflected (so the button does not come back between the push and the next pull).
    for r in out.iter_mut() {
        let mine: Vec<(RecordSync, HelpAction)> = actions
            .iter()
            .filter(|(_, a)| a.request_id.as_str() == r.id)
            .map(|(rec, a)| (rec.sync, a.action))
            .collect();
        let sent = mine.iter().filter(|(s, _)| *s == RecordSync::Sent).count();
        let waiting = sent.saturating_sub(household_actions_in(&r.history));
        let unsent = mine.iter().filter(|(s, _)| *s == RecordSync::Local);
        // Records come newest first: the newest sent actions are the unreflected ones.
        let sent_waiting = mine
            .iter()
            .filter(|(s, _)| *s == RecordSync::Sent)
            .take(waiting);
        r.pending_actions = sent_waiting.chain(unsent).map(|(_, a)| *a).collect();
    }
    crate::ordering::sort_by_rank(&mut out, |r| (-r.request.created_at.unix_ms(), 0));
    out
}

/// How many of the household's own actions (confirm, reopen, cancel) a pulled history shows:
/// staff set assigned / in progress / resolved; every other entry after the first "received"
/// is a resident's action. No clocks are compared.
pub fn household_actions_in(history: &[HelpHistoryEntry]) -> usize {
    history
        .iter()
        .skip(1)
        .filter(|e| {
            matches!(
                e.status,
                HelpStatus::Received | HelpStatus::Confirmed | HelpStatus::Cancelled
            )
        })
        .count()
}

/// Whether a request still needs someone (for Home).
pub fn is_open(r: &Request) -> bool {
    !r.status.is_some_and(|s| s.is_closed())
}

fn status_text(t: &'static crate::i18n::Strings, r: &Request) -> &'static str {
    match r.status {
        None => t.help_status_local,
        Some(s) => t.help_statuses[pos(&STATUSES, &s)],
    }
}

/// A request in a list (Home and Help).
pub fn request_card(h: &mut Html, t: &'static crate::i18n::Strings, r: &Request) {
    let text: String = r.request.description.as_str().chars().take(60).collect();
    let href = format!("/help/{}", r.id);
    h.wrap(
        "a",
        &[
            ("href", &href),
            ("class", "card help-card"),
            ("data-testid", "help-card"),
        ],
        |h| {
            h.el(
                "span",
                &[("class", "badge"), ("data-testid", "help-status")],
                status_text(t, r),
            );
            h.el(
                "strong",
                &[],
                t.help_categories[pos(&CATEGORIES, &r.request.category)],
            );
            h.el("span", &[("class", "hint")], &text);
        },
    );
}

/// `/help`: the household's requests and the way to ask.
#[component]
pub fn HelpList() -> impl IntoView {
    let ui = use_ui();
    let data = loaded(|s| async move { requests(&s).await });
    view! {
        <section class="page" data-testid="page-help">
            {move || {
                let t = ui.t();
                let mut h = Html::new();
                back(&mut h, "/", t.tab_home);
                h.el("h1", &[], t.help_title);
                h.el("a", &[("href", "/help/new"), ("class", "btn btn-primary"), ("data-testid", "help-new")], t.help_new);
                data.with(|d| match d {
                    None => loading(&mut h, t),
                    Some(list) if list.is_empty() => {
                        h.el("p", &[("class", "card")], t.words().help_empty);
                    }
                    Some(list) => list.iter().for_each(|r| request_card(&mut h, t, r)),
                });
                show(h)
            }}
        </section>
    }
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FormError {
    Member,
    Description,
}

/// `/help/new`: who, what kind, how urgent, what is needed.
#[component]
pub fn HelpForm() -> impl IntoView {
    let ui = use_ui();
    let sync = use_sync();
    let data = loaded(|s| async move { members(&s).await });
    let member = RwSignal::new(String::new());
    let category = RwSignal::new(HelpCategory::Medicine);
    let urgency = RwSignal::new(Urgency::Normal);
    let description = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FormError>);
    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let chosen = member.get_untracked();
        let fallback = data.with_untracked(|d| {
            d.as_ref()
                .and_then(|l: &Vec<Member>| l.first().map(|m| m.id.clone()))
        });
        let Ok(member_id) = Id::parse(if chosen.is_empty() {
            fallback.as_deref().unwrap_or("")
        } else {
            &chosen
        }) else {
            error.set(Some(FormError::Member));
            return;
        };
        let Ok(desc) = Text::<1, 1000>::parse(description.get_untracked().trim()) else {
            error.set(Some(FormError::Description));
            focus("help-description");
            return;
        };
        error.set(None);
        let request = HelpRequest {
            member_id,
            category: category.get_untracked(),
            urgency: urgency.get_untracked(),
            description: desc,
            created_at: Timestamp::from_unix_ms(engine::now_ms() as i64),
        };
        let (Some(s), Some(body)) = (sync.get_value(), to_json(&request)) else {
            return;
        };
        leptos::task::spawn_local(async move {
            if let Ok(id) = s
                .save(linli_protocol::sync::PushedKind::HelpRequest.as_str(), body)
                .await
            {
                navigate(&format!("/help/{id}"));
            }
        });
    };
    view! {
        <section class="page" data-testid="page-help-form">
            {move || {
                let t = ui.t();
                let err = error.get();
                let desc_err = (err == Some(FormError::Description)).then_some(t.help_err_description);
                let member_err = (err == Some(FormError::Member)).then_some(t.help_err_member);
                let people = data.get().unwrap_or_default();
                view! {
                    {show(fragment(|h| back(h, "/help", t.help_title)))}
                    <h1>{t.help_new}</h1>
                    <p class="card warn">{t.words().help_emergency}</p>
                    <form class="card form" on:submit=submit novalidate>
                        {desc_err.or(member_err).map(|m| view! { <p class="error-summary" role="alert" data-testid="help-error">{m}</p> })}
                        <label for="help-member">{t.help_who}</label>
                        <select id="help-member" on:change=move |ev| member.set(event_target_value(&ev)) data-testid="help-member">
                            {people.iter().map(|m| view! { <option value=m.id.clone() selected=member.get_untracked() == m.id>{m.name.clone()}</option> }).collect_view()}
                        </select>
                        <fieldset>
                            <legend>{t.help_category}</legend>
                            {CATEGORIES.into_iter().enumerate().map(|(i, c)| view! {
                                <label class="choice"><input type="radio" name="category" prop:checked=category.get_untracked() == c
                                    on:change=move |_| category.set(c) data-testid=format!("help-category-{i}")/><span>{t.help_categories[i]}</span></label>
                            }).collect_view()}
                        </fieldset>
                        <fieldset>
                            <legend>{t.help_urgency}</legend>
                            {URGENCIES.into_iter().enumerate().map(|(i, u)| view! {
                                <label class="choice"><input type="radio" name="urgency" prop:checked=urgency.get_untracked() == u
                                    on:change=move |_| urgency.set(u) data-testid=format!("help-urgency-{i}")/><span>{t.help_urgencies[i]}</span></label>
                            }).collect_view()}
                        </fieldset>
                        <label for="help-description">{t.help_description}</label>
                        <p class="hint" id="help-description-hint">{t.words().help_description_hint}</p>
                        <textarea id="help-description" rows="4" maxlength="1000" aria-describedby="help-description-hint help-description-count help-description-error"
                            aria-invalid=desc_err.is_some().to_string() prop:value=description.get_untracked()
                            on:input=move |ev| description.set(event_target_value(&ev)) data-testid="help-description"></textarea>
                        {super::chars_left("help-description-count", 1000, description)}
                        <p class="field-error" id="help-description-error">{desc_err}</p>
                        <button type="submit" class="btn btn-primary" data-testid="help-submit">{t.help_submit}</button>
                    </form>
                }
            }}
        </section>
    }
}

/// `/help/:id`: the status timeline and the resident's actions.
#[component]
pub fn HelpDetail(id: String) -> impl IntoView {
    let ui = use_ui();
    let sync = use_sync();
    let id = StoredValue::new(id);
    let id = move || id.get_value();
    let data = loaded(|s| async move { requests(&s).await });
    let people = loaded(|s| async move { crate::data::members(&s).await });
    let confirm_cancel = RwSignal::new(false);
    let act = move |action: HelpAction| {
        confirm_cancel.set(false);
        let (Some(s), Ok(request_id)) = (sync.get_value(), Id::parse(&id())) else {
            return;
        };
        let body = HelpRequestAction {
            request_id,
            action,
            note: None,
        };
        let Some(json) = to_json(&body) else { return };
        leptos::task::spawn_local(async move {
            let _ = s
                .save(
                    linli_protocol::sync::PushedKind::HelpRequestAction.as_str(),
                    json,
                )
                .await;
        });
    };
    // What the resident may do now; nothing while an earlier action waits to be sent.
    let allowed = move || {
        let id = id();
        data.with(|d| {
            d.as_ref()
                .and_then(|list| list.iter().find(|r| r.id == id))
                .map_or((false, false, false), |r| {
                    let status = r.status;
                    let free = r.pending_actions.is_empty();
                    (
                        status == Some(HelpStatus::Resolved) && free,
                        matches!(
                            status,
                            Some(
                                HelpStatus::Resolved
                                    | HelpStatus::Confirmed
                                    | HelpStatus::Cancelled
                            )
                        ) && free,
                        status.is_some_and(|s| !s.is_closed()) && free,
                    )
                })
        })
    };
    view! {
        <section class="page" data-testid="page-help-detail">
            {move || {
                let t = ui.t();
                let id = id();
                let mut h = Html::new();
                back(&mut h, "/help", t.help_title);
                data.with(|d| match d.as_ref().map(|list| list.iter().find(|r| r.id == id)) {
                    None => loading(&mut h, t),
                    Some(None) => {
                        h.el("p", &[("class", "card")], t.help_gone);
                    }
                    Some(Some(r)) => {
                        let who = people.with(|p| {
                            p.as_ref().and_then(|p| p.iter().find(|m| m.id == r.request.member_id.as_str()).map(|m| m.name.clone()))
                        });
                        request_detail(&mut h, t, r, who.as_deref());
                    }
                });
                show(h)
            }}
            {move || {
                let t = ui.t();
                let asking = confirm_cancel.get();
                let (can_confirm, can_reopen, can_cancel) = allowed();
                (can_confirm || can_reopen || can_cancel).then(|| view! {
                    <div class="card">
                        {can_confirm.then(|| view! { <button class="btn btn-primary" on:click=move |_| act(HelpAction::ConfirmResolved) data-testid="help-confirm">{t.help_confirm}</button> })}
                        {can_reopen.then(|| view! { <button class="btn" on:click=move |_| act(HelpAction::Reopen) data-testid="help-reopen">{t.help_reopen}</button> })}
                        {(can_cancel && !asking).then(|| view! { <button class="btn btn-danger" on:click=move |_| confirm_cancel.set(true) data-testid="help-cancel">{t.help_cancel}</button> })}
                        {(can_cancel && asking).then(|| view! {
                            <p role="alert">{t.words().help_cancel_confirm_text}</p>
                            <button class="btn btn-danger" on:click=move |_| act(HelpAction::Cancel) data-testid="help-cancel-confirm">{t.help_cancel_confirm}</button>
                            <button class="btn" on:click=move |_| confirm_cancel.set(false)>{t.cancel}</button>
                        })}
                    </div>
                })
            }}
        </section>
    }
}

/// The request, where it is, and its status timeline from the platform.
fn request_detail(h: &mut Html, t: &'static crate::i18n::Strings, r: &Request, who: Option<&str>) {
    h.el(
        "h1",
        &[],
        t.help_categories[pos(&CATEGORIES, &r.request.category)],
    );
    h.wrap("div", &[("class", "card")], |h| {
        if let Some(name) = who {
            h.el(
                "p",
                &[("data-testid", "help-for")],
                &(t.words().help_for)(name),
            );
        }
        h.wrap("p", &[], |h| {
            h.el(
                "span",
                &[("class", "badge"), ("data-testid", "help-detail-status")],
                status_text(t, r),
            );
            h.text(" ");
            h.el(
                "span",
                &[("class", "badge")],
                t.help_urgencies[pos(&URGENCIES, &r.request.urgency)],
            );
        });
        h.el("p", &[], r.request.description.as_str());
        h.wrap("p", &[], |h| saved_line(h, t, r.sync));
        if !r.pending_actions.is_empty() {
            h.el(
                "p",
                &[("class", "hint"), ("data-testid", "help-action-pending")],
                t.words().help_action_pending,
            );
        }
    });
    h.el("h2", &[], t.help_timeline);
    h.wrap(
        "ol",
        &[("class", "timeline"), ("data-testid", "help-timeline")],
        |h| {
            let created = local_time(r.request.created_at.unix_ms() as f64);
            h.el("li", &[], &format!("{} · {created}", t.help_status_local));
            for e in &r.history {
                h.wrap("li", &[], |h| {
                    h.el("strong", &[], t.help_statuses[pos(&STATUSES, &e.status)]);
                    h.text(" · ").text(&local_time(e.at.unix_ms() as f64));
                    if let Some(by) = &e.by {
                        h.void("br", &[]).text(t.help_by).text(by);
                    }
                    if let Some(note) = &e.note {
                        h.void("br", &[]).text(note);
                    }
                });
            }
        },
    );
}

#[cfg(test)]
mod tests {
    use super::*;

    fn history(statuses: &[&str]) -> Vec<HelpHistoryEntry> {
        statuses
            .iter()
            .map(|s| {
                serde_json::from_value(
                    serde_json::json!({"status": s, "at": "2026-11-28T09:00:00Z"}),
                )
                .unwrap()
            })
            .collect()
    }

    #[test]
    fn a_sent_action_is_pending_until_the_pulled_history_shows_it() {
        // Received → assigned → resolved: no resident action yet. A sent "confirm" waits.
        let before = history(&["received", "assigned", "resolved"]);
        assert_eq!(household_actions_in(&before), 0);
        // After the pull: confirmed shows it.
        let after = history(&["received", "assigned", "resolved", "confirmed"]);
        assert_eq!(household_actions_in(&after), 1);
        // Reopen (received again), resolved again, confirmed again: two actions.
        let twice = history(&["received", "resolved", "received", "resolved", "confirmed"]);
        assert_eq!(household_actions_in(&twice), 2);
        assert_eq!(household_actions_in(&[]), 0);
    }
}
