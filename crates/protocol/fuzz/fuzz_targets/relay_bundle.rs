//! A whole relay message from another phone, as a carrier or a reader decodes it: the bundle
//! (unpacked with its inflate limit), a signed envelope, a key history.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    use linli_protocol::carry::{check, trusted_keys, Bundle};
    if let Ok(Bundle::Content { signed, .. }) = Bundle::unpack(data) {
        if let Ok(keys) = trusted_keys(r#"[]"#, None) {
            for env in &signed {
                let _ = check(&keys, env, 0);
            }
        }
    }
    let text = String::from_utf8_lossy(data);
    if let Ok(keys) = trusted_keys(&text, Some(&text)) {
        if let Ok(env) = serde_json::from_str(&text) {
            let _ = check(&keys, &env, 0);
        }
    }
});
