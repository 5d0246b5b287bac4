//! What one relay message carries from phone to phone (as QR frames or a file, see
//! [`crate::relay`]): either a phone's unsent records, sealed to the platform, or signed
//! public content that any phone can check.
//!
//! A phone never trusts another phone: records are opened only by the platform, content is
//! shown only if a key this phone trusts signed it ([`crate::signing`]).

use crate::pushed::{RelayedItem, RelayedItems, SealedRecords};
use crate::relay::{self, Density, RelayError};
use crate::signing::{Envelope, KeySet, VerifyError};
use crate::sync::{PulledKind, PulledRecord, PushItem, PushedKind};
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
use base64::Engine;
use serde::{Deserialize, Serialize};

/// The bundle format's version.
pub const BUNDLE_VERSION: u8 = 1;

/// One relay message, before packing.
#[derive(Clone, Debug, PartialEq, Serialize, Deserialize)]
#[serde(tag = "t", rename_all = "snake_case")]
pub enum Bundle {
    /// A phone's unsent records: readable ids and kinds, the records sealed to the platform.
    Records {
        v: u8,
        items: Vec<RelayedItem>,
        sealed: String,
    },
    /// Signed public content (alerts, rebuttals, …), envelopes verbatim.
    Content { v: u8, signed: Vec<Envelope> },
}

/// Why a relay message or an item in it was not taken.
#[derive(Clone, Debug, PartialEq, Eq)]
pub enum CarryError {
    /// The frames or the file did not make a whole, undamaged message.
    Relay(RelayError),
    /// Whole, but not a bundle this version understands.
    NotABundle,
    /// This phone has no trusted keys yet (it never reached the platform).
    NoKeys,
    /// The records could not be sealed (a damaged key).
    Seal,
}

impl From<RelayError> for CarryError {
    fn from(e: RelayError) -> CarryError {
        CarryError::Relay(e)
    }
}

/// Why one signed item was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum Refused {
    /// Not signed by a key this phone trusts, or changed since (see [`VerifyError`]).
    Signature(VerifyError),
    /// Signed, but not a kind of public content, or not a valid item of its kind.
    NotContent,
    /// An alert past its expiry: not passed on as current.
    Expired,
}

/// The keys a phone trusts: the history it received first (trusted as the platform sent it),
/// extended by the latest history only through sets signed by keys already trusted.
pub fn trusted_keys(first: &str, latest: Option<&str>) -> Result<KeySet, CarryError> {
    let chain: Vec<Envelope> = serde_json::from_str(first).map_err(|_| CarryError::NoKeys)?;
    let set = KeySet::first(&chain).map_err(|_| CarryError::NoKeys)?;
    let later: Vec<Envelope> = latest
        .and_then(|l| serde_json::from_str(l).ok())
        .unwrap_or_default();
    Ok(set.extend(&later).0)
}

/// Seals `items` (exactly what the phone would push) with its device `token` to the platform's
/// key. `ephemeral` and `nonce` are fresh random bytes.
pub fn seal_records(
    keys: &KeySet,
    token: &str,
    items: Vec<PushItem>,
    ephemeral: [u8; 32],
    nonce: [u8; 12],
) -> Result<Bundle, CarryError> {
    let seal_key = keys.seal_key().ok_or(CarryError::NoKeys)?;
    let shown = items
        .iter()
        .map(|i| {
            Some(RelayedItem {
                id: crate::ids::Id::parse(&i.id).ok()?,
                kind: PushedKind::parse(&i.kind)?,
            })
        })
        .collect::<Option<Vec<_>>>()
        .ok_or(CarryError::NotABundle)?;
    let inner = SealedRecords {
        token: token.to_owned(),
        items,
    };
    let json = serde_json::to_vec(&inner).map_err(|_| CarryError::NotABundle)?;
    // Compressed before sealing: ciphertext does not compress.
    let plain = relay::pack(&json)?;
    let sealed = crate::seal::seal(&seal_key, ephemeral, nonce, &plain).ok_or(CarryError::Seal)?;
    Ok(Bundle::Records {
        v: BUNDLE_VERSION,
        items: shown,
        sealed: B64.encode(sealed),
    })
}

/// The platform's side: opens a sealed box (base64url) with its X25519 secret and reads the
/// records inside (inflated with the relay's size limit).
pub fn open_records(secret: &[u8; 32], sealed_b64: &str) -> Option<SealedRecords> {
    let sealed = B64.decode(sealed_b64).ok()?;
    let packed = crate::seal::open(secret, &sealed).ok()?;
    let json = relay::unpack(&packed).ok()?;
    serde_json::from_slice(&json).ok()
}

