#!/usr/bin/python3
"""SMOTEN parity references for tests/test_categorical.c (run with Debian's /usr/bin/python3:
imbalanced-learn 0.10, scikit-learn 1.2, numpy 1.24).

Writes into the directory given (default .):
  smoten_binary.csv, smoten_three.csv, smoten_ties.csv
                         hand-made all-categorical datasets (f1, f2, f3, Class); ties is
                         built so that equidistant rows decide the vote (see ties()),
                         drawn here from RandomState(13) with class-dependent category
                         frequencies, so the value difference metric ties often;
  smoten_888.csv         every synthetic row SMOTEN(random_state=888).fit_resample appends
                         (case, order, class, then the categories), in its output order;
  smoten_argpartition.csv  np.argpartition(v, kth) of rows with many tied values (case, kth,
                         values and the returned permutation, ';'-separated): the neighbour
                         choice among equidistant rows that SMOTEN inherits.
"""
import sys

import numpy as np
import pandas as pd
from imblearn.over_sampling import SMOTEN

out = sys.argv[1] if len(sys.argv) > 1 else "."
rs = np.random.RandomState(13)

LEVELS = {"f1": ["a", "b", "c"], "f2": ["x", "y"], "f3": ["p", "q", "r", "s"]}


def draw(sizes):
    rows = []
    for cls, (name, n) in enumerate(sizes):
        for _ in range(n):
            row = {}
            for j, (col, lev) in enumerate(LEVELS.items()):
                w = np.ones(len(lev))
                w[(cls + j) % len(lev)] += 2.0  # each class prefers one level per column
                row[col] = lev[rs.choice(len(lev), p=w / w.sum())]
            row["Class"] = name
            rows.append(row)
    order = rs.permutation(len(rows))
    return pd.DataFrame([rows[i] for i in order])


def ties():
    """f1: P(class | a) = (1/2, 1/2), b and c only positive, d only negative, so from a
    positive `a` row every b and c row is at the same distance and the k + 1 nearest take
    some of them: which ones (numpy's argpartition) decides the vote. f2 and f3 split each
    class in halves, so they add 0 to every distance but vote too."""
    rows = []
    pos = ["a", "a", "b", "b", "b", "c", "c", "c"]
    neg = ["a", "a"] + ["d"] * 20
    for name, f1s in (("pos", pos), ("neg", neg)):
        for i, f1 in enumerate(f1s):
            rows.append({"f1": f1, "f2": "xy"[i % 2], "f3": "pq"[(i // 2) % 2], "Class": name})
    order = rs.permutation(len(rows))
    return pd.DataFrame([rows[i] for i in order])


cases = {
    "binary": draw([("neg", 170), ("pos", 30)]),
    "three": draw([("c0", 120), ("c1", 40), ("c2", 15)]),
    "ties": ties(),
}

synth = []
for case, df in cases.items():
    X = df[list(LEVELS)].to_numpy(dtype=object)
    y = df["Class"].to_numpy(dtype=object)
    Xr, yr = SMOTEN(random_state=888).fit_resample(X, y)
    df.to_csv(f"{out}/smoten_{case}.csv", index=False)
    for i in range(len(df), len(Xr)):
        synth.append([case, i - len(df), yr[i]] + list(Xr[i]))

pd.DataFrame(synth, columns=["case", "order", "class"] + list(LEVELS)).to_csv(
    f"{out}/smoten_888.csv", index=False
)

rows = []
ap = np.random.RandomState(7)
for case in range(300):
    n = int(ap.choice([2, 3, 5, 6, 7, 12, 30, 64, 200]))
    distinct = int(ap.randint(1, 6))
    v = ap.randint(0, distinct, size=n) / 4.0
    kth = int(ap.randint(0, n))
    p = np.argpartition(v, kth)
    rows.append([case, kth, ";".join(repr(float(a)) for a in v), ";".join(str(int(i)) for i in p)])
pd.DataFrame(rows, columns=["case", "kth", "values", "argpartition"]).to_csv(
    f"{out}/smoten_argpartition.csv", index=False
)
