//! Building volunteers on the platform: their scope (buildings), the roster they pull (only what
//! each member shares), and what they push — door-knocks, reports for a neighbour, their work on
//! the requests staff assigned to them. Every write checks that the household is in one of the
//! volunteer's buildings.

use crate::auth::Device;
use crate::changelog::{self, Audience};
use crate::help;
use linli_protocol::ids::Id;
use linli_protocol::published::{HelpActor, HelpHistoryEntry, HelpStatus};
use linli_protocol::pushed::{HelpCategory, HelpRequest, MemberFlag, Urgency};
use linli_protocol::sync::PulledKind;
use linli_protocol::text::Text;
use linli_protocol::time::{Date, Timestamp};
use linli_protocol::volunteer::{
    AssignedRequest, DoorKnock, HouseholdVisit, KnockOutcome, NeighbourHealthReport,
    NeighbourHelpRequest, RosterHousehold, RosterMember, VolunteerAction, VolunteerHelpAction,
    VolunteerScope, VolunteerSharing,
};
use rusqlite::{params, Connection, OptionalExtension};

use crate::push::Refusal;

/// The buildings `member` volunteers for, by code.
pub fn buildings_of(c: &Connection, member: &str) -> rusqlite::Result<Vec<String>> {
    let mut q = c.prepare_cached(
        "SELECT building_code FROM volunteer_buildings WHERE member_id = ?1 ORDER BY building_code",
    )?;
    let rows = q.query_map(params![member], |r| r.get(0))?;
    rows.collect()
}

/// Gives `member` the volunteer scope over `building` and re-sends that building's roster, so
/// a phone whose pull cursor is already past it receives it.
pub fn grant(c: &Connection, member: &str, building: &str, now_ms: i64) -> rusqlite::Result<()> {
    let added = c.execute(
        "INSERT OR IGNORE INTO volunteer_buildings (member_id, building_code, granted_at)
         VALUES (?1, ?2, ?3)",
        params![member, building, now_ms / 1000],
    )?;
    if added == 1 {
        refresh_building(c, building, now_ms)?;
        publish_scope(c, member, now_ms)?;
    }
    Ok(())
}

/// What removing a volunteer from a building came to.
#[derive(Debug, PartialEq, Eq)]
pub enum Removal {
    Removed,
    /// They do not volunteer for that building.
    NotAVolunteer,
    /// They still hold this many open requests there (staff reassign them first).
    OpenRequests(i64),
}

/// Takes `building` out of `member`'s volunteer scope. Their phones then delete that building's
/// roster and the requests of it once assigned to them (deletes on their own channel), and learn
/// their new scope; requests they are still working on must be reassigned first.
pub fn revoke(
    c: &Connection,
    member: &str,
    building: &str,
    now_ms: i64,
) -> rusqlite::Result<Removal> {
    if !covers(c, member, building)? {
        return Ok(Removal::NotAVolunteer);
    }
    let open: i64 = c.query_row(
        "SELECT COUNT(*) FROM help_requests r JOIN households h ON h.id = r.household_id
          WHERE r.volunteer_member_id = ?1 AND h.building_code = ?2
            AND r.status NOT IN ('resolved', 'confirmed', 'cancelled')",
        params![member, building],
        |r| r.get(0),
    )?;
    if open > 0 {
        return Ok(Removal::OpenRequests(open));
    }
    c.execute(
        "DELETE FROM volunteer_buildings WHERE member_id = ?1 AND building_code = ?2",
        params![member, building],
    )?;
    for h in households_of(c, building)? {
        withdraw(c, PulledKind::RosterHousehold, &h, member, now_ms)?;
    }
    let requests: Vec<String> = {
        let mut q = c.prepare_cached(
            "SELECT r.id FROM help_requests r JOIN households h ON h.id = r.household_id
              WHERE r.volunteer_member_id = ?1 AND h.building_code = ?2",
        )?;
        let rows = q.query_map(params![member, building], |r| r.get(0))?;
        rows.collect::<Result<_, _>>()?
    };
    for r in requests {
        withdraw(c, PulledKind::AssignedRequest, &r, member, now_ms)?;
    }
    publish_scope(c, member, now_ms)?;
    Ok(Removal::Removed)
}

