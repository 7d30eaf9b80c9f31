#!/usr/bin/python3
"""Reference values for tests/test_curves.c (include/imbal/curves.h), from scikit-learn 1.2.

Writes tests/reference/curves_cases.csv (the inputs) and tests/reference/curves_expected.csv
(per case: `what` names a vector or a number, `value` holds it, ';'-separated; floats repr(),
17 significant digits, exact round trip). Independent of imbal's code:
  roc_drop_*   sklearn.metrics.roc_curve(y, s)                       (drop_intermediate=True)
  roc_full_*   sklearn.metrics.roc_curve(y, s, drop_intermediate=False)
  pr_*         sklearn.metrics.precision_recall_curve(y, s)
  ap           sklearn.metrics.average_precision_score(y, s)
  roc_auc      sklearn.metrics.auc(fpr, tpr) of the dropped ROC curve
  pr_auc       sklearn.metrics.auc(recall, precision)
Fold cases (column `fold` non-empty) add, over the folds f = 0..F-1 and the grid
numpy.linspace(0, 1, 21):
  roc_mean / roc_sd  numpy mean / std(ddof=1) over folds of numpy.interp(grid, fpr_f, tpr_f)
                     (fpr_f, tpr_f: roc_curve(..., drop_intermediate=False) of fold f)
  pr_mean / pr_sd    the same of max(precision_f[k] for the operating points k (sklearn's
                     appended (recall 0, precision 1) end point left out) with recall_f[k] >= r)
  pooled_*           roc_curve / precision_recall_curve of all folds' rows together.
One-vs-rest cases (k > 2 classes, `score` a row-major n x k probability matrix) hold, per class
c, ovr<c>_* = roc_curve(y == c, P[:, c]) and precision_recall_curve(y == c, P[:, c]).
Run from the repository root (deterministic: numpy.random.RandomState(14)):

    /usr/bin/python3 scripts/ref_curves.py
"""
import csv

import numpy as np
import sklearn
from sklearn import metrics

OUT = "tests/reference/"


def vec(v):
    return ";".join(repr(float(x)) for x in v)


def ivec(v):
    return ";".join(str(int(x)) for x in v)


def curve_rows(case, prefix, y, s):
    rows = []
    fpr, tpr, thr = metrics.roc_curve(y, s)
    rows += [(case, prefix + "roc_drop_fpr", vec(fpr)), (case, prefix + "roc_drop_tpr", vec(tpr)),
             (case, prefix + "roc_drop_thr", vec(thr))]
    if prefix == "":
        rows.append((case, "roc_auc", repr(float(metrics.auc(fpr, tpr)))))
    fpr, tpr, thr = metrics.roc_curve(y, s, drop_intermediate=False)
    rows += [(case, prefix + "roc_full_fpr", vec(fpr)), (case, prefix + "roc_full_tpr", vec(tpr)),
             (case, prefix + "roc_full_thr", vec(thr))]
    p, r, thr = metrics.precision_recall_curve(y, s)
    rows += [(case, prefix + "pr_precision", vec(p)), (case, prefix + "pr_recall", vec(r)),
             (case, prefix + "pr_thr", vec(thr))]
    if prefix == "":
        rows.append((case, "pr_auc", repr(float(metrics.auc(r, p)))))
        rows.append((case, "ap", repr(float(metrics.average_precision_score(y, s)))))
    return rows


def fold_rows(case, y, s, fold):
    grid = np.linspace(0, 1, 21)
    nf = int(fold.max()) + 1
    roc = []
    pr = []
    for f in range(nf):
        m = fold == f
        fpr, tpr, _ = metrics.roc_curve(y[m], s[m], drop_intermediate=False)
        roc.append(np.interp(grid, fpr, tpr))
        p, r, _ = metrics.precision_recall_curve(y[m], s[m])
        p, r = p[:-1], r[:-1]
        pr.append(np.array([p[r >= g].max() for g in grid]))
    roc = np.array(roc)
    pr = np.array(pr)
    rows = [(case, "grid", vec(grid)),
            (case, "roc_mean", vec(roc.mean(axis=0))),
            (case, "roc_sd", vec(roc.std(axis=0, ddof=1))),
            (case, "pr_mean", vec(pr.mean(axis=0))), (case, "pr_sd", vec(pr.std(axis=0, ddof=1)))]
    rows += curve_rows(case, "pooled_", y, s)
    return rows


def main():
    rng = np.random.RandomState(14)
    cases = []  # (case, k, y, score, fold)
    cases.append(("distinct", 2, np.array([0, 0, 1, 1]), np.array([0.1, 0.4, 0.35, 0.8]), None))
    cases.append(("ties", 2, np.array([0, 1, 0, 1, 1, 0, 0, 1, 0, 1]),
                  np.array([0.1, 0.5, 0.5, 0.9, 0.5, 0.3, 0.1, 0.7, 0.7, 0.3]), None))
    cases.append(("all_equal", 2, np.array([0, 1, 0, 0, 1, 0]), np.full(6, 0.5), None))
    cases.append(("collinear", 2, np.array([1, 1, 1, 0, 0, 1, 0, 0, 0, 1]),
                  np.array([10.0, 9, 8, 7, 6, 5, 4, 3, 2, 1]), None))
    cases.append(("decision_values", 2, np.array([1, 0, 1, 0, 0, 1, 0, 1]),
                  np.array([-2.5, -3.0, 0.25, -0.5, 1e-300, 4.0, -1e300, -2.5]), None))
    y = (rng.uniform(size=300) < 0.1).astype(int)
    s = np.round(rng.uniform(size=300) * 0.6 + 0.4 * y * rng.uniform(size=300), 2)
    cases.append(("random_ties", 2, y, s, None))
    y = (rng.uniform(size=250) < 0.15).astype(int)
    s = rng.normal(size=250) + 1.2 * y
    s[::7] = np.round(s[::7], 1)
    fold = np.arange(250) % 5
    rng.shuffle(fold)
    cases.append(("folds5", 2, y, s, fold))
    n, k = 60, 3
    y3 = rng.randint(0, k, size=n)
    logits = rng.normal(size=(n, k)) + 1.5 * np.eye(k)[y3]
    prob = np.exp(logits) / np.exp(logits).sum(axis=1, keepdims=True)
    prob[:6] = np.round(prob[:6], 1)
    cases.append(("ovr3", k, y3, prob.ravel(), None))

    with open(OUT + "curves_cases.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["case", "k", "y", "score", "fold"])
        for case, kk, yy, ss, ff in cases:
            w.writerow([case, kk, ivec(yy), vec(ss), "" if ff is None else ivec(ff)])
    rows = []
    for case, kk, yy, ss, ff in cases:
        if kk == 2:
            rows += curve_rows(case, "", yy, ss)
        else:
            P = ss.reshape(-1, kk)
            for c in range(kk):
                rows += curve_rows(case, "ovr%d_" % c, (yy == c).astype(int), P[:, c])
        if ff is not None:
            rows += fold_rows(case, yy, ss, ff)
    with open(OUT + "curves_expected.csv", "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["case", "what", "value"])
        w.writerows(rows)
    print("sklearn", sklearn.__version__, "numpy", np.__version__, "rows", len(rows))


if __name__ == "__main__":
    main()
