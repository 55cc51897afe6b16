#!/usr/bin/env bash
# Build in release and run every measurement; prints a Markdown report on stdout
# (also saved to target/report.md). Self-contained: peak RSS comes from wait4(2) in the
# harness, so /usr/bin/time is not needed. ~2 minutes on 2 cores after the build.
set -euo pipefail
cd "$(dirname "$0")"
export CARGO_BUILD_JOBS="${CARGO_BUILD_JOBS:-2}"
cargo build --release --quiet
bin=target/release/yaml-crates-bench
inputs=target/inputs
"$bin" gen "$inputs"
{
  "$bin" report "$inputs"
  echo
  echo "_Machine: $(nproc) cores, $(uname -sr), $(rustc -V); run $(date -u +%Y-%m-%dT%H:%MZ)._"
} | tee target/report.md
