//! Web Push bookkeeping as named database operations: each device's push subscription, the
//! durable queue of notifications (one row per alert and device, so an update re-queues rather
//! than adds), and the per-alert counts staff see. Sending is [`crate::webpush`]'s.

use linli_protocol::notify::{wakes_phones, PushStats, PushSubscriptionInput};
use linli_protocol::published::Alert;
use rusqlite::{params, Connection, OptionalExtension};

/// After this many failed attempts a notification is given up (`failed`).
pub const MAX_ATTEMPTS: i64 = 8;
/// The longest wait between two attempts.
pub const MAX_BACKOFF_MS: i64 = 3_600_000;

/// Stores (or replaces) `device`'s subscription. The same endpoint registered by an earlier
/// enrolment on the same browser is dropped: a phone is woken once, as who it is now.
pub fn subscribe(
    c: &Connection,
    device: &str,
    s: &PushSubscriptionInput,
    now: i64,
) -> rusqlite::Result<()> {
    c.execute(
        "DELETE FROM push_subscriptions WHERE endpoint = ?1 AND device_id != ?2",
        params![s.endpoint.as_str(), device],
    )?;
    c.execute(
        "INSERT INTO push_subscriptions (device_id, endpoint, p256dh, auth, lang, updated_at)
         VALUES (?1, ?2, ?3, ?4, ?5, ?6)
         ON CONFLICT (device_id) DO UPDATE SET endpoint = excluded.endpoint,
           p256dh = excluded.p256dh, auth = excluded.auth, lang = excluded.lang,
           updated_at = excluded.updated_at",
        params![
            device,
            s.endpoint.as_str(),
            s.keys.p256dh.as_str(),
            s.keys.auth.as_str(),
            s.lang.as_str(),
            now
        ],
    )?;
    Ok(())
}

/// Removes `device`'s subscription; `false` when it had none.
pub fn unsubscribe(c: &Connection, device: &str) -> rusqlite::Result<bool> {
    Ok(c.execute(
        "DELETE FROM push_subscriptions WHERE device_id = ?1",
        params![device],
    )? > 0)
}

/// The devices (not revoked) in an alert's area: every device when both lists are empty.
const AREA_DEVICES: &str = "SELECT d.id FROM devices d JOIN buildings b ON b.code = d.building_code
     WHERE d.revoked_at IS NULL
       AND (?1 = 1 OR d.building_code IN (SELECT value FROM json_each(?2))
                   OR b.grid_code IN (SELECT value FROM json_each(?3)))";

fn area_params(alert: &Alert) -> (bool, String, String) {
    let whole = alert.area.grids.is_empty() && alert.area.buildings.is_empty();
    let list = |v: &Vec<String>| serde_json::to_string(v).unwrap_or_else(|_| "[]".into());
    (whole, list(&alert.area.buildings), list(&alert.area.grids))
}

/// Queues a notification of alert `id` (its stored `body`) for every subscribed device in its
/// area, if the alert wakes phones (or `force`, a staff resend). A device already queued for this
/// alert is queued again (the newest version is what gets sent). Runs in the caller's
/// transaction, so a published alert and its notifications are stored together.
pub fn enqueue_alert(
    c: &Connection,
    id: &str,
    body: &serde_json::Value,
    force: bool,
    now: i64,
) -> anyhow::Result<usize> {
    let Ok(alert) = serde_json::from_value::<Alert>(body.clone()) else {
        return Ok(0);
    };
    let (whole, buildings, grids) = area_params(&alert);
    let wakes = force || wakes_phones(&alert);
    // What is still waiting for a device the new version no longer reaches (another area, or
    // no longer serious) is not sent: the phone's pull says what changed.
    c.execute(
        &format!(
            "UPDATE push_queue SET state = 'dropped', gen = gen + 1, updated_at = ?6
             WHERE alert_id = ?4 AND state = 'pending'
               AND (?5 = 0 OR device_id NOT IN ({AREA_DEVICES}))"
        ),
        params![whole, buildings, grids, id, wakes, now],
    )?;
    if !wakes {
        return Ok(0);
    }
    let n = c.execute(
        &format!(
            "INSERT INTO push_queue (alert_id, device_id, state, attempts, next_at, updated_at)
             SELECT ?4, s.device_id, 'pending', 0, ?5, ?5 FROM push_subscriptions s
             WHERE s.device_id IN ({AREA_DEVICES})
             ON CONFLICT (alert_id, device_id) DO UPDATE SET state = 'pending', attempts = 0,
               gen = push_queue.gen + 1, next_at = excluded.next_at, last_status = NULL,
               updated_at = excluded.updated_at"
        ),
        params![whole, buildings, grids, id, now],
    )?;
    Ok(n)
}

