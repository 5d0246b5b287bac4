//! Browser tests of the IndexedDB store: atomic writes, recovery after a crash, schema upgrade.
#![cfg(target_arch = "wasm32")]

use indexed_db_futures::prelude::*;
use indexed_db_futures::transaction::TransactionMode;
use linli::store::model::{LocalRecord, OutboxEntry, OutboxState, RecordSync};
use linli::store::{open_version, Store};
use linli_protocol::sync::{PushResult, PushStatus};
use wasm_bindgen_test::*;

wasm_bindgen_test_configure!(run_in_browser);

async fn fresh(name: &str) -> Store {
    if let Ok(req) = indexed_db_futures::database::Database::delete_by_name(name) {
        let _ = req.await;
    }
    Store::open_named(name).await.unwrap()
}

fn item(n: u32) -> (LocalRecord, OutboxEntry) {
    let id = format!("0190c7a8-3b1e-7c2d-8f00-{n:012x}");
    let body = format!(r#"{{"text":"rumor {n}","at":"2026-11-28T09:00:00Z"}}"#);
    (
        LocalRecord {
            id: id.clone(),
            kind: "rumor_tip".into(),
            body: body.clone(),
            sync: RecordSync::Local,
            updated_ms: n as f64,
        },
        OutboxEntry {
            id,
            kind: "rumor_tip".into(),
            body,
            state: OutboxState::Queued,
            created_ms: n as f64,
            attempts: 0,
            error: None,
        },
    )
}

#[wasm_bindgen_test]
async fn record_and_outbox_are_written_together_or_not_at_all() {
    let store = fresh("linli-test-atomic").await;
    let (record, entry) = item(1);
    store.save_with_outbox(&record, &entry).await.unwrap();
    assert_eq!(
        store.record(&record.id).await.unwrap(),
        Some(record.clone())
    );
    assert_eq!(store.queued().await.unwrap(), vec![entry.clone()]);

    // A second save with the same outbox id fails on the outbox write: the new record version
    // must not be left behind either.
    let mut changed = record.clone();
    changed.body = "changed".into();
    assert!(store.save_with_outbox(&changed, &entry).await.is_err());
    assert_eq!(
        store.record(&record.id).await.unwrap(),
        Some(record),
        "record write rolled back"
    );
    assert_eq!(store.queued().await.unwrap().len(), 1);
}

#[wasm_bindgen_test]
async fn in_flight_entries_are_queued_again_after_a_crash() {
    let name = "linli-test-crash";
    let store = fresh(name).await;
    let items: Vec<_> = (1..=3).map(item).collect();
    store.save_many(&items).await.unwrap();
    let queued = store.queued().await.unwrap();
    store.mark_in_flight(&queued[..2]).await.unwrap();
    assert_eq!(store.in_flight().await.unwrap().len(), 2);
    // The page dies here (no answer applied). The next start-up opens the store again.
    drop(store);
    let reopened = Store::open_named(name).await.unwrap();
    assert!(reopened.in_flight().await.unwrap().is_empty());
    let again = reopened.queued().await.unwrap();
    assert_eq!(again.len(), 3);
    assert_eq!(again[0].attempts, 1, "the attempt is remembered");

    // Answers: one accepted, one duplicate, one refused for good.
    reopened.mark_in_flight(&again).await.unwrap();
    let results = vec![
        PushResult::ok(&again[0].id, PushStatus::Accepted),
        PushResult::ok(&again[1].id, PushStatus::Duplicate),
        PushResult::rejected(&again[2].id, "invalid", "body.text: too long".into(), false),
    ];
    reopened.apply_results(&again, &results).await.unwrap();
    assert!(reopened.queued().await.unwrap().is_empty());
    let rejected = reopened.rejected().await.unwrap();
    assert_eq!(rejected.len(), 1);
    assert_eq!(
        rejected[0].error.as_deref(),
        Some("invalid: body.text: too long")
    );
    assert_eq!(
        reopened.record(&again[0].id).await.unwrap().unwrap().sync,
        RecordSync::Sent
    );
    assert_eq!(
        reopened.record(&again[2].id).await.unwrap().unwrap().sync,
        RecordSync::Rejected
    );
}

/// Writes `item(9)` as unsent into a database at `version`, as that version of the app did.
async fn old_phone(name: &str, version: u32) -> (LocalRecord, OutboxEntry) {
    if let Ok(req) = indexed_db_futures::database::Database::delete_by_name(name) {
        let _ = req.await;
    }
    let old = open_version(name, version).await.unwrap();
    assert_eq!(old.version() as u32, version);
    let (record, entry) = item(9);
    {
        let tx = old
            .transaction(["records", "outbox"])
            .with_mode(TransactionMode::Readwrite)
            .build()
            .unwrap();
        tx.object_store("records")
            .unwrap()
            .put(&record)
            .serde()
            .unwrap();
        tx.object_store("outbox")
            .unwrap()
            .put(&entry)
            .serde()
            .unwrap();
        tx.commit().await.unwrap();
    }
    old.close();
    (record, entry)
}

#[wasm_bindgen_test]
async fn upgrading_from_each_earlier_schema_keeps_unsent_records_and_drops_the_unused_drafts_store()
{
    for version in 1..linli::store::SCHEMA_VERSION {
        let name = format!("linli-test-upgrade-v{version}");
        let (record, entry) = old_phone(&name, version).await;
        // The new app version opens it with the current schema.
        let store = Store::open_named(&name).await.unwrap();
        assert_eq!(store.record(&record.id).await.unwrap(), Some(record));
        assert_eq!(store.queued().await.unwrap(), vec![entry]);
        store.close();
        let now = open_version(&name, linli::store::SCHEMA_VERSION)
            .await
            .unwrap();
        let names: Vec<String> = now.object_store_names().collect();
        assert_eq!(
            names,
            ["content", "meta", "outbox", "records"],
            "from v{version}"
        );
        now.close();
    }
}

#[wasm_bindgen_test]
async fn a_connection_the_browser_closed_is_opened_again() {
    let store = fresh("linli-test-reopen").await;
    let (record, entry) = item(7);
    store.save_with_outbox(&record, &entry).await.unwrap();
    store.close();
    // Both reads and writes go through after the close, and nothing written before is lost.
    assert_eq!(store.queued().await.unwrap(), vec![entry.clone()]);
    store.close();
    let (second, second_entry) = item(8);
    store
        .save_with_outbox(&second, &second_entry)
        .await
        .unwrap();
    assert_eq!(store.records("rumor_tip").await.unwrap().len(), 2);
}

#[wasm_bindgen_test]
async fn an_edit_saved_while_the_old_version_was_in_flight_is_still_sent() {
    let store = fresh("linli-test-edit").await;
    let (record, entry) = item(9);
    store.save_with_outbox(&record, &entry).await.unwrap();
    store
        .mark_in_flight(std::slice::from_ref(&entry))
        .await
        .unwrap();
    // The person edits the record while the first version is on its way.
    let mut edited = entry.clone();
    edited.body = r#"{"text":"rumor 9, corrected","at":"2026-11-28T09:00:00Z"}"#.into();
    let mut edited_record = record.clone();
    edited_record.body = edited.body.clone();
    store.save_edit(&edited_record, &edited).await.unwrap();
    // The platform accepts the first version.
    store
        .apply_results(
            &[entry],
            &[PushResult::ok(&record.id, PushStatus::Accepted)],
        )
        .await
        .unwrap();
    assert_eq!(
        store.queued().await.unwrap(),
        vec![edited],
        "the edit waits to be sent"
    );
}

/// The same record edited: the body of item `n`, corrected.
fn edited(record: &LocalRecord, entry: &OutboxEntry) -> (LocalRecord, OutboxEntry) {
    let body = r#"{"text":"rumor, corrected","at":"2026-11-28T09:05:00Z"}"#.to_owned();
    let mut r = record.clone();
    r.body = body.clone();
    let mut e = entry.clone();
    e.body = body;
    e.state = OutboxState::Queued;
    (r, e)
}

#[wasm_bindgen_test]
async fn a_failed_push_never_puts_the_older_body_back_over_a_newer_edit() {
    let store = fresh("linli-test-failed-push-edit").await;
    let (record, entry) = item(21);
    store.save_with_outbox(&record, &entry).await.unwrap();
    let batch = store.queued().await.unwrap();
    let sending = store.mark_in_flight(&batch).await.unwrap();
    assert_eq!(sending.len(), 1);
    // The person edits the record while the first version is on its way; the push then fails.
    let (newer_record, newer) = edited(&record, &entry);
    store.save_edit(&newer_record, &newer).await.unwrap();
    store.requeue(&sending).await.unwrap();
    let queued = store.queued().await.unwrap();
    assert_eq!(queued.len(), 1);
    assert_eq!(queued[0].body, newer.body, "the newer body is what waits");
    // The next push sends the newer body, and only its acceptance marks the record sent.
    store
        .apply_results(
            &sending,
            &[PushResult::ok(&record.id, PushStatus::Accepted)],
        )
        .await
        .unwrap();
    assert_eq!(
        store.queued().await.unwrap().len(),
        1,
        "an answer for the old body settles nothing"
    );
    assert_eq!(
        store.record(&record.id).await.unwrap().unwrap().sync,
        RecordSync::Local
    );
}

#[wasm_bindgen_test]
async fn marking_a_stale_copy_in_flight_neither_overwrites_the_edit_nor_sends_it() {
    let store = fresh("linli-test-stale-mark").await;
    let (record, entry) = item(22);
    store.save_with_outbox(&record, &entry).await.unwrap();
    let read_before_edit = store.queued().await.unwrap();
    let (newer_record, newer) = edited(&record, &entry);
    store.save_edit(&newer_record, &newer).await.unwrap();
    let sending = store.mark_in_flight(&read_before_edit).await.unwrap();
    assert!(sending.is_empty(), "the stale copy is not sent");
    assert_eq!(store.queued().await.unwrap(), vec![newer]);
}

#[wasm_bindgen_test]
async fn signing_out_during_a_sync_does_not_bring_entries_back() {
    let store = fresh("linli-test-wipe-during-sync").await;
    let items: Vec<_> = (31..=33).map(item).collect();
    store.save_many(&items).await.unwrap();
    let sending = store
        .mark_in_flight(&store.queued().await.unwrap())
        .await
        .unwrap();
    store.wipe().await.unwrap();
    // The push fails (or is answered with retry / refusal) after the wipe.
    store.requeue(&sending).await.unwrap();
    let results = vec![
        PushResult::rejected(&sending[0].id, "busy", "later".into(), true),
        PushResult::rejected(&sending[1].id, "invalid", "body.text".into(), false),
        PushResult::ok(&sending[2].id, PushStatus::Accepted),
    ];
    store.apply_results(&sending, &results).await.unwrap();
    assert!(store.unsent().await.unwrap().is_empty());
    assert!(store.records("rumor_tip").await.unwrap().is_empty());
}

#[wasm_bindgen_test]
async fn enrolling_into_another_household_parks_what_was_unsent_and_starts_pulled_content_over() {
    use linli::store::model::{PulledChange, PulledPage, Reenrolment};
    let store = fresh("linli-test-switch").await;
    let items: Vec<_> = (41..=42).map(item).collect();
    store.save_many(&items).await.unwrap();
    store
        .mark_in_flight(&store.queued().await.unwrap()[..1])
        .await
        .unwrap();
    store
        .apply_pull(
            &PulledPage {
                changes: vec![PulledChange {
                    kind: "alert".into(),
                    id: "a1".into(),
                    body: Some("{}".into()),
                }],
                next_cursor: 77,
                has_more: false,
                reset: false,
                log_id: Some("00ff".into()),
            },
            &here(&store).await,
        )
        .await
        .unwrap();

    // The same household again: everything stays, the entry in flight is queued again.
    store
        .adopt_enrolment(r#"{"household_id":"h1"}"#, "A", Reenrolment::Keep)
        .await
        .unwrap();
    assert_eq!(store.queued().await.unwrap().len(), 2);
    assert_eq!(store.meta("cursor").await.unwrap().as_deref(), Some("77"));
    assert_eq!(store.content("alert").await.unwrap().len(), 1);

    // Another household: nothing of the old one is sent, nothing is lost.
    store
        .adopt_enrolment(r#"{"household_id":"h2"}"#, "B", Reenrolment::Switch)
        .await
        .unwrap();
    assert!(
        store.queued().await.unwrap().is_empty(),
        "nothing old is sent"
    );
    assert_eq!(store.parked().await.unwrap().len(), 2, "kept, exportable");
    assert_eq!(store.unsent().await.unwrap().len(), 2);
    assert!(store.records("rumor_tip").await.unwrap().is_empty());
    assert!(store.content("alert").await.unwrap().is_empty());
    assert_eq!(store.meta("cursor").await.unwrap(), None);
    assert_eq!(store.meta("log_id").await.unwrap(), None);
    assert_eq!(
        store.meta("device").await.unwrap().as_deref(),
        Some(r#"{"household_id":"h2"}"#)
    );
}

#[wasm_bindgen_test]
async fn a_pull_reset_replaces_pulled_content_and_sends_again_what_the_platform_may_have_lost() {
    use linli::store::model::{PulledChange, PulledPage};
    let store = fresh("linli-test-reset").await;
    let items: Vec<_> = (51..=53).map(item).collect();
    store.save_many(&items).await.unwrap();
    // 51 and 52 were accepted, 53 refused for good.
    let sent = store
        .mark_in_flight(&store.queued().await.unwrap())
        .await
        .unwrap();
    let result = |n: u32, status| PushResult {
        id: format!("0190c7a8-3b1e-7c2d-8f00-{n:012x}"),
        status,
        code: None,
        message: None,
        retryable: Some(false),
    };
    store
        .apply_results(
            &sent,
            &[
                result(51, PushStatus::Accepted),
                result(52, PushStatus::Duplicate),
                result(53, PushStatus::Rejected),
            ],
        )
        .await
        .unwrap();
    assert!(store.queued().await.unwrap().is_empty());
    let change = |kind: &str, id: &str| PulledChange {
        kind: kind.into(),
        id: id.into(),
        body: Some("{}".into()),
    };
    store
        .apply_pull(
            &PulledPage {
                changes: vec![change("alert", "a1"), change("rebuttal", "r1")],
                next_cursor: 90,
                has_more: false,
                reset: false,
                log_id: Some("00ff".into()),
            },
            &here(&store).await,
        )
        .await
        .unwrap();

    // The platform was restored from a backup: its log starts over.
    store
        .apply_pull(
            &PulledPage {
                changes: vec![change("alert", "a2")],
                next_cursor: 4,
                has_more: false,
                reset: true,
                log_id: Some("abcd".into()),
            },
            &here(&store).await,
        )
        .await
        .unwrap();
    let ids = |items: Vec<linli::store::model::ContentItem>| -> Vec<String> {
        items.into_iter().map(|c| c.id).collect()
    };
    assert_eq!(ids(store.content("alert").await.unwrap()), ["a2"]);
    assert!(store.content("rebuttal").await.unwrap().is_empty());
    assert_eq!(store.meta("cursor").await.unwrap().as_deref(), Some("4"));
    assert_eq!(store.meta("log_id").await.unwrap().as_deref(), Some("abcd"));
    // What was sent goes again (the platform may have lost it); the refused one does not.
    let queued: Vec<String> = store
        .queued()
        .await
        .unwrap()
        .into_iter()
        .map(|e| e.id)
        .collect();
    assert_eq!(queued, [items[0].1.id.clone(), items[1].1.id.clone()]);
    assert_eq!(
        store.record(&items[0].0.id).await.unwrap().map(|r| r.sync),
        Some(RecordSync::Local)
    );
    assert_eq!(store.rejected().await.unwrap().len(), 1);
}

#[wasm_bindgen_test]
async fn a_pull_page_made_before_joining_is_not_applied_once_the_phone_has_joined() {
    use linli::store::model::{PullFrom, PulledChange, PulledPage, Reenrolment};
    let store = fresh("linli-test-join-race").await;
    // A public pull leaves (no device yet); the phone joins before its answer is written.
    store
        .adopt_enrolment(r#"{"household_id":"h1"}"#, "A", Reenrolment::First)
        .await
        .unwrap();
    let page = PulledPage {
        changes: vec![PulledChange {
            kind: "alert".into(),
            id: "a1".into(),
            body: Some("{}".into()),
        }],
        next_cursor: 500,
        has_more: false,
        reset: false,
        log_id: Some("00ff".into()),
    };
    assert!(!store.apply_pull(&page, &PullFrom::default()).await.unwrap());
    // Its cursor would have skipped what the new enrolment reads from the start.
    assert_eq!(store.meta("cursor").await.unwrap(), None);
    assert!(store.content("alert").await.unwrap().is_empty());
    // The pull made for the enrolment is applied.
    assert!(store.apply_pull(&page, &here(&store).await).await.unwrap());
    assert_eq!(store.meta("cursor").await.unwrap().as_deref(), Some("500"));
}

#[wasm_bindgen_test]
async fn a_public_pull_page_is_not_applied_once_the_reader_picked_another_building() {
    use linli::store::model::{PulledChange, PulledPage};
    let store = fresh("linli-test-pick-race").await;
    let page = |id: &str, next_cursor| PulledPage {
        changes: vec![PulledChange {
            kind: "alert".into(),
            id: id.into(),
            body: Some("{}".into()),
        }],
        next_cursor,
        has_more: false,
        reset: false,
        log_id: Some("00ff".into()),
    };
    store
        .apply_pull(&page("a0", 1), &here(&store).await)
        .await
        .unwrap();
    // A public pull for no building leaves; the reader picks G2-B1 before its answer is written.
    let left = here(&store).await;
    store.pick_public_building("G2-B1").await.unwrap();
    assert!(!store.apply_pull(&page("a1", 500), &left).await.unwrap());
    // Its cursor would have skipped G2's alerts, which the next pull reads from the start.
    assert_eq!(store.meta("cursor").await.unwrap().as_deref(), Some("1"));
    assert_eq!(store.meta("log_id").await.unwrap().as_deref(), Some("0"));
    let ids: Vec<String> = store
        .content("alert")
        .await
        .unwrap()
        .into_iter()
        .map(|c| c.id)
        .collect();
    assert_eq!(ids, ["a0"]);
}

/// Where a pull made now would start from.
async fn here(store: &Store) -> linli::store::model::PullFrom {
    linli::store::model::PullFrom {
        device: store.meta("device").await.unwrap(),
        cursor: store.meta("cursor").await.unwrap(),
        log: store.meta("log_id").await.unwrap(),
    }
}

#[wasm_bindgen_test]
async fn content_from_another_phone_is_stored_beside_what_was_pulled() {
    use linli::store::model::{ContentItem, PulledChange, PulledPage};
    let store = fresh("linli-test-relayed-content").await;
    let page = PulledPage {
        changes: vec![PulledChange {
            kind: "alert".into(),
            id: "a1".into(),
            body: Some("{}".into()),
        }],
        next_cursor: 1,
        has_more: false,
        reset: false,
        log_id: Some("00ff".into()),
    };
    store.apply_pull(&page, &here(&store).await).await.unwrap();
    let relayed = ContentItem {
        key: "alert:a2".into(),
        kind: "alert".into(),
        id: "a2".into(),
        body: r#"{"signed":{"v":1}}"#.into(),
    };
    store
        .put_content(std::slice::from_ref(&relayed))
        .await
        .unwrap();
    let mut items = store.content("alert").await.unwrap();
    items.sort_by(|a, b| a.key.cmp(&b.key));
    assert_eq!(items.len(), 2);
    assert_eq!(items[1], relayed);
    // The pull cursor is the pull's alone.
    assert_eq!(store.meta("cursor").await.unwrap().as_deref(), Some("1"));
}
