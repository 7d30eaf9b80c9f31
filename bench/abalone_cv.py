"""The Python equivalent of configs/abalone-cv.yaml, for `make bench` only.

scikit-learn + imbalanced-learn: 10 x 5 repeated stratified CV on abalone19, the ten rows of
the abalone table, default LogisticRegression, ROC AUC on each test fold. Prints the wall time
of the grid (data loading excluded) as "python_seconds <t>".
"""
import sys
import time
import warnings

import numpy as np
import pandas as pd
from imblearn.combine import SMOTETomek
from imblearn.over_sampling import SMOTE, RandomOverSampler
from imblearn.under_sampling import ClusterCentroids, RandomUnderSampler, TomekLinks
from sklearn.linear_model import LogisticRegression
from sklearn.metrics import roc_auc_score
from sklearn.model_selection import RepeatedStratifiedKFold

warnings.filterwarnings("ignore")


def main(path):
    df = pd.read_csv(path)
    y = (df.pop("Class") == "positive").astype(int).to_numpy()
    X = pd.get_dummies(df, columns=["Sex"], drop_first=True).to_numpy(dtype=float)
    rows = [
        ("original", None, None),
        ("random_over", lambda: RandomOverSampler(random_state=42), None),
        ("random_over_shrinkage_0.1", lambda: RandomOverSampler(random_state=42, shrinkage=0.1), None),
        ("smote", lambda: SMOTE(random_state=42), None),
        ("random_under", lambda: RandomUnderSampler(random_state=42), None),
        ("cluster_centroids", lambda: ClusterCentroids(random_state=42), None),
        ("tomek_links", lambda: TomekLinks(), None),
        ("smote_tomek", lambda: SMOTETomek(random_state=42), None),
        ("class_weight_balanced", None, "balanced"),
        ("class_weight_1_100", None, {0: 1, 1: 100}),
    ]
    cv = RepeatedStratifiedKFold(n_splits=5, n_repeats=10, random_state=42)
    folds = list(cv.split(X, y))
    t0 = time.perf_counter()
    for name, make_sampler, cw in rows:
        aucs = []
        for train, test in folds:
            Xt, yt = X[train], y[train]
            if make_sampler is not None:
                Xt, yt = make_sampler().fit_resample(Xt, yt)
            clf = LogisticRegression(class_weight=cw).fit(Xt, yt)
            aucs.append(roc_auc_score(y[test], clf.predict_proba(X[test])[:, 1]))
        print(f"{name:28s} auc {np.mean(aucs):.4f} +- {np.std(aucs, ddof=1):.4f}", file=sys.stderr)
    print(f"python_seconds {time.perf_counter() - t0:.3f}")


if __name__ == "__main__":
    main(sys.argv[1])
