//! Signed content: what the community publishes, verifiable by a phone that got it from another
//! phone instead of from the platform.
//!
//! The platform signs the **exact bytes** of each item's JSON — no canonical form: the payload
//! travels as a string inside the [`Envelope`], so any JSON round trip (IndexedDB, a QR code, a
//! file) leaves it byte for byte as signed. The signed message is domain-separated by the
//! protocol version, the kind and the id (`linli/v1/<kind>\n<id>\n<payload>`), so a signature
//! over one kind or item can never be passed off as another.
//!
//! Phones trust keys through a chain of [`KeySet`]s: the first, self-signed, is learnt from the
//! platform itself (over HTTPS, at the first pull); every later one must be signed by a key the
//! phone already trusts (rotation). Verification is `ed25519-dalek`'s `verify_strict`.

#[cfg(feature = "relay")]
use base64::engine::general_purpose::URL_SAFE_NO_PAD as B64;
#[cfg(feature = "relay")]
use base64::Engine;
#[cfg(feature = "relay")]
use ed25519_dalek::{Signature, VerifyingKey};
use serde::{Deserialize, Serialize};

/// The envelope's format version.
pub const ENVELOPE_VERSION: u8 = 1;
/// The kind a key set is signed under.
pub const KEYSET_KIND: &str = "keyset";
/// The longest payload accepted in an envelope (a guide is the largest published item).
pub const MAX_PAYLOAD_BYTES: usize = 256 * 1024;

/// One signed item as it is stored and relayed: verbatim, never re-encoded.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct Envelope {
    pub v: u8,
    /// Which key signed it ([`key_id`]).
    pub kid: String,
    /// The pulled kind (`alert`, `rebuttal`, …) or [`KEYSET_KIND`].
    pub kind: String,
    /// The item's id (a key set's is its sequence number).
    pub id: String,
    /// The item's body, the exact JSON text that was signed.
    pub payload: String,
    /// The Ed25519 signature, base64url without padding.
    pub sig: String,
}

/// A public signing key as phones learn it.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
#[cfg_attr(feature = "openapi", derive(utoipa::ToSchema))]
pub struct PublicKey {
    pub kid: String,
    /// 32 bytes, base64url without padding.
    pub pk: String,
}

/// The community's keys at one point of its key history.
#[derive(Clone, Debug, PartialEq, Eq, Serialize, Deserialize)]
pub struct KeySet {
    pub v: u8,
    /// Its place in the key history, from 1: a phone never goes back to an earlier set.
    pub seq: u32,
    /// Keys whose signatures phones accept from now on (the newest signs).
    pub keys: Vec<PublicKey>,
    /// The platform's X25519 key that relayed records are sealed to, base64url.
    pub seal: String,
}

/// Why an item was refused.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum VerifyError {
    /// Not an envelope this version understands, or its fields are not well formed.
    Malformed,
    /// Signed by a key this phone does not trust.
    UnknownKey,
    /// The signature does not match: changed after signing, or forged.
    Tampered,
    /// A chain of key sets that does not start from a self-signed set.
    BrokenChain,
}

impl std::fmt::Display for VerifyError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            VerifyError::Malformed => "not a well-formed signed item",
            VerifyError::UnknownKey => "signed by a key this phone does not trust",
            VerifyError::Tampered => "the signature does not match: changed or forged",
            VerifyError::BrokenChain => "the key history does not start from a self-signed set",
        })
    }
}

/// The bytes a signature covers.
#[cfg(feature = "relay")]
pub fn message(kind: &str, id: &str, payload: &str) -> Vec<u8> {
    let mut m = Vec::with_capacity(16 + kind.len() + id.len() + payload.len());
    m.extend_from_slice(b"linli/v1/");
    m.extend_from_slice(kind.as_bytes());
    m.push(b'\n');
    m.extend_from_slice(id.as_bytes());
    m.push(b'\n');
    m.extend_from_slice(payload.as_bytes());
    m
}

/// A key's id: its first 6 bytes, base64url (8 characters).
#[cfg(feature = "relay")]
pub fn key_id(pk: &[u8; 32]) -> String {
    B64.encode(&pk[..6])
}

