#!/usr/bin/env python3
"""A reference for the cache benchmark: `positions pairs --format csv` in Python.

Reads a corpus with PyYAML's C loader (the fastest YAML loader Python has) and writes
every compared pair by SPEC §2, in the same order and format as
`positions --corpus DIR --as-of DATE pairs --format csv`, so that the two can be timed
side by side and their outputs compared byte for byte (BENCHMARKS.md, "Cache").
It does not validate the corpus: it assumes one that `positions check` accepts.

Usage: python3 bench/pairs.py CORPUS_DIR AS_OF > pairs.csv
"""

import csv
import datetime
import os
import sys

import yaml

LOADER = yaml.CSafeLoader


def load(path):
    with open(path, "rb") as f:
        return yaml.load(f, Loader=LOADER)


def as_date(value):
    if isinstance(value, datetime.date):
        return value
    return datetime.date.fromisoformat(str(value))


def number(x):
    x = float(x)
    return str(int(x)) if x.is_integer() else repr(x)


def main():
    corpus, as_of = sys.argv[1], datetime.date.fromisoformat(sys.argv[2])
    issues = load(os.path.join(corpus, "issues.yaml"))["issues"]
    issue_index = {issue["id"]: k for k, issue in enumerate(issues)}
    party_dir = os.path.join(corpus, "parties")
    parties = []
    for name in os.listdir(party_dir):
        if name.endswith((".yaml", ".yml")) and not name.startswith("."):
            parties.append(load(os.path.join(party_dir, name)))
    parties.sort(key=lambda f: f["party"]["id"])
    party_of = {}
    # by (party index, issue index): active demands in file order
    on = {}
    for p, f in enumerate(parties):
        for d in f.get("demands") or []:
            party_of[d["id"]] = p
            stated = as_date(d["stated"])
            until = d.get("until")
            if stated <= as_of and (until is None or as_of < as_date(until)):
                on.setdefault((p, issue_index[d["issue"]]), []).append(d)
    relations_path = os.path.join(corpus, "relations.yaml")
    relations = []
    if os.path.exists(relations_path):
        relations = (load(relations_path) or {}).get("relations") or []
    demand_by_id = {d["id"]: d for f in parties for d in f.get("demands") or []}

    def active(d):
        until = d.get("until")
        return as_date(d["stated"]) <= as_of and (until is None or as_of < as_date(until))

    asserted = {}
    for r in relations:
        x, y = r["between"]
        if active(demand_by_id[x]) and active(demand_by_id[y]):
            px, py = party_of[x], party_of[y]
            asserted.setdefault((min(px, py), max(px, py)), []).append((x, y, r["kind"]))

    def relate(a, b, issue):
        red = a.get("priority") == "red-line" and b.get("priority") == "red-line"
        if "scale" in issue:
            lo_s, hi_s = float(issue["scale"]["min"]), float(issue["scale"]["max"])
            ra, rb = a["accepts"], b["accepts"]
            lo = max(float(ra.get("min", lo_s)), float(rb.get("min", lo_s)))
            hi = min(float(ra.get("max", hi_s)), float(rb.get("max", hi_s)))
            if lo <= hi:
                return "overlap", f"{number(lo)}..{number(hi)}"
        else:
            common = set(a["accepts"]) & set(b["accepts"])
            if common:
                order = [o["id"] for o in issue["options"] if o["id"] in common]
                return "overlap", ";".join(order)
        return ("irreconcilable" if red else "conflict"), ""

    writer = csv.writer(sys.stdout, lineterminator="\r\n")

    class Out:
        # SPEC §4: a cell that a spreadsheet would run as a formula gets a leading '.
        @staticmethod
        def writerow(cells):
            writer.writerow([("'" + c) if c[:1] in ("=", "+", "-", "@", "\t", "\r") else c for c in cells])

    out = Out()
    out.writerow(
        ["party_a", "demand_a", "issue_a", "party_b", "demand_b", "issue_b", "relation", "basis", "common_ground"]
    )
    for pa in range(len(parties)):
        for pb in range(pa + 1, len(parties)):
            ida, idb = parties[pa]["party"]["id"], parties[pb]["party"]["id"]
            for k, issue in enumerate(issues):
                for a in on.get((pa, k), ()):
                    for b in on.get((pb, k), ()):
                        kind, common = relate(a, b, issue)
                        out.writerow([ida, a["id"], issue["id"], idb, b["id"], issue["id"], kind, "derived", common])
            for x, y, kind in asserted.get((pa, pb), ()):
                if party_of[x] != pa:
                    x, y = y, x
                dx, dy = demand_by_id[x], demand_by_id[y]
                out.writerow([ida, x, dx["issue"], idb, y, dy["issue"], kind, "asserted", ""])


if __name__ == "__main__":
    main()
