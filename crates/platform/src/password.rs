//! Password hashing for staff accounts (argon2id, PHC string format).

use argon2::password_hash::{
    rand_core::OsRng, PasswordHash, PasswordHasher, PasswordVerifier, SaltString,
};
use argon2::Argon2;
use rand::distributions::{Alphanumeric, DistString};

/// Hashes a password with a fresh random salt.
pub fn hash(password: &str) -> anyhow::Result<String> {
    let salt = SaltString::generate(&mut OsRng);
    Argon2::default()
        .hash_password(password.as_bytes(), &salt)
        .map(|h| h.to_string())
        .map_err(|e| anyhow::anyhow!("hashing password: {e}"))
}

/// Checks a password against a stored hash; a malformed hash never matches.
pub fn verify(password: &str, stored: &str) -> bool {
    PasswordHash::new(stored)
        .map(|h| {
            Argon2::default()
                .verify_password(password.as_bytes(), &h)
                .is_ok()
        })
        .unwrap_or(false)
}

/// Checks a password against a stored hash, or — for an unknown user (`None`) — against a
/// fixed dummy hash, so that an unknown username takes as long as a wrong password and sign-in
/// time does not tell which usernames exist. Always `false` for `None`.
pub fn verify_or_dummy(password: &str, stored: Option<&str>) -> bool {
    static DUMMY: std::sync::OnceLock<String> = std::sync::OnceLock::new();
    match stored {
        Some(h) => verify(password, h),
        None => {
            let dummy =
                DUMMY.get_or_init(|| hash("no such user, no such password").unwrap_or_default());
            let _ = verify(password, dummy);
            false
        }
    }
}

/// A random password for generated accounts: 20 alphanumerics (~119 bits).
pub fn generate() -> String {
    Alphanumeric.sample_string(&mut rand::thread_rng(), 20)
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn hashes_verify_only_the_right_password_and_are_salted() {
        let h = hash("correct horse").unwrap();
        assert!(h.starts_with("$argon2id$"));
        assert!(verify("correct horse", &h));
        assert!(!verify("wrong horse", &h));
        assert_ne!(h, hash("correct horse").unwrap());
        assert!(!verify("x", "not a hash"));
        assert_ne!(generate(), generate());
        assert!(verify_or_dummy("correct horse", Some(&h)));
        assert!(!verify_or_dummy("correct horse", None));
    }
}
