/* Statistics (include/imbal/stats.h): every row of tests/reference/stats_*.csv (SciPy 1.10.1 /
 * numpy 1.24.2, made by scripts/stats_reference.py) to 1e-10 -- absolute for p-values, which
 * lie in [0, 1], relative to max(1, |want|) for means, sds, statistics and interval ends --
 * hand-computed cases whose arithmetic is in the comments, and the edge and error paths. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "imbal/rng.h"
#include "imbal/stats.h"
#include "util.h"

#define MAXV 400
#define TOL 1e-10

static void assert_rel(double got, double want, const char *what, const char *which)
{
    double scale = fabs(want) > 1.0 ? fabs(want) : 1.0;
    ck_assert_msg(fabs(got - want) <= TOL * scale, "%s %s: got %.17g, want %.17g", which, what,
                  got, want);
}

static void assert_p(double got, double want, const char *which)
{
    ck_assert_msg(fabs(got - want) <= TOL, "%s p: got %.17g, want %.17g", which, got, want);
}

/* A ';'-separated vector cell; returns its length. */
static size_t parse_vec(const char *s, double *out)
{
    size_t n = 0;
    const char *p = s;
    while (*p != '\0') {
        char *end = NULL;
        ck_assert_uint_lt(n, MAXV);
        out[n++] = strtod(p, &end);
        ck_assert_ptr_ne(end, p);
        p = *end == ';' ? end + 1 : end;
    }
    return n;
}

START_TEST(t_intervals_match_scipy)
{
    ref_table *t = ref_read("tests/reference/stats_intervals.csv");
    ck_assert_uint_ge(t->n_rows, 7);
    for (size_t r = 0; r < t->n_rows; r++) {
        double x[MAXV];
        const char *c = ref_str(t, r, "case");
        size_t n = parse_vec(ref_str(t, r, "x"), x);
        imbal_interval iv;
        ck_assert_int_eq(imbal_stats_t_interval(x, n, ref_num(t, r, "ratio"),
                                                ref_num(t, r, "level"), &iv, NULL),
                         IMBAL_OK);
        ck_assert_uint_eq(iv.n, n);
        assert_rel(iv.mean, ref_num(t, r, "mean"), "mean", c);
        assert_rel(iv.sd, ref_num(t, r, "sd"), "sd", c);
        assert_rel(iv.lo, ref_num(t, r, "lo"), "lo", c);
        assert_rel(iv.hi, ref_num(t, r, "hi"), "hi", c);
    }
    ref_free(t);
}
END_TEST

START_TEST(corrected_interval_is_wider_by_its_factor)
{
    /* x = 1, 2, 3, 4: mean 2.5, sd sqrt(5/3). Plain se = sd / 2; with ratio 1/4 (5-fold CV)
     * se = sd sqrt(1/4 + 1/4), so the half-width grows by sqrt(2) exactly. */
    const double x[] = {1, 2, 3, 4};
    imbal_interval plain;
    imbal_interval corr;
    ck_assert_int_eq(imbal_stats_t_interval(x, 4, 0.0, 0.95, &plain, NULL), IMBAL_OK);
    ck_assert_int_eq(imbal_stats_t_interval(x, 4, 0.25, 0.95, &corr, NULL), IMBAL_OK);
    ck_assert_double_eq_tol(plain.sd, sqrt(5.0 / 3.0), 1e-15);
    /* t_{3, 0.975} = 3.182446305284263 (any table), half-width 3.1824463 * sqrt(5/3) / 2 */
    ck_assert_double_eq_tol(plain.hi - plain.mean, 3.182446305284263 * sqrt(5.0 / 3.0) / 2.0,
                            1e-12);
    ck_assert_double_eq_tol((corr.hi - corr.mean) / (plain.hi - plain.mean), sqrt(2.0), 1e-14);
    ck_assert_double_eq_tol(corr.mean - corr.lo, corr.hi - corr.mean, 1e-15);
}
END_TEST

