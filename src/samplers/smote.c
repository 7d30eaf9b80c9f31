/* SMOTE as in imbalanced-learn 0.10: for each targeted class, new rows on the segment
 * between a class row and one of its k nearest class neighbours, x + u * (nn - x). Draws and
 * arithmetic follow imblearn (all neighbour slots first, then all steps), so a numpy
 * generator replays it; neighbours are exact, ties to the lower row. Reached only through
 * resample.c's table, on a training fold. */
#include "samplers/samplers.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "imbal/knn.h"

const imbal_param_spec imbal_smote_params[] = {
    {"sampling_strategy", IMBAL_PARAM_STRATEGY, "auto", 0, 0, NULL,
     "classes to over-sample and their target counts"},
    {"k_neighbors", IMBAL_PARAM_INT, "5", 1, 1e6, NULL,
     "neighbours of a row among its class to interpolate towards"},
    {NULL, IMBAL_PARAM_INT, NULL, 0, 0, NULL, NULL},
};

/* The k neighbours of every row of xc (m rows of one class, d columns), as imblearn takes them:
 * kneighbors(X_class) with k + 1 and the first column dropped. scikit-learn does not leave
 * the row out when X is passed: the dropped column is merely the nearest point, and which of
 * several equidistant points comes first depends on its search (algorithm 'auto' picks a
 * KD-tree for d <= 15 and k + 1 < m / 2, so on abalone19's 26 positives; its heap order, not
 * the index, breaks ties). imbal breaks every tie by the lower index, so with an exact
 * duplicate of a lower row the dropped column is that duplicate and the row itself becomes
 * one of its own neighbours (a zero-length segment), where scikit-learn may order them
 * otherwise. Without ties among the k + 1 nearest (abalone19's positives have no duplicates
 * and no tied distances) the neighbours are scikit-learn's exactly. nns gets m * k indices
 * into xc. smote_nc calls it on its encoded rows. */
