//! Staff publishing as named database operations: alerts (publish, update, cancel) within the
//! author's scope, community-wide content (notices, rebuttals, guides, facilities), withdrawal.
//! Each runs in one transaction with its audit entry; a refusal is a [`PublishError`].

use crate::staff::Scope;
use crate::{audit, content, structure};
use linli_protocol::published::{AlertInput, MsgType};
use linli_protocol::sync::PulledKind;
use linli_protocol::time::Timestamp;
use rusqlite::Connection;

/// Why a publishing action was refused.
#[derive(Debug, thiserror::Error, PartialEq, Eq)]
pub enum PublishError {
    #[error("no {0} {1}")]
    NotFound(&'static str, String),
    #[error("outside the grids this account works in")]
    OutOfScope,
    /// The body names an unknown grid or building, or a bad identifier (the field is named).
    #[error("{0}")]
    Invalid(String),
}

type Outcome<T> = anyhow::Result<Result<T, PublishError>>;

/// Who acts, for the audit log.
pub struct Actor<'a> {
    pub username: &'a str,
    pub scope: &'a Scope,
}

/// Checks that an alert's area names known grids and buildings.
pub fn check_area(c: &Connection, grids: &[String], buildings: &[String]) -> Outcome<()> {
    for (i, g) in grids.iter().enumerate() {
        if !structure::grid_exists(c, g)? {
            return Ok(Err(PublishError::Invalid(format!(
                "area.grids[{i}]: unknown grid {g:?}"
            ))));
        }
    }
    for (i, b) in buildings.iter().enumerate() {
        if !structure::building_exists(c, b)? {
            return Ok(Err(PublishError::Invalid(format!(
                "area.buildings[{i}]: unknown building {b:?}"
            ))));
        }
    }
    Ok(Ok(()))
}

/// Whether `scope` covers an alert area: a grid worker only an area naming grids and buildings
/// all within their grids (never the whole community).
pub fn covers_area(
    c: &Connection,
    scope: &Scope,
    grids: &[String],
    buildings: &[String],
) -> rusqlite::Result<bool> {
    if scope.is_community() {
        return Ok(true);
    }
    if grids.is_empty() && buildings.is_empty() {
        return Ok(false);
    }
    for b in buildings {
        if !scope.covers_building(c, b)? {
            return Ok(false);
        }
    }
    Ok(grids.iter().all(|g| scope.covers_grid(g)))
}

/// Stores an alert (new, or replacing `id` when `existing`) with its area as the audience, in
/// the author's scope, and audits it (`alert_publish` / `alert_update`).
pub fn store_alert(
    c: &mut Connection,
    id: &str,
    input: AlertInput,
    existing: bool,
    actor: &Actor<'_>,
    now: i64,
) -> Outcome<String> {
    let tx = c.transaction()?;
    let previous = content::get(&tx, PulledKind::Alert, id)?;
    if existing && previous.is_none() {
        return Ok(Err(PublishError::NotFound("alert", id.to_owned())));
    }
    if let Some(p) = &previous {
        let (grids, buildings) = content::alert_area(p);
        if !covers_area(&tx, actor.scope, &grids, &buildings)? {
            return Ok(Err(PublishError::OutOfScope));
        }
    }
    // Unknown codes are the body's error (400), whoever sends it.
    if let Err(e) = check_area(&tx, &input.area.grids, &input.area.buildings)? {
        return Ok(Err(e));
    }
    if !covers_area(&tx, actor.scope, &input.area.grids, &input.area.buildings)? {
        return Ok(Err(PublishError::OutOfScope));
    }
    let identifier = previous
        .as_ref()
        .and_then(|p| p["identifier"].as_str().map(str::to_owned))
        .unwrap_or_else(|| format!("linli-{id}"));
    let mut input = input;
    if existing && input.msg_type == MsgType::Alert {
        input.msg_type = MsgType::Update;
    }
    let alert = match input.complete(&identifier, Timestamp::from_unix_ms(now)) {
        Ok(a) => a,
        Err(m) => return Ok(Err(PublishError::Invalid(format!("identifier: {m}")))),
    };
    let body = serde_json::to_value(&alert)?;
    let expires = (alert.expires.as_str(), alert.expires.unix_ms());
    content::put(
        &tx,
        content::Item {
            kind: PulledKind::Alert,
            id,
            body: &body,
            grids: &alert.area.grids,
            buildings: &alert.area.buildings,
            expires: Some(expires),
        },
        now,
    )?;
    crate::notify::enqueue_alert(&tx, id, &body, false, now)?;
    let action = if existing {
        "alert_update"
    } else {
        "alert_publish"
    };
    audit::append(&tx, now, actor.username, action, id, "")?;
    tx.commit()?;
    Ok(Ok(id.to_owned()))
}