START_TEST(t_interval_edges)
{
    const double same[] = {0.7, 0.7, 0.7};
    const double one[] = {0.7};
    const double bad[] = {0.1, NAN};
    imbal_interval iv;
    imbal_error err;
    /* zero variance: OK, and the interval is the point */
    ck_assert_int_eq(imbal_stats_t_interval(same, 3, 0.1, 0.95, &iv, NULL), IMBAL_OK);
    ck_assert_double_eq(iv.lo, iv.mean);
    ck_assert_double_eq(iv.hi, iv.mean);
    ck_assert_double_eq_tol(iv.mean, 0.7, 1e-15);
    ck_assert_double_eq(iv.sd, 0.0);
    memset(&iv, 0x5a, sizeof(iv));
    imbal_interval before = iv;
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_stats_t_interval(one, 1, 0.0, 0.95, &iv, &err), IMBAL_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "at least 2"));
    ck_assert_int_eq(memcmp(&iv, &before, sizeof(iv)), 0);
    ck_assert_int_eq(imbal_stats_t_interval(same, 3, 0.0, 1.0, &iv, NULL), IMBAL_EINVAL);
    ck_assert_int_eq(imbal_stats_t_interval(same, 3, 0.0, 0.0, &iv, NULL), IMBAL_EINVAL);
    ck_assert_int_eq(imbal_stats_t_interval(same, 3, -0.1, 0.95, &iv, NULL), IMBAL_EINVAL);
    ck_assert_int_eq(imbal_stats_t_interval(same, 3, INFINITY, 0.95, &iv, NULL), IMBAL_EINVAL);
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_stats_t_interval(bad, 2, 0.0, 0.95, &iv, &err), IMBAL_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "value 1 is not finite"));
    ck_assert_int_eq(memcmp(&iv, &before, sizeof(iv)), 0);
}
END_TEST

START_TEST(paired_t_matches_scipy)
{
    ref_table *t = ref_read("tests/reference/stats_paired.csv");
    ck_assert_uint_ge(t->n_rows, 5);
    for (size_t r = 0; r < t->n_rows; r++) {
        double a[MAXV];
        double b[MAXV];
        const char *c = ref_str(t, r, "case");
        size_t n = parse_vec(ref_str(t, r, "a"), a);
        ck_assert_uint_eq(parse_vec(ref_str(t, r, "b"), b), n);
        imbal_paired_t pt;
        ck_assert_int_eq(imbal_stats_paired_t(a, b, n, ref_num(t, r, "ratio"),
                                              ref_num(t, r, "level"), &pt, NULL),
                         IMBAL_OK);
        assert_rel(pt.diff.mean, ref_num(t, r, "mean"), "mean", c);
        assert_rel(pt.diff.sd, ref_num(t, r, "sd"), "sd", c);
        assert_rel(pt.t, ref_num(t, r, "t"), "t", c);
        assert_rel(pt.df, (double)(n - 1), "df", c);
        assert_p(pt.p, ref_num(t, r, "p"), c);
        assert_rel(pt.diff.lo, ref_num(t, r, "lo"), "lo", c);
        assert_rel(pt.diff.hi, ref_num(t, r, "hi"), "hi", c);
    }
    ref_free(t);
}
END_TEST

START_TEST(paired_t_edges)
{
    const double a[] = {0.8, 0.7, 0.9};
    const double b[] = {0.5, 0.5, 0.5};
    const double c[] = {0.6, 0.6, 0.6};
    imbal_paired_t pt;
    imbal_error err;
    memset(&pt, 0x5a, sizeof(pt));
    imbal_paired_t before = pt;
    /* all differences zero, and all differences equal (0.5 - 0.6 three times) */
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_stats_paired_t(a, a, 3, 0.0, 0.95, &pt, &err), IMBAL_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "zero variance"));
    ck_assert_int_eq(imbal_stats_paired_t(b, c, 3, 0.0, 0.95, &pt, NULL), IMBAL_EINVAL);
    ck_assert_int_eq(imbal_stats_paired_t(a, b, 1, 0.0, 0.95, &pt, NULL), IMBAL_EINVAL);
    ck_assert_int_eq(memcmp(&pt, &before, sizeof(pt)), 0);
}
END_TEST

