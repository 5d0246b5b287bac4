//! Relay frames as a camera (or a crafted file) hands them to the phone: one frame per line,
//! collected by one assembler; a complete message is unpacked. The whole text is also read
//! as a receipt and as base45. Nothing here may panic.
#![no_main]
use linli_protocol::relay;

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    let text = String::from_utf8_lossy(data);
    let mut assembler = relay::Assembler::new();
    for frame in text.split('\n') {
        let _ = relay::is_frame(frame);
        let _ = assembler.add(frame);
    }
    let _ = assembler.progress();
    let _ = assembler.message_id();
    if let Some(Ok(packed)) = assembler.finish() {
        let _ = relay::unpack(&packed);
    }
    let _ = relay::parse_receipt(&text);
    let _ = relay::base45::decode(&text);
});