/// Deletes one entry from `member`'s phones (a delete on their own channel, beside the entry
/// other volunteers keep).
pub fn withdraw(
    c: &Connection,
    kind: PulledKind,
    id: &str,
    member: &str,
    now_ms: i64,
) -> rusqlite::Result<()> {
    changelog::record(
        c,
        kind.as_str(),
        id,
        "delete",
        None,
        Audience::Channel(changelog::volunteer_channel(member)),
        now_ms,
    )?;
    Ok(())
}

/// Tells `member`'s phones the buildings they now volunteer for (`volunteer_scope`): the phone
/// shows the Building tab for these, so a scope given or taken in the console reaches it.
pub fn publish_scope(c: &Connection, member: &str, now_ms: i64) -> rusqlite::Result<()> {
    let body = VolunteerScope {
        buildings: buildings_of(c, member)?,
    };
    changelog::record(
        c,
        PulledKind::VolunteerScope.as_str(),
        member,
        "upsert",
        serde_json::to_string(&body).ok().as_deref(),
        Audience::Channel(changelog::volunteer_channel(member)),
        now_ms,
    )?;
    Ok(())
}

/// The people of `building` with a phone of their own (who could volunteer), by unit and name,
/// with whether they volunteer for it.
pub fn residents(
    c: &Connection,
    building: &str,
) -> rusqlite::Result<linli_protocol::staff::BuildingResidents> {
    let mut q = c.prepare_cached(
        "SELECT DISTINCT m.id, m.display_name, h.unit,
                EXISTS (SELECT 1 FROM volunteer_buildings v
                         WHERE v.member_id = m.id AND v.building_code = h.building_code)
           FROM devices d JOIN members m ON m.id = d.member_id
           JOIN households h ON h.id = d.household_id
          WHERE h.building_code = ?1 AND d.revoked_at IS NULL
          ORDER BY h.unit, m.display_name LIMIT 2000",
    )?;
    let rows = q.query_map(params![building], |r| {
        Ok(linli_protocol::staff::BuildingResident {
            member_id: r.get(0)?,
            name: r.get(1)?,
            unit: r.get(2)?,
            volunteer: r.get(3)?,
        })
    })?;
    Ok(linli_protocol::staff::BuildingResidents {
        residents: rows.collect::<Result<_, _>>()?,
    })
}

/// The building of `member`'s household, when they have a phone that is not revoked.
pub fn home_building(c: &Connection, member: &str) -> rusqlite::Result<Option<String>> {
    c.query_row(
        "SELECT h.building_code FROM devices d JOIN households h ON h.id = d.household_id
          WHERE d.member_id = ?1 AND d.revoked_at IS NULL LIMIT 1",
        params![member],
        |r| r.get(0),
    )
    .optional()
}

/// The volunteers of `building`: (member id, display name), by name.
pub fn of_building(c: &Connection, building: &str) -> rusqlite::Result<Vec<(String, String)>> {
    let mut q = c.prepare_cached(
        "SELECT v.member_id, m.display_name FROM volunteer_buildings v
           JOIN members m ON m.id = v.member_id
          WHERE v.building_code = ?1 ORDER BY m.display_name",
    )?;
    let rows = q.query_map(params![building], |r| Ok((r.get(0)?, r.get(1)?)))?;
    rows.collect()
}

/// The volunteers of `building` as staff pick them.
pub fn listed(
    c: &Connection,
    building: &str,
) -> rusqlite::Result<linli_protocol::staff::BuildingVolunteers> {
    Ok(linli_protocol::staff::BuildingVolunteers {
        volunteers: of_building(c, building)?
            .into_iter()
            .map(|(member_id, name)| linli_protocol::staff::BuildingVolunteer { member_id, name })
            .collect(),
    })
}

/// The door-knocks of `building`, newest first (at most 500).
pub fn knocks(
    c: &Connection,
    building: &str,
) -> rusqlite::Result<linli_protocol::staff::DoorKnockLog> {
    let mut q = c.prepare_cached(
        "SELECT k.id, k.household_id, h.unit, k.outcome, k.note, k.at_ms, k.volunteer_name
           FROM door_knocks k JOIN households h ON h.id = k.household_id
          WHERE k.building_code = ?1 ORDER BY k.at_ms DESC, k.id DESC LIMIT 500",
    )?;
    let rows = q.query_map(params![building], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, i64>(5)?,
            r.get::<_, String>(6)?,
        ))
    })?;
    let mut knocks = Vec::new();
    for row in rows {
        let (id, household_id, unit, outcome, note, at, by) = row?;
        let Ok(outcome) = serde_json::from_value(serde_json::Value::String(outcome)) else {
            continue;
        };
        knocks.push(linli_protocol::staff::DoorKnockEntry {
            id,
            household_id,
            unit,
            outcome,
            note,
            at: Timestamp::from_unix_ms(at),
            by,
        });
    }
    Ok(linli_protocol::staff::DoorKnockLog {
        knocks,
        reports: volunteer_reports(c, building)?,
    })
}

