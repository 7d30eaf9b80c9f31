/* KMeans-SMOTE as in imbalanced-learn 0.10 (Douzas, Bacao and Last 2018): the fold is
 * clustered by k-means (n_clusters); for each targeted class c the clusters where c makes up
 * at least cluster_balance_threshold of the rows ("auto": n_samples / all new rows / 2) and
 * has at least k_neighbors + 1 rows are kept, each weighted by its sparsity (mean distance
 * between its rows of class c to the power density_exponent, "auto": log_1.6(n)^1.8 * 0.16,
 * divided by their number n), and gets ceil(n_samples * weight) SMOTE rows from its rows of
 * class c. Not replayed exactly: imblearn clusters with MiniBatchKMeans, imbal with its own
 * (full, Lloyd) k-means (kmeans.c; n_init 3 as MiniBatchKMeans), so the clusters, hence the
 * rows, differ; the draws are otherwise imblearn's (each _make_samples from a fresh generator:
 * numpy kind, the state the fold came in with). When no cluster qualifies imbal refuses as
 * imblearn does (a RuntimeError there), naming the parameters to change. */
#include "samplers/samplers.h"

#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "imbal/kmeans.h"

const imbal_param_spec imbal_kmeans_smote_params[] = {
    {"sampling_strategy", IMBAL_PARAM_STRATEGY, "auto", 0, 0, NULL,
     "classes to over-sample and their target counts"},
    {"k_neighbors", IMBAL_PARAM_INT, "2", 1, 1e6, NULL,
     "neighbours of a row among its class within its cluster to interpolate towards"},
    {"n_clusters", IMBAL_PARAM_INT, "8", 1, 1e6, NULL, "clusters of the k-means"},
    {"cluster_balance_threshold", IMBAL_PARAM_DOUBLE, "auto", 0, 1, "auto",
     "least share of the class in a cluster that gets new rows"},
    {"density_exponent", IMBAL_PARAM_DOUBLE, "auto", 0, 1e6, "auto",
     "exponent of the mean distance in a cluster's sparsity"},
    {NULL, IMBAL_PARAM_INT, NULL, 0, 0, NULL, NULL},
};

/* imblearn's _find_cluster_sparsity of the n rows x (exact distances). */
static double kms_sparsity(const double *x, size_t n, size_t d, double exponent)
{
    double total = 0.0;
    double mean;
    for (size_t i = 0; i < n; i++) {
        for (size_t j = 0; j < n; j++) {
            double s = 0.0;
            for (size_t f = 0; f < d && i != j; f++) {
                double v = x[i * d + f] - x[j * d + f];
                s += v * v;
            }
            total += sqrt(s);
        }
    }
    mean = total / ((double)n * (double)n - (double)n);
    if (isnan(exponent)) {
        exponent = pow(log((double)n) / log(1.6), 1.8) * 0.16;
    }
    return pow(mean, exponent) / (double)n;
}

typedef struct {
    size_t k, n_clusters;
    double threshold, exponent; /* NAN: auto */
    size_t total_new;           /* all classes' new rows, for threshold auto */
    imbal_rng *entry;
} kms_setup;

