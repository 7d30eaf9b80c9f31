#!/bin/sh
# Time per run of each catalogue technique on abalone19's published training fold (3339 rows):
# imbal (bench/catalogue.c, built against build/release/libimbal.a) beside imbalanced-learn
# (bench/catalogue.py, when Debian's python3-imblearn is installed), the median CPU time of
# ROUNDS rounds (default 7) on one core, the ratio and both output sizes. Timings only.
set -e
cd "$(dirname "$0")/.."
rounds=${ROUNDS:-7}
make -s build/release/libimbal.a
mkdir -p build/release/bench
cc -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic -Werror -O2 -ffp-contract=off \
    -Iinclude $(pkg-config --cflags gsl yaml-0.1) -o build/release/bench/catalogue \
    bench/catalogue.c build/release/libimbal.a $(pkg-config --libs gsl yaml-0.1) \
    $(sed -n 's/^SVM_LIBS := //p' build/release/config.mk) -lm -fopenmp
out=$(mktemp -d)
OMP_NUM_THREADS=1 taskset -c 0 ./build/release/bench/catalogue "$rounds" > "$out/imbal.csv"
if /usr/bin/python3 -c 'import imblearn, pandas' 2>/dev/null; then
    taskset -c 0 /usr/bin/python3 bench/catalogue.py "$rounds" > "$out/python.csv"
else
    echo "python3 with imbalanced-learn not found: imbal's times only"
    : > "$out/python.csv"
fi
awk -F, 'NR == FNR { if (FNR > 1) { py[$1] = $2; pr[$1] = $3 } next }
    FNR == 1 { printf "%-36s %10s %10s %8s %9s %9s\n", "technique", "imbal ms", "python ms",
               "ratio", "rows", "py rows"; next }
    { r = ($1 in py) && $2 > 0 ? sprintf("%.1fx", py[$1] / $2) : "-";
      printf "%-36s %10.3f %10s %8s %9s %9s\n", $1, $2, ($1 in py) ? py[$1] : "-", r, $3,
             ($1 in pr) ? pr[$1] : "-" }' "$out/python.csv" "$out/imbal.csv"
rm -rf "$out"
