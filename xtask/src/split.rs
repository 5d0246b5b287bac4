//! Code splitting of the PWA's wasm, run by `finish-dist` on Trunk's staged build.
//!
//! The app marks every screen but Home and the check-in tab as a split point
//! (`wasm_split` in `src/app.rs`). Splitting must happen between the linker and wasm-bindgen,
//! which Trunk 0.21 has no stage for, so this step redoes Trunk's last two steps itself:
//!
//! 1. `wasm_split_cli_support` splits the linked wasm (built with `--emit-relocs`, see
//!    `.cargo/config.toml`) into the main module, one module per split point and the shared
//!    chunks, plus a JS link module that loads them on first use;
//! 2. wasm-bindgen (`--keep-lld-exports`: the chunks import the table, memory and stack pointer
//!    from the main module) and, in release builds, `wasm-opt -Oz` over every module;
//! 3. the results replace Trunk's glue and wasm under Trunk's names; the link module and chunks
//!    get content-hashed names (immutable caching, and an old page never loads a new chunk),
//!    index.html's integrity hashes are renewed and the link module is preloaded.
//!
//! A directory that was already split (it has a link module) is left alone, so re-running
//! `finish-dist` is safe.

use crate::sh::{run, Cmd};
use anyhow::{bail, Context, Result};
use base64::Engine;
use sha2::{Digest, Sha256, Sha384};
use std::fs;
use std::path::{Path, PathBuf};

/// Features the wasm uses (Rust's wasm32 defaults); wasm-opt must be told.
const WASM_FEATURES: [&str; 6] = [
    "--enable-bulk-memory",
    "--enable-nontrapping-float-to-int",
    "--enable-sign-ext",
    "--enable-mutable-globals",
    "--enable-reference-types",
    "--enable-multivalue",
];

/// Which chunk serves which route: the app's own table, so the loader's preloads cannot drift
/// from the router. The build fails when a split point has no route or a route names no split
/// point.
#[path = "../../src/chunks.rs"]
#[allow(dead_code)] // the router's half of the module is the app's
mod chunks;
use chunks::ROUTES;

