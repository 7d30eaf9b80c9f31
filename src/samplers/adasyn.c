/* ADASYN as in imbalanced-learn 0.10 (He, Bai, Garcia and Li 2008): for each targeted class,
 * the hardness of a row is the share of its n_neighbors nearest rows of the whole fold that
 * belong to another class; row i then gets rint(ratio_i / sum(ratio) * n_samples) new rows on
 * segments towards its n_neighbors nearest class neighbours, x + u * (nn - x). imblearn draws
 * from one generator for the whole fit (no re-seeding per class, unlike SMOTE): all neighbour
 * columns (choice(n_neighbors)) of a class, then all steps (uniform), so a numpy generator
 * replays it. The total is the sum of the rounded counts, so it may miss the target by a few
 * rows, as imblearn's does. Reached only through resample.c's table, on a training fold. */
#include "samplers/samplers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "pairwise.h"

const imbal_param_spec imbal_adasyn_params[] = {
    {"sampling_strategy", IMBAL_PARAM_STRATEGY, "auto", 0, 0, NULL,
     "classes to over-sample and their target counts"},
    {"n_neighbors", IMBAL_PARAM_INT, "5", 1, 1e6, NULL,
     "neighbours that rate a row's hardness and that it is interpolated towards"},
    {NULL, IMBAL_PARAM_INT, NULL, 0, 0, NULL, NULL},
};

