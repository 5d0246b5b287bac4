//! Daily check-in: today's state of every household member, the check-in form with its
//! temperature check, and the last 14 days with a small chart.

use super::{back, focus, fragment, loading, local_date, pos, saved_line};
use crate::data::{loaded, members, Member};
use crate::domain::health::{
    chart_points, fever_line_y, history, is_abnormal, latest_for, temperature_text, CHART_H,
    CHART_W,
};
use crate::json::to_json;
use crate::markup::{show, Html};
use crate::state::{use_sync, use_ui};
use crate::store::model::LocalRecord;
use crate::sync::engine;
use leptos::prelude::*;
use linli_protocol::ids::Id;
use linli_protocol::pushed::{HealthReport, Symptom, TemperatureC, TemperatureInputError};
use linli_protocol::text::Text;
use linli_protocol::time::{Date, Timestamp};

/// Every symptom, in the order of the `symptoms` labels.
pub const SYMPTOMS: [Symptom; 8] = [
    Symptom::Fever,
    Symptom::Cough,
    Symptom::SoreThroat,
    Symptom::ShortnessOfBreath,
    Symptom::Fatigue,
    Symptom::LossOfTasteSmell,
    Symptom::Diarrhea,
    Symptom::Other,
];

type Reports = Vec<(LocalRecord, HealthReport)>;

async fn household_and_reports(s: engine::Sync) -> (Vec<Member>, Reports) {
    (
        members(&s).await,
        crate::data::shared::<HealthReport>(&s).await,
    )
}

/// Today's report of a member and its record, if any.
fn today_of<'a>(
    reports: &'a Reports,
    member: &str,
    today: &str,
) -> Option<&'a (LocalRecord, HealthReport)> {
    let bodies: Vec<HealthReport> = reports.iter().map(|(_, r)| r.clone()).collect();
    let latest = latest_for(&bodies, member, today)?;
    reports.iter().find(|(_, r)| r == latest)
}

/// One line summing up a report: temperature and symptoms.
fn summary(t: &'static crate::i18n::Strings, r: &HealthReport) -> String {
    let mut parts = Vec::new();
    if let Some(c) = r.temperature_c {
        parts.push(format!("{} °C", temperature_text(c.value())));
    }
    parts.extend(
        r.symptoms
            .iter()
            .map(|s| t.symptoms[pos(&SYMPTOMS, s)].to_owned()),
    );
    if parts.is_empty() {
        parts.push(t.checkin_well.to_owned());
    }
    parts.join(" · ")
}

/// `/checkin` once enrolled: each member's state today, with a one-tap path to check in.
#[component]
pub fn Members() -> impl IntoView {
    let ui = use_ui();
    let data = loaded(household_and_reports);
    let who = Signal::derive(move || {
        data.with(|d| {
            let (members, reports) = d.as_ref()?;
            let me = members.iter().find(|m| m.is_self)?;
            let today = today_of(reports, &me.id, &local_date(0));
            Some(crate::sync_ui::QuickFor {
                name: me.name.clone(),
                abnormal_today: today.is_some_and(|(_, r)| is_abnormal(r)),
            })
        })
        .unwrap_or_default()
    });
    view! {
        <section class="page" data-testid="page-checkin">
            {move || {
                let t = ui.t();
                let today = local_date(0);
                let mut h = Html::new();
                h.el("h1", &[], t.checkin_title);
                data.with(|d| match d {
                    None => loading(&mut h, t),
                    Some((members, reports)) => {
                        for m in members {
                            member_card(&mut h, t, m, today_of(reports, &m.id, &today));
                        }
                    }
                });
                show(h)
            }}
            // Outside the block above, so a reload of the list keeps its "saved" message.
            <crate::sync_ui::QuickCheckin who=who/>
            <a href="/household" class="btn" data-testid="household-link">{move || ui.t().household_manage}</a>
        </section>
    }
}

