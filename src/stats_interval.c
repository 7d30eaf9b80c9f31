/* Intervals for the mean of per-run values and the paired t-test (see stats.h). The plain and
 * the Nadeau-Bengio corrected t share one code path: the corrected variance factor
 * 1 / n + n_test / n_train becomes the textbook 1 / n when the ratio is 0. Quantiles and tail
 * probabilities are GSL's; sums run in index order, so results do not depend on threads. */
#include "imbal/stats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

#include "alloc.h"

static imbal_status stats_check_values(const double *x, size_t n, const char *what,
                                       imbal_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i])) {
            return imbal_fail(err, IMBAL_EINVAL, "%s value %zu is not finite (%g)", what, i,
                              x[i]);
        }
    }
    return IMBAL_OK;
}

static imbal_status stats_check_level(double level, imbal_error *err)
{
    if (!(level > 0.0 && level < 1.0)) {
        return imbal_fail(err, IMBAL_EINVAL, "interval level %g is not in (0, 1)", level);
    }
    return IMBAL_OK;
}

/* Mean and sample sd (n - 1 denominator; 0 when n == 1), two passes in index order. Equal
 * values give exactly x[0] and 0: summed, 0.7 * 3 / 3 is not 0.7, and the rounding would
 * leave a spread of 1e-17 where there is none (and a paired t of 1e16). */
static void stats_mean_sd(const double *x, size_t n, double *mean, double *sd)
{
    size_t same = 1;
    while (same < n && x[same] == x[0]) {
        same++;
    }
    if (same == n) {
        *mean = x[0];
        *sd = 0.0;
        return;
    }
    double sum = 0.0;
    for (size_t i = 0; i < n; i++) {
        sum += x[i];
    }
    double m = sum / (double)n;
    double ss = 0.0;
    for (size_t i = 0; i < n; i++) {
        ss += (x[i] - m) * (x[i] - m);
    }
    *mean = m;
    *sd = n > 1 ? sqrt(ss / (double)(n - 1)) : 0.0;
}

/* Fills out from x (already checked) with the corrected t interval. */
static void stats_t_fill(const double *x, size_t n, double ratio, double level,
                         imbal_interval *out)
{
    double mean = 0.0;
    double sd = 0.0;
    stats_mean_sd(x, n, &mean, &sd);
    double se = sd * sqrt(1.0 / (double)n + ratio);
    double half = 0.0;
    if (se > 0.0) {
        half = gsl_cdf_tdist_Pinv(0.5 * (1.0 + level), (double)(n - 1)) * se;
    }
    out->n = n;
    out->mean = mean;
    out->sd = sd;
    out->lo = mean - half;
    out->hi = mean + half;
    out->level = level;
}

static imbal_status stats_check_t(const double *x, size_t n, double ratio, double level,
                                  const char *what, imbal_error *err)
{
    if (n < 2) {
        return imbal_fail(err, IMBAL_EINVAL, "a t interval needs at least 2 %s, got %zu", what,
                          n);
    }
    if (!(ratio >= 0.0) || !isfinite(ratio)) {
        return imbal_fail(err, IMBAL_EINVAL, "test/train ratio %g is not a finite number >= 0",
                          ratio);
    }
    imbal_status st = stats_check_level(level, err);
    if (st != IMBAL_OK) {
        return st;
    }
    return stats_check_values(x, n, what, err);
}

imbal_status imbal_stats_t_interval(const double *x, size_t n, double test_train_ratio,
                                    double level, imbal_interval *out, imbal_error *err)
{
    imbal_status st = stats_check_t(x, n, test_train_ratio, level, "values", err);
    if (st != IMBAL_OK) {
        return st;
    }
    stats_t_fill(x, n, test_train_ratio, level, out);
    return IMBAL_OK;
}

static int stats_cmp_double(const void *a, const void *b)
{
    double p = *(const double *)a;
    double q = *(const double *)b;
    return (p > q) - (p < q);
}

