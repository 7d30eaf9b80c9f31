#!/usr/bin/python3
"""Reference values for tests/test_stats.c (include/imbal/stats.h), from SciPy and numpy.

Writes tests/reference/stats_{intervals,paired,wilcoxon,friedman,bootstrap,nemenyi}.csv.
Vectors are ';'-separated in one cell; floats are repr() (17 significant digits, exact round
trip). Independent of imbal's code:
  intervals  numpy mean / std(ddof=1), scipy.stats.t.interval(level, n - 1, mean, se) with
             se = sd * sqrt(1/n + ratio) (ratio 0: the textbook interval; ratio n_test/n_train:
             Nadeau-Bengio's corrected resampled t, computed here in numpy);
  paired     ratio 0: scipy.stats.ttest_rel(a, b); ratio > 0: t = mean(d) / (sd(d) sqrt(1/n +
             ratio)), p = 2 t.sf(|t|, n - 1) (numpy + scipy.stats.t);
  wilcoxon   scipy.stats.wilcoxon(a, b, zero_method='wilcox', correction=c, method=m) with the
             method named in the row ('auto', or 'approx' where |d| tie: see stats.h);
  friedman   scipy.stats.friedmanchisquare (k >= 3), Iman-Davenport F and its p from
             scipy.stats.f.sf, average ranks from scipy.stats.rankdata(-row) (rank 1 = best);
  bootstrap  numpy.random.RandomState(seed): per resample randint(0, n, size=n), the means,
             numpy.quantile(means, [(1 - level) / 2, (1 + level) / 2]) (method 'linear');
  nemenyi    scipy.stats.studentized_range.ppf(1 - alpha, k, inf) / sqrt(2).
Run from the repository root (a second; output is deterministic):

    /usr/bin/python3 scripts/stats_reference.py
"""
import csv
import warnings

import numpy as np
import scipy
from scipy import stats

OUT = "tests/reference/"


def vec(v):
    return ";".join(repr(float(x)) for x in v)


def write(name, header, rows):
    with open(OUT + name, "w", newline="") as f:
        w = csv.writer(f, lineterminator="\n")
        w.writerow(header)
        w.writerows(rows)


def interval_row(case, x, ratio, level):
    x = np.asarray(x, dtype=float)
    n = len(x)
    m = np.mean(x)
    sd = np.std(x, ddof=1)
    se = sd * np.sqrt(1.0 / n + ratio)
    lo, hi = stats.t.interval(level, n - 1, loc=m, scale=se)
    return [case, vec(x), repr(ratio), repr(level), repr(m), repr(sd), repr(lo), repr(hi)]


def paired_row(case, a, b, ratio, level):
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    d = a - b
    n = len(d)
    m = np.mean(d)
    sd = np.std(d, ddof=1)
    se = sd * np.sqrt(1.0 / n + ratio)
    if ratio == 0.0:
        res = stats.ttest_rel(a, b)
        t, p = float(res.statistic), float(res.pvalue)
    else:
        t = m / se
        p = 2.0 * stats.t.sf(abs(t), n - 1)
    lo, hi = stats.t.interval(level, n - 1, loc=m, scale=se)
    return [case, vec(a), vec(b), repr(ratio), repr(level), repr(m), repr(sd), repr(float(t)),
            repr(float(p)), repr(lo), repr(hi)]


def wilcoxon_row(case, a, b, method, correction, imbal_method=None):
    """imbal_method: the method imbal is asked for (default: the same as SciPy's)."""
    a = np.asarray(a, dtype=float)
    b = np.asarray(b, dtype=float)
    with warnings.catch_warnings():
        warnings.simplefilter("ignore")
        res = stats.wilcoxon(a, b, zero_method="wilcox", correction=correction, method=method)
    d = a - b
    nz = int(np.sum(d != 0))
    has_zero = nz < len(d)
    has_tie = len(np.unique(np.abs(d[d != 0]))) < nz
    exact = int(method == "auto" and len(d) <= 50 and not has_zero)
    assert not (exact and has_tie), case
    return [case, vec(a), vec(b), method, imbal_method or method, int(correction),
            repr(float(res.statistic)), repr(float(res.pvalue)), nz, exact]


def friedman_row(case, table):
    t = np.asarray(table, dtype=float)
    n, k = t.shape
    chisq, p = stats.friedmanchisquare(*[t[:, j] for j in range(k)])
    ff = (n - 1) * chisq / (n * (k - 1) - chisq)
    df1, df2 = k - 1, (k - 1) * (n - 1)
    pf = stats.f.sf(ff, df1, df2)
    ranks = np.array([stats.rankdata(-row) for row in t])
    return [case, n, k, vec(t.ravel()), repr(float(chisq)), repr(float(p)), repr(float(ff)),
            repr(float(pf)), vec(ranks.mean(axis=0))]


def bootstrap_row(case, x, seed, b, level):
    x = np.asarray(x, dtype=float)
    n = len(x)
    rs = np.random.RandomState(seed)
    means = np.empty(b)
    for i in range(b):
        means[i] = np.mean(x[rs.randint(0, n, size=n)])
    lo, hi = np.quantile(means, [0.5 * (1.0 - level), 0.5 * (1.0 + level)])
    return [case, vec(x), seed, b, repr(level), repr(float(lo)), repr(float(hi))]


