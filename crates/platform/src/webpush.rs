//! Sending Web Push notifications: the platform's VAPID key (RFC 8292), kept in a file of its
//! own; each message encrypted for its subscription (RFC 8291 `aes128gcm`) by the `web-push`
//! crate and posted with ureq; and the worker that drains [`crate::notify`]'s durable queue,
//! with backoff, so a restart loses no pending notification.

use crate::db::Db;
use crate::notify::{self, Delivery, Job};
use anyhow::Context;
use base64::Engine;
use linli_protocol::notify::payload;
use linli_protocol::published::{Alert, CapUrgency, Severity};
use std::path::Path;
use std::sync::Arc;
use std::time::Duration;
use web_push::{
    ContentEncoding, PartialVapidSignatureBuilder, SubscriptionInfo, Urgency, VapidSignature,
    VapidSignatureBuilder, WebPushMessageBuilder,
};

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;

/// How many notifications are taken from the queue at a time, and sent by how many threads.
const BATCH: u32 = 512;
const THREADS: usize = 8;

/// A signed VAPID JWT is reused for its push service for this long (it is valid for 12 h).
const SIGNATURE_REUSE: Duration = Duration::from_secs(3600);

/// What sends notifications: the VAPID key and an HTTP client.
pub struct Sender {
    vapid: PartialVapidSignatureBuilder,
    public_key: String,
    subject: Option<String>,
    agent: ureq::Agent,
    /// The JWT per push service origin, signed once and reused (signing is most of a send's
    /// CPU when thousands of phones use the same push service).
    signatures:
        std::sync::Mutex<std::collections::HashMap<String, (VapidSignature, std::time::Instant)>>,
}

impl Sender {
    /// Reads the VAPID private key from `path` (base64url of the raw P-256 scalar), creating it
    /// (readable by this user only) on first start.
    pub fn load_or_create(path: &Path, subject: Option<String>) -> anyhow::Result<Sender> {
        let what = || format!("--vapid-key {}", path.display());
        let encoded = crate::keyfile::read_or_create(path, "--vapid-key", || {
            B64.encode(jwt_simple::algorithms::ES256KeyPair::generate().to_bytes())
        })?;
        Sender::from_base64(&encoded, subject)
            .with_context(|| format!("{}: not a VAPID private key", what()))
    }

    /// A sender with a new key that is not kept (in-process tests).
    pub fn ephemeral() -> Sender {
        let encoded = B64.encode(jwt_simple::algorithms::ES256KeyPair::generate().to_bytes());
        // A freshly generated key always reads back.
        Sender::from_base64(&encoded, None).unwrap_or_else(|e| panic!("new VAPID key: {e}"))
    }

    fn from_base64(encoded: &str, subject: Option<String>) -> anyhow::Result<Sender> {
        let vapid = VapidSignatureBuilder::from_base64_no_sub(encoded)
            .map_err(|e| anyhow::anyhow!("{e}"))?;
        let public_key = B64.encode(vapid.get_public_key());
        let tls = native_tls::TlsConnector::new().context("TLS for push services")?;
        let agent = ureq::AgentBuilder::new()
            .tls_connector(Arc::new(tls))
            .timeout(Duration::from_secs(15))
            // A push service answers; it never redirects (a redirect is refused, not followed).
            .redirects(0)
            .build();
        Ok(Sender {
            vapid,
            public_key,
            subject,
            agent,
            signatures: Default::default(),
        })
    }

    /// The public key phones subscribe with (uncompressed point, base64url).
    pub fn public_key(&self) -> &str {
        &self.public_key
    }