static imbal_status kms_class(const imbal_train_view *in, const kms_setup *s, int c,
                              size_t n_samples, imbal_rng *rng, imbal_new_rows *b, imbal_error *err)
{
    imbal_kmeans_params kp;
    imbal_kmeans *km = NULL;
    size_t *size = imbal_calloc(s->n_clusters, sizeof(*size));
    size_t *of_c = imbal_calloc(s->n_clusters, sizeof(*of_c));
    double *weight = imbal_calloc(s->n_clusters, sizeof(*weight));
    size_t *rows = imbal_malloc(in->n, sizeof(*rows));
    double *xc = NULL;
    size_t *nns = NULL;
    double thr;
    double wsum = 0.0;
    size_t n_valid = 0;
    imbal_status st;
    if (size == NULL || of_c == NULL || weight == NULL || rows == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory in kmeans_smote");
        goto cleanup;
    }
    imbal_kmeans_params_default(&kp);
    kp.n_init = 3; /* MiniBatchKMeans' default in scikit-learn 1.2 */
    if (s->entry != NULL) {
        imbal_rng_copy(rng, s->entry);
    }
    st = imbal_kmeans_fit(in->x, in->n, in->d, s->n_clusters, &kp, rng, &km, err);
    if (st != IMBAL_OK) {
        imbal_error_set_key(err, "n_clusters");
        goto cleanup;
    }
    for (size_t i = 0; i < in->n; i++) {
        size[km->labels[i]]++;
        of_c[km->labels[i]] += in->y[i] == c;
    }
    thr = isnan(s->threshold) ? (double)n_samples / (double)s->total_new / 2.0 : s->threshold;
    if (s->n_clusters == 1) {
        thr = -INFINITY; /* imblearn: one cluster is always balanced enough */
    }
    for (size_t q = 0; q < s->n_clusters; q++) {
        double share;
        size_t m = 0;
        if (size[q] == 0) {
            continue;
        }
        share = (double)of_c[q] / (double)size[q];
        if (share < thr || share * (double)size[q] < (double)(s->k + 1)) {
            continue;
        }
        for (size_t i = 0; i < in->n; i++) {
            rows[m] = i;
            m += km->labels[i] == q && in->y[i] == c;
        }
        free(xc);
        st = imbal_gather_rows(in, rows, m, &xc, err);
        if (st != IMBAL_OK) {
            goto cleanup;
        }
        weight[q] = kms_sparsity(xc, m, in->d, s->exponent);
        wsum += weight[q];
        n_valid++;
    }
    if (n_valid == 0) {
        st = imbal_fail(err, IMBAL_EINVAL,
                        "no cluster has enough rows of class %d (a share of at least %g and "
                        "k_neighbors + 1 = %zu rows): lower cluster_balance_threshold or raise "
                        "n_clusters",
                        c, thr, s->k + 1);
        imbal_error_set_key(err, "cluster_balance_threshold");
        goto cleanup;
    }
    for (size_t q = 0; q < s->n_clusters; q++) {
        size_t m = 0;
        size_t add;
        double *o;
        if (size[q] == 0 || (double)of_c[q] / (double)size[q] < thr ||
            (double)of_c[q] < (double)(s->k + 1)) {
            continue;
        }
        for (size_t i = 0; i < in->n; i++) {
            rows[m] = i;
            m += km->labels[i] == q && in->y[i] == c;
        }
        free(xc);
        free(nns);
        xc = NULL;
        nns = imbal_malloc(m, s->k * sizeof(*nns));
        st = imbal_gather_rows(in, rows, m, &xc, err);
        if (st == IMBAL_OK && nns == NULL) {
            st = imbal_fail(err, IMBAL_ENOMEM, "out of memory in kmeans_smote");
        }
        if (st == IMBAL_OK) {
            st = imbal_knn_drop_first(xc, m, in->d, xc, m, s->k, nns, err);
        }
        add = (size_t)ceil((double)n_samples * (weight[q] / wsum));
        if (st == IMBAL_OK) {
            if (s->entry != NULL) {
                imbal_rng_copy(rng, s->entry);
            }
            st = imbal_new_rows_grow(b, add, c, &o, err);
        }
        if (st == IMBAL_OK) {
            st = imbal_smote_samples(xc, xc, m, nns, m, s->k, in->d, 1.0, add, rng, o, err);
        }
        if (st != IMBAL_OK) {
            goto cleanup;
        }
    }
cleanup:
    imbal_kmeans_free(km);
    free(size);
    free(of_c);
    free(weight);
    free(rows);
    free(xc);
    free(nns);
    return st;
}

