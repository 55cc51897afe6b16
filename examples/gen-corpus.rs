//! Writes a valid random corpus of a given size, the same for the same seed.
//!
//! ```sh
//! cargo run --release --example gen-corpus -- --demands 100000 --out /tmp/corpus-100k
//! positions --corpus /tmp/corpus-100k check
//! ```

use std::fs;
use std::path::PathBuf;

use clap::Parser;
use positions::generate::{Params, generate};

#[derive(Parser)]
#[command(about = "Write a valid random corpus for benchmarks and tests")]
struct Args {
    /// Number of demands in all
    #[arg(long, default_value_t = 1000)]
    demands: usize,
    /// Number of parties
    #[arg(long, default_value_t = 20)]
    parties: usize,
    /// Demands on each issue (the number of issues follows)
    #[arg(long, default_value_t = 20)]
    per_issue: usize,
    /// Share of issues that are numeric scales
    #[arg(long, default_value_t = 0.2)]
    scale_share: f64,
    /// Share of demands withdrawn (`until`)
    #[arg(long, default_value_t = 0.2)]
    until_share: f64,
    /// Asserted relations, per 100 demands
    #[arg(long, default_value_t = 1.0)]
    relations_per_100: f64,
    #[arg(long, default_value_t = 1)]
    seed: u64,
    /// Directory to write
    #[arg(long)]
    out: PathBuf,
}

fn main() -> std::io::Result<()> {
    let args = Args::parse();
    let params = Params {
        demands: args.demands,
        parties: args.parties,
        per_issue: args.per_issue,
        scale_share: args.scale_share,
        until_share: args.until_share,
        relations_per_100: args.relations_per_100,
        seed: args.seed,
    };
    fs::create_dir_all(args.out.join("parties"))?;
    for (relative, text) in generate(&params) {
        fs::write(args.out.join(relative), text)?;
    }
    eprintln!(
        "wrote {} demands by {} parties to {}",
        args.demands,
        args.parties,
        args.out.display()
    );
    Ok(())
}