/// The check-ins volunteers made for residents of `building`, newest first (at most 500).
fn volunteer_reports(
    c: &Connection,
    building: &str,
) -> rusqlite::Result<Vec<linli_protocol::staff::VolunteerReport>> {
    let mut q = c.prepare_cached(
        "SELECT r.id, h.unit, r.body, r.received_at, COALESCE(v.display_name, ''), COALESCE(m.display_name, '')
           FROM records r JOIN households h ON h.id = r.household_id
           JOIN devices d ON d.id = r.device_id
           LEFT JOIN members v ON v.id = d.member_id
           LEFT JOIN members m ON m.id = json_extract(r.body, '$.report.member_id')
          WHERE r.kind = 'neighbour_health_report' AND h.building_code = ?1
          ORDER BY r.received_at DESC, r.id DESC LIMIT 500",
    )?;
    let rows = q.query_map(params![building], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, i64>(3)?,
            r.get::<_, String>(4)?,
            r.get::<_, String>(5)?,
        ))
    })?;
    let mut out = Vec::new();
    for row in rows {
        let (id, unit, body, at, by, member) = row?;
        let Ok(n) = serde_json::from_str::<NeighbourHealthReport>(&body) else {
            continue;
        };
        out.push(linli_protocol::staff::VolunteerReport {
            id,
            unit,
            member,
            flagged: n.report.is_flagged(),
            date: n.report.date,
            at: Timestamp::from_unix_ms(at),
            by,
        });
    }
    Ok(out)
}

/// Whether `member` volunteers for `building`.
pub fn covers(c: &Connection, member: &str, building: &str) -> rusqlite::Result<bool> {
    Ok(c.query_row(
        "SELECT 1 FROM volunteer_buildings WHERE member_id = ?1 AND building_code = ?2",
        params![member, building],
        |_| Ok(()),
    )
    .optional()?
    .is_some())
}

/// The building of `household`, when `device`'s person volunteers for it.
fn household_in_scope(
    c: &Connection,
    device: &Device,
    household: &str,
) -> rusqlite::Result<Option<String>> {
    let building: Option<String> = c
        .query_row(
            "SELECT building_code FROM households WHERE id = ?1",
            params![household],
            |r| r.get(0),
        )
        .optional()?;
    match building {
        Some(b) if covers(c, &device.member_id, &b)? => Ok(Some(b)),
        _ => Ok(None),
    }
}

fn out_of_scope() -> Refusal {
    (
        "forbidden",
        "body.household_id: not a household of a building you volunteer for".into(),
    )
}

/// The roster entry of `household`: its unit, how many people, and for each member only what
/// they share with volunteers.
pub fn roster_entry(c: &Connection, household: &str) -> rusqlite::Result<Option<RosterHousehold>> {
    let Some((building, unit)) = c
        .query_row(
            "SELECT building_code, unit FROM households WHERE id = ?1",
            params![household],
            |r| Ok((r.get::<_, String>(0)?, r.get::<_, String>(1)?)),
        )
        .optional()?
    else {
        return Ok(None);
    };
    let mut q = c.prepare_cached(
        "SELECT m.id, m.display_name, m.flags, m.share,
                (SELECT date FROM health_latest h WHERE h.member_id = m.id ORDER BY date DESC LIMIT 1),
                (SELECT flagged FROM health_latest h WHERE h.member_id = m.id ORDER BY date DESC LIMIT 1)
           FROM members m WHERE m.household_id = ?1 ORDER BY m.id",
    )?;
    let rows = q.query_map(params![household], |r| {
        Ok((
            r.get::<_, String>(0)?,
            r.get::<_, String>(1)?,
            r.get::<_, String>(2)?,
            r.get::<_, String>(3)?,
            r.get::<_, Option<String>>(4)?,
            r.get::<_, Option<i64>>(5)?,
        ))
    })?;
    let mut people = 0;
    let mut members = Vec::new();
    for row in rows {
        let (id, name, flags, share, date, flagged) = row?;
        people += 1;
        let share: VolunteerSharing = serde_json::from_str(&share).unwrap_or_default();
        if share.is_nothing() {
            continue;
        }
        let flags: Vec<MemberFlag> = serde_json::from_str::<Vec<MemberFlag>>(&flags)
            .unwrap_or_default()
            .into_iter()
            .filter(|f| f.volunteers_may_see())
            .collect();
        let checked_in = date.and_then(|d| Date::parse(&d).ok());
        members.push(RosterMember {
            member_id: id,
            name: share.name.then_some(name),
            care_flags: share.care_flags.then_some(flags),
            flagged: (share.check_in && checked_in.is_some()).then(|| flagged == Some(1)),
            checked_in: checked_in.filter(|_| share.check_in),
        });
    }
    Ok(Some(RosterHousehold {
        building,
        unit,
        people,
        members,
    }))
}

