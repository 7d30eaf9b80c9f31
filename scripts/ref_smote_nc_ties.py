#!/usr/bin/python3
"""SMOTE-NC's categorical tie-break, for tests/test_categorical.c (Debian's /usr/bin/python3:
imbalanced-learn 0.10, numpy 1.24).

A hand-made fold (smote_nc_ties.csv: x numeric, cat in A/B/C, Class): six positive rows
x = 0, 1, 2.5, 10, 11.3, 12.7 (no two distances equal) with cat A, B, C, A, B, A, thirty
negative rows far away. With k_neighbors = 2 the row at x = 1 has neighbours A and C, one
vote each, the row at 0 B and C, the one at 2.5 A and B: imblearn breaks such ties by
rng.permutation of the tied (row, category) pairs.
smote_nc_ties_888.csv: every synthetic row of SMOTENC(categorical_features=[1],
k_neighbors=2, random_state=seed) for seeds 888 and 7 (seed, order, x, cat).
Usage: ref_smote_nc_ties.py [OUTDIR]
"""
import sys

import pandas as pd
from imblearn.over_sampling import SMOTENC

out = sys.argv[1] if len(sys.argv) > 1 else "."
rows = [(0.0, "A"), (1.0, "B"), (2.5, "C"), (10.0, "A"), (11.3, "B"), (12.7, "A")]
data = [{"x": x, "cat": c, "Class": "pos"} for x, c in rows]
data += [{"x": 100.0 + i, "cat": "ABC"[i % 3], "Class": "neg"} for i in range(30)]
df = pd.DataFrame(data)
df.to_csv(f"{out}/smote_nc_ties.csv", index=False)

X = df[["x", "cat"]].to_numpy(dtype=object)
y = df["Class"].to_numpy()
res = []
for seed in (888, 7):
    Xr, yr = SMOTENC(categorical_features=[1], k_neighbors=2, random_state=seed).fit_resample(X, y)
    for i in range(len(X), len(Xr)):
        assert yr[i] == "pos"
        res.append([seed, i - len(X), repr(float(Xr[i, 0])), Xr[i, 1]])
pd.DataFrame(res, columns=["seed", "order", "x", "cat"]).to_csv(
    f"{out}/smote_nc_ties_888.csv", index=False
)