impl Bundle {
    /// The bundle packed (deflated, hashed) and cut into frames: its message id and frames.
    pub fn frames(&self, density: Density) -> Result<(String, Vec<String>), CarryError> {
        let json = serde_json::to_vec(self).map_err(|_| CarryError::NotABundle)?;
        let packed = relay::pack(&json)?;
        Ok((
            relay::message_id(&packed)?,
            relay::frames(&packed, density)?,
        ))
    }

    /// Reads a whole packed message.
    pub fn unpack(packed: &[u8]) -> Result<Bundle, CarryError> {
        let json = relay::unpack(packed)?;
        let bundle: Bundle = serde_json::from_slice(&json).map_err(|_| CarryError::NotABundle)?;
        match &bundle {
            Bundle::Records { v, items, sealed } => {
                let ok = *v == BUNDLE_VERSION
                    && RelayedItems::try_from(items.clone()).is_ok()
                    && crate::pushed::SealedBox::try_from(sealed.clone()).is_ok();
                ok.then_some(bundle).ok_or(CarryError::NotABundle)
            }
            Bundle::Content { v, .. } if *v == BUNDLE_VERSION => Ok(bundle),
            Bundle::Content { .. } => Err(CarryError::NotABundle),
        }
    }

    /// The body of the `relayed` record a carrier pushes for a records bundle.
    pub fn relayed_body(&self) -> Option<String> {
        match self {
            Bundle::Records { items, sealed, .. } => {
                serde_json::to_string(&serde_json::json!({"items": items, "sealed": sealed})).ok()
            }
            Bundle::Content { .. } => None,
        }
    }

    /// How many records or items it carries (what a receipt counts).
    pub fn count(&self) -> usize {
        match self {
            Bundle::Records { items, .. } => items.len(),
            Bundle::Content { signed, .. } => signed.len(),
        }
    }
}

/// A signed item that passed every check, ready to be stored as if pulled.
#[derive(Clone, Debug, PartialEq)]
pub struct Checked {
    pub kind: PulledKind,
    pub id: String,
    /// The signed payload: the item's body as JSON text.
    pub body: String,
}

/// Checks one relayed item: signed by a trusted key, unchanged, an alert or a rebuttal (what
/// phones pass on), valid, and (an alert) not expired at `now_ms`.
pub fn check(keys: &KeySet, env: &Envelope, now_ms: i64) -> Result<Checked, Refused> {
    let payload = keys.verify(env).map_err(Refused::Signature)?;
    let kind = PulledKind::parse(&env.kind)
        .filter(|k| matches!(k, PulledKind::Alert | PulledKind::Rebuttal))
        .ok_or(Refused::NotContent)?;
    let value: serde_json::Value =
        serde_json::from_str(payload).map_err(|_| Refused::NotContent)?;
    let record = PulledRecord::parse(kind, &value).map_err(|_| Refused::NotContent)?;
    if let PulledRecord::Alert(a) = &record {
        if a.expires.unix_ms() <= now_ms {
            return Err(Refused::Expired);
        }
    }
    Ok(Checked {
        kind,
        id: env.id.clone(),
        body: payload.to_owned(),
    })
}

#[cfg(all(test, feature = "sign"))]
mod tests {
    use super::*;
    use crate::relay::Assembler;
    use crate::signing::signer::{chain, Signer};

    const PLATFORM_SEAL: [u8; 32] = [42; 32];

    fn keys() -> (Signer, Vec<Envelope>) {
        let s = Signer::from_seed(&[1; 32]);
        let c = chain(
            &[Signer::from_seed(&[1; 32])],
            &crate::seal::public_key(&PLATFORM_SEAL),
        );
        (s, c)
    }

    fn report(n: u32) -> PushItem {
        PushItem {
            id: format!("0190c7a8-3b1e-7c2d-8f00-{n:012x}"),
            kind: "health_report".into(),
            body: serde_json::json!({"member_id": "0190c7a8-3b1e-7c2d-8f00-000000000001",
                "date": "2026-11-28", "temperature_c": 36.6, "symptoms": [],
                "reported_at": "2026-11-28T09:00:00+08:00"}),
        }
    }

    fn carry(bundle: &Bundle, density: Density, order: impl Fn(&mut Vec<String>)) -> Bundle {
        let (id, mut frames) = bundle.frames(density).unwrap();
        order(&mut frames);
        let mut a = Assembler::new();
        for f in &frames {
            let _ = a.add(f);
        }
        assert_eq!(a.message_id(), Some(id.as_str()));
        Bundle::unpack(&a.finish().unwrap().unwrap()).unwrap()
    }

