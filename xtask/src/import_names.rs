//! Short names for a module's imports from its wasm-bindgen glue (the PWA's main module and
//! the staff console).
//!
//! wasm-bindgen names every import after the Rust item plus a 16-hex-digit hash
//! (`__wbg_addEventListener_82cddc614107eb45`). The name is written twice, as the wasm import's
//! field and as the key of the glue's imports object, and the hashes do not compress: in the
//! PWA's first load they were ~300 names. This step gives each import a short name (`a`, `b`, …,
//! in import order) in both files. Nothing else refers to these names: the PWA's chunks reach
//! the glue only through the main module, and the check below fails the build if a name is not
//! exactly one key in the glue.

use anyhow::{bail, Context, Result};
use wasm_encoder::reencode::{Reencode, RoundtripReencoder};
use wasm_encoder::{ImportSection, Module, RawSection};
use wasmparser::{Parser, Payload};

/// Renames the imports of `wasm` that come from the glue module `glue_module` (the import
/// module name wasm-bindgen gives them, e.g. `./linli-…_bg.js`) and the matching keys in
/// `glue_js`. Returns the new wasm and glue.
pub fn shorten(wasm: &[u8], glue_js: &str, glue_module: &str) -> Result<(Vec<u8>, String)> {
    let mut module = Module::new();
    let mut renames: Vec<(String, String)> = Vec::new();
    for payload in Parser::new(0).parse_all(wasm) {
        let payload = payload.context("import names: reading the wasm")?;
        if let Payload::ImportSection(reader) = &payload {
            let mut section = ImportSection::new();
            for import in reader.clone().into_imports() {
                let import = import.context("import names: reading an import")?;
                let ty = RoundtripReencoder
                    .entity_type(import.ty)
                    .map_err(|e| anyhow::anyhow!("import names: {e:?}"))?;
                if import.module == glue_module {
                    let short = short_name(renames.len());
                    section.import(import.module, &short, ty);
                    renames.push((import.name.to_owned(), short));
                } else {
                    section.import(import.module, import.name, ty);
                }
            }
            module.section(&section);
        } else if let Some((id, range)) = payload.as_section() {
            let start = usize::try_from(range.start)?;
            let end = usize::try_from(range.end)?;
            module.section(&RawSection {
                id,
                data: &wasm[start..end],
            });
        }
    }
    if renames.is_empty() {
        bail!("import names: the wasm imports nothing from `{glue_module}`");
    }
    let mut js = glue_js.to_owned();
    for (old, short) in &renames {
        let key = format!("{old}: function");
        if count_words(&js, old) != 1 || js.matches(&key).count() != 1 {
            bail!("import names: `{old}` is not exactly one key of the glue's imports object");
        }
        js = js.replacen(&key, &format!("{short}: function"), 1);
    }
    Ok((module.finish(), js))
}

/// The `n`th short name: `a`…`z`, `A`…`Z`, then two letters and so on: letters only, so always
/// valid as an object key (a keyword's spelling is too) and never `__proto__`.
fn short_name(mut n: usize) -> String {
    const LETTERS: &[u8] = b"abcdefghijklmnopqrstuvwxyzABCDEFGHIJKLMNOPQRSTUVWXYZ";
    let mut name = Vec::new();
    loop {
        name.push(LETTERS[n % LETTERS.len()]);
        n /= LETTERS.len();
        if n == 0 {
            break;
        }
        n -= 1;
    }
    name.reverse();
    String::from_utf8_lossy(&name).into_owned()
}

/// Occurrences of `word` in `text` not inside a longer identifier.
fn count_words(text: &str, word: &str) -> usize {
    let ident = |c: char| c.is_ascii_alphanumeric() || c == '_' || c == '$';
    text.match_indices(word)
        .filter(|(at, _)| {
            let before = text[..*at].chars().next_back();
            let after = text[at + word.len()..].chars().next();
            !before.is_some_and(ident) && !after.is_some_and(ident)
        })
        .count()
}

#[cfg(test)]
mod tests {
    use super::*;

    /// A module importing two functions from the glue and one from elsewhere, calling the
    /// second glue import from an export.
    fn module() -> Vec<u8> {
        let mut m = Module::new();
        let mut types = wasm_encoder::TypeSection::new();
        types.ty().function([], []);
        m.section(&types);
        let mut imports = ImportSection::new();
        let f = wasm_encoder::EntityType::Function(0);
        imports.import("./app_bg.js", "__wbg_log_0123456789abcdef", f);
        imports.import("./__wasm_split.js", "__wasm_split_load_x", f);
        imports.import("./app_bg.js", "__wbg_alert_fedcba9876543210", f);
        m.section(&imports);
        let mut funcs = wasm_encoder::FunctionSection::new();
        funcs.function(0);
        m.section(&funcs);
        let mut exports = wasm_encoder::ExportSection::new();
        exports.export("run", wasm_encoder::ExportKind::Func, 3);
        m.section(&exports);
        let mut code = wasm_encoder::CodeSection::new();
        let mut body = wasm_encoder::Function::new([]);
        body.instructions().call(2).end();
        code.function(&body);
        m.section(&code);
        m.finish()
    }

    const GLUE: &str = "const import0 = {\n    __proto__: null,\n    __wbg_log_0123456789abcdef: function(a) { console.log(a); },\n    __wbg_alert_fedcba9876543210: function() { alert(1); },\n};\n";

    #[test]
    fn glue_imports_get_short_names_in_both_files_and_others_are_kept() {
        let (wasm, js) = shorten(&module(), GLUE, "./app_bg.js").unwrap();
        wasmparser::Validator::new().validate_all(&wasm).unwrap();
        let mut seen = Vec::new();
        for payload in Parser::new(0).parse_all(&wasm) {
            if let Payload::ImportSection(r) = payload.unwrap() {
                for i in r.into_imports() {
                    let i = i.unwrap();
                    seen.push((i.module.to_owned(), i.name.to_owned()));
                }
            }
        }
        assert_eq!(
            seen,
            [
                ("./app_bg.js".into(), "a".into()),
                ("./__wasm_split.js".into(), "__wasm_split_load_x".into()),
                ("./app_bg.js".into(), "b".into()),
            ]
        );
        assert!(js.contains("a: function(a) { console.log(a); }"));
        assert!(js.contains("b: function() { alert(1); }"));
        assert!(!js.contains("__wbg_"));
    }

    #[test]
    fn a_name_the_glue_uses_elsewhere_fails_the_build() {
        let glue = format!("{GLUE}import0.__wbg_log_0123456789abcdef();\n");
        let err = shorten(&module(), &glue, "./app_bg.js").unwrap_err();
        assert!(err.to_string().contains("__wbg_log_0123456789abcdef"));
        let err = shorten(&module(), "const import0 = {};", "./app_bg.js").unwrap_err();
        assert!(err.to_string().contains("not exactly one key"));
    }

    #[test]
    fn short_names_are_distinct_identifiers() {
        let names: Vec<String> = (0..3000).map(short_name).collect();
        assert_eq!(&names[..3], ["a", "b", "c"]);
        assert_eq!(names[52], "aa");
        let unique: std::collections::HashSet<&String> = names.iter().collect();
        assert_eq!(unique.len(), names.len());
        assert!(names
            .iter()
            .all(|n| n.chars().all(|c| c.is_ascii_alphabetic())));
    }
}
