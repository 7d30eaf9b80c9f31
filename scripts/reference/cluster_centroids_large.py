#!/usr/bin/python3
"""ClusterCentroids with more than 64 clusters (k-means code paths without centre-to-centre
tables, src/kmeans_assign.c), computed with Debian's scikit-learn 1.2.1 / imbalanced-learn
0.10.0 / numpy 1.24.2. Run from the repository root:
    /usr/bin/python3 scripts/reference/cluster_centroids_large.py
Writes tests/reference/large_k_input.csv (x0..x5,class: make_classification(n_samples=1000,
n_features=6, n_informative=4, n_redundant=1, weights=[0.87], flip_y=0, random_state=11))
and tests/reference/large_k_cluster_centroids.csv (case,x0..x5: the majority-class rows, in
output order, of ClusterCentroids(random_state=4242, ...).fit_resample(X, y)):
  auto_1thread     sampling_strategy auto: k = the minority count, OMP_NUM_THREADS=1
  auto_2threads    the same with OMP_NUM_THREADS=2 (sklearn_threads: 2 in imbal)
  count300_1thread sampling_strategy {0: 300}: k = 300, OMP_NUM_THREADS=1
Each case runs in a child process, since OpenMP reads OMP_NUM_THREADS once at start-up.
Floats are written %.17g.
"""
import os
import subprocess
import sys

CASES = {"auto_1thread": ("auto", "1"), "auto_2threads": ("auto", "2"),
         "count300_1thread": ("300", "1")}


def data():
    from sklearn.datasets import make_classification
    return make_classification(n_samples=1000, n_features=6, n_informative=4, n_redundant=1,
                               weights=[0.87], flip_y=0, random_state=11)


def child(strategy):
    import numpy as np
    import imblearn
    import sklearn
    from imblearn.under_sampling import ClusterCentroids
    assert sklearn.__version__ == "1.2.1" and imblearn.__version__ == "0.10.0"
    assert np.__version__ == "1.24.2"
    X, y = data()
    ss = "auto" if strategy == "auto" else {0: int(strategy)}
    Xr, yr = ClusterCentroids(sampling_strategy=ss, random_state=4242).fit_resample(X, y)
    for row in Xr[yr == 0]:
        print(",".join("%.17g" % v for v in row))


def main():
    if len(sys.argv) > 2 and sys.argv[1] == "--child":
        child(sys.argv[2])
        return
    X, y = data()
    with open("tests/reference/large_k_input.csv", "w") as f:
        f.write("x0,x1,x2,x3,x4,x5,class\n")
        for row, c in zip(X, y):
            f.write(",".join("%.17g" % v for v in row) + ",%d\n" % c)
    lines = ["case,x0,x1,x2,x3,x4,x5"]
    for name, (strategy, threads) in CASES.items():
        env = dict(os.environ, OMP_NUM_THREADS=threads)
        out = subprocess.run([sys.executable, __file__, "--child", strategy], env=env,
                             check=True, capture_output=True, text=True).stdout
        lines += [name + "," + l for l in out.splitlines()]
    with open("tests/reference/large_k_cluster_centroids.csv", "w") as f:
        f.write("\n".join(lines) + "\n")


main()
