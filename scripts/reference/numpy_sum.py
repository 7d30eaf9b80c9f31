#!/usr/bin/python3
"""Reference sums for src/pairwise.c: what numpy 1.24's np.add.reduce returns for float64
arrays, written to tests/reference/numpy_sum.csv. Run: /usr/bin/python3 scripts/reference/numpy_sum.py

The inputs are not stored: element i of case `seed` is computed from integers, so C and
Python build the same doubles (tests/test_pairwise.c has the same formula):
    h = splitmix64(seed * 2^32 + i)            (64-bit wrap-around arithmetic)
    u = (h >> 11) / 2^53                       (exact: an integer below 2^53 over a power of 2)
    a[i] = u * 1.1 - 0.3                       (two IEEE operations, rounded to nearest)
Columns: kind, seed, n, sum (%.17g), hex (float.hex, the exact bits).
kind "reduce": np.add.reduce(a) of a contiguous 1-D array (numpy adds pairwise sums of blocks
of 8192, its buffer size, to a running total); kind "row": np.add.reduce(A, axis=1)[1] of a
C-contiguous (2, n) array whose second row is a: one pairwise sum over the whole row (used
only for n <= 8192, where numpy makes a single inner-loop call).
"""
import sys
import numpy as np

M64 = (1 << 64) - 1


def splitmix64(x):
    z = (x + 0x9E3779B97F4A7C15) & M64
    z = ((z ^ (z >> 30)) * 0xBF58476D1CE4E5B9) & M64
    z = ((z ^ (z >> 27)) * 0x94D049BB133111EB) & M64
    return z ^ (z >> 31)


def values(seed, n):
    out = np.empty(n, dtype=np.float64)
    for i in range(n):
        u = float(splitmix64(((seed << 32) + i) & M64) >> 11) / 9007199254740992.0
        out[i] = u * 1.1 - 0.3
    return out


LENGTHS = [0, 1, 2, 7, 8, 9, 15, 16, 17, 100, 127, 128, 129, 130, 135, 136, 137, 255, 256,
           257, 1000, 1023, 1024, 1025, 4099, 8191, 8192, 8193, 8200, 16383, 16384, 16385,
           20000, 24577, 50000]


def main():
    assert np.__version__ == "1.24.2", np.__version__
    rows = ["kind,seed,n,sum,hex"]
    for seed in (1, 2):
        for n in LENGTHS:
            a = values(seed, n)
            s = float(np.add.reduce(a))
            rows.append("reduce,%d,%d,%.17g,%s" % (seed, n, s, s.hex()))
            if n <= 8192:
                A = np.zeros((2, n))
                A[1] = a
                r = float(np.add.reduce(A, axis=1)[1])
                rows.append("row,%d,%d,%.17g,%s" % (seed, n, r, r.hex()))
    with open(sys.argv[1] if len(sys.argv) > 1 else "tests/reference/numpy_sum.csv", "w") as f:
        f.write("\n".join(rows) + "\n")


main()
