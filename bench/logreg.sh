#!/bin/sh
# Builds bench/logreg.c against build/release/libimbal.a (make first) with the library's flags
# and runs it from the repository root: per-fit times of the exact logistic regression.
set -e
cd "$(dirname "$0")/.."
make -s build/release/libimbal.a
mkdir -p build/release/bench
cc -std=c11 -D_POSIX_C_SOURCE=200809L -Wall -Wextra -Wpedantic -Werror -O2 -ffp-contract=off \
    -Iinclude $(pkg-config --cflags gsl) -o build/release/bench/logreg bench/logreg.c \
    build/release/libimbal.a $(pkg-config --libs gsl) -lm -fopenmp
./build/release/bench/logreg "$@"
