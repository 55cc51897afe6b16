#!/usr/bin/env python3
"""The cache's and the fast path's figures in BENCHMARKS.md ("Cache").

Usage: python3 bench/cache.py [--runs 7]

Builds the release binary, generates corpora of 10,000 and 100,000 demands with
`examples/gen-corpus.rs` (20 parties, 20 demands per issue; and two more of 100,000
demands by 30 parties, 30 per issue, and by 40 parties, 40 per issue, with 1.5 and 2.1
times as many rows) under target/bench/, checks
that `bench/pairs.py` (the Python reference: PyYAML's C loader) writes byte for byte what
`positions pairs --format csv` writes, then times every command `--runs` times, taking
the commands in turn (each round runs them all once) so that a noisy moment hits them all
alike. "cold" runs start from an empty cache directory, "warm" ones from the entry the run
before wrote. Wall time and peak RSS come from wait4(2); times are medians, and each
target is checked on the median of the rounds' own ratios (a round's two figures are
measured side by side, seconds apart).
"""

import argparse
import os
import shutil
import statistics
import subprocess
import sys
from pathlib import Path

from bench import run_measured  # bench/bench.py, beside this script

ROOT = Path(__file__).resolve().parent.parent
OUT = ROOT / "target" / "bench"
BIN = ROOT / "target" / "release" / "positions"
GEN = ROOT / "target" / "release" / "examples" / "gen-corpus"
CACHE = OUT / "cache"
QUERY = ["--as-of", "2026-01-01", "pairs", "--format", "csv"]


def measured(argv):
    """Run argv with stdout to /dev/null; return (wall seconds, peak RSS in bytes)."""
    wall, mib = run_measured(argv)
    return wall, mib * 2**20


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--runs", type=int, default=7)
    args = parser.parse_args()
    subprocess.run(["cargo", "build", "--release", "--quiet"], cwd=ROOT, check=True)
    subprocess.run(["cargo", "build", "--release", "--quiet", "--example", "gen-corpus"], cwd=ROOT, check=True)
    os.environ["POSITIONS_CACHE_DIR"] = str(CACHE)
    corpora = {}
    for n in (10_000, 100_000):
        corpora[n] = OUT / f"cache-{n}"
        if not corpora[n].is_dir():
            subprocess.run([GEN, "--demands", str(n), "--out", corpora[n]], check=True, stdout=subprocess.DEVNULL)
    small, large = corpora[10_000], corpora[100_000]
    # A second shape of the same size, more rows per demand: 30 parties, 30 demands per
    # issue (921,473 rows against 600,647), another seed.
    wide = OUT / "cache-100000-p30"
    if not wide.is_dir():
        subprocess.run([GEN, "--demands", "100000", "--parties", "30", "--per-issue", "30", "--seed", "7",
                        "--out", wide], check=True, stdout=subprocess.DEVNULL)
    # And a third with more rows again (40 parties, 40 per issue: 1,249,421 rows), where
    # writing the rows is a larger share of a warm run.
    widest = OUT / "cache-100000-p40"
    if not widest.is_dir():
        subprocess.run([GEN, "--demands", "100000", "--parties", "40", "--per-issue", "40", "--seed", "5",
                        "--out", widest], check=True, stdout=subprocess.DEVNULL)
    python = subprocess.run([sys.executable, ROOT / "bench" / "pairs.py", small, "2026-01-01"],
                            check=True, capture_output=True).stdout
    ours = subprocess.run([BIN, "--no-cache", "--corpus", small, *QUERY], check=True, capture_output=True).stdout
    if python != ours:
        sys.exit("bench/pairs.py and positions disagree")

    def cold():
        shutil.rmtree(CACHE, ignore_errors=True)

    def nothing():
        pass

    commands = {
        # name: (prepare, argv)
        "10k python": (nothing, [sys.executable, ROOT / "bench" / "pairs.py", small, "2026-01-01"]),
        "10k cold": (cold, [BIN, "--corpus", small, *QUERY]),
        "10k warm": (nothing, [BIN, "--corpus", small, *QUERY]),
        "100k no cache": (nothing, [BIN, "--no-cache", "--corpus", large, *QUERY]),
        "100k first": (cold, [BIN, "--corpus", large, *QUERY]),
        "100k second": (nothing, [BIN, "--corpus", large, *QUERY]),
        "100k/30 first": (cold, [BIN, "--corpus", wide, *QUERY]),
        "100k/30 second": (nothing, [BIN, "--corpus", wide, *QUERY]),
        "100k/40 first": (cold, [BIN, "--corpus", widest, *QUERY]),
        "100k/40 second": (nothing, [BIN, "--corpus", widest, *QUERY]),
        "100k check": (nothing, [BIN, "--corpus", large, "check"]),
        "100k parties, no cache": (nothing, [BIN, "--no-cache", "--corpus", large, "parties"]),
    }
    walls = {name: [] for name in commands}
    peaks = {name: [] for name in commands}
    for _ in range(args.runs):
        for name, (prepare, argv) in commands.items():
            prepare()
            wall, peak = measured(argv)
            walls[name].append(wall)
            peaks[name].append(peak)
    t = {name: statistics.median(v) for name, v in walls.items()}
    disk = sum(f.stat().st_size for f in large.rglob("*") if f.is_file())
    peak = max(statistics.median(peaks["100k first"]), statistics.median(peaks["100k second"]))

    def row(what, a, b, target, holds):
        # The median of the rounds' own ratios: each round times a and b within seconds of
        # each other, so a machine that drifts between rounds moves both alike.
        ratio = statistics.median(x / y for x, y in zip(walls[a], walls[b]))
        verdict = "yes" if holds(ratio) else "**no**"
        print(f"| {what} | {ratio:.2f}× ({t[a]:.3f} s ÷ {t[b]:.3f} s) | {target} | {verdict} |")

    print("| what | figure | target | holds |")
    print("|---|---:|---:|:---:|")
    row("10,000 demands: Python ÷ cold (empty cache)", "10k python", "10k cold", "≥ 8×", lambda r: r >= 8)
    row("10,000 demands: Python ÷ warm (cache hit)", "10k python", "10k warm", "≥ 30×", lambda r: r >= 30)
    row("100,000 demands: second run ÷ first", "100k second", "100k first", "≤ 0.15×", lambda r: r <= 0.15)
    row("100,000 demands, 30 parties: second run ÷ first", "100k/30 second", "100k/30 first", "≤ 0.15×",
        lambda r: r <= 0.15)
    row("100,000 demands, 40 parties: second run ÷ first", "100k/40 second", "100k/40 first", "≤ 0.15×",
        lambda r: r <= 0.15)
    row("100,000 demands: first run ÷ run without the cache", "100k first", "100k no cache", "no slower",
        lambda r: r <= 1.05)
    row("100,000 demands: `check` (places) ÷ `parties --no-cache` (no places)", "100k check",
        "100k parties, no cache", "—", lambda r: True)
    verdict = "yes" if peak / disk <= 4 else "**no**"
    print(f"| 100,000 demands: peak memory ÷ corpus on disk | {peak / disk:.2f}× "
          f"({peak / 2**20:.0f} MiB ÷ {disk / 2**20:.0f} MiB) | ≤ 4× | {verdict} |")
    print()
    print("Medians of", args.runs, "runs:", ", ".join(f"{n} {v:.3f} s" for n, v in t.items()))


if __name__ == "__main__":
    main()
