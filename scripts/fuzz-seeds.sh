#!/bin/sh
# Rebuilds the raw seed inputs of the fuzz targets from files in the tree (datasets/,
# configs/, tests/data/) into DIR/<target>/ (default build/fuzz/seeds); the committed
# tests/fuzz/corpus/<target>/ is that set after libFuzzer's -merge=1 (see README, Fuzzing).
# The CSV and KEEL targets read one option byte before the file (tests/fuzz/fuzz_dataset.c).
set -eu
out=${1:-build/fuzz/seeds}
mkdir -p "$out/csv" "$out/keel" "$out/spec" "$out/params"
n=0
seed() { # seed TARGET MODEBYTE FILE [LINES]: the mode byte, then the file or its first LINES lines
    n=$((n + 1))
    if [ $# -ge 4 ]; then
        { printf "$2"; head -n "$4" "$3"; } > "$out/$1/seed$n"
    else
        { printf "$2"; cat "$3"; } > "$out/$1/seed$n"
    fi
}
for f in tests/data/*.csv; do seed csv '\000' "$f"; done
seed csv '\000' datasets/abalone19.csv 40
seed csv '\030' datasets/abalone19.csv 12   # categorical: Sex; positive: 1
seed csv '\000' datasets/abalone19_split.csv 20
{ printf '\100'; head -n 8 datasets/abalone19.csv; printf '%%%%\n'; head -n 1 datasets/abalone19.csv;
  sed -n 9,14p datasets/abalone19.csv; } > "$out/csv/two_files"
for f in tests/data/*.dat; do seed keel '\000' "$f"; done
seed keel '\000' datasets/abalone19.dat 40
seed keel '\000' datasets/ecoli.dat 40
seed keel '\000' datasets/abalone19-5fold/abalone19-5-1tst.dat 30
{ printf '\100'; head -n 20 datasets/abalone19-5fold/abalone19-5-1tra.dat; printf '%%%%\n';
  head -n 20 datasets/abalone19-5fold/abalone19-5-1tst.dat; } > "$out/keel/two_files"
for f in configs/*.yaml tests/data/*.yaml; do cp "$f" "$out/spec/$(basename "$f")"; done
# params: technique index, number of classes, count mode, then name=value lines
p() { n=$((n + 1)); printf "$1" > "$out/params/seed$n"; }
p '\000\000\000'
p '\001\002\000shrinkage=0.5\nsampling_strategy=auto\n'
p '\001\002\001sampling_strategy=negative:10,positive:40\n'
p '\001\003\002sampling_strategy=0:10,1:20,2:30\nshrinkage=none\n'
p '\002\002\000sampling_strategy=0.5\nreplacement=true\n'
p '\002\004\003sampling_strategy=not minority\n'
p '\003\002\000k_neighbors=3\nsampling_strategy=minority\n'
p '\003\000\000k_neigbors=3\n'
p '\004\005\001sampling_strategy=negative,positive\n'
p '\004\002\000sampling_strategy=majority\n'
p '\005\002\000voting=soft\nn_init=3\nsklearn_threads=2\nsampling_strategy=all\n'
p '\006\002\000k_neighbors=1\nsampling_strategy=1.0\n'
