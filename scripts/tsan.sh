#!/bin/sh
# make tsan: runs Check programs and `imbal run -j 2` built with ThreadSanitizer and libomp
# (see the Makefile's tsan block), with two OpenMP threads, and fails on any report.
# Usage: scripts/tsan.sh IMBAL TEST_PROGRAM... (from the repository root, as make check).
# Archer, libomp's TSan tool, is named in OMP_TOOL_LIBRARIES: without it TSan cannot see
# OpenMP's synchronisation and reports races that are not there. Each program's output is
# kept in $TSAN_BUILD/<name>.log; a report there, a failed test or a missing Check summary
# fails the run. CK_TIMEOUT_MULTIPLIER scales the tests' timeouts for the instrumented code.
bin=$1
shift
build=${TSAN_BUILD:-build/tsan}
archer=${ARCHER_LIB:-$(ls /usr/lib/llvm-*/lib/libarcher.so 2>/dev/null | sort -V | tail -n 1)}
if [ -z "$archer" ] || [ ! -f "$archer" ]; then
    echo "tsan: libarcher.so not found (apt-get install libomp-14-dev, or set ARCHER_LIB)" >&2
    exit 2
fi
OMP_TOOL_LIBRARIES=$archer
OMP_NUM_THREADS=2
scratch=$(mktemp -d "${TMPDIR:-/tmp}/imbal-tsan.XXXXXX") || exit 2
trap 'rm -rf "$scratch"' EXIT
# ignore_noninstrumented_modules: libomp itself is not instrumented (Archer asks for it).
# log_path: every process's report (also of the imbal processes the CLI tests start, whose
# stderr the tests capture) lands in $scratch/report.<pid>, which check() looks for.
TSAN_OPTIONS="ignore_noninstrumented_modules=1 halt_on_error=1 exitcode=66 second_deadlock_stack=1 log_path=$scratch/report $TSAN_OPTIONS"
CK_TIMEOUT_MULTIPLIER=${CK_TIMEOUT_MULTIPLIER:-10}
BIN=$bin
export OMP_TOOL_LIBRARIES OMP_NUM_THREADS TSAN_OPTIONS ARCHER_OPTIONS CK_TIMEOUT_MULTIPLIER BIN
status=0

# check LOG WHAT [archer]: fails the run on a TSan report; with "archer", also when Archer
# did not start (then TSan could not see OpenMP's ordering and a clean log would prove
# nothing). Programs whose own process runs no OpenMP (test_cli starts imbal processes and
# keeps their stderr) print no Archer line; the imbal run below always must.
check() {
    for r in "$scratch"/report.*; do
        [ -f "$r" ] || continue
        cat "$r" >> "$1"
        rm -f "$r"
    done
    if grep -q 'WARNING: ThreadSanitizer\|ERROR: ThreadSanitizer' "$1"; then
        echo "tsan: $2: REPORT (see $1)"
        grep -A 12 'WARNING: ThreadSanitizer\|ERROR: ThreadSanitizer' "$1" | head -n 30
        status=1
        return 1
    fi
    if [ "$3" = archer ] && ! grep -q 'Archer detected OpenMP application with TSan' "$1"; then
        echo "tsan: $2: Archer did not start (see $1)"
        status=1
        return 1
    fi
    return 0
}

mkdir -p "$build"
for t in "$@"; do
    name=$(basename "$t")
    log=$build/$name.log
    start=$(date +%s)
    "$t" > "$log" 2>&1
    rc=$?
    summary=$(grep -E '^[0-9]+%: Checks: ' "$log" | tail -n 1)
    if check "$log" "$name"; then
        if [ "$rc" -ne 0 ] || [ -z "$summary" ]; then
            echo "tsan: $name: FAILED (exit $rc; see $log)"
            grep -E '^[0-9]+%: Checks: |:[EF]:' "$log" | head -n 10
            status=1
        else
            echo "tsan: $name: clean, $summary ($(($(date +%s) - start)) s)"
        fi
    fi
done

# The CLI end to end with two threads: runs, the progress line, report writing. script(1)
# gives it a terminal, so the progress callback (only drawn on a tty) runs too. Archer's
# verbose line (on stdout, so not in the tests above, which compare stdout) proves it started.
log=$build/imbal-run.log
start=$(date +%s)
cmd="$bin run configs/demo.yaml -j 2 -o $scratch/demo"
if command -v script > /dev/null 2>&1; then
    ARCHER_OPTIONS="verbose=1 $ARCHER_OPTIONS" script -qec "$cmd" /dev/null > "$log" 2>&1
else
    ARCHER_OPTIONS="verbose=1 $ARCHER_OPTIONS" $cmd > "$log" 2>&1
fi
rc=$?
if check "$log" "imbal run -j 2" archer; then
    if [ "$rc" -ne 0 ] || [ ! -s "$scratch/demo/runs.csv" ] || ! grep -q '30/30 runs' "$log"; then
        echo "tsan: imbal run -j 2: FAILED (exit $rc; see $log)"
        status=1
    else
        echo "tsan: imbal run configs/demo.yaml -j 2 (on a tty, with progress): clean" \
            "($(($(date +%s) - start)) s)"
    fi
fi
[ "$status" -eq 0 ] && echo "tsan: no report"
exit $status
