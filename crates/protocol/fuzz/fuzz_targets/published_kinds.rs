//! Every published kind, as staff send it and as phones pull it: the first byte picks it.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some((sel, body)) = data.split_first() {
        linli_protocol::decode::published_body(*sel, body);
    }
});
