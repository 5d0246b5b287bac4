//! The Building tab, for building volunteers only (its own wasm chunk: no first-load bytes).
//! `/building`: today's coverage and the door-knock list of each building they cover;
//! `/building/h/:id`: one household — a door-knock visit, a check-in for a member without a phone;
//! `/building/requests`: the requests staff assigned to them, worked offline. Everything is
//! read from the pulled roster and saved through the outbox, so it all works in a stairwell.

use super::{back, focus, fragment, loading, local_date, local_time, saved_line};
use crate::data::{loaded, own, published};
use crate::domain::coverage::{counts, doors, Door};
use crate::json::to_json;
use crate::markup::{show, Html};
use crate::state::{use_sync, use_ui};
use crate::sync::engine::{self, Sync};
use leptos::prelude::*;
use linli_protocol::ids::Id;
use linli_protocol::published::HelpStatus;
use linli_protocol::pushed::{HealthReport, HelpCategory, HelpRequest, Symptom, Urgency};
use linli_protocol::sync::PushedKind;
use linli_protocol::text::Text;
use linli_protocol::time::{Date, Timestamp};
use linli_protocol::volunteer::{
    AssignedRequest, DoorKnock, KnockOutcome, NeighbourHealthReport, NeighbourHelpRequest,
    RosterHousehold, VolunteerAction, VolunteerHelpAction,
};

/// What this screen reads back of a check-in it made for a neighbour: only who, which day and
/// whether it was "unwell" (decoding the whole report here would put a second copy of the
/// report's decoder into the first load, which the check-in screens share).
#[derive(serde::Deserialize)]
struct ReportBrief {
    household_id: String,
    report: ReportFacts,
}

#[derive(serde::Deserialize)]
struct ReportFacts {
    member_id: String,
    date: String,
    #[serde(default)]
    symptoms: Vec<serde::de::IgnoredAny>,
}

/// What this screen reads back of a request for help it made for a neighbour: for whom, and
/// what was asked.
#[derive(serde::Deserialize)]
struct AskBrief {
    household_id: String,
    request: AskFacts,
}

#[derive(serde::Deserialize)]
struct AskFacts {
    member_id: String,
    description: String,
}

/// The buildings this phone's person volunteers for.
fn my_buildings(ui: &crate::state::Ui) -> Vec<String> {
    ui.sync.with(|s| {
        s.enrolled
            .as_ref()
            .map(|d| d.volunteer_buildings.clone())
            .unwrap_or_default()
    })
}

/// Today's door-knocks made on this phone: (household, outcome), oldest first.
async fn todays_knocks(s: &Sync) -> Vec<(String, KnockOutcome)> {
    let today = local_date(0);
    let mut knocks: Vec<(String, DoorKnock)> = own::<DoorKnock>(s)
        .await
        .into_iter()
        .map(|(_, k)| (k.household_id.as_str().to_owned(), k))
        .filter(|(_, k)| local_date_of(&k.at) == today)
        .collect();
    knocks.sort_by_key(|(_, k)| k.at.unix_ms());
    knocks.into_iter().map(|(h, k)| (h, k.outcome)).collect()
}

/// A timestamp's date on the phone's clock.
fn local_date_of(at: &Timestamp) -> String {
    let d = js_sys::Date::new(&wasm_bindgen::JsValue::from_f64(at.unix_ms() as f64));
    format!(
        "{:04}-{:02}-{:02}",
        d.get_full_year(),
        d.get_month() + 1,
        d.get_date()
    )
}

fn outcome_index(k: KnockOutcome) -> usize {
    super::pos(&KnockOutcome::ALL, &k)
}

