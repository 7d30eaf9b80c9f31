#!/usr/bin/python3
"""scikit-learn's lbfgs multinomial fit on the ecoli hold-out, stopped after t iterations.

Writes tests/reference/ecoli_lbfgs_path.csv for tests/test_logreg_multi.c:
class_weight,max_iter,n_iter,class,intercept,a1..a7 for max_iter = 10, 20, ..., 100 and
class_weight None and 'balanced', on the training part of tests/reference/ecoli_split.csv
(rows of datasets/ecoli.dat, the split's order), with LogisticRegression(max_iter=t) and
otherwise its defaults (scikit-learn 1.2.1, lbfgs, C = 1, tol 1e-4). On this problem the
default fit stops at max_iter = 100 without converging (ConvergenceWarning), and the
iterates of two L-BFGS-B implementations that round differently drift apart geometrically;
the path shows how far each iteration count can be reproduced. Run (a few seconds):

    /usr/bin/python3 scripts/multi_lbfgs_path_reference.py > tests/reference/ecoli_lbfgs_path.csv
"""
import csv
import sys
import warnings

import numpy as np
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression


def load_ecoli(path):
    rows = []
    with open(path) as f:
        for line in f:
            if line.startswith("@") or not line.strip():
                continue
            rows.append(line.strip().split(","))
    x = np.array([[float(v) for v in r[:-1]] for r in rows])
    y = np.array([r[-1].strip() for r in rows])
    return x, y


def main():
    x, y = load_ecoli("datasets/ecoli.dat")
    train = []
    with open("tests/reference/ecoli_split.csv") as f:
        for r in csv.DictReader(f):
            if r["set"] == "train":
                train.append(int(r["row"]))
    xt, yt = x[train], y[train]
    out = csv.writer(sys.stdout, lineterminator="\n")
    out.writerow(["class_weight", "max_iter", "n_iter", "class", "intercept"]
                 + ["a%d" % (j + 1) for j in range(x.shape[1])])
    for cw in (None, "balanced"):
        for t in range(10, 101, 10):
            with warnings.catch_warnings():
                warnings.simplefilter("ignore", ConvergenceWarning)
                m = LogisticRegression(class_weight=cw, max_iter=t).fit(xt, yt)
            for c, name in enumerate(m.classes_):
                out.writerow([cw or "none", t, int(m.n_iter_[0]), name,
                              "%.17g" % m.intercept_[c]]
                             + ["%.17g" % v for v in m.coef_[c]])


if __name__ == "__main__":
    main()
