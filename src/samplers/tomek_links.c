/* Tomek links as in imbalanced-learn 0.10's TomekLinks: two rows of different classes that
 * are each other's nearest neighbour form a link, and the member whose class is targeted by
 * sampling_strategy (default: every class but the minority) is removed. The kept rows stay
 * in their input order. Reached only through resample.c's table, on a training fold. */
#include "samplers/samplers.h"

#include <stdlib.h>

#include "alloc.h"
#include "imbal/knn.h"
#include "samplers/cleaning.h"

const imbal_param_spec imbal_tomek_links_params[] = {
    {"sampling_strategy", IMBAL_PARAM_STRATEGY, "auto", 0, 0, NULL,
     "classes to clean (auto: all but the minority; or a list of classes)"},
    {NULL, IMBAL_PARAM_INT, NULL, 0, 0, NULL, NULL},
};

/* imblearn takes column 1 of kneighbors(X, n_neighbors=2), which on rows with an exact
 * duplicate depends on scikit-learn's tree layout; the nearest *other* row with ties to the
 * lower index is the same answer wherever no two rows coincide (the abalone fold, checked
 * against imblearn) and a fixed rule where they do. */
imbal_status imbal_tomek_links_mask(const double *x, const int *y, size_t n, size_t d,
                                    const unsigned char *clean, unsigned char *is_link,
                                    imbal_error *err)
{
    imbal_knn *knn = NULL;
    size_t *nn = NULL;
    imbal_status st = imbal_knn_build(x, n, d, IMBAL_KNN_AUTO, &knn, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    nn = imbal_malloc(n, sizeof(*nn));
    if (nn == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for the neighbours of %zu rows", n);
        goto cleanup;
    }
    st = imbal_knn_query(knn, x, n, 1, 1, nn, NULL, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    for (size_t i = 0; i < n; i++) {
        size_t j = nn[i];
        is_link[i] = clean[y[i]] && y[j] != y[i] && nn[j] == i;
    }
cleanup:
    imbal_knn_free(knn);
    free(nn);
    return st;
}

imbal_status imbal_tomek_links_run(const imbal_train_view *in, const imbal_param_values *p,
                                   imbal_rng *rng, imbal_resampled **out, imbal_error *err)
{
    long *target = NULL;
    unsigned char *clean = NULL;
    unsigned char *is_link = NULL;
    imbal_resampled *res = NULL;
    imbal_status st;
    (void)rng; /* deterministic */
    *out = NULL;
    target = imbal_malloc(in->n_classes, sizeof(*target));
    clean = imbal_calloc(in->n_classes, sizeof(*clean));
    is_link = imbal_malloc(in->n, sizeof(*is_link));
    if (target == NULL || clean == NULL || is_link == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for Tomek links on %zu rows", in->n);
        goto cleanup;
    }
    st = imbal_sampler_targets(in, p, IMBAL_SAMPLER_CLEAN, target, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    for (size_t c = 0; c < in->n_classes; c++) {
        clean[c] = target[c] > 0;
    }
    st = imbal_tomek_links_mask(in->x, in->y, in->n, in->d, clean, is_link, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    size_t kept = 0;
    for (size_t i = 0; i < in->n; i++) {
        kept += !is_link[i];
    }
    st = imbal_resampled_alloc(kept, in->d, &res, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    kept = 0;
    for (size_t i = 0; i < in->n; i++) {
        if (!is_link[i]) {
            imbal_resampled_copy_row(res, kept++, in, i);
        }
    }
    *out = res;
    res = NULL;
cleanup:
    imbal_resampled_free(res);
    free(target);
    free(clean);
    free(is_link);
    return st;
}

/* What the counts decide: sampling_strategy's targets (imbal_strategy_targets' refusals). */
imbal_status imbal_tomek_links_check(const imbal_param_values *p, const size_t *counts,
                                     size_t n_classes, imbal_error *err)
{
    long *target = imbal_malloc(n_classes, sizeof(*target));
    imbal_status st;
    if (target == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory for %zu classes", n_classes);
    }
    st = imbal_sampler_check_targets(p, IMBAL_SAMPLER_CLEAN, counts, n_classes, target, err);
    free(target);
    return st;
}