/* numpy's percentile 'linear' (type 7) on sorted s[0..b). */
static double stats_quantile_sorted(const double *s, size_t b, double q)
{
    double h = (double)(b - 1) * q;
    double lo = floor(h);
    size_t i = (size_t)lo;
    if (i + 1 >= b) {
        return s[b - 1];
    }
    /* numpy's _lerp: a + (b - a) t, and b - (b - a)(1 - t) for t >= 0.5, to stay monotone */
    double t = h - lo;
    double diff = s[i + 1] - s[i];
    return t >= 0.5 ? s[i + 1] - diff * (1.0 - t) : s[i] + diff * t;
}

imbal_status imbal_stats_bootstrap_interval(const double *x, size_t n, double level,
                                            size_t n_resamples, imbal_rng *rng,
                                            imbal_interval *out, imbal_error *err)
{
    double *means = NULL;
    if (n < 1) {
        return imbal_fail(err, IMBAL_EINVAL, "a bootstrap interval needs at least 1 value");
    }
    if (n_resamples < 2) {
        return imbal_fail(err, IMBAL_EINVAL, "a bootstrap needs at least 2 resamples, got %zu",
                          n_resamples);
    }
    imbal_status st = stats_check_level(level, err);
    if (st == IMBAL_OK) {
        st = stats_check_values(x, n, "values", err);
    }
    if (st != IMBAL_OK) {
        return st;
    }
    means = imbal_malloc(n_resamples, sizeof(*means));
    if (means == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory for %zu bootstrap means",
                          n_resamples);
    }
    for (size_t b = 0; b < n_resamples; b++) {
        double sum = 0.0;
        for (size_t i = 0; i < n; i++) {
            sum += x[imbal_rng_below(rng, n)];
        }
        means[b] = sum / (double)n;
    }
    qsort(means, n_resamples, sizeof(*means), stats_cmp_double);
    double mean = 0.0;
    double sd = 0.0;
    stats_mean_sd(x, n, &mean, &sd);
    out->n = n;
    out->mean = mean;
    out->sd = sd;
    out->lo = stats_quantile_sorted(means, n_resamples, 0.5 * (1.0 - level));
    out->hi = stats_quantile_sorted(means, n_resamples, 0.5 * (1.0 + level));
    out->level = level;
    free(means);
    return IMBAL_OK;
}

imbal_status imbal_stats_paired_t(const double *a, const double *b, size_t n,
                                  double test_train_ratio, double level, imbal_paired_t *out,
                                  imbal_error *err)
{
    double *d = NULL;
    imbal_status st = stats_check_values(a, n, "first technique's", err);
    if (st == IMBAL_OK) {
        st = stats_check_values(b, n, "second technique's", err);
    }
    if (st != IMBAL_OK) {
        return st;
    }
    d = imbal_malloc(n > 0 ? n : 1, sizeof(*d));
    if (d == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory for %zu differences", n);
    }
    for (size_t i = 0; i < n; i++) {
        d[i] = a[i] - b[i];
    }
    st = stats_check_t(d, n, test_train_ratio, level, "differences", err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    imbal_interval iv;
    stats_t_fill(d, n, test_train_ratio, level, &iv);
    /* Exactly equal differences are the only way to sd == 0; t would be 0/0 or +-inf. */
    if (iv.sd == 0.0) {
        st = imbal_fail(err, IMBAL_EINVAL,
                        "paired t-test: all %zu differences equal %g (zero variance)", n, d[0]);
        goto cleanup;
    }
    double se = iv.sd * sqrt(1.0 / (double)n + test_train_ratio);
    double t = iv.mean / se;
    double df = (double)(n - 1);
    out->diff = iv;
    out->t = t;
    out->df = df;
    out->p = 2.0 * gsl_cdf_tdist_Q(fabs(t), df);
cleanup:
    free(d);
    return st;
}
