#!/usr/bin/env python3
"""The summary figures of BENCHMARKS.md's fidelity section, from amorph's own JSON output.

usage: scripts/bench/fidelity_summary.py DB [TABLE] [AMORPH]
  DB     a workflow database run with --preset paper on the covered compositions
  TABLE  the paper's feature_target.dat (default ../shared/data/paper_ml/feature_target.dat)
  AMORPH the amorph binary (default target/release/amorph)

Prints, over the trusted rows at 1500-2500 K: the median |log10(D/D_paper)|, the AAV ratios,
the Pearson r between ln(AAV ratio) and log10 D ratio, the rows off by > 15 % in AAV or
> 0.5 decades in D with the paper's 20 ps MSD (6 D t) beside ours, and each composition's Ea
(our Arrhenius fit) against the Ea of the paper's D(T) (amorph arrhenius on the table).
Standard library only.
"""
import json
import math
import statistics as st
import subprocess
import sys

db = sys.argv[1]
table = sys.argv[2] if len(sys.argv) > 2 else "../shared/data/paper_ml/feature_target.dat"
amorph = sys.argv[3] if len(sys.argv) > 3 else "target/release/amorph"


def run(*args):
    return json.loads(subprocess.run([amorph, "--json", *args], check=True,
                                     capture_output=True, text=True).stdout)


rows = run("fidelity", "--db", db, "--table", table)["rows"]
export = run("export", "--db", db)["rows"]
paper_fits = {f["group"]: f for f in run("arrhenius", table)["fits"]}

band = [r for r in rows if r["trusted"] and 1500 <= r["temperature"] <= 2500
        and r["log10_d_ratio"] is not None]
logs = [r["log10_d_ratio"] for r in band]
aav = [r["aav_ratio"] for r in band]
print(f"{len(band)} trusted rows at 1500-2500 K, {len({r['formula'] for r in band})} compositions")
print(f"median |log10 D/D_paper| {st.median(abs(x) for x in logs):.3f}, signed mean {st.mean(logs):+.3f}")
print(f"AAV ratio median {st.median(aav):.3f}, range {min(aav):.3f}-{max(aav):.3f}, "
      f"{sum(abs(a - 1) > 0.15 for a in aav)} rows off by more than 15 %")
x = [math.log(a) for a in aav]
mx, my = st.mean(x), st.mean(logs)
r = sum((a - mx) * (b - my) for a, b in zip(x, logs)) / math.sqrt(
    sum((a - mx) ** 2 for a in x) * sum((b - my) ** 2 for b in logs))
print(f"Pearson r(ln AAV ratio, log10 D ratio) {r:.2f}")

print("\noutliers (AAV > 15 % or D > 0.5 decades): MSD(20 ps) = 6 D t, paper vs ours (A^2)")
msd = lambda d: 6 * d * 1e4 * 20  # cm^2/s -> A^2/ps, times 20 ps
for r in rows:
    if r["log10_d_ratio"] is None:
        continue
    if abs(r["aav_ratio"] - 1) > 0.15 or abs(r["log10_d_ratio"]) > 0.5:
        print(f"  {r['formula']:14s} {r['temperature']:6.0f} K  AAV {r['aav_ratio']:.3f}  "
              f"log10 D {r['log10_d_ratio']:+.2f}  MSD paper {msd(r['d_paper_cm2_s']):6.1f} "
              f"ours {msd(r['d_cm2_s']):6.1f}  {'trusted' if r['trusted'] else 'untrusted'}")

print("\nEa (eV): ours (trusted anneal rows) vs the paper's D(T)")
ours = {e["formula"]: e["ea_ev"] for e in export if e["ea_ev"] is not None}
diffs = []
for formula, paper_formula in dict((r["formula"], r["paper_formula"]) for r in rows).items():
    p = paper_fits.get(paper_formula)
    if p and formula in ours:
        diffs.append(ours[formula] - p["ea_ev"])
        print(f"  {formula:14s} {ours[formula]:.3f} vs {p['ea_ev']:.3f}")
print(f"median Ea difference {st.median(diffs):+.3f} eV, median |difference| "
      f"{st.median(abs(d) for d in diffs):.3f} eV")