START_TEST(bootstrap_matches_numpy)
{
    ref_table *t = ref_read("tests/reference/stats_bootstrap.csv");
    ck_assert_uint_ge(t->n_rows, 3);
    for (size_t r = 0; r < t->n_rows; r++) {
        double x[MAXV];
        const char *c = ref_str(t, r, "case");
        size_t n = parse_vec(ref_str(t, r, "x"), x);
        imbal_rng *rng = NULL;
        ck_assert_int_eq(imbal_rng_new(IMBAL_RNG_NUMPY, (uint64_t)ref_num(t, r, "seed"), &rng,
                                       NULL),
                         IMBAL_OK);
        imbal_interval iv;
        ck_assert_int_eq(imbal_stats_bootstrap_interval(x, n, ref_num(t, r, "level"),
                                                        (size_t)ref_num(t, r, "B"), rng, &iv,
                                                        NULL),
                         IMBAL_OK);
        assert_rel(iv.lo, ref_num(t, r, "lo"), "lo", c);
        assert_rel(iv.hi, ref_num(t, r, "hi"), "hi", c);
        imbal_rng_free(rng);
    }
    ref_free(t);
}
END_TEST

START_TEST(bootstrap_percentile_rule_by_hand)
{
    /* x = {0, 1}, B = 2 resamples of 2: the means lie in {0, 0.5, 1}. With level 0.5 the
     * quantiles are q = 0.25 and 0.75 of the two sorted means m0 <= m1: h = (B - 1) q, so
     * lo = m0 + 0.25 (m1 - m0), hi = m0 + 0.75 (m1 - m0). Replay the draws to know m0, m1. */
    const double x[] = {0.0, 1.0};
    imbal_rng *rng = NULL;
    imbal_rng *copy = NULL;
    ck_assert_int_eq(imbal_rng_new(IMBAL_RNG_DEFAULT, 99, &rng, NULL), IMBAL_OK);
    ck_assert_int_eq(imbal_rng_clone(rng, &copy, NULL), IMBAL_OK);
    double m[2];
    for (int b = 0; b < 2; b++) {
        double s = x[imbal_rng_below(copy, 2)];
        s += x[imbal_rng_below(copy, 2)];
        m[b] = s / 2.0;
    }
    double m0 = m[0] < m[1] ? m[0] : m[1];
    double m1 = m[0] < m[1] ? m[1] : m[0];
    imbal_interval iv;
    ck_assert_int_eq(imbal_stats_bootstrap_interval(x, 2, 0.5, 2, rng, &iv, NULL), IMBAL_OK);
    ck_assert_double_eq_tol(iv.lo, m0 + 0.25 * (m1 - m0), 1e-15);
    ck_assert_double_eq_tol(iv.hi, m0 + 0.75 * (m1 - m0), 1e-15);
    ck_assert_double_eq(iv.mean, 0.5);
    imbal_rng_free(rng);
    imbal_rng_free(copy);
}
END_TEST

START_TEST(bootstrap_edges)
{
    const double one[] = {0.42};
    const double two[] = {0.1, 0.9};
    imbal_rng *rng = NULL;
    imbal_interval iv;
    ck_assert_int_eq(imbal_rng_new(IMBAL_RNG_DEFAULT, 1, &rng, NULL), IMBAL_OK);
    /* n = 1: every resample is the value itself */
    ck_assert_int_eq(imbal_stats_bootstrap_interval(one, 1, 0.95, 50, rng, &iv, NULL), IMBAL_OK);
    ck_assert_double_eq(iv.lo, 0.42);
    ck_assert_double_eq(iv.hi, 0.42);
    ck_assert_double_eq(iv.sd, 0.0);
    memset(&iv, 0x5a, sizeof(iv));
    imbal_interval before = iv;
    ck_assert_int_eq(imbal_stats_bootstrap_interval(one, 0, 0.95, 50, rng, &iv, NULL),
                     IMBAL_EINVAL);
    ck_assert_int_eq(imbal_stats_bootstrap_interval(two, 2, 0.95, 1, rng, &iv, NULL),
                     IMBAL_EINVAL);
    ck_assert_int_eq(imbal_stats_bootstrap_interval(two, 2, 1.5, 10, rng, &iv, NULL),
                     IMBAL_EINVAL);
    ck_assert_int_eq(memcmp(&iv, &before, sizeof(iv)), 0);
    /* bounds are means of resamples: inside [min, max] */
    ck_assert_int_eq(imbal_stats_bootstrap_interval(two, 2, 0.95, 500, rng, &iv, NULL),
                     IMBAL_OK);
    ck_assert(iv.lo >= 0.1 && iv.hi <= 0.9 && iv.lo <= iv.hi);
    imbal_rng_free(rng);
}
END_TEST