/// A notification to send now.
#[derive(Debug, Clone)]
pub struct Job {
    pub alert_id: String,
    pub device_id: String,
    /// The row's generation when it was read: a row queued again meanwhile is not settled by
    /// this send's answer (the newer version goes out next).
    pub gen: i64,
    pub attempts: i64,
    pub endpoint: String,
    pub p256dh: String,
    pub auth: String,
    pub lang: String,
    /// The alert as stored now (an update sends the newest version).
    pub alert: String,
}

/// Up to `limit` notifications due at `now`, oldest first. Queued ones whose device has lost its
/// subscription (revoked, signed out, or gone at the push service), or whose alert was
/// withdrawn, are given up first.
pub fn due(c: &Connection, now: i64, limit: u32) -> rusqlite::Result<Vec<Job>> {
    c.execute(
        "UPDATE push_queue SET state = 'failed', updated_at = ?1
         WHERE state = 'pending'
           AND (device_id NOT IN (SELECT device_id FROM push_subscriptions)
                OR alert_id NOT IN (SELECT id FROM published WHERE kind = 'alert' AND retracted = 0))",
        params![now],
    )?;
    let mut stmt = c.prepare_cached(
        "SELECT q.alert_id, q.device_id, q.gen, q.attempts, s.endpoint, s.p256dh, s.auth, s.lang, p.body
         FROM push_queue q
         JOIN push_subscriptions s ON s.device_id = q.device_id
         JOIN published p ON p.kind = 'alert' AND p.id = q.alert_id AND p.retracted = 0
         WHERE q.state = 'pending' AND q.next_at <= ?1
         ORDER BY q.next_at LIMIT ?2",
    )?;
    let rows = stmt.query_map(params![now, limit], |r| {
        Ok(Job {
            alert_id: r.get(0)?,
            device_id: r.get(1)?,
            gen: r.get(2)?,
            attempts: r.get(3)?,
            endpoint: r.get(4)?,
            p256dh: r.get(5)?,
            auth: r.get(6)?,
            lang: r.get(7)?,
            alert: r.get(8)?,
        })
    })?;
    rows.collect()
}

/// When the next queued notification is due, if any.
pub fn next_due(c: &Connection) -> rusqlite::Result<Option<i64>> {
    c.query_row(
        "SELECT MIN(next_at) FROM push_queue WHERE state = 'pending'",
        [],
        |r| r.get(0),
    )
    .optional()
    .map(Option::flatten)
}

/// What the push service said to one notification.
#[derive(Debug, Clone, Copy, PartialEq, Eq)]
pub enum Delivery {
    /// Accepted (2xx).
    Sent(u16),
    /// 404 or 410: the subscription is gone; it is removed.
    Gone(u16),
    /// A network error, 429 or 5xx: tried again later with backoff.
    Retry(Option<u16>),
    /// Any other answer (or a subscription that cannot be encrypted to): given up.
    Refused(Option<u16>),
}

