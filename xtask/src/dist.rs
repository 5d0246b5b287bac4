//! `cargo xtask finish-dist`: the Trunk post_build step over the staged build.
//!
//! 1. Moves Trunk's inline module loader into a hashed file so the CSP needs no `'unsafe-inline'`.
//! 2. Writes the service worker's precache list (exactly the build output) and a content-hash
//!    version into `sw.js`.
//! 3. Precompresses every text/wasm asset (`.br`, `.gz`) for the platform to serve as is.
//!
//! Re-running it on a finished directory is safe: it recomputes the worker and the compressed
//! files from what is there (the e2e update test relies on this).

use anyhow::{bail, Context, Result};
use sha2::{Digest, Sha256};
use std::fs;
use std::io::Write;
use std::path::{Path, PathBuf};

/// Files that are never precached: the worker itself and compressed siblings.
fn is_precacheable(rel: &str) -> bool {
    rel != "sw.js" && !rel.ends_with(".br") && !rel.ends_with(".gz")
}

/// Finishes the build in `dir`.
pub fn finish(dir: &Path) -> Result<()> {
    let index_path = dir.join("index.html");
    let html = fs::read_to_string(&index_path)
        .with_context(|| format!("reading {}", index_path.display()))?;
    if let Some((html, name, script)) = extract_inline_loader(&html, "/")? {
        fs::write(dir.join(&name), script)?;
        fs::write(&index_path, html)?;
    }
    remove_compressed(dir)?;
    // The stylesheet keeps its comments in the source; the phone downloads it without them.
    let mut html = fs::read_to_string(&index_path)?;
    for entry in fs::read_dir(dir)? {
        let path = entry?.path();
        if path.extension().is_some_and(|e| e == "css") {
            let small = minify_css(&fs::read_to_string(&path)?);
            fs::write(&path, &small)?;
            if let Some(name) = path.file_name().and_then(|n| n.to_str()) {
                html = crate::split::renew_integrity(&html, name, small.as_bytes())?;
            }
        }
    }
    fs::write(&index_path, &html)?;
    let files = list_files(dir)?;
    let precache: Vec<String> = files
        .iter()
        .filter(|f| is_precacheable(f))
        .cloned()
        .collect();
    let version = content_version(dir, &precache)?;
    let sw_path = dir.join("sw.js");
    let sw =
        fs::read_to_string(&sw_path).with_context(|| format!("reading {}", sw_path.display()))?;
    fs::write(&sw_path, inject_worker(&sw, &version, &precache)?)?;
    for f in list_files(dir)? {
        if should_compress(&f) {
            compress(&dir.join(&f))?;
        }
    }
    println!(
        "finish-dist: {} files precached, version {version}",
        precache.len()
    );
    Ok(())
}

/// CSS without comments and with whitespace collapsed (none next to `{`, `}` and `;`); text in
/// quotes is kept as written. Conservative on purpose: selectors and values are not rewritten.
pub fn minify_css(css: &str) -> String {
    let mut out = String::with_capacity(css.len());
    let mut chars = css.chars().peekable();
    let mut space = false;
    while let Some(c) = chars.next() {
        match c {
            '"' | '\'' => {
                if space && !out.ends_with(['{', '}', ';']) && !out.is_empty() {
                    out.push(' ');
                }
                space = false;
                out.push(c);
                while let Some(d) = chars.next() {
                    out.push(d);
                    if d == '\\' {
                        if let Some(e) = chars.next() {
                            out.push(e);
                        }
                    } else if d == c {
                        break;
                    }
                }
            }
            '/' if chars.peek() == Some(&'*') => {
                chars.next();
                let mut last = ' ';
                for d in chars.by_ref() {
                    if last == '*' && d == '/' {
                        break;
                    }
                    last = d;
                }
                space = true;
            }
            c if c.is_whitespace() => space = true,
            '{' | '}' | ';' => {
                out.push(c);
                space = false;
            }
            c => {
                if space && !out.is_empty() && !out.ends_with(['{', '}', ';']) {
                    out.push(' ');
                }
                space = false;
                out.push(c);
            }
        }
    }
    // No space before a brace or semicolon either.
    out.replace(" {", "{").replace(" }", "}").replace(" ;", ";")
}

