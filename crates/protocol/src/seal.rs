//! Sealed boxes: records a volunteer's phone carries for a neighbour, readable by the platform
//! only.
//!
//! X25519 with a fresh key per box, the shared secret hashed with both public keys into an
//! AES-256-GCM key (SHA-256, domain-separated). The box is
//! `[version][ephemeral public key: 32][nonce: 12][ciphertext + tag: 16]`.
//! Randomness is the caller's: the phone takes it from `crypto.getRandomValues`, tests fix it.

use aes_gcm::aead::{Aead, KeyInit, Payload};
use aes_gcm::{Aes256Gcm, Nonce};
use sha2::{Digest, Sha256};
use x25519_dalek::{PublicKey, StaticSecret};

pub const SEAL_VERSION: u8 = 1;
const HEADER: usize = 1 + 32 + 12;
const AAD: &[u8] = b"linli/v1/seal";

/// Why a box could not be opened.
#[derive(Clone, Copy, Debug, PartialEq, Eq)]
pub enum SealError {
    /// Too short, or another version.
    Malformed,
    /// Not sealed to this key, or changed since.
    Unreadable,
}

impl std::fmt::Display for SealError {
    fn fmt(&self, f: &mut std::fmt::Formatter<'_>) -> std::fmt::Result {
        f.write_str(match self {
            SealError::Malformed => "not a sealed box",
            SealError::Unreadable => "cannot be opened with this key, or was changed",
        })
    }
}

fn cipher(shared: &[u8; 32], ephemeral: &[u8; 32], recipient: &[u8; 32]) -> Option<Aes256Gcm> {
    let mut h = Sha256::new();
    h.update(AAD);
    h.update(b"\n");
    h.update(shared);
    h.update(ephemeral);
    h.update(recipient);
    Aes256Gcm::new_from_slice(&h.finalize()).ok()
}

/// The public key of an X25519 secret.
pub fn public_key(secret: &[u8; 32]) -> [u8; 32] {
    PublicKey::from(&StaticSecret::from(*secret)).to_bytes()
}

/// Seals `plaintext` to `recipient`, with `ephemeral` (32 random bytes) and `nonce` (12
/// random bytes). `None` if the recipient key is a degenerate (low-order) point.
pub fn seal(
    recipient: &[u8; 32],
    ephemeral: [u8; 32],
    nonce: [u8; 12],
    plaintext: &[u8],
) -> Option<Vec<u8>> {
    let secret = StaticSecret::from(ephemeral);
    let eph_pk = PublicKey::from(&secret).to_bytes();
    let shared = secret.diffie_hellman(&PublicKey::from(*recipient));
    if !shared.was_contributory() {
        return None;
    }
    let sealed = cipher(shared.as_bytes(), &eph_pk, recipient)?
        .encrypt(
            Nonce::from_slice(&nonce),
            Payload {
                msg: plaintext,
                aad: AAD,
            },
        )
        .ok()?;
    let mut out = Vec::with_capacity(HEADER + sealed.len());
    out.push(SEAL_VERSION);
    out.extend_from_slice(&eph_pk);
    out.extend_from_slice(&nonce);
    out.extend_from_slice(&sealed);
    Some(out)
}

/// Opens a box sealed to the public key of `secret`.
pub fn open(secret: &[u8; 32], sealed: &[u8]) -> Result<Vec<u8>, SealError> {
    if sealed.len() < HEADER + 16 || sealed[0] != SEAL_VERSION {
        return Err(SealError::Malformed);
    }
    let mut eph_pk = [0u8; 32];
    eph_pk.copy_from_slice(&sealed[1..33]);
    let secret = StaticSecret::from(*secret);
    let recipient = PublicKey::from(&secret).to_bytes();
    let shared = secret.diffie_hellman(&PublicKey::from(eph_pk));
    if !shared.was_contributory() {
        return Err(SealError::Unreadable);
    }
    cipher(shared.as_bytes(), &eph_pk, &recipient)
        .ok_or(SealError::Unreadable)?
        .decrypt(
            Nonce::from_slice(&sealed[33..HEADER]),
            Payload {
                msg: &sealed[HEADER..],
                aad: AAD,
            },
        )
        .map_err(|_| SealError::Unreadable)
}

#[cfg(test)]
mod tests {
    use super::*;

    const PLATFORM: [u8; 32] = [42; 32];

    #[test]
    fn a_sealed_box_opens_with_the_platform_key_only() {
        let pk = public_key(&PLATFORM);
        let text = br#"{"token":"t","items":[{"id":"x","kind":"health_report"}]}"#;
        let boxed = seal(&pk, [7; 32], [3; 12], text).unwrap();
        assert_eq!(boxed.len(), HEADER + text.len() + 16);
        // Nothing of the plaintext shows through.
        assert!(!boxed.windows(5).any(|w| w == b"token"));
        assert_eq!(open(&PLATFORM, &boxed).unwrap(), text);
        assert_eq!(open(&[43; 32], &boxed), Err(SealError::Unreadable));
        // Two boxes of the same text differ when the randomness does.
        assert_ne!(seal(&pk, [8; 32], [3; 12], text).unwrap(), boxed);
    }

    #[test]
    fn a_changed_or_cut_box_is_refused() {
        let pk = public_key(&PLATFORM);
        let boxed = seal(&pk, [7; 32], [3; 12], b"hello neighbour").unwrap();
        for i in 0..boxed.len() {
            let mut bad = boxed.clone();
            bad[i] ^= 0x40;
            assert!(open(&PLATFORM, &bad).is_err(), "byte {i}");
        }
        assert_eq!(open(&PLATFORM, &boxed[..20]), Err(SealError::Malformed));
        assert_eq!(open(&PLATFORM, &[]), Err(SealError::Malformed));
        // A low-order recipient key is refused rather than sealed to a known secret.
        assert_eq!(seal(&[0; 32], [7; 32], [3; 12], b"x"), None);
    }
}