/// A member's state today on the check-in list, with the way to check in (or correct).
fn member_card(
    h: &mut Html,
    t: &'static crate::i18n::Strings,
    m: &Member,
    today: Option<&(LocalRecord, HealthReport)>,
) {
    let href = format!("/checkin/{}", m.id);
    let abnormal = today.is_some_and(|(_, r)| is_abnormal(r));
    let class = if abnormal {
        "card member abnormal"
    } else {
        "card member"
    };
    h.wrap(
        "div",
        &[("class", class), ("data-testid", "checkin-member")],
        |h| {
            h.el("h2", &[], &m.name);
            match today {
                Some((rec, r)) => {
                    h.wrap("p", &[], |h| {
                        h.text(t.checkin_done_today)
                            .el("strong", &[], &summary(t, r));
                    });
                    if abnormal {
                        h.el("p", &[("class", "flag")], t.checkin_abnormal);
                    }
                    if let Some(by) = &r.reported_by {
                        h.el(
                            "p",
                            &[("data-testid", "reported-by")],
                            &(t.words().reported_by)(by.as_str()),
                        );
                    }
                    h.wrap("p", &[], |h| saved_line(h, t, rec.sync));
                    h.el("a", &[("href", &href), ("class", "btn")], t.checkin_correct);
                }
                None => {
                    h.el("p", &[], t.checkin_not_yet);
                    h.el(
                        "a",
                        &[
                            ("href", &href),
                            ("class", "btn btn-primary"),
                            ("data-testid", "checkin-open"),
                        ],
                        t.checkin_open,
                    );
                }
            }
        },
    );
}

/// Above the form: whose check-in this is, "saved", or today's check-in it would replace.
fn form_header(
    h: &mut Html,
    t: &'static crate::i18n::Strings,
    member: &Member,
    current: Option<&(LocalRecord, HealthReport)>,
    just_saved: bool,
) {
    back(h, "/checkin", t.checkin_title);
    h.el("h1", &[], &format!("{}{}", t.checkin_for, member.name));
    match current {
        Some((rec, _)) if just_saved => {
            h.wrap(
                "div",
                &[
                    ("class", "card confirm"),
                    ("role", "status"),
                    ("id", "checkin-confirm"),
                    ("tabindex", "-1"),
                    ("data-testid", "checkin-saved"),
                ],
                |h| {
                    h.el("h2", &[], t.checkin_saved_title);
                    h.wrap("p", &[], |h| saved_line(h, t, rec.sync));
                },
            );
        }
        Some((rec, r)) => {
            let bad = is_abnormal(r);
            let class = if bad { "card abnormal" } else { "card" };
            h.wrap(
                "p",
                &[("class", class), ("data-testid", "checkin-today")],
                |h| {
                    h.text(t.checkin_done_today)
                        .el("strong", &[], &summary(t, r));
                    if bad {
                        h.text(" ")
                            .el("strong", &[("class", "flag")], t.checkin_abnormal);
                    }
                    h.text(" ");
                    saved_line(h, t, rec.sync);
                    h.void("br", &[]).text(t.checkin_replaces);
                },
            );
        }
        None => {}
    }
}

