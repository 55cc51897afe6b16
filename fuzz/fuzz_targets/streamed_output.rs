//! The fuzz input is a whole corpus (as for `whole_corpus`), run through the commands
//! whose CSV and JSON rows are streamed as they are computed (`pairs`, `matrix`), written
//! the way the command line writes them.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    positions_fuzz::streamed(data);
});