static imbal_wilcoxon_method wilcoxon_method(const char *name)
{
    if (strcmp(name, "auto") == 0) {
        return IMBAL_WILCOXON_AUTO;
    }
    ck_assert_str_eq(name, "approx");
    return IMBAL_WILCOXON_APPROX;
}

START_TEST(wilcoxon_matches_scipy)
{
    ref_table *t = ref_read("tests/reference/stats_wilcoxon.csv");
    ck_assert_uint_ge(t->n_rows, 16);
    for (size_t r = 0; r < t->n_rows; r++) {
        double a[MAXV];
        double b[MAXV];
        const char *c = ref_str(t, r, "case");
        size_t n = parse_vec(ref_str(t, r, "a"), a);
        ck_assert_uint_eq(parse_vec(ref_str(t, r, "b"), b), n);
        imbal_wilcoxon w;
        ck_assert_int_eq(imbal_stats_wilcoxon(a, b, n,
                                              wilcoxon_method(ref_str(t, r, "imbal_method")),
                                              (int)ref_num(t, r, "correction"), &w, NULL),
                         IMBAL_OK);
        assert_rel(w.statistic, ref_num(t, r, "statistic"), "statistic", c);
        assert_p(w.p, ref_num(t, r, "p"), c);
        ck_assert_msg(w.n_used == (size_t)ref_num(t, r, "n_used"), "%s n_used %zu", c,
                      w.n_used);
        ck_assert_msg(w.exact == (int)ref_num(t, r, "exact"), "%s exact %d", c, w.exact);
    }
    ref_free(t);
}
END_TEST

START_TEST(wilcoxon_exact_by_hand)
{
    /* d = 1, 2, 3 (all positive): R+ = 6, the largest of the 8 equally likely sign patterns,
     * P(R+ >= 6) = 1/8, two-sided p = 1/4. d = -1, 2, 3: R+ = 5, P(R+ >= 5) = 2/8 (sums 5 and
     * 6), p = 1/2; T = min(5, 1) = 1. */
    const double pos[] = {1, 2, 3};
    const double mixed[] = {-1, 2, 3};
    const double zero[] = {0, 0, 0};
    imbal_wilcoxon w;
    ck_assert_int_eq(imbal_stats_wilcoxon(pos, zero, 3, IMBAL_WILCOXON_AUTO, 0, &w, NULL),
                     IMBAL_OK);
    ck_assert_int_eq(w.exact, 1);
    ck_assert_double_eq(w.p, 0.25);
    ck_assert_double_eq(w.statistic, 0.0);
    ck_assert_int_eq(imbal_stats_wilcoxon(mixed, zero, 3, IMBAL_WILCOXON_EXACT, 0, &w, NULL),
                     IMBAL_OK);
    ck_assert_double_eq(w.p, 0.5);
    ck_assert_double_eq(w.statistic, 1.0);
}
END_TEST

