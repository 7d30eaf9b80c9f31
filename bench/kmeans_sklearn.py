"""scikit-learn's side of bench/kmeans.sh (never part of make check).

KMeans(n_clusters=K, n_init=NINIT, random_state=r) as scikit-learn 1.2 runs it (k-means++,
Lloyd), timed in CPU seconds per fit over REPS fits (r = 0 .. REPS - 1), on one of:
  abalone FILE   the negatives of abalone19.csv, Sex one-hot (drop first): 4142 x 9
  csv FILE       a headerless numeric CSV (bench/kmeans dump writes the blobs)
Run it with one thread (OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1). Prints
"sklearn_seconds <median> <min>".
Usage: kmeans_sklearn.py abalone|csv FILE K NINIT REPS
"""
import sys
import time
import warnings

import numpy as np
import pandas as pd
from sklearn.cluster import KMeans

warnings.filterwarnings("ignore")


def main(kind, path, k, n_init, reps):
    if kind == "abalone":
        df = pd.read_csv(path)
        df = df[df.pop("Class") == "negative"]
        X = pd.get_dummies(df, columns=["Sex"], drop_first=True).to_numpy(dtype=float)
    else:
        X = np.loadtxt(path, delimiter=",")
    ts = []
    for r in range(reps):
        t0 = time.process_time()
        KMeans(n_clusters=k, n_init=n_init, random_state=r).fit(X)
        ts.append(time.process_time() - t0)
    print(f"sklearn_seconds {np.median(ts):.6f} {min(ts):.6f}")


if __name__ == "__main__":
    main(sys.argv[1], sys.argv[2], int(sys.argv[3]), int(sys.argv[4]), int(sys.argv[5]))
