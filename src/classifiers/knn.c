/* knn: scikit-learn 1.2's KNeighborsClassifier (Euclidean, p = 2). The model keeps its own
 * copy of the training rows and labels, so the caller's training set may be freed after the
 * fit. predict_proba is the neighbours' vote shares, as scikit-learn computes them: per
 * class, the weights of the neighbours of that class added nearest first (uniform: 1;
 * distance: 1 / d, and when some 1 / d is infinite, d = 0, those neighbours alone vote, with
 * weight 1), divided by their sum over the classes (numpy's sum, imbal_pairwise_sum). The
 * ranking score is the probabilities themselves.
 * Which neighbours: the k nearest, distances summed over features in order (scikit-learn's
 * KD-tree sums the same squares in the same order, so distances agree to the bit); only
 * which of several rows at the k-th distance vote is a choice, and scikit-learn's is not the
 * lower row. Its KD-tree keeps the tied row its search reaches first, an order set by how
 * the tree build partitioned the rows (std::nth_element). So algorithm kd_tree rebuilds that
 * tree and search step by step (knn_sktree.c) and keeps exactly scikit-learn's rows; brute is
 * imbal's exact engine (knn.h: ties to the lower row); auto is scikit-learn's choice between
 * them (kd_tree for at most 15 features and n_neighbors < n // 2, else brute). scikit-learn's
 * own brute force computes |x|^2 - 2 x.y + |y|^2, whose rounding decides its ties, so there
 * no tie rule reproduces it: imbal keeps the lower rows, and the shares agree whenever the
 * k-th and (k + 1)-th distances differ (tests/test_classifier_knn.c: the published abalone19
 * and iris splits have no such tie; on a grid with ties on 279 of 300 rows, kd_tree gives
 * scikit-learn's shares on all of them, brute differs on 199).
 * KNeighborsClassifier has no class weights: a fit given any is refused (the registry's flags
 * leave IMBAL_CLASSIFIER_CLASS_WEIGHT out, so the spec refuses them first). */
#include <math.h>
#include <stdlib.h>
#include <string.h>

#include "alloc.h"
#include "classifiers.h"
#include "imbal/knn.h"
#include "knn_sktree.h"
#include "pairwise.h"

const imbal_param_spec imbal_knn_classifier_params[] = {
    {"n_neighbors", IMBAL_PARAM_INT, "5", 1, 1e6, NULL,
     "neighbours that vote (scikit-learn's n_neighbors)"},
    {"weights", IMBAL_PARAM_STRING, "uniform", 0, 0, "uniform|distance",
     "uniform: one vote each; distance: 1 / distance (rows at distance 0 alone vote)"},
    {"algorithm", IMBAL_PARAM_STRING, "auto", 0, 0, "auto|kd_tree|brute",
     "which rows win ties at equal distance: kd_tree those scikit-learn's KD-tree keeps, "
     "brute the lower rows; auto: scikit-learn's choice (kd_tree for at most 15 features "
     "and n_neighbors below half the rows)"},
    {NULL, 0, NULL, 0, 0, NULL, NULL},
};

typedef struct {
    double *x; /* n * d training rows, owned (the index borrows them) */
    int *y;    /* n labels, owned */
    size_t n;
    size_t k_nn;      /* n_neighbors */
    int distance;     /* weights: distance */
    imbal_knn *index; /* algorithm brute: imbal's exact engine */
    imbal_sktree *sk; /* algorithm kd_tree: scikit-learn's tree */
} knn_state;

/* IMBAL_EINVAL keyed n_neighbors unless the fold has at least n_neighbors rows
 * (scikit-learn: "Expected n_neighbors <= n_samples_fit"). */
static imbal_status knn_check_rows(size_t k_nn, size_t rows, imbal_error *err)
{
    if (k_nn <= rows) {
        return IMBAL_OK;
    }
    imbal_status st = imbal_fail(err, IMBAL_EINVAL,
                                 "knn: n_neighbors = %zu needs %zu training rows; there are %zu",
                                 k_nn, k_nn, rows);
    imbal_error_set_key(err, "n_neighbors");
    return st;
}

imbal_status imbal_knn_classifier_check(const imbal_param_values *p, const size_t *counts, size_t k,
                                        imbal_error *err)
{
    size_t rows = 0;
    for (size_t c = 0; c < k; c++) {
        rows += counts[c];
    }
    return knn_check_rows((size_t)imbal_param_num(p, "n_neighbors"), rows, err);
}

/* Whether to search scikit-learn's KD-tree: kd_tree, or auto where scikit-learn's
 * NearestNeighbors picks it (_fit: brute for more than 15 features or n_neighbors >= n // 2,
 * else kd_tree for the Euclidean metric). Zero features (nothing to split on): the engine. */
static int knn_use_tree(const char *algorithm, size_t k_nn, size_t n, size_t d)
{
    if (d == 0 || strcmp(algorithm, "brute") == 0) {
        return 0;
    }
    if (strcmp(algorithm, "kd_tree") == 0) {
        return 1;
    }
    return d <= 15 && k_nn < n / 2;
}

