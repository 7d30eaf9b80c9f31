#!/usr/bin/python3
"""SMOTEENN on the published abalone19 training fold, computed with Debian's scikit-learn
1.2.1 / imbalanced-learn 0.10.0 / numpy 1.24.2 / pandas 1.5.3. Run from the repository root:
    /usr/bin/python3 scripts/reference/smote_enn.py
Writes tests/reference/abalone19_smote_enn_888.csv (order,smote_row,class): the rows
SMOTEENN(random_state=888).fit_resample(X, y) returns, in its output order, each named by its
index in SMOTE(random_state=888).fit_resample(X, y) (0 .. 3338 the fold, then the 3287
synthetic positives), i.e. SMOTEENN's enn_.sample_indices_. X, y: the training rows of
datasets/abalone19_split.csv in file order, features as tests/reference/README.md describes
(Sex one-hot, first category dropped, dummies after the 7 numeric columns). The script also
checks that SMOTEENN's output equals SMOTE's rows at these indices, bit for bit.
"""
import numpy as np
import pandas as pd
from imblearn.combine import SMOTEENN
from imblearn.over_sampling import SMOTE

df = pd.read_csv("datasets/abalone19.csv")
split = pd.read_csv("datasets/abalone19_split.csv")
train = split.loc[split["set"] == "train", "row"].to_numpy()
y_all = (df["Class"].str.strip() == "positive").astype(int).to_numpy()
num = df.drop(columns=["Class", "Sex"]).astype(float)
dummies = pd.get_dummies(df["Sex"], prefix="Sex", drop_first=True).astype(float)
X_all = pd.concat([num, dummies], axis=1).to_numpy()
X, y = X_all[train], y_all[train]

se = SMOTEENN(random_state=888)
Xr, yr = se.fit_resample(X, y)
Xs, ys = SMOTE(random_state=888).fit_resample(X, y)
idx = se.enn_.sample_indices_
assert np.array_equal(Xs[idx], Xr) and np.array_equal(ys[idx], yr)
with open("tests/reference/abalone19_smote_enn_888.csv", "w") as f:
    f.write("order,smote_row,class\n")
    for k, i in enumerate(idx):
        f.write("%d,%d,%d\n" % (k, i, ys[i]))
print("rows", len(idx), "counts", np.bincount(yr))
