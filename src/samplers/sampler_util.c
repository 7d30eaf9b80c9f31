/* Helpers every technique shares (see samplers.h): class counts and rows, allocation of a
 * result, row copies, and sampling_strategy targets from parsed parameters. Not a technique:
 * the registry in resample.c does not list it. */
#include "samplers/samplers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "imbal/knn.h"
#include "samplers/cleaning.h"

void imbal_class_counts(const imbal_train_view *in, size_t *counts)
{
    for (size_t c = 0; c < in->n_classes; c++) {
        counts[c] = 0;
    }
    for (size_t i = 0; i < in->n; i++) {
        counts[in->y[i]]++;
    }
}

size_t imbal_class_rows(const imbal_train_view *in, int c, size_t *rows)
{
    size_t k = 0;
    for (size_t i = 0; i < in->n; i++) {
        if (in->y[i] == c) {
            rows[k++] = i;
        }
    }
    return k;
}

imbal_status imbal_resampled_alloc(size_t n, size_t d, imbal_resampled **out, imbal_error *err)
{
    imbal_resampled *r = NULL;
    *out = NULL;
    if (d != 0 && n > SIZE_MAX / d) {
        return imbal_fail(err, IMBAL_ENOMEM, "%zu rows of %zu columns overflow", n, d);
    }
    r = imbal_calloc(1, sizeof(*r));
    if (r == NULL) {
        goto oom;
    }
    r->n = n;
    r->d = d;
    /* at least one element each, so an empty result is still a valid allocation */
    r->x = imbal_malloc(n * d > 0 ? n * d : 1, sizeof(*r->x));
    r->y = imbal_malloc(n > 0 ? n : 1, sizeof(*r->y));
    r->source = imbal_malloc(n > 0 ? n : 1, sizeof(*r->source));
    if (r->x == NULL || r->y == NULL || r->source == NULL) {
        goto oom;
    }
    *out = r;
    return IMBAL_OK;
oom:
    imbal_resampled_free(r);
    return imbal_fail(err, IMBAL_ENOMEM, "out of memory allocating %zu resampled rows", n);
}

void imbal_resampled_copy_row(imbal_resampled *out, size_t i, const imbal_train_view *in,
                              size_t src)
{
    memcpy(out->x + i * out->d, in->x + src * in->d, in->d * sizeof(*out->x));
    out->y[i] = in->y[src];
    out->source[i] = src;
}

imbal_status imbal_sampler_check_targets(const imbal_param_values *p, imbal_sampler_kind kind,
                                         const size_t *counts, size_t n_classes, long *target,
                                         imbal_error *err)
{
    imbal_status st = imbal_strategy_targets(imbal_param_strategy(p, "sampling_strategy"), kind,
                                             counts, n_classes, target, err);
    if (st != IMBAL_OK) {
        imbal_error_set_key(err, "sampling_strategy");
    }
    return st;
}

imbal_status imbal_sampler_targets(const imbal_train_view *in, const imbal_param_values *p,
                                   imbal_sampler_kind kind, long *target, imbal_error *err)
{
    size_t *counts = imbal_malloc(in->n_classes, sizeof(*counts));
    imbal_status st;
    if (counts == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory counting %zu classes", in->n_classes);
    }
    imbal_class_counts(in, counts);
    st = imbal_sampler_check_targets(p, kind, counts, in->n_classes, target, err);
    free(counts);
    return st;
}

imbal_status imbal_counter_minority(const int *y, const size_t *rows, size_t m, size_t n_classes,
                                    int *minority, imbal_error *err)
{
    size_t *count = imbal_calloc(n_classes, sizeof(*count));
    size_t *first = imbal_malloc(n_classes, sizeof(*first));
    int best = -1;
    if (count == NULL || first == NULL) {
        free(count);
        free(first);
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory counting %zu classes", n_classes);
    }
    for (size_t i = 0; i < m; i++) {
        int c = y[rows[i]];
        if (count[c]++ == 0) {
            first[c] = i;
        }
    }
    for (size_t c = 0; c < n_classes; c++) {
        if (count[c] == 0) {
            continue;
        }
        if (best < 0 || count[c] < count[best] ||
            (count[c] == count[best] && first[c] < first[best])) {
            best = (int)c;
        }
    }
    free(count);
    free(first);
    *minority = best;
    return IMBAL_OK;
}

imbal_status imbal_resampled_rows(const imbal_train_view *in, const size_t *rows, size_t m,
                                  imbal_resampled **out, imbal_error *err)
{
    imbal_status st = imbal_resampled_alloc(m, in->d, out, err);
    if (st != IMBAL_OK) {
        return st;
    }
    for (size_t i = 0; i < m; i++) {
        imbal_resampled_copy_row(*out, i, in, rows[i]);
    }
    return IMBAL_OK;
}

