/* Statistics over the runs of an experiment: intervals for one technique's per-run scores,
 * paired tests of two techniques scored on the same folds, and the multi-dataset comparison
 * of Demsar (2006). Distribution functions are GSL's (gsl_cdf_*), never hand-rolled.
 * Agreement: p-values, statistics and interval ends match SciPy 1.10.1 / numpy 1.24.2 to 1e-10
 * absolute for p-values (they lie in [0, 1]) and 1e-10 relative to max(1, |value|) for the
 * rest (tests/reference/stats_*.csv, made by scripts/stats_reference.py).
 * Every call checks its input first and leaves its outputs unchanged on error. */
#ifndef IMBAL_STATS_H
#define IMBAL_STATS_H

#include <stddef.h>

#include "imbal/error.h"
#include "imbal/rng.h"

/* An interval for the mean of n per-run values (or of n paired differences). */
typedef struct {
    size_t n;
    double mean;
    double sd;    /* sample standard deviation, n - 1 denominator */
    double lo;    /* interval ends at the requested level */
    double hi;
    double level; /* e.g. 0.95 */
} imbal_interval;

/* Mean, sample sd and the Student t interval mean -/+ t_{n-1, (1 + level) / 2} * se with
 *     se = sd * sqrt(1 / n + test_train_ratio).
 * test_train_ratio = 0 gives the textbook interval (scipy.stats.t.interval(level, n - 1, mean,
 * sd / sqrt(n))). For the n = k * r runs of r-times repeated k-fold cross-validation, pass
 * n_test / n_train (1 / (k - 1) for equal folds): the Nadeau-Bengio corrected resampled t,
 * whose variance factor 1 / J + n_test / n_train (J = n runs) is the one of Weka's
 * PairedCorrectedTTester; it widens the interval for the overlap of the training sets.
 * EINVAL when n < 2, level is not in (0, 1), test_train_ratio < 0 or not finite, or a value is
 * not finite. All values equal (sd = 0): IMBAL_OK with lo = hi = mean (no spread was seen). */
imbal_status imbal_stats_t_interval(const double *x, size_t n, double test_train_ratio,
                                    double level, imbal_interval *out, imbal_error *err);

/* Percentile bootstrap: n_resamples resamples of size n drawn with replacement by
 * imbal_rng_below(rng, n) (n draws per resample, resample by resample), the mean of each, and
 * the interval ends at the quantiles (1 - level) / 2 and (1 + level) / 2 of those B means by
 * numpy's default rule (percentile method 'linear', Hyndman-Fan type 7): sorted means m_0 <=
 * ... <= m_{B-1}, h = (B - 1) q, value m_floor(h) + (h - floor(h)) (m_floor(h)+1 - m_floor(h)).
 * With an IMBAL_RNG_NUMPY rng seeded s, the resamples are numpy's RandomState(s).randint(0, n,
 * size=n), one call per resample. mean and sd are those of x (sd = 0 when n = 1).
 * EINVAL when n < 1, n_resamples < 2, level is not in (0, 1) or a value is not finite;
 * ENOMEM. */
imbal_status imbal_stats_bootstrap_interval(const double *x, size_t n, double level,
                                            size_t n_resamples, imbal_rng *rng,
                                            imbal_interval *out, imbal_error *err);

/* A paired t-test of a[i] - b[i] (technique a against technique b on the same n runs). */
typedef struct {
    imbal_interval diff; /* mean difference a - b, its sd and its (corrected) interval */
    double t;            /* mean / (sd * sqrt(1 / n + test_train_ratio)) */
    double df;           /* n - 1 */
    double p;            /* two-sided: 2 * P(T_df > |t|) */
} imbal_paired_t;

/* The corrected resampled paired t-test: t on the differences with variance factor
 * 1 / n + test_train_ratio; 0 gives scipy.stats.ttest_rel. The interval as
 * imbal_stats_t_interval on the differences. EINVAL as imbal_stats_t_interval, and when all
 * differences are equal (zero variance: t is undefined, or infinite, and no p-value is
 * honest); *out is then unchanged. */
imbal_status imbal_stats_paired_t(const double *a, const double *b, size_t n,
                                  double test_train_ratio, double level, imbal_paired_t *out,
                                  imbal_error *err);

typedef enum {
    IMBAL_WILCOXON_AUTO = 0, /* exact when n <= 50 and no zero and no tie, else normal */
    IMBAL_WILCOXON_EXACT,    /* EINVAL if a difference is zero or two |differences| tie */
    IMBAL_WILCOXON_APPROX    /* normal approximation always */
} imbal_wilcoxon_method;

typedef struct {
    double statistic; /* T = min(R+, R-), the smaller signed-rank sum */
    double z;         /* the normal deviate (T - mean - c) / se; 0 when the exact law was used */
    double p;         /* two-sided */
    size_t n_used;    /* non-zero differences ranked */
    int exact;        /* 1 when p is from the exact null distribution */
} imbal_wilcoxon;

