#!/usr/bin/env python3
"""The peer a Python analyst would write: per-slice PSI with pandas (Debian python3-pandas).

Usage: /usr/bin/python3 test/bench/drift_pandas.py FRAME.csv OUT.json [REPEATS]

The CSV (written by drift-bench.ts) has the raw columns: the five dimensions, w (0 baseline,
1 current), cluster, output_tokens, refused, format, judge_score. Loading and converting the
dimensions to pandas categoricals is excluded from the timing; computing quantile cuts from the
baseline, binning, the 1- and 2-way groupbys and PSI (empty bins = 0.0001) are timed per axis.
"""
import itertools
import json
import resource
import sys
import time

import numpy as np
import pandas as pd

DIMS = ["route", "locale", "tenant_tier", "model_version", "deployment"]
AXES = {
    "input": [("input_cluster", "cluster", "categorical")],
    "output": [("output_length", "output_tokens", "numeric"), ("refused", "refused", "categorical"), ("format", "format", "categorical")],
    "quality": [("judge_score", "judge_score", "numeric")],
}
FILL = 0.0001


def slice_sets():
    yield ()
    for d in DIMS:
        yield (d,)
    for a, b in itertools.combinations(DIMS, 2):
        yield (a, b)


def bin_column(df, col, kind, bins=10):
    s = df[col]
    if kind == "categorical":
        # NULL is a category of its own, as in the engine.
        return s.astype("string").fillna("(null)").astype("category").cat.codes
    base = s[(df["w"] == 0) & s.notna()].to_numpy()
    cuts = np.unique(np.quantile(base, np.arange(1, bins) / bins))
    codes = np.searchsorted(cuts, s.to_numpy(), side="right")
    return pd.Series(np.where(s.isna(), -1, codes), index=df.index)


def psi_table(counts):
    """counts: DataFrame indexed by (slice keys…, w) with one column per bin → PSI per slice."""
    if isinstance(counts.index, pd.MultiIndex):
        base, cur = counts.xs(0, level="w"), counts.xs(1, level="w")
    else:  # all rows: the index is w alone
        base, cur = counts.loc[[0]].reset_index(drop=True), counts.loc[[1]].reset_index(drop=True)
    base, cur = base.align(cur, join="inner", fill_value=0)
    p = base.div(base.sum(axis=1), axis=0).replace(0, FILL)
    q = cur.div(cur.sum(axis=1), axis=0).replace(0, FILL)
    return ((q - p) * np.log(q / p)).sum(axis=1)


def axis_psi(df, features):
    out = {}
    for name, col, kind in features:
        b = bin_column(df, col, kind)
        sub = df.assign(b=b)
        sub = sub[sub["b"] >= 0]
        per = {}
        for keys in slice_sets():
            counts = sub.groupby(list(keys) + ["w", "b"], observed=True).size().unstack("b", fill_value=0)
            psi = psi_table(counts)
            if not keys:
                per[""] = float(psi.iloc[0]) if len(psi) else None
                continue
            for idx, v in psi.items():
                idx = idx if isinstance(idx, tuple) else (idx,)
                per["&".join(f"{k}={val}" for k, val in zip(keys, idx))] = float(v)
        out[name] = per
    return out


def main():
    path, out_path = sys.argv[1], sys.argv[2]
    repeats = int(sys.argv[3]) if len(sys.argv) > 3 else 1
    t0 = time.perf_counter()
    df = pd.read_csv(path, dtype={"refused": "string", "format": "string", "cluster": "float64"})
    for d in DIMS:
        df[d] = df[d].astype("category")
    load_s = time.perf_counter() - t0

    timings = {axis: [] for axis in AXES}
    results = {}
    for _ in range(repeats):
        for axis, features in AXES.items():
            t = time.perf_counter()
            results.update(axis_psi(df, features))
            timings[axis].append(time.perf_counter() - t)
    rss_mb = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024
    json.dump({"rows": len(df), "load_s": load_s, "timings_s": timings, "peak_rss_mb": rss_mb, "psi": results, "pandas": pd.__version__}, open(out_path, "w"))


if __name__ == "__main__":
    main()