    /// Sends one notification and classifies the push service's answer. Blocking.
    pub fn send(&self, job: &Job, now_ms: i64) -> Delivery {
        let Ok(alert) = serde_json::from_str::<Alert>(&job.alert) else {
            return Delivery::Refused(None);
        };
        let body = match serde_json::to_vec(&payload(&job.alert_id, &alert, &job.lang)) {
            Ok(b) => b,
            Err(_) => return Delivery::Refused(None),
        };
        let info = SubscriptionInfo::new(&job.endpoint, &job.p256dh, &job.auth);
        let Some(signature) = self.signature(&info) else {
            return Delivery::Refused(None);
        };
        let mut message = WebPushMessageBuilder::new(&info);
        message.set_payload(ContentEncoding::Aes128Gcm, &body);
        message.set_vapid_signature(signature);
        message.set_ttl(ttl_s(&alert, now_ms));
        message.set_urgency(urgency(&alert));
        // A subscription whose keys are not a P-256 point cannot be encrypted to.
        let Ok(message) = message.build() else {
            return Delivery::Refused(None);
        };
        let request = web_push::request_builder::build_request::<Vec<u8>>(message);
        let mut post = self.agent.post(&request.uri().to_string());
        for (name, value) in request.headers() {
            if let Ok(v) = value.to_str() {
                post = post.set(name.as_str(), v);
            }
        }
        match post.send_bytes(request.body()) {
            Ok(resp) => classify(resp.status()),
            Err(ureq::Error::Status(code, _)) => classify(code),
            Err(ureq::Error::Transport(_)) => Delivery::Retry(None),
        }
    }
}

impl Sender {
    /// The VAPID signature for the subscription's push service, reused for an hour.
    fn signature(&self, info: &SubscriptionInfo) -> Option<VapidSignature> {
        let audience = origin(&info.endpoint);
        if let Ok(cache) = self.signatures.lock() {
            if let Some((sig, at)) = cache.get(&audience) {
                if at.elapsed() < SIGNATURE_REUSE {
                    return Some(sig.clone());
                }
            }
        }
        let mut builder = self.vapid.clone().add_sub_info(info);
        // The library's default audience drops the port, which RFC 8292's origin keeps.
        builder.add_claim("aud", audience.as_str());
        if let Some(s) = &self.subject {
            builder.add_claim("sub", s.as_str());
        }
        let sig = builder.build().ok()?;
        if let Ok(mut cache) = self.signatures.lock() {
            cache.insert(audience, (sig.clone(), std::time::Instant::now()));
        }
        Some(sig)
    }
}

/// The origin (scheme, host and port) of a push endpoint: the JWT's audience (RFC 8292 §2).
pub fn origin(endpoint: &str) -> String {
    let (scheme, rest) = endpoint.split_once("://").unwrap_or(("https", endpoint));
    let authority = rest.split(['/', '?', '#']).next().unwrap_or_default();
    format!("{scheme}://{authority}")
}

/// The push service's answer, as what to do next.
pub fn classify(status: u16) -> Delivery {
    match status {
        200..=299 => Delivery::Sent(status),
        404 | 410 => Delivery::Gone(status),
        429 | 500..=599 => Delivery::Retry(Some(status)),
        _ => Delivery::Refused(Some(status)),
    }
}

/// How long the push service may hold the message: until the alert expires (at most four
/// weeks, the longest services keep one; none once it has expired).
pub fn ttl_s(alert: &Alert, now_ms: i64) -> u32 {
    let left = (alert.expires.unix_ms() - now_ms) / 1000;
    left.clamp(0, 28 * 24 * 3600) as u32
}

/// `high` for an immediate or extreme alert (delivered even to a phone saving battery).
pub fn urgency(alert: &Alert) -> Urgency {
    if alert.urgency == CapUrgency::Immediate || alert.severity == Severity::Extreme {
        Urgency::High
    } else {
        Urgency::Normal
    }
}

