#!/bin/sh
# make bench: times configs/abalone-cv.yaml (500 runs) with one thread and with all cores,
# and, when Debian's python3 has scikit-learn and imbalanced-learn, the same grid in Python,
# printing the speed-up. Then the neighbour-search benchmark, if built. Timings only: the
# unit tests never time anything.
set -e
cd "$(dirname "$0")/.."
cores=$(nproc 2>/dev/null || echo 1)
best() { # best of 3 wall-clock runs of "$@", in seconds
    b=""
    for i in 1 2 3; do
        s=$(date +%s.%N)
        "$@" > /dev/null
        e=$(date +%s.%N)
        t=$(awk -v s="$s" -v e="$e" 'BEGIN {print e - s}')
        if [ -z "$b" ] || [ "$(awk -v t="$t" -v b="$b" 'BEGIN {print (t < b)}')" = 1 ]; then b=$t; fi
    done
    echo "$b"
}
out=$(mktemp -d)
t1=$(best ./imbal run configs/abalone-cv.yaml -q -j 1 -o "$out/j1")
tn=$(best ./imbal run configs/abalone-cv.yaml -q -j "$cores" -o "$out/jn")
printf 'imbal abalone-cv (500 runs), whole process: -j 1 %.3f s, -j %s %.3f s (speed-up %.2f)\n' \
    "$t1" "$cores" "$tn" "$(awk -v a="$t1" -v b="$tn" 'BEGIN {print a / b}')"
if cmp -s "$out/j1/runs.csv" "$out/jn/runs.csv" && cmp -s "$out/j1/summary.csv" "$out/jn/summary.csv"; then
    echo "outputs of -j 1 and -j $cores are identical"
else
    echo "WARNING: outputs of -j 1 and -j $cores differ"
fi
if /usr/bin/python3 -c 'import sklearn, imblearn, pandas' 2>/dev/null; then
    py=$(/usr/bin/python3 bench/abalone_cv.py datasets/abalone19.csv 2>/dev/null | awk '/python_seconds/ {print $2}')
    printf 'python (scikit-learn + imbalanced-learn, one core) same grid: %.3f s; imbal -j 1 is %.0fx faster\n' \
        "$py" "$(awk -v a="$py" -v b="$t1" 'BEGIN {print a / b}')"
else
    echo "python3 with scikit-learn/imbalanced-learn not found: skipping the Python comparison"
fi
rm -rf "$out"
# the k-means, logistic-regression and neighbour-search benchmarks (QUICK=0 adds the minute-long
# uniform 50-D neighbour runs)
sh bench/kmeans.sh
sh bench/logreg.sh
sh bench/spec.sh
QUICK=${QUICK:-1} sh bench/knn.sh