#[cfg(feature = "relay")]
fn decode_fixed<const N: usize>(s: &str) -> Option<[u8; N]> {
    // Longer text cannot decode to N bytes; do not decode it at all.
    if s.len() > N * 4 / 3 + 4 {
        return None;
    }
    B64.decode(s).ok()?.try_into().ok()
}

#[cfg(feature = "relay")]
impl KeySet {
    fn key(&self, kid: &str) -> Option<VerifyingKey> {
        let k = self.keys.iter().find(|k| k.kid == kid)?;
        let bytes = decode_fixed::<32>(&k.pk)?;
        (key_id(&bytes) == k.kid)
            .then(|| VerifyingKey::from_bytes(&bytes).ok())
            .flatten()
    }

    /// The X25519 key relayed records are sealed to.
    pub fn seal_key(&self) -> Option<[u8; 32]> {
        decode_fixed(&self.seal)
    }

    /// Checks `env` against these keys and returns its payload.
    pub fn verify<'a>(&self, env: &'a Envelope) -> Result<&'a str, VerifyError> {
        if env.v != ENVELOPE_VERSION || env.payload.len() > MAX_PAYLOAD_BYTES {
            return Err(VerifyError::Malformed);
        }
        let key = self.key(&env.kid).ok_or(VerifyError::UnknownKey)?;
        let sig = decode_fixed::<64>(&env.sig).ok_or(VerifyError::Malformed)?;
        key.verify_strict(
            &message(&env.kind, &env.id, &env.payload),
            &Signature::from_bytes(&sig),
        )
        .map_err(|_| VerifyError::Tampered)?;
        Ok(&env.payload)
    }

    fn parse(env: &Envelope) -> Result<KeySet, VerifyError> {
        if env.kind != KEYSET_KIND {
            return Err(VerifyError::Malformed);
        }
        let set: KeySet = serde_json::from_str(&env.payload).map_err(|_| VerifyError::Malformed)?;
        if set.v != ENVELOPE_VERSION || set.keys.is_empty() || set.seal_key().is_none() {
            return Err(VerifyError::Malformed);
        }
        Ok(set)
    }

    /// The key set a phone trusts first: the platform's chain as it came over HTTPS, checked
    /// link by link from its self-signed start.
    pub fn first(chain: &[Envelope]) -> Result<KeySet, VerifyError> {
        let start = chain.first().ok_or(VerifyError::BrokenChain)?;
        let set = KeySet::parse(start)?;
        if set.seq != 1 {
            return Err(VerifyError::BrokenChain);
        }
        set.verify(start).map_err(|_| VerifyError::BrokenChain)?;
        match set.extend(&chain[1..]) {
            (set, 0) => Ok(set),
            _ => Err(VerifyError::BrokenChain),
        }
    }

    /// Rotation: walks `chain` from these keys, taking each newer key set signed by the newest
    /// key trusted at that point (the key that signs today; an older key kept to verify what it
    /// signed before cannot hand trust on). Sets signed by anything else are ignored — they are
    /// counted in the second value (a set this phone already passed is not counted).
    pub fn extend(&self, chain: &[Envelope]) -> (KeySet, usize) {
        let mut current = self.clone();
        let mut refused = 0;
        for env in chain {
            let Ok(next) = KeySet::parse(env) else {
                refused += 1;
                continue;
            };
            // An earlier link, already passed: nothing to learn, nothing wrong.
            if next.seq <= current.seq {
                continue;
            }
            let newest = KeySet {
                keys: current.keys.iter().take(1).cloned().collect(),
                ..current.clone()
            };
            match newest.verify(env) {
                Ok(_) => current = next,
                Err(_) => refused += 1,
            }
        }
        (current, refused)
    }
}

/// The platform's side: signing with a key it keeps in a file.
#[cfg(feature = "sign")]
pub mod signer {
    use super::*;
    use ed25519_dalek::{Signer as _, SigningKey};

    /// One Ed25519 signing key and its id.
    pub struct Signer {
        key: SigningKey,
        kid: String,
    }

