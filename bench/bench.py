#!/usr/bin/env python3
"""Benchmark positions at 1,000, 10,000 and 100,000 demands and write BENCHMARKS.md.

Usage: python3 bench/bench.py [--sizes 1000,10000,100000] [--runs 5] [--out BENCHMARKS.md]

Builds the release binary and the examples, generates corpora with
`examples/gen-corpus.rs` (seed 1, 20 parties, 20 demands per issue) under
target/bench/, then times each command `--runs` times, taking the commands in turn so
that a noisy moment hits them all alike. Wall time and peak resident memory come from
wait4(2) on each child. Every figure is a median; targets are checked as ratios of
figures measured side by side in this one run.
"""

import argparse
import os
import statistics
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
TARGET = ROOT / "target"
BIN = TARGET / "release" / "positions"
GEN = TARGET / "release" / "examples" / "gen-corpus"
GENERIC = TARGET / "release" / "examples" / "parse-generic"


def run_measured(argv):
    """Run argv with stdout to /dev/null; return (wall seconds, peak RSS in MiB)."""
    with open(os.devnull, "wb") as devnull:
        start = time.perf_counter()
        proc = subprocess.Popen(argv, stdout=devnull, stderr=subprocess.PIPE)
        _, status, usage = os.wait4(proc.pid, 0)
        wall = time.perf_counter() - start
        stderr = proc.stderr.read().decode(errors="replace")
        proc.stderr.close()
    code = os.waitstatus_to_exitcode(status)
    if code != 0:
        sys.exit(f"{' '.join(map(str, argv))} exited {code}: {stderr[-2000:]}")
    return wall, usage.ru_maxrss / 1024.0


def corpus_size(path):
    return sum(f.stat().st_size for f in path.rglob("*.yaml"))


def main():
    parser = argparse.ArgumentParser()
    parser.add_argument("--sizes", default="1000,10000,100000")
    parser.add_argument("--runs", type=int, default=5)
    parser.add_argument("--out", default=str(ROOT / "BENCHMARKS.md"))
    args = parser.parse_args()
    sizes = [int(s) for s in args.sizes.split(",")]

    subprocess.run(["cargo", "build", "--release", "--bin", "positions", "--examples"], cwd=ROOT, check=True)
    corpora = {}
    for n in sizes:
        path = TARGET / "bench" / f"corpus-{n}"
        if not (path / "issues.yaml").exists():
            subprocess.run([GEN, "--demands", str(n), "--seed", "1", "--out", path], check=True)
        corpora[n] = path

    # name -> argv, per size; plus the embedded corpus.
    cases = {}
    for n, path in corpora.items():
        c = [BIN, "--corpus", path, "--as-of", "2026-01-01"]
        cases[(n, "check")] = c + ["check"]
        cases[(n, "pairs --format csv")] = c + ["pairs", "--format", "csv"]
        cases[(n, "matrix --format csv")] = c + ["matrix", "--format", "csv"]
        cases[(n, "diff party-0 party-1")] = c + ["diff", "party-0", "party-1"]
        cases[(n, "YAML crate, generic parse")] = [GENERIC, path]
    cases[("embedded", "--version")] = [BIN, "--version"]
    cases[("embedded", "diff russia ukraine")] = [BIN, "diff", "russia", "ukraine"]

    samples = {key: [] for key in cases}
    for r in range(args.runs):
        for key, argv in cases.items():
            samples[key].append(run_measured(argv))
        print(f"run {r + 1}/{args.runs} done", file=sys.stderr)

    med = {k: (statistics.median(w for w, _ in v), statistics.median(m for _, m in v)) for k, v in samples.items()}
    lines = []
    w = lines.append
    w("# Benchmarks\n")
    w("Measured by `python3 bench/bench.py` (see its docstring): release build, corpora from")
    w("`examples/gen-corpus.rs` (seed 1, 20 parties, 20 demands per issue, a fifth of the issues")
    w(f"numeric scales, a fifth of the demands withdrawn), medians of {args.runs} runs taken in turn,")
    w("wall time and peak RSS from wait4(2). The machine is shared and noisy: compare the ratios,")
    w("which come from figures measured side by side in one run, rather than the absolute times.\n")
    w(f"Machine: {os.cpu_count()} cores; `{subprocess.run(['rustc', '--version'], capture_output=True, text=True).stdout.strip()}`.\n")
    w("| demands | corpus on disk | command | wall time (median) | peak memory (median) |")
    w("|---:|---:|---|---:|---:|")
    for n in sizes:
        size_mb = corpus_size(corpora[n]) / 1e6
        for name in ["check", "pairs --format csv", "matrix --format csv", "diff party-0 party-1", "YAML crate, generic parse"]:
            wall, rss = med[(n, name)]
            w(f"| {n:,} | {size_mb:.1f} MB | `{name}` | {wall:.3f} s | {rss:.0f} MiB |")
    for name in ["--version", "diff russia ukraine"]:
        wall, rss = med[("embedded", name)]
        w(f"| built-in | | `{name}` | {wall * 1000:.1f} ms | {rss:.0f} MiB |")

    w("\n## Targets\n")
    w("| target | measured | limit | holds |")
    w("|---|---:|---:|:---:|")

    def target(label, value, limit, fmt="{:.2f}×"):
        w(f"| {label} | {fmt.format(value)} | {fmt.format(limit)} | {'yes' if value <= limit else '**no**'} |")

    big = max(sizes)
    target(f"`pairs --format csv` ÷ `check`, {big:,} demands", med[(big, "pairs --format csv")][0] / med[(big, "check")][0], 1.5)
    target(
        f"`check` ÷ the YAML crate's generic parse, {big:,} demands (at most 2× = at least half its speed)",
        med[(big, "check")][0] / med[(big, "YAML crate, generic parse")][0],
        2.0,
    )
    if 10000 in sizes and 100000 in sizes:
        for name in ["check", "pairs --format csv", "matrix --format csv", "diff party-0 party-1"]:
            target(f"`{name}` time, 100,000 ÷ 10,000 demands", med[(100000, name)][0] / med[(10000, name)][0], 12.0)
            target(f"`{name}` memory, 100,000 ÷ 10,000 demands", med[(100000, name)][1] / med[(10000, name)][1], 12.0)
    disk = corpus_size(corpora[big]) / (1024 * 1024)
    for name in ["check", "pairs --format csv", "matrix --format csv", "diff party-0 party-1"]:
        target(f"`{name}` peak memory ÷ corpus on disk ({disk:.0f} MiB), {big:,} demands", med[(big, name)][1] / disk, 4.0)
    target(
        "`diff russia ukraine` ÷ `--version`, built-in corpus",
        med[("embedded", "diff russia ukraine")][0] / med[("embedded", "--version")][0],
        3.0,
    )
    w("\nReproduce: `python3 bench/bench.py` (about ten minutes on two cores; `--sizes 1000,10000 --runs 3` for a quick look).")
    Path(args.out).write_text("\n".join(lines) + "\n")
    print("\n".join(lines))


if __name__ == "__main__":
    main()
