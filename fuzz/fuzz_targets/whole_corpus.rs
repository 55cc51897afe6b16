//! The fuzz input is a whole corpus: files separated by NUL bytes, each `path\ntext`
//! (see `positions_fuzz::split_corpus`), run through every command in every format.
#![no_main]

libfuzzer_sys::fuzz_target!(|data: &[u8]| {
    positions_fuzz::whole_corpus(data);
});