imbal_status imbal_kmeans_smote_run(const imbal_train_view *in, const imbal_param_values *p,
                                    imbal_rng *rng, imbal_resampled **out, imbal_error *err)
{
    kms_setup s = {0, 0, 0.0, 0.0, 0, NULL};
    long *target = imbal_malloc(in->n_classes, sizeof(*target));
    size_t *counts = imbal_malloc(in->n_classes, sizeof(*counts));
    imbal_new_rows b = {NULL, NULL, 0, 0, in->d};
    imbal_status st;
    *out = NULL;
    s.k = (size_t)imbal_param_num(p, "k_neighbors");
    s.n_clusters = (size_t)imbal_param_num(p, "n_clusters");
    s.threshold = imbal_param_num(p, "cluster_balance_threshold");
    s.exponent = imbal_param_num(p, "density_exponent");
    if (target == NULL || counts == NULL) {
        st = imbal_fail(err, IMBAL_ENOMEM, "out of memory in kmeans_smote");
        goto cleanup;
    }
    st = imbal_sampler_targets(in, p, IMBAL_SAMPLER_OVER, target, err);
    if (st != IMBAL_OK) {
        goto cleanup;
    }
    if (s.n_clusters > in->n) {
        st = imbal_fail(err, IMBAL_EINVAL, "n_clusters = %zu is more than the fold's %zu rows",
                        s.n_clusters, in->n);
        imbal_error_set_key(err, "n_clusters");
        goto cleanup;
    }
    imbal_class_counts(in, counts);
    for (size_t c = 0; c < in->n_classes; c++) {
        if (target[c] > 0 && (size_t)target[c] > counts[c]) {
            s.total_new += (size_t)target[c] - counts[c];
        }
    }
    if (imbal_rng_get_kind(rng) == IMBAL_RNG_NUMPY) {
        st = imbal_rng_clone(rng, &s.entry, err);
    }
    for (size_t c = 0; c < in->n_classes && st == IMBAL_OK; c++) {
        if (target[c] > 0 && (size_t)target[c] > counts[c]) {
            if (s.k + 1 > counts[c]) {
                st = imbal_class_too_small("k_neighbors", s.k, s.k + 1, c, counts[c], err);
                break;
            }
            st = kms_class(in, &s, (int)c, (size_t)target[c] - counts[c], rng, &b, err);
        }
    }
    if (st == IMBAL_OK) {
        st = imbal_new_rows_finish(in, &b, out, err);
    }
cleanup:
    imbal_new_rows_free(&b);
    imbal_rng_free(s.entry);
    free(target);
    free(counts);
    return st;
}

/* sampling_strategy's targets; n_clusters against the fold, k_neighbors + 1 against each
 * class that gains rows. Whether a cluster qualifies depends on the values: run decides. */
imbal_status imbal_kmeans_smote_check(const imbal_param_values *p, const size_t *counts,
                                      size_t n_classes, imbal_error *err)
{
    size_t k = (size_t)imbal_param_num(p, "k_neighbors");
    size_t nc = (size_t)imbal_param_num(p, "n_clusters");
    long *target = imbal_malloc(n_classes, sizeof(*target));
    size_t n = 0;
    imbal_status st;
    if (target == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory for %zu classes", n_classes);
    }
    for (size_t c = 0; c < n_classes; c++) {
        n += counts[c];
    }
    st = imbal_sampler_check_targets(p, IMBAL_SAMPLER_OVER, counts, n_classes, target, err);
    if (st == IMBAL_OK && nc > n) {
        st = imbal_fail(err, IMBAL_EINVAL, "n_clusters = %zu is more than the fold's %zu rows", nc,
                        n);
        imbal_error_set_key(err, "n_clusters");
    }
    for (size_t c = 0; c < n_classes && st == IMBAL_OK; c++) {
        if (target[c] > 0 && (size_t)target[c] > counts[c] && k + 1 > counts[c]) {
            st = imbal_class_too_small("k_neighbors", k, k + 1, c, counts[c], err);
        }
    }
    free(target);
    return st;
}
