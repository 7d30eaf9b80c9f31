/* ClusterCentroids as in imbalanced-learn 0.10: each class targeted by sampling_strategy
 * (default: all but the minority) is replaced by the k-means centres of its rows, k = its
 * target count, with scikit-learn 1.2's KMeans(random_state=s) (src/kmeans.c); soft voting
 * keeps the centres as new rows, hard voting the real row nearest each centre. Classes come
 * out in label order. Reached only through resample.c's table, on a training fold. */
#include "samplers/samplers.h"

#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "imbal/kmeans.h"
#include "imbal/knn.h"

const imbal_param_spec imbal_cluster_centroids_params[] = {
    {"sampling_strategy", IMBAL_PARAM_STRATEGY, "auto", 0, 0, NULL,
     "classes to under-sample and their target counts (auto: all but the minority)"},
    {"voting", IMBAL_PARAM_STRING, "auto", 0, 0, "auto|hard|soft",
     "soft: the centroids become rows; hard: the real row nearest each centroid; "
     "auto: soft (dense data)"},
    {"n_init", IMBAL_PARAM_INT, "10", 1, 1000, NULL,
     "k-means restarts, the lowest inertia wins (scikit-learn 1.2's default 10)"},
    {"sklearn_threads", IMBAL_PARAM_INT, "1", 1, 64, NULL,
     "compat emulation: sum k-means updates in the order scikit-learn's OpenMP code uses "
     "with this many threads; scikit-learn's own results depend on its thread count "
     "(1 and 2 are exact; with more, scikit-learn itself varies from run to run)"},
    {NULL, IMBAL_PARAM_INT, NULL, 0, 0, NULL, NULL},
};

/* Rows of one class as one contiguous block, in input order (imblearn's _safe_indexing). */
static void cc_gather(const imbal_train_view *in, const size_t *rows, size_t m, double *xc)
{
    for (size_t i = 0; i < m; i++) {
        memcpy(xc + i * in->d, in->x + rows[i] * in->d, in->d * sizeof(double));
    }
}

/* Writes class c's k new rows at out row *at: the centres (soft) or, for each centre, the
 * class row nearest to it (hard: NearestNeighbors(n_neighbors=1) on the class rows). */
