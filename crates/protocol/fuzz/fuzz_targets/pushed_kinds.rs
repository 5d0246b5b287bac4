//! Every pushed kind's body: the first byte picks the kind.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    if let Some((sel, body)) = data.split_first() {
        linli_protocol::decode::pushed_body(*sel, body);
    }
});