imbal_status imbal_smote_neighbours(const double *xc, size_t m, size_t d, size_t k, size_t *nns,
                                    imbal_error *err)
{
    size_t *nn = imbal_malloc(m, (k + 1) * sizeof(*nn));
    imbal_knn *knn = NULL;
    imbal_status st;
    if (nn == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory finding %zu neighbours", k);
    }
    /* k + 1 nearest including the row itself, first column dropped, as kneighbors(X_class) */
    st = imbal_knn_build(xc, m, d, IMBAL_KNN_AUTO, &knn, err);
    if (st == IMBAL_OK) {
        st = imbal_knn_query(knn, xc, m, k + 1, 0, nn, NULL, err);
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

/* imblearn's _make_samples draws, for smote and smote_nc. */
void imbal_smote_draws(imbal_rng *rng, size_t m, size_t k, size_t add, size_t *slot, double *step)
{
    for (size_t s = 0; s < add; s++) {
        slot[s] = (size_t)imbal_rng_below(rng, (uint64_t)m * k);
    }
    for (size_t s = 0; s < add; s++) {
        step[s] = imbal_rng_uniform(rng);
    }
}

/* imblearn's _make_samples: add slots drawn in [0, m * k) (randint), then add steps in
 * [0, 1) (uniform); slot s is row s / k and its neighbour s % k. */
static imbal_status smote_make_samples(const double *xc, size_t m, size_t d, const size_t *nns,
                                       size_t k, int c, size_t add, imbal_rng *rng,
                                       imbal_resampled *r, size_t pos, imbal_error *err)
{
    size_t *slot = imbal_malloc(add, sizeof(*slot));
    double *step = imbal_malloc(add, sizeof(*step));
    if (slot == NULL || step == NULL) {
        free(slot);
        free(step);
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory drawing %zu SMOTE rows", add);
    }
    imbal_smote_draws(rng, m, k, add, slot, step);
    for (size_t s = 0; s < add; s++) {
        const double *x = xc + (slot[s] / k) * d;
        const double *nb = xc + nns[slot[s]] * d;
        double *o = r->x + (pos + s) * d;
        for (size_t f = 0; f < d; f++) {
            /* numpy: diffs = nn - x, then x + steps * diffs */
            double diff = nb[f] - x[f];
            o[f] = x[f] + step[s] * diff;
        }
        r->y[pos + s] = c;
        r->source[pos + s] = IMBAL_SYNTHETIC;
    }
    free(slot);
    free(step);
    return IMBAL_OK;
}

/* scikit-learn: n_neighbors = k + 1 must not exceed the m rows of class c. */
imbal_status imbal_smote_k_fits(size_t k, size_t c, size_t m, imbal_error *err)
{
    if (k + 1 > m) {
        imbal_status st =
            imbal_fail(err, IMBAL_EINVAL,
                       "k_neighbors = %zu needs at least %zu rows of class %zu, which has %zu", k,
                       k + 1, c, m);
        imbal_error_set_key(err, "k_neighbors");
        return st;
    }
    return IMBAL_OK;
}

/* One targeted class: checks k against its size, finds neighbours, appends add rows. */
static imbal_status smote_class(const imbal_train_view *in, int c, size_t add, imbal_rng *rng,
                                const imbal_rng *entry, imbal_resampled *r, size_t pos, void *ctx,
                                imbal_error *err)
{
    size_t k = *(const size_t *)ctx;
    (void)entry; /* SMOTE draws only from rng */
    size_t *rows = imbal_malloc(in->n, sizeof(*rows));
    double *xc = NULL;
    size_t *nns = NULL;
    size_t m;
    imbal_status st;
    if (rows == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory in smote");
    }
    m = imbal_class_rows(in, c, rows);
    st = imbal_smote_k_fits(k, (size_t)c, m, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    xc = imbal_malloc(m, in->d * sizeof(*xc));
    nns = imbal_malloc(m, k * sizeof(*nns));
    if (xc == NULL || nns == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory in smote");
        goto cleanup;
    }
    for (size_t i = 0; i < m; i++) {
        memcpy(xc + i * in->d, in->x + rows[i] * in->d, in->d * sizeof(*xc));
    }
    st = imbal_smote_neighbours(xc, m, in->d, k, nns, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    st = smote_make_samples(xc, m, in->d, nns, k, c, add, rng, r, pos, err);
cleanup:
    free(rows);
    free(xc);
    free(nns);
    return st;
}

imbal_status imbal_over_by_class(const imbal_train_view *in, const imbal_param_values *p,
                                 imbal_rng *rng, imbal_over_class_fn fn, void *ctx,
                                 imbal_resampled **out, imbal_error *err)
{
    long *target = NULL;
    size_t *counts = NULL;
    imbal_rng *entry = NULL;
    imbal_resampled *r = NULL;
    size_t n_out = in->n;
    size_t pos = in->n;
    int first = 1;
    imbal_status st;
    *out = NULL;
    target = imbal_malloc(in->n_classes, sizeof(*target));
    counts = imbal_malloc(in->n_classes, sizeof(*counts));
    if (target == NULL || counts == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory in smote");
        goto cleanup;
    }
    st = imbal_sampler_targets(in, p, IMBAL_SAMPLER_OVER, target, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    imbal_class_counts(in, counts);
    for (size_t c = 0; c < in->n_classes; c++) {
        if (target[c] >= 0) {
            n_out += (size_t)target[c] - counts[c];
        }
    }
    /* imblearn re-seeds (check_random_state(int)) for every class: with a numpy generator
     * each class restarts from the state the fold came in with; the default kind goes on */
    if (imbal_rng_get_kind(rng) == IMBAL_RNG_NUMPY) {
        st = imbal_rng_clone(rng, &entry, err);
        if (st != IMBAL_OK) {
            goto cleanup;
        }
    }
    st = imbal_resampled_alloc(n_out, in->d, &r, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    for (size_t i = 0; i < in->n; i++) {
        imbal_resampled_copy_row(r, i, in, i);
    }
    for (size_t c = 0; c < in->n_classes; c++) {
        size_t add = target[c] > 0 ? (size_t)target[c] - counts[c] : 0;
        if (add == 0) {
            continue; /* imblearn skips the class, neighbour check included */
        }
        if (!first && entry != NULL) {
            imbal_rng_copy(rng, entry);
        }
        first = 0;
        st = fn(in, (int)c, add, rng, entry, r, pos, ctx, err);
        if (st != IMBAL_OK) {
            goto cleanup;
        }
        pos += add;
    }
    *out = r;
    r = NULL;
cleanup:
    imbal_resampled_free(r);
    imbal_rng_free(entry);
    free(target);
    free(counts);
    return st;
}

imbal_status imbal_smote_run(const imbal_train_view *in, const imbal_param_values *p,
                             imbal_rng *rng, imbal_resampled **out, imbal_error *err)
{
    size_t k = (size_t)imbal_param_num(p, "k_neighbors");
    return imbal_over_by_class(in, p, rng, smote_class, &k, out, err);
}

/* What the counts decide: sampling_strategy's targets, then k_neighbors against the rows of
 * each class that gains rows (run skips the others, as imblearn does). smote_tomek's check too:
 * its parameters go to SMOTE under the same names. */
imbal_status imbal_smote_check(const imbal_param_values *p, const size_t *counts, size_t n_classes,
                               imbal_error *err)
{
    size_t k = (size_t)imbal_param_num(p, "k_neighbors");
    long *target = imbal_malloc(n_classes, sizeof(*target));
    imbal_status st;
    if (target == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory for %zu classes", n_classes);
    }
    st = imbal_sampler_check_targets(p, IMBAL_SAMPLER_OVER, counts, n_classes, target, err);
    for (size_t c = 0; c < n_classes && st == IMBAL_OK; c++) {
        if (target[c] > 0 && (size_t)target[c] > counts[c]) {
            st = imbal_smote_k_fits(k, c, counts[c], err);
        }
    }
    free(target);
    return st;
}