/// Re-records `household`'s roster entry for its building's volunteers (after a member, a
/// check-in, a consent or the unit changed). What a member stopped sharing is gone from the
/// new entry, which replaces the old one on the volunteers' phones.
pub fn refresh_roster(c: &Connection, household: &str, now_ms: i64) -> rusqlite::Result<()> {
    let Some(entry) = roster_entry(c, household)? else {
        return Ok(());
    };
    // A building without volunteers has no roster to keep; `grant` sends it whole.
    let staffed = c
        .query_row(
            "SELECT 1 FROM volunteer_buildings WHERE building_code = ?1 LIMIT 1",
            params![entry.building],
            |_| Ok(()),
        )
        .optional()?
        .is_some();
    if !staffed {
        return Ok(());
    }
    let body = serde_json::to_string(&entry).unwrap_or_default();
    changelog::record(
        c,
        PulledKind::RosterHousehold.as_str(),
        household,
        "upsert",
        Some(&body),
        Audience::Channel(changelog::volunteers_channel(&entry.building)),
        now_ms,
    )?;
    Ok(())
}

/// Re-records every household of `building` (a new volunteer's phone then receives them all).
pub fn refresh_building(c: &Connection, building: &str, now_ms: i64) -> rusqlite::Result<()> {
    for h in households_of(c, building)? {
        refresh_roster(c, &h, now_ms)?;
    }
    Ok(())
}

/// The ids of `building`'s households.
fn households_of(c: &Connection, building: &str) -> rusqlite::Result<Vec<String>> {
    let mut q = c.prepare_cached("SELECT id FROM households WHERE building_code = ?1")?;
    let rows = q.query_map(params![building], |r| r.get(0))?;
    rows.collect()
}

/// The volunteer's display name as households and staff see it.
fn name_of(c: &Connection, member: &str) -> rusqlite::Result<String> {
    Ok(c.query_row(
        "SELECT display_name FROM members WHERE id = ?1",
        params![member],
        |r| r.get(0),
    )
    .optional()?
    .unwrap_or_default())
}

/// What `member` of `household` shares with building volunteers; `None` when they are not a
/// member of it.
fn sharing_of(
    c: &Connection,
    member: &str,
    household: &str,
) -> rusqlite::Result<Option<VolunteerSharing>> {
    let share: Option<String> = c
        .query_row(
            "SELECT share FROM members WHERE id = ?1 AND household_id = ?2",
            params![member, household],
            |r| r.get(0),
        )
        .optional()?;
    Ok(share.map(|s| serde_json::from_str(&s).unwrap_or_default()))
}