/// Drains the queue forever: sends what is due (several at a time on the blocking pool),
/// records the answers, then waits for `wake` (a publish) or the next retry.
pub async fn run(db: Db, sender: Arc<Sender>, wake: Arc<tokio::sync::Notify>, retry_base_ms: i64) {
    loop {
        let now = crate::auth::now_ms();
        let jobs = match db.call(move |c| Ok(notify::due(c, now, BATCH)?)).await {
            Ok(jobs) => jobs,
            Err(e) => {
                tracing::warn!(error = %e, "push queue unreadable; trying again");
                tokio::time::sleep(Duration::from_secs(1)).await;
                continue;
            }
        };
        if jobs.is_empty() {
            let next = db.call(|c| Ok(notify::next_due(c)?)).await.ok().flatten();
            let wait = next.map_or(5_000, |n| (n - crate::auth::now_ms()).clamp(10, 5_000));
            tokio::select! {
                _ = wake.notified() => {}
                _ = tokio::time::sleep(Duration::from_millis(wait as u64)) => {}
            }
            continue;
        }
        let results = send_all(&sender, jobs).await;
        let sent = results.len();
        let settled = db
            .call(move |c| {
                Ok(notify::settle(
                    c,
                    &results,
                    crate::auth::now_ms(),
                    retry_base_ms,
                )?)
            })
            .await;
        match settled {
            Ok(()) => tracing::debug!(sent, "push batch settled"),
            Err(e) => {
                // The rows stay pending: they are sent again (a notification may arrive twice,
                // which its tag makes harmless; none is lost).
                tracing::warn!(error = %e, "push answers not recorded");
                tokio::time::sleep(Duration::from_secs(1)).await;
            }
        }
    }
}

/// Sends `jobs` on [`THREADS`] blocking threads.
async fn send_all(sender: &Arc<Sender>, jobs: Vec<Job>) -> Vec<(Job, Delivery)> {
    let per = jobs.len().div_ceil(THREADS).max(1);
    let mut tasks = tokio::task::JoinSet::new();
    let mut rest = jobs;
    while !rest.is_empty() {
        let part: Vec<Job> = rest.drain(..per.min(rest.len())).collect();
        let sender = sender.clone();
        tasks.spawn_blocking(move || {
            let now = crate::auth::now_ms();
            part.into_iter()
                .map(|j| {
                    let d = sender.send(&j, now);
                    (j, d)
                })
                .collect::<Vec<_>>()
        });
    }
    let mut out = Vec::new();
    while let Some(done) = tasks.join_next().await {
        if let Ok(part) = done {
            out.extend(part);
        }
    }
    out
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_audience_is_the_endpoints_origin_with_its_port() {
        assert_eq!(
            origin("https://fcm.googleapis.com/fcm/send/abc"),
            "https://fcm.googleapis.com"
        );
        assert_eq!(
            origin("http://127.0.0.1:9123/push/1?x"),
            "http://127.0.0.1:9123"
        );
    }

    #[test]
    fn answers_map_to_sent_gone_retry_or_refused() {
        assert_eq!(classify(201), Delivery::Sent(201));
        assert_eq!(classify(410), Delivery::Gone(410));
        assert_eq!(classify(404), Delivery::Gone(404));
        assert_eq!(classify(503), Delivery::Retry(Some(503)));
        assert_eq!(classify(429), Delivery::Retry(Some(429)));
        assert_eq!(classify(400), Delivery::Refused(Some(400)));
        assert_eq!(classify(413), Delivery::Refused(Some(413)));
    }

    #[test]
    fn the_key_file_is_created_once_private_and_read_back() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/vapid.key");
        let first = Sender::load_or_create(&path, None).unwrap();
        let again = Sender::load_or_create(&path, None).unwrap();
        assert_eq!(first.public_key(), again.public_key());
        assert_eq!(B64.decode(first.public_key()).unwrap().len(), 65);
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        std::fs::write(&path, "not a key").unwrap();
        let err = format!("{:#}", Sender::load_or_create(&path, None).err().unwrap());
        assert!(err.starts_with("--vapid-key "), "{err}");
    }
}