/// Splits the build staged in `dir`.
pub fn apply(root: &Path, dir: &Path) -> Result<()> {
    let files = crate::dist::list_files(dir)?;
    if files.iter().any(|f| f.starts_with("__wasm_split")) {
        return Ok(());
    }
    let Some(glue) = files
        .iter()
        .find(|f| f.starts_with("linli-") && f.ends_with(".js"))
        .map(|f| f.trim_end_matches(".js").to_owned())
    else {
        bail!("split: no linli-*.js in {}", dir.display());
    };
    let release = std::env::var("TRUNK_PROFILE").map_or(true, |p| p == "release");
    let profile = if release { "release" } else { "debug" };
    let target = crate::target_dir(root);
    let linked = target.join(format!("wasm32-unknown-unknown/{profile}/linli.wasm"));
    let input =
        fs::read(&linked).with_context(|| format!("split: reading {}", linked.display()))?;

    let work = target.join("wasm-split");
    if work.exists() {
        fs::remove_dir_all(&work)?;
    }
    fs::create_dir_all(&work)?;
    let main_wasm = work.join("main.wasm");
    let main_module = format!("/{glue}.js");
    let mut opts = wasm_split_cli_support::Options::new(&input);
    opts.output_dir = &work;
    opts.main_out_path = &main_wasm;
    opts.link_name = "./__wasm_split.js";
    opts.main_module = &main_module;
    let split =
        wasm_split_cli_support::transform(opts).map_err(|e| anyhow::anyhow!("split: {e:#}"))?;

    let bindgen = work.join("bindgen");
    run(Cmd::new("wasm-bindgen")
        .args([
            "--target",
            "web",
            "--no-typescript",
            "--keep-lld-exports",
            "--out-name",
        ])
        .arg(&glue)
        .arg("--out-dir")
        .arg(&bindgen)
        .arg(&main_wasm))?;
    let main_out = bindgen.join(format!("{glue}_bg.wasm"));
    if release {
        optimize(&main_out, false)?;
        for chunk in &split.split_modules {
            optimize(chunk, true)?;
        }
    }

    // Chunks under content-hashed names, referenced by the link module.
    let mut link = fs::read_to_string(work.join("__wasm_split.js"))?;
    let mut hashed_names = std::collections::HashMap::new();
    for chunk in &split.split_modules {
        let stem = file_stem(chunk)?;
        let data = fs::read(chunk)?;
        let hashed = format!("{stem}-{}.wasm", short_hash(&data));
        link = link.replace(&format!("\"./{stem}.wasm\""), &format!("\"./{hashed}\""));
        fs::write(dir.join(&hashed), data)?;
        hashed_names.insert(stem, hashed);
    }
    let route_preload = route_preload_script(&split.prefetch_map, &hashed_names)?;

    let (wasm, js) = crate::import_names::shorten(
        &fs::read(&main_out)?,
        &fs::read_to_string(bindgen.join(format!("{glue}.js")))?,
        &format!("./{glue}_bg.js"),
    )?;
    let js = wasm_beside_glue(&js, &glue)?;
    // Trunk named the glue and wasm after what it built, before this step rewrote both: they
    // are renamed after what ships, so an immutable cached copy is never the wrong one. The
    // glue and the link module import each other, so one name covers the three files.
    let stem = format!(
        "linli-{}",
        short_hash(&[wasm.as_slice(), js.as_bytes(), link.as_bytes()].concat())
    );
    let import_main = format!("from \"{main_module}\"");
    if !link.contains(&import_main) {
        bail!("split: the link module does not import {main_module}");
    }
    let link = link.replace(&import_main, &format!("from \"/{stem}.js\""));
    let link_name = format!("__wasm_split-{}.js", short_hash(link.as_bytes()));
    fs::write(dir.join(&link_name), &link)?;
    // The module specifier changes; the wasm's import module name (the keys of the imports
    // object) stays `./__wasm_split.js`.
    let js = js.replace(
        "from \"./__wasm_split.js\"",
        &format!("from \"/{link_name}\""),
    );
    fs::remove_file(dir.join(format!("{glue}.js")))?;
    fs::remove_file(dir.join(format!("{glue}_bg.wasm")))?;
    fs::write(dir.join(format!("{stem}.js")), &js)?;
    fs::write(dir.join(format!("{stem}_bg.wasm")), wasm)?;

    let index_path = dir.join("index.html");
    let mut html = fs::read_to_string(&index_path)?.replace(&glue, &stem);
    for name in [format!("{stem}.js"), format!("{stem}_bg.wasm")] {
        html = renew_integrity(&html, &name, &fs::read(dir.join(&name))?)?;
    }
    let preload =
        format!("<link rel=\"modulepreload\" href=\"/{link_name}\" crossorigin=\"anonymous\">");
    html = html.replacen("</head>", &format!("{preload}</head>"), 1);
    fs::write(&index_path, into_loader(&html, &route_preload)?)?;
    println!(
        "split: main module and {} chunks; link module {link_name}",
        split.split_modules.len()
    );
    Ok(())
}

/// Puts the storage warm-up at the start of Trunk's inline loader (moved into boot-….js by
/// finish-dist) and the chunk preloads right after its `await init(…);`, when the main module
/// is instantiated.
fn into_loader(html: &str, route_preload: &str) -> Result<String> {
    let Some(at) = html.find("<script type=\"module\"") else {
        bail!("split: no inline module loader in index.html");
    };
    let open_end = html[at..]
        .find('>')
        .map(|i| at + i + 1)
        .context("split: bad <script>")?;
    let close = html[open_end..]
        .find("</script>")
        .map(|i| open_end + i)
        .context("split: the inline loader is not closed")?;
    let instantiated = html[open_end..close]
        .find("await init(")
        .and_then(|i| {
            html[open_end + i..close]
                .find(");")
                .map(|j| open_end + i + j + 2)
        })
        .context("split: the inline loader does not `await init(…);`")?;
    Ok(format!(
        "{}\n{STORAGE_WARM_UP}\n{}\n{route_preload}\n{}",
        &html[..open_end],
        &html[open_end..instantiated],
        &html[instantiated..]
    ))
}