static imbal_status cc_emit(const imbal_train_view *in, int c, const size_t *rows, size_t m,
                            const double *xc, const imbal_kmeans *km, int hard,
                            imbal_resampled *res, size_t *at, imbal_error *err)
{
    imbal_knn *knn = NULL;
    size_t *nearest = NULL;
    imbal_status st = IMBAL_OK;
    const size_t d = in->d;
    if (!hard) {
        for (size_t j = 0; j < km->k; j++) {
            memcpy(res->x + *at * d, km->centers + j * d, d * sizeof(double));
            res->y[*at] = c;
            res->source[*at] = IMBAL_SYNTHETIC;
            (*at)++;
        }
        return IMBAL_OK;
    }
    nearest = imbal_malloc(km->k, sizeof(*nearest));
    if (nearest == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for %zu centroids", km->k);
        goto cleanup;
    }
    st = imbal_knn_build(xc, m, d, IMBAL_KNN_AUTO, &knn, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    st = imbal_knn_query(knn, km->centers, km->k, 1, 0, nearest, NULL, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    for (size_t j = 0; j < km->k; j++) {
        imbal_resampled_copy_row(res, (*at)++, in, rows[nearest[j]]);
    }
cleanup:
    imbal_knn_free(knn);
    free(nearest);
    return st;
}

/* Clusters class c (its m rows) into k centres and emits them. Every class starts from the
 * generator's state in start: imblearn refits one KMeans(random_state=s) per class, and an
 * int random_state restarts its stream each time. */
static imbal_status cc_class(const imbal_train_view *in, int c, size_t k,
                             const imbal_kmeans_params *kp, int hard, imbal_rng *rng,
                             const imbal_rng *start, imbal_resampled *res, size_t *at,
                             imbal_error *err)
{
    size_t *rows = NULL;
    double *xc = NULL;
    imbal_kmeans *km = NULL;
    imbal_status st = IMBAL_OK;
    rows = imbal_malloc(in->n, sizeof(*rows));
    if (rows == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for the rows of class %d", c);
        goto cleanup;
    }
    size_t m = imbal_class_rows(in, c, rows);
    xc = imbal_malloc(m, in->d * sizeof(double));
    if (xc == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for the %zu rows of class %d", m, c);
        goto cleanup;
    }
    cc_gather(in, rows, m, xc);
    imbal_rng_copy(rng, start);
    st = imbal_kmeans_fit(xc, m, in->d, k, kp, rng, &km, err);
    if (st != IMBAL_OK) {
        if (st == IMBAL_EINVAL) {
            imbal_error_set_key(err, "sampling_strategy"); /* the target count was k */
        }
        goto cleanup;
    }
    st = cc_emit(in, c, rows, m, xc, km, hard, res, at, err);
cleanup:
    free(rows);
    free(xc);
    imbal_kmeans_free(km);
    return st;
}

imbal_status imbal_cluster_centroids_run(const imbal_train_view *in, const imbal_param_values *p,
                                         imbal_rng *rng, imbal_resampled **out, imbal_error *err)
{
    long *target = NULL;
    size_t *counts = NULL;
    imbal_rng *start = NULL;
    imbal_resampled *res = NULL;
    imbal_kmeans_params kp;
    imbal_status st;
    *out = NULL;
    imbal_kmeans_params_default(&kp);
    kp.n_init = (size_t)imbal_param_num(p, "n_init");
    kp.sklearn_threads = (size_t)imbal_param_num(p, "sklearn_threads");
    /* imblearn's auto is hard voting for sparse input only; imbal's data is dense */
    int hard = strcmp(imbal_param_text(p, "voting"), "hard") == 0;
    target = imbal_malloc(in->n_classes, sizeof(*target));
    counts = imbal_malloc(in->n_classes, sizeof(*counts));
    if (target == NULL || counts == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory for %zu classes", in->n_classes);
        goto cleanup;
    }
    st = imbal_sampler_targets(in, p, IMBAL_SAMPLER_UNDER, target, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    imbal_class_counts(in, counts);
    size_t n_out = 0;
    for (size_t c = 0; c < in->n_classes; c++) {
        n_out += target[c] >= 0 ? (size_t)target[c] : counts[c];
    }
    st = imbal_rng_clone(rng, &start, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    st = imbal_resampled_alloc(n_out, in->d, &res, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    size_t at = 0;
    for (size_t c = 0; c < in->n_classes; c++) {
        if (target[c] >= 0) {
            st = cc_class(in, (int)c, (size_t)target[c], &kp, hard, rng, start, res, &at, err);
            if (st != IMBAL_OK) {
                goto cleanup;
            }
            continue;
        }
        for (size_t i = 0; i < in->n; i++) {
            if (in->y[i] == (int)c) {
                imbal_resampled_copy_row(res, at++, in, i);
            }
        }
    }
    *out = res;
    res = NULL;
cleanup:
    imbal_resampled_free(res);
    imbal_rng_free(start);
    free(target);
    free(counts);
    return st;
}

/* What the counts decide: sampling_strategy's targets, and no class reduced to 0 centroids
 * (k-means needs at least one). */
imbal_status imbal_cluster_centroids_check(const imbal_param_values *p, const size_t *counts,
                                           size_t n_classes, imbal_error *err)
{
    long *target = imbal_malloc(n_classes, sizeof(*target));
    imbal_status st;
    if (target == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory for %zu classes", n_classes);
    }
    st = imbal_sampler_check_targets(p, IMBAL_SAMPLER_UNDER, counts, n_classes, target, err);
    for (size_t c = 0; c < n_classes && st == IMBAL_OK; c++) {
        if (target[c] == 0) {
            st =
                imbal_fail(err, IMBAL_EINVAL,
                           "a target of 0 rows for class %zu: k-means needs at least 1 cluster", c);
            imbal_error_set_key(err, "sampling_strategy");
        }
    }
    free(target);
    return st;
}