/// `/building`.
#[component]
pub fn BuildingHome() -> impl IntoView {
    let ui = use_ui();
    let chosen = RwSignal::new(None::<String>);
    let data = loaded(|s| async move {
        let roster = published::<RosterHousehold>(&s).await;
        let knocks = todays_knocks(&s).await;
        let open = published::<AssignedRequest>(&s)
            .await
            .into_iter()
            .filter(|(_, a)| !a.state.status.is_closed() && a.state.status != HelpStatus::Resolved)
            .count();
        (roster, knocks, open)
    });
    view! {
        <section class="page" data-testid="page-building">
            {move || {
                let t = ui.t();
                let buildings = my_buildings(&ui);
                let mut h = Html::new();
                h.el("h1", &[], t.words().building_title);
                if buildings.is_empty() {
                    h.wrap("div", &[("class", "empty card")], |h| {
                        h.el("h2", &[], t.words().building_none_title).el("p", &[], t.words().building_none_body);
                    });
                    return show(h).into_any();
                }
                let building = chosen.get().filter(|b| buildings.contains(b)).unwrap_or_else(|| buildings[0].clone());
                data.with(|d| match d {
                    None => loading(&mut h, t),
                    Some((roster, knocks, open)) => {
                        let today = local_date(0);
                        let list = doors(roster, &building, &today, knocks);
                        let c = counts(&list, &today);
                        h.el("p", &[("class", "hint")], &(t.words().building_of)(&building));
                        h.wrap("div", &[("class", "card"), ("data-testid", "coverage"), ("role", "status")], |h| {
                            h.el("h2", &[], t.words().coverage_title);
                            h.wrap("ul", &[("class", "plain")], |h| {
                                h.el("li", &[], &(t.words().coverage_households)(c.households as usize, c.people as usize));
                                h.el("li", &[("data-testid", "coverage-in")], &(t.words().coverage_checked_in)(c.checked_in as usize));
                                h.el("li", &[("data-testid", "coverage-flagged")], &(t.words().coverage_flagged)(c.flagged as usize));
                                h.el("li", &[("data-testid", "coverage-missing")], &(t.words().coverage_not_in)(c.not_checked_in as usize));
                                h.el("li", &[], &(t.words().coverage_not_shared)(c.not_shared as usize));
                                h.el("li", &[("data-testid", "coverage-knocked")], &(t.words().coverage_knocked)(c.knocked as usize, c.households as usize));
                            });
                        });
                        h.el("a", &[("href", "/building/requests"), ("class", "btn"), ("data-testid", "assigned-link")], &(t.words().assigned_open)(*open));
                        h.el("h2", &[], t.words().doors_title);
                        if list.is_empty() {
                            h.el("p", &[("class", "card")], t.words().doors_empty);
                        }
                        h.wrap("div", &[("data-testid", "doors")], |h| {
                            for d in &list {
                                door_card(h, t, d);
                            }
                        });
                    }
                });
                let picker = (buildings.len() > 1).then(|| view! {
                    <div class="card" role="group" aria-label=t.words().building_pick>
                        {buildings.iter().map(|b| {
                            let code = b.clone();
                            let current = b == &building;
                            view! { <button class="btn" aria-pressed=current.to_string() on:click=move |_| chosen.set(Some(code.clone()))>{b.clone()}</button> }
                        }).collect_view()}
                    </div>
                });
                view! { {picker} {show(h)} }.into_any()
            }}
        </section>
    }
}

/// One door on the list: unit, who (as shared), today's state, the knock made.
fn door_card(h: &mut Html, t: &'static crate::i18n::Strings, d: &Door) {
    let href = format!("/building/h/{}", d.household_id);
    let class = if d.flagged || d.care {
        "card door door-first"
    } else {
        "card door"
    };
    h.wrap(
        "a",
        &[("href", &href), ("class", class), ("data-testid", "door")],
        |h| {
            h.el(
                "strong",
                &[("class", "door-unit")],
                &unit_label(t, &d.entry),
            );
            let names: Vec<&str> = d
                .entry
                .members
                .iter()
                .filter_map(|m| m.name.as_deref())
                .collect();
            let who = if names.is_empty() {
                (t.words().people_count)(d.entry.people as usize)
            } else {
                names.join("、")
            };
            h.el("span", &[], &who);
            if d.care {
                h.el(
                    "span",
                    &[("class", "badge sev-severe")],
                    t.words().door_care,
                );
            }
            if d.flagged {
                h.el(
                    "span",
                    &[("class", "badge sev-extreme")],
                    t.words().door_flagged,
                );
            } else if d.not_checked_in > 0 {
                h.el("span", &[("class", "badge")], t.words().door_not_in);
            }
            match d.knocked {
                Some(k) => h.el(
                    "span",
                    &[("class", "hint"), ("data-testid", "door-knocked")],
                    &[
                        t.words().knock_done,
                        t.words().knock_outcomes[outcome_index(k)],
                    ]
                    .concat(),
                ),
                None => h.el("span", &[("class", "hint")], t.words().knock_not_yet),
            };
        },
    );
}

