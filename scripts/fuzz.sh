#!/bin/sh
# make fuzz: runs each libFuzzer target for SECONDS from its seeds in tests/fuzz/corpus/<name>/
# (new inputs are kept in $FUZZ_BUILD/corpus/<name>/, outside git; crashing inputs in
# $FUZZ_BUILD/artifacts/). A run longer than 10 s or above 2 GB counts as a finding.
# Usage: scripts/fuzz.sh SECONDS name... ; exit status 0 only when no target found anything.
# Extra libFuzzer flags may be given in FUZZ_FLAGS (e.g. -jobs=2).
seconds=$1
shift
build=${FUZZ_BUILD:-build/fuzz}
status=0
for name in "$@"; do
    corpus=$build/corpus/$name
    artifacts=$build/artifacts/$name
    mkdir -p "$corpus" "$artifacts"
    echo "fuzz: $name for ${seconds}s"
    # shellcheck disable=SC2086
    if "$build/fuzz_$name" -max_total_time="$seconds" -timeout=10 -rss_limit_mb=2048 \
        -max_len=65536 -print_final_stats=1 -artifact_prefix="$artifacts/" $FUZZ_FLAGS \
        "$corpus" "tests/fuzz/corpus/$name" > "$build/fuzz_$name.log" 2>&1; then
        # the final line: "#execs DONE cov: edges ft: features corp: inputs/size ..."
        echo "fuzz: $name: no finding in ${seconds}s: $(grep -E '^#[0-9]+[[:space:]]+DONE' \
            "$build/fuzz_$name.log" | tail -n 1 | tr -s ' \t' ' ')"
    else
        echo "fuzz: $name: FINDING (see $build/fuzz_$name.log, inputs in $artifacts/)"
        grep -E 'ERROR|SUMMARY|Test unit written' "$build/fuzz_$name.log" | head -n 5
        status=1
    fi
done
exit $status