/// Marks alert `id` cancelled (CAP `msgType` Cancel), for the same audience, and audits it.
pub fn cancel_alert(c: &mut Connection, id: &str, actor: &Actor<'_>, now: i64) -> Outcome<()> {
    let tx = c.transaction()?;
    let Some(mut body) = content::get(&tx, PulledKind::Alert, id)? else {
        return Ok(Err(PublishError::NotFound("alert", id.to_owned())));
    };
    let (grids, buildings) = content::alert_area(&body);
    if !covers_area(&tx, actor.scope, &grids, &buildings)? {
        return Ok(Err(PublishError::OutOfScope));
    }
    body["msg_type"] = serde_json::json!("cancel");
    let expires = body["expires"]
        .as_str()
        .and_then(|e| Timestamp::parse(e).ok());
    let exp = expires.as_ref().map(|e| (e.as_str(), e.unix_ms()));
    content::put(
        &tx,
        content::Item {
            kind: PulledKind::Alert,
            id,
            body: &body,
            grids: &grids,
            buildings: &buildings,
            expires: exp,
        },
        now,
    )?;
    crate::notify::enqueue_alert(&tx, id, &body, false, now)?;
    audit::append(&tx, now, actor.username, "alert_cancel", id, "")?;
    tx.commit()?;
    Ok(Ok(()))
}

/// Stores community-wide content of `kind` (new, or replacing `id` when `must_exist`) and
/// audits it (`content_publish` / `content_replace`).
pub fn store_content(
    c: &mut Connection,
    kind: PulledKind,
    id: &str,
    body: &serde_json::Value,
    must_exist: bool,
    actor: &Actor<'_>,
    now: i64,
) -> Outcome<()> {
    let tx = c.transaction()?;
    if must_exist && content::get(&tx, kind, id)?.is_none() {
        return Ok(Err(PublishError::NotFound(kind.as_str(), id.to_owned())));
    }
    let expires = body
        .get("expires")
        .and_then(|e| e.as_str())
        .and_then(|e| Timestamp::parse(e).ok());
    let exp = expires.as_ref().map(|e| (e.as_str(), e.unix_ms()));
    content::put(
        &tx,
        content::Item {
            kind,
            id,
            body,
            grids: &[],
            buildings: &[],
            expires: exp,
        },
        now,
    )?;
    let action = if must_exist {
        "content_replace"
    } else {
        "content_publish"
    };
    let target = format!("{}:{id}", kind.as_str());
    audit::append(&tx, now, actor.username, action, &target, "")?;
    tx.commit()?;
    Ok(Ok(()))
}

/// Withdraws published content (phones that saw it get a tombstone); an alert only within the
/// author's scope. Audited as `content_withdraw`.
pub fn withdraw(
    c: &mut Connection,
    kind: PulledKind,
    id: &str,
    actor: &Actor<'_>,
    now: i64,
) -> Outcome<()> {
    let tx = c.transaction()?;
    let Some(body) = content::get(&tx, kind, id)? else {
        return Ok(Err(PublishError::NotFound(kind.as_str(), id.to_owned())));
    };
    let (grids, buildings) = content::alert_area(&body);
    if kind == PulledKind::Alert && !covers_area(&tx, actor.scope, &grids, &buildings)? {
        return Ok(Err(PublishError::OutOfScope));
    }
    content::tombstone(&tx, kind.as_str(), id, 1, now)?;
    let target = format!("{}:{id}", kind.as_str());
    audit::append(&tx, now, actor.username, "content_withdraw", &target, "")?;
    tx.commit()?;
    Ok(Ok(()))
}