START_TEST(wilcoxon_tie_correction_by_hand)
{
    /* d = 1, 1, 1, -2 (no zero, tied |d|: auto takes the normal approximation). Ranks of |d|:
     * 2, 2, 2, 4; R+ = 6, R- = 4, T = 4. mean = 4 * 5 / 4 = 5, variance (4*5*9 - (27 - 3) / 2)
     * / 24 = (180 - 12) / 24 = 7; z = (4 - 5) / sqrt(7) = -0.3779644730092272;
     * p = 2 Q(0.37796447) = 0.7054569861112734 (R: 2 * pnorm(-1 / sqrt(7))). */
    const double d[] = {1, 1, 1, -2};
    const double zero[] = {0, 0, 0, 0};
    imbal_wilcoxon w;
    ck_assert_int_eq(imbal_stats_wilcoxon(d, zero, 4, IMBAL_WILCOXON_AUTO, 0, &w, NULL),
                     IMBAL_OK);
    ck_assert_int_eq(w.exact, 0);
    ck_assert_double_eq(w.statistic, 4.0);
    ck_assert_double_eq_tol(w.z, -1.0 / sqrt(7.0), 1e-15);
    ck_assert_double_eq_tol(w.p, 0.7054569861112734, 1e-14);
    /* continuity: c = sign(T - mean) / 2 = -0.5, z = (4 - 5 + 0.5) / sqrt(7) */
    ck_assert_int_eq(imbal_stats_wilcoxon(d, zero, 4, IMBAL_WILCOXON_AUTO, 1, &w, NULL),
                     IMBAL_OK);
    ck_assert_double_eq_tol(w.z, -0.5 / sqrt(7.0), 1e-15);
}
END_TEST

START_TEST(wilcoxon_edges)
{
    const double a[] = {0.5, 0.6, 0.7};
    const double tied[] = {1, -1, 2};
    const double zero[] = {0, 0, 0};
    const double withzero[] = {0, 1, 2};
    imbal_wilcoxon w;
    imbal_error err;
    memset(&w, 0x5a, sizeof(w));
    imbal_wilcoxon before = w;
    imbal_error_clear(&err);
    ck_assert_int_eq(imbal_stats_wilcoxon(a, a, 3, IMBAL_WILCOXON_AUTO, 0, &w, &err),
                     IMBAL_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "all 3 differences are zero"));
    ck_assert_int_eq(imbal_stats_wilcoxon(a, a, 0, IMBAL_WILCOXON_AUTO, 0, &w, NULL),
                     IMBAL_EINVAL);
    ck_assert_int_eq(imbal_stats_wilcoxon(tied, zero, 3, IMBAL_WILCOXON_EXACT, 0, &w, NULL),
                     IMBAL_EINVAL);
    ck_assert_int_eq(imbal_stats_wilcoxon(withzero, zero, 3, IMBAL_WILCOXON_EXACT, 0, &w, NULL),
                     IMBAL_EINVAL);
    ck_assert_int_eq(imbal_stats_wilcoxon(a, zero, 3, (imbal_wilcoxon_method)7, 0, &w, NULL),
                     IMBAL_EINVAL);
    ck_assert_int_eq(memcmp(&w, &before, sizeof(w)), 0);
    /* a zero with n <= 50: auto drops it and uses the normal law on the other two */
    ck_assert_int_eq(imbal_stats_wilcoxon(withzero, zero, 3, IMBAL_WILCOXON_AUTO, 0, &w, NULL),
                     IMBAL_OK);
    ck_assert_int_eq(w.exact, 0);
    ck_assert_uint_eq(w.n_used, 2);
}
END_TEST

START_TEST(holm_by_hand)
{
    /* p = .01, .04, .03 sorted .01 (x3 = .03), .03 (x2 = .06), .04 (x1 = .04, raised to the
     * running maximum .06) */
    const double p[] = {0.01, 0.04, 0.03};
    double adj[3];
    ck_assert_int_eq(imbal_stats_holm(p, 3, adj, NULL), IMBAL_OK);
    ck_assert_double_eq_tol(adj[0], 0.03, 1e-15);
    ck_assert_double_eq_tol(adj[1], 0.06, 1e-15);
    ck_assert_double_eq_tol(adj[2], 0.06, 1e-15);
    /* capped at 1: .4 x2 = .8, .7 x1 = .7 -> .8; .6, .7 -> 1.2 -> 1, 1 */
    const double q[] = {0.7, 0.4};
    ck_assert_int_eq(imbal_stats_holm(q, 2, adj, NULL), IMBAL_OK);
    ck_assert_double_eq_tol(adj[0], 0.8, 1e-15);
    ck_assert_double_eq_tol(adj[1], 0.8, 1e-15);
    double r[] = {0.6, 0.7};
    ck_assert_int_eq(imbal_stats_holm(r, 2, r, NULL), IMBAL_OK); /* in place */
    ck_assert_double_eq(r[0], 1.0);
    ck_assert_double_eq(r[1], 1.0);
    /* m = 1: unchanged */
    const double one[] = {0.2};
    ck_assert_int_eq(imbal_stats_holm(one, 1, adj, NULL), IMBAL_OK);
    ck_assert_double_eq(adj[0], 0.2);
    const double bad[] = {0.2, 1.5};
    adj[0] = adj[1] = -1.0;
    ck_assert_int_eq(imbal_stats_holm(bad, 2, adj, NULL), IMBAL_EINVAL);
    ck_assert_int_eq(imbal_stats_holm(bad, 0, adj, NULL), IMBAL_EINVAL);
    ck_assert_double_eq(adj[0], -1.0);
}
END_TEST

