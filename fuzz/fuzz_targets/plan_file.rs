//! The fuzz input is `plans/river-compact.yaml` of an otherwise valid small corpus (tests/fixtures/snapshot).
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    positions_fuzz::one_file("plans/river-compact.yaml", data);
});
