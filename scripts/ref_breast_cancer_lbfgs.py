#!/usr/bin/python3
"""scikit-learn's default lbfgs logistic fit on breast-cancer, which stops at max_iter.

scikit-learn's bundled copy of the UCI Wisconsin diagnostic breast cancer data
(load_breast_cancer: 569 rows, 30 unscaled features, target 0 = malignant, 1 = benign;
CC BY 4.0) is written to tests/data/breast_cancer.csv (features with '_' for ' ', values as
Python's shortest round-trip repr, so a reader gets the same doubles). The split is
train_test_split(test_size=0.25, stratify=y, random_state=888) (tests/reference/
breast_cancer_split.csv: row,set). On the training part LogisticRegression(max_iter=t) with
otherwise its defaults (scikit-learn 1.2.1: lbfgs, C = 1, tol 1e-4) is fitted for
t = 10, 20, ..., 100 and class_weight None and 'balanced'; every one stops at t without
converging (ConvergenceWarning). tests/reference/breast_cancer_lbfgs.csv:
class_weight,max_iter,n_iter,test_auc,intercept,<features> (17 significant digits).

    /usr/bin/python3 scripts/ref_breast_cancer_lbfgs.py          # writes the three files
    /usr/bin/python3 scripts/ref_breast_cancer_lbfgs.py --trace  # every evaluation of the
        default fit: eval,f,x0..x30,g0..g30 as %a hex floats, to stdout (for comparing
        iterates with imbal's, bit for bit)

Made with numpy 1.24.2 on Debian's reference BLAS (libblas3 3.11), SciPy 1.10.1 on Debian's
liblbfgsb0 3.0 (L-BFGS-B 3.0 with LAPACK's dpotrf/dtrtrs in place of LINPACK).
"""
import csv
import sys
import warnings

import numpy as np
from sklearn.datasets import load_breast_cancer
from sklearn.exceptions import ConvergenceWarning
from sklearn.linear_model import LogisticRegression
from sklearn.linear_model import _linear_loss
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import train_test_split


def data():
    b = load_breast_cancer()
    names = [n.replace(" ", "_") for n in b.feature_names]
    return b.data, b.target, names


def split(x, y):
    idx = np.arange(len(y))
    tr, te = train_test_split(idx, test_size=0.25, stratify=y, random_state=888)
    return np.sort(tr), np.sort(te)


def trace():
    x, y, _ = data()
    tr, _ = split(x, y)
    rows = []
    orig = _linear_loss.LinearModelLoss.loss_gradient

    def spy(self, coef, *a, **k):
        f, g = orig(self, coef, *a, **k)
        rows.append([f] + list(coef) + list(g))
        return f, g

    _linear_loss.LinearModelLoss.loss_gradient = spy
    with warnings.catch_warnings():
        warnings.simplefilter("ignore", ConvergenceWarning)
        m = LogisticRegression().fit(x[tr], y[tr])
    _linear_loss.LinearModelLoss.loss_gradient = orig
    for i, r in enumerate(rows):
        print(i, " ".join(float(v).hex() for v in r))
    print("n_iter", int(m.n_iter_[0]), file=sys.stderr)


def main():
    if "--trace" in sys.argv:
        trace()
        return
    x, y, names = data()
    with open("tests/data/breast_cancer.csv", "w") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(names + ["target"])
        for i in range(len(y)):
            w.writerow([repr(float(v)) for v in x[i]] + [int(y[i])])
    tr, te = split(x, y)
    with open("tests/reference/breast_cancer_split.csv", "w") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["row", "set"])
        for i in range(len(y)):
            w.writerow([i, "train" if i in set(tr) else "test"])
    # the training part in row order, as the test reads it
    xt, yt = x[tr], y[tr]
    with open("tests/reference/breast_cancer_lbfgs.csv", "w") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["class_weight", "max_iter", "n_iter", "test_auc", "intercept"] + names)
        for cw in (None, "balanced"):
            for t in range(10, 101, 10):
                with warnings.catch_warnings():
                    warnings.simplefilter("ignore", ConvergenceWarning)
                    m = LogisticRegression(class_weight=cw, max_iter=t).fit(xt, yt)
                auc = roc_auc_score(y[te], m.decision_function(x[te]))
                w.writerow([cw or "none", t, int(m.n_iter_[0]), "%.17g" % auc,
                            "%.17g" % m.intercept_[0]] + ["%.17g" % v for v in m.coef_[0]])


if __name__ == "__main__":
    main()