/// Finds Trunk's `<script type="module">…</script>` loader; returns the new html (the script
/// now loaded from `{base}{file}`), the file name for the script and its text. `None` when there
/// is no inline module script (already moved).
pub fn extract_inline_loader(html: &str, base: &str) -> Result<Option<(String, String, String)>> {
    let mut from = 0;
    while let Some(start) = html[from..].find("<script").map(|i| i + from) {
        let open_end = html[start..]
            .find('>')
            .map(|i| start + i + 1)
            .context("unterminated <script> tag")?;
        let tag = &html[start..open_end];
        let close = html[open_end..]
            .find("</script>")
            .map(|i| open_end + i)
            .context("no </script>")?;
        let is_inline_module = tag.contains("type=\"module\"") && !tag.contains("src=");
        if is_inline_module {
            let script = html[open_end..close].trim().to_owned();
            let hash = hex(&Sha256::digest(script.as_bytes()))[..16].to_owned();
            let name = format!("boot-{hash}.js");
            let replacement = format!("<script type=\"module\" src=\"{base}{name}\"></script>");
            let new_html = format!(
                "{}{}{}",
                &html[..start],
                replacement,
                &html[close + "</script>".len()..]
            );
            return Ok(Some((new_html, name, script + "\n")));
        }
        from = close;
    }
    Ok(None)
}

/// Rewrites the `const VERSION = …;` and `const PRECACHE = …;` lines of the worker.
pub fn inject_worker(sw: &str, version: &str, precache: &[String]) -> Result<String> {
    let urls: Vec<String> = std::iter::once("/".to_owned())
        .chain(precache.iter().map(|f| format!("/{f}")))
        .map(|u| format!("{u:?}"))
        .collect();
    let (mut saw_version, mut saw_precache) = (false, false);
    let mut out = String::with_capacity(sw.len() + urls.len() * 40);
    for line in sw.lines() {
        if line.starts_with("const VERSION = ") {
            saw_version = true;
            out.push_str(&format!("const VERSION = {version:?};"));
        } else if line.starts_with("const PRECACHE = ") {
            saw_precache = true;
            out.push_str(&format!("const PRECACHE = [{}];", urls.join(", ")));
        } else {
            out.push_str(line);
        }
        out.push('\n');
    }
    if !(saw_version && saw_precache) {
        bail!(
            "sw.js must have `const VERSION = …;` and `const PRECACHE = …;` each on its own line"
        );
    }
    Ok(out)
}

/// A short hash over the names and bytes of the precached files.
fn content_version(dir: &Path, files: &[String]) -> Result<String> {
    let mut h = Sha256::new();
    for f in files {
        h.update(f.as_bytes());
        h.update([0]);
        h.update(fs::read(dir.join(f))?);
    }
    Ok(hex(&h.finalize())[..16].to_owned())
}

pub fn should_compress(rel: &str) -> bool {
    [
        ".html",
        ".js",
        ".wasm",
        ".css",
        ".webmanifest",
        ".json",
        ".svg",
    ]
    .iter()
    .any(|e| rel.ends_with(e))
}

pub fn compress(path: &Path) -> Result<()> {
    let data = fs::read(path)?;
    let mut br = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut br, 4096, 11, 22);
        w.write_all(&data)?;
    }
    fs::write(with_suffix(path, ".br"), br)?;
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(&data)?;
    fs::write(with_suffix(path, ".gz"), gz.finish()?)?;
    Ok(())
}

pub fn remove_compressed(dir: &Path) -> Result<()> {
    for f in list_files(dir)? {
        if f.ends_with(".br") || f.ends_with(".gz") {
            fs::remove_file(dir.join(f))?;
        }
    }
    Ok(())
}

fn with_suffix(path: &Path, suffix: &str) -> PathBuf {
    let mut s = path.as_os_str().to_owned();
    s.push(suffix);
    PathBuf::from(s)
}

/// Every file under `dir`, as sorted `/`-separated relative paths.
pub fn list_files(dir: &Path) -> Result<Vec<String>> {
    fn walk(base: &Path, dir: &Path, out: &mut Vec<String>) -> Result<()> {
        for entry in fs::read_dir(dir).with_context(|| format!("listing {}", dir.display()))? {
            let path = entry?.path();
            if path.is_dir() {
                walk(base, &path, out)?;
            } else if let Ok(rel) = path.strip_prefix(base) {
                out.push(rel.to_string_lossy().replace('\\', "/"));
            }
        }
        Ok(())
    }
    let mut out = Vec::new();
    walk(dir, dir, &mut out)?;
    out.sort();
    Ok(out)
}

pub fn hex(bytes: &[u8]) -> String {
    bytes.iter().map(|b| format!("{b:02x}")).collect()
}

#[cfg(test)]
mod tests {
    use super::*;

    const TRUNK_HTML: &str = r#"<html><head><link rel="modulepreload" href="/linli-abc.js" crossorigin="anonymous" integrity="sha384-x"><script type="module" nonce="abc">
import init, * as bindings from '/linli-abc.js';
const wasm = await init({ module_or_path: '/linli-abc_bg.wasm' });
</script></head><body></body></html>"#;

