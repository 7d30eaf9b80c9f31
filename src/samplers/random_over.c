/* RandomOverSampler as in imbalanced-learn 0.10: the fold as it is, then for each targeted
 * class (in class order) rows drawn with replacement from that class, optionally a smoothed
 * bootstrap (shrinkage: Gaussian noise scaled per column). Draw order and arithmetic follow
 * imblearn's, so a numpy generator replays it. Reached only through resample.c's table. */
#include "samplers/samplers.h"

#include <math.h>
#include <stdlib.h>

#include "alloc.h"

const imbal_param_spec imbal_random_over_params[] = {
    {"sampling_strategy", IMBAL_PARAM_STRATEGY, "auto", 0, 0, NULL,
     "classes to over-sample and their target counts"},
    {"shrinkage", IMBAL_PARAM_DOUBLE, "none", 0, 1e300, "none",
     "none: plain bootstrap; a number >= 0: smoothed bootstrap with this noise factor"},
    {NULL, IMBAL_PARAM_INT, NULL, 0, 0, NULL, NULL},
};

/* Per column: shrinkage * h * std, where std is the class's population standard deviation
 * (np.std, ddof 0, sums in row order) and h the rule-of-thumb bandwidth imblearn uses,
 * (4 / ((d + 2) * n)) ^ (1 / (d + 4)) with n the rows of the whole fold, not the class. */
static void random_over_noise_scale(const imbal_train_view *in, const size_t *rows, size_t m,
                                    double shrinkage, double *scale)
{
    size_t d = in->d;
    double h = pow(4.0 / (double)((d + 2) * in->n), 1.0 / (double)(d + 4));
    double factor = shrinkage * h;
    for (size_t j = 0; j < d; j++) {
        scale[j] = factor * imbal_class_std(in, rows, m, j);
    }
}

/* Appends the add rows of one class from position *pos: first all bootstrap indices, then
 * (smoothed) the noise, row by row, as randint(...) then randn(add, d) in imblearn. */
static void random_over_class(const imbal_train_view *in, const size_t *rows, size_t m,
                              size_t add, double shrinkage, double *scale, imbal_rng *rng,
                              imbal_resampled *r, size_t *pos)
{
    size_t start = *pos;
    for (size_t s = 0; s < add; s++) {
        imbal_resampled_copy_row(r, start + s, in, rows[imbal_rng_below(rng, m)]);
    }
    *pos = start + add;
    if (isnan(shrinkage)) {
        return;
    }
    random_over_noise_scale(in, rows, m, shrinkage, scale);
    for (size_t s = 0; s < add; s++) {
        double *x = r->x + (start + s) * r->d;
        for (size_t j = 0; j < r->d; j++) {
            /* noise.dot(diag(scale)) + X[bootstrap]: one product, then the sum */
            double noise = imbal_rng_normal(rng) * scale[j];
            x[j] = noise + x[j];
        }
        r->source[start + s] = IMBAL_SYNTHETIC;
    }
}

imbal_status imbal_random_over_run(const imbal_train_view *in, const imbal_param_values *p,
                                   imbal_rng *rng, imbal_resampled **out, imbal_error *err)
{
    double shrinkage = imbal_param_num(p, "shrinkage");
    long *target = NULL;
    size_t *counts = NULL;
    size_t *rows = NULL;
    double *scale = NULL;
    imbal_resampled *r = NULL;
    size_t n_out = in->n;
    size_t pos = in->n;
    imbal_status st;
    *out = NULL;
    target = imbal_malloc(in->n_classes, sizeof(*target));
    counts = imbal_malloc(in->n_classes, sizeof(*counts));
    rows = imbal_malloc(in->n, sizeof(*rows));
    scale = imbal_malloc(in->d, sizeof(*scale));
    if (target == NULL || counts == NULL || rows == NULL || scale == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory in random_over");
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
    st = imbal_resampled_alloc(n_out, in->d, &r, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    for (size_t i = 0; i < in->n; i++) {
        imbal_resampled_copy_row(r, i, in, i);
    }
    for (size_t c = 0; c < in->n_classes; c++) {
        if (target[c] >= 0) {
            size_t m = imbal_class_rows(in, (int)c, rows);
            random_over_class(in, rows, m, (size_t)target[c] - m, shrinkage, scale, rng, r,
                              &pos);
        }
    }
    *out = r;
    r = NULL;
cleanup:
    imbal_resampled_free(r);
    free(target);
    free(counts);
    free(rows);
    free(scale);
    return st;
}

/* What the counts decide: sampling_strategy's targets (imbal_strategy_targets' refusals). */
imbal_status imbal_random_over_check(const imbal_param_values *p, const size_t *counts,
                                     size_t n_classes, imbal_error *err)
{
    long *target = imbal_malloc(n_classes, sizeof(*target));
    imbal_status st;
    if (target == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory for %zu classes", n_classes);
    }
    st = imbal_sampler_check_targets(p, IMBAL_SAMPLER_OVER, counts, n_classes, target, err);
    free(target);
    return st;
}
