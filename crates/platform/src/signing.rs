//! The community's signing keys: everything the platform publishes is signed (Ed25519, over the
//! exact bytes sent) so phones can pass it on to each other during an outage and still tell it
//! is official; and the X25519 key phones seal relayed records to.
//!
//! The keys live in a file of their own (`--signing-key`, default `signing.key` beside the
//! database), created on first start, mode 0600: one `seal` line and one `sign` line per key
//! in the order made — the last one signs. `linli-platform rotate-signing-key` appends a key;
//! phones take it because the new key set is signed by the key before (see
//! `linli_protocol::signing`).

use anyhow::{bail, Context};
use base64::Engine;
use linli_protocol::pushed::SealedRecords;
use linli_protocol::seal;
use linli_protocol::signing::signer::{chain, Signer};
use linli_protocol::signing::{Envelope, PublicKey};
use linli_protocol::sync::{ChangeOp, PullResponse};
use std::path::Path;

const B64: base64::engine::GeneralPurpose = base64::engine::general_purpose::URL_SAFE_NO_PAD;
const FLAG: &str = "--signing-key";
const HEADER: &str =
    "# Linli signing keys: private; back up with the database. The last `sign` line signs.";

/// The signing keys (oldest first), the sealing key, and the key history phones are sent.
pub struct Keys {
    signers: Vec<Signer>,
    seal_secret: [u8; 32],
    chain: Vec<Envelope>,
}

fn random_key() -> String {
    B64.encode(rand::random::<[u8; 32]>())
}

impl Keys {
    /// Reads the key file, creating it on first start.
    pub fn load_or_create(path: &Path) -> anyhow::Result<Keys> {
        let text = crate::keyfile::read_or_create(path, FLAG, || {
            format!("{HEADER}\nseal {}\nsign {}\n", random_key(), random_key())
        })?;
        Keys::parse(&text).with_context(|| format!("{FLAG} {}", path.display()))
    }

    /// Adds a new signing key to the file (it signs from the next start) and returns it.
    pub fn rotate(path: &Path) -> anyhow::Result<PublicKey> {
        let text = std::fs::read_to_string(path)
            .with_context(|| format!("{FLAG} {}: cannot read it", path.display()))?;
        Keys::parse(&text).with_context(|| format!("{FLAG} {}", path.display()))?;
        let text = format!("{}\nsign {}\n", text.trim_end(), random_key());
        let keys = Keys::parse(&text)?;
        crate::keyfile::write_private(path, &text)
            .with_context(|| format!("{FLAG} {}", path.display()))?;
        Ok(keys.current().public())
    }

    /// Keys that are not kept (in-process tests).
    pub fn ephemeral() -> Keys {
        let text = format!("seal {}\nsign {}\n", random_key(), random_key());
        // Freshly made keys always read back.
        Keys::parse(&text).unwrap_or_else(|e| panic!("new signing keys: {e}"))
    }

    fn parse(text: &str) -> anyhow::Result<Keys> {
        let key = |line: usize, b64: &str| -> anyhow::Result<[u8; 32]> {
            B64.decode(b64.trim())
                .ok()
                .and_then(|k| k.try_into().ok())
                .with_context(|| format!("line {line}: not a 32-byte base64url key"))
        };
        let mut signers = Vec::new();
        let mut seal_secret = None;
        for (i, line) in text.lines().enumerate() {
            let line = line.trim();
            if line.is_empty() || line.starts_with('#') {
                continue;
            }
            match line.split_once(' ') {
                Some(("sign", k)) => signers.push(Signer::from_seed(&key(i + 1, k)?)),
                Some(("seal", k)) if seal_secret.is_none() => seal_secret = Some(key(i + 1, k)?),
                _ => bail!("line {}: expected `sign <key>` or one `seal <key>`", i + 1),
            }
        }
        let Some(seal_secret) = seal_secret else {
            bail!("no `seal` key");
        };
        if signers.is_empty() {
            bail!("no `sign` key");
        }
        let chain = chain(&signers, &seal::public_key(&seal_secret));
        Ok(Keys {
            signers,
            seal_secret,
            chain,
        })
    }