/* Wilcoxon signed-rank test of d = a - b, two-sided, as scipy.stats.wilcoxon(a, b) of SciPy
 * 1.10 with zero_method='wilcox' (zero differences are dropped before ranking; |d| ranked with
 * ties averaged). Exact: the null law of R+ over the 2^m sign patterns of ranks 1..m,
 * p = min(1, 2 min(P(R+ <= r), P(R+ >= r))), and p = 1 when r is the centre. Normal:
 * mean m(m+1)/4, variance (m(m+1)(2m+1) - sum_t (t^3 - t) / 2) / 24 over the groups of t tied
 * |d| (the tie correction), z = (T - mean - c) / se with c = sign(T - mean) / 2 when
 * continuity is non-zero and 0 otherwise, p = 2 Q(|z|).
 * AUTO decides on n, the count before zeros are dropped, as SciPy does: exact when n <= 50 and
 * no difference is zero. It departs from SciPy 1.10 in one case, tied |d| without zeros:
 * SciPy then still reads the exact table at int(R+) (a half rank truncated; its docs say the
 * result is no longer exact), imbal uses the tie-corrected normal approximation, which is
 * SciPy's wilcoxon(a, b, method='approx') there.
 * EINVAL when n < 1, a value is not finite, every difference is zero (SciPy raises too), or
 * EXACT is asked for with zeros or ties. ENOMEM. */
imbal_status imbal_stats_wilcoxon(const double *a, const double *b, size_t n,
                                  imbal_wilcoxon_method method, int continuity,
                                  imbal_wilcoxon *out, imbal_error *err);

/* Holm's step-down adjustment of m p-values: with p sorted ascending p_(1) <= ... <= p_(m)
 * (equal p-values keep their input order), adj_(i) = min(1, max_{j <= i} (m - j + 1) p_(j));
 * adj[i] belongs to p[i]. adj may be p. EINVAL when m < 1 or a p-value is outside [0, 1] or
 * NaN. ENOMEM. */
imbal_status imbal_stats_holm(const double *p, size_t m, double *adj, imbal_error *err);

/* Ranks of k techniques on each of n datasets, score[i * k + j] = technique j on dataset i:
 * rank 1 is the best (the highest score when higher_is_better, else the lowest), exactly
 * equal scores share the average of their ranks. rank[i * k + j] (may be NULL) and
 * avg_rank[j] = mean over datasets. EINVAL when n < 1, k < 1 or a score is not finite. */
imbal_status imbal_stats_ranks(const double *score, size_t n, size_t k, int higher_is_better,
                               double *rank, double *avg_rank, imbal_error *err);

typedef struct {
    size_t n, k;     /* datasets, techniques */
    double chisq;    /* Friedman chi-square, tie-corrected as scipy.stats.friedmanchisquare */
    double p_chisq;  /* Q_chi2(chisq; k - 1) */
    double ff;       /* Iman-Davenport F = (n - 1) chisq / (n (k - 1) - chisq) */
    double df1, df2; /* k - 1, (k - 1)(n - 1) */
    double p_ff;     /* Q_F(ff; df1, df2); ff = inf and p_ff = 0 when the ranks agree on every
                      * dataset (chisq = n (k - 1)) */
} imbal_friedman;

/* Friedman test on the score table of imbal_stats_ranks (ranking direction does not change
 * it). chisq = (12 / (n k (k + 1)) sum_j R_j^2 - 3 n (k + 1)) / C, R_j the rank sums, C = 1 -
 * sum_t (t^3 - t) / (n k (k^2 - 1)) over the groups of t tied scores within a dataset (C = 1
 * without ties: Demsar's formula). EINVAL when n < 2, k < 2, a score is not finite, or every
 * dataset ties all techniques (C = 0). */
imbal_status imbal_stats_friedman(const double *score, size_t n, size_t k, imbal_friedman *out,
                                  imbal_error *err);

/* Nemenyi critical difference of average ranks, CD = q_alpha sqrt(k (k + 1) / (6 n)), with
 * q_alpha from Demsar (2006) Table 5(a), the studentized range quantile (infinite df) / sqrt(2)
 * with 3 decimals as printed there, so that published CD diagrams are reproduced; three entries
 * (k = 3 and 7 at 0.05, k = 5 at 0.10) are 0.001 below the rounded quantile, and the test checks
 * all 18 against scipy.stats.studentized_range to within 0.001. alpha is 0.05 or 0.10 (compared
 * exactly), 2 <= k <= 10, n >= 1; else EINVAL. *q (may be NULL) gets q_alpha. */
imbal_status imbal_stats_nemenyi_cd(size_t k, size_t n, double alpha, double *cd, double *q,
                                    imbal_error *err);

#endif