/// JS for the loader's start: touches `localStorage` (the settings the app reads when it
/// mounts). Chromium loads a page's storage area on first use with a synchronous call to the
/// browser process, which took 8–16 ms of the mount task in profiles of a first visit; here it
/// happens while the wasm is still downloading.
const STORAGE_WARM_UP: &str = "try{localStorage.length}catch(_){}";

/// JS for the loader, run once the main module is instantiated: a deep link to a split screen
/// starts fetching that screen's chunks (`<link rel=preload>`) then, while the app mounts its
/// shell, instead of after the mount. Not earlier, by reasoning rather than a measured gain:
/// chunks fetched alongside the main module share the link with it, and everything the screen
/// needs waits for the main module (in Lighthouse neither way moved the medians; BENCHMARKS.md).
fn route_preload_script(
    prefetch: &std::collections::HashMap<String, Vec<String>>,
    hashed: &std::collections::HashMap<String, String>,
) -> Result<String> {
    let mut files = serde_json::Map::new();
    for (split, stems) in prefetch {
        if !ROUTES.iter().any(|(_, _, s)| s == split) {
            bail!("split: split point `{split}` has no route in src/chunks.rs ROUTES");
        }
        let names: Vec<serde_json::Value> = stems
            .iter()
            .filter_map(|stem| hashed.get(stem).cloned().map(serde_json::Value::from))
            .collect();
        files.insert(split.clone(), names.into());
    }
    for (_, _, split) in ROUTES {
        if !prefetch.contains_key(split) {
            bail!("split: ROUTES names `{split}`, which is not a split point of the app");
        }
    }
    let routes: Vec<serde_json::Value> = ROUTES
        .iter()
        .map(|(seg, min, split)| serde_json::json!([seg, min, split]))
        .collect();
    Ok(format!(
        "{{const f={},r={};const s=location.pathname.split(\"/\").filter(Boolean);\
         const e=r.find(([p,n])=>s[0]===p&&s.length>=n);\
         if(e)for(const n of f[e[2]]){{const l=document.createElement(\"link\");\
         l.rel=\"preload\";l.as=\"fetch\";l.crossOrigin=\"anonymous\";l.href=\"/\"+n;\
         document.head.append(l)}}}}",
        serde_json::Value::Object(files),
        serde_json::Value::from(routes),
    ))
}

pub fn optimize(wasm: &Path, strip: bool) -> Result<()> {
    let mut cmd = Cmd::new("wasm-opt").args(WASM_FEATURES).arg("-Oz");
    // `LINLI_WASM_NAMES=1 trunk build --release --dist /tmp/x` keeps the function names, for
    // CPU profiles of the optimized build (how BENCHMARKS.md's profiles were taken). Never
    // for a build that ships: the names cost bytes.
    if std::env::var_os("LINLI_WASM_NAMES").is_some() {
        cmd = cmd.arg("-g");
    }
    if strip {
        cmd = cmd.args(["--strip-debug", "--strip-producers"]);
    }
    run(cmd.arg(wasm).arg("-o").arg(wasm))
}

fn file_stem(path: &Path) -> Result<String> {
    path.file_stem()
        .and_then(|s| s.to_str())
        .map(str::to_owned)
        .with_context(|| format!("split: odd chunk name {}", PathBuf::from(path).display()))
}