/* Per-row counts of class c (rows, m of them) into gen; *total their sum. */
static imbal_status adasyn_counts(const imbal_train_view *in, const double *xc, size_t m, int c,
                                  size_t k, size_t n_samples, size_t *gen, size_t *total,
                                  imbal_error *err)
{
    size_t *nns = imbal_malloc(m, k * sizeof(*nns));
    double *ratio = imbal_malloc(m, sizeof(*ratio));
    double sum;
    imbal_status st;
    *total = 0;
    if (nns == NULL || ratio == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory in adasyn");
        goto cleanup;
    }
    /* nn_.fit(X); kneighbors(X_class)[:, 1:] */
    st = imbal_knn_drop_first(in->x, in->n, in->d, xc, m, k, nns, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    for (size_t i = 0; i < m; i++) {
        size_t other = 0;
        for (size_t j = 0; j < k; j++) {
            other += in->y[nns[i * k + j]] != c;
        }
        ratio[i] = (double)other / (double)k;
    }
    sum = imbal_numpy_sum(ratio, m);
    if (sum == 0.0) {
        st = imbal_fail(err, IMBAL_EINVAL,
                        "no neighbour of a row of class %d belongs to another class, so ADASYN "
                        "has no hard rows to weight (a division by zero in imbalanced-learn); "
                        "use smote for this data",
                        c);
        imbal_error_set_key(err, "n_neighbors");
        goto cleanup;
    }
    for (size_t i = 0; i < m; i++) {
        ratio[i] /= sum;
        gen[i] = (size_t)nearbyint(ratio[i] * (double)n_samples); /* np.rint: half to even */
        *total += gen[i];
    }
    if (*total == 0) {
        st = imbal_fail(err, IMBAL_EINVAL,
                        "ADASYN would generate no row of class %d with this sampling_strategy", c);
        imbal_error_set_key(err, "sampling_strategy");
    }
cleanup:
    free(nns);
    free(ratio);
    return st;
}

/* One targeted class: counts, then class neighbours, columns and steps. */
static imbal_status adasyn_class(const imbal_train_view *in, int c, size_t k, size_t n_samples,
                                 imbal_rng *rng, imbal_new_rows *b, imbal_error *err)
{
    size_t *rows = imbal_malloc(in->n, sizeof(*rows));
    size_t *gen = NULL;
    size_t *nns = NULL;
    size_t *col = NULL;
    double *xc = NULL;
    double *o;
    size_t m;
    size_t total = 0;
    size_t s = 0;
    imbal_status st;
    if (rows == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory in adasyn");
    }
    m = imbal_class_rows(in, c, rows);
    if (k + 1 > m) {
        st = imbal_class_too_small("n_neighbors", k, k + 1, (size_t)c, m, err);
        goto cleanup;
    }
    st = imbal_gather_rows(in, rows, m, &xc, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    gen = imbal_malloc(m, sizeof(*gen));
    nns = imbal_malloc(m, k * sizeof(*nns));
    if (gen == NULL || nns == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory in adasyn");
        goto cleanup;
    }
    st = adasyn_counts(in, xc, m, c, k, n_samples, gen, &total, err);
    if (st == IMBAL_OK) {
        st = imbal_knn_drop_first(xc, m, in->d, xc, m, k, nns, err);
    }
    if (st == IMBAL_OK) {
        col = imbal_malloc(total, sizeof(*col));
        st = col == NULL ? imbal_fail(err, IMBAL_ENOMEM, "out of memory in adasyn") : IMBAL_OK;
    }
    if (st == IMBAL_OK) {
        st = imbal_new_rows_grow(b, total, c, &o, err);
    }
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    for (size_t t = 0; t < total; t++) {
        col[t] = (size_t)imbal_rng_below(rng, k); /* choice(n_neighbors, size=n_samples) */
    }
    for (size_t i = 0; i < m; i++) {
        const double *x = xc + i * in->d;
        for (size_t g = 0; g < gen[i]; g++, s++) {
            const double *nb = xc + nns[i * k + col[s]] * in->d;
            double u = imbal_rng_uniform(rng); /* uniform(size=(n_samples, 1)), in order */
            for (size_t f = 0; f < in->d; f++) {
                double diff = nb[f] - x[f];
                o[s * in->d + f] = x[f] + u * diff;
            }
        }
    }
cleanup:
    free(rows);
    free(gen);
    free(nns);
    free(col);
    free(xc);
    return st;
}

imbal_status imbal_adasyn_run(const imbal_train_view *in, const imbal_param_values *p,
                              imbal_rng *rng, imbal_resampled **out, imbal_error *err)
{
    size_t k = (size_t)imbal_param_num(p, "n_neighbors");
    long *target = imbal_malloc(in->n_classes, sizeof(*target));
    size_t *counts = imbal_malloc(in->n_classes, sizeof(*counts));
    imbal_new_rows b = {NULL, NULL, 0, 0, in->d};
    imbal_status st;
    *out = NULL;
    if (target == NULL || counts == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory in adasyn");
        goto cleanup;
    }
    st = imbal_sampler_targets(in, p, IMBAL_SAMPLER_OVER, target, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    imbal_class_counts(in, counts);
    if (k + 1 > in->n) {
        st = imbal_fail(err, IMBAL_EINVAL,
                        "n_neighbors = %zu needs at least %zu rows; the fold "
                        "has %zu",
                        k, k + 1, in->n);
        imbal_error_set_key(err, "n_neighbors");
        goto cleanup;
    }
    /* a class the strategy does not target gets no row, hence (unlike imblearn, which skips
     * only n_samples == 0) target 0 -> no rows either way */
    for (size_t c = 0; c < in->n_classes && st == IMBAL_OK; c++) {
        if (target[c] > 0 && (size_t)target[c] > counts[c]) {
            st = adasyn_class(in, (int)c, k, (size_t)target[c] - counts[c], rng, &b, err);
        }
    }
    if (st == IMBAL_OK) {
        st = imbal_new_rows_finish(in, &b, out, err);
    }
cleanup:
    imbal_new_rows_free(&b);
    free(target);
    free(counts);
    return st;
}

/* sampling_strategy's targets, then n_neighbors + 1 against each class that gains rows. */
imbal_status imbal_adasyn_check(const imbal_param_values *p, const size_t *counts, size_t n_classes,
                                imbal_error *err)
{
    size_t k = (size_t)imbal_param_num(p, "n_neighbors");
    long *target = imbal_malloc(n_classes, sizeof(*target));
    imbal_status st;
    if (target == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory for %zu classes", n_classes);
    }
    st = imbal_sampler_check_targets(p, IMBAL_SAMPLER_OVER, counts, n_classes, target, err);
    for (size_t c = 0; c < n_classes && st == IMBAL_OK; c++) {
        if (target[c] > 0 && (size_t)target[c] > counts[c] && k + 1 > counts[c]) {
            st = imbal_class_too_small("n_neighbors", k, k + 1, c, counts[c], err);
        }
    }
    free(target);
    return st;
}
