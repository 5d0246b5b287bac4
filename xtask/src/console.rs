//! The staff console's build: `trunk build --release` in `crates/console` writes `dist/console/`
//! (served by the platform at `/console/`); its Trunk hook, `cargo xtask finish-console`,
//! optimizes the wasm (`wasm-opt -Oz`, debug info stripped), gives its imports short names and
//! renews the integrity hashes, moves the inline loader into a hashed file (the CSP allows no
//! inline script), and precompresses.
//! The console has no service worker: it is an online desk, not the offline phone app.

use crate::{dist, import_names, split};
use anyhow::{Context, Result};
use std::fs;
use std::path::Path;

/// Where the console is served.
pub const BASE: &str = "/console/";

/// Finishes the console build staged in `dir`.
pub fn finish(dir: &Path) -> Result<()> {
    let index = dir.join("index.html");
    let mut html =
        fs::read_to_string(&index).with_context(|| format!("reading {}", index.display()))?;
    dist::remove_compressed(dir)?;
    // Trunk's inline loader still in index.html means a fresh build; a finished directory keeps
    // its module as it is (its imports and files were renamed, which cannot be done twice).
    if dist::extract_inline_loader(&html, BASE)?.is_some() {
        for f in dist::list_files(dir)? {
            if let Some(stem) = f.strip_suffix("_bg.wasm") {
                html = finish_module(dir, stem, &html)?;
            }
        }
    }
    if let Some((new_html, name, script)) = dist::extract_inline_loader(&html, BASE)? {
        fs::write(dir.join(&name), script)?;
        html = new_html;
    }
    fs::write(&index, html)?;
    for f in dist::list_files(dir)? {
        if dist::should_compress(&f) {
            dist::compress(&dir.join(&f))?;
        }
    }
    println!("finish-console: {}", dir.display());
    Ok(())
}

/// Optimizes Trunk's `{stem}_bg.wasm` and `{stem}.js`, gives the imports short names and
/// renames both after what ships; returns `html` loading them under their new names.
fn finish_module(dir: &Path, stem: &str, html: &str) -> Result<String> {
    let (wasm_name, glue_name) = (format!("{stem}_bg.wasm"), format!("{stem}.js"));
    for name in [&wasm_name, &glue_name] {
        if !html.contains(&format!("{BASE}{name}\"")) {
            anyhow::bail!("finish-console: index.html does not load {BASE}{name}");
        }
    }
    let (wasm_path, glue_path) = (dir.join(&wasm_name), dir.join(&glue_name));
    // The workspace links wasm with `--emit-relocs` for the phone app's splitter; the console
    // is not split, so its relocation sections (most of its bytes) go.
    fs::write(&wasm_path, strip_link_sections(&fs::read(&wasm_path)?)?)?;
    split::optimize(&wasm_path, true)?;
    // Short import names, as in the phone app (see `import_names`).
    let glue = fs::read_to_string(&glue_path)
        .with_context(|| format!("reading {}", glue_path.display()))?;
    let module = glue_module(&glue)?;
    let (wasm, glue) = import_names::shorten(&fs::read(&wasm_path)?, &glue, &module)?;
    let bindgen_stem = module
        .trim_start_matches("./")
        .trim_end_matches("_bg.js")
        .to_owned();
    let glue = split::wasm_beside_glue(&glue, &bindgen_stem)?;
    // Trunk named both files after what it built, before this step rewrote them; they are
    // served as immutable, so they are renamed after what ships (a cached old glue must never
    // meet a new wasm under the same name).
    let shipped = format!(
        "linli-console-{}",
        split::short_hash(&[wasm.as_slice(), glue.as_bytes()].concat())
    );
    let (new_wasm, new_glue) = (format!("{shipped}_bg.wasm"), format!("{shipped}.js"));
    fs::write(dir.join(&new_wasm), &wasm)?;
    fs::write(dir.join(&new_glue), &glue)?;
    fs::remove_file(&wasm_path)?;
    fs::remove_file(&glue_path)?;
    let mut html = html
        .replace(
            &format!("{BASE}{wasm_name}\""),
            &format!("{BASE}{new_wasm}\""),
        )
        .replace(
            &format!("{BASE}{glue_name}\""),
            &format!("{BASE}{new_glue}\""),
        )
        .replace(
            &format!("{BASE}{wasm_name}'"),
            &format!("{BASE}{new_wasm}'"),
        )
        .replace(
            &format!("{BASE}{glue_name}'"),
            &format!("{BASE}{new_glue}'"),
        );
    if html.contains(stem) {
        anyhow::bail!("finish-console: index.html still names {stem} after the rename");
    }
    let served = |name: &str| format!("{}{name}", BASE.trim_start_matches('/'));
    html = split::renew_integrity(&html, &served(&new_wasm), &wasm)?;
    split::renew_integrity(&html, &served(&new_glue), glue.as_bytes())
}

