#!/bin/sh
# k-NN timings (bench/knn.c): the two targets on one core, uniform and clustered data, brute
# force against KD-tree, and the thread speed-up. Run from the repository root after make;
# QUICK=1 skips the slow uniform 50-D runs (about a minute each on one core).
# Every run also re-solves CHECK random rows with a plain scalar loop and fails on a mismatch.
set -eu
BIN=build/release/bench/knn
mkdir -p build/release/bench
cc -std=c11 -D_POSIX_C_SOURCE=200809L -O2 -fopenmp -Iinclude -Isrc bench/knn.c \
    build/release/libimbal.a -lm -o "$BIN"
one() { OMP_NUM_THREADS=1 "$BIN" "$@"; }

echo "== target 1: 5-NN of 100,000 uniform points in 10-D, against themselves, one core"
one uniform 100000 10 5 auto 1
echo "== target 2: Tomek links' 1-NN (skip_self) of 100,000 points in 50-D, one core"
one blobs50 100000 50 1 auto 1     # 50 Gaussian blobs of 2,000 (make_blobs-like, sd 1)
one blobs10 100000 50 1 auto 1     # 10 blobs of 10,000: 50-D isotropic inside each blob
one lowdim5 100000 50 1 auto 1     # 10 blobs in 5-D mapped linearly into 50-D
if [ "${QUICK:-0}" = 0 ]; then
    one uniform 100000 50 1 auto 1 50      # AUTO's probe falls back to brute force
    one uniform 100000 50 1 kdtree 1 50
fi
echo "== brute force against KD-tree, 20,000 rows, 5-NN, skip_self, one core"
for d in 2 10 20 50; do
    one uniform 20000 $d 5 brute 1
    one uniform 20000 $d 5 kdtree 1
done
one blobs10 20000 50 5 brute 1
one blobs10 20000 50 5 kdtree 1
echo "== other queries (n / 10 fresh rows of the same distribution), one core"
one uniform 100000 10 5 kdtree -1
one uniform 50000 50 5 brute -1
one uniform 50000 50 5 kdtree -1
echo "== all cores (OMP_NUM_THREADS unset)"
"$BIN" uniform 100000 10 5 auto 1
"$BIN" blobs10 100000 50 1 auto 1