fn unit_label(t: &'static crate::i18n::Strings, e: &RosterHousehold) -> String {
    if e.unit.is_empty() {
        t.words().unit_unknown.to_owned()
    } else {
        (t.words().unit_current)(&e.unit)
    }
}

/// `/building/h/:id`: one household.
#[component]
pub fn DoorPage(id: String) -> impl IntoView {
    let ui = use_ui();
    let sync = use_sync();
    let id = StoredValue::new(id);
    let data = loaded(move |s| async move {
        let entry = published::<RosterHousehold>(&s)
            .await
            .into_iter()
            .find(|(h, _)| *h == id.get_value())
            .map(|(_, e)| e);
        let mine: Vec<_> = own::<DoorKnock>(&s)
            .await
            .into_iter()
            .filter(|(_, k)| k.household_id.as_str() == id.get_value())
            .collect();
        let reports: Vec<_> = s
            .store
            .records(PushedKind::NeighbourHealthReport.as_str())
            .await
            .unwrap_or_default()
            .into_iter()
            .filter_map(|rec| {
                let brief = crate::json::from_json::<ReportBrief>(&rec.body)?;
                (brief.household_id == id.get_value()).then_some((rec, brief))
            })
            .collect();
        let asked: Vec<_> = s
            .store
            .records(PushedKind::NeighbourHelpRequest.as_str())
            .await
            .unwrap_or_default()
            .into_iter()
            .filter_map(|rec| {
                let brief = crate::json::from_json::<AskBrief>(&rec.body)?;
                (brief.household_id == id.get_value()).then_some((rec.sync, brief.request))
            })
            .collect();
        (entry, mine, reports, asked)
    });
    let outcome = RwSignal::new(None::<KnockOutcome>);
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(false);
    let saved = RwSignal::new(false);

    let save_knock = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let (Some(k), Ok(household)) = (outcome.get_untracked(), Id::parse(&id.get_value())) else {
            error.set(true);
            focus("knock-outcome-0");
            return;
        };
        let typed = note.get_untracked();
        let Ok(text) = Text::<0, 500>::parse(typed.trim()) else {
            error.set(true);
            return;
        };
        error.set(false);
        let knock = DoorKnock {
            household_id: household,
            outcome: k,
            note: (!text.as_str().is_empty()).then_some(text),
            at: Timestamp::from_unix_ms(engine::now_ms() as i64),
            alert_id: None,
        };
        let (Some(s), Some(body)) = (sync.get_value(), to_json(&knock)) else {
            return;
        };
        leptos::task::spawn_local(async move {
            if s.save(PushedKind::DoorKnock.as_str(), body).await.is_ok() {
                outcome.set(None);
                note.set(String::new());
                saved.set(true);
                crate::browser::yield_to_browser().await;
                focus("knock-saved");
            }
        });
    };
    // A request for help for one member (the form is open for at most one at a time).
    let helping = RwSignal::new(None::<String>);
    let category = RwSignal::new(HelpCategory::Medicine);
    let urgency = RwSignal::new(Urgency::Urgent);
    let description = RwSignal::new(String::new());
    let help_error = RwSignal::new(false);
    let help_saved = RwSignal::new(None::<String>);
    let send_help = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Some(member) = helping.get_untracked() else {
            return;
        };
        let (Ok(household), Ok(member_id)) = (Id::parse(&id.get_value()), Id::parse(&member))
        else {
            return;
        };
        let Ok(text) = Text::<1, 1000>::parse(description.get_untracked().trim()) else {
            help_error.set(true);
            focus("neighbour-help-description");
            return;
        };
        help_error.set(false);
        let ask = NeighbourHelpRequest {
            household_id: household,
            request: HelpRequest {
                member_id,
                category: category.get_untracked(),
                urgency: urgency.get_untracked(),
                description: text,
                created_at: Timestamp::from_unix_ms(engine::now_ms() as i64),
            },
        };
        let (Some(s), Some(body)) = (sync.get_value(), to_json(&ask)) else {
            return;
        };
        leptos::task::spawn_local(async move {
            if s.save(PushedKind::NeighbourHelpRequest.as_str(), body)
                .await
                .is_ok()
            {
                helping.set(None);
                description.set(String::new());
                help_saved.set(Some(member));
                crate::browser::yield_to_browser().await;
                focus("neighbour-help-saved");
            }
        });
    };
    let check_in = move |member: String, well: bool| {
        let (Ok(household), Ok(member_id), Ok(date)) = (
            Id::parse(&id.get_value()),
            Id::parse(&member),
            Date::parse(&local_date(0)),
        ) else {
            return;
        };
        let report = NeighbourHealthReport {
            household_id: household,
            report: HealthReport {
                member_id,
                date,
                temperature_c: None,
                symptoms: if well {
                    Vec::new()
                } else {
                    vec![Symptom::Other]
                },
                note: None,
                reported_at: Timestamp::from_unix_ms(engine::now_ms() as i64),
                reported_by_volunteer: Some(true),
                reported_by: None,
            },
        };
        let (Some(s), Some(body)) = (sync.get_value(), to_json(&report)) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let _ = s
                .save(PushedKind::NeighbourHealthReport.as_str(), body)
                .await;
        });
    };

    view! {
        <section class="page" data-testid="page-door">
            {move || {
                let t = ui.t();
                data.with(|d| match d {
                    None => show(fragment(|h| loading(h, t))).into_any(),
                    Some((None, _, _, _)) => show(fragment(|h| {
                        back(h, "/building", t.words().building_title);
                        h.el("p", &[("class", "card")], t.words().door_gone);
                    })).into_any(),
                    Some((Some(e), knocks, reports, asked)) => {
                        let today = local_date(0);
                        let head = fragment(|h| {
                            back(h, "/building", t.words().building_title);
                            h.el("h1", &[], &unit_label(t, e));
                            h.el("p", &[], &(t.words().people_count)(e.people as usize));
                            if e.members.is_empty() {
                                h.el("p", &[("class", "hint")], t.words().door_nothing_shared);
                            }
                            for (rec, k) in knocks.iter().rev() {
                                h.wrap("p", &[("class", "card"), ("data-testid", "knock-record")], |h| {
                                    h.text(&[t.words().knock_done, t.words().knock_outcomes[outcome_index(k.outcome)], " · ", &local_time(k.at.unix_ms() as f64)].concat());
                                    if let Some(n) = &k.note { h.text(" · ").text(n.as_str()); }
                                    h.text(" ");
                                    saved_line(h, t, rec.sync);
                                });
                            }
                        });
                        let members = e.members.iter().map(|m| {
                            let name = m.name.clone().unwrap_or_else(|| t.words().member_unnamed.to_owned());
                            let flags: Vec<&str> = m.care_flags.iter().flatten()
                                .map(|f| t.flags[super::pos(&super::household::FLAGS, f)]).collect();
                            let state = match (&m.checked_in, m.flagged) {
                                (Some(d), Some(true)) if d.as_str() == today => t.words().door_flagged,
                                (Some(d), _) if d.as_str() == today => t.home_done,
                                (None, None) => t.words().checkin_not_shared,
                                _ => t.checkin_not_yet,
                            };
                            // Newest first: the first of today's is the latest.
                            let mine_today = reports.iter().find(|(_, r)| r.report.member_id == m.member_id && r.report.date == today).map(|(rec, r)| (rec.sync, r.report.symptoms.is_empty()));
                            let (a, b) = (m.member_id.clone(), m.member_id.clone());
                            let label_well = format!("{} — {}", t.words().neighbour_well, name);
                            let label_unwell = format!("{} — {}", t.words().neighbour_unwell, name);
                            let label_help = format!("{} — {}", t.words().neighbour_help_open, name);
                            let asked_for = show(fragment(|h| {
                                for (sync, r) in asked.iter().filter(|(_, r)| r.member_id == m.member_id) {
                                    h.wrap("p", &[("data-testid", "neighbour-help-made")], |h| {
                                        h.text(t.words().neighbour_help_made)
                                            .text(&r.description)
                                            .text(" ");
                                        saved_line(h, t, *sync);
                                    });
                                }
                            }));
                            let member = m.member_id.clone();
                            let open = {
                                let member = StoredValue::new(member.clone());
                                move || member.with_value(|m| helping.get().as_deref() == Some(m.as_str()))
                            };
                            let toggle = {
                                let member = member.clone();
                                move |_| helping.update(|h| *h = if h.as_deref() == Some(member.as_str()) { None } else { Some(member.clone()) })
                            };

                            view! {
                                <div class="card" data-testid="door-member">
                                    <h2>{name.clone()}</h2>
                                    {(!flags.is_empty()).then(|| view! { <p>{flags.join(" · ")}</p> })}
                                    <p data-testid="door-member-state">{state}</p>
                                    {mine_today.map(|(sync, well)| show(fragment(|h| {
                                        h.wrap("p", &[("data-testid", "neighbour-saved")], |h| {
                                            h.text(if well { t.words().neighbour_well } else { t.words().neighbour_unwell }).text(" ");
                                            saved_line(h, t, sync);
                                        });
                                    })))}
                                    <p class="hint">{t.words().neighbour_hint}</p>
                                    <button class="btn btn-primary" on:click=move |_| check_in(a.clone(), true) aria-label=label_well data-testid="neighbour-well">{t.words().neighbour_well}</button>
                                    <button class="btn" on:click=move |_| check_in(b.clone(), false) aria-label=label_unwell data-testid="neighbour-unwell">{t.words().neighbour_unwell}</button>
                                    {asked_for}
                                    <button class="btn" aria-expanded=move || open().to_string() on:click=toggle aria-label=label_help data-testid="neighbour-help-open">{t.words().neighbour_help_open}</button>
                                    {move || open().then(|| help_form(ui.t(), send_help, category, urgency, description, help_error.get()))}
                                </div>
                            }
                        }).collect_view();
                        let err = error.get().then_some(t.words().knock_err);
                        view! {
                            {show(head)}
                            {members}
                            <form class="card form" on:submit=save_knock novalidate data-testid="knock-form">
                                <fieldset>
                                    <legend>{t.words().knock_title}</legend>
                                    {err.map(|m| view! { <p class="error-summary" role="alert" data-testid="knock-error">{m}</p> })}
                                    {KnockOutcome::ALL.into_iter().enumerate().map(|(i, k)| view! {
                                        <label class="choice"><input type="radio" name="knock" id=format!("knock-outcome-{i}")
                                            prop:checked=move || outcome.get() == Some(k) on:change=move |_| outcome.set(Some(k))
                                            data-testid=format!("knock-{i}")/><span>{t.words().knock_outcomes[i]}</span></label>
                                    }).collect_view()}
                                </fieldset>
                                {move || (outcome.get() == Some(KnockOutcome::NeedsHelp)).then(|| view! { <p class="hint" data-testid="knock-help-note">{ui.t().words().knock_help_note}</p> })}
                                <label for="knock-note">{t.words().knock_note}</label>
                                <textarea id="knock-note" rows="3" maxlength="500" aria-describedby="knock-note-count"
                                    prop:value=move || note.get() on:input=move |ev| note.set(event_target_value(&ev)) data-testid="knock-note"></textarea>
                                {super::chars_left("knock-note-count", 500, note)}
                                <button type="submit" class="btn btn-primary" data-testid="knock-save">{t.words().knock_save}</button>
                                {saved.get().then(|| view! { <p class="card confirm" id="knock-saved" tabindex="-1" role="status" data-testid="knock-saved">{t.words().knock_saved}</p> })}
                            </form>
                        }.into_any()
                    }
                })
            }}
            // Outside the list above, which is drawn again when the saved request is read back:
            // the confirmation keeps its focus.
            {move || help_saved.get().map(|_| view! {
                <p class="card confirm" id="neighbour-help-saved" tabindex="-1" role="status" data-testid="neighbour-help-saved">{ui.t().words().neighbour_help_saved}</p>
            })}
        </section>
    }
}

