//! The fuzz input is `parties/azure.yaml` of an otherwise valid small corpus (tests/fixtures/snapshot).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    positions_fuzz::one_file("parties/azure.yaml", data);
});