/// The import module name wasm-bindgen gave the glue (`./linli-console_bg.js`), as the glue's
/// imports object names it: exactly one `"./…_bg.js"` key.
fn glue_module(glue: &str) -> Result<String> {
    let names: Vec<&str> = glue
        .match_indices("\"./")
        .filter_map(|(at, _)| {
            let rest = &glue[at + 1..];
            rest.find('"').map(|end| &rest[..end])
        })
        .filter(|name| name.ends_with("_bg.js"))
        .collect();
    match names.as_slice() {
        [name] => Ok((*name).to_owned()),
        _ => anyhow::bail!(
            "finish-console: the glue names {} `./…_bg.js` modules, not one",
            names.len()
        ),
    }
}

/// Custom sections only a linker or splitter reads: `linking`, `reloc.*`, and the splitter's own.
fn is_link_section(name: &str) -> bool {
    name == "linking" || name.starts_with("reloc.") || name.starts_with("__wasm_split")
}

/// The module without its link-time custom sections; every other section byte for byte.
pub fn strip_link_sections(wasm: &[u8]) -> Result<Vec<u8>> {
    fn leb(b: &[u8], mut i: usize) -> Result<(usize, usize)> {
        let (mut v, mut shift) = (0usize, 0);
        loop {
            let byte = *b.get(i).context("wasm: truncated LEB128")?;
            i += 1;
            v |= usize::from(byte & 0x7f) << shift;
            shift += 7;
            if byte < 0x80 {
                return Ok((v, i));
            }
            anyhow::ensure!(shift < 35, "wasm: LEB128 too long");
        }
    }
    anyhow::ensure!(
        wasm.len() >= 8 && &wasm[..4] == b"\0asm",
        "not a wasm module"
    );
    let mut out = wasm[..8].to_vec();
    let mut i = 8;
    while i < wasm.len() {
        let start = i;
        let id = wasm[i];
        let (size, body) = leb(wasm, i + 1)?;
        let end = body
            .checked_add(size)
            .filter(|e| *e <= wasm.len())
            .context("wasm: section past the end")?;
        let keep = if id == 0 {
            let (n, name_at) = leb(wasm, body)?;
            let name = wasm
                .get(name_at..name_at + n)
                .context("wasm: bad section name")?;
            !is_link_section(std::str::from_utf8(name).unwrap_or(""))
        } else {
            true
        };
        if keep {
            out.extend_from_slice(&wasm[start..end]);
        }
        i = end;
    }
    Ok(out)
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A custom section named `name` holding `data`.
    fn custom(name: &str, data: &[u8]) -> Vec<u8> {
        let mut body = vec![name.len() as u8];
        body.extend_from_slice(name.as_bytes());
        body.extend_from_slice(data);
        let mut s = vec![0, body.len() as u8];
        s.extend(body);
        s
    }

    #[test]
    fn the_glue_module_is_its_one_bg_js_key() {
        let glue = r#"const imports = { __proto__: null, "./linli-console_bg.js": import0 }; import "./snippets/x.js";"#;
        assert_eq!(glue_module(glue).unwrap(), "./linli-console_bg.js");
        assert!(glue_module("no modules here").is_err());
        assert!(glue_module(r#""./a_bg.js" "./b_bg.js""#).is_err());
    }

    #[test]
    fn link_sections_go_and_everything_else_stays_byte_for_byte() {
        let header = b"\0asm\x01\0\0\0".to_vec();
        let type_section = vec![1u8, 4, 1, 0x60, 0, 0];
        let names = custom("name", b"xyz");
        let module = [
            header.clone(),
            type_section.clone(),
            custom("linking", &[2, 8]),
            custom("reloc.CODE", &[1, 2, 3]),
            names.clone(),
        ]
        .concat();
        let stripped = strip_link_sections(&module).unwrap();
        assert_eq!(stripped, [header, type_section, names].concat());
        assert!(strip_link_sections(b"not wasm").is_err());
        assert!(
            strip_link_sections(&[b"\0asm\x01\0\0\0".as_slice(), &[1, 9, 1]].concat()).is_err()
        );
    }
}