/// The form of a request for help made for a neighbour: what kind, how urgent, what is needed.
fn help_form(
    t: &'static crate::i18n::Strings,
    on_submit: impl Fn(leptos::ev::SubmitEvent) + 'static,
    category: RwSignal<HelpCategory>,
    urgency: RwSignal<Urgency>,
    description: RwSignal<String>,
    failed: bool,
) -> impl IntoView {
    use super::help::{CATEGORIES, URGENCIES};
    let err = failed.then_some(t.words().neighbour_help_err);
    let pick = move |v: String| {
        if let Some(c) = v.parse::<usize>().ok().and_then(|i| CATEGORIES.get(i)) {
            category.set(*c);
        }
    };
    view! {
        <form class="form" on:submit=on_submit novalidate data-testid="neighbour-help-form">
            {err.map(|m| view! { <p class="error-summary" role="alert" data-testid="neighbour-help-error">{m}</p> })}
            <label for="neighbour-help-category">{t.help_category}</label>
            <select id="neighbour-help-category" data-testid="neighbour-help-category"
                on:change=move |ev| pick(event_target_value(&ev))>
                {CATEGORIES.into_iter().enumerate().map(|(i, c)| view! {
                    <option value=i.to_string() selected=category.get_untracked() == c>{t.help_categories[i]}</option>
                }).collect_view()}
            </select>
            <fieldset>
                <legend>{t.help_urgency}</legend>
                {URGENCIES.into_iter().enumerate().map(|(i, u)| view! {
                    <label class="choice"><input type="radio" name="neighbour-urgency" prop:checked=urgency.get_untracked() == u
                        on:change=move |_| urgency.set(u) data-testid=format!("neighbour-help-urgency-{i}")/><span>{t.help_urgencies[i]}</span></label>
                }).collect_view()}
            </fieldset>
            <label for="neighbour-help-description">{t.help_description}</label>
            <textarea id="neighbour-help-description" rows="3" maxlength="1000" aria-describedby="neighbour-help-description-count"
                aria-invalid=failed.to_string() prop:value=description.get_untracked()
                on:input=move |ev| description.set(event_target_value(&ev)) data-testid="neighbour-help-description"></textarea>
            {super::chars_left("neighbour-help-description-count", 1000, description)}
            <button type="submit" class="btn btn-primary" data-testid="neighbour-help-send">{t.words().neighbour_help_send}</button>
        </form>
    }
}