/// The wait before attempt `attempts + 1`: `base_ms` doubled per attempt, at most an hour, plus
/// up to a fifth more at random so that retries of many devices spread out.
pub fn backoff_ms(base_ms: i64, attempts: i64, jitter: f64) -> i64 {
    let exp = base_ms.saturating_mul(1 << attempts.clamp(0, 20));
    let wait = exp.min(MAX_BACKOFF_MS);
    wait + (wait as f64 * 0.2 * jitter.clamp(0.0, 1.0)) as i64
}

/// Records the push services' answers, in one transaction.
pub fn settle(
    c: &mut Connection,
    results: &[(Job, Delivery)],
    now: i64,
    retry_base_ms: i64,
) -> rusqlite::Result<()> {
    let tx = c.transaction()?;
    for (job, delivery) in results {
        let set = |state: &str, status: Option<u16>| {
            tx.execute(
                "UPDATE push_queue SET state = ?3, last_status = ?4, attempts = attempts + 1,
                   updated_at = ?5
                 WHERE alert_id = ?1 AND device_id = ?2 AND state = 'pending' AND gen = ?6",
                params![job.alert_id, job.device_id, state, status, now, job.gen],
            )
        };
        match *delivery {
            Delivery::Sent(s) => set("sent", Some(s))?,
            Delivery::Refused(s) => set("failed", s)?,
            Delivery::Gone(s) => {
                tx.execute(
                    "DELETE FROM push_subscriptions WHERE device_id = ?1 AND endpoint = ?2",
                    params![job.device_id, job.endpoint],
                )?;
                set("failed", Some(s))?
            }
            Delivery::Retry(s) if job.attempts + 1 >= MAX_ATTEMPTS => set("failed", s)?,
            Delivery::Retry(s) => {
                let wait = backoff_ms(retry_base_ms, job.attempts, rand::random::<f64>());
                tx.execute(
                    "UPDATE push_queue SET attempts = attempts + 1, last_status = ?3,
                       next_at = ?4, updated_at = ?5
                     WHERE alert_id = ?1 AND device_id = ?2 AND state = 'pending' AND gen = ?6",
                    params![job.alert_id, job.device_id, s, now + wait, now, job.gen],
                )?
            }
        };
    }
    tx.commit()
}

/// How alert `id`'s notifications went; `None` when there is no such alert.
pub fn stats(c: &Connection, id: &str) -> anyhow::Result<Option<PushStats>> {
    let Some(body) = crate::content::get(c, linli_protocol::sync::PulledKind::Alert, id)? else {
        return Ok(None);
    };
    let Ok(alert) = serde_json::from_value::<Alert>(body) else {
        return Ok(None);
    };
    let count = |state: &str| -> rusqlite::Result<u32> {
        c.query_row(
            "SELECT COUNT(*) FROM push_queue WHERE alert_id = ?1 AND state = ?2",
            params![id, state],
            |r| r.get(0),
        )
    };
    let (whole, buildings, grids) = area_params(&alert);
    let no_subscription: u32 = c.query_row(
        &format!(
            "SELECT COUNT(*) FROM ({AREA_DEVICES}) a
             WHERE a.id NOT IN (SELECT device_id FROM push_subscriptions)"
        ),
        params![whole, buildings, grids],
        |r| r.get(0),
    )?;
    Ok(Some(PushStats {
        notifies: wakes_phones(&alert),
        notified: count("sent")?,
        pending: count("pending")?,
        failed: count("failed")?,
        no_subscription,
    }))
}

#[cfg(test)]
mod tests {
    use super::*;

    fn alert(buildings: &[&str], severity: &str) -> serde_json::Value {
        serde_json::json!({
            "identifier": "linli-a1", "sender_name": {"en": "Office"}, "sent": "2026-11-28T10:00:00Z",
            "status": "actual", "msg_type": "alert", "category": ["met"], "event": {"en": "Flood"},
            "urgency": "immediate", "severity": severity, "certainty": "observed",
            "headline": {"en": "Flood"}, "description": {"en": "d"}, "instruction": {"en": "i"},
            "expires": "2099-01-01T00:00:00Z", "area": {"desc": {"en": "A"}, "buildings": buildings}
        })
    }

