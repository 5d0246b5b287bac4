//! Private key files (the VAPID key, the content-signing keys): created on first start,
//! readable by this user only, written atomically; never in the database or the API.

use anyhow::Context;
use std::path::Path;

/// The file's text, trimmed; on first start `make()`'s text is written (mode 0600) and
/// returned. `flag` names the option in errors (`--vapid-key path`).
pub fn read_or_create(
    path: &Path,
    flag: &str,
    make: impl FnOnce() -> String,
) -> anyhow::Result<String> {
    let what = || format!("{flag} {}", path.display());
    match std::fs::read_to_string(path) {
        Ok(s) => {
            #[cfg(unix)]
            {
                use std::os::unix::fs::PermissionsExt;
                let mode = std::fs::metadata(path)
                    .with_context(what)?
                    .permissions()
                    .mode();
                if mode & 0o077 != 0 {
                    tracing::warn!(file = %path.display(), "a private key file is readable by other users; chmod 600 it");
                }
            }
            Ok(s.trim().to_owned())
        }
        Err(e) if e.kind() == std::io::ErrorKind::NotFound => {
            let text = make();
            if let Some(dir) = path.parent().filter(|d| !d.as_os_str().is_empty()) {
                std::fs::create_dir_all(dir).with_context(what)?;
            }
            write_private(path, &text).with_context(what)?;
            Ok(text)
        }
        Err(e) => Err(e).with_context(what),
    }
}

/// Writes `contents` to a private temporary file beside `path` and renames it into place, so a
/// crash never leaves a half-written key behind.
#[cfg(unix)]
pub fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    use std::io::Write;
    use std::os::unix::fs::OpenOptionsExt;
    let tmp = path.with_extension("tmp");
    let _ = std::fs::remove_file(&tmp);
    let mut f = std::fs::OpenOptions::new()
        .write(true)
        .create_new(true)
        .mode(0o600)
        .open(&tmp)?;
    f.write_all(contents.as_bytes())?;
    f.sync_all()?;
    std::fs::rename(&tmp, path)
}

#[cfg(not(unix))]
pub fn write_private(path: &Path, contents: &str) -> std::io::Result<()> {
    std::fs::write(path, contents)
}
