/* Rank-based statistics (see stats.h): the Wilcoxon signed-rank test, Holm's adjustment, the
 * average ranks and Friedman test over datasets and Nemenyi's critical difference. One ranking
 * routine serves all: sort (value, index) pairs, give each run of exactly equal values the
 * mean of its positions, and count the tie term sum (t^3 - t) that the Wilcoxon variance and
 * the Friedman statistic both correct for. Tail probabilities are GSL's. */
#include "imbal/stats.h"

#include <gsl/gsl_cdf.h>
#include <math.h>
#include <stdlib.h>

#include "alloc.h"

typedef struct {
    double v;
    size_t idx;
} rank_item;

/* Ascending value, then ascending index, so the order is total (qsort is unstable). */
static int rank_cmp(const void *a, const void *b)
{
    const rank_item *p = a;
    const rank_item *q = b;
    if (p->v != q->v) {
        return p->v < q->v ? -1 : 1;
    }
    return (p->idx > q->idx) - (p->idx < q->idx);
}

/* rank[i] = 1-based ascending rank of v[i] (ties share the mean rank, as scipy's rankdata
 * 'average'); *ties = sum over groups of t equal values of t^3 - t. items is scratch of m.
 * Equality is exact on purpose: only identical scores are tied. */
static void rank_average(const double *v, size_t m, rank_item *items, double *rank,
                         double *ties)
{
    for (size_t i = 0; i < m; i++) {
        items[i].v = v[i];
        items[i].idx = i;
    }
    qsort(items, m, sizeof(*items), rank_cmp);
    double t_sum = 0.0;
    size_t i = 0;
    while (i < m) {
        size_t j = i + 1;
        while (j < m && items[j].v == items[i].v) {
            j++;
        }
        /* positions i+1 .. j share their mean rank */
        double r = 0.5 * (double)(i + 1 + j);
        for (size_t q = i; q < j; q++) {
            rank[items[q].idx] = r;
        }
        double t = (double)(j - i);
        t_sum += t * t * t - t;
        i = j;
    }
    *ties = t_sum;
}

static imbal_status rank_check_finite(const double *x, size_t n, const char *what,
                                      imbal_error *err)
{
    for (size_t i = 0; i < n; i++) {
        if (!isfinite(x[i])) {
            return imbal_fail(err, IMBAL_EINVAL, "%s %zu is not finite (%g)", what, i, x[i]);
        }
    }
    return IMBAL_OK;
}

/* Two-sided exact p of R+ = r over ranks 1..m, as SciPy 1.10's _get_wilcoxon_distr: the law
 * built by halving (exact in binary), summed from the low end for P(R+ <= r) and the high end
 * for P(R+ >= r). ENOMEM. */
static imbal_status wilcoxon_exact_p(size_t m, size_t r, double *p, imbal_error *err)
{
    size_t top = m * (m + 1) / 2;
    double *c = imbal_calloc(top + 1, sizeof(*c));
    double *prev = imbal_calloc(top + 1, sizeof(*prev));
    if (c == NULL || prev == NULL) {
        free(c);
        free(prev);
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory for the exact law of %zu ranks", m);
    }
    c[0] = 1.0;
    for (size_t k = 1; k <= m; k++) {
        size_t len_prev = (k - 1) * k / 2 + 1;
        size_t len = k * (k + 1) / 2 + 1;
        for (size_t s = 0; s < len_prev; s++) {
            prev[s] = c[s];
        }
        for (size_t s = 0; s < len; s++) {
            c[s] = 0.0;
        }
        /* rank k is negative (sum unchanged) or positive (sum + k), each with probability 1/2 */
        for (size_t s = 0; s < len_prev; s++) {
            c[s] += prev[s] * 0.5;
        }
        for (size_t s = 0; s < len_prev; s++) {
            c[s + len - len_prev] += prev[s] * 0.5;
        }
    }
    double less = 0.0;
    for (size_t s = 0; s <= r; s++) {
        less += c[s];
    }
    double greater = 0.0;
    for (size_t s = r; s <= top; s++) {
        greater += c[s];
    }
    /* By symmetry 2 min(...) <= 1 except at the centre r = top / 2, where both tails pass 1/2:
     * the cap is SciPy's "p = 1 at the centre" rule. */
    double two = 2.0 * (less < greater ? less : greater);
    *p = two > 1.0 ? 1.0 : two;
    free(c);
    free(prev);
    return IMBAL_OK;
}

