//! `cargo xtask size`: what a first visit downloads (index.html plus the js, wasm and css it
//! loads), raw, gzip (level 9) and brotli (quality 11, as served precompressed), against the
//! budget in `xtask/size-budget.txt`.

use anyhow::{bail, Context, Result};
use std::collections::BTreeSet;
use std::io::Write;
use std::path::Path;

/// One file of the first load.
pub struct Row {
    pub name: String,
    pub raw: usize,
    pub gzip: usize,
    pub brotli: usize,
}

/// Measures the first load of the build in `dist`.
pub fn measure(dist: &Path) -> Result<Vec<Row>> {
    measure_page(dist, "index.html")
}

/// Measures what opening `page` (a path under `dist`, e.g. `console/index.html`) downloads.
pub fn measure_page(dist: &Path, page: &str) -> Result<Vec<Row>> {
    let html = std::fs::read_to_string(dist.join(page))
        .with_context(|| format!("reading dist/{page}; build first"))?;
    let mut names = BTreeSet::from([page.to_owned()]);
    let mut queue = local_refs(&html);
    while let Some(name) = queue.pop() {
        let ext_ok = [".js", ".wasm", ".css"].iter().any(|e| name.ends_with(e));
        if !ext_ok || !dist.join(&name).is_file() || !names.insert(name.clone()) {
            continue;
        }
        if name.ends_with(".js") {
            queue.extend(local_refs(&std::fs::read_to_string(dist.join(&name))?));
        }
    }
    names
        .into_iter()
        .map(|name| {
            let data = std::fs::read(dist.join(&name))?;
            Ok(Row {
                raw: data.len(),
                gzip: gzip_len(&data)?,
                brotli: brotli_len(&data)?,
                name,
            })
        })
        .collect()
}

/// Absolute local paths quoted in html or js: `"/x.js"`, `'/y_bg.wasm'`.
fn local_refs(text: &str) -> Vec<String> {
    let mut out = Vec::new();
    for quote in ['"', '\''] {
        for (i, part) in text.split(quote).enumerate() {
            if i % 2 == 1
                && part.starts_with('/')
                && !part.starts_with("//")
                && !part.contains(char::is_whitespace)
            {
                out.push(part.trim_start_matches('/').to_owned());
            }
        }
    }
    out
}

fn gzip_len(data: &[u8]) -> Result<usize> {
    let mut gz = flate2::write::GzEncoder::new(Vec::new(), flate2::Compression::best());
    gz.write_all(data)?;
    Ok(gz.finish()?.len())
}

fn brotli_len(data: &[u8]) -> Result<usize> {
    let mut out = Vec::new();
    {
        let mut w = brotli::CompressorWriter::new(&mut out, 4096, 11, 22);
        w.write_all(data)?;
    }
    Ok(out.len())
}

/// The budget: the line `first_load_brotli_bytes = N` in `xtask/size-budget.txt`.
pub fn budget(root: &Path) -> Result<usize> {
    budget_named(root, "first_load_brotli_bytes")
}

/// The line `key = N` in `xtask/size-budget.txt`.
pub fn budget_named(root: &Path, key: &str) -> Result<usize> {
    let text = std::fs::read_to_string(root.join("xtask/size-budget.txt"))
        .context("reading xtask/size-budget.txt")?;
    for line in text.lines() {
        if let Some(v) = line.trim().strip_prefix(key) {
            if !v.trim_start().starts_with('=') {
                continue;
            }
            let v = v.trim().trim_start_matches('=').trim().replace('_', "");
            return v
                .parse()
                .with_context(|| format!("size-budget.txt: bad number {v:?}"));
        }
    }
    bail!("xtask/size-budget.txt has no `{key} = N` line")
}

/// Fails when the first load is over the budget.
fn check(brotli: usize, budget: usize) -> Result<()> {
    if brotli > budget {
        bail!("first load is {brotli} bytes brotli, over the budget of {budget}");
    }
    Ok(())
}

/// Prints both tables (the phone app's first load; the staff console's) and fails when either
/// is over its budget. The console's bytes are never part of the phone app's first load: its
/// files are reached only from `console/index.html`.
pub fn report(root: &Path, dist: &Path) -> Result<()> {
    let phone = table("first load", &measure(dist)?, budget(root)?)?;
    let console = table(
        "staff console",
        &measure_page(dist, "console/index.html")?,
        budget_named(root, "console_brotli_bytes")?,
    )?;
    phone.and(console)
}

fn table(title: &str, rows: &[Row], budget: usize) -> Result<Result<()>> {
    println!(
        "{:<48} {:>10} {:>10} {:>10}",
        title, "raw", "gzip", "brotli"
    );
    for r in rows {
        println!(
            "{:<48} {:>10} {:>10} {:>10}",
            r.name, r.raw, r.gzip, r.brotli
        );
    }
    let total = |f: fn(&Row) -> usize| rows.iter().map(f).sum::<usize>();
    let (raw, gz, br) = (total(|r| r.raw), total(|r| r.gzip), total(|r| r.brotli));
    println!("{:<48} {:>10} {:>10} {:>10}", "total", raw, gz, br);
    println!(
        "budget: {br} of {budget} bytes brotli ({:.1}%)\n",
        br as f64 * 100.0 / budget as f64
    );
    if !rows.iter().any(|r| r.name.ends_with(".wasm")) {
        bail!("no .wasm found for {title}: is dist/ a Trunk build?");
    }
    Ok(check(br, budget))
}

#[cfg(test)]
mod tests {
    use super::*;

    #[test]
    fn finds_local_references_in_html_and_js() {
        let refs = local_refs(
            r#"<link href="/a-1.css"><script src="/boot.js"></script> import x from '/linli.js'; fetch('//cdn/x.js'); "/not a path""#,
        );
        assert_eq!(refs, vec!["a-1.css", "boot.js", "linli.js"]);
    }

    #[test]
    fn the_repository_budget_reads_and_a_first_load_over_it_fails() {
        let root = Path::new(env!("CARGO_MANIFEST_DIR")).join("..");
        let budget = budget(&root).unwrap();
        assert!(budget > 100_000, "{budget}");
        assert!(check(budget, budget).is_ok());
        let err = check(budget + 1, budget).unwrap_err().to_string();
        assert!(err.contains("over the budget"), "{err}");
        let console = budget_named(&root, "console_brotli_bytes").unwrap();
        assert!(console > budget && console <= 360_000, "{console}");
    }

    #[test]
    fn compression_is_measured_for_real() {
        let data = "鄰里 Linli ".repeat(500);
        assert!(brotli_len(data.as_bytes()).unwrap() < data.len() / 10);
        assert!(gzip_len(data.as_bytes()).unwrap() < data.len() / 10);
    }
}