imbal_status imbal_knn_classifier_fit(const imbal_train_view *in,
                                      const imbal_classifier_settings *s, imbal_model *m,
                                      imbal_error *err)
{
    knn_state *st;
    imbal_status rc;
    size_t k_nn = (size_t)imbal_param_num(s->params, "n_neighbors");
    if (s->class_weight.kind != IMBAL_CW_NONE) {
        imbal_fail(err, IMBAL_EINVAL,
                   "knn takes no class_weight (scikit-learn's KNeighborsClassifier has none); "
                   "remove it, or balance the training rows with a sampler");
        imbal_error_set_key(err, "class_weight");
        return IMBAL_EINVAL;
    }
    rc = knn_check_rows(k_nn, in->n, err);
    if (rc != IMBAL_OK) {
        return rc;
    }
    st = imbal_calloc(1, sizeof(*st));
    if (st == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory");
    }
    m->impl = st; /* freed by imbal_knn_classifier_free whatever happens next */
    st->n = in->n;
    st->k_nn = k_nn;
    st->distance = strcmp(imbal_param_text(s->params, "weights"), "distance") == 0;
    st->x = imbal_malloc(in->n, (in->d > 0 ? in->d : 1) * sizeof(double));
    st->y = imbal_malloc(in->n, sizeof(int));
    if (st->x == NULL || st->y == NULL) {
        return imbal_fail(err, IMBAL_ENOMEM, "out of memory copying %zu training rows", in->n);
    }
    memcpy(st->x, in->x, in->n * in->d * sizeof(double));
    memcpy(st->y, in->y, in->n * sizeof(int));
    if (knn_use_tree(imbal_param_text(s->params, "algorithm"), k_nn, in->n, in->d)) {
        st->sk = imbal_sktree_new(st->x, in->n, in->d);
        if (st->sk == NULL) {
            return imbal_fail(err, IMBAL_ENOMEM, "out of memory building a KD-tree of %zu rows",
                              in->n);
        }
        m->method = "kd_tree";
        return IMBAL_OK;
    }
    rc = imbal_knn_build(st->x, in->n, in->d, IMBAL_KNN_AUTO, &st->index, err);
    if (rc != IMBAL_OK) {
        return rc;
    }
    m->method = "brute";
    return IMBAL_OK;
}

/* The vote shares of one row from its neighbours' labels and distances (nearest first):
 * _get_weights and predict_proba of scikit-learn. */
static void knn_shares(const knn_state *st, const size_t *idx, const double *dist, size_t k,
                       double *proba)
{
    int at_zero = 0;
    double norm;
    for (size_t c = 0; c < k; c++) {
        proba[c] = 0.0;
    }
    if (st->distance) {
        /* scikit-learn tests 1 / d for inf, not d for 0: the same rows, and also a
         * subnormal d whose reciprocal overflows */
        for (size_t j = 0; j < st->k_nn; j++) {
            at_zero |= isinf(1.0 / dist[j]);
        }
    }
    for (size_t j = 0; j < st->k_nn; j++) {
        double w = 1.0;
        if (st->distance) {
            w = 1.0 / dist[j];
            if (at_zero) {
                w = isinf(w) ? 1.0 : 0.0;
            }
        }
        proba[st->y[idx[j]]] += w;
    }
    norm = imbal_pairwise_sum(proba, k); /* proba_k.sum(axis=1): numpy's pairwise sum */
    if (norm == 0.0) {
        norm = 1.0; /* as scikit-learn (cannot happen: some weight is positive) */
    }
    for (size_t c = 0; c < k; c++) {
        proba[c] /= norm;
    }
}

/* Rows per block of predict: their neighbour lists (16 bytes per neighbour) stay near 1 MB
 * whatever n (n_neighbors up to the schema's 1e6: 16 MB for one row). */
#define KNN_BLOCK_ENTRIES ((size_t)1 << 16)

imbal_status imbal_knn_classifier_predict(const imbal_model *m, const double *x, size_t n,
                                          double *proba, double *rank, imbal_error *err)
{
    const knn_state *st = m->impl;
    size_t k_nn = st->k_nn;
    size_t block = KNN_BLOCK_ENTRIES / k_nn > 0 ? KNN_BLOCK_ENTRIES / k_nn : 1;
    size_t *idx = NULL;
    double *dist = NULL;
    imbal_status rc = IMBAL_OK;
    if (n == 0) {
        return IMBAL_OK;
    }
    block = block < n ? block : n;
    idx = imbal_malloc(block, k_nn * sizeof(*idx));
    dist = imbal_malloc(block, k_nn * sizeof(*dist));
    if (idx == NULL || dist == NULL) {
        rc = imbal_fail(err, IMBAL_ENOMEM, "out of memory finding %zu neighbours", k_nn);
        goto cleanup;
    }
    for (size_t b0 = 0; b0 < n; b0 += block) {
        size_t nb = n - b0 < block ? n - b0 : block;
        const double *xb = x + b0 * m->d;
        if (st->sk != NULL) {
            for (size_t i = 0; i < nb; i++) {
                imbal_sktree_query(st->sk, xb + i * m->d, k_nn, idx + i * k_nn, dist + i * k_nn);
            }
        } else {
            rc = imbal_knn_query(st->index, xb, nb, k_nn, 0, idx, dist, err);
            if (rc != IMBAL_OK) {
                goto cleanup;
            }
        }
        for (size_t i = 0; i < nb; i++) {
            knn_shares(st, idx + i * k_nn, dist + i * k_nn, m->k, proba + (b0 + i) * m->k);
        }
    }
    if (rank != NULL) {
        memcpy(rank, proba, n * m->k * sizeof(double));
    }
cleanup:
    free(idx);
    free(dist);
    return rc;
}

void imbal_knn_classifier_free(imbal_model *m)
{
    knn_state *st = m->impl;
    if (st != NULL) {
        imbal_knn_free(st->index);
        imbal_sktree_free(st->sk);
        free(st->x);
        free(st->y);
        free(st);
    }
    m->impl = NULL;
}