imbal_status imbal_stats_wilcoxon(const double *a, const double *b, size_t n,
                                  imbal_wilcoxon_method method, int continuity,
                                  imbal_wilcoxon *out, imbal_error *err)
{
    double *d = NULL;
    double *absd = NULL;
    double *rank = NULL;
    rank_item *items = NULL;
    if (n < 1) {
        return imbal_fail(err, IMBAL_EINVAL, "Wilcoxon test needs at least 1 pair");
    }
    imbal_status st = rank_check_finite(a, n, "first technique's value", err);
    if (st == IMBAL_OK) {
        st = rank_check_finite(b, n, "second technique's value", err);
    }
    if (st != IMBAL_OK) {
        return st;
    }
    d = imbal_malloc(n, sizeof(*d));
    absd = imbal_malloc(n, sizeof(*absd));
    rank = imbal_malloc(n, sizeof(*rank));
    items = imbal_malloc(n, sizeof(*items));
    if (d == NULL || absd == NULL || rank == NULL || items == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for %zu differences", n);
        goto cleanup;
    }
    size_t m = 0;
    for (size_t i = 0; i < n; i++) {
        double di = a[i] - b[i];
        if (di != 0.0) { /* zero_method 'wilcox': exact zeros are dropped */
            d[m] = di;
            absd[m] = fabs(di);
            m++;
        }
    }
    size_t n_zero = n - m;
    if (m == 0) {
        st = imbal_fail(err, IMBAL_EINVAL, "Wilcoxon test: all %zu differences are zero", n);
        goto cleanup;
    }
    double ties = 0.0;
    rank_average(absd, m, items, rank, &ties);
    double r_plus = 0.0;
    double r_minus = 0.0;
    for (size_t i = 0; i < m; i++) {
        if (d[i] > 0.0) {
            r_plus += rank[i];
        } else {
            r_minus += rank[i];
        }
    }
    int exact = 0;
    if (method == IMBAL_WILCOXON_EXACT) {
        if (n_zero > 0 || ties > 0.0) {
            st = imbal_fail(err, IMBAL_EINVAL,
                            "exact Wilcoxon test: %zu zero differences, %s tied |differences|",
                            n_zero, ties > 0.0 ? "some" : "no");
            goto cleanup;
        }
        exact = 1;
    } else if (method == IMBAL_WILCOXON_AUTO) {
        exact = n <= 50 && n_zero == 0 && ties == 0.0;
    } else if (method != IMBAL_WILCOXON_APPROX) {
        st = imbal_fail(err, IMBAL_EINVAL, "unknown Wilcoxon method %d", (int)method);
        goto cleanup;
    }
    double t_stat = r_plus < r_minus ? r_plus : r_minus;
    double p = 0.0;
    double z = 0.0;
    if (exact) {
        /* no ties: ranks are the integers 1..m and r_plus is an integer */
        st = wilcoxon_exact_p(m, (size_t)r_plus, &p, err);
        if (st != IMBAL_OK) {
            goto cleanup;
        }
    } else {
        double dm = (double)m;
        double mean = dm * (dm + 1.0) * 0.25;
        double var = dm * (dm + 1.0) * (2.0 * dm + 1.0);
        var -= 0.5 * ties; /* the tie correction */
        double se = sqrt(var / 24.0);
        double c = 0.0;
        if (continuity) {
            c = t_stat > mean ? 0.5 : (t_stat < mean ? -0.5 : 0.0);
        }
        z = (t_stat - mean - c) / se;
        p = 2.0 * gsl_cdf_ugaussian_Q(fabs(z));
    }
    out->statistic = t_stat;
    out->z = z;
    out->p = p;
    out->n_used = m;
    out->exact = exact;
cleanup:
    free(d);
    free(absd);
    free(rank);
    free(items);
    return st;
}

imbal_status imbal_stats_holm(const double *p, size_t m, double *adj, imbal_error *err)
{
    if (m < 1) {
        return imbal_fail(err, IMBAL_EINVAL, "Holm adjustment needs at least 1 p-value");
    }
    for (size_t i = 0; i < m; i++) {
        if (!(p[i] >= 0.0 && p[i] <= 1.0)) {
            return imbal_fail(err, IMBAL_EINVAL, "p-value %zu (%g) is not in [0, 1]", i, p[i]);
        }
    }
    rank_item *items = imbal_malloc(m, sizeof(*items));
    if (items == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory sorting %zu p-values", m);
    }
    for (size_t i = 0; i < m; i++) {
        items[i].v = p[i];
        items[i].idx = i;
    }
    qsort(items, m, sizeof(*items), rank_cmp);
    double running = 0.0;
    for (size_t j = 0; j < m; j++) {
        double v = (double)(m - j) * items[j].v;
        if (v > running) {
            running = v; /* step-down: an adjusted p never falls below an earlier one */
        }
        adj[items[j].idx] = running < 1.0 ? running : 1.0;
    }
    free(items);
    return IMBAL_OK;
}

imbal_status imbal_stats_ranks(const double *score, size_t n, size_t k, int higher_is_better,
                               double *rank, double *avg_rank, imbal_error *err)
{
    if (n < 1 || k < 1) {
        return imbal_fail(err, IMBAL_EINVAL, "ranks need at least 1 dataset and 1 technique, "
                          "got %zu and %zu", n, k);
    }
    if (n > (size_t)-1 / k) {
        return imbal_fail(err, IMBAL_EINVAL, "%zu datasets x %zu techniques overflow", n, k);
    }
    imbal_status st = rank_check_finite(score, n * k, "score", err);
    if (st != IMBAL_OK) {
        return st;
    }
    rank_item *items = imbal_malloc(k, sizeof(*items));
    double *row = imbal_malloc(k, sizeof(*row));
    double *r = imbal_malloc(k, sizeof(*r));
    double *sum = imbal_calloc(k, sizeof(*sum));
    if (items == NULL || row == NULL || r == NULL || sum == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory ranking %zu techniques", k);
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < k; j++) {
            /* rank 1 is the best: negate so the best sorts first */
            row[j] = higher_is_better ? -score[i * k + j] : score[i * k + j];
        }
        double ties = 0.0;
        rank_average(row, k, items, r, &ties);
        for (size_t j = 0; j < k; j++) {
            if (rank != NULL) {
                rank[i * k + j] = r[j];
            }
            sum[j] += r[j];
        }
    }
    for (size_t j = 0; j < k; j++) {
        avg_rank[j] = sum[j] / (double)n;
    }