    impl Signer {
        pub fn from_seed(seed: &[u8; 32]) -> Signer {
            let key = SigningKey::from_bytes(seed);
            let kid = key_id(key.verifying_key().as_bytes());
            Signer { key, kid }
        }

        pub fn public(&self) -> PublicKey {
            PublicKey {
                kid: self.kid.clone(),
                pk: B64.encode(self.key.verifying_key().as_bytes()),
            }
        }

        /// Signs `payload` (the exact JSON text) as item `id` of `kind`.
        pub fn sign(&self, kind: &str, id: &str, payload: String) -> Envelope {
            let sig = self.key.sign(&message(kind, id, &payload));
            Envelope {
                v: ENVELOPE_VERSION,
                kid: self.kid.clone(),
                kind: kind.to_owned(),
                id: id.to_owned(),
                payload,
                sig: B64.encode(sig.to_bytes()),
            }
        }
    }

    /// The key history for keys in the order they were made (the last signs today): set `i`
    /// holds key `i` and key `i - 1` (what was signed before a routine rotation still verifies)
    /// and is signed by key `i - 1`; the first is self-signed.
    pub fn chain(signers: &[Signer], seal_pk: &[u8; 32]) -> Vec<Envelope> {
        let seal = B64.encode(seal_pk);
        signers
            .iter()
            .enumerate()
            .map(|(i, s)| {
                let by = if i == 0 { s } else { &signers[i - 1] };
                let mut keys = vec![s.public()];
                if i > 0 {
                    keys.push(by.public());
                }
                let seq = u32::try_from(i + 1).unwrap_or(u32::MAX);
                let set = KeySet {
                    v: ENVELOPE_VERSION,
                    seq,
                    keys,
                    seal: seal.clone(),
                };
                let payload = serde_json::to_string(&set).unwrap_or_default();
                by.sign(KEYSET_KIND, &seq.to_string(), payload)
            })
            .collect()
    }
}

#[cfg(all(test, feature = "sign"))]
mod tests {
    use super::signer::{chain, Signer};
    use super::*;

    fn signer(n: u8) -> Signer {
        Signer::from_seed(&[n; 32])
    }

    const SEAL: [u8; 32] = [9; 32];

    #[test]
    fn a_signed_item_verifies_with_the_first_key_set_and_its_payload_is_the_exact_bytes() {
        let s = signer(1);
        let trusted = KeySet::first(&chain(&[signer(1)], &SEAL)).unwrap();
        assert_eq!(trusted.seal_key(), Some(SEAL));
        // Key order and spacing as the platform wrote them: not a canonical form.
        let payload = r#"{"headline":{"en":"Typhoon"},  "a":1.50}"#.to_owned();
        let env = s.sign(
            "alert",
            "0190a0b0-0000-7000-8000-000000000001",
            payload.clone(),
        );
        assert_eq!(trusted.verify(&env), Ok(payload.as_str()));
        // It survives a JSON round trip as text, as in IndexedDB or a QR code.
        let again: Envelope = serde_json::from_str(&serde_json::to_string(&env).unwrap()).unwrap();
        assert_eq!(trusted.verify(&again), Ok(payload.as_str()));
    }