def main():
    rs = np.random.RandomState(14)
    # per-run scores of 10-fold CV repeated 5 times, an AUC-like scale
    cv50 = 0.85 + 0.03 * rs.standard_normal(50)
    cv10 = 0.70 + 0.05 * rs.standard_normal(10)
    small = [0.81, 0.84]
    big = 1e6 + rs.standard_normal(7)
    write("stats_intervals.csv", ["case", "x", "ratio", "level", "mean", "sd", "lo", "hi"], [
        interval_row("n2", small, 0.0, 0.95),
        interval_row("cv10_t95", cv10, 0.0, 0.95),
        interval_row("cv10_t90", cv10, 0.0, 0.90),
        interval_row("cv10_corrected", cv10, 1.0 / 9.0, 0.95),
        interval_row("cv50_t99", cv50, 0.0, 0.99),
        interval_row("cv50_corrected", cv50, 1.0 / 9.0, 0.95),
        interval_row("large_offset", big, 0.25, 0.95),
    ])

    a50 = cv50 + 0.01 + 0.01 * rs.standard_normal(50)
    a10 = cv10 - 0.02 + 0.03 * rs.standard_normal(10)
    write("stats_paired.csv", ["case", "a", "b", "ratio", "level", "mean", "sd", "t", "p", "lo",
                               "hi"], [
        paired_row("ttest_rel_50", a50, cv50, 0.0, 0.95),
        paired_row("corrected_50", a50, cv50, 1.0 / 9.0, 0.95),
        paired_row("ttest_rel_10", a10, cv10, 0.0, 0.95),
        paired_row("corrected_10", a10, cv10, 0.25, 0.90),
        paired_row("n2", [0.9, 0.7], [0.8, 0.75], 0.0, 0.95),
    ])

    corn = [6, 8, 14, 16, 23, 24, 28, 29, 41, -48, 49, 56, 60, -67, 75]
    zeros15 = np.zeros(15)
    w_a10 = a10
    ties_a = np.round(a10, 2)
    ties_b = np.round(cv10, 2)
    zero_a = w_a10.copy()
    zero_a[[2, 5]] = cv10[[2, 5]]
    d60 = rs.standard_normal(60) + 0.3
    d50 = rs.standard_normal(50) + 0.3
    d51 = rs.standard_normal(51) + 0.3
    tie_big = np.round(d60, 1)
    rows = [
        wilcoxon_row("corn_exact", corn, zeros15, "auto", False),
        wilcoxon_row("n10_exact", w_a10, cv10, "auto", False),
        wilcoxon_row("n50_exact", d50, np.zeros(50), "auto", False),
        wilcoxon_row("n51_approx", d51, np.zeros(51), "auto", False),
        wilcoxon_row("n60_approx", d60, np.zeros(60), "auto", False),
        wilcoxon_row("n60_approx_cc", d60, np.zeros(60), "auto", True),
        wilcoxon_row("zeros_approx", zero_a, cv10, "auto", False),
        wilcoxon_row("zeros_approx_cc", zero_a, cv10, "auto", True),
        wilcoxon_row("ties_approx", ties_a, ties_b, "approx", False, "auto"),
        # tied |d|, no zero, n <= 50: SciPy 1.10's auto reads the exact table at R+ = 40
        # (p 0.232421875); imbal's auto takes the normal approximation, SciPy's 'approx'
        wilcoxon_row("ties_nozero", [1, -1, 2, 3, -2, 4, 5, 6, 7, -8], np.zeros(10),
                     "approx", False, "auto"),
        wilcoxon_row("ties_nozero_cc", [1, -1, 2, 3, -2, 4, 5, 6, 7, -8], np.zeros(10),
                     "approx", True, "auto"),
        wilcoxon_row("ties_zeros_n60", tie_big, np.zeros(60), "auto", False),
        wilcoxon_row("ties_zeros_n60_cc", tie_big, np.zeros(60), "auto", True),
        wilcoxon_row("n1_exact", [0.9], [0.8], "auto", False),
        wilcoxon_row("centre_exact", [1, -2, -3, 4], [0, 0, 0, 0], "auto", False),
        wilcoxon_row("forced_approx", w_a10, cv10, "approx", False),
    ]
    write("stats_wilcoxon.csv", ["case", "a", "b", "method", "imbal_method", "correction",
                                 "statistic", "p",
                                 "n_used", "exact"], rows)

    f1 = 0.8 + 0.05 * rs.standard_normal((12, 4)) + np.array([0.0, 0.02, 0.01, -0.03])
    f2 = np.round(0.8 + 0.05 * rs.standard_normal((8, 5)), 2)
    f2[0, :] = 0.75  # one dataset ties all five
    f2[1, 1] = f2[1, 3]
    f3 = 0.7 + 0.1 * rs.standard_normal((30, 10))
    write("stats_friedman.csv", ["case", "n", "k", "score", "chisq", "p_chisq", "ff", "p_ff",
                                 "avg_rank"], [
        friedman_row("n12_k4", f1),
        friedman_row("ties_n8_k5", f2),
        friedman_row("n30_k10", f3),
    ])

    write("stats_bootstrap.csv", ["case", "x", "seed", "B", "level", "lo", "hi"], [
        bootstrap_row("cv10_b1000", cv10, 888, 1000, 0.95),
        bootstrap_row("cv50_b2000_90", cv50, 14, 2000, 0.90),
        bootstrap_row("n3_b7", [0.1, 0.5, 0.2], 5, 7, 0.95),
    ])

    rows = []
    for alpha in (0.05, 0.10):
        for k in range(2, 11):
            q = stats.studentized_range.ppf(1.0 - alpha, k, np.inf) / np.sqrt(2.0)
            rows.append([repr(alpha), k, repr(float(q))])
    write("stats_nemenyi.csv", ["alpha", "k", "q_computed"], rows)
    print("scipy", scipy.__version__, "numpy", np.__version__)


if __name__ == "__main__":
    main()
