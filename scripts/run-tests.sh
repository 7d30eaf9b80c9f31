#!/bin/sh
# Runs every Check test program given, from the repository root (tests read
# tests/reference/ and tests/data/), and prints one totals line for all of them.
# Exit status: 0 when every program passed.
passed=0
failed=0
status=0
for t in "$@"; do
    out=$("$t" 2>&1)
    rc=$?
    printf '%s\n' "$out"
    line=$(printf '%s\n' "$out" | grep -E '^[0-9]+%: Checks: ' | tail -n 1)
    n=$(printf '%s' "$line" | sed -E 's/.*Checks: ([0-9]+).*/\1/')
    f=$(printf '%s' "$line" | sed -E 's/.*Failures: ([0-9]+).*/\1/')
    e=$(printf '%s' "$line" | sed -E 's/.*Errors: ([0-9]+).*/\1/')
    if [ -z "$line" ]; then
        echo "$t: no Check summary (crashed?)"
        failed=$((failed + 1))
        status=1
        continue
    fi
    passed=$((passed + n - f - e))
    failed=$((failed + f + e))
    if [ "$rc" -ne 0 ]; then
        status=1
    fi
done
echo "tests: $passed passed, $failed failed"
[ "$failed" -eq 0 ] || status=1
exit $status
