#!/usr/bin/python3
"""Test-fold probabilities of xgboost.XGBClassifier, the reference of imbal's xgboost classifier.

Writes tests/reference/abalone19_xgboost_proba.csv and iris_imbalanced_xgboost_proba.csv
(case,row,<one column per class, in class order>) for tests/test_classifier_xgboost.c: for each
case, XGBClassifier(**params).fit(X_train, y_train, sample_weight=w).predict_proba(X_test) on the
published hold-outs (abalone19_split.csv, iris_imbalanced_split.csv; rows in the split file's
order; abalone19 prepared as tests/reference/README.md says: the seven numeric columns, then
Sex_I, Sex_M; Class positive = 1; iris: the four measurements, classes in sorted order, as
imbal's loader numbers them). Every case sets n_jobs=1 (imbal's nthread 1) and tree_method
explicitly (imbal's default is hist; XGBoost 1.7's own default, auto, is exact on small data).
w is None for class_weight none, else sklearn's compute_sample_weight("balanced", y)
(n / (k n_c) per row, imbal's class_weight balanced). Values are written with repr() of the
float32 predictions widened to float64: exact.

Debian's /usr/bin/python3 with python3-xgboost 1.7.4 (the libxgboost0 that libxgboost-dev
links imbal against), scikit-learn 1.2.1, numpy 1.24.2:

    /usr/bin/python3 scripts/ref_xgboost.py tests/reference
"""
import csv
import sys
import time

import numpy as np
import sklearn.utils.class_weight as skcw
import xgboost as xgb

ROOT = __file__.rsplit("/scripts/", 1)[0]
ABALONE_FEATURES = ["Length", "Diameter", "Height", "Whole_weight", "Shucked_weight",
                    "Viscera_weight", "Shell_weight"]
IRIS_FEATURES = ["sepal_length", "sepal_width", "petal_length", "petal_width"]

# name, class_weight, XGBClassifier parameters (besides n_jobs=1)
ABALONE_CASES = [
    ("default_888", "none", dict(n_estimators=100, max_depth=6, learning_rate=0.3,
                                 tree_method="hist", random_state=888)),
    ("sub08_888", "none", dict(n_estimators=100, max_depth=6, learning_rate=0.3,
                               subsample=0.8, colsample_bytree=0.8, tree_method="hist",
                               random_state=888)),
    ("sub08_7", "none", dict(n_estimators=100, max_depth=6, learning_rate=0.3,
                             subsample=0.8, colsample_bytree=0.8, tree_method="hist",
                             random_state=7)),
    ("balanced_sub08_888", "balanced", dict(n_estimators=100, max_depth=6, learning_rate=0.3,
                                            subsample=0.8, colsample_bytree=0.8,
                                            tree_method="hist", random_state=888)),
    ("spw_888", "none", dict(n_estimators=50, max_depth=3, learning_rate=0.1,
                             min_child_weight=0.5, reg_lambda=2.0, scale_pos_weight=127.0,
                             tree_method="hist", random_state=888)),
    ("exact_sub05_888", "none", dict(n_estimators=30, max_depth=4, learning_rate=0.3,
                                     subsample=0.5, tree_method="exact", random_state=888)),
    ("approx_888", "none", dict(n_estimators=30, max_depth=6, learning_rate=0.3,
                                colsample_bytree=0.5, tree_method="approx",
                                random_state=888)),
]
IRIS_CASES = [
    ("default_888", "none", dict(n_estimators=100, max_depth=6, learning_rate=0.3,
                                 tree_method="hist", random_state=888)),
    ("balanced_sub08_888", "balanced", dict(n_estimators=100, max_depth=6, learning_rate=0.3,
                                            subsample=0.8, colsample_bytree=0.8,
                                            tree_method="hist", random_state=888)),
]


def abalone():
    rows = list(csv.DictReader(open(ROOT + "/datasets/abalone19.csv")))
    split = list(csv.DictReader(open(ROOT + "/tests/reference/abalone19_split.csv")))
    out = {"train": ([], []), "test": ([], [])}
    for s in split:
        r = rows[int(s["row"])]
        x = [float(r[f]) for f in ABALONE_FEATURES]
        x += [1.0 if r["Sex"] == "I" else 0.0, 1.0 if r["Sex"] == "M" else 0.0]
        out[s["set"]][0].append(x)
        out[s["set"]][1].append(1 if r["Class"] == "positive" else 0)
    return out, ["negative", "positive"]


def iris():
    rows = list(csv.DictReader(open(ROOT + "/datasets/iris_imbalanced.csv")))
    split = list(csv.DictReader(open(ROOT + "/tests/reference/iris_imbalanced_split.csv")))
    names = sorted({r["species"] for r in rows})
    out = {"train": ([], []), "test": ([], [])}
    for s in split:
        r = rows[int(s["row"])]
        out[s["set"]][0].append([float(r[f]) for f in IRIS_FEATURES])
        out[s["set"]][1].append(names.index(r["species"]))
    return out, names


def write(path, data, names, cases):
    xtr = np.array(data["train"][0], dtype=np.float64)
    ytr = np.array(data["train"][1])
    xte = np.array(data["test"][0], dtype=np.float64)
    with open(path, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(["case", "row"] + names)
        for name, cw, params in cases:
            sw = None if cw == "none" else skcw.compute_sample_weight("balanced", ytr)
            t = time.perf_counter()
            model = xgb.XGBClassifier(n_jobs=1, **params).fit(xtr, ytr, sample_weight=sw)
            t = time.perf_counter() - t
            proba = model.predict_proba(xte)
            assert proba.dtype == np.float32 and proba.shape == (len(xte), len(names))
            print(f"{path}: {name}: fit {t * 1000:.1f} ms", file=sys.stderr)
            for i, p in enumerate(proba):
                w.writerow([name, i] + [repr(float(v)) for v in p])


def main():
    out = sys.argv[1] if len(sys.argv) > 1 else ROOT + "/tests/reference"
    print(f"xgboost {xgb.__version__}, numpy {np.__version__}", file=sys.stderr)
    data, names = abalone()
    write(out + "/abalone19_xgboost_proba.csv", data, names, ABALONE_CASES)
    data, names = iris()
    write(out + "/iris_imbalanced_xgboost_proba.csv", data, names, IRIS_CASES)


if __name__ == "__main__":
    main()
