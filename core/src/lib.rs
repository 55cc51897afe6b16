//! The core of `positions`: the corpus model, loading and validation, and the comparison
//! engine of SPEC §2. It knows nothing of the command line and prints nothing: loading
//! returns diagnostics as data and reports progress through a callback; turning either
//! into text is the CLI's business.

pub mod corpus;
pub mod date;
pub mod engine;
pub mod generate;
pub mod model;
pub mod suggest;