imbal_status imbal_knn_vote(const imbal_knn *knn, const int *yref, size_t n_ref, const double *q,
                            size_t m, size_t k, size_t n_classes, int *pred, imbal_error *err)
{
    size_t *nn = NULL;
    int *lab = NULL;
    size_t *counts = NULL;
    imbal_status st;
    if (k > n_ref) {
        st = imbal_fail(err, IMBAL_EINVAL,
                        "n_neighbors = %zu is more than the %zu rows the classifier is fitted on",
                        k, n_ref);
        imbal_error_set_key(err, "n_neighbors");
        return st;
    }
    nn = imbal_malloc(m > 0 ? m : 1, k * sizeof(*nn));
    lab = imbal_malloc(k, sizeof(*lab));
    counts = imbal_malloc(n_classes, sizeof(*counts));
    if (nn == NULL || lab == NULL || counts == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for the neighbours of %zu rows", m);
        goto cleanup;
    }
    st = m > 0 ? imbal_knn_query(knn, q, m, k, 0, nn, NULL, err) : IMBAL_OK;
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    for (size_t i = 0; i < m; i++) {
        for (size_t j = 0; j < k; j++) {
            lab[j] = yref[nn[i * k + j]];
        }
        pred[i] = imbal_label_mode(lab, k, counts, n_classes);
    }
cleanup:
    free(nn);
    free(lab);
    free(counts);
    return st;
}

imbal_status imbal_check_strategy(const imbal_param_values *p, imbal_sampler_kind kind,
                                  const size_t *counts, size_t n_classes, long *target,
                                  imbal_error *err)
{
    long *own = target == NULL ? imbal_malloc(n_classes, sizeof(*own)) : NULL;
    imbal_status st;
    if (target == NULL && own == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory for %zu classes", n_classes);
    }
    st = imbal_strategy_targets(imbal_param_strategy(p, "sampling_strategy"), kind, counts,
                                n_classes, target != NULL ? target : own, err);
    if (st != IMBAL_OK) {
        imbal_error_set_key(err, "sampling_strategy");
    }
    free(own);
    return st;
}

imbal_status imbal_check_neighbours(size_t k, size_t extra, size_t rows, const char *key,
                                    const char *what, imbal_error *err)
{
    if (k + extra <= rows) {
        return IMBAL_OK;
    }
    imbal_status st = imbal_fail(err, IMBAL_EINVAL, "%s = %zu needs %zu rows %s; there are %zu",
                                 key, k, k + extra, what, rows);
    imbal_error_set_key(err, key);
    return st;
}

double imbal_class_std(const imbal_train_view *in, const size_t *rows, size_t m, size_t j)
{
    size_t d = in->d;
    double sum = 0.0;
    double mean;
    double ss = 0.0;
    for (size_t r = 0; r < m; r++) {
        sum += in->x[rows[r] * d + j];
    }
    mean = sum / (double)m;
    for (size_t r = 0; r < m; r++) {
        double dev = in->x[rows[r] * d + j] - mean;
        ss += dev * dev;
    }
    return sqrt(ss / (double)m);
}

imbal_status imbal_knn_drop_first(const double *ref, size_t n_ref, size_t d, const double *q,
                                  size_t m, size_t k, size_t *nns, imbal_error *err)
{
    size_t *nn = imbal_malloc(m > 0 ? m : 1, (k + 1) * sizeof(*nn));
    imbal_knn *knn = NULL;
    imbal_status st;
    if (nn == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory finding %zu neighbours", k);
    }
    st = imbal_knn_build(ref, n_ref, d, IMBAL_KNN_AUTO, &knn, err);
    if (st == IMBAL_OK && m > 0) {
        st = imbal_knn_query(knn, q, m, k + 1, 0, nn, NULL, err);
    }
    if (st == IMBAL_OK) {
        for (size_t i = 0; i < m; i++) {
            memcpy(nns + i * k, nn + i * (k + 1) + 1, k * sizeof(*nns));
        }
    }
    imbal_knn_free(knn);
    free(nn);
    return st;
}

imbal_status imbal_gather_rows(const imbal_train_view *in, const size_t *rows, size_t m,
                               double **out, imbal_error *err)
{
    double *x = imbal_malloc(m > 0 ? m : 1, in->d * sizeof(*x));
    *out = NULL;
    if (x == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory copying %zu rows", m);
    }
    for (size_t i = 0; i < m; i++) {
        memcpy(x + i * in->d, in->x + rows[i] * in->d, in->d * sizeof(*x));
    }
    *out = x;
    return IMBAL_OK;
}

