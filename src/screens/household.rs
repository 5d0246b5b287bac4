//! The household: who lives here, with optional flags that tell volunteers who needs a visit
//! first. Each flag carries a one-line note saying who will see it.

use super::{back, focus, fragment, loading, saved_line};
use crate::data::{loaded, members};
use crate::json::to_json;
use crate::markup::{show, Html};
use crate::router::navigate;
use crate::state::{use_sync, use_ui};
use leptos::prelude::*;
use linli_protocol::pushed::{BirthYear, HouseholdMember, MemberFlag};
use linli_protocol::text::Text;
use linli_protocol::volunteer::{HouseholdVisit, KnockOutcome, SharingOnly, VolunteerSharing};

/// Every flag, in the order of the `flags` labels.
pub const FLAGS: [MemberFlag; 5] = [
    MemberFlag::ElderlyAlone,
    MemberFlag::Disabled,
    MemberFlag::ChronicIllness,
    MemberFlag::Pregnant,
    MemberFlag::Infant,
];

type ShareField = (
    fn(&VolunteerSharing) -> bool,
    fn(&mut VolunteerSharing, bool),
);

/// What a member may share with volunteers, in the order of the `share_what` labels.
const SHARES: [ShareField; 3] = [
    (|s| s.name, |s, v| s.name = v),
    (|s| s.care_flags, |s, v| s.care_flags = v),
    (|s| s.check_in, |s, v| s.check_in = v),
];

/// `/household`: everyone, with a way to add a person and to edit each.
#[component]
pub fn Household() -> impl IntoView {
    let ui = use_ui();
    let data = loaded(|s| async move {
        let (list, visits) =
            futures_util::future::join(members(&s), crate::data::published::<HouseholdVisit>(&s))
                .await;
        let mut visits: Vec<HouseholdVisit> = visits.into_iter().map(|(_, v)| v).collect();
        visits.sort_by_key(|v| std::cmp::Reverse(v.at.unix_ms()));
        visits.truncate(VISITS_SHOWN);
        (list, visits)
    });
    view! {
        <section class="page" data-testid="page-household">
            {move || {
                let t = ui.t();
                let mut h = Html::new();
                back(&mut h, "/checkin", t.checkin_title);
                h.el("h1", &[], t.household_title).el("p", &[], t.household_body);
                data.with(|d| match d {
                    None => loading(&mut h, t),
                    Some((list, _)) => {
                        for m in list {
                            h.wrap("div", &[("class", "card member"), ("data-testid", "household-member")], |h| {
                                h.el("h2", &[], &m.name);
                                if let Some(y) = m.birth_year {
                                    h.el("p", &[], &format!("{} {y}", t.birth_year));
                                }
                                if !m.flags.is_empty() {
                                    let flags: Vec<&str> = m.flags.iter().map(|f| t.flags[super::pos(&FLAGS, f)]).collect();
                                    h.el("p", &[], &flags.join(" · "));
                                }
                                if !m.is_self {
                                    h.wrap("p", &[], |h| saved_line(h, t, m.sync));
                                }
                                let href = format!("/household/{}", m.id);
                                h.el("a", &[("href", &href), ("class", "btn")], t.member_edit);
                            });
                        }
                    }
                });
                h.el("a", &[("href", "/household/new"), ("class", "btn btn-primary"), ("data-testid", "member-add")], t.member_add);
                data.with(|d| {
                    if let Some((_, visits)) = d.as_ref().filter(|(_, v)| !v.is_empty()) {
                        visits_card(&mut h, t, visits);
                    }
                });
                show(h)
            }}
            <super::phones::HouseholdPhones/>
        </section>
    }
}

/// How many of the latest door-knock visits the household screen lists.
const VISITS_SHOWN: usize = 5;

/// The building volunteers' latest visits to this household: when, who, what they found.
fn visits_card(h: &mut Html, t: &'static crate::i18n::Strings, visits: &[HouseholdVisit]) {
    let w = t.words();
    h.wrap(
        "div",
        &[("class", "card"), ("data-testid", "household-visits")],
        |h| {
            h.el("h2", &[], w.visits_title);
            h.wrap("ul", &[], |h| {
                for v in visits {
                    let outcome = w.knock_outcomes[super::pos(&KnockOutcome::ALL, &v.outcome)];
                    let line = [
                        &super::local_time(v.at.unix_ms() as f64),
                        " · ",
                        &(w.visit_by)(&v.by),
                        outcome,
                    ]
                    .concat();
                    h.el("li", &[("data-testid", "household-visit")], &line);
                }
            });
        },
    );
}

#[derive(Clone, Copy, PartialEq, Eq)]
enum FormError {
    Name,
    BirthYear,
}

