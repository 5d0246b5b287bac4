//! A building volunteer's view of their building: today's coverage (who checked in, who has
//! not, who is flagged) and the door-knock order — care needs first, then flagged, then not
//! checked in, then everyone else, by unit. Plain functions over the pulled roster.

use linli_protocol::volunteer::{KnockOutcome, RosterHousehold};

/// One household on the volunteer's list, with what the door-knock needs to know.
#[derive(Clone, Debug, PartialEq)]
pub struct Door {
    pub household_id: String,
    pub entry: RosterHousehold,
    /// Someone shares care flags (living alone, disability).
    pub care: bool,
    /// Someone's check-in today was flagged (fever or symptoms).
    pub flagged: bool,
    /// Members sharing their check-in who have not checked in today.
    pub not_checked_in: u32,
    /// The latest knock this volunteer recorded here today, if any.
    pub knocked: Option<KnockOutcome>,
}

/// The counts shown at the top of the building.
#[derive(Clone, Debug, Default, PartialEq, Eq)]
pub struct Counts {
    pub households: u32,
    pub people: u32,
    /// Members sharing their check-in: checked in today, of whom flagged, and not yet.
    pub checked_in: u32,
    pub flagged: u32,
    pub not_checked_in: u32,
    /// People whose check-in is not shared (the volunteer cannot know).
    pub not_shared: u32,
    /// Households knocked today.
    pub knocked: u32,
}

/// The doors of `building` in door-knock order, with `today` (`YYYY-MM-DD`, the phone's date)
/// and the latest knock per household (`knocks`: household id → outcome, today's only).
pub fn doors(
    roster: &[(String, RosterHousehold)],
    building: &str,
    today: &str,
    knocks: &[(String, KnockOutcome)],
) -> Vec<Door> {
    let mut out: Vec<Door> = roster
        .iter()
        .filter(|(_, e)| e.building == building)
        .map(|(id, e)| {
            let today_of = |m: &linli_protocol::volunteer::RosterMember| {
                m.checked_in.as_ref().is_some_and(|d| d.as_str() == today)
            };
            let sharing = e
                .members
                .iter()
                .filter(|m| m.flagged.is_some() || m.checked_in.is_some());
            Door {
                household_id: id.clone(),
                care: e
                    .members
                    .iter()
                    .any(|m| m.care_flags.as_ref().is_some_and(|f| !f.is_empty())),
                flagged: e
                    .members
                    .iter()
                    .any(|m| today_of(m) && m.flagged == Some(true)),
                not_checked_in: sharing.filter(|m| !today_of(m)).count() as u32,
                knocked: knocks.iter().rev().find(|(h, _)| h == id).map(|(_, k)| *k),
                entry: e.clone(),
            }
        })
        .collect();
    out.sort_by(|a, b| {
        // Known to be well (everyone shares their check-in and made it today) goes last:
        // a household that shares nothing may need the knock more.
        let all_in = |d: &Door| {
            d.entry.people > 0
                && d.entry.members.len() as u32 == d.entry.people
                && d.not_checked_in == 0
                && d.entry.members.iter().all(|m| m.checked_in.is_some())
        };
        let rank = |d: &Door| (!d.care, !d.flagged, d.not_checked_in == 0, all_in(d));
        rank(a)
            .cmp(&rank(b))
            .then_with(|| natural(&a.entry.unit).cmp(&natural(&b.entry.unit)))
    });
    out
}

/// A unit compared the way people read it: "3-502" before "12-101", numbers by value.
fn natural(unit: &str) -> Vec<(u64, String)> {
    let mut parts = Vec::new();
    let mut digits = String::new();
    let mut text = String::new();
    for c in unit.chars() {
        if c.is_ascii_digit() {
            if !text.is_empty() {
                parts.push((0, std::mem::take(&mut text)));
            }
            digits.push(c);
        } else {
            if !digits.is_empty() {
                parts.push((digits.parse().unwrap_or(u64::MAX), String::new()));
                digits.clear();
            }
            text.push(c);
        }
    }
    if !digits.is_empty() {
        parts.push((digits.parse().unwrap_or(u64::MAX), String::new()));
    }
    if !text.is_empty() {
        parts.push((0, text));
    }
    parts
}

