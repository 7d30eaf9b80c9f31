#!/usr/bin/python3
"""Reference probabilities of scikit-learn 1.2's KNeighborsClassifier for tests/test_classifier_knn.c.

Fits KNeighborsClassifier(n_neighbors=5, weights=w) (algorithm 'auto': a KD-tree here, as the
data have at most 15 features and far more than 2 * 5 rows) for w = uniform and distance on
the training part of a published hold-out and writes predict_proba on its test part:

    /usr/bin/python3 scripts/ref_knn_classifier.py abalone19 > tests/reference/abalone19_knn_proba.csv
    /usr/bin/python3 scripts/ref_knn_classifier.py iris_imbalanced > tests/reference/iris_imbalanced_knn_proba.csv
    /usr/bin/python3 scripts/ref_knn_classifier.py grid_ties > tests/reference/grid_ties_knn_proba.csv
    /usr/bin/python3 scripts/ref_knn_classifier.py grid_ties_data > tests/reference/grid_ties_knn_data.csv

abalone19: datasets/abalone19.csv prepared as every abalone19 reference (Class positive = 1,
Sex one-hot with F dropped, the dummies after the seven numeric columns), split by
tests/reference/abalone19_split.csv. iris_imbalanced: datasets/iris_imbalanced.csv (four
numeric columns, species the target), split by tests/reference/iris_imbalanced_split.csv.
Rows of each part in the split file's order. grid_ties: a case made for ties, where which
of several equidistant rows votes depends on scikit-learn's KD-tree: 600 training rows of
RandomState(888).randint(0, 6, (600, 3)) (integer points, so many equal distances and
duplicates; 5 tree levels) with labels randint(0, 3, 600), and 300 test rows randint(0, 6,
(300, 3)) from the same generator; grid_ties_data writes them (set,x0,x1,x2,label).

Columns: weights, position (index into the test part), predicted (class name of predict()),
p_<class> (one per class in scikit-learn's sorted order), then the tie diagnostics:
boundary_tie = 1 when the 5th and 6th nearest training rows are at the same distance (so
which of them votes is decided by a tie rule); lowest_index = 1 when scikit-learn's five
neighbours are the five nearest with ties broken by the lower training position (imbal's
rule), and q_<class> the vote shares under that rule, computed here by brute force with the
same distance (sum over features, in order, of squared differences; square root). A summary
of the ties goes to stderr.
"""
import csv
import sys

import numpy as np
from sklearn.neighbors import KNeighborsClassifier

K = 5


def load(name):
    if name == "abalone19":
        feats = ["Length", "Diameter", "Height", "Whole_weight", "Shucked_weight",
                 "Viscera_weight", "Shell_weight"]
        xs, ys = [], []
        with open("datasets/abalone19.csv") as f:
            for r in csv.DictReader(f):
                xs.append([float(r[c]) for c in feats] +
                          [1.0 if r["Sex"] == "I" else 0.0, 1.0 if r["Sex"] == "M" else 0.0])
                ys.append("positive" if r["Class"] == "positive" else "negative")
    elif name == "iris_imbalanced":
        feats = ["sepal_length", "sepal_width", "petal_length", "petal_width"]
        xs, ys = [], []
        with open("datasets/iris_imbalanced.csv") as f:
            for r in csv.DictReader(f):
                xs.append([float(r[c]) for c in feats])
                ys.append(r["species"])
    elif name == "grid_ties":
        rs = np.random.RandomState(888)
        xtr = rs.randint(0, 6, (600, 3)).astype(np.float64)
        ytr = np.array(["c%d" % v for v in rs.randint(0, 3, 600)])
        xte = rs.randint(0, 6, (300, 3)).astype(np.float64)
        return xtr, ytr, xte, np.array(["c0"] * 300)
    else:
        sys.exit("unknown dataset " + name)
    x = np.array(xs, dtype=np.float64)
    y = np.array(ys)
    tr, te = [], []
    with open("tests/reference/%s_split.csv" % name) as f:
        for r in csv.DictReader(f):
            (tr if r["set"] == "train" else te).append(int(r["row"]))
    return x[tr], y[tr], x[te], y[te]


def brute(xtr, q):
    """Distances from q to every training row, summed in feature order as the KD-tree does."""
    rd = np.zeros(xtr.shape[0])
    for j in range(xtr.shape[1]):
        diff = xtr[:, j] - q[j]
        rd = rd + diff * diff
    return np.sqrt(rd)


def shares(lab, dist, weights, n_classes):
    """KNeighborsClassifier's vote shares for one row (its _get_weights and predict_proba)."""
    if weights == "uniform":
        w = np.ones(len(lab))
    else:
        with np.errstate(divide="ignore"):
            w = 1.0 / dist
        inf = np.isinf(w)
        if inf.any():
            w = inf.astype(np.float64)
    p = np.zeros(n_classes)
    for i in range(len(lab)):
        p[lab[i]] += w[i]
    return p / p.sum()


def main():
    name = sys.argv[1]
    out = csv.writer(sys.stdout, lineterminator="\n")
    if name == "grid_ties_data":
        xtr, ytr, xte, _ = load("grid_ties")
        out.writerow(["set", "x0", "x1", "x2", "label"])
        for part, x, y in (("train", xtr, ytr), ("test", xte, None)):
            for i in range(x.shape[0]):
                out.writerow([part] + ["%d" % v for v in x[i]] + [y[i] if y is not None else ""])
        return
    xtr, ytr, xte, yte = load(name)
    classes = None
    for weights in ("uniform", "distance"):
        clf = KNeighborsClassifier(n_neighbors=K, weights=weights).fit(xtr, ytr)
        assert clf._fit_method == "kd_tree", clf._fit_method
        classes = list(clf.classes_)
        if weights == "uniform":
            out.writerow(["weights", "position", "predicted"] + ["p_" + c for c in classes] +
                         ["boundary_tie", "lowest_index"] + ["q_" + c for c in classes])
        lab_tr = np.searchsorted(clf.classes_, ytr)
        proba = clf.predict_proba(xte)
        pred = clf.predict(xte)
        _, ind = clf.kneighbors(xte)
        n_tie = n_diff_set = n_diff_proba = 0
        for i in range(xte.shape[0]):
            d = brute(xtr, xte[i])
            order = np.argsort(d, kind="stable")  # ties to the lower position
            tie = int(d[order[K - 1]] == d[order[K]])
            low = order[:K]
            same = int(sorted(low) == sorted(ind[i]))
            q = shares(lab_tr[low], d[low], weights, len(classes))
            n_tie += tie
            n_diff_set += 1 - same
            n_diff_proba += int(not np.array_equal(q, proba[i]))
            out.writerow([weights, i, pred[i]] + ["%.17g" % v for v in proba[i]] + [tie, same] +
                         ["%.17g" % v for v in q])
        print("%s %s: %d test rows, %d with a tie at the 5th neighbour, %d where scikit-learn's "
              "neighbours differ from the lower-position rule, %d where that changes the "
              "probabilities" % (name, weights, xte.shape[0], n_tie, n_diff_set, n_diff_proba),
              file=sys.stderr)


if __name__ == "__main__":
    main()