START_TEST(ranks_by_hand)
{
    /* dataset 0: .9 .8 .8 .7 -> 1, 2.5, 2.5, 4; dataset 1: .6 .6 .6 .9 -> 3, 3, 3, 1
     * (ranks 2, 3, 4 shared); averages 2, 2.75, 2.75, 2.5. Lower is better: 4, 2.5, 2.5, 1 and
     * 2, 2, 2, 4. */
    const double s[] = {0.9, 0.8, 0.8, 0.7, 0.6, 0.6, 0.6, 0.9};
    const double want_rank[] = {1, 2.5, 2.5, 4, 3, 3, 3, 1};
    const double want_avg[] = {2, 2.75, 2.75, 2.5};
    const double want_low[] = {3, 2.25, 2.25, 2.5};
    double rank[8];
    double avg[4];
    ck_assert_int_eq(imbal_stats_ranks(s, 2, 4, 1, rank, avg, NULL), IMBAL_OK);
    for (size_t i = 0; i < 8; i++) {
        ck_assert_double_eq(rank[i], want_rank[i]);
    }
    for (size_t j = 0; j < 4; j++) {
        ck_assert_double_eq(avg[j], want_avg[j]);
    }
    ck_assert_int_eq(imbal_stats_ranks(s, 2, 4, 0, NULL, avg, NULL), IMBAL_OK);
    for (size_t j = 0; j < 4; j++) {
        ck_assert_double_eq(avg[j], want_low[j]);
    }
    const double bad[] = {0.1, NAN};
    avg[0] = -1.0;
    ck_assert_int_eq(imbal_stats_ranks(bad, 1, 2, 1, NULL, avg, NULL), IMBAL_EINVAL);
    ck_assert_int_eq(imbal_stats_ranks(s, 0, 4, 1, NULL, avg, NULL), IMBAL_EINVAL);
    ck_assert_double_eq(avg[0], -1.0);
}
END_TEST

START_TEST(friedman_matches_scipy)
{
    ref_table *t = ref_read("tests/reference/stats_friedman.csv");
    ck_assert_uint_ge(t->n_rows, 3);
    for (size_t r = 0; r < t->n_rows; r++) {
        double s[MAXV];
        double want_avg[MAXV];
        double avg[MAXV];
        const char *c = ref_str(t, r, "case");
        size_t n = (size_t)ref_num(t, r, "n");
        size_t k = (size_t)ref_num(t, r, "k");
        ck_assert_uint_eq(parse_vec(ref_str(t, r, "score"), s), n * k);
        ck_assert_uint_eq(parse_vec(ref_str(t, r, "avg_rank"), want_avg), k);
        imbal_friedman f;
        ck_assert_int_eq(imbal_stats_friedman(s, n, k, &f, NULL), IMBAL_OK);
        assert_rel(f.chisq, ref_num(t, r, "chisq"), "chisq", c);
        assert_p(f.p_chisq, ref_num(t, r, "p_chisq"), c);
        assert_rel(f.ff, ref_num(t, r, "ff"), "ff", c);
        assert_p(f.p_ff, ref_num(t, r, "p_ff"), c);
        assert_rel(f.df1, (double)(k - 1), "df1", c);
        assert_rel(f.df2, (double)((k - 1) * (n - 1)), "df2", c);
        ck_assert_int_eq(imbal_stats_ranks(s, n, k, 1, NULL, avg, NULL), IMBAL_OK);
        for (size_t j = 0; j < k; j++) {
            assert_rel(avg[j], want_avg[j], "avg_rank", c);
        }
    }
    ref_free(t);
}
END_TEST