/// The counts over `doors` (today's).
pub fn counts(doors: &[Door], today: &str) -> Counts {
    let mut c = Counts {
        households: doors.len() as u32,
        ..Counts::default()
    };
    for d in doors {
        c.people += d.entry.people;
        let mut sharing = 0;
        for m in &d.entry.members {
            if m.checked_in.is_none() && m.flagged.is_none() {
                continue;
            }
            sharing += 1;
            if m.checked_in.as_ref().is_some_and(|x| x.as_str() == today) {
                c.checked_in += 1;
                if m.flagged == Some(true) {
                    c.flagged += 1;
                }
            }
        }
        c.not_checked_in += d.not_checked_in;
        c.not_shared += d.entry.people.saturating_sub(sharing);
        if d.knocked.is_some() {
            c.knocked += 1;
        }
    }
    c
}

#[cfg(test)]
mod tests {
    use super::*;
    use linli_protocol::pushed::MemberFlag;
    use linli_protocol::time::Date;
    use linli_protocol::volunteer::RosterMember;

    fn member(
        name: Option<&str>,
        care: bool,
        checked: Option<&str>,
        flagged: bool,
    ) -> RosterMember {
        RosterMember {
            member_id: format!("m-{name:?}"),
            name: name.map(str::to_owned),
            care_flags: care.then(|| vec![MemberFlag::ElderlyAlone]),
            checked_in: checked.map(|d| Date::parse(d).unwrap()),
            flagged: checked.map(|_| flagged),
        }
    }

    fn household(unit: &str, people: u32, members: Vec<RosterMember>) -> RosterHousehold {
        RosterHousehold {
            building: "G1-B1".into(),
            unit: unit.into(),
            people,
            members,
        }
    }

    const TODAY: &str = "2026-11-28";

    #[test]
    fn care_needs_come_first_then_flagged_then_not_checked_in_then_by_unit() {
        let roster = vec![
            ("quiet".into(), household("12-101", 2, vec![])),
            (
                "well".into(),
                household(
                    "3-502",
                    1,
                    vec![member(Some("A"), false, Some(TODAY), false)],
                ),
            ),
            (
                "late".into(),
                household(
                    "5-1",
                    1,
                    vec![member(Some("B"), false, Some("2026-11-27"), false)],
                ),
            ),
            (
                "fever".into(),
                household("9-9", 1, vec![member(None, false, Some(TODAY), true)]),
            ),
            (
                "alone".into(),
                household("20-1", 1, vec![member(Some("C"), true, None, false)]),
            ),
            (
                "other".into(),
                RosterHousehold {
                    building: "G2-B1".into(),
                    ..household("1-1", 1, vec![])
                },
            ),
            ("also-quiet".into(), household("3-101", 1, vec![])),
        ];
        let knocks = vec![
            ("quiet".to_owned(), KnockOutcome::NoAnswer),
            ("quiet".to_owned(), KnockOutcome::Safe),
        ];
        let d = doors(&roster, "G1-B1", TODAY, &knocks);
        let order: Vec<&str> = d.iter().map(|d| d.household_id.as_str()).collect();
        assert_eq!(
            order,
            ["alone", "fever", "late", "also-quiet", "quiet", "well"]
        );
        assert_eq!(
            d.iter()
                .find(|d| d.household_id == "quiet")
                .unwrap()
                .knocked,
            Some(KnockOutcome::Safe)
        );

        let c = counts(&d, TODAY);
        assert_eq!(
            c,
            Counts {
                households: 6,
                people: 7,
                checked_in: 2,
                flagged: 1,
                not_checked_in: 1,
                not_shared: 4,
                knocked: 1
            }
        );
    }

    #[test]
    fn an_empty_building_counts_nothing() {
        assert_eq!(
            counts(&doors(&[], "G1-B1", TODAY, &[]), TODAY),
            Counts::default()
        );
    }
}
