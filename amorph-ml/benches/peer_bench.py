"""Peer side of amorph-ml's ml_bench: scikit-learn RandomForestRegressor and XGBoost (hist) on
the same inputs and settings, fit + predict wall time (median of reps) and test R².

python amorph-ml/benches/peer_bench.py --threads 2 [--reps 5] [--synthetic FILE]
(python: one with numpy, pandas, scikit-learn and xgboost: an activated venv, or "$AMORPH_PYTHON")
"""
import argparse
import os
import time

import numpy as np
import pandas as pd
import xgboost as xgb
from sklearn.ensemble import RandomForestRegressor
from sklearn.metrics import r2_score

HERE = os.path.dirname(os.path.abspath(__file__))
DATA = os.path.join(HERE, "..", "..", "..", "shared", "data", "paper_ml")


def timed(make, Xtr, ytr, Xte, yte, reps):
    times, r2 = [], 0.0
    for _ in range(reps):
        t0 = time.perf_counter()
        m = make().fit(Xtr, ytr)
        p = m.predict(Xte)
        times.append(time.perf_counter() - t0)
        r2 = r2_score(yte, p)
    return float(np.median(times)), r2


def main():
    ap = argparse.ArgumentParser()
    ap.add_argument("--threads", type=int, default=2)
    ap.add_argument("--reps", type=int, default=5)
    ap.add_argument("--synthetic")
    a = ap.parse_args()
    print(f"threads {a.threads}, reps {a.reps} (median fit+predict seconds)")
    df = pd.read_csv(os.path.join(DATA, "feature_target.dat"), sep=r"\s+")
    test_ids = pd.read_csv(os.path.join(DATA, "test_ordered.dat"), sep=r"\s+")["index"].values
    feats = [c for c in df.columns if c not in ("Unnamed: 0", "formula", "diff_coeff_mul_thousand")]
    pos = {v: i for i, v in enumerate(df["Unnamed: 0"].values)}
    te = np.array([pos[i] for i in test_ids])
    tr = np.array(sorted(set(range(len(df))) - set(te)))
    X, y = df[feats].values, df["diff_coeff_mul_thousand"].values
    gbt = dict(n_estimators=100, max_depth=4, learning_rate=0.1, reg_alpha=0.8, tree_method="hist",
               n_jobs=a.threads)
    rf = lambda n: (lambda: RandomForestRegressor(n_estimators=n, random_state=62, n_jobs=a.threads))
    t, r2 = timed(rf(100), X[tr], y[tr], X[te], y[te], a.reps)
    print(f"paper  sklearn rf 100 trees  {t:8.4f} s  test R² {r2:.4f}")
    t, r2 = timed(lambda: xgb.XGBRegressor(**gbt), X[tr], y[tr], X[te], y[te], a.reps)
    print(f"paper  xgboost hist (paper)  {t:8.4f} s  test R² {r2:.4f}")
    if a.synthetic:
        s = pd.read_csv(a.synthetic)
        X = s[[c for c in s.columns if c not in ("id", "y")]].values
        y = s["y"].values
        n = 80_000
        reps = min(a.reps, 3)
        t, r2 = timed(rf(20), X[:n], y[:n], X[n:], y[n:], reps)
        print(f"synth  sklearn rf 20 trees   {t:8.4f} s  test R² {r2:.4f}")
        t, r2 = timed(lambda: xgb.XGBRegressor(**gbt), X[:n], y[:n], X[n:], y[n:], reps)
        print(f"synth  xgboost hist (paper)  {t:8.4f} s  test R² {r2:.4f}")


if __name__ == "__main__":
    main()