/// A door-knock visit: kept for staff; "needs help" files an urgent request for the household.
pub fn knock(
    c: &Connection,
    device: &Device,
    id: &str,
    k: &DoorKnock,
    now_ms: i64,
) -> rusqlite::Result<Result<(), Refusal>> {
    let Some(building) = household_in_scope(c, device, k.household_id.as_str())? else {
        return Ok(Err(out_of_scope()));
    };
    let volunteer = name_of(c, &device.member_id)?;
    let outcome = serde_json::to_value(k.outcome)
        .ok()
        .and_then(|v| v.as_str().map(str::to_owned))
        .unwrap_or_default();
    c.execute(
        "INSERT INTO door_knocks (id, household_id, building_code, outcome, note, at_ms, volunteer_member_id, volunteer_name)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6, ?7, ?8)",
        params![
            id,
            k.household_id.as_str(),
            building,
            outcome,
            k.note.as_ref().map(|n| n.as_str()),
            k.at.unix_ms(),
            device.member_id,
            volunteer
        ],
    )?;
    // The household's phones see who came and what they found (not the note, which is for
    // staff).
    let visit = HouseholdVisit {
        outcome: k.outcome,
        at: k.at.clone(),
        by: volunteer.clone(),
    };
    let body = serde_json::to_string(&visit).unwrap_or_default();
    changelog::for_household(
        c,
        PulledKind::HouseholdVisit.as_str(),
        id,
        &body,
        k.household_id.as_str(),
        now_ms,
    )?;
    if k.outcome == KnockOutcome::NeedsHelp {
        let first: Option<String> = c
            .query_row(
                "SELECT id FROM members WHERE household_id = ?1 ORDER BY id LIMIT 1",
                params![k.household_id.as_str()],
                |r| r.get(0),
            )
            .optional()?;
        let text = match &k.note {
            Some(n) if !n.as_str().trim().is_empty() => format!(
                "上門探訪：需要幫助 / Door-knock: needs help — {}",
                n.as_str()
            ),
            _ => "上門探訪：需要幫助 / Door-knock: needs help".to_owned(),
        };
        let text: String = text.chars().take(1000).collect();
        if let (Some(member), Ok(description)) =
            (first.and_then(|m| Id::parse(&m).ok()), Text::parse(&text))
        {
            let request = HelpRequest {
                member_id: member,
                category: HelpCategory::Other,
                urgency: Urgency::Urgent,
                description,
                created_at: k.at.clone(),
            };
            let state = filed_by(request, &volunteer, now_ms);
            // The request's id is the knock's: one visit files at most one request.
            help::create(c, id, k.household_id.as_str(), &state, now_ms)?;
        }
    }
    Ok(Ok(()))
}

/// A new request filed by a volunteer: its first step names them.
fn filed_by(
    request: HelpRequest,
    volunteer: &str,
    now_ms: i64,
) -> linli_protocol::published::HelpRequestState {
    let mut state = help::received(request, now_ms);
    if let Some(first) = state.history.first_mut() {
        first.by = Some(volunteer.to_owned());
        first.by_role = Some(HelpActor::Volunteer);
    }
    state
}

/// A check-in for a neighbour's member: kept as that household's report, marked as reported by
/// the volunteer (name), and pulled back by the household's phones.
pub fn neighbour_report(
    c: &Connection,
    device: &Device,
    id: &str,
    r: &NeighbourHealthReport,
    now_ms: i64,
) -> rusqlite::Result<Result<(), Refusal>> {
    let household = r.household_id.as_str();
    if let Some(refused) = neighbour(c, device, household, r.report.member_id.as_str(), "report")? {
        return Ok(Err(refused));
    }
    let mut report = r.report.clone();
    report.reported_by_volunteer = Some(true);
    report.reported_by = Text::parse(&name_of(c, &device.member_id)?).ok();
    crate::push::keep_health_report(c, household, id, &report, now_ms)?;
    Ok(Ok(()))
}

/// Why a report for `member` of `household` is refused, if it is: the household is not in
/// one of the volunteer's buildings, the member not of that household, or the member shares
/// nothing with building volunteers — a volunteer writes only for people on their roster
/// (`body.<within>.member_id`).
fn neighbour(
    c: &Connection,
    device: &Device,
    household: &str,
    member: &str,
    within: &str,
) -> rusqlite::Result<Option<Refusal>> {
    if household_in_scope(c, device, household)?.is_none() {
        return Ok(Some(out_of_scope()));
    }
    let message = match sharing_of(c, member, household)? {
        None => "not a member of that household",
        Some(share) if share.is_nothing() => "this person shares nothing with building volunteers",
        Some(_) => return Ok(None),
    };
    Ok(Some((
        "forbidden",
        format!("body.{within}.member_id: {message}"),
    )))
}

