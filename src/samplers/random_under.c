/* RandomUnderSampler as in imbalanced-learn 0.10: class by class in class order, a targeted
 * class keeps a random subset (numpy's legacy choice: the head of a permutation, or bounded
 * draws with replacement), any other class keeps all its rows in order. The output lists
 * the kept rows class by class. Reached only through resample.c's table. */
#include "samplers/samplers.h"

#include <stdlib.h>

#include "alloc.h"

const imbal_param_spec imbal_random_under_params[] = {
    {"sampling_strategy", IMBAL_PARAM_STRATEGY, "auto", 0, 0, NULL,
     "classes to under-sample and their target counts"},
    {"replacement", IMBAL_PARAM_BOOL, "false", 0, 1, NULL,
     "draw the kept rows with replacement"},
    {NULL, IMBAL_PARAM_INT, NULL, 0, 0, NULL, NULL},
};

/* Fills r from *pos with the kept rows of one class (rows, m of them). perm is scratch of
 * m entries. Without replacement numpy permutes all m positions even when it keeps fewer. */
static void random_under_class(const imbal_train_view *in, const size_t *rows, size_t m,
                               long target, int replacement, size_t *perm, imbal_rng *rng,
                               imbal_resampled *r, size_t *pos)
{
    if (target < 0) {
        for (size_t k = 0; k < m; k++) {
            imbal_resampled_copy_row(r, (*pos)++, in, rows[k]);
        }
        return;
    }
    if (replacement) {
        for (long k = 0; k < target; k++) {
            imbal_resampled_copy_row(r, (*pos)++, in, rows[imbal_rng_below(rng, m)]);
        }
        return;
    }
    imbal_rng_permutation(rng, perm, m);
    for (long k = 0; k < target; k++) {
        imbal_resampled_copy_row(r, (*pos)++, in, rows[perm[k]]);
    }
}

imbal_status imbal_random_under_run(const imbal_train_view *in, const imbal_param_values *p,
                                    imbal_rng *rng, imbal_resampled **out, imbal_error *err)
{
    int replacement = imbal_param_num(p, "replacement") != 0.0;
    long *target = NULL;
    size_t *counts = NULL;
    size_t *rows = NULL;
    size_t *perm = NULL;
    imbal_resampled *r = NULL;
    size_t n_out = 0;
    size_t pos = 0;
    imbal_status st;
    *out = NULL;
    target = imbal_malloc(in->n_classes, sizeof(*target));
    counts = imbal_malloc(in->n_classes, sizeof(*counts));
    rows = imbal_malloc(in->n, sizeof(*rows));
    perm = imbal_malloc(in->n, sizeof(*perm));
    if (target == NULL || counts == NULL || rows == NULL || perm == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory in random_under");
        goto cleanup;
    }
    st = imbal_sampler_targets(in, p, IMBAL_SAMPLER_UNDER, target, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    imbal_class_counts(in, counts);
    for (size_t c = 0; c < in->n_classes; c++) {
        n_out += target[c] >= 0 ? (size_t)target[c] : counts[c];
    }
    st = imbal_resampled_alloc(n_out, in->d, &r, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    for (size_t c = 0; c < in->n_classes; c++) {
        size_t m = imbal_class_rows(in, (int)c, rows);
        random_under_class(in, rows, m, target[c], replacement, perm, rng, r, &pos);
    }
    *out = r;
    r = NULL;
cleanup:
    imbal_resampled_free(r);
    free(target);
    free(counts);
    free(rows);
    free(perm);
    return st;
}

/* What the counts decide: sampling_strategy's targets (imbal_strategy_targets' refusals). */
imbal_status imbal_random_under_check(const imbal_param_values *p, const size_t *counts,
                                      size_t n_classes, imbal_error *err)
{
    long *target = imbal_malloc(n_classes, sizeof(*target));
    imbal_status st;
    if (target == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory for %zu classes", n_classes);
    }
    st = imbal_sampler_check_targets(p, IMBAL_SAMPLER_UNDER, counts, n_classes, target, err);
    free(target);
    return st;
}
