#!/usr/bin/env bash
# Run every fuzz target in turn, niced, for FUZZ_SECONDS each (default 960), keeping
# going after a crash (-fork=1 -ignore_crashes=1) so that one run finds all it can.
# Logs go to fuzz/logs/<target>.log, crashing inputs to fuzz/artifacts/<target>/.
# Build first: RUSTC_BOOTSTRAP=1 cargo fuzz build -s none   (see ../FUZZING.md)
# FUZZ_BIN may name the directory of already built targets.
set -uo pipefail
here=$(cd "$(dirname "$0")" && pwd)
bin=${FUZZ_BIN:-$here/target/x86_64-unknown-linux-gnu/release}
seconds=${FUZZ_SECONDS:-960}
targets=${*:-whole_corpus streamed_output party_file issues_file relations_file plan_file}
mkdir -p "$here/logs"
for t in $targets; do
    mkdir -p "$here/corpus/$t" "$here/artifacts/$t"
    echo "== $t: $(date -u +%FT%TZ), $seconds s" >"$here/logs/$t.log"
    nice -n 10 "$bin/$t" "$here/corpus/$t" -dict="$here/yaml.dict" -max_total_time="$seconds" \
        -max_len=32768 -timeout=10 -rss_limit_mb=2048 -fork=1 -ignore_crashes=1 \
        -ignore_timeouts=1 -ignore_ooms=1 -print_final_stats=1 \
        -artifact_prefix="$here/artifacts/$t/" >>"$here/logs/$t.log" 2>&1
    echo "== $t done: $(date -u +%FT%TZ), exit $?" >>"$here/logs/$t.log"
done