/// The member's last 14 days: a small temperature chart and one line per day.
fn history_section(h: &mut Html, t: &'static crate::i18n::Strings, reports: &Reports, id: &str) {
    let bodies: Vec<HealthReport> = reports.iter().map(|(_, r)| r.clone()).collect();
    let days: Vec<String> = (0..14).map(local_date).collect();
    let hist = history(&bodies, id, &days);
    let points = chart_points(&hist);
    let line = points
        .iter()
        .map(|(x, y, _, _)| format!("{x},{y}"))
        .collect::<Vec<_>>()
        .join(" ");
    let fever = fever_line_y().to_string();
    h.el("h2", &[], t.history_title);
    let view_box = format!("0 0 {CHART_W} {CHART_H}");
    h.wrap(
        "svg",
        &[
            ("class", "chart"),
            ("viewBox", &view_box),
            ("role", "img"),
            ("aria-label", t.history_chart),
        ],
        |h| {
            h.svg_path(
                "line",
                &[
                    ("class", "chart-fever"),
                    ("x1", "0"),
                    ("x2", &CHART_W.to_string()),
                    ("y1", &fever),
                    ("y2", &fever),
                ],
            );
            h.svg_path("polyline", &[("class", "chart-line"), ("points", &line)]);
            for (x, y, _, bad) in &points {
                let class = if *bad { "chart-dot bad" } else { "chart-dot" };
                h.svg_path(
                    "circle",
                    &[
                        ("cx", &x.to_string()),
                        ("cy", &y.to_string()),
                        ("r", "4"),
                        ("class", class),
                    ],
                );
            }
        },
    );
    h.wrap(
        "ul",
        &[("class", "history"), ("data-testid", "checkin-history")],
        |h| {
            for (day, r) in &hist {
                let bad = r.is_some_and(is_abnormal);
                h.wrap(
                    "li",
                    if bad { &[("class", "abnormal")] } else { &[] },
                    |h| {
                        h.el("span", &[], day.get(5..).unwrap_or(day));
                        h.el(
                            "span",
                            &[],
                            &match r {
                                Some(r) => summary(t, r),
                                None => t.history_none.to_owned(),
                            },
                        );
                        if bad {
                            h.el("strong", &[("class", "flag")], t.checkin_abnormal);
                        }
                    },
                );
            }
        },
    );
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FormError {
    Temperature(TemperatureInputError),
    Note,
}

/// `/checkin/:member`: the form, then the member's last 14 days.
#[component]
pub fn CheckinForm(member: String) -> impl IntoView {
    let ui = use_ui();
    let sync = use_sync();
    let member = StoredValue::new(member);
    let member_id = move || member.get_value();
    let data = loaded(household_and_reports);
    let temp = RwSignal::new(String::new());
    let symptoms = RwSignal::new(Vec::<Symptom>::new());
    let note = RwSignal::new(String::new());
    let error = RwSignal::new(None::<FormError>);
    let saved = RwSignal::new(false);
    // A correction starts from today's report (filled once, when the data first arrives).
    let prefilled = StoredValue::new(false);
    // `?well=1`: the one-tap "I feel well" would replace a report with a fever or symptoms.
    let asking = RwSignal::new(
        crate::router::query_param(&crate::router::use_nav().query.get_untracked(), "well")
            .is_some(),
    );
    let confirm_well = move |_| {
        let Some(s) = sync.get_value() else { return };
        leptos::task::spawn_local(async move {
            if crate::sync_ui::save_well(&s, &member_id()).await {
                crate::router::navigate("/checkin");
            }
        });
    };

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        saved.set(false);
        let temperature = match TemperatureC::parse_input(&temp.get_untracked()) {
            Ok(t) => t,
            Err(e) => {
                error.set(Some(FormError::Temperature(e)));
                focus("checkin-temp");
                return;
            }
        };
        let note_text = note.get_untracked();
        let note_value = match note_text.trim() {
            "" => None,
            n => match Text::<0, 500>::parse(n) {
                Ok(n) => Some(n),
                Err(_) => {
                    error.set(Some(FormError::Note));
                    focus("checkin-note");
                    return;
                }
            },
        };
        error.set(None);
        let (Some(s), Ok(member), Ok(date)) = (
            sync.get_value(),
            Id::parse(&member_id()),
            Date::parse(&local_date(0)),
        ) else {
            return;
        };
        let report = HealthReport {
            member_id: member,
            date,
            temperature_c: temperature,
            symptoms: symptoms.get_untracked(),
            note: note_value,
            reported_at: Timestamp::from_unix_ms(engine::now_ms() as i64),
            reported_by_volunteer: None,
            reported_by: None,
        };
        let Some(body) = to_json(&report) else { return };
        leptos::task::spawn_local(async move {
            if s.save(
                linli_protocol::sync::PushedKind::HealthReport.as_str(),
                body,
            )
            .await
            .is_ok()
            {
                saved.set(true);
                // The confirmation is at the top, the button at the bottom: take the person
                // (and their screen reader) to it once it is drawn.
                super::focus_when_drawn("checkin-confirm").await;
            }
        });
    };

    let toggle = move |s: Symptom| {
        symptoms.update(|list| match list.iter().position(|x| *x == s) {
            Some(i) => {
                list.remove(i);
            }
            None => list.push(s),
        })
    };

    view! {
        <section class="page" data-testid="page-checkin-form">
            {move || {
                let t = ui.t();
                let id = member_id();
                let err = error.get();
                let just_saved = saved.get();
                data.with(|d| {
                    let Some((members, reports)) = d else { return show(fragment(|h| loading(h, t))).into_any() };
                    let Some(member) = members.iter().find(|m| m.id == id) else {
                        return show(fragment(|h| {
                            back(h, "/checkin", t.checkin_title);
                            h.el("p", &[("class", "card")], t.member_unknown);
                        }))
                        .into_any();
                    };
                    let today = local_date(0);
                    let current = today_of(reports, &id, &today);
                    if !prefilled.get_value() {
                        prefilled.set_value(true);
                        if let Some((_, r)) = current {
                            let (t0, s0, n0) = crate::domain::health::form_from(r);
                            temp.update_untracked(|v| *v = t0);
                            symptoms.update_untracked(|v| *v = s0);
                            note.update_untracked(|v| *v = n0);
                        }
                    }
                    let temp_err = match err {
                        Some(FormError::Temperature(e)) => Some(match e {
                            TemperatureInputError::NotANumber => t.temp_err_number,
                            TemperatureInputError::TooPrecise => t.temp_err_precision,
                            TemperatureInputError::OutOfRange => t.words().temp_err_range,
                        }),
                        _ => None,
                    };
                    let note_err = (err == Some(FormError::Note)).then_some(t.note_err_long);
                    let confirm = asking.get().then(|| view! {
                        <div class="card" role="alertdialog" aria-labelledby="quick-confirm-text" data-testid="checkin-quick-confirm">
                            <p id="quick-confirm-text">{(t.checkin_quick_confirm)(&member.name)}</p>
                            <button class="btn btn-primary" on:click=confirm_well data-testid="checkin-quick-replace">{t.checkin_quick_replace}</button>
                            <button class="btn" on:click=move |_| { asking.set(false); crate::router::navigate("/checkin"); } data-testid="checkin-quick-keep">{t.checkin_quick_keep}</button>
                        </div>
                    });
                    view! {
                        {confirm}
                        {show(fragment(|h| form_header(h, t, member, current, just_saved)))}
                        <form class="card form" on:submit=submit novalidate>
                            {(temp_err.or(note_err)).map(|m| view! { <p class="error-summary" role="alert" data-testid="checkin-error">{m}</p> })}
                            <label for="checkin-temp">{t.temp_label}</label>
                            <p class="hint" id="checkin-temp-hint">{t.temp_hint}</p>
                            <input id="checkin-temp" inputmode="decimal" autocomplete="off" class="short"
                                aria-describedby="checkin-temp-hint checkin-temp-error" aria-invalid=temp_err.is_some().to_string()
                                prop:value=temp.get_untracked() on:input=move |ev| temp.set(event_target_value(&ev))
                                data-testid="checkin-temp"/>
                            <p class="field-error" id="checkin-temp-error">{temp_err}</p>
                            <fieldset class="chips">
                                <legend>{t.symptoms_label}</legend>
                                {SYMPTOMS.into_iter().enumerate().map(|(i, s)| view! {
                                    <label class="chip">
                                        <input type="checkbox" prop:checked=symptoms.with_untracked(|l| l.contains(&s))
                                            on:change=move |_| toggle(s) data-testid=format!("symptom-{i}")/>
                                        <span>{t.symptoms[i]}</span>
                                    </label>
                                }).collect_view()}
                            </fieldset>
                            <label for="checkin-note">{t.note_label}</label>
                            <textarea id="checkin-note" rows="3" maxlength="500" aria-describedby="checkin-note-count checkin-note-error" aria-invalid=note_err.is_some().to_string()
                                prop:value=note.get_untracked() on:input=move |ev| note.set(event_target_value(&ev))></textarea>
                            {super::chars_left("checkin-note-count", 500, note)}
                            <p class="field-error" id="checkin-note-error">{note_err}</p>
                            <button type="submit" class="btn btn-primary" data-testid="checkin-submit">{t.checkin_submit}</button>
                        </form>
                        {show(fragment(|h| history_section(h, t, reports, &id)))}
                    }.into_any()
                })
            }}
        </section>
    }
}
