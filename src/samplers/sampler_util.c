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
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory counting %zu classes",
                          in->n_classes);
    }
    imbal_class_counts(in, counts);
    st = imbal_sampler_check_targets(p, kind, counts, in->n_classes, target, err);
    free(counts);
    return st;
}

imbal_status imbal_counter_minority(const int *y, const size_t *rows, size_t m,
                                    size_t n_classes, int *minority, imbal_error *err)
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
