#!/usr/bin/env bash
# The cache's and the fast path's figures in BENCHMARKS.md ("Cache"), side by side with
# hyperfine, on generated corpora of 10,000 and 100,000 demands (20 parties, 20 demands
# per issue), analysed as of 2026-01-01:
#   10,000: the Python reference (bench/pairs.py) against a cold run (empty cache) and a
#           warm one (targets: at least 8x and 30x faster than Python);
#   100,000: a second `pairs --format csv` of an unchanged corpus against the first
#           (target: at most 0.15x), a cold run against one without the cache (no slower),
#           peak memory against the corpus on disk (at most 4x);
#   the fast path: `check` (places of every value) against `parties --no-cache` (without).
# Usage: bench/cache.sh [RUNS]   (needs hyperfine and PyYAML; builds the release binary)
set -euo pipefail
cd "$(dirname "$0")/.."
runs=${1:-5}
cargo build --release --quiet
cargo build --release --quiet --example gen-corpus
P=$PWD/target/release/positions
out=target/bench
mkdir -p "$out"
export POSITIONS_CACHE_DIR=$PWD/$out/cache
for n in 10000 100000; do
  dir=$out/cache-$n
  [ -d "$dir" ] || target/release/examples/gen-corpus --demands "$n" --out "$dir" >/dev/null
done
q="--as-of 2026-01-01 pairs --format csv"

# The reference and the binary agree byte for byte.
python3 bench/pairs.py $out/cache-10000 2026-01-01 > $out/python.csv
$P --no-cache --corpus $out/cache-10000 $q > $out/positions.csv
cmp $out/python.csv $out/positions.csv

$P --corpus $out/cache-10000 $q > /dev/null
hyperfine -N --warmup 1 --runs "$runs" --export-json $out/cache-10000.json \
  --prepare "rm -rf $POSITIONS_CACHE_DIR" -n cold "$P --corpus $out/cache-10000 $q" \
  --prepare "true" -n warm "$P --corpus $out/cache-10000 $q" \
  --prepare "true" -n python "python3 bench/pairs.py $out/cache-10000 2026-01-01"
hyperfine -N --warmup 1 --runs "$runs" --export-json $out/cache-100000.json \
  --prepare "true" -n no-cache "$P --no-cache --corpus $out/cache-100000 $q" \
  --prepare "rm -rf $POSITIONS_CACHE_DIR" -n first "$P --corpus $out/cache-100000 $q" \
  --prepare "true" -n second "$P --corpus $out/cache-100000 $q" \
  --prepare "true" -n check "$P --corpus $out/cache-100000 check" \
  --prepare "true" -n parties-no-cache "$P --no-cache --corpus $out/cache-100000 parties"
rm -rf "$POSITIONS_CACHE_DIR"
/usr/bin/time -f "%M" -o $out/peak-first $P --corpus $out/cache-100000 $q > /dev/null
/usr/bin/time -f "%M" -o $out/peak-second $P --corpus $out/cache-100000 $q > /dev/null

python3 - "$out" <<'PY'
import json, os, sys
out = sys.argv[1]
def means(n):
    data = json.load(open(f"{out}/cache-{n}.json"))["results"]
    return {r["command"]: r["mean"] for r in data}
a, b = means(10000), means(100000)
disk = sum(os.path.getsize(os.path.join(d, f)) for d, _, fs in os.walk(f"{out}/cache-100000") for f in fs)
peak = max(int(open(f"{out}/peak-{w}").read()) for w in ("first", "second")) * 1024
rows = [
    ("10,000: Python ÷ cold", a["python"] / a["cold"], a["python"], a["cold"], ">= 8", a["python"] / a["cold"] >= 8),
    ("10,000: Python ÷ warm", a["python"] / a["warm"], a["python"], a["warm"], ">= 30", a["python"] / a["warm"] >= 30),
    ("100,000: second ÷ first", b["second"] / b["first"], b["second"], b["first"], "<= 0.15", b["second"] / b["first"] <= 0.15),
    ("100,000: first ÷ without the cache", b["first"] / b["no-cache"], b["first"], b["no-cache"], "no slower", b["first"] / b["no-cache"] <= 1.05),
    ("100,000: check ÷ parties --no-cache (the fast path)", b["check"] / b["parties-no-cache"], b["check"], b["parties-no-cache"], "", True),
]
for what, ratio, x, y, target, ok in rows:
    print(f"| {what} | {ratio:.2f}× ({x:.3f} s ÷ {y:.3f} s) | {target} | {'yes' if ok else '**no**'} |")
print(f"| 100,000: peak memory ÷ corpus on disk | {peak / disk:.2f}× ({peak / 2**20:.0f} MiB ÷ {disk / 2**20:.0f} MiB) | <= 4 | {'yes' if peak / disk <= 4 else '**no**'} |")
PY