    #[test]
    fn css_loses_comments_and_spacing_but_keeps_selectors_and_strings() {
        let css = "/* tokens */\n:root {\n  --font: system-ui, \"PingFang TC\";  /* x */\n}\n.a :focus > b , .c{ color : red ; }\n@media (prefers-color-scheme: dark) {\n  .d { content: \"a  /* b */\"; }\n}\n";
        assert_eq!(
            minify_css(css),
            ":root{--font: system-ui, \"PingFang TC\";}.a :focus > b , .c{color : red;}@media (prefers-color-scheme: dark){.d{content: \"a  /* b */\";}}"
        );
    }

    #[test]
    fn the_inline_loader_moves_to_a_hashed_file() {
        let (html, name, script) = extract_inline_loader(TRUNK_HTML, "/").unwrap().unwrap();
        assert!(
            name.starts_with("boot-")
                && name.ends_with(".js")
                && name.len() == "boot-.js".len() + 16
        );
        assert!(html.contains(&format!(
            "<script type=\"module\" src=\"/{name}\"></script>"
        )));
        assert!(!html.contains("import init"));
        assert!(!html.contains("nonce"));
        assert!(script.starts_with("import init"));
        // Once moved, there is nothing inline left to move.
        assert!(extract_inline_loader(&html, "/").unwrap().is_none());
    }

    #[test]
    fn the_worker_gets_the_list_and_version_and_can_be_rewritten() {
        let sw = "// x\nconst VERSION = \"dev\";\nconst PRECACHE = [];\nconst CACHE = \"linli-\" + VERSION;\n";
        let files = vec!["index.html".to_owned(), "linli-abc_bg.wasm".to_owned()];
        let once = inject_worker(sw, "v1", &files).unwrap();
        assert!(once.contains("const VERSION = \"v1\";"));
        assert!(once.contains("const PRECACHE = [\"/\", \"/index.html\", \"/linli-abc_bg.wasm\"];"));
        assert!(once.contains("const CACHE = \"linli-\" + VERSION;"));
        let twice = inject_worker(&once, "v2", &files).unwrap();
        assert!(twice.contains("const VERSION = \"v2\";") && !twice.contains("\"v1\""));
        assert!(inject_worker("const X = 1;", "v", &files).is_err());
    }

    #[test]
    fn finishing_a_directory_precaches_exactly_the_output_and_changes_version_with_content() {
        let dir = tempfile_dir();
        fs::write(dir.join("index.html"), TRUNK_HTML).unwrap();
        fs::write(dir.join("linli-abc.js"), "export default 1;").unwrap();
        fs::write(
            dir.join("sw.js"),
            "const VERSION = \"dev\";\nconst PRECACHE = [];\n",
        )
        .unwrap();
        fs::create_dir_all(dir.join("icons")).unwrap();
        fs::write(dir.join("icons/icon-192.png"), [0u8, 1, 2]).unwrap();
        finish(&dir).unwrap();
        let sw = fs::read_to_string(dir.join("sw.js")).unwrap();
        let boot = list_files(&dir)
            .unwrap()
            .into_iter()
            .find(|f| f.starts_with("boot-") && f.ends_with(".js"))
            .unwrap();
        assert!(sw.contains(&format!("\"/{boot}\"")), "{sw}");
        assert!(sw.contains("\"/icons/icon-192.png\""));
        assert!(!sw.contains("\"/sw.js\"") && !sw.contains(".br\""));
        assert!(dir.join("linli-abc.js.br").is_file() && dir.join("index.html.gz").is_file());
        let v1 = sw
            .lines()
            .find(|l| l.starts_with("const VERSION"))
            .unwrap()
            .to_owned();

        finish(&dir).unwrap();
        let same = fs::read_to_string(dir.join("sw.js")).unwrap();
        assert!(
            same.contains(&v1),
            "re-running on unchanged content keeps the version"
        );

        fs::write(dir.join("linli-abc.js"), "export default 2;").unwrap();
        finish(&dir).unwrap();
        let changed = fs::read_to_string(dir.join("sw.js")).unwrap();
        assert!(
            !changed.contains(&v1),
            "changed content gives a new version"
        );
        let br = fs::read(dir.join("linli-abc.js.br")).unwrap();
        let mut plain = Vec::new();
        brotli::BrotliDecompress(&mut &br[..], &mut plain).unwrap();
        assert_eq!(
            plain, b"export default 2;",
            "compressed siblings follow the content"
        );
        fs::remove_dir_all(&dir).unwrap();
    }

    fn tempfile_dir() -> PathBuf {
        let dir = std::env::temp_dir().join(format!(
            "linli-xtask-test-{}-{:?}",
            std::process::id(),
            std::thread::current().id()
        ));
        let _ = fs::remove_dir_all(&dir);
        fs::create_dir_all(&dir).unwrap();
        dir
    }
}
