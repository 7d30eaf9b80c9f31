/* "none": the training fold unchanged, as a new result (source[i] = i), so the runner treats
 * the baseline like every other technique. Reached only through the table in resample.c. */
#include "samplers/samplers.h"

const imbal_param_spec imbal_none_params[] = {
    {NULL, IMBAL_PARAM_INT, NULL, 0, 0, NULL, NULL},
};

imbal_status imbal_none_run(const imbal_train_view *in, const imbal_param_values *p,
                            imbal_rng *rng, imbal_resampled **out, imbal_error *err)
{
    imbal_resampled *r = NULL;
    imbal_status st = imbal_resampled_alloc(in->n, in->d, &r, err);
    (void)p;
    (void)rng;
    *out = NULL;
    if (st != IMBAL_OK) {
        return st;
    }
    for (size_t i = 0; i < in->n; i++) {
        imbal_resampled_copy_row(r, i, in, i);
    }
    *out = r;
    return IMBAL_OK;
}

imbal_status imbal_none_check(const imbal_param_values *p, const size_t *counts, size_t n_classes,
                              imbal_error *err)
{
    (void)p;
    (void)counts;
    (void)n_classes;
    (void)err;
    return IMBAL_OK; /* a copy of any fold */
}