START_TEST(friedman_edges)
{
    /* two datasets ranking 3 techniques alike: rank sums 6, 4, 2, sum of squares 56,
     * chisq = 12 / (2 * 3 * 4) * 56 - 3 * 2 * 4 = 28 - 24 = 4 = n (k - 1): F infinite.
     * Q_chi2(4; 2) = exp(-2). */
    const double agree[] = {3, 2, 1, 30, 20, 10};
    imbal_friedman f;
    ck_assert_int_eq(imbal_stats_friedman(agree, 2, 3, &f, NULL), IMBAL_OK);
    ck_assert_double_eq_tol(f.chisq, 4.0, 1e-14);
    ck_assert_double_eq_tol(f.p_chisq, exp(-2.0), 1e-15);
    ck_assert(isinf(f.ff) && f.ff > 0);
    ck_assert_double_eq(f.p_ff, 0.0);
    /* all tied everywhere: EINVAL, *out unchanged */
    const double tied[] = {1, 1, 1, 2, 2, 2};
    imbal_error err;
    imbal_error_clear(&err);
    memset(&f, 0x5a, sizeof(f));
    imbal_friedman before = f;
    ck_assert_int_eq(imbal_stats_friedman(tied, 2, 3, &f, &err), IMBAL_EINVAL);
    ck_assert_ptr_nonnull(strstr(err.msg, "tie on every"));
    ck_assert_int_eq(imbal_stats_friedman(agree, 1, 3, &f, NULL), IMBAL_EINVAL);
    ck_assert_int_eq(imbal_stats_friedman(agree, 3, 1, &f, NULL), IMBAL_EINVAL);
    ck_assert_int_eq(memcmp(&f, &before, sizeof(f)), 0);
}
END_TEST

START_TEST(nemenyi_table_and_cd)
{
    /* Demsar's printed values are within 0.001 of the studentized range (three of them,
     * k = 3 and 7 at 0.05 and k = 5 at 0.10, are 0.001 off a rounded computation). */
    ref_table *t = ref_read("tests/reference/stats_nemenyi.csv");
    ck_assert_uint_eq(t->n_rows, 18);
    for (size_t r = 0; r < t->n_rows; r++) {
        double alpha = ref_num(t, r, "alpha");
        size_t k = (size_t)ref_num(t, r, "k");
        double cd = 0.0;
        double q = 0.0;
        ck_assert_int_eq(imbal_stats_nemenyi_cd(k, 10, alpha, &cd, &q, NULL), IMBAL_OK);
        ck_assert_msg(fabs(q - ref_num(t, r, "q_computed")) < 1e-3, "alpha %g k %zu: q %g",
                      alpha, k, q);
        ck_assert_double_eq_tol(cd, q * sqrt((double)(k * (k + 1)) / 60.0), 1e-15);
    }
    ref_free(t);
    /* Demsar (2006), section 3.2.4's example: k = 4, N = 14, CD = 2.569 sqrt(20 / 84) = 1.25 */
    double cd = 0.0;
    ck_assert_int_eq(imbal_stats_nemenyi_cd(4, 14, 0.05, &cd, NULL, NULL), IMBAL_OK);
    ck_assert_double_eq_tol(cd, 2.569 * sqrt(20.0 / 84.0), 1e-15);
    ck_assert_double_eq_tol(cd, 1.25, 5e-3);
    cd = -1.0;
    ck_assert_int_eq(imbal_stats_nemenyi_cd(11, 14, 0.05, &cd, NULL, NULL), IMBAL_EINVAL);
    ck_assert_int_eq(imbal_stats_nemenyi_cd(1, 14, 0.05, &cd, NULL, NULL), IMBAL_EINVAL);
    ck_assert_int_eq(imbal_stats_nemenyi_cd(4, 14, 0.01, &cd, NULL, NULL), IMBAL_EINVAL);
    ck_assert_int_eq(imbal_stats_nemenyi_cd(4, 0, 0.05, &cd, NULL, NULL), IMBAL_EINVAL);
    ck_assert_double_eq(cd, -1.0);
}
END_TEST

