#!/bin/sh
# Spec loading is linear in the spec (issue 11): times `imbal validate` on 10,000 and 20,000
# techniques (the second should take about twice the first), 2,000 aliases to one technique
# (21 s and 1.2 GB before) and 20,000 nested lists (seconds in libyaml's loader before).
# Timings only; tests/test_spec_limits.c checks the same inputs' results.
set -e
cd "$(dirname "$0")/.."
dir=$(mktemp -d)
techniques() { # techniques N FILE
    awk -v n="$1" 'BEGIN {
        print "datasets:\n  - {format: synthetic}\ntechniques:"
        for (i = 0; i < n; i++)
            printf "  - {name: t%d, sampler: smote, params: {k_neighbors: %d}}\n", i, 1 + i % 7
    }' > "$2"
}
timed() { # timed LABEL FILE: wall time and peak RSS of imbal validate
    s=$(date +%s.%N)
    /usr/bin/env time -f '%M' -o "$dir/rss" ./imbal validate "$2" > /dev/null 2>&1 || true
    e=$(date +%s.%N)
    printf '%-34s %7.3f s  %6d KB peak\n' "$1" "$(awk -v s="$s" -v e="$e" 'BEGIN {print e - s}')" \
        "$(tail -n 1 "$dir/rss")"
}
techniques 10000 "$dir/t10k.yaml"
techniques 20000 "$dir/t20k.yaml"
awk 'BEGIN { print "techniques:\n  - &a {name: x, sampler: none}"; for (i = 1; i < 2000; i++) print "  - *a" }' \
    > "$dir/alias.yaml"
awk 'BEGIN { printf "techniques: "; for (i = 0; i < 20000; i++) printf "["; for (i = 0; i < 20000; i++) printf "]"; print "" }' \
    > "$dir/deep.yaml"
timed "validate, 10,000 techniques" "$dir/t10k.yaml"
timed "validate, 20,000 techniques" "$dir/t20k.yaml"
timed "validate, 2,000 aliases (refused)" "$dir/alias.yaml"
timed "validate, 20,000 deep (refused)" "$dir/deep.yaml"
rm -rf "$dir"
