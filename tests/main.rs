//! The integration tests, in one binary (one link step): each module tests one side of
//! the real binary, `support` runs it in a scrubbed environment, `common` is the
//! independent oracles' own model of SPEC §2 (it shares no code with the crate), and
//! `harness` the fuzz targets' driver, also run here on every recorded crash.

mod common;
#[path = "../fuzz/src/lib.rs"]
mod harness;
mod support;

mod cli;
mod compiled;
mod examples;
mod fast_path;
mod faults;
mod fuzz_regressions;
mod graphs;
mod hardening;
mod hostile;
mod json_contract;
mod manual;
mod nearest_oracle;
mod oracle;
mod output_safety;
mod outputs;
mod plan_oracle;
mod plans;
mod properties;
mod questions;
mod readme;
mod settle_builtin;
mod settle_oracle;
mod titles;
mod validation;
mod widths;