/* Fails the 1st, 2nd, ... allocation of each allocating call until one succeeds: every
 * failure is ENOMEM with the outputs untouched (ASan's leak check sees the frees). */
START_TEST(allocation_failures_return_enomem)
{
    const double a[] = {0.9, 0.8, 0.7, 0.85, 0.6};
    const double b[] = {0.5, 0.6, 0.65, 0.8, 0.7};
    const double tab[] = {0.9, 0.8, 0.7, 0.6, 0.85, 0.75};
    imbal_rng *rng = NULL;
    ck_assert_int_eq(imbal_rng_new(IMBAL_RNG_DEFAULT, 3, &rng, NULL), IMBAL_OK);
    for (int call = 0; call < 6; call++) {
        int ok = 0;
        for (long at = 1; at < 20 && !ok; at++) {
            imbal_interval iv = {0};
            imbal_paired_t pt = {0};
            imbal_wilcoxon w = {0};
            imbal_friedman f = {0};
            double adj[5] = {-1, -1, -1, -1, -1};
            double avg[3] = {-1, -1, -1};
            imbal_error err;
            imbal_error_clear(&err);
            imbal_alloc_fail_after(at);
            imbal_status st = IMBAL_OK;
            switch (call) {
            case 0:
                st = imbal_stats_bootstrap_interval(a, 5, 0.95, 10, rng, &iv, &err);
                break;
            case 1:
                st = imbal_stats_paired_t(a, b, 5, 0.0, 0.95, &pt, &err);
                break;
            case 2:
                st = imbal_stats_wilcoxon(a, b, 5, IMBAL_WILCOXON_AUTO, 0, &w, &err);
                break;
            case 3:
                st = imbal_stats_holm(b, 5, adj, &err);
                break;
            case 4:
                st = imbal_stats_ranks(tab, 2, 3, 1, NULL, avg, &err);
                break;
            default:
                st = imbal_stats_friedman(tab, 2, 3, &f, &err);
                break;
            }
            imbal_alloc_fail_after(0);
            if (st == IMBAL_OK) {
                ok = 1;
                ck_assert_msg(at > 1, "call %d allocates nothing", call);
            } else {
                ck_assert_int_eq(st, IMBAL_ENOMEM);
                ck_assert_int_eq(err.status, IMBAL_ENOMEM);
                ck_assert_double_eq(iv.lo + pt.p + w.p + f.chisq, 0.0);
                ck_assert_double_eq(adj[0], -1.0);
                ck_assert_double_eq(avg[0], -1.0);
            }
        }
        ck_assert_msg(ok, "call %d never succeeded", call);
    }
    imbal_rng_free(rng);
}
END_TEST

int main(void)
{
    Suite *s = suite_create("stats");
    TCase *tc = tcase_create("stats");
    tcase_add_test(tc, t_intervals_match_scipy);
    tcase_add_test(tc, corrected_interval_is_wider_by_its_factor);
    tcase_add_test(tc, t_interval_edges);
    tcase_add_test(tc, paired_t_matches_scipy);
    tcase_add_test(tc, paired_t_edges);
    tcase_add_test(tc, bootstrap_matches_numpy);
    tcase_add_test(tc, bootstrap_percentile_rule_by_hand);
    tcase_add_test(tc, bootstrap_edges);
    tcase_add_test(tc, wilcoxon_matches_scipy);
    tcase_add_test(tc, wilcoxon_exact_by_hand);
    tcase_add_test(tc, wilcoxon_tie_correction_by_hand);
    tcase_add_test(tc, wilcoxon_edges);
    tcase_add_test(tc, holm_by_hand);
    tcase_add_test(tc, ranks_by_hand);
    tcase_add_test(tc, friedman_matches_scipy);
    tcase_add_test(tc, friedman_edges);
    tcase_add_test(tc, nemenyi_table_and_cd);
    tcase_add_test(tc, allocation_failures_return_enomem);
    suite_add_tcase(s, tc);
    return run_suite(s);
}