/// A request for help filed for a neighbour's member.
pub fn neighbour_request(
    c: &Connection,
    device: &Device,
    id: &str,
    r: &NeighbourHelpRequest,
    now_ms: i64,
) -> rusqlite::Result<Result<(), Refusal>> {
    let household = r.household_id.as_str();
    if let Some(refused) = neighbour(
        c,
        device,
        household,
        r.request.member_id.as_str(),
        "request",
    )? {
        return Ok(Err(refused));
    }
    let state = filed_by(r.request.clone(), &name_of(c, &device.member_id)?, now_ms);
    help::create(c, id, household, &state, now_ms)?;
    Ok(Ok(()))
}

/// A volunteer's step on a request assigned to them: accept (assigned), in progress, resolved.
pub fn act(
    c: &Connection,
    device: &Device,
    a: &VolunteerHelpAction,
    now_ms: i64,
) -> rusqlite::Result<Result<(), Refusal>> {
    let found: Option<(String, Option<String>)> = c
        .query_row(
            "SELECT household_id, volunteer_member_id FROM help_requests WHERE id = ?1",
            params![a.request_id.as_str()],
            |r| Ok((r.get(0)?, r.get(1)?)),
        )
        .optional()?;
    let Some((household, Some(assigned))) = found.filter(|(_, v)| v.is_some()) else {
        return Ok(Err(not_assigned()));
    };
    if assigned != device.member_id {
        return Ok(Err(not_assigned()));
    }
    let Some(mut state) = help::load(c, a.request_id.as_str(), None)? else {
        return Ok(Err(not_assigned()));
    };
    let next = match a.action {
        VolunteerAction::Accept => HelpStatus::Assigned,
        VolunteerAction::InProgress => HelpStatus::InProgress,
        VolunteerAction::Resolved => HelpStatus::Resolved,
    };
    // The same step again (sent twice) changes nothing.
    if state.status == next {
        return Ok(Ok(()));
    }
    if state.status.is_closed() {
        return Ok(Err((
            "invalid_transition",
            format!(
                "body.action: the request is already {}",
                help::status_str(state.status)
            ),
        )));
    }
    state.status = next;
    state.history.push(HelpHistoryEntry {
        status: next,
        at: Timestamp::from_unix_ms(now_ms),
        note: a.note.as_ref().map(|n| n.as_str().to_owned()),
        by: Some(name_of(c, &device.member_id)?),
        by_role: Some(HelpActor::Volunteer),
    });
    help::save(c, a.request_id.as_str(), &household, &state, now_ms)?;
    Ok(Ok(()))
}

fn not_assigned() -> Refusal {
    (
        "not_found",
        "body.request_id: no request assigned to you with this id".into(),
    )
}

/// Records the `assigned_request` change for the volunteer a request is assigned to (after any
/// change to it), so their phone holds its current state.
pub fn publish_assignment(c: &Connection, request: &str, now_ms: i64) -> rusqlite::Result<()> {
    let found: Option<(String, Option<String>, String, String, String)> = c
        .query_row(
            "SELECT r.household_id, r.volunteer_member_id, h.building_code, h.unit, r.state
               FROM help_requests r JOIN households h ON h.id = r.household_id WHERE r.id = ?1",
            params![request],
            |r| Ok((r.get(0)?, r.get(1)?, r.get(2)?, r.get(3)?, r.get(4)?)),
        )
        .optional()?;
    let Some((household, Some(volunteer), building, unit, state)) = found else {
        return Ok(());
    };
    let Ok(state) = serde_json::from_str::<linli_protocol::published::HelpRequestState>(&state)
    else {
        return Ok(());
    };
    let for_name = name_of(c, state.request.member_id.as_str())?;
    let body = AssignedRequest {
        building,
        unit,
        household_id: household,
        for_name,
        state,
    };
    changelog::record(
        c,
        PulledKind::AssignedRequest.as_str(),
        request,
        "upsert",
        serde_json::to_string(&body).ok().as_deref(),
        Audience::Channel(changelog::volunteer_channel(&volunteer)),
        now_ms,
    )?;
    Ok(())
}

/// The private channels `device` pulls: its household's, and as a volunteer its buildings'
/// rosters and the requests assigned to it.
pub fn channels(c: &Connection, device: &Device) -> rusqlite::Result<Vec<String>> {
    let mut out = vec![
        device.household_id.clone(),
        // Always: a scope given in the console, or the deletes after one is taken, arrive here.
        changelog::volunteer_channel(&device.member_id),
    ];
    let buildings = buildings_of(c, &device.member_id)?;
    out.extend(buildings.iter().map(|b| changelog::volunteers_channel(b)));
    Ok(out)
}
