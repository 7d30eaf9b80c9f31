/* Synthetic two-class data in the spirit of scikit-learn's make_classification (one
 * Gaussian cluster per class on a hypercube vertex, noise features, label noise), drawn
 * from imbal's default generator so a seed gives the same data on every machine. Label
 * noise swaps labels between the classes, which keeps the class counts exact. */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "imbal/dataset.h"
#include "imbal/rng.h"
#include "table.h"

void imbal_synthetic_params_default(imbal_synthetic_params *p)
{
    memset(p, 0, sizeof(*p));
    p->n_samples = 2000;
    p->n_features = 10;
    p->n_informative = 5;
    p->weight_positive = 0.05;
    p->class_sep = 1.0;
    p->flip_y = 0.01;
    p->seed = 42;
}

static imbal_status synth_bad(imbal_error *err, const char *key, const char *why)
{
    imbal_fail(err, IMBAL_EINVAL, "synthetic %s %s", key, why);
    imbal_error_set_key(err, key);
    return IMBAL_EINVAL;
}

imbal_status imbal_synthetic_params_check(const imbal_synthetic_params *p, imbal_error *err)
{
    if (p->n_samples < 4) {
        return synth_bad(err, "n_samples", "must be at least 4 (2 rows per class)");
    }
    if (p->n_features < 1) {
        return synth_bad(err, "n_features", "must be at least 1");
    }
    if (p->n_informative < 1 || p->n_informative > p->n_features) {
        return synth_bad(err, "n_informative", "must be in 1 .. n_features");
    }
    if (!(p->weight_positive > 0.0 && p->weight_positive <= 0.5)) {
        return synth_bad(err, "weight_positive", "must be in (0, 0.5]");
    }
    if (!(p->class_sep >= 0.0 && isfinite(p->class_sep))) {
        return synth_bad(err, "class_sep", "must be finite and >= 0");
    }
    if (!(p->flip_y >= 0.0 && p->flip_y < 1.0)) {
        return synth_bad(err, "flip_y", "must be in [0, 1)");
    }
    return IMBAL_OK;
}

/* Two distinct vertices of the hypercube {-sep, +sep}^m: class c's centre is cen[c * m ..]. */
static void synth_centres(imbal_rng *rng, size_t m, double sep, double *cen)
{
    int same = 1;
    for (size_t c = 0; c < 2; c++) {
        for (size_t j = 0; j < m; j++) {
            cen[c * m + j] = (imbal_rng_u32(rng) & 1U) != 0 ? sep : -sep;
        }
    }
    for (size_t j = 0; j < m; j++) {
        same = same && cen[j] == cen[m + j]; /* exact: both are +-sep */
    }
    if (same) {
        size_t j = (size_t)imbal_rng_below(rng, m);
        cen[m + j] = -cen[m + j];
    }
}

/* Swaps the labels of k random rows of each class (chosen before any is swapped). */
static imbal_status synth_flip(imbal_rng *rng, int *y, size_t n, size_t n_pos, size_t k,
                               imbal_error *err)
{
    size_t *idx = imbal_malloc(n, sizeof(*idx));
    size_t fill[2] = {0, n - n_pos}; /* negatives first, then positives, each in row order */
    if (idx == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    for (size_t i = 0; i < n; i++) {
        idx[fill[y[i]]++] = i;
    }
    for (int c = 0; c < 2; c++) {
        size_t *a = idx + (c == 0 ? 0 : n - n_pos);
        size_t count = c == 0 ? n - n_pos : n_pos;
        for (size_t m = 0; m < k; m++) {
            size_t r = m + (size_t)imbal_rng_below(rng, count - m);
            size_t tmp = a[m];
            a[m] = a[r];
            a[r] = tmp;
            y[a[m]] = 1 - c;
        }
    }
    free(idx);
    return IMBAL_OK;
}

imbal_status imbal_dataset_synthetic(const imbal_synthetic_params *p, imbal_dataset **out,
                                     imbal_error *err)
{
    imbal_dataset *ds = NULL;
    imbal_rng *rng = NULL;
    size_t *perm = NULL;
    double *cen = NULL;
    *out = NULL;
    imbal_status st = imbal_synthetic_params_check(p, err);
    if (st != IMBAL_OK) {
        return st;
    }
    size_t n = p->n_samples;
    size_t d = p->n_features;
    size_t m = p->n_informative;
    size_t n_pos = (size_t)floor((double)n * p->weight_positive + 0.5);
    n_pos = n_pos < 2 ? 2 : n_pos;
    size_t n_neg = n - n_pos;
    size_t k = (size_t)floor(p->flip_y * (double)n / 2.0 + 0.5);
    k = k < n_pos ? k : n_pos;
    k = k < n_neg ? k : n_neg;
    st = imbal_dataset_new(n, d, 2, &ds, err);
    if (st == IMBAL_OK) {
        st = imbal_rng_new(IMBAL_RNG_DEFAULT, p->seed, &rng, err);
    }
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    perm = imbal_malloc(n, sizeof(*perm));
    cen = imbal_malloc(2 * m, sizeof(*cen));
    free(ds->class_names[0]);
    free(ds->class_names[1]);
    ds->class_names[0] = imbal_strdup("negative");
    ds->class_names[1] = imbal_strdup("positive");
    ds->name = imbal_strdup("synthetic");
    if (perm == NULL || cen == NULL || ds->class_names[0] == NULL || ds->class_names[1] == NULL ||
        ds->name == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory");
        goto cleanup;
    }
    synth_centres(rng, m, p->class_sep, cen);
    /* rows in random class order: the first n_pos of a permutation are positive */
    imbal_rng_permutation(rng, perm, n);
    for (size_t r = 0; r < n; r++) {
        ds->y[perm[r]] = r < n_pos;
    }
    for (size_t i = 0; i < n; i++) {
        double *x = ds->x + i * d;
        const double *c = cen + (size_t)ds->y[i] * m;
        for (size_t j = 0; j < d; j++) {
            x[j] = (j < m ? c[j] : 0.0) + imbal_rng_normal(rng);
        }
    }
    st = synth_flip(rng, ds->y, n, n_pos, k, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    *out = ds;
    ds = NULL;
cleanup:
    imbal_dataset_free(ds);
    imbal_rng_free(rng);
    free(perm);
    free(cen);
    return st;
}