/// The glue's own fallback for where its wasm is (used only by an `init()` without a path)
/// names wasm-bindgen's output file, `{bindgen_stem}_bg.wasm`, which the build renames: it
/// follows the glue's own name instead, whatever that becomes.
pub fn wasm_beside_glue(js: &str, bindgen_stem: &str) -> Result<String> {
    let fallback = format!("new URL('{bindgen_stem}_bg.wasm', import.meta.url)");
    if js.matches(&fallback).count() != 1 {
        bail!("the glue does not locate its wasm as `{fallback}`");
    }
    Ok(js.replace(
        &fallback,
        "new URL(import.meta.url.replace(/\\.js$/, '_bg.wasm'))",
    ))
}

pub fn short_hash(data: &[u8]) -> String {
    crate::dist::hex(&Sha256::digest(data))[..16].to_owned()
}

/// Replaces the `integrity="sha384-…"` of the tag that references `/name` with the file's
/// new hash (Trunk computed it for the file this step replaced).
pub fn renew_integrity(html: &str, name: &str, data: &[u8]) -> Result<String> {
    let href = format!("href=\"/{name}\"");
    let Some(at) = html.find(&href) else {
        return Ok(html.to_owned());
    };
    let tag_end = html[at..]
        .find('>')
        .map(|i| at + i)
        .context("unterminated tag")?;
    let tag_start = html[..at].rfind('<').context("no tag start")?;
    let tag = &html[tag_start..tag_end];
    let Some(i) = tag.find("integrity=\"") else {
        return Ok(html.to_owned());
    };
    let value_start = tag_start + i + "integrity=\"".len();
    let value_end = html[value_start..]
        .find('"')
        .map(|j| value_start + j)
        .context("unterminated integrity")?;
    let digest = base64::engine::general_purpose::STANDARD.encode(Sha384::digest(data));
    Ok(format!(
        "{}sha384-{digest}{}",
        &html[..value_start],
        &html[value_end..]
    ))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn the_warm_up_starts_the_loader_and_the_preloads_follow_the_instantiation() {
        let html = "<head><script type=\"module\">\nimport init from '/a.js';\nconst wasm = await init({ module_or_path: '/a_bg.wasm' });\nwindow.x = 1;\n</script></head>";
        let out = into_loader(html, "PRELOADS").unwrap();
        let warm = out.find(STORAGE_WARM_UP).unwrap();
        let import = out.find("import init").unwrap();
        let init = out.find("await init(").unwrap();
        let preloads = out.find("PRELOADS").unwrap();
        let after = out.find("window.x").unwrap();
        assert!(
            warm < import && import < init && init < preloads && preloads < after,
            "{out}"
        );
        assert!(out.ends_with("</script></head>"), "{out}");
        // A loader that does not instantiate the app, or an `await init(` outside it, is refused.
        assert!(into_loader("<script type=\"module\">go()</script>", "P").is_err());
        assert!(into_loader(
            "<script type=\"module\">go()</script><p>await init(x);</p>",
            "P"
        )
        .is_err());
        assert!(into_loader("<p>no loader</p>", "P").is_err());
    }

    #[test]
    fn integrity_of_the_named_file_is_renewed_and_others_kept() {
        let html = r#"<link rel="modulepreload" href="/a.js" crossorigin="anonymous" integrity="sha384-OLD"><link rel="preload" href="/b.wasm" integrity="sha384-KEEP" as="fetch">"#;
        let out = renew_integrity(html, "a.js", b"abc").unwrap();
        let want = base64::engine::general_purpose::STANDARD.encode(Sha384::digest(b"abc"));
        assert!(out.contains(&format!(
            "href=\"/a.js\" crossorigin=\"anonymous\" integrity=\"sha384-{want}\""
        )));
        assert!(out.contains("integrity=\"sha384-KEEP\""));
        assert_eq!(renew_integrity(html, "missing.js", b"x").unwrap(), html);
    }
}