/// Where a request assigned to this volunteer stands, with their unsent steps.
fn next_action(status: HelpStatus, pending: &[VolunteerAction]) -> Option<VolunteerAction> {
    let done = |a| pending.contains(&a);
    if status.is_closed() || status == HelpStatus::Resolved || done(VolunteerAction::Resolved) {
        return None;
    }
    Some(match status {
        HelpStatus::InProgress => VolunteerAction::Resolved,
        _ if done(VolunteerAction::InProgress) => VolunteerAction::Resolved,
        HelpStatus::Assigned if done(VolunteerAction::Accept) => VolunteerAction::InProgress,
        _ if done(VolunteerAction::Accept) => VolunteerAction::InProgress,
        _ => VolunteerAction::Accept,
    })
}

/// `/building/requests`: the requests staff assigned to this volunteer.
#[component]
pub fn AssignedList() -> impl IntoView {
    let ui = use_ui();
    let sync = use_sync();
    let data = loaded(|s| async move {
        let list = published::<AssignedRequest>(&s).await;
        let steps = own::<VolunteerHelpAction>(&s).await;
        (list, steps)
    });
    let notes = RwSignal::new(std::collections::HashMap::<String, String>::new());
    let act = move |request: String, action: VolunteerAction| {
        let Ok(request_id) = Id::parse(&request) else {
            return;
        };
        let note = notes
            .with_untracked(|n| n.get(&request).cloned())
            .unwrap_or_default();
        let step = VolunteerHelpAction {
            request_id,
            action,
            note: Text::parse(note.trim())
                .ok()
                .filter(|n: &Text<0, 500>| !n.as_str().is_empty()),
            at: Timestamp::from_unix_ms(engine::now_ms() as i64),
        };
        let (Some(s), Some(body)) = (sync.get_value(), to_json(&step)) else {
            return;
        };
        leptos::task::spawn_local(async move {
            let _ = s.save(PushedKind::VolunteerHelpAction.as_str(), body).await;
        });
    };
    view! {
        <section class="page" data-testid="page-assigned">
            {move || {
                let t = ui.t();
                data.with(|d| match d {
                    None => show(fragment(|h| loading(h, t))).into_any(),
                    Some((list, steps)) => {
                        let head = fragment(|h| {
                            back(h, "/building", t.words().building_title);
                            h.el("h1", &[], t.words().assigned_title);
                            if list.is_empty() {
                                h.el("p", &[("class", "card")], t.words().assigned_empty);
                            }
                        });
                        let mut list = list.clone();
                        list.sort_by_key(|(_, a)| (a.state.status.is_closed() || a.state.status == HelpStatus::Resolved, a.state.request.created_at.unix_ms()));
                        let cards = list.into_iter().map(|(id, a)| {
                            // Steps are one-way (accept, start, resolve): every step saved here
                            // counts as done, whether or not the platform has it yet.
                            let mine: Vec<_> = steps.iter()
                                .filter(|(rec, s)| s.request_id.as_str() == id && rec.sync != crate::store::model::RecordSync::Rejected)
                                .collect();
                            let done: Vec<VolunteerAction> = mine.iter().map(|(_, s)| s.action).collect();
                            let unsent: Vec<crate::store::model::RecordSync> = mine.iter().map(|(rec, _)| rec.sync)
                                .filter(|s| *s == crate::store::model::RecordSync::Local).collect();
                            let next = next_action(a.state.status, &done);
                            let status = t.help_statuses[super::pos(&super::help::STATUSES, &a.state.status)];
                            let body = fragment(|h| {
                                h.el("h2", &[], &[unit_label(t, &RosterHousehold { building: a.building.clone(), unit: a.unit.clone(), people: 0, members: vec![] }), " · ".into(), a.for_name.clone()].concat());
                                h.el("p", &[], &[t.help_categories[super::pos(&super::help::CATEGORIES, &a.state.request.category)], " · ", t.help_urgencies[super::pos(&super::help::URGENCIES, &a.state.request.urgency)]].concat());
                                h.el("p", &[], a.state.request.description.as_str());
                                h.el("p", &[("data-testid", "assigned-status")], status);
                                if let Some(sync) = unsent.first() {
                                    h.wrap("p", &[("data-testid", "assigned-unsent")], |h| saved_line(h, t, *sync));
                                }
                            });
                            let rid = id.clone();
                            let nid = id.clone();
                            // Several requests may show the same button: its name says whose.
                            let whose = a.for_name.clone();
                            view! {
                                <div class="card" data-testid="assigned-request">
                                    {show(body)}
                                    {next.map(|action| {
                                        let label = match action {
                                            VolunteerAction::Accept => t.words().assigned_accept,
                                            VolunteerAction::InProgress => t.words().assigned_start,
                                            VolunteerAction::Resolved => t.words().assigned_resolve,
                                        };
                                        let rid = rid.clone();
                                        let nid = nid.clone();
                                        view! {
                                            {(action == VolunteerAction::Resolved).then(|| { let field = format!("note-{nid}"); let key = nid.clone(); view! {
                                                <label for=field.clone()>{t.words().assigned_note}</label>
                                                <textarea id=field rows="2" maxlength="500" on:input=move |ev| { let v = event_target_value(&ev); notes.update(|n| { n.insert(key.clone(), v); }) } data-testid="assigned-note"></textarea>
                                            }})}
                                            <button class="btn btn-primary" on:click=move |_| act(rid.clone(), action) aria-label=format!("{label} — {whose}") data-testid="assigned-act">{label}</button>
                                        }
                                    })}
                                </div>
                            }
                        }).collect_view();
                        view! { {show(head)} {cards} }.into_any()
                    }
                })
            }}
        </section>
    }
}
