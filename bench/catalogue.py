"""Time per run of every technique of bench/catalogue.c with imbalanced-learn (0.10, Debian's
python3-imblearn) on abalone19's training fold of the published split: fit_resample with
random_state=888, the median of R rounds of process CPU time (one BLAS thread). Prints
technique,python_ms,rows_out. Usage: /usr/bin/python3 bench/catalogue.py [rounds]."""
import os
import sys
import time

os.environ.setdefault("OMP_NUM_THREADS", "1")
os.environ.setdefault("OPENBLAS_NUM_THREADS", "1")

import warnings  # noqa: E402

import numpy as np  # noqa: E402
import pandas as pd  # noqa: E402
from imblearn import combine, over_sampling as ov, under_sampling as un  # noqa: E402

warnings.filterwarnings("ignore", category=FutureWarning)  # KMeans n_init notice
rounds = int(sys.argv[1]) if len(sys.argv) > 1 else 7
df = pd.read_csv("datasets/abalone19.csv")
split = pd.read_csv("datasets/abalone19_split.csv")
train = split.loc[split["set"] == "train", "row"].to_numpy()
y = (df["Class"].str.strip() == "positive").astype(int).to_numpy()[train]
num = df.drop(columns=["Sex", "Class"]).to_numpy(dtype=float)
sex = df["Sex"].to_numpy()
x = np.column_stack([num, sex == "I", sex == "M"]).astype(float)[train]
x_nc = np.column_stack([num[train], sex[train]]).astype(object)

S = 888
techniques = [
    ("random_over", lambda: ov.RandomOverSampler(random_state=S)),
    ("random_over_shrinkage_0.1", lambda: ov.RandomOverSampler(shrinkage=0.1, random_state=S)),
    ("smote", lambda: ov.SMOTE(random_state=S)),
    ("adasyn", lambda: ov.ADASYN(random_state=S)),
    ("borderline_smote_1", lambda: ov.BorderlineSMOTE(random_state=S)),
    ("borderline_smote_2", lambda: ov.BorderlineSMOTE(kind="borderline-2", random_state=S)),
    ("svm_smote", lambda: ov.SVMSMOTE(random_state=S)),
    ("smote_nc", lambda: ov.SMOTENC(categorical_features=[7], random_state=S)),
    ("random_under", lambda: un.RandomUnderSampler(random_state=S)),
    ("cluster_centroids", lambda: un.ClusterCentroids(random_state=S)),
    ("tomek_links", lambda: un.TomekLinks()),
    ("edited_nearest_neighbours", lambda: un.EditedNearestNeighbours()),
    ("repeated_edited_nearest_neighbours", lambda: un.RepeatedEditedNearestNeighbours()),
    ("all_knn", lambda: un.AllKNN()),
    ("near_miss_1", lambda: un.NearMiss(version=1)),
    ("near_miss_2", lambda: un.NearMiss(version=2)),
    ("near_miss_3", lambda: un.NearMiss(version=3)),
    ("condensed_nearest_neighbour", lambda: un.CondensedNearestNeighbour(random_state=S)),
    ("one_sided_selection", lambda: un.OneSidedSelection(random_state=S)),
    ("neighbourhood_cleaning_rule", lambda: un.NeighbourhoodCleaningRule()),
    ("smote_tomek", lambda: combine.SMOTETomek(random_state=S)),
    ("smote_enn", lambda: combine.SMOTEENN(random_state=S)),
]
only = sys.argv[2] if len(sys.argv) > 2 else None
print("technique,python_ms,rows_out")
for name, make in techniques:
    if only is not None and name != only:
        continue
    xs = x_nc if name == "smote_nc" else x
    ms = []
    rows = 0
    for _ in range(rounds):
        s = make()
        t0 = time.process_time()
        xr, _yr = s.fit_resample(xs, y)
        ms.append(1e3 * (time.process_time() - t0))
        rows = len(xr)
    print(f"{name},{sorted(ms)[len(ms) // 2]:.4f},{rows}")
