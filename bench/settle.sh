#!/usr/bin/env bash
# The settlement search's figures in BENCHMARKS.md, side by side with hyperfine:
#   settle on the built-in corpus against --version (target: at most 50x);
#   settle against check on generated corpora of 500, 2,000 and 10,000 demands
#   (10 parties, 10 demands per issue, 5 relations per 100 demands; target: at most 20x).
# Usage: bench/settle.sh   (needs hyperfine; builds the release binary first)
set -euo pipefail
cd "$(dirname "$0")/.."
cargo build --release --quiet
cargo build --release --quiet --example gen-corpus
P=target/release/positions
hyperfine -N --warmup 2 --runs 10 "$P --version" "$P settle"
for n in 500 2000 10000; do
  dir=target/bench/settle-$n
  [ -d "$dir" ] || target/release/examples/gen-corpus --demands "$n" --parties 10 --per-issue 10 \
    --relations-per-100 5 --out "$dir" >/dev/null
  # A search that cannot finish in 60 s fails (exit 1): -i keeps its time in the table.
  hyperfine -N -i --warmup 1 --runs 5 \
    "$P --corpus $dir --as-of 2026-01-01 check" \
    "$P --corpus $dir --as-of 2026-01-01 settle --time-limit 60"
done