    /// Stores `body` as alert a1 (as publishing does) and queues its notifications.
    fn publish(c: &Connection, body: &serde_json::Value, now: i64) -> usize {
        let buildings: Vec<String> =
            serde_json::from_value(body["area"]["buildings"].clone()).unwrap();
        let item = crate::content::Item {
            kind: linli_protocol::sync::PulledKind::Alert,
            id: "a1",
            body,
            grids: &[],
            buildings: &buildings,
            expires: None,
        };
        crate::content::put(c, item, now).unwrap();
        enqueue_alert(c, "a1", body, false, now).unwrap()
    }

    #[test]
    fn an_answer_to_an_older_send_never_settles_a_newer_version_and_a_moved_area_drops_it() {
        let db = crate::db::Db::open_in_memory().unwrap();
        db.with(|c| {
            c.execute_batch(
                "INSERT INTO grids VALUES ('G1', 'G');
                 INSERT INTO buildings (code, grid_code, name) VALUES ('G1-B1', 'G1', 'B1'), ('G1-B2', 'G1', 'B2');
                 INSERT INTO households (id, building_code, created_at) VALUES ('h1', 'G1-B1', 0);
                 INSERT INTO devices (id, token_hash, role, household_id, building_code, member_id, display_name, created_at)
                   VALUES ('d1', 't1', 'resident', 'h1', 'G1-B1', 'm1', 'A', 0);
                 INSERT INTO push_subscriptions VALUES ('d1', 'https://push.example/1', 'k', 'a', 'en', 0);",
            )?;
            assert_eq!(publish(c, &alert(&["G1-B1"], "severe"), 0), 1);
            let in_flight = due(c, 0, 10)?;
            assert_eq!(in_flight.len(), 1);
            // Staff update the alert while its first version is being sent.
            publish(c, &alert(&["G1-B1"], "extreme"), 1);
            settle(c, &[(in_flight[0].clone(), Delivery::Sent(201))], 2, 1000)?;
            let next = due(c, 2, 10)?;
            assert_eq!(next.len(), 1, "the update is still to be sent");
            assert!(next[0].alert.contains("extreme"));
            // An answer that asks to retry the old send does not delay the new one either.
            settle(c, &[(in_flight[0].clone(), Delivery::Retry(Some(503)))], 3, 60_000)?;
            assert_eq!(due(c, 3, 10)?.len(), 1);
            // The alert moves to another building: what waited for d1 is dropped, not sent.
            publish(c, &alert(&["G1-B2"], "extreme"), 4);
            assert!(due(c, 4, 10)?.is_empty());
            // Back, but no longer serious: nothing is queued.
            assert_eq!(publish(c, &alert(&["G1-B1"], "moderate"), 5), 0);
            assert!(due(c, 5, 10)?.is_empty());
            let stats = stats(c, "a1")?.unwrap();
            assert_eq!((stats.notified, stats.pending, stats.failed), (0, 0, 0));
            Ok(())
        })
        .unwrap();
    }

    #[test]
    fn backoff_doubles_up_to_an_hour_with_a_fifth_of_jitter_at_most() {
        assert_eq!(backoff_ms(1000, 0, 0.0), 1000);
        assert_eq!(backoff_ms(1000, 3, 0.0), 8000);
        assert_eq!(backoff_ms(1000, 3, 1.0), 9600);
        assert_eq!(backoff_ms(30_000, 12, 0.0), MAX_BACKOFF_MS);
        assert_eq!(
            backoff_ms(30_000, 99, 0.5),
            MAX_BACKOFF_MS + MAX_BACKOFF_MS / 10
        );
    }
}