cleanup:
    free(items);
    free(row);
    free(r);
    free(sum);
    return st;
}

imbal_status imbal_stats_friedman(const double *score, size_t n, size_t k, imbal_friedman *out,
                                  imbal_error *err)
{
    if (n < 2 || k < 2) {
        return imbal_fail(err, IMBAL_EINVAL, "Friedman test needs at least 2 datasets and 2 "
                          "techniques, got %zu and %zu", n, k);
    }
    if (n > (size_t)-1 / k) {
        return imbal_fail(err, IMBAL_EINVAL, "%zu datasets x %zu techniques overflow", n, k);
    }
    imbal_status st = rank_check_finite(score, n * k, "score", err);
    if (st != IMBAL_OK) {
        return st;
    }
    rank_item *items = imbal_malloc(k, sizeof(*items));
    double *r = imbal_malloc(k, sizeof(*r));
    double *sum = imbal_calloc(k, sizeof(*sum));
    if (items == NULL || r == NULL || sum == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory ranking %zu techniques", k);
        goto cleanup;
    }
    double ties = 0.0;
    for (size_t i = 0; i < n; i++) {
        double t = 0.0;
        rank_average(score + i * k, k, items, r, &t);
        ties += t;
        for (size_t j = 0; j < k; j++) {
            sum[j] += r[j];
        }
    }
    double dn = (double)n;
    double dk = (double)k;
    double c = 1.0 - ties / (dk * (dk * dk - 1.0) * dn);
    if (c <= 0.0) {
        st = imbal_fail(err, IMBAL_EINVAL,
                        "Friedman test: all %zu techniques tie on every one of %zu datasets", k,
                        n);
        goto cleanup;
    }
    double ss = 0.0;
    for (size_t j = 0; j < k; j++) {
        ss += sum[j] * sum[j];
    }
    double chisq = (12.0 / (dk * dn * (dk + 1.0)) * ss - 3.0 * dn * (dk + 1.0)) / c;
    double df1 = dk - 1.0;
    double df2 = (dk - 1.0) * (dn - 1.0);
    double denom = dn * (dk - 1.0) - chisq;
    out->n = n;
    out->k = k;
    out->chisq = chisq;
    out->p_chisq = gsl_cdf_chisq_Q(chisq, df1);
    out->df1 = df1;
    out->df2 = df2;
    /* chisq reaches its maximum n (k - 1) when every dataset ranks alike: F is infinite */
    if (denom > 0.0) {
        out->ff = (dn - 1.0) * chisq / denom;
        out->p_ff = gsl_cdf_fdist_Q(out->ff, df1, df2);
    } else {
        out->ff = HUGE_VAL;
        out->p_ff = 0.0;
    }
cleanup:
    free(items);
    free(r);
    free(sum);
    return st;
}

/* Demsar (2006), Table 5(a): two-tailed Nemenyi q_alpha for k = 2..10 */
static const double nemenyi_q05[9] = {1.960, 2.343, 2.569, 2.728, 2.850,
                                      2.949, 3.031, 3.102, 3.164};
static const double nemenyi_q10[9] = {1.645, 2.052, 2.291, 2.459, 2.589,
                                      2.693, 2.780, 2.855, 2.920};

imbal_status imbal_stats_nemenyi_cd(size_t k, size_t n, double alpha, double *cd, double *q,
                                    imbal_error *err)
{
    const double *table = NULL;
    /* alpha is a table key here, not a computed number */
    if (alpha == 0.05) {
        table = nemenyi_q05;
    } else if (alpha == 0.10) {
        table = nemenyi_q10;
    } else {
        return imbal_fail(err, IMBAL_EINVAL, "Nemenyi alpha %g: only 0.05 and 0.10 are tabled",
                          alpha);
    }
    if (k < 2 || k > 10) {
        return imbal_fail(err, IMBAL_EINVAL, "Nemenyi test: k = %zu techniques, tabled for 2..10",
                          k);
    }
    if (n < 1) {
        return imbal_fail(err, IMBAL_EINVAL, "Nemenyi test needs at least 1 dataset");
    }
    double qa = table[k - 2];
    double dk = (double)k;
    *cd = qa * sqrt(dk * (dk + 1.0) / (6.0 * (double)n));
    if (q != NULL) {
        *q = qa;
    }
    return IMBAL_OK;
}
