//! A push request body, as the platform reads it.
#![no_main]
libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    linli_protocol::decode::push_envelope(data);
});