    #[test]
    fn any_change_to_what_was_signed_is_refused_as_tampered() {
        let s = signer(1);
        let trusted = KeySet::first(&chain(&[signer(1)], &SEAL)).unwrap();
        let env = s.sign("alert", "a1", r#"{"severity":"minor"}"#.into());
        let mut changed = env.clone();
        changed.payload = r#"{"severity":"extreme"}"#.into();
        assert_eq!(trusted.verify(&changed), Err(VerifyError::Tampered));
        // The same bytes passed off as another kind or another item.
        let mut other_kind = env.clone();
        other_kind.kind = "rebuttal".into();
        assert_eq!(trusted.verify(&other_kind), Err(VerifyError::Tampered));
        let mut other_id = env.clone();
        other_id.id = "a2".into();
        assert_eq!(trusted.verify(&other_id), Err(VerifyError::Tampered));
        let mut bad_sig = env.clone();
        bad_sig.sig = "AAAA".into();
        assert_eq!(trusted.verify(&bad_sig), Err(VerifyError::Malformed));
        let mut flipped = env.clone();
        let mut raw = B64.decode(&env.sig).unwrap();
        raw[10] ^= 1;
        flipped.sig = B64.encode(raw);
        assert_eq!(trusted.verify(&flipped), Err(VerifyError::Tampered));
        let mut later = env;
        later.v = 2;
        assert_eq!(trusted.verify(&later), Err(VerifyError::Malformed));
    }

    #[test]
    fn an_item_signed_by_an_unknown_key_is_refused() {
        let trusted = KeySet::first(&chain(&[signer(1)], &SEAL)).unwrap();
        let env = signer(2).sign("alert", "a1", "{}".into());
        assert_eq!(trusted.verify(&env), Err(VerifyError::UnknownKey));
        // A key id that names a trusted key but a signature by another key.
        let mut claimed = env;
        claimed.kid = signer(1).public().kid;
        assert_eq!(trusted.verify(&claimed), Err(VerifyError::Tampered));
    }

    #[test]
    fn rotation_is_accepted_only_through_a_key_set_signed_by_a_trusted_key() {
        let old = KeySet::first(&chain(&[signer(1)], &SEAL)).unwrap();
        let rotated = chain(&[signer(1), signer(2), signer(3)], &SEAL);
        let (now, refused) = old.extend(&rotated);
        assert_eq!(refused, 0);
        assert!(now
            .verify(&signer(3).sign("alert", "a", "{}".into()))
            .is_ok());
        // The key before a routine rotation still verifies what it signed; older ones do not.
        assert!(now
            .verify(&signer(2).sign("alert", "a", "{}".into()))
            .is_ok());
        assert_eq!(
            now.verify(&signer(1).sign("alert", "a", "{}".into())),
            Err(VerifyError::UnknownKey)
        );
        // A key set signed by someone else is ignored, whatever it says.
        let forged = chain(&[signer(7), signer(8)], &[5; 32]);
        let (after, refused) = old.extend(&forged);
        assert_eq!(after, old);
        assert_eq!(
            refused, 1,
            "the forged set 1 is not newer than the trusted set 1"
        );
        assert_eq!(
            after.verify(&signer(8).sign("alert", "a", "{}".into())),
            Err(VerifyError::UnknownKey)
        );
        // A forged set slipped into a real chain changes nothing either.
        let mut mixed = rotated.clone();
        mixed.insert(1, forged[1].clone());
        let (after, refused) = old.extend(&mixed);
        assert_eq!(after, now);
        assert_eq!(refused, 1);
        // And a phone that is already current learns nothing from the same chain again.
        assert_eq!(now.extend(&rotated), (now.clone(), 0));
        // The key kept after a rotation (to verify what it signed) cannot sign a new set.
        let set = KeySet {
            v: 1,
            seq: 4,
            keys: vec![signer(9).public()],
            seal: now.seal.clone(),
        };
        let by_kept = signer(2).sign(KEYSET_KIND, "4", serde_json::to_string(&set).unwrap());
        assert_eq!(now.extend(&[by_kept]), (now.clone(), 1));
    }

    #[test]
    fn a_first_chain_must_start_self_signed_and_hold_together() {
        let good = chain(&[signer(1), signer(2)], &SEAL);
        assert!(KeySet::first(&good).is_ok());
        assert_eq!(KeySet::first(&[]), Err(VerifyError::BrokenChain));
        // Starting at the second link: not where a key history starts.
        assert_eq!(KeySet::first(&good[1..]), Err(VerifyError::BrokenChain));
        let mut tampered = good.clone();
        tampered[0].payload = tampered[0].payload.replace("\"v\":1", "\"v\":1 ");
        assert_eq!(KeySet::first(&tampered), Err(VerifyError::BrokenChain));
        // A kind other than a key set is not one.
        let not_a_set = signer(1).sign("alert", "1", good[0].payload.clone());
        assert_eq!(KeySet::first(&[not_a_set]), Err(VerifyError::Malformed));
    }
}