imbal_status imbal_smote_samples(const double *base, const double *nn_data, size_t n_nn_data,
                                 const size_t *nns, size_t m, size_t k, size_t d, double step_size,
                                 size_t add, imbal_rng *rng, double *out, imbal_error *err)
{
    size_t *slot = imbal_malloc(add > 0 ? add : 1, sizeof(*slot));
    double *step = imbal_malloc(add > 0 ? add : 1, sizeof(*step));
    imbal_status st = IMBAL_OK;
    if (slot == NULL || step == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory drawing %zu synthetic rows", add);
        goto cleanup;
    }
    for (size_t s = 0; s < add; s++) {
        slot[s] = (size_t)imbal_rng_below(rng, (uint64_t)m * k);
    }
    for (size_t s = 0; s < add; s++) {
        step[s] = step_size * imbal_rng_uniform(rng);
    }
    for (size_t s = 0; s < add; s++) {
        const double *x = base + (slot[s] / k) * d;
        const double *nb;
        if (nns[slot[s]] >= n_nn_data) {
            st = imbal_fail(err, IMBAL_EINVAL, "neighbour %zu is beyond the %zu rows it indexes",
                            nns[slot[s]], n_nn_data);
            goto cleanup;
        }
        nb = nn_data + nns[slot[s]] * d;
        for (size_t f = 0; f < d; f++) {
            double diff = nb[f] - x[f]; /* numpy: diffs = nn - x, then x + steps * diffs */
            out[s * d + f] = x[f] + step[s] * diff;
        }
    }
cleanup:
    free(slot);
    free(step);
    return st;
}

/* numpy's legacy standard_gamma for shape > 1 (Marsaglia and Tsang on legacy_gauss and
 * random_sample), the only branch beta(10, 10) reaches. */
static double util_gamma(imbal_rng *rng, double shape)
{
    double b = shape - 1.0 / 3.0;
    double c = 1.0 / sqrt(9 * b);
    for (;;) {
        double x;
        double v;
        double u;
        do {
            x = imbal_rng_normal(rng);
            v = 1.0 + c * x;
        } while (v <= 0.0);
        v = v * v * v;
        u = imbal_rng_uniform(rng);
        if (u < 1.0 - 0.0331 * (x * x) * (x * x)) {
            return b * v;
        }
        if (log(u) < 0.5 * x * x + b * (1.0 - v + log(v))) {
            return b * v;
        }
    }
}

double imbal_rng_beta_gt1(imbal_rng *rng, double a, double b)
{
    double ga = util_gamma(rng, a);
    double gb = util_gamma(rng, b);
    return ga / (ga + gb);
}

imbal_status imbal_class_too_small(const char *key, size_t k, size_t need, size_t c, size_t m,
                                   imbal_error *err)
{
    imbal_status st = imbal_fail(err, IMBAL_EINVAL,
                                 "%s = %zu needs at least %zu rows of class %zu, which has %zu",
                                 key, k, need, c, m);
    imbal_error_set_key(err, key);
    return st;
}

imbal_status imbal_new_rows_grow(imbal_new_rows *b, size_t more, int c, double **at,
                                 imbal_error *err)
{
    if (more > SIZE_MAX - b->n) {
        return imbal_fail(err, IMBAL_ENOMEM, "%zu new rows overflow", more);
    }
    if (b->n + more > b->cap) {
        size_t cap = b->n + more;
        double *x = imbal_realloc(b->x, cap > 0 ? cap : 1, b->d * sizeof(*x));
        int *y;
        if (x == NULL) {
            return imbal_fail(err, IMBAL_ENOMEM, "out of memory for %zu new rows", cap);
        }
        b->x = x;
        y = imbal_realloc(b->y, cap > 0 ? cap : 1, sizeof(*y));
        if (y == NULL) {
            return imbal_fail(err, IMBAL_ENOMEM, "out of memory for %zu new rows", cap);
        }
        b->y = y;
        b->cap = cap;
    }
    for (size_t i = 0; i < more; i++) {
        b->y[b->n + i] = c;
    }
    *at = b->x + b->n * b->d;
    b->n += more;
    return IMBAL_OK;
}

imbal_status imbal_new_rows_finish(const imbal_train_view *in, const imbal_new_rows *b,
                                   imbal_resampled **out, imbal_error *err)
{
    imbal_status st;
    if (b->n > SIZE_MAX - in->n) {
        return imbal_fail(err, IMBAL_ENOMEM, "%zu new rows overflow", b->n);
    }
    st = imbal_resampled_alloc(in->n + b->n, in->d, out, err);
    if (st != IMBAL_OK) {
        return st;
    }
    for (size_t i = 0; i < in->n; i++) {
        imbal_resampled_copy_row(*out, i, in, i);
    }
    if (b->n > 0) {
        memcpy((*out)->x + in->n * in->d, b->x, b->n * in->d * sizeof(*b->x));
    }
    for (size_t i = 0; i < b->n; i++) {
        (*out)->y[in->n + i] = b->y[i];
        (*out)->source[in->n + i] = IMBAL_SYNTHETIC;
    }
    return IMBAL_OK;
}

void imbal_new_rows_free(imbal_new_rows *b)
{
    free(b->x);
    free(b->y);
    b->x = NULL;
    b->y = NULL;
    b->n = b->cap = 0;
}
