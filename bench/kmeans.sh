#!/bin/sh
# k-means timings (bench/kmeans.c, never part of make check): CPU seconds per fit on one core
# (taskset when there is one), imbal against scikit-learn 1.2 when Debian's python3 has it
# (bench/kmeans_sklearn.py, one BLAS/OpenMP thread), on the data of issue 15: abalone19's
# negatives (ClusterCentroids' fit on the whole class, k = 26, n_init 10) and 10,000 x 50
# blobs with k = 1,000 (n_init 1: each restart costs about the same on both sides).
# REPS (default 9) fits each, medians. Run from the repository root after make.
set -eu
BIN=build/release/bench/kmeans
mkdir -p build/release/bench
cc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -Iinclude -Isrc bench/kmeans.c \
    build/release/libimbal.a -lm -o "$BIN"
REPS=${REPS:-9}
pin=""
if command -v taskset > /dev/null 2>&1; then pin="taskset -c 0"; fi
py=""
if /usr/bin/python3 -c 'import sklearn, pandas' 2> /dev/null; then py=/usr/bin/python3; fi
sk() { OMP_NUM_THREADS=1 OPENBLAS_NUM_THREADS=1 $pin $py bench/kmeans_sklearn.py "$@" |
    awk '/sklearn_seconds/ {print $2}'; }
row() { # name imbal_seconds sklearn_seconds
    if [ -n "$3" ]; then
        printf '%-34s imbal %9.4f s   sklearn %9.4f s   %6.1fx\n' "$1" "$2" "$3" \
            "$(awk -v a="$3" -v b="$2" 'BEGIN {print a / b}')"
    else
        printf '%-34s imbal %9.4f s   sklearn (not installed)\n' "$1" "$2"
    fi
}
echo "== k-means, CPU seconds per fit (median of $REPS), one core"
t=$($pin "$BIN" abalone datasets/abalone19.csv 26 "$REPS" | sed 's/.*median \([0-9.]*\).*/\1/')
s=""; if [ -n "$py" ]; then s=$(sk abalone datasets/abalone19.csv 26 10 "$REPS"); fi
row "abalone19 negatives 4142x9 k=26" "$t" "$s"
tmp=$(mktemp -d)
"$BIN" dump 10000 50 1000 "$tmp/blobs.csv"
r=$(( REPS < 3 ? REPS : 3 ))
t=$($pin "$BIN" blobs 10000 50 1000 "$r" 1 | sed 's/.*median \([0-9.]*\).*/\1/')
s=""; if [ -n "$py" ]; then s=$(sk csv "$tmp/blobs.csv" 1000 1 "$r"); fi
row "blobs 10000x50 k=1000 (n_init 1)" "$t" "$s"
rm -rf "$tmp"