    fn current(&self) -> &Signer {
        // `parse` refuses a file without a signing key.
        &self.signers[self.signers.len() - 1]
    }

    /// The key history phones trust keys through.
    pub fn chain(&self) -> &[Envelope] {
        &self.chain
    }

    /// Signs `payload`, the exact JSON text sent, as item `id` of `kind`.
    pub fn sign(&self, kind: &str, id: &str, payload: String) -> Envelope {
        self.current().sign(kind, id, payload)
    }

    /// Adds signatures to a pull page: every public item it carries.
    pub fn sign_page(&self, page: &mut PullResponse) {
        for c in &mut page.changes {
            if !c.kind.is_public() || c.op != ChangeOp::Upsert {
                continue;
            }
            if let Some(body) = &c.body {
                let payload = serde_json::to_string(body).unwrap_or_default();
                c.signed = Some(self.sign(c.kind.as_str(), &c.id, payload));
            }
        }
    }

    /// Opens a box of records a phone sealed to this platform (base64url); `None` if it was not
    /// sealed to this key, was changed, or does not hold records.
    pub fn open_records(&self, sealed_b64: &str) -> Option<SealedRecords> {
        linli_protocol::carry::open_records(&self.seal_secret, sealed_b64)
    }
}

#[cfg(test)]
mod tests {
    use super::*;
    use linli_protocol::signing::KeySet;

    #[test]
    fn the_key_file_is_created_private_read_back_and_rotated() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("keys/signing.key");
        let first = Keys::load_or_create(&path).unwrap();
        let again = Keys::load_or_create(&path).unwrap();
        assert_eq!(first.chain(), again.chain());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
        let phone = KeySet::first(first.chain()).unwrap();
        let item = first.sign("alert", "a1", "{}".into());
        assert!(phone.verify(&item).is_ok());

        let new = Keys::rotate(&path).unwrap();
        let rotated = Keys::load_or_create(&path).unwrap();
        assert_eq!(rotated.chain().len(), 2);
        let signed = rotated.sign("alert", "a1", "{}".into());
        assert_eq!(signed.kid, new.kid);
        // A phone that knew the first key learns the second through the signed key set.
        let (learnt, refused) = phone.extend(rotated.chain());
        assert_eq!(refused, 0);
        assert!(learnt.verify(&signed).is_ok());
        assert_eq!(
            phone.verify(&signed),
            Err(linli_protocol::signing::VerifyError::UnknownKey)
        );
        // The sealing key did not change.
        assert_eq!(learnt.seal_key(), phone.seal_key());
        #[cfg(unix)]
        {
            use std::os::unix::fs::PermissionsExt;
            let mode = std::fs::metadata(&path).unwrap().permissions().mode();
            assert_eq!(mode & 0o777, 0o600);
        }
    }

    #[test]
    fn a_damaged_key_file_is_refused_naming_the_option_and_line() {
        let dir = tempfile::tempdir().unwrap();
        let path = dir.path().join("signing.key");
        std::fs::write(&path, "seal AAAA\nsign x\n").unwrap();
        let err = format!("{:#}", Keys::load_or_create(&path).err().unwrap());
        assert!(err.starts_with("--signing-key "), "{err}");
        assert!(err.contains("line 1"), "{err}");
        std::fs::write(&path, format!("seal {}\n", random_key())).unwrap();
        let err = format!("{:#}", Keys::load_or_create(&path).err().unwrap());
        assert!(err.contains("no `sign` key"), "{err}");
    }

    #[test]
    fn a_box_sealed_to_the_published_key_opens() {
        let keys = Keys::ephemeral();
        let trusted = KeySet::first(keys.chain()).unwrap();
        let bundle =
            linli_protocol::carry::seal_records(&trusted, "t", vec![], [1; 32], [2; 12]).unwrap();
        let linli_protocol::carry::Bundle::Records { sealed, .. } = bundle else {
            panic!("records")
        };
        assert_eq!(keys.open_records(&sealed).unwrap().token, "t");
        assert!(Keys::ephemeral().open_records(&sealed).is_none());
    }
}