    #[test]
    fn records_travel_sealed_and_open_at_the_platform_as_the_senders_push() {
        let (_, chain) = keys();
        let trusted = trusted_keys(&serde_json::to_string(&chain).unwrap(), None).unwrap();
        let items: Vec<PushItem> = (0..50).map(report).collect();
        let bundle =
            seal_records(&trusted, "device-token", items.clone(), [5; 32], [6; 12]).unwrap();
        let got = carry(&bundle, Density::High, |f| f.reverse());
        assert_eq!(got, bundle);
        assert_eq!(got.count(), 50);
        let Bundle::Records {
            items: shown,
            sealed,
            ..
        } = &got
        else {
            panic!("records")
        };
        // The carrier sees ids and kinds, and nothing of the health data.
        assert_eq!(shown[3].id.as_str(), items[3].id);
        assert!(!got.relayed_body().unwrap().contains("temperature"));
        // The platform opens exactly what the sender would have pushed.
        let inner = open_records(&PLATFORM_SEAL, sealed).unwrap();
        assert_eq!(inner.token, "device-token");
        assert!(open_records(&[7; 32], sealed).is_none(), "another key");
        // Compressed before sealing: 50 check-ins fit in a few QR codes.
        assert!(bundle.frames(Density::High).unwrap().1.len() <= 4);
        assert_eq!(inner.items, items);
        // The carrier's `relayed` record validates as the protocol's pushed kind.
        let body: serde_json::Value = serde_json::from_str(&got.relayed_body().unwrap()).unwrap();
        assert!(PushedRecord::parse(PushedKind::Relayed, &body).is_ok());
    }

    use crate::sync::PushedRecord;

    fn alert_body(expires: &str) -> String {
        serde_json::json!({
            "identifier": "linli-1", "sender_name": {"en": "Office"}, "sent": "2026-11-28T09:00:00Z",
            "status": "actual", "msg_type": "alert", "category": ["met"], "event": {"en": "Typhoon"},
            "urgency": "immediate", "severity": "severe", "certainty": "observed",
            "response_type": ["shelter"], "headline": {"en": "Typhoon signal 8"},
            "description": {"en": "Stay in"}, "instruction": {"en": "Stay indoors"},
            "expires": expires, "area": {"desc": {"en": "All"}, "grids": [], "buildings": []}
        })
        .to_string()
    }

    #[test]
    fn signed_alerts_pass_from_phone_to_phone_and_are_checked_on_arrival() {
        let (signer, chain) = keys();
        let trusted = trusted_keys(&serde_json::to_string(&chain).unwrap(), None).unwrap();
        let good = signer.sign("alert", "a1", alert_body("2099-01-01T00:00:00Z"));
        let old = signer.sign("alert", "a2", alert_body("2020-01-01T00:00:00Z"));
        let mut forged = good.clone();
        forged.payload = forged.payload.replace("signal 8", "signal 10");
        let stranger =
            Signer::from_seed(&[9; 32]).sign("alert", "a3", alert_body("2099-01-01T00:00:00Z"));
        let private = signer.sign("help_request", "h1", "{}".into());
        let notice = signer.sign("notice", "n1", "{}".into());
        let bundle = Bundle::Content {
            v: BUNDLE_VERSION,
            signed: vec![good.clone(), old, forged, stranger, private, notice],
        };
        let got = carry(&bundle, Density::Medium, |f| f.rotate_left(1));
        let Bundle::Content { signed, .. } = got else {
            panic!("content")
        };
        let now = 1_800_000_000_000;
        let results: Vec<_> = signed.iter().map(|e| check(&trusted, e, now)).collect();
        let ok = results[0].as_ref().unwrap();
        assert_eq!((ok.kind, ok.id.as_str()), (PulledKind::Alert, "a1"));
        assert_eq!(ok.body, good.payload);
        assert_eq!(results[1], Err(Refused::Expired));
        assert_eq!(results[2], Err(Refused::Signature(VerifyError::Tampered)));
        assert_eq!(results[3], Err(Refused::Signature(VerifyError::UnknownKey)));
        assert_eq!(results[4], Err(Refused::NotContent));
        assert_eq!(
            results[5],
            Err(Refused::NotContent),
            "only alerts and rebuttals pass on"
        );
    }

    #[test]
    fn a_phone_without_keys_cannot_seal_or_check_and_junk_is_not_a_bundle() {
        assert_eq!(trusted_keys("", None).err(), Some(CarryError::NoKeys));
        assert_eq!(trusted_keys("[]", None).err(), Some(CarryError::NoKeys));
        let packed = relay::pack(br#"{"t":"records","v":1,"items":[],"sealed":"x"}"#).unwrap();
        assert_eq!(Bundle::unpack(&packed), Err(CarryError::NotABundle));
        let packed = relay::pack(b"not json").unwrap();
        assert_eq!(Bundle::unpack(&packed), Err(CarryError::NotABundle));
    }
}