/// `/household/new` and `/household/:id`: a person's name, birth year and flags.
#[component]
pub fn MemberForm(id: Option<String>) -> impl IntoView {
    let ui = use_ui();
    let sync = use_sync();
    let id = StoredValue::new(id);
    let id = move || id.get_value();
    // The members, and what the one being edited shares with volunteers (read from its record,
    // with the list, so the form never starts from "nothing shared" by mistake).
    let data = loaded(move |s| async move {
        let list = members(&s).await;
        let kind = linli_protocol::sync::PushedKind::HouseholdMember.as_str();
        let mut bodies = s
            .store
            .records(kind)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|r| (r.id, r.body));
        let pulled = s
            .store
            .content(kind)
            .await
            .unwrap_or_default()
            .into_iter()
            .map(|c| (c.id, c.body));
        let sharing = id()
            .and_then(|edit| {
                bodies
                    .find(|(i, _)| *i == edit)
                    .or_else(|| pulled.into_iter().find(|(i, _)| *i == edit))
            })
            .and_then(|(_, body)| crate::json::from_json::<SharingOnly>(&body))
            .unwrap_or_default()
            .share_with_volunteers;
        (list, sharing)
    });
    let name = RwSignal::new(String::new());
    let year = RwSignal::new(String::new());
    let flags = RwSignal::new(Vec::<MemberFlag>::new());
    let share = RwSignal::new(VolunteerSharing::default());
    let error = RwSignal::new(None::<FormError>);
    // Fill the form once the member being edited has loaded.
    Effect::new(move |filled: Option<bool>| {
        if filled == Some(true) {
            return true;
        }
        let Some(edit) = id() else { return true };
        data.with(|d| {
            let Some((m, sharing)) = d
                .as_ref()
                .and_then(|(l, sharing)| l.iter().find(|m| m.id == edit).map(|m| (m, *sharing)))
            else {
                return false;
            };
            name.set(m.name.clone());
            year.set(m.birth_year.map(|y| y.to_string()).unwrap_or_default());
            flags.set(m.flags.clone());
            share.set(sharing);
            true
        })
    });

    let submit = move |ev: leptos::ev::SubmitEvent| {
        ev.prevent_default();
        let Ok(display_name) = Text::<1, 50>::parse(name.get_untracked().trim()) else {
            error.set(Some(FormError::Name));
            focus("member-name");
            return;
        };
        let y = year.get_untracked();
        let birth_year = match y.trim() {
            "" => None,
            y => match y
                .parse::<i64>()
                .ok()
                .and_then(|y| BirthYear::try_from(y).ok())
            {
                Some(y) => Some(y),
                None => {
                    error.set(Some(FormError::BirthYear));
                    focus("member-year");
                    return;
                }
            },
        };
        error.set(None);
        let member = HouseholdMember {
            display_name,
            birth_year,
            flags: flags.get_untracked(),
            share_with_volunteers: share.get_untracked(),
        };
        let (Some(s), Some(body)) = (sync.get_value(), to_json(&member)) else {
            return;
        };
        let edit = id();
        leptos::task::spawn_local(async move {
            let ok = match edit {
                Some(id) => s
                    .save_edit(
                        linli_protocol::sync::PushedKind::HouseholdMember.as_str(),
                        &id,
                        body,
                    )
                    .await
                    .is_ok(),
                None => s
                    .save(
                        linli_protocol::sync::PushedKind::HouseholdMember.as_str(),
                        body,
                    )
                    .await
                    .is_ok(),
            };
            if ok {
                navigate("/household");
            }
        });
    };

    view! {
        <section class="page" data-testid="page-member-form">
            {move || {
                let t = ui.t();
                let err = error.get();
                let editing = id().is_some();
                let name_err = (err == Some(FormError::Name)).then_some(t.member_err_name);
                let year_err = (err == Some(FormError::BirthYear)).then_some(t.member_err_year);
                view! {
                    {show(fragment(|h| back(h, "/household", t.household_title)))}
                    <h1>{if editing { t.member_edit } else { t.member_add }}</h1>
                    <form class="card form" on:submit=submit novalidate>
                        {name_err.or(year_err).map(|m| view! { <p class="error-summary" role="alert" data-testid="member-error">{m}</p> })}
                        <label for="member-name">{t.member_name}</label>
                        <input id="member-name" maxlength="50" autocomplete="off" aria-describedby="member-name-error"
                            aria-invalid=name_err.is_some().to_string() prop:value=move || name.get()
                            on:input=move |ev| name.set(event_target_value(&ev)) data-testid="member-name"/>
                        <p class="field-error" id="member-name-error">{name_err}</p>
                        <label for="member-year">{t.birth_year}</label>
                        <p class="hint" id="member-year-hint">{t.birth_year_hint}</p>
                        <input id="member-year" inputmode="numeric" class="short" autocomplete="off"
                            aria-describedby="member-year-hint member-year-error" aria-invalid=year_err.is_some().to_string()
                            prop:value=move || year.get() on:input=move |ev| year.set(event_target_value(&ev))
                            data-testid="member-year"/>
                        <p class="field-error" id="member-year-error">{year_err}</p>
                        <fieldset>
                            <legend>{t.flags_label}</legend>
                            <p class="hint">{t.words().flags_hint}</p>
                            {FLAGS.into_iter().enumerate().map(|(i, f)| view! {
                                <label class="choice choice-note">
                                    <input type="checkbox" prop:checked=move || flags.with(|l| l.contains(&f))
                                        on:change=move |_| flags.update(|l| match l.iter().position(|x| *x == f) {
                                            Some(p) => { l.remove(p); }
                                            None => l.push(f),
                                        })
                                        data-testid=format!("flag-{i}")/>
                                    <span>{t.flags[i]}<small class="hint">{t.flags_consent[i]}</small></span>
                                </label>
                            }).collect_view()}
                        </fieldset>
                        <fieldset data-testid="member-share">
                            <legend>{t.words().share_legend}</legend>
                            <p class="hint">{t.words().share_hint}</p>
                            {SHARES.into_iter().enumerate().map(|(i, (get, set))| view! {
                                <label class="choice choice-note">
                                    <input type="checkbox" prop:checked=move || share.with(get)
                                        on:change=move |_| share.update(|s| { let v = !get(s); set(s, v) })
                                        data-testid=format!("share-{i}")/>
                                    <span>{t.words().share_what[i]}<small class="hint">{t.words().share_note[i]}</small></span>
                                </label>
                            }).collect_view()}
                        </fieldset>
                        <button type="submit" class="btn btn-primary" data-testid="member-save">{t.member_save}</button>
                    </form>
                }
            }}
        </section>
    }
}
